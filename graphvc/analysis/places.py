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
from scipy import sparse
from scipy.spatial import cKDTree

from graphvc.analysis.events import DateLike, incident_harm
from graphvc.analysis.harm import harm_by
from graphvc.analysis.repeat_victims import repeat_targets
from graphvc.contract import EARTH_RADIUS_M
from graphvc.errors import AnalysisError
from graphvc.harm_index import HarmTable

__all__ = ["knox_test", "main_places", "place_harm", "repeat_locations"]


#: The columns of :func:`main_places`, each filled when the locations table has it.
MAIN_PLACE_COLUMNS = ("ward_code", "ward_name", "borough_code", "borough_name")


def main_places(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    locations: pd.DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """Each person's main place: the ward (and its borough) where most of the incidents they
    took part in, in any role, from ``start`` to ``end`` took place.

    A tie goes to the ward of the latest of those incidents, then to the lower ward code, so
    the answer never depends on row order. Incidents without a ward are not counted; a person
    none of whose incidents has one is left out.

    Parameters
    ----------
    incidents, involvements, locations : pandas.DataFrame
        Tables of the input contract (``locations`` with ``ward_code`` and, when known,
        ``ward_name``, ``borough_code`` and ``borough_name``).
    start, end : date-like, optional
        The window ``[start, end)``; all time when not given.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id``, with the columns of :data:`MAIN_PLACE_COLUMNS` that
        ``locations`` has.

    Examples
    --------
    >>> incidents = pd.DataFrame({
    ...     "incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01", "2024-03-01"],
    ...     "offence": ["personal_robbery"] * 3,
    ...     "location_id": ["L1", "L2", "L2"],
    ... })
    >>> involvements = pd.DataFrame({
    ...     "person_id": ["A", "A", "A", "B"],
    ...     "incident_id": ["I1", "I2", "I3", "I1"],
    ...     "role": ["offender", "offender", "victim", "victim"],
    ... })
    >>> locations = pd.DataFrame({
    ...     "location_id": ["L1", "L2"], "ward_code": ["W1", "W2"],
    ...     "borough_code": ["B1", "B1"], "borough_name": ["Brent", "Brent"],
    ... })
    >>> main_places(incidents, involvements, locations).to_dict("index")
    {'A': {'ward_code': 'W2', 'borough_code': 'B1', 'borough_name': 'Brent'}, 'B': {'ward_code': 'W1', 'borough_code': 'B1', 'borough_name': 'Brent'}}
    """
    columns = [c for c in MAIN_PLACE_COLUMNS if c in locations]
    if "ward_code" not in columns or "location_id" not in incidents:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="person_id"))
    table = incident_harm(incidents, start=start, end=end)[["incident_id", "occurred_at"]]
    wards = incidents[["incident_id", "location_id"]].merge(
        locations[["location_id", *columns]].drop_duplicates("location_id"), on="location_id"
    )
    taking_part = (
        involvements[["person_id", "incident_id"]]
        .drop_duplicates()
        .merge(table, on="incident_id")
        .merge(wards, on="incident_id")
        .dropna(subset=["ward_code"])
    )
    counted = taking_part.groupby(["person_id", "ward_code"], as_index=False).agg(
        incidents=("incident_id", "size"), latest=("occurred_at", "max")
    )
    ordered = counted.sort_values(
        ["person_id", "incidents", "latest", "ward_code"],
        ascending=[True, False, False, True],
        kind="stable",
    )
    first = ordered.drop_duplicates("person_id")[["person_id", "ward_code"]]
    names = wards[columns].drop_duplicates("ward_code")
    return first.merge(names, on="ward_code", how="left").set_index("person_id")[columns]


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
      edge are not counted. Pairs are counted between places (points at the same
      coordinates) closer than it, from each place's incidents per day where places are
      busy: the cost grows with the pairs of places and the days, not with the square of
      the incidents: a million incidents on 2,500 places take under half a second of CPU
      per simulation and under 1 GB.
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
    d_edges = band_edges(distance_bands, "distance_bands", finite=True)
    t_edges = band_edges(time_bands, "time_bands", finite=False)
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
    count = _PairCounter(xy, day_numbers, d_edges, t_edges)
    observed = count(day_numbers)
    rng = np.random.default_rng(seed)
    simulated = np.stack(
        [count(day_numbers[rng.permutation(len(day_numbers))]) for _ in range(simulations)]
    )
    result = knox_table(observed, simulated, d_edges, t_edges)
    result.attrs.update(
        incidents=len(points), dropped=int((~located).sum()), simulations=simulations, seed=seed
    )
    return result


