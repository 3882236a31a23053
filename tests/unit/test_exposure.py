"""Network exposure to gun and knife victims on small hand-drawn graphs."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from graphvc.analysis.exposure import network_exposure
from graphvc.errors import AnalysisError

INF = math.inf

# A gun victim (2024), D a knife victim (2023), H a victim of other violence, Z a gun victim
# who is not in the network.
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["G1", "K1", "O1", "G2"],
        "occurred_at": ["2024-03-01", "2023-03-01", "2024-03-01", "2024-04-01"],
        "offence": [
            "firearm_discharge",
            "possession_weapon",
            "violence_with_injury",
            "firearm_discharge",
        ],
    }
)
INVOLVEMENTS = pd.DataFrame(
    {
        "person_id": ["A", "X", "D", "X", "H", "X", "Z"],
        "incident_id": ["G1", "G1", "K1", "K1", "O1", "O1", "G2"],
        "role": ["victim", "offender", "victim", "offender", "victim", "offender", "victim"],
    }
)


def _network() -> nx.Graph:
    """The path A-B-C-D-E, an isolated F and a separate pair G-H."""
    G = nx.path_graph(["A", "B", "C", "D", "E"])
    G.add_node("F")
    G.add_edge("G", "H")
    return G


def test_distances_on_a_path_in_a_window():
    exposure = network_exposure(_network(), INCIDENTS, INVOLVEMENTS, start="2024-01-01")
    assert exposure["distance"].to_dict() == {
        "A": 0.0,
        "B": 1.0,
        "C": 2.0,
        "D": 3.0,
        "E": 4.0,
        "F": INF,
        "G": INF,
        "H": INF,
    }
    assert exposure["is_victim"].to_dict()["A"]
    assert "Z" not in exposure.index


def test_without_a_window_the_2023_knife_victim_counts():
    exposure = network_exposure(_network(), INCIDENTS, INVOLVEMENTS)
    assert exposure["distance"].to_dict() == {
        "A": 0.0,
        "D": 0.0,
        "B": 1.0,
        "C": 1.0,
        "E": 1.0,
        "F": INF,
        "G": INF,
        "H": INF,
    }


def test_victims_one_and_two_steps_away():
    exposure = network_exposure(_network(), INCIDENTS, INVOLVEMENTS, start="2024-01-01")
    row = exposure.loc["B"]
    # B: neighbours A (victim) and C; at two steps only D.
    assert (row["neighbours_1"], row["victims_1"], row["share_1"]) == (2, 1, 0.5)
    assert (row["neighbours_2"], row["victims_2"], row["share_2"]) == (1, 0, 0.0)
    row = exposure.loc["C"]
    # C: two steps reach A (victim) and E.
    assert (row["neighbours_2"], row["victims_2"], row["share_2"]) == (2, 1, 0.5)
    # A victim does not count as exposed to themself.
    assert exposure.loc["A", "victims_1"] == 0
    assert math.isnan(exposure.loc["F", "share_1"])


def test_two_steps_means_exactly_two():
    # Triangle X-Y-Z with W hanging off Z: from X, Y and Z are one step away, W two.
    G = nx.Graph([("X", "Y"), ("Y", "Z"), ("Z", "X"), ("Z", "W")])
    incidents = INCIDENTS.iloc[[0]]
    involvements = pd.DataFrame({"person_id": ["W"], "incident_id": ["G1"], "role": ["victim"]})
    exposure = network_exposure(G, incidents, involvements)
    assert exposure.loc["X", ["neighbours_1", "neighbours_2", "victims_2"]].tolist() == [2, 1, 1]
    assert exposure.loc["X", "distance"] == 2.0


def test_other_categories_can_be_chosen():
    exposure = network_exposure(_network(), INCIDENTS, INVOLVEMENTS, categories=["other_violence"])
    assert exposure.loc["G", "distance"] == 1.0
    assert exposure.loc["A", "distance"] == INF


def test_a_directed_graph_is_read_as_undirected():
    G = nx.DiGraph([("P", "A")])
    exposure = network_exposure(G, INCIDENTS, INVOLVEMENTS)
    assert exposure["distance"].to_dict() == {"A": 0.0, "P": 1.0}


def test_empty_graph_gives_an_empty_table():
    exposure = network_exposure(nx.Graph(), INCIDENTS, INVOLVEMENTS)
    assert exposure.empty
    assert "share_2" in exposure.columns


def test_unknown_category_is_refused():
    with pytest.raises(AnalysisError, match="category 'stabbing'"):
        network_exposure(_network(), INCIDENTS, INVOLVEMENTS, categories=["stabbing"])
