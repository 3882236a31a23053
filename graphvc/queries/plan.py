"""The plan Neo4j makes of a query (``EXPLAIN``), read as the rules of the runner need it.

The plan is what will run: Neo4j's parser has already turned unicode escapes into the
characters they stand for, dropped comments, and replaced literals by parameters
(``$autostring_0``, ``$autoint_1``), so an operator's ``Details`` name every property read,
label and function call in one canonical spelling, whatever the query's text looked like.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import neo4j
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from graphvc.errors import DatabaseError, QueryError

__all__ = ["Operator", "Plan", "explain_plan"]


@dataclass(frozen=True)
class Operator:
    """One operator of a plan.

    ``name`` is the operator type without its ``@database`` suffix (a procedure call is
    ``ProcedureCall:<procedure>``); ``details`` its ``Details`` argument (empty when it has
    none); ``introduces`` the variables it binds that none of its children had, as the plan
    spells them (```my var``` in backticks; an ``Argument`` introduces none: it hands on those
    of the enclosing plan); ``above`` the
    name, details and number of children of each operator between it and the plan's root,
    nearest first;
    ``children`` how many operators feed it (in :attr:`Plan.operators`, the first follows it).
    """

    name: str
    details: str
    introduces: frozenset[str]
    above: tuple[tuple[str, str, int], ...]
    children: int


@dataclass(frozen=True)
class Plan:
    """A query's plan: Neo4j's query type (``r``, ``rw``, ``w``, ``s``), the result's columns
    and the operators, depth first from the root."""

    query_type: str
    columns: tuple[str, ...]
    operators: tuple[Operator, ...]

    @property
    def names(self) -> list[str]:
        """The operators' names, depth first."""
        return [operator.name for operator in self.operators]

    @property
    def details(self) -> str:
        """Every operator's details, one a line."""
        return "\n".join(operator.details for operator in self.operators if operator.details)


def _operator_name(plan: Mapping[str, Any]) -> str:
    name = str(plan.get("operatorType", "")).split("@")[0]
    if name == "ProcedureCall":
        # Details reads "db.labels() :: (label :: STRING)": keep the procedure's name.
        name += ":" + str(plan.get("args", {}).get("Details", "")).split("(")[0].strip()
    return name


def _walk(
    plan: Mapping[str, Any], above: tuple[tuple[str, str, int], ...] = ()
) -> Iterator[Operator]:
    name = _operator_name(plan)
    details = str(plan.get("args", {}).get("Details", ""))
    children = plan.get("children", ())
    below = {v for child in children for v in child.get("identifiers", ())}
    bound = set(plan.get("identifiers", ())) - below
    if not children:
        # A leaf below an Apply lists the variables handed to it too; it binds those it names.
        bound = {v for v in bound if re.search(rf"(?<![\w`.]){re.escape(v)}(?![\w`])", details)}
    introduces = frozenset() if name == "Argument" else frozenset(bound)
    yield Operator(name, details, introduces, above, len(children))
    for child in children:
        yield from _walk(child, ((name, details, len(children)), *above))


def explain_plan(
    driver: neo4j.Driver,
    text: str,
    parameters: Mapping[str, Any] | None = None,
    *,
    database: str = "neo4j",
) -> Plan:
    """Plan ``text`` without running it (``EXPLAIN``): nothing runs, so nothing is written.

    Raises :class:`QueryError` when Neo4j cannot plan the query (a syntax error, an unknown
    function) and :class:`DatabaseError` when the server is unreachable.
    """
    try:
        columns, summary = driver.execute_query(
            neo4j.Query(cast(Any, f"EXPLAIN {text}")),
            dict(parameters or {}),
            database_=database,
            routing_=neo4j.RoutingControl.READ,
            result_transformer_=lambda result: (tuple(result.keys()), result.consume()),
        )
    except ServiceUnavailable as e:
        raise DatabaseError(f"Neo4j is unreachable: {e}") from e
    except Neo4jError as e:
        raise QueryError(f"Neo4j cannot plan the query: {e.message}") from e
    return Plan(str(summary.query_type), columns, tuple(_walk(summary.plan or {})))
