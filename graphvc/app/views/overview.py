"""Overview: what the graph holds, by continuum category, borough and month; harm on a map.

The tables come from the stored run (its ``incident_months``, summed by
:mod:`graphvc.overview`): opening the page reads no incident. Without a stored run the same
tables are counted from the graph by the Cypher library's ``app/overview_*`` queries, when
asked.
"""

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from graphvc.app import data, page
from graphvc.app.access import attempted, guarded, require_graph, require_page
from graphvc.app.filters import list_filters
from graphvc.app.maps import (
    OUTLINE_SCALE,
    geography_caption,
    legend_html,
    place_legend,
    place_map,
    show_map,
    show_picture,
)
from graphvc.app.run_picker import run_header
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import picture, plain, report_headlines
from graphvc.auth import User
from graphvc.display import humanise
from graphvc.reports import charts
from graphvc.stored_runs import StoredRun

__all__ = ["main"]


class Tables(NamedTuple):
    """The overview's tables, and how to count a borough's (or all) incidents by month."""

    by_category: pd.DataFrame
    by_borough: pd.DataFrame
    borough_category: pd.DataFrame
    by_month: Callable[[str | None], pd.DataFrame]


def stored_tables(run: StoredRun) -> Tables:
    """The tables of stored run ``run``, as the graph held them when it was stored."""
    stored = run.id
    tables = guarded(lambda: data.overview_tables(stored))
    total = int(tables["months"]["incidents"].sum())
    st.caption(
        f"By category, borough and month: the {total:,} incidents "
        f"before {run.as_of.date()} as the graph held them when run {run.id} was stored "
        "(the counts above are the graph's now)."
    )
    return Tables(
        tables["by_category"],
        tables["by_borough"],
        tables["borough_category"],
        lambda code: guarded(lambda: data.overview_by_month(stored, code)),
    )


def counted_tables(run: StoredRun | None) -> Tables:
    """The tables counted from the graph, once asked (they read every incident)."""
    why = "No stored run" if run is None else f"Run {run.id} was stored before"
    st.info(
        f"{why} keeps the incidents by category, borough and month: `graphvc analyse` "
        "stores them; counting them from the graph reads every incident.",
        icon=":material/info:",
    )
    if not (st.button("Count from the graph now") or st.session_state.get("overview_counted")):
        st.stop()
    st.session_state["overview_counted"] = True

    def by_month(code: str | None) -> pd.DataFrame:
        counted = guarded(lambda: data.library_query("app/overview_by_month", (("borough", code),)))
        return counted.assign(month=counted["month"].map(lambda d: d.to_native()))

    return Tables(
        guarded(lambda: data.library_query("app/overview_by_category")),
        guarded(lambda: data.library_query("app/overview_by_borough")),
        guarded(lambda: data.library_query("app/overview_borough_category")),
        by_month,
    )


def latest_report(user: User) -> None:
    """The headlines of the latest report the user may read, and a link to the reports."""
    latest = attempted(data.reports)
    if latest is not None and user.pseudonymised:
        latest = latest[latest["pseudonymised"].fillna(False).astype(bool)]
    if latest is not None and len(latest):
        st.subheader(f"Latest report: as of {latest.iloc[0]['as_of']}")
        report_headlines(latest.iloc[0])
        st.page_link(page("reports"), label="Open the reports", icon=":material/summarize:")


def by_category(tables: Tables) -> None:
    st.subheader("By continuum category")
    plain(tables.by_category)
    picture(
        charts.bar_chart(
            tables.by_category["category"].astype(str).tolist(),
            tables.by_category["harm"].astype(float).tolist(),
            title="harm (days) by continuum category",
        )
    )


