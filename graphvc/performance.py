"""Performance against targets: the targets file, what each target counts, and the verdict.

A targets file (TOML) declares targets as data; :func:`load_targets` reads and checks it
(the founding targets of the Violent Crime Directorate ship as
``graphvc/data/targets_2006.toml``, the MPS example as ``graphvc/data/targets_mps_2019.toml``).
Counts come from one of two sources, each a :func:`count table <graph_counts>`:

``graph``
    the incidents in the graph (loaded tables, the synthetic demo, police.uk months), by day,
    continuum category and borough, with their sanction detections;
``mps``
    the Metropolitan Police's published annual counts per LSOA (violence, robbery, weapons;
    2011–2021) of the installed reference data, summed per borough. Their 2020 column is
    double-counted in the installed copy, so 2020 is unusable: a target that needs it is
    refused.

:func:`evaluate` gives, for each target and area (the force or a set of boroughs, and each
borough), the baseline, the current figure, the change with its confidence interval
(:mod:`graphvc.analysis.targets`), the target and its state; :func:`monthly_charts` the
monthly series with control limits set on the baseline.

A period in progress is compared like for like: the days of it so far against the same
days of the baseline.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc.analysis import targets as stats
from graphvc.analysis.events import incident_harm
from graphvc.contract import CATEGORIES, SANCTION_DETECTIONS
from graphvc.errors import ConfigError, InputError

__all__ = [
    "COUNT_COLUMNS",
    "DEFAULT_TARGETS",
    "DISPLAY_COLUMNS",
    "FORCE",
    "METHODS",
    "MPS_END",
    "MPS_TARGETS",
    "RATES",
    "SHIPPED_TARGETS",
    "SOURCES",
    "UNUSABLE_MPS_YEARS",
    "Target",
    "evaluate",
    "format_change",
    "format_figure",
    "format_table",
    "formatted",
    "graph_counts",
    "graph_performance",
    "load_targets",
    "monthly_charts",
    "mps_counts",
    "performance",
    "placed_incidents",
    "read_sources",
    "resolve_period",
    "signals_summary",
    "state_counts",
    "target_chart",
    "with_signals",
]

#: The founding targets, shipped with graphvc.
DEFAULT_TARGETS = resources.files("graphvc") / "data" / "targets_2006.toml"
#: The example on the published MPS counts.
MPS_TARGETS = resources.files("graphvc") / "data" / "targets_mps_2019.toml"
#: Every targets file that ships with graphvc, the default first.
SHIPPED_TARGETS = (DEFAULT_TARGETS, MPS_TARGETS)
SOURCES = ("graph", "mps")
#: What a rate counts over offences. graphvc records no conviction, so offences brought to
#: justice are counted as their sanction detections (charge, caution, community resolution).
RATES: dict[str, tuple[str, ...]] = {
    "sanction_detections": SANCTION_DETECTIONS,
    "brought_to_justice": SANCTION_DETECTIONS,
}
#: All offences, whatever their category.
OFFENCES = "offences"
#: The code of the whole force's row.
FORCE = "force"
#: Years of the installed MPS counts that must not be used: 2020 is double-counted.
UNUSABLE_MPS_YEARS = (2020,)
#: The day after the last year of the MPS counts: their as-of date.
MPS_END = pd.Timestamp("2022-01-01")
MPS_FAMILIES = ("violence", "robbery", "weapons")
#: Columns of a count table: counts in ``[start, end)`` per category and borough.
COUNT_COLUMNS = [
    "category",
    "borough_code",
    "borough_name",
    "start",
    "end",
    "offences",
    "detected",
]
_PERIOD_WORDS = ("financial year", "calendar year")


@dataclass(frozen=True)
class Target:
    """One target of a targets file (see the README's *Targets* section)."""

    id: str
    title: str
    of: str
    period: Any
    baseline: Any
    rate: str | None = None
    change: float | None = None
    level: float | None = None
    scope: str = "force"
    boroughs: tuple[str, ...] = ()
    top: int | None = None
    source: str = "graph"
    note: str = ""

    @property
    def measure(self) -> str:
        return "rate" if self.rate else "count"

    @property
    def lower_is_better(self) -> bool:
        """Counts of crime should fall, detection rates rise (unless the target says otherwise)."""
        if self.change is not None:
            return self.change < 0
        return False

    def describe(self) -> str:
        """The target in words, e.g. ``-5% count of personal_robbery``."""
        what = f"{self.rate} rate of {self.of}" if self.rate else f"count of {self.of}"
        if self.level is not None:
            return f"{what} at least {self.level:.0%}"
        assert self.change is not None
        unit = " points" if self.rate else ""
        return f"{what} {self.change:+.1%}{unit}"


@dataclass(frozen=True)
class Targets:
    """A targets file: its title, its note and its targets in file order."""

    title: str
    targets: tuple[Target, ...]
    note: str = ""
    path: str = ""
    sources: frozenset[str] = field(default_factory=frozenset)


_TARGET_KEYS = {
    "id", "title", "count", "rate", "of", "change", "level", "scope", "boroughs", "top",
    "period", "baseline", "source", "note",
}  # fmt: skip


def _period_spec(value: Any, where: str) -> Any:
    """A period as written: ``"2019"``, ``"2006/07"``, a word of :data:`_PERIOD_WORDS`,
    ``"previous"``, or a table ``{start = 2024-04-01, end = 2025-04-01}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and set(value) == {"start", "end"}:
        start, end = (pd.Timestamp(value[k]) for k in ("start", "end"))
        if not start < end:
            raise ConfigError(
                f"{where}: start {value['start']} must come before end {value['end']}"
            )
        return {"start": start, "end": end}
    raise ConfigError(
        f'{where}: {value!r} is not a period (a year such as "2019", a financial year such as '
        f'"2006/07", "financial year", "calendar year", or {{start = ..., end = ...}})'
    )


def _target(raw: Mapping[str, Any], defaults: Mapping[str, Any], where: str) -> Target:
    unknown = sorted(set(raw) - _TARGET_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    merged = {**defaults, **raw}
    name = merged.get("id")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{where}: every target needs an id")
    where = f"{where} ({name})"
    source = merged.get("source", "graph")
    if source not in SOURCES:
        raise ConfigError(f"{where}: source {source!r} is not one of {', '.join(SOURCES)}")
    if ("count" in merged) == ("rate" in merged):
        raise ConfigError(f"{where}: give exactly one of count = CATEGORY and rate = KIND")
    rate = merged.get("rate")
    of = merged["count"] if "count" in merged else merged.get("of", OFFENCES)
    known = MPS_FAMILIES if source == "mps" else (*CATEGORIES, OFFENCES)
    if of not in known:
        raise ConfigError(f"{where}: {of!r} is not one of {', '.join(known)} (source {source})")
    if rate is not None:
        if rate not in RATES:
            raise ConfigError(f"{where}: rate {rate!r} is not one of {', '.join(RATES)}")
        if source == "mps":
            raise ConfigError(f"{where}: the MPS counts have no outcomes, so no {rate} rate")
    change, level = merged.get("change"), merged.get("level")
    if rate is None and (change is None or level is not None):
        raise ConfigError(f"{where}: a count target needs change = (e.g. -0.05) and no level")
    if rate is not None and (change is None) == (level is None):
        raise ConfigError(f"{where}: a rate target needs exactly one of level = and change =")
    for key, value, low, high in (("change", change, -1.0, 10.0), ("level", level, 0.0, 1.0)):
        if value is not None and not (
            isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
        ):
            raise ConfigError(
                f"{where}: {key} = {value!r} must be a number from {low:g} to {high:g}"
            )
    scope = merged.get("scope", "force")
    boroughs, top = tuple(merged.get("boroughs", ())), merged.get("top")
    if scope not in ("force", "boroughs", "set"):
        raise ConfigError(f"{where}: scope {scope!r} is not one of force, boroughs, set")
    if scope == "set" and (bool(boroughs) == (top is not None)):
        raise ConfigError(
            f"{where}: a set of boroughs needs exactly one of boroughs = [...] and top = N"
        )
    if scope != "set" and (boroughs or top is not None):
        raise ConfigError(f'{where}: boroughs = and top = go with scope = "set"')
    if top is not None and not (isinstance(top, int) and top >= 1):
        raise ConfigError(f"{where}: top = {top!r} must be a whole number, at least 1")
    for period in ("period", "baseline"):
        if period not in merged:
            raise ConfigError(f"{where}: {period} is missing")
    return Target(
        id=name,
        title=str(merged.get("title", name)),
        of=of,
        rate=rate,
        change=None if change is None else float(change),
        level=None if level is None else float(level),
        scope=scope,
        boroughs=tuple(map(str, boroughs)),
        top=top,
        period=_period_spec(merged["period"], where),
        baseline=_period_spec(merged["baseline"], where),
        source=source,
        note=str(merged.get("note", "")),
    )


def load_targets(path: str | Path | None = None) -> Targets:
    """Read and check a targets file (default: the founding targets, :data:`DEFAULT_TARGETS`).

    Raises :class:`InputError` when the file cannot be read or is not TOML, and
    :class:`ConfigError` naming the target and key when a target is not valid.

    Examples
    --------
    >>> founding = load_targets()
    >>> [t.id for t in founding.targets]
    ['gun_crime', 'personal_robbery', 'brought_to_justice', 'domestic_abuse_detections', 'rape_detections', 'all_crime']
    >>> founding.targets[0].describe(), founding.targets[0].top
    ('count of gun_enabled -5.0%', 11)
    """
    source = Path(str(path)) if path is not None else Path(str(DEFAULT_TARGETS))
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"targets file {source} cannot be read: {e.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"targets file {source} is not valid TOML: {e}") from None
    defaults = raw.get("defaults", {})
    listed = raw.get("targets")
    if not isinstance(listed, list) or not listed:
        raise ConfigError(f"targets file {source}: no [[targets]] in it")
    found = tuple(_target(t, defaults, f"{source} target {i + 1}") for i, t in enumerate(listed))
    ids = [t.id for t in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ConfigError(f"targets file {source}: id(s) {', '.join(repeated)} used twice")
    return Targets(
        title=str(raw.get("title", source.stem)),
        note=str(raw.get("note", "")),
        targets=found,
        path=str(source),
        sources=frozenset(t.source for t in found),
    )


def resolve_period(
    spec: Any, as_of: pd.Timestamp, *, of: tuple[pd.Timestamp, pd.Timestamp] | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The half-open ``[start, end)`` of a period as written in a targets file.

    ``"financial year"`` and ``"calendar year"`` are those that hold the day before
    ``as_of``; ``"previous"`` (a baseline) is the period ``of`` a year earlier.

    Examples
    --------
    >>> as_of = pd.Timestamp("2025-06-01")
    >>> [str(d.date()) for d in resolve_period("2006/07", as_of)]
    ['2006-04-01', '2007-04-01']
    >>> [str(d.date()) for d in resolve_period("financial year", as_of)]
    ['2025-04-01', '2026-04-01']
    >>> period = resolve_period("2019", as_of)
    >>> [str(d.date()) for d in resolve_period("previous", as_of, of=period)]
    ['2018-01-01', '2019-01-01']
    """
    if isinstance(spec, Mapping):
        return spec["start"], spec["end"]
    day = as_of - pd.Timedelta(days=1)
    if spec == "previous":
        if of is None:
            raise ConfigError('"previous" is a baseline: the period before the target\'s own')
        return of[0] - pd.DateOffset(years=1), of[1] - pd.DateOffset(years=1)
    text = str(spec)
    if spec == "calendar year":
        text = str(day.year)
    elif spec == "financial year":
        opening = day.year if day.month >= 4 else day.year - 1
        text = f"{opening}/{(opening + 1) % 100:02d}"
    if text.isdigit() and len(text) == 4:
        year = int(text)
        return pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1)
    first, slash, second = text.partition("/")
    if slash and first.isdigit() and len(first) == 4 and second == f"{(int(first) + 1) % 100:02d}":
        year = int(first)
        return pd.Timestamp(year, 4, 1), pd.Timestamp(year + 1, 4, 1)
    raise ConfigError(
        f'period {spec!r} is not a year ("2019"), a financial year ("2006/07"), '
        '"financial year", "calendar year" or "previous"'
    )


