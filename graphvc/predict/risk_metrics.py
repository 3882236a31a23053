"""How well a risk score ranked the people who were then hurt: hit rates and ROC AUC.

Both read a score per person and whether the person had an event in the test period
(``labels``). Ties are shared fairly: a method that gives many people the same score (a count
of prior victimisations is mostly 0) is credited, at the edge of its top list, with the
share of the tied people the list can hold, which is what breaking ties at random would give
on average. No scikit-learn: the AUC is the Mann–Whitney statistic, from ranks.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.stats import rankdata

__all__ = ["hit_rate", "paired_difference", "roc_auc"]


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """The area under the ROC curve: the chance that a random person with an event scores
    above a random person without (ties count half), the Mann–Whitney U over ``n1 * n0``.

    NaN when everyone, or no one, had an event.

    Examples
    --------
    Scores 4, 3, 2, 1 with events for the 1st and 3rd: of the 4 pairs (event, no event),
    3 are in order:

    >>> roc_auc(np.array([4, 3, 2, 1]), np.array([True, False, True, False]))
    0.75
    >>> roc_auc(np.array([1, 1, 1]), np.array([True, False, False]))
    0.5

    References
    ----------
    .. [1] J. A. Hanley and B. J. McNeil, "The meaning and use of the area under a receiver
       operating characteristic (ROC) curve", Radiology 143(1):29-36, 1982.
       https://doi.org/10.1148/radiology.143.1.7063747
    """
    labels = np.asarray(labels, dtype=bool)
    n1 = int(labels.sum())
    n0 = len(labels) - n1
    if not n1 or not n0:
        return float("nan")
    ranks = rankdata(np.asarray(scores, dtype=float))
    return float((ranks[labels].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def hit_rate(scores: np.ndarray, labels: np.ndarray, share: float) -> float:
    """The share of the people with an event who are in the top ``share`` of ``scores``.

    The top list holds ``ceil(share * len(scores))`` people; people tied at its edge are
    counted by the fraction of them it can hold. NaN when no one had an event.

    Examples
    --------
    Ten people, a top 20 % of two; the events are the 1st and the 5th:

    >>> labels = np.array([True, False, False, False, True] + [False] * 5)
    >>> hit_rate(np.arange(10, 0, -1), labels, 0.2)
    0.5

    All tied: the list of two holds each person with chance 2/10:

    >>> hit_rate(np.zeros(10), labels, 0.2)
    0.2
    """
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=bool)
    positives = int(labels.sum())
    if not positives or not len(scores):
        return float("nan")
    size = min(len(scores), math.ceil(share * len(scores)))
    order = np.sort(scores)[::-1]
    edge = order[size - 1]
    above = scores > edge
    at_edge = scores == edge
    room = size - int(above.sum())
    hits = labels[above].sum() + labels[at_edge].sum() * room / int(at_edge.sum())
    return float(hits / positives)


def paired_difference(
    metric: Callable[[np.ndarray, np.ndarray], float],
    first: np.ndarray,
    second: np.ndarray,
    labels: np.ndarray,
    *,
    samples: int = 200,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``metric(first) - metric(second)`` on the same people, with a 95 % bootstrap interval.

    The people with and without an event are resampled separately (a stratified paired
    bootstrap: both scores are read on each resample), ``samples`` times with ``seed``.
    Returns the difference and the interval's low and high ends (the 2.5th and 97.5th
    percentiles); NaNs when everyone, or no one, had an event.

    Examples
    --------
    >>> labels = np.array([True] * 20 + [False] * 80)
    >>> good = np.where(labels, 2.0, 1.0) + np.linspace(0, 0.5, 100)
    >>> difference, low, high = paired_difference(roc_auc, good, np.zeros(100), labels,
    ...     samples=50)
    >>> difference, low > 0.3
    (0.5, True)
    """
    labels = np.asarray(labels, dtype=bool)
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    positive, negative = np.flatnonzero(labels), np.flatnonzero(~labels)
    if not len(positive) or not len(negative):
        return float("nan"), float("nan"), float("nan")
    difference = metric(first, labels) - metric(second, labels)
    rng = np.random.default_rng(seed)
    draws = np.empty(samples)
    for k in range(samples):
        chosen = np.concatenate(
            [rng.choice(positive, len(positive)), rng.choice(negative, len(negative))]
        )
        taken = labels[chosen]
        draws[k] = metric(first[chosen], taken) - metric(second[chosen], taken)
    low, high = np.percentile(draws, [2.5, 97.5])
    return float(difference), float(low), float(high)
