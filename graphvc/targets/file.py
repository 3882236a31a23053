"""The targets file: targets declared as data, read and checked.

A targets file (TOML) holds a ``title``, a ``note``, ``[defaults]`` and ``[[targets]]``;
:func:`load_targets` reads and checks it (the founding targets of the Violent Crime
Directorate ship as ``graphvc/data/targets_2006.toml``, the MPS example as
``graphvc/data/targets_mps_2019.toml``), and :func:`resolve_period` turns a period as
written (``"2019"``, ``"2006/07"``, ``"financial year"``, ``"previous"``, ...) into dates.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc import reference
from graphvc.contract import CATEGORIES, SANCTION_DETECTIONS
from graphvc.errors import ConfigError, InputError

__all__ = [
    "DEFAULT_TARGETS",
    "MPS_TARGETS",
    "OFFENCES",
    "RATES",
    "SHIPPED_TARGETS",
    "SOURCES",
    "Target",
    "Targets",
    "load_targets",
    "resolve_period",
]

#: The founding targets, shipped with graphvc.
DEFAULT_TARGETS = resources.files("graphvc") / "data" / "targets_2006.toml"
#: The example on the published MPS counts.
MPS_TARGETS = resources.files("graphvc") / "data" / "targets_mps_2019.toml"
#: Every targets file that ships with graphvc, the default first.
SHIPPED_TARGETS = (DEFAULT_TARGETS, MPS_TARGETS)
#: Where a target's counts come from: the graph's incidents, or the published MPS counts.
SOURCES = ("graph", "mps")
#: What a rate counts over offences. graphvc records no conviction, so offences brought to
#: justice are counted as their sanction detections (charge, caution, community resolution).
RATES: dict[str, tuple[str, ...]] = {
    "sanction_detections": SANCTION_DETECTIONS,
    "brought_to_justice": SANCTION_DETECTIONS,
}
#: All offences, whatever their category.
OFFENCES = "offences"


@dataclass(frozen=True)
class Target:
    """One target of a targets file (see docs/guide/targets-and-tasking.md)."""

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


#: The keys a target may have.
_TARGET_KEYS = {
    "id",
    "title",
    "count",
    "rate",
    "of",
    "change",
    "level",
    "scope",
    "boroughs",
    "top",
    "period",
    "baseline",
    "source",
    "note",
}


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
    known = reference.MPS_FAMILIES if source == "mps" else (*CATEGORIES, OFFENCES)
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
