"""Stored runs: what an analysis leaves behind for the app to read, so the app never recomputes.

:func:`record_run` is the one write of a run: the scores onto the nodes
(:func:`graphvc.scores.write_person_scores`, :func:`graphvc.scores.write_place_scores`),
the run's tables (:func:`run_tables`) as one Parquet file each in ``runs_dir/<run id>/``, then
an ``(:AnalysisRun)`` node holding the run's parameters, time, summary and table sizes. The
node is written last, so a listed run always has its tables; the newest ``keep`` runs are kept
and older nodes and folders removed. ``graphvc analyse``, ``graphvc demo`` and the app's explicit
re-run go through :func:`analyse_and_record`, which analyses and records in one, the people's
scores written back while the rest of the analysis still runs: their ranking as soon as they
are ranked, the rest as soon as it is measured.

Readers take what a page shows and no more: :func:`list_runs` reads the nodes (a few small
rows), :func:`read_run_table` one file, or only its first rows (the tables are stored in the
order pages show them, people by priority rank), or only some columns.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import neo4j
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphvc import __version__, runs
from graphvc.analysis.events import harm_once, incident_harm, is_in
from graphvc.analysis.neighbourhoods import high_impact_wards
from graphvc.analysis.places import repeat_locations
from graphvc.analysis.proportionality import ATTRIBUTE_VALUES
from graphvc.analysis.repeat_victims import latest_risk_assessments
from graphvc.db import read_cypher, run_query
from graphvc.errors import RunError
from graphvc.overview import incident_months
from graphvc.runs import AnalysisParameters, AnalysisResult
from graphvc.scores import write_person_ranking_scores, write_person_scores, write_place_scores
from graphvc.targets import evaluate_graph_targets, incident_counts

__all__ = [
    "DEFAULT_KEEP_RUNS",
    "RUN_TABLES",
    "StoredRun",
    "analyse_and_record",
    "list_runs",
    "read_run_table",
    "record_run",
    "recorded_parameters",
    "run_id",
    "run_tables",
]

Scored = TypeVar("Scored")

#: How many runs are kept by default (``GRAPHVC_KEEP_RUNS``).
DEFAULT_KEEP_RUNS = 10
#: The tables of a stored run, each one Parquet file ``<name>.parquet``.
RUN_TABLES = (
    "people", "persons", "places_location", "places_ward", "places_borough", "repeat_locations",
    "high_impact_wards", "repeat_victims", "domestic_repeats", "exposure", "overlap",
    "escalation", "graph_counts", "targets", "target_charts", "incident_months",
    "window_incidents", "locations",
)  # fmt: skip
#: Rows per Parquet row group: reading the top rows of a table reads one group.
_ROW_GROUP = 10_000
_PLACE_KEYS = {"location": "location_id", "ward": "ward_code", "borough": "borough_code"}


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


def _with_centres(places: pd.DataFrame, locations: pd.DataFrame, key: str) -> pd.DataFrame:
    centres = locations.dropna(subset=[key]).groupby(key)[["latitude", "longitude"]].mean()
    return places.join(centres, on=key if key in places else None)


def run_tables(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    """The tables a run stores for the pages, in the order they show them.

    Beside the result's own tables: each place level with the centre of its locations,
    repeat victims with their latest risk assessment, the repeat locations and high-impact
    wards, the persons scored (their attributes, for proportionality), the graph's count
    table (for targets on the graph) with the default targets evaluated on it (the
    Performance page's first view), its incidents and harm by month, category and borough
    (for the overview), and the network window's incidents with the locations (for the
    near-repeat test a page runs on request).
    """
    with harm_once():  # the incidents' harm filled once for every table, not once each
        return _run_tables(result)


def _run_tables(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    tables, parameters = result.tables, result.parameters
    as_of = parameters.moment
    incidents, locations = tables["incidents"], tables["locations"]
    persons = tables["persons"]
    window = parameters.windows()["network"]
    counted = incident_counts(incidents, locations)
    evaluation, charts = evaluate_graph_targets(counted, as_of)
    attributes = [c for c in ATTRIBUTE_VALUES if c in persons]
    located = [
        c
        for c in ("location_id", "latitude", "longitude", "ward_code", "borough_code")
        if c in locations
    ]
    stored = {
        "people": result.people,
        "persons": persons[is_in(persons["person_id"], result.people.index)][
            ["person_id", *attributes]
        ].reset_index(drop=True),
        **{
            f"places_{level}": _with_centres(result.places[level], locations, key)
            for level, key in _PLACE_KEYS.items()
        },
        "repeat_locations": repeat_locations(
            incidents, locations, as_of=as_of, window_days=parameters.repeat_window_days
        ),
        "high_impact_wards": high_impact_wards(incidents, locations, as_of=as_of),
        "repeat_victims": result.repeat_victims.join(
            latest_risk_assessments(tables["risk_assessments"], as_of=as_of), how="left"
        ),
        "domestic_repeats": result.domestic_repeats,
        "exposure": result.exposure,
        "overlap": result.overlap,
        "escalation": result.escalation,
        "graph_counts": counted,
        "targets": evaluation,
        "target_charts": charts,
        "incident_months": incident_months(incidents, locations),
        "window_incidents": incident_harm(incidents, start=window["start"], end=window["end"])[
            ["incident_id", "occurred_at", "offence", "category", "harm", "location_id"]
        ].reset_index(drop=True),
        "locations": locations[located].reset_index(drop=True),
    }
    return {name: stored[name] for name in RUN_TABLES}


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=frame.index.name is not None)
    pq.write_table(table, path, row_group_size=_ROW_GROUP)
    path.chmod(0o640)


def record_run(
    driver: neo4j.Driver,
    result: AnalysisResult,
    *,
    runs_dir: Path,
    finished_at: datetime,
    keep: int = DEFAULT_KEEP_RUNS,
    database: str = "neo4j",
) -> tuple[StoredRun, dict[str, int]]:
    """Write ``result`` back and store it as a run: the one write of an analysis.

    The scores go onto the nodes stamped ``finished_at`` while the tables are built and
    staged in ``runs_dir/.<run id>.partial/`` (the server writes while Python builds: the two
    overlap on separate cores); once both are done the folder is renamed ``<run id>`` and
    the ``(:AnalysisRun)`` node written. Runs beyond the newest ``keep`` lose their node and
    folder. Returns the stored run and how many nodes of each label were scored; the time of
    each part is added to ``result.timings`` (``write_back``, ``store_tables``).

    Raises :class:`RunError` when the folder cannot be written; when the write-back fails,
    its error is raised and nothing is stored.
    """
    _check_keep(keep)
    with ThreadPoolExecutor(max_workers=2) as writers:  # people and places side by side
        people = writers.submit(_timed, write_person_scores, driver, result.people,
                                run_at=finished_at, database=database)  # fmt: skip
        return _store_run(driver, result, writers, people, runs_dir=runs_dir,
                          finished_at=finished_at, keep=keep, database=database)  # fmt: skip


def analyse_and_record(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    runs_dir: Path,
    keep: int = DEFAULT_KEEP_RUNS,
    database: str = "neo4j",
) -> tuple[AnalysisResult, StoredRun, dict[str, int]]:
    """Read the graph, analyse it (:func:`graphvc.runs.run_analysis`) and store the run as
    :func:`record_run` does, the people's scores written back while the analysis goes on: their
    ranking scores as soon as they are ranked (while escalation, exposure and overlap are
    measured), the rest as soon as it is measured (while the victims and places are scored).
    The server writes while Python computes, so the write-back leaves the run's critical path;
    the ranking goes first because a node's first scores cost the server three times as much
    as overwriting them (:func:`graphvc.scores.write_person_ranking_scores`).

    The run's ``finished_at`` (its id, and the ``scored_at`` stamp on the nodes) is the
    moment the people were ranked. The ``(:AnalysisRun)`` node is still written last: a
    failure after the people's ranking was written leaves their scores on the nodes, stamped
    with the unlisted run's time (as a failure to store the tables does in
    :func:`record_run`), until the next run overwrites or clears them. Returns the result,
    the stored run and how many nodes of each label were scored.
    """
    _check_keep(keep)
    # One writer for the people, so their two parts are written in order; one for the places.
    with ThreadPoolExecutor(max_workers=1) as people_writer, \
            ThreadPoolExecutor(max_workers=1) as places_writer:  # fmt: skip
        begun: dict[str, Any] = {}

        def write_ranking(ranked: pd.DataFrame) -> None:
            begun["at"] = datetime.now(UTC)
            begun["ranking"] = people_writer.submit(_timed, write_person_ranking_scores, driver,
                                                    ranked, run_at=begun["at"],
                                                    database=database)  # fmt: skip

        def write_people(people: pd.DataFrame) -> None:
            ranking = begun["ranking"]

            def write_rest() -> tuple[int, float]:
                _written, ranking_seconds = ranking.result()  # done: the same single writer
                count, seconds = _timed(write_person_scores, driver, people, run_at=begun["at"],
                                        database=database, ranking_written=True)  # fmt: skip
                return count, ranking_seconds + seconds

            begun["people"] = people_writer.submit(write_rest)

        # The tables stored read the incidents' harm the analysis filled, not their own.
        with harm_once():
            # Through the module, as every way into an analysis, so a test can forbid them all.
            result = runs.run_analysis(driver, parameters, database=database,
                                       on_ranked=write_ranking, on_people=write_people)  # fmt: skip
            stored, written = _store_run(driver, result, places_writer, begun["people"],
                                         runs_dir=runs_dir, finished_at=begun["at"], keep=keep,
                                         database=database)  # fmt: skip
    return result, stored, written


def _check_keep(keep: int) -> None:
    if keep < 1:
        raise RunError(f"GRAPHVC_KEEP_RUNS={keep!r} must be at least 1")


def _timed(write: Callable[..., Scored], *args: Any, **kwargs: Any) -> tuple[Scored, float]:
    """``write(*args, **kwargs)`` and how many seconds it took."""
    started = time.perf_counter()
    return write(*args, **kwargs), time.perf_counter() - started


def _store_run(
    driver: neo4j.Driver,
    result: AnalysisResult,
    writer: ThreadPoolExecutor,
    people: Future[tuple[int, float]],
    *,
    runs_dir: Path,
    finished_at: datetime,
    keep: int,
    database: str,
) -> tuple[StoredRun, dict[str, int]]:
    """The rest of :func:`record_run` once the people's write-back (``people``) has begun: the
    places' write-back on ``writer``, the tables staged meanwhile, then the folder renamed and
    the run's node written."""
    identity = run_id(finished_at)
    staged = runs_dir / f".{identity}.partial"
    places = writer.submit(_timed, write_place_scores, driver, result.places,
                           run_at=finished_at, database=database)  # fmt: skip
    started = time.perf_counter()
    try:
        tables = run_tables(result)
        staged.mkdir(parents=True, mode=0o750)
        for name, frame in tables.items():
            _write_table(frame, staged / f"{name}.parquet")
    except OSError as e:
        shutil.rmtree(staged, ignore_errors=True)
        places.result()
        raise RunError(f"cannot store run {identity} in {runs_dir}: {e.strerror or e}") from e
    result.timings["store_tables"] = round(time.perf_counter() - started, 3)
    try:
        (person_count, person_seconds), (written, place_seconds) = people.result(), places.result()
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    result.timings["write_back"] = round(person_seconds + place_seconds, 3)
    written = {"Person": person_count, **written}
    try:
        os.replace(staged, runs_dir / identity)
    except OSError as e:
        shutil.rmtree(staged, ignore_errors=True)
        raise RunError(f"cannot store run {identity} in {runs_dir}: {e.strerror or e}") from e
    people_table = result.people
    ranked = int(people_table["priority"].notna().sum()) if "priority" in people_table else 0
    run = StoredRun(
        id=identity,
        finished_at=pd.Timestamp(finished_at).tz_convert("UTC"),
        parameters=recorded_parameters(result.parameters),
        summary=json.loads(json.dumps(result.summary, default=str)),
        rows={name: len(frame) for name, frame in tables.items()},
        ranked=ranked,
        version=__version__,
    )
    run_query(
        driver,
        read_cypher("analysis/store_run"),
        {
            "id": run.id, "finished_at": finished_at.isoformat(),
            "as_of": run.as_of.date().isoformat(), "window_days": run.window_days,
            "seed": int(run.parameters["seed"]), "ties": json.dumps(run.ties),
            "windows": json.dumps(run.parameters["windows"]),
            "parameters": json.dumps(run.parameters), "summary": json.dumps(run.summary),
            "rows": json.dumps(run.rows), "ranked": run.ranked, "version": run.version,
        },
        database=database,
        write=True,
    )  # fmt: skip
    _forget_runs(driver, runs_dir, keep=keep, database=database)
    return run, written


def _forget_runs(driver: neo4j.Driver, runs_dir: Path, *, keep: int, database: str) -> None:
    """Remove the runs beyond the newest ``keep``: their nodes, then their folders."""
    forgotten = run_query(
        driver, read_cypher("analysis/forget_runs"), {"keep": keep}, database=database, write=True
    )
    for identity in forgotten["id"] if len(forgotten) else ():
        shutil.rmtree(runs_dir / str(identity), ignore_errors=True)


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
    if name not in RUN_TABLES:
        raise RunError(f"{name!r} is not a table of a stored run ({', '.join(RUN_TABLES)})")
    identity = run if isinstance(run, str) else run.id
    path = runs_dir / identity / f"{name}.parquet"
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


def _with_index(schema: pa.Schema, columns: Sequence[str]) -> list[str]:
    """``columns`` and the stored index columns, which pandas needs to rebuild the index."""
    metadata: Mapping[bytes, bytes] = schema.metadata or {}
    pandas_meta = json.loads(metadata.get(b"pandas", b"{}"))
    index = [c for c in pandas_meta.get("index_columns", []) if isinstance(c, str)]
    return [*index, *(c for c in columns if c not in index)]
