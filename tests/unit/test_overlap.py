"""The five victim–offender overlap classes, with the edges at exactly the cut."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from graphvc.analysis.overlap import OVERLAP_CLASSES, victim_offender_overlap
from graphvc.errors import AnalysisError


def _person(suffered: float | None, caused: float | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Person P victim of an incident of harm ``suffered`` and perpetrator of one of harm
    ``caused`` (None: no such incident), each with another party."""
    incidents, involvements = [], []
    for role, harm, other_role, incident in (
        ("victim", suffered, "offender", "V1"),
        ("offender", caused, "victim", "O1"),
    ):
        if harm is None:
            continue
        incidents.append(
            {
                "incident_id": incident,
                "occurred_at": "2024-06-01",
                "harm": harm,
                "category": "other_violence",
            }
        )
        involvements += [
            {"person_id": "P", "incident_id": incident, "role": role},
            {"person_id": f"other-{incident}", "incident_id": incident, "role": other_role},
        ]
    return pd.DataFrame(incidents), pd.DataFrame(involvements)


@pytest.mark.parametrize(
    ("suffered", "caused", "expected", "ratio"),
    [
        (50, None, "absolute_victim", math.inf),
        (0, None, "absolute_victim", math.nan),  # involvement, not harm, makes a victim
        (None, 40, "absolute_offender", 0.0),
        (7, 2, "predominant_victim", 3.5),  # exactly the cut
        (6.99, 2, "balanced", 3.495),
        (2, 7, "predominant_offender", 2 / 7),  # caused / suffered exactly the cut
        (2, 6.99, "balanced", 2 / 6.99),
        (5, 5, "balanced", 1.0),
        (10, 0, "predominant_victim", math.inf),  # harm caused 0: infinite ratio
        (0, 10, "predominant_offender", 0.0),
        (0, 0, "balanced", math.nan),  # 0 / 0
    ],
)
def test_overlap_classes(suffered, caused, expected, ratio):
    incidents, involvements = _person(suffered, caused)
    overlap = victim_offender_overlap(incidents, involvements, as_of="2025-01-01")
    row = overlap.loc["P"]
    assert row["overlap_class"] == expected
    assert row["harm_suffered"] == (suffered or 0)
    assert row["harm_caused"] == (caused or 0)
    if math.isnan(ratio):
        assert math.isnan(row["ratio"])
    else:
        assert row["ratio"] == pytest.approx(ratio)


def test_counts_window_and_order():
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3", "OLD"],
            "occurred_at": ["2024-01-10", "2024-02-10", "2024-03-10", "2022-12-31"],
            "harm": [700, 200, 10, 5000],
            "category": ["knife_enabled", "other_violence", "other_violence", "gun_enabled"],
        }
    )
    involvements = pd.DataFrame(
        {
            "person_id": ["A", "B", "A", "B", "C", "B", "A"],
            "incident_id": ["I1", "I1", "I2", "I2", "I3", "I3", "OLD"],
            "role": ["victim", "offender", "offender", "victim", "victim", "offender", "victim"],
        }
    )
    # Window [2023-01-02, 2025-01-01): OLD is left out, so A suffered 700 and caused 200.
    overlap = victim_offender_overlap(incidents, involvements, as_of="2025-01-01")
    assert overlap.loc["A", ["victimisations", "offences"]].tolist() == [1, 1]
    assert overlap.loc["B", ["harm_suffered", "harm_caused"]].tolist() == [200.0, 710.0]
    assert overlap["overlap_class"].astype(str).to_dict() == {
        "C": "absolute_victim",
        "A": "predominant_victim",
        "B": "predominant_offender",
    }
    assert list(overlap["overlap_class"].cat.categories) == list(OVERLAP_CLASSES)


def test_a_lower_cut_makes_more_people_predominant():
    incidents, involvements = _person(5, 2)
    overlap = victim_offender_overlap(incidents, involvements, as_of="2025-01-01", cut=2.5)
    assert overlap.loc["P", "overlap_class"] == "predominant_victim"


@pytest.mark.parametrize("cut", [1, 0.5])
def test_cut_must_exceed_one(cut):
    incidents, involvements = _person(5, 2)
    with pytest.raises(AnalysisError, match=f"cut={cut!r} must be greater than 1"):
        victim_offender_overlap(incidents, involvements, as_of="2025-01-01", cut=cut)
