"""The person network's projection and its whole-table measures, as Spark jobs.

:func:`person_ties` projects the tie table of :func:`graphvc.analysis.projections.person_network`
(one row per pair: the summed, weighted strength of its layers) from the incidents,
involvements and associations in Spark; :func:`network_measures` computes degree, weighted
degree and PageRank on it (PageRank as the in-process engine's GDS form,
:func:`graphvc.analysis.centrality.pagerank`, iterated as DataFrame joins) and the connected
components (label propagation), all DataFrame jobs. The measures that need the whole
network at once (betweenness, Leiden, eigenvector, k-core, harm PageRank) stay on the driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from graphvc.analysis.projections import CO_OFFENDING
from graphvc.contract import LOCAL_TIME_ZONE, PERPETRATOR_ROLES
from graphvc.errors import AnalysisError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["network_measures", "person_ties"]


def _epoch_ms(moment: pd.Timestamp) -> int:
    stamp = moment if moment.tzinfo else moment.tz_localize(LOCAL_TIME_ZONE)
    return int(stamp.value // 1_000_000)


def person_ties(
    frames: Mapping[str, DataFrame],
    *,
    tie_weights: Mapping[str, float],
    start: pd.Timestamp,
    end: pd.Timestamp,
) -> tuple[DataFrame, DataFrame]:
    """The person network of ``frames`` (:func:`graphvc.spark.read.read_tables`) as Spark
    DataFrames: ``(nodes, ties)``, ``nodes`` with ``id`` (a person) and ``ties`` with ``src``
    < ``dst`` (people) and ``weight``, one row per tied pair, as
    :func:`~graphvc.analysis.projections.person_network` builds it: co-offending counts the
    incidents of ``[start, end)`` shared as offender or suspect, each association type the
    summed ``weight`` of the pair's associations (missing: 1), each layer times its
    ``tie_weights``; a person tied to themself gets no tie. With co-offending chosen, every
    offender or suspect of the window is a node."""
    from pyspark.sql import functions as F

    layers: list[DataFrame] = []
    people: list[DataFrame] = []
    if CO_OFFENDING in tie_weights:
        incidents = frames["incidents"].filter(
            F.col("occurred_at").isNotNull()
            & (F.col("occurred_at") >= _epoch_ms(start))
            & (F.col("occurred_at") < _epoch_ms(end))
        )
        offending = (
            frames["involvements"]
            .filter(F.col("role").isin(*PERPETRATOR_ROLES))
            .join(incidents.select("incident_id"), "incident_id")
            .select("person_id", "incident_id")
            .distinct()
        )
        people.append(offending.select(F.col("person_id").alias("id")))
        a, b = offending.alias("a"), offending.alias("b")
        shared = (
            a.join(b, F.col("a.incident_id") == F.col("b.incident_id"))
            .filter(F.col("a.person_id") < F.col("b.person_id"))
            .groupBy(F.col("a.person_id").alias("src"), F.col("b.person_id").alias("dst"))
            .agg(F.count("*").cast("double").alias("strength"))
        )
        layers.append(shared.withColumn("layer", F.lit(CO_OFFENDING)))
    chosen = [layer for layer in tie_weights if layer != CO_OFFENDING]
    if chosen:
        links = frames["associations"].select(
            F.least("person_a", "person_b").alias("src"),
            F.greatest("person_a", "person_b").alias("dst"),
            F.coalesce(F.col("type"), F.lit("associate")).alias("layer"),
            F.coalesce(F.col("weight"), F.lit(1.0)).alias("strength"),
        )
        links = links.filter(F.col("layer").isin(*chosen))
        layers.append(
            links.groupBy("src", "dst", "layer")
            .agg(F.sum("strength").alias("strength"))
            .select("src", "dst", "strength", "layer")
        )
    if not layers:
        raise AnalysisError("no tie layer chosen")
    factor = F.create_map(
        *[x for layer, w in tie_weights.items() for x in (F.lit(layer), F.lit(w))]
    )
    tied = layers[0]
    for more in layers[1:]:
        tied = tied.unionByName(more)
    tied = tied.filter(F.col("src") != F.col("dst")).withColumn(
        "weight", F.col("strength") * factor[F.col("layer")]
    )
    ties = tied.groupBy("src", "dst").agg(F.sum("weight").alias("weight"))
    ends = ties.select(F.col("src").alias("id")).unionByName(ties.select(F.col("dst").alias("id")))
    nodes = ends
    for more in people:
        nodes = nodes.unionByName(more)
    return nodes.distinct(), ties


def network_measures(
    nodes: DataFrame,
    ties: DataFrame,
    *,
    damping: float = 0.85,
    max_iter: int = 20,
    tol: float = 1e-7,
) -> pd.DataFrame:
    """Degree, weighted degree, PageRank and connected component of every node, computed in
    Spark and collected: a frame indexed by ``person_id``.

    ``degree`` and ``weighted_degree`` are sums over the ties, ``component`` the smallest
    person id reachable (:func:`_components`), ``pagerank`` is
    :func:`graphvc.analysis.centrality.pagerank`'s GDS form iterated as DataFrame joins: every
    score starts at ``1 - damping``, that start is the first of ``max_iter`` iterations, each
    tie passes score both ways in proportion to its weight over the sender's strength, and
    it stops once no score moves by ``tol``.
    """
    from pyspark.sql import functions as F

    arcs = ties.select("src", "dst", "weight").unionByName(
        ties.select(F.col("dst").alias("src"), F.col("src").alias("dst"), "weight")
    )
    strength = arcs.groupBy("src").agg(F.sum("weight").alias("strength"))
    flow = (
        arcs.join(strength, "src")
        .select("src", "dst", (F.col("weight") / F.col("strength")).alias("share"))
        .cache()
    )
    scores = nodes.select("id", F.lit(1 - damping).alias("score")).localCheckpoint()
    for _ in range(max_iter - 1):
        received = (
            flow.join(scores.withColumnRenamed("id", "src"), "src")
            .groupBy(F.col("dst").alias("id"))
            .agg(F.sum(F.col("share") * F.col("score")).alias("inflow"))
        )
        updated = (
            nodes.join(received, "id", "left")
            .select(
                "id",
                (F.lit(1 - damping) + damping * F.coalesce(F.col("inflow"), F.lit(0.0))).alias(
                    "score"
                ),
            )
            .localCheckpoint()
        )
        moved = (
            updated.join(scores.withColumnRenamed("score", "previous"), "id")
            .agg(F.max(F.abs(F.col("score") - F.col("previous"))))
            .first()
        )
        scores = updated
        if moved is None or moved[0] is None or moved[0] < tol:
            break
    components = _components(nodes, arcs)
    degrees = arcs.groupBy(F.col("src").alias("id")).agg(F.count("*").alias("degree"))
    measures = (
        nodes.join(degrees, "id", "left")
        .join(strength.withColumnRenamed("src", "id"), "id", "left")
        .join(scores, "id", "left")
        .join(components.select("id", "component"), "id", "left")
        .select(
            F.col("id").alias("person_id"),
            F.coalesce("degree", F.lit(0)).alias("degree"),
            F.coalesce("strength", F.lit(0.0)).alias("weighted_degree"),
            F.col("score").alias("pagerank"),
            "component",
        )
        .toPandas()
    )
    flow.unpersist()
    return measures.set_index("person_id").sort_index()


def _components(nodes: DataFrame, arcs: DataFrame) -> DataFrame:
    """Each node's connected component, named by its smallest member: every node takes the
    smallest label among itself and its neighbours until none changes (as many rounds as the
    widest component's diameter). GraphFrames' own algorithm would do it in fewer rounds, but
    its 0.10.0 jar cannot load without graphframes-graphx, which the Maven Central served
    here lacks (``docs/scaling.md``)."""
    from pyspark.sql import functions as F

    labels = nodes.select("id", F.col("id").alias("component")).localCheckpoint()
    while True:
        offered = (
            arcs.join(labels.withColumnRenamed("id", "src"), "src")
            .groupBy(F.col("dst").alias("id"))
            .agg(F.min("component").alias("offered"))
        )
        updated = (
            labels.join(offered, "id", "left")
            .select(
                "id",
                F.least("component", F.coalesce("offered", "component")).alias("component"),
                (F.col("offered") < F.col("component")).alias("changed"),
            )
            .localCheckpoint()
        )
        changed = updated.filter(F.col("changed")).limit(1).count()
        labels = updated.drop("changed")
        if not changed:
            return labels
