"""Choosing and feeding the engine behind a measure: networkx (the reference) or igraph.

networkx is pure Python and is the definition every measure is tested against; igraph runs the
same algorithms in C. On co-offending graphs of 1,000 to 600,000 people
(``bench/bench_centrality.py``, copying into igraph included) igraph was 13 to 60 times faster
for sampled betweenness, 5 to 17 for closeness, 7 to 17 for Louvain, and 1.2 to 5 for the
near-linear k-core and eigenvector. A measure with an ``engine`` option answers the same with
either engine (to 1e-9 relative, or exactly for integers; for betweenness with fractional costs
see its Ties note), so ``"auto"`` may pick by size alone.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Real

import igraph as ig
import networkx as nx
import numpy as np

from graphvc.errors import AnalysisError

__all__ = [
    "AUTO_IGRAPH_NODES",
    "ENGINES",
    "choose_engine",
    "igraph_seed",
    "indexed_edges",
    "to_igraph",
]

ENGINES: tuple[str, ...] = ("auto", "networkx", "igraph")

#: ``engine="auto"`` hands graphs of at least this many nodes to igraph. Below it every measure
#: takes well under a second in networkx, and copying the graph into igraph would cost about as
#: much as the measure itself.
AUTO_IGRAPH_NODES = 1_000


def choose_engine(G: nx.Graph, engine: str, *, tied_lengths: bool = False) -> str:
    """Resolve ``engine`` to ``"networkx"`` or ``"igraph"`` for ``G``.

    ``tied_lengths`` says that the answer depends on which sums of fractional costs are
    equal: networkx compares path lengths exactly, so rounding can split a true tie
    (``0.1 + 0.2 != 0.3``), while igraph compares them with a relative tolerance of 1e-10.
    ``"auto"`` then picks igraph at any size.
    """
    if engine not in ENGINES:
        raise AnalysisError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    if engine == "auto":
        large = G.number_of_nodes() >= AUTO_IGRAPH_NODES
        return "igraph" if large or tied_lengths else "networkx"
    return engine


def indexed_edges(
    G: nx.Graph, weight: str | None = None
) -> tuple[list[tuple[int, int]], np.ndarray | None]:
    """The edges of ``G`` as pairs of node positions in ``G``'s order, and the ``weight`` of
    each (``None`` without ``weight``).

    An edge without the attribute weighs 1, as in networkx. Every weight (a cost for paths,
    a strength otherwise) must be a positive number; anything else is refused with the edge
    named, since igraph would fail on it and a zero or negative strength has no meaning here.
    """
    if G.is_multigraph():
        raise AnalysisError("the measure takes a simple graph; collapse parallel edges first")
    index = {node: i for i, node in enumerate(G)}
    edges = list(G.edges(data=weight, default=1)) if weight is not None else list(G.edges())
    pairs = [(index[e[0]], index[e[1]]) for e in edges]
    if weight is None:
        return pairs, None
    weights = np.fromiter(
        (e[2] if isinstance(e[2], Real) else np.nan for e in edges), dtype=float, count=len(edges)
    )
    bad = np.flatnonzero(~(weights > 0))
    if bad.size:
        u, v, value = edges[bad[0]]
        raise AnalysisError(f"edge ({u!r}, {v!r}): {weight} {value!r} is not a positive number")
    return pairs, weights


def to_igraph(G: nx.Graph, weight: str | None = None) -> ig.Graph:
    """Copy ``G`` into igraph, vertex ``i`` being the ``i``-th node of ``G``, with the checked
    ``weight`` (see :func:`indexed_edges`) as the edge attribute ``"weight"``."""
    pairs, weights = indexed_edges(G, weight)
    g = ig.Graph(n=G.number_of_nodes(), edges=pairs, directed=G.is_directed())
    if weights is not None:
        g.es["weight"] = weights
    return g


@contextmanager
def igraph_seed(seed: int | None) -> Iterator[None]:
    """Run igraph's randomised steps from ``random.Random(seed)``, then hand back the module RNG.

    igraph draws from one process-wide generator, so two threads must not run seeded igraph
    measures at the same time.
    """
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
