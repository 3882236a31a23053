"""`graphvc synth --contagion`, `graphvc risk contagion` and `graphvc backtest contagion` on the
real Neo4j: the risk written back (and cleared), the backtest's JSON and its verdict kept."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.predict.contagion_store import (
    read_contagion_risks,
    read_person_contagion,
    read_saved,
    save,
)
from graphvc.profile.contagion import contagion_facts, contagion_words
from tests.cli_env import cli_env


@pytest.fixture(scope="module")
def env(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    home = tmp_path_factory.mktemp("home")
    with cli_env(empty_graph, test_settings, home) as found:
        folder = home / "synth"
        synth = ["synth", "--incidents", "6000", "--seed", "11", "--geography", "city"]
        made = CliRunner().invoke(cli, [*synth, "--contagion", "--out", str(folder)], env=found)
        assert made.exit_code == 0, made.output
        loaded = CliRunner().invoke(
            cli, ["load", str(folder), "--rejects", str(home / "r.csv")], env=found
        )
        assert loaded.exit_code == 0, loaded.output
        yield found


def test_synth_records_the_planted_kernel(env: dict[str, str]) -> None:
    truth = json.loads((Path(env["GRAPHVC_HOME"]) / "synth" / "ground_truth.json").read_text())
    assert truth["contagion"]["alpha"] == 0.1
    assert truth["contagion"]["omega"] == 0.01
    assert truth["contagion"]["incidents_added"] > 0


def test_risk_is_written_back_and_cleared(
    env: dict[str, str], empty_graph: neo4j.Driver, test_settings: Settings
) -> None:
    result = CliRunner().invoke(
        cli, ["risk", "contagion", "--as-of", "2026-01-01", "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert 0.05 < found["fit"]["alpha"] < 0.15
    top = found["top"][0]
    stored = read_person_contagion(empty_graph, top["person_id"])
    assert stored is not None
    assert stored["risk"] == pytest.approx(top["risk"])
    assert stored["baseline"] + stored["neighbours"] == pytest.approx(top["expected_events"])
    assert stored["as_of"] == "2026-01-01"
    written = run_query(
        empty_graph,
        "MATCH (p:Person) WHERE p.score_contagion_risk IS NOT NULL RETURN count(p) AS n",
    )["n"][0]
    assert written == found["written"] == found["fit"]["n_people"]
    sexes = [row for row in found["proportionality"] if row["attribute"] == "sex"]
    assert sum(row["population_count"] for row in sexes) == found["written"]
    # A person no longer in the network at an earlier date loses the risk a later date gave.
    again = CliRunner().invoke(cli, ["risk", "contagion", "--as-of", "2024-01-01"], env=env)
    assert again.exit_code == 0, again.output
    assert "Share of events attributed to contagion" in again.output
    after = run_query(
        empty_graph,
        "MATCH (p:Person) WHERE p.score_contagion_risk IS NOT NULL RETURN count(p) AS n",
    )["n"][0]
    assert 0 < after < written
    assert read_saved(Path(env["GRAPHVC_HOME"]) / "runs", "risk")["as_of"] == "2024-01-01"


def test_backtest_prints_its_verdict_and_keeps_it(env: dict[str, str]) -> None:
    arguments = ["backtest", "contagion", "--train-until", "2025-07-01", "--test-months", "6"]
    result = CliRunner().invoke(cli, [*arguments, "--json"], env=env)
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found["method"] == "contagion"
    assert (found["train_until"], found["test_months"]) == ("2025-07-01", 6)
    assert [row["name"] for row in found["results"]] == [
        "contagion",
        "prior_count",
        "degree",
        "rfg",
    ]
    assert set(found["results"][0]) == {"name", "hit_rate_1pct", "hit_rate_5pct", "auc"}
    assert found["winner"] in {"contagion", "prior_count", "degree", "rfg"}
    assert read_saved(Path(env["GRAPHVC_HOME"]) / "runs", "backtest") == found
    text = CliRunner().invoke(cli, arguments, env=env)
    assert text.exit_code == 0, text.output
    assert text.output.rstrip().endswith(found["verdict"])
    assert (
        f"{found['winner']} wins" in found["verdict"] or "contagion model wins" in found["verdict"]
    )


def test_backtest_refuses_a_bad_date(env: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli,
        ["backtest", "contagion", "--train-until", "2025-07-01T10:00", "--test-months", "6"],
        env=env,
    )
    assert result.exit_code != 0
    assert "must be a plain date" in result.output


def test_the_report_and_the_profile_show_the_risk(
    env: dict[str, str], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    scored = CliRunner().invoke(cli, ["risk", "contagion", "--as-of", "2026-01-01"], env=env)
    assert scored.exit_code == 0, scored.output
    risks = read_contagion_risks(empty_graph)
    # Not an analysis run's score: analyse's clearing of score_* properties leaves it alone.
    analysed = CliRunner().invoke(cli, ["analyse", "--as-of", "2026-01-01", "--json"], env=env)
    assert analysed.exit_code == 0, analysed.output
    pd.testing.assert_series_equal(
        read_contagion_risks(empty_graph).sort_index(), risks.sort_index()
    )
    arguments = ["report", "centrality", "--out", str(tmp_path), "--as-of", "2026-01-01"]
    made = CliRunner().invoke(cli, [*arguments, "--top", "30", "--quiet"], env=env)
    assert made.exit_code == 0, made.output
    offenders = pd.read_csv(tmp_path / "2026-01-01" / "offenders.csv").set_index("person_id")
    expected = risks.reindex(offenders.index.astype(str))
    assert expected.notna().any()
    assert offenders["contagion_risk"].to_numpy() == pytest.approx(expected.to_numpy(), nan_ok=True)
    # The profile's words: the risk and its parts, and the kept backtest's verdict.
    person = str(risks.idxmax())
    runs = Path(env["GRAPHVC_HOME"]) / "runs"
    kept = {"train_until": "2025-07-01", "test_months": 6, "verdict": "So degree wins."}
    save(runs, "backtest", kept)
    facts = contagion_facts(empty_graph, person, runs_dir=runs)
    assert facts is not None
    words = contagion_words(facts)
    assert words[0].startswith(f"Contagion risk {100 * risks[person]:.1f} %")
    assert "in the 90 days from 2026-01-01" in words[0]
    assert words[2] == (
        "Last backtest (trained until 2025-07-01, 6 months tested): So degree wins."
    )
    assert contagion_facts(empty_graph, "nobody", runs_dir=tmp_path) is None
