"""Paths: how two people, or a set of people, are connected.

Functions take a networkx graph first. ``distance`` names an edge attribute read as a **cost**
(the projections store ``distance = 1 / incidents``, so that repeated co-offending is short);
``None`` counts steps. An id that is not a node of the graph raises
:class:`~graphvc.errors.AnalysisError` naming it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from itertools import combinations, islice, pairwise
from typing import Any

import networkx as nx

from graphvc.errors import AnalysisError

__all__ = ["connecting_network", "k_shortest_paths", "shortest_path"]


def _require_nodes(G: nx.Graph, *nodes: Hashable) -> None:
    for node in nodes:
        if node not in G:
            raise AnalysisError(f"{node!r} is not in the graph")


def shortest_path(
    G: nx.Graph, a: Hashable, b: Hashable, *, distance: str | None = None
) -> list[Any]:
    """The shortest path from ``a`` to ``b``, as the list of nodes it visits.

    Dijkstra's algorithm [1]_ (breadth-first search when ``distance`` is ``None``). Among
    paths of equal length one is returned, always the same for the same graph.

    Parameters
    ----------
    G : networkx graph
        A directed graph is followed along its arcs.
    a, b : node
    distance : str, optional
        Edge attribute read as a cost; ``None`` counts steps.

    Returns
    -------
    list
        ``[a, ..., b]``.

    Raises
    ------
    AnalysisError
        If ``a`` or ``b`` is not in ``G``, or no path joins them.

    Examples
    --------
    Two ties through P2, or one repeated partnership through P3:

    >>> G = nx.Graph()
    >>> G.add_edge("P1", "P2", distance=1.0)
    >>> G.add_edge("P2", "P4", distance=1.0)
    >>> G.add_edge("P1", "P3", distance=0.25)
    >>> G.add_edge("P3", "P5", distance=0.25)
    >>> G.add_edge("P5", "P4", distance=0.25)
    >>> shortest_path(G, "P1", "P4")
    ['P1', 'P2', 'P4']
    >>> shortest_path(G, "P1", "P4", distance="distance")
    ['P1', 'P3', 'P5', 'P4']
    >>> shortest_path(G, "P1", "P9")
    Traceback (most recent call last):
    ...
    graphvc.errors.AnalysisError: 'P9' is not in the graph

    References
    ----------
    .. [1] Dijkstra, E. W. (1959). A note on two problems in connexion with graphs.
       *Numerische Mathematik* 1, 269–271. https://doi.org/10.1007/BF01386390
    """
    _require_nodes(G, a, b)
    try:
        return list(nx.shortest_path(G, a, b, weight=distance))
    except nx.NetworkXNoPath as e:
        raise AnalysisError(f"no path joins {a!r} to {b!r}") from e


def k_shortest_paths(
    G: nx.Graph, a: Hashable, b: Hashable, k: int, *, distance: str | None = None
) -> list[list[Any]]:
    """The ``k`` shortest paths from ``a`` to ``b`` that visit no node twice, shortest first.

    Yen's algorithm [1]_, as networkx's ``shortest_simple_paths``. The alternative routes show
    whether a connection rests on one intermediary or on several.

    Parameters
    ----------
    G : networkx graph
    a, b : node
    k : int
        How many paths, at least 1; fewer come back when fewer exist.
    distance : str, optional
        Edge attribute read as a cost; ``None`` counts steps.

    Returns
    -------
    list of list
        Each path as ``[a, ..., b]``, in order of length.

    Raises
    ------
    AnalysisError
        If ``a`` or ``b`` is not in ``G``, no path joins them, or ``k < 1``.

    Examples
    --------
    >>> G = nx.cycle_graph(["P1", "P2", "P3", "P4"])
    >>> k_shortest_paths(G, "P1", "P3", 5)
    [['P1', 'P2', 'P3'], ['P1', 'P4', 'P3']]

    References
    ----------
    .. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network. *Management
       Science* 17(11), 712–716. https://doi.org/10.1287/mnsc.17.11.712
    """
    _require_nodes(G, a, b)
    if k < 1:
        raise AnalysisError(f"k={k!r}: ask for at least one path")
    try:
        return [list(p) for p in islice(nx.shortest_simple_paths(G, a, b, weight=distance), k)]
    except nx.NetworkXNoPath as e:
        raise AnalysisError(f"no path joins {a!r} to {b!r}") from e


def connecting_network(
    G: nx.Graph, people: Iterable[Hashable], *, distance: str | None = None
) -> tuple[nx.Graph, list[Any]]:
    """The network that joins a set of people: every shortest path between each pair of them.

    The people are grouped by the component of ``G`` they belong to; the group with the most
    of them (the first listed, on a tie) is joined, and the others are handed back as
    unjoined. The result is the union of one shortest path for each pair of joined people,
    which shows every intermediary that links the set. It is not the smallest network that
    joins them (a Steiner tree, which networkx's ``approximation.steiner_tree`` approximates
    within a factor of 2 [1]_): it keeps the route an analyst would check between each pair
    rather than the fewest ties.

    Parameters
    ----------
    G : networkx graph
        A directed graph is searched and returned as undirected: a link is a link, whichever
        way it points.
    people : iterable of nodes
        Repeats are ignored.
    distance : str, optional
        Edge attribute read as a cost; ``None`` counts steps.

    Returns
    -------
    network : nx.Graph
        The joined people and the intermediaries on the paths between them, with the node
        and edge attributes of ``G``; a single joined person is a graph of one node, and an
        empty graph means nobody could be joined.
    unjoined : list
        The people absent from ``G`` or outside the joined component, in the order given.

    Examples
    --------
    P1 and P4 meet through P2 and P3; P6 sits in another component and P9 is unknown:

    >>> G = nx.Graph([("P1", "P2"), ("P2", "P3"), ("P3", "P4"), ("P2", "P5"), ("P6", "P7")])
    >>> network, unjoined = connecting_network(G, ["P1", "P4", "P6", "P9"])
    >>> sorted(network), network.number_of_edges()
    (['P1', 'P2', 'P3', 'P4'], 3)
    >>> unjoined
    ['P6', 'P9']

    References
    ----------
    .. [1] Kou, L., Markowsky, G., & Berman, L. (1981). A fast algorithm for Steiner trees.
       *Acta Informatica* 15, 141–145. https://doi.org/10.1007/BF00288961
    """
    U = G.to_undirected(as_view=True) if G.is_directed() else G
    wanted = list(dict.fromkeys(people))
    present = [p for p in wanted if p in U]
    groups: list[list[Hashable]] = []
    placed: set[Hashable] = set()
    for person in present:
        if person not in placed:
            component = nx.node_connected_component(U, person)
            groups.append([p for p in present if p in component])
            placed.update(groups[-1])
    joined = max(groups, key=len, default=[])
    network = nx.Graph()
    network.add_nodes_from((p, U.nodes[p]) for p in joined)
    for a, b in combinations(joined, 2):
        path = nx.shortest_path(U, a, b, weight=distance)
        network.add_nodes_from((v, U.nodes[v]) for v in path)
        network.add_edges_from((u, v, U.edges[u, v]) for u, v in pairwise(path))
    joined_set = set(joined)
    return network, [p for p in wanted if p not in joined_set]
