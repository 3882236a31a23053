"""The victim-side table measures in Spark (:mod:`graphvc.spark.victims`) against the
in-process ones on the same tables: the same index, columns, dtypes, rows and values.

Exact, but for ``harm_share`` of the repeat victims where harms have fractions (its total is
summed pairwise by numpy, in order by Spark): within ``SHARE_TOLERANCE``. The oracle is each
in-process function on the pandas tables (the incidents filled by ``incident_harm``); the
Spark side reads the same tables through ``spark_table``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from graphvc.analysis import overlap, priority
from graphvc.analysis import repeat_victims as repeats
from graphvc.analysis.events import incident_harm
from graphvc.errors import AnalysisError
from graphvc.spark import victims
from graphvc.spark.events import filled_incidents, spark_table
from graphvc.synth import generate, synthetic_city

#: harm_share's relative tolerance where harms have fractions (numpy's pairwise total).
SHARE_TOLERANCE = 1e-12


def _tables(spark: Any, incidents: pd.DataFrame, involvements: pd.DataFrame) -> dict[str, Any]:
    filled = incident_harm(incidents)
    return {
        "pandas": (filled, involvements),
        "spark": (
            spark_table(spark, filled).cache(),
            spark_table(spark, involvements).cache(),
        ),
    }


@pytest.fixture(scope="module")
def city(spark: Any) -> dict[str, Any]:
    """The synthetic city of 1,000 incidents (domestic abuse and repeat victims planted)."""
    data = generate(1000, seed=11, geography=synthetic_city(11))
    return _tables(spark, data.incidents, data.involvements)


def _incident(
    incident_id: str, at: str, harm: float, *, domestic: bool = False
) -> dict[str, object]:
    return {
        "incident_id": incident_id,
        "occurred_at": at,
        "offence": "violence_with_injury",
        "category": "other_violence",
        "harm": harm,
        "domestic": domestic,
    }


#: Hand-made incidents: with as_of 2025-01-01 and 365 days, I1 is at the window's start
#: (in) and I9 at as_of (out); I1 and I2 at one moment; fractional harms whose sums depend on
#: their order (0.1 + 0.2 + 0.3); a harmless incident (I6); domestic incidents 365 days apart
#: (a repeat) then 366 (not), and two at one moment (a gap of 0).
EDGES_INCIDENTS = pd.DataFrame(
    [
        _incident("I1", "2024-01-02T00:00:00", 0.1),
        _incident("I2", "2024-01-02T00:00:00", 0.2),
        _incident("I3", "2024-03-01T10:00:00", 0.3),
        _incident("I4", "2022-06-01T00:00:00", 182.0, domestic=True),
        _incident("I5", "2023-06-01T00:00:00", 182.0, domestic=True),
        _incident("I6", "2024-05-05T05:05:05", 0.0),
        _incident("I7", "2024-06-01T00:00:00", 10.5, domestic=True),
        _incident("I8", "2024-07-07T07:07:00", 365.0),
        _incident("I9", "2025-01-01T00:00:00", 1825.0),
        _incident("J1", "2024-09-09T09:09:00", 28.25, domestic=True),
        _incident("J2", "2024-09-09T09:09:00", 28.5, domestic=True),
    ]
)

_ROLES = [
    # A is victim and offender (offender and suspect in I2: counted once); B the reverse.
    ("A", "I1", "victim"),
    ("B", "I1", "offender"),
    ("A", "I2", "offender"),
    ("A", "I2", "suspect"),
    ("B", "I2", "victim"),
    ("A", "I3", "victim"),
    # K suffers 0.1 + 0.2 + 0.3: 0.6000000000000001 summed in order, 0.6 compensated.
    ("K", "I1", "victim"),
    ("K", "I2", "victim"),
    ("K", "I3", "victim"),
    # C a harmless victim only; D victim and offender of one harmless incident (0 / 0).
    ("C", "I6", "victim"),
    ("D", "I6", "offender"),
    ("X", "I6", "victim"),
    ("D", "I6", "victim"),
    # E and F: the same offences, so the same RFG (a tie); G offends at as_of (out).
    ("E", "I8", "offender"),
    ("F", "I8", "suspect"),
    ("A", "I8", "victim"),
    ("G", "I9", "offender"),
    ("E", "I9", "victim"),
    # The domestic pair V, P (V also a suspect in I4: not paired with themself).
    ("V", "I4", "victim"),
    ("V", "I4", "suspect"),
    ("P", "I4", "offender"),
    ("V", "I5", "victim"),
    ("P", "I5", "suspect"),
    ("V", "I7", "victim"),
    ("P", "I7", "offender"),
    ("W", "J1", "victim"),
    ("Q", "J1", "offender"),
    ("W", "J2", "victim"),
    ("Q", "J2", "offender"),
]
EDGES_INVOLVEMENTS = pd.DataFrame(_ROLES, columns=["person_id", "incident_id", "role"]).astype(
    "str"
)


@pytest.fixture(scope="module")
def edges(spark: Any) -> dict[str, Any]:
    return _tables(spark, EDGES_INCIDENTS, EDGES_INVOLVEMENTS)


def _both(tables: dict[str, Any], name: str, module: Any, **options: Any) -> tuple[Any, Any]:
    """``name`` run by the Spark engine and in process on ``tables``, with ``options``."""
    return (
        getattr(victims, name)(*tables["spark"], **options),
        getattr(module, name)(*tables["pandas"], **options),
    )


def _same(spark_result: pd.DataFrame, inprocess: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(spark_result, inprocess, check_exact=True)


def _check_all(tables: dict[str, Any], as_of: str, window_days: float) -> dict[str, Any]:
    """Every measure in both engines at ``as_of`` and ``window_days``: the in-process
    results, once each is asserted the same as Spark's."""
    found, expected = _both(tables, "absolute_victims", overlap, end=as_of)
    pd.testing.assert_index_equal(found, expected, exact=True)
    results: dict[str, Any] = {"absolute_victims": expected}
    for name, module, options in (
        ("victim_offender_overlap", overlap, {"window_days": window_days, "cut": 3.5}),
        ("rfg_scores", priority, {"window_days": window_days}),
        ("repeat_victims", repeats, {"window_days": window_days}),
    ):
        found, expected = _both(tables, name, module, as_of=as_of, **options)
        if name == "repeat_victims":
            pd.testing.assert_series_equal(
                found.pop("harm_share"),
                expected["harm_share"],
                check_exact=False,
                rtol=SHARE_TOLERANCE,
                atol=0,
            )
            _same(found, expected.drop(columns="harm_share"))
        else:
            _same(found, expected)
        results[name] = expected
    found, expected = _both(tables, "domestic_repeats", repeats, end=as_of)
    _same(found, expected)
    results["domestic_repeats"] = expected
    return results


