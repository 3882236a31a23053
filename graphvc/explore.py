"""Ego networks for the app's explorer: hop by hop, filtered and capped.

A hub must not make the explorer walk the graph: each hop is one bounded query
(``cypher/app/expand.cypher``) from the current frontier, and expansion stops once the node
cap is reached, saying so. The shortest connection between two people is one bounded
``SHORTEST`` query (``cypher/app/shortest_path.cypher``). No query here returns a person's
name.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import neo4j
import networkx as nx
import pandas as pd
from neo4j.spatial import Point, WGS84Point

from graphvc.db import read_cypher, run_query
from graphvc.errors import QueryError
from graphvc.model import RELATIONSHIP_TYPES, ROLE_RELATIONSHIPS

__all__ = [
    "MAX_NODES",
    "PATH_TYPES",
    "EgoNetwork",
    "combine",
    "ego_network",
    "ego_network_tables",
    "network_graph",
    "node_details",
    "shortest_connection",
]

#: The most nodes an ego network holds; beyond it the network is cut and marked truncated.
MAX_NODES = 500

#: The relationship types a connection between two people may follow: shared incidents and
#: known associations (not shared places, which tie strangers).
PATH_TYPES: tuple[str, ...] = (*ROLE_RELATIONSHIPS.values(), "ASSOCIATE_OF")

#: The columns of a node, as ``cypher/app/find_node.cypher`` and ``expand.cypher`` return them.
NODE_FIELDS = (
    "element_id",
    "label",
    "id",
    "category",
    "harm",
    "name",
    "score_priority",
    "score_betweenness",
    "score_priority_rank",
    "occurred_at",
)


@dataclass(frozen=True)
class EgoNetwork:
    """Nodes (``NODE_FIELDS`` and ``hop``, the steps from the centre) and edges (source, target,
    type, between element ids); ``truncated`` when the node cap cut the network. An incident's
    ``occurred_at`` is ISO 8601 text with its UTC offset (None on other nodes)."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    truncated: bool


def _filters(
    rel_types: Collection[str],
    start: datetime | None,
    end: datetime | None,
    categories: Collection[str] | None,
    boroughs: Collection[str] | None,
) -> dict[str, Any]:
    unknown = [t for t in rel_types if t not in RELATIONSHIP_TYPES]
    if unknown:
        raise QueryError(f"{unknown[0]!r} is not a relationship type of the graph model")
    if start and end and start >= end:
        raise QueryError(f"the date window is empty: {start:%Y-%m-%d} is not before {end:%Y-%m-%d}")
    return {
        "rel_types": list(rel_types),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "categories": list(categories) if categories else None,
        "boroughs": list(boroughs) if boroughs else None,
    }


