"""Write validated tables to Neo4j: ``UNWIND $rows`` batches, nodes before relationships.

Every statement MERGEs on ids held unique by ``cypher/schema.cypher``, so writing the same
tables twice changes nothing, and a load cut off part-way (each batch is one all-or-nothing
transaction) reaches the same end state when run again.

A column absent from a table's file changes nothing in the graph: its step is given the
column in ``$keep`` (a map of column name to true), and its statement keeps the value a node
or relationship already has (``CASE WHEN $keep.sex THEN coalesce(p.sex, row.sex) ELSE row.sex
END``), writing the column's default only where there is none. A column the file has sets
its value, empty cells included (as their default, or no value).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import neo4j
import pandas as pd
from tqdm import tqdm

from graphvc.contract import TABLES, Column
from graphvc.db import read_cypher, run_query, run_write
from graphvc.model import ROLE_RELATIONSHIPS

__all__ = [
    "NODE_KEYS",
    "NodeWrite",
    "Property",
    "RelationshipWrite",
    "Step",
    "batches",
    "existing_ids",
    "records",
    "steps",
    "write_tables",
]


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, missing values as ``None``."""
    subset = frame[columns].astype(object)
    return subset.where(subset.notna(), None).to_dict("records")  # type: ignore[return-value]


def existing_ids(
    driver: neo4j.Driver, label: str, ids: set[str], *, database: str = "neo4j"
) -> set[str]:
    """Which of ``ids`` exist in the graph as ``label`` nodes."""
    if not ids:
        return set()
    query = read_cypher("load/existing_ids", labels={"NODE": label})
    found = run_query(driver, query, {"ids": sorted(ids)}, database=database)
    return set(found["id"]) if len(found) else set()


@dataclass(frozen=True)
class Property:
    """A property a step writes: its name in the graph, the column it comes from and its type
    as Neo4j's importer names it (``string``, ``double``, ``boolean``, ``datetime``; a
    ``point`` is made from the ``latitude`` and ``longitude`` columns)."""

    name: str
    column: str
    type: str = "string"


@dataclass(frozen=True)
class NodeWrite:
    """The nodes a step MERGEs: ``label``, keyed on ``key``, with ``properties`` SET."""

    label: str
    key: Property
    properties: tuple[Property, ...] = ()


@dataclass(frozen=True)
class RelationshipWrite:
    """The relationships a step MERGEs: ``type`` from the node of label ``start[0]`` keyed by
    column ``start[1]`` to the one of ``end``, with ``properties``. ``creates_ends``: the
    statement MERGEs missing ends as bare nodes (the others MATCH ends that must exist)."""

    type: str
    start: tuple[str, str]
    end: tuple[str, str]
    properties: tuple[Property, ...] = ()
    creates_ends: bool = False


@dataclass(frozen=True)
class Step:
    """One statement over one set of rows.

    ``partition`` names the end a relationship step is split on and ``order`` the other end:
    concurrent batches then never share a ``partition`` node, and each batch takes its
    ``order`` nodes in the same order, so parallel writers cannot deadlock. A step without
    them writes nodes with distinct ids, which never conflict; ``parallel=False`` keeps a step
    to one writer.

    ``writes`` declares what ``query`` writes, for the bulk importer (:mod:`loaders.bulk`),
    which writes the same rows without Cypher; a unit test holds each declaration to its
    statement's MERGE and SET clauses. ``keep`` names the columns absent from the table's
    file (see the module's docstring; a bulk load, into an empty graph, has nothing to keep).
    """

    label: str
    query: str
    rows: pd.DataFrame
    columns: list[str]
    writes: NodeWrite | RelationshipWrite
    partition: str | None = None
    order: str | None = None
    parallel: bool = True
    keep: tuple[str, ...] = ()

    @property
    def parameters(self) -> dict[str, Any]:
        """What the statement is given beside ``$rows``: ``$keep``, the columns absent from
        the table's file, whose values in the graph it leaves alone."""
        return {"keep": dict.fromkeys(self.keep, True)}


def _property(column: Column) -> Property:
    assert column.graph_property is not None
    return Property(column.graph_property, column.name, column.graph_type)


