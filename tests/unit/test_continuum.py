"""The continuum of violence: sequences, transitions, diversity, harm slope, escalation."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from graphvc.analysis.continuum import (
    category_sequences,
    diversity_index,
    escalated_to_knife_or_gun,
    escalation_profile,
    harm_slope,
    transition_matrix,
)
from graphvc.errors import AnalysisError

# A: other_violence -> knife (I2 and I3 at the same moment, in id order) -> gun.
# B: robbery -> other_violence -> knife.  C: a knife first, then other_violence.
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["I1", "I3", "I2", "I4", "B1", "B2", "B3", "C1", "C2"],
        "occurred_at": [
            "2023-01-01",
            "2023-06-01T20:00",
            "2023-06-01T20:00",
            "2024-01-01",
            "2023-02-01",
            "2023-03-01",
            "2023-04-01",
            "2023-01-01",
            "2023-05-01",
        ],
        "offence": [
            "violence_without_injury",
            "possession_weapon",
            "possession_weapon",
            "firearm_discharge",
            "personal_robbery",
            "violence_with_injury",
            "possession_weapon",
            "possession_weapon",
            "violence_without_injury",
        ],
    }
)
INVOLVEMENTS = pd.DataFrame(
    {
        "person_id": ["A", "A", "A", "A", "B", "B", "B", "C", "C"],
        "incident_id": ["I1", "I2", "I3", "I4", "B1", "B2", "B3", "C1", "C2"],
        "role": ["offender"] * 9,
    }
)


@pytest.fixture(scope="module")
def sequences() -> pd.DataFrame:
    return category_sequences(INCIDENTS, INVOLVEMENTS)


def test_sequences_are_in_time_then_id_order(sequences):
    assert sequences.loc["A", "sequence"] == (
        "other_violence",
        "knife_enabled",
        "knife_enabled",
        "gun_enabled",
    )
    assert sequences.loc["B", "sequence"] == ("personal_robbery", "other_violence", "knife_enabled")
    assert sequences["incidents"].to_dict() == {"A": 4, "B": 3, "C": 2}


def test_transition_counts_for_everyone(sequences):
    matrix = transition_matrix(sequences)
    # A: other->knife, knife->knife, knife->gun; B: robbery->other, other->knife; C: knife->other.
    assert int(matrix.to_numpy().sum()) == 6
    assert matrix.loc["other_violence", "knife_enabled"] == 2
    assert matrix.loc["knife_enabled", "knife_enabled"] == 1
    assert matrix.loc["knife_enabled", "gun_enabled"] == 1
    assert matrix.loc["personal_robbery", "other_violence"] == 1
    assert matrix.loc["knife_enabled", "other_violence"] == 1
    assert matrix.shape == (8, 8)
    assert (matrix.index.name, matrix.columns.name) == ("from", "to")


@pytest.mark.parametrize(
    ("people", "total"),
    [("A", 3), (["B"], 2), ({"A", "C"}, 4), (nx.Graph([("B", "Z")]), 2), ([], 0)],
)
def test_transition_counts_for_a_person_a_set_or_a_network(sequences, people, total):
    assert int(transition_matrix(sequences, people=people).to_numpy().sum()) == total


def test_transition_probabilities_by_row(sequences):
    matrix = transition_matrix(sequences, people=["A", "C"], normalize=True)
    # Out of knife: knife (A), gun (A), other (C): a third each.
    knife = matrix.loc["knife_enabled"]
    assert knife[["knife_enabled", "gun_enabled", "other_violence"]].tolist() == pytest.approx(
        [1 / 3] * 3
    )
    assert matrix.loc["other_violence", "knife_enabled"] == 1.0
    assert matrix.loc["hate_crime"].isna().all()


def test_unknown_category_in_a_sequence_is_named():
    with pytest.raises(AnalysisError, match="person 'X': category 'arson'"):
        transition_matrix(pd.Series({"X": ("arson", "hate_crime")}))


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        (["knife_enabled"], 0.0),
        (["knife_enabled", "knife_enabled", "knife_enabled"], 0.0),
        (["knife_enabled", "gun_enabled"], 0.5),
        (["knife_enabled", "knife_enabled", "gun_enabled", "hate_crime"], 0.625),
        (["knife_enabled", "gun_enabled", "hate_crime"], 2 / 3),
    ],
)
def test_diversity_index_is_gini_simpson(categories, expected):
    assert diversity_index(categories) == pytest.approx(expected)


def test_diversity_of_nothing_is_nan():
    assert math.isnan(diversity_index([]))


@pytest.mark.parametrize(
    ("harm", "slope"),
    [
        # t = 0, 1, 2 years: Σ(t-1)(h-h̄) / Σ(t-1)² = (20 + 30) / 2.
        ([10, 20, 60], 25.0),
        ([60, 20, 10], -25.0),
        ([5, 5, 5], 0.0),
    ],
)
def test_harm_slope_per_year(harm, slope):
    # 365.25 days apart: 2023-01-01 00:00, 2024-01-01 06:00, 2024-12-31 12:00.
    times = ["2023-01-01T00:00", "2024-01-01T06:00", "2024-12-31T12:00"]
    assert harm_slope(times, harm) == pytest.approx(slope)


@pytest.mark.parametrize(
    ("times", "harm"),
    [(["2024-01-01"], [10]), (["2024-01-01", "2024-01-01"], [10, 20]), ([], [])],
)
def test_harm_slope_is_nan_without_a_spread_in_time(times, harm):
    assert math.isnan(harm_slope(times, harm))


@pytest.mark.parametrize(
    ("categories", "times", "escalated"),
    [
        (["other_violence", "knife_enabled"], ["2024-01-01", "2024-02-01"], True),
        (
            ["personal_robbery", "hate_crime", "gun_enabled"],
            ["2024-01", "2024-02", "2024-03"],
            True,
        ),
        (["knife_enabled", "other_violence"], ["2024-01-01", "2024-02-01"], False),
        (["other_violence", "hate_crime"], ["2024-01-01", "2024-02-01"], False),
        (["knife_enabled"], ["2024-01-01"], False),
        # Same moment: the other incident is not earlier than the knife one.
        (["other_violence", "knife_enabled"], ["2024-01-01", "2024-01-01"], False),
    ],
)
def test_escalation_to_knife_or_gun(categories, times, escalated):
    assert escalated_to_knife_or_gun(categories, times) is escalated


def test_escalation_profile_by_hand():
    profile = escalation_profile(INCIDENTS, INVOLVEMENTS)
    assert profile.index.tolist() == ["A", "B", "C"]
    assert profile["escalated_to_knife_or_gun"].to_dict() == {"A": True, "B": True, "C": False}
    assert profile.loc["A", "first_knife_or_gun_at"] == pd.Timestamp("2023-06-01T20:00")
    assert profile["category_changes"].to_dict() == {"A": 2, "B": 2, "C": 1}
    assert profile["distinct_categories"].to_dict() == {"A": 3, "B": 3, "C": 2}
    # A: other (1), knife (2), gun (1) of 4: 1 - (1/16 + 4/16 + 1/16).
    assert profile.loc["A", "diversity_index"] == pytest.approx(0.625)
    # A's harm: 10 + 274 + 274 + 1825.
    assert profile.loc["A", "harm"] == 2383.0
    # C: 274 then 10, 120 days later: a fall of 264 over 120 / 365.25 years.
    assert profile.loc["C", "harm_slope"] == pytest.approx(-264 / (120 / 365.25))
