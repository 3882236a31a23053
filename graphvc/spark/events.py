"""The incidents as every Spark table measure reads them: wall-clock times, harm filled.

The Spark engine's measures (:mod:`graphvc.spark.victims`, :mod:`graphvc.spark.places`...)
take the tables as the in-process measures take theirs: date-times as London wall-clock time
(Spark's ``timestamp_ntz``, as pandas' naive ``datetime64``), and the incidents with ``harm``,
``category`` and ``domestic`` filled as :func:`graphvc.analysis.events.incident_harm` fills
them. :func:`wall_clock` turns the connector's epoch milliseconds into that time,
:func:`filled_incidents` fills the incidents, and :func:`spark_table` makes such a table from
a pandas one (the tests' way in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from graphvc.analysis.events import DateLike, _timestamp
from graphvc.contract import LOCAL_TIME_ZONE, TABLES
from graphvc.errors import InputError
from graphvc.harm_index import HarmTable, load_harm_table

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = ["filled_incidents", "in_window", "spark_table", "wall_clock"]


def _datetime_columns(table: str) -> list[str]:
    return [column.name for column in TABLES[table].declared if column.type == "datetime"]


def wall_clock(frame: DataFrame, table: str) -> DataFrame:
    """``frame``, a contract ``table`` read by :func:`graphvc.spark.read.read_tables`, with
    its date-times (epoch milliseconds) as London wall-clock ``timestamp_ntz``: the time the
    in-process engine's tables hold. Needs the session's time zone to be UTC, as
    :func:`graphvc.spark.spark_session` sets it."""
    from pyspark.sql import functions as F

    for name in _datetime_columns(table):
        if name in frame.columns:
            instant = F.timestamp_millis(F.col(name))
            frame = frame.withColumn(
                name, F.from_utc_timestamp(instant, LOCAL_TIME_ZONE).cast("timestamp_ntz")
            )
    return frame


def filled_incidents(incidents: DataFrame, *, harm_table: HarmTable | None = None) -> DataFrame:
    """``incidents`` (wall-clock, :func:`wall_clock`) with ``harm`` (double), ``category`` and
    ``domestic`` (boolean, False where missing) filled as
    :func:`~graphvc.analysis.events.incident_harm` fills them: an empty harm or category takes
    the offence's from the harm table (``harm_table``; default: the one graphvc uses).

    Raises :class:`InputError` naming the first incident whose offence the harm table does not
    know where its harm or category is needed (the loader refuses such rows, so only a graph
    written by other means holds one)."""
    from pyspark.sql import functions as F

    reference = (harm_table or load_harm_table()).table[["offence", "harm_days", "category"]]
    session = incidents.sparkSession
    lookup = session.createDataFrame(
        reference.rename(columns={"category": "offence_category"}).astype(
            {"harm_days": float, "offence": str, "offence_category": str}
        )
    )
    blank_category = F.col("category").isNull() | (F.trim(F.col("category")) == "")
    needed = F.col("harm").isNull() | blank_category
    joined = incidents.join(F.broadcast(lookup), "offence", "left")
    unknown = joined.filter(needed & F.col("offence_category").isNull()).select(
        "incident_id", "offence"
    )
    first = unknown.orderBy("incident_id").first()
    if first is not None:
        raise InputError(
            f"incidents: incident {first['incident_id']!r}: offence {first['offence']!r} "
            "is not in the harm table"
        )
    filled = {
        "harm": F.coalesce(F.col("harm").cast("double"), F.col("harm_days")),
        "category": F.when(blank_category, F.col("offence_category")).otherwise(F.col("category")),
        "domestic": F.coalesce(F.col("domestic").cast("boolean"), F.lit(False)),
    }
    kept = [F.col(c) for c in incidents.columns if c not in filled]
    added = [value.alias(name) for name, value in filled.items()]
    return joined.select(*kept, *added).select(
        *incidents.columns, *[name for name in filled if name not in incidents.columns]
    )


def spark_table(session: SparkSession, frame: pd.DataFrame) -> DataFrame:
    """A pandas table (naive ``datetime64`` columns: wall-clock time) as a Spark DataFrame
    with those columns as ``timestamp_ntz``: the tables the Spark measures read. Empty
    object columns are read as text."""
    from pyspark.sql import functions as F

    plain = frame.reset_index(drop=True).copy()
    times = [c for c in plain.columns if pd.api.types.is_datetime64_any_dtype(plain[c])]
    for column in plain.columns:
        if plain[column].dtype == object and plain[column].isna().all():
            plain[column] = plain[column].astype("string")
    spark = session.createDataFrame(plain)
    for column in times:
        spark = spark.withColumn(column, F.col(column).cast("timestamp_ntz"))
    return spark


def in_window(
    frame: DataFrame,
    *,
    start: DateLike | None = None,
    end: DateLike | None = None,
    column: str = "occurred_at",
) -> DataFrame:
    """The rows of ``frame`` with ``start <= column < end`` (either may be None: open), the
    bounds read as :func:`~graphvc.analysis.events.incident_harm` reads them (a date means
    its midnight, an offset is converted to London wall-clock time) and ``column`` a
    wall-clock ``timestamp_ntz``.

    Spark's times are whole microseconds: a bound with a fraction of one is rounded up,
    which keeps exactly the rows pandas keeps (``t >= s`` and ``t < e`` for a whole ``t``
    are ``t >= ceil(s)`` and ``t < ceil(e)``).

    Raises :class:`~graphvc.errors.AnalysisError` when a bound is not a date."""
    from pyspark.sql import functions as F

    if start is not None:
        frame = frame.filter(F.col(column) >= _moment(start, "start"))
    if end is not None:
        frame = frame.filter(F.col(column) < _moment(end, "end"))
    return frame


def _moment(value: DateLike, name: str) -> Column:
    """``value`` as a Spark ``timestamp_ntz`` literal, rounded up to a whole microsecond."""
    from pyspark.sql import functions as F

    stamp = _timestamp(value, name).ceil("us")
    return F.lit(stamp.strftime("%Y-%m-%d %H:%M:%S.%f")).cast("timestamp_ntz")
