"""A broker recorded as three people, for the tests of confirmed identities.

Three groups of three offenders (A, B, C), each one incident; the broker's records X1, X2 and
X3 each offend once with one group (X1 with a1, X2 with b1, X3 with c1): three leaves. Beside
them a bridge Y offends with d1 and with e1, between groups D and E. As recorded, Y has the
highest betweenness (9 pairs pass through it; d1 and e1 8 each; a1 2); with X1, X2 and X3
confirmed as one person X, 27 pairs between the groups A, B and C pass through X: X is first.
Victims V1 and V2 (one victim, two records) are each harmed once: one repeat victim once they
are one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from graphvc.contract import empty_table

AS_OF = pd.Timestamp("2025-01-01")
BROKER = ("X1", "X2", "X3")
VICTIM = ("V1", "V2")

_INCIDENTS = {
    # incident: (offenders, victims)
    "IA": (["a1", "a2", "a3"], []),
    "IB": (["b1", "b2", "b3"], []),
    "IC": (["c1", "c2", "c3"], []),
    "ID": (["d1", "d2", "d3"], []),
    "IE": (["e1", "e2", "e3"], []),
    "IXA": (["X1", "a1"], ["V1"]),
    "IXB": (["X2", "b1"], ["V2"]),
    "IXC": (["X3", "c1"], []),
    "IYD": (["Y", "d1"], []),
    "IYE": (["Y", "e1"], []),
}


def broker_tables() -> dict[str, pd.DataFrame]:
    """The contract's tables of the broker's graph (no associations, no risk assessments)."""
    rows = [
        (person, incident, role)
        for incident, (offenders, victims) in _INCIDENTS.items()
        for role, people in (("offender", offenders), ("victim", victims))
        for person in people
    ]
    involvements = pd.DataFrame(rows, columns=["person_id", "incident_id", "role"])
    people = sorted(set(involvements["person_id"]))
    dates = pd.date_range("2024-03-01", periods=len(_INCIDENTS), freq="7D")
    incidents = pd.DataFrame(
        {
            "incident_id": list(_INCIDENTS),
            "occurred_at": dates.strftime("%Y-%m-%dT21:00:00"),
            "offence": "violence_with_injury",
            "weapon": False,
            "alcohol": False,
            "domestic": False,
            "hate": False,
            "outcome": "charged",
            "location_id": "L1",
        }
    )
    locations = pd.DataFrame(
        {
            "location_id": ["L1"],
            "name": ["On or near High Street"],
            "latitude": [51.52],
            "longitude": [-0.1],
        }
    )
    tables = {
        "persons": pd.DataFrame({"person_id": people, "name": [f"Synthetic {p}" for p in people]}),
        "incidents": incidents,
        "involvements": involvements,
        "locations": locations,
        "associations": empty_table("associations"),
        "risk_assessments": empty_table("risk_assessments"),
    }
    return {
        name: frame.reindex(columns=empty_table(name).columns) for name, frame in tables.items()
    }


def write_broker_folder(folder: Path) -> Path:
    """The broker's tables as a folder of CSV files ``graphvc load`` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in broker_tables().items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder
