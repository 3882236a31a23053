"""Performance: the directorate's targets, whether each is met, on track or missed in every
borough, on a map, and the monthly control charts behind them."""

from datetime import date

import pandas as pd
import pydeck as pdk
import streamlit as st

from graphvc import reference
from graphvc.analysis.targets import STATUSES
from graphvc.app import data
from graphvc.app.access import guarded, require_page
from graphvc.app.maps import (
    fitted_view,
    geography_caption,
    labels_layer,
    legend_html,
    show_map,
    show_picture,
)
from graphvc.app.run_picker import stored_run
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import picture, table
from graphvc.geography import MapGeography
from graphvc.reports.charts import state_map
from graphvc.reports.targets import DISPLAY_COLUMNS, formatted, target_chart
from graphvc.stored_runs import StoredRun
from graphvc.targets import (
    DEFAULT_TARGETS,
    METHODS,
    SHIPPED_TARGETS,
    Targets,
    evaluate_targets,
    load_targets,
    no_data_reason,
    read_sources,
)

__all__ = ["main"]

#: The colour of each state on the map and in its legend (RGB), and of a borough the target
#: does not judge: "not started" (a period still to come) light blue, apart from the grey
#: of "no data" (a figure that cannot be made).
STATE_COLOURS: dict[str, tuple[int, int, int]] = {
    "met": (26, 150, 65),
    "on track": (166, 217, 106),
    "off track": (253, 174, 97),
    "missed": (215, 25, 28),
    "not started": (146, 197, 222),
    "no data": (200, 200, 200),
}
NOT_JUDGED = (245, 245, 245)

Evaluated = tuple[pd.DataFrame, pd.DataFrame, dict[str, pd.Timestamp], dict[str, pd.Timestamp]]


@st.cache_data(ttl=600, show_spinner="Evaluating the targets…")
def evaluated(run_id: str, as_of: pd.Timestamp, path: str, stored: bool) -> Evaluated:
    """The evaluation and charts of the targets file ``path`` on stored run ``run_id``: the
    graph's counts as of the run's date ``as_of``, the MPS counts as of their last year; and
    each source's as-of date and first day of counts. When ``stored``, the run's own
    evaluation of the default targets is read instead of made again."""
    if stored:
        first = data.run_table(run_id, "graph_counts", columns=("start",))["start"].min()
        return (
            data.run_table(run_id, "targets"),
            data.run_table(run_id, "target_charts"),
            {"graph": as_of},
            {"graph": first},
        )
    targets = load_targets(path)
    counted = data.run_table(run_id, "graph_counts") if "graph" in targets.sources else None
    counts, moments, coverage = read_sources(
        targets, counted=counted, home=data.settings().home, graph_as_of=as_of
    )
    evaluation, charts = evaluate_targets(targets, counts, moments, coverage)
    first = {source: frame["start"].min() for source, frame in counts.items()}
    return evaluation, charts, moments, first


def state_discs(states: pd.DataFrame, locations: pd.DataFrame) -> pdk.Deck:
    """Each borough of ``states`` (``borough_code``, ``borough_name``, ``status``) as a disc
    coloured by its state at the centre of its locations: the map when the city has no
    borough outlines (with them, :func:`graphvc.reports.charts.state_map` draws the boroughs)."""
    centres = (
        locations.dropna(subset=["borough_code", "latitude", "longitude"])
        .groupby("borough_code")[["latitude", "longitude"]]
        .mean()
    )
    centres = centres.join(states.set_index("borough_code"), how="inner").reset_index()
    colour_of = {status: [*colour, 200] for status, colour in STATE_COLOURS.items()}
    discs = centres.assign(name=centres["borough_name"], colour=centres["status"].map(colour_of))
    layer = pdk.Layer(
        "ScatterplotLayer",
        data=discs,
        get_position=["longitude", "latitude"],
        get_fill_color="colour",
        get_radius=800,
        radius_min_pixels=12,
        pickable=True,
    )
    view = fitted_view(centres)
    return pdk.Deck(
        layers=[layer, labels_layer(centres, "borough_name", zoom=view.zoom)],
        initial_view_state=view,
        map_style=None,
        map_provider=None,
        tooltip={"text": "{name}: {status}"},
    )


