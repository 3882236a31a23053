"""The network the explorer shows, as a graph to hand over: every node's id, label and
properties and every link's type and weight, read once from the graph.

:func:`export_graph` is what every export format writes (:mod:`graphvc.exports.graphml`,
``gexf``, ``anx``, ``html``, ``image``): a :class:`networkx.MultiDiGraph` whose node keys are
the nodes' own ids (a person's id, an incident's id, a ward's code), so that a file read back
names its nodes as graphvc does. The explorer's :class:`~graphvc.explore.EgoNetwork` carries
only what its picture needs; the properties (an incident's date, an association's weight and
type) are read here, by element id, with two stored queries (``cypher/exports/``).

What never leaves: a person's name and every other identifying column of the input contract
(:data:`graphvc.contract.IDENTIFYING`), the database's internal element ids, and scores that
are not the newest stored run's. With a pseudonym key, every person id is replaced by its
keyed pseudonym (:func:`graphvc.reports.pseudonyms.pseudonym`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

import neo4j
import networkx as nx
from neo4j.spatial import Point

from graphvc.contract import IDENTIFYING, TABLES
from graphvc.db import read_cypher, run_query
from graphvc.explore import EgoNetwork
from graphvc.model import RELATIONSHIP_ROLES
from graphvc.reports.pseudonyms import pseudonym

__all__ = [
    "WITHHELD",
    "caption",
    "export_graph",
    "exported_person_ids",
    "pseudonymised_network",
]


def _withheld() -> frozenset[tuple[str, str]]:
    pairs = set()
    for table, column in IDENTIFYING:
        spec = TABLES[table]
        declared = spec.column(column)
        pairs.add((declared.graph_node or spec.node or "", declared.graph_property or column))
    return frozenset(pairs)


#: (label, property) pairs that are never exported: the identifying columns of the contract
#: as they are stored in the graph (a person's ``name``).
WITHHELD: frozenset[tuple[str, str]] = _withheld()
#: Properties the export sets itself (``id``: possibly a pseudonym) or that mean nothing outside
#: the database (``point``: the spatial index of ``latitude`` and ``longitude``, both exported).
_OWN = frozenset({"id", "point", "label", "labels", "hop"})


def _scalar(value: Any) -> str | float | int | bool | None:
    """A property value as GraphML and GEXF can hold it: temporal values as ISO text,
    numbers as floats (one type per key, whatever the node), lists as text; points dropped."""
    if value is None or isinstance(value, Point):
        return None
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def caption(attributes: Mapping[str, Any]) -> str:
    """How a chart names a node: a person by id (or pseudonym), an incident by id, date and
    category, a place by name.

    >>> caption({"labels": "Incident", "id": "I1", "occurred_at": "2024-01-05T22:10:00Z",
    ...          "category": "knife_enabled"})
    'I1 · 2024-01-05 · knife enabled'
    >>> caption({"labels": "Ward", "id": "E05000001", "name": "Aldersgate"})
    'Aldersgate (E05000001)'
    """
    label, node_id = attributes.get("labels"), str(attributes.get("id"))
    if label == "Incident":
        parts = [node_id, str(attributes.get("occurred_at", ""))[:10]]
        parts.append(str(attributes.get("category", "")).replace("_", " "))
        return " · ".join(p for p in parts if p)
    if label != "Person" and attributes.get("name"):
        return f"{attributes['name']} ({node_id})"
    return node_id


def _rows(
    driver: neo4j.Driver,
    name: str,
    parameters: dict[str, Any],
    database: str,
    timeout: float | None,
) -> list[dict[str, Any]]:
    found = run_query(driver, read_cypher(name), parameters, database=database, timeout=timeout)
    return [{str(k): v for k, v in row.items()} for row in found.to_dict("records")]


def pseudonymised_network(network: EgoNetwork, key: str) -> EgoNetwork:
    """``network`` with every person's id replaced by their keyed pseudonym (for the pictures,
    which draw the explorer's network itself)."""
    nodes = network.nodes.copy()
    people = nodes["label"] == "Person"
    nodes.loc[people, "id"] = [pseudonym(str(p), key) for p in nodes.loc[people, "id"]]
    return EgoNetwork(nodes, network.edges, network.truncated)


