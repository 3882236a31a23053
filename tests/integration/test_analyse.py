"""`graphvc analyse` on the real Neo4j: scores computed from the graph and written back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.graph_tables import read_graph_tables
from graphvc.runs import AnalysisParameters, analyse
from graphvc.schema import apply_schema, wipe
from graphvc.scores import write_scores
from graphvc.stored_runs import list_runs
from graphvc.synth import generate, synthetic_city, write
from loaders.folder import load_folder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AS_OF = pd.Timestamp("2025-01-03")  # the day after the fixture's latest incident
#: The co-offending layer alone: the fixture's associations (P1-P6 gang, P4-P5 partner, P7-P9
#: family) would add P4 and P9 and ties to the network.
CO_OFFENDING = {"co-offending": 1.0}


@pytest.fixture(scope="module")
def small_graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, FIXTURES / "small")
    return empty_graph


def _scores(driver: neo4j.Driver, query: str) -> pd.DataFrame:
    return run_query(driver, query)


def test_scores_written_back_can_be_read_with_cypher(small_graph: neo4j.Driver) -> None:
    # Co-offending in the fixture (offenders and suspects): P1-P2 (I1), P1-P3 (I2), P1-P6 (I5);
    # P5 and P7 offend alone. P1 is the centre of a star of three: betweenness 3, degree 3.
    result = analyse(
        read_graph_tables(small_graph),
        AnalysisParameters(as_of=AS_OF, window_days=730, tie_weights=CO_OFFENDING),
    )
    run_at = datetime(2026, 1, 1, tzinfo=UTC)
    written = write_scores(small_graph, result, run_at=run_at)
    assert written["Person"] == 6  # P1, P2, P3, P5, P6, P7
    people = _scores(
        small_graph,
        "MATCH (p:Person) WHERE p.score_betweenness IS NOT NULL "
        "RETURN p.id AS id, p.score_betweenness AS betweenness, p.score_degree AS degree, "
        "toString(p.scored_at) AS scored_at ORDER BY id",
    )
    assert people["id"].tolist() == ["P1", "P2", "P3", "P5", "P6", "P7"]
    by_id = people.set_index("id")
    assert by_id.at["P1", "betweenness"] == pytest.approx(3.0)
    assert by_id.at["P1", "degree"] == 3
    assert (by_id.drop(index="P1")["betweenness"] == 0).all()
    assert set(people["scored_at"]) == {"2026-01-01T00:00:00Z"}
    places = _scores(
        small_graph,
        "MATCH (n) WHERE (n:Location OR n:Ward OR n:Borough) AND n.score_harm IS NOT NULL "
        "RETURN coalesce(n.id, n.code) AS id, n.score_harm AS harm",
    ).set_index("id")["harm"]
    # L1: I1 + I2 = 365 + 365; L2: I3 + I4 = 10 + 365; L3: I5 = 274; the City of London: L1 + L2.
    assert places["L1"] == pytest.approx(730.0)
    assert places["L2"] == pytest.approx(375.0)
    assert places["L3"] == pytest.approx(274.0)
    assert places["E09000001"] == pytest.approx(1105.0)
    assert places["E09000007"] == pytest.approx(274.0)


def test_a_later_run_leaves_no_stale_score(small_graph: neo4j.Driver) -> None:
    write_scores(
        small_graph,
        analyse(read_graph_tables(small_graph), AnalysisParameters(as_of=AS_OF)),
        run_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    # A 30-day window holds only I6 (2025-01-02), and the co-offending layer alone leaves
    # P7 its only offender.
    narrow = analyse(
        read_graph_tables(small_graph),
        AnalysisParameters(as_of=AS_OF, window_days=30, tie_weights=CO_OFFENDING),
    )
    write_scores(small_graph, narrow, run_at=datetime(2026, 2, 1, tzinfo=UTC))
    scored = _scores(
        small_graph, "MATCH (p:Person) WHERE p.score_degree IS NOT NULL RETURN p.id AS id"
    )
    assert scored["id"].tolist() == ["P7"]


def test_a_score_a_later_run_does_not_give_is_removed(small_graph: neo4j.Driver) -> None:
    # P1 is scored by both runs; the second gives it no betweenness, as a run might not
    # (a measure left out, or one that has no value for them): the first run's value goes.
    first = analyse(read_graph_tables(small_graph), AnalysisParameters(as_of=AS_OF))
    write_scores(small_graph, first, run_at=datetime(2026, 3, 1, tzinfo=UTC))
    second = replace(
        first,
        people=first.people.assign(
            betweenness=first.people["betweenness"].mask(first.people.index == "P1")
        ),
    )
    write_scores(small_graph, second, run_at=datetime(2026, 3, 2, tzinfo=UTC))
    found = _scores(
        small_graph,
        "MATCH (p:Person {id: 'P1'}) RETURN p.score_betweenness AS betweenness, "
        "p.score_degree AS degree, toString(p.scored_at) AS at",
    )
    assert found.to_dict("records") == [
        {"betweenness": None, "degree": 3, "at": "2026-03-02T00:00:00Z"}
    ]


def test_cli_analyse_prints_json_with_the_ranked_list(
    small_graph: neo4j.Driver, test_settings: Settings
) -> None:
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
    }
    result = CliRunner().invoke(cli, ["analyse", "--json", "--top", "3"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["parameters"]["as_of"] == "2025-01-03T00:00:00"
    # Every layer by default: the six co-offenders and lone offenders, with P4 (partner of P5)
    # and P9 (family of P7).
    assert report["summary"]["people_in_network"] == 8
    assert report["summary"]["links_by_layer"] == {
        "co-offending": 3,
        "family": 1,
        "partner": 1,
        "gang": 1,
        "associate": 0,
        "other": 0,
    }
    assert [row["rank"] for row in report["top"]] == [1, 2, 3]
    assert report["top"][0]["person_id"] == "P1"


def test_cli_analyse_on_an_empty_graph_says_so(
    empty_graph: neo4j.Driver, test_settings: Settings
) -> None:
    wipe(empty_graph)
    env = {"NEO4J_URI": test_settings.uri, "NEO4J_PASSWORD": test_settings.neo4j_password}
    result = CliRunner().invoke(cli, ["analyse"], env=env)
    assert result.exit_code == 1
    assert "the graph holds neither incidents nor associations" in result.stderr


def _stamps(driver: neo4j.Driver) -> set[pd.Timestamp]:
    """The distinct ``scored_at`` stamps on the graph's nodes."""
    found = run_query(
        driver, "MATCH (n) WHERE n.scored_at IS NOT NULL RETURN DISTINCT n.scored_at AS at"
    )
    return {pd.Timestamp(at.to_native()) for at in found["at"]}


