"""Stored runs on the real Neo4j: `graphvc analyse` leaves a run the app reads back unchanged.

The graph is the small fixture (``tests/fixtures/small``); its run as of 2025-01-03 over every
tie layer ranks eight people (the six offenders and suspects, P4 partner of P5 and P9 family
of P7; see tests/integration/test_analyse.py).
"""

from __future__ import annotations

import json
import math
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from graphvc import overview, scores
from graphvc.analysis import continuum, places
from graphvc.analysis import repeat_victims as repeats
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import read_cypher, run_query
from graphvc.errors import GraphvcError, RunError
from graphvc.explore import ego_network, node_details
from graphvc.graph_tables import read_graph_tables
from graphvc.queries import run_stored_query
from graphvc.runs import (
    AnalysisParameters,
    AnalysisResult,
    analyse,
    obtain_run,
    record_run,
    stored_result,
)
from graphvc.runs.pages import page_tables
from graphvc.schema import apply_schema, wipe
from graphvc.scores import PERSON_SCORES
from graphvc.stored_runs import RUN_TABLES, list_runs, read_run_table, writing_runs
from loaders.folder import load_folder

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
AS_OF = pd.Timestamp("2025-01-03")  # the day after the fixture's latest incident


@pytest.fixture(scope="module")
def small_graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    return empty_graph


@pytest.fixture(scope="module")
def in_memory(small_graph: neo4j.Driver) -> AnalysisResult:
    return analyse(read_graph_tables(small_graph), AnalysisParameters(as_of=AS_OF))


def _missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def _forget_all(driver: neo4j.Driver) -> None:
    run_query(driver, "MATCH (r:AnalysisRun) DELETE r", write=True)


def test_cli_analyse_stores_a_run_that_round_trips(
    small_graph: neo4j.Driver,
    in_memory: AnalysisResult,
    test_settings: Settings,
    tmp_path: Path,
) -> None:
    _forget_all(small_graph)
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_RUNS_DIR": str(tmp_path),
    }
    ran = CliRunner().invoke(cli, ["analyse", "--as-of", "2025-01-03", "--json"], env=env)
    assert ran.exit_code == 0, ran.output
    report = json.loads(ran.stdout)
    [run] = list_runs(small_graph)
    assert run.id == report["run"]
    assert (run.as_of, run.window_days) == (AS_OF, 730)
    assert run.ties == dict.fromkeys(
        ["co-offending", "family", "partner", "gang", "associate", "other"], 1.0
    )
    assert run.summary == json.loads(json.dumps(in_memory.summary))
    assert run.ranked == 7  # P1, P2, P3, P5, P6, P7 offended; P9 tied; P4 only a victim
    expected = page_tables(in_memory)
    assert sorted(p.stem for p in (tmp_path / run.id).iterdir()) == sorted(RUN_TABLES)
    for name in RUN_TABLES:
        stored = read_run_table(tmp_path, run, name)
        assert stored.dtypes.to_dict() == expected[name].dtypes.to_dict(), name
        # Parquet has one missing value: a True/False column with gaps comes back with None
        # where the analysis had NaN.
        pd.testing.assert_frame_equal(
            _missing_as_none(stored), _missing_as_none(expected[name]), obj=name
        )
        assert run.rows[name] == len(expected[name])
    # The node is the graph's own record of the run, readable with Cypher.
    node = run_query(
        small_graph,
        "MATCH (r:AnalysisRun) RETURN r.id AS id, toString(r.as_of) AS as_of, "
        "r.window_days AS window_days, r.ties AS ties",
    )
    assert node.to_dict("records") == [
        {"id": run.id, "as_of": "2025-01-03", "window_days": 730, "ties": json.dumps(run.ties)}
    ]


