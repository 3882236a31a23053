"""``--weights none|strength``: a valued network loaded with ``graphvc load-network`` is
measured weighted by default and unweighted with ``--weights none``, on ``analyse`` and on
``report centrality``, and the choice is recorded with the run and said on the report.

Les Misérables (networkx's copy of Knuth's co-appearance counts) is valued, and its weighted
and unweighted betweenness differ; both are computed here independently with networkx.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import neo4j
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner, Result

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.schema import apply_schema, wipe
from graphvc.stored_runs import list_runs


@pytest.fixture(scope="module")
def valued() -> nx.Graph:
    return nx.relabel_nodes(nx.les_miserables_graph(), str)


@pytest.fixture
def env(
    empty_graph: neo4j.Driver, test_settings: Settings, valued: nx.Graph, tmp_path: Path
) -> dict[str, str]:
    """The valued network loaded from a UCINET-style matrix, as an analyst receives one."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
    }
    matrix = tmp_path / "matrix.csv"
    nx.to_pandas_adjacency(valued, nodelist=sorted(valued)).to_csv(matrix)
    _graphvc(env, "load-network", str(matrix), "--type", "gang", "--format", "matrix")
    return env


def _graphvc(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def _scores(driver: neo4j.Driver) -> pd.DataFrame:
    return run_query(
        driver,
        "MATCH (p:Person) RETURN p.id AS id, p.score_betweenness AS betweenness, "
        "p.score_degree AS degree, p.score_weighted_degree AS weighted_degree",
    ).set_index("id")


def _weighted_betweenness(G: nx.Graph) -> dict[str, float]:
    H = G.copy()
    for _, _, data in H.edges(data=True):  # exact 1/w, as the person network's distance
        data["distance"] = Fraction(1, int(data["weight"]))
    return {v: float(b) for v, b in nx.betweenness_centrality(H, weight="distance").items()}


def _assert_equal(found: pd.Series, expected: dict[str, float], n: int) -> None:
    # networkx normalises by (n-1)(n-2)/2 for an undirected graph; graphvc's scores are raw.
    scale = (n - 1) * (n - 2) / 2
    for person, value in expected.items():
        assert found[person] == pytest.approx(value * scale, abs=1e-6), person


def test_weights_none_gives_unweighted_betweenness_and_strength_the_weighted(
    env: dict[str, str], empty_graph: neo4j.Driver, valued: nx.Graph
) -> None:
    n = valued.number_of_nodes()
    unweighted = {v: float(b) for v, b in nx.betweenness_centrality(valued).items()}
    weighted = _weighted_betweenness(valued)
    # The test means something only where the two differ, and by much.
    assert max(abs(weighted[v] - unweighted[v]) for v in valued) > 0.05

    plain = json.loads(_graphvc(env, "analyse", "--ties", "gang", "--json").stdout)
    assert plain["parameters"]["weights"] == "strength"
    _assert_equal(_scores(empty_graph)["betweenness"], weighted, n)

    none = json.loads(
        _graphvc(env, "analyse", "--ties", "gang", "--weights", "none", "--json").stdout
    )
    assert none["parameters"]["weights"] == "none"
    scores = _scores(empty_graph)
    _assert_equal(scores["betweenness"], unweighted, n)
    # Without strengths, a person's weighted degree is their number of ties.
    assert scores["weighted_degree"].to_dict() == scores["degree"].to_dict()
    assert scores["degree"].to_dict() == {v: float(d) for v, d in valued.degree()}

    stored = {run.id: run.parameters for run in list_runs(empty_graph)}
    assert stored[plain["run"]]["weights"] == "strength"
    assert stored[none["run"]]["weights"] == "none"


def test_report_centrality_says_its_network_was_measured_unweighted(
    env: dict[str, str], valued: nx.Graph, tmp_path: Path
) -> None:
    n = valued.number_of_nodes()
    out = tmp_path / "reports"
    args = ["report", "centrality", "--ties", "gang", "--top", "1000", "--quiet"]
    _graphvc(env, *args, "--out", str(out / "none"), "--weights", "none")
    _graphvc(env, *args, "--out", str(out / "strength"))

    unweighted = {v: float(b) for v, b in nx.betweenness_centrality(valued).items()}
    for choice, expected in (("none", unweighted), ("strength", _weighted_betweenness(valued))):
        latest = out / choice / "latest"
        listed = pd.read_csv(latest / "offenders.csv", dtype={"person_id": str})
        _assert_equal(listed.set_index("person_id")["betweenness"], expected, n)
        manifest = json.loads((latest / "manifest.json").read_text())
        assert manifest["parameters"]["weights"] == choice
    page = (out / "none" / "latest" / "report.html").read_text()
    assert "unweighted (--weights none): every tie counts as one" in page
    page = (out / "strength" / "latest" / "report.html").read_text()
    assert "weighted: more shared incidents or a stronger association" in page
    assert "--weights none" not in page
