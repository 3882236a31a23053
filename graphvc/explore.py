"""Ego networks for the app's explorer: hop by hop, filtered and capped.

A hub must not make the explorer walk the graph: each hop is one bounded query
(``cypher/app/expand.cypher``) from the current frontier, and expansion stops once the node
cap is reached, saying so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import neo4j
import pandas as pd

from graphvc.db import read_cypher, run_query
from graphvc.errors import QueryError
from graphvc.model import RELATIONSHIP_TYPES

__all__ = ["EgoNetwork", "ego_network"]


@dataclass(frozen=True)
class EgoNetwork:
    """Nodes (element_id, label, id, category, harm, name, hop) and edges (source, target, type)."""

    nodes: pd.DataFrame
    edges: pd.DataFrame
    truncated: bool


def ego_network(
    driver: neo4j.Driver,
    node_id: str,
    *,
    hops: int = 2,
    rel_types: tuple[str, ...] = RELATIONSHIP_TYPES,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: list[str] | None = None,
    max_nodes: int = 500,
    database: str = "neo4j",
    timeout: float | None = 30.0,
) -> EgoNetwork:
    """The network within ``hops`` of the person, incident, location, ward or borough ``node_id``.

    Raises :class:`QueryError` when no node has that id.
    """
    if not 1 <= hops <= 3:
        raise QueryError(f"hops={hops!r} must be 1, 2 or 3")
    unknown = [t for t in rel_types if t not in RELATIONSHIP_TYPES]
    if unknown:
        raise QueryError(f"{unknown[0]!r} is not a relationship type of the graph model")
    found = run_query(
        driver, read_cypher("app/find_node"), {"id": node_id}, database=database, timeout=timeout
    )
    if found.empty:
        raise QueryError(f"no person, incident, location, ward or borough has the id {node_id!r}")
    centre = str(found.at[0, "element_id"])
    nodes = {centre: {"element_id": centre, "label": found.at[0, "label"], "id": node_id, "hop": 0}}
    edges: dict[tuple[str, str, str], dict[str, str]] = {}
    frontier, truncated = [centre], False
    parameters = {
        "rel_types": list(rel_types),
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "categories": categories or None,
    }
    for hop in range(1, hops + 1):
        if not frontier:
            break
        room = max_nodes - len(nodes)
        found = run_query(
            driver,
            read_cypher("app/expand"),
            {**parameters, "frontier": frontier, "limit": room * 4 + 1},
            database=database,
            timeout=timeout,
        )
        next_frontier = []
        for row in found.to_dict("records"):
            if row["element_id"] not in nodes:
                if len(nodes) >= max_nodes:
                    truncated = True
                    break
                nodes[row["element_id"]] = {
                    k: row[k] for k in ("element_id", "label", "id", "category", "harm", "name")
                } | {"hop": hop}
                next_frontier.append(row["element_id"])
            if row["source"] in nodes and row["target"] in nodes:
                edges[(row["source"], row["target"], row["type"])] = {
                    "source": row["source"], "target": row["target"], "type": row["type"],
                }  # fmt: skip
        truncated = truncated or len(found) > room * 4
        frontier = next_frontier
    node_frame = pd.DataFrame(list(nodes.values()))
    edge_frame = pd.DataFrame(list(edges.values()), columns=["source", "target", "type"])
    return EgoNetwork(node_frame, edge_frame, truncated)
