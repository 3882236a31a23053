"""Row-level validation of the input tables with pandera, quarantining bad rows.

Each table has a pandera schema (types, required fields, allowed values, dates, UK
coordinates, duplicate ids, references to ids that exist neither in the folder nor in the
graph). Validation is lazy: every failing cell is reported as a reject with the file, row,
field, value and reason; a row with any failure is left out, and every other row goes on, typed
and ready to write.

Each check judges a cell on its own, so no bad cell can switch off a check of its neighbours:
numbers are parsed cell by cell (a word is "not a number", ``inf`` and ``1e400`` are not
finite), date-times too (offsets may differ from row to row, as they do across British summer
time). Every cell is at most :data:`graphvc.contract.MAX_TEXT_LENGTH` characters without control
characters (Neo4j cannot index a longer value, and a NUL byte breaks every export), and no date
lies after tomorrow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from graphvc.contract import (
    AGE_BANDS,
    ASSOCIATION_TYPES,
    CATEGORIES,
    ETHNICITY_CODES,
    LOCAL_TIME_ZONE,
    MAX_TEXT_LENGTH,
    OUTCOMES,
    RISK_LEVELS,
    ROLES,
    SEXES,
    TABLES,
)
from graphvc.harm_index import HarmTable
from loaders.tables import REJECT_COLUMNS, ROW

__all__ = [
    "REJECT_COLUMNS",
    "UK_BOUNDS",
    "Validated",
    "parse_moments",
    "validate_table",
]

#: (min latitude, max latitude, min longitude, max longitude) of the United Kingdom, WGS84.
UK_BOUNDS = (49.8, 60.9, -8.7, 1.8)

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


@dataclass
class Validated:
    """The outcome of validating one table: typed valid rows and the rejects."""

    rows: pd.DataFrame
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))


def _one_of(values: tuple[str, ...], what: str) -> pa.Check:
    allowed = set(values)
    return pa.Check(
        lambda s: s.isin(allowed), error=f"not a valid {what} (allowed: {', '.join(values)})"
    )


def _number(
    low: float | None = None, high: float | None = None, *, above: float | None = None
) -> list[pa.Check]:
    def parsed(s: pd.Series) -> pd.Series:
        # float64, not a nullable dtype: a word is NaN, which fails no comparison below,
        # where a nullable <NA> would make the whole comparison unknown.
        return pd.to_numeric(s.astype(object), errors="coerce").astype("float64")

    checks = [
        pa.Check(lambda s: parsed(s).notna(), error="not a number"),
        pa.Check(lambda s: ~np.isinf(parsed(s)), error="not a finite number"),
    ]
    if above is not None:
        checks.append(
            pa.Check(lambda s: ~(parsed(s) <= above), error=f"must be greater than {above:g}")
        )
    if low is not None and high is not None:
        checks.append(
            pa.Check(
                lambda s: ~((parsed(s) < low) | (parsed(s) > high)),
                error=f"outside the UK range {low:g}..{high:g}",
            )
        )
    elif low is not None:
        checks.append(pa.Check(lambda s: ~(parsed(s) < low), error=f"must be at least {low:g}"))
    return checks


def _first_occurrence(what: str) -> pa.Check:
    return pa.Check(
        lambda s: ~s.duplicated(keep="first"), error=f"duplicate {what}: an earlier row has it"
    )


def _known(ids: set[str], what: str) -> pa.Check:
    return pa.Check(
        lambda s: s.isin(ids), error=f"unknown {what}: not in this folder nor in the graph"
    )


_BOOLEAN = pa.Check(
    lambda s: s.str.lower().isin(_TRUE | _FALSE), error="not a boolean (true/false)"
)
#: A UTC offset (or Z) after the time of an ISO 8601 date-time.
_OFFSET = r"[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"


def parse_moments(text: pd.Series) -> pd.Series:
    """ISO 8601 date-times as moments in London time; NaT where a cell is not one.

    Each cell keeps its own offset, so a file may mix them (``+00:00`` in winter, ``+01:00``
    in summer, ``Z``); a time without one is London's (the earlier of a repeated hour, the
    hour after a skipped one).

    >>> moments = parse_moments(pd.Series(["2024-01-10T10:00:00Z", "2024-06-10T10:00:00+01:00",
    ...                                    "2024-06-10T10:00:00", "noon"]))
    >>> [str(m) for m in moments]
    ['2024-01-10 10:00:00+00:00', '2024-06-10 10:00:00+01:00', '2024-06-10 10:00:00+01:00', 'NaT']
    """
    text = text.astype("string")
    has_offset = text.str.contains(_OFFSET, regex=True).fillna(False).astype(bool)
    # utc=True parses each cell on its own; a cell without an offset comes back as its wall
    # clock, which is then read as London's.
    instants = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    wall_clock = instants.where(~has_offset).dt.tz_localize(None)
    local = wall_clock.dt.tz_localize(LOCAL_TIME_ZONE, ambiguous=False, nonexistent="shift_forward")
    return instants.dt.tz_convert(LOCAL_TIME_ZONE).where(has_offset, local)


def _latest_allowed() -> pd.Timestamp:
    """The first moment after tomorrow (London): later dates are typing mistakes."""
    return pd.Timestamp.now(tz=LOCAL_TIME_ZONE).normalize() + pd.Timedelta(days=2)


_DATETIME = pa.Check(
    lambda s: parse_moments(s).notna(),
    error="not an ISO 8601 date-time such as 2024-03-01T22:15:00",
)
_NOT_FUTURE = pa.Check(
    lambda s: ~(parse_moments(s) >= _latest_allowed()), error="in the future (after tomorrow)"
)
_PLAIN_TEXT = [
    pa.Check(
        lambda s: s.str.len().fillna(0) <= MAX_TEXT_LENGTH,
        error=f"longer than {MAX_TEXT_LENGTH:,} characters",
    ),
    pa.Check(
        lambda s: ~s.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", regex=True).fillna(False),
        error="holds a control character (such as a NUL byte)",
    ),
]


#: Row-level checks (over several fields): their message -> the fields a reject names.
_ROW_CHECK_FIELDS: dict[str, list[str]] = {}


def _row_check(fields: list[str], test, error: str) -> pa.Check:
    _ROW_CHECK_FIELDS[error] = fields
    return pa.Check(test, error=error)


def _table_schema(name: str, harm: HarmTable, known: Mapping[str, set[str]]) -> pa.DataFrameSchema:
    if name == "persons":
        columns = {
            "person_id": pa.Column(checks=[_first_occurrence("person_id")], nullable=False),
            "name": pa.Column(nullable=True),
            "age_band": pa.Column(checks=[_one_of(AGE_BANDS, "age band")], nullable=True),
            "sex": pa.Column(checks=[_one_of(SEXES, "sex")], nullable=True),
            "ethnicity": pa.Column(
                checks=[_one_of(ETHNICITY_CODES, "ethnicity code")], nullable=True
            ),
        }
        return pa.DataFrameSchema(columns)
    if name == "locations":
        low_lat, high_lat, low_lon, high_lon = UK_BOUNDS
        columns = {
            "location_id": pa.Column(checks=[_first_occurrence("location_id")], nullable=False),
            "latitude": pa.Column(checks=_number(low_lat, high_lat), nullable=True),
            "longitude": pa.Column(checks=_number(low_lon, high_lon), nullable=True),
        }
        both = _row_check(
            ["latitude", "longitude"],
            lambda d: d["latitude"].isna() == d["longitude"].isna(),
            "latitude and longitude must both be given or both be empty",
        )
        return pa.DataFrameSchema(columns, checks=[both])
    if name == "incidents":
        columns = {
            "incident_id": pa.Column(checks=[_first_occurrence("incident_id")], nullable=False),
            "occurred_at": pa.Column(checks=[_DATETIME, _NOT_FUTURE], nullable=False),
            "offence": pa.Column(checks=[_one_of(harm.offences, "offence code")], nullable=False),
            "category": pa.Column(checks=[_one_of(CATEGORIES, "category")], nullable=True),
            **{
                flag: pa.Column(checks=[_BOOLEAN], nullable=True)
                for flag in ("weapon", "alcohol", "domestic", "hate")
            },
            "harm": pa.Column(checks=_number(0.0), nullable=True),
            "outcome": pa.Column(checks=[_one_of(OUTCOMES, "outcome")], nullable=True),
            "location_id": pa.Column(
                checks=[_known(known["locations"], "location_id")], nullable=True
            ),
        }
        return pa.DataFrameSchema(columns)
    if name == "involvements":
        columns = {
            "person_id": pa.Column(checks=[_known(known["persons"], "person_id")], nullable=False),
            "incident_id": pa.Column(
                checks=[_known(known["incidents"], "incident_id")], nullable=False
            ),
            "role": pa.Column(checks=[_one_of(ROLES, "role")], nullable=False),
        }
        repeated = _row_check(
            ["person_id", "incident_id", "role"],
            lambda d: ~d.duplicated(["person_id", "incident_id", "role"], keep="first"),
            "duplicate involvement: an earlier row has the same person, incident and role",
        )
        return pa.DataFrameSchema(columns, checks=[repeated])
    if name == "risk_assessments":
        columns = {
            "person_id": pa.Column(checks=[_known(known["persons"], "person_id")], nullable=False),
            "incident_id": pa.Column(
                checks=[_known(known["incidents"], "incident_id")], nullable=False
            ),
            "assessed_at": pa.Column(checks=[_DATETIME, _NOT_FUTURE], nullable=False),
            "tool": pa.Column(nullable=False),
            "level": pa.Column(checks=[_one_of(RISK_LEVELS, "risk level")], nullable=False),
        }
        repeated = _row_check(
            ["person_id", "incident_id", "assessed_at", "tool"],
            lambda d: ~d.duplicated(["person_id", "incident_id", "assessed_at", "tool"]),
            "duplicate risk assessment: an earlier row has the same person, incident, time and tool",
        )
        return pa.DataFrameSchema(columns, checks=[repeated])
    if name == "associations":
        columns = {
            "person_a": pa.Column(nullable=False),
            "person_b": pa.Column(nullable=False),
            "type": pa.Column(
                checks=[_one_of(ASSOCIATION_TYPES, "association type")], nullable=True
            ),
            "weight": pa.Column(checks=_number(above=0.0), nullable=True),
        }
        distinct = _row_check(
            ["person_a", "person_b"],
            lambda d: (d["person_a"] != d["person_b"]).fillna(True),
            "person_a and person_b are the same person",
        )
        return pa.DataFrameSchema(columns, checks=[distinct])
    raise ValueError(f"no schema for table {name!r}")


def _schema(name: str, harm: HarmTable, known: Mapping[str, set[str]]) -> pa.DataFrameSchema:
    """The table's schema, with the plain-text checks on every column of the contract."""
    schema = _table_schema(name, harm, known)
    columns = {
        column: pa.Column(
            checks=[*_PLAIN_TEXT, *schema.columns[column].checks],
            nullable=schema.columns[column].nullable,
        )
        if column in schema.columns
        else pa.Column(checks=_PLAIN_TEXT, nullable=True)
        for column in TABLES[name].columns
    }
    return pa.DataFrameSchema(columns, checks=schema.checks)