def harm_by_borough(by_borough: pd.DataFrame) -> None:
    """Harm by borough: shaded boroughs when the city's outlines draw every one of them,
    columns on a map if not (the caption says which, and why)."""
    st.subheader("Harm by borough")
    if by_borough.empty:
        st.info("No incident is placed in a borough (locations without ward or borough).")
        return
    city = guarded(data.map_outlines)
    uncovered = city.uncovered("borough", by_borough["borough_code"])
    if city.outlines.get("borough") and not uncovered:
        # Drawn as a picture, not a WebGL map: the page's first paint needs no 3-D engine.
        harm = dict(zip(by_borough["borough_code"], by_borough["harm"].astype(float), strict=True))
        show_picture(
            charts.outline_map(
                city.outlines["borough"],
                harm,
                title="harm by borough",
                lines=city.outlines.get("ward"),
                named=True,
            ),
            legend_html(
                "Crime harm (days)",
                {"no incident": (255, 255, 255)},
                scale=(0.0, max(harm.values(), default=0.0)),
                scale_ends=OUTLINE_SCALE,
                note="Hover a borough for its figure; ward outlines in grey.",
            ),
        )
    else:
        show_map(
            place_map(
                by_borough,
                value="harm",
                label="borough",
                radius=600,
                tooltip="{borough}\n{incidents} incidents\n{harm} days of harm",
            ),
            place_legend(by_borough, value="harm", title="Crime harm (days)"),
        )
        st.caption("Each borough's column stands at the mean of its locations.")
    geography_caption("borough", uncovered)


def monthly_trend(by_month: Callable[[str | None], pd.DataFrame]) -> None:
    """Incidents per month by category, in a borough picked (or all)."""
    st.subheader("Monthly trend by category")
    names = guarded(data.boroughs)
    borough = st.selectbox(
        "Borough",
        [None, *names],
        format_func=lambda code: "All boroughs" if code is None else names[code],
    )
    monthly = by_month(borough)
    if monthly.empty:
        st.info("No incident in this borough.")
        return
    per_month = monthly.pivot_table(
        index="month",
        columns="category",
        values="incidents",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    ).sort_index()
    picture(
        charts.line_chart(
            [f"{month:%Y-%m}" for month in per_month.index],
            {str(category): per_month[category].astype(float).tolist() for category in per_month},
            title="incidents per month by category",
        )
    )


def boroughs_by_category(borough_category: pd.DataFrame, by_borough: pd.DataFrame) -> None:
    """Incidents by borough and category (filtered by both), a borough a row: selecting one
    opens its place page."""
    st.subheader("Boroughs by category")
    if borough_category.empty:
        return
    kept = list_filters(borough_category, key="overview_filters", columns=("borough", "category"))
    if kept.empty:
        st.info("No incident matches the filters.")
        return
    pivot = kept.pivot_table(
        index="borough", columns="category", values="incidents", fill_value=0, aggfunc="sum"
    )
    pivot.columns = [humanise(category) for category in pivot.columns]
    pivot.insert(0, "All categories", pivot.sum(axis=1))
    pivot = pivot.sort_values("All categories", ascending=False)
    codes = by_borough.drop_duplicates("borough").set_index("borough")["borough_code"]
    pivot.insert(0, "borough_code", codes.reindex(pivot.index))
    selectable(pivot, key="boroughs_table", kind="place", id_column="borough_code")


def main() -> None:
    """The graph's counts, the latest report, then its incidents by category, borough and
    month."""
    user = require_page("overview")
    st.title("Overview")
    counts = require_graph()
    run = run_header()
    columns = st.columns(5)
    for column, label in zip(
        columns, ("Person", "Incident", "Location", "Ward", "Borough"), strict=True
    ):
        column.metric(f"{label}s", f"{counts[label]:,}")
    if counts["Incident"] == 0:
        st.info("The graph holds people but no incidents yet: load incidents to see trends.")
        st.stop()
    latest_report(user)
    if run is not None and "incident_months" in run.rows:
        tables = stored_tables(run)
    else:
        tables = counted_tables(run)
    # The map takes the page's width (issue 33: maps as large as the page allows).
    harm_by_borough(tables.by_borough)
    by_category(tables)
    monthly_trend(tables.by_month)
    boroughs_by_category(tables.borough_category, tables.by_borough)


if __name__ == "__main__":
    main()
