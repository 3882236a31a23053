"""Real social networks and real police.uk months through the product's commands.

networkx ships real networks (Padgett's Florentine families, Zachary's karate club, Davis's
Southern women, Les Misérables): each is written out here in every input format, loaded with
`graphvc load-network` and with `graphvc load` (as associations), and analysed with
`graphvc analyse --ties gang`; the scores written back must equal networkx's.
"""

from __future__ import annotations

import csv
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
from graphvc.graph_tables import read_graph_tables
from graphvc.schema import apply_schema, graph_counts, wipe

HOSTILE_NETWORKS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile_networks"
HOSTILE_CASES = sorted(p.name for p in HOSTILE_NETWORKS.iterdir() if p.is_dir())


def _davis_women() -> nx.Graph:
    B = nx.davis_southern_women_graph()
    women = nx.bipartite.weighted_projected_graph(B, B.graph["top"])
    women.graph.clear()  # the lists of women and events, which GraphML cannot hold
    return women


NETWORKS = {
    "florentine": nx.florentine_families_graph,
    "karate": nx.karate_club_graph,
    "davis": _davis_women,
    "les_miserables": nx.les_miserables_graph,
}


@pytest.fixture
def env(empty_graph: neo4j.Driver, test_settings: Settings) -> dict[str, str]:
    wipe(empty_graph)
    apply_schema(empty_graph)
    return {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
    }


