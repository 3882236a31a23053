"""Community detection on graphs whose communities are known by construction."""

from __future__ import annotations

import networkx as nx
import pytest

from graphvc.analysis.communities import binding_clusters, leiden, louvain
from graphvc.errors import AnalysisError

#: The proven maximum modularity of the (unweighted) karate club: Brandes et al. (2008), On
#: modularity clustering, IEEE TKDE 20(2), https://doi.org/10.1109/TKDE.2007.190689.
KARATE_OPTIMUM = 0.4198

#: Two triangles joined by the tie P3–P4.
TWO_TRIANGLES = [
    ("P1", "P2"),
    ("P2", "P3"),
    ("P3", "P1"),
    ("P4", "P5"),
    ("P5", "P6"),
    ("P6", "P4"),
    ("P3", "P4"),
]


def _two_triangles() -> nx.Graph:
    return nx.Graph(TWO_TRIANGLES)


def _modularity(G: nx.Graph, labels) -> float:
    return nx.community.modularity(
        G, [set(m) for _, m in labels.groupby(labels).groups.items()], weight=None
    )


@pytest.mark.parametrize(
    "detect",
    [
        lambda G, **kw: louvain(G, engine="networkx", **kw),
        lambda G, **kw: louvain(G, engine="igraph", **kw),
        leiden,
    ],
    ids=["louvain-networkx", "louvain-igraph", "leiden"],
)
def test_two_triangles_are_two_communities(detect):
    assert detect(_two_triangles()).to_list() == [0, 0, 0, 1, 1, 1]


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_louvain_engines_find_the_planted_cliques(engine):
    G = nx.ring_of_cliques(8, 5)
    labels = louvain(G, engine=engine)
    assert labels.to_list() == [i // 5 for i in range(40)]


def test_louvain_engines_agree_on_modularity_within_0_03():
    G = nx.karate_club_graph()
    for seed in range(4):
        reference = _modularity(G, louvain(G, seed=seed, engine="networkx"))
        fast = _modularity(G, louvain(G, seed=seed, engine="igraph"))
        assert fast == pytest.approx(reference, abs=0.03)
        assert min(fast, reference) > 0.39


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_leiden_reaches_the_karate_optimum(seed):
    G = nx.karate_club_graph()
    assert _modularity(G, leiden(G, seed=seed)) == pytest.approx(KARATE_OPTIMUM, abs=1e-4)


def test_leiden_iterations_are_bounded_on_request():
    G = nx.powerlaw_cluster_graph(300, 2, 0.2, seed=3)
    single = leiden(G, iterations=1)
    assert _modularity(G, leiden(G)) >= _modularity(G, single) > 0.3


@pytest.mark.parametrize("detect", [louvain, leiden])
def test_same_seed_same_partition(detect):
    G = nx.powerlaw_cluster_graph(300, 2, 0.2, seed=3)
    assert detect(G, seed=7).equals(detect(G, seed=7))


@pytest.mark.parametrize("detect", [louvain, leiden])
def test_higher_resolution_gives_more_communities(detect):
    G = nx.karate_club_graph()
    assert detect(G, resolution=2.0).nunique() > detect(G, resolution=0.5).nunique()


@pytest.mark.parametrize("detect", [louvain, leiden])
def test_strength_weights_pull_people_together(detect):
    G = nx.cycle_graph(["P1", "P2", "P3", "P4"])
    G.edges["P1", "P2"]["incidents"] = 10
    G.edges["P3", "P4"]["incidents"] = 10
    labels = detect(G, weight="incidents")
    assert labels["P1"] == labels["P2"] != labels["P3"] == labels["P4"]


def test_communities_are_numbered_by_size_then_smallest_member():
    G = nx.Graph([("Z1", "Z2"), ("Z2", "Z3"), ("Z3", "Z1"), ("B1", "B2"), ("A1", "A2")])
    labels = binding_clusters(G, 1)
    assert labels.to_dict() == {"Z1": 0, "Z2": 0, "Z3": 0, "B1": 2, "B2": 2, "A1": 1, "A2": 1}
    assert labels.name == "binding_cluster"


@pytest.mark.parametrize(
    ("k", "expected"),
    [(1, [0, 0, 0, 0, 0, 0]), (2, [0, 0, 0, 1, 1, 1]), (3, [0, 1, 2, 3, 4, 5])],
)
def test_binding_clusters_cut_at_binding_strength(k, expected):
    assert binding_clusters(_two_triangles(), k).to_list() == expected


def test_binding_clusters_find_i2_documentation_clusters():
    """A 4-clique (binding strength 3) and a 5-clique (4) joined by one link, as in i2's help."""
    G = nx.complete_graph("ABCD")
    G.add_edges_from(nx.complete_graph("EFGHI").edges)
    G.add_edge("C", "E")
    assert binding_clusters(G, 3).to_dict() == {
        **dict.fromkeys("ABCD", 1),
        **dict.fromkeys("EFGHI", 0),
    }
    at_four = binding_clusters(G, 4)
    assert (at_four[list("EFGHI")] == 0).all()
    assert at_four[list("ABCD")].nunique() == 4


def test_binding_clusters_ignore_direction():
    G = nx.DiGraph([("P1", "P2"), ("P2", "P3"), ("P3", "P1")])
    assert binding_clusters(G, 2).to_list() == [0, 0, 0]


def test_binding_strength_must_be_positive():
    with pytest.raises(AnalysisError, match="binding strength k=0 must be at least 1"):
        binding_clusters(_two_triangles(), 0)
