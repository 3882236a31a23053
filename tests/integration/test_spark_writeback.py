"""The Spark engine's write-back through the Neo4j connector (:mod:`graphvc.spark.write`)
against the test server: every ``score_*`` property and ``scored_at`` stamp of every node the
same as the driver's write-back sets, of the same types; the scores of earlier runs cleared and
those of a failed run withdrawn alike.

The oracle is the in-process write-back (:func:`graphvc.scores.write_scores`,
:func:`graphvc.runs.obtain_run`) of the same run on the same graph: exact. The Spark engine's
whole run (``spark_obtain_run``, its own PageRank) is compared with the in-process run's, scores
on the nodes included, by ``tests/integration/test_spark_engine.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest

from graphvc.config import Settings
from graphvc.db import cypher_dir
from graphvc.errors import DatabaseError, RunError
from graphvc.runs import obtain_run, record_run
from graphvc.scores import (
    PERSON_SCORES,
    PLACE_SCORES,
    ScoreTarget,
    withdraw_scores,
    write_scores,
)
from graphvc.spark.write import connector_writer, write_query
from graphvc.stored_runs import list_runs

#: Every node a run scores, by label, and its key, with each score property and its stamp.
SCORED = """
MATCH (n)
WHERE n:Person OR n:Location OR n:Ward OR n:Borough
WITH n, [k IN keys(n) WHERE k STARTS WITH 'score_' OR k = 'scored_at'] AS scored
WHERE size(scored) > 0
RETURN [l IN labels(n) WHERE l IN ['Person', 'Location', 'Ward', 'Borough']][0] AS label,
       coalesce(n.id, n.code) AS key, [k IN scored | [k, n[k]]] AS scores
ORDER BY label, key
"""
ANALYSIS_WRITES = sorted((cypher_dir() / "analysis").glob("write_*_scores.cypher"))


def _scored(driver: neo4j.Driver) -> dict[tuple[str, str], dict[str, Any]]:
    """Every scored node's scores and stamp, as the driver reads them back (typed)."""
    records, _, _ = driver.execute_query(SCORED, routing_=neo4j.RoutingControl.READ)
    return {(r["label"], r["key"]): dict(r["scores"]) for r in records}


def _stamp(scored: dict[tuple[str, str], dict[str, Any]]) -> set[datetime]:
    return {scores["scored_at"].to_native() for scores in scored.values()}


def _assert_same_scores(
    theirs: dict[tuple[str, str], dict[str, Any]], ours: dict[tuple[str, str], dict[str, Any]]
) -> None:
    """The same nodes with the same score properties, each of the same type and value; the
    stamps are compared by the caller."""
    assert list(theirs) == list(ours)
    for node, scores in ours.items():
        assert sorted(theirs[node]) == sorted(scores), node
        for prop, value in scores.items():
            got = theirs[node][prop]
            if prop != "scored_at":
                assert (type(got), got) == (type(value), value), (node, prop)


def _plant_stale_score(driver: neo4j.Driver, people: set[str]) -> str:
    """A person the run does not score, given a score stamped by an earlier run: their id."""
    records, _, _ = driver.execute_query(
        "MATCH (p:Person) WHERE NOT p.id IN $scored "
        "SET p.score_priority = 0.5, p.scored_at = datetime('2020-01-01T00:00:00+00:00') "
        "RETURN p.id AS id ORDER BY id LIMIT 1",
        scored=sorted(people),
    )
    return str(records[0]["id"])


@pytest.mark.parametrize("path", ANALYSIS_WRITES, ids=lambda path: path.stem)
def test_each_connector_query_sets_what_the_driver_query_sets(path: Path) -> None:
    def sets(text: str) -> list[str]:
        body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
        return re.findall(r"(\w+\.\w+) = ", body.split("SET", 1)[1])

    ours = path.read_text(encoding="utf-8")
    theirs = (cypher_dir() / "spark" / path.name).read_text(encoding="utf-8")
    assert sets(theirs) == sets(ours)
    # The same nodes, matched on the same key: the row's id where the driver's batch gives one.
    match = re.search(r"MATCH \((\w+:[^ ]+) \{(\w+): ", ours)
    assert match is not None
    assert f"MATCH ({match[1]} {{{match[2]}: event.id}})" in theirs
    # The stamp as the driver's: the same datetime of the same text.
    assert "datetime($run_at)" in ours and "datetime(event.run_at)" in theirs


def test_write_query_is_the_statement_without_its_header() -> None:
    query = write_query(("Borough", "analysis/write_area_scores", {"AREA": "Borough"}))
    assert query.startswith("MATCH (n:`Borough` {code: event.id})\nSET n.score_incidents")
    assert "//" not in query and "$" not in query


