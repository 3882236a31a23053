"""Writing a run back: person and place scores as ``score_*`` properties on their nodes.

Every score is stamped with the run's time (``scored_at``), so Cypher users can query them
and tell which run they came from; scores of earlier runs that this run did not produce are
removed, so no stale score survives. :class:`WriteBack` writes one run's scores in the
background while the rest of the run is computed, and withdraws them
(:func:`withdraw_scores`) when the run is interrupted or fails before it is stored.

The scores go through the Python driver in batches by default; every writer takes a
:data:`ScoreWriter` (``write=``) that sets them another way (the Spark engine's, through the
Neo4j connector: :func:`graphvc.spark.write.connector_writer`), while clearing the scores of
earlier runs and withdrawing those of a failed run stay the driver's Cypher.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

import neo4j
import numpy as np
import pandas as pd

from graphvc.db import read_cypher, run_query, run_write
from graphvc.errors import DatabaseError, RunError

if TYPE_CHECKING:  # graphvc.runs writes back through this module: no import back at run time
    from graphvc.runs import AnalysisResult

__all__ = [
    "PERSON_PROFILE_SCORES",
    "PERSON_RANKING_SCORES",
    "PERSON_SCORES",
    "PLACE_SCORES",
    "WRITE_BACK_BATCH",
    "ScoreTarget",
    "ScoreWriter",
    "WriteBack",
    "score_columns",
    "withdraw_scores",
    "write_person_ranking_scores",
    "write_person_scores",
    "write_place_scores",
    "write_scores",
]

log = logging.getLogger(__name__)

#: Rows per write-back transaction: four times the loader's, since fewer, larger
#: transactions cost the server less per row (bench/bench_write_back.py compares sizes).
WRITE_BACK_BATCH = 20_000
#: The person scores final once the people are ranked: the priority, its parts and the network
#: measures, as (``AnalysisResult.people`` column, node property). A run writes them back first,
#: while the rest of the people's profile is still measured (:func:`write_person_ranking_scores`).
PERSON_RANKING_SCORES = {
    "rank": "score_priority_rank",
    "priority": "score_priority",
    "rfg": "score_rfg",
    "degree": "score_degree",
    "weighted_degree": "score_weighted_degree",
    "betweenness": "score_betweenness",
    "pagerank": "score_pagerank",
    "harm_pagerank": "score_harm_pagerank",
    "eigenvector": "score_eigenvector",
    "k_core": "score_k_core",
    "community": "score_community",
}
#: The rest of the person scores: escalation, network exposure and the victim-offender overlap
#: joined to the ranked people, written with the run's stamp.
PERSON_PROFILE_SCORES = {
    "escalated_to_knife_or_gun": "score_escalated",
    "exposure_distance": "score_exposure_distance",
    "exposure_victims_1": "score_exposure_victims_1",
    "overlap_class": "score_overlap_class",
}
#: Every person score written back, as (``AnalysisResult.people`` column, node property).
PERSON_SCORES = PERSON_RANKING_SCORES | PERSON_PROFILE_SCORES
#: The place scores written back, as (``AnalysisResult.places`` column, node property).
PLACE_SCORES = {
    "incidents": "score_incidents",
    "harm": "score_harm",
    "rank": "score_harm_rank",
    "repeat_incidents": "score_repeat_incidents",
}
#: Where one table's scores go: the nodes' label, the Cypher file that writes them
#: (``analysis/write_*``) and the labels of its placeholders (:func:`graphvc.db.read_cypher`).
ScoreTarget = tuple[str, str, dict[str, str] | None]
#: A writer of one table's scores in place of the driver's batches:
#: ``write(target, names, table, stamp)`` sets the scores ``names`` (column -> node property)
#: of ``table`` (indexed by the nodes' key: a person's or location's id, an area's code) on
#: the nodes of ``target`` and stamps them ``scored_at = datetime(stamp)``, as ``target``'s
#: Cypher file does; a missing score (None, NaN) removes its property.
ScoreWriter = Callable[[ScoreTarget, Mapping[str, str], pd.DataFrame, str], None]
#: The people's label and the Cypher files that write their ranking and profile scores.
_PERSON_RANKING: ScoreTarget = ("Person", "analysis/write_person_ranking_scores", None)
_PERSON_PROFILE: ScoreTarget = ("Person", "analysis/write_person_profile_scores", None)
#: Each level of place: its label and the Cypher file that writes its scores.
_PLACES: dict[str, ScoreTarget] = {
    "location": ("Location", "analysis/write_location_scores", None),
    "ward": ("Ward", "analysis/write_area_scores", {"AREA": "Ward"}),
    "borough": ("Borough", "analysis/write_area_scores", {"AREA": "Borough"}),
}


def _plain(value: Any) -> Any:
    """A value Neo4j can store: numpy scalars to Python, NaN and infinity to None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA or value is None:
        return None
    return value if isinstance(value, (bool, int, float, str)) else str(value)