def _analyse(
    env: dict[str, str], interrupt_after: float | None = None, signum: int = signal.SIGINT
) -> tuple[int, str, float]:
    """``graphvc analyse`` as a process of its own, sent ``signum`` (SIGINT: Ctrl+C)
    ``interrupt_after`` seconds in (None: run to the end): its exit status, stderr and the
    seconds it ran."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "graphvc", "analyse", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if interrupt_after is not None:
        time.sleep(interrupt_after)
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr, time.monotonic() - started


def test_an_interrupted_analyse_leaves_the_stored_run_whole(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    """Ctrl+C at any moment of ``graphvc analyse`` (loading, reading, measuring, writing back,
    storing) ends in one line and exit 130 (SIGTERM: 143), and leaves the graph with the scores
    of the listed run and no other, its folder beside it and no orphan."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    data = tmp_path / "data"
    write(generate(2000, seed=7, geography=synthetic_city(7)), data)
    load_folder(empty_graph, data)
    runs = tmp_path / "runs"
    env = os.environ | {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_HOME": str(tmp_path / "home"),
        "GRAPHVC_RUNS_DIR": str(runs),
    }
    code, stderr, seconds = _analyse(env)
    assert code == 0, stderr
    for fraction, signum in (
        (0.15, signal.SIGINT),
        (0.4, signal.SIGINT),
        (0.65, signal.SIGTERM),
        (0.9, signal.SIGINT),
    ):
        code, stderr, _ = _analyse(env, fraction * seconds, signum)
        listed = list_runs(empty_graph)
        moment = f"{signum.name} {fraction * seconds:.1f} s in"
        if code == 0:  # the run was over before the signal came
            continue
        assert code == 128 + signum, (moment, stderr)
        assert stderr.splitlines() == ["Aborted: interrupted"], (moment, stderr)
        # Every score left on the graph is the newest listed run's (those the interrupted run
        # had overwritten are withdrawn); every listed run has its folder.
        assert _stamps(empty_graph) <= {listed[0].finished_at}, moment
        assert {run.id for run in listed} <= {p.name for p in runs.iterdir()}, moment
    code, stderr, _ = _analyse(env)
    assert code == 0, stderr
    listed = list_runs(empty_graph)
    assert _stamps(empty_graph) == {listed[0].finished_at}
    assert sorted(p.name for p in runs.iterdir()) == sorted(run.id for run in listed)
