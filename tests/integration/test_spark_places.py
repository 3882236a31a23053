"""The Spark engine's place measures (:mod:`graphvc.spark.places`) against the in-process ones
(:mod:`graphvc.analysis.places`), the oracle, on the same tables: exactly the same frames
(index, columns, dtypes, order, values; the harms are whole days, so the sums are exact),
the Knox test's attributes too.

A synthetic city of 1,000 incidents, and small hand-made tables for the edges: a window's
bounds, an empty window, ties, incidents without a place or coordinates, same-day and
same-place pairs. No database: the tables go to Spark from pandas (``spark_table``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from graphvc.analysis import places as inprocess
from graphvc.analysis.events import incident_harm
from graphvc.errors import AnalysisError
from graphvc.spark import places
from graphvc.spark.events import spark_table
from graphvc.synth import generate, synthetic_city

#: The window of the synthetic tests (the synthetic incidents run from 2023 to 2025).
START, END = "2024-01-01", "2025-01-01"


@pytest.fixture(scope="module")
def city() -> dict[str, pd.DataFrame]:
    """The synthetic city's incidents (filled, as the run holds them), involvements and
    locations."""
    data = generate(1000, seed=11, geography=synthetic_city(11))
    return {
        "incidents": incident_harm(data.incidents),
        "involvements": data.involvements,
        "locations": data.locations,
    }


@pytest.fixture(scope="module")
def spark_city(spark: Any, city: dict[str, pd.DataFrame]) -> dict[str, Any]:
    return {name: spark_table(spark, frame).cache() for name, frame in city.items()}


@pytest.fixture(scope="module")
def corner(spark: Any) -> dict[str, Any]:
    """A hand-made city of edge cases, as pandas tables and as Spark frames.

    L1 and L2 (ward W1) have equal harm in the first half of 2024; L3 (ward W2) has no coordinates; L4 has no ward;
    I9 names a location the table lacks and I10 none. I1 is at the window's start (in), I8
    at its end (out); I2 and I3 are the same day at one place, I4 the same day 55 m away.
    Person A has one incident in each of W1 and W2 (a tie: W2's is later); B one in each
    of W1 and W2 on the same day and time (a tie on both: the lower code, W1); C took part
    only at L4 (no ward); D only outside the window.
    """
    incidents = incident_harm(
        pd.DataFrame(
            {
                "incident_id": [f"I{i}" for i in range(1, 11)],
                "occurred_at": [
                    "2024-01-01T00:00",
                    "2024-02-10T09:00",
                    "2024-02-10T23:59",
                    "2024-02-10T12:00",
                    "2024-03-01T10:00",
                    "2024-03-01T10:00",
                    "2024-04-01T08:00",
                    "2024-07-01T00:00",
                    "2024-05-01T00:00",
                    "2024-05-02T00:00",
                ],
                "offence": ["violence_with_injury"] * 10,
                "harm": [100.0, 50.0, 50.0, 100.0, 30.0, 100.0, 5.0, 999.0, 7.0, 7.0],
                "location_id": ["L1", "L1", "L1", "L2", "L3", "L2", "L4", "L1", "L9", None],
            }
        )
    )
    locations = pd.DataFrame(
        {
            "location_id": ["L1", "L2", "L3", "L4"],
            "name": ["One", "Two", "Three", "Four"],
            "ward_code": ["W1", "W1", "W2", None],
            "ward_name": ["Ward one", "Ward one", "Ward two", None],
            "borough_code": ["B1", "B1", "B1", None],
            "borough_name": ["Brent", "Brent", "Brent", None],
            "latitude": [51.5, 51.5005, np.nan, 51.52],
            "longitude": [-0.1, -0.1, np.nan, -0.1],
        }
    )
    involvements = pd.DataFrame(
        {
            "person_id": ["A", "A", "B", "B", "C", "D", "A"],
            "incident_id": ["I4", "I5", "I6", "I5", "I7", "I8", "I4"],
            "role": ["offender", "victim", "suspect", "witness", "offender", "victim", "suspect"],
        }
    )
    tables = {"incidents": incidents, "locations": locations, "involvements": involvements}
    return {
        "pandas": tables,
        "spark": {name: spark_table(spark, frame) for name, frame in tables.items()},
    }


@pytest.mark.parametrize("level", ["location", "ward", "borough"])
def test_place_harm_is_the_in_process_table(
    city: dict[str, pd.DataFrame], spark_city: dict[str, Any], level: str
) -> None:
    expected = inprocess.place_harm(
        city["incidents"], city["locations"], level=level, start=START, end=END
    )
    got = places.place_harm(
        spark_city["incidents"], spark_city["locations"], level=level, start=START, end=END
    )
    assert len(expected) > 5
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(("as_of", "days"), [("2025-01-01", 365), ("2024-06-15T12:00", 90.5)])
def test_repeat_locations_is_the_in_process_table(
    city: dict[str, pd.DataFrame], spark_city: dict[str, Any], as_of: str, days: float
) -> None:
    expected = inprocess.repeat_locations(
        city["incidents"], city["locations"], as_of=as_of, window_days=days
    )
    got = places.repeat_locations(
        spark_city["incidents"], spark_city["locations"], as_of=as_of, window_days=days
    )
    assert len(expected) > 3
    pd.testing.assert_frame_equal(got, expected)


def test_main_places_are_the_in_process_ones(
    city: dict[str, pd.DataFrame], spark_city: dict[str, Any]
) -> None:
    expected = inprocess.main_places(
        city["incidents"], city["involvements"], city["locations"], start=START, end=END
    )
    got = places.main_places(
        spark_city["incidents"],
        spark_city["involvements"],
        spark_city["locations"],
        start=START,
        end=END,
    )
    assert len(expected) > 100
    pd.testing.assert_frame_equal(got, expected)


def test_knox_test_is_the_in_process_test(
    city: dict[str, pd.DataFrame], spark_city: dict[str, Any]
) -> None:
    """The app's default bands; the same seed, so the same permutations and counts."""
    bands = {"distance_bands": [0, 100, 200, 400], "time_bands": [0, 7, 14, 30, 60]}
    expected = inprocess.knox_test(
        city["incidents"], city["locations"], simulations=9, seed=5, start=START, **bands
    )
    got = places.knox_test(
        spark_city["incidents"],
        spark_city["locations"],
        simulations=9,
        seed=5,
        start=START,
        **bands,
    )
    assert expected["observed"].sum() > 100
    assert expected["simulated_mean"].nunique() > 5  # the permutations do move the dates
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize("level", ["location", "ward", "borough"])
@pytest.mark.parametrize(
    ("start", "end"), [("2024-01-01", "2024-07-01"), ("2025-01-01", "2026-01-01")]
)
def test_place_harm_at_the_edges(corner: dict[str, Any], level: str, start: str, end: str) -> None:
    """The window's bounds (I1 in, I8 out), a tie in harm (L1 and L2: one rank, the lower
    id first), places unknown or without a ward left out; an empty window."""
    tables, frames = corner["pandas"], corner["spark"]
    expected = inprocess.place_harm(
        tables["incidents"], tables["locations"], level=level, start=start, end=end
    )
    got = places.place_harm(
        frames["incidents"], frames["locations"], level=level, start=start, end=end
    )
    pd.testing.assert_frame_equal(got, expected)
    if level == "location" and start == "2024-01-01":
        # Equal harm, one rank; L1 first, with more incidents.
        assert got["rank"].head(2).to_dict() == {"L1": 1, "L2": 1}


def test_place_harm_without_locations(corner: dict[str, Any]) -> None:
    """Locations without a table: no names, and an unknown location (L9) still a place."""
    expected = inprocess.place_harm(corner["pandas"]["incidents"], end="2025-01-01")
    got = places.place_harm(corner["spark"]["incidents"], end="2025-01-01")
    pd.testing.assert_frame_equal(got, expected)
    assert "L9" in got.index


@pytest.mark.parametrize(("as_of", "days"), [("2024-07-01", 182), ("2024-02-10T23:59", 40)])
def test_repeat_locations_at_the_edges(corner: dict[str, Any], as_of: str, days: float) -> None:
    """[as_of - days, as_of): I3 at as_of is out, I1 at the start is in."""
    tables, frames = corner["pandas"], corner["spark"]
    expected = inprocess.repeat_locations(
        tables["incidents"], tables["locations"], as_of=as_of, window_days=days
    )
    got = places.repeat_locations(
        frames["incidents"], frames["locations"], as_of=as_of, window_days=days
    )
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    ("start", "end"), [("2024-01-01", "2024-07-01"), (None, None), ("2025-01-01", None)]
)
def test_main_places_at_the_edges(
    corner: dict[str, Any], start: str | None, end: str | None
) -> None:
    """A's tie goes to the later incident's ward, B's to the lower code; C (no ward) and, in
    the window, D are left out; an empty window."""
    tables, frames = corner["pandas"], corner["spark"]
    expected = inprocess.main_places(
        tables["incidents"], tables["involvements"], tables["locations"], start=start, end=end
    )
    got = places.main_places(
        frames["incidents"], frames["involvements"], frames["locations"], start=start, end=end
    )
    pd.testing.assert_frame_equal(got, expected)
    if start == "2024-01-01":
        assert got["ward_code"].to_dict() == {"A": "W2", "B": "W1"}


