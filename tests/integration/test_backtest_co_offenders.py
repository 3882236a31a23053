"""`graphvc backtest co-offenders` on a small synthetic city in the real Neo4j, run with
CliRunner on the command itself (the lead adds it to the `backtest` group)."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli.backtest_co_offenders import co_offenders_command
from graphvc.config import Settings
from graphvc.errors import AnalysisError
from graphvc.predict.co_offender_backtest import backtest_co_offenders
from graphvc.runs.parameters import DEFAULT_TIE_WEIGHTS
from graphvc.schema import apply_schema, wipe
from graphvc.synth import generate, synthetic_city, write
from loaders.folder import load_folder

ARGS = ["--train-until", "2024-07-01", "--test-months", "6"]


@pytest.fixture(scope="module")
def city(empty_graph: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory):
    """A synthetic city of 2,000 incidents (2023 to 2025), loaded."""
    dataset = generate(2000, seed=11, geography=synthetic_city(11))
    folder = tmp_path_factory.mktemp("city")
    write(dataset, folder)
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, folder)
    return dataset


@pytest.fixture
def env(test_settings: Settings, tmp_path: Path) -> dict[str, str]:
    return {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "NEO4J_DATABASE": test_settings.neo4j_database,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }


def _json(env: dict[str, str], *extra: str) -> dict:
    result = CliRunner().invoke(co_offenders_command, [*ARGS, *extra, "--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_backtest_scores_the_graph_as_the_generated_tables(city, env: dict[str, str]) -> None:
    found = _json(env)
    assert {k: found[k] for k in ("method", "train_until", "test_months")} == {
        "method": "co-offenders",
        "train_until": "2024-07-01",
        "test_months": 6,
    }
    assert [r["name"] for r in found["results"]] == [
        "random_walk_with_restart",
        "common_neighbours",
        "adamic_adar",
    ]
    # The graph read back gives the figures of the generator's own tables.
    expected = backtest_co_offenders(
        city.incidents,
        city.involvements,
        city.associations,
        train_until="2024-07-01",
        test_months=6,
        tie_weights=DEFAULT_TIE_WEIGHTS,
    ).as_json()
    assert (found["seeds"], found["pairs"]) == (expected["seeds"], expected["pairs"]) != (0, 0)
    for row, wanted in zip(found["results"], expected["results"], strict=True):
        assert row == pytest.approx(wanted)
    for row in found["results"]:
        assert (
            0 <= row["mrr"] <= row["hits_at_10"] + 1e-12 and row["hits_at_5"] <= row["hits_at_10"]
        )
    # A winner is named only with the best MRR; the text says the same.
    best = max(found["results"], key=lambda r: r["mrr"])
    assert found["winner"] in (None, best["name"])
    text = CliRunner().invoke(co_offenders_command, ARGS, env=env)
    assert text.exit_code == 0, text.output
    assert "hits@5" in text.stdout and found["verdict"][1:] in text.stdout


def test_level_methods_claim_no_win(city, env: dict[str, str]) -> None:
    # On the shared offending alone the city's new pairs are two steps apart through one
    # partner, so the three methods rank them alike: nobody may claim a win.
    found = _json(env, "--ties", "co-offending")
    assert found["winner"] is None
    assert found["verdict"].startswith("no method wins")


def test_a_split_without_new_pairs_is_refused_naming_its_dates(city, env: dict[str, str]) -> None:
    # A GraphvcError, which the `backtest` group (OneLineErrors) ends in one line.
    result = CliRunner().invoke(
        co_offenders_command, ["--train-until", "2030-01-01", "--test-months", "3"], env=env
    )
    assert result.exit_code == 1 and isinstance(result.exception, AnalysisError)
    assert "no pair first offended together from 2030-01-01 to 2030-04-01" in str(result.exception)
