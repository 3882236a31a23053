"""Dangerous places: harm by place, repeat locations and near-repeat (Knox) tests.

Crime concentrates at a few places (Weisburd, 2015), and violence at one place raises the
risk nearby for a short while — the near-repeat pattern, tested with Knox's space–time
interaction test as in the Near Repeat Calculator (Ratcliffe & Rengert, 2008; Johnson et
al., 2007).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from graphvc.analysis.events import DateLike, incident_harm
from graphvc.analysis.harm import harm_by
from graphvc.analysis.repeat_victims import repeat_targets
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = ["EARTH_RADIUS_M", "knox_test", "place_harm", "repeat_locations"]

#: Mean Earth radius (IUGG), metres.
EARTH_RADIUS_M = 6_371_008.8


def place_harm(
    incidents: pd.DataFrame,
    locations: pd.DataFrame | None = None,
    *,
    level: Literal["location", "ward", "borough"] = "location",
    start: DateLike | None = None,
    end: DateLike | None = None,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Incidents and crime harm per location, ward or borough, most harmful first.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents table, with ``location_id``.
    locations : pandas.DataFrame, optional
        The locations table; needed for wards and boroughs.
    level : {"location", "ward", "borough"}, default "location"
        The unit of place.
    start, end : date-like, optional
        Count incidents with ``start <= occurred_at < end``.
    harm_table : HarmTable, optional
        As in :func:`graphvc.analysis.harm.incident_harm`.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`graphvc.analysis.harm.harm_by` (``incidents``, ``harm``,
        ``harm_share``, ``first_at``, ``last_at`` and the place's name) with ``rank``
        (1 = most harm) and ``cumulative_harm_share`` (the share of all harm in this place
        and every place above it: how few places hold most of the harm).

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01", "2024-03-01"],
    ...     "harm": [300, 100, 100],
    ...     "category": ["knife_enabled", "other_violence", "other_violence"],
    ...     "location_id": ["L1", "L2", "L2"],
    ... })
    >>> places = place_harm(incidents)
    >>> places[["rank", "incidents", "harm", "cumulative_harm_share"]].to_numpy().tolist()
    [[1.0, 1.0, 300.0, 0.6], [2.0, 2.0, 200.0, 1.0]]

    References
    ----------
    .. [1] Weisburd, D. (2015). The law of crime concentration and the criminology of
       place. *Criminology*, 53(2), 133-157. doi:10.1111/1745-9125.12070
    .. [2] Sherman, L., Neyroud, P. W., & Neyroud, E. (2016). The Cambridge Crime Harm
       Index: measuring total harm from crime based on sentencing guidelines. *Policing:
       A Journal of Policy and Practice*, 10(3), 171-183. doi:10.1093/police/paw003
    """
    places = harm_by(
        incidents, None, locations, by=level, start=start, end=end, harm_table=harm_table
    )
    places.insert(0, "rank", places["harm"].rank(method="min", ascending=False).astype("int64"))
    places["cumulative_harm_share"] = places["harm_share"].cumsum()
    return places


def repeat_locations(
    incidents: pd.DataFrame,
    locations: pd.DataFrame | None = None,
    *,
    as_of: DateLike,
    window_days: float = 365,
    min_count: int = 2,
    harm_table: HarmTable | None = None,
) -> pd.DataFrame:
    """Locations with at least ``min_count`` incidents in the window to ``as_of``.

    :func:`graphvc.analysis.repeat_victims.repeat_targets` for places: the window is
    ``[as_of - window_days, as_of)`` and ``locations`` adds the place's ``name``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``location_id``: ``incidents``, ``harm``, ``harm_share``, ``first_at``,
        ``last_at`` (and ``name``), sorted by incidents, then harm (descending).

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3", "I4"],
    ...     "occurred_at": ["2023-01-05", "2024-02-01", "2024-03-01", "2024-04-01"],
    ...     "offence": ["violence_without_injury"] * 4,
    ...     "location_id": ["L1", "L1", "L1", "L2"],
    ... })
    >>> repeat_locations(incidents, as_of="2025-01-01")["incidents"].to_dict()
    {'L1': 2}

    References
    ----------
    .. [1] Farrell, G., & Pease, K. (1993). *Once bitten, twice bitten: repeat
       victimisation and its implications for crime prevention*. Crime Prevention Unit
       Paper 46. London: Home Office.
    """
    return repeat_targets(
        incidents,
        None,
        locations,
        target="location",
        as_of=as_of,
        window_days=window_days,
        min_count=min_count,
        harm_table=harm_table,
    )


