"""Tables in plain language: headers as labels with their units, values as a person reads
them (ranks and counts as integers, days as whole days, scores to three significant figures,
dates as dates, missing as "—"), each heading with a short help text.

Every table the app, the reports and the CLI show passes through :func:`plain_table`; the
labels, units, formats and help texts come from the declarations of
:data:`graphvc.contract.TABLES` (input columns) and :data:`graphvc.contract_results.RESULTS` (result
columns). A column declared nowhere (a Cypher query's own) is humanised: its snake_case
header becomes words, its values are formatted by their type.
"""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping
from typing import Any

import pandas as pd

from graphvc import contract
from graphvc.contract import Column
from graphvc.contract_results import RESULTS

__all__ = [
    "MISSING",
    "column_help",
    "declared",
    "heading",
    "humanise",
    "plain_table",
    "plain_value",
]

#: How a missing value is shown.
MISSING = "—"
#: The format of an undeclared column, by the kind of its values.
_INFERRED = {"b": "boolean", "i": "integer", "u": "integer", "f": "score", "M": "datetime"}


def humanise(name: Hashable) -> str:
    """An undeclared header in words: ``"co_offender_id"`` -> ``"Co offender id"``.

    >>> humanise("co_offender_id"), humanise("knife_enabled"), humanise(2024)
    ('Co offender id', 'Knife enabled', '2024')
    """
    words = str(name).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def declared(name: Hashable, *, table: str | None = None) -> Column | None:
    """The declaration of column ``name``: the input table's (``table``, when it has one),
    else the result column's (:data:`graphvc.contract_results.RESULTS`), else None.

    >>> declared("recency_days").heading, declared("harm", table="incidents").decimals
    ('Since last offence (days)', 1)
    >>> declared("co_offender_id") is None
    True
    """
    if not isinstance(name, str):
        return None
    if table in contract.TABLES and name in contract.TABLES[table].columns:
        return contract.column(table, name)
    found: Column | None = RESULTS.get(name)
    return found


def heading(name: Hashable, *, table: str | None = None) -> str:
    """The header a table shows for column ``name``: its label with its unit.

    >>> heading("rfg_part"), heading("harm"), heading("co_offender_id")
    ('RFG part', 'Harm (days)', 'Co offender id')
    """
    column = declared(name, table=table)
    return column.heading if column else humanise(name)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (str, bool, list, dict, tuple)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array-like value is not one missing value
        return False


