"""Network files as analysts receive them, loaded as intelligence associations.

A network file becomes the contract's ``associations`` table (and ``persons``, when its
nodes carry person columns), which then goes through the same validation, rejects and
writer as ``graphvc load`` (:mod:`loaders.validate`, :mod:`loaders.write`): loading a file
twice changes nothing. networkx reads the files:

``graphml``
    GraphML (:func:`networkx.read_graphml`).
``gexf``
    GEXF, as Gephi writes it (:func:`networkx.read_gexf`).
``edgelist``
    A CSV edge list: the first two columns are the two people, and a ``weight`` column, if
    any, the tie's value (:func:`networkx.from_pandas_edgelist`).
``matrix``
    A UCINET-style adjacency matrix as CSV: the people's ids in the first row and the first
    column, each cell the value of the tie between its row and column (0 or empty: none;
    :func:`networkx.from_pandas_adjacency`). A byte-order mark is tolerated. An asymmetric
    matrix is read as undirected, the larger of the two values kept.

Every tie becomes one association of the chosen ``type`` between the two people, its value
kept as ``weight`` (1 when the file gives none) and ``source`` set to the chosen source. A
directed network is read as undirected (associations have no direction). Node attributes
named as ``persons`` columns (:data:`graphvc.contract.TABLES`, all but ``person_id``) are loaded
into ``persons``; every other node or edge attribute is reported as ignored, never dropped
silently. People without a tie (isolates) are loaded only when the file gives them person
columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import numpy as np
import pandas as pd

from graphvc.contract import ASSOCIATION_TYPES, TABLES
from graphvc.errors import InputError
from loaders.folder import LoadSummary, validate_tables, write_validated
from loaders.tables import ROW, Table

__all__ = ["FORMATS", "NetworkTables", "load_network", "network_tables", "read_network"]

FORMATS: tuple[str, ...] = ("graphml", "edgelist", "matrix", "gexf")
#: The person columns a node attribute may fill (``person_id`` is the node itself).
_PERSON_COLUMNS = tuple(c for c in TABLES["persons"].columns if c != "person_id")


@dataclass
class NetworkTables:
    """Contract tables made from a network file, and what was made of the file."""

    tables: dict[str, pd.DataFrame]
    notes: dict[str, Any] = field(default_factory=dict)


def _matrix(path: Path) -> tuple[nx.Graph, int]:
    """The network of an adjacency matrix CSV, and how many pairs' two cells differ."""
    try:
        frame = pd.read_csv(path, index_col=0, encoding="utf-8-sig", dtype=str)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{path}: cannot be read as a matrix: {str(e).splitlines()[0]}") from None
    frame.index = frame.index.astype(str).str.strip()
    frame.columns = frame.columns.astype(str).str.strip()
    if list(frame.index) != list(frame.columns):
        raise InputError(
            f"{path}: not an adjacency matrix: the first column's ids "
            f"({', '.join(frame.index[:3])}, ...) differ from the first row's "
            f"({', '.join(frame.columns[:3])}, ...)"
        )
    values = frame.apply(lambda column: pd.to_numeric(column.str.strip(), errors="coerce"))
    bad = values.isna() & frame.notna() & (frame.apply(lambda c: c.str.strip()) != "")
    if bad.any().any():
        i, j = np.argwhere(bad.to_numpy())[0]
        row, column = frame.index[i], frame.columns[j]
        raise InputError(
            f"{path}: cell ({row}, {column}) {frame.at[row, column]!r} is not a number"
        )
    cells = values.fillna(0.0).to_numpy(float)
    asymmetric = int(np.triu(cells != cells.T).sum())
    symmetric = pd.DataFrame(np.maximum(cells, cells.T), index=frame.index, columns=frame.index)
    return nx.from_pandas_adjacency(symmetric), asymmetric


def _edge_list(path: Path) -> nx.Graph:
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(
            f"{path}: cannot be read as an edge list: {str(e).splitlines()[0]}"
        ) from None
    if frame.shape[1] < 2:
        raise InputError(f"{path}: an edge list needs two columns, the two people of each tie")
    frame.columns = [str(c).strip() for c in frame.columns]
    first, second = frame.columns[:2]
    frame = frame.apply(lambda column: column.str.strip())
    attributes = list(frame.columns[2:])
    if "weight" in attributes:
        weight = pd.to_numeric(frame["weight"], errors="coerce")
        frame["weight"] = weight.where(frame["weight"] != "", np.nan)
    return nx.from_pandas_edgelist(frame, first, second, edge_attr=attributes or None)


