"""`graphvc resolve` on the real Neo4j: planted duplicates found, pairs written as the shared
interface says, a network without identifying fields refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.explore import ego_network
from graphvc.exports import export_graph
from graphvc.exports.anx import anx_bytes
from graphvc.exports.graphml import graphml_bytes
from graphvc.resolve import DEFAULT_THRESHOLD, pairwise_scores
from graphvc.resolve.model import COMPARED
from loaders.police_uk import load_police_uk
from tests.cli_env import cli_env
from tests.conftest import NO_REFERENCE, TEST_REFERENCE

PAIRS = """
MATCH (a:Person)-[r:POSSIBLY_SAME_AS]->(b:Person)
RETURN a.id AS a, b.id AS b, r.probability AS probability, r.model AS model,
       r.run_at AS run_at, r.cluster AS cluster, r.evidence AS evidence, r.agreed AS agreed
ORDER BY a, b
"""


def _graphvc(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def env(
    empty_graph: neo4j.Driver,
    test_settings: Settings,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    with cli_env(empty_graph, test_settings, tmp_path_factory.mktemp("home")) as values:
        yield values | {"GRAPHVC_AUDIT_DIR": str(tmp_path_factory.mktemp("audit"))}


def _clusters(pairs: pd.DataFrame) -> list[list[str]]:
    """The clusters the written pairs name (pairs inside one cluster at the threshold)."""
    graph = nx.Graph()
    clustered = pairs[pairs["cluster"] != ""]
    graph.add_edges_from(zip(clustered["a"], clustered["b"], strict=True))
    return [sorted(c) for c in nx.connected_components(graph)]


def test_resolve_finds_the_planted_duplicates(
    env: dict[str, str], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    folder = tmp_path / "city"
    _graphvc(env, "synth", "--incidents", "3000", "--seed", "11", "--geography", "city",
             "--out", str(folder), "--duplicates", "0.05")  # fmt: skip
    _graphvc(env, "load", str(folder), "--rejects", str(tmp_path / "rejects.csv"))
    truth = json.loads((folder / "ground_truth.json").read_text())["duplicates"]

    summary = json.loads(_graphvc(env, "resolve", "--json"))
    pairs = run_query(empty_graph, PAIRS)
    assert summary["pairs"] == len(pairs) > 0
    assert summary["threshold"] == DEFAULT_THRESHOLD
    scores = pairwise_scores(_clusters(pairs), truth)
    assert scores["precision"] >= 0.95, scores
    assert scores["recall"] >= 0.90, scores

    # As INTERFACES35.md says: lower id to higher, a probability, the evidence as JSON of
    # every comparison, the fields that agreed among the compared ones.
    assert (pairs["a"] < pairs["b"]).all()
    assert pairs["probability"].between(0, 1).all()
    assert set(pairs["model"]) == {summary["model"]}
    evidence = [json.loads(e) for e in pairs["evidence"]]
    assert all(set(e) == set(COMPARED) for e in evidence)
    assert all(
        isinstance(level["level"], str) and level["bayes_factor"] >= 0
        for e in evidence
        for level in e.values()
    )
    fields = {f for fs in COMPARED.values() for f in fs}
    assert all(set(agreed) <= fields for agreed in pairs["agreed"])
    # An exact pnc_id agreement is in the evidence as the top level of its comparison.
    with_pnc = [
        e for e, agreed in zip(evidence, pairs["agreed"], strict=True) if "pnc_id" in agreed
    ]
    assert with_pnc and all(e["pnc_id"]["level"] == "Exact match on pnc_id" for e in with_pnc)

    # A second run replaces the first's pairs rather than adding to them.
    again = json.loads(_graphvc(env, "resolve", "--json", "--threshold", "0.99"))
    repeated = run_query(empty_graph, PAIRS)
    assert len(repeated) == again["pairs"] == summary["pairs"]
    assert set(repeated["run_at"].astype(str)) != set(pairs["run_at"].astype(str))
    assert again["clustered"] <= summary["clustered"]
    events = audit.events(Path(env["GRAPHVC_AUDIT_DIR"]))
    runs = [e for e in events.to_dict("records") if e["action"] == "resolve"]
    assert len(runs) == 2

    # The identifying fields stay in the graph: an export of a person's network holds none.
    person = run_query(
        empty_graph,
        "MATCH (p:Person) WHERE p.pnc_id IS NOT NULL AND p.postcode IS NOT NULL"
        " AND p.date_of_birth IS NOT NULL AND (p)-[:VICTIM_IN|OFFENDER_IN|SUSPECT_IN]->()"
        " RETURN p.id AS id, p.pnc_id AS pnc, p.postcode AS postcode,"
        " p.date_of_birth AS born, p.name AS name ORDER BY id LIMIT 1",
    ).iloc[0]
    G = export_graph(empty_graph, ego_network(empty_graph, str(person["id"]), hops=2))
    assert person["id"] in G and len(G) > 1
    assert not any(rel == "POSSIBLY_SAME_AS" for *_, rel in G.edges(data="type"))
    for document in (graphml_bytes(G).decode(), anx_bytes(G).decode()):
        for value in (person["pnc"], person["postcode"], person["born"], person["name"]):
            assert str(value) not in document


def test_a_network_without_identifying_fields_is_refused_in_one_line(
    env: dict[str, str], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    path = tmp_path / "karate.csv"
    edges = nx.karate_club_graph().edges()
    pd.DataFrame([(f"K{u}", f"K{v}") for u, v in edges], columns=["source", "target"]).to_csv(
        path, index=False
    )
    run_query(empty_graph, "MATCH (n) DETACH DELETE n", write=True)
    _graphvc(env, "load-network", str(path), "--type", "gang",
             "--rejects", str(tmp_path / "r.csv"))  # fmt: skip
    result = CliRunner().invoke(cli, ["resolve"], env=env)
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "none of the 34 people has a date of birth, postcode or PNC id" in result.output
    assert run_query(empty_graph, PAIRS).empty


@pytest.mark.skipif(TEST_REFERENCE is None, reason=NO_REFERENCE)
def test_a_real_police_uk_month_has_no_one_to_resolve(
    env: dict[str, str], empty_graph: neo4j.Driver
) -> None:
    """A City of London Police month: incidents and places, no people."""
    reference = TEST_REFERENCE or Path("/nonexistent")
    geography = reference / "london_geography"
    month = sorted((reference / "police_uk_city_of_london").rglob("*-street.csv"))[0]
    run_query(empty_graph, "MATCH (n) DETACH DELETE n", write=True)
    load_police_uk(
        empty_graph,
        [month],
        lookup_path=geography / "london_lsoa11_ward19_borough19.csv",
        centroids_path=geography / "london_lsoa11_centroids.csv",
    )
    result = CliRunner().invoke(cli, ["resolve", "--json"], env=env)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: none of the 0 people has a date of birth, postcode or PNC id: nothing to"
        " resolve on (names and ids alone would match strangers)"
    )
    assert run_query(empty_graph, PAIRS).empty
