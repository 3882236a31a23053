"""Likely co-offenders: a random walk with restart on the person network.

A walker starts at the seeds (a person, or an incident's known offenders and suspects), steps
along the ties of the person network (:func:`graphvc.analysis.projections.person_network`:
co-offending and association layers, each tie as strong as its ``weight``) and, at every
step, goes back to a seed with probability ``restart``. The share of its time spent at each
person (personalised PageRank) ranks the people the seeds are most likely to offend with
next [1]_ [2]_. It is a lead for an analyst to check, never a decision.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from graphvc.errors import AnalysisError

__all__ = ["LEAD_NOTE", "likely_co_offenders", "transition_matrix", "walk_scores"]

#: What every list of likely co-offenders says beside it.
LEAD_NOTE = (
    "These are leads for an analyst to check, never a decision: a person is listed because "
    "the network's ties lead to them from the seeds, not because of anything they did."
)
#: The walk stops when no column's scores change by more than this (L1) in one step; the
#: change shrinks by ``1 - restart`` a step, so at 0.15 it takes about 140 steps.
_TOLERANCE = 1e-10
_MAX_STEPS = 1000
_DECIMALS = 9


def transition_matrix(graph: nx.Graph, weight: str = "weight") -> tuple[list[Any], sp.csr_array]:
    """The nodes of ``graph`` (in its order) and the row-stochastic matrix of a walk on it.

    A step from a person goes to a neighbour with probability proportional to the tie's
    ``weight`` (missing: 1). A person without ties has an empty row (the walk restarts there).

    Examples
    --------
    >>> G = nx.Graph([("A", "B", {"weight": 3.0}), ("A", "C", {"weight": 1.0})])
    >>> nodes, P = transition_matrix(G)
    >>> nodes, P.toarray()[0].tolist()
    (['A', 'B', 'C'], [0.0, 0.75, 0.25])
    """
    nodes = list(graph)
    W = sp.csr_array(
        nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=weight, dtype=float, format="csr")
    )
    if W.nnz and W.data.min() <= 0:
        raise AnalysisError(f"every tie's {weight!r} must be a positive number")
    out = np.asarray(W.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out, out=np.zeros_like(out), where=out > 0)
    return nodes, sp.csr_array(sp.diags_array(inverse) @ W)


def walk_scores(P: sp.csr_array, starts: np.ndarray, restart: float = 0.15) -> np.ndarray:
    """Random walks with restart on the walk ``P``, one for each column of ``starts``.

    Parameters
    ----------
    P : sparse array, n × n
        Row-stochastic (:func:`transition_matrix`); an empty row is a person without ties.
    starts : array, n × m
        Each column the restart distribution of one walk (non-negative, summing to 1).
    restart : float, default 0.15
        The probability of going back to the start at each step, in (0, 1].

    Returns
    -------
    array, n × m
        The stationary distribution of each walk: ``x = (1 - restart) Pᵀ x + restart s``,
        a walk at a person without ties going back to its start.

    Examples
    --------
    Two people tied: ``x_A = 1 / (2 - r)``, ``x_B = (1 - r) / (2 - r)``.

    >>> P = sp.csr_array(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> walk_scores(P, np.array([[1.0], [0.0]])).ravel().round(4).tolist()
    [0.5405, 0.4595]
    """
    if not 0 < restart <= 1:
        raise AnalysisError(f"restart {restart!r} is not a probability in (0, 1]")
    starts = np.asarray(starts, dtype=float)
    dangling = np.asarray(P.sum(axis=1)).ravel() == 0
    PT = sp.csr_array(P.T)
    x = starts.copy()
    for _ in range(_MAX_STEPS):
        stuck = x[dangling].sum(axis=0)
        following = (1 - restart) * (PT @ x + starts * stuck)
        following += restart * starts
        change = np.abs(following - x).sum(axis=0).max(initial=0.0)
        x = following
        if change < _TOLERANCE:
            break
    return x


def _listed(seeds: Hashable | Iterable[Hashable]) -> list[Hashable]:
    if isinstance(seeds, str) or not isinstance(seeds, Iterable):
        return [seeds]
    return list(dict.fromkeys(seeds))


def likely_co_offenders(
    graph: nx.Graph,
    seeds: Hashable | Iterable[Hashable],
    k: int = 10,
    restart: float = 0.15,
    *,
    weight: str = "weight",
    exclude: Iterable[Hashable] = (),
) -> pd.DataFrame:
    """The ``k`` people a random walk with restart from ``seeds`` visits most, with the path
    that leads to each.

    A walker starts at a seed, follows ties in proportion to their ``weight`` and goes back
    to the seeds (evenly) with probability ``restart`` at each step; a person's score is the
    share of its time it spends at them (personalised PageRank) [1]_, the suspect
    recommendation of CrimeWalker [2]_. People the seeds already offended with or are
    associated with stay eligible: most co-offending repeats, and a lead among known
    associates is still a lead. The seeds themselves are never listed, so, seeded with an
    incident's known offenders and suspects, the list names only people not yet known to
    have taken part. Nobody the walk cannot reach is listed (a score of 0).

    Parameters
    ----------
    graph : nx.Graph
        The person network (:func:`graphvc.analysis.projections.person_network`), its tie
        layers weighted as the analysis weights them.
    seeds : node or iterable of nodes
        A person, or an incident's known offenders and suspects.
    k : int, default 10
        How many people to list.
    restart : float, default 0.15
        The probability of going back to the seeds at each step, in (0, 1]: higher keeps the
        walk closer to them.
    weight : str, default "weight"
        The edge attribute a tie's strength is read from (missing: 1).
    exclude : iterable of nodes, optional
        People never to list besides the seeds (the backtest leaves out pairs already known).

    Returns
    -------
    DataFrame
        ``person_id``, ``score`` (the walk's share of time, summing to at most 1 over
        everyone) and ``path`` (the ids from a seed to the person along the strongest route:
        the shortest by ``1 / weight``), by score, highest first (ties by id).

    Raises
    ------
    AnalysisError
        When no seed is given, a seed is not in ``graph``, ``k`` is below 1 or ``restart``
        is not in (0, 1].

    Examples
    --------
    P1 offended with P2 three times and P3 once; P2 offended with P4, P3 with P5:

    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("P1", "P2", 3.0), ("P1", "P3", 1.0),
    ...                            ("P2", "P4", 1.0), ("P3", "P5", 1.0)])
    >>> leads = likely_co_offenders(G, "P1", k=3)
    >>> leads["person_id"].tolist(), leads["path"].tolist()
    (['P2', 'P3', 'P4'], [['P1', 'P2'], ['P1', 'P3'], ['P1', 'P2', 'P4']])

    Seeded with an incident's two known offenders, P1 and P2, neither is listed:

    >>> likely_co_offenders(G, ["P1", "P2"], k=2)[["person_id", "path"]].values.tolist()
    [['P3', ['P1', 'P3']], ['P4', ['P2', 'P4']]]

    References
    ----------
    .. [1] Tong, H., Faloutsos, C., & Pan, J.-Y. (2006). Fast random walk with restart and
       its applications. *ICDM 2006*, 613–622. https://doi.org/10.1109/ICDM.2006.70
    .. [2] Tayebi, M. A., Jamali, M., Ester, M., Glässer, U., & Frank, R. (2011).
       CrimeWalker: a recommendation model for suspect investigation. *RecSys 2011*,
       173–180. https://doi.org/10.1145/2043932.2043965
    """
    chosen = _listed(seeds)
    if not chosen:
        raise AnalysisError("give at least one seed: a person, or an incident's offenders")
    missing = [s for s in chosen if s not in graph]
    if missing:
        raise AnalysisError(f"seed {missing[0]!r} is not in the network (no ties in it)")
    if k < 1:
        raise AnalysisError(f"k {k!r} must be at least 1")
    if not 0 < restart <= 1:
        raise AnalysisError(f"restart {restart!r} is not a probability in (0, 1]")
    nodes, P = transition_matrix(graph, weight)
    index = {node: i for i, node in enumerate(nodes)}
    starts = np.zeros((len(nodes), 1))
    starts[[index[s] for s in chosen], 0] = 1 / len(chosen)
    # Rounded to the walk's tolerance, so that people the network cannot tell apart are
    # level (and ordered by id) rather than ordered by rounding noise.
    scores = walk_scores(P, starts, restart)[:, 0].round(_DECIMALS)
    left_out = {index[n] for n in (*chosen, *exclude) if n in index}
    ranked = sorted(
        (i for i in np.flatnonzero(scores > 0) if i not in left_out),
        key=lambda i: (-scores[i], str(nodes[i])),
    )[:k]
    rows = [
        {
            "person_id": nodes[i],
            "score": float(scores[i]),
            "path": _strongest_path(graph, chosen, nodes[i], weight),
        }
        for i in ranked
    ]
    return pd.DataFrame(rows, columns=["person_id", "score", "path"])


def _strongest_path(
    graph: nx.Graph, seeds: list[Hashable], target: Hashable, weight: str
) -> list[Hashable]:
    """The route from the nearest seed to ``target`` whose summed ``1 / weight`` is least:
    few steps along strong ties."""
    _, path = nx.multi_source_dijkstra(
        graph, set(seeds), target=target, weight=lambda u, v, d: 1 / d.get(weight, 1.0)
    )
    return list(path)