def _node_write(table: str, label: str | None = None) -> NodeWrite:
    """What the step writing the nodes of ``table`` writes, from the contract: the table's own
    node (or the node of ``label`` its rows name, a location's ward or borough), keyed on the
    first column declared for it, with the others' properties."""
    spec = TABLES[table]
    node = None if label is None or label == spec.node else label
    key, *others = (c for c in spec.declared if c.graph_property and c.graph_node == node)
    return NodeWrite(label or str(spec.node), _property(key), tuple(map(_property, others)))


def _relationship_properties(table: str) -> tuple[Property, ...]:
    """The properties each row of ``table`` (a table of relationships) sets on its own."""
    return tuple(_property(c) for c in TABLES[table].declared if c.graph_property)


#: What each node step writes (see the matching ``cypher/load/*.cypher``).
_BOROUGHS = _node_write("locations", "Borough")
_WARDS = _node_write("locations", "Ward")
# A point is made of two columns, so no one column declares it.
_LOCATIONS = _node_write("locations")
_LOCATIONS = replace(
    _LOCATIONS, properties=(*_LOCATIONS.properties, Property("point", "latitude", "point"))
)
_PERSONS = _node_write("persons")
_INCIDENTS = _node_write("incidents")


#: The key of each label's nodes, for statements that MERGE bare ends (associations).
NODE_KEYS: dict[str, Property] = {
    writes.label: writes.key for writes in (_BOROUGHS, _WARDS, _LOCATIONS, _PERSONS, _INCIDENTS)
}


def _step(
    label: str,
    query: str,
    rows: pd.DataFrame,
    writes: NodeWrite | RelationshipWrite,
    **options: Any,
) -> Step:
    """A step writing ``rows`` as ``writes`` declares, with the columns that names."""
    if isinstance(writes, NodeWrite):
        named = [writes.key.column]
    else:
        named = [writes.start[1], writes.end[1]]
    named += [prop.column for prop in writes.properties]
    return Step(label, query, rows, list(dict.fromkeys(named)), writes, **options)


def _location_steps(places: pd.DataFrame) -> list[Step]:
    """Boroughs and wards, then locations, then the links between them."""
    boroughs = places.dropna(subset=["borough_code"]).drop_duplicates("borough_code")
    wards = places.dropna(subset=["ward_code"]).drop_duplicates("ward_code")
    in_borough = RelationshipWrite("IN_BOROUGH", ("Ward", "ward_code"), ("Borough", "borough_code"))
    in_ward = RelationshipWrite("IN_WARD", ("Location", "location_id"), ("Ward", "ward_code"))
    return [
        _step("boroughs", read_cypher("load/boroughs"), boroughs, _BOROUGHS),
        _step("wards", read_cypher("load/wards"), wards, _WARDS),
        _step("locations", read_cypher("load/locations"), places, _LOCATIONS),
        _step(
            "ward→borough",
            read_cypher("load/ward_boroughs"),
            wards.dropna(subset=["borough_code"]),
            in_borough,
            partition="ward_code",
            order="borough_code",
        ),
        _step(
            "location→ward",
            read_cypher("load/location_wards"),
            places.dropna(subset=["ward_code"]),
            in_ward,
            partition="location_id",
            order="ward_code",
        ),
    ]


def _person_steps(persons: pd.DataFrame) -> list[Step]:
    return [_step("persons", read_cypher("load/persons"), persons, _PERSONS)]


def _incident_steps(incidents: pd.DataFrame) -> list[Step]:
    """Incidents, then where each occurred."""
    occurred_at = RelationshipWrite(
        "OCCURRED_AT", ("Incident", "incident_id"), ("Location", "location_id")
    )
    return [
        _step("incidents", read_cypher("load/incidents"), incidents, _INCIDENTS),
        _step(
            "incident→location",
            read_cypher("load/incident_locations"),
            incidents.dropna(subset=["location_id"]),
            occurred_at,
            partition="incident_id",
            order="location_id",
        ),
    ]


def _involvement_steps(involvements: pd.DataFrame) -> list[Step]:
    """A step per role present: relationship types cannot be parameters."""
    found = []
    for role, rel_type in ROLE_RELATIONSHIPS.items():
        of_role = involvements[involvements["role"] == role]
        if len(of_role):
            query = read_cypher("load/involvements", labels={"ROLE": rel_type})
            writes = RelationshipWrite(
                rel_type, ("Person", "person_id"), ("Incident", "incident_id")
            )
            found.append(
                _step(
                    f"{role}s", query, of_role, writes, partition="incident_id", order="person_id"
                )
            )
    return found


