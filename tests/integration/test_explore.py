"""The explorer's queries on the real Neo4j: ego networks, their cap, connections, exports.

The small fixture (``tests/fixtures/small``), drawn as the explorer walks it from P1:

* hop 1: P1 offended in I1, I2 and I5, and is a gang associate of P6;
* hop 2: I1 brings its offender P2, its victim P3 and its place L1; I2 its suspect P3, its
  victim P4 and L1; I5 its co-offender P6 (already at hop 1) and its place L3.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import neo4j
import networkx as nx
import pytest

from graphvc.errors import QueryError
from graphvc.explore import (
    combine,
    ego_network,
    ego_network_tables,
    network_graph,
    node_details,
    shortest_connection,
)
from graphvc.schema import apply_schema, wipe
from loaders.folder import load_folder

SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def small_graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    return empty_graph


def _ids(network, label: str | None = None) -> set[str]:
    nodes = network.nodes if label is None else network.nodes[network.nodes["label"] == label]
    return set(nodes["id"])


def test_two_hops_from_a_person(small_graph: neo4j.Driver) -> None:
    network = ego_network(small_graph, "P1", hops=2)
    hops = dict(zip(network.nodes["id"], network.nodes["hop"], strict=True))
    by_hop = {0: {"P1"}, 1: {"I1", "I2", "I5", "P6"}, 2: {"P2", "P3", "P4", "L1", "L3"}}
    assert hops == {node: hop for hop, nodes in by_hop.items() for node in nodes}
    # Every link among them: P1's four, P6-I5, P2-I1, P3-I1, P3-I2, P4-I2, I1-L1, I2-L1, I5-L3.
    assert len(network.edges) == 12
    assert not network.truncated
    # Places keep their names; people never have one.
    assert set(network.nodes["name"].dropna()) == {
        "On or near Aldersgate Street",
        "On or near Camden High Street",
    }


@pytest.mark.parametrize(
    ("filters", "people"),
    [
        # Offending and associations only: P3 (suspect, victim) and P4 (victim) drop out.
        ({"rel_types": ("OFFENDER_IN", "ASSOCIATE_OF")}, {"P1", "P2", "P6"}),
        # Alcohol-related only: I1 (P2, P3) is crossed; P6 is still an associate.
        ({"categories": ["alcohol_related"]}, {"P1", "P2", "P3", "P6"}),
        # From June 2024: only I5 (20 October) is crossed.
        ({"start": datetime(2024, 6, 1, tzinfo=LONDON)}, {"P1", "P6"}),
        # Camden (E09000007): I5 at L3; the City's I1 and I2 are not crossed.
        ({"boroughs": ["E09000007"]}, {"P1", "P6"}),
    ],
)
def test_filters(small_graph: neo4j.Driver, filters: dict, people: set[str]) -> None:
    assert _ids(ego_network(small_graph, "P1", hops=2, **filters), "Person") == people


def test_the_cap_cuts_and_says_so(small_graph: neo4j.Driver) -> None:
    network = ego_network(small_graph, "P1", hops=3, max_nodes=5)
    assert len(network.nodes) == 5
    assert network.truncated


def test_expanding_a_node_adds_its_neighbours(small_graph: neo4j.Driver) -> None:
    network = ego_network(small_graph, "P1", hops=2)
    p4 = network.nodes.set_index("id").at["P4", "element_id"]
    expanded = ego_network(small_graph, "P1", hops=2, expand=[p4])
    # P4 was the victim of I3 and I4 (by P5) and is P5's partner.
    assert _ids(expanded) - _ids(network) == {"I3", "I4", "P5"}
    assert expanded.nodes.set_index("id").at["P5", "hop"] == 3


def test_unknown_id_and_bad_options(small_graph: neo4j.Driver) -> None:
    with pytest.raises(
        QueryError, match="no person, incident, location, ward or borough has the id 'P404'"
    ):
        ego_network(small_graph, "P404")
    with pytest.raises(QueryError, match="hops=4"):
        ego_network(small_graph, "P1", hops=4)
    with pytest.raises(QueryError, match="'KNOWS' is not a relationship type"):
        ego_network(small_graph, "P1", rel_types=("KNOWS",))


def test_shortest_connection(small_graph: neo4j.Driver) -> None:
    # P1 robbed P4 (I2); P4 is P5's partner: three links.
    path = shortest_connection(small_graph, "P1", "P5")
    assert path.nodes["id"].tolist() == ["P1", "I2", "P4", "P5"]
    assert path.edges["type"].tolist() == ["OFFENDER_IN", "VICTIM_IN", "ASSOCIATE_OF"]
    drawn = combine(ego_network(small_graph, "P1", hops=1), path)
    assert _ids(drawn) == {"P1", "I1", "I2", "I5", "P6", "P4", "P5"}
    with pytest.raises(QueryError, match="no person has the id 'P404'"):
        shortest_connection(small_graph, "P1", "P404")
    # Offending only: P8 was only ever a victim.
    with pytest.raises(QueryError, match="no connection within 12 steps joins 'P1' and 'P8'"):
        shortest_connection(small_graph, "P1", "P8", rel_types=("OFFENDER_IN",))


def test_details_never_hold_a_persons_name(small_graph: neo4j.Driver) -> None:
    network = ego_network(small_graph, "P1", hops=2)
    ids = network.nodes.set_index("id")["element_id"]
    assert node_details(small_graph, ids["P4"]) == {
        "age_band": "25-34",
        "ethnicity": "W1",
        "id": "P4",
        "sex": "F",
    }
    assert node_details(small_graph, ids["L1"])["name"] == "On or near Aldersgate Street"


def test_exports(small_graph: neo4j.Driver) -> None:
    network = ego_network(small_graph, "P1", hops=2)
    nodes, edges = ego_network_tables(network)
    assert len(nodes) == 10 and "element_id" not in nodes
    links = set(edges[["source_id", "type", "target_id"]].itertuples(index=False, name=None))
    assert ("P2", "OFFENDER_IN", "I1") in links and len(links) == 12
    G = nx.parse_graphml("\n".join(nx.generate_graphml(network_graph(network))))
    assert G.number_of_nodes() == 10 and G.number_of_edges() == 12
    assert G.nodes["Incident:I5"]["category"] == "knife_enabled"
    assert G.has_edge("Person:P1", "Person:P6")
