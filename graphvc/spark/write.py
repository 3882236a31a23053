"""A run's scores written back by the Neo4j Connector for Apache Spark.

The Spark engine's :data:`graphvc.scores.ScoreWriter`: each table of scores (the people's two
parts, the places at each level) becomes a Spark DataFrame of one row per node, written by the
connector's query mode with the connector's twin of the driver's Cypher file
(``cypher/spark/write_*.cypher`` beside ``cypher/analysis/write_*.cypher``): the same
properties on the same nodes, of the same types, stamped ``scored_at`` with the same
``datetime``. The rest of the write-back is :class:`graphvc.scores.WriteBack`'s, whatever
engine made the run: the scores of earlier runs cleared and those of a failed run withdrawn
by the driver, so the app and the reports cannot tell the engines apart.

Why partitions cannot deadlock: every row sets the properties of one node, and no two rows
name the same node (the table's index is unique), so the partitions, written at once, never
wait on each other's node locks; the ``MATCH`` on the node's key reads its uniqueness
constraint's index, which takes no lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from graphvc.config import Settings
from graphvc.db import read_cypher, split_statements
from graphvc.errors import DatabaseError, RunError
from graphvc.scores import WRITE_BACK_BATCH, ScoreTarget, ScoreWriter, score_columns
from graphvc.spark.read import DEFAULT_PARTITIONS, connection_options

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "connector_writer",
    "score_frame",
    "write_query",
    "write_table_scores",
]

#: Spark's type of each Python type the driver writes (:func:`graphvc.scores.score_columns`):
#: the connector writes a long as Neo4j's integer, a double as its float.
_SPARK_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def write_query(target: ScoreTarget) -> str:
    """The connector's Cypher for ``target`` (:data:`graphvc.scores.ScoreTarget`): the file of
    the same name under ``cypher/spark/``, its placeholders filled as the driver's are, without
    its header. The connector runs it as ``UNWIND $events AS event <query>``.

    Examples
    --------
    >>> print(write_query(("Ward", "analysis/write_area_scores", {"AREA": "Ward"})).splitlines()[0])
    MATCH (n:`Ward` {code: event.id})
    """
    _label, cypher, labels = target
    (query,) = split_statements(read_cypher("spark/" + cypher.rsplit("/", 1)[-1], labels=labels))
    return query


def _spark_type(prop: str, values: list[Any]) -> str:
    """The Spark type of the score ``prop`` whose values are ``values`` (None: missing): the
    one type of its values, since the driver would write each value with its own.

    Examples
    --------
    >>> _spark_type("score_priority_rank", [1.0, None, 2.0]), _spark_type("score_x", [None])
    ('double', 'string')
    >>> _spark_type("score_k_core", [1, 2.5])
    Traceback (most recent call last):
    ...
    graphvc.errors.RunError: score 'score_k_core' mixes values of types ['float', 'int']: one type per score
    """
    kinds = {type(value) for value in values if value is not None}
    if len(kinds) > 1:
        names = sorted(kind.__name__ for kind in kinds)
        raise RunError(f"score {prop!r} mixes values of types {names}: one type per score")
    return _SPARK_TYPES[kinds.pop()] if kinds else "string"


def score_frame(
    session: SparkSession, table: pd.DataFrame, names: Mapping[str, str], stamp: str
) -> DataFrame:
    """``table``'s scores ``names`` (column -> node property) as a Spark DataFrame, one row per
    node: ``id`` (the node's key as text), a column per property of the values the driver
    writes (:func:`graphvc.scores.score_columns`: boolean, long, double or string; null where
    the run gave none) and ``run_at``, the run's stamp ``stamp`` (an ISO date-time), a column
    like the others: the connector's query takes no parameter but its rows.

    Raises :class:`RunError` when ``table``'s index names a node twice (two rows on one node
    could be written by two partitions at once) or a score mixes types.
    """
    from pyspark.sql import functions
    from pyspark.sql.types import StructType

    if not table.index.is_unique:
        twice = table.index[table.index.duplicated()].unique().tolist()[:5]
        raise RunError(f"the scores name these nodes more than once: {twice}")
    ids, columns = score_columns(table, names)
    schema = StructType().add("id", "string", nullable=False)
    for prop, values in columns.items():
        schema = schema.add(prop, _spark_type(prop, values))
    rows = list(zip(ids, *columns.values(), strict=True))
    return session.createDataFrame(rows, schema).withColumn("run_at", functions.lit(stamp))


def write_table_scores(
    session: SparkSession,
    settings: Settings,
    target: ScoreTarget,
    names: Mapping[str, str],
    table: pd.DataFrame,
    stamp: str,
    *,
    database: str = "neo4j",
    partitions: int = DEFAULT_PARTITIONS,
    batch_size: int = WRITE_BACK_BATCH,
) -> None:
    """Write ``table``'s scores ``names`` onto the nodes of ``target``, stamped ``stamp``, with
    the connector (:func:`score_frame`, :func:`write_query`) on the server of ``settings``:
    ``partitions`` Spark partitions written at once, ``batch_size`` rows to a transaction
    (the connector's ``batch.size``; it retries a transient failure, as the driver does).

    Raises :class:`DatabaseError` when Neo4j refused or failed the write (the Neo4j driver's
    exception is in the connector's), :class:`RunError` when Spark failed it.
    """
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    if table.empty:
        return
    frame = score_frame(session, table, names, stamp).repartition(partitions)
    try:
        (
            frame.write.format("org.neo4j.spark.DataSource")
            .mode("Overwrite")
            .options(**connection_options(settings, database))
            .option("query", write_query(target))
            .option("batch.size", str(batch_size))
            .save()
        )
    except (Py4JError, PySparkException) as e:
        cause = _root_cause(e)
        message = (
            f"the Spark connector did not write the {target[0]} scores "
            f"({len(table):,} nodes): {cause}"
        )
        if cause.startswith("org.neo4j.driver.exceptions."):
            raise DatabaseError(message) from e
        raise RunError(message) from e


def _root_cause(error: Exception) -> str:
    """The innermost Java exception behind ``error`` (a Spark job's), as Java prints it, or
    ``error``'s first line when it carries none."""
    throwable = getattr(error, "java_exception", None)
    if throwable is None:
        return (str(error).strip().splitlines() or [type(error).__name__])[0]
    while throwable.getCause() is not None:
        throwable = throwable.getCause()
    return str(throwable.toString())


def connector_writer(
    session: SparkSession,
    settings: Settings,
    *,
    database: str = "neo4j",
    partitions: int = DEFAULT_PARTITIONS,
    batch_size: int = WRITE_BACK_BATCH,
) -> ScoreWriter:
    """The :data:`graphvc.scores.ScoreWriter` that writes each table of scores with the
    connector (:func:`write_table_scores`), for :class:`graphvc.scores.WriteBack` and
    :func:`graphvc.runs.record_run` (``write=``).
    """

    def write(
        target: ScoreTarget, names: Mapping[str, str], table: pd.DataFrame, stamp: str
    ) -> None:
        write_table_scores(
            session,
            settings,
            target,
            names,
            table,
            stamp,
            database=database,
            partitions=partitions,
            batch_size=batch_size,
        )

    return write
