"""The rows the write-back sends: plain Python values, missing and infinite scores left out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphvc.scores import _score_rows


def test_score_rows_are_plain_values_without_the_missing_ones() -> None:
    people = pd.DataFrame(
        {
            "rank": [1, 2],
            "priority": [0.5, np.inf],
            "k_core": pd.array([3, None], dtype="Int64"),
            "escalated_to_knife_or_gun": np.array([True, np.nan], dtype=object),
            "overlap_class": pd.Categorical(["balanced", None]),
            "not_a_score": ["x", "y"],
        },
        index=pd.Index(["P1", "P2"], name="person_id"),
    )
    names = {"rank": "score_rank", "priority": "score_priority", "k_core": "score_k_core",
             "escalated_to_knife_or_gun": "score_escalated", "overlap_class": "score_overlap",
             "pagerank": "score_pagerank"}  # fmt: skip
    rows = _score_rows(people, names)
    assert rows == [
        {"id": "P1", "scores": {"score_rank": 1, "score_priority": 0.5, "score_k_core": 3,
                                "score_escalated": True, "score_overlap": "balanced"}},
        {"id": "P2", "scores": {"score_rank": 2}},
    ]  # fmt: skip
    # What the driver is given is Python's own types, never numpy's.
    assert [type(v) for v in rows[0]["scores"].values()] == [int, float, int, bool, str]
