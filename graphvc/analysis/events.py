"""The event tables every measure starts from, and the windows they are cut to.

:func:`incident_harm` gives the incidents with their dates parsed and their harm and category
filled in (from the harm table where the incident has none); :func:`person_incidents` says who
took part in which incident, in what role; :func:`rolling_window` is the half-open window
``[as_of - days, as_of)`` every windowed measure uses. They are computed once per run
(:mod:`graphvc.runs`) and handed to the measures.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphvc.contract import CATEGORIES, LOCAL_TIME_ZONE, PERPETRATOR_ROLES, ROLES
from graphvc.errors import AnalysisError, InputError
from graphvc.harm_index import HarmTable, load_harm_table

__all__ = [
    "PERPETRATOR_ROLES",
    "DateLike",
    "harm_once",
    "incident_harm",
    "is_in",
    "person_incidents",
    "require_columns",
    "rolling_window",
]

#: A moment: a ``datetime``/``pd.Timestamp``, a ``date``, or an ISO 8601 string.
DateLike = str | date

#: The incidents already filled within :func:`harm_once`, by the ids of the table and harm
#: table, each with the table itself (so its id cannot be reused meanwhile).
_FILLED: ContextVar[dict[tuple[int, int], tuple[pd.DataFrame, pd.DataFrame]] | None] = ContextVar(
    "graphvc_filled_incidents", default=None
)

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def rolling_window(as_of: DateLike, window_days: float) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The half-open window ``[as_of - window_days, as_of)`` as two timestamps.

    ``as_of`` is excluded: the window holds what was known at the start of that moment (a
    date means its midnight), so ``as_of="2025-01-01", window_days=365`` covers
    2024-01-02 00:00 up to the end of 2024-12-31.

    Examples
    --------
    >>> rolling_window("2025-01-01", 365)
    (Timestamp('2024-01-02 00:00:00'), Timestamp('2025-01-01 00:00:00'))
    """
    if not window_days > 0:
        raise AnalysisError(f"window_days={window_days!r} must be a positive number of days")
    end = _timestamp(as_of, "as_of")
    return end - pd.Timedelta(days=window_days), end


