"""Network analysis: projections of the loader tables into graphs, and the measures on them."""

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
from graphvc.analysis.communities import binding_clusters, leiden, louvain
from graphvc.analysis.paths import connecting_network, k_shortest_paths, shortest_path
from graphvc.analysis.projections import (
    association_graph,
    co_offending_graph,
    person_location_graph,
    victim_offender_graph,
)

__all__ = [
    "association_graph",
    "betweenness",
    "binding_clusters",
    "closeness",
    "co_offending_graph",
    "connecting_network",
    "degree",
    "eigenvector",
    "harmonic_closeness",
    "k_core",
    "k_shortest_paths",
    "leiden",
    "louvain",
    "pagerank",
    "person_location_graph",
    "shortest_path",
    "strength_to_distance",
    "victim_offender_graph",
]
