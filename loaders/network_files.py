"""Network files as analysts receive them, loaded as intelligence associations.

A network file becomes the contract's ``associations`` table (and ``persons``, when its
nodes carry person columns), which then goes through the same validation, rejects and
writer as ``graphvc load`` (:mod:`loaders.validate`, :mod:`loaders.write`): loading a file
twice changes nothing. networkx reads the files:

``graphml``
    GraphML (:func:`networkx.read_graphml`). A number-typed value that is no number (a
    weight of ``heavy``) is kept as its text, so that its tie alone is rejected.
``gexf``
    GEXF, as Gephi writes it (:func:`networkx.read_gexf`).

In both, nodes that all carry a distinct ``id`` attribute are named by it, and a network that
``graphvc export network`` wrote keeps only its people and the ties between them
(:func:`_people_named_by_id`): an export reads back as the network exported.
``edgelist``
    A CSV edge list: the first two columns are the two people, and a ``weight`` column, if
    any, the tie's value (an empty cell: 1). A row without both people is rejected.
``matrix``
    A UCINET-style adjacency matrix as CSV: the people's ids in the first row and the first
    column, each cell the value of the tie between its row and column (0 or empty: none;
    :func:`networkx.from_pandas_adjacency`). A byte-order mark is tolerated. An asymmetric
    matrix is read as undirected. A matrix with an empty or repeated id is refused whole.

Every tie becomes one association of the chosen ``type`` between the two people, its value
kept as ``weight`` (1 when the file gives none) and ``source`` set to the chosen source. A
directed network is read as undirected (associations have no direction). Node attributes
named as ``persons`` columns (:data:`graphvc.contract.TABLES`, all but ``person_id``) are loaded
into ``persons``; every other node or edge attribute is reported as ignored, never dropped
silently. People without a tie (isolates) are loaded only when the file gives them person
columns. Ids are stripped of the spaces around them; a blank id is rejected, never loaded.

A tie the file gives more than once (repeated, or both ways: an arc each way, or the two
cells of a matrix) becomes one association whose weight is the **largest** of its values
(:func:`merge_repeated_ties`); the summary counts the records merged (``merged``).
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
from loaders.tables import REJECT_COLUMNS, ROW, Table

__all__ = [
    "FORMATS",
    "NetworkTables",
    "load_network",
    "merge_repeated_ties",
    "network_tables",
    "read_network",
]

FORMATS: tuple[str, ...] = ("graphml", "edgelist", "matrix", "gexf")
#: The person columns a node attribute may fill (``person_id`` is the node itself).
_PERSON_COLUMNS = tuple(c for c in TABLES["persons"].columns if c != "person_id")
#: The edge attribute that holds a tie's row in its file: not a string, so that no attribute
#: of a file (GraphML and GEXF name theirs with strings) can be taken for it.
_FILE_ROW = ("graphvc", "row")


@dataclass
class NetworkTables:
    """Contract tables made from a network file, and what was made of the file."""

    tables: dict[str, pd.DataFrame]
    notes: dict[str, Any] = field(default_factory=dict)


def _matrix(path: Path) -> tuple[nx.Graph, dict[str, int]]:
    """The network of an adjacency matrix CSV; notes: how many pairs' two cells differ, and
    how many of them give a tie both ways (merged: the larger value is kept)."""
    try:
        cells = pd.read_csv(
            path, header=None, encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{path}: cannot be read as a matrix: {str(e).splitlines()[0]}") from None
    cells = cells.fillna("").apply(lambda column: column.str.strip())
    columns, index = list(cells.iloc[0, 1:]), list(cells.iloc[1:, 0])
    for where, ids in (("first row", columns), ("first column", index)):
        for position, person in enumerate(ids, start=2):
            if person == "":
                raise InputError(
                    f"{path}: the matrix's {where} has an empty id at position {position}; "
                    "every row and column needs the id of its person"
                )
            if ids.index(person) != position - 2:
                raise InputError(f"{path}: the matrix's {where} gives the id {person!r} twice")
    frame = pd.DataFrame(cells.iloc[1:, 1:].to_numpy(), index=index, columns=columns)
    if index != columns:
        raise InputError(
            f"{path}: not an adjacency matrix: the first column's ids "
            f"({', '.join(index[:3])}, ...) differ from the first row's "
            f"({', '.join(columns[:3])}, ...)"
        )
    values = frame.apply(lambda column: pd.to_numeric(column, errors="coerce"))
    bad = values.isna() & (frame != "")
    if bad.any().any():
        i, j = np.argwhere(bad.to_numpy())[0]
        raise InputError(
            f"{path}: cell ({index[i]}, {columns[j]}) {frame.iloc[i, j]!r} is not a number"
        )
    weights = values.fillna(0.0).to_numpy(float)
    differ = np.triu(weights != weights.T)
    both_ways = differ & (weights != 0) & (weights.T != 0)
    symmetric = pd.DataFrame(np.maximum(weights, weights.T), index=index, columns=index)
    notes = {"asymmetric_pairs": int(differ.sum()), "merged": int(both_ways.sum())}
    return nx.from_pandas_adjacency(symmetric), notes


def _edge_list(path: Path) -> tuple[nx.MultiGraph, pd.DataFrame]:
    """The ties of an edge list CSV, each edge carrying its row in the file (``_FILE_ROW``), and
    the rejects of the rows that do not name both people."""
    try:
        frame = pd.read_csv(
            path, encoding="utf-8-sig", dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(
            f"{path}: cannot be read as an edge list: {str(e).splitlines()[0]}"
        ) from None
    if frame.shape[1] < 2:
        raise InputError(f"{path}: an edge list needs two columns, the two people of each tie")
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.fillna("").apply(lambda column: column.str.strip())
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # the row in the file
    frame = frame[(frame != "").any(axis=1)]  # not the blank lines
    first, second = frame.columns[:2]
    G = nx.MultiGraph()
    rejects = []
    for row, record in zip(frame.index, frame.to_dict("records"), strict=True):
        a, b = record.pop(first), record.pop(second)
        if a and b:
            G.add_edges_from([(a, b, {**record, _FILE_ROW: row})])
            continue
        blank = [column for column, person in ((first, a), (second, b)) if not person]
        reason = "blank person id: a tie needs both people"
        rejects.append([str(path), row, "+".join(blank), "|".join("" for _ in blank), reason])
    return G, pd.DataFrame(rejects, columns=REJECT_COLUMNS)


def _graphml(path: Path) -> nx.Graph:
    """The network of a GraphML file; a value of a number-typed key that is no number is kept
    as its text (validation then rejects its tie alone, where networkx would stop)."""
    reader = nx.readwrite.graphml.GraphMLReader(node_type=str)
    for name, number in (("int", int), ("long", int), ("float", float), ("double", float)):
        reader.python_type[name] = _or_text(number)
    graphs = list(reader(path=str(path)))
    if not graphs:
        raise nx.NetworkXError("file not successfully read as graphml")
    return graphs[0]


def _people_named_by_id(G: nx.Graph, notes: dict[str, Any]) -> nx.Graph:
    """The people of a GraphML or GEXF network, each named by their ``id`` attribute.

    A network exported by graphvc (``graphvc export network``; its nodes carry ``labels``)
    holds incidents and places too: only its people, and the ties between them, are kept
    (``notes["not_people_set_aside"]``, ``notes["ties_not_between_people"]``). A file whose
    every node has an ``id`` attribute, all distinct (graphvc's exports, and files whose XML
    ids are only positions, as ``Person:P1`` or ``n0``), names each node by it
    (``notes["named_by_id_attribute"]``); otherwise the XML ids name the nodes.
    """
    if any("labels" in data for _, data in G.nodes(data=True)):
        others = [n for n, data in G.nodes(data=True) if data.get("labels") != "Person"]
        if others:
            G = G.copy()
            ties = G.number_of_edges()
            G.remove_nodes_from(others)
            notes["not_people_set_aside"] = len(others)
            notes["ties_not_between_people"] = ties - G.number_of_edges()
    names = {n: str(data.get("id", "")).strip() for n, data in G.nodes(data=True)}
    if G and all(names.values()) and len(set(names.values())) == len(names):
        if any(name != str(node) for node, name in names.items()):
            G = nx.relabel_nodes(G, names, copy=True)
            notes["named_by_id_attribute"] = G.number_of_nodes()
        for _, data in G.nodes(data=True):
            data.pop("id", None)
    return G


def _or_text(number: type) -> Any:
    """``number`` (int or float) as a converter that gives back text that is no number."""

    def convert(text: str) -> Any:
        try:
            return number(text)
        except ValueError:
            return text

    return convert


def read_network(path: Path, file_format: str) -> tuple[nx.Graph, dict[str, Any], pd.DataFrame]:
    """The network in ``path`` (one of :data:`FORMATS`), notes on how it was read, and the
    rejects of ties set aside while reading. The graph may be directed or hold parallel
    edges (:func:`network_tables` merges them); an edge list's edges carry their row in the
    file. Raises :class:`InputError` when the file cannot be read as that
    format."""
    if file_format not in FORMATS:
        raise InputError(f"--format {file_format!r} is not one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    notes: dict[str, Any] = {"format": file_format}
    rejects = pd.DataFrame(columns=REJECT_COLUMNS)
    G: nx.Graph
    if file_format == "matrix":
        G, matrix_notes = _matrix(path)
        notes |= matrix_notes
    elif file_format == "edgelist":
        G, rejects = _edge_list(path)
    else:
        try:
            G = _graphml(path) if file_format == "graphml" else nx.read_gexf(path)
        except Exception as e:  # the readers raise many kinds (XML, key, value errors)
            raise InputError(f"{path}: cannot be read as {file_format}: {e}") from None
        G = _people_named_by_id(G, notes)
    if G.is_directed():
        notes["directed_read_as_undirected"] = G.number_of_edges()
    return G, notes, rejects


def _weight_text(weight: object) -> str | None:
    """A tie's value as the table's text: a number as read, other text as given (for its
    reject to show), nothing when the file gives none."""
    if weight is None:
        return None
    if isinstance(weight, (int, float, np.number)):  # NaN stays "nan", to be rejected
        return str(float(weight))
    return str(weight).strip() or None


def _person_id(node: object) -> str | None:
    """A node's id, stripped; None when blank (validation rejects it, no id is invented)."""
    return str(node).strip() or None