def knox_table(
    observed: np.ndarray, simulated: np.ndarray, d_edges: np.ndarray, t_edges: np.ndarray
) -> pd.DataFrame:
    """The table of :func:`knox_test` (without its ``attrs``) from the counts of pairs in each
    cell, distance band-major: ``observed`` (one per cell) and ``simulated`` (one row per
    simulation). The Spark engine's Knox test (:mod:`graphvc.spark.places`) ends here too."""
    n_d, n_t = len(d_edges) - 1, len(t_edges) - 1
    simulations = len(simulated)
    mean = simulated.mean(axis=0)
    at_least = (simulated >= observed).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = observed / mean
    d_index, t_index = np.divmod(np.arange(n_d * n_t), n_t)
    return pd.DataFrame(
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


def band_edges(edges: Sequence[float], name: str, *, finite: bool) -> np.ndarray:
    """Band edges as a float array, after checking they are increasing and start at ≥ 0
    (:class:`AnalysisError` naming ``name`` and showing the edges when not)."""
    values = np.asarray(edges, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise AnalysisError(f"{name}={list(edges)!r} needs at least two edges")
    if np.isnan(values).any() or values[0] < 0 or not (np.diff(values) > 0).all():
        raise AnalysisError(f"{name}={list(edges)!r} must be increasing numbers from 0 up")
    if finite and not np.isfinite(values).all():
        raise AnalysisError(f"{name}={list(edges)!r} must all be finite")
    return values


class _PairCounter:
    """Counts the pairs of points in each (distance band, time band) cell, for any assignment
    of days to the points: the Knox test calls it once on the observed days and once per
    permutation.

    Points at the same coordinates form a place, and pairs are formed between places
    closer than the last distance edge (:meth:`scipy.spatial.cKDTree.query_pairs`), the
    same pairs and distances as between the points themselves. Between two busy places (or
    within one), the pairs are counted from each place's count of points per day, at a cost
    of the number of distinct days rather than the product of the two places' points;
    between quiet places, the pairs of points are listed once and their time gaps read on
    each call. So the cost of a call is bounded by pairs of places times days, and a city's
    million incidents on a few thousand places cost what a hundred thousand do.
    """

    def __init__(
        self, xy: np.ndarray, day_numbers: np.ndarray, d_edges: np.ndarray, t_edges: np.ndarray
    ) -> None:
        self.n_d, self.n_t = len(d_edges) - 1, len(t_edges) - 1
        self.t_edges = t_edges
        places, self.place, sizes = np.unique(
            xy.reshape(-1, 2), axis=0, return_inverse=True, return_counts=True
        )
        self.place = self.place.reshape(-1)
        near = cKDTree(places).query_pairs(r=d_edges[-1], output_type="ndarray").reshape(-1, 2)
        own = np.arange(len(places))
        first = np.concatenate([near[:, 0], own])
        second = np.concatenate([near[:, 1], own])
        distance = np.hypot(*(places[first] - places[second]).T)
        d_band = np.searchsorted(d_edges, distance, side="right") - 1
        same = first == second
        pairs = np.where(same, sizes[first] * (sizes[first] - 1) // 2, sizes[first] * sizes[second])
        keep = (d_band >= 0) & (d_band < self.n_d) & (pairs > 0)
        first, second, d_band, same, pairs = (a[keep] for a in (first, second, d_band, same, pairs))
        self.days = np.unique(day_numbers).astype(float)
        # Each day number's position in the sorted days, by lookup rather than by search.
        self.first_day = int(day_numbers.min()) if len(day_numbers) else 0
        last_day = int(day_numbers.max()) if len(day_numbers) else -1
        self.day_position = np.searchsorted(self.days, np.arange(self.first_day, last_day + 1))
        busy = pairs > len(self.days)
        self._busy(first[busy], second[busy], d_band[busy], same[busy], sizes)
        self._quiet(first[~busy], second[~busy], d_band[~busy], same[~busy], sizes)

    def _busy(
        self,
        first: np.ndarray,
        second: np.ndarray,
        d_band: np.ndarray,
        same: np.ndarray,
        sizes: np.ndarray,
    ) -> None:
        """The place pairs counted from points per day: one sparse matrix of the pairs
        between two places per distance band, and the places paired with themselves."""
        self.busy_places = np.unique(np.concatenate([first, second]))
        row = np.full(len(sizes), -1, dtype=np.int64)
        row[self.busy_places] = np.arange(len(self.busy_places))
        self.busy_row = row[self.place]  # each point's row, or -1 for a point of no busy pair
        shape = (len(self.busy_places), len(self.busy_places))
        between = ~same
        # Counts are whole numbers far below 2**53: float64 holds them exactly, and lets
        # the products run on BLAS.
        self.between = [
            sparse.csr_array(
                (np.ones(int(chosen.sum())), (row[second[chosen]], row[first[chosen]])),
                shape=shape,
            )
            for chosen in (between & (d_band == band) for band in range(self.n_d))
        ]
        self.themselves = np.zeros((self.n_d, len(self.busy_places)))
        self.themselves[d_band[same], row[first[same]]] = 1.0
        self.themselves_points = self.themselves @ sizes[self.busy_places].astype(float)
        # For each distinct day and time edge, the distinct days less than the edge away:
        # positions [lo, hi) in the sorted days.
        self.windows = [
            (
                np.searchsorted(self.days, self.days - edge, side="right"),
                np.searchsorted(self.days, self.days + edge, side="left"),
            )
            for edge in self.t_edges
        ]

    def _quiet(
        self,
        first: np.ndarray,
        second: np.ndarray,
        d_band: np.ndarray,
        same: np.ndarray,
        sizes: np.ndarray,
    ) -> None:
        """Every pair of points between (or within) the quiet place pairs, listed once."""
        order = np.argsort(self.place, kind="stable")
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        # Within a place every ordered pair is formed, then those with i < j kept.
        width = sizes[second]
        count = sizes[first] * width
        pair_of = np.repeat(np.arange(len(first)), count)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        i, j = np.divmod(offset, width[pair_of])
        keep = ~same[pair_of] | (i < j)
        pair_of, i, j = pair_of[keep], i[keep], j[keep]
        self.quiet_first = order[starts[first[pair_of]] + i]
        self.quiet_second = order[starts[second[pair_of]] + j]
        self.quiet_band = d_band[pair_of]

    def __call__(self, day_numbers: np.ndarray) -> np.ndarray:
        """The count of pairs in each cell, distance band-major, for these days."""
        n_d, n_t = self.n_d, self.n_t
        gap = np.abs(day_numbers[self.quiet_first] - day_numbers[self.quiet_second])
        t_band = np.searchsorted(self.t_edges, gap, side="right") - 1
        ok = (t_band >= 0) & (t_band < n_t)
        counts = np.bincount(self.quiet_band[ok] * n_t + t_band[ok], minlength=n_d * n_t).astype(
            np.int64
        )
        if not len(self.busy_places):
            return counts
        day = self.day_position[day_numbers - self.first_day]
        chosen = self.busy_row >= 0
        rows, days = len(self.busy_places), len(self.days)
        per_day = np.bincount(
            self.busy_row[chosen] * days + day[chosen], minlength=rows * days
        ).reshape(rows, days)
        cumulative = np.zeros((rows, days + 1))
        np.cumsum(per_day, axis=1, out=cumulative[:, 1:])
        # The points of each place's partners in each band, per day.
        partners = np.stack([between @ per_day for between in self.between]).reshape(n_d, -1)
        closer = np.zeros((n_d, n_t + 1))  # pairs less than each time edge apart
        for e, (lo, hi) in enumerate(self.windows):
            if self.t_edges[e] <= 0:
                continue
            within = cumulative[:, hi] - cumulative[:, lo]
            # Within a place every point is paired with itself (0 days) and each pair twice.
            own = (self.themselves @ (per_day * within).sum(axis=1) - self.themselves_points) / 2
            closer[:, e] = partners @ within.reshape(-1) + own
        return counts + np.rint(np.diff(closer, axis=1)).astype(np.int64).reshape(-1)


def _metres(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    """WGS84 degrees to metres on an equirectangular projection centred on the points."""
    if len(latitude) == 0:
        return np.empty((0, 2))
    phi = np.radians(latitude)
    x = EARTH_RADIUS_M * np.radians(longitude) * np.cos(phi.mean())
    return np.column_stack([x, EARTH_RADIUS_M * phi])
