"""Dangerous places: harm by place, repeat locations and the Knox test, counted by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from graphvc.analysis.events import incident_harm
from graphvc.analysis.places import knox_test, place_harm, repeat_locations
from graphvc.contract import EARTH_RADIUS_M
from graphvc.errors import AnalysisError


def _north_of(metres: float) -> float:
    """The latitude ``metres`` north of 51.5° on the same meridian."""
    return 51.5 + math.degrees(metres / EARTH_RADIUS_M)


# Points on one meridian, 0, 100, 260 and 1,000 metres north of the first.
LOCATIONS = pd.DataFrame(
    {
        "location_id": ["P0", "P1", "P2", "P3", "NOWHERE"],
        "name": ["Corner", "Shop", "Park", "Station", "Unknown"],
        "ward_code": ["W1", "W1", "W2", "W2", "W2"],
        "latitude": [_north_of(0), _north_of(100), _north_of(260), _north_of(1000), None],
        "longitude": [-0.1, -0.1, -0.1, -0.1, None],
    }
)
# Days from 2024-01-01: a 0, b 3, c 5, d 20, e 1.
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["a", "b", "c", "d", "e"],
        "occurred_at": ["2024-01-01", "2024-01-04", "2024-01-06", "2024-01-21", "2024-01-02"],
        "offence": ["violence_with_injury"] * 5,
        "location_id": ["P0", "P0", "P1", "P2", "P3"],
    }
)
DISTANCES = [0, 1, 150, 300]
DAYS = [0, 7, 30]


def test_knox_counts_every_pair_in_its_band():
    knox = knox_test(INCIDENTS, LOCATIONS, distance_bands=DISTANCES, time_bands=DAYS)
    # Pairs within 300 m: a-b (0 m, 3 d), a-c (100 m, 5 d), b-c (100 m, 2 d),
    # a-d (260 m, 20 d), b-d (260 m, 17 d), c-d (160 m, 15 d); e is 740 m or more away.
    observed = knox.set_index(["distance_from_m", "days_from"])["observed"]
    assert observed.to_dict() == {
        (0.0, 0.0): 1,
        (0.0, 7.0): 0,
        (1.0, 0.0): 2,
        (1.0, 7.0): 0,
        (150.0, 0.0): 0,
        (150.0, 7.0): 3,
    }
    assert knox[["distance_to_m", "days_to"]].iloc[0].tolist() == [1.0, 7.0]
    assert knox.attrs["incidents"] == 5


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        # [0, 3) holds b-c (2 days) only: a-b at exactly 3 days falls in [3, 30).
        ([0, 3, 30], [0, 1, 1, 1, 0, 3]),
        ([0, 2, 30], [0, 1, 0, 2, 0, 3]),
        ([0, 7, np.inf], [1, 0, 2, 0, 0, 3]),
    ],
)
def test_time_bands_are_half_open(days, expected):
    knox = knox_test(INCIDENTS, LOCATIONS, distance_bands=DISTANCES, time_bands=days)
    assert knox["observed"].tolist() == expected


def test_distance_bands_are_half_open():
    # [1, 150) leaves out a-b (0 m, below 1) and c-d (160 m): a-c and b-c remain.
    knox = knox_test(INCIDENTS, LOCATIONS, distance_bands=[1, 150], time_bands=[0, 30])
    assert knox["observed"].tolist() == [2]


def test_time_distance_is_whole_calendar_days():
    incidents = pd.DataFrame(
        {
            "incident_id": ["late", "early"],
            "occurred_at": ["2024-01-01T23:00", "2024-01-02T01:00"],
            "offence": ["violence_with_injury"] * 2,
            "location_id": ["P0", "P0"],
        }
    )
    knox = knox_test(incidents, LOCATIONS, distance_bands=[0, 1], time_bands=[0, 1, 2])
    assert knox["observed"].tolist() == [0, 1]


def test_p_value_when_permutations_cannot_change_anything():
    # All on one day: every permutation gives the observed counts, so all 99 simulations
    # are >= observed and p = (99 + 1) / (99 + 1) = 1; the ratio is 1 (or 0/0 = NaN).
    incidents = INCIDENTS.assign(occurred_at="2024-01-01")
    knox = knox_test(incidents, LOCATIONS, distance_bands=DISTANCES, time_bands=DAYS)
    assert knox["simulations_ge"].tolist() == [99] * 6
    assert knox["p_value"].tolist() == [1.0] * 6
    assert knox.loc[knox["observed"] > 0, "knox_ratio"].tolist() == [1.0, 1.0, 1.0]
    assert knox.loc[knox["observed"] == 0, "knox_ratio"].isna().all()


def test_p_value_formula_and_seed():
    first = knox_test(INCIDENTS, LOCATIONS, distance_bands=DISTANCES, time_bands=DAYS, seed=7)
    again = knox_test(INCIDENTS, LOCATIONS, distance_bands=DISTANCES, time_bands=DAYS, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert first["p_value"].tolist() == pytest.approx(
        ((first["simulations_ge"] + 1) / 100).tolist()
    )
    assert first["knox_ratio"].tolist() == pytest.approx(
        (first["observed"] / first["simulated_mean"]).tolist(), nan_ok=True
    )
    # Permutations keep the number of pairs in each distance band: 1, 2 and 3.
    by_distance = first.groupby("distance_from_m")["simulated_mean"].sum()
    assert by_distance.tolist() == pytest.approx([1.0, 2.0, 3.0])


def test_incidents_without_coordinates_are_dropped():
    incidents = pd.concat(
        [
            INCIDENTS,
            pd.DataFrame(
                {
                    "incident_id": ["f", "g"],
                    "occurred_at": ["2024-01-01", "2024-01-01"],
                    "offence": ["violence_with_injury"] * 2,
                    "location_id": ["NOWHERE", None],
                }
            ),
        ]
    )
    knox = knox_test(incidents, LOCATIONS, distance_bands=DISTANCES, time_bands=DAYS)
    assert (knox.attrs["incidents"], knox.attrs["dropped"]) == (5, 2)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"distance_bands": [0, 100, 100]}, "must be increasing"),
        ({"distance_bands": [100]}, "needs at least two edges"),
        ({"distance_bands": [0, np.inf]}, "must all be finite"),
        ({"time_bands": [-1, 7]}, "must be increasing numbers from 0 up"),
        ({"simulations": 0}, "simulations=0"),
    ],
)
def test_bad_knox_options_are_refused(options, message):
    arguments = {"distance_bands": DISTANCES, "time_bands": DAYS} | options
    with pytest.raises(AnalysisError, match=message):
        knox_test(INCIDENTS, LOCATIONS, **arguments)


def test_place_harm_ranks_and_accumulates():
    incidents = INCIDENTS.assign(harm=[100, 100, 300, 50, 50])
    places = place_harm(incidents, LOCATIONS)
    # P1 300, P0 200 (a and b), then P2 and P3 50 each, ties in id order and rank.
    assert places.index.tolist() == ["P1", "P0", "P2", "P3"]
    assert places["harm"].tolist() == [300.0, 200.0, 50.0, 50.0]
    assert places["rank"].tolist() == [1, 2, 3, 3]
    assert places["cumulative_harm_share"].tolist() == pytest.approx([0.5, 5 / 6, 11 / 12, 1.0])
    assert places.loc["P0", "name"] == "Corner"


def test_place_harm_by_ward():
    incidents = INCIDENTS.assign(harm=[100, 100, 300, 50, 50])
    assert place_harm(incidents, LOCATIONS, level="ward")["harm"].to_dict() == {
        "W1": 500.0,
        "W2": 100.0,
    }


def test_repeat_locations_in_the_window():
    # [2023-01-06, 2024-01-05): a and b at P0 (c, d are later, e is alone at P3).
    repeats = repeat_locations(INCIDENTS, LOCATIONS, as_of="2024-01-05", window_days=365)
    assert repeats["incidents"].to_dict() == {"P0": 2}
    assert repeats.loc["P0", "last_at"] == pd.Timestamp("2024-01-04")


def _knox_by_every_pair(incidents, locations, distances, days, simulations, seed):
    """The Knox counts from every pair of points, the plain way: the reference the counting
    by place and day must match."""
    points = incident_harm(incidents).merge(locations, on="location_id", how="left")
    points = points.dropna(subset=["latitude"])
    phi = np.radians(points["latitude"].to_numpy(float))
    x = EARTH_RADIUS_M * np.radians(points["longitude"].to_numpy(float)) * np.cos(phi.mean())
    xy = np.column_stack([x, EARTH_RADIUS_M * phi])
    day = (
        pd.to_datetime(points["occurred_at"]).dt.normalize() - pd.Timestamp("1970-01-01")
    ).dt.days
    day = day.to_numpy()
    first, second = np.triu_indices(len(points), k=1)
    distance = np.hypot(*(xy[first] - xy[second]).T)
    d_band = np.searchsorted(distances, distance, side="right") - 1

    def cells(day_of):
        t_band = np.searchsorted(days, np.abs(day_of[first] - day_of[second]), side="right") - 1
        ok = (
            (d_band >= 0) & (d_band < len(distances) - 1) & (t_band >= 0) & (t_band < len(days) - 1)
        )
        return np.bincount(
            d_band[ok] * (len(days) - 1) + t_band[ok],
            minlength=(len(distances) - 1) * (len(days) - 1),
        )

    rng = np.random.default_rng(seed)
    simulated = np.stack([cells(day[rng.permutation(len(day))]) for _ in range(simulations)])
    return cells(day), simulated


@pytest.mark.parametrize(
    ("places", "span_days", "days"),
    [
        (4, 20, [0, 1, 8, 15]),  # few busy places: counted from points per day
        (400, 200, [0, 1, 8, 15, np.inf]),  # one or two points a place: pairs listed
        (40, 60, [2, 5, 32]),  # both, and a first time edge above 0
    ],
)
def test_knox_counts_match_every_pair_counted(places, span_days, days):
    rng = np.random.default_rng(places)
    n = 300
    locations = pd.DataFrame(
        {
            "location_id": [f"L{i}" for i in range(places)],
            "latitude": _north_of(0) + rng.uniform(0, 0.004, places).round(4),
            "longitude": -0.1 + rng.uniform(0, 0.006, places).round(4),
        }
    )
    incidents = pd.DataFrame(
        {
            "incident_id": [f"I{i}" for i in range(n)],
            "occurred_at": pd.Timestamp("2024-01-01")
            + pd.to_timedelta(rng.integers(0, span_days, n), unit="D"),
            "offence": ["violence_with_injury"] * n,
            "location_id": rng.choice(locations["location_id"], n),
        }
    )
    distances = [0, 50, 150, 400]
    knox = knox_test(
        incidents, locations, distance_bands=distances, time_bands=days, simulations=9, seed=3
    )
    observed, simulated = _knox_by_every_pair(incidents, locations, distances, days, 9, 3)
    assert knox["observed"].tolist() == observed.tolist()
    assert knox["simulated_mean"].tolist() == pytest.approx(simulated.mean(axis=0).tolist())
    assert knox["simulations_ge"].tolist() == (simulated >= observed).sum(axis=0).tolist()
    assert observed.sum() > 0
