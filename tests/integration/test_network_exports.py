"""The explorer's network exported (ANX, GraphML, GEXF, HTML, SVG, PNG) from the real Neo4j,
read back by networkx and by `graphvc load-network`, and exported with the CLI.

The small fixture (``tests/fixtures/small``) two hops around P1: people P1, P2, P3, P4, P6,
incidents I1, I2, I5, locations L1, L3; P1 and P6 are gang associates of weight 2.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.explore import ego_network
from graphvc.exports import check_anx, export_graph, export_network
from graphvc.exports.anx import anx_bytes
from graphvc.exports.graphml import gexf_bytes, graphml_bytes
from graphvc.reports.pseudonyms import pseudonym
from graphvc.schema import apply_schema, wipe
from loaders.folder import load_folder
from loaders.network_files import read_network
from loaders.police_uk import load_police_uk
from tests.browser import chromium
from tests.conftest import NO_REFERENCE, TEST_REFERENCE

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
KEY = "a pseudonym key of the tests"
PEOPLE = {"P1", "P2", "P3", "P4", "P6"}


@pytest.fixture
def small_graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    return empty_graph


@pytest.fixture
def env(test_settings: Settings, tmp_path: Path) -> dict[str, str]:
    return {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
        "GRAPHVC_PSEUDONYM_KEY": KEY,
    }


def _weights(G: nx.Graph, type_key: str = "type") -> dict[tuple[str, str, str], float]:
    return {(str(u), str(v), d[type_key]): d["weight"] for u, v, d in G.edges(data=True)}


def _measures(G: nx.Graph) -> tuple[dict, dict, dict]:
    """Degree, weighted degree and (weighted, undirected) betweenness."""
    simple = nx.Graph()
    simple.add_nodes_from(G)
    for u, v, d in G.edges(data=True):
        simple.add_edge(u, v, weight=d["weight"])
    betweenness = nx.betweenness_centrality(simple, weight="weight")
    return dict(G.degree()), dict(G.degree(weight="weight")), betweenness


def _read(data: bytes, file_format: str) -> nx.Graph:
    if file_format == "graphml":
        return nx.read_graphml(io.BytesIO(data))
    return nx.read_gexf(io.BytesIO(data))


@pytest.mark.parametrize("file_format", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_the_same_network_in_networkx(
    small_graph: neo4j.Driver, file_format: str
) -> None:
    original = export_graph(small_graph, ego_network(small_graph, "P1", hops=2))
    assert {n for n, d in original.nodes(data=True) if d["labels"] == "Person"} == PEOPLE
    data = graphml_bytes(original) if file_format == "graphml" else gexf_bytes(original)
    back = _read(data, file_format)
    assert set(back) == set(original) and len(back) == 10
    type_key = "type" if file_format == "graphml" else "relationship"
    assert _weights(back, type_key) == _weights(original)
    # The gang tie keeps its weight, so weighted degree and betweenness are not the unweighted.
    assert _weights(original)[("P1", "P6", "ASSOCIATE_OF")] == 2.0
    assert dict(original.degree(weight="weight"))["P1"] == original.degree("P1") + 1
    degree, weighted, betweenness = _measures(back)
    expected = _measures(original)
    assert (degree, weighted) == expected[:2]
    assert betweenness == pytest.approx(expected[2])
    incident = back.nodes["I5"]
    assert (incident["labels"], incident["category"], incident["weapon"]) == (
        "Incident",
        "knife_enabled",
        True,
    )
    assert incident["occurred_at"].startswith("2024-10-20T2")
    assert back.nodes["L1"]["name"] == "On or near Aldersgate Street"
    assert all("name" not in back.nodes[p] for p in PEOPLE)
    assert back.nodes["P4"]["age_band"] == "25-34"


@pytest.mark.parametrize("file_format", ["graphml", "gexf"])
def test_load_network_reads_back_the_same_people_and_ties(
    small_graph: neo4j.Driver, env: dict[str, str], tmp_path: Path, file_format: str
) -> None:
    """`graphvc load-network` of an export loads its people and the ties between them (the
    incidents and places are set aside): the same ids, weights and scores as the original."""
    original = export_graph(small_graph, ego_network(small_graph, "P1", hops=2))
    path = tmp_path / f"p1.{file_format}"
    path.write_bytes(graphml_bytes(original) if file_format == "graphml" else gexf_bytes(original))
    people = original.subgraph(PEOPLE)
    read, notes, _ = read_network(path, file_format)
    assert set(read) == PEOPLE and notes["not_people_set_aside"] == 5
    wipe(small_graph)
    apply_schema(small_graph)
    result = CliRunner().invoke(cli, ["load-network", str(path), "--type", "gang"], env=env)
    assert result.exit_code == 0, result.output
    loaded = run_query(
        small_graph,
        "MATCH (p:Person) OPTIONAL MATCH (p)-[r:ASSOCIATE_OF]->(q:Person) "
        "RETURN p.id AS a, q.id AS b, r.weight AS weight",
    )
    G = nx.MultiDiGraph()
    G.add_nodes_from(loaded["a"])
    for a, b, weight in loaded.dropna().itertuples(index=False, name=None):
        G.add_edge(a, b, type="ASSOCIATE_OF", weight=weight)
    assert set(G) == PEOPLE
    assert _weights(G) == _weights(people) == {("P1", "P6", "ASSOCIATE_OF"): 2.0}
    degree, weighted, betweenness = _measures(G)
    expected = _measures(people)
    assert (degree, weighted) == expected[:2] and betweenness == pytest.approx(expected[2])


def test_the_anx_chart_holds_every_node_link_and_date(small_graph: neo4j.Driver) -> None:
    G = export_graph(small_graph, ego_network(small_graph, "P1", hops=2))
    document = anx_bytes(G)
    assert check_anx(document) == []
    chart = ET.fromstring(document)
    entities = {e.get("EntityId"): e for e in chart.iter("Entity")}
    assert set(entities) == set(G)
    icons = {
        e.get("EntityId"): e.find("Icon/IconStyle").get("Type")  # type: ignore[union-attr]
        for e in chart.iter("Entity")
    }
    assert icons["P1"] == "Person" and icons["I1"] == "Incident" and icons["L1"] == "Location"
    links = sorted((k.get("End1Id"), k.get("End2Id")) for k in chart.iter("Link"))
    assert links == sorted((u, v) for u, v in G.edges())
    labels = {
        (k.find("Link").get("End1Id"), k.find("Link").get("End2Id")): k.get("Label")  # type: ignore[union-attr]
        for k in chart.iter("ChartItem")
        if k.find("Link") is not None
    }
    assert labels[("P1", "P6")] == "gang, weight 2" and labels[("P3", "I2")] == "suspect"
    dated = {
        item.find("End/Entity").get("EntityId"): item.get("DateTime")  # type: ignore[union-attr]
        for item in chart.iter("ChartItem")
        if item.get("DateSet") == "true"
    }
    # Local time: I5 happened at 21:45 in London, in summer time (20:45 UTC).
    assert dated == {
        "I1": "2024-01-05T22:10:00",
        "I2": "2024-02-10T23:30:00",
        "I5": "2024-10-20T21:45:00",
    }
    broken = document.replace(b'End2Id="P6"', b'End2Id="P99"')
    assert check_anx(broken) == [
        f"ChartItem {len(G) + 1 + _link_position(G, 'P1', 'P6')}: "
        "End2Id='P99' names no entity of the chart"
    ]


def _link_position(G: nx.MultiDiGraph, u: str, v: str) -> int:
    return [(a, b) for a, b in G.edges()].index((u, v))


def test_pictures_and_page_are_drawn_from_the_network(small_graph: neo4j.Driver) -> None:
    network = ego_network(small_graph, "P1", hops=2)
    svg = export_network(small_graph, network, "svg")
    assert svg == export_network(small_graph, network, "svg")  # seeded: the same picture
    drawn = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(drawn.findall(f"{ns}g")) == 10 and len(drawn.findall(f"{ns}line")) == 12
    assert b"I5 \xc2\xb7 2024-10-20 \xc2\xb7 knife enabled" in svg
    png = export_network(small_graph, network, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    page = export_network(small_graph, network, "html", key=KEY)
    # vis.js inlined, nothing fetched from elsewhere: the page opens offline.
    assert b"vis-network" in page and not re.search(rb"<(script|link)\b[^>]*(src|href)=", page)
    assert pseudonym("P1", KEY).encode() in page and b'"P1"' not in page
    assert not [e for e in network.nodes["element_id"] if str(e).encode() in page]


def test_the_cli_exports_audits_and_pseudonymises(
    small_graph: neo4j.Driver, env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "p1.anx"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["export", "network", "--centre", "P1", "--hops", "2", "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "anx, 10 nodes, 12 links" in result.output
    assert check_anx(out.read_bytes()) == [] and b'EntityId="P1"' in out.read_bytes()
    [event] = audit.events(tmp_path / "audit").to_dict(orient="records")
    assert (event["action"], sorted(event["person_ids"])) == ("export", sorted(PEOPLE))
    assert event["what"]["format"] == "anx" and event["what"]["pseudonymised"] is False

    hidden = tmp_path / "p1.graphml"
    result = runner.invoke(
        cli,
        [
            "export",
            "network",
            "--centre",
            "P1",
            "--format",
            "graphml",
            "--out",
            str(hidden),
            "--pseudonymise",
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    text = hidden.read_text(encoding="utf-8")
    assert all(f'"{p}"' not in text and f">{p}<" not in text for p in PEOPLE)
    back = nx.read_graphml(hidden)
    assert {n for n, d in back.nodes(data=True) if d["labels"] == "Person"} == {
        pseudonym(p, KEY) for p in PEOPLE
    }
    events = audit.events(tmp_path / "audit").to_dict(orient="records")
    assert len(events) == 2 and sorted(events[1]["person_ids"]) == sorted(PEOPLE)
    assert events[1]["what"]["pseudonymised"] is True

    refused = runner.invoke(
        cli, ["export", "network", "--centre", "P1", "--out", str(tmp_path / "p1.txt")], env=env
    )
    assert refused.exit_code != 0 and "give --format" in refused.output


@pytest.mark.skipif(TEST_REFERENCE is None, reason=NO_REFERENCE)
def test_a_real_police_uk_month_exports_and_reads_back(empty_graph: neo4j.Driver) -> None:
    """A City of London Police month (no people: incidents, places, wards): two hops around
    its busiest place, as ANX and GraphML."""
    reference = TEST_REFERENCE or Path("/nonexistent")
    geography = reference / "london_geography"
    month = sorted((reference / "police_uk_city_of_london").rglob("*-street.csv"))[0]
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_police_uk(
        empty_graph,
        [month],
        lookup_path=geography / "london_lsoa11_ward19_borough19.csv",
        centroids_path=geography / "london_lsoa11_centroids.csv",
    )
    busiest = run_query(
        empty_graph,
        "MATCH (l:Location)<-[:OCCURRED_AT]-(i:Incident) "
        "WITH l, count(i) AS n RETURN l.id AS id ORDER BY n DESC, id LIMIT 1",
    ).at[0, "id"]
    network = ego_network(empty_graph, str(busiest), hops=2)
    G = export_graph(empty_graph, network)
    incidents = [n for n, d in G.nodes(data=True) if d["labels"] == "Incident"]
    assert len(incidents) >= 2 and all("occurred_at" in G.nodes[i] for i in incidents)
    document = anx_bytes(G)
    assert check_anx(document) == []
    dated = [i for i in ET.fromstring(document).iter("ChartItem") if i.get("DateSet") == "true"]
    assert len(dated) == len(incidents)
    back = nx.read_graphml(io.BytesIO(graphml_bytes(G)))
    assert set(back) == set(G) and _weights(back) == _weights(G)


def test_the_html_page_draws_offline_in_a_browser(
    small_graph: neo4j.Driver, tmp_path: Path
) -> None:
    """The page opens from a file, in a browser that may fetch nothing, and draws every node
    under its pseudonym."""
    from selenium.webdriver.support.ui import WebDriverWait

    network = ego_network(small_graph, "P1", hops=2)
    page = tmp_path / "p1.html"
    page.write_bytes(export_network(small_graph, network, "html", key=KEY))
    with chromium(tmp_path / "profile") as browser:
        browser.execute_cdp_cmd("Network.enable", {})
        browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]})
        browser.get(page.as_uri())
        drawn = WebDriverWait(browser, 60, poll_frequency=0.2).until(
            lambda b: b.execute_script(
                "return typeof network !== 'undefined' && network.body"
                " ? network.body.data.nodes.get().map(n => [n.ref, n.label, n.title]) : null;"
            )
        )
    refs = [ref for ref, _, _ in drawn]
    assert len(refs) == 10 and pseudonym("P1", KEY) in refs and "I5" in refs
    # A label says who and what (the pseudonym, an incident's date): never the real id.
    assert not any(re.search(r"\bP1\b", f"{label} {title}") for _, label, title in drawn)
    assert any(str(label).startswith(pseudonym("P1", KEY)) for _, label, _ in drawn)
