"""Likely co-offenders (random walk with restart) and its backtest, on hand-made graphs whose
answers are worked out by hand."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphvc.errors import AnalysisError
from graphvc.predict.co_offender_backtest import (
    backtest_co_offenders,
    held_out_pairs,
    rank_metrics,
)
from graphvc.predict.co_offenders import likely_co_offenders


@pytest.mark.parametrize("restart", [0.15, 0.5, 0.9])
def test_two_people_share_the_walk_as_worked_out(restart: float) -> None:
    # x_A = r + (1 - r) x_B and x_B = (1 - r) x_A, so x_B = (1 - r) / (2 - r).
    G = nx.Graph([("A", "B", {"weight": 2.0})])
    leads = likely_co_offenders(G, "A", restart=restart)
    assert leads["person_id"].tolist() == ["B"]
    assert leads["score"].iloc[0] == pytest.approx((1 - restart) / (2 - restart), abs=1e-9)
    assert leads["path"].iloc[0] == ["A", "B"]


def test_the_walk_is_networkx_personalised_pagerank() -> None:
    G = nx.karate_club_graph()
    for u, v in G.edges:
        G.edges[u, v]["weight"] = 1 + (u * v) % 5
    G.add_node(99)  # a person without ties: the walk never reaches them
    leads = likely_co_offenders(G, [0, 33], k=40, restart=0.2)
    expected = nx.pagerank(G, alpha=0.8, personalization={0: 1, 33: 1}, tol=1e-12)
    assert 99 not in set(leads["person_id"]) and {0, 33}.isdisjoint(leads["person_id"])
    assert len(leads) == 32
    for person, score in zip(leads["person_id"], leads["score"], strict=True):
        assert score == pytest.approx(expected[person], abs=1e-8)
    assert list(leads["score"]) == sorted(leads["score"], reverse=True)


def test_strong_ties_lead_further_than_weak_ones() -> None:
    # A offended once each with B and E; B offended with D five times and with C once; E
    # and D are weakly associated (0.1). Most of the walk through B goes on to D, so D comes
    # before E, A's own partner: a walk blind to weights gives B, E, D, C.
    G = nx.Graph()
    G.add_weighted_edges_from([("A", "B", 1.0), ("B", "C", 1.0), ("B", "D", 5.0)])
    G.add_weighted_edges_from([("A", "E", 1.0), ("E", "D", 0.1)])
    leads = likely_co_offenders(G, "A", k=4)
    assert leads["person_id"].tolist() == ["B", "D", "E", "C"]
    unweighted = likely_co_offenders(G, "A", weight="none")
    assert unweighted["person_id"].tolist() == ["B", "E", "D", "C"]
    # The route to D is the strongest one (cost 1 + 0.2 through B, not 1 + 10 through E).
    assert dict(zip(leads["person_id"], leads["path"], strict=True))["D"] == ["A", "B", "D"]


def test_seeds_and_the_excluded_are_never_listed_but_direct_ties_are() -> None:
    G = nx.Graph([("A", "B"), ("B", "C"), ("A", "D"), ("D", "E")])
    assert set(likely_co_offenders(G, "A")["person_id"]) == {"B", "C", "D", "E"}
    both = likely_co_offenders(G, ["A", "B"], exclude=["D"])
    assert set(both["person_id"]) == {"C", "E"}
    assert likely_co_offenders(G, "A", k=1)["person_id"].tolist() in (["B"], ["D"])
    G.add_node("F")
    lone = likely_co_offenders(G, "F")
    assert lone.empty and list(lone.columns) == ["person_id", "score", "path"]


@pytest.mark.parametrize(
    ("seeds", "options", "message"),
    [
        ([], {}, "at least one seed"),
        ("Z", {}, "seed 'Z' is not in the network"),
        ("A", {"k": 0}, "k 0 must be at least 1"),
        ("A", {"restart": 0.0}, r"restart 0.0 is not a probability in \(0, 1\]"),
    ],
)
def test_mistakes_are_named(seeds: object, options: dict[str, float], message: str) -> None:
    with pytest.raises(AnalysisError, match=message):
        likely_co_offenders(nx.Graph([("A", "B")]), seeds, **options)  # type: ignore[arg-type]


# --- the backtest's figures ---------------------------------------------------------------


def test_rank_metrics_average_over_ties_and_count_an_unreached_partner() -> None:
    scores = np.array([0.0, 3.0, 2.0, 2.0, 2.0, 0.0, 0.0])
    candidates = np.array([False, True, True, True, True, True, True])
    hits, rr = rank_metrics(scores, candidates, 3, ks=(1, 2, 3, 4))
    # One above, three level at places 2-4: P(place <= k) and the mean of 1/2, 1/3, 1/4.
    assert hits == pytest.approx([0.0, 1 / 3, 2 / 3, 1.0])
    assert rr == pytest.approx((1 / 2 + 1 / 3 + 1 / 4) / 3)
    # A partner left out of the candidates is ranked against them: 4 above, level with 5, 6.
    hits, rr = rank_metrics(scores, np.array([False, True, True, True, True, True, False]), 6)
    assert hits == pytest.approx([1 / 2, 1.0])
    assert rr == pytest.approx((1 / 5 + 1 / 6) / 2)


TRAIN = [
    # before 2024-01-01: A-B, B-C, B-G, G-H; D-E apart.
    ("I1", "2023-03-01", ["A", "B"]),
    ("I2", "2023-04-01", ["B", "C"]),
    ("I3", "2023-05-01", ["B", "G"]),
    ("I4", "2023-06-01", ["G", "H"]),
    ("I5", "2023-07-01", ["D", "E"]),
]
TEST = [
    # in the three months after: A and C first offend together (X is new, V a victim);
    # A and B are old partners; A and H after the three months.
    ("J1", "2024-02-01", ["A", "C", "X"]),
    ("J2", "2024-02-15", ["A", "B"]),
    ("J3", "2024-06-01", ["A", "H"]),
]


def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    incidents = pd.DataFrame(
        [(i, day, "personal_robbery") for i, day, _ in TRAIN + TEST],
        columns=["incident_id", "occurred_at", "offence"],
    )
    rows = [(p, i, "offender") for i, _, people in TRAIN + TEST for p in people]
    rows.append(("V", "J1", "victim"))
    involvements = pd.DataFrame(rows, columns=["person_id", "incident_id", "role"])
    associations = pd.DataFrame(columns=["person_a", "person_b", "type", "weight"])
    return incidents, involvements, associations


def test_held_out_pairs_are_new_pairs_of_known_people_in_the_period() -> None:
    incidents, involvements, _ = _tables()
    train = nx.Graph([("A", "B", {"incidents": 1}), ("B", "C", {"incidents": 1})])
    train.add_nodes_from("GHDE")
    held = held_out_pairs(incidents, involvements, train, "2024-01-01", "2024-04-01")
    assert held == {"A": {"C"}, "C": {"A"}}


def test_backtest_figures_on_a_tiny_split_worked_by_hand() -> None:
    incidents, involvements, associations = _tables()
    found = backtest_co_offenders(
        incidents,
        involvements,
        associations,
        train_until="2024-01-01",
        test_months=3,
        tie_weights={"co-offending": 1.0},
    )
    # Seed A ranks C, G, H, D, E (B is an old partner); seed C ranks A, G, H, D, E.
    # Common neighbours and Adamic-Adar: C (or A) level with G through B, the rest 0: places
    # 1-2, so hits 1 and a reciprocal rank of (1 + 1/2) / 2. The walk from A reaches G (two
    # ties, one to H) more than C (a leaf of B): C second, reciprocal rank 1/2.
    assert (found.seeds, found.pairs) == (2, 2)
    figures = {r["name"]: (r["hits_at_5"], r["hits_at_10"], r["mrr"]) for r in found.results}
    assert figures == {
        "random_walk_with_restart": pytest.approx((1.0, 1.0, 0.5)),
        "common_neighbours": pytest.approx((1.0, 1.0, 0.75)),
        "adamic_adar": pytest.approx((1.0, 1.0, 0.75)),
    }
    # Common neighbours and Adamic-Adar are level: nobody wins.
    assert found.winner is None
    assert found.verdict == (
        "no method wins: common neighbours and Adamic–Adar rank every held-out partner alike"
        " (mean reciprocal rank 0.750)"
    )
    assert found.as_json()["method"] == "co-offenders"
    assert found.as_json()["train_until"] == "2024-01-01"


def test_a_backtest_without_held_out_pairs_says_so() -> None:
    incidents, involvements, associations = _tables()
    with pytest.raises(AnalysisError, match="no pair first offended together from 2025-01-01"):
        backtest_co_offenders(
            incidents,
            involvements,
            associations,
            train_until="2025-01-01",
            test_months=6,
            tie_weights={"co-offending": 1.0},
        )


def test_a_graph_without_offenders_says_there_is_nothing_to_learn_from() -> None:
    # As police.uk street files load: incidents, and nobody named in them.
    incidents, _, associations = _tables()
    nobody = pd.DataFrame(columns=["person_id", "incident_id", "role"])
    with pytest.raises(AnalysisError, match="nobody offended with anyone before 2024-01-01"):
        backtest_co_offenders(
            incidents,
            nobody,
            associations,
            train_until="2024-01-01",
            test_months=3,
            tie_weights={"co-offending": 1.0},
        )
