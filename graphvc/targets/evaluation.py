"""Performance against targets: each target's verdict, and its monthly control charts.

:func:`evaluate` gives, for each target and area (the force or a set of boroughs, and each
borough), the baseline, the current figure, the change with its confidence interval
(:mod:`graphvc.analysis.targets`), the target and its state; :func:`monthly_charts` the
monthly series with control limits set on the baseline; :func:`evaluate_targets` both, for
a targets file.

A period in progress is compared like for like: the days of it so far against the same
days of the baseline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc.analysis import targets as stats
from graphvc.errors import ConfigError
from graphvc.targets.counts import UNUSABLE_MPS_YEARS, read_sources
from graphvc.targets.file import OFFENCES, Target, Targets, load_targets, resolve_period

__all__ = [
    "FORCE",
    "METHODS",
    "evaluate",
    "evaluate_graph_targets",
    "evaluate_targets",
    "monthly_charts",
    "signals_summary",
    "state_counts",
    "with_signals",
]

#: The code of the whole force's row.
FORCE = "force"
#: How each kind of target is tested, stated with every output.
METHODS = {
    "count": stats.COUNT_METHOD,
    "rate": stats.RATE_METHOD,
    "control charts": (
        f"c-chart (counts) or p-chart (rates) per month, centre and {stats.SIGMAS:g}-sigma "
        f"limits from the baseline's whole months; a signal is a month beyond a limit or "
        f"the {stats.RUN_LENGTH}th in a row on one side of the centre (where at least "
        f"{stats.MIN_EXPECTED:g} events a month are expected) (Benneyan, Lloyd & Plsek 2003, "
        "doi:10.1136/qhc.12.6.458)"
    ),
    "confidence": f"{stats.CONFIDENCE:.0%}",
}
#: The columns of :func:`monthly_charts`, in order.
_CHART_COLUMNS = [
    "target",
    "area_code",
    "month",
    "phase",
    "offences",
    "detected",
    "value",
    "centre",
    "lower",
    "upper",
    "signal",
]


@dataclass(frozen=True)
class _Windows:
    baseline: tuple[pd.Timestamp, pd.Timestamp]
    current: tuple[pd.Timestamp, pd.Timestamp]
    period: tuple[pd.Timestamp, pd.Timestamp]
    full_baseline: tuple[pd.Timestamp, pd.Timestamp]
    complete: bool
    started: bool


def _windows(target: Target, as_of: pd.Timestamp) -> _Windows:
    period = resolve_period(target.period, as_of)
    baseline = resolve_period(target.baseline, as_of, of=period)
    complete, started = as_of >= period[1], as_of > period[0]
    if complete or not started:
        return _Windows(baseline, period, period, baseline, complete, started)
    elapsed = as_of - period[0]
    return _Windows(
        (baseline[0], baseline[0] + elapsed), (period[0], as_of), period, baseline, False, True
    )


def _in_window(
    counts: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp], target: Target
) -> pd.DataFrame:
    """The rows of ``counts`` inside ``window``; refuses a window that cuts a row's span."""
    start, end = window
    inside = (counts["start"] >= start) & (counts["end"] <= end)
    overlapping = (counts["start"] < end) & (counts["end"] > start) & ~inside
    if overlapping.any():
        row = counts[overlapping].iloc[0]
        raise ConfigError(
            f"target {target.id}: the {target.source} counts run from {row['start'].date()} to "
            f"{row['end'].date()} in one piece, and {start.date()} to {end.date()} cuts them: "
            "use whole periods of the data (whole calendar years for the MPS counts)"
        )
    return counts[inside]


def _check_usable(target: Target, windows: _Windows) -> None:
    if target.source != "mps":
        return
    if not windows.complete and windows.started:
        raise ConfigError(
            f"target {target.id}: the MPS counts are annual, so a period in progress cannot be "
            "compared like for like: give an --as-of after the period's end"
        )
    for start, end in (windows.baseline, windows.current):
        for year in UNUSABLE_MPS_YEARS:
            if start < pd.Timestamp(year + 1, 1, 1) and end > pd.Timestamp(year, 1, 1):
                raise ConfigError(
                    f"target {target.id}: the installed MPS counts double-count {year}, which is "
                    f"unusable; compare years up to {year - 1}, or {year + 1}"
                )


