"""The explorer's time tools: the period control, the timeline and the time wheel.

The period narrows the network drawn to the incidents of some months
(:func:`graphvc.time_patterns.within_period`) and steps through them a month at a time, so
an analyst watches a group form; the timeline shows every incident of the network on a lane
per person (those outside the period faded), and a click on one re-centres the explorer on
it; the time wheel counts the incidents shown by hour and day of the week.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd
import streamlit as st

from graphvc.app.timeline import SELECTION, time_wheel, timeline_chart
from graphvc.explore import EgoNetwork
from graphvc.styling import Styling
from graphvc.time_patterns import (
    incident_lanes,
    month_span,
    network_incidents,
    period_bounds,
    step_period,
    within_period,
)

__all__ = ["TimeView", "period_control", "period_note", "time_section"]

#: Session keys: the period slider, its "grow" toggle, and the span it was last set for.
PERIOD, GROW, SPAN = "period", "period_grow", "period_span"
TIMELINE = "timeline"


class TimeView(NamedTuple):
    """The months of a network's incidents (``span``, as ``[start, end)`` London times) and
    the period chosen within them (None when it is the whole span: nothing is filtered)."""

    span: tuple[pd.Timestamp, pd.Timestamp] | None
    period: tuple[pd.Timestamp, pd.Timestamp] | None

    def shown(self, network: EgoNetwork) -> EgoNetwork:
        """``network`` within the period."""
        return network if self.period is None else within_period(network, *self.period)


def _month(text: str) -> str:
    return pd.Period(text, "M").strftime("%b %Y")


def _step(months: list[str], steps: int) -> None:
    """Move the period ``steps`` months (a button's callback, run before the page)."""
    span = [pd.Period(m, "M") for m in months]
    start, end = (pd.Period(m, "M") for m in st.session_state[PERIOD])
    moved = step_period((start, end), span, steps, keep_start=st.session_state.get(GROW, False))
    st.session_state[PERIOD] = tuple(str(m) for m in moved)


def period_control(network: EgoNetwork) -> TimeView:
    """The period slider over the months of ``network``'s incidents, with buttons that step
    it a month back or on; the whole span at first, and again whenever the span changes."""
    months = [str(m) for m in month_span(network.nodes["occurred_at"])]
    if not months:
        return TimeView(None, None)
    whole = (months[0], months[-1])
    span = period_bounds(*(pd.Period(m, "M") for m in whole))
    if len(months) < 2:
        return TimeView(span, None)
    if st.session_state.get(SPAN) != whole or PERIOD not in st.session_state:
        st.session_state[SPAN] = whole
        st.session_state[PERIOD] = whole
    chosen = st.select_slider(
        "Incidents from and to (months, London time)",
        months,
        value=whole,
        key=PERIOD,
        format_func=_month,
    )
    back, on, grow = st.columns([1, 1, 4], vertical_alignment="center")
    back.button(
        "Month back",
        on_click=_step,
        args=(months, -1),
        icon=":material/chevron_left:",
        help="Move the period a month earlier",
    )
    on.button(
        "Month on",
        on_click=_step,
        args=(months, 1),
        icon=":material/chevron_right:",
        help="Move the period a month later",
    )
    grow.checkbox("Step the end only: the network grows from the period's first month", key=GROW)
    first, last = (pd.Period(m, "M") for m in chosen)
    if (str(first), str(last)) == whole:
        return TimeView(span, None)
    return TimeView(span, period_bounds(first, last))


def period_note(whole: EgoNetwork, shown: EgoNetwork, view: TimeView) -> str:
    """What the period leaves of the network, for the line under its picture ("" for the whole
    span)."""
    if view.period is None:
        return ""
    start, end = view.period
    last = (end - pd.Timedelta(days=1)).strftime("%b %Y")
    dropped = len(whole.nodes) - len(shown.nodes)
    return (
        f"; {start:%b %Y} to {last}: {len(shown.nodes):,} nodes and {len(shown.edges):,} links "
        f"shown ({dropped:,} hidden: incidents outside the period, and what only they tied in)"
    )


def _picked(on_pick: Callable[[str], None]) -> None:
    """Re-centre on the incident clicked on the timeline (its selection's callback)."""
    points = st.session_state[TIMELINE]["selection"].get(SELECTION) or []
    if points and points[0].get("id"):
        on_pick(str(points[0]["id"]))


def time_section(
    whole: EgoNetwork,
    shown: EgoNetwork,
    view: TimeView,
    on_pick: Callable[[str], None],
    styling: Styling,
) -> None:
    """The timeline of the ``whole`` network (the incidents outside the period faded, coloured
    as ``styling`` colours them in the picture) whose click re-centres the explorer through
    ``on_pick(incident id)``, and the time wheel of the incidents ``shown``."""
    lanes = incident_lanes(whole)
    if lanes.empty:
        return
    st.subheader("Timeline")
    st.altair_chart(
        timeline_chart(lanes, period=view.period, span=view.span, styling=styling),
        key=TIMELINE,
        on_select=lambda: _picked(on_pick),
        selection_mode=SELECTION,
        width="stretch",
    )
    st.caption(
        "A lane per person, a mark per incident they are part of (● offender, ■ suspect, "
        "▲ victim, ◆ witness); hover for its details, click to re-centre the explorer on it."
    )
    st.subheader("Time of day and day of the week")
    time_wheel(network_incidents(shown), key="explorer_wheel")
