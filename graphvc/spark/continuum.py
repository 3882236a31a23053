"""The continuum of violence as Spark jobs: each offender's escalation profile.

:func:`escalation_profile` is :func:`graphvc.analysis.continuum.escalation_profile` with the
same keyword parameters, on Spark DataFrames (the incidents filled by
:func:`graphvc.spark.events.filled_incidents`, the involvements as
:func:`graphvc.spark.read.read_tables` gives them); Spark does the work and only the profile,
a row per offender, is collected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from graphvc.analysis.continuum import WEAPON_CATEGORIES
from graphvc.analysis.events import DateLike
from graphvc.contract import PERPETRATOR_ROLES, ROLES
from graphvc.errors import AnalysisError, InputError
from graphvc.spark.events import in_window

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["escalation_profile"]

#: Seconds in the in-process slope's year of 365.25 days.
_YEAR_SECONDS = 86_400.0 * 365.25

#: The profile's columns and their dtypes, in the in-process order.
_PROFILE = {
    "incidents": "int64",
    "first_at": "datetime64[us]",
    "last_at": "datetime64[us]",
    "sequence": "object",
    "distinct_categories": "int64",
    "category_changes": "int64",
    "diversity_index": "float64",
    "harm": "float64",
    "harm_slope": "float64",
    "escalated_to_knife_or_gun": "bool",
    "first_knife_or_gun_at": "datetime64[us]",
}


def escalation_profile(
    incidents: DataFrame,
    involvements: DataFrame,
    *,
    roles: Iterable[str] = PERPETRATOR_ROLES,
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """:func:`graphvc.analysis.continuum.escalation_profile` in Spark: one row per offender
    (a person in one of ``roles`` in an incident of ``[start, end)``), sorted by person.

    The sequence of categories is collected per person and sorted by time, then incident
    id; the changes are counted along it. The harm slope is the in-process least-squares
    slope ``Σ(t - t̄)(h - h̄) / Σ(t - t̄)²`` with ``t`` in years of 365.25 days from the
    person's first incident: the means over each person's incidents (a window partitioned
    by person, the partitioning the aggregate then reuses), then the two sums. Centred sums
    rather than the raw moments ``n, Σt, Σh, Σth, Σt²``: those cancel, so a person of
    constant harm would get a slope of some 1e-13 instead of 0. Spark adds in another order
    than pandas, so the slope, the diversity index and (for harms that are not whole days)
    the harm may differ from the in-process ones in the last bits (well within 1e-9
    relative).

    Raises :class:`AnalysisError` for a role not of the contract in ``roles``, and
    :class:`InputError` naming the first involvement (by person, incident) whose role is not.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    events = _person_incidents(incidents, involvements, roles=tuple(roles), start=start, end=end)
    person = Window.partitionBy("person_id")
    # Microseconds between two wall-clock times, whatever the session's time zone.
    since_first = F.expr("timestampdiff(MICROSECOND, first_of_person, occurred_at)")
    centred = (
        events.withColumn("first_of_person", F.min("occurred_at").over(person))
        .withColumn("t", since_first / F.lit(1_000_000.0) / F.lit(_YEAR_SECONDS))
        .withColumn("t", F.col("t") - F.avg("t").over(person))
        .withColumn("h", F.col("harm") - F.avg("harm").over(person))
    )
    in_order = F.array_sort(F.collect_list(F.struct("occurred_at", "incident_id", "category")))
    weapon_at = F.when(F.col("category").isin(list(WEAPON_CATEGORIES)), F.col("occurred_at"))
    profile = centred.groupBy("person_id").agg(
        F.count(F.lit(1)).alias("incidents"),
        F.min("occurred_at").alias("first_at"),
        F.max("occurred_at").alias("last_at"),
        F.transform(in_order, lambda event: event["category"]).alias("sequence"),
        F.countDistinct("category").alias("distinct_categories"),
        F.sum("harm").alias("harm"),
        F.sum(F.col("t") * F.col("h")).alias("th"),
        F.sum(F.col("t") * F.col("t")).alias("tt"),
        F.min(weapon_at).alias("first_knife_or_gun_at"),
    )
    changes = F.expr(
        "size(filter(zip_with(slice(sequence, 2, size(sequence)),"
        " slice(sequence, 1, size(sequence) - 1), (a, b) -> a != b), changed -> changed))"
    )
    measured = profile.join(_diversity(events), "person_id").select(
        "person_id",
        "incidents",
        "first_at",
        "last_at",
        "sequence",
        "distinct_categories",
        changes.alias("category_changes"),
        "diversity_index",
        F.col("harm").cast("double").alias("harm"),
        F.when(F.col("tt") > 0, F.col("th") / F.col("tt")).alias("harm_slope"),
        F.coalesce(F.col("first_knife_or_gun_at") > F.col("first_at"), F.lit(False)).alias(
            "escalated_to_knife_or_gun"
        ),
        "first_knife_or_gun_at",
    )
    got = measured.orderBy("person_id").toPandas()
    table = got[list(_PROFILE)].astype(_PROFILE)
    table.index = pd.Index(got["person_id"].astype("str"), name="person_id")
    table["sequence"] = pd.Series(
        [tuple(str(c) for c in sequence) for sequence in got["sequence"]],
        index=table.index,
        dtype=object,
    )
    return table


def _person_incidents(
    incidents: DataFrame,
    involvements: DataFrame,
    *,
    roles: tuple[str, ...],
    start: DateLike | None,
    end: DateLike | None,
) -> DataFrame:
    """:func:`graphvc.analysis.events.person_incidents` as a Spark frame (unordered): one row
    per person and incident of ``[start, end)`` in which they took one of ``roles``, with
    its ``occurred_at``, ``category`` and ``harm``; the same errors for a role not of the
    contract."""
    from pyspark.sql import functions as F

    for role in roles:
        if role not in ROLES:
            raise AnalysisError(f"role {role!r} is not one of {', '.join(ROLES)}")
    unknown = (
        involvements.filter(~F.col("role").isin(list(ROLES)) | F.col("role").isNull())
        .orderBy("person_id", "incident_id")
        .first()
    )
    if unknown is not None:
        raise InputError(
            f"involvements: person {unknown['person_id']!r} in incident "
            f"{unknown['incident_id']!r}: role {unknown['role']!r} is not one of {', '.join(ROLES)}"
        )
    taking_part = (
        involvements.filter(F.col("role").isin(list(roles)))
        .select("person_id", "incident_id")
        .distinct()
    )
    window = in_window(incidents, start=start, end=end)
    return taking_part.join(
        window.select("incident_id", "occurred_at", "category", "harm"), "incident_id"
    )


def _diversity(events: DataFrame) -> DataFrame:
    """Each person's ``diversity_index``, ``1 - Σ p²`` over the shares of their categories."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    return (
        events.groupBy("person_id", "category")
        .agg(F.count(F.lit(1)).alias("n"))
        .withColumn("share", F.col("n") / F.sum("n").over(Window.partitionBy("person_id")))
        .groupBy("person_id")
        .agg((F.lit(1.0) - F.sum(F.col("share") * F.col("share"))).alias("diversity_index"))
    )
