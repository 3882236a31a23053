"""What pages draw with: tables a page at a time, sliders, a date window, SVG pictures and a
report's headlines (the maps are :mod:`graphvc.app.maps`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from graphvc import contract
from graphvc.app.access import audited, audited_export, guarded
from graphvc.app.ways_in import plain_config, selectable
from graphvc.display import plain_table
from graphvc.files import csv_text
from graphvc.reports import read_manifest

__all__ = [
    "PAGE_ROWS",
    "PICTURE_CLASS",
    "RFG_PARTS",
    "download",
    "paged",
    "picture",
    "plain",
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


def plain(
    frame: pd.DataFrame,
    *,
    table: str | None = None,
    key: str | None = None,
    helps: Mapping[str, str] | None = None,
) -> None:
    """``frame`` as a plain-language table (:func:`graphvc.display.plain_table`: labels with
    units, formatted values, a named index as its first columns), each heading with its help
    (``helps`` adds texts by column name)."""
    shown = plain_table(frame, table=table)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=plain_config(shown, frame, table=table, helps=helps),
        key=key,
    )


def table(
    frame: pd.DataFrame,
    *,
    empty: str,
    kind: str | None = None,
    id_column: str = "person_id",
    key: str | None = None,
) -> None:
    """``frame`` as a plain-language table, a page at a time (:func:`paged`, its page number
    keyed by ``empty``), or ``empty`` when it has no row. With a ``kind``, selecting a row
    opens its view (:func:`graphvc.app.ways_in.selectable`) for the id in ``id_column``."""
    if frame.empty:
        st.info(empty)
        return
    named = any(name is not None for name in frame.index.names)
    shown = paged(frame.reset_index() if named else frame, key=f"page:{empty}")
    if kind is None:
        plain(shown, key=key)
    else:
        selectable(shown, key=key or f"table:{empty}", kind=kind, id_column=id_column)


def download(
    frame: pd.DataFrame,
    *,
    name: str,
    what: Mapping[str, Any],
    person_columns: Sequence[str] = ("person_id",),
    label: str = "Download (CSV)",
) -> None:
    """A CSV download of exactly the rows of ``frame`` (a filtered list: the rows the page
    shows), audited as an export of the people its ``person_columns`` name when clicked.

    The file keeps the columns' machine names and full precision, as the reports' CSV files
    do: a download is read back by spreadsheets and scripts, which want the same header in
    every file and the numbers unrounded; the page shows the plain labels."""
    named = any(n is not None for n in frame.index.names)
    flat = frame.reset_index() if named else frame

    def people() -> list[str]:  # read when clicked: a list may hold half a million rows
        return sorted(
            {str(p) for c in person_columns if c in flat for p in flat[c].dropna().astype(str)}
        )

    st.download_button(
        label,
        audited_export(
            lambda: csv_text(flat, index=False),
            person_ids=people,
            what={**what, "file": name, "rows": len(flat)},
        ),
        name,
        "text/csv",
        key=f"download:{name}",
        on_click="ignore",
        help=f"The {len(flat):,} rows listed, with the columns' machine names and full "
        "precision (as the reports' CSV files).",
    )


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
        pseudonymised = report.get("pseudonymised")
        if pd.notna(pseudonymised) and bool(pseudonymised):  # pseudonyms open no profile
            plain(top)
        else:
            selectable(top, key="headlines", kind="person", id_column="person_id")
