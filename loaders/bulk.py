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

import csv
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
import pandas as pd

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


def _cells(rows: pd.DataFrame, prop: Property) -> pd.Series:
    """One column of an import file: the importer's text for each value, None when missing."""
    if prop.type == "point":
        return pd.Series(
            [
                None if pd.isna(lat) else f"{{latitude:{lat!r},longitude:{lon!r}}}"
                for lat, lon in zip(rows["latitude"], rows["longitude"], strict=True)
            ],
            index=rows.index,
            dtype=object,
        )
    values = rows[prop.column].astype(object)
    if prop.type == "boolean":
        values = values.map(lambda value: None if pd.isna(value) else str(bool(value)).lower())
    elif prop.type == "double":
        values = values.map(lambda value: None if pd.isna(value) else repr(float(value)))
    return values.where(values.notna(), None)


def _header(prop: Property) -> str:
    if prop.type == "point":
        return f"{prop.name}:point{{crs:WGS-84}}"
    return prop.name if prop.type == "string" else f"{prop.name}:{prop.type}"


def _write_csv(path: Path, columns: dict[str, pd.Series]) -> tuple[int, bool]:
    """Write ``columns`` (header -> cells) to ``path``; returns the number of rows and whether
    a cell spans lines."""
    frame = pd.DataFrame(columns)
    frame.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    multiline = any(
        cells.astype("string").str.contains(r"[\r\n]", regex=True).fillna(False).any()
        for cells in columns.values()
    )
    return len(frame), bool(multiline)


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

    def add(self, path: Path, columns: dict[str, pd.Series], *, node: bool) -> None:
        """Write one file and count what it creates."""
        written, multiline = _write_csv(path, columns)
        self.multiline |= multiline
        (self.nodes if node else self.relationships).append(path)
        kinds = ("nodes_created", "labels_added") if node else ("relationships_created",)
        for kind in kinds:
            self.counters[kind] += written
        self.counters["properties_set"] += sum(
            int(cells.notna().sum())
            for header, cells in columns.items()
            if not header.startswith(":") and "_ID(" not in header
        ) + (written if node else 0)


def _node_columns(rows: pd.DataFrame, writes: NodeWrite) -> dict[str, pd.Series]:
    columns = {f"{writes.key.name}:ID({writes.label})": rows[writes.key.column].astype(object)}
    columns |= {_header(prop): _cells(rows, prop) for prop in writes.properties}
    columns[":LABEL"] = pd.Series(writes.label, index=rows.index, dtype=object)
    return columns


def _relationship_columns(rows: pd.DataFrame, writes: RelationshipWrite) -> dict[str, pd.Series]:
    (start_label, start), (end_label, end) = writes.start, writes.end
    columns = {
        f":START_ID({start_label})": rows[start].astype(object),
        f":END_ID({end_label})": rows[end].astype(object),
        ":TYPE": pd.Series(writes.type, index=rows.index, dtype=object),
    }
    return columns | {_header(prop): _cells(rows, prop) for prop in writes.properties}


def _bare_ends(found: list[Step]) -> dict[str, tuple[Property, set[str]]]:
    """Ends that a relationship statement MERGEs and no node step writes, by label."""
    written: dict[str, set[str]] = {}
    for step in found:
        if isinstance(step.writes, NodeWrite):
            column = step.writes.key.column
            written.setdefault(step.writes.label, set()).update(step.rows[column])
    bare: dict[str, tuple[Property, set[str]]] = {}
    for step in found:
        writes = step.writes
        if not isinstance(writes, RelationshipWrite) or not writes.creates_ends:
            continue
        for label, column in (writes.start, writes.end):
            ids = set(step.rows[column].dropna()) - written.get(label, set())
            bare.setdefault(label, (NODE_KEYS[label], set()))[1].update(ids)
    return bare


def import_files(tables: Mapping[str, pd.DataFrame], folder: Path) -> ImportFiles:
    """Write the importer's CSV files for ``tables`` into ``folder``, one per load step."""
    found = steps(tables)
    files = ImportFiles()
    for number, step in enumerate(found):
        if step.rows.empty:
            continue
        if isinstance(step.writes, NodeWrite):
            path = folder / f"{number:02d}-{step.writes.label.lower()}.csv"
            files.add(path, _node_columns(step.rows, step.writes), node=True)
        else:
            path = folder / f"{number:02d}-{step.writes.type.lower()}.csv"
            files.add(path, _relationship_columns(step.rows, step.writes), node=False)
    for label, (key, ids) in _bare_ends(found).items():
        if ids:
            rows = pd.DataFrame({key.column: sorted(ids)})
            path = folder / f"bare-{label.lower()}.csv"
            files.add(path, _node_columns(rows, NodeWrite(label, key)), node=True)
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

    The server is stopped for the import and started again after it (even when it fails);
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
        files = import_files(valid, work)
        localserver.stop(settings)
        try:
            localserver.import_database(
                settings, nodes=files.nodes, relationships=files.relationships, work=work,
                multiline=files.multiline,
            )  # fmt: skip
        finally:
            localserver.start(settings)
            forget_bookmarks(driver, settings.neo4j_database)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    apply_schema(driver, database=settings.neo4j_database)
    summary.counters = files.counters
    return summary
