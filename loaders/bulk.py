"""The bulk first load: validated tables into an empty database with Neo4j's offline importer.

``neo4j-admin database import full`` builds a store from CSV files without transactions, many
times faster than ``UNWIND`` batches, but only while the server is stopped and only into an
empty database. So a bulk load takes the tables the online loader would write (the same
validation, the same rejects, the same :func:`loaders.write.steps`), writes one CSV file per
step from the step's own declaration of what it writes (:class:`loaders.write.NodeWrite`,
:class:`loaders.write.RelationshipWrite`: the headers cannot drift from the Cypher, which a unit
test holds to the same declarations), stops the managed server, imports, starts it again and
applies the schema. The graph is the one the online loader builds; later loads are online.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from graphvc import localserver
from graphvc.config import Settings
from graphvc.db import forget_bookmarks, read_cypher, run_query
from graphvc.errors import BulkLoadError
from graphvc.schema import apply_schema
from loaders.folder import LoadSummary
from loaders.write import NODE_KEYS, NodeWrite, Property, RelationshipWrite, Step, steps

__all__ = ["ImportFiles", "check_bulk_allowed", "import_files", "write_bulk"]


def check_bulk_allowed(driver: neo4j.Driver, settings: Settings) -> None:
    """Refuse, in one line, a bulk load that cannot run: the server is not the managed one
    (``NEO4J_URI`` is set, or another process holds the port) or the database holds a node."""
    if not settings.uses_local_server:
        raise BulkLoadError(
            f"--bulk needs the managed local Neo4j, and NEO4J_URI={settings.neo4j_uri!r} is set: "
            "load online (without --bulk)"
        )
    if localserver.status(settings).pid is None:
        raise BulkLoadError(
            f"--bulk needs the managed local Neo4j, and the server at {settings.uri} was not "
            f"started from GRAPHVC_HOME={str(settings.home)!r}"
        )
    found = run_query(driver, read_cypher("load/any_node"), database=settings.neo4j_database)
    if len(found):
        raise BulkLoadError(
            f"--bulk loads only into an empty database, and {settings.neo4j_database!r} at "
            f"{settings.uri} holds nodes: load online (without --bulk)"
        )


def _cells(rows: pd.DataFrame, prop: Property) -> pa.Array:
    """One column of an import file, typed as the importer reads it (missing values null)."""
    if prop.type == "point":
        latitude, longitude = (
            pc.cast(pa.array(rows[column], type=pa.float64(), from_pandas=True), pa.string())
            for column in ("latitude", "longitude")
        )
        return pc.binary_join_element_wise(
            "{latitude:", latitude, ",longitude:", longitude, "}", ""
        )
    arrow_type = {"boolean": pa.bool_(), "double": pa.float64()}.get(prop.type, pa.string())
    return pa.array(rows[prop.column], type=arrow_type, from_pandas=True)


def _text(rows: pd.DataFrame, column: str) -> pa.Array:
    return _cells(rows, Property(column, column))


def _constant(text: str, rows: pd.DataFrame) -> pa.Array:
    return pa.repeat(pa.scalar(text), len(rows))


def _header(prop: Property) -> str:
    if prop.type == "point":
        return f"{prop.name}:point{{crs:WGS-84}}"
    return prop.name if prop.type == "string" else f"{prop.name}:{prop.type}"


def _write_csv(path: Path, columns: dict[str, pa.Array]) -> tuple[int, bool]:
    """Write ``columns`` (header -> cells) to ``path``; returns the number of rows and whether
    a cell spans lines.

    Text is quoted only in a file where some cell needs it (a comma, a quote, a line break, or
    an empty string, which unquoted would read as missing): the importer reads bare fields
    faster, and most files (ids, codes, dates) have none.
    """
    texts = [cells for cells in columns.values() if pa.types.is_string(cells.type)]
    multiline = any(_holds(cells, b"\r\n") for cells in texts)
    quoted = multiline or any(_holds(cells, b',"') or _has_empty(cells) for cells in texts)
    table = pa.table(columns)
    options = pa_csv.WriteOptions(
        include_header=False, quoting_style="needed" if quoted else "none"
    )
    with path.open("wb") as out:
        out.write((",".join(columns) + "\n").encode())
        pa_csv.write_csv(table, out, options)
    return table.num_rows, multiline


def _holds(cells: pa.StringArray, characters: bytes) -> bool:
    """Whether a cell holds one of ``characters``: a search of the array's text buffer, at
    memory speed (the buffer may hold text outside a sliced array: a false yes only quotes
    or reads more carefully than needed)."""
    text = cells.buffers()[2]
    held = b"" if text is None else text.to_pybytes()
    return any(bytes([character]) in held for character in characters)


def _has_empty(cells: pa.StringArray) -> bool:
    return bool(pc.min(pc.binary_length(cells)).as_py() == 0)


@dataclass
class ImportFiles:
    """The importer's input: node and relationship files, whether any field spans lines (the
    importer reads such files more slowly, so only when needed), and the update counters the
    load makes (nodes, labels, relationships and properties created), as the online loader
    reports them."""

    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    multiline: bool = False
    counters: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("nodes_created", "labels_added", "relationships_created", "properties_set"), 0
        )
    )

    def add(self, path: Path, columns: dict[str, pa.Array], *, node: bool) -> None:
        """Write one file and count what it creates."""
        written, multiline = _write_csv(path, columns)
        self.multiline |= multiline
        (self.nodes if node else self.relationships).append(path)
        kinds = ("nodes_created", "labels_added") if node else ("relationships_created",)
        for kind in kinds:
            self.counters[kind] += written
        self.counters["properties_set"] += sum(
            len(cells) - cells.null_count
            for header, cells in columns.items()
            if not header.startswith(":")
        )


class _NodeNumbers:
    """The importer's node ids: each node written takes the next number, and relationships
    name their ends by number (``--id-type=actual``), so the importer maps no string ids,
    which was most of its time on relationships."""

    def __init__(self) -> None:
        self.count = 0
        self.keys: dict[str, list[pa.Array]] = {}
        self.numbers: dict[str, list[pa.Array]] = {}

    def add(self, label: str, keys: pa.Array) -> pa.Array:
        """Number the nodes of ``label`` keyed by ``keys`` (the next numbers, in order)."""
        first, self.count = self.count, self.count + len(keys)
        numbers = pa.array(np.arange(first, self.count, dtype=np.int64))
        self.keys.setdefault(label, []).append(keys)
        self.numbers.setdefault(label, []).append(numbers)
        return numbers

    def known(self, label: str) -> pa.Array:
        """The keys of the ``label`` nodes numbered so far."""
        return pa.concat_arrays([pa.array([], pa.string()), *self.keys.get(label, [])])

    def of(self, label: str, keys: list[pa.Array]) -> list[pa.Array]:
        """The numbers of the ``label`` nodes keyed by each of ``keys`` (looked up at once: each
        lookup hashes every key of the label); raises :class:`graphvc.errors.BulkLoadError`
        naming a key no node has."""
        wanted = pa.concat_arrays(keys)
        numbers = pa.concat_arrays([pa.array([], pa.int64()), *self.numbers.get(label, [])])
        found = numbers.take(pc.index_in(wanted, value_set=self.known(label)))
        if found.null_count:
            missing = wanted.filter(pc.is_null(found))[0].as_py()
            raise BulkLoadError(f"a relationship names the {label} {missing!r}, never loaded")
        starts = np.cumsum([0, *map(len, keys)])
        return [
            found.slice(start, len(part)) for start, part in zip(starts[:-1], keys, strict=True)
        ]


def _node_columns(
    rows: pd.DataFrame, writes: NodeWrite, numbers: _NodeNumbers
) -> dict[str, pa.Array]:
    keys = _cells(rows, writes.key)
    columns = {":ID": numbers.add(writes.label, keys), writes.key.name: keys}
    columns |= {_header(prop): _cells(rows, prop) for prop in writes.properties}
    columns[":LABEL"] = _constant(writes.label, rows)
    return columns


def _relationship_columns(
    rows: pd.DataFrame, writes: RelationshipWrite, start: pa.Array, end: pa.Array
) -> dict[str, pa.Array]:
    columns = {":START_ID": start, ":END_ID": end, ":TYPE": _constant(writes.type, rows)}
    return columns | {_header(prop): _cells(rows, prop) for prop in writes.properties}


def _numbered_ends(
    relationships: list[tuple[RelationshipWrite, pd.DataFrame]], numbers: _NodeNumbers
) -> list[tuple[pa.Array, pa.Array]]:
    """The start and end node numbers of the rows of each relationship step."""
    keys: dict[str, list[pa.Array]] = {}
    for writes, rows in relationships:
        for label, column in (writes.start, writes.end):
            keys.setdefault(label, []).append(_text(rows, column))
    found = {label: iter(numbers.of(label, parts)) for label, parts in keys.items()}
    return [
        (next(found[writes.start[0]]), next(found[writes.end[0]])) for writes, _ in relationships
    ]


def _bare_ends(found: list[Step], numbers: _NodeNumbers) -> dict[str, pa.Array]:
    """Keys of the ends that a relationship statement MERGEs and no node was written for,
    by label (sorted)."""
    bare: dict[str, list[pa.Array]] = {}
    for step in found:
        writes = step.writes
        if not isinstance(writes, RelationshipWrite) or not writes.creates_ends:
            continue
        for label, column in (writes.start, writes.end):
            ends = pc.drop_null(_text(step.rows, column))
            unknown = pc.invert(pc.is_in(ends, value_set=numbers.known(label)))
            bare.setdefault(label, []).append(ends.filter(unknown))
    sorted_ends: dict[str, pa.Array] = {}
    for label, ends in bare.items():
        unique = pc.unique(pa.concat_arrays(ends))
        sorted_ends[label] = unique.take(pc.array_sort_indices(unique))
    return sorted_ends


def import_files(tables: Mapping[str, pd.DataFrame], folder: Path) -> ImportFiles:
    """Write the importer's CSV files for ``tables`` into ``folder``, one per load step:
    nodes first (numbered), then the relationships between them."""
    found = [(number, step) for number, step in enumerate(steps(tables)) if not step.rows.empty]
    files = ImportFiles()
    numbers = _NodeNumbers()
    for number, step in found:
        if isinstance(step.writes, NodeWrite):
            path = folder / f"{number:02d}-{step.writes.label.lower()}.csv"
            files.add(path, _node_columns(step.rows, step.writes, numbers), node=True)
    for label, keys in _bare_ends([step for _, step in found], numbers).items():
        if len(keys):
            key = NODE_KEYS[label]
            rows = pd.DataFrame({key.column: keys.to_pandas()})
            path = folder / f"bare-{label.lower()}.csv"
            files.add(path, _node_columns(rows, NodeWrite(label, key), numbers), node=True)
    relationships = [
        (number, step.writes, step.rows)
        for number, step in found
        if isinstance(step.writes, RelationshipWrite)
    ]
    ends = _numbered_ends([(writes, rows) for _, writes, rows in relationships], numbers)
    for (number, writes, rows), (start, end) in zip(relationships, ends, strict=True):
        path = folder / f"{number:02d}-{writes.type.lower()}.csv"
        files.add(path, _relationship_columns(rows, writes, start, end), node=False)
    return files


def write_bulk(
    driver: neo4j.Driver,
    settings: Settings,
    valid: Mapping[str, pd.DataFrame],
    summary: LoadSummary,
    *,
    rejects_path: Path | None = None,
) -> LoadSummary:
    """Write the ``valid`` tables into the empty database of the managed server with the
    offline importer, then apply the schema; the summary, with the update counters.

    The server is stopped for the import (while the import files are written) and started
    again after it (even when it fails);
    ``driver`` reconnects by itself, and forgets the old store's transactions
    (:func:`graphvc.db.forget_bookmarks`); any other driver open on the server must do the same
    or be reopened. The import files live in a temporary folder under
    ``GRAPHVC_HOME``, removed afterwards. Raises :class:`graphvc.errors.BulkLoadError` when
    the load cannot be bulk (see :func:`check_bulk_allowed`).
    """
    check_bulk_allowed(driver, settings)
    if rejects_path is not None:
        summary.write_rejects(rejects_path)
    settings.home.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bulk-import-", dir=settings.home))
    try:
        try:
            # The server's shutdown (seconds of its own work) runs while the files are written.
            with ThreadPoolExecutor(max_workers=1) as pool:
                stopped = pool.submit(localserver.stop, settings)
                files = import_files(valid, work)
                stopped.result()
            localserver.import_database(
                settings,
                nodes=files.nodes,
                relationships=files.relationships,
                work=work,
                multiline=files.multiline,
            )
        finally:
            localserver.start(settings)
            forget_bookmarks(driver, settings.neo4j_database)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    apply_schema(driver, database=settings.neo4j_database)
    summary.counters = files.counters
    return summary
