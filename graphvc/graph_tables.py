"""Reading the graph back out as the input contract's tables.

The analysis never speaks to Neo4j: a run (:mod:`graphvc.runs`) reads the graph here, as the
contract's tables (:mod:`graphvc.contract`), and hands them to the pure measures of
:mod:`graphvc.analysis`. Each table is one read query (``cypher/analysis/``), in the order the
database returns; :func:`graphvc.runs.analyse` puts every table in the contract's canonical
order (:func:`canonical`) once, whoever made it, so the same graph always gives the same run.
No identifying column (a person's name) is read.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from itertools import chain
from typing import Any

import neo4j
import numpy as np
import pandas as pd

from graphvc.contract import LOCAL_TIME_ZONE, TABLES, read_columns
from graphvc.db import read_cypher, run_query
from graphvc.errors import DatabaseError

__all__ = ["canonical", "default_as_of", "latest_incident", "read_graph_tables"]


#: The tables cut to the window; the others are read whole.
_WINDOWED = ("incidents", "involvements")
#: The windowed tables are read in this many parts at once (by their incidents' internal ids),
#: so the server produces the largest tables on two cores: the incidents alone are over half
#: of the read of a large graph (bench/bench_read.py measures parts against a whole read).
_PARTS = 2
#: Columns read as epoch milliseconds, returned as London wall-clock time: the date-times.
_INSTANTS = tuple(
    dict.fromkeys(c.name for spec in TABLES.values() for c in spec.declared if c.type == "datetime")
)
#: The tables whose rows start with their node's internal id (``id(n)``), by their key: the
#: tables of nodes.
_NODES = {name: spec.key[0] for name, spec in TABLES.items() if spec.node}
#: The columns read as the internal id of a node of another table, by that table: reading a
#: node's key per row (``p.id``) costs the server 1.5 to 2.5 times as much as its id
#: (``bench/bench_read.py``), so the keys are put back here from the node tables.
_REFERENCES = {
    "incidents": {"location_id": "locations"},
    "involvements": {"person_id": "persons", "incident_id": "incidents"},
}
#: The largest tables come in records of the rows whose node (or relationship) ids fall in one
#: range this long, so the driver decodes each while the server sends the next: fewer rows
#: than ids where labels share the ids or a table is read in parts, more where a node has
#: several rows (the involvements, by incident).
_CHUNK = 10_000
#: The tables read as one list per column, by their columns read as codes (positions in a
#: list of the contract's values); the others are read as one list per row. A list per column
#: skips nulls, so only a table none of whose values is ever null can be read so.
_COLUMNAR: dict[str, dict[str, tuple[str, ...]]] = {
    "involvements": {"role": TABLES["involvements"].column("role").allowed}
}
#: How many times the tables are read when the graph changes between two of their reads.
_ATTEMPTS = 3


def canonical(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns of ``table`` as read from the graph, in the order of its key.

    Examples
    --------
    >>> frame = pd.DataFrame({"person_b": ["P3", "P2"], "person_a": ["P1", "P1"]})
    >>> canonical("associations", frame)["person_b"].tolist()
    ['P2', 'P3']
    >>> list(canonical("associations", frame).columns)
    ['person_a', 'person_b', 'type', 'weight', 'source']
    """
    columns = read_columns(table)
    frame = frame.reindex(columns=columns)
    key = list(TABLES[table].key)
    return frame.sort_values(key, kind="stable", ignore_index=True)


