"""What the write-back sends: columns of plain Python values, a missing or infinite score None."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from graphvc.scores import (
    PERSON_PROFILE_SCORES,
    PERSON_RANKING_SCORES,
    PERSON_SCORES,
    PLACE_SCORES,
    _score_batches,
)

CYPHER = Path(__file__).resolve().parents[2] / "cypher" / "analysis"


def test_score_batches_are_columns_of_plain_values() -> None:
    people = pd.DataFrame(
        {
            "rank": [1, 2, 3],
            "priority": [0.5, np.inf, 0.25],
            "k_core": pd.array([3, None, 1], dtype="Int64"),
            "escalated_to_knife_or_gun": np.array([True, np.nan, False], dtype=object),
            "overlap_class": pd.Categorical(["balanced", None, "victim-led"]),
            "not_a_score": ["x", "y", "z"],
        },
        index=pd.Index(["P1", "P2", "P3"], name="person_id"),
    )
    names = {
        "rank": "score_rank",
        "priority": "score_priority",
        "k_core": "score_k_core",
        "escalated_to_knife_or_gun": "score_escalated",
        "overlap_class": "score_overlap",
        "pagerank": "score_pagerank",
    }
    first, second = _score_batches(people, names, batch_size=2)
    assert first == {
        "ids": ["P1", "P2"],
        "scores": {
            "score_rank": [1, 2],
            "score_priority": [0.5, None],
            "score_k_core": [3, None],
            "score_escalated": [True, None],
            "score_overlap": ["balanced", None],
        },
    }
    assert second["ids"] == ["P3"] and second["scores"]["score_overlap"] == ["victim-led"]
    # What the driver is given is Python's own types, never numpy's.
    types = [type(values[0]) for values in first["scores"].values()]
    assert types == [int, float, int, bool, str]


def test_the_write_back_sets_every_score_it_names() -> None:
    # A score left out of a write statement would keep an earlier run's value.
    for file, names in (
        ("write_person_ranking_scores", PERSON_RANKING_SCORES),
        ("write_person_profile_scores", PERSON_PROFILE_SCORES),
        ("write_location_scores", PLACE_SCORES),
        ("write_area_scores", PLACE_SCORES),
    ):
        text = (CYPHER / f"{file}.cypher").read_text()
        set_here = set(re.findall(r"\.(score_\w+) = batch\.scores\.(score_\w+)\[k\]", text))
        assert set_here == {(prop, prop) for prop in names.values()}, file
    # The person's two parts together write every person score, each once.
    assert not set(PERSON_RANKING_SCORES) & set(PERSON_PROFILE_SCORES)
    assert (
        set(PERSON_RANKING_SCORES.values()) | set(PERSON_PROFILE_SCORES.values())
        == {
            "score_priority_rank",
            "score_priority",
            "score_rfg",
            "score_degree",
            "score_weighted_degree",
            "score_betweenness",
            "score_pagerank",
            "score_harm_pagerank",
            "score_eigenvector",
            "score_k_core",
            "score_community",
            "score_escalated",
            "score_exposure_distance",
            "score_exposure_victims_1",
            "score_overlap_class",
        }
        == set(PERSON_SCORES.values())
    )
    # Both parts stamp the run, so a node left with the first alone is cleared by the next run.
    for file in ("write_person_ranking_scores", "write_person_profile_scores"):
        assert "p.scored_at = datetime($run_at)" in (CYPHER / f"{file}.cypher").read_text()
