"""The Spark engine's escalation profile (:func:`graphvc.spark.continuum.escalation_profile`)
against the in-process one (:func:`graphvc.analysis.continuum.escalation_profile`), the
oracle, on the same tables.

Exact but for the sums of floats that Spark adds in another order than pandas: the harm
slope and the diversity index within ``FLOAT_TOLERANCE`` (relative; the two agree to the
last bit on these tables, but need not). A synthetic city of 1,000 incidents, and a small
hand-made one for the edges.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from graphvc.analysis import continuum as inprocess
from graphvc.analysis.events import incident_harm
from graphvc.errors import InputError
from graphvc.spark import continuum
from graphvc.spark.events import spark_table
from graphvc.synth import generate, synthetic_city

#: The relative tolerance of the columns summed as floats in another order.
FLOAT_TOLERANCE = 1e-9
APPROXIMATE = ("diversity_index", "harm_slope")


def _assert_same_profile(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    exact = [c for c in expected.columns if c not in APPROXIMATE]
    pd.testing.assert_frame_equal(got[exact], expected[exact])
    pd.testing.assert_frame_equal(
        got[list(APPROXIMATE)],
        expected[list(APPROXIMATE)],
        check_exact=False,
        rtol=FLOAT_TOLERANCE,
        atol=0,
    )


def test_escalation_profile_is_the_in_process_one(spark: Any) -> None:
    data = generate(1000, seed=11, geography=synthetic_city(11))
    incidents = incident_harm(data.incidents)
    expected = inprocess.escalation_profile(incidents, data.involvements, end="2025-06-01")
    got = continuum.escalation_profile(
        spark_table(spark, incidents), spark_table(spark, data.involvements), end="2025-06-01"
    )
    assert len(expected) > 100
    assert expected["escalated_to_knife_or_gun"].any()
    assert expected["harm_slope"].notna().sum() > 50
    _assert_same_profile(got, expected)


@pytest.fixture(scope="module")
def careers(spark: Any) -> dict[str, Any]:
    """A: other violence, then a knife (escalated), a constant harm (slope 0); B: a knife
    first (not escalated), two incidents at one moment (sequence by id; no time spread: no
    slope); C: one incident (no slope), also a victim elsewhere (not counted); D: offender
    and suspect in one incident (counted once); E: only a victim."""
    incidents = incident_harm(
        pd.DataFrame(
            {
                "incident_id": ["I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8"],
                "occurred_at": [
                    "2023-01-01T10:00",
                    "2023-06-01T00:00",
                    "2024-01-01T00:00",
                    "2024-03-01T12:30",
                    "2024-03-01T12:30",
                    "2024-05-01",
                    "2024-07-01",
                    "2025-01-01",
                ],
                "offence": [
                    "violence_without_injury",
                    "violence_without_injury",
                    "possession_weapon",
                    "possession_weapon",
                    "violence_with_injury",
                    "personal_robbery",
                    "firearm_discharge",
                    "stalking",
                ],
                "harm": [50.0, 50.0, 50.0, None, None, None, None, None],
            }
        )
    )
    involvements = pd.DataFrame(
        {
            "person_id": ["A", "A", "A", "B", "B", "C", "C", "D", "D", "E", "A"],
            "incident_id": ["I1", "I2", "I3", "I5", "I4", "I6", "I1", "I7", "I7", "I8", "I8"],
            "role": [
                "offender",
                "suspect",
                "offender",
                "offender",
                "offender",
                "suspect",
                "victim",
                "offender",
                "suspect",
                "victim",
                "offender",
            ],
        }
    )
    return {
        "pandas": (incidents, involvements),
        "spark": (spark_table(spark, incidents), spark_table(spark, involvements)),
    }


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (None, "2025-01-01"), ("2023-06-01", None), ("2026-01-01", None)],
)
def test_escalation_profile_at_the_edges(
    careers: dict[str, Any], start: str | None, end: str | None
) -> None:
    """The window's bounds (I8 at its end, I2 at its start), and an empty window."""
    expected = inprocess.escalation_profile(*careers["pandas"], start=start, end=end)
    got = continuum.escalation_profile(*careers["spark"], start=start, end=end)
    _assert_same_profile(got, expected)
    if end == "2025-01-01":
        assert got.loc["A", "escalated_to_knife_or_gun"]
        assert got.loc["A", "harm_slope"] == 0.0
        assert not got.loc["B", "escalated_to_knife_or_gun"]
        assert got.loc["B", "sequence"] == ("knife_enabled", "other_violence")
        assert pd.isna(got.loc["B", "harm_slope"]) and pd.isna(got.loc["C", "harm_slope"])
        assert got.loc["D", "incidents"] == 1
        assert "E" not in got.index


def test_escalation_profile_refuses_an_unknown_role(spark: Any, careers: dict[str, Any]) -> None:
    involvements = careers["pandas"][1]
    odd = pd.concat(
        [
            involvements,
            pd.DataFrame({"person_id": ["Z"], "incident_id": ["I1"], "role": ["bystander"]}),
        ]
    )
    with pytest.raises(InputError, match="role 'bystander'"):
        continuum.escalation_profile(careers["spark"][0], spark_table(spark, odd))
