"""Charts of when incidents happen: a network's timeline and the time wheel of the week.

Vega-Lite charts (Altair, which Streamlit ships with), drawn as SVG: every mark is an element
with its own description (its date, category and people), which a screen reader reads and a
browser test finds, and a GPU-less browser draws them as fast as a canvas at these sizes.
The data come from :mod:`graphvc.time_patterns`; the explorer shows both charts, and the
person and place pages show the wheel of their incidents (:func:`time_wheel`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from graphvc.contract import column
from graphvc.styling import Styling, load_styling
from graphvc.time_patterns import WEEKDAYS, hour_weekday_counts, month_only

__all__ = [
    "ROLE_SHAPES",
    "SELECTION",
    "category_colours",
    "time_wheel",
    "time_wheel_chart",
    "timeline_chart",
]

#: The name of the timeline's click selection (``event.selection[SELECTION]`` in Streamlit).
SELECTION = "incident"
#: An incident without a continuum category.
UNCATEGORISED = "uncategorised"
_SVG = {"embedOptions": {"renderer": "svg"}}
#: A mark's shape by the person's role (said under the chart, so its legend does not crowd
#: the categories'); a lane of an incident with no person shown has none.
ROLE_SHAPES = {
    "offender": "circle",
    "suspect": "square",
    "victim": "triangle-up",
    "witness": "diamond",
    "": "cross",
}
_ROLE_SHAPES = alt.Scale(domain=list(ROLE_SHAPES), range=list(ROLE_SHAPES.values()))


def category_colours(styling: Styling, categories: tuple[str, ...]) -> dict[str, str]:
    """The colour ``styling`` gives an incident of each of ``categories`` (the last rule that
    colours it; grey where none does), so the timeline colours categories as the network
    picture does.

    >>> category_colours(load_styling(), ("gun_enabled",))
    {'gun_enabled': '#67000d'}
    """
    colours = dict.fromkeys(categories, "#cccccc")
    for category in categories:
        incident = {"label": "Incident", "category": category}
        for rule in styling.rules:
            if "colour" in rule.style and rule.matches("nodes", incident):
                colours[category] = str(rule.style["colour"])
    return colours


def _category_scale(styling: Styling) -> alt.Scale:
    """The network picture's category colours (``styling``'s), by the categories' names as
    shown."""
    categories = column("incidents", "category").allowed
    colours = category_colours(styling, categories) | {UNCATEGORISED: "#cccccc"}
    return alt.Scale(domain=[c.replace("_", " ") for c in colours], range=list(colours.values()))


def timeline_chart(
    lanes: pd.DataFrame,
    *,
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    span: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    styling: Styling | None = None,
) -> alt.LayerChart:
    """A lane per person and a mark per incident they are part of, coloured by category.

    Parameters
    ----------
    lanes : DataFrame
        :func:`graphvc.time_patterns.incident_lanes` of the network.
    period : (start, end), optional
        The period the network is filtered to: shaded, and the incidents outside it faded.
    span : (start, end), optional
        The time axis (default: the incidents' own span), so that it holds still while the
        period steps through it.
    styling : Styling, optional
        The rules the network picture is drawn with, whose incident colours the marks take
        (default: the shipped rules).

    Hovering a mark shows its incident's date, category, place and people; clicking it
    selects the incident (the selection :data:`SELECTION`, by ``id``).
    """
    data = lanes.assign(
        category=lanes["category"].fillna(UNCATEGORISED).str.replace("_", " "),
        date=lanes["occurred_at"].dt.strftime("%Y-%m-%d %H:%M"),
        shown=True
        if period is None
        else (lanes["occurred_at"] >= period[0]) & (lanes["occurred_at"] < period[1]),
    )
    picked = alt.selection_point(name=SELECTION, fields=["id"], on="click")
    x_scale = alt.Scale(domain=[t.isoformat() for t in span]) if span else alt.Undefined
    marks = (
        alt.Chart(data)
        .mark_point(filled=True, size=140, stroke="#222222", strokeWidth=0.5)
        .encode(
            x=alt.X("occurred_at:T", title=None, scale=x_scale, axis=alt.Axis(format="%b %Y")),
            y=alt.Y(
                "person:N",
                title=None,
                sort=alt.EncodingSortField("occurred_at", op="min"),
            ),
            # The picture's colours for every category, the legend naming those shown.
            color=alt.Color(
                "category:N",
                scale=_category_scale(styling or load_styling()),
                title="Category",
                legend=alt.Legend(values=sorted(set(data["category"]))),
            ),
            shape=alt.Shape("role:N", scale=_ROLE_SHAPES, legend=None),
            opacity=alt.condition("datum.shown", alt.value(1.0), alt.value(0.2)),
            tooltip=[
                alt.Tooltip("id:N", title="Incident"),
                alt.Tooltip("date:N", title="Date (London)"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("place:N", title="Place"),
                alt.Tooltip("people:N", title="People"),
            ],
        )
        .add_params(picked)
    )
    layers: list[alt.Chart] = []
    if period is not None:
        band = pd.DataFrame({"start": [period[0]], "end": [period[1]]})
        layers.append(
            alt.Chart(band).mark_rect(color="#ffbf00", opacity=0.12).encode(x="start:T", x2="end:T")
        )
    # Tall enough for a readable lane per person and for the legend of the categories shown.
    height = max(30 + 26 * lanes["person"].nunique(), 40 + 24 * data["category"].nunique())
    return alt.LayerChart(layer=[*layers, marks], height=height, usermeta=_SVG)


def time_wheel_chart(incidents: pd.DataFrame, *, column: str = "occurred_at") -> alt.Chart:
    """A heat map of the week: the incidents of each hour (London time) of each day, i2's
    time wheel unrolled (:func:`graphvc.time_patterns.hour_weekday_counts`)."""
    counts = hour_weekday_counts(incidents, column=column)
    chart: alt.Chart = (
        alt.Chart(counts)
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            x=alt.X("hour:O", title="Hour of the day (London time)"),
            y=alt.Y("day:O", sort=list(WEEKDAYS), title=None),
            color=alt.Color(
                "incidents:Q",
                scale=alt.Scale(scheme="orangered"),
                title="Incidents",
                legend=alt.Legend(format="d", tickMinStep=1),
            ),
            tooltip=[
                alt.Tooltip("day:N", title="Day"),
                alt.Tooltip("hour:O", title="Hour"),
                alt.Tooltip("incidents:Q", title="Incidents"),
            ],
        )
        .properties(height=220, usermeta=_SVG)
    )
    return chart


def time_wheel(
    incidents: pd.DataFrame,
    *,
    column: str = "occurred_at",
    key: str | None = None,
) -> None:
    """Draw the time wheel of ``incidents`` (one row an incident, its moment in ``column``:
    text with a UTC offset, or London wall-clock datetimes), for a person, a place or a
    network, with a line saying how many it counts. Incidents dated to their month alone
    (police.uk's, at 00:00 on the 1st: :func:`graphvc.time_patterns.month_only`) are left
    out, saying how many, as their hour and day say nothing."""
    moments = incidents[column].dropna() if column in incidents else pd.Series(dtype=object)
    undated = month_only(moments).to_numpy()
    timed = pd.DataFrame({column: moments[~undated]})
    left_out = (
        f" {int(undated.sum()):,} dated to their month alone (00:00 on the 1st, as police.uk "
        "gives them) are left out: their hour and day say nothing."
        if undated.any()
        else ""
    )
    if timed.empty:
        st.caption("No incidents with a time of day to show on the time wheel." + left_out)
        return
    st.altair_chart(time_wheel_chart(timed, column=column), key=key, width="stretch")
    count = len(timed)
    st.caption(
        f"{count:,} incident{'s' * (count != 1)} by day of the week and hour of the day, "
        f"London time.{left_out}"
    )
