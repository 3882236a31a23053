"""Centrality: who holds a network of offenders together, as Neo4j GDS defines it.

Every measure takes a networkx graph first and returns a ``pd.Series`` named after the measure,
indexed by the nodes of ``G`` in the graph's own order (index name ``node``), so that
``pd.concat([degree(G), betweenness(G)], axis=1)`` lines the measures up person by person.

Scores follow the definitions of the Neo4j Graph Data Science library (GDS), so that a figure
computed here can be checked against the same algorithm run in the database: betweenness is
unnormalised and counts an undirected pair once, closeness of a directed graph uses the
distances *to* the node, harmonic closeness is divided by ``n - 1``, PageRank is GDS's
``(1 - d) + d * sum`` form. Each docstring says where networkx or GDS differ.

Edge weights mean two different things, and each option says which it wants:

* a **strength** (``incidents`` shared, an association's ``weight``): more is closer. Degree,
  eigenvector and PageRank read strengths.
* a **cost** or **distance**: more is further. Shortest paths, and hence betweenness and
  closeness, read costs. A strength ``w`` becomes a cost ``1 / w`` with
  :func:`strength_to_distance`; the projections of :mod:`graphvc.analysis.projections` already
  store ``distance = 1 / incidents``.

Measures other than degree and PageRank take ``engine``: ``"networkx"`` (the reference),
``"igraph"`` (the same algorithms in C; 13 to 60 times faster for betweenness, 5 to 17 for
closeness), or ``"auto"``, which uses igraph from 1,000 nodes. Both engines give the same
scores to 1e-9 relative (for betweenness with fractional costs, see its Ties note).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from numbers import Real

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from graphvc.analysis._engine import choose_engine, indexed_edges, to_igraph
from graphvc.errors import AnalysisError

__all__ = [
    "betweenness",
    "closeness",
    "degree",
    "eigenvector",
    "harmonic_closeness",
    "k_core",
    "pagerank",
    "strength_to_distance",
]

DIRECTIONS: tuple[str, ...] = ("out", "in", "both")


def _series(G: nx.Graph, values: Iterable[float], name: str, dtype: type = float) -> pd.Series:
    """Scores in the order of ``G``'s nodes, as the Series every measure returns."""
    return pd.Series(list(values), index=pd.Index(list(G), name="node"), name=name, dtype=dtype)


def strength_to_distance(
    G: nx.Graph, strength: str = "incidents", distance: str = "distance"
) -> None:
    """Store ``1 / strength`` on every edge of ``G`` as the cost ``distance``, in place.

    Shortest paths add costs, so a strong tie (many shared incidents) must be short. Neo4j GDS
    and this module read a weight given to betweenness or closeness as a cost; convert
    strengths with this function first.

    Parameters
    ----------
    G : networkx graph
        Modified in place.
    strength : str, default ``"incidents"``
        Edge attribute holding a positive strength.
    distance : str, default ``"distance"``
        Edge attribute to write.

    Raises
    ------
    AnalysisError
        If an edge lacks ``strength`` or its value is not a positive number.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("P1", "P2", weight=4)
    >>> strength_to_distance(G, strength="weight")
    >>> G.edges["P1", "P2"]["distance"]
    0.25
    """
    for u, v, data in G.edges(data=True):
        value = data.get(strength)
        if not isinstance(value, Real) or not float(value) > 0:
            raise AnalysisError(
                f"edge ({u!r}, {v!r}): {strength} {value!r} is not a positive number"
            )
        data[distance] = 1 / value


