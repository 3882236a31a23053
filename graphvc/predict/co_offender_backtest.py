"""The backtest of likely co-offenders: does the random walk find, before the fact, the pairs
who first offended together after a date, better than two simple link predictors?

The network is built from what was known before ``train_until`` (incidents before it, and the
associations, which carry no date); the held-out pairs are the people who first offended
together (as offenders or suspects of one incident) in the ``test_months`` after it, both
already in that network and never co-offenders before. Each held-out person is a seed in
turn; every method ranks the people of the network for it, and the rank of each partner
found gives hits at 5 and 10 and the mean reciprocal rank.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.special import digamma

from graphvc.analysis.events import DateLike, incident_harm, person_incidents
from graphvc.analysis.projections import person_network
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.predict.co_offenders import transition_matrix, walk_scores

__all__ = [
    "METHODS",
    "BacktestResult",
    "backtest_co_offenders",
    "held_out_pairs",
    "rank_metrics",
]

#: The methods compared, by name, with their plain labels.
METHODS: dict[str, str] = {
    "random_walk_with_restart": "random walk with restart",
    "common_neighbours": "common neighbours",
    "adamic_adar": "Adamic–Adar",
}
#: Seeds walked at once (one column each): a sparse product with a block of columns costs
#: little more than with one.
_BLOCK = 256
_BOOTSTRAPS = 1000


@dataclass(frozen=True)
class BacktestResult:
    """The figures of one backtest: per method hits at 5 and 10 and MRR, the winner (None
    when the best is not clearly ahead of the runner-up) and the sentence that says so."""

    train_until: str
    test_months: int
    seeds: int
    pairs: int
    results: list[dict[str, float | str]]
    winner: str | None
    verdict: str
    interval: tuple[float, float]

    def as_json(self) -> dict[str, object]:
        """The ``--json`` form."""
        return {
            "method": "co-offenders",
            "train_until": self.train_until,
            "test_months": self.test_months,
            "seeds": self.seeds,
            "pairs": self.pairs,
            "results": self.results,
            "winner": self.winner,
            "verdict": self.verdict,
        }


def rank_metrics(
    scores: np.ndarray, candidates: np.ndarray, target: int, ks: tuple[int, ...] = (5, 10)
) -> tuple[list[float], float]:
    """The chance that ``target`` is in the top k of the ``candidates`` by ``scores`` (for each
    of ``ks``) and its expected reciprocal rank, ties broken at random.

    A method that gives many candidates the same score (common neighbours gives most people
    0) gets the average over the orders of its ties, so that no method wins or loses by how
    ties happen to be broken.

    Examples
    --------
    Four candidates; the target (index 2) ties with one other for second place:

    >>> scores = np.array([0.9, 0.5, 0.5, 0.1])
    >>> hits, rr = rank_metrics(scores, np.ones(4, bool), 2, ks=(1, 2, 3))
    >>> hits, round(rr, 4)
    ([0.0, 0.5, 1.0], 0.4167)
    """
    chosen = scores[candidates]
    value = scores[target]
    greater = int((chosen > value).sum())
    equal = int((chosen == value).sum())
    if not candidates[target]:
        equal += 1
    hits = [float(np.clip((k - greater) / equal, 0.0, 1.0)) for k in ks]
    reciprocal = (digamma(greater + equal + 1) - digamma(greater + 1)) / equal
    return hits, float(reciprocal)


def held_out_pairs(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    train: nx.Graph,
    start: DateLike,
    end: DateLike,
) -> dict[Hashable, set[Hashable]]:
    """For each person, the partners they first offended with in ``[start, end)``: both in
    ``train`` and not co-offenders in it (a tie with no shared incidents, an association
    alone, does not count as co-offending).

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2"],
    ...     "occurred_at": ["2024-01-05", "2024-03-01"], "offence": ["personal_robbery"] * 2})
    >>> involvements = pd.DataFrame({"person_id": ["A", "B", "C", "A", "B", "C", "D"],
    ...     "incident_id": ["I1", "I1", "I1", "I2", "I2", "I2", "I2"],
    ...     "role": ["offender", "offender", "victim", "offender", "suspect", "offender",
    ...              "offender"]})
    >>> train = nx.Graph([("A", "B", {"incidents": 1}), ("B", "C", {"incidents": 0})])
    >>> sorted((k, sorted(v)) for k, v in held_out_pairs(incidents, involvements, train,
    ...     "2024-02-01", "2024-04-01").items())
    [('A', ['C']), ('B', ['C']), ('C', ['A', 'B'])]
    """
    later = person_incidents(incidents, involvements, roles=PERPETRATOR_ROLES, start=start, end=end)
    later = later.loc[later["person_id"].isin(list(train))]
    pairs = later[["incident_id", "person_id"]].merge(
        later[["incident_id", "person_id"]], on="incident_id", suffixes=("", "_other")
    )
    held: dict[Hashable, set[Hashable]] = {}
    for seed, other in zip(pairs["person_id"], pairs["person_id_other"], strict=True):
        if seed == other:
            continue
        tie = train.get_edge_data(seed, other)
        if tie is not None and tie.get("incidents", 0) > 0:
            continue
        held.setdefault(seed, set()).add(other)
    return held


Scorer = Callable[[nx.Graph, list[Hashable], Mapping[Hashable, int]], np.ndarray]


def _random_walk(
    graph: nx.Graph, seeds: list[Hashable], index: Mapping[Hashable, int]
) -> np.ndarray:
    nodes, P = transition_matrix(graph)
    columns = []
    for block in range(0, len(seeds), _BLOCK):
        chunk = seeds[block : block + _BLOCK]
        starts = np.zeros((len(nodes), len(chunk)))
        starts[[index[s] for s in chunk], np.arange(len(chunk))] = 1.0
        columns.append(walk_scores(P, starts))
    return np.hstack(columns)


def _two_step(
    measure: Callable[[nx.Graph, list[tuple[Hashable, Hashable]]], object],
) -> Scorer:
    """A scorer from a networkx link predictor, asked only about the people two steps from
    the seed (everyone further scores 0)."""

    def scores(graph: nx.Graph, seeds: list[Hashable], index: Mapping[Hashable, int]) -> np.ndarray:
        found = np.zeros((len(index), len(seeds)))
        for column, seed in enumerate(seeds):
            reach = {w for u in graph[seed] for w in graph[u]} - {seed}
            for _, w, value in measure(graph, [(seed, w) for w in reach]):  # type: ignore[attr-defined]
                found[index[w], column] = value
        return found

    return scores


def _common_neighbours(
    graph: nx.Graph, pairs: list[tuple[Hashable, Hashable]]
) -> list[tuple[Hashable, Hashable, int]]:
    return [(u, w, sum(1 for _ in nx.common_neighbors(graph, u, w))) for u, w in pairs]


SCORERS: dict[str, Scorer] = {
    "random_walk_with_restart": _random_walk,
    "common_neighbours": _two_step(_common_neighbours),
    "adamic_adar": _two_step(nx.adamic_adar_index),
}


def _reciprocal_ranks(
    train: nx.Graph, held: dict[Hashable, set[Hashable]]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per method, hits at 5, at 10 and the reciprocal rank of every held-out pair (rows),
    and the seed of each pair (for the bootstrap)."""
    nodes = list(train)
    index = {node: i for i, node in enumerate(nodes)}
    seeds = sorted(held, key=str)
    figures: dict[str, np.ndarray] = {}
    owners = np.array([i for i, seed in enumerate(seeds) for _ in held[seed]])
    for name, scorer in SCORERS.items():
        scores = scorer(train, seeds, index)
        rows = []
        for column, seed in enumerate(seeds):
            candidates = np.ones(len(nodes), dtype=bool)
            known = [v for v, d in train[seed].items() if d.get("incidents", 0) > 0]
            candidates[[index[p] for p in (seed, *known, *held[seed])]] = False
            for partner in sorted(held[seed], key=str):
                hits, rr = rank_metrics(scores[:, column], candidates, index[partner])
                rows.append([*hits, rr])
        figures[name] = np.array(rows, dtype=float).reshape(-1, 3)
    return figures, owners