def _risk_assessment_steps(assessments: pd.DataFrame) -> list[Step]:
    writes = RelationshipWrite(
        "ASSESSED",
        ("Person", "person_id"),
        ("Incident", "incident_id"),
        _relationship_properties("risk_assessments"),
    )
    query = read_cypher("load/risk_assessments")
    return [
        _step(
            "risk assessments",
            query,
            assessments,
            writes,
            partition="incident_id",
            order="person_id",
        )
    ]


def _association_steps(associations: pd.DataFrame) -> list[Step]:
    writes = RelationshipWrite(
        "ASSOCIATE_OF",
        ("Person", "person_a"),
        ("Person", "person_b"),
        _relationship_properties("associations"),
        creates_ends=True,
    )
    # Both ends are people MERGEd by the statement itself: one writer.
    query = read_cypher("load/associations")
    return [_step("associations", query, associations, writes, parallel=False)]


#: The steps of each table, in the order they are written: nodes before relationships.
_TABLE_STEPS = {
    "locations": _location_steps,
    "persons": _person_steps,
    "incidents": _incident_steps,
    "involvements": _involvement_steps,
    "risk_assessments": _risk_assessment_steps,
    "associations": _association_steps,
}


def steps(
    tables: Mapping[str, pd.DataFrame], absent: Mapping[str, Iterable[str]] | None = None
) -> list[Step]:
    """The writing steps for ``tables``, nodes before relationships; ``absent`` names, by
    table, the columns its file did not have (:attr:`Step.keep`)."""
    absent = absent or {}
    return [
        replace(step, keep=tuple(absent.get(name, ())))
        for name, make in _TABLE_STEPS.items()
        if name in tables
        for step in make(tables[name])
    ]


def batches(step: Step, batch_size: int) -> list[list[dict[str, Any]]]:
    """The step's rows cut into transactions; see :class:`Step` for the ordering."""
    frame = step.rows
    if step.partition is not None:
        frame = frame.sort_values(step.partition, kind="stable")
    rows = records(frame, step.columns)
    cut = [rows[i : i + batch_size] for i in range(0, len(rows), batch_size)]
    if step.order is not None:
        order = step.order
        cut = [sorted(batch, key=lambda row: str(row[order])) for batch in cut]
    return cut


def write_tables(
    driver: neo4j.Driver,
    tables: Mapping[str, pd.DataFrame],
    *,
    database: str = "neo4j",
    batch_size: int = 5000,
    workers: int = 2,
    progress: bool = False,
    absent: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, int]:
    """Write validated contract tables to the graph; returns the summed update counters.

    Parameters
    ----------
    driver : neo4j.Driver
    tables : mapping of table name to DataFrame
        Valid, typed rows from :func:`loaders.validate.validate_table`.
    database : str
    batch_size : int
        Rows per transaction.
    workers : int
        Transactions written at once within a step (steps still run one after another, nodes
        before relationships). Two keep both cores of a small server busy.
    progress : bool
        Show a progress bar per step on stderr.
    absent : mapping of table name to column names, optional
        The columns each table's file did not have, whose values in the graph are left alone
        (:attr:`loaders.tables.Table.absent`); by default every column is written.
    """
    totals: dict[str, int] = {}
    for step in steps(tables, absent):
        if step.rows.empty:
            continue
        with tqdm(
            total=len(step.rows),
            desc=f"load {step.label}",
            unit="row",
            disable=None if progress else True,
            leave=False,
        ) as bar:

            def write(
                batch: list[dict[str, Any]], bar: tqdm = bar, step: Step = step
            ) -> dict[str, int]:
                counters = run_write(
                    driver,
                    step.query,
                    batch,
                    parameters=step.parameters,
                    database=database,
                    batch_size=len(batch),
                )
                bar.update(len(batch))
                return counters

            with ThreadPoolExecutor(max_workers=workers if step.parallel else 1) as pool:
                for counters in pool.map(write, batches(step, batch_size)):
                    for key, value in counters.items():
                        totals[key] = totals.get(key, 0) + value
    return totals
