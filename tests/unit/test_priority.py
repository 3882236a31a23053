"""Recency–Frequency–Gravity and offender priority, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from graphvc.analysis.priority import offender_priority, rfg_scores
from graphvc.errors import AnalysisError

# As of 2025-01-01 with a 365-day window, [2024-01-02, 2025-01-01):
#   A: I1 robbery (365) and I2 common assault (10); last 2024-10-01, 92 days before.
#   B: I3 violence with injury (365), as a suspect; last 2024-12-01, 31 days before.
#   C: I4 homicide in 2023, outside the window; D: I5 on as_of itself, excluded.
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["I1", "I2", "I3", "I4", "I5"],
        "occurred_at": ["2024-07-02", "2024-10-01", "2024-12-01", "2023-06-01", "2025-01-01"],
        "offence": [
            "personal_robbery",
            "violence_without_injury",
            "violence_with_injury",
            "homicide",
            "violence_with_injury",
        ],
    }
)
INVOLVEMENTS = pd.DataFrame(
    {
        "person_id": ["A", "A", "B", "C", "D", "V"],
        "incident_id": ["I1", "I2", "I3", "I4", "I5", "I3"],
        "role": ["offender", "offender", "suspect", "offender", "offender", "victim"],
    }
)
R_A, R_B = 1 - 92 / 365, 1 - 31 / 365
F_A, F_B = 1.0, 0.5
G_A, G_B = 1.0, 365 / 375


def _scores(**weights: float) -> pd.DataFrame:
    return rfg_scores(INCIDENTS, INVOLVEMENTS, as_of="2025-01-01", window_days=365, **weights)


def test_raw_and_scaled_components_by_hand():
    scores = _scores()
    assert sorted(scores.index) == ["A", "B"]
    assert scores.loc["A", ["recency_days", "frequency", "gravity"]].tolist() == [92.0, 2, 375.0]
    assert scores.loc["B", ["recency_days", "frequency", "gravity"]].tolist() == [31.0, 1, 365.0]
    assert scores.loc["A", "last_offence_at"] == pd.Timestamp("2024-10-01")
    assert scores.loc["A", "recency_score"] == pytest.approx(R_A)
    assert scores.loc["B", "recency_score"] == pytest.approx(R_B)
    assert scores.loc["B", "frequency_score"] == pytest.approx(F_B)
    assert scores.loc["B", "gravity_score"] == pytest.approx(G_B)


def test_equal_weights_average_the_scores_and_parts_sum_to_rfg():
    scores = _scores()
    assert scores.loc["A", "rfg"] == pytest.approx((R_A + F_A + G_A) / 3)
    assert scores.loc["B", "rfg"] == pytest.approx((R_B + F_B + G_B) / 3)
    parts = scores[["recency_part", "frequency_part", "gravity_part"]].sum(axis=1)
    assert parts.tolist() == pytest.approx(scores["rfg"].tolist())
    assert scores["rank"].to_dict() == {"A": 1, "B": 2}


@pytest.mark.parametrize(
    ("weights", "first", "rfg_first"),
    [
        ({"recency_weight": 1, "frequency_weight": 0, "gravity_weight": 0}, "B", R_B),
        ({"recency_weight": 0, "frequency_weight": 1, "gravity_weight": 0}, "A", F_A),
        (
            {"recency_weight": 1, "frequency_weight": 0, "gravity_weight": 3},
            "B",
            (R_B + 3 * G_B) / 4,
        ),
    ],
)
def test_weights_change_the_order(weights, first, rfg_first):
    scores = _scores(**weights)
    assert scores.index[0] == first
    assert scores.loc[first, "rfg"] == pytest.approx(rfg_first)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"recency_weight": -1}, "weight for 'recency' is -1"),
        ({"recency_weight": 0, "frequency_weight": 0, "gravity_weight": 0}, "are all 0"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(AnalysisError, match=message):
        _scores(**weights)


def test_offender_priority_combines_rfg_and_network_position():
    scores = _scores()
    network = pd.DataFrame({"betweenness": [0.0, 0.4, 0.2]}, index=["A", "B", "N"])
    ranked = offender_priority(scores, network)
    rfg_a, rfg_b = scores.loc["A", "rfg"], scores.loc["B", "rfg"]
    # Equal weights: half of rfg plus half of betweenness / 0.4. N never offended: rfg 0.
    assert ranked.loc["B", "priority"] == pytest.approx(0.5 * rfg_b + 0.5)
    assert ranked.loc["A", "priority"] == pytest.approx(0.5 * rfg_a)
    assert ranked.loc["N", "priority"] == pytest.approx(0.25)
    assert ranked.loc["N", "betweenness_score"] == pytest.approx(0.5)
    assert ranked.index.tolist() == ["B", "A", "N"]
    assert ranked["rank"].tolist() == [1, 2, 3]
    parts = ranked["rfg_part"] + ranked["betweenness_part"]
    assert parts.tolist() == pytest.approx(ranked["priority"].tolist())
    assert ranked.loc["A", "rfg_rank"] == 1
    assert {"recency_days", "frequency", "gravity"} <= set(ranked.columns)


def test_offender_priority_leaves_out_unweighted_columns():
    network = pd.DataFrame({"betweenness": [0.1, 0.4], "degree": [3, 1]}, index=["A", "B"])
    ranked = offender_priority(_scores(), network, weights={"rfg": 1, "degree": 3})
    assert "betweenness" not in ranked.columns
    assert ranked.loc["A", "degree_part"] == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"rfg": 1, "closeness": 1}, "weight for 'closeness': no such column"),
        ({"rfg": 1, "betweenness": -2}, "weights must be ≥ 0"),
    ],
)
def test_offender_priority_bad_weights(weights, message):
    network = pd.DataFrame({"betweenness": [0.1]}, index=["A"])
    with pytest.raises(AnalysisError, match=message):
        offender_priority(_scores(), network, weights=weights)


def test_offender_priority_needs_the_rfg_column():
    with pytest.raises(AnalysisError, match="no column 'rfg'"):
        offender_priority(pd.DataFrame({"score": [1.0]}), pd.DataFrame({"degree": [1]}))
