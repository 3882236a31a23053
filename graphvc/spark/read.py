"""The graph's tables read into Spark by the Neo4j Connector for Apache Spark.

The same tables as :func:`graphvc.graph_tables.read_graph_tables` (the input contract's, the
incidents and involvements cut to the window), read by the connector's query mode from
``cypher/spark/``: each table in ``partitions`` parts, by its nodes' or relationships' internal
ids, one Spark partition each, so the executors read them from the server at once.
:func:`to_pandas` collects them as the in-process engine's tables, row for row.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import reduce
from typing import TYPE_CHECKING

import pandas as pd

from graphvc.config import Settings
from graphvc.contract import LOCAL_TIME_ZONE, TABLES, read_columns
from graphvc.db import cypher_dir
from graphvc.errors import ConfigError
from graphvc.graph_tables import canonical

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["DEFAULT_PARTITIONS", "connection_options", "read_tables", "table_query", "to_pandas"]

#: The parts each table is read in (Spark partitions, read at once by the executors).
DEFAULT_PARTITIONS = 4
#: The tables cut to the window; the others are read whole.
_WINDOWED = ("incidents", "involvements")
#: Spark's type of each contract type (the connector reads every value as text:
#: ``schema.strategy=string``, so a column whose first rows are null is not mistyped).
_SPARK_TYPES = {"number": "double", "boolean": "boolean", "datetime": "long"}
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT[0-9:.]+([+-]\d\d:\d\d|Z)?$")


def table_query(
    table: str, *, part: int, parts: int, start: str | None = None, end: str | None = None
) -> str:
    """The Cypher of ``table``'s part ``part`` of ``parts`` (``cypher/spark/<table>.cypher``).

    The connector's query mode takes no parameters, so the values are written as the literals
    of the query's first ``WITH``: integers, and ISO date-times checked against a pattern
    (never text from a user).

    Examples
    --------
    >>> print(table_query("persons", part=1, parts=4).splitlines()[0])
    WITH null AS start, null AS end, 1 AS part, 4 AS parts
    >>> table_query("incidents", part=0, parts=1, start="2024-01-01 OR true")
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: '2024-01-01 OR true' is not an ISO date-time
    """
    literals = []
    for value in (start, end):
        if value is not None and not _ISO.match(value):
            raise ConfigError(f"{value!r} is not an ISO date-time")
        literals.append("null" if value is None else json.dumps(value))
    head = f"WITH {literals[0]} AS start, {literals[1]} AS end, {int(part)} AS part, {int(parts)} AS parts"
    text = (cypher_dir() / "spark" / f"{table}.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return body.replace("{{PARAMETERS}}", head).strip()


def connection_options(settings: Settings, database: str = "neo4j") -> dict[str, str]:
    """The connector's options that reach the server of ``settings`` and its ``database``,
    for its reads and its writes alike."""
    user, password = settings.auth
    return {
        "url": settings.uri,
        "authentication.type": "basic",
        "authentication.basic.username": user,
        "authentication.basic.password": password,
        "database": database,
    }


def _zoned(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    stamp = pd.Timestamp(moment)
    return (stamp if stamp.tzinfo else stamp.tz_localize(LOCAL_TIME_ZONE)).isoformat()


def read_tables(
    session: SparkSession,
    settings: Settings,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    partitions: int = DEFAULT_PARTITIONS,
    database: str = "neo4j",
) -> dict[str, DataFrame]:
    """The contract's tables as Spark DataFrames, read by the connector from the server of
    ``settings`` (incidents with ``start <= occurred_at < end``, either None: open; a moment
    without a zone is London time). Columns typed by the contract; date-times as epoch
    milliseconds (``long``)."""
    window = {"start": _zoned(start), "end": _zoned(end)}
    connection = connection_options(settings, database)

    def part(table: str, index: int) -> DataFrame:
        bounds = window if table in _WINDOWED else {}
        return (
            session.read.format("org.neo4j.spark.DataSource")
            .options(**connection)
            .option("schema.strategy", "string")
            .option("query", table_query(table, part=index, parts=partitions, **bounds))
            .load()
        )

    frames = {}
    for table in TABLES:
        frame = reduce(lambda a, b: a.unionByName(b), (part(table, i) for i in range(partitions)))
        for column in TABLES[table].declared:
            if column.name in read_columns(table):
                kind = _SPARK_TYPES.get(column.type, "string")
                frame = frame.withColumn(column.name, frame[column.name].cast(kind))
        frames[table] = frame.select(*read_columns(table))
    return frames


def to_pandas(frames: dict[str, DataFrame]) -> dict[str, pd.DataFrame]:
    """``frames`` collected as the in-process engine's tables (:func:`read_graph_tables`'s):
    the date-times as London wall-clock time, in the contract's canonical order."""
    tables = {}
    for table, frame in frames.items():
        collected = frame.toPandas()
        # Rebuilt from Python lists, as the driver's rows are: the same dtypes inferred.
        rebuilt = pd.DataFrame({c: collected[c].tolist() for c in collected.columns})
        for column in TABLES[table].declared:
            if column.type == "datetime" and column.name in rebuilt:
                instants = pd.to_datetime(rebuilt[column.name], unit="ms", utc=True)
                rebuilt[column.name] = instants.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)
        tables[table] = canonical(table, rebuilt)
    return tables
