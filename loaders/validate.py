"""Row-level validation of the input tables with pandera, quarantining bad rows.

Each table has a pandera schema (types, required fields, allowed values, dates, UK
coordinates, duplicate ids, references to ids that exist neither in the folder nor in the
graph), derived from its columns' declarations in :mod:`graphvc.contract`, which also give the
defaults of missing values. Validation is lazy: every failing cell is reported as a reject with the file, row,
field, value and reason; a row with any failure is left out, and every other row goes on, typed
and ready to write.

Each check judges a cell on its own, so no bad cell can switch off a check of its neighbours:
numbers are parsed cell by cell (a word is "not a number", ``inf`` and ``1e400`` are not
finite), date-times too (offsets may differ from row to row, as they do across British summer
time). Every cell is read without the spaces and invisible characters around it (so `` P1 `` is
``P1``, and a required cell of nothing else is blank), and is at most
:data:`graphvc.contract.MAX_TEXT_LENGTH` characters without control characters (Neo4j cannot
index a longer value, and a NUL byte breaks every export). No date lies before its column's
earliest date (:data:`graphvc.contract.EARLIEST_DATE`) or after tomorrow.
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
    LOCAL_TIME_ZONE,
    MAX_TEXT_LENGTH,
    TABLES,
    Column,
)
from graphvc.harm_index import HarmTable
from loaders.tables import REJECT_COLUMNS, ROW

__all__ = [
    "REJECT_COLUMNS",
    "Validated",
    "parse_moments",
    "strip_cells",
    "validate_table",
]

#: What a cell is read without at either end: every Unicode space (as str.strip) and the
#: invisible characters a copy and paste leaves (zero-width spaces and joiners, the word
#: joiner, a byte-order mark), which would make ``P1`` and ``P1\u200b`` two people.
#: (U+3000, the ideographic space, is the last space.)
_AROUND = "".join(filter(str.isspace, map(chr, range(0x3001)))) + "\u200b\u200c\u200d\u2060\ufeff"

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


def _calendar_dates(text: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` cells as dates (naive timestamps); NaT where a cell is not a real one.

    >>> [str(d) for d in _calendar_dates(pd.Series(["1990-04-17", "1990-17-04", "17/04/1990"]))]
    ['1990-04-17 00:00:00', 'NaT', 'NaT']
    """
    return pd.to_datetime(text.astype("string"), format="%Y-%m-%d", errors="coerce")


def _date_checks(earliest: str) -> list[pa.Check]:
    """A calendar date (a date of birth) from ``earliest`` to tomorrow, as the date-times."""
    first = pd.Timestamp(earliest)
    return [
        pa.Check(
            lambda s: _calendar_dates(s).notna(), error="not an ISO 8601 date such as 1990-04-17"
        ),
        pa.Check(
            lambda s: ~(_calendar_dates(s) >= _latest_allowed().tz_localize(None)),
            error="in the future (after tomorrow)",
        ),
        pa.Check(
            lambda s: ~(_calendar_dates(s) < first),
            error=f"before {earliest} (too early for a record)",
        ),
    ]