def test_the_connector_writes_the_scores_the_driver_writes(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings
) -> None:
    result = obtain_run(synthetic_city_graph).result
    first, second = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    written = write_scores(synthetic_city_graph, result, run_at=first)
    ours = _scored(synthetic_city_graph)
    assert _stamp(ours) == {first}
    assert len(ours) == sum(written.values()) > 500
    people = {key for label, key in ours if label == "Person"}
    assert {prop for (label, _), s in ours.items() if label == "Person" for prop in s} == {
        *PERSON_SCORES.values(),
        "scored_at",
    } - {"score_exposure_distance"}  # missing for everyone in this city: removed, not written
    assert {prop for (label, _), s in ours.items() if label == "Location" for prop in s} == {
        *PLACE_SCORES.values(),
        "scored_at",
    }
    # Withdrawn (no run of that time is listed), so the connector writes onto bare nodes.
    withdraw_scores(synthetic_city_graph, run_at=first)
    assert _scored(synthetic_city_graph) == {}
    stale = _plant_stale_score(synthetic_city_graph, people)
    writer = connector_writer(spark, test_settings, partitions=3, batch_size=100)  # type: ignore[arg-type]
    theirs_written = write_scores(synthetic_city_graph, result, run_at=second, write=writer)
    assert theirs_written == written
    theirs = _scored(synthetic_city_graph)
    assert ("Person", stale) not in theirs  # the earlier run's score cleared
    assert _stamp(theirs) == {second}
    _assert_same_scores(theirs, ours)


def test_record_run_through_the_connector_stamps_the_run_it_stores(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings, tmp_path: Path
) -> None:
    # spark_obtain_run's write-back and store: record_run with the connector's writer.
    ours_run = obtain_run(synthetic_city_graph, runs_dir=tmp_path / "ours", store=True, reuse=False)
    assert ours_run.stored is not None
    ours = _scored(synthetic_city_graph)
    assert _stamp(ours) == {ours_run.stored.finished_at.to_pydatetime()}
    stale = _plant_stale_score(
        synthetic_city_graph, {key for label, key in ours if label == "Person"}
    )
    finished_at = datetime.now(UTC)
    stored, scored = record_run(
        synthetic_city_graph,
        ours_run.result,
        runs_dir=tmp_path / "theirs",
        finished_at=finished_at,
        write=connector_writer(spark, test_settings, partitions=2),  # type: ignore[arg-type]
    )
    assert scored == ours_run.scored
    theirs = _scored(synthetic_city_graph)
    assert ("Person", stale) not in theirs
    # Stamped like every run: the stored run's time, the newest the app lists.
    assert _stamp(theirs) == {finished_at} == {stored.finished_at.to_pydatetime()}
    assert list_runs(synthetic_city_graph)[0].id == stored.id
    _assert_same_scores(theirs, ours)


def test_a_connector_write_back_that_fails_is_withdrawn(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings, tmp_path: Path
) -> None:
    runs = list_runs(synthetic_city_graph)
    listed = _stamp(_scored(synthetic_city_graph))
    assert listed == {runs[0].finished_at.to_pydatetime()}
    connector = connector_writer(spark, test_settings)  # type: ignore[arg-type]

    def write_but_boroughs(
        target: ScoreTarget, names: Mapping[str, str], table: pd.DataFrame, stamp: str
    ) -> None:
        if target[0] == "Borough":
            raise RunError("the boroughs' write failed")
        connector(target, names, table, stamp)

    failed_at = datetime.now(UTC)
    with pytest.raises(RunError, match="the boroughs' write failed"):
        record_run(
            synthetic_city_graph,
            obtain_run(synthetic_city_graph).result,
            runs_dir=tmp_path / "runs",
            finished_at=failed_at,
            write=write_but_boroughs,
        )
    after = _scored(synthetic_city_graph)
    # The connector overwrote the locations and wards, then the driver withdrew the failed
    # run's scores: no node keeps them, and every score left is the listed run's.
    assert not any(label in ("Location", "Ward") for label, _ in after)
    assert _stamp(after) <= listed
    assert [run.id for run in list_runs(synthetic_city_graph)] == [run.id for run in runs]


def test_a_write_neo4j_refuses_is_a_database_error(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings
) -> None:
    result = obtain_run(synthetic_city_graph).result
    before = _scored(synthetic_city_graph)
    wrong = replace(test_settings, neo4j_password="not-the-password")
    writer = connector_writer(spark, wrong)  # type: ignore[arg-type]
    with pytest.raises(
        DatabaseError, match=r"did not write the Person scores .*AuthenticationException"
    ):
        write_scores(
            synthetic_city_graph, result, run_at=datetime(2026, 3, 1, tzinfo=UTC), write=writer
        )
    assert _scored(synthetic_city_graph) == before