def _values(column: pd.Series) -> list[Any]:
    """``column`` as values Neo4j can store (:func:`_plain`), numpy columns converted at once."""
    if not isinstance(column.dtype, np.dtype) or column.dtype.kind not in "biuf":
        return [_plain(value) for value in column.tolist()]
    numbers = column.to_numpy()
    if column.dtype.kind == "f":
        boxed = numbers.astype(object)
        boxed[~np.isfinite(numbers)] = None
        return list(boxed.tolist())
    return list(numbers.tolist())


def score_columns(
    table: pd.DataFrame, names: Mapping[str, str]
) -> tuple[list[str], dict[str, list[Any]]]:
    """``table``'s node keys (as text) and its scores ``names`` (column -> node property) as
    the values written back, by property: Python ``bool``, ``int``, ``float`` or ``str``, and
    None for a missing score (NaN, infinity, NA), which removes the property. A column of
    ``names`` that ``table`` lacks is left out.

    Examples
    --------
    >>> table = pd.DataFrame({"rank": [1, 2], "priority": [0.9, float("nan")]}, index=["P1", "P2"])
    >>> score_columns(table, {"rank": "score_rank", "priority": "score_priority", "x": "score_x"})
    (['P1', 'P2'], {'score_rank': [1, 2], 'score_priority': [0.9, None]})
    """
    ids = [str(key) for key in table.index]
    return ids, {prop: _values(table[column]) for column, prop in names.items() if column in table}


def _score_batches(
    table: pd.DataFrame, names: Mapping[str, str], batch_size: int
) -> list[dict[str, Any]]:
    """``table``'s scores as batches of columns: ``{"ids": [...], "scores": {property: [...]}}``,
    ``batch_size`` ids each, a missing score as None (which removes the property).

    Examples
    --------
    >>> table = pd.DataFrame({"rank": [1, 2, 3], "priority": [0.9, float("nan"), 0.1]},
    ...                      index=["P1", "P2", "P3"])
    >>> _score_batches(table, {"rank": "score_rank", "priority": "score_priority"}, 2)[0]
    {'ids': ['P1', 'P2'], 'scores': {'score_rank': [1, 2], 'score_priority': [0.9, None]}}
    """
    ids, columns = score_columns(table, names)
    return [
        {
            "ids": ids[start : start + batch_size],
            "scores": {
                prop: values[start : start + batch_size] for prop, values in columns.items()
            },
        }
        for start in range(0, len(ids), batch_size)
    ]


def _clear(
    driver: neo4j.Driver,
    label: str,
    names: Mapping[str, str],
    stamp: str,
    database: str,
    cypher: str = "analysis/clear_scores",
) -> None:
    """Remove the scores ``names`` from the nodes of ``label`` that ``cypher`` picks by
    ``stamp``: those of other runs (``clear_scores``) or of this unstored one
    (``withdraw_scores``)."""
    cleared = dict.fromkeys(names.values())
    run_query(
        driver,
        read_cypher(cypher, labels={"NODE": label}),
        {"run_at": stamp, "cleared": cleared},
        database=database,
        write=True,
    )


def write_person_ranking_scores(
    driver: neo4j.Driver,
    people: pd.DataFrame,
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
    stop: threading.Event | None = None,
    write: ScoreWriter | None = None,
) -> int:
    """Write the ranking scores of ``people`` (:data:`PERSON_RANKING_SCORES`) onto their nodes,
    stamped ``run_at``: the first part of :func:`write_person_scores`, which a run sends as soon
    as the people are ranked (:meth:`WriteBack.ranking`), then the rest with
    ``ranking_written=True`` and the same ``run_at``. Returns how many people were written.
    Stamped already, so a node left with this part alone (a run that failed between the two)
    is found by the stamp: withdrawn (:class:`WriteBack`), or cleared by the next run.

    Why apart: setting a property a node does not have yet costs Neo4j about three times as
    much as overwriting it, so on the first run after a load the write-back outlasted the rest
    of the analysis; begun earlier, it ends within it.

    ``stop``, once set, begins no further batch and raises :class:`RunError`: the run is
    being abandoned (:class:`WriteBack`). ``write`` (None: the driver's batches of
    ``batch_size``) writes the scores instead (:data:`ScoreWriter`).
    """
    stamp = run_at.isoformat()
    _write_batches(
        driver,
        _PERSON_RANKING,
        PERSON_RANKING_SCORES,
        people,
        stamp,
        database,
        batch_size,
        stop,
        write,
    )
    return len(people)