def degree(G: nx.Graph, weight: str | None = None, *, direction: str = "out") -> pd.Series:
    """Degree centrality: the number of ties (or their summed strength) of each person.

    As GDS ``gds.degree``, scores are raw counts, not divided by ``n - 1``; with ``weight``
    they are the summed strengths.

    Parameters
    ----------
    G : networkx graph
    weight : str, optional
        Edge attribute to sum as a strength; an edge without it counts 1. ``None`` counts edges.
    direction : {"out", "in", "both"}, default ``"out"``
        For a directed graph, which arcs count: GDS orientation ``NATURAL`` (``"out"``),
        ``REVERSE`` (``"in"``) or ``UNDIRECTED`` (``"both"``). Ignored for undirected graphs.

    Returns
    -------
    pd.Series
        Named ``"degree"``, indexed by node.

    Examples
    --------
    >>> G = nx.Graph([("P1", "P2"), ("P1", "P3")])
    >>> degree(G).to_dict()
    {'P1': 2.0, 'P2': 1.0, 'P3': 1.0}
    >>> V = nx.DiGraph([("O1", "V1"), ("O2", "V1")])
    >>> degree(V, direction="in").to_dict()
    {'O1': 0.0, 'V1': 2.0, 'O2': 0.0}

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
       *Social Networks* 1(3), 215–239. https://doi.org/10.1016/0378-8733(78)90021-7
    """
    if direction not in DIRECTIONS:
        raise AnalysisError(f"direction {direction!r} is not one of {', '.join(DIRECTIONS)}")
    if G.is_directed() and direction != "both":
        view = G.out_degree if direction == "out" else G.in_degree
    else:
        view = G.degree
    return _series(G, (d for _, d in view(weight=weight)), "degree")


