"""Repeat victimisation on a hand-worked table of six victimisations."""

from __future__ import annotations

import pandas as pd
import pytest

from graphvc.analysis.repeat_victims import (
    domestic_repeats,
    repeat_victimisation,
    repeat_victims,
    time_to_repeat,
)
from graphvc.errors import AnalysisError

# Every incident is violence_with_injury: 365 harm days.
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["I1", "I2", "I3", "I4", "I5", "I6"],
        "occurred_at": [
            "2024-01-01",
            "2024-01-11T12:00:00",
            "2024-03-01",
            "2024-04-01",
            "2023-06-01",
            "2024-06-01",
        ],
        "offence": ["violence_with_injury"] * 6,
    }
)
INVOLVEMENTS = pd.DataFrame(
    {
        "person_id": ["V1", "V1", "V1", "V2", "V3", "V3", "P"],
        "incident_id": ["I1", "I2", "I3", "I4", "I5", "I6", "I1"],
        "role": ["victim"] * 6 + ["offender"],
    }
)


def test_prevalence_incidence_concentration_by_hand():
    figures = repeat_victimisation(INCIDENTS, INVOLVEMENTS, population=50)
    # 3 victims, 6 victimisations; V1 (3) and V3 (2) are repeat victims with 5 of the 6.
    assert figures["victims"] == 3
    assert figures["victimisations"] == 6
    assert figures["repeat_victims"] == 2
    assert figures["repeat_victimisations"] == 5
    assert figures["prevalence"] == pytest.approx(3 / 50)
    assert figures["incidence"] == pytest.approx(6 / 50)
    assert figures["concentration"] == pytest.approx(2.0)
    assert figures["repeat_share"] == pytest.approx(5 / 6)


def test_without_population_prevalence_and_incidence_are_counts():
    figures = repeat_victimisation(INCIDENTS, INVOLVEMENTS)
    assert (figures["prevalence"], figures["incidence"]) == (3, 6)


def test_window_leaves_out_earlier_victimisations():
    figures = repeat_victimisation(INCIDENTS, INVOLVEMENTS, start="2024-01-01")
    # I5 (2023) drops out, so V3 has one victimisation and only V1 is a repeat victim.
    assert (figures["victims"], figures["repeat_victims"]) == (3, 1)
    assert figures["repeat_share"] == pytest.approx(3 / 5)


def test_no_victims_gives_nan_not_an_error():
    figures = repeat_victimisation(INCIDENTS, INVOLVEMENTS, start="2030-01-01")
    assert figures["victims"] == 0
    assert figures["concentration"] != figures["concentration"]  # NaN


def test_population_must_be_positive():
    with pytest.raises(AnalysisError, match="population=0"):
        repeat_victimisation(INCIDENTS, INVOLVEMENTS, population=0)


def test_time_to_repeat_days_by_hand():
    gaps = time_to_repeat(INCIDENTS, INVOLVEMENTS)
    columns = ["person_id", "victimisation", "previous_incident_id", "incident_id"]
    assert gaps[columns].to_numpy().tolist() == [
        ["V1", 2, "I1", "I2"],
        ["V1", 3, "I2", "I3"],
        ["V3", 2, "I5", "I6"],
    ]
    # 10.5 days; 20.5 to 1 Feb plus 29 days of February 2024; a leap year of 366 days.
    assert gaps["days"].tolist() == pytest.approx([10.5, 49.5, 366.0])


@pytest.mark.parametrize(
    ("as_of", "window_days", "expected"),
    [
        # [2023-06-02, 2024-06-01): I5 is before the window, I6 is at as_of (excluded).
        ("2024-06-01", 365, {"V1": 3}),
        ("2024-06-02", 367, {"V1": 3, "V3": 2}),
        ("2024-02-01", 365, {"V1": 2}),
    ],
)
def test_repeat_victims_in_rolling_window(as_of, window_days, expected):
    table = repeat_victims(INCIDENTS, INVOLVEMENTS, as_of=as_of, window_days=window_days)
    assert table["victimisations"].to_dict() == expected