def write_person_scores(
    driver: neo4j.Driver,
    people: pd.DataFrame,
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
    ranking_written: bool = False,
    stop: threading.Event | None = None,
    write: ScoreWriter | None = None,
) -> int:
    """Write the person scores of ``people`` (:attr:`graphvc.runs.AnalysisResult.people`)
    onto their nodes, ``batch_size`` to a transaction, stamped ``run_at``; clear the scores
    of people this run did not score. With ``ranking_written``, the ranking scores of the same
    ``people`` are on the nodes already, stamped the same ``run_at``
    (:func:`write_person_ranking_scores`), and only the rest is written. Returns how many
    people were scored. ``stop`` and ``write`` as for :func:`write_person_ranking_scores`."""
    if not ranking_written:
        write_person_ranking_scores(
            driver,
            people,
            run_at=run_at,
            database=database,
            batch_size=batch_size,
            stop=stop,
            write=write,
        )
    stamp = run_at.isoformat()
    _write_batches(
        driver,
        _PERSON_PROFILE,
        PERSON_PROFILE_SCORES,
        people,
        stamp,
        database,
        batch_size,
        stop,
        write,
    )
    _stop_if_set(stop)
    _clear(driver, "Person", PERSON_SCORES, stamp, database)
    return len(people)


def write_place_scores(
    driver: neo4j.Driver,
    places: Mapping[str, pd.DataFrame],
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
    stop: threading.Event | None = None,
    write: ScoreWriter | None = None,
) -> dict[str, int]:
    """Write the place scores of ``places`` (:attr:`graphvc.runs.AnalysisResult.places`, by
    level) onto their nodes as :func:`write_person_scores` does; returns how many nodes of
    each label were scored."""
    stamp = run_at.isoformat()
    for level, target in _PLACES.items():
        _write_batches(
            driver, target, PLACE_SCORES, places[level], stamp, database, batch_size, stop, write
        )
        _stop_if_set(stop)
        _clear(driver, target[0], PLACE_SCORES, stamp, database)
    return {_PLACES[level][0]: len(places[level]) for level in _PLACES}


def write_scores(
    driver: neo4j.Driver,
    result: AnalysisResult,
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
    write: ScoreWriter | None = None,
) -> dict[str, int]:
    """Write the person and place scores of ``result`` onto their nodes, ``batch_size`` to a
    transaction (or by ``write``: :data:`ScoreWriter`); clear older scores.

    Returns how many nodes of each label were scored.
    """
    people = write_person_scores(
        driver,
        result.people,
        run_at=run_at,
        database=database,
        batch_size=batch_size,
        write=write,
    )
    return {"Person": people} | write_place_scores(
        driver,
        result.places,
        run_at=run_at,
        database=database,
        batch_size=batch_size,
        write=write,
    )


def _write_batches(
    driver: neo4j.Driver,
    target: ScoreTarget,
    names: Mapping[str, str],
    table: pd.DataFrame,
    stamp: str,
    database: str,
    batch_size: int,
    stop: threading.Event | None = None,
    write: ScoreWriter | None = None,
) -> None:
    """Write ``table``'s scores ``names`` with ``target``'s Cypher file, one batch of columns
    per transaction, stamped ``stamp``; none begun once ``stop`` is set. With ``write``, the
    whole table is handed to it instead, unless ``stop`` is set."""
    if write is not None:
        _stop_if_set(stop)
        write(target, names, table, stamp)
        return
    _label, cypher, labels = target
    query = read_cypher(cypher, labels=labels)
    for batch in _score_batches(table, names, batch_size):
        _stop_if_set(stop)
        run_write(
            driver, query, [batch], parameters={"run_at": stamp}, database=database, batch_size=1
        )


def _stop_if_set(stop: threading.Event | None) -> None:
    """Raise :class:`RunError` once ``stop`` is set: the writes end between two batches."""
    if stop is not None and stop.is_set():
        raise RunError("the write-back was stopped: its run is abandoned")


def withdraw_scores(driver: neo4j.Driver, *, run_at: datetime, database: str = "neo4j") -> None:
    """Remove every score stamped ``run_at`` from the people and places, unless a stored run
    of that time is listed (an ``(:AnalysisRun)`` whose ``finished_at`` is ``run_at``).

    What a run interrupted or failed before it was stored leaves: nodes it had scored carry
    its stamp, which no listed run has. Withdrawn, they carry none, and every score left on
    the graph is the listed run's. The check and the removal are one transaction per label,
    so a run whose node was written after all keeps its scores.
    """
    stamp = run_at.isoformat()
    scored = {"Person": PERSON_SCORES} | {label: PLACE_SCORES for label, _, _ in _PLACES.values()}
    for label, names in scored.items():
        _clear(driver, label, names, stamp, database, cypher="analysis/withdraw_scores")


