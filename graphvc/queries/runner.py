"""Running a stored query: checked, its plan refused if it writes, read in a read transaction.

:func:`run_stored_query` checks the values against the header, refuses a query the name guard
finds could read a person's name in its text
(:func:`~graphvc.queries.name_guard.identifying_reads`), asks Neo4j for the query's plan
(``EXPLAIN``) and refuses a query whose plan writes unless the header says ``mode: write``
*and* the caller allows writes; administration, ``LOAD CSV`` and ``dbms`` procedures are
refused always, as is every procedure not on :data:`READ_ONLY_PROCEDURES`, and so is a plan
the name guard finds could read a person's name
(:func:`~graphvc.queries.name_guard.plan_reads`). Every result ends in ``LIMIT $limit``: a plan
that does not is run wrapped in one (``$limit`` is :data:`DEFAULT_LIMIT` when the header
declares none). Reads run in read transactions, where the server refuses any write, with a
timeout that holds for the whole run (a read is never retried). Whole nodes, relationships and
paths are refused in results.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j
import pandas as pd

from graphvc.db import run_query
from graphvc.errors import GraphvcError, QueryError
from graphvc.queries.library import StoredQuery, list_queries, load_query
from graphvc.queries.name_guard import identifying_reads, plan_reads
from graphvc.queries.parameters import check_parameters
from graphvc.queries.plan import Plan, explain_plan

__all__ = ["DEFAULT_LIMIT", "READ_ONLY_PROCEDURES", "check_library", "run_stored_query"]

# Plan operators that write, and those refused even to a query allowed to write.
_WRITE_OPERATORS = ("Create", "Merge", "Delete", "DetachDelete", "Set", "Remove", "Foreach")
_FORBIDDEN_OPERATORS = (
    "LoadCSV",
    "AdministrationCommand",
    "Show",
    "Terminate",
)

#: The only procedures a query may call: they read the schema's names and change nothing.
#: Every other one is refused (``db.stats.collect`` changes the server's state, and others
#: read other sessions' queries or the server's settings).
READ_ONLY_PROCEDURES: frozenset[str] = frozenset(
    {"db.labels", "db.relationshipTypes", "db.propertyKeys"}
)

#: The most rows a query returns when its header declares no ``limit`` parameter.
DEFAULT_LIMIT = 1000
# Operators that never pass on more rows than they are given: the result's LIMIT may lie
# below them (Neo4j projects after it limits).
_NO_MORE_ROWS = ("ProduceResults", "Projection", "CacheProperties", "Filter", "Sort", "PartialSort")


def _refusals(query_type: str, operators: Iterable[str]) -> tuple[list[str], list[str]]:
    """What in a plan is never allowed, and what writes."""
    forbidden, writes = [], []
    if query_type == "s":
        forbidden.append("schema or administration (query type 's')")
    elif query_type != "r":
        writes.append(f"query type {query_type!r}")
    for operator in operators:
        procedure = operator.removeprefix("ProcedureCall:")
        if operator.startswith(_FORBIDDEN_OPERATORS) or (
            procedure != operator and procedure not in READ_ONLY_PROCEDURES
        ):
            forbidden.append(operator)
        elif operator.startswith(_WRITE_OPERATORS) and operator not in writes:
            writes.append(operator)
    return forbidden, writes


def _plain(value: Any, column: str, name: str) -> Any:
    """A result value as plain Python; whole nodes, relationships and paths are refused."""
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship, neo4j.graph.Path)):
        raise QueryError(
            f"query {name!r} returns whole nodes, relationships or paths in column {column!r}: "
            "return their properties instead (a person's name never leaves the database)"
        )
    if isinstance(value, list):
        return [_plain(v, column, name) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, column, name) for k, v in value.items()}
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _refuse_reads(stored: StoredQuery, reads: list[str]) -> None:
    """Refuse ``stored`` in one line when the name guard found ``reads`` of a name."""
    if reads:
        # The reads quote the query, which may break lines: the refusal is one line.
        why = " ".join("; ".join(reads).split())
        raise QueryError(f"refused: query {stored.name!r} could read a person's name ({why})")


def _check_plan(
    stored: StoredQuery, plan: Plan, values: Mapping[str, Any], allow_write: bool
) -> list[str]:
    """What ``plan`` writes; a :class:`QueryError` when it may not run at all."""
    forbidden, writes = _refusals(plan.query_type, plan.names)
    if forbidden:
        raise QueryError(
            f"refused: query {stored.name!r} is not a query of the graph ({', '.join(forbidden)})"
        )
    if writes and stored.mode != "write":
        raise QueryError(
            f"refused: query {stored.name!r} writes to the graph ({', '.join(writes)}) "
            "but its header does not declare `mode: write`"
        )
    if writes and not allow_write:
        raise QueryError(
            f"refused: query {stored.name!r} writes to the graph ({', '.join(writes)}); "
            "it runs only when writes are allowed (--allow-write)"
        )
    _refuse_reads(stored, plan_reads(plan, values))
    return writes


def _limited(plan: Plan) -> bool:
    """Whether ``plan`` returns no rows, or at most ``$limit``: its root is a ``LIMIT $limit``
    with nothing between that could add rows."""
    if not plan.columns:
        return True
    for operator in plan.operators:
        if operator.name in ("Limit", "ExhaustiveLimit") and operator.details == "$limit":
            return True
        if operator.name in ("Top", "PartialTop") and operator.details.endswith(" LIMIT $limit"):
            return True
        if operator.name not in _NO_MORE_ROWS or operator.children != 1:
            return False
    return False


def _wrapped(
    stored: StoredQuery, plan: Plan, values: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """``stored`` wrapped in ``CALL () { ... } RETURN ... LIMIT $limit``, with its values
    (``limit`` at :data:`DEFAULT_LIMIT` when the header declares none)."""
    columns = ", ".join("`" + column.replace("`", "``") + "`" for column in plan.columns)
    text = f"CALL () {{\n{stored.text}\n}}\nRETURN {columns} LIMIT $limit"
    return text, {"limit": DEFAULT_LIMIT, **values}


def run_stored_query(
    driver: neo4j.Driver,
    query: StoredQuery | str,
    params: Mapping[str, Any] | None = None,
    *,
    database: str = "neo4j",
    timeout: float | None = None,
    allow_write: bool = False,
) -> pd.DataFrame:
    """Check ``params``, refuse a query that would write, run it and return its rows.

    Parameters
    ----------
    driver : neo4j.Driver
    query : StoredQuery or str
        A loaded query, or a library name or file path for :func:`load_query`.
    params : mapping, optional
        Parameter values, as for :func:`check_parameters`.
    database : str
        Database name.
    timeout : float, optional
        Transaction timeout in seconds (``settings.query_timeout``).
    allow_write : bool
        Let a query whose header says ``mode: write`` write. Without it, a plan that writes is
        refused.

    Returns
    -------
    pandas.DataFrame
        At most ``limit`` rows (:data:`DEFAULT_LIMIT` when the header declares no ``limit``),
        one per record; date-times as :class:`datetime.datetime`. With no rows, the declared
        columns.

    Raises
    ------
    QueryError
        Bad parameters; a query or plan that could read a person's name; a plan that writes
        (unless allowed) or that administers the server, loads files or calls ``dbms``
        procedures; whole nodes in the result; the timeout.
    """
    stored = query if isinstance(query, StoredQuery) else load_query(query)
    values = check_parameters(stored, params or {})
    _refuse_reads(stored, identifying_reads(stored.text))
    text = stored.text
    plan = explain_plan(driver, text, values, database=database)
    writes = _check_plan(stored, plan, values, allow_write)
    if not _limited(plan):
        text, values = _wrapped(stored, plan, values)
        try:
            plan = explain_plan(driver, text, values, database=database)
        except QueryError as e:
            raise QueryError(
                f"refused: query {stored.name!r} does not end in LIMIT $limit and cannot be "
                f"wrapped in one ({e})"
            ) from e
        writes = _check_plan(stored, plan, values, allow_write)
    frame = run_query(driver, text, values, database=database, timeout=timeout, write=bool(writes))
    if frame.empty:
        return pd.DataFrame(columns=[c.name for c in stored.columns] or list(frame.columns))
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = [_plain(v, column, stored.name) for v in frame[column]]
    return frame


def check_library(
    driver: neo4j.Driver,
    queries: Iterable[StoredQuery] | None = None,
    *,
    database: str = "neo4j",
    timeout: float | None = None,
) -> pd.DataFrame:
    """Run each query (default: the library) with its example parameters.

    Returns one row per query: ``name``, ``passed``, ``rows``, ``seconds`` and ``message``
    (why it failed: an error, or columns other than those declared).
    """
    results = []
    for query in list_queries() if queries is None else queries:
        started = time.perf_counter()
        rows, message = 0, ""
        try:
            frame = run_stored_query(
                driver, query, query.examples, database=database, timeout=timeout
            )
            rows = len(frame)
            declared = [c.name for c in query.columns]
            if list(frame.columns) != declared:
                message = f"returns columns {list(frame.columns)}, declares {declared}"
        except GraphvcError as e:
            message = str(e)
        results.append(
            {
                "name": query.name,
                "passed": not message,
                "rows": rows,
                "seconds": round(time.perf_counter() - started, 3),
                "message": message,
            }
        )
    return pd.DataFrame(results, columns=["name", "passed", "rows", "seconds", "message"])
