"""The Spark engine: ``graphvc analyse --engine spark [--spark-master URL]``.

The same run as the in-process engine's (:mod:`graphvc.runs`), on Apache Spark 3.5: the
graph read by the Neo4j Connector for Apache Spark; the person network projected, and its
degrees, PageRank and components computed, with GraphFrames (:mod:`graphvc.spark.network`);
the table measures as Spark jobs (:mod:`graphvc.spark.victims`, :mod:`graphvc.spark.places`,
:mod:`graphvc.spark.continuum`, asked through :mod:`graphvc.spark.measures`); the measures
that need the whole network at once on the driver; the scores written back by the connector
(:mod:`graphvc.spark.write`). The stored run is the in-process engine's, so the app and the
reports cannot tell which engine made it. Which measure runs where, and why:
``docs/operations/scaling.md`` and ``docs/operations/spark.md``.

Needs the ``spark`` extra (``pip install 'graphvc[spark]'``; ``make install`` installs it)
and the jars ``graphvc spark install`` fetches with Maven (:mod:`graphvc.spark.jars`). The
session is built by the caller (:func:`spark_session`) and handed in, as a driver is.
"""

from graphvc.spark.engine import spark_analyse, spark_obtain_run
from graphvc.spark.jars import install, installed_jars
from graphvc.spark.session import DEFAULT_MASTER, spark_session

__all__ = [
    "DEFAULT_MASTER",
    "install",
    "installed_jars",
    "spark_analyse",
    "spark_obtain_run",
    "spark_session",
]
