"""The victim-side table measures of a run as Spark DataFrame jobs.

Each function here is the in-process measure of the same name, computed in Spark and giving
the same pandas result (index, columns, dtypes, row order and values):
:func:`absolute_victims` and :func:`victim_offender_overlap` as in
:mod:`graphvc.analysis.overlap`, :func:`repeat_victims` and :func:`domestic_repeats` as in
:mod:`graphvc.analysis.repeat_victims`, :func:`rfg_scores` as in
:mod:`graphvc.analysis.priority`. They take Spark DataFrames where those take pandas tables:
the incidents filled by :func:`graphvc.spark.events.filled_incidents` (so no ``harm_table``
option: the harm is filled already), the involvements with ``person_id``, ``incident_id`` and
``role``. The joins, windows, sums and ranks are Spark jobs; only the result is collected.

Sums of harm are pandas' to the last bit: pandas sums a group's rows with numpy's
pairwise summation (``numpy.add.reduceat``), which no Spark SQL function reproduces, so each
group's harms are gathered in Spark, in the order of its incidents by time then incident, and
summed by numpy itself in a pandas UDF on the executors (:func:`_numpy_sum`); so is the total
over all victims behind ``harm_share``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from graphvc.analysis.events import DateLike, _timestamp, rolling_window
from graphvc.analysis.overlap import OVERLAP_CLASSES
from graphvc.analysis.priority import _weights
from graphvc.contract import PERPETRATOR_ROLES, ROLES
from graphvc.errors import AnalysisError

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = [
    "absolute_victims",
    "domestic_repeats",
    "repeat_victims",
    "rfg_scores",
    "victim_offender_overlap",
]

#: The in-process tables' date-times: pandas' naive datetimes of microseconds (what
#: ``incident_harm`` makes of ISO text and the Spark engine's read makes of the graph's).
_DATETIME = "datetime64[us]"
_DAY = 86_400.0  # seconds
_SECOND_US = 1e6  # microseconds


def _at(stamp: pd.Timestamp) -> Column:
    """``stamp`` as a ``timestamp_ntz`` literal to compare microsecond times with: rounded up
    to the microsecond, which keeps ``t >= stamp`` and ``t < stamp`` as they are for any
    ``t`` of whole microseconds."""
    from pyspark.sql import functions as F

    return F.lit(stamp.ceil("us").strftime("%Y-%m-%d %H:%M:%S.%f")).cast("timestamp_ntz")


def _within(
    incidents: DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> DataFrame:
    """The incidents of ``[start, end)`` (either may be None: open)."""
    from pyspark.sql import functions as F

    if start is not None:
        incidents = incidents.filter(F.col("occurred_at") >= _at(start))
    if end is not None:
        incidents = incidents.filter(F.col("occurred_at") < _at(end))
    return incidents


def _person_incidents(
    incidents: DataFrame, involvements: DataFrame, roles: Iterable[str]
) -> DataFrame:
    """One row per (person, incident) with the person in one of ``roles``: ``person_id``,
    ``incident_id``, ``occurred_at`` and ``harm``, as
    :func:`graphvc.analysis.events.person_incidents` (a person without an id is left out, as
    pandas' grouping leaves them out). Raises :class:`AnalysisError` for a role not in the
    contract, as the in-process measures do."""
    from pyspark.sql import functions as F

    roles = tuple(roles)
    for role in roles:
        if role not in ROLES:
            raise AnalysisError(f"role {role!r} is not one of {', '.join(ROLES)}")
    taking_part = (
        involvements.filter(F.col("role").isin(*roles) & F.col("person_id").isNotNull())
        .select("person_id", "incident_id")
        .distinct()
    )
    return taking_part.join(incidents.select("incident_id", "occurred_at", "harm"), "incident_id")


def _numpy_sum(values: Column, *, grouped: bool) -> Column:
    """The sum of each array of ``values`` (doubles, in order) as pandas sums them:
    ``grouped``, a group's sum (pandas 3.1 sums the groups of rows sorted by group, as
    ``harm_by``'s are, with ``numpy.add.reduceat``: the first value plus the pairwise sum of
    the rest), else a column's (``numpy.add.reduce``: the pairwise sum of all).

    Spark's ``sum`` adds in the order rows arrive, which differs in the last bits where
    harms have fractions; numpy's pairwise summation is not a Spark SQL function, so numpy
    itself sums, in a pandas UDF on the executors (each array one group's harms)."""
    return _numpy_sums()[grouped](values)


@cache
def _numpy_sums() -> dict[bool, Callable[[Column], Column]]:
    from pyspark.sql.pandas.functions import pandas_udf

    # pyspark's stubs type pandas UDFs by their Python hints; these are Series to Series.
    as_udf: Any = pandas_udf

    def summed(reduce: Callable[[np.ndarray], float]) -> Callable[[pd.Series], pd.Series]:
        def arrays_summed(arrays: pd.Series) -> pd.Series:
            return pd.Series(
                [float(reduce(np.asarray(values, dtype=np.float64))) for values in arrays],
                index=arrays.index,
                dtype="float64",
            )

        return arrays_summed

    return {
        True: as_udf(summed(lambda values: np.add.reduceat(values, [0])[0]), "double"),
        False: as_udf(summed(np.add.reduce), "double"),
    }


def _in_order(*order: str, value: str) -> Column:
    """The ``value`` of a group's rows as an array, in the order of the ``order`` columns."""
    from pyspark.sql import functions as F

    rows = F.array_sort(F.collect_list(F.struct(*order, value)))
    return F.transform(rows, lambda row: row[value])


def _harm_by(events: DataFrame, keys: list[str]) -> DataFrame:
    """Per group of ``keys``: ``incidents`` (count), ``harm`` (total), ``first_at`` and
    ``last_at``, as :func:`graphvc.analysis.harm.harm_by` gives them for people (each
    group's harms summed in the order of its incidents by time, then incident)."""
    from pyspark.sql import functions as F

    grouped = events.groupBy(*keys).agg(
        F.count("*").alias("incidents"),
        _in_order("occurred_at", "incident_id", value="harm").alias("harms"),
        F.min("occurred_at").alias("first_at"),
        F.max("occurred_at").alias("last_at"),
    )
    harm = _numpy_sum(F.col("harms"), grouped=True).alias("harm")
    return grouped.select(*keys, "incidents", harm, "first_at", "last_at")


def _collected(frame: DataFrame, dtypes: dict[str, Any]) -> pd.DataFrame:
    """``frame`` collected, its columns given the in-process tables' ``dtypes``."""
    collected = frame.toPandas()
    return pd.DataFrame(
        {column: collected[column].astype(dtype) for column, dtype in dtypes.items()},
        index=pd.RangeIndex(len(collected)),
    )


def _people(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` indexed by its ``person_id`` (text, as the in-process tables' ids)."""
    return table.set_index("person_id")


def absolute_victims(
    incidents: DataFrame, involvements: DataFrame, *, end: DateLike | None = None
) -> pd.Index:
    """The people recorded as victims and never as offenders or suspects before ``end``:
    :func:`graphvc.analysis.overlap.absolute_victims` as a Spark job (an anti-join).

    Parameters
    ----------
    incidents : pyspark.sql.DataFrame
        The filled incidents (:func:`graphvc.spark.events.filled_incidents`).
    involvements : pyspark.sql.DataFrame
        The involvements (``person_id``, ``incident_id``, ``role``).
    end : date-like, optional
        Only incidents before it count (all history: no start).

    Returns
    -------
    pandas.Index
        The ids, sorted, named ``person_id``.
    """
    from pyspark.sql import functions as F

    before = _within(incidents, None, None if end is None else _timestamp(end, "end"))
    victims = _person_incidents(before, involvements, ("victim",)).select("person_id")
    offenders = _person_incidents(before, involvements, PERPETRATOR_ROLES).select("person_id")
    never = victims.distinct().join(offenders.distinct(), "person_id", "left_anti")
    # Spark orders text by its UTF-8 bytes: code point order, as Python's sorted().
    ids = [row["person_id"] for row in never.orderBy(F.col("person_id")).collect()]
    found: pd.Index = pd.Index(ids, name="person_id")
    return found


def victim_offender_overlap(
    incidents: DataFrame,
    involvements: DataFrame,
    *,
    as_of: DateLike,
    window_days: float = 730,
    cut: float = 3.5,
    perpetrator_roles: Iterable[str] = PERPETRATOR_ROLES,
) -> pd.DataFrame:
    """Harm suffered and caused by every person in ``[as_of - window_days, as_of)`` and their
    overlap class: :func:`graphvc.analysis.overlap.victim_offender_overlap` as Spark jobs.

    Parameters
    ----------
    incidents, involvements : pyspark.sql.DataFrame
        As in :func:`absolute_victims`.
    as_of, window_days, cut, perpetrator_roles
        As in :func:`graphvc.analysis.overlap.victim_offender_overlap`.

    Returns
    -------
    pandas.DataFrame
        Its table: indexed by ``person_id``, ``victimisations``, ``offences``,
        ``harm_suffered``, ``harm_caused``, ``ratio`` and ``overlap_class`` (ordered
        categorical); sorted by class, total harm (descending), person.
    """
    from pyspark.sql import functions as F

    if not cut > 1:
        raise AnalysisError(f"cut={cut!r} must be greater than 1")
    start, end = rolling_window(as_of, window_days)
    window = _within(incidents, start, end)
    sides = {
        side: _harm_by(_person_incidents(window, involvements, roles), ["person_id"]).select(
            "person_id", F.col("incidents").alias(count), F.col("harm").alias(harm)
        )
        for side, roles, count, harm in (
            ("victim", ("victim",), "victimisations", "harm_suffered"),
            ("offender", tuple(perpetrator_roles), "offences", "harm_caused"),
        )
    }
    table = sides["victim"].join(sides["offender"], "person_id", "full").fillna(0)
    suffered, caused = F.col("harm_suffered"), F.col("harm_caused")
    cut_ = F.lit(float(cut))
    # numpy's suffered / caused: Spark's division by 0 gives null, not inf or NaN.
    ratio = (
        F.when(caused != 0, suffered / caused)
        .when(suffered > 0, F.lit(float("inf")))
        .otherwise(F.lit(float("nan")))
    )
    codes = {name: F.lit(code) for code, name in enumerate(OVERLAP_CLASSES)}
    label = (
        F.when(F.col("offences") == 0, codes["absolute_victim"])
        .when(F.col("victimisations") == 0, codes["absolute_offender"])
        .when((suffered == 0) & (caused == 0), codes["balanced"])
        .when(suffered >= cut_ * caused, codes["predominant_victim"])
        .when(caused >= cut_ * suffered, codes["predominant_offender"])
        .otherwise(codes["balanced"])
    )
    ordered = (
        table.withColumn("ratio", ratio)
        .withColumn("code", label)
        .orderBy("code", (suffered + caused).desc(), "person_id")
    )
    result = _collected(
        ordered,
        {
            "person_id": "str",
            "victimisations": "int64",
            "offences": "int64",
            "harm_suffered": "float64",
            "harm_caused": "float64",
            "ratio": "float64",
            "code": "int64",
        },
    )
    labels = np.asarray(OVERLAP_CLASSES, dtype=object)[result.pop("code").to_numpy()]
    classes = pd.Categorical(labels, categories=OVERLAP_CLASSES, ordered=True)
    return _people(result.assign(overlap_class=classes))


def repeat_victims(
    incidents: DataFrame,
    involvements: DataFrame,
    *,
    as_of: DateLike,
    window_days: float = 365,
    min_count: int = 2,
) -> pd.DataFrame:
    """The victims with at least ``min_count`` victimisations in
    ``[as_of - window_days, as_of)``: :func:`graphvc.analysis.repeat_victims.repeat_victims`
    as Spark jobs.

    Parameters
    ----------
    incidents, involvements : pyspark.sql.DataFrame
        As in :func:`absolute_victims`.
    as_of, window_days, min_count
        As in :func:`graphvc.analysis.repeat_victims.repeat_victims`.

    Returns
    -------
    pandas.DataFrame
        Its table: indexed by ``person_id``, ``victimisations``, ``harm``, ``harm_share``
        (of the harm suffered by all victims of the window), ``first_at``, ``last_at``;
        sorted by victimisations, harm (both descending), person.
    """
    from pyspark.sql import functions as F

    if min_count < 2:
        raise AnalysisError(f"min_count={min_count!r} must be at least 2 for a repeat")
    start, end = rolling_window(as_of, window_days)
    window = _within(incidents, start, end)
    victims = _harm_by(_person_incidents(window, involvements, ("victim",)), ["person_id"])
    total = victims.agg(_in_order("person_id", value="harm").alias("harms")).select(
        _numpy_sum(F.col("harms"), grouped=False).alias("total")
    )
    share = F.when(F.col("total") > 0, F.col("harm") / F.col("total")).otherwise(
        F.lit(float("nan"))
    )
    repeats = (
        victims.crossJoin(F.broadcast(total))
        .filter(F.col("incidents") >= min_count)
        .select(
            "person_id",
            F.col("incidents").alias("victimisations"),
            "harm",
            share.alias("harm_share"),
            "first_at",
            "last_at",
        )
        .orderBy(F.col("victimisations").desc(), F.col("harm").desc(), "person_id")
    )
    return _people(
        _collected(
            repeats,
            {
                "person_id": "str",
                "victimisations": "int64",
                "harm": "float64",
                "harm_share": "float64",
                "first_at": _DATETIME,
                "last_at": _DATETIME,
            },
        )
    )


def domestic_repeats(
    incidents: DataFrame,
    involvements: DataFrame,
    *,
    window_days: float = 365,
    perpetrator_roles: Iterable[str] = PERPETRATOR_ROLES,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """Victim–perpetrator pairs who meet again in domestic abuse within ``window_days``:
    :func:`graphvc.analysis.repeat_victims.domestic_repeats` as Spark jobs (the gaps
    between a pair's successive incidents by a window function).

    Parameters
    ----------
    incidents, involvements : pyspark.sql.DataFrame
        As in :func:`absolute_victims`.
    window_days, perpetrator_roles, start, end
        As in :func:`graphvc.analysis.repeat_victims.domestic_repeats`.

    Returns
    -------
    pandas.DataFrame
        Its table: one row per repeat pair, ``victim_id``, ``perpetrator_id``,
        ``incidents``, ``repeats``, ``min_gap_days``, ``first_at``, ``last_at``, ``harm``;
        sorted by repeats (descending), the shortest gap, then the pair.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if not window_days > 0:
        raise AnalysisError(f"window_days={window_days!r} must be a positive number of days")
    table = _within(
        incidents,
        None if start is None else _timestamp(start, "start"),
        None if end is None else _timestamp(end, "end"),
    )
    domestic = table.filter((F.col("category") == "domestic_abuse") | F.col("domestic"))
    victims = _person_incidents(domestic, involvements, ("victim",)).withColumnRenamed(
        "person_id", "victim_id"
    )
    perpetrators = _person_incidents(domestic, involvements, tuple(perpetrator_roles)).select(
        F.col("person_id").alias("perpetrator_id"), "incident_id"
    )
    pairs = victims.join(perpetrators, "incident_id").filter(
        F.col("victim_id") != F.col("perpetrator_id")
    )
    keys = ["victim_id", "perpetrator_id"]
    previous = F.lag("occurred_at").over(
        Window.partitionBy(*keys).orderBy("occurred_at", "incident_id")
    )
    # Whole microseconds, so the gap is numpy's quotient of the same integer, bit for bit.
    gap_us = F.expr("timestampdiff(MICROSECOND, previous_at, occurred_at)")
    gaps = (
        pairs.withColumn("previous_at", previous)
        .withColumn("gap_days", gap_us.cast("double") / F.lit(_SECOND_US) / F.lit(_DAY))
        .withColumn("repeat", F.coalesce(F.col("gap_days") <= float(window_days), F.lit(False)))
    )
    grouped = gaps.groupBy(*keys).agg(
        F.count("*").alias("incidents"),
        F.sum(F.col("repeat").cast("long")).alias("repeats"),
        F.min("gap_days").alias("min_gap_days"),
        F.min("occurred_at").alias("first_at"),
        F.max("occurred_at").alias("last_at"),
        _in_order("occurred_at", "incident_id", value="harm").alias("harms"),
    )
    ordered = (
        grouped.filter(F.col("repeats") > 0)
        .withColumn("harm", _numpy_sum(F.col("harms"), grouped=True))
        .orderBy(F.col("repeats").desc(), "min_gap_days", *keys)
    )
    return _collected(
        ordered,
        {
            "victim_id": "str",
            "perpetrator_id": "str",
            "incidents": "int64",
            "repeats": "int64",
            "min_gap_days": "float64",
            "first_at": _DATETIME,
            "last_at": _DATETIME,
            "harm": "float64",
        },
    )


def rfg_scores(
    incidents: DataFrame,
    involvements: DataFrame,
    *,
    as_of: DateLike,
    window_days: float = 730,
    recency_weight: float = 1.0,
    frequency_weight: float = 1.0,
    gravity_weight: float = 1.0,
    roles: Iterable[str] = PERPETRATOR_ROLES,
) -> pd.DataFrame:
    """Recency–Frequency–Gravity score of every person who offended in
    ``[as_of - window_days, as_of)``: :func:`graphvc.analysis.priority.rfg_scores` as Spark
    jobs (the ranks by a window function).

    Parameters
    ----------
    incidents, involvements : pyspark.sql.DataFrame
        As in :func:`absolute_victims`.
    as_of, window_days, recency_weight, frequency_weight, gravity_weight, roles
        As in :func:`graphvc.analysis.priority.rfg_scores`.

    Returns
    -------
    pandas.DataFrame
        Its table: indexed by ``person_id``, ``rank`` (ties share the best), then
        ``last_offence_at``, ``recency_days``, ``frequency``, ``gravity``, the three
        ``*_score`` and ``*_part`` columns and ``rfg``; sorted by rank, then person.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    weights = _weights(
        {"recency": recency_weight, "frequency": frequency_weight, "gravity": gravity_weight}
    )
    start, end = rolling_window(as_of, window_days)
    offending = _harm_by(
        _person_incidents(_within(incidents, start, end), involvements, tuple(roles)),
        ["person_id"],
    )
    # end - last offence in nanoseconds, exactly: whole microseconds to end's microsecond,
    # then end's nanoseconds beyond it.
    whole_us = end.floor("us")
    since_us = F.expr(
        "timestampdiff(MICROSECOND, last_at, "
        f"to_timestamp_ntz('{whole_us.strftime('%Y-%m-%d %H:%M:%S.%f')}'))"
    )
    since_ns = since_us * 1000 + F.lit(int(end.value - whole_us.value))
    largest = offending.agg(
        F.max("incidents").cast("double").alias("top_frequency"),
        F.max("harm").alias("top_gravity"),
    )
    scores = offending.crossJoin(F.broadcast(largest)).select(
        "person_id",
        F.col("last_at").alias("last_offence_at"),
        (since_ns.cast("double") / F.lit(1e9) / F.lit(_DAY)).alias("recency_days"),
        F.col("incidents").alias("frequency"),
        F.col("harm").alias("gravity"),
        "top_frequency",
        "top_gravity",
    )
    scores = scores.select(
        "*",
        (F.lit(1.0) - F.col("recency_days") / F.lit(float(window_days))).alias("recency_score"),
        _share_of_max(F.col("frequency").cast("double"), F.col("top_frequency")).alias(
            "frequency_score"
        ),
        _share_of_max(F.col("gravity"), F.col("top_gravity")).alias("gravity_score"),
    )
    parts = [
        (F.lit(weight) * F.col(f"{part}_score")).alias(f"{part}_part")
        for part, weight in weights.items()
    ]
    scores = scores.select("*", *parts)
    total = F.col("recency_part") + F.col("frequency_part") + F.col("gravity_part")
    rank = F.rank().over(Window.orderBy(F.col("rfg").desc()))
    ranked = scores.withColumn("rfg", total).withColumn("rank", rank).orderBy("rank", "person_id")
    columns = {
        "person_id": "str",
        "rank": "int64",
        "last_offence_at": _DATETIME,
        "recency_days": "float64",
        "frequency": "int64",
        "gravity": "float64",
        **{f"{part}_score": "float64" for part in weights},
        **{f"{part}_part": "float64" for part in weights},
        "rfg": "float64",
    }
    return _people(_collected(ranked, columns))


def _share_of_max(values: Column, largest: Column) -> Column:
    """``values / largest``, 0 where the largest is not positive (as the in-process
    ``_share_of_max``)."""
    from pyspark.sql import functions as F

    return F.when(largest > 0, values / largest).otherwise(values * F.lit(0.0))