def incident_harm(
    incidents: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Incidents with ``occurred_at`` as datetimes and ``harm``, ``category``, ``domestic`` filled.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents table of the input contract (``incident_id``, ``occurred_at``,
        ``offence`` and the optional columns). ``occurred_at`` may hold ISO 8601 strings or
        datetimes; a time zone, if any, is dropped (times are local).
    start, end : date-like, optional
        Keep the incidents with ``start <= occurred_at < end`` (half-open; either may be
        left open).
    harm_table : HarmTable, optional
        From :func:`graphvc.harm_index.load_harm_table`; default: ``GRAPHVC_HARM_TABLE`` or
        the table that ships with graphvc. It fills
        an empty ``harm`` with the offence's ``harm_days`` and an empty ``category`` with
        the offence's category.

    Returns
    -------
    pandas.DataFrame
        A copy, sorted by ``occurred_at`` then ``incident_id``, with every column of the
        input and ``occurred_at`` (datetime64), ``harm`` (float ≥ 0), ``category`` and
        ``domestic`` (bool; ``False`` where missing).

    Raises
    ------
    AnalysisError
        If a required column is missing, or ``start`` or ``end`` is not a date.
    InputError
        If an ``incident_id`` repeats, or a row has a bad date, harm, category or flag,
        or an offence the harm table does not know where its
        harm or category is needed. The message names the incident and shows the value.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-03-01T22:15:00", "2024-03-02"],
    ...     "offence": ["personal_robbery", "stalking"],
    ...     "harm": [None, 50],
    ... })
    >>> table = incident_harm(incidents)
    >>> table[["incident_id", "harm", "category", "domestic"]].to_numpy().tolist()
    [['I1', 365.0, 'personal_robbery', False], ['I2', 50.0, 'domestic_abuse', False]]

    References
    ----------
    .. [1] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    """
    filled = _FILLED.get()
    if filled is not None:
        key = (id(incidents), id(harm_table))
        if key not in filled or filled[key][0] is not incidents:
            filled[key] = (incidents, _fill(incidents, harm_table=harm_table))
        table = filled[key][1]
        if start is not None:
            table = table[table["occurred_at"] >= _timestamp(start, "start")]
        if end is not None:
            table = table[table["occurred_at"] < _timestamp(end, "end")]
        return table.reset_index(drop=True)
    return _fill(incidents, start=start, end=end, harm_table=harm_table)


@contextmanager
def harm_once() -> Iterator[None]:
    """Within the block, :func:`incident_harm` fills each incidents table once: a later call
    on the same table (the same object), whole or cut to a window, is cut from the first
    call's result, the same rows as it would compute.

    For many measures on one table, such as a run's (:func:`graphvc.runs.analyse`) and the
    tables it stores (:func:`graphvc.runs.pages.page_tables`); the table must not change
    within the block. Every row of the table is checked, not only the window's. A block
    within another shares the outer one's tables.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-03-01", "2024-04-01"], "offence": ["stalking", "stalking"]})
    >>> with harm_once():
    ...     whole = incident_harm(incidents)
    ...     april = incident_harm(incidents, start="2024-04-01")
    >>> april.equals(incident_harm(incidents, start="2024-04-01")), len(whole)
    (True, 2)
    """
    if _FILLED.get() is not None:  # within an outer block: its tables are shared
        yield
        return
    token = _FILLED.set({})
    try:
        yield
    finally:
        _FILLED.reset(token)


def _fill(
    incidents: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """:func:`incident_harm`, computed."""
    require_columns(incidents, "incidents", ("incident_id", "occurred_at"))
    table = incidents.copy()
    repeated = table["incident_id"][table["incident_id"].duplicated()]
    if len(repeated):
        raise InputError(f"incidents: incident_id {repeated.iloc[0]!r} appears twice")
    table["occurred_at"] = _datetimes(table["occurred_at"], table["incident_id"])
    if start is not None:
        table = table[table["occurred_at"] >= _timestamp(start, "start")]
    if end is not None:
        table = table[table["occurred_at"] < _timestamp(end, "end")]

    given = _blank_as_missing(table["harm"]) if "harm" in table else None
    harm = pd.to_numeric(given, errors="coerce") if given is not None else None
    if given is not None and harm is not None:
        bad = (given.notna() & harm.isna()) | (harm < 0)
        if bad.any():
            row = table[bad].iloc[0]
            raise InputError(
                f"incidents: incident {row['incident_id']!r}: "
                f"harm {row['harm']!r} is not a number ≥ 0"
            )
    category = _blank_as_missing(table["category"]) if "category" in table else None
    if category is not None and pd.api.types.is_numeric_dtype(category):
        category = category.astype(object)  # an empty column, read as numbers: filled below
    need_harm = harm.isna() if harm is not None else pd.Series(True, index=table.index)
    need_category = category.isna() if category is not None else pd.Series(True, index=table.index)
    lookup = _offence_lookup(table, need_harm | need_category, harm_table)

    table["harm"] = (harm if harm is not None else lookup["harm_days"]).fillna(lookup["harm_days"])
    table["harm"] = table["harm"].astype(float)
    table["category"] = (category if category is not None else lookup["category"]).fillna(
        lookup["category"]
    )
    unknown = ~table["category"].isin(CATEGORIES)
    if unknown.any():
        row = table[unknown].iloc[0]
        raise InputError(
            f"incidents: incident {row['incident_id']!r}: category {row['category']!r} "
            f"is not one of {', '.join(CATEGORIES)}"
        )
    table["domestic"] = _flags(table, "domestic")
    return table.sort_values(["occurred_at", "incident_id"], kind="stable").reset_index(drop=True)


def person_incidents(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    roles: Iterable[str],
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """One row per (person, incident) in which the person took one of ``roles``.

    A person who is both offender and suspect in one incident is counted once, so their
    harm is not counted twice. Involvements that name an incident outside the table (or
    outside ``[start, end)``) are left out.

    Parameters
    ----------
    incidents, involvements : pandas.DataFrame
        Tables of the input contract.
    roles : iterable of str
        Roles to keep, from ``offender``, ``suspect``, ``victim``, ``witness``.
    start, end, harm_table
        As in :func:`incident_harm`.

    Returns
    -------
    pandas.DataFrame
        ``person_id`` and the columns of :func:`incident_harm`, sorted by person, then
        time, then incident.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01"],
    ...     "offence": ["personal_robbery", "violence_without_injury"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "A", "B", "A"],
    ...     "incident_id": ["I1", "I1", "I1", "I2"],
    ...     "role": ["offender", "suspect", "victim", "offender"],
    ... })
    >>> events = person_incidents(incidents, involvements, roles=PERPETRATOR_ROLES)
    >>> events[["person_id", "incident_id", "harm"]].to_numpy().tolist()
    [['A', 'I1', 365.0], ['A', 'I2', 10.0]]
    """
    roles = tuple(roles)
    for role in roles:
        if role not in ROLES:
            raise AnalysisError(f"role {role!r} is not one of {', '.join(ROLES)}")
    require_columns(involvements, "involvements", ("person_id", "incident_id", "role"))
    unknown = ~involvements["role"].isin(list(ROLES))
    if unknown.any():
        row = involvements[unknown].iloc[0]
        raise InputError(
            f"involvements: person {row['person_id']!r} in incident {row['incident_id']!r}: "
            f"role {row['role']!r} is not one of {', '.join(ROLES)}"
        )
    taking_part = involvements.loc[
        involvements["role"].isin(list(roles)), ["person_id", "incident_id"]
    ].drop_duplicates()
    table = incident_harm(incidents, start=start, end=end, harm_table=harm_table)
    events = taking_part.merge(table, on="incident_id", how="inner")
    return events.sort_values(
        ["person_id", "occurred_at", "incident_id"], kind="stable"
    ).reset_index(drop=True)


def require_columns(table: pd.DataFrame, name: str, columns: Iterable[str]) -> None:
    """Raise AnalysisError naming the first of ``columns`` that ``table`` lacks."""
    for column in columns:
        if column not in table.columns:
            raise AnalysisError(f"the {name} table has no column {column!r}")


def is_in(values: pd.Series | pd.Index, wanted: Iterable[Any]) -> np.ndarray:
    """Which of ``values`` are among ``wanted``: what ``values.isin(wanted)`` answers, as a
    boolean array, at Arrow's speed when ``values`` are text.

    pandas' Arrow-backed text (the ``str`` columns of pandas 3) answers ``isin`` by making an
    Arrow scalar of each wanted value in Python, some microseconds each: seconds for the
    hundreds of thousands of people of a London-size graph. Here the wanted values go to
    Arrow as one array. A missing value matches a missing value, as in ``isin``; anything
    else than text takes ``isin`` itself.

    Examples
    --------
    >>> people = pd.Series(["A", "B", None, "D"], dtype="str")
    >>> is_in(people, pd.Series(["D", "B", "X"], dtype="str")).tolist()
    [False, True, False, True]
    >>> is_in(people, {"A"}).tolist()
    [True, False, False, False]
    """
    if isinstance(wanted, str):
        raise TypeError(f"is_in wants a list of values, not the str {wanted!r}")
    if not isinstance(wanted, pd.Series | pd.Index | np.ndarray | pd.api.extensions.ExtensionArray):
        wanted = list(wanted)  # a set or a generator, read once
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        try:
            value_set = _arrow(wanted)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            value_set = None  # not all text: isin sorts it out
        if value_set is not None and (
            pa.types.is_string(value_set.type) or pa.types.is_large_string(value_set.type)
        ):
            column = _arrow(values)
            found = pc.is_in(column, value_set=value_set.cast(column.type))
            return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)
    return np.asarray(values.isin(wanted), dtype=bool)


def _arrow(values: Any) -> pa.Array:
    """``values`` as one Arrow array (pandas' Arrow-backed columns hand over their chunks)."""
    if isinstance(values, pd.Series | pd.Index):
        values = values.array
    converted = pa.array(values, from_pandas=True)
    return converted.combine_chunks() if isinstance(converted, pa.ChunkedArray) else converted


#: Times are compared as wall-clock time here; offsets are converted to it first.
_OFFSET = r"(?:[+-]\d\d:?\d\d|Z)$"


def _timestamp(value: DateLike, name: str) -> pd.Timestamp:
    """``value`` as a time-zone-naive Timestamp, or AnalysisError naming the option."""
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as e:
        raise AnalysisError(f"{name}={value!r} is not a date") from e
    if pd.isna(stamp):
        raise AnalysisError(f"{name}={value!r} is not a date")
    return (
        stamp.tz_convert(LOCAL_TIME_ZONE).tz_localize(None) if stamp.tzinfo is not None else stamp
    )


def _datetimes(values: pd.Series, ids: pd.Series) -> pd.Series:
    """Parse ``occurred_at``; InputError naming the first incident whose date is bad."""
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    elif values.astype("string").str.contains(_OFFSET, regex=True, na=False).any():
        # Times with UTC offsets (as Neo4j returns them) are compared as London wall-clock time.
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=True)
    else:
        parsed = pd.to_datetime(values, format="ISO8601", errors="coerce", utc=False)
    bad = parsed.isna()
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        raise InputError(
            f"incidents: incident {ids.iloc[first]!r}: "
            f"occurred_at {values.iloc[first]!r} is not a date"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
    return parsed


def _blank_as_missing(values: pd.Series) -> pd.Series:
    """``values`` with empty or all-space text as missing (an empty CSV cell); numbers and
    times, which cannot be blank, as they are (spelling a million of them out as text to
    find none took half a second)."""
    kinds = pd.api.types
    if kinds.is_numeric_dtype(values) or kinds.is_datetime64_any_dtype(values):
        return values  # (booleans are numeric here)
    blank = values.astype("string").str.strip().eq("").fillna(False).astype(bool)
    return values.mask(blank)


def _offence_lookup(
    table: pd.DataFrame, needed: pd.Series, harm_table: HarmTable | None
) -> pd.DataFrame:
    """The harm table's ``harm_days`` and ``category`` for each incident (NaN where not needed)."""
    empty = pd.DataFrame(
        {"harm_days": float("nan"), "category": pd.Series(pd.NA, index=table.index, dtype=object)},
        index=table.index,
    )
    if not needed.any():
        return empty
    require_columns(table, "incidents", ("offence",))
    reference = (harm_table or load_harm_table()).table.set_index("offence")
    offences = table.loc[needed, "offence"]
    known = offences.isin(reference.index)
    if not known.all():
        first = table.loc[offences[~known].index[0]]
        raise InputError(
            f"incidents: incident {first['incident_id']!r}: offence {first['offence']!r} "
            "is not in the harm table"
        )
    empty.loc[needed, "harm_days"] = reference.loc[offences, "harm_days"].to_numpy(dtype=float)
    empty.loc[needed, "category"] = reference.loc[offences, "category"].to_numpy(dtype=object)
    return empty


def _flags(table: pd.DataFrame, column: str) -> pd.Series:
    """A contract boolean column as bool (missing column or cell: False)."""
    if column not in table:
        return pd.Series(False, index=table.index)
    values = table[column]
    if pd.api.types.is_bool_dtype(values):
        return values.fillna(False).astype(bool)
    text = values.astype("string").str.strip().str.lower().fillna("")
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        row = table[bad].iloc[0]
        raise InputError(
            f"incidents: incident {row['incident_id']!r}: "
            f"{column} {row[column]!r} is not true or false"
        )
    return text.isin(_TRUE)