def betweenness(
    G: nx.Graph,
    *,
    weight: str | None = None,
    directed: bool | None = None,
    normalized: bool = False,
    k: int | None = None,
    seed: int | None = None,
    engine: str = "auto",
) -> pd.Series:
    """Betweenness centrality: on how many shortest paths between others each person lies.

    For a node ``v``, the sum over pairs ``s != v != t`` of ``sigma(s, t | v) / sigma(s, t)``,
    where ``sigma`` counts shortest paths, computed with Brandes' algorithm [1]_. A high score
    marks a broker whose removal lengthens or cuts paths between groups.

    Scores match GDS ``gds.betweenness`` exactly: unnormalised, each ordered pair counted once
    in a directed graph and each unordered pair once in an undirected one (orientation
    ``UNDIRECTED``), and ``weight`` read as a cost as GDS's ``relationshipWeightProperty`` is.
    networkx's ``betweenness_centrality(normalized=False)`` gives the same numbers.

    Parameters
    ----------
    G : networkx graph
    weight : str, optional
        Edge attribute read as a **cost** (a distance). A strength ``w`` (shared incidents, an
        association's weight) must be turned into ``1 / w`` first: see
        :func:`strength_to_distance`; co-offending graphs carry it as ``"distance"``. ``None``
        counts every edge as 1.
    directed : bool, optional
        ``None`` takes ``G`` as it is. ``False`` reads a directed graph as undirected (GDS
        orientation ``UNDIRECTED``; reciprocal arcs become one edge with the attributes of one
        of them); ``True`` reads an undirected graph as two arcs per edge.
    normalized : bool, default False
        Divide by the number of pairs that could pass through a node: ``(n-1)(n-2)`` for a
        directed graph, ``(n-1)(n-2)/2`` for an undirected one.
    k : int, optional
        Sample ``k`` pivot sources instead of all ``n`` nodes, for large graphs (GDS
        ``samplingSize``). ``None``, or ``k >= n``, gives the exact scores.
    seed : int, optional
        Seed of the pivot sample; the same seed gives the same pivots on both engines.
    engine : {"auto", "networkx", "igraph"}, default "auto"
        ``"auto"`` uses igraph from 1,000 nodes, and at any size with ``weight`` (see Ties).
        Both engines agree to 1e-9 relative, on the same pivots when sampling, whenever
        equal path lengths are equal in floating point (unweighted, or integer costs).

    Returns
    -------
    pd.Series
        Named ``"betweenness"``, indexed by node.

    Raises
    ------
    AnalysisError
        For ``k < 2``, an unknown engine, or a cost that is not a positive number (igraph).

    Notes
    -----
    With ``k`` pivots the pivots are ``random.Random(seed).sample(list(G), k)``, the sample
    networkx draws for ``betweenness_centrality(G, k, seed=seed)``, and the estimate is the
    same as networkx's: the pivots' summed dependencies scaled by ``(n-1)/k`` for a node that
    is not a pivot and ``(n-1)/(k-1)`` for one that is, which is unbiased [2]_.

    Ties: betweenness splits a pair's credit among all its shortest paths, so it depends on
    which path lengths are equal. With fractional costs such as ``1 / incidents`` a true tie
    can be split by rounding (``0.1 + 0.2 != 0.3`` in floating point). networkx compares
    lengths exactly and so drops one of the tied paths; igraph compares them with a relative
    tolerance of 1e-10 and keeps both, which is what exact arithmetic gives (checked on a
    co-offending graph against integer-scaled costs). On a synthetic co-offending graph of
    4,900 people, sampled with 64 pivots, the engines differed by up to 2,500 on such ties;
    hence ``"auto"``.

    Error bound: each pivot contributes at most ``R = (n-1)(n-2)`` (halved if undirected), so by
    Hoeffding's inequality [3]_, which also holds when sampling without replacement, with
    probability at least ``1 - delta`` one node's estimate is within
    ``R * sqrt(ln(2 / delta) / (2 * (k - 1)))`` of its exact score, and every node's at once
    within ``R * sqrt(ln(2 * n / delta) / (2 * (k - 1)))``. In normalised units
    (``normalized=True``) that is ``sqrt(ln(2 * n / delta) / (2 * (k - 1)))``: 0.066 for
    ``k = 2000``, ``n = 800_000``, ``delta = 0.05``. The bound is loose; in practice the top
    brokers keep their ranks with far fewer pivots [2]_.

    Examples
    --------
    The graph of the GDS documentation; ``weight`` is a cost, so the cheap way through Eve
    (1.3 + 0.5) takes Dan's paths:

    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("Alice", "Carol", 1.0), ("Bob", "Carol", 1.0),
    ...     ("Carol", "Dan", 1.0), ("Carol", "Eve", 1.3), ("Dan", "Frank", 1.0),
    ...     ("Eve", "Frank", 0.5), ("Frank", "Gale", 1.0)])
    >>> betweenness(G).to_dict()
    {'Alice': 0.0, 'Carol': 8.0, 'Bob': 0.0, 'Dan': 3.0, 'Eve': 3.0, 'Frank': 5.0, 'Gale': 0.0}
    >>> betweenness(G, directed=False)[["Carol", "Frank"]].to_list()
    [9.5, 5.5]
    >>> betweenness(G, weight="weight")[["Dan", "Eve"]].to_list()
    [0.0, 6.0]

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
       Mathematical Sociology* 25(2), 163–177. https://doi.org/10.1080/0022250X.2001.9990249
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       *International Journal of Bifurcation and Chaos* 17(7), 2303–2318.
       https://doi.org/10.1142/S0218127407018403
    .. [3] Hoeffding, W. (1963). Probability inequalities for sums of bounded random variables.
       *Journal of the American Statistical Association* 58(301), 13–30.
       https://doi.org/10.1080/01621459.1963.10500830
    """
    if directed is not None and directed != G.is_directed():
        G = G.to_directed(as_view=True) if directed else G.to_undirected(as_view=True)
    n = G.number_of_nodes()
    if k is not None and k < 2:
        raise AnalysisError(f"k={k!r}: sampled betweenness needs at least 2 pivots")
    pivots = random.Random(seed).sample(range(n), k) if k is not None and k < n else None
    if choose_engine(G, engine, tied_lengths=weight is not None) == "igraph":
        g = to_igraph(G, weight)
        raw = np.array(g.betweenness(weights="weight" if weight else None, sources=pivots))
    else:
        nodes = list(G)
        if pivots is None:
            sums = nx.betweenness_centrality(G, normalized=False, weight=weight)
        else:
            sources = [nodes[i] for i in pivots]
            sums = nx.betweenness_centrality_subset(
                G, sources, nodes, normalized=False, weight=weight
            )
        raw = np.array([sums[v] for v in nodes], dtype=float)
    scale = np.ones(n)
    if pivots is not None:
        scale[:] = (n - 1) / len(pivots)
        scale[pivots] = (n - 1) / (len(pivots) - 1)
    if normalized and n > 2:
        scale *= (1 if G.is_directed() else 2) / ((n - 1) * (n - 2))
    return _series(G, raw * scale, "betweenness")