def read_network(path: Path, file_format: str) -> tuple[nx.Graph, dict[str, Any]]:
    """The network in ``path`` (one of :data:`FORMATS`) as an undirected graph, and notes on
    how it was read. Raises :class:`InputError` when the file cannot be read as that format."""
    if file_format not in FORMATS:
        raise InputError(f"--format {file_format!r} is not one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    notes: dict[str, Any] = {"format": file_format}
    if file_format == "matrix":
        G, notes["asymmetric_pairs"] = _matrix(path)
    elif file_format == "edgelist":
        G = _edge_list(path)
    else:
        reader = nx.read_graphml if file_format == "graphml" else nx.read_gexf
        try:
            G = reader(path)
        except Exception as e:  # the readers raise many kinds (XML, key, value errors)
            raise InputError(f"{path}: cannot be read as {file_format}: {e}") from None
    if G.is_directed():
        notes["directed_read_as_undirected"] = G.number_of_edges()
    if G.is_multigraph() or G.is_directed():
        G = _simple(G)
    return G, notes


def _simple(G: nx.Graph) -> nx.Graph:
    """An undirected simple graph of ``G``: parallel ties and arcs both ways become one tie
    whose weight is the largest of theirs."""
    simple = nx.Graph()
    simple.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        weight = data.get("weight", 1.0)
        if simple.has_edge(u, v):
            weight = max(weight, simple.edges[u, v].get("weight", 1.0))
        simple.add_edge(u, v, **{**data, "weight": weight})
    return simple


def network_tables(
    G: nx.Graph, *, link_type: str, source: str | None, notes: dict[str, Any] | None = None
) -> NetworkTables:
    """The contract's ``associations`` (and ``persons``) tables of the network ``G``, as
    strings with their ``_row`` (the position of the tie or node in the file, from 2).

    Examples
    --------
    >>> G = nx.Graph([("A", "B", {"weight": 2.0, "colour": "red"})])
    >>> G.nodes["A"]["sex"] = "F"
    >>> made = network_tables(G, link_type="gang", source="test")
    >>> made.tables["associations"][["person_a", "person_b", "type", "weight"]].values.tolist()
    [['A', 'B', 'gang', '2.0']]
    >>> made.tables["persons"][["person_id", "sex"]].fillna("").values.tolist()
    [['A', 'F'], ['B', '']]
    >>> made.notes["ignored_edge_attributes"]
    ['colour']
    """
    if link_type not in ASSOCIATION_TYPES:
        raise InputError(f"--type {link_type!r} is not one of {', '.join(ASSOCIATION_TYPES)}")
    notes = dict(notes or {})
    node_attributes = sorted({key for _, data in G.nodes(data=True) for key in data})
    edge_attributes = sorted({key for _, _, data in G.edges(data=True) for key in data})
    mapped = [key for key in node_attributes if key in _PERSON_COLUMNS]
    notes["nodes"] = G.number_of_nodes()
    notes["ties"] = G.number_of_edges()
    notes["person_attributes"] = mapped
    notes["ignored_node_attributes"] = [k for k in node_attributes if k not in mapped]
    notes["ignored_edge_attributes"] = [k for k in edge_attributes if k != "weight"]
    rows = []
    for u, v, data in G.edges(data=True):
        a, b = sorted((str(u), str(v)))
        weight = data.get("weight")
        rows.append((a, b, link_type, None if weight is None else str(float(weight)), source))
    associations = pd.DataFrame(rows, columns=list(TABLES["associations"].columns), dtype="string")
    associations[ROW] = range(2, len(associations) + 2)
    tables = {"associations": associations}
    isolates = [node for node in G if G.degree(node) == 0]
    if mapped:
        persons = pd.DataFrame(
            [
                {"person_id": str(node), **{k: data.get(k) for k in mapped}}
                for node, data in G.nodes(data=True)
            ]
        ).reindex(columns=list(TABLES["persons"].columns))
        persons = persons.astype("string")
        persons[ROW] = range(2, len(persons) + 2)
        tables = {"persons": persons, **tables}
    else:
        notes["isolates_not_loaded"] = len(isolates)
    return NetworkTables(tables, notes)


def load_network(
    driver: neo4j.Driver,
    path: Path,
    *,
    file_format: str,
    link_type: str,
    source: str | None = None,
    database: str = "neo4j",
    batch_size: int = 5000,
    workers: int = 2,
    rejects_path: Path | None = None,
    progress: bool = False,
) -> tuple[LoadSummary, dict[str, Any]]:
    """Load the network file ``path`` as associations of ``link_type``; returns the load
    summary (as :func:`loaders.folder.load_folder`'s) and the notes on the file."""
    G, notes = read_network(path, file_format)
    made = network_tables(G, link_type=link_type, source=source or path.name, notes=notes)
    read = {name: Table(rows=frame) for name, frame in made.tables.items()}
    valid, summary = validate_tables(
        read, dict.fromkeys(read, path), source=str(path), driver=driver, database=database
    )
    summary = write_validated(
        driver,
        valid,
        summary,
        database=database,
        batch_size=batch_size,
        workers=workers,
        rejects_path=rejects_path,
        progress=progress,
    )
    return summary, made.notes