def read_graph_tables(
    driver: neo4j.Driver,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    workers: int = 2,
    database: str = "neo4j",
) -> dict[str, pd.DataFrame]:
    """The graph as the input contract's tables, one read query each (the incidents and
    involvements in two parts), ``workers`` at once.

    Incidents are those with ``start <= occurred_at < end`` (either may be None: open;
    a moment without a time zone is London wall-clock time), and involvements are the
    involvements in them; persons, locations, risk assessments and associations are read
    whole. ``occurred_at`` and ``assessed_at`` come back as London wall-clock datetimes.

    Each query returns its table as a few records of many rows (``collect([...])`` over a
    range of internal ids, :data:`_CHUNK`), which the driver decodes several times faster
    than one record per row, and each while the server sends the next (one record of all rows
    took 1 s longer at 1,000,000 incidents); where no value can be null (the involvements),
    as one list per column, faster again; and instants as epoch milliseconds, which pandas
    turns into wall-clock time at once: formatting them as text on the server and parsing the
    text here, or hydrating the driver's ``DateTime`` objects, cost more than the rest of the
    read. Persons, locations and incidents are named in the other tables by their nodes'
    internal ids, cheaper to read than their keys, and the keys put back here; when the graph
    changes between two reads so that an id names no node read (a load running meanwhile),
    the tables are read again, and after three such reads
    :class:`graphvc.errors.DatabaseError` is raised. The tables are read concurrently, each in
    a session of its own (the driver is thread-safe, sessions are not), so the server works
    on two queries at a time (``bench/bench_read.py`` measures each of these choices).
    """
    window = {"start": _zoned(start), "end": _zoned(end)}

    def read(table: str, part: int) -> pd.DataFrame:
        parameters: dict[str, Any] = {"chunk": _CHUNK}
        if table in _WINDOWED:
            parameters |= window | {"part": part, "parts": _PARTS}
        chunks = run_query(driver, read_cypher(f"analysis/{table}"), parameters, database=database)
        if table in _COLUMNAR:
            return _columns_frame(table, {c: _joined(chunks[c]) for c in read_columns(table)})
        return _frame(table, _joined(chunks["rows"]))

    # The largest tables first, each in parts, so the last to finish is a small one.
    reads = [(table, part) for table in _WINDOWED for part in range(_PARTS)]
    reads += [(table, 0) for table in TABLES if table not in _WINDOWED]
    for _attempt in range(_ATTEMPTS):
        with _collector_paused():
            with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
                parts = list(pool.map(read, *zip(*reads, strict=True)))
            frames = {
                table: pd.concat(
                    [f for (t, _), f in zip(reads, parts, strict=True) if t == table],
                    ignore_index=True,
                )
                for table in TABLES
            }
            resolved = _with_keys(frames)
        if resolved is not None:
            return {table: resolved[table] for table in TABLES}
    raise DatabaseError(
        f"the graph changed while it was read, {_ATTEMPTS} times running: an involvement or an "
        "incident named a node that the persons, incidents or locations read did not hold; "
        "run the analysis again once the load has finished (if no load is running: an "
        "OFFENDER_IN, SUSPECT_IN, VICTIM_IN or WITNESS_IN relationship starts at a node that "
        "is not a Person, which graphvc's loaders never write)"
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused, then left as it was.

    The driver decodes each table into millions of small lists, none of which can take part in
    a reference cycle: the collector's passes over them, triggered by their number, free
    nothing and cost a noticeable share of a large read.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _with_keys(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """``frames`` with every internal id replaced by its node's key, and the node tables'
    internal ids dropped; None when an id names no node read (the graph changed meanwhile).

    Examples
    --------
    >>> frames = {
    ...     "persons": pd.DataFrame({"_node": [7, 3], "person_id": ["P1", "P2"]}),
    ...     "locations": pd.DataFrame({"_node": [], "location_id": []}),
    ...     "incidents": pd.DataFrame({"_node": [5], "incident_id": ["I1"], "location_id": [None]}),
    ...     "involvements": pd.DataFrame({"person_id": [3, 7], "incident_id": [5, 5]}),
    ... }
    >>> _with_keys(frames)["involvements"].to_numpy().tolist()
    [['P2', 'I1'], ['P1', 'I1']]
    >>> frames["involvements"].loc[0, "person_id"] = 9
    >>> _with_keys(frames) is None
    True
    """
    nodes = {table: pd.Index(frames[table]["_node"]) for table in _NODES}
    resolved = {
        table: frame.drop(columns="_node") for table, frame in frames.items() if table in _NODES
    }
    for table, references in _REFERENCES.items():
        keys = {}
        for column, target in references.items():
            ids = frames[table][column]
            missing = ids.isna().to_numpy()
            positions = nodes[target].get_indexer(ids.where(~missing, -1).astype("int64"))
            if (positions[~missing] < 0).any():
                return None
            # The keys' own array takes them, so no string is converted: -1 takes a missing key.
            keys[column] = frames[target][_NODES[target]].array.take(positions, allow_fill=True)
        resolved[table] = resolved.get(table, frames[table]).assign(**keys)
    return {table: resolved.get(table, frame) for table, frame in frames.items()}


def _zoned(moment: datetime | None) -> str | None:
    """``moment`` as ISO 8601 with its offset (London's when it has none), or None."""
    if moment is None:
        return None
    stamp = pd.Timestamp(moment)
    return (stamp if stamp.tzinfo else stamp.tz_localize(LOCAL_TIME_ZONE)).isoformat()


def _frame(table: str, rows: list[list[Any]]) -> pd.DataFrame:
    """``rows`` as the frame of ``table``, its instants as London wall-clock datetimes.

    Examples
    --------
    >>> rows = [["P1", "I1", 1719831600000, "DASH", "high"]]
    >>> _frame("risk_assessments", rows)["assessed_at"].tolist()
    [Timestamp('2024-07-01 12:00:00')]
    """
    columns = read_columns(table)
    frame = pd.DataFrame(rows, columns=["_node", *columns] if table in _NODES else columns)
    for column in _INSTANTS:
        if column in frame:
            instants = pd.to_datetime(frame[column], unit="ms", utc=True)
            frame[column] = instants.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
    return frame


def _joined(chunks: pd.Series) -> list[Any]:
    """The lists of ``chunks`` (one per record) as one list.

    >>> _joined(pd.Series([[1, 2], [3]]))
    [1, 2, 3]
    """
    return list(chain.from_iterable(chunks))


def _columns_frame(table: str, columns: Mapping[str, list[Any]]) -> pd.DataFrame:
    """``columns`` (one list per column of ``table``) as the frame of ``table``, its coded
    columns decoded (:data:`_COLUMNAR`).

    Examples
    --------
    >>> columns = {"person_id": [7, 3], "incident_id": [5, 5], "role": [2, 0]}
    >>> _columns_frame("involvements", columns).to_numpy().tolist()
    [[7, 5, 'victim'], [3, 5, 'offender']]
    """
    frame: dict[str, Any] = {column: columns[column] for column in read_columns(table)}
    for column, values in _COLUMNAR[table].items():
        codes = np.asarray(frame[column], dtype=np.int64)
        frame[column] = np.asarray(values, dtype=object)[codes]
    return pd.DataFrame(frame)


def latest_incident(
    driver: neo4j.Driver, *, until: datetime | None = None, database: str = "neo4j"
) -> pd.Timestamp | None:
    """When the latest incident (up to ``until``, when given) occurred, London wall-clock time.

    None when there is none.
    """
    parameters = {"until": until.isoformat() if until else None}
    latest = run_query(
        driver, read_cypher("analysis/latest_incident"), parameters, database=database
    ).at[0, "latest"]
    if latest is None:
        return None
    moment = pd.Timestamp(str(latest).split("[")[0])
    return moment.tz_convert(LOCAL_TIME_ZONE).tz_localize(None)


def default_as_of(driver: neo4j.Driver, *, database: str = "neo4j") -> pd.Timestamp:
    """The day after the latest incident up to now (midnight, London time); else today.

    A graph of people and intelligence links alone has no incidents: its network is
    analysed as it stands today. An incident dated in the future is a mistake in the data
    (the loaders quarantine them, but a graph may be filled by other means): it does not move
    the default.
    """
    now = pd.Timestamp.now(tz=LOCAL_TIME_ZONE)
    latest = latest_incident(driver, until=now.to_pydatetime(), database=database)
    if latest is None:
        return now.tz_localize(None).normalize()
    return latest.normalize() + pd.Timedelta(days=1)
