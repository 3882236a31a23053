"""Entity resolution: the same person under several records, found by ``graphvc resolve``.

:func:`resolve` reads the people with their identifying fields (:func:`read_people`), scores
the pairs of records that may be one person with a splink model (:mod:`graphvc.resolve.model`)
and writes the candidate pairs as ``POSSIBLY_SAME_AS`` relationships, replacing the previous
run's. Nothing is merged: an analyst decides. :func:`pairwise_scores` measures a clustering
against known answers (the ``duplicates`` of a synthetic dataset's ground truth).
"""

from graphvc.resolve.evaluate import pairwise_scores
from graphvc.resolve.run import (
    CANDIDATE_FLOOR,
    DEFAULT_THRESHOLD,
    ResolveSummary,
    people_to_compare,
    read_people,
    resolve,
)

__all__ = [
    "CANDIDATE_FLOOR",
    "DEFAULT_THRESHOLD",
    "ResolveSummary",
    "pairwise_scores",
    "people_to_compare",
    "read_people",
    "resolve",
]