def closeness(
    G: nx.Graph, *, distance: str | None = None, wf_improved: bool = True, engine: str = "auto"
) -> pd.Series:
    """Closeness centrality: the inverse of the mean distance between a person and the others.

    ``C(u) = (r - 1) / sum of d(v, u)`` over the ``r - 1`` nodes ``v`` that can reach ``u``
    [1]_. In a directed graph the distances run *to* ``u``, as in GDS and networkx.

    Parameters
    ----------
    G : networkx graph
    distance : str, optional
        Edge attribute read as a cost (see :func:`strength_to_distance`). ``None`` counts
        steps; GDS closeness only counts steps.
    wf_improved : bool, default True
        Multiply by ``(r - 1) / (n - 1)``, the share of the graph that reaches ``u``, as
        Wasserman and Faust propose [2]_ for graphs of several components, so that a pair alone
        does not outscore a hub of a large network. GDS's ``useWassermanFaust`` defaults to
        false; on a connected graph the two agree.
    engine : {"auto", "networkx", "igraph"}, default "auto"

    Returns
    -------
    pd.Series
        Named ``"closeness"``, indexed by node; 0 for a node nothing reaches.

    Examples
    --------
    The path A–B–C–D–E of the GDS documentation:

    >>> closeness(nx.path_graph("ABCDE")).round(3).to_dict()
    {'A': 0.4, 'B': 0.571, 'C': 0.667, 'D': 0.571, 'E': 0.4}

    A pair beside a triangle: the pair is as close as it gets, but reaches one person in four.

    >>> G = nx.Graph([("P1", "P2"), ("P3", "P4"), ("P4", "P5"), ("P5", "P3")])
    >>> closeness(G)[["P1", "P3"]].to_list()
    [0.25, 0.5]
    >>> closeness(G, wf_improved=False)[["P1", "P3"]].to_list()
    [1.0, 1.0]

    References
    ----------
    .. [1] Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
       *Social Networks* 1(3), 215–239. https://doi.org/10.1016/0378-8733(78)90021-7
    .. [2] Wasserman, S., & Faust, K. (1994). *Social Network Analysis: Methods and
       Applications*. Cambridge University Press. https://doi.org/10.1017/CBO9780511815478
    """
    if choose_engine(G, engine) == "networkx":
        scores = nx.closeness_centrality(G, distance=distance, wf_improved=wf_improved)
        return _series(G, (scores[v] for v in G), "closeness")
    g = to_igraph(G, distance)
    values = np.nan_to_num(g.closeness(mode="in", weights="weight" if distance else None))
    if wf_improved:
        reach = np.array(g.neighborhood_size(order=g.vcount(), mode="in")) - 1
        values *= reach / max(g.vcount() - 1, 1)
    return _series(G, values, "closeness")


def harmonic_closeness(
    G: nx.Graph, *, distance: str | None = None, engine: str = "auto"
) -> pd.Series:
    """Harmonic closeness: the mean of ``1 / d(v, u)`` over all other nodes ``v``.

    An unreachable node adds 0 instead of an infinite distance, so the measure needs no
    correction for graphs of several components [1]_ [2]_. As GDS ``gds.closeness.harmonic``,
    the sum is divided by ``n - 1``; networkx's ``harmonic_centrality`` is the undivided sum.
    In a directed graph the distances run *to* ``u``.

    Parameters
    ----------
    G : networkx graph
    distance : str, optional
        Edge attribute read as a cost. ``None`` counts steps.
    engine : {"auto", "networkx", "igraph"}, default "auto"

    Returns
    -------
    pd.Series
        Named ``"harmonic_closeness"``, indexed by node.

    Examples
    --------
    >>> harmonic_closeness(nx.path_graph("ABC")).to_dict()
    {'A': 0.75, 'B': 1.0, 'C': 0.75}

    References
    ----------
    .. [1] Marchiori, M., & Latora, V. (2000). Harmony in the small-world. *Physica A*
       285(3–4), 539–546. https://doi.org/10.1016/S0378-4371(00)00311-3
    .. [2] Boldi, P., & Vigna, S. (2014). Axioms for centrality. *Internet Mathematics*
       10(3–4), 222–262. https://doi.org/10.1080/15427951.2013.865686
    """
    n = G.number_of_nodes()
    if choose_engine(G, engine) == "networkx":
        sums = nx.harmonic_centrality(G, distance=distance)
        return _series(G, (sums[v] / max(n - 1, 1) for v in G), "harmonic_closeness")
    g = to_igraph(G, distance)
    values = g.harmonic_centrality(
        mode="in", weights="weight" if distance else None, normalized=True
    )
    return _series(G, np.nan_to_num(values), "harmonic_closeness")