def _verdict(
    means: dict[str, np.ndarray], figures: dict[str, np.ndarray], owners: np.ndarray
) -> tuple[str | None, str, tuple[float, float]]:
    """The winner by mean reciprocal rank, if the best is ahead of the runner-up in 95% of
    bootstrap resamples of the seeds (the pairs of one seed share its walk), and why."""
    order = sorted(means, key=lambda n: -means[n][2])
    best, second = order[0], order[1]
    difference = figures[best][:, 2] - figures[second][:, 2]
    per_seed = np.bincount(owners, weights=difference)
    counts = np.bincount(owners)
    rng = np.random.default_rng(0)
    draws = rng.integers(0, len(counts), size=(_BOOTSTRAPS, len(counts)))
    resampled = per_seed[draws].sum(axis=1) / counts[draws].sum(axis=1)
    low, high = (float(v) for v in np.quantile(resampled, [0.025, 0.975]))
    gap = f"{means[best][2]:.3f} against {means[second][2]:.3f}"
    if not difference.any():
        return (
            None,
            (
                f"no method wins: {METHODS[best]} and {METHODS[second]} rank every held-out "
                f"partner alike (mean reciprocal rank {means[best][2]:.3f})"
            ),
            (0.0, 0.0),
        )
    if low > 0:
        return (
            best,
            (
                f"{METHODS[best]} wins: the best mean reciprocal rank ({gap} for "
                f"{METHODS[second]}, the difference between {low:.3f} and {high:.3f} in 95% "
                "of resamples)"
            ),
            (low, high),
        )
    return (
        None,
        (
            f"no method wins clearly: {METHODS[best]} has the best mean reciprocal rank ({gap} "
            f"for {METHODS[second]}), but the difference, between {low:.3f} and {high:.3f} in "
            "95% of resamples, could be chance"
        ),
        (low, high),
    )


