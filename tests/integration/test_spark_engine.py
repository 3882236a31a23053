"""The Spark engine (``graphvc analyse --engine spark``) in local mode against the test
server: every table of the run the same as the in-process engine's.

Exact for counts, ranks, the table measures (but the escalation profile's two float
statistics, within ``SUMMATION_TOLERANCE``), betweenness and communities (the same functions
on the same network, on the driver); PageRank (summed in another order by Spark's joins)
within ``PAGERANK_TOLERANCE``, eigenvector (ARPACK's random start) within
``EIGENVECTOR_TOLERANCE``. The suite's one Spark
session (``spark``, ``tests/conftest.py``) serves it.
"""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.graph_tables import canonical, read_graph_tables
from graphvc.spark.read import read_tables, to_pandas
from graphvc.stored_runs import list_runs, read_run_table

#: PageRank's tolerance between the engines: the same iteration, its sums in another order.
PAGERANK_TOLERANCE = 1e-9
#: Eigenvector centrality's: ARPACK starts from a random vector, so two runs of the same
#: function on the same network differ in its last digits (the in-process engine's too).
EIGENVECTOR_TOLERANCE = 1e-6
#: The escalation profile's two float statistics (the diversity index, 1 - sum of squared
#: shares, and the harm slope, a least-squares fit): Spark's aggregates add their terms in
#: another order than pandas' groupby, so they may differ in the last bit or two.
SUMMATION_TOLERANCE = 1e-9
#: The columns compared within a tolerance; every other column is exact. Weighted degree and
#: PageRank are summed in another order by Spark.
APPROXIMATE = {
    "pagerank": PAGERANK_TOLERANCE,
    "weighted_degree": PAGERANK_TOLERANCE,
    "eigenvector": EIGENVECTOR_TOLERANCE,
    "diversity_index": SUMMATION_TOLERANCE,
    "harm_slope": SUMMATION_TOLERANCE,
}


def _compare(spark_frame: pd.DataFrame, inprocess: pd.DataFrame, name: str) -> None:
    assert list(spark_frame.columns) == list(inprocess.columns), name
    assert list(spark_frame.index) == list(inprocess.index), name
    for column in inprocess.columns:
        if column in APPROXIMATE:
            pd.testing.assert_series_equal(
                spark_frame[column],
                inprocess[column],
                check_exact=False,
                rtol=0,
                atol=APPROXIMATE[column],
                obj=f"{name}.{column}",
            )
        else:
            pd.testing.assert_series_equal(
                spark_frame[column], inprocess[column], check_exact=True, obj=f"{name}.{column}"
            )


def test_connector_reads_the_same_tables_as_the_driver(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings
) -> None:
    start, end = pd.Timestamp("2023-01-01").to_pydatetime(), None
    ours = read_graph_tables(synthetic_city_graph, start=start, end=end)
    theirs = to_pandas(read_tables(spark, test_settings, start=start, end=end, partitions=3))  # type: ignore[arg-type]
    for table, frame in ours.items():
        assert len(frame) > 0, table
        pd.testing.assert_frame_equal(theirs[table], canonical(table, frame), obj=table)


def test_cli_analyse_engine_spark_stores_the_same_run(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings, tmp_path: Path
) -> None:
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_HOME": str(test_settings.home),
        "GRAPHVC_RUNS_DIR": str(tmp_path / "runs"),
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }
    runner = CliRunner()
    done = runner.invoke(cli, ["analyse", "--engine", "spark", "--json", "--top", "5"], env=env)
    assert done.exit_code == 0, done.output
    spark_report = json.loads(done.stdout)
    spark_run = list_runs(synthetic_city_graph)[0]
    assert spark_run.id == spark_report["run"]
    spark_people = read_run_table(tmp_path / "runs", spark_run, "people")
    spark_scores = run_query(
        synthetic_city_graph,
        "MATCH (p:Person) WHERE p.score_priority_rank IS NOT NULL "
        "RETURN p.id AS id, p.score_priority_rank AS rank, p.score_pagerank AS pagerank "
        "ORDER BY id",
    )
    done = runner.invoke(cli, ["analyse", "--json", "--top", "5"], env=env)
    assert done.exit_code == 0, done.output
    report = json.loads(done.stdout)
    # The run's identity leaves the engine out: the same parameters, the same summary, ranks.
    assert spark_report["parameters"] == report["parameters"]
    assert spark_report["summary"] == report["summary"]
    assert spark_report["top"] == report["top"]
    run = list_runs(synthetic_city_graph)[0]
    assert run.parameters == spark_run.parameters
    # Every table of the stored run, as the app and the reports read it.
    names = sorted(f.stem for f in (tmp_path / "runs" / run.id).glob("*.parquet"))
    assert {"people", "repeat_victims", "exposure", "overlap", "escalation"} <= set(names)
    assert names == sorted(f.stem for f in (tmp_path / "runs" / spark_run.id).glob("*.parquet"))
    for name in names:
        table = read_run_table(tmp_path / "runs", run, name)
        assert len(table) > 0, name
        _compare(read_run_table(tmp_path / "runs", spark_run, name), table, name)
    people = read_run_table(tmp_path / "runs", run, "people")
    assert len(people) > 100
    assert spark_people["pagerank"].nunique() > 10
    scores = run_query(
        synthetic_city_graph,
        "MATCH (p:Person) WHERE p.score_priority_rank IS NOT NULL "
        "RETURN p.id AS id, p.score_priority_rank AS rank, p.score_pagerank AS pagerank "
        "ORDER BY id",
    )
    assert len(scores) == len(people)  # written through the connector by the Spark run
    assert spark_scores["id"].tolist() == scores["id"].tolist()
    assert spark_scores["rank"].tolist() == scores["rank"].tolist()
    assert spark_scores["pagerank"].to_numpy() == pytest.approx(
        scores["pagerank"].to_numpy(), abs=PAGERANK_TOLERANCE
    )


def test_report_centrality_engine_spark_lists_the_same_people(
    synthetic_city_graph: neo4j.Driver, spark: object, test_settings: Settings, tmp_path: Path
) -> None:
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_HOME": str(test_settings.home),
        "GRAPHVC_RUNS_DIR": str(tmp_path / "runs"),
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
        "GRAPHVC_REPORTS_DIR": str(tmp_path / "reports"),
    }
    folders = {}
    for engine in ("spark", "inprocess"):
        out = tmp_path / engine
        done = CliRunner().invoke(
            cli, ["report", "centrality", "--out", str(out), "--engine", engine, "--quiet"], env=env
        )
        assert done.exit_code == 0, done.output
        folders[engine] = out / "latest"
    listed = sorted(p.name for p in folders["inprocess"].glob("*.csv"))
    assert listed and listed == sorted(p.name for p in folders["spark"].glob("*.csv"))
    for name in listed:
        ours = pd.read_csv(folders["inprocess"] / name)
        theirs = pd.read_csv(folders["spark"] / name)
        assert list(theirs.columns) == list(ours.columns), name
        exact = [c for c in ours.columns if c not in APPROXIMATE]
        pd.testing.assert_frame_equal(theirs[exact], ours[exact], obj=name)
        for column in set(ours.columns) & set(APPROXIMATE):
            assert theirs[column].to_numpy() == pytest.approx(
                ours[column].to_numpy(), abs=APPROXIMATE[column], nan_ok=True
            ), f"{name}.{column}"
