"""The person network's projection and its whole-table measures, as Spark jobs.

:func:`person_ties` projects the tie table of :func:`graphvc.analysis.projections.person_network`
(one row per pair: the summed, weighted strength of its layers) from the incidents,
involvements and associations in Spark; :func:`network_measures` computes degree, weighted
degree, PageRank and the connected components on it with GraphFrames: degrees and
components by GraphFrames' own algorithms, PageRank as the in-process engine's weighted GDS
form (:func:`graphvc.analysis.centrality.pagerank`) iterated with GraphFrames'
``aggregateMessages``, since GraphFrames' built-in PageRank is unweighted and normalised
otherwise (``docs/operations/scaling.md``). The measures that need the whole network at once
(betweenness, Leiden, eigenvector, k-core, harm PageRank) stay on the driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from graphvc.analysis.projections import CO_OFFENDING
from graphvc.contract import LOCAL_TIME_ZONE, PERPETRATOR_ROLES
from graphvc.errors import AnalysisError

if TYPE_CHECKING:
    from graphframes import GraphFrame
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
    """Degree, weighted degree, PageRank and connected component of every node of the
    network :func:`person_ties` gives, computed in Spark with GraphFrames and collected: a
    frame indexed by ``person_id`` (sorted) with ``degree``, ``weighted_degree``,
    ``pagerank`` and ``component``, as :mod:`graphvc.analysis.centrality` gives the first
    three on the same network (``weight`` read as a strength).

    ``degree`` is GraphFrames' ``degrees`` (a tie, stored once, counts at both ends; a node
    without ties has 0), ``weighted_degree`` the summed weight of a node's ties (a plain
    ``groupBy``: GraphFrames has no weighted degree), ``pagerank`` the in-process engine's
    (:func:`_pagerank`, to within summation order) and
    ``component`` the smallest person id of the node's connected component
    (:func:`_components`).
    """
    from graphframes import GraphFrame
    from pyspark.sql import functions as F

    graph = GraphFrame(nodes.select("id"), ties.select("src", "dst", "weight"))
    ends = ties.select(F.col("src").alias("id"), "weight").unionByName(
        ties.select(F.col("dst").alias("id"), "weight")
    )
    strength = ends.groupBy("id").agg(F.sum("weight").alias("strength"))
    scores = _pagerank(graph, strength, damping=damping, max_iter=max_iter, tol=tol)
    components = _components(graph)
    measures = (
        nodes.select("id")
        .join(graph.degrees, "id", "left")
        .join(strength, "id", "left")
        .join(scores.select("id", "score"), "id", "left")
        .join(components, "id", "left")
        .select(
            F.col("id").alias("person_id"),
            F.coalesce(F.col("degree").cast("long"), F.lit(0)).alias("degree"),
            F.coalesce("strength", F.lit(0.0)).alias("weighted_degree"),
            F.col("score").alias("pagerank"),
            "component",
        )
        .toPandas()
    )
    return measures.set_index("person_id").sort_index()


def _pagerank(
    graph: GraphFrame, strength: DataFrame, *, damping: float, max_iter: int, tol: float
) -> DataFrame:
    """:func:`graphvc.analysis.centrality.pagerank` (GDS form, ``weight`` a strength) on
    ``graph``'s vertices: ``id`` and ``score``.

    Every score starts at ``1 - damping``, that start is the first of ``max_iter``
    iterations, and it stops once no score moves by ``tol``. Each tie is an arc both ways
    carrying ``share``, its weight over its sender's ``strength``; in each iteration
    ``aggregateMessages`` sends every arc's share of its sender's score to its head, and a
    node scores ``1 - damping + damping * inflow``, ``inflow`` the sum it received.
    GraphFrames' own ``pageRank`` would not do: it reads no weights, and it normalises the
    scores (to sum to the number of nodes) where GDS does not.
    """
    from graphframes import GraphFrame
    from graphframes.lib import AggregateMessages as AM
    from pyspark.sql import functions as F

    ties = graph.edges
    # Messages to the head only, over arcs both ways: one triplet join per iteration, where
    # sending to both ends of the stored ties would build the triplets twice.
    arcs = ties.unionByName(
        ties.select(F.col("dst").alias("src"), F.col("src").alias("dst"), "weight")
    )
    flow = (
        arcs.join(strength.withColumnRenamed("id", "src"), "src")
        .select("src", "dst", (F.col("weight") / F.col("strength")).alias("share"))
        .localCheckpoint()
    )
    start = F.lit(1 - damping)
    scores: DataFrame = graph.vertices.select("id", start.alias("score")).localCheckpoint()
    for _ in range(max_iter - 1):
        received = GraphFrame(scores, flow).aggregateMessages(
            [F.sum(AM.msg).alias("inflow")], sendToDst=[AM.edge["share"] * AM.src["score"]]
        )
        updated = (
            scores.join(received, "id", "left")
            .select(
                "id",
                (start + damping * F.coalesce(F.col("inflow"), F.lit(0.0))).alias("score"),
                F.col("score").alias("previous"),
            )
            .localCheckpoint()
        )
        received.unpersist()
        moved = updated.agg(F.max(F.abs(F.col("score") - F.col("previous")))).first()
        scores = updated.drop("previous")
        if moved is None or moved[0] is None or moved[0] < tol:
            break
    return scores


def _components(graph: GraphFrame) -> DataFrame:
    """Each vertex's connected component (``id``, ``component``), named by its smallest
    member, from GraphFrames' ``connectedComponents``, whose own component ids are
    arbitrary numbers.

    Its GraphX algorithm (Pregel, each vertex taking the smallest label among its
    neighbours: as many supersteps as the widest component's diameter, in one GraphX job)
    rather than its default big-star / small-star one, whose rounds are each several Spark
    SQL jobs with a checkpoint every second round: several times slower on the synthetic
    person networks measured (``docs/operations/scaling.md``).
    """
    from pyspark.sql import functions as F

    # graphframes-py 0.10.0's default max_iter is ``2 ^ 31 - 2``, a XOR: 31 rounds. The
    # bound meant is Int.MaxValue - 1; the algorithm stops when it converges.
    found = graph.connectedComponents(algorithm="graphx", max_iter=2**31 - 2)
    named = found.groupBy("component").agg(F.min("id").alias("label"))
    labels: DataFrame = (
        found.join(named, "component")
        .select("id", F.col("label").alias("component"))
        .localCheckpoint()
    )
    found.unpersist()
    return labels