def eigenvector(G: nx.Graph, *, weight: str | None = None, engine: str = "auto") -> pd.Series:
    """Eigenvector centrality: a person is central when tied to central people.

    The principal eigenvector of the adjacency matrix (in a directed graph, of its transpose:
    scores flow along arcs to their heads), scaled to unit Euclidean length [1]_. GDS
    approximates it by at most 20 rounds of power iteration; here it is solved to machine
    precision with ARPACK.

    The eigenvector is only well defined on a connected graph (strongly connected, if
    directed), and offending networks never are: isolated offenders and small groups abound.
    It is therefore computed on the largest component (the first met in ``G``'s order, on a
    tie), where it ranks people by their standing in the main network, and is NaN for
    everyone outside it. To score another component, pass its subgraph.

    Parameters
    ----------
    G : networkx graph
    weight : str, optional
        Edge attribute read as a **strength**. ``None`` counts every edge as 1.
    engine : {"auto", "networkx", "igraph"}, default "auto"
        ``"auto"`` uses igraph when the largest component has 1,000 nodes or more.

    Returns
    -------
    pd.Series
        Named ``"eigenvector"``, indexed by node: non-negative with unit Euclidean norm on the
        largest component, NaN elsewhere.

    Examples
    --------
    >>> eigenvector(nx.star_graph(4)).round(4).to_list()
    [0.7071, 0.3536, 0.3536, 0.3536, 0.3536]
    >>> G = nx.Graph([("P1", "P2"), ("P2", "P3"), ("P4", "P5")])
    >>> eigenvector(G).round(4).to_dict()
    {'P1': 0.5, 'P2': 0.7071, 'P3': 0.5, 'P4': nan, 'P5': nan}

    References
    ----------
    .. [1] Bonacich, P. (1972). Factoring and weighting approaches to status scores and clique
       identification. *Journal of Mathematical Sociology* 2(1), 113–120.
       https://doi.org/10.1080/0022250X.1972.9989806
    """
    components = (
        nx.strongly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    )
    core = G.subgraph(max(components, key=len, default=()))
    # networkx's ARPACK call needs at least three nodes; igraph answers for fewer.
    if choose_engine(core, engine) == "networkx" and len(core) >= 3:
        scores = nx.eigenvector_centrality_numpy(core, weight=weight)
    else:
        g = to_igraph(core, weight)
        values = np.array(
            g.eigenvector_centrality(directed=True, weights="weight" if weight else None)
        )
        scores = dict(zip(core, values / np.linalg.norm(values), strict=True))
    return _series(G, (scores.get(v, np.nan) for v in G), "eigenvector")


