"""Measuring a resolution against known answers: pairwise precision and recall."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

__all__ = ["pairwise_scores"]


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in combinations(sorted(set(group)), 2)}


def pairwise_scores(
    found: Iterable[Iterable[str]], truth: Iterable[Iterable[str]]
) -> dict[str, float | int]:
    """Precision and recall of the pairs of records ``found`` to be one person.

    Each group (a cluster of record ids) stands for every pair of its members; a pair is
    right when a group of ``truth`` holds both. Pairs, not clusters, so that a cluster of
    three with one wrong member counts two wrong pairs of three, not one wrong cluster.

    Parameters
    ----------
    found, truth : iterable of iterables of str
        Groups of record ids (singletons may be left out: they make no pair).

    Returns
    -------
    dict
        ``precision`` (1.0 when nothing was found), ``recall`` (1.0 when there was nothing
        to find), ``true_pairs``, ``found_pairs``, ``correct_pairs``.

    Examples
    --------
    >>> pairwise_scores([["P1", "P2", "P3"]], [["P1", "P2"], ["P4", "P5"]])
    {'precision': 0.3333333333333333, 'recall': 0.5, 'true_pairs': 2, 'found_pairs': 3, 'correct_pairs': 1}
    """
    found_pairs, true_pairs = _pairs(found), _pairs(truth)
    correct = len(found_pairs & true_pairs)
    return {
        "precision": correct / len(found_pairs) if found_pairs else 1.0,
        "recall": correct / len(true_pairs) if true_pairs else 1.0,
        "true_pairs": len(true_pairs),
        "found_pairs": len(found_pairs),
        "correct_pairs": correct,
    }
