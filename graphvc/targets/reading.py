"""A target's figures read in plain words: what its interval says, and why a row has no data.

:func:`graphvc.targets.evaluate` gives each change a 95 % interval; an interval like
``-89.6 to +11699.4`` is exact and useless to a reader: it says that there were too few
events to judge. :func:`interval_reading` says that (or whether the change is beyond chance,
and which way), and :func:`no_data_reason` why a row has no figure at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

__all__ = [
    "TOO_FEW",
    "WIDE_COUNT_INTERVAL",
    "WIDE_RATE_INTERVAL",
    "interval_reading",
    "no_data_reason",
    "reading_of",
]

#: The reading of an interval too wide to say anything.
TOO_FEW = "too few events to judge"
#: An interval of a count's relative change wider than this (100 percentage points: from a
#: fall of a half to a rise of a half, say) that includes no change says nothing a reader can
#: use: the counts are too small.
WIDE_COUNT_INTERVAL = 1.0
#: The same for the change of a rate, in proportion points (20 points).
WIDE_RATE_INTERVAL = 0.2


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def interval_reading(change: float, low: float, high: float, *, rate: bool = False) -> str:
    """What a change and its 95 % interval (``low`` to ``high``; relative for a count,
    proportion points for a rate) say, in words.

    Examples
    --------
    >>> interval_reading(0.2, -0.896, 116.994)
    'too few events to judge'
    >>> interval_reading(-0.136, -0.247, -0.009)
    'a real fall (beyond chance)'
    >>> interval_reading(0.006, -0.07, 0.09)
    'no clear change (within chance)'
    >>> interval_reading(0.05, 0.01, 0.09, rate=True)
    'a real rise (beyond chance)'
    >>> interval_reading(float("nan"), 0.5, float("nan"))
    'no change to read: the baseline is zero'
    """
    if _missing(change) and _missing(low):
        return "no figure"
    if _missing(change) or _missing(high):
        return "no change to read: the baseline is zero"
    if low > 0:
        return "a real rise (beyond chance)"
    if high < 0:
        return "a real fall (beyond chance)"
    wide = WIDE_RATE_INTERVAL if rate else WIDE_COUNT_INTERVAL
    if math.isinf(high) or high - low > wide:
        return TOO_FEW
    return "no clear change (within chance)"


def reading_of(row: Mapping[str, Any] | pd.Series) -> str:
    """:func:`interval_reading` of a row of :func:`graphvc.targets.evaluate` (its
    ``change``, ``change_low``, ``change_high`` and ``measure``); a row whose state is
    ``no data`` or ``not started`` reads as that."""
    if row.get("status") in ("no data", "not started"):
        return str(row["status"])
    rate = " rate of " in str(row.get("measure", ""))
    return interval_reading(row["change"], row["change_low"], row["change_high"], rate=rate)


def no_data_reason(
    row: Mapping[str, Any] | pd.Series, source: str, counts_start: date | None
) -> str:
    """Why a row of :func:`graphvc.targets.evaluate` in state ``no data`` has no figure:
    ``source``'s counts (first day ``counts_start``, None when empty) start after its
    baseline, its baseline is zero, or its current period has no offence to make a rate of.

    Examples
    --------
    >>> row = {"baseline_start": date(2024, 4, 1), "baseline_end": date(2025, 4, 1),
    ...        "current_end": date(2026, 1, 1), "baseline_offences": 0,
    ...        "current_offences": 3, "measure": "-5% count of gun_enabled"}
    >>> no_data_reason(row, "graph", date(2023, 1, 1))
    'the baseline (2024-04-01 to 2025-03-31) is zero: no gun_enabled, and a change from zero has no percentage'
    >>> no_data_reason(row, "graph", date(2024, 6, 1))
    'the graph counts start on 2024-06-01, after the start of the baseline (2024-04-01)'
    """
    start = pd.Timestamp(row["baseline_start"]).date()
    if counts_start is None:
        return f"the {source} counts are empty"
    if counts_start > start:
        return f"the {source} counts start on {counts_start}, after the start of the baseline ({start})"
    measure = str(row.get("measure", ""))
    named = re.search(r" of (\S+)", measure)
    what = named.group(1) if named else "events"
    last = (pd.Timestamp(row["baseline_end"]) - pd.Timedelta(days=1)).date()
    rate = " rate of " in measure
    if int(row.get("baseline_offences") or 0) == 0 and not (rate and _has_level(row)):
        return (
            f"the baseline ({start} to {last}) is zero: no {what}, and a change from zero "
            "has no percentage"
        )
    if rate and int(row.get("current_offences") or 0) == 0:
        return f"no {what} in the current period yet, so there is no rate to judge"
    return f"the {source} counts do not reach the end of the period ({row['current_end']})"


def _has_level(row: Mapping[str, Any] | pd.Series) -> bool:
    return not _missing(row.get("target_level"))
