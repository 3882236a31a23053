"""The person network's measures in Spark with GraphFrames (graphvc.spark.network) against
the in-process engine's: degree, weighted degree and PageRank from
graphvc.analysis.centrality, components from networkx, on the same network.

No Neo4j: the networks are made by hand (two components, a person without ties, weights
other than 1, a long path) or projected by :func:`person_ties` from a synthetic city's
tables, and go to Spark with :func:`graphvc.spark.events.spark_table`. The suite's one Spark
session (``spark``, ``tests/conftest.py``) serves it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from graphvc.analysis import centrality
from graphvc.analysis.projections import person_network
from graphvc.contract import LOCAL_TIME_ZONE
from graphvc.runs.parameters import DEFAULT_TIE_WEIGHTS
from graphvc.spark.events import spark_table
from graphvc.spark.network import network_measures, person_ties
from graphvc.synth import generate, synthetic_city

#: Weighted degree and PageRank are summed in another order by Spark than by scipy.
TOLERANCE = 1e-9

#: Two components, one with ties of several weights and a cycle, and P9, an offender who
#: offended alone: a node without ties. The smallest ids of the components are not their
#: first rows, and "P10" < "P2" as text.
TWO_COMPONENTS = {
    "nodes": ["P5", "P3", "P10", "P4", "P2", "P7", "P8", "P9"],
    "ties": [
        ("P3", "P5", 2.5),
        ("P10", "P5", 1.0),
        ("P3", "P4", 0.5),
        ("P10", "P3", 4.0),
        ("P2", "P7", 3.0),
        ("P7", "P8", 0.25),
    ],
}


def _graph(nodes: list[str], ties: list[tuple[str, str, float]]) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(sorted(nodes))
    G.add_weighted_edges_from(ties)
    return G


def _oracle(G: nx.Graph, **pagerank: Any) -> pd.DataFrame:
    """What network_measures should give on ``G``: graphvc.analysis.centrality's degree,
    weighted degree and PageRank, each component named by its smallest member."""
    component = {node: min(members) for members in nx.connected_components(G) for node in members}
    frame = pd.DataFrame(
        {
            "degree": centrality.degree(G),
            "weighted_degree": centrality.degree(G, weight="weight"),
            "pagerank": centrality.pagerank(G, weight="weight", **pagerank),
            "component": pd.Series(component),
        }
    )
    return frame.rename_axis("person_id").sort_index()


def _spark_network(spark: Any, G: nx.Graph) -> tuple[Any, Any]:
    nodes = spark_table(spark, pd.DataFrame({"id": list(G)}))
    rows = [(min(u, v), max(u, v), w) for u, v, w in G.edges(data="weight")]
    if not rows:
        return nodes, spark.createDataFrame([], "src string, dst string, weight double")
    return nodes, spark_table(spark, pd.DataFrame(rows, columns=["src", "dst", "weight"]))


def _assert_same(ours: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(ours.index) == list(expected.index)
    assert ours["degree"].astype(float).to_list() == expected["degree"].to_list()
    assert ours["component"].to_list() == expected["component"].to_list()
    for column in ("weighted_degree", "pagerank"):
        difference = (ours[column] - expected[column]).abs().max()
        assert difference <= TOLERANCE, f"{column} differs by {difference}"


@pytest.mark.parametrize(
    "pagerank",
    [
        {},  # GDS's defaults: 20 iterations, short of the fixed point
        # Stops on the tolerance after 11 iterations; one more or fewer moves a score by 5e-4.
        {"damping": 0.5, "max_iter": 1000, "tol": 1e-3},
    ],
)
def test_two_components_and_a_loner(spark: Any, pagerank: dict[str, Any]) -> None:
    G = _graph(TWO_COMPONENTS["nodes"], TWO_COMPONENTS["ties"])
    nodes, ties = _spark_network(spark, G)
    ours = network_measures(nodes, ties, **pagerank)
    expected = _oracle(G, **pagerank)
    _assert_same(ours, expected)
    # Hand-checked: P9 has no tie, the second component is named P2, the first P10.
    damping = pagerank.get("damping", 0.85)
    assert ours.loc["P9"].to_list() == [0, 0.0, pytest.approx(1 - damping), "P9"]
    assert ours.loc["P8", "component"] == "P2"
    assert ours.loc["P5", "component"] == "P10"
    assert ours.dtypes.to_dict() == {
        "degree": "int64",
        "weighted_degree": "float64",
        "pagerank": "float64",
        "component": ours["component"].dtype,
    }


def test_a_long_path_is_one_component(spark: Any) -> None:
    # 60 people in a line, numbered out of order along it: label propagation needed 59
    # rounds; the smallest id sits in the middle.
    people = [f"Q{(17 * i) % 60:02d}" for i in range(60)]
    G = _graph(people, [(a, b, 1.0 + i % 3) for i, (a, b) in enumerate(pairwise(people))])
    ours = network_measures(*_spark_network(spark, G), max_iter=3)
    _assert_same(ours, _oracle(G, max_iter=3))
    assert set(ours["component"]) == {"Q00"}


def test_no_ties(spark: Any) -> None:
    G = _graph(["P2", "P1"], [])
    ours = network_measures(*_spark_network(spark, G))
    _assert_same(ours, _oracle(G))
    assert ours["component"].to_list() == ["P1", "P2"]


def _epoch_ms(wall_clock: pd.Series) -> pd.Series:
    """London wall-clock times as read_tables gives them: epoch milliseconds (the hour a
    clock change repeats read as summer time, the hour it skips as the hour after)."""
    local = wall_clock.dt.tz_localize(LOCAL_TIME_ZONE, ambiguous=True, nonexistent="shift_forward")
    return local.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ms]").astype("int64")


def test_synthetic_city(spark: Any) -> None:
    data = generate(1000, seed=23, geography=synthetic_city(23))
    incidents = data.incidents.assign(occurred_at=pd.to_datetime(data.incidents["occurred_at"]))
    weights = {layer: 1.0 + i / 2 for i, layer in enumerate(DEFAULT_TIE_WEIGHTS)}
    # The window's end at midnight: no clock change makes it ambiguous.
    start, end = incidents["occurred_at"].min(), incidents["occurred_at"].quantile(0.8).normalize()
    G = person_network(
        incidents,
        data.involvements,
        data.associations,
        tie_weights=weights,
        start=start,
        end=end,
    )
    frames = {
        "incidents": spark_table(
            spark, incidents.assign(occurred_at=_epoch_ms(incidents["occurred_at"]))
        ),
        "involvements": spark_table(spark, data.involvements),
        "associations": spark_table(spark, data.associations),
    }
    nodes, ties = person_ties(frames, tie_weights=weights, start=start, end=end)
    ours = network_measures(nodes, ties, max_iter=5)
    _assert_same(ours, _oracle(G, max_iter=5))
    assert ours["component"].nunique() == nx.number_connected_components(G) > 1