def _instant(value: Any) -> str | None:
    """A Neo4j date-time as ISO 8601 text with its offset: text stays plain in a cached frame,
    a CSV or GraphML, and keeps the instant (a zone name such as ``[Europe/London]``, which
    pandas cannot parse, is dropped; the offset before it fixes the instant)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(_plain(value)).split("[")[0]


def _frame(
    nodes: Mapping[str, Mapping[str, Any]], edges: Mapping[Any, Mapping[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame(list(nodes.values()), columns=[*NODE_FIELDS, "hop"])
    frame["occurred_at"] = [_instant(value) for value in frame["occurred_at"]]
    return frame, pd.DataFrame(list(edges.values()), columns=["source", "target", "type"])


def _grow(
    driver: neo4j.Driver,
    nodes: dict[str, dict[str, Any]],
    edges: dict[tuple[str, str, str], dict[str, str]],
    frontier: list[str],
    filters: Mapping[str, Any],
    max_nodes: int,
    database: str,
    timeout: float | None,
) -> tuple[list[str], bool]:
    """Add the neighbours of ``frontier`` to ``nodes`` and ``edges``, up to ``max_nodes``.

    Returns the nodes added and whether the cap cut them short.
    """
    room = max_nodes - len(nodes)
    found = run_query(
        driver,
        read_cypher("app/expand"),
        {**filters, "frontier": frontier, "limit": room * 4 + 1},
        database=database,
        timeout=timeout,
    )
    added, truncated = [], len(found) > room * 4
    for row in found.to_dict("records"):
        if row["element_id"] not in nodes:
            if len(nodes) >= max_nodes:
                truncated = True
                break
            hop = nodes[row["via"]]["hop"] + 1
            nodes[row["element_id"]] = {k: row[k] for k in NODE_FIELDS} | {"hop": hop}
            added.append(row["element_id"])
        if row["source"] in nodes and row["target"] in nodes:
            edges[(row["source"], row["target"], row["type"])] = {
                "source": row["source"],
                "target": row["target"],
                "type": row["type"],
            }
    return added, truncated


def ego_network(
    driver: neo4j.Driver,
    node_id: str,
    *,
    hops: int = 2,
    rel_types: Collection[str] = RELATIONSHIP_TYPES,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Collection[str] | None = None,
    boroughs: Collection[str] | None = None,
    expand: Collection[str] = (),
    max_nodes: int = MAX_NODES,
    database: str = "neo4j",
    timeout: float | None = 30.0,
) -> EgoNetwork:
    """The network within ``hops`` of the person, incident, location, ward or borough ``node_id``.

    Parameters
    ----------
    driver : neo4j.Driver
    node_id : str
        A person, incident or location id, or a ward or borough code.
    hops : int, default 2
        1, 2 or 3 steps out from ``node_id``.
    rel_types : collection of str
        The relationship types to follow (default: all of the graph model).
    start, end : datetime, optional
        Cross only incidents with ``start <= occurred_at < end``.
    categories : collection of str, optional
        Cross only incidents of these continuum categories.
    boroughs : collection of str, optional
        Cross only incidents, locations and wards in these boroughs (codes).
    expand : collection of str
        Element ids of nodes of the network whose neighbours are added too, one step
        further, as an analyst expands a node of the picture.
    max_nodes : int, default ``MAX_NODES``
        The node cap; the network is cut there and marked ``truncated``.
    database : str
    timeout : float, optional
        Seconds each query may run.

    Raises
    ------
    QueryError
        When no node has the id, ``hops`` is not 1 to 3, a relationship type is unknown or
        the date window is empty.
    """
    if not 1 <= hops <= 3:
        raise QueryError(f"hops={hops!r} must be 1, 2 or 3")
    filters = _filters(rel_types, start, end, categories, boroughs)
    found = run_query(
        driver, read_cypher("app/find_node"), {"id": node_id}, database=database, timeout=timeout
    )
    if found.empty:
        raise QueryError(f"no person, incident, location, ward or borough has the id {node_id!r}")
    centre = {k: found.at[0, k] for k in NODE_FIELDS} | {"hop": 0}
    nodes = {str(centre["element_id"]): centre}
    edges: dict[tuple[str, str, str], dict[str, str]] = {}
    frontier, truncated = [str(centre["element_id"])], False
    for _ in range(hops):
        if not frontier or truncated:
            break
        frontier, truncated = _grow(
            driver, nodes, edges, frontier, filters, max_nodes, database, timeout
        )
    extra = [element_id for element_id in expand if element_id in nodes]
    if extra and not truncated:
        _, truncated = _grow(driver, nodes, edges, extra, filters, max_nodes, database, timeout)
    return EgoNetwork(*_frame(nodes, edges), truncated)


def shortest_connection(
    driver: neo4j.Driver,
    a: str,
    b: str,
    *,
    rel_types: Collection[str] = PATH_TYPES,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: Collection[str] | None = None,
    boroughs: Collection[str] | None = None,
    database: str = "neo4j",
    timeout: float | None = 30.0,
) -> EgoNetwork:
    """One shortest path between persons ``a`` and ``b``, as a network whose ``hop`` is the
    position along the path.

    Only the ``rel_types`` that are in :data:`PATH_TYPES` are followed (shared incidents and
    known associations); the date, category and borough filters are those of
    :func:`ego_network`. The search is bounded at 12 relationships.

    Raises
    ------
    QueryError
        When ``a`` or ``b`` is not a person, they are the same person, or no path within
        the bound joins them.
    """
    types = [t for t in rel_types if t in PATH_TYPES]
    if not types:
        raise QueryError(
            "a connection between people follows incident roles or associations: allow one of "
            + ", ".join(PATH_TYPES)
        )
    if a == b:
        raise QueryError(f"{a!r} is one person: choose two different people")
    parameters = _filters(types, start, end, categories, boroughs) | {"a": a, "b": b}
    found = run_query(
        driver, read_cypher("app/shortest_path"), parameters, database=database, timeout=timeout
    )
    if found.empty:
        for person in (a, b):
            node = run_query(
                driver,
                read_cypher("app/find_node"),
                {"id": person},
                database=database,
                timeout=timeout,
            )
            if node.empty or node.at[0, "label"] != "Person":
                raise QueryError(f"no person has the id {person!r}")
        raise QueryError(f"no connection within 12 steps joins {a!r} and {b!r} with these filters")
    path: list[dict[str, Any]] = found["nodes"].iloc[0]
    links: list[dict[str, str]] = found["edges"].iloc[0]
    nodes = {n["element_id"]: n | {"hop": hop} for hop, n in enumerate(path)}
    edges = {(e["source"], e["target"], e["type"]): e for e in links}
    return EgoNetwork(*_frame(nodes, edges), truncated=False)


def combine(network: EgoNetwork, other: EgoNetwork) -> EgoNetwork:
    """``network`` with the nodes and edges of ``other`` added (a connection drawn into an ego
    network); nodes that come only from ``other`` have no ``hop``."""
    extra = other.nodes[~other.nodes["element_id"].isin(network.nodes["element_id"])]
    nodes = pd.concat([network.nodes, extra.assign(hop=None)], ignore_index=True)
    edges = pd.concat([network.edges, other.edges], ignore_index=True).drop_duplicates()
    return EgoNetwork(nodes, edges.reset_index(drop=True), network.truncated)


def _plain(value: Any) -> Any:
    """A property value as a plain Python value: temporal values as ISO text, points as
    (latitude, longitude)."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, WGS84Point):
        return (value.latitude, value.longitude)
    if isinstance(value, Point):
        return tuple(value)
    return value


