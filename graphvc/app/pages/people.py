"""Dangerous people: the offender priority list, every part of each score, and who is on it."""

import pandas as pd
import streamlit as st

from graphvc.app import data, page
from graphvc.app.access import audited, guarded, require_page
from graphvc.app.run_picker import stored_run
from graphvc.app.widgets import RFG_PARTS, picture, top_slider
from graphvc.reports.charts import bar_chart, stacked_bars
from graphvc.stored_runs import StoredRun

__all__ = ["main"]

RAW = ["recency_days", "frequency", "gravity", "betweenness", "harm_pagerank", "degree"]
CONTEXT = ["community", "escalated_to_knife_or_gun", "exposure_victims_1", "overlap_class"]


def priority_list(listed: pd.DataFrame, weights: dict[str, float], parts: list[str]) -> None:
    """The list with every part of each priority, and the parts drawn as stacked bars."""
    st.markdown(
        "**Priority** = the sum of its weighted parts: recency–frequency–gravity (RFG) of "
        "offending and the network measures, each scaled to the highest; weights "
        + ", ".join(f"{name} {weight:g}" for name, weight in weights.items())
        + ". **RFG** = the sum of its recency, frequency and gravity (harm) parts."
    )
    columns = ["rank", "priority", *parts, "rfg", *RFG_PARTS, *RAW, *CONTEXT]
    st.dataframe(
        listed[[c for c in columns if c in listed]].reset_index(),
        hide_index=True,
        width="stretch",
        column_config={
            "priority": st.column_config.ProgressColumn(
                "priority", min_value=0.0, max_value=1.0, format="%.3f"
            )
        },
    )
    picture(
        stacked_bars(
            listed.index.astype(str).tolist(),
            {part: listed[part].astype(float).tolist() for part in parts},
            title="priority, part by part",
        )
    )


def score_card(listed: pd.DataFrame, parts: list[str]) -> None:
    """One person's priority and RFG, part by part (audited), and a way to the explorer."""
    st.subheader("One person's score, part by part")
    person = st.selectbox("Person", listed.index.tolist(), key="person")
    audited(
        "person.score_card",
        person_ids=[str(person)],
        what={"rank": int(listed.loc[person, "rank"])},
    )
    row = listed.loc[person]
    shown = st.columns(len(parts) + 1)
    shown[0].metric("priority", f"{row['priority']:.3f}", help=f"rank {int(row['rank'])}")
    for column, part in zip(shown[1:], parts, strict=True):
        name = part.removesuffix("_part")
        column.metric(
            part,
            f"{row[part]:.3f}",
            help=f"{name} = {row[name]:.4g}, scaled {row.get(f'{name}_score', float('nan')):.3f}",
        )
    rfg = st.columns(4)
    rfg[0].metric("rfg", f"{row['rfg']:.3f}")
    for column, part, raw in zip(
        rfg[1:], RFG_PARTS, ["recency_days", "frequency", "gravity"], strict=True
    ):
        column.metric(part, f"{row[part]:.3f}", help=f"{raw} = {row[raw]:.4g}")
    if st.button(f"Open {person} in the network explorer", icon=":material/hub:"):
        st.session_state["node_id"] = person
        st.switch_page(page("explorer"))


def proportionality(run: StoredRun, listed: pd.DataFrame) -> None:
    """The list's groups beside those of everyone scored."""
    st.subheader("Proportionality of the list")
    ratios = guarded(lambda: data.list_proportionality(run.id, tuple(listed.index)))
    st.caption(
        f"The {len(listed)} people listed beside the {run.ranked:,} people scored. Ratio = "
        "share of the list / share of those scored: 1 is proportionate, 2 twice the group's "
        "share. A list drawn from police data can over-represent groups; read ratios far from "
        "1 with care."
    )
    st.dataframe(
        ratios,
        hide_index=True,
        width="stretch",
        column_config={"ratio": st.column_config.NumberColumn(format="%.2f")},
    )
    picture(
        bar_chart(
            (ratios["attribute"] + " " + ratios["value"].astype(str)).tolist(),
            ratios["ratio"].astype(float).fillna(0.0).tolist(),
            title="share of the list / share of those scored",
        )
    )


def main() -> None:
    """The priority list of the stored run, one person's score card, and proportionality."""
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
    listed = guarded(lambda: data.run_table(run.id, "people", rows=top))
    parts = [f"{name}_part" for name in weights if f"{name}_part" in listed]
    priority_list(listed, weights, parts)
    score_card(listed, parts)
    proportionality(run, listed)


if __name__ == "__main__":
    main()
