"""Who is who: the analyst's decisions on candidate duplicate person records, and the
analysis's view of them.

:mod:`graphvc.identity.decisions` records and undoes decisions (``SAME_AS`` /
``NOT_SAME_AS`` between two Person nodes, through one write function) and reads the
candidate pairs and confirmed clusters; :mod:`graphvc.identity.merge` is the pure step a run
takes to count each confirmed cluster as one person (``analyse --resolve confirmed``).
"""

from graphvc.identity.decisions import (
    DECISIONS,
    candidate_pairs,
    confirmed_clusters,
    decide_pair,
    undo_decision,
)
from graphvc.identity.merge import cluster_members, merge_people, representatives

__all__ = [
    "DECISIONS",
    "candidate_pairs",
    "cluster_members",
    "confirmed_clusters",
    "decide_pair",
    "merge_people",
    "representatives",
    "undo_decision",
]