def node_details(
    driver: neo4j.Driver, element_id: str, *, database: str = "neo4j", timeout: float | None = 30.0
) -> dict[str, Any]:
    """Every property of one node (a person's name excepted), sorted by key.

    Raises :class:`QueryError` when the node no longer exists.
    """
    found = run_query(
        driver,
        read_cypher("app/node_details"),
        {"element_id": element_id},
        database=database,
        timeout=timeout,
    )
    if found.empty:
        raise QueryError(f"the node {element_id!r} is no longer in the graph")
    properties: list[tuple[str, Any]] = found["properties"].iloc[0]
    return {key: _plain(value) for key, value in sorted(properties)}


def _key(node: Mapping[Hashable, Any]) -> str:
    return f"{node['label']}:{node['id']}"


def ego_network_tables(network: EgoNetwork) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The network as two tables for export, keyed by label and id (element ids are internal).

    Returns the nodes (``label``, ``id``, ``hop``, ``category``, ``harm``, ``name`` of places,
    the scores, ``occurred_at`` of incidents) and the edges (``source_label``, ``source_id``,
    ``type``, ``target_label``, ``target_id``).
    """
    nodes = network.nodes.drop(columns="element_id")
    ends = network.nodes.set_index("element_id")[["label", "id"]]
    edges = network.edges.join(ends.add_prefix("source_"), on="source").join(
        ends.add_prefix("target_"), on="target"
    )
    columns = ["source_label", "source_id", "type", "target_label", "target_id"]
    return nodes[["label", "id", "hop", *NODE_FIELDS[3:]]], edges[columns]


def network_graph(network: EgoNetwork) -> nx.MultiDiGraph:
    """The network as a networkx graph: nodes ``"<label>:<id>"`` with their known attributes,
    edges in the direction stored with their ``type`` (for ``nx.generate_graphml``)."""
    G = nx.MultiDiGraph(name="graphvc subnetwork")
    for node in network.nodes.to_dict("records"):
        attributes = {
            str(k): v
            for k, v in node.items()
            if k != "element_id" and v is not None and not (isinstance(v, float) and math.isnan(v))
        }
        G.add_node(_key(node), **attributes)
    keys = {row["element_id"]: _key(row) for row in network.nodes.to_dict("records")}
    for edge in network.edges.to_dict("records"):
        G.add_edge(keys[edge["source"]], keys[edge["target"]], type=edge["type"])
    return G