def legend() -> str:
    """The map's colours, each state named (:func:`graphvc.app.maps.legend_html`)."""
    swatches = {**{s: STATE_COLOURS[s] for s in STATUSES}, "not judged": NOT_JUDGED}
    return legend_html("State of the target", swatches)


def chosen_targets() -> tuple[str, Targets]:
    """The targets file picked (those on the MPS counts only with the reference data)."""
    installed = reference.read_status(data.settings().home) is not None
    offered = {str(path): load_targets(str(path)) for path in SHIPPED_TARGETS}
    if not installed:
        offered = {path: t for path, t in offered.items() if "mps" not in t.sources}
    chosen = st.selectbox(
        "Targets", list(offered), format_func=lambda path: offered[path].title, key="targets_file"
    )
    targets = offered[chosen]
    if not installed:
        st.caption(
            "The targets on the published MPS counts need the reference data: "
            "`graphvc data install` adds it."
        )
    if targets.note:
        st.caption(targets.note)
    return chosen, targets


def targets_table(
    targets: Targets, evaluation: pd.DataFrame, first: dict[str, pd.Timestamp]
) -> None:
    """Every target's figures and state, and why a row has no data."""
    st.subheader("Targets")
    shown = formatted(evaluation)[list(DISPLAY_COLUMNS)]
    table(shown.rename(columns=DISPLAY_COLUMNS), empty="No target has a figure yet.")
    sources = {t.id: t.source for t in targets.targets}
    missing = evaluation[evaluation["status"] == "no data"]
    reasons = [
        no_data_reason(row, sources[row["target"]], _day(first.get(sources[row["target"]])))
        for _, row in missing.iterrows()
    ]
    for reason, count in pd.Series(reasons, dtype="string").value_counts(sort=False).items():
        st.caption(f"No data for {count} row(s): {reason}.")


def _day(moment: pd.Timestamp | None) -> date | None:
    return None if moment is None or pd.isna(moment) else pd.Timestamp(moment).date()


def state_map_of(run: StoredRun, states: pd.DataFrame, title: str) -> None:
    """Each borough in the colour of its state, named, its legend beside it: shaded outlines
    when the city's outlines draw every borough judged, discs on a WebGL map if not (the
    caption says which, and why)."""
    city = guarded(data.map_outlines)
    outlines = city.outlines
    uncovered = city.uncovered("borough", states["borough_code"])
    if outlines.get("borough") and not uncovered:
        # Drawn as a picture, not a WebGL map: the page's first paint needs no 3-D engine.
        status_of = dict(zip(states["borough_code"], states["status"], strict=True))
        judged_or_not = {
            str(feature["properties"]["code"]): status_of.get(
                feature["properties"]["code"], "not judged"
            )
            for feature in outlines["borough"]["features"]
        }
        colours = {**STATE_COLOURS, "not judged": NOT_JUDGED}
        show_picture(
            state_map(outlines["borough"], judged_or_not, colours, title=title, named=True),
            legend(),
        )
    else:
        locations = guarded(lambda: data.run_table(run.id, "locations"))
        show_map(state_discs(states, locations), legend())
    geography_caption("borough", uncovered)


def geography_line(city: MapGeography, targets: Targets, evaluation: pd.DataFrame) -> str:
    """Which city and how many boroughs the targets are judged on, read from the graph's
    geography (the MPS counts are London's) and the evaluation, not assumed."""
    judged = evaluation.loc[evaluation["area_level"] == "borough", "area_code"].nunique()
    where = " and ".join(
        city.name if source == "graph" else "London (the published MPS counts)"
        for source in sorted(targets.sources)
    )
    return f"Judged on {where}: {judged:,} borough{'' if judged == 1 else 's'} with counts."


