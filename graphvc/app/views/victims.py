"""Victims: repeat victims, domestic-abuse repeats, and the victim–offender overlap.

The three counts head the page; one list is shown at a time, picked beside them (a page
drawing three large tables at once takes seconds to open).
"""

import pandas as pd
import streamlit as st

from graphvc.analysis.overlap import OVERLAP_CLASSES
from graphvc.app import data
from graphvc.app.access import guarded, require_page
from graphvc.app.filters import list_filters
from graphvc.app.run_picker import stored_run
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import download, paged, picture, table
from graphvc.reports.charts import bar_chart
from graphvc.stored_runs import StoredRun

__all__ = ["main"]

#: The page's lists, in the order they are offered.
LISTS = ("Repeat victims", "Domestic-abuse repeats", "Victim–offender overlap")


def repeat_victims(run: StoredRun, victims: pd.DataFrame) -> None:
    st.subheader("Repeat victims")
    st.caption(
        f"People victimised at least twice in the {run.parameters['repeat_window_days']} days "
        f"before {run.as_of.date()}, most often first (Farrell & Pease, *Once bitten, twice "
        "bitten*), with their latest risk assessment (e.g. DASH: standard, medium or high) "
        "where one is loaded."
    )
    shown = list_filters(victims, key="victims_filters")
    table(shown, empty="No repeat victim in this window.", kind="person", key="victims_table")
    if len(shown):
        download(shown, name="repeat_victims.csv", what={"page": "victims", "run": run.id})


def domestic_repeats(run: StoredRun, domestic: pd.DataFrame) -> None:
    st.subheader("Domestic-abuse repeats")
    st.caption(
        "Victim–perpetrator pairs who meet again in domestic abuse within "
        f"{run.parameters['repeat_window_days']} days of their previous incident."
    )
    shown = list_filters(domestic, key="domestic_filters")
    table(
        shown,
        empty="No domestic-abuse repeat before this date.",
        kind="person",
        id_column="victim_id",
        key="domestic_table",
    )
    if len(shown):
        download(
            shown,
            name="domestic_repeats.csv",
            what={"page": "victims", "run": run.id},
            person_columns=("victim_id", "perpetrator_id"),
        )


def victim_offender_overlap(run: StoredRun, overlap: pd.DataFrame) -> None:
    st.subheader("Victim–offender overlap")
    st.caption(
        f"Harm suffered against harm caused over the {run.window_days} days before "
        f"{run.as_of.date()}; a victim-offender is predominantly one or the other at a ratio "
        f"of {run.parameters['overlap_cut']:g} : 1."
    )
    if overlap.empty:
        st.info("Nobody was a victim or an offender in this window.")
        return
    # The class is categorical: counted and matched as it is, not as 500,000 strings.
    classes = overlap["overlap_class"].value_counts().reindex(OVERLAP_CLASSES, fill_value=0)
    picture(bar_chart(list(classes.index), classes.astype(float).tolist(), title="people by class"))
    chosen = st.multiselect(
        "Classes", OVERLAP_CLASSES, default=list(OVERLAP_CLASSES[1:4]), key="classes"
    )
    kept = overlap[overlap["overlap_class"].isin(chosen)]
    shown = paged(kept, key="overlap_page")
    selectable(
        shown.assign(overlap_class=shown["overlap_class"].astype(str)),
        key="overlap_table",
        kind="person",
        id_column="person_id",
    )
    download(
        kept.assign(overlap_class=kept["overlap_class"].astype(str)),
        name="victim_offender_overlap.csv",
        what={"page": "victims", "run": run.id, "classes": list(chosen)},
    )


def main() -> None:
    """The three counts, then the list picked beside them."""
    require_page("victims")
    st.title("Victims")
    run = stored_run()
    victims = guarded(lambda: data.run_table(run.id, "repeat_victims"))
    domestic = guarded(lambda: data.run_table(run.id, "domestic_repeats"))
    overlap = guarded(lambda: data.run_table(run.id, "overlap"))
    left, middle, right = st.columns(3)
    left.metric(
        "Repeat victims", f"{len(victims):,}", help="Two or more victimisations in the year"
    )
    middle.metric("Domestic-abuse repeat pairs", f"{len(domestic):,}")
    right.metric(
        "Victim-offenders", f"{int(overlap['overlap_class'].isin(OVERLAP_CLASSES[1:4]).sum()):,}"
    )
    shown = st.segmented_control("List", LISTS, default=LISTS[0], key="victims_list") or LISTS[0]
    if shown == "Repeat victims":
        repeat_victims(run, victims)
    elif shown == "Domestic-abuse repeats":
        domestic_repeats(run, domestic)
    else:
        victim_offender_overlap(run, overlap)


if __name__ == "__main__":
    main()
