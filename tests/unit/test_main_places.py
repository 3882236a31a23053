"""Each person's main place (graphvc.analysis.places.main_places): most incidents, then the
latest, then the lower ward code; only the window counts."""

import pandas as pd

from graphvc.analysis.places import main_places

INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["I1", "I2", "I3", "I4"],
        "occurred_at": ["2024-01-05", "2024-03-01", "2024-02-01", "2023-01-01"],
        "offence": ["personal_robbery"] * 4,
        "location_id": ["L1", "L2", "L3", "L3"],
    }
)
LOCATIONS = pd.DataFrame(
    {
        "location_id": ["L1", "L2", "L3"],
        "ward_code": ["W1", "W2", None],
        "ward_name": ["One", "Two", None],
        "borough_code": ["B1", "B2", None],
        "borough_name": ["Brent", "Camden", None],
    }
)


def _involved(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"person_id": p, "incident_id": i, "role": "offender"} for p, i in pairs])


def test_a_tie_goes_to_the_latest_incidents_ward() -> None:
    found = main_places(INCIDENTS, _involved(("A", "I1"), ("A", "I2")), LOCATIONS)
    assert found.loc["A", "ward_name"] == "Two" and found.loc["A", "borough_name"] == "Camden"


def test_only_the_window_counts_and_no_ward_is_no_place() -> None:
    involved = _involved(("A", "I1"), ("A", "I2"), ("B", "I3"), ("B", "I4"))
    found = main_places(INCIDENTS, involved, LOCATIONS, start="2024-01-01", end="2024-02-15")
    assert found.to_dict("index") == {
        "A": {"ward_code": "W1", "ward_name": "One", "borough_code": "B1", "borough_name": "Brent"}
    }
