"""Filters on every list page: borough, ward, category, a date range and role, drawn for the
columns a list has. The page then shows, summarises and downloads the filtered list, so the
table, its proportionality panel and its downloads agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st

from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.display import heading

__all__ = ["FILTERS", "days", "filter_columns", "list_filters", "within"]

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


def days(values: pd.Series) -> pd.Series:
    """``values`` (datetimes with or without offsets, neo4j dates, ISO text) as London
    calendar days (naive midnights); NaT where there is no date.

    >>> days(pd.Series(["2024-09-01T23:30:00+00:00", "2024-01-05T22:10:00", None])).tolist()
    [Timestamp('2024-09-02 00:00:00'), Timestamp('2024-01-05 00:00:00'), NaT]
    """
    native = values.map(lambda v: v.to_native() if hasattr(v, "to_native") else v)
    # One offset per value (GMT and BST in one column): read as UTC, then as London's days.
    stamps = pd.to_datetime(native, errors="coerce", format="mixed", utc=True)
    naive = [
        not _has_offset(v) if isinstance(v, str) else getattr(v, "tzinfo", None) is None
        for v in native
    ]
    local = stamps.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
    wall = stamps.dt.tz_localize(None)  # a value without an offset is London's wall clock
    return local.where(~pd.Series(naive, index=values.index), wall).dt.normalize()


def _has_offset(text: str) -> bool:
    """Whether an ISO 8601 text ends with a UTC offset."""
    return text.endswith("Z") or bool(re.search(r"[+-][0-9]{2}:?[0-9]{2}$", text.strip()))


def within(values: pd.Series, start: date, end: date) -> pd.Series:
    """Which ``values`` (dates, datetimes or ISO text) fall on a London day from ``start`` to
    ``end``, both included; a missing date is outside any range.

    >>> within(pd.Series(["2024-01-01", "2024-01-31 23:59", None]),
    ...        date(2024, 1, 1), date(2024, 1, 31)).tolist()
    [True, True, False]
    """
    found = days(values)
    return (found >= pd.Timestamp(start)) & (found <= pd.Timestamp(end))


def _date_range(frame: pd.DataFrame, column: str, key: str) -> pd.Series | None:
    """A date range picked over ``column``'s span; the rows in it, or None for all."""
    found = days(frame[column])
    dated = found.dropna()
    if dated.empty:
        return None
    first, last = dated.min().date(), dated.max().date()
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
    return (found >= pd.Timestamp(picked[0])) & (found <= pd.Timestamp(picked[1]))


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
