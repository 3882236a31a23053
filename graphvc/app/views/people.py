"""Dangerous people: the offender priority list, every part of each score, and who is on it."""

import pandas as pd
import streamlit as st

from graphvc import contract
from graphvc.app import data
from graphvc.app.access import audited, guarded, require_page
from graphvc.app.filters import list_filters
from graphvc.app.run_picker import stored_run
from graphvc.app.ways_in import open_explorer, open_person, selectable
from graphvc.app.widgets import RFG_PARTS, download, picture, plain, top_slider
from graphvc.display import heading, plain_value, priority_definition
from graphvc.reports.charts import bar_chart, stacked_bars
from graphvc.stored_runs import StoredRun

__all__ = ["main"]

RAW = ["recency_days", "frequency", "gravity", "betweenness", "harm_pagerank", "degree"]
CONTEXT = [
    "borough_name",
    "ward_name",
    "community",
    "escalated_to_knife_or_gun",
    "exposure_victims_1",
    "overlap_class",
]


def priority_list(listed: pd.DataFrame, weights: dict[str, float], parts: list[str]) -> None:
    """The list with every part of each priority (a row opens the person's profile), and the
    parts drawn as stacked bars."""
    st.markdown(
        priority_definition(weights)
        + " Each **part** is one measure's term of that mean: its weight × its scaled value"
        " ÷ the total of the weights."
    )
    columns = ["rank", "priority", *parts, "rfg", *RFG_PARTS, *RAW, *CONTEXT]
    selectable(
        listed[[c for c in columns if c in listed]],
        key="people_list",
        kind="person",
        id_column="person_id",
    )
    picture(
        stacked_bars(
            listed.index.astype(str).tolist(),
            {heading(part): listed[part].astype(float).tolist() for part in parts},
            title="priority, part by part",
        )
    )


def score_card(listed: pd.DataFrame, parts: list[str]) -> None:
    """One person's priority and RFG, part by part, for the person the user picks (audited
    then: a lookup is recorded when someone looks a person up, not for a default), and the
    ways to their profile and to the explorer."""
    st.subheader("One person's score, part by part")
    person = st.selectbox(
        "Person", listed.index.tolist(), index=None, placeholder="Pick a person", key="person"
    )
    if person is None:
        st.caption("Pick a person to see their score part by part.")
        return
    audited(
        "person.score_card",
        person_ids=[str(person)],
        what={"rank": int(listed.loc[person, "rank"])},
    )
    row = listed.loc[person]
    shown = st.columns(len(parts) + 1)
    shown[0].metric(
        "Priority", plain_value("priority", row["priority"]), help=f"rank {int(row['rank'])}"
    )
    for column, part in zip(shown[1:], parts, strict=True):
        name = part.removesuffix("_part")
        column.metric(
            heading(part),
            plain_value(part, row[part]),
            help=f"{heading(name)} = {plain_value(name, row[name])}, scaled "
            f"{plain_value(f'{name}_score', row.get(f'{name}_score'))}",
        )
    rfg = st.columns(4)
    rfg[0].metric("RFG", plain_value("rfg", row["rfg"]))
    for column, part, raw in zip(
        rfg[1:], RFG_PARTS, ["recency_days", "frequency", "gravity"], strict=True
    ):
        column.metric(
            heading(part),
            plain_value(part, row[part]),
            help=f"{heading(raw)} = {plain_value(raw, row[raw])}",
        )
    profile, explorer = st.columns(2)
    if profile.button(f"Open {person}'s profile", icon=":material/person_search:"):
        open_person(str(person))
    if explorer.button(f"Open {person} in the network explorer", icon=":material/hub:"):
        st.session_state["node_id"] = person
        open_explorer(str(person))


def proportionality(run: StoredRun, listed: pd.DataFrame) -> None:
    """The list's groups (the filtered list's) beside those of everyone scored."""
    st.subheader("Proportionality of the list")
    ratios = guarded(lambda: data.list_proportionality(run.id, tuple(listed.index)))
    st.caption(
        f"The {len(listed)} people listed beside the {run.ranked:,} people scored. Ratio = "
        "share of the list / share of those scored: 1 is proportionate, 2 twice the group's "
        "share. A list drawn from police data can over-represent groups; read ratios far from "
        "1 with care."
    )
    # The attribute by its label ("Age band"), as the persons table declares it.
    ratios = ratios.assign(
        attribute=ratios["attribute"].map(lambda name: contract.column("persons", name).label)
    )
    plain(ratios)
    picture(
        bar_chart(
            (ratios["attribute"] + " " + ratios["value"].astype(str)).tolist(),
            ratios["ratio"].astype(float).fillna(0.0).tolist(),
            title="share of the list / share of those scored",
        )
    )


def filtered_list(run: StoredRun, top: int) -> pd.DataFrame:
    """The first ``top`` people of the run's list who pass the filters (borough and ward of
    their main place, date of their last offence). The filters read the whole list (a few
    columns of it), so "Lambeth" lists Lambeth's first ``top``, not those of the first
    ``top`` of London who are in Lambeth; unfiltered, only the first ``top`` rows are read."""
    keys = guarded(lambda: data.people_filter_keys(run.id))
    st.caption(
        "Borough and ward: where most of the person's incidents in the run's window took place."
    )
    kept = list_filters(keys, key="people_filters", columns=("borough", "ward", "date"))
    if len(kept) == len(keys):
        return guarded(lambda: data.run_table(run.id, "people", rows=top))
    people = guarded(lambda: data.run_table(run.id, "people"))
    return people.loc[kept.index[:top]]


def main() -> None:
    """The priority list of the stored run (filtered), one person's score card, and the
    filtered list's proportionality and download."""
    require_page("people")
    st.title("Dangerous people")
    run = stored_run()
    if run.ranked == 0:
        st.info(
            "No one is in the network of the chosen tie layers and nobody offended in this "
            "window: run the analysis with more layers, a wider window or another date."
        )
        st.stop()
    weights = dict(run.parameters["priority_weights"])
    top = top_slider("People on the list", run.ranked, data.LISTED)
    listed = filtered_list(run, top)
    if listed.empty:
        st.info("No one on the list matches the filters.")
        st.stop()
    parts = [f"{name}_part" for name in weights if f"{name}_part" in listed]
    priority_list(listed, weights, parts)
    download(listed, name="people.csv", what={"page": "people", "run": run.id})
    score_card(listed, parts)
    proportionality(run, listed)


if __name__ == "__main__":
    main()
