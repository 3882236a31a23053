"""Choosing and feeding the engine behind a measure: networkx (the reference) or igraph.

networkx is pure Python and is the definition every measure is tested against; igraph runs the
same algorithms in C, 20 to 200 times faster on graphs of thousands of nodes and more (see
``bench/bench_centrality.py``). A measure with an ``engine`` option answers the same with either
engine (to 1e-9 relative, or exactly for integers), so ``"auto"`` may pick by size alone.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import igraph as ig
import networkx as nx
import numpy as np

from graphvc.errors import AnalysisError

__all__ = ["AUTO_IGRAPH_NODES", "ENGINES", "choose_engine", "igraph_seed", "to_igraph"]

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


def to_igraph(G: nx.Graph, weight: str | None = None) -> ig.Graph:
    """Copy ``G`` into igraph; vertex ``i`` is the ``i``-th node of ``G`` in its own order.

    An edge without the ``weight`` attribute weighs 1, as in networkx. igraph needs every weight
    (a cost for paths, a strength for communities) to be a positive number, so anything else is
    refused here with the edge named.
    """
    if G.is_multigraph():
        raise AnalysisError("the igraph engine takes a simple graph; collapse parallel edges first")
    index = {node: i for i, node in enumerate(G)}
    edges = list(G.edges(data=weight, default=1)) if weight is not None else list(G.edges())
    g = ig.Graph(
        n=len(index), edges=[(index[e[0]], index[e[1]]) for e in edges], directed=G.is_directed()
    )
    if weight is not None:
        weights = np.array([e[2] for e in edges], dtype=float)
        bad = np.flatnonzero(~(weights > 0))
        if bad.size:
            u, v, value = edges[bad[0]]
            raise AnalysisError(f"edge ({u!r}, {v!r}): {weight} {value!r} is not a positive number")
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
