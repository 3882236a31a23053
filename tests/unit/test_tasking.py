"""The MARAC list of the tasking pack on a hand-made borough: by count and by risk assessment."""

from __future__ import annotations

import pandas as pd
import pytest

from graphvc.contract import TABLES, empty_table
from graphvc.graph_tables import canonical
from graphvc.reports.tasking import marac_candidates
from graphvc.runs import AnalysisParameters, AnalysisResult, analyse

AS_OF = pd.Timestamp("2025-01-01")

# Domestic abuse by O1 in borough B1 (L1) unless said otherwise:
# V1: I1, I2 and a high DASH after I2: two incidents, but high risk.
# V2: I3, I4, I5 and no assessment: three incidents in 12 months.
# V3: I6 and a medium DASH: neither.
# V4: I7 in B2 (L2) and a high DASH: a candidate of B2, not of B1.
# V5: I8 in 2023 and a high DASH then: more than 12 months before the as-of date.
INCIDENTS = {
    "I1": ("2024-03-01T10:00:00", "L1", "V1"),
    "I2": ("2024-06-01T22:00:00", "L1", "V1"),
    "I3": ("2024-02-01T20:00:00", "L1", "V2"),
    "I4": ("2024-05-01T20:00:00", "L1", "V2"),
    "I5": ("2024-08-01T20:00:00", "L1", "V2"),
    "I6": ("2024-07-01T20:00:00", "L1", "V3"),
    "I7": ("2024-07-01T20:00:00", "L2", "V4"),
    "I8": ("2023-07-01T20:00:00", "L1", "V5"),
}
ASSESSMENTS = [
    ("V1", "I2", "2024-06-02T09:00:00", "DASH", "high"),
    ("V3", "I6", "2024-07-02T09:00:00", "DASH", "medium"),
    ("V4", "I7", "2024-07-02T09:00:00", "DASH", "high"),
    ("V5", "I8", "2023-07-02T09:00:00", "DASH", "high"),
]


@pytest.fixture(scope="module")
def result() -> AnalysisResult:
    people = ["O1", "V1", "V2", "V3", "V4", "V5"]
    tables = {
        "persons": pd.DataFrame(
            {"person_id": people, "age_band": "25-34", "sex": "F", "ethnicity": "NS"}
        ),
        "locations": pd.DataFrame(
            {
                "location_id": ["L1", "L2"],
                "ward_code": ["W1", "W2"],
                "ward_name": ["N", "S"],
                "borough_code": ["B1", "B2"],
                "borough_name": ["North", "South"],
                "latitude": [51.5, 51.4],
                "longitude": [-0.1, -0.2],
            }
        ),
        "incidents": pd.DataFrame(
            {
                "incident_id": list(INCIDENTS),
                "occurred_at": [when for when, _, _ in INCIDENTS.values()],
                "offence": "violence_with_injury",
                "category": "domestic_abuse",
                "weapon": False,
                "alcohol": False,
                "domestic": True,
                "hate": False,
                "harm": 365.0,
                "outcome": "charged",
                "location_id": [place for _, place, _ in INCIDENTS.values()],
            }
        ),
        "involvements": pd.DataFrame(
            [(victim, incident, "victim") for incident, (_, _, victim) in INCIDENTS.items()]
            + [("O1", incident, "offender") for incident in INCIDENTS],
            columns=["person_id", "incident_id", "role"],
        ),
        "risk_assessments": pd.DataFrame(
            ASSESSMENTS, columns=list(TABLES["risk_assessments"].columns)
        ),
        "associations": empty_table("associations"),
    }
    tables = {name: canonical(name, frame) for name, frame in tables.items()}
    return analyse(tables, AnalysisParameters(as_of=AS_OF))


def test_a_high_assessment_makes_a_marac_candidate_whatever_the_count(
    result: AnalysisResult,
) -> None:
    marac = marac_candidates(result, "B1")
    assert marac[["person_id", "domestic_incidents", "high_risk_assessment"]].to_numpy(
        na_value=None
    ).tolist() == [["V2", 3, None], ["V1", 2, "DASH 2024-06-02"]]
    assert marac["reason"].tolist() == [
        "3 domestic-abuse incidents in 12 months",
        "high-risk assessment (DASH 2024-06-02)",
    ]


def test_a_high_assessment_counts_in_the_borough_of_its_incident(result: AnalysisResult) -> None:
    marac = marac_candidates(result, "B2")
    assert marac[["person_id", "domestic_incidents"]].to_numpy().tolist() == [["V4", 1]]


def test_a_borough_without_a_candidate_has_an_empty_list_not_an_error(
    result: AnalysisResult,
) -> None:
    # B3 has no incident and no assessment, as the real City of London had none in the year:
    # a per-person apply over no assessment used to raise "Index(...) must be called with a
    # collection" and stop the whole pack.
    marac = marac_candidates(result, "B3")
    assert marac.empty
    assert list(marac.columns) == [
        "person_id",
        "domestic_incidents",
        "last_at",
        "high_risk_assessment",
        "reason",
    ]