def _measure_rows(counts: pd.DataFrame, target: Target) -> pd.DataFrame:
    return counts if target.of == OFFENCES else counts[counts["category"] == target.of]


def _borough_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Offences and detections per borough (index borough_code; column borough_name)."""
    named = rows.dropna(subset=["borough_code"])
    return named.groupby("borough_code").agg(
        borough_name=("borough_name", "first"),
        offences=("offences", "sum"),
        detected=("detected", lambda s: s.sum(min_count=1)),
    )


def _areas(
    target: Target, counts: pd.DataFrame, windows: _Windows
) -> list[tuple[str, str, str, list[str] | None]]:
    """(level, code, name, boroughs or None for every row) of each area the target reports."""
    named = counts.dropna(subset=["borough_code"]).drop_duplicates("borough_code")
    names = dict(zip(named["borough_code"], named["borough_name"], strict=True))
    everyone = sorted(names)
    if target.scope == "set":
        if target.top is not None:
            base = _borough_totals(
                _in_window(_measure_rows(counts, target), windows.full_baseline, target)
            )
            base = base.reset_index().sort_values(
                ["offences", "borough_code"], ascending=[False, True]
            )
            members = base["borough_code"].head(target.top).tolist()
            of = target.of.replace("_", " ")
            if members:
                boroughs = "borough" if len(members) == 1 else f"{len(members)} boroughs"
                label = f"the {boroughs} with most {of} in the baseline"
            else:
                label = f"the boroughs with most {of} in the baseline: none had any"
            if len(members) < target.top:
                # The file's title names the force it was written for: say what these data hold.
                label += f" (the target names {target.top}; the data have {len(names)} boroughs)"
        else:
            unknown = [b for b in target.boroughs if b not in names]
            if unknown:
                raise ConfigError(
                    f"target {target.id}: borough(s) {', '.join(unknown)} not in the data"
                )
            members, label = list(target.boroughs), "the named boroughs"
        areas: list[tuple[str, str, str, list[str] | None]] = [("set", "set", label, members)]
    elif target.scope == "force":
        members, areas = everyone, [("force", FORCE, "the whole force", None)]
    else:
        members, areas = everyone, []
    return areas + [("borough", code, str(names[code]), [code]) for code in sorted(members)]


def _totals(rows: pd.DataFrame, members: list[str] | None) -> tuple[int, int | None]:
    chosen = rows if members is None else rows[rows["borough_code"].isin(members)]
    detected = chosen["detected"].sum(min_count=1)
    return int(chosen["offences"].sum()), None if pd.isna(detected) else int(detected)


def evaluate(
    targets: Sequence[Target],
    counts: Mapping[str, pd.DataFrame],
    as_of: Mapping[str, pd.Timestamp],
    *,
    coverage: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]] | None = None,
) -> pd.DataFrame:
    """Every target against the count tables of its source, as of that source's date.

    Parameters
    ----------
    targets : sequence of Target
    counts : mapping
        Source name -> count table (:func:`~graphvc.targets.counts.incident_counts`,
        :func:`~graphvc.targets.counts.mps_incident_counts`).
    as_of : mapping
        Source name -> the as-of date (excluded) of its counts.
    coverage : mapping, optional
        Source name -> the span its counts cover (default: from the first day of the month
        of their first row to the as-of date); a window reaching outside it has no data.

    Returns
    -------
    pandas.DataFrame
        One row per target and area (its force or set first, then each borough):
        ``target``, ``title``, ``area_level``, ``area_code``, ``area_name``, ``measure``,
        the windows (``baseline_start``, ``baseline_end``, ``current_start``,
        ``current_end``), ``complete``, ``baseline_offences``, ``current_offences``,
        ``baseline_detected``, ``current_detected``, ``baseline`` and ``current`` (the count
        or the rate), ``change`` with ``change_low`` and ``change_high`` (95 %), ``p_value``,
        ``distinguishable``, ``target_change``, ``target_level``, ``status`` and ``method``.
    """
    rows = []
    for target in targets:
        if target.source not in counts:
            raise ConfigError(f"target {target.id}: no {target.source} counts were read")
        table, moment = counts[target.source], as_of[target.source]
        windows = _windows(target, moment)
        _check_usable(target, windows)
        span = (coverage or {}).get(target.source) or (
            (table["start"].min().to_period("M").start_time, moment)
            if len(table)
            else (moment, moment)
        )
        measured = _measure_rows(table, target)
        baseline_rows = _in_window(measured, windows.baseline, target)
        current_rows = _in_window(measured, windows.current, target)
        has_data = (
            windows.started
            and span[0] <= windows.baseline[0]
            and span[1] >= windows.current[1]
            and span[0] < span[1]
        )
        for level, code, name, members in _areas(target, table, windows):
            base_n, base_x = _totals(baseline_rows, members)
            now_n, now_x = _totals(current_rows, members)
            row: dict[str, Any] = {
                "target": target.id,
                "title": target.title,
                "area_level": level,
                "area_code": code,
                "area_name": name,
                "measure": target.describe(),
                "baseline_start": windows.baseline[0].date(),
                "baseline_end": windows.baseline[1].date(),
                "current_start": windows.current[0].date(),
                "current_end": windows.current[1].date(),
                "complete": windows.complete,
                "baseline_offences": base_n,
                "current_offences": now_n,
                "baseline_detected": base_x if target.rate else None,
                "current_detected": now_x if target.rate else None,
            }
            if target.rate:
                change = stats.rate_change((now_x or 0, now_n), (base_x or 0, base_n))
                row["baseline"] = (base_x or 0) / base_n if base_n else math.nan
                row["current"] = (now_x or 0) / now_n if now_n else math.nan
                achieved = row["current"] if target.level is not None else change.change
            else:
                change = stats.count_change(now_n, base_n)
                row["baseline"], row["current"] = float(base_n), float(now_n)
                achieved = change.change
            goal = target.level if target.level is not None else target.change
            assert goal is not None
            row |= {
                "change": change.change,
                "change_low": change.low,
                "change_high": change.high,
                "p_value": change.p_value,
                "distinguishable": change.distinguishable if has_data else False,
                "target_change": target.change,
                "target_level": target.level,
                "status": stats.target_status(
                    achieved if has_data else math.nan,
                    goal,
                    complete=windows.complete,
                    started=windows.started,
                    lower_is_better=target.lower_is_better,
                ),
                "method": change.method,
            }
            rows.append(row)
    return pd.DataFrame(rows)


def monthly_charts(
    targets: Sequence[Target],
    counts: Mapping[str, pd.DataFrame],
    as_of: Mapping[str, pd.Timestamp],
    *,
    areas: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The monthly series of each target and area with control limits.

    The centre line and limits come from the whole months of the baseline period (a c-chart
    for counts, a p-chart for rates, :mod:`graphvc.analysis.targets`) and are carried over the
    whole months of the target period up to the as-of date. Annual sources (the MPS counts)
    have no monthly series and are left out.

    ``areas`` keeps only these area codes (``force``, ``set`` or borough codes).

    Returns
    -------
    pandas.DataFrame
        ``target``, ``area_code``, ``month`` (``YYYY-MM``), ``phase`` (``baseline`` or
        ``current``), ``offences``, ``detected``, ``value``, ``centre``, ``lower``,
        ``upper`` and ``signal``.
    """
    frames = []
    for target in targets:
        table = counts.get(target.source)
        if (
            table is None
            or table.empty
            or (table["end"] - table["start"]).max() > pd.Timedelta(days=31)
        ):
            continue
        windows = _windows(target, as_of[target.source])
        if not windows.started:
            continue
        measured = _measure_rows(table, target).assign(month=lambda f: f["start"].dt.to_period("M"))
        phases = {
            "baseline": windows.full_baseline,
            "current": (windows.period[0], min(windows.period[1], as_of[target.source])),
        }
        months = []
        for phase, (start, end) in phases.items():
            for month in pd.period_range(start, end - pd.Timedelta(days=1), freq="M"):
                if month.start_time >= start and month.end_time < end:
                    months.append((phase, month))
        if not months:
            continue
        for _level, code, _, members in _areas(target, table, windows):
            if areas is not None and code not in areas:
                continue
            chosen = (
                measured if members is None else measured[measured["borough_code"].isin(members)]
            )
            by_month = chosen.groupby("month").agg(
                offences=("offences", "sum"), detected=("detected", "sum")
            )
            index = [m for _, m in months]
            found = by_month.reindex(index, fill_value=0)
            in_baseline = [phase == "baseline" for phase, _ in months]
            if target.rate:
                chart = stats.p_chart(
                    found["detected"].astype(float), found["offences"].astype(float), in_baseline
                )
            else:
                chart = stats.c_chart(found["offences"].astype(float), in_baseline)
            chart.insert(0, "detected", found["detected"].to_numpy(dtype="int64"))
            chart.insert(0, "offences", found["offences"].to_numpy(dtype="int64"))
            chart.insert(0, "phase", [phase for phase, _ in months])
            chart.insert(0, "month", [str(m) for m in index])
            chart.insert(0, "area_code", code)
            chart.insert(0, "target", target.id)
            frames.append(chart)
    if not frames:
        return pd.DataFrame(columns=_CHART_COLUMNS)
    # Text like the other text columns (as a stored run reads it back).
    return pd.concat(frames, ignore_index=True)[_CHART_COLUMNS].astype({"signal": "str"})


