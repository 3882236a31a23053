"""Centrality measures against hand-worked answers, the Neo4j GDS documentation, and each other.

Engine parity: igraph must give networkx's scores to 1e-9 relative (exact measures and the
sampled betweenness on the same pivots alike; integers exactly).
"""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest

from graphvc.analysis.centrality import (
    betweenness,
    closeness,
    degree,
    eigenvector,
    harmonic_closeness,
    k_core,
    pagerank,
    strength_to_distance,
)
from graphvc.errors import AnalysisError

ENGINES = ["networkx", "igraph"]


@pytest.fixture
def gds_betweenness_graph() -> nx.DiGraph:
    """The example graph of the GDS betweenness documentation."""
    G = nx.DiGraph()
    G.add_weighted_edges_from(
        [
            ("Alice", "Carol", 1.0),
            ("Bob", "Carol", 1.0),
            ("Carol", "Dan", 1.0),
            ("Carol", "Eve", 1.3),
            ("Dan", "Frank", 1.0),
            ("Eve", "Frank", 0.5),
            ("Frank", "Gale", 1.0),
        ]
    )
    return G


def _weighted_random_graph() -> nx.Graph:
    """A random graph with integer costs 1..5, so that tied shortest paths are exact ties."""
    G = nx.gnm_random_graph(150, 400, seed=5)
    rng = random.Random(1)
    for u, v in G.edges:
        G.edges[u, v]["cost"] = rng.randint(1, 5)
    return G


PARITY_GRAPHS = {
    "karate": (nx.karate_club_graph(), None),
    "directed": (nx.gnp_random_graph(120, 0.03, seed=4, directed=True), None),
    "weighted": (_weighted_random_graph(), "cost"),
}