def by_borough(run: StoredRun, targets: Targets, evaluation: pd.DataFrame) -> None:
    """Each borough's state for every target, and one target's on the map."""
    st.subheader("By borough")
    judged_rows = evaluation[evaluation["area_level"] == "borough"]
    if judged_rows.empty:
        st.info("These targets judge no borough on its own.")
        return
    grid = judged_rows.pivot_table(
        index=["area_code", "area_name"], columns="target", values="status", aggfunc="first"
    )
    grid = grid[[t.id for t in targets.targets if t.id in grid.columns]]
    selectable(
        grid.rename_axis(index=["borough", "name"], columns=None).reset_index(),
        key="performance_boroughs",
        kind="place",
        id_column="borough",
    )
    judged = [t for t in targets.targets if t.id in set(judged_rows["target"])]
    on_map = st.selectbox(
        "Target on the map",
        [t.id for t in judged],
        format_func=lambda i: next(t.title for t in judged if t.id == i),
        key="map_target",
    )
    states = judged_rows[judged_rows["target"] == on_map].rename(
        columns={"area_code": "borough_code", "area_name": "borough_name"}
    )[["borough_code", "borough_name", "status"]]
    state_map_of(run, states, f"{on_map} by borough")


def control_charts(evaluation: pd.DataFrame, charts: pd.DataFrame) -> None:
    """One target's monthly control chart in one area, with the months that signal."""
    st.subheader("Monthly control charts")
    if charts.empty:
        st.info(
            "No monthly chart: the MPS counts are annual, and a graph target needs whole months "
            "of its baseline."
        )
        return
    left, right = st.columns(2)
    charted = list(dict.fromkeys(charts["target"]))
    target = left.selectbox("Target", charted, key="chart_target")
    of_target = charts[charts["target"] == target]
    names = dict(zip(evaluation["area_code"], evaluation["area_name"], strict=False))
    area = right.selectbox(
        "Area",
        list(dict.fromkeys(of_target["area_code"])),
        format_func=lambda c: f"{c} {names.get(c, '')}".strip(),
        key="chart_area",
    )
    series = of_target[of_target["area_code"] == area].set_index("month")
    picture(target_chart(series.reset_index(), title=f"{target}, {names.get(area, area)}"))
    flagged = series[series["signal"] != ""]
    st.caption(
        "Centre line and 3-sigma limits from the baseline's whole months ("
        f"{(series['phase'] == 'baseline').sum()} months), carried over the target period. "
        + (
            "Signals: " + "; ".join(f"{m} {s}" for m, s in flagged["signal"].items()) + "."
            if len(flagged)
            else "No month signals a real shift."
        )
    )


def main() -> None:
    """The chosen targets evaluated on the stored run: the table, by borough, the charts."""
    require_page("performance")
    st.title("Performance")
    run = stored_run()
    chosen, targets = chosen_targets()
    # The run keeps the default targets evaluated (runs stored before it did are evaluated here).
    stored = chosen == str(DEFAULT_TARGETS) and "targets" in run.rows
    evaluation, charts, moments, first = guarded(
        lambda: evaluated(run.id, run.as_of, chosen, stored)
    )
    counted = "; ".join(
        f"{'the graph' if s == 'graph' else 'the MPS counts'} as of {moment.date()}"
        for s, moment in moments.items()
    )
    st.caption(geography_line(guarded(data.map_outlines), targets, evaluation))
    st.caption(
        f"Counted on {counted}. Statistics: for a count, the {METHODS['count']}; for a "
        f"rate, the {METHODS['rate']}; each month, a {METHODS['control charts']}."
    )
    targets_table(targets, evaluation, first)
    by_borough(run, targets, evaluation)
    control_charts(evaluation, charts)


if __name__ == "__main__":
    main()
