"""The Spark engine's run: the same stored run as :func:`graphvc.runs.obtain_run`'s, from a
Spark session.

What runs where (``docs/scaling.md``): the read (the Neo4j connector, partitioned), the
person network's projection and its degree, weighted degree, PageRank and connected
components in Spark (:mod:`graphvc.spark.network`); the table measures in Spark too, asked
by graphvc's own stages (:mod:`graphvc.runs.stages`) through the table-measures seam
(:class:`graphvc.spark.measures.SparkTableMeasures`); betweenness (sampled as the in-process
engine samples it), Leiden, eigenvector, k-core, harm PageRank and network exposure on the
driver, on the network built from the tables collected from Spark (which the stored run's
pages read too); the scores written back by the connector (:mod:`graphvc.spark.write`) within graphvc's
own write-back, and the run stored by its stored-run path (:func:`graphvc.runs.record_run`),
so the app and the reports cannot tell the engines apart.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import neo4j

from graphvc.analysis.events import harm_once, rolling_window
from graphvc.config import Settings
from graphvc.errors import AnalysisError
from graphvc.runs.obtain import (
    ANALYSED_NOW,
    Run,
    record_run,
    resolved_parameters,
    widest_window,
)
from graphvc.runs.parameters import AnalysisParameters
from graphvc.runs.stages import (
    AnalysisResult,
    Clock,
    complete_run,
    profile_people,
    rank_people,
    run_network,
)
from graphvc.spark.measures import SparkTableMeasures
from graphvc.spark.network import network_measures, person_ties
from graphvc.spark.read import DEFAULT_PARTITIONS, read_tables, to_pandas
from graphvc.spark.write import connector_writer
from graphvc.stored_runs import DEFAULT_KEEP_RUNS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["spark_analyse", "spark_obtain_run"]

log = logging.getLogger(__name__)


def spark_analyse(
    driver: neo4j.Driver,
    session: SparkSession,
    settings: Settings,
    parameters: AnalysisParameters | None = None,
    *,
    partitions: int = DEFAULT_PARTITIONS,
    database: str = "neo4j",
) -> AnalysisResult:
    """The run of ``parameters`` (None: the defaults) on the graph, computed by the Spark
    engine: the same :class:`~graphvc.runs.AnalysisResult` as :func:`graphvc.runs.analyse`
    gives on the same graph (PageRank to within floating-point summation order).

    ``driver`` resolves a default ``as_of`` only; the tables are read by the connector from
    the server of ``settings``. ``result.timings`` adds ``spark_read`` (the read and collect)
    and ``spark_network`` (the projection and its measures in Spark).

    Raises :class:`AnalysisError` when analysts have confirmed identities the run would
    merge (``--resolve confirmed``: the Spark engine does not merge records yet), or when
    Spark's projection and the driver's network disagree
    on who is in the network or on how many ties there are (a load running meanwhile).
    """
    clock = Clock()
    parameters = resolved_parameters(driver, parameters, database=database)
    if parameters.merged_clusters:
        # Spark's projection reads the records as loaded; merging them there is not built.
        raise AnalysisError(
            f"{len(parameters.merged_clusters)} confirmed identities would merge records, "
            "which the Spark engine does not do yet: run with --resolve none, or with "
            "--engine inprocess"
        )
    start, end = widest_window(parameters)
    frames = {
        table: frame.cache()
        for table, frame in read_tables(
            session, settings, start=start, end=end, partitions=partitions, database=database
        ).items()
    }
    tables = to_pandas(frames)
    clock.lap("spark_read")
    log.info("Spark engine: tables read and collected in %.1f s", clock.timings["spark_read"])
    net_start, net_end = rolling_window(parameters.moment, parameters.window_days)
    nodes, ties = person_ties(
        frames, tie_weights=parameters.tie_weights, start=net_start, end=net_end
    )
    measures = network_measures(nodes, ties)
    links = ties.count()
    clock.lap("spark_network")
    log.info("Spark engine: person network measured in %.1f s", clock.timings["spark_network"])
    table_measures = SparkTableMeasures(frames)
    with harm_once():
        network = run_network(tables, parameters)
        G = network.graph
        if set(measures.index) != set(G) or links != G.number_of_edges():
            raise AnalysisError(
                f"Spark's person network ({len(measures)} people, {links} ties) is not the "
                f"driver's ({G.number_of_nodes()} people, {G.number_of_edges()} ties): "
                "did the graph change while it was read? Run the analysis again"
            )
        # As graphvc.analysis.centrality gives them: floats (a degree may be a strength).
        given = measures[["degree", "weighted_degree", "pagerank"]].astype(float)
        ranking = rank_people(
            network, parameters, clock, given=given, table_measures=table_measures
        )
        profiles = profile_people(
            network, ranking.people, parameters, clock, table_measures=table_measures
        )
        result = complete_run(
            network, ranking, profiles, parameters, clock, table_measures=table_measures
        )
    table_measures.release()
    for frame in frames.values():
        frame.unpersist()
    # Not in the summary: the stored run is the in-process engine's, field for field.
    log.info("Spark: %d connected components", measures["component"].nunique())
    return result


def spark_obtain_run(
    driver: neo4j.Driver,
    session: SparkSession,
    settings: Settings,
    parameters: AnalysisParameters | None = None,
    *,
    runs_dir: Path,
    keep: int = DEFAULT_KEEP_RUNS,
    partitions: int = DEFAULT_PARTITIONS,
    database: str = "neo4j",
) -> Run:
    """:func:`spark_analyse`, its scores written back by the Neo4j connector, ``partitions``
    at once (:func:`graphvc.spark.write.connector_writer`), and the run stored in ``runs_dir``
    by :func:`graphvc.runs.record_run` (as ``graphvc analyse`` stores an in-process run)."""
    result = spark_analyse(
        driver, session, settings, parameters, partitions=partitions, database=database
    )
    stored, scored = record_run(
        driver,
        result,
        runs_dir=runs_dir,
        finished_at=datetime.now(UTC),
        keep=keep,
        database=database,
        write=connector_writer(session, settings, database=database, partitions=partitions),
    )
    return Run(result, ANALYSED_NOW, stored, scored)
