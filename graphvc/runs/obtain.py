"""The one way to obtain a run: :func:`obtain_run`, for ``graphvc analyse``, the reports, the
app and every other consumer, so a person's score is one number everywhere for the same
parameters.

A run's steps, in order: **read** the graph's tables of the run's widest window
(:func:`read_run_input`); **reuse** the newest stored run when it is the run asked for on the
graph as it is (:func:`stored_result`), or **measure** and **rank** the people
(:mod:`graphvc.runs.stages`); **write back** their scores, begun as soon as they are ranked and
running while the rest is measured (:class:`graphvc.scores.WriteBack`); **store** the run's
page tables (:func:`graphvc.runs.pages.page_tables`) in the runs folder and its node in the graph
(:mod:`graphvc.stored_runs`) once the write-back is joined. :func:`record_run` writes back and
stores a run already in hand.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import neo4j
import pandas as pd

from graphvc.analysis.events import harm_once, rolling_window
from graphvc.errors import RunError
from graphvc.graph_tables import default_as_of, read_graph_tables
from graphvc.identity.decisions import confirmed_clusters
from graphvc.runs.parameters import AnalysisParameters
from graphvc.runs.stages import (
    AnalysisResult,
    Clock,
    analyse,
    complete_run,
    profile_people,
    rank_people,
    run_network,
)
from graphvc.scores import ScoreWriter, WriteBack
from graphvc.stored_runs import (
    DEFAULT_KEEP_RUNS,
    StoredRun,
    check_keep,
    discard_run,
    list_runs,
    publish_run,
    read_run_table,
    recorded_parameters,
    stage_run,
    writing_runs,
)

__all__ = [
    "ANALYSED_NOW",
    "Run",
    "obtain_run",
    "read_run_input",
    "record_run",
    "resolved_parameters",
    "stored_result",
    "widest_window",
]

log = logging.getLogger(__name__)

#: The source of a run analysed when it was asked for.
ANALYSED_NOW = "analysed now"
#: Columns a stored run adds to the run's own tables, for the pages.
_PAGE_COLUMNS = {
    "places": ("latitude", "longitude"),
    "repeat_victims": ("assessment_tool", "assessment_level", "assessed_at", "assessments"),
}


class Run(NamedTuple):
    """A run obtained (:func:`obtain_run`): its ``result``; its ``source``, ``"stored run
    <id>"`` when a stored run was reused, else :data:`ANALYSED_NOW`; the run ``stored`` now
    (or reused), else None; and how many nodes of each label were ``scored`` (empty unless
    stored now)."""

    result: AnalysisResult
    source: str
    stored: StoredRun | None
    scored: dict[str, int]


def obtain_run(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    runs_dir: Path | None = None,
    reuse: bool = True,
    store: bool = False,
    keep: int = DEFAULT_KEEP_RUNS,
    database: str = "neo4j",
) -> Run:
    """The run of ``parameters`` (None: the defaults) on the graph.

    The graph is read first (:func:`read_run_input`: ``as_of`` None resolved to the day after
    the latest incident). With ``reuse``, the newest stored run in ``runs_dir`` is the run when
    its parameters are those asked for and the graph still gives the counts it recorded
    (:func:`stored_result`); its measures are read back, not computed again. Otherwise the
    graph is analysed (:func:`graphvc.runs.analyse`'s stages), and with ``store`` the people's
    scores are written back while the rest is measured and the run is stored in ``runs_dir``
    (its id and the ``scored_at`` stamp on the nodes are the moment the people were ranked),
    keeping the newest ``keep`` runs. The seconds each step took are in
    ``result.timings``.

    A run is stored whole or not at all. A failure or an interruption (Ctrl+C) before its
    node is written stores no folder and withdraws the scores it had written
    (:class:`graphvc.scores.WriteBack`), so the nodes keep the listed run's scores or none.
    A run killed outright, or whose Neo4j dies, leaves its scores for the next run to clear
    and its folder for the next run to prune (:func:`graphvc.stored_runs.prune_orphans`).
    One run stores at a time: a run to store holds the runs folder from its read to its
    store (:func:`graphvc.stored_runs.writing_runs`), and a second is refused meanwhile.

    Raises
    ------
    RunError
        ``store`` without ``runs_dir``, ``keep`` below 1, the runs folder cannot be
        written, or another run is storing in it.
    AnalysisError
        The graph holds neither incidents nor associations.
    DatabaseError
        Neo4j is unreachable or fails a query.
    """
    if store:
        if runs_dir is None:
            raise RunError("a run to store needs a runs folder (GRAPHVC_RUNS_DIR)")
        check_keep(keep)
        with writing_runs(runs_dir):  # held from the read: the run stored is of what it read
            return _obtain(driver, parameters, runs_dir, reuse, store, keep, database)
    return _obtain(driver, parameters, runs_dir, reuse, store, keep, database)


def _obtain(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None,
    runs_dir: Path | None,
    reuse: bool,
    store: bool,
    keep: int,
    database: str,
) -> Run:
    """:func:`obtain_run`, its arguments checked (and the runs folder held when storing)."""
    clock = Clock()
    parameters, tables = read_run_input(driver, parameters, database=database)  # read
    clock.lap("read_graph")
    if reuse and runs_dir is not None:  # reuse: the measures are most of a run's cost
        newest = next(iter(list_runs(driver, database=database)), None)
        if newest is not None and newest.parameters == recorded_parameters(parameters):
            reused = stored_result(newest, runs_dir, tables, parameters)
            if reused is not None:
                log.info("from stored run %s", newest.id)
                return Run(reused, f"stored run {newest.id}", newest, {})
        log.info("analysing the graph now")
    if not store or runs_dir is None:
        return Run(analyse(tables, parameters, clock=clock), ANALYSED_NOW, None, {})
    # The page tables read the incidents' harm the analysis filled, not their own.
    with harm_once():
        network = run_network(tables, parameters)  # measure
        ranking = rank_people(network, parameters, clock)  # rank
        finished_at = datetime.now(UTC)
        # Write back, begun now and running while Python measures the rest: the server's
        # writes leave the run's critical path.
        with WriteBack(driver, run_at=finished_at, database=database) as write_back:
            write_back.ranking(ranking.people)
            profiles = profile_people(network, ranking.people, parameters, clock)
            write_back.people(profiles.people)
            result = complete_run(network, ranking, profiles, parameters, clock)
            write_back.places(result.places)
            # Store, the write-back joined on the way.
            stored, scored = _store(
                driver,
                result,
                write_back,
                runs_dir=runs_dir,
                finished_at=finished_at,
                keep=keep,
                database=database,
            )
    return Run(result, ANALYSED_NOW, stored, scored)


def record_run(
    driver: neo4j.Driver,
    result: AnalysisResult,
    *,
    runs_dir: Path,
    finished_at: datetime,
    keep: int = DEFAULT_KEEP_RUNS,
    database: str = "neo4j",
    write: ScoreWriter | None = None,
) -> tuple[StoredRun, dict[str, int]]:
    """Write back and store ``result``, a run already in hand, as :func:`obtain_run` stores
    the runs it analyses: the scores stamped ``finished_at`` go onto the nodes while the page
    tables are staged. Returns the stored run and how many nodes of each label were scored.
    ``write`` (None: the driver's batches) sets the scores (:class:`graphvc.scores.WriteBack`).

    Raises :class:`RunError` when ``keep`` is below 1, the folder cannot be written or another
    run is storing in it; when the write-back fails, its error is raised and nothing is stored.
    """
    check_keep(keep)
    with (
        writing_runs(runs_dir),
        WriteBack(driver, run_at=finished_at, database=database, write=write) as write_back,
    ):
        write_back.people(result.people)
        write_back.places(result.places)
        return _store(
            driver,
            result,
            write_back,
            runs_dir=runs_dir,
            finished_at=finished_at,
            keep=keep,
            database=database,
        )


def _store(
    driver: neo4j.Driver,
    result: AnalysisResult,
    write_back: WriteBack,
    *,
    runs_dir: Path,
    finished_at: datetime,
    keep: int,
    database: str,
) -> tuple[StoredRun, dict[str, int]]:
    """The store step, once the write-back has begun: the page tables staged while the
    scores are written, the write-back joined, then the run published (or its folder
    discarded if the write-back failed). Adds ``store_tables`` and ``write_back`` (the
    seconds the writes took) to ``result.timings``."""
    # Imported here, not above: the page tables need the targets' statistics (scipy), which
    # every command importing graphvc.runs would otherwise load at start.
    from graphvc.runs.pages import page_tables

    started = time.perf_counter()
    tables = page_tables(result)
    staged = stage_run(tables, runs_dir=runs_dir, finished_at=finished_at)
    result.timings["store_tables"] = round(time.perf_counter() - started, 3)
    try:
        scored, seconds = write_back.join()
    except BaseException:
        discard_run(staged)
        raise
    result.timings["write_back"] = round(seconds, 3)
    stored = publish_run(
        driver,
        staged,
        tables,
        parameters=result.parameters,
        summary=result.summary,
        finished_at=finished_at,
        keep=keep,
        database=database,
    )
    return stored, scored


def read_run_input(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    database: str = "neo4j",
) -> tuple[AnalysisParameters, dict[str, pd.DataFrame]]:
    """The read step: ``parameters`` (None: the defaults) with ``as_of`` resolved
    (:func:`graphvc.graph_tables.default_as_of`) and, with ``resolve`` "confirmed", the
    confirmed identities read (:func:`graphvc.identity.confirmed_clusters`), and the graph's
    tables of the widest window.

    Only the incidents of the widest window (:meth:`AnalysisParameters.windows`, all history
    before ``as_of`` by default) and their involvements are read: every measure gives what it
    gives on the whole graph, while ``summary["incidents"]`` and the run's ``tables`` leave
    out incidents on or after ``as_of``.
    """
    parameters = resolved_parameters(driver, parameters, database=database)
    start, end = widest_window(parameters)
    return parameters, read_graph_tables(driver, start=start, end=end, database=database)


def resolved_parameters(
    driver: neo4j.Driver, parameters: AnalysisParameters | None = None, *, database: str = "neo4j"
) -> AnalysisParameters:
    """``parameters`` (None: the defaults) with what the graph decides filled in: ``as_of``
    (:func:`graphvc.graph_tables.default_as_of`) and, with ``resolve`` "confirmed", the
    confirmed identities (:func:`graphvc.identity.confirmed_clusters`)."""
    parameters = parameters or AnalysisParameters()
    if parameters.as_of is None:
        parameters = replace(parameters, as_of=default_as_of(driver, database=database))
    if parameters.resolve == "confirmed" and parameters.clusters is None:
        clusters = confirmed_clusters(driver, database=database)
        parameters = replace(parameters, clusters=tuple(map(tuple, clusters)))
    return parameters


def widest_window(parameters: AnalysisParameters) -> tuple[datetime | None, datetime]:
    """The window holding every window of ``parameters`` (a start None is open)."""
    bounds = list(parameters.windows().values())
    start = None
    if all(window["start"] is not None for window in bounds):
        start = min(pd.Timestamp(str(window["start"])) for window in bounds).to_pydatetime()
    end = max(pd.Timestamp(str(window["end"])) for window in bounds).to_pydatetime()
    return start, end


def stored_result(
    run: StoredRun,
    runs_dir: Path,
    tables: dict[str, pd.DataFrame],
    parameters: AnalysisParameters,
) -> AnalysisResult | None:
    """The run ``run`` as an :class:`~graphvc.runs.AnalysisResult` of the graph's
    ``tables``: its measures read from ``runs_dir``, the network rebuilt from ``tables`` as
    the analysis builds it (:func:`graphvc.runs.run_network`), so the result has the same
    tables, byte for byte, as one analysed now.

    None when the graph no longer gives the counts the run recorded (incidents, those in the
    window, people and links in the network: it changed since), or when a table of the run
    cannot be read.
    """
    tables, incidents, G, events = run_network(tables, parameters)
    start, end = rolling_window(parameters.moment, parameters.window_days)
    now = {
        "incidents": len(incidents),
        "incidents_in_window": int(
            ((incidents["occurred_at"] >= start) & (incidents["occurred_at"] < end)).sum()
        ),
        "people_in_network": G.number_of_nodes(),
        "network_links": G.number_of_edges(),
    }
    changed = {k: (run.summary.get(k), v) for k, v in now.items() if run.summary.get(k) != v}
    if changed:
        log.info("the graph changed since run %s (recorded, now: %s)", run.id, changed)
        return None

    def read(name: str, page_columns: tuple[str, ...] = ()) -> pd.DataFrame:
        frame = read_run_table(runs_dir, run, name)
        return frame.drop(columns=[c for c in page_columns if c in frame])

    try:
        return AnalysisResult(
            parameters=parameters,
            tables=tables,
            graph=G,
            events=events,
            people=read("people"),
            places={
                level: read(f"places_{level}", _PAGE_COLUMNS["places"])
                for level in ("location", "ward", "borough")
            },
            repeat_victims=read("repeat_victims", _PAGE_COLUMNS["repeat_victims"]),
            domestic_repeats=read("domestic_repeats"),
            exposure=read("exposure"),
            overlap=read("overlap"),
            escalation=read("escalation"),
            summary=run.summary,
            timings={},
        )
    except RunError as e:
        log.info("stored run %s cannot be read (%s)", run.id, e)
        return None