def _graphvc(env: dict[str, str], *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def _write(G: nx.Graph, folder: Path, file_format: str) -> Path:
    """``G`` as a file of ``file_format``, as an analyst would receive it."""
    folder.mkdir(parents=True, exist_ok=True)
    if file_format == "graphml":
        nx.write_graphml(G, folder / "net.graphml")
        return folder / "net.graphml"
    if file_format == "gexf":
        nx.write_gexf(G, folder / "net.gexf")
        return folder / "net.gexf"
    if file_format == "edgelist":
        path = folder / "net.csv"
        rows = [(u, v, d.get("weight", 1)) for u, v, d in G.edges(data=True)]
        pd.DataFrame(rows, columns=["source", "target", "weight"]).to_csv(path, index=False)
        return path
    if file_format == "matrix":  # UCINET-style, with the byte-order mark Excel writes
        path = folder / "matrix.csv"
        nx.to_pandas_adjacency(G, nodelist=sorted(G)).to_csv(path, encoding="utf-8-sig")
        return path
    path = folder / "associations.csv"  # the input contract's table, for `graphvc load`
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_a", "person_b", "type", "weight", "source"])
        for u, v, d in G.edges(data=True):
            writer.writerow([u, v, "gang", d.get("weight", 1), "networkx"])
    return folder


def _load(env: dict[str, str], path: Path, file_format: str) -> None:
    if file_format == "associations":
        _graphvc(env, "load", str(path), "--rejects", str(path / "rejects.csv"))
    else:
        _graphvc(
            env,
            "load-network",
            str(path),
            "--type",
            "gang",
            "--format",
            file_format,
            "--rejects",
            str(path.parent / "rejects.csv"),
        )


def _ties(driver: neo4j.Driver) -> dict[tuple[str, str], float]:
    table = read_graph_tables(driver)["associations"]
    return {
        tuple(sorted((a, b))): float(w)
        for a, b, w in table[["person_a", "person_b", "weight"]].itertuples(index=False)
    }


@pytest.mark.parametrize("name", list(NETWORKS))
def test_each_format_loads_the_same_graph_and_scores_equal_networkx(
    name: str, env: dict[str, str], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    G = nx.relabel_nodes(NETWORKS[name](), str)
    expected = {tuple(sorted((u, v))): float(d.get("weight", 1)) for u, v, d in G.edges(data=True)}
    for file_format in ("associations", "matrix", "edgelist", "graphml", "gexf"):
        wipe(empty_graph)
        apply_schema(empty_graph)
        path = _write(G, tmp_path / file_format, file_format)
        _load(env, path, file_format)
        assert _ties(empty_graph) == expected, file_format
    _load(env, path, "gexf")  # again: nothing changes
    assert _ties(empty_graph) == expected

    summary = json.loads(_graphvc(env, "analyse", "--ties", "gang", "--json").stdout)
    assert summary["summary"]["people_in_network"] == G.number_of_nodes()
    assert summary["summary"]["tie_layers"] == ["gang"]
    assert summary["parameters"]["tie_weights"] == {"gang": 1.0}
    scores = run_query(
        empty_graph,
        "MATCH (p:Person) RETURN p.id AS id, p.score_degree AS degree, "
        "p.score_betweenness AS betweenness",
    ).set_index("id")
    for _, _, data in G.edges(data=True):  # exact 1/w, as in tests/unit/test_person_network.py
        data["distance"] = Fraction(1, int(data.get("weight", 1)))
    betweenness = nx.betweenness_centrality(G, weight="distance", normalized=False)
    assert scores["degree"].to_dict() == {v: float(d) for v, d in G.degree()}
    for person, value in betweenness.items():
        assert scores.at[person, "betweenness"] == pytest.approx(float(value), abs=1e-9)

    out = tmp_path / "reports"
    _graphvc(
        env, "report", "centrality", "--out", str(out), "--ties", "gang", "--top", "1000", "--quiet"
    )
    listed = pd.read_csv(out / "latest" / "offenders.csv", dtype={"person_id": str})
    listed = listed.set_index("person_id")
    assert sorted(listed.index) == sorted(G)
    assert listed["degree"].to_dict() == scores["degree"].to_dict()
    manifest = json.loads((out / "latest" / "manifest.json").read_text())
    assert manifest["parameters"]["ties"] == ["gang"]
    assert manifest["data"]["analysis"]["people_in_network"] == G.number_of_nodes()


def test_load_network_reports_attributes_it_does_not_load(
    env: dict[str, str], tmp_path: Path
) -> None:
    G = nx.karate_club_graph()  # nodes carry "club", which is no person column
    nx.set_node_attributes(G, "M", "sex")
    path = _write(nx.relabel_nodes(G, str), tmp_path, "graphml")
    result = _graphvc(env, "load-network", str(path), "--type", "associate", "--json")
    notes = json.loads(result.stdout)["network"]
    assert notes["person_attributes"] == ["sex"]
    assert notes["ignored_node_attributes"] == ["club"]
    assert json.loads(result.stdout)["rows_loaded"] == {"persons": 34, "associations": 78}


def _exit_code(result: Result) -> int:
    """The exit status ``graphvc`` would end with (an unexpected exception is exit 2)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return 2
    return int(result.exit_code)


def _reject_rows(path: Path) -> list[list[object]]:
    if not path.exists():
        return []
    rejects = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [[int(r.row), r.field, r.value, r.reason] for r in rejects.itertuples(index=False)]


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_a_hostile_network_file_loads_its_good_ties_and_rejects_the_rest(
    case: str, env: dict[str, str], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    expected = json.loads((HOSTILE_NETWORKS / case / "expected.json").read_text())
    (path,) = (p for p in (HOSTILE_NETWORKS / case).iterdir() if p.name.startswith("net."))
    rejects = tmp_path / "rejects.csv"
    args = ["load-network", str(path), "--type", "gang", "--format", expected["format"]]
    args += ["--json", "--rejects", str(rejects)]
    for attempt in ("first", "again"):
        result = CliRunner().invoke(cli, args, env=env)
        assert _exit_code(result) == expected["exit_code"], (result.output, result.exception)
        if expected["exit_code"]:
            assert result.stderr.count("\n") == 1 and expected["message"] in result.stderr
            assert sum(graph_counts(empty_graph).values()) == 0
            continue
        summary = json.loads(result.stdout)
        assert summary["rows_loaded"] == expected["loaded"], attempt
        assert summary["rows_rejected"] == expected["rejected"], attempt
        assert summary["network"]["merged"] == expected["merged"], attempt
        got = _reject_rows(rejects)
        assert [r[:3] for r in got] == [r[:3] for r in expected["rejects"]], attempt
        for (*_, reason), (*_, piece) in zip(got, expected["rejects"], strict=True):
            assert piece in reason
        ties = {"|".join(pair): weight for pair, weight in _ties(empty_graph).items()}
        assert ties == expected["ties"], attempt
        people = run_query(empty_graph, "MATCH (p:Person) RETURN p.id AS id")["id"]
        assert sorted(people) == sorted({p for pair in expected["ties"] for p in pair.split("|")})
        if attempt == "again":
            changes = summary["graph_changes"]
            assert changes.get("nodes_created", 0) == changes.get("relationships_created", 0) == 0


def test_load_network_prints_what_it_merged(env: dict[str, str], tmp_path: Path) -> None:
    path = HOSTILE_NETWORKS / "edgelist_repeated_and_both_ways" / "net.csv"
    rejects = str(tmp_path / "rejects.csv")
    printed = _graphvc(
        env, "load-network", str(path), "--type", "gang", "--rejects", rejects
    ).stdout
    assert "  network merged: 3" in printed.splitlines()


def test_police_uk_months_without_people_are_analysed_and_reported(
    reference_source: Path, env: dict[str, str], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    env = {**env, "GRAPHVC_HOME": str(tmp_path / "home")}
    _graphvc(env, "data", "install", "--from", str(reference_source))
    months = sorted((reference_source / "police_uk_city_of_london").glob("2024-0[1-3]-*.csv"))
    loaded = json.loads(
        _graphvc(
            env,
            "load-police-uk",
            *map(str, months),
            "--json",
            "--rejects",
            str(tmp_path / "rejects.csv"),
        ).stdout
    )
    quirks = loaded["police_uk"]
    assert quirks["rows"] == sum(
        quirks[k]
        for k in (
            "no_crime_id",
            "not_violent",
            "duplicate_crime_id",
            "outside_force_area",
            "incidents",
        )
    )
    analysed = _graphvc(env, "analyse", "--json")
    summary = json.loads(analysed.stdout)
    assert summary["summary"]["people_in_network"] == 0
    assert summary["scored"]["Person"] == 0
    assert summary["scored"]["Location"] > 0
    placed = run_query(
        empty_graph,
        "MATCH (l:Location) WHERE l.score_harm IS NOT NULL "
        "RETURN count(l) AS places, min(l.score_harm_rank) AS best, "
        "count(l.score_repeat_incidents) AS repeats",
    )
    assert placed.at[0, "places"] == summary["scored"]["Location"]
    assert placed.at[0, "best"] == 1
    assert placed.at[0, "repeats"] > 0
    out = tmp_path / "reports"
    _graphvc(env, "report", "centrality", "--out", str(out), "--quiet")
    places = pd.read_csv(out / "latest" / "places.csv")
    assert set(places["level"]) == {"location", "ward", "borough"}
    knox = pd.read_csv(out / "latest" / "near_repeats.csv")
    assert len(knox) == 15 and (knox["incidents"] > 0).all()
    assert pd.read_csv(out / "latest" / "offenders.csv").empty