class WriteBack:
    """One run's scores written back in the background while the rest of the run is computed:
    the server writes while Python measures, so the write-back leaves the run's critical path.

    The people's ranking goes first (:meth:`ranking`), as soon as they are ranked, because a
    node's first scores cost the server three times as much as overwriting them
    (:func:`write_person_ranking_scores`); the rest of their scores follow on the same
    writer (:meth:`people`), after the ranking and only if it was written; the places go on a
    writer of their own (:meth:`places`). :meth:`join` waits for every write and returns how
    many nodes of each label were scored. Every score is stamped ``run_at``.

    Used as a context manager: leaving it waits for any write still running, so no write
    outlives the run. Left by an exception (an interruption, a failed stage), it begins no
    further batch, waits for the one running and withdraws what the run wrote
    (:func:`withdraw_scores`) unless the run was stored, so the nodes keep the listed run's
    scores or none, never a run that is not listed. When the database itself failed, the
    withdrawal is not tried (it would fail the same way) and the next run clears the scores.

    ``write`` (None: the driver's batches) sets each table's scores (:data:`ScoreWriter`);
    the clearing and the withdrawal are the driver's whatever writes the scores.
    """

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        run_at: datetime,
        database: str = "neo4j",
        write: ScoreWriter | None = None,
    ):
        self._driver, self._run_at, self._database = driver, run_at, database
        self._write = write
        self._stop = threading.Event()
        # One writer for the people, so their two parts are written in order; one for places.
        self._people_writer = ThreadPoolExecutor(max_workers=1)
        self._places_writer = ThreadPoolExecutor(max_workers=1)
        self._ranking: Future[tuple[int, float]] | None = None
        self._people: Future[tuple[int, float]] | None = None
        self._places: Future[tuple[dict[str, int], float]] | None = None

    def __enter__(self) -> WriteBack:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is not None:
            self._stop.set()
        self._people_writer.shutdown(wait=True, cancel_futures=error is not None)
        self._places_writer.shutdown(wait=True, cancel_futures=error is not None)
        if error is None or isinstance(error, DatabaseError):
            return
        try:
            withdraw_scores(self._driver, run_at=self._run_at, database=self._database)
        except DatabaseError as e:  # the error that ended the run is the one to report
            log.warning("the scores of run %s were not withdrawn: %s", self._run_at, e)

    def ranking(self, people: pd.DataFrame) -> None:
        """Begin writing the ranking scores of ``people`` (ranked, not yet profiled), which
        must not change until :meth:`join`."""
        self._ranking = self._people_writer.submit(
            _timed,
            write_person_ranking_scores,
            self._driver,
            people,
            run_at=self._run_at,
            database=self._database,
            stop=self._stop,
            write=self._write,
        )

    def people(self, people: pd.DataFrame) -> None:
        """Begin writing the rest of the scores of ``people`` (the run's final person table),
        or all of them when :meth:`ranking` was not called; clear the scores of people this
        run did not score."""
        self._people = self._people_writer.submit(self._after_ranking, people)

    def _after_ranking(self, people: pd.DataFrame) -> tuple[int, float]:
        ranking_seconds = 0.0
        if self._ranking is not None:
            _count, ranking_seconds = self._ranking.result()  # done: the same single writer
        count, seconds = _timed(
            write_person_scores,
            self._driver,
            people,
            run_at=self._run_at,
            database=self._database,
            ranking_written=self._ranking is not None,
            stop=self._stop,
            write=self._write,
        )
        return count, ranking_seconds + seconds

    def places(self, places: Mapping[str, pd.DataFrame]) -> None:
        """Begin writing the place scores of ``places`` (by level)."""
        self._places = self._places_writer.submit(
            _timed,
            write_place_scores,
            self._driver,
            places,
            run_at=self._run_at,
            database=self._database,
            stop=self._stop,
            write=self._write,
        )

    def join(self) -> tuple[dict[str, int], float]:
        """Wait for the people's and places' writes (both must have begun): how many nodes of
        each label were scored, and the seconds the writes took between them. Raises the
        error of a write that failed."""
        if self._people is None or self._places is None:
            raise RuntimeError("WriteBack.join() before the people's and places' writes began")
        people, people_seconds = self._people.result()
        places, places_seconds = self._places.result()
        return {"Person": people, **places}, people_seconds + places_seconds


def _timed(function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """``function(*args, **kwargs)`` and how many seconds it took."""
    started = time.perf_counter()
    return function(*args, **kwargs), time.perf_counter() - started