def _undeclared(value: Any) -> str:
    """A value of an undeclared column, formatted by its own type."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, default=str, ensure_ascii=False)
    if hasattr(value, "to_native"):  # a neo4j Date, DateTime or Duration
        value = value.to_native()
    if isinstance(value, (int, float)) or hasattr(value, "dtype"):
        number = float(value)
        if math.isinf(number):
            return "∞" if number > 0 else "-∞"
        if number.is_integer() and abs(number) < 1e15:
            return f"{int(number):,}"
        return contract.significant(number)
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d" if stamp == stamp.normalize() else "%Y-%m-%d %H:%M")
    return str(value)


def plain_value(column_name: Hashable, value: Any, *, table: str | None = None) -> str:
    """One value as a table shows it in column ``column_name``.

    >>> plain_value("priority_rank", 2.0), plain_value("recency_days", 94.0556)
    ('2', '94')
    >>> plain_value("rfg_part", 0.1284), plain_value("betweenness", 0.026490359549825634)
    ('0.128', '0.0265')
    >>> plain_value("listed_since", pd.Timestamp("2025-01-03")), plain_value("harm", None)
    ('2025-01-03', '—')
    >>> plain_value("co_offenders", 1234.0), plain_value("weight", float("nan"))
    ('1,234', '—')
    """
    if _missing(value):
        return MISSING
    column = declared(column_name, table=table)
    if column is None:
        return _undeclared(value)
    if isinstance(value, (list, tuple, dict)):
        return _undeclared(value)
    if hasattr(value, "to_native"):  # a neo4j Date or DateTime from a Cypher query
        value = value.to_native()
    return column.display(value) or MISSING


def _dates_only(values: pd.Series) -> bool:
    stamps = pd.to_datetime(values.dropna(), errors="coerce", utc=True)
    return bool(len(stamps)) and bool((stamps == stamps.dt.normalize()).all())


def _formatted(name: Hashable, values: pd.Series, table: str | None) -> list[str]:
    """The values of one column as text, formatted once for the whole column where it is
    undeclared (a float column of whole numbers shows integers, a datetime column of
    midnights shows dates)."""
    if declared(name, table=table) is not None or values.dtype == object:
        return [plain_value(name, v, table=table) for v in values]
    kind = _INFERRED.get(values.dtype.kind, "text")
    numbers = pd.to_numeric(values, errors="coerce") if kind == "score" else None
    finite = (
        numbers[numbers.notna() & ~numbers.isin([math.inf, -math.inf])]
        if numbers is not None
        else None
    )
    if finite is not None and (finite == finite.round()).all():
        kind = "integer"
    if kind == "datetime" and _dates_only(values):
        kind = "date"
    column = Column(str(name), label=humanise(name), format=kind)
    return [MISSING if _missing(v) else (column.display(v) or MISSING) for v in values]


def _unique(headings: list[str]) -> list[str]:
    """Headings made unique: a repeated one gets its number (``"Borough (2)"``)."""
    seen: dict[str, int] = {}
    unique = []
    for text in headings:
        seen[text] = seen.get(text, 0) + 1
        unique.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return unique


def plain_table(frame: pd.DataFrame, *, table: str | None = None) -> pd.DataFrame:
    """``frame`` as a person reads it: a named index as its first columns, every header its
    label with its unit, every value text in its column's format, missing as "—".

    ``table`` names the input table the columns are declared in (``"incidents"``), if any;
    the result columns' declarations apply otherwise. Format a page of rows, not a million:
    every value becomes a string.

    Examples
    --------
    >>> people = pd.DataFrame({"priority_rank": [1.0, 2.0], "rfg_part": [0.1284, None],
    ...     "recency_days": [94.0556, 3.2], "listed_since": pd.to_datetime(["2025-01-03", None]),
    ...     "co_offenders": [2.0, 12000.0]}, index=pd.Index(["P1", "P2"], name="person_id"))
    >>> plain_table(people).to_dict("records")[1]
    {'Person': 'P2', 'Rank': '2', 'RFG part': '—', 'Since last offence (days)': '3', 'Listed since': '—', 'Co offenders': '12,000'}
    """
    named = any(name is not None for name in frame.index.names)
    flat = frame.reset_index() if named else frame.reset_index(drop=True)
    headings = _unique([heading(name, table=table) for name in flat.columns])
    return pd.DataFrame(
        {
            text: _formatted(name, flat.iloc[:, i], table)
            for i, (text, name) in enumerate(zip(headings, flat.columns, strict=True))
        },
        index=flat.index,
        columns=headings,
    )


def column_help(frame: pd.DataFrame, *, table: str | None = None) -> dict[str, str]:
    """Each heading of :func:`plain_table` of ``frame`` -> its column's help text (the
    declared columns only).

    >>> column_help(pd.DataFrame(columns=["rank", "co_offender_id"]))
    {'Rank': '1 = highest priority; equal scores share a rank'}
    """
    named = any(name is not None for name in frame.index.names)
    names = [*(frame.index.names if named else []), *frame.columns]
    headings = _unique([heading(name, table=table) for name in names])
    helps = {}
    for text, name in zip(headings, names, strict=True):
        column = declared(name, table=table)
        if column is not None and column.description:
            helps[text] = column.description
    return helps


def priority_definition(weights: Mapping[str, float]) -> str:
    """What a priority is, in the words the app and the reports share (one definition): the
    weighted mean of its measures, each scaled to its largest value.

    >>> priority_definition({"rfg": 1.0, "betweenness": 1.0, "harm_pagerank": 0.5})
    'Priority = the weighted mean of RFG × 1, Betweenness × 1, Harm PageRank × 0.5, each scaled to its largest value; RFG is recency, frequency and gravity (harm) of offending.'
    """
    terms = ", ".join(f"{heading(name)} × {weight:g}" for name, weight in weights.items())
    return (
        f"Priority = the weighted mean of {terms}, each scaled to its largest value; "
        "RFG is recency, frequency and gravity (harm) of offending."
    )
