"""One dataset in the demo's graph: a demo on London after one on the synthetic city used to
merge into the city's graph (the same ids) and keep its 8 boroughs, 60 wards and places. The
demo now refuses in one line, or empties the graph first with --replace; `graphvc load` of a
synthetic dataset into a graph holding another warns that it merges."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from tests.cli_env import cli_env

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"


@pytest.fixture
def env(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> Iterator[dict[str, str]]:
    with cli_env(empty_graph, test_settings, tmp_path / "home") as found:
        yield found


def _boroughs(driver: neo4j.Driver) -> list[str]:
    records, _, _ = driver.execute_query("MATCH (b:Borough) RETURN b.code AS code ORDER BY code")
    return [record["code"] for record in records]


def test_a_london_demo_after_the_city_refuses_then_replaces_it(
    env: dict[str, str], empty_graph: neo4j.Driver, reference_source: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    demo = ["demo", "--no-serve", "--incidents", "1000"]
    city = runner.invoke(cli, [*demo, "--geography", "city"], env=env)
    assert city.exit_code == 0, city.output
    # Each step is said as it starts, between "generating" and the end.
    said = [line.split()[0] for line in city.stdout.splitlines()]
    assert said[:5] == ["generating", "generated", "loading", "loaded", "analysed"], said
    assert re.search(r"^loaded [\d,]+ rows in \d+ s; analysing the graph$", city.stdout, re.M)
    assert len(_boroughs(empty_graph)) == 8

    installed = runner.invoke(cli, ["data", "install", "--from", str(reference_source)], env=env)
    assert installed.exit_code == 0, installed.output
    london = runner.invoke(cli, [*demo, "--geography", "london"], env=env)
    assert london.exit_code == 1
    [refusal] = london.stderr.strip().splitlines()
    assert refusal.startswith(
        "Error: the graph already holds data that is not this demo's (8 boroughs, 60 wards, "
    )
    assert refusal.endswith(
        "which the demo would merge into: run `graphvc demo --replace` to empty it first, "
        "or point NEO4J_URI at an empty database"
    )
    codes = _boroughs(empty_graph)
    assert len(codes) == 8 and all(code.startswith("Z09") for code in codes)  # untouched

    replaced = runner.invoke(cli, [*demo, "--geography", "london", "--replace"], env=env)
    assert replaced.exit_code == 0, replaced.output
    assert "emptying the graph (--replace): it held 8 boroughs, 60 wards, " in replaced.stdout
    codes = _boroughs(empty_graph)
    assert codes and all(code.startswith("E09") for code in codes)
    # London's demo alone: nothing beyond its own data, so the next demo loads without asking.
    from graphvc.demo import held_beyond

    folder = Path(env["GRAPHVC_HOME"]) / "demo-london-1000-7"
    assert set(held_beyond(empty_graph, folder).values()) == {0}


def test_loading_a_synthetic_dataset_into_another_warns_that_it_merges(
    env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    synthetic = tmp_path / "synthetic"
    made = runner.invoke(
        cli,
        ["synth", "--incidents", "1000", "--seed", "3", "--geography", "city", "--out", synthetic],
        env=env,
    )
    assert made.exit_code == 0, made.output

    def load(folder: Path) -> str:
        rejects = str(tmp_path / "rejects.csv")
        result = runner.invoke(cli, ["load", str(folder), "--rejects", rejects], env=env)
        assert result.exit_code == 0, result.output
        return result.stderr

    assert "warning" not in load(synthetic)  # into an empty graph
    assert "warning" not in load(synthetic)  # again: its own data only
    assert "warning" not in load(SMALL)  # real data adds to the graph by design
    warnings = [line for line in load(synthetic).splitlines() if line.startswith("warning")]
    # The small fixture's: boroughs E09000001 and E09000007, wards of L1-L3, places L1-L4,
    # people P1-P8 and P9 (named by an association), incidents I1-I6.
    assert warnings == [
        "warning: the graph already holds another dataset (2 boroughs, 3 wards, 4 places, "
        f"9 people, 6 incidents that {synthetic} does not have): this synthetic dataset "
        "merges into it"
    ]