@pytest.mark.parametrize("columns", [["location_id", "ward_code"], ["location_id", "name"]])
def test_main_places_without_names_or_wards(corner: dict[str, Any], columns: list[str]) -> None:
    tables, frames = corner["pandas"], corner["spark"]
    expected = inprocess.main_places(
        tables["incidents"], tables["involvements"], tables["locations"][columns]
    )
    got = places.main_places(
        frames["incidents"], frames["involvements"], frames["locations"].select(*columns)
    )
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    ("distance", "days", "start"),
    [
        ([0, 50, 100], [0, 1, 8, float("inf")], None),  # same place, same day, 55 m
        ([10, 60], [1, 30], "2024-02-01"),  # no band for 0 m nor for the same day
        ([0, 100], [0, 7], "2026-01-01"),  # an empty window
    ],
)
def test_knox_test_at_the_edges(
    corner: dict[str, Any], distance: list[float], days: list[float], start: str | None
) -> None:
    """Incidents without a place or coordinates dropped (``attrs``), pairs at one place
    (0 m) and on one day (0 days) in the first bands or in none."""
    tables, frames = corner["pandas"], corner["spark"]
    bands: dict[str, Any] = {"distance_bands": distance, "time_bands": days, "start": start}
    expected = inprocess.knox_test(
        tables["incidents"], tables["locations"], simulations=9, seed=1, **bands
    )
    got = places.knox_test(frames["incidents"], frames["locations"], simulations=9, seed=1, **bands)
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs
    if start is None:
        assert got.attrs["dropped"] == 3  # I5 (L3), I9 (no such location), I10 (none)
        # Every pair of the 6 located incidents at L1 and L2; L4 is 2 km away.
        assert got["observed"].sum() == 15


def test_knox_test_refuses_bad_bands(corner: dict[str, Any]) -> None:
    frames = corner["spark"]
    with pytest.raises(AnalysisError, match=r"distance_bands=\[100, 50\]"):
        places.knox_test(
            frames["incidents"], frames["locations"], distance_bands=[100, 50], time_bands=[0, 7]
        )