def backtest_co_offenders(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    associations: pd.DataFrame,
    *,
    train_until: DateLike,
    test_months: int,
    tie_weights: Mapping[str, float],
) -> BacktestResult:
    """Score likely co-offenders and the baselines on the pairs first seen after
    ``train_until``.

    The person network is :func:`~graphvc.analysis.projections.person_network` of the
    incidents before ``train_until`` (all of them) and every association (undated, so taken
    as known then), in the layers and weights of ``tie_weights``. The held-out pairs are
    :func:`held_out_pairs` of the ``test_months`` months from ``train_until``. For each seed,
    every method ranks everyone in the network but the seed, the people it already
    offended with (the held-out pairs are new by construction) and its other held-out
    partners (each partner is ranked against the rest, not against its fellows); its
    associates stay candidates. Per pair: hits at 5 and 10 (the partner in the top 5, 10)
    and the reciprocal rank, ties broken at random (:func:`rank_metrics`), averaged over the
    pairs. The baselines are the number of common neighbours and the Adamic–Adar index [1]_
    of the unweighted network.

    Raises
    ------
    AnalysisError
        When ``test_months`` is below 1, nobody offended together before ``train_until``
        or no held-out pair is found.

    References
    ----------
    .. [1] Liben-Nowell, D., & Kleinberg, J. (2007). The link-prediction problem for social
       networks. *JASIST* 58(7), 1019–1031. https://doi.org/10.1002/asi.20591
    """
    if test_months < 1:
        raise AnalysisError(f"test_months {test_months!r} must be at least 1")
    start = pd.Timestamp(train_until)
    end = start + pd.DateOffset(months=test_months)
    incidents = incident_harm(incidents)
    train = person_network(
        incidents, involvements, associations, tie_weights=tie_weights, end=start
    )
    if not any(d.get("incidents", 0) for _, _, d in train.edges(data=True)):
        raise AnalysisError(
            f"nobody offended with anyone before {start.date()}: the graph records no "
            "co-offending to learn from (police.uk street files name no offenders)"
        )
    held = held_out_pairs(incidents, involvements, train, start, end)
    if not held:
        raise AnalysisError(
            f"no pair first offended together from {start.date()} to {end.date()} among "
            "people known before: choose another --train-until or more --test-months"
        )
    figures, owners = _reciprocal_ranks(train, held)
    means = {name: rows.mean(axis=0) for name, rows in figures.items()}
    winner, verdict, interval = _verdict(means, figures, owners)
    results: list[dict[str, float | str]] = [
        {"name": n, "hits_at_5": float(m[0]), "hits_at_10": float(m[1]), "mrr": float(m[2])}
        for n, m in means.items()
    ]
    return BacktestResult(
        train_until=start.date().isoformat(),
        test_months=test_months,
        seeds=len(held),
        pairs=len(owners),
        results=results,
        winner=winner,
        verdict=verdict,
        interval=interval,
    )
