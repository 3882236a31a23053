"""What pages draw with: tables a page at a time, sliders, a date window, SVG pictures and a
report's headlines (the maps are :mod:`graphvc.app.maps`)."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from graphvc import contract
from graphvc.app.access import audited, guarded
from graphvc.reports import read_manifest

__all__ = [
    "PAGE_ROWS",
    "PICTURE_CLASS",
    "RFG_PARTS",
    "paged",
    "picture",
    "report_headlines",
    "table",
    "top_slider",
    "window",
]

#: The parts of the RFG score (itself a part of the priority).
RFG_PARTS = ("recency_part", "frequency_part", "gravity_part")
#: The offender list's columns a report's headlines show, beside the priority's parts.
HEADLINE_COLUMNS = ("rank", "person_id", "priority", "listed_since", "review_by")
#: The most rows a table shows at once (:func:`paged`).
PAGE_ROWS = 1_000
#: The key figures of a report's headlines: their key in its manifest, and their title.
HEADLINE_FIGURES = {
    "incidents_in_window": "Incidents in the window",
    "people_in_network": "People in the network",
    "communities": "Communities",
    "repeat_victims": "Repeat victims",
    "domestic_repeat_pairs": "Domestic repeat pairs",
    "escalated_to_knife_or_gun": "Escalated to knife or gun",
}
#: The class of the ``div`` around an SVG picture.
PICTURE_CLASS = "graphvc-picture"


def picture(svg: str) -> None:
    """An SVG picture of :mod:`graphvc.reports.charts` on the page, its tooltips live.

    Drawn as Markdown's raw HTML (in a ``div``, so no Markdown touches it): ``st.html``
    sanitises SVG away, and ``st.image`` would draw it without its tooltips. It shrinks to
    fit a narrow column.
    """
    fitted = svg.replace("<svg ", '<svg style="max-width: 100%; height: auto" ', 1)
    st.markdown(f'<div class="{PICTURE_CLASS}">{fitted}</div>', unsafe_allow_html=True)


def table(frame: pd.DataFrame, *, empty: str) -> None:
    """``frame`` as a table (a named index as its first columns), a page at a time
    (:func:`paged`, its page number keyed by ``empty``), or ``empty`` when it has no row."""
    if frame.empty:
        st.info(empty)
    else:
        named = any(name is not None for name in frame.index.names)
        shown = paged(frame.reset_index() if named else frame, key=f"page:{empty}")
        st.dataframe(shown, hide_index=True, width="stretch")


def paged(frame: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """``frame``, or when it has more than :data:`PAGE_ROWS` rows one page of them, chosen
    by a page number (widget ``key``) and said in a caption: a browser given hundreds of
    thousands of rows takes seconds to draw the page."""
    if len(frame) <= PAGE_ROWS:
        return frame
    pages = math.ceil(len(frame) / PAGE_ROWS)
    number = int(st.number_input(f"Page (of {pages:,})", 1, pages, 1, key=key))
    first = (number - 1) * PAGE_ROWS
    shown = frame.iloc[first : first + PAGE_ROWS]
    st.caption(f"Rows {first + 1:,} to {first + len(shown):,} of {len(frame):,}.")
    return shown


def top_slider(label: str, available: int, default: int) -> int:
    """How many of ``available`` rows to show, chosen on a slider (no slider for one row)."""
    if available <= 1:
        return available
    return int(st.slider(label, 1, available, min(default, available)))


def window(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Calendar days picked on a page as ``[start, end)`` moments in the force's local time
    (:data:`graphvc.contract.LOCAL_TIME_ZONE`): ``end`` is included."""
    local = ZoneInfo(contract.LOCAL_TIME_ZONE)
    return (
        datetime.combine(start, time(), local) if start else None,
        datetime.combine(end + timedelta(days=1), time(), local) if end else None,
    )


def report_headlines(report: pd.Series) -> None:
    """A report's key figures and the head of its offender list."""
    manifest = guarded(lambda: read_manifest(Path(report["path"])))
    summary = manifest.get("data", {}).get("analysis", {})
    columns = st.columns(len(HEADLINE_FIGURES))
    for column, (key, title) in zip(columns, HEADLINE_FIGURES.items(), strict=True):
        column.metric(title, f"{summary[key]:,}" if isinstance(summary.get(key), int) else "–")
    offenders = Path(report["path"]) / "offenders.csv"
    if offenders.is_file():
        # The head of the list, not all its forty columns: who, their priority and its parts.
        top = pd.read_csv(
            offenders,
            dtype={"person_id": "string"},
            nrows=5,
            usecols=lambda c: c in HEADLINE_COLUMNS or (c.endswith("_part") and c not in RFG_PARTS),
        )
        audited(
            "report.view",
            person_ids=top["person_id"].dropna(),
            what={"report": str(report["path"]), "file": offenders.name, "rows": len(top)},
        )
        st.dataframe(top, hide_index=True, width="stretch")
