"""Filters on every list page: borough, ward, category, a date range and role, drawn for the
columns a list has. The page then shows, summarises and downloads the filtered list, so the
table, its proportionality panel and its downloads agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from graphvc.display import heading

__all__ = ["FILTERS", "filter_columns", "list_filters", "within"]

#: Each filter, and the columns it reads in the order it looks for them (the first a list
#: has is used): names before codes, so a multiselect offers what a person reads.
FILTERS: dict[str, tuple[str, ...]] = {
    "borough": ("borough_name", "borough"),
    "ward": ("ward_name", "ward"),
    "category": ("category",),
    "date": (
        "occurred_at",
        "last_offence_at",
        "last_at",
        "assessed_at",
        "last_offending",
        "month",
        "as_of",
        "date",
    ),
    "role": ("role",),
}


def filter_columns(frame: pd.DataFrame, columns: Sequence[str] = tuple(FILTERS)) -> dict[str, str]:
    """Filter name -> the column of ``frame`` it reads, for the ``columns`` (filter names)
    ``frame`` has a column for.

    >>> filter_columns(pd.DataFrame(columns=["borough_name", "category", "last_at", "x"]))
    {'borough': 'borough_name', 'category': 'category', 'date': 'last_at'}
    """
    found = {}
    for name in columns:
        present = [c for c in FILTERS[name] if c in frame.columns]
        if present:
            found[name] = present[0]
    return found


def within(values: pd.Series, start: date, end: date) -> pd.Series:
    """Which ``values`` (dates, datetimes or ISO text) fall on a day from ``start`` to ``end``,
    both included; a missing date is outside any range.

    >>> within(pd.Series(["2024-01-01", "2024-01-31 23:59", None]),
    ...        date(2024, 1, 1), date(2024, 1, 31)).tolist()
    [True, True, False]
    """
    days = pd.to_datetime(values, errors="coerce", utc=False, format="mixed")
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_localize(None)
    days = days.dt.normalize()
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))


def _date_range(frame: pd.DataFrame, column: str, key: str) -> pd.Series | None:
    """A date range picked over ``column``'s span; the rows in it, or None for all."""
    days = pd.to_datetime(frame[column], errors="coerce", format="mixed").dropna()
    if days.empty:
        return None
    if getattr(days.dt, "tz", None) is not None:
        days = days.dt.tz_localize(None)
    first, last = days.min().date(), days.max().date()
    picked = st.date_input(
        heading(column),
        value=(first, last),
        min_value=first,
        max_value=last,
        key=f"{key}:date",
        help="From the first day to the last, both included.",
    )
    if not isinstance(picked, tuple) or len(picked) != 2:  # a range half picked: all rows
        return None
    if picked == (first, last):
        return None
    return within(frame[column], picked[0], picked[1])


def list_filters(
    frame: pd.DataFrame,
    *,
    key: str,
    columns: Sequence[str] = ("borough", "ward", "category", "date", "role"),
) -> pd.DataFrame:
    """The rows of ``frame`` the user keeps with the filters drawn for its columns: a
    multiselect for borough, ward, category and role (nothing chosen: every row), a date
    range. Widget keys start with ``key``; a caption says how many rows are kept.

    ``columns`` names the filters to offer (of :data:`FILTERS`); only those whose column
    ``frame`` has are drawn (a named index counts as a column).
    """
    flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    found = filter_columns(flat, columns)
    if not found:
        return frame
    keep = pd.Series(True, index=flat.index)
    widgets = st.columns(len(found))
    for widget, (name, column) in zip(widgets, found.items(), strict=True):
        with widget:
            if name == "date":
                rows = _date_range(flat, column, key)
                if rows is not None:
                    keep &= rows.fillna(False).to_numpy(dtype=bool)
                continue
            options = sorted(flat[column].dropna().astype(str).unique())
            chosen = st.multiselect(
                heading(column), options, key=f"{key}:{name}", placeholder="All"
            )
            if chosen:
                keep &= flat[column].astype("string").isin(chosen).fillna(False).to_numpy(bool)
    kept = frame[keep.to_numpy(dtype=bool)]
    if len(kept) < len(frame):
        st.caption(f"Filtered: {len(kept):,} of {len(frame):,} rows.")
    return kept