def pagerank(
    G: nx.Graph,
    *,
    weight: str | None = None,
    damping: float = 0.85,
    max_iter: int = 20,
    tol: float = 1e-7,
) -> pd.Series:
    """PageRank as GDS ``gds.pageRank`` computes it: ``PR(u) = (1 - d) + d * sum of
    PR(v) * w(v, u) / w(v)`` over the arcs ``v -> u``, ``w(v)`` being ``v``'s outgoing strength.

    This is Brin and Page's original form [1]_. Unlike networkx's ``pagerank``, scores are not
    divided by ``n`` and a node without outgoing arcs passes nothing on, so the scores sum to
    ``n`` only when every node has an outgoing arc. Each edge of an undirected graph counts as
    an arc both ways (GDS orientation ``UNDIRECTED``).

    The iteration is GDS's: every score starts at ``1 - d``, that start is the first of the
    ``max_iter`` iterations, and it stops early once no score moves by ``tol`` or more. The
    defaults are GDS's (20 iterations, which leave scores short of the fixed point on many
    graphs); ``max_iter=1000`` gives the fixed point. It is vectorised with scipy, so there
    is no engine option: most of its time goes on reading the edges out of networkx.

    Parameters
    ----------
    G : networkx graph
    weight : str, optional
        Edge attribute read as a **strength**, a positive number. ``None`` counts every edge
        as 1.
    damping : float, default 0.85
        GDS ``dampingFactor``, in [0, 1).
    max_iter : int, default 20
        GDS ``maxIterations``.
    tol : float, default 1e-7
        GDS ``tolerance``.

    Returns
    -------
    pd.Series
        Named ``"pagerank"``, indexed by node.

    Examples
    --------
    The web site of the GDS documentation, whose scores (Home 3.215681999884452, About
    1.0542700552146722, Site A 0.3278578964488539) it reproduces to rounding error:

    >>> G = nx.DiGraph([("Home", "About"), ("Home", "Links"), ("Home", "Product"),
    ...     ("About", "Home"), ("Product", "Home"), ("Links", "Home"), ("Links", "Site A"),
    ...     ("Links", "Site B"), ("Links", "Site C"), ("Links", "Site D"), ("Site A", "Home"),
    ...     ("Site B", "Home"), ("Site C", "Home"), ("Site D", "Home")])
    >>> pagerank(G)[["Home", "About", "Site A"]].round(12).to_list()
    [3.215681999884, 1.054270055215, 0.327857896449]

    References
    ----------
    .. [1] Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
       engine. *Computer Networks and ISDN Systems* 30(1–7), 107–117.
       https://doi.org/10.1016/S0169-7552(98)00110-X
    """
    if not 0 <= damping < 1:
        raise AnalysisError(f"damping {damping!r} is not in [0, 1)")
    n = G.number_of_nodes()
    if n == 0:
        return _series(G, [], "pagerank")
    pairs, weights = indexed_edges(G, weight)
    ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    strength = np.ones(len(ends)) if weights is None else weights
    tails, heads = ends[:, 0], ends[:, 1]
    if not G.is_directed():
        back = tails != heads  # an undirected loop is one arc, not two
        tails, heads = np.concatenate([tails, heads[back]]), np.concatenate([heads, tails[back]])
        strength = np.concatenate([strength, strength[back]])
    arcs = sparse.csr_array((strength, (tails, heads)), shape=(n, n))
    out_strength = np.asarray(arcs.sum(axis=1)).ravel()
    share = np.divide(1.0, out_strength, out=np.zeros(n), where=out_strength > 0)
    flow = (arcs.multiply(share[:, None])).T.tocsr()
    scores = np.full(n, 1 - damping)
    for _ in range(max_iter - 1):
        previous, scores = scores, (1 - damping) + damping * (flow @ scores)
        if np.abs(scores - previous).max() < tol:
            break
    return _series(G, scores, "pagerank")


def k_core(G: nx.Graph, *, engine: str = "auto") -> pd.Series:
    """Core number: the largest ``k`` such that the person belongs to the ``k``-core.

    The ``k``-core is the largest subgraph in which everyone has at least ``k`` ties inside it
    [1]_; its innermost shell is the dense heart of an offending network. Computed by peeling
    in O(m) [2]_. A directed graph counts in- and out-degree together.

    Parameters
    ----------
    G : networkx graph
        Without self-loops.
    engine : {"auto", "networkx", "igraph"}, default "auto"

    Returns
    -------
    pd.Series
        Named ``"k_core"``, integers, indexed by node.

    Examples
    --------
    A triangle with a tail:

    >>> G = nx.Graph([("P1", "P2"), ("P2", "P3"), ("P3", "P1"), ("P3", "P4")])
    >>> k_core(G).to_dict()
    {'P1': 2, 'P2': 2, 'P3': 2, 'P4': 1}

    References
    ----------
    .. [1] Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks* 5(3),
       269–287. https://doi.org/10.1016/0378-8733(83)90028-X
    .. [2] Batagelj, V., & Zaversnik, M. (2003). An O(m) algorithm for cores decomposition of
       networks. arXiv:cs/0310049. https://doi.org/10.48550/arXiv.cs/0310049
    """
    if choose_engine(G, engine) == "networkx":
        cores = nx.core_number(G)
        values = [cores[v] for v in G]
    else:
        values = to_igraph(G).coreness(mode="all")
    return _series(G, values, "k_core", dtype=int)
