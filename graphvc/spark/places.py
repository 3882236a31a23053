"""Dangerous places as Spark jobs: harm by place, repeat locations, each person's main place
and the near-repeat (Knox) test.

Each function is the in-process one of :mod:`graphvc.analysis.places` with the same keyword
parameters, on Spark DataFrames: the incidents filled (:func:`graphvc.spark.events.filled_incidents`,
wall-clock ``occurred_at``), the involvements and locations as
:func:`graphvc.spark.read.read_tables` gives them. The work is done by Spark; only the answer
(one row per place, person or Knox cell) is collected, and it is the in-process function's
answer: the same index, columns, dtypes, row order and values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from graphvc.analysis.events import DateLike, rolling_window
from graphvc.analysis.places import MAIN_PLACE_COLUMNS, band_edges, knox_table
from graphvc.contract import EARTH_RADIUS_M
from graphvc.errors import AnalysisError
from graphvc.spark.events import in_window

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["knox_test", "main_places", "place_harm", "repeat_locations"]

#: The columns of :func:`place_harm` after the rank and the place's name.
_MEASURES = {
    "incidents": "int64",
    "harm": "float64",
    "harm_share": "float64",
    "first_at": "datetime64[us]",
    "last_at": "datetime64[us]",
}


def place_harm(
    incidents: DataFrame,
    locations: DataFrame | None = None,
    *,
    level: Literal["location", "ward", "borough"] = "location",
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """:func:`graphvc.analysis.places.place_harm` in Spark: incidents and crime harm per
    location, ward or borough of ``[start, end)``, most harmful first, with ``rank`` and
    ``cumulative_harm_share``.

    The places are aggregated by Spark; the rank and the running share are window functions
    over the aggregated places (one partition: a row per place). Harm is summed in Spark's
    order: where the harms are whole days (as the harm table's are) the sums are exact, else
    they may differ from pandas' in the last bits.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    places, key, names = _harm_by_place(incidents, locations, level, start=start, end=end)
    order = [F.desc("harm"), F.desc("incidents"), F.asc(key)]
    running = Window.orderBy(*order).rowsBetween(Window.unboundedPreceding, Window.currentRow)
    ranked = (
        places.withColumn("rank", F.rank().over(Window.orderBy(F.desc("harm"))))
        .withColumn("cumulative_harm_share", F.sum("harm_share").over(running))
        .orderBy(*order)
    )
    dtypes = {"rank": "int64", **dict.fromkeys(names, "str"), **_MEASURES}
    return _collected(ranked, key, {**dtypes, "cumulative_harm_share": "float64"})


def repeat_locations(
    incidents: DataFrame,
    locations: DataFrame | None = None,
    *,
    as_of: DateLike,
    window_days: float = 365,
    min_count: int = 2,
) -> pd.DataFrame:
    """:func:`graphvc.analysis.places.repeat_locations` in Spark: the locations with at least
    ``min_count`` incidents in ``[as_of - window_days, as_of)``, by incidents then harm.

    ``harm_share`` is the location's share of the harm of every location in the window, as
    in-process.
    """
    from pyspark.sql import functions as F

    if min_count < 2:
        raise AnalysisError(f"min_count={min_count!r} must be at least 2 for a repeat")
    start, end = rolling_window(as_of, window_days)
    places, key, names = _harm_by_place(incidents, locations, "location", start=start, end=end)
    repeated = places.filter(F.col("incidents") >= min_count).orderBy(
        F.desc("incidents"), F.desc("harm"), F.asc(key)
    )
    return _collected(repeated, key, {**dict.fromkeys(names, "str"), **_MEASURES})


def main_places(
    incidents: DataFrame,
    involvements: DataFrame,
    locations: DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """:func:`graphvc.analysis.places.main_places` in Spark: each person's main ward (and its
    borough), where most of the incidents of ``[start, end)`` they took part in, in any role,
    took place; a tie goes to the ward of the latest of those incidents, then to the lower
    ward code.

    A ward's name and borough are those of the location of its earliest incident (by time,
    then id) of all time: in-process, its first in the order of the run's incidents, which
    is that order (:func:`~graphvc.analysis.events.incident_harm`).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    columns = [c for c in MAIN_PLACE_COLUMNS if c in locations.columns]
    if "ward_code" not in columns or "location_id" not in incidents.columns:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="person_id"))
    wards = (
        incidents.select("incident_id", "location_id", "occurred_at")
        .join(
            locations.select("location_id", *columns).dropDuplicates(["location_id"]), "location_id"
        )
        .filter(F.col("ward_code").isNotNull())
    )
    windowed = in_window(incidents, start=start, end=end).select("incident_id")
    counted = (
        involvements.select("person_id", "incident_id")
        .distinct()
        .join(windowed, "incident_id")
        .join(wards.select("incident_id", "ward_code", "occurred_at"), "incident_id")
        .groupBy("person_id", "ward_code")
        .agg(F.count(F.lit(1)).alias("incidents"), F.max("occurred_at").alias("latest"))
    )
    best = Window.partitionBy("person_id").orderBy(
        F.desc("incidents"), F.desc("latest"), F.asc("ward_code")
    )
    first = counted.withColumn("choice", F.row_number().over(best)).filter(F.col("choice") == 1)
    named = [c for c in columns if c != "ward_code"]
    if named:
        earliest = F.struct("occurred_at", "incident_id")
        names = wards.groupBy("ward_code").agg(*[F.min_by(c, earliest).alias(c) for c in named])
        first = first.join(names, "ward_code", "left")
    chosen = first.select("person_id", *columns)
    return _collected(chosen.orderBy("person_id"), "person_id", dict.fromkeys(columns, "str"))


def knox_test(
    incidents: DataFrame,
    locations: DataFrame,
    *,
    distance_bands: Sequence[float],
    time_bands: Sequence[float],
    simulations: int = 99,
    seed: int = 0,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """:func:`graphvc.analysis.places.knox_test` in Spark: the near-repeat test's observed and
    simulated counts of pairs of incidents in each distance and time band.

    The pairs are a self-join of the incidents' places on a grid of cells as wide as the last
    distance edge (a place meets the places of its own and the eight neighbouring cells),
    and within a pair of places the pairs of incidents are counted from each place's
    incidents per day: the cost grows with the close pairs of places and their days, not
    with the square of the incidents. When the last time edge is finite, the days are cut
    in spans as long as it, and a day meets only the days of its own span and the two
    beside. The ``simulations`` permutations of the dates among the incidents are drawn on
    the driver by the same calls to numpy's generator as in-process (the same ``seed`` gives
    the same permutations) and sent to Spark as one array of positions per simulation; the
    observed count is simulation 0, the identity. Only the counts (one per simulation and
    cell) are collected.

    Distances are the in-process ones (its equirectangular projection, centred on the mean
    latitude that Spark averages and numpy takes the cosine of), so every pair falls in the
    same band, bar a pair within a few nanometres of an edge.

    Raises :class:`AnalysisError` for bands that are not increasing numbers from 0 up (or a
    distance edge that is not finite), fewer than one simulation, or a table without the
    columns the test reads.
    """
    from pyspark.sql import functions as F

    d_edges = band_edges(distance_bands, "distance_bands", finite=True)
    t_edges = band_edges(time_bands, "time_bands", finite=False)
    if simulations < 1:
        raise AnalysisError(f"simulations={simulations!r} must be at least 1")
    _require(incidents, "incidents", ("location_id",))
    _require(locations, "locations", ("location_id", "latitude", "longitude"))
    coordinates = locations.select("location_id", "latitude", "longitude")
    points = in_window(incidents, start=start, end=end).join(coordinates, "location_id", "left")
    located = ~(
        F.isnull("latitude") | F.isnan("latitude") | F.isnull("longitude") | F.isnan("longitude")
    )
    points = points.withColumn("located", located).cache()
    tally = points.agg(
        F.count(F.when(F.col("located"), 1)).alias("located"),
        F.count(F.when(~F.col("located"), 1)).alias("dropped"),
        F.avg(F.when(F.col("located"), F.radians("latitude"))).alias("phi"),
    ).first()
    assert tally is not None  # an aggregate has one row
    n = int(tally["located"])
    # As graphvc.analysis.places._metres: x scaled by the cosine of the mean latitude.
    scale = float(np.cos(tally["phi"])) if n else 1.0
    counts = np.zeros((simulations + 1, len(d_edges) - 1, len(t_edges) - 1), dtype=np.int64)
    if n > 1:
        rng = np.random.default_rng(seed)
        orders = [rng.permutation(n) for _ in range(simulations)]
        _count_pairs(points.filter("located"), orders, scale, d_edges, t_edges, counts)
    points.unpersist()
    result = knox_table(
        counts[0].reshape(-1), counts[1:].reshape(simulations, -1), d_edges, t_edges
    )
    result.attrs.update(
        incidents=n, dropped=int(tally["dropped"]), simulations=simulations, seed=seed
    )
    return result


def _count_pairs(
    points: DataFrame,
    orders: list[np.ndarray],
    scale: float,
    d_edges: np.ndarray,
    t_edges: np.ndarray,
    counts: np.ndarray,
) -> None:
    """Fill ``counts`` (simulation, distance band, time band) with the pairs of ``points``
    (located incidents) when the dates are those of simulation 0 (as observed) and of each
    permutation of ``orders`` (the point at position ``i``, in the order of time then id,
    takes the date of the point at ``order[i]``)."""
    from pyspark.sql import functions as F

    width = float(d_edges[-1])
    placed = _placed(points, scale).cache()
    places = (
        placed.select("place", "x", "y")
        .distinct()
        .withColumn("cell_x", F.floor(F.col("x") / width))
        .withColumn("cell_y", F.floor(F.col("y") / width))
    )
    near = _near_places(places, d_edges).cache()
    # Days fall in spans as long as the last time edge: a pair of days closer than it is in
    # one span or two neighbouring ones, so only those meet (all of them when it is inf).
    span = float(t_edges[-1])
    finite = bool(np.isfinite(span))
    per_day = _per_day(placed, orders).withColumn(
        "span", F.floor(F.col("day") / span) if finite else F.lit(0)
    )
    steps = [-1, 0, 1] if finite else [0]
    a = (
        per_day.select("*", F.explode(F.array(*[F.lit(step) for step in steps])).alias("step"))
        .withColumn("meets", F.col("span") + F.col("step"))
        .alias("a")
    )
    b = per_day.alias("b")
    same_place = F.col("p") == F.col("q")
    paired = (
        a.join(near, F.col("a.place") == F.col("p"))
        .join(
            b,
            (F.col("b.simulation") == F.col("a.simulation"))
            & (F.col("b.place") == F.col("q"))
            & (F.col("b.span") == F.col("a.meets"))
            & (~same_place | (F.col("a.day") <= F.col("b.day"))),
        )
        .select(
            F.col("a.simulation").alias("simulation"),
            "distance_band",
            _band(F.abs(F.col("a.day") - F.col("b.day")), t_edges).alias("time_band"),
            F.when(
                same_place & (F.col("a.day") == F.col("b.day")),
                F.col("a.points") * (F.col("a.points") - 1) / 2,
            )
            .otherwise(F.col("a.points") * F.col("b.points"))
            .cast("long")
            .alias("pairs"),
        )
        .filter((F.col("time_band") >= 0) & (F.col("time_band") < len(t_edges) - 1))
    )
    cells = paired.groupBy("simulation", "distance_band", "time_band").agg(
        F.sum("pairs").alias("pairs")
    )
    found = cells.toPandas()
    cell = tuple(
        found[c].to_numpy(dtype=np.int64) for c in ("simulation", "distance_band", "time_band")
    )
    counts[cell] = found["pairs"].to_numpy(dtype=np.int64)
    near.unpersist()
    placed.unpersist()


def _placed(points: DataFrame, scale: float) -> DataFrame:
    """The located ``points`` with their ``position`` in the order of time then id (the
    in-process order, which the permutations index), calendar ``day`` (days since
    1970-01-01), ``x`` and ``y`` in metres as :func:`graphvc.analysis.places._metres` has
    them (``scale``: the cosine of the mean latitude) and ``place``, the same for the points
    at the same coordinates (in-process, the rows of ``numpy.unique``)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    return (
        points.withColumn(
            "position", F.row_number().over(Window.orderBy("occurred_at", "incident_id")) - 1
        )
        .withColumn("day", F.unix_date(F.to_date("occurred_at")))
        .withColumn("x", F.lit(EARTH_RADIUS_M) * F.radians("longitude") * F.lit(scale))
        .withColumn("y", F.lit(EARTH_RADIUS_M) * F.radians("latitude"))
        .withColumn("place", F.dense_rank().over(Window.orderBy("x", "y")))
        .select("position", "day", "place", "x", "y")
    )


def _per_day(placed: DataFrame, orders: list[np.ndarray]) -> DataFrame:
    """The points of each place on each day (``simulation``, ``place``, ``day``, ``points``)
    with the days of ``placed`` (simulation 0) and as each permutation of ``orders`` moves
    them (simulation ``k``: the point at position ``i`` takes the day of the point at
    ``orders[k - 1][i]``)."""
    from pyspark.sql import functions as F

    identity = placed.select(F.lit(0).alias("simulation"), "position", "day")
    permutations = pd.DataFrame(
        {
            "simulation": np.arange(1, len(orders) + 1, dtype=np.int32),
            "source": [order.astype(np.int32) for order in orders],
        }
    )
    shuffled = placed.sparkSession.createDataFrame(
        permutations, schema="simulation int, source array<int>"
    ).select("simulation", F.posexplode("source").alias("position", "source"))
    dated = identity.unionByName(
        shuffled.join(placed.select(F.col("position").alias("source"), "day"), "source").select(
            "simulation", "position", "day"
        )
    )
    return (
        dated.join(placed.select("position", "place"), "position")
        .groupBy("simulation", "place", "day")
        .agg(F.count(F.lit(1)).alias("points"))
    )


def _near_places(places: DataFrame, d_edges: np.ndarray) -> DataFrame:
    """The pairs of places (``p <= q``; a place with itself at distance 0) less than the last
    distance edge apart, with their ``distance_band``: each place meets the places of its
    own cell and of the eight around it, cells being as wide as the last edge."""
    from pyspark.sql import functions as F

    steps = F.array(*[F.lit(step) for step in (-1, 0, 1)])
    around = (
        places.select(
            F.col("place").alias("p"),
            F.col("x").alias("px"),
            F.col("y").alias("py"),
            "cell_x",
            "cell_y",
            F.explode(steps).alias("step_x"),
        )
        .select("*", F.explode(steps).alias("step_y"))
        .select(
            "p",
            "px",
            "py",
            (F.col("cell_x") + F.col("step_x")).alias("cell_x"),
            (F.col("cell_y") + F.col("step_y")).alias("cell_y"),
        )
    )
    pairs = around.join(places, ["cell_x", "cell_y"]).filter(F.col("p") <= F.col("place"))
    distance = F.hypot(F.col("px") - F.col("x"), F.col("py") - F.col("y"))
    return pairs.select(
        "p", F.col("place").alias("q"), _band(distance, d_edges).alias("distance_band")
    ).filter((F.col("distance_band") >= 0) & (F.col("distance_band") < len(d_edges) - 1))


def _band(value: Column, edges: np.ndarray) -> Column:
    """The band of ``value`` between ``edges`` as ``numpy.searchsorted(edges, value, "right") - 1``:
    the number of edges at or below it, less one (-1 below the first edge, ``len(edges) - 1``
    at or above the last)."""
    from pyspark.sql import functions as F

    at_or_below = [
        F.when(value >= F.lit(float(e)), 1).otherwise(0) for e in edges if np.isfinite(e)
    ]
    total = at_or_below[0]
    for term in at_or_below[1:]:
        total = total + term
    return total - 1


def _harm_by_place(
    incidents: DataFrame,
    locations: DataFrame | None,
    level: str,
    *,
    start: DateLike | None,
    end: DateLike | None,
) -> tuple[DataFrame, str, list[str]]:
    """:func:`graphvc.analysis.harm.harm_by` for places as a Spark frame (unordered) with its
    key column and the place's name columns: one row per place of ``[start, end)``, with
    ``incidents``, ``harm``, ``harm_share`` (of all places), ``first_at`` and ``last_at``."""
    from pyspark.sql import functions as F

    _require(incidents, "incidents", ("location_id",))
    if level not in ("location", "ward", "borough"):
        raise AnalysisError(f"level={level!r} is not one of 'location', 'ward', 'borough'")
    events = in_window(incidents, start=start, end=end)
    key = "location_id" if level == "location" else f"{level}_code"
    names: list[str] = []
    if level != "location":
        if locations is None:
            raise AnalysisError(f"harm_by(by={level!r}) needs the locations table")
        _require(locations, "locations", ("location_id", key))
        names = [f"{level}_name"] if f"{level}_name" in locations.columns else []
        events = events.join(locations.select("location_id", key, *names), "location_id", "left")
    elif locations is not None and "name" in locations.columns:
        names = ["name"]
        events = events.join(locations.select("location_id", "name"), "location_id", "left")
    # A place's name is its first known one in the order of time, then id (pandas' first()).
    earliest = F.struct("occurred_at", "incident_id")
    places = (
        events.filter(F.col(key).isNotNull())
        .groupBy(key)
        .agg(
            *[
                F.min_by(name, F.when(F.col(name).isNotNull(), earliest)).alias(name)
                for name in names
            ],
            F.countDistinct("incident_id").alias("incidents"),
            F.sum("harm").cast("double").alias("harm"),
            F.min("occurred_at").alias("first_at"),
            F.max("occurred_at").alias("last_at"),
        )
    )
    total = places.agg(F.sum("harm").alias("total"))
    share = F.when(F.col("total") > 0, F.col("harm") / F.col("total")).otherwise(
        F.lit(float("nan"))
    )
    shared = places.crossJoin(F.broadcast(total)).withColumn("harm_share", share)
    return shared.select(key, *names, *_MEASURES), key, names


def _require(frame: DataFrame, name: str, columns: Sequence[str]) -> None:
    """AnalysisError naming the first of ``columns`` that ``frame`` lacks (as in-process)."""
    for column in columns:
        if column not in frame.columns:
            raise AnalysisError(f"the {name} table has no column {column!r}")


def _collected(frame: DataFrame, index: str, dtypes: Mapping[str, str]) -> pd.DataFrame:
    """``frame``, a final answer in its order, collected as pandas: indexed by ``index``, its
    other columns those of ``dtypes`` in that order and of those dtypes (``str`` for text,
    ``datetime64[us]`` for Spark's times)."""
    got = frame.toPandas()
    table = got[list(dtypes)].astype(dict(dtypes))
    table.index = pd.Index(got[index].astype("str"), name=index)
    return table