def signals_summary(charts: pd.DataFrame) -> pd.DataFrame:
    """The signals of the current months per target and area, as one line each
    (``2025-03 below lower limit; ...``), for the evaluation table's ``signals`` column."""
    current = charts[(charts["phase"] == "current") & (charts["signal"] != "")]
    if current.empty:
        return pd.DataFrame(columns=["target", "area_code", "signals"])
    text = current.assign(text=current["month"] + " " + current["signal"])
    return (
        text.groupby(["target", "area_code"], sort=False)["text"]
        .agg("; ".join)
        .rename("signals")
        .reset_index()
    )


def with_signals(table: pd.DataFrame, charts: pd.DataFrame) -> pd.DataFrame:
    """``table`` (from :func:`evaluate`) with a ``signals`` column from ``charts``."""
    merged = table.merge(signals_summary(charts), on=["target", "area_code"], how="left")
    merged["signals"] = merged["signals"].fillna("")
    return merged


def state_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many target rows are in each state, in the order of :data:`STATUSES`."""
    counted = table["status"].value_counts()
    return {s: int(counted.get(s, 0)) for s in stats.STATUSES if counted.get(s, 0)}


def evaluate_targets(
    targets: Targets,
    counts: Mapping[str, pd.DataFrame],
    as_of: Mapping[str, pd.Timestamp],
    coverage: Mapping[str, tuple[pd.Timestamp, pd.Timestamp]],
    *,
    areas: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The evaluation table (with ``signals``) and the monthly charts of ``targets``, kept to
    ``areas`` (area codes; the force and set rows are always kept) when given."""
    table = evaluate(targets.targets, counts, as_of, coverage=coverage)
    if areas is not None:
        table = table[(table["area_level"] != "borough") | table["area_code"].isin(areas)]
        areas = [FORCE, "set", *areas]
    charts = monthly_charts(targets.targets, counts, as_of, areas=areas)
    return with_signals(table.reset_index(drop=True), charts), charts


def evaluate_graph_targets(
    counted: pd.DataFrame, as_of: pd.Timestamp, path: str | Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The evaluation and monthly charts of the targets file ``path`` (default: the shipped
    :data:`~graphvc.targets.file.DEFAULT_TARGETS`), counted on the graph alone, from its
    count table ``counted`` (:func:`~graphvc.targets.counts.incident_counts`) as of
    ``as_of``: what the Performance page shows first, which each stored run keeps
    (:func:`graphvc.stored_runs.run_tables`).

    Raises :class:`ConfigError` when a target of the file counts anything but the graph.
    """
    targets = load_targets(path)
    if targets.sources != {"graph"}:
        raise ConfigError(
            f"{path}: evaluate_graph_targets counts the graph alone, not {targets.sources}"
        )
    counts, moments, coverage = read_sources(targets, counted=counted, graph_as_of=as_of)
    return evaluate_targets(targets, counts, moments, coverage)