def exported_person_ids(network: EgoNetwork) -> list[str]:
    """The (real) ids of the people an export of ``network`` holds, for the audit trail."""
    people = network.nodes.loc[network.nodes["label"] == "Person", "id"]
    return sorted({str(p) for p in people})


def _node_keys(network: EgoNetwork, ids: Mapping[str, str]) -> dict[str, str]:
    """Each element id's node key: its id, or ``<label>:<id>`` for an id two labels share."""
    shared = Counter(ids.values())
    keys = {}
    for element_id, label in zip(network.nodes["element_id"], network.nodes["label"], strict=True):
        node_id = ids[str(element_id)]
        keys[str(element_id)] = node_id if shared[node_id] == 1 else f"{label}:{node_id}"
    return keys


def export_graph(
    driver: neo4j.Driver,
    network: EgoNetwork,
    *,
    key: str | None = None,
    database: str = "neo4j",
    timeout: float | None = 30.0,
) -> nx.MultiDiGraph:
    """The explorer's ``network`` with its properties, as a graph to export.

    Parameters
    ----------
    driver : neo4j.Driver
    network : EgoNetwork
        What the explorer shows (:func:`graphvc.explore.ego_network`).
    key : str, optional
        A pseudonym key: every person id becomes its :func:`~graphvc.reports.pseudonyms.pseudonym`.
    database : str
    timeout : float, optional
        Seconds each of the two queries may run.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes keyed by their id (``<label>:<id>`` only for an id two labels share), with
        ``id``, ``labels`` (the node's label: Person, Incident, Location, Ward, Borough),
        ``label`` (a caption: :func:`caption`), ``hop`` and every stored property but the
        withheld ones (:data:`WITHHELD`); one edge per relationship, in its stored
        direction, with ``type``, ``weight`` (an association's weight; 1.0 for every other
        link), ``role`` (for a person's part in an incident) and an association's
        ``association`` type and ``intelligence_source``. ``G.graph`` holds the centre and
        whether the node cap cut the network.
    """
    element_ids = [str(e) for e in network.nodes["element_id"]]
    stored = {
        row["element_id"]: dict(row["properties"])
        for row in _rows(driver, "exports/nodes", {"element_ids": element_ids}, database, timeout)
    }
    ids = {}
    for element_id, label, node_id in network.nodes[["element_id", "label", "id"]].itertuples(
        index=False, name=None
    ):
        plain = str(node_id)
        ids[str(element_id)] = pseudonym(plain, key) if key and label == "Person" else plain
    keys = _node_keys(network, ids)
    centre = network.nodes.loc[network.nodes["hop"] == 0, "element_id"]
    G = nx.MultiDiGraph(
        name="graphvc network",
        centre=keys[str(centre.iloc[0])] if len(centre) else "",
        truncated=bool(network.truncated),
    )
    for node in network.nodes.to_dict("records"):
        element_id, label = str(node["element_id"]), str(node["label"])
        attributes: dict[str, Any] = {"id": ids[element_id], "labels": label}
        hop = node.get("hop")
        if hop is not None and not (isinstance(hop, float) and math.isnan(hop)):
            attributes["hop"] = int(hop)
        for prop, value in sorted(stored.get(element_id, {}).items()):
            if prop in _OWN or (label, prop) in WITHHELD:
                continue
            if (scalar := _scalar(value)) is not None:
                attributes[prop] = scalar
        attributes["label"] = caption(attributes)
        G.add_node(keys[element_id], **attributes)
    links = network.edges[["source", "target", "type"]].drop_duplicates()
    found = _rows(driver, "exports/links", {"links": links.to_dict("records")}, database, timeout)
    for number, row in enumerate(found):
        properties = dict(row["properties"])
        attributes = {"type": row["type"], "weight": 1.0}
        if row["type"] in RELATIONSHIP_ROLES:
            attributes["role"] = RELATIONSHIP_ROLES[row["type"]]
        if row["type"] == "ASSOCIATE_OF":
            weight = _scalar(properties.get("weight"))
            attributes["weight"] = weight if isinstance(weight, float) else 1.0
            attributes["association"] = str(properties.get("type", "associate"))
            if properties.get("source") is not None:
                attributes["intelligence_source"] = str(properties["source"])
        # A key unique in the file: GraphML and GEXF write it as the link's XML id.
        G.add_edge(keys[row["source"]], keys[row["target"]], key=f"e{number}", **attributes)
    return G