def knox_test(
    incidents: pd.DataFrame,
    locations: pd.DataFrame,
    *,
    distance_bands: Sequence[float],
    time_bands: Sequence[float],
    simulations: int = 99,
    seed: int = 0,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """Knox test for near repeats: are incidents close in space also close in time?

    Every pair of incidents is put in one distance band and one time band. The observed
    count of pairs in each cell is compared with the counts when the dates are shuffled
    among the incidents (a Monte Carlo permutation: places stay, times move), which keeps
    both the spatial and the temporal pattern but breaks any link between them.

    * Bands are half-open intervals ``[lo, hi)`` between successive edges: distance edges
      ``[0, 100, 200]`` give the bands 0 ≤ d < 100 m and 100 ≤ d < 200 m. Distances are
      metres between the WGS84 points, on a local equirectangular projection (the error is
      well under 1% of the distance across a city). Pairs at or beyond the last distance
      edge are not counted, and only pairs closer than it are ever formed
      (:meth:`scipy.spatial.cKDTree.query_pairs`), so the test runs in seconds on tens of
      thousands of incidents.
    * Time distance is the number of whole days between the two calendar dates (the Near
      Repeat Calculator's convention): ``[0, 1)`` is the same day, ``[1, 8)`` one to seven
      days apart. The last time edge may be ``inf``.
    * ``knox_ratio = observed / simulated_mean`` (> 1: more pairs than chance);
      ``p_value = (simulations_ge + 1) / (simulations + 1)`` where ``simulations_ge`` is
      the number of simulations with at least the observed count.

    Parameters
    ----------
    incidents : pandas.DataFrame
        The incidents table with ``location_id``; incidents without a location with
        coordinates are left out (their number is in ``result.attrs["dropped"]``).
    locations : pandas.DataFrame
        The locations table with ``latitude`` and ``longitude``.
    distance_bands : sequence of float
        Increasing edges in metres, at least two, the first ≥ 0, all finite.
    time_bands : sequence of float
        Increasing edges in days, at least two, the first ≥ 0.
    simulations : int, default 99
        The number of permutations.
    seed : int, default 0
        Seed of the random number generator, for a reproducible result.
    start, end : date-like, optional
        Test the incidents with ``start <= occurred_at < end``.

    Returns
    -------
    pandas.DataFrame
        One row per (distance band, time band): ``distance_from_m``, ``distance_to_m``,
        ``days_from``, ``days_to``, ``observed``, ``simulated_mean``, ``knox_ratio``
        (NaN for 0 / 0), ``simulations_ge`` and ``p_value``. ``attrs`` holds
        ``incidents`` (tested), ``dropped``, ``simulations`` and ``seed``.

    Examples
    --------
    >>> locations = pd.DataFrame({
    ...     "location_id": ["L1", "L2"], "latitude": [51.5, 51.5005], "longitude": [-0.1, -0.1],
    ... })
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-01", "2024-01-03", "2024-03-01"],
    ...     "offence": ["violence_with_injury"] * 3,
    ...     "location_id": ["L1", "L2", "L2"],
    ... })
    >>> knox = knox_test(incidents, locations, distance_bands=[0, 100], time_bands=[0, 7, 90])
    >>> knox[["days_from", "days_to", "observed"]].to_numpy().tolist()
    [[0.0, 7.0, 1.0], [7.0, 90.0, 2.0]]

    References
    ----------
    .. [1] Knox, G. (1964). The detection of space-time interactions. *Journal of the Royal
       Statistical Society, Series C (Applied Statistics)*, 13(1), 25-30.
       doi:10.2307/2985220
    .. [2] Ratcliffe, J. H., & Rengert, G. F. (2008). Near-repeat patterns in Philadelphia
       shootings. *Security Journal*, 21(1-2), 58-76. doi:10.1057/palgrave.sj.8350068
    .. [3] Johnson, S. D., Bernasco, W., Bowers, K. J., Elffers, H., Ratcliffe, J.,
       Rengert, G., & Townsley, M. (2007). Space-time patterns of risk: a cross national
       assessment of residential burglary victimization. *Journal of Quantitative
       Criminology*, 23(3), 201-219. doi:10.1007/s10940-007-9025-3
    """
    d_edges = _edges(distance_bands, "distance_bands", finite=True)
    t_edges = _edges(time_bands, "time_bands", finite=False)
    if simulations < 1:
        raise AnalysisError(f"simulations={simulations!r} must be at least 1")
    table = incident_harm(incidents, start=start, end=end)
    for name, frame, columns in (
        ("incidents", table, ("location_id",)),
        ("locations", locations, ("location_id", "latitude", "longitude")),
    ):
        for column in columns:
            if column not in frame.columns:
                raise AnalysisError(f"the {name} table has no column {column!r}")
    points = table.merge(
        locations[["location_id", "latitude", "longitude"]], on="location_id", how="left"
    )
    located = points[["latitude", "longitude"]].notna().all(axis=1)
    points = points[located]
    xy = _metres(points["latitude"].to_numpy(float), points["longitude"].to_numpy(float))
    days = (points["occurred_at"].dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    day_numbers = days.to_numpy(dtype=np.int64)

    n_d, n_t = len(d_edges) - 1, len(t_edges) - 1
    first, second = cKDTree(xy).query_pairs(r=d_edges[-1], output_type="ndarray").T
    distance = np.hypot(*(xy[first] - xy[second]).T)
    d_band = np.searchsorted(d_edges, distance, side="right") - 1
    inside = (d_band >= 0) & (d_band < n_d)
    first, second, d_band = first[inside], second[inside], d_band[inside]

    def cell_counts(day_of: np.ndarray) -> np.ndarray:
        gap = np.abs(day_of[first] - day_of[second])
        t_band = np.searchsorted(t_edges, gap, side="right") - 1
        ok = (t_band >= 0) & (t_band < n_t)
        return np.bincount(d_band[ok] * n_t + t_band[ok], minlength=n_d * n_t)

    observed = cell_counts(day_numbers)
    rng = np.random.default_rng(seed)
    simulated = np.stack(
        [cell_counts(day_numbers[rng.permutation(len(day_numbers))]) for _ in range(simulations)]
    )
    mean = simulated.mean(axis=0)
    at_least = (simulated >= observed).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = observed / mean
    d_index, t_index = np.divmod(np.arange(n_d * n_t), n_t)
    result = pd.DataFrame(
        {
            "distance_from_m": d_edges[d_index],
            "distance_to_m": d_edges[d_index + 1],
            "days_from": t_edges[t_index],
            "days_to": t_edges[t_index + 1],
            "observed": observed,
            "simulated_mean": mean,
            "knox_ratio": ratio,
            "simulations_ge": at_least,
            "p_value": (at_least + 1) / (simulations + 1),
        }
    )
    result.attrs.update(
        incidents=len(points), dropped=int((~located).sum()), simulations=simulations, seed=seed
    )
    return result


def _edges(edges: Sequence[float], name: str, *, finite: bool) -> np.ndarray:
    """Band edges as a float array, after checking they are increasing and start at ≥ 0."""
    values = np.asarray(edges, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise AnalysisError(f"{name}={list(edges)!r} needs at least two edges")
    if np.isnan(values).any() or values[0] < 0 or not (np.diff(values) > 0).all():
        raise AnalysisError(f"{name}={list(edges)!r} must be increasing numbers from 0 up")
    if finite and not np.isfinite(values).all():
        raise AnalysisError(f"{name}={list(edges)!r} must all be finite")
    return values


def _metres(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """WGS84 degrees to metres on an equirectangular projection centred on the points."""
    if len(latitude) == 0:
        return np.empty((0, 2))
    phi = np.radians(latitude)
    x = EARTH_RADIUS_M * np.radians(longitude) * np.cos(phi.mean())
    return np.column_stack([x, EARTH_RADIUS_M * phi])