def test_a_page_reads_only_the_rows_and_columns_it_shows(
    small_graph: neo4j.Driver, in_memory: AnalysisResult, tmp_path: Path
) -> None:
    _forget_all(small_graph)
    run, _ = record_run(
        small_graph, in_memory, runs_dir=tmp_path, finished_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    top = read_run_table(tmp_path, run, "people", rows=3)
    assert top.index.tolist() == in_memory.people.index[:3].tolist()
    assert top.index[0] == "P1" and top["rank"].tolist() == [1, 2, 3]
    priority = read_run_table(tmp_path, run.id, "people", columns=("priority",))
    assert priority.columns.tolist() == ["priority"]
    assert priority["priority"].tolist() == in_memory.people["priority"].tolist()
    with pytest.raises(RunError, match=r"has no .*nowhere.*people\.parquet"):
        read_run_table(tmp_path / "nowhere", run, "people")
    with pytest.raises(RunError, match="'graph' is not a table of a stored run"):
        read_run_table(tmp_path, run, "graph")


def test_only_the_newest_runs_are_kept(
    small_graph: neo4j.Driver, in_memory: AnalysisResult, tmp_path: Path
) -> None:
    _forget_all(small_graph)
    ids = [
        record_run(
            small_graph,
            in_memory,
            runs_dir=tmp_path,
            keep=2,
            finished_at=datetime(2026, 1, day, tzinfo=UTC),
        )[0].id
        for day in (1, 2, 3)
    ]
    assert ids == ["20260101T000000.000000Z", "20260102T000000.000000Z", "20260103T000000.000000Z"]
    assert [run.id for run in list_runs(small_graph)] == ids[:0:-1]  # newest first
    assert sorted(p.name for p in tmp_path.iterdir()) == ids[1:]
    # The scores on the nodes are the last run's.
    stamps = run_query(
        small_graph,
        "MATCH (p:Person) WHERE p.scored_at IS NOT NULL "
        "RETURN DISTINCT toString(p.scored_at) AS at",
    )
    assert stamps["at"].tolist() == ["2026-01-03T00:00:00Z"]


def test_a_stored_run_hands_over_the_final_people_before_the_victims_are_scored(
    small_graph: neo4j.Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forget_all(small_graph)
    order: list[str] = []
    handed: list[pd.DataFrame] = []
    repeat_victims, write_people = repeats.repeat_victims, scores.WriteBack.people

    def scoring_victims(*args: Any, **kwargs: Any) -> pd.DataFrame:
        order.append("victims")
        return repeat_victims(*args, **kwargs)

    def hand_over(write_back: scores.WriteBack, people: pd.DataFrame) -> None:
        order.append("people")
        handed.append(people)
        write_people(write_back, people)

    monkeypatch.setattr(repeats, "repeat_victims", scoring_victims)
    monkeypatch.setattr(scores.WriteBack, "people", hand_over)
    result = obtain_run(
        small_graph, AnalysisParameters(as_of=AS_OF), runs_dir=tmp_path, reuse=False, store=True
    ).result
    assert order == ["people", "victims"]
    assert handed[0] is result.people
    assert "exposure_distance" in result.people and "overlap_class" in result.people


def test_a_stored_run_writes_the_people_back_while_the_places_are_scored(
    small_graph: neo4j.Driver,
    in_memory: AnalysisResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget_all(small_graph)
    begun = threading.Event()
    write_person_scores, place_harm = scores.write_person_scores, places.place_harm
    waited: list[bool] = []

    def writing(*args: Any, **kwargs: Any) -> int:
        begun.set()
        return write_person_scores(*args, **kwargs)

    def scoring_places(*args: Any, **kwargs: Any) -> pd.DataFrame:
        waited.append(begun.wait(timeout=10))  # False unless the write-back has begun
        return place_harm(*args, **kwargs)

    monkeypatch.setattr(scores, "write_person_scores", writing)
    monkeypatch.setattr(places, "place_harm", scoring_places)
    result, _, run, written = obtain_run(
        small_graph, AnalysisParameters(as_of=AS_OF), runs_dir=tmp_path, reuse=False, store=True
    )
    assert run is not None
    assert waited == [True, True, True]  # location, ward, borough
    assert [stored.id for stored in list_runs(small_graph)] == [run.id]
    assert written == {"Person": len(in_memory.people)} | {
        label: len(in_memory.places[level])
        for label, level in (("Location", "location"), ("Ward", "ward"), ("Borough", "borough"))
    }
    pd.testing.assert_frame_equal(result.people, in_memory.people)
    # Every score on the nodes is this run's, stamped with its time.
    stamps = run_query(
        small_graph,
        "MATCH (n) WHERE n.scored_at IS NOT NULL "
        "RETURN DISTINCT labels(n)[0] AS label, n.scored_at AS at",
    )
    assert sorted(stamps["label"]) == ["Borough", "Location", "Person", "Ward"]
    assert {pd.Timestamp(at.to_native()) for at in stamps["at"]} == {run.finished_at}
    priority = read_run_table(tmp_path, run, "people", columns=("priority",))
    assert priority["priority"].tolist() == in_memory.people["priority"].tolist()


def test_a_stored_run_writes_the_ranking_back_while_escalation_is_measured(
    small_graph: neo4j.Driver,
    in_memory: AnalysisResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget_all(small_graph)
    # An earlier run's scores on everyone: replaced for the run's people, cleared for the rest.
    run_query(
        small_graph,
        "MATCH (p:Person) SET p.score_priority = -1.0, p.score_escalated = 'x', "
        "p.scored_at = datetime('2020-01-01T00:00Z')",
        write=True,
    )
    begun = threading.Event()
    write_ranking, escalation_profile = (
        scores.write_person_ranking_scores,
        continuum.escalation_profile,
    )
    waited: list[bool] = []

    def writing(*args: Any, **kwargs: Any) -> int:
        begun.set()
        return write_ranking(*args, **kwargs)

    def measuring(*args: Any, **kwargs: Any) -> pd.DataFrame:
        waited.append(begun.wait(timeout=10))  # False unless the ranking's write has begun
        return escalation_profile(*args, **kwargs)

    monkeypatch.setattr(scores, "write_person_ranking_scores", writing)
    monkeypatch.setattr(continuum, "escalation_profile", measuring)
    result, _, run, written = obtain_run(
        small_graph, AnalysisParameters(as_of=AS_OF), runs_dir=tmp_path, reuse=False, store=True
    )
    assert run is not None
    assert waited[0] is True
    assert written["Person"] == len(in_memory.people)
    # Both parts on every node, each person's scores the run's, under the run's one stamp.
    found = (
        run_query(
            small_graph,
            "MATCH (p:Person) WHERE p.scored_at IS NOT NULL RETURN p.id AS person_id, "
            + ", ".join(f"p.{prop} AS {prop}" for prop in PERSON_SCORES.values())
            + ", p.scored_at AS at",
        )
        .set_index("person_id")
        .sort_index()
    )
    assert {pd.Timestamp(at.to_native()) for at in found.pop("at")} == {run.finished_at}
    people = result.people.sort_index()
    assert found.index.tolist() == people.index.tolist()
    # No score is left on anyone without a stamp (the victims, who are not ranked, lost theirs).
    assert _unstamped_scores(small_graph) == 0
    found, people = _missing_as_none(found), _missing_as_none(people)
    for column, prop in PERSON_SCORES.items():
        # An infinite score (no victim within reach) is written as none.
        expected = [None if value in (None, math.inf) else value for value in people[column]]
        if column == "overlap_class":
            expected = [None if value is None else str(value) for value in expected]
        assert found[prop].tolist() == pytest.approx(expected), prop


def test_a_run_that_fails_after_the_ranking_leaves_no_unstamped_score(
    small_graph: neo4j.Driver,
    in_memory: AnalysisResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget_all(small_graph)
    run_query(
        small_graph,
        "MATCH (p:Person) REMOVE p.scored_at, "
        + ", ".join(f"p.{prop}" for prop in PERSON_SCORES.values()),
        write=True,
    )

    def failing(*args: Any, **kwargs: Any) -> pd.DataFrame:
        raise RuntimeError("escalation failed")

    monkeypatch.setattr(continuum, "escalation_profile", failing)
    written = threading.Event()
    write_ranking = scores.write_person_ranking_scores

    def writing(*args: Any, **kwargs: Any) -> int:
        count = write_ranking(*args, **kwargs)
        written.set()
        return count

    def failing(*args: Any, **kwargs: Any) -> pd.DataFrame:
        assert written.wait(timeout=10)  # the ranking is on the nodes when the run fails
        raise RuntimeError("escalation failed")

    monkeypatch.setattr(scores, "write_person_ranking_scores", writing)
    monkeypatch.setattr(continuum, "escalation_profile", failing)
    with pytest.raises(RuntimeError, match="escalation failed"):
        obtain_run(
            small_graph, AnalysisParameters(as_of=AS_OF), runs_dir=tmp_path, reuse=False, store=True
        )
    # The ranking went back before the failure, stamped, and was withdrawn by its stamp: no
    # score is left of a run that is not listed, and no folder stored.
    ranked = run_query(
        small_graph,
        "MATCH (p:Person) WHERE p.score_degree IS NOT NULL OR p.scored_at IS NOT NULL "
        "RETURN count(p) AS n",
    )
    assert ranked.at[0, "n"] == 0
    assert _unstamped_scores(small_graph) == 0
    assert list_runs(small_graph) == [] and list(tmp_path.iterdir()) == []


def test_a_run_interrupted_before_it_is_stored_leaves_the_listed_run_alone(
    small_graph: neo4j.Driver,
    in_memory: AnalysisResult,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget_all(small_graph)
    listed, _ = record_run(
        small_graph, in_memory, runs_dir=tmp_path, finished_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    # A later run of other parameters, interrupted (Ctrl+C) while it measures the places: its
    # people's ranking is on the nodes by then, under its own stamp.
    written = threading.Event()
    write_ranking = scores.write_person_ranking_scores

    def writing(*args: Any, **kwargs: Any) -> int:
        count = write_ranking(*args, **kwargs)
        written.set()
        return count

    def interrupted(*args: Any, **kwargs: Any) -> pd.DataFrame:
        assert written.wait(timeout=10)
        raise KeyboardInterrupt

    monkeypatch.setattr(scores, "write_person_ranking_scores", writing)
    monkeypatch.setattr(places, "place_harm", interrupted)
    narrow = AnalysisParameters(as_of=AS_OF, window_days=30)
    with pytest.raises(KeyboardInterrupt):
        obtain_run(small_graph, narrow, runs_dir=tmp_path, reuse=False, store=True)
    # The graph holds the listed run's scores and no other: those the interrupted run
    # overwrote are withdrawn, the rest are the listed run's values.
    assert [run.id for run in list_runs(small_graph)] == [listed.id]
    assert sorted(p.name for p in tmp_path.iterdir()) == [listed.id]
    found = run_query(
        small_graph,
        "MATCH (n) WHERE n.scored_at IS NOT NULL "
        "RETURN DISTINCT labels(n)[0] AS label, n.scored_at AS at",
    )
    assert {pd.Timestamp(at.to_native()) for at in found["at"]} == {listed.finished_at}
    assert _unstamped_scores(small_graph) == 0


def test_orphaned_run_folders_are_pruned_by_the_next_stored_run(
    small_graph: neo4j.Driver, in_memory: AnalysisResult, tmp_path: Path
) -> None:
    _forget_all(small_graph)
    kept, _ = record_run(
        small_graph, in_memory, runs_dir=tmp_path, finished_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    # What killed runs leave: a staged folder, and a folder renamed into place whose node was
    # never written (Neo4j killed in between).
    for orphan in (".20260102T000000.000000Z.partial", "20260103T000000.000000Z"):
        (tmp_path / orphan).mkdir()
        (tmp_path / orphan / "people.parquet").write_bytes(b"")
    # Not a run's folder, and a run being stored beside this one: both left alone.
    (tmp_path / "notes").mkdir()
    (tmp_path / ".20270101T000000.000000Z.partial").mkdir()
    stored, _ = record_run(
        small_graph,
        in_memory,
        runs_dir=tmp_path,
        keep=5,
        finished_at=datetime(2026, 1, 4, tzinfo=UTC),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".20270101T000000.000000Z.partial",
        kept.id,
        stored.id,
        "notes",
    ]


def test_the_readers_show_only_the_listed_runs_scores(
    small_graph: neo4j.Driver, in_memory: AnalysisResult, tmp_path: Path
) -> None:
    _forget_all(small_graph)
    listed, _ = record_run(
        small_graph, in_memory, runs_dir=tmp_path, finished_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    # A later run killed outright while it wrote back (nothing could withdraw it): P1's
    # ranking is on the node under a stamp no listed run has.
    unlisted = in_memory.people.loc[["P1"]].assign(priority=99.0)
    scores.write_person_ranking_scores(
        small_graph, unlisted, run_at=datetime(2026, 2, 1, tzinfo=UTC)
    )
    central = run_stored_query(small_graph, "central_offenders", {}, timeout=30)
    assert len(central) and "P1" not in set(central["person_id"])
    assert {_at(at) for at in central["scored_at"]} == {listed.finished_at}
    shown = ego_network(small_graph, "P1", hops=2).nodes.set_index("id")
    assert pd.isna(shown.at["P1", "score_priority"])
    assert shown.at["P2", "score_priority"] == pytest.approx(in_memory.people.at["P2", "priority"])
    details = node_details(small_graph, str(shown.at["P1", "element_id"]))
    assert not any(key.startswith("score") for key in details)


def _at(value: Any) -> pd.Timestamp:
    """A stamp as read back (a Neo4j or Python date-time) as a UTC timestamp."""
    return pd.Timestamp(value.to_native() if hasattr(value, "to_native") else value)


def _unstamped_scores(driver: neo4j.Driver) -> int:
    """How many people carry a score but no stamp."""
    return int(
        run_query(
            driver,
            "MATCH (p:Person) WHERE p.scored_at IS NULL AND "
            "any(key IN keys(p) WHERE key STARTS WITH 'score_') RETURN count(p) AS n",
        ).at[0, "n"]
    )


def test_a_failed_write_back_stores_nothing(
    small_graph: neo4j.Driver, in_memory: AnalysisResult, tmp_path: Path
) -> None:
    # The tables are staged while the scores are written; a write that fails (here, into a
    # database the server does not have) leaves neither a folder nor a run behind.
    _forget_all(small_graph)
    with pytest.raises(GraphvcError):
        record_run(
            small_graph,
            in_memory,
            runs_dir=tmp_path,
            database="nosuchdatabase",
            finished_at=datetime(2026, 1, 4, tzinfo=UTC),
        )
    assert list(tmp_path.iterdir()) == []
    assert list_runs(small_graph) == []


def _report(env: dict[str, str], out: Path, *options: str) -> tuple[dict[str, Any], Result]:
    ran = CliRunner().invoke(
        cli,
        ["report", "centrality", "--out", str(out), "--as-of", "2025-01-03", *options],
        env=env,
    )
    assert ran.exit_code == 0, ran.output
    manifest = json.loads((Path(ran.stdout.strip()) / "manifest.json").read_text())
    return manifest, ran


def test_a_report_reads_the_stored_run_and_says_the_same(
    small_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    _forget_all(small_graph)
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_RUNS_DIR": str(tmp_path / "runs"),
        "GRAPHVC_PSEUDONYM_KEY": "",
    }
    ran = CliRunner().invoke(cli, ["analyse", "--as-of", "2025-01-03", "--json"], env=env)
    assert ran.exit_code == 0, ran.output
    run_id = json.loads(ran.stdout)["run"]

    stored, said = _report(env, tmp_path / "stored")
    assert stored["data"]["source"] == f"stored run {run_id}"
    assert f"from stored run {run_id}" in said.stderr
    # The same run, its stored tables out of reach: the graph is analysed now.
    now, said = _report(env | {"GRAPHVC_RUNS_DIR": str(tmp_path / "elsewhere")}, tmp_path / "now")
    assert now["data"]["source"] == "analysed now"
    assert "analysing the graph now" in said.stderr
    assert stored["data"]["data_hash"] == now["data"]["data_hash"]
    tables = sorted(p.name for p in (tmp_path / "now" / "latest").glob("*.csv"))
    assert len(tables) == 11
    for name in tables:
        assert (tmp_path / "stored" / "latest" / name).read_bytes() == (
            tmp_path / "now" / "latest" / name
        ).read_bytes(), name
    offenders = pd.read_csv(tmp_path / "stored" / "latest" / "offenders.csv")
    assert offenders["person_id"].iloc[0] == "P1" and len(offenders) == 7

    # Other parameters than the run's: analysed now, and a different list.
    other, _ = _report(env, tmp_path / "other", "--ties", "co-offending")
    assert other["data"]["source"] == "analysed now"
    assert (tmp_path / "other" / "latest" / "offenders.csv").read_bytes() != (
        tmp_path / "stored" / "latest" / "offenders.csv"
    ).read_bytes()
    seeded, _ = _report(env, tmp_path / "seeded", "--seed", "1")
    assert seeded["data"]["source"] == "analysed now"


def test_a_stored_run_of_another_graph_is_not_used(
    small_graph: neo4j.Driver, in_memory: AnalysisResult, tmp_path: Path
) -> None:
    _forget_all(small_graph)
    run, _ = record_run(
        small_graph, in_memory, runs_dir=tmp_path, finished_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    tables = read_graph_tables(small_graph)
    same = stored_result(run, tmp_path, tables, in_memory.parameters)
    assert same is not None
    pd.testing.assert_frame_equal(_missing_as_none(same.people), _missing_as_none(in_memory.people))
    # One incident fewer: the counts the run recorded no longer hold.
    fewer = tables | {"incidents": tables["incidents"].iloc[1:]}
    assert stored_result(run, tmp_path, fewer, in_memory.parameters) is None


def _by(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``frame`` in the order of ``keys``, its counts and sums as floats and the rest as
    objects, for comparing tables (an empty query result has no numeric column)."""
    numbers = {"incidents", "harm", "latitude", "longitude"}
    kinds = {c: "float64" if c in numbers else object for c in frame.columns}
    return frame.astype(kinds).sort_values(keys, ignore_index=True)


def test_the_overview_of_a_run_counts_what_the_cypher_library_counts(
    small_graph: neo4j.Driver, in_memory: AnalysisResult
) -> None:
    tables = page_tables(in_memory)
    months, locations = tables["incident_months"], tables["locations"]
    # I1 and I2 at L1 in January and February, I3 and I4 at L2 (March, September) in the
    # City of London; I5 at L3 in Camden (October); I6 on 2025-01-02 has no place.
    assert months["month"].dt.strftime("%Y-%m").tolist() == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-09",
        "2024-10",
        "2025-01",
    ]
    assert _missing_as_none(months[["borough_code", "incidents"]]).to_numpy().tolist() == [
        ["E09000001", 1],
        ["E09000001", 1],
        ["E09000001", 1],
        ["E09000001", 1],
        ["E09000007", 1],
        [None, 1],
    ]

    def cypher(name: str, **parameters: object) -> pd.DataFrame:
        return run_query(small_graph, read_cypher(f"app/{name}"), parameters)

    pairs = [
        (overview.by_category(months), cypher("overview_by_category"), ["category"]),
        (overview.by_borough(months, locations), cypher("overview_by_borough"), ["borough"]),
        (
            overview.borough_by_category(months),
            cypher("overview_borough_category"),
            ["borough", "category"],
        ),
    ]
    for code in (None, "E09000001", "E09000007", "E09000033"):
        counted = cypher("overview_by_month", borough=code)
        counted["month"] = pd.to_datetime([d.to_native() for d in counted["month"]])
        pairs.append((overview.by_month(months, code), counted, ["month", "category"]))
    for stored, queried, keys in pairs:
        assert stored.columns.tolist() == queried.columns.tolist()
        pd.testing.assert_frame_equal(_by(stored, keys), _by(queried, keys))
    assert overview.by_borough(months, locations)["harm"].tolist() == [1105.0, 274.0]


def test_an_analysis_is_refused_while_another_stores_a_run(
    small_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    # Two runs storing at once would interleave their stamped scores on the nodes.
    _forget_all(small_graph)
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_RUNS_DIR": str(tmp_path),
    }
    stamps = "MATCH (p:Person) RETURN p.id AS id, p.scored_at AS at ORDER BY id"
    before = run_query(small_graph, stamps)
    with writing_runs(tmp_path):
        ran = CliRunner().invoke(cli, ["analyse", "--as-of", "2025-01-03"], env=env)
    assert ran.exit_code == 1
    [message] = ran.stderr.splitlines()
    assert message.startswith("Error: another analysis is storing a run in ")
    assert f"process {os.getpid()} on " in message
    assert list_runs(small_graph) == []
    pd.testing.assert_frame_equal(run_query(small_graph, stamps), before)  # no score written
    ran = CliRunner().invoke(cli, ["analyse", "--as-of", "2025-01-03"], env=env)
    assert ran.exit_code == 0, ran.output
    assert len(list_runs(small_graph)) == 1