@pytest.mark.parametrize(
    ("as_of", "window_days"), [("2025-06-01", 730), ("2024-07-15T12:30:00+00:00", 90.5)]
)
def test_the_synthetic_city_the_same_in_both_engines(
    city: dict[str, Any], as_of: str, window_days: float
) -> None:
    results = _check_all(city, as_of, window_days)
    # Not trivially equal: every table has rows, and the city's planted domestic pairs repeat.
    assert all(len(table) for table in results.values()), {
        name: len(table) for name, table in results.items()
    }


def test_the_edges_the_same_in_both_engines(edges: dict[str, Any]) -> None:
    results = _check_all(edges, "2025-01-01", 365)
    overlapping = results["victim_offender_overlap"]
    # I1 at the window's start is in, I9 at as_of out: G never offended in the window.
    assert "G" not in overlapping.index and overlapping.loc["A", "victimisations"] == 3
    assert pd.isna(overlapping.loc["D", "ratio"])
    assert overlapping.loc["D", "overlap_class"] == "balanced"
    rfg = results["rfg_scores"]
    assert rfg.loc["E", "rank"] == rfg.loc["F", "rank"]  # a tie shares the best rank
    # The sum compensated as pandas sums it, not 0.6000000000000001.
    assert results["repeat_victims"].loc["K", "harm"] == 0.6
    domestic = results["domestic_repeats"].set_index("victim_id")
    # V and P: 365 days apart (a repeat), then 366 (not).
    pair = domestic.loc["V"]
    assert (pair["incidents"], pair["repeats"], pair["min_gap_days"]) == (3, 1, 365.0)
    assert domestic.loc["W", "min_gap_days"] == 0.0


def test_an_empty_window_gives_empty_tables_of_the_same_types(edges: dict[str, Any]) -> None:
    results = _check_all(edges, "2020-01-01", 30)
    assert not any(len(table) for table in results.values())


def test_options_checked_as_in_process(edges: dict[str, Any]) -> None:
    incidents, involvements = edges["spark"]
    with pytest.raises(AnalysisError, match="cut=1"):
        victims.victim_offender_overlap(incidents, involvements, as_of="2025-01-01", cut=1)
    with pytest.raises(AnalysisError, match="min_count=1"):
        victims.repeat_victims(incidents, involvements, as_of="2025-01-01", min_count=1)
    with pytest.raises(AnalysisError, match="window_days=0"):
        victims.domestic_repeats(incidents, involvements, window_days=0)
    with pytest.raises(AnalysisError, match="role 'victims' is not one of"):
        victims.rfg_scores(incidents, involvements, as_of="2025-01-01", roles=["victims"])
    with pytest.raises(AnalysisError, match="are all 0"):
        victims.rfg_scores(
            incidents,
            involvements,
            as_of="2025-01-01",
            recency_weight=0,
            frequency_weight=0,
            gravity_weight=0,
        )


def test_incidents_filled_by_spark_read_as_filled_in_process(spark: Any) -> None:
    """The lead's way in: the incidents filled in Spark (``filled_incidents``), I8's harm
    and category left empty for the harm table to fill, as the in-process engine fills them."""
    missing = EDGES_INCIDENTS["incident_id"] == "I8"
    raw = EDGES_INCIDENTS.assign(
        occurred_at=pd.to_datetime(EDGES_INCIDENTS["occurred_at"]),
        harm=EDGES_INCIDENTS["harm"].mask(missing),
        category=EDGES_INCIDENTS["category"].mask(missing),
    )
    incidents = filled_incidents(spark_table(spark, raw))
    involvements = spark_table(spark, EDGES_INVOLVEMENTS)
    options = {"as_of": "2025-01-01", "window_days": 365}
    found = victims.victim_offender_overlap(incidents, involvements, **options)
    expected = overlap.victim_offender_overlap(raw, EDGES_INVOLVEMENTS, **options)
    _same(found, expected)
    assert expected.loc["E", "harm_caused"] == 365.0  # I8's harm, from the harm table