@pytest.mark.parametrize(
    ("directed", "weight", "expected"),
    [
        (None, None, {"Carol": 8, "Dan": 3, "Eve": 3, "Frank": 5}),
        (False, None, {"Carol": 9.5, "Dan": 3, "Eve": 3, "Frank": 5.5}),
        (None, "weight", {"Carol": 8, "Dan": 0, "Eve": 6, "Frank": 5}),
    ],
    ids=["directed", "undirected", "weighted"],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_betweenness_matches_gds_documentation(
    gds_betweenness_graph, directed, weight, expected, engine
):
    scores = betweenness(gds_betweenness_graph, directed=directed, weight=weight, engine=engine)
    expected = {"Alice": 0, "Bob": 0, "Gale": 0, **expected}
    assert scores.to_dict() == pytest.approx(expected)
    assert scores.name == "betweenness"
    assert scores.index.name == "node"


def test_betweenness_reads_undirected_graph_as_two_arcs_when_asked():
    path = nx.path_graph(["P1", "P2", "P3"])
    assert betweenness(path)["P2"] == 1
    assert betweenness(path, directed=True)["P2"] == 2


@pytest.mark.parametrize(
    ("graph", "expected"),
    [(nx.path_graph(4), 2 / 3), (nx.path_graph(4, create_using=nx.DiGraph), 2 / 6)],
    ids=["undirected", "directed"],
)
def test_normalized_betweenness_divides_by_the_possible_pairs(graph, expected):
    assert betweenness(graph, normalized=True)[1] == pytest.approx(expected)


@pytest.mark.parametrize("name", PARITY_GRAPHS)
@pytest.mark.parametrize("k", [None, 20])
def test_betweenness_engines_agree(name, k):
    G, cost = PARITY_GRAPHS[name]
    reference = betweenness(G, weight=cost, k=k, seed=3, engine="networkx")
    fast = betweenness(G, weight=cost, k=k, seed=3, engine="igraph")
    assert fast.to_list() == pytest.approx(reference.to_list(), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize(("engine", "split"), [("networkx", 0.0), ("igraph", 0.5), ("auto", 0.5)])
def test_betweenness_keeps_ties_that_rounding_splits(engine, split):
    """A–B–C costs 0.1 + 0.2 and A–X–C 0.15 + 0.15: equal, though not in floating point."""
    G = nx.Graph()
    G.add_weighted_edges_from(
        [("A", "B", 0.1), ("B", "C", 0.2), ("A", "X", 0.15), ("X", "C", 0.15)], weight="cost"
    )
    scores = betweenness(G, weight="cost", engine=engine)
    assert scores["B"] == pytest.approx(split)
    assert scores["X"] == pytest.approx(1 - split)


@pytest.mark.parametrize("name", PARITY_GRAPHS)
@pytest.mark.parametrize("normalized", [False, True])
def test_sampled_betweenness_is_networkx_estimator(name, normalized):
    G, cost = PARITY_GRAPHS[name]
    ours = betweenness(G, weight=cost, k=25, seed=11, normalized=normalized, engine="igraph")
    theirs = nx.betweenness_centrality(G, k=25, seed=11, normalized=normalized, weight=cost)
    assert ours.to_list() == pytest.approx([theirs[v] for v in G], rel=1e-9, abs=1e-12)


def test_sampled_betweenness_is_within_its_documented_bound():
    G = nx.powerlaw_cluster_graph(400, 2, 0.3, seed=8)
    n, k, delta = len(G), 60, 0.01
    exact = betweenness(G, normalized=True)
    sampled = betweenness(G, normalized=True, k=k, seed=1)
    bound = math.sqrt(math.log(2 * n / delta) / (2 * (k - 1)))
    assert (sampled - exact).abs().max() <= bound
    assert sampled.nlargest(5).index[0] == exact.nlargest(5).index[0]


def test_sampling_every_node_is_exact(gds_betweenness_graph):
    exact = betweenness(gds_betweenness_graph)
    assert betweenness(gds_betweenness_graph, k=7, seed=0).equals(exact)


@pytest.mark.parametrize("k", [0, 1])
def test_betweenness_refuses_fewer_than_two_pivots(gds_betweenness_graph, k):
    with pytest.raises(AnalysisError, match=f"k={k}: sampled betweenness needs at least 2"):
        betweenness(gds_betweenness_graph, k=k)


@pytest.mark.parametrize("engine", ENGINES)
def test_closeness_on_gds_path(engine):
    scores = closeness(nx.path_graph("ABCDE"), engine=engine)
    assert scores.to_list() == pytest.approx([0.4, 0.571, 0.667, 0.571, 0.4], abs=5e-4)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("wf_improved", "pair", "triangle"), [(True, 0.25, 0.5), (False, 1, 1)])
def test_closeness_wasserman_faust_scales_by_reach(engine, wf_improved, pair, triangle):
    G = nx.Graph([("P1", "P2"), ("P3", "P4"), ("P4", "P5"), ("P5", "P3")])
    scores = closeness(G, wf_improved=wf_improved, engine=engine)
    assert scores["P1"] == pytest.approx(pair)
    assert scores["P3"] == pytest.approx(triangle)


@pytest.mark.parametrize("engine", ENGINES)
def test_closeness_of_a_directed_graph_uses_distances_to_the_node(engine):
    G = nx.DiGraph([("P1", "P2"), ("P2", "P3")])
    scores = closeness(G, wf_improved=False, engine=engine)
    assert scores.to_dict() == pytest.approx({"P1": 0.0, "P2": 1.0, "P3": 2 / 3})


@pytest.mark.parametrize("engine", ENGINES)
def test_closeness_reads_distance_as_a_cost(engine):
    G = nx.Graph()
    G.add_edge("P1", "P2", distance=0.5)
    G.add_edge("P2", "P3", distance=1.5)
    assert closeness(G, distance="distance", engine=engine)["P2"] == pytest.approx(2 / 2.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_harmonic_closeness_is_mean_inverse_distance(engine):
    G = nx.Graph([("P1", "P2"), ("P2", "P3"), ("P4", "P5")])
    scores = harmonic_closeness(G, engine=engine)
    assert scores.to_dict() == pytest.approx(
        {"P1": 1.5 / 4, "P2": 2 / 4, "P3": 1.5 / 4, "P4": 1 / 4, "P5": 1 / 4}
    )


@pytest.mark.parametrize("name", PARITY_GRAPHS)
@pytest.mark.parametrize("measure", [closeness, harmonic_closeness])
def test_closeness_engines_agree(name, measure):
    G, cost = PARITY_GRAPHS[name]
    reference = measure(G, distance=cost, engine="networkx")
    fast = measure(G, distance=cost, engine="igraph")
    assert fast.to_list() == pytest.approx(reference.to_list(), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("out", [2, 0, 1]), ("in", [0, 2, 1]), ("both", [2, 2, 2])],
)
def test_degree_follows_gds_orientation(direction, expected):
    G = nx.DiGraph([("P1", "P2"), ("P1", "P3"), ("P3", "P2")])
    assert degree(G, direction=direction).to_list() == expected


def test_weighted_degree_sums_strengths():
    G = nx.Graph()
    G.add_edge("P1", "P2", incidents=3)
    G.add_edge("P1", "P3", incidents=1)
    assert degree(G, "incidents").to_dict() == {"P1": 4, "P2": 3, "P3": 1}


def test_degree_refuses_an_unknown_direction():
    with pytest.raises(AnalysisError, match="direction 'sideways' is not one of out, in, both"):
        degree(nx.DiGraph(), direction="sideways")


@pytest.mark.parametrize("engine", ENGINES)
def test_eigenvector_of_a_star(engine):
    scores = eigenvector(nx.star_graph(4), engine=engine)
    assert scores.to_list() == pytest.approx([2**-0.5] + [8**-0.5] * 4)


@pytest.mark.parametrize("engine", ENGINES)
def test_eigenvector_scores_the_largest_component_only(engine):
    G = nx.Graph([("P1", "P2"), ("P2", "P3"), ("P4", "P5")])
    G.add_node("P6")
    scores = eigenvector(G, engine=engine)
    assert scores[["P1", "P2", "P3"]].to_list() == pytest.approx([0.5, 2**-0.5, 0.5])
    assert scores[["P4", "P5", "P6"]].isna().all()


@pytest.mark.parametrize("engine", ENGINES)
def test_eigenvector_of_a_directed_graph_flows_to_heads(engine):
    G = nx.DiGraph()
    G.add_edge("P1", "P2", weight=1.0)
    G.add_edge("P2", "P1", weight=4.0)
    G.add_edge("P2", "P3", weight=1.0)
    scores = eigenvector(G, weight="weight", engine=engine)
    assert scores[["P1", "P2"]].to_list() == pytest.approx([2 / 5**0.5, 1 / 5**0.5])
    assert math.isnan(scores["P3"])


@pytest.mark.parametrize("weight", [None, "weight"])
def test_eigenvector_engines_agree(weight):
    G = nx.karate_club_graph()
    reference = eigenvector(G, weight=weight, engine="networkx")
    assert eigenvector(G, weight=weight, engine="igraph").to_list() == pytest.approx(
        reference.to_list(), rel=1e-9
    )


def test_pagerank_matches_gds_documentation():
    links = {
        "Home": ["About", "Links", "Product"],
        "About": ["Home"],
        "Product": ["Home"],
        "Links": ["Home", "Site A", "Site B", "Site C", "Site D"],
        **{site: ["Home"] for site in ("Site A", "Site B", "Site C", "Site D")},
    }
    G = nx.DiGraph([(page, target) for page, targets in links.items() for target in targets])
    scores = pagerank(G)
    assert scores["Home"] == pytest.approx(3.215681999884452, rel=1e-12)
    assert scores[["About", "Links", "Product"]].to_list() == pytest.approx(
        [1.0542700552146722] * 3, rel=1e-12
    )
    assert scores["Site D"] == pytest.approx(0.3278578964488539, rel=1e-12)


@pytest.mark.parametrize("directed", [False, True])
def test_converged_pagerank_is_networkx_pagerank_times_n_without_dangling_nodes(directed):
    G = nx.karate_club_graph()
    G.add_edge(0, 0, weight=3)  # a loop is one arc, in networkx as here
    G = G.to_directed() if directed else G
    ours = pagerank(G, weight="weight", max_iter=1000, tol=1e-13)
    theirs = nx.pagerank(G, weight="weight", tol=1e-14)
    assert ours.to_list() == pytest.approx([theirs[v] * len(G) for v in G], rel=1e-8)


def test_pagerank_lets_dangling_nodes_keep_their_score():
    scores = pagerank(nx.DiGraph([("P1", "P2")]), max_iter=1000)
    assert scores.to_dict() == pytest.approx({"P1": 0.15, "P2": 0.15 + 0.85 * 0.15})


def test_pagerank_of_an_empty_graph_is_empty():
    assert pagerank(nx.Graph()).empty


@pytest.mark.parametrize("engine", ENGINES)
def test_core_numbers_of_a_triangle_with_a_tail(engine):
    G = nx.Graph([("P1", "P2"), ("P2", "P3"), ("P3", "P1"), ("P3", "P4")])
    scores = k_core(G, engine=engine)
    assert scores.to_dict() == {"P1": 2, "P2": 2, "P3": 2, "P4": 1}
    assert pd.api.types.is_integer_dtype(scores)


@pytest.mark.parametrize("name", PARITY_GRAPHS)
def test_core_engines_agree(name):
    G, _ = PARITY_GRAPHS[name]
    assert k_core(G, engine="igraph").equals(k_core(G, engine="networkx"))


def test_strength_to_distance_inverts_strengths():
    G = nx.Graph()
    G.add_edge("P1", "P2", incidents=4)
    G.add_edge("P2", "P3", incidents=1)
    strength_to_distance(G)
    assert dict(((u, v), d) for u, v, d in G.edges(data="distance")) == {
        ("P1", "P2"): 0.25,
        ("P2", "P3"): 1.0,
    }


@pytest.mark.parametrize("value", [0, -2, None, "3"])
def test_strength_to_distance_refuses_non_positive_strengths(value):
    G = nx.Graph()
    G.add_edge("P1", "P2", incidents=value)
    with pytest.raises(AnalysisError, match=rf"edge \('P1', 'P2'\): incidents {value!r} is not"):
        strength_to_distance(G)


def test_igraph_refuses_a_non_positive_cost():
    G = nx.Graph()
    G.add_edge("P1", "P2", distance=0.0)
    with pytest.raises(AnalysisError, match=r"edge \('P1', 'P2'\): distance 0.0 is not a positive"):
        betweenness(G, weight="distance", engine="igraph")


def test_unknown_engine_is_refused():
    with pytest.raises(AnalysisError, match="engine 'gpu' is not one of auto, networkx, igraph"):
        closeness(nx.path_graph(3), engine="gpu")
