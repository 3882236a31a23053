"""Load a folder of contract tables into the graph: read, validate, quarantine, write.

The order of work keeps the promise that nothing good is lost and nothing half-read is
written: every file is read and its header checked first (an unusable file stops the load
before any write); then each table is validated, its bad rows set aside as rejects; then the
valid rows of all tables are written, nodes before relationships.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd

from graphvc.contract import TABLES
from graphvc.files import csv_text
from graphvc.harm_index import HarmTable, load_harm_table
from loaders.tables import Table, find_tables, read_table
from loaders.validate import REJECT_COLUMNS, strip_cells, validate_table
from loaders.write import existing_ids, write_tables

__all__ = ["LoadSummary", "load_folder", "validate_folder", "validate_tables", "write_validated"]

# Which references each table makes: column -> (referenced table, its id column, label).
_REFERENCES: dict[str, dict[str, tuple[str, str, str]]] = {
    "incidents": {"location_id": ("locations", "location_id", "Location")},
    "involvements": {
        "person_id": ("persons", "person_id", "Person"),
        "incident_id": ("incidents", "incident_id", "Incident"),
    },
    "risk_assessments": {
        "person_id": ("persons", "person_id", "Person"),
        "incident_id": ("incidents", "incident_id", "Incident"),
    },
}


@dataclass
class LoadSummary:
    """What a load read, wrote and set aside."""

    folder: str
    rows_read: dict[str, int] = field(default_factory=dict)
    rows_valid: dict[str, int] = field(default_factory=dict)
    rows_rejected: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    rejects_file: str | None = None
    #: The optional columns each table's file did not have: a load leaves their values in
    #: the graph alone.
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def total_read(self) -> int:
        return sum(self.rows_read.values())

    @property
    def total_rejected(self) -> int:
        return sum(self.rows_rejected.values())

    @property
    def reject_rate(self) -> float:
        return self.total_rejected / self.total_read if self.total_read else 0.0

    def write_rejects(self, path: Path) -> None:
        """Write the rejects to ``path`` (CSV), or remove an older file there when there are none."""
        if len(self.rejects):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(csv_text(self.rejects, index=False), encoding="utf-8")
            self.rejects_file = str(path)
        else:
            path.unlink(missing_ok=True)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (without the rejects themselves)."""
        return {
            "folder": self.folder,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_valid,
            "rows_rejected": self.rows_rejected,
            "reject_rate": round(self.reject_rate, 6),
            "rejects_file": self.rejects_file,
            "graph_changes": {k: v for k, v in sorted(self.counters.items()) if v},
        }


def validate_folder(
    folder: Path,
    *,
    harm: HarmTable | None = None,
    driver: neo4j.Driver | None = None,
    database: str = "neo4j",
) -> tuple[dict[str, pd.DataFrame], LoadSummary]:
    """Read and validate every contract table in ``folder``.

    References to ids outside the folder are accepted when ``driver`` finds them in the graph.
    Raises :class:`graphvc.errors.InputError` when a file cannot be used at all.
    """
    paths = find_tables(folder)
    read = {name: read_table(path, TABLES[name]) for name, path in paths.items()}
    return validate_tables(
        read, paths, source=str(folder), harm=harm, driver=driver, database=database
    )


def validate_tables(
    read: Mapping[str, Table],
    files: Mapping[str, Path],
    *,
    source: str,
    harm: HarmTable | None = None,
    driver: neo4j.Driver | None = None,
    database: str = "neo4j",
) -> tuple[dict[str, pd.DataFrame], LoadSummary]:
    """Validate contract tables read as strings with their ``_row`` and malformed rows
    (:class:`loaders.tables.Table`: from a folder, or made from another format,
    :mod:`loaders.network_files`), in the contract's order.

    ``files`` names each table's file in its rejects; ``source`` names the load in the
    summary. References to ids outside the tables are accepted when ``driver`` finds them in
    the graph.
    """
    harm = harm or load_harm_table()
    summary = LoadSummary(folder=source)
    valid: dict[str, pd.DataFrame] = {}
    rejects: list[pd.DataFrame] = []
    for name in [table for table in TABLES if table in read]:
        as_read = read[name]
        frame = as_read.rows
        known: dict[str, set[str]] = {
            table: set() for table in ("persons", "incidents", "locations")
        }
        for column, (table, id_column, label) in _REFERENCES.get(name, {}).items():
            in_folder = set(valid[table][id_column]) if table in valid else set()
            outside = set(strip_cells(frame[[column]])[column].dropna()) - in_folder
            in_graph = existing_ids(driver, label, outside, database=database) if driver else set()
            known[table] = in_folder | in_graph
        checked = validate_table(name, frame, file=files[name], harm=harm, known=known)
        valid[name] = checked.rows
        summary.absent[name] = as_read.absent
        rejects += [as_read.malformed, checked.rejects]
        summary.rows_read[name] = len(frame) + len(as_read.malformed)
        summary.rows_valid[name] = len(checked.rows)
        summary.rows_rejected[name] = len(as_read.malformed) + (
            int(checked.rejects["row"].nunique()) if len(checked.rejects) else 0
        )
    nonempty = [r for r in rejects if len(r)]
    if nonempty:
        summary.rejects = pd.concat(nonempty, ignore_index=True)
    return valid, summary


def write_validated(
    driver: neo4j.Driver,
    valid: Mapping[str, pd.DataFrame],
    summary: LoadSummary,
    *,
    database: str = "neo4j",
    batch_size: int = 5000,
    workers: int = 2,
    rejects_path: Path | None = None,
    progress: bool = False,
) -> LoadSummary:
    """Write the rejects of ``summary`` (see :meth:`LoadSummary.write_rejects`) and the
    ``valid`` rows to the graph, leaving alone the values of the columns the summary found
    absent; the summary, with the graph's update counters."""
    if rejects_path is not None:
        summary.write_rejects(rejects_path)
    summary.counters = write_tables(
        driver,
        valid,
        database=database,
        batch_size=batch_size,
        workers=workers,
        progress=progress,
        absent=summary.absent,
    )
    return summary


def load_folder(
    driver: neo4j.Driver,
    folder: Path,
    *,
    database: str = "neo4j",
    batch_size: int = 5000,
    workers: int = 2,
    rejects_path: Path | None = None,
    harm: HarmTable | None = None,
    progress: bool = False,
) -> LoadSummary:
    """Validate ``folder`` and write its valid rows to the graph.

    Parameters
    ----------
    driver : neo4j.Driver
    folder : Path
        Holds any of ``persons``, ``locations``, ``incidents``, ``involvements``,
        ``associations`` as ``.csv`` or ``.parquet`` (see ``docs/input-contract.md``).
    database : str
    batch_size : int
        Rows per write transaction.
    workers : int
        Write transactions at once (see :func:`loaders.write.write_tables`).
    rejects_path : Path, optional
        Where to write rejected rows (CSV: file, row, field, value, reason). Written only when
        there are rejects; an older file at that path is replaced.
    harm : HarmTable, optional
        Offence harm table (default: ``load_harm_table()``).
    progress : bool
        Show progress bars on stderr.
    """
    valid, summary = validate_folder(folder, harm=harm, driver=driver, database=database)
    return write_validated(
        driver,
        valid,
        summary,
        database=database,
        batch_size=batch_size,
        workers=workers,
        rejects_path=rejects_path,
        progress=progress,
    )