def _rejects_from(errors: SchemaErrors, frame: pd.DataFrame, file: str) -> pd.DataFrame:
    cases = errors.failure_cases
    cases = cases[cases["index"].notna()]
    rows = []
    for case in cases.itertuples(index=False):
        index, reason = case.index, str(case.check)
        fields = _ROW_CHECK_FIELDS.get(reason) or [str(case.column)]
        cells = [frame.at[index, f] for f in fields]
        values = ["" if cell is None or cell is pd.NA else str(cell) for cell in cells]
        if reason == "not_nullable":
            reason = "required value is missing"
        rows.append(
            {
                "file": file,
                "row": int(str(frame.at[index, ROW])),
                "field": "+".join(fields),
                "value": "|".join(values),
                "reason": reason,
            }
        )
    rejects = pd.DataFrame(rows, columns=REJECT_COLUMNS)
    return (
        rejects.drop_duplicates()
        .sort_values(["row", "field"], kind="stable")
        .reset_index(drop=True)
    )


def _as_bool(s: pd.Series) -> pd.Series:
    return s.fillna("false").str.lower().isin(_TRUE)


def _typed(name: str, rows: pd.DataFrame, harm: HarmTable) -> pd.DataFrame:
    rows = rows.copy()
    if name == "locations":
        for column in ("latitude", "longitude"):
            rows[column] = pd.to_numeric(rows[column]).astype("float64")
    elif name == "incidents":
        rows["occurred_at"] = _iso_with_offset(parse_moments(rows["occurred_at"]))
        defaults = harm.defaults_for(rows["offence"])
        rows["category"] = rows["category"].fillna(defaults["category"])
        rows["harm"] = pd.to_numeric(rows["harm"]).astype("float64").fillna(defaults["harm_days"])
        rows["outcome"] = rows["outcome"].fillna("unknown")
        for flag in ("weapon", "alcohol", "domestic", "hate"):
            rows[flag] = _as_bool(rows[flag])
    elif name == "persons":
        rows["age_band"] = rows["age_band"].fillna("unknown")
        rows["sex"] = rows["sex"].fillna("unknown")
        rows["ethnicity"] = rows["ethnicity"].fillna("NS")
    elif name == "risk_assessments":
        rows["assessed_at"] = _iso_with_offset(parse_moments(rows["assessed_at"]))
    elif name == "associations":
        rows["type"] = rows["type"].fillna("associate")
        rows["weight"] = pd.to_numeric(rows["weight"]).astype("float64").fillna(1.0)
        swap = rows["person_a"] > rows["person_b"]
        rows.loc[swap, ["person_a", "person_b"]] = rows.loc[
            swap, ["person_b", "person_a"]
        ].to_numpy()
        rows = rows.drop_duplicates(["person_a", "person_b", "type"], keep="last")
    return rows.reset_index(drop=True)