def _not_before(earliest: str) -> pa.Check:
    first = pd.Timestamp(earliest, tz=LOCAL_TIME_ZONE)
    return pa.Check(
        lambda s: ~(parse_moments(s) < first), error=f"before {earliest} (too early for a record)"
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


def _column_checks(
    column: Column, harm: HarmTable, known: Mapping[str, set[str]], *, unique: bool
) -> list[pa.Check]:
    """The checks of one column, from its declaration: plain text first, then its type's."""
    checks = list(_PLAIN_TEXT)
    if unique:
        checks.append(_first_occurrence(column.name))
    if column.references and not column.creates_missing:
        checks.append(_known(known[column.references], column.name))
    if column.type == "category":
        checks.append(_one_of(column.allowed, column.value_noun))
    elif column.type == "offence":
        checks.append(_one_of(harm.offences, column.value_noun))
    elif column.type == "datetime":
        checks += [_DATETIME, _NOT_FUTURE, _not_before(column.earliest)]
    elif column.type == "date":
        checks += _date_checks(column.earliest)
    elif column.type == "boolean":
        checks.append(_BOOLEAN)
    elif column.type == "number":
        checks += _number(column.minimum, column.maximum, above=column.greater_than)
    return checks


#: Row-level checks (over several fields): their message -> the fields a reject names.
_ROW_CHECK_FIELDS: dict[str, list[str]] = {}


def _row_check(fields: list[str], test, error: str) -> pa.Check:
    _ROW_CHECK_FIELDS[error] = fields
    return pa.Check(test, error=error)


def _repeated_key(table: str, error: str) -> pa.Check:
    """A row whose key (of several columns) an earlier row has."""
    key = list(TABLES[table].key)
    return _row_check(key, lambda d: ~d.duplicated(key, keep="first"), error)


def _one_value_per(key: str, value: str, error: str) -> pa.Check:
    """A row giving the ``key`` of an earlier row another ``value``: the writer keeps one
    value per key (a ward lies in one borough), so the later row is rejected rather than its
    value dropped without a word."""

    def agrees(frame: pd.DataFrame) -> pd.Series:
        given = frame[[key, value]].dropna()
        first = given.groupby(key)[value].transform("first")
        differs = (given[value] != first).reindex(frame.index, fill_value=False)
        return ~differs.astype(bool)

    return _row_check([key, value], agrees, error)


#: The checks of a table over several of its columns (a key of one column is a column's).
_ROW_CHECKS: dict[str, list[pa.Check]] = {
    "locations": [
        _row_check(
            ["latitude", "longitude"],
            lambda d: d["latitude"].isna() == d["longitude"].isna(),
            "latitude and longitude must both be given or both be empty",
        ),
        _one_value_per(
            "ward_code",
            "borough_code",
            "ward in two boroughs: an earlier row puts this ward_code in another borough_code",
        ),
    ],
    "involvements": [
        _repeated_key(
            "involvements",
            "duplicate involvement: an earlier row has the same person, incident and role",
        )
    ],
    "risk_assessments": [
        _repeated_key(
            "risk_assessments",
            "duplicate risk assessment: an earlier row has the same person, incident, time and tool",
        )
    ],
    # Repeated links are merged rather than rejected: the last one wins (_typed).
    "associations": [
        _row_check(
            ["person_a", "person_b"],
            lambda d: (d["person_a"] != d["person_b"]).fillna(True),
            "person_a and person_b are the same person",
        )
    ],
}


def _schema(name: str, harm: HarmTable, known: Mapping[str, set[str]]) -> pa.DataFrameSchema:
    """The table's pandera schema, derived from its declaration in the contract."""
    spec = TABLES[name]
    columns = {
        column.name: pa.Column(
            checks=_column_checks(column, harm, known, unique=spec.key == (column.name,)),
            nullable=not column.required,
        )
        for column in spec.declared
    }
    return pa.DataFrameSchema(columns, checks=_ROW_CHECKS.get(name, []))


_BLANK = "blank: only spaces or invisible characters"


def _missing(cell: object) -> bool:
    return cell is None or cell is pd.NA or cell == "" or (isinstance(cell, float) and cell != cell)


def _rejects_from(
    errors: SchemaErrors, frame: pd.DataFrame, given: pd.DataFrame, file: str
) -> pd.DataFrame:
    """One reject per failing cell (or row check) of ``frame``, the table as validated;
    ``given`` is the table as read, whose cell a blank reject shows."""
    cases = errors.failure_cases
    cases = cases[cases["index"].notna()]
    rows = []
    for case in cases.itertuples(index=False):
        index, reason = case.index, str(case.check)
        fields = _ROW_CHECK_FIELDS.get(reason) or [str(case.column)]
        cells = [frame.at[index, f] for f in fields]
        if reason == "not_nullable":
            cells = [given.at[index, fields[0]]]
            reason = "required value is missing" if _missing(cells[0]) else _BLANK
        values = ["" if _missing(cell) else str(cell) for cell in cells]
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


def strip_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (a table as strings) with each cell read without the spaces and invisible
    characters around it, and a cell of nothing else missing; its ``_row`` as it was.

    >>> ids = pd.DataFrame({"person_id": [" P1 ", "\\u200bP2", "\\xa0 ", None]})
    >>> strip_cells(ids)["person_id"].tolist()
    ['P1', 'P2', <NA>, <NA>]
    """
    stripped = frame.copy()
    for name in stripped.columns:
        if name != ROW:
            cells = stripped[name].astype("string").str.strip(_AROUND)
            stripped[name] = cells.where(cells != "")
    return stripped


def _as_bool(s: pd.Series) -> pd.Series:
    return s.fillna("false").str.lower().isin(_TRUE)


def _typed(name: str, rows: pd.DataFrame, harm: HarmTable) -> pd.DataFrame:
    """Valid rows as typed values, missing values filled with the contract's defaults."""
    rows = rows.copy()
    declared = TABLES[name].declared
    by_offence = (
        harm.defaults_for(rows["offence"])
        if any(column.default_from for column in declared)
        else pd.DataFrame()
    )
    for column in declared:
        values = rows[column.name]
        if column.type == "datetime":
            values = _iso_with_offset(parse_moments(values))
        elif column.type == "number":
            values = pd.to_numeric(values).astype("float64")
        elif column.type == "boolean":
            values = _as_bool(values)
        if column.default_from:
            values = values.fillna(by_offence[column.default_from])
        elif column.default is not None and column.type != "boolean":
            values = values.fillna(column.default)
        rows[column.name] = values
    if name == "associations":
        swap = rows["person_a"] > rows["person_b"]
        rows.loc[swap, ["person_a", "person_b"]] = rows.loc[
            swap, ["person_b", "person_a"]
        ].to_numpy()
        rows = rows.drop_duplicates(["person_a", "person_b", "type"], keep="last")
    return rows.reset_index(drop=True)


def _iso_with_offset(when: pd.Series) -> pd.Series:
    """ISO 8601 strings with the UTC offset of each moment, in hours and minutes: the form
    Neo4j's ``datetime()`` parses. A moment whose offset has seconds (local mean time, before
    time zones) is written in UTC instead.

    >>> moments = pd.Series(pd.to_datetime(["2024-06-01T10:00:00", "1800-06-01T10:00:00"]))
    >>> _iso_with_offset(moments.dt.tz_localize("Europe/London")).tolist()
    ['2024-06-01T10:00:00+01:00', '1800-06-01T10:01:15+00:00']
    """
    local = when.dt.strftime("%Y-%m-%dT%H:%M:%S%z").str.extract(r"^(.*:\d{2})([+-]\d{2})(\d{2})$")
    iso = local[0] + local[1] + ":" + local[2]
    odd = iso.isna() & when.notna()
    if odd.any():
        iso[odd] = when[odd].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"
    return iso


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
        The table as strings, with its ``_row`` column; each cell is read without the spaces
        and invisible characters around it (:func:`strip_cells`).
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
    stripped = strip_cells(frame)
    try:
        schema.validate(stripped, lazy=True)
    except SchemaErrors as e:
        rejects = _rejects_from(e, stripped, frame, str(file))
        bad_rows = set(rejects["row"])
        valid = stripped[~stripped[ROW].isin(bad_rows)]
        return Validated(_typed(name, valid, harm), rejects)
    return Validated(_typed(name, stripped, harm))