def merge_repeated_ties(associations: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per pair of people, with the largest weight the pair is given (an empty
    weight counts as 1), and how many rows were merged into another.

    The largest, not the sum: a file that lists every undirected tie once from each end (as
    many tools export them) or repeats a tie must not double its strength, and the largest
    is what an asymmetric matrix already keeps. Rows that cannot be merged (a missing person,
    one person twice, a weight that is no number above 0) are left for validation to reject,
    so a good record of a pair still loads beside a bad one.

    >>> ties = pd.DataFrame({"person_a": ["A", "A", "A", "C"], "person_b": ["B", "B", "B", "D"],
    ...                      "weight": ["2", "5", "heavy", None], ROW: [2, 3, 4, 5]})
    >>> merged, count = merge_repeated_ties(ties)
    >>> merged.fillna("-").to_numpy().tolist(), count
    ([['A', 'B', '5', 3], ['A', 'B', 'heavy', 4], ['C', 'D', '-', 5]], 1)
    """
    text = associations["weight"].astype(object).where(associations["weight"].notna(), None)
    value = pd.to_numeric(text, errors="coerce").astype("float64")
    value = value.where(text.notna(), 1.0)
    mergeable = (
        (
            associations["person_a"].notna()
            & associations["person_b"].notna()
            & (associations["person_a"] != associations["person_b"])
            & np.isfinite(value)
            & (value > 0)
        )
        .fillna(False)
        .astype(bool)
    )
    candidates = value[mergeable]
    pairs = [associations.loc[mergeable, "person_a"], associations.loc[mergeable, "person_b"]]
    strongest = candidates.groupby(pairs, sort=False).idxmax() if len(candidates) else []
    kept = associations.loc[list(strongest)]
    merged = int(mergeable.sum()) - len(kept)
    rows = pd.concat([kept, associations[~mergeable]]).sort_values(ROW, kind="stable")
    return rows.reset_index(drop=True), merged


def network_tables(
    G: nx.Graph, *, link_type: str, source: str | None, notes: dict[str, Any] | None = None
) -> NetworkTables:
    """The contract's ``associations`` (and ``persons``) tables of the network ``G``, as
    strings with their ``_row`` (the tie's row in the file when its edge carries one, else
    the position of the tie or node in the file, from 2). Repeated ties, and ties both ways,
    are merged (:func:`merge_repeated_ties`; ``notes["merged"]`` counts them).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("A", "B", {"weight": 2.0, "colour": "red"}), ("B", "A", {"weight": 3})])
    >>> G.nodes["A"]["sex"] = "F"
    >>> made = network_tables(G, link_type="gang", source="test")
    >>> made.tables["associations"][["person_a", "person_b", "type", "weight"]].values.tolist()
    [['A', 'B', 'gang', '3.0']]
    >>> made.tables["persons"][["person_id", "sex"]].fillna("").values.tolist()
    [['A', 'F'], ['B', '']]
    >>> made.notes["ignored_edge_attributes"], made.notes["merged"]
    (['colour'], 1)
    """
    if link_type not in ASSOCIATION_TYPES:
        raise InputError(f"--type {link_type!r} is not one of {', '.join(ASSOCIATION_TYPES)}")
    notes = dict(notes or {})
    node_attributes = sorted({key for _, data in G.nodes(data=True) for key in data})
    edge_attributes = sorted(
        {key for _, _, data in G.edges(data=True) for key in data if key != _FILE_ROW}
    )
    mapped = [key for key in node_attributes if key in _PERSON_COLUMNS]
    notes["nodes"] = G.number_of_nodes()
    notes["ties"] = 0  # counted below, once repeated ties are merged
    notes["person_attributes"] = mapped
    notes["ignored_node_attributes"] = [k for k in node_attributes if k not in mapped]
    notes["ignored_edge_attributes"] = [k for k in edge_attributes if k != "weight"]
    rows = []
    for position, (u, v, data) in enumerate(G.edges(data=True), start=2):
        a, b = _person_id(u), _person_id(v)
        if a is not None and b is not None:
            a, b = sorted((a, b))
        weight = _weight_text(data.get("weight"))
        rows.append((a, b, link_type, weight, source, data.get(_FILE_ROW, position)))
    columns = [*TABLES["associations"].columns, ROW]
    associations = pd.DataFrame(rows, columns=columns).astype(
        {c: "string" for c in TABLES["associations"].columns} | {ROW: "int64"}
    )
    associations, merged = merge_repeated_ties(associations)
    notes["ties"] = len(associations)
    notes["merged"] = notes.get("merged", 0) + merged
    tables = {"associations": associations}
    isolates = [node for node in G if G.degree(node) == 0]
    if mapped:
        persons = pd.DataFrame(
            [
                {"person_id": _person_id(node), **{k: data.get(k) for k in mapped}}
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
    G, notes, set_aside = read_network(path, file_format)
    made = network_tables(G, link_type=link_type, source=source or path.name, notes=notes)
    read = {name: Table(rows=frame) for name, frame in made.tables.items()}
    read["associations"].malformed = set_aside
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
