"""Writing a run back: person and place scores as ``score_*`` properties on their nodes.

Every score is stamped with the run's time (``scored_at``), so Cypher users can query them
and tell which run they came from; scores of earlier runs that this run did not produce are
removed, so no stale score survives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import neo4j
import numpy as np
import pandas as pd

from graphvc.db import read_cypher, run_query, run_write
from graphvc.runs import AnalysisResult

__all__ = [
    "PERSON_PROFILE_SCORES",
    "PERSON_RANKING_SCORES",
    "PERSON_SCORES",
    "PLACE_SCORES",
    "WRITE_BACK_BATCH",
    "write_person_ranking_scores",
    "write_person_scores",
    "write_place_scores",
    "write_scores",
]

#: Rows per write-back transaction: four times the loader's, 1.4-1.6 times faster than 5,000
#: at 50,000 incidents (bench/bench_write_back.py); two transactions at once did not pay.
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
#: The people's label and the Cypher files that write their ranking and profile scores.
_PERSON_RANKING = ("Person", "analysis/write_person_ranking_scores", None)
_PERSON_PROFILE = ("Person", "analysis/write_person_profile_scores", None)
#: Each level of place: its label and the Cypher file that writes its scores.
_PLACES = {
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
    ids = [str(key) for key in table.index]
    columns = {prop: _values(table[column]) for column, prop in names.items() if column in table}
    return [
        {"ids": ids[start : start + batch_size],
         "scores": {prop: values[start : start + batch_size] for prop, values in columns.items()}}
        for start in range(0, len(ids), batch_size)
    ]  # fmt: skip


def _clear(
    driver: neo4j.Driver, label: str, names: Mapping[str, str], stamp: str, database: str
) -> None:
    cleared = dict.fromkeys(names.values())
    run_query(
        driver,
        read_cypher("analysis/clear_scores", labels={"NODE": label}),
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
) -> int:
    """Write the ranking scores of ``people`` (:data:`PERSON_RANKING_SCORES`) onto their nodes,
    stamped ``run_at``: the first part of :func:`write_person_scores`, which a run sends as soon
    as the people are ranked (:func:`graphvc.stored_runs.analyse_and_record`), then the rest
    with ``ranking_written=True`` and the same ``run_at``. Returns how many people were
    written. Stamped already, so a node left with this part alone (a run that failed between
    the two) is cleared by the next run that does not score it.

    Why apart: setting a property a node does not have yet costs Neo4j about three times as
    much as overwriting it (at 1,000,000 incidents, the 203,183 people's first scores took
    13.6-14.5 s, their next 4.4-5.1 s), so on the first run after a load the write-back
    outlasted the rest of the analysis; begun earlier, it ends within it.
    """
    _write_batches(driver, _PERSON_RANKING, PERSON_RANKING_SCORES, people, run_at.isoformat(),
                   database, batch_size)  # fmt: skip
    return len(people)


def write_person_scores(
    driver: neo4j.Driver,
    people: pd.DataFrame,
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
    ranking_written: bool = False,
) -> int:
    """Write the person scores of ``people`` (:attr:`graphvc.runs.AnalysisResult.people`)
    onto their nodes, ``batch_size`` to a transaction, stamped ``run_at``; clear the scores
    of people this run did not score. With ``ranking_written``, the ranking scores of the same
    ``people`` are on the nodes already, stamped the same ``run_at``
    (:func:`write_person_ranking_scores`), and only the rest is written. Returns how many
    people were scored."""
    if not ranking_written:
        write_person_ranking_scores(driver, people, run_at=run_at, database=database,
                                    batch_size=batch_size)  # fmt: skip
    stamp = run_at.isoformat()
    _write_batches(driver, _PERSON_PROFILE, PERSON_PROFILE_SCORES, people, stamp, database,
                   batch_size)  # fmt: skip
    _clear(driver, "Person", PERSON_SCORES, stamp, database)
    return len(people)


def write_place_scores(
    driver: neo4j.Driver,
    places: Mapping[str, pd.DataFrame],
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
) -> dict[str, int]:
    """Write the place scores of ``places`` (:attr:`graphvc.runs.AnalysisResult.places`, by
    level) onto their nodes as :func:`write_person_scores` does; returns how many nodes of
    each label were scored."""
    for level, target in _PLACES.items():
        _write_level(driver, target, PLACE_SCORES, places[level], run_at.isoformat(), database,
                     batch_size)  # fmt: skip
    return {_PLACES[level][0]: len(places[level]) for level in _PLACES}


def write_scores(
    driver: neo4j.Driver,
    result: AnalysisResult,
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = WRITE_BACK_BATCH,
) -> dict[str, int]:
    """Write the person and place scores of ``result`` onto their nodes, ``batch_size`` to a
    transaction; clear older scores.

    Returns how many nodes of each label were scored.
    """
    scored = {"Person": write_person_scores(driver, result.people, run_at=run_at,
                                            database=database, batch_size=batch_size)}  # fmt: skip
    return scored | write_place_scores(
        driver, result.places, run_at=run_at, database=database, batch_size=batch_size
    )


def _write_level(
    driver: neo4j.Driver, target: tuple[str, str, dict[str, str] | None],
    names: Mapping[str, str], table: pd.DataFrame, stamp: str, database: str, batch_size: int,
) -> None:  # fmt: skip
    """Write ``table``'s scores ``names`` onto the nodes of ``target`` (label, Cypher file and
    its labels), one batch of columns per transaction, then clear the label's older scores."""
    _write_batches(driver, target, names, table, stamp, database, batch_size)
    _clear(driver, target[0], names, stamp, database)


def _write_batches(
    driver: neo4j.Driver, target: tuple[str, str, dict[str, str] | None],
    names: Mapping[str, str], table: pd.DataFrame, stamp: str, database: str, batch_size: int,
) -> None:  # fmt: skip
    """Write ``table``'s scores ``names`` with ``target``'s Cypher file, one batch of columns
    per transaction, stamped ``stamp``."""
    _label, cypher, labels = target
    batches = _score_batches(table, names, batch_size)
    run_write(driver, read_cypher(cypher, labels=labels), batches,
              parameters={"run_at": stamp}, database=database, batch_size=1)  # fmt: skip