# --- Counts -----------------------------------------------------------------------------------


def placed_incidents(incidents: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """The incidents with harm filled (:func:`graphvc.analysis.events.incident_harm`) and
    each one's ``borough_code`` and ``borough_name`` from its location (missing where it has
    none, or its location no borough)."""
    table = incident_harm(incidents)
    if "location_id" not in table:
        table["location_id"] = pd.NA
    places = locations.set_index("location_id")
    # Each incident's location looked up once for both columns (-1: none, or unknown).
    at = places.index.get_indexer(pd.Index(table["location_id"]))
    for column in ("borough_code", "borough_name"):
        names = places[column] if column in places else pd.Series(pd.NA, index=places.index)
        table[column] = names.astype("string").array.take(at, allow_fill=True)
    return table


def graph_counts(incidents: pd.DataFrame, locations: pd.DataFrame) -> pd.DataFrame:
    """The incidents of the graph as a count table: offences and sanction detections per day,
    continuum category and borough (incidents without a borough under a missing code).

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05T10:00", "2024-01-05T22:00", "2024-02-01"],
    ...     "offence": ["personal_robbery"] * 3, "outcome": ["charged", "no_suspect", None],
    ...     "location_id": ["L1", "L1", None]})
    >>> locations = pd.DataFrame({"location_id": ["L1"], "borough_code": ["B1"],
    ...                           "borough_name": ["Camden"]})
    >>> graph_counts(incidents, locations)[["borough_code", "start", "offences", "detected"]].to_numpy().tolist()
    [['B1', Timestamp('2024-01-05 00:00:00'), 2, 1], [<NA>, Timestamp('2024-02-01 00:00:00'), 1, 0]]
    """
    table = placed_incidents(incidents, locations)
    if "outcome" not in table:
        table["outcome"] = pd.NA
    table["start"] = table["occurred_at"].dt.normalize()
    table["detected"] = table["outcome"].isin(SANCTION_DETECTIONS).astype("int64")
    counted = (
        table.groupby(
            ["category", "borough_code", "borough_name", "start"], dropna=False, sort=False
        )
        .agg(offences=("incident_id", "size"), detected=("detected", "sum"))
        .reset_index()
    )
    counted["end"] = counted["start"] + pd.Timedelta(days=1)
    counted["category"] = counted["category"].astype("string")
    counted = counted.sort_values(["start", "category", "borough_code"], kind="stable")
    return counted[COUNT_COLUMNS].reset_index(drop=True).astype({"detected": "Int64"})


def mps_counts(home: Path) -> pd.DataFrame:
    """The installed MPS counts (:func:`graphvc.reference.mps_counts_path`) as a count table: one
    row per family (``violence``, ``robbery``, ``weapons``), borough and calendar year, with
    no sanction detections. The years of :data:`UNUSABLE_MPS_YEARS` are left out."""
    from graphvc import reference

    frames = []
    for family in MPS_FAMILIES:
        table = reference.read_reference_table(home, f"mps_{family}")
        years = [c for c in table.columns if str(c).isdigit()]
        usable = [y for y in years if int(y) not in UNUSABLE_MPS_YEARS]
        summed = table.groupby(["LAD11CD", "LAD11NM"])[usable].sum().reset_index()
        long = summed.melt(["LAD11CD", "LAD11NM"], var_name="year", value_name="offences")
        long["category"] = family
        frames.append(long)
    table = pd.concat(frames, ignore_index=True)
    year = table["year"].astype(int)
    return (
        pd.DataFrame(
            {
                "category": table["category"].astype("string"),
                "borough_code": table["LAD11CD"].astype("string"),
                "borough_name": table["LAD11NM"].astype("string"),
                "start": pd.to_datetime(year.astype(str) + "-01-01"),
                "end": pd.to_datetime((year + 1).astype(str) + "-01-01"),
                "offences": table["offences"].round().astype("int64"),
                "detected": pd.Series(pd.NA, index=table.index, dtype="Int64"),
            }
        )
        .sort_values(["start", "category", "borough_code"], kind="stable")
        .reset_index(drop=True)
    )


# --- Evaluation -------------------------------------------------------------------------------


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
            label = f"the {target.top} boroughs with most {target.of} in the baseline"
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
        Source name -> count table (:func:`graph_counts`, :func:`mps_counts`).
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
    columns = ["target", "area_code", "month", "phase", "offences", "detected", "value",
               "centre", "lower", "upper", "signal"]  # fmt: skip
    if not frames:
        return pd.DataFrame(columns=columns)
    # Text like the other text columns (as a stored run reads it back).
    return pd.concat(frames, ignore_index=True)[columns].astype({"signal": "str"})


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


def read_sources(
    targets: Targets,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
    counted: pd.DataFrame | None = None,
    home: Path | None = None,
    as_of: pd.Timestamp | None = None,
    graph_as_of: pd.Timestamp | None = None,
) -> tuple[
    dict[str, pd.DataFrame], dict[str, pd.Timestamp], dict[str, tuple[pd.Timestamp, pd.Timestamp]]
]:
    """The count tables, as-of dates and coverage of the sources ``targets`` use.

    ``tables`` are the graph's contract tables (needed when a target counts the graph, unless
    ``counted`` is their count table already made, :func:`graph_counts`) and
    ``home`` the graphvc home of the installed reference data (when one counts the MPS
    figures). ``as_of`` applies to every source; without it the graph is read as of
    ``graph_as_of`` (the day after its latest incident) and the MPS counts as of
    :data:`MPS_END`.
    """
    counts: dict[str, pd.DataFrame] = {}
    moments: dict[str, pd.Timestamp] = {}
    coverage: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
    if "graph" in targets.sources:
        if (tables is None and counted is None) or (graph_as_of is None and as_of is None):
            raise ConfigError("targets on the graph need the graph's tables and an as-of date")
        counts["graph"] = (
            counted if counted is not None
            else graph_counts(tables["incidents"], tables["locations"])  # type: ignore[index]
        )  # fmt: skip
        moments["graph"] = as_of if as_of is not None else graph_as_of  # type: ignore[assignment]
    if "mps" in targets.sources:
        if home is None:
            raise ConfigError("targets on the MPS counts need the installed reference data")
        counts["mps"] = mps_counts(home)
        moments["mps"] = as_of if as_of is not None else MPS_END
        coverage["mps"] = (counts["mps"]["start"].min(), min(moments["mps"], MPS_END))
    return counts, moments, coverage


def performance(
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


def graph_performance(
    counted: pd.DataFrame, as_of: pd.Timestamp, path: str | Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The evaluation and monthly charts of the targets file ``path`` (default: the shipped
    :data:`DEFAULT_TARGETS`), counted on the graph alone, from its count table ``counted``
    (:func:`graph_counts`) as of ``as_of``: what the Performance page shows first, which
    each stored run keeps (:func:`graphvc.runs.pages.page_tables`).

    Raises :class:`ConfigError` when a target of the file counts anything but the graph.
    """
    targets = load_targets(path)
    if targets.sources != {"graph"}:
        raise ConfigError(
            f"{path}: graph_performance counts the graph alone, not {targets.sources}"
        )
    counts, moments, coverage = read_sources(targets, counted=counted, graph_as_of=as_of)
    return performance(targets, counts, moments, coverage)


def format_figure(value: float, rate: bool) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    return f"{value:.1%}" if rate else f"{value:,.0f}"


def format_change(row: Mapping[str, Any] | pd.Series, rate: bool) -> tuple[str, str]:
    """A change and its interval as text: ``+5.3%`` and ``+2.3 to +8.5`` (points for rates)."""
    if math.isnan(row["change"]):
        return "-", "-"
    unit = " pts" if rate else ""
    scale = 100
    point = f"{row['change'] * scale:+.1f}{'' if rate else '%'}{unit}"
    high = row["change_high"]
    bound = "inf" if math.isinf(high) else f"{high * scale:+.1f}"
    return point, f"{row['change_low'] * scale:+.1f} to {bound}"


#: The columns of an evaluation a reader is shown (after :func:`formatted`), with their titles.
DISPLAY_COLUMNS = {
    "title": "target",
    "area_name": "area",
    "baseline": "baseline",
    "current": "current",
    "change": "change",
    "interval": "95% interval",
    "p_value": "p",
    "distinguishable": "beyond chance",
    "status": "status",
    "signals": "control-chart signals",
}


def formatted(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (from :func:`evaluate`) with its figures as text for a reader: ``baseline``
    and ``current`` (counts, or rates as percentages), ``change`` and its ``interval``
    (relative for counts, in proportion points for rates)."""
    rates = table["measure"].str.contains(" rate of ")
    changes = [
        format_change(row, rate) for (_, row), rate in zip(table.iterrows(), rates, strict=True)
    ]
    return table.assign(
        baseline=[format_figure(v, r) for v, r in zip(table["baseline"], rates, strict=True)],
        current=[format_figure(v, r) for v, r in zip(table["current"], rates, strict=True)],
        change=[c[0] for c in changes],
        interval=[c[1] for c in changes],
    )


def _span(row: Mapping[str, Any] | pd.Series, which: str) -> str:
    """A window's first and last day (its end is excluded)."""
    last = pd.Timestamp(row[f"{which}_end"]) - pd.Timedelta(days=1)
    return f"{row[f'{which}_start']} to {last.date()}"


def format_table(targets: Targets, table: pd.DataFrame, as_of: Mapping[str, pd.Timestamp]) -> str:
    """The evaluation as text, one block per target, then the methods."""
    dates = ", ".join(f"{source} as of {moment.date()}" for source, moment in as_of.items())
    lines = [f"{targets.title} ({dates})"]
    for target in targets.targets:
        rows = table[table["target"] == target.id]
        if rows.empty:
            continue
        first = rows.iloc[0]
        to_date = "" if first["complete"] else " (to date, like for like)"
        lines += [
            "",
            f"{target.id}: {target.title}",
            f"  {target.describe()}; {_span(first, 'current')} against "
            f"{_span(first, 'baseline')}{to_date}",
        ]
        rate = target.rate is not None
        shown = pd.DataFrame(
            {
                "area": [
                    f"{c} {n}"[:34]
                    for c, n in zip(rows["area_code"], rows["area_name"], strict=True)
                ],
                "baseline": [format_figure(v, rate) for v in rows["baseline"]],
                "current": [format_figure(v, rate) for v in rows["current"]],
                "change": [format_change(r, rate)[0] for _, r in rows.iterrows()],
                "95% CI": [format_change(r, rate)[1] for _, r in rows.iterrows()],
                "p": [f"{p:.3g}" if not math.isnan(p) else "-" for p in rows["p_value"]],
                "real?": ["yes" if d else "no" for d in rows["distinguishable"]],
                "status": rows["status"],
                "signals": rows["signals"],
            }
        )
        lines += ["  " + line for line in shown.to_string(index=False).splitlines()]
    lines += ["", "real? = the 95% interval of the change excludes no change."]
    if "mps" in targets.sources:
        lines.append("MPS counts: the installed copy double-counts 2020, so 2020 is never used.")
    lines += [f"{kind}: {text}" for kind, text in METHODS.items() if kind != "confidence"]
    return "\n".join(lines)


def target_chart(rows: pd.DataFrame, *, title: str) -> str:
    """One target's monthly control chart in one area (rows of :func:`performance`'s charts,
    month by month), as an SVG picture: the centre line and limits of the baseline, the
    signalling months in orange."""
    from graphvc.reports import charts  # graphvc.reports itself imports this module

    return charts.control_chart(
        [str(month) for month in rows["month"]],
        rows["value"].astype(float).tolist(),
        centre=rows["centre"].astype(float).tolist(),
        lower=rows["lower"].astype(float).tolist(),
        upper=rows["upper"].astype(float).tolist(),
        flagged=(rows["signal"] != "").tolist(),
        split=int((rows["phase"] == "baseline").sum()),
        title=title,
    )