def test_repeat_victims_columns_by_hand():
    table = repeat_victims(INCIDENTS, INVOLVEMENTS, as_of="2024-06-01", min_count=3)
    row = table.loc["V1"]
    assert row["harm"] == 3 * 365.0
    assert (row["first_at"], row["last_at"]) == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-03-01"),
    )
    # All victim harm in the window: V1 3 × 365 and V2 365.
    assert row["harm_share"] == pytest.approx(0.75)


def test_repeat_victims_min_count_below_two_is_refused():
    with pytest.raises(AnalysisError, match="min_count=1"):
        repeat_victims(INCIDENTS, INVOLVEMENTS, as_of="2024-06-01", min_count=1)


def _pair_incidents(gap_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Victim X and perpetrator P in two domestic incidents ``gap_days`` apart."""
    second = pd.Timestamp("2023-01-01") + pd.Timedelta(days=gap_days)
    incidents = pd.DataFrame(
        {
            "incident_id": ["D1", "D2"],
            "occurred_at": ["2023-01-01", second.isoformat()],
            "offence": ["violence_without_injury", "stalking"],
            "domestic": ["true", "false"],  # D2 is domestic by its category (stalking).
        }
    )
    involvements = pd.DataFrame(
        {
            "person_id": ["X", "P", "X", "P"],
            "incident_id": ["D1", "D1", "D2", "D2"],
            "role": ["victim", "offender", "victim", "suspect"],
        }
    )
    return incidents, involvements


@pytest.mark.parametrize(
    ("gap_days", "is_repeat"), [(1, True), (364, True), (365, True), (366, False)]
)
def test_domestic_repeat_within_365_days(gap_days, is_repeat):
    pairs = domestic_repeats(*_pair_incidents(gap_days))
    if is_repeat:
        columns = ["victim_id", "perpetrator_id", "incidents", "repeats"]
        assert pairs[columns].to_numpy().tolist() == [["X", "P", 2, 1]]
        assert pairs.loc[0, "min_gap_days"] == gap_days
    else:
        assert pairs.empty


def test_domestic_repeats_by_hand():
    incidents = pd.DataFrame(
        {
            "incident_id": ["D1", "G1", "D2", "D3", "E1", "E2", "S1", "S2"],
            "occurred_at": [
                "2023-01-01",
                "2023-02-01",
                "2023-12-31",
                "2025-01-02",
                "2023-01-01",
                "2023-03-01",
                "2023-01-01",
                "2023-01-02",
            ],
            "offence": ["violence_without_injury"] * 8,
            "domestic": [True, False, True, True, True, True, True, True],
        }
    )
    # Each incident has a victim then an offender: X/P, Y/Q, and S in both roles.
    involvements = pd.DataFrame(
        {
            "person_id": [*"XPXPXPXP", *"YQYQ", *"SSSS"],
            "incident_id": [
                incident
                for incident in ("D1", "G1", "D2", "D3", "E1", "E2", "S1", "S2")
                for _ in range(2)
            ],
            "role": ["victim", "offender"] * 8,
        }
    )
    pairs = domestic_repeats(incidents, involvements)
    # (X, P): D1 -> D2 is 364 days (a repeat), D2 -> D3 is 368 days (not); G1 is not domestic.
    # (Y, Q): 59 days. S is never paired with themself.
    columns = ["victim_id", "perpetrator_id", "incidents", "repeats", "min_gap_days"]
    assert pairs[columns].to_numpy().tolist() == [["Y", "Q", 2, 1, 59.0], ["X", "P", 3, 1, 364.0]]
    x_p = pairs.set_index("victim_id").loc["X"]
    assert (x_p["first_at"], x_p["last_at"]) == (
        pd.Timestamp("2023-01-01"),
        pd.Timestamp("2025-01-02"),
    )
    assert x_p["harm"] == 30.0
