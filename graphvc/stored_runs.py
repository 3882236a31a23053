"""Stored runs: what an analysis leaves behind for the app to read, so the app never recomputes.

A run is stored in two steps, so that its tables can be written while its scores still go
back onto the nodes (:class:`graphvc.scores.WriteBack`): :func:`stage_run` writes the run's
tables (:func:`graphvc.runs.pages.page_tables`) as one Parquet file each in
``runs_dir/.<run id>.partial/``; once the scores are written, :func:`publish_run` renames the
folder ``<run id>`` and writes an ``(:AnalysisRun)`` node holding the run's parameters, time,
summary and table sizes (or :func:`discard_run` removes it when they failed). The node is
written last, so a listed run always has its tables; the newest ``keep`` runs are kept and
older nodes and folders removed, and so are the orphans older than the run published: a
``.partial`` folder or a run folder without its node, which a run killed (or whose Neo4j was
killed) before it was stored leaves behind. :mod:`graphvc.runs.obtain` is the one caller.

Readers take what a page shows and no more: :func:`list_runs` reads the nodes (a few small
rows), :func:`read_run_table` one file, or only its first rows (the tables are stored in the
order pages show them, people by priority rank), or only some columns.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import neo4j
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphvc import __version__
from graphvc.db import read_cypher, run_query
from graphvc.errors import RunError

if TYPE_CHECKING:  # graphvc.runs stores through this module: no import back at run time
    from graphvc.runs import AnalysisParameters

__all__ = [
    "DEFAULT_KEEP_RUNS",
    "RUN_TABLES",
    "StoredRun",
    "check_keep",
    "discard_run",
    "list_runs",
    "prune_orphans",
    "publish_run",
    "read_run_columns",
    "read_run_table",
    "recorded_parameters",
    "run_id",
    "stage_run",
    "writing_runs",
]

#: How many runs are kept by default (``GRAPHVC_KEEP_RUNS``).
DEFAULT_KEEP_RUNS = 10
#: The tables of a stored run, each one Parquet file ``<name>.parquet``, in the order the
#: pages show them.
RUN_TABLES = (
    "people",
    "persons",
    "places_location",
    "places_ward",
    "places_borough",
    "repeat_locations",
    "high_impact_wards",
    "repeat_victims",
    "domestic_repeats",
    "exposure",
    "overlap",
    "escalation",
    "graph_counts",
    "targets",
    "target_charts",
    "incident_months",
    "window_incidents",
    "locations",
)
#: Rows per Parquet row group: reading the top rows of a table reads one group.
_ROW_GROUP = 10_000
#: The name of a run's folder, published (``<run id>``) or staged (``.<run id>.partial``):
#: nothing else in the runs folder is ever removed.
_RUN_FOLDER = re.compile(r"(?P<id>\d{8}T\d{6}\.\d{6}Z)|\.(?P<staged>\d{8}T\d{6}\.\d{6}Z)\.partial")


@dataclass(frozen=True)
class StoredRun:
    """A run as its ``(:AnalysisRun)`` node records it. ``rows`` is each table's row count and
    ``ranked`` the people with a priority (the first rows of ``people``)."""

    id: str
    finished_at: pd.Timestamp
    parameters: dict[str, Any]
    summary: dict[str, Any]
    rows: dict[str, int]
    ranked: int
    version: str

    @property
    def as_of(self) -> pd.Timestamp:
        return pd.Timestamp(self.parameters["as_of"])

    @property
    def window_days(self) -> int:
        return int(self.parameters["window_days"])

    @property
    def ties(self) -> dict[str, float]:
        return dict(self.parameters["tie_weights"])

    def describe(self) -> str:
        """One line naming the run: as-of, window and ties (with weights)."""
        ties = ", ".join(f"{layer} × {weight:g}" for layer, weight in self.ties.items())
        return (
            f"as of {self.as_of.date()} (excluded), window {self.window_days} days, ties "
            f"{ties}; run {self.id} finished {self.finished_at:%Y-%m-%d %H:%M} UTC"
        )


def recorded_parameters(parameters: AnalysisParameters) -> dict[str, Any]:
    """``parameters`` as a stored run records them (through JSON), to compare with
    :attr:`StoredRun.parameters`."""
    recorded: dict[str, Any] = json.loads(json.dumps(parameters.as_dict(), default=str))
    return recorded


def run_id(finished_at: datetime) -> str:
    """The id of a run that finished at ``finished_at`` (UTC): sortable, and a folder name.

    >>> from datetime import UTC
    >>> run_id(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC))
    '20260102T030405.678901Z'
    """
    return f"{pd.Timestamp(finished_at).tz_convert('UTC'):%Y%m%dT%H%M%S.%fZ}"


def check_keep(keep: int) -> None:
    """Raise :class:`RunError` unless ``keep`` (how many runs are kept) is at least 1."""
    if keep < 1:
        raise RunError(f"GRAPHVC_KEEP_RUNS={keep!r} must be at least 1")


@contextmanager
def writing_runs(runs_dir: Path) -> Iterator[None]:
    """Hold the runs folder ``runs_dir`` for one run's write-back and store.

    Two runs written at once would interleave their scores on the nodes: each stamps its own,
    and the readers, which show only the newest listed run's scores, would find half the
    nodes stamped by the other. The holder is an exclusive lock (``flock``) on the file
    ``runs_dir/.writing``, which names the holder (process, host, time) for the message of a
    run refused; the operating system releases the lock when its process ends, however it
    ends, so a killed run never leaves the folder held (only, at worst, the file).

    Raises :class:`RunError` at once when another run holds the folder (a second analysis is
    refused, not queued: two people analysing at once is a mistake to see, not to hide).
    """
    path = runs_dir / ".writing"
    try:
        runs_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
        handle = _locked(path)
    except OSError as e:
        raise RunError(f"cannot write runs in {runs_dir}: {e.strerror or e}") from e
    with handle:
        handle.write(
            f"process {os.getpid()} on {socket.gethostname()} since "
            f"{datetime.now().astimezone():%Y-%m-%d %H:%M:%S %Z}"
        )
        handle.flush()
        try:
            yield
        finally:
            # Removed while still locked, so a run that opens it next makes a new file.
            path.unlink(missing_ok=True)


def _locked(path: Path) -> TextIO:
    """``path`` opened, emptied and locked by this process, or :class:`RunError` naming the
    process that holds it."""
    while True:
        handle = path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise RunError(
                f"another analysis is storing a run in {path.parent} ({holder}): "
                "wait for it to finish, then run again"
            ) from None
        # The holder before may have removed the file between our open and our lock: then
        # we hold a file no one else will open; start again on the one at the path.
        try:
            same = os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            handle.seek(0)
            handle.truncate()
            return handle
        handle.close()


def stage_run(tables: Mapping[str, pd.DataFrame], *, runs_dir: Path, finished_at: datetime) -> Path:
    """Write ``tables`` (:data:`RUN_TABLES`, from :func:`graphvc.runs.pages.page_tables`) into
    ``runs_dir/.<run id>.partial/``, one Parquet file each, readable by their owner and group
    only; returns the folder, for :func:`publish_run` or :func:`discard_run`.

    Raises :class:`RunError` when the folder cannot be written, having removed it.
    """
    staged = runs_dir / f".{run_id(finished_at)}.partial"
    try:
        staged.mkdir(parents=True, mode=0o750)
        for name, frame in tables.items():
            _write_table(frame, staged / f"{name}.parquet")
    except OSError as e:
        discard_run(staged)
        raise RunError(
            f"cannot store run {run_id(finished_at)} in {runs_dir}: {e.strerror or e}"
        ) from e
    except BaseException:  # interrupted: no half-written folder left
        discard_run(staged)
        raise
    return staged


def discard_run(staged: Path) -> None:
    """Remove a folder :func:`stage_run` wrote, when its run is not to be published."""
    shutil.rmtree(staged, ignore_errors=True)


def publish_run(
    driver: neo4j.Driver,
    staged: Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    parameters: AnalysisParameters,
    summary: Mapping[str, Any],
    finished_at: datetime,
    keep: int = DEFAULT_KEEP_RUNS,
    database: str = "neo4j",
) -> StoredRun:
    """Publish the run staged in ``staged`` (:func:`stage_run`, of these ``tables``) once its
    scores are on the nodes: the folder renamed ``<run id>``, then the ``(:AnalysisRun)``
    node written with ``parameters`` and ``summary``. Runs beyond the newest ``keep`` lose
    their node and folder, and the orphaned folders older than this run are removed
    (:func:`prune_orphans`). Returns the stored run.

    Raises :class:`RunError` when the folder cannot be renamed, having removed it.
    """
    identity = run_id(finished_at)
    runs_dir = staged.parent
    try:
        os.replace(staged, runs_dir / identity)
    except OSError as e:
        discard_run(staged)
        raise RunError(f"cannot store run {identity} in {runs_dir}: {e.strerror or e}") from e
    people = tables["people"]
    run = StoredRun(
        id=identity,
        finished_at=pd.Timestamp(finished_at).tz_convert("UTC"),
        parameters=recorded_parameters(parameters),
        summary=json.loads(json.dumps(summary, default=str)),
        rows={name: len(frame) for name, frame in tables.items()},
        ranked=int(people["priority"].notna().sum()) if "priority" in people else 0,
        version=__version__,
    )
    node = {
        "id": run.id,
        "finished_at": finished_at.isoformat(),
        "as_of": run.as_of.date().isoformat(),
        "window_days": run.window_days,
        "seed": int(run.parameters["seed"]),
        "ties": json.dumps(run.ties),
        "windows": json.dumps(run.parameters["windows"]),
        "parameters": json.dumps(run.parameters),
        "summary": json.dumps(run.summary),
        "rows": json.dumps(run.rows),
        "ranked": run.ranked,
        "version": run.version,
    }
    run_query(driver, read_cypher("analysis/store_run"), node, database=database, write=True)
    _forget_runs(driver, runs_dir, keep=keep, database=database)
    listed = {stored.id for stored in list_runs(driver, database=database)}
    prune_orphans(runs_dir, listed=listed, before=identity)
    return run


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=frame.index.name is not None)
    pq.write_table(table, path, row_group_size=_ROW_GROUP)
    path.chmod(0o640)


def _forget_runs(driver: neo4j.Driver, runs_dir: Path, *, keep: int, database: str) -> None:
    """Remove the runs beyond the newest ``keep``: their nodes, then their folders."""
    forgotten = run_query(
        driver, read_cypher("analysis/forget_runs"), {"keep": keep}, database=database, write=True
    )
    for identity in forgotten["id"] if len(forgotten) else ():
        shutil.rmtree(runs_dir / str(identity), ignore_errors=True)


def prune_orphans(runs_dir: Path, *, listed: set[str], before: str) -> list[str]:
    """Remove the run folders in ``runs_dir`` older than run ``before`` that no listed run
    (ids ``listed``) owns: a staged ``.<id>.partial`` or a published ``<id>`` without its
    node, which a run killed before it was stored leaves (its scores are the next run's to
    clear; its folder is this one's). Returns the names removed.

    Only older folders: a newer one may be a run being stored right now beside this one.
    Nothing whose name is not a run's folder is touched.
    """
    removed: list[str] = []
    for entry in sorted(runs_dir.iterdir()) if runs_dir.is_dir() else ():
        named = _RUN_FOLDER.fullmatch(entry.name)
        if named is None or not entry.is_dir():
            continue
        identity = named["id"] or named["staged"]
        if identity < before and (named["staged"] or identity not in listed):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    return removed


def list_runs(driver: neo4j.Driver, *, database: str = "neo4j") -> list[StoredRun]:
    """The stored runs, newest first."""
    found = run_query(driver, read_cypher("analysis/runs"), database=database)
    return [
        StoredRun(
            id=str(row["id"]),
            finished_at=pd.Timestamp(row["finished_at"].to_native()).tz_convert("UTC"),
            parameters=json.loads(row["parameters"]),
            summary=json.loads(row["summary"]),
            rows={k: int(v) for k, v in json.loads(row["rows"]).items()},
            ranked=int(row["ranked"]),
            version=str(row["version"]),
        )
        for row in found.to_dict("records")
    ]


def read_run_table(
    runs_dir: Path,
    run: StoredRun | str,
    name: str,
    *,
    rows: int | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Table ``name`` of ``run`` (a run or its id), or its first ``rows`` rows, or only some
    ``columns`` (the index is always read).

    Raises :class:`RunError` naming the file when the run's folder or table is missing.
    """
    path = _table_path(runs_dir, run, name)
    identity = path.parent.name
    if not path.is_file():
        raise RunError(
            f"run {identity} has no {path}: the app reads the runs folder graphvc analyse "
            "wrote (GRAPHVC_RUNS_DIR)"
        )
    try:
        stored = pq.ParquetFile(path)
        chosen = None if columns is None else _with_index(stored.schema_arrow, columns)
        if rows is None:
            table = stored.read(columns=chosen)
        else:
            batches = stored.iter_batches(batch_size=max(rows, 1), columns=chosen)
            first = next(batches, None)
            table = (
                pa.Table.from_batches([first]).slice(0, rows)
                if first is not None
                else stored.schema_arrow.empty_table()
            )
            table = table.replace_schema_metadata(stored.schema_arrow.metadata)
    except (OSError, pa.ArrowException) as e:
        raise RunError(f"cannot read {path}: {e}") from e
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _table_path(runs_dir: Path, run: StoredRun | str, name: str) -> Path:
    """The file of table ``name`` of ``run``; :class:`RunError` when no run has that table."""
    if name not in RUN_TABLES:
        raise RunError(f"{name!r} is not a table of a stored run ({', '.join(RUN_TABLES)})")
    return runs_dir / (run if isinstance(run, str) else run.id) / f"{name}.parquet"


def read_run_columns(runs_dir: Path, run: StoredRun | str, name: str) -> tuple[str, ...]:
    """The columns of table ``name`` of ``run`` (not its index), read from the file's schema
    alone; :class:`RunError` as :func:`read_run_table`."""
    path = _table_path(runs_dir, run, name)
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowException) as e:
        raise RunError(f"cannot read {path}: {e}") from e
    metadata: Mapping[bytes, bytes] = schema.metadata or {}
    index = json.loads(metadata.get(b"pandas", b"{}")).get("index_columns", [])
    return tuple(c for c in schema.names if c not in index)


def _with_index(schema: pa.Schema, columns: Sequence[str]) -> list[str]:
    """``columns`` and the stored index columns, which pandas needs to rebuild the index."""
    metadata: Mapping[bytes, bytes] = schema.metadata or {}
    pandas_meta = json.loads(metadata.get(b"pandas", b"{}"))
    index = [c for c in pandas_meta.get("index_columns", []) if isinstance(c, str)]
    return [*index, *(c for c in columns if c not in index)]
