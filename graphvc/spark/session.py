"""The Spark session of the Spark engine: any master, ``local[*]`` by default.

The session is built by the caller (the CLI, a test, the benchmark) and handed to the engine,
as a Neo4j driver is: library code never creates one behind the caller's back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from graphvc.config import Settings
from graphvc.errors import ConfigError
from graphvc.spark.jars import installed_jars

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["DEFAULT_MASTER", "spark_session"]

#: The embedded default: Spark in this process's JVM, one worker thread per core.
DEFAULT_MASTER = "local[*]"


def spark_session(
    settings: Settings,
    master: str | None = None,
    *,
    config: Mapping[str, str] | None = None,
) -> SparkSession:
    """A Spark session on ``master`` (None: :data:`DEFAULT_MASTER`) with the Neo4j
    connector's jar (:func:`graphvc.spark.jars.installed_jars`) on ``spark.jars``.

    In local mode the driver binds to 127.0.0.1 and the Spark UI is off, so several sessions
    on one machine never contend for a port. ``config`` adds or overrides Spark settings
    (``spark.driver.memory``, ``spark.executor.instances``...).

    Raises :class:`ConfigError` when pyspark is not installed (``pip install graphvc[spark]``).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ConfigError(
            "the Spark engine needs pyspark: pip install 'graphvc[spark]' (make install does)"
        ) from None
    # The Python of the workers is this one, whatever PATH says.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    master = master or DEFAULT_MASTER
    checkpoints = settings.home / "spark" / "checkpoints"
    checkpoints.mkdir(parents=True, exist_ok=True)
    builder = (
        SparkSession.builder.master(master)
        .appName("graphvc")
        .config("spark.jars", ",".join(str(jar) for jar in installed_jars(settings)))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # Few partitions: the tables of one force are small for Spark's default of 200, and
        # each partition is a task whose start costs more than its rows below millions.
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.checkpoint.dir", str(Path(checkpoints)))
    )
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setCheckpointDir(str(checkpoints))
    session.sparkContext.setLogLevel("ERROR")
    return session