def _iso_with_offset(when: pd.Series) -> pd.Series:
    """ISO 8601 strings with the UTC offset of each moment."""
    text = when.dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    return text.str.slice(0, -2) + ":" + text.str.slice(-2)


def validate_table(
    name: str,
    frame: pd.DataFrame,
    *,
    file: Path | str,
    harm: HarmTable,
    known: Mapping[str, set[str]] | None = None,
) -> Validated:
    """Validate one contract table read by :func:`loaders.tables.read_table`.

    Parameters
    ----------
    name : str
        Table name (``persons``, ``locations``, ``incidents``, ``involvements``, ``associations``).
    frame : DataFrame
        The table as strings, with its ``_row`` column.
    file : path or str
        Named in every reject.
    harm : HarmTable
        Offence codes, their harm and default category.
    known : mapping of str to set of str, optional
        Ids that references may name, by table (``persons``, ``incidents``, ``locations``).

    Returns
    -------
    Validated
        ``rows``: the valid rows, typed (dates as ISO 8601 with offset, numbers, booleans,
        defaults filled); ``rejects``: one row per failing cell (file, row, field, value, reason).
    """
    known = known or {"persons": set(), "incidents": set(), "locations": set()}
    schema = _schema(name, harm, known)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as e:
        rejects = _rejects_from(e, frame, str(file))
        bad_rows = set(rejects["row"])
        valid = frame[~frame[ROW].isin(bad_rows)]
        return Validated(_typed(name, valid, harm), rejects)
    return Validated(_typed(name, frame, harm))
