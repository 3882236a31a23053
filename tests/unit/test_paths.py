"""Shortest paths and connecting networks on small hand-drawn graphs."""

from __future__ import annotations

import networkx as nx
import pytest

from graphvc.analysis.paths import connecting_network, k_shortest_paths, shortest_path
from graphvc.errors import AnalysisError


@pytest.fixture
def gang() -> nx.Graph:
    """P1 reaches P4 in two weak steps through P2, or three strong ones through P3 and P5."""
    G = nx.Graph()
    G.add_edge("P1", "P2", distance=1.0)
    G.add_edge("P2", "P4", distance=1.0)
    G.add_edge("P1", "P3", distance=0.25)
    G.add_edge("P3", "P5", distance=0.25)
    G.add_edge("P5", "P4", distance=0.25)
    G.add_edge("P6", "P7", distance=1.0)
    return G


@pytest.mark.parametrize(
    ("distance", "expected"),
    [(None, ["P1", "P2", "P4"]), ("distance", ["P1", "P3", "P5", "P4"])],
)
def test_shortest_path_counts_steps_or_costs(gang, distance, expected):
    assert shortest_path(gang, "P1", "P4", distance=distance) == expected


@pytest.mark.parametrize(("a", "b"), [("P9", "P1"), ("P1", "P9")])
def test_shortest_path_names_an_unknown_person(gang, a, b):
    with pytest.raises(AnalysisError, match="'P9' is not in the graph"):
        shortest_path(gang, a, b)


def test_shortest_path_says_when_nothing_joins(gang):
    with pytest.raises(AnalysisError, match="no path joins 'P1' to 'P6'"):
        shortest_path(gang, "P1", "P6")


def test_shortest_path_follows_arcs():
    G = nx.DiGraph([("O1", "V1")])
    assert shortest_path(G, "O1", "V1") == ["O1", "V1"]
    with pytest.raises(AnalysisError, match="no path joins 'V1' to 'O1'"):
        shortest_path(G, "V1", "O1")


@pytest.mark.parametrize(
    ("k", "distance", "expected"),
    [
        (1, None, [["P1", "P2", "P4"]]),
        (5, None, [["P1", "P2", "P4"], ["P1", "P3", "P5", "P4"]]),
        (5, "distance", [["P1", "P3", "P5", "P4"], ["P1", "P2", "P4"]]),
    ],
)
def test_k_shortest_paths_in_order(gang, k, distance, expected):
    assert k_shortest_paths(gang, "P1", "P4", k, distance=distance) == expected


def test_k_shortest_paths_errors(gang):
    with pytest.raises(AnalysisError, match="'P0' is not in the graph"):
        k_shortest_paths(gang, "P0", "P4", 2)
    with pytest.raises(AnalysisError, match="k=0: ask for at least one path"):
        k_shortest_paths(gang, "P1", "P4", 0)
    with pytest.raises(AnalysisError, match="no path joins 'P1' to 'P7'"):
        k_shortest_paths(gang, "P1", "P7", 2)


@pytest.mark.parametrize(
    ("people", "distance", "nodes", "edges"),
    [
        (["P1", "P5"], None, ["P1", "P3", "P5"], [("P1", "P3"), ("P3", "P5")]),
        (["P2", "P5"], "distance", ["P2", "P4", "P5"], [("P2", "P4"), ("P4", "P5")]),
        (
            ["P1", "P2", "P5"],
            "distance",
            ["P1", "P2", "P3", "P4", "P5"],
            [("P1", "P2"), ("P1", "P3"), ("P3", "P5"), ("P2", "P4"), ("P4", "P5")],
        ),
    ],
)
def test_connecting_network_joins_with_shortest_paths(gang, people, distance, nodes, edges):
    network, unjoined = connecting_network(gang, people, distance=distance)
    assert sorted(network) == nodes
    assert {frozenset(e) for e in network.edges} == {frozenset(e) for e in edges}
    assert all(network.edges[e]["distance"] == gang.edges[e]["distance"] for e in edges)
    assert unjoined == []


def test_connecting_network_hands_back_people_it_cannot_join(gang):
    network, unjoined = connecting_network(gang, ["P6", "P1", "P9", "P4", "P1"])
    assert sorted(network) == ["P1", "P2", "P4"]
    assert unjoined == ["P6", "P9"]


def test_connecting_network_prefers_the_first_listed_group_on_a_tie(gang):
    network, unjoined = connecting_network(gang, ["P7", "P1"])
    assert list(network) == ["P7"]
    assert unjoined == ["P1"]


def test_connecting_network_of_nobody_known_is_empty(gang):
    network, unjoined = connecting_network(gang, ["X1", "X2"])
    assert network.number_of_nodes() == 0
    assert unjoined == ["X1", "X2"]


def test_connecting_network_ignores_direction():
    G = nx.DiGraph([("O1", "V1"), ("O2", "V1")])
    network, unjoined = connecting_network(G, ["O1", "O2"])
    assert not network.is_directed()
    assert {frozenset(e) for e in network.edges} == {
        frozenset(("O1", "V1")),
        frozenset(("O2", "V1")),
    }
    assert unjoined == []
