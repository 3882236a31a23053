"""The brokers of the network of all tie layers (``multiplex_brokers``) are planted so that a
plain analysis, every layer and the default window, finds them."""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd
import pytest

from graphvc.runs import AnalysisParameters, analyse
from graphvc.synth import SyntheticDataset, generate, synthetic_city


@pytest.fixture(scope="module", params=[3, 8])
def data(request: pytest.FixtureRequest) -> SyntheticDataset:
    return generate(8000, seed=request.param, geography=synthetic_city(request.param))


def _day_after(data: SyntheticDataset) -> pd.Timestamp:
    return pd.to_datetime(data.incidents["occurred_at"]).max().normalize() + pd.Timedelta(days=1)


def test_plain_analyse_ranks_the_multiplex_brokers_at_the_top(data: SyntheticDataset) -> None:
    # As `graphvc analyse` with no option: every layer, weighted, the default window.
    result = analyse(data.tables, AnalysisParameters(as_of=_day_after(data)))
    truth = data.ground_truth
    named = set(truth["multiplex_brokers"])
    k = len(named)
    assert k >= len(truth["brokers"]) + 10
    top = result.people["betweenness"].sort_values(ascending=False).index[: 2 * k]
    assert len(named & set(top)) >= 0.9 * k


def test_multiplex_brokers_are_exactly_who_bridges_in_every_layer(data: SyntheticDataset) -> None:
    """Unweighted and over all history, every group with its brokers, crew, family and
    neighbourhood clique is a clique: only the multiplex brokers lie between two people."""
    parameters = AnalysisParameters(
        as_of=_day_after(data), window_days=3650, repeat_window_days=3650, weights="none"
    )
    betweenness = analyse(data.tables, parameters).people["betweenness"]
    bridging = set(betweenness.index[betweenness > 1e-9])
    assert bridging == set(data.ground_truth["multiplex_brokers"])


def test_links_across_groups_are_few_and_join_groups_no_broker_joins(
    data: SyntheticDataset,
) -> None:
    truth = data.ground_truth
    group_of = {p: g for g, members in enumerate(truth["groups"]) for p in members}
    constellations = nx.Graph()
    constellations.add_nodes_from(range(len(truth["groups"])))
    for groups in truth["broker_groups"].values():
        constellations.add_edges_from(itertools.pairwise(groups))
    constellation = {
        g: i for i, part in enumerate(nx.connected_components(constellations)) for g in part
    }
    links = data.associations
    grouped = links[links["person_a"].isin(group_of) & links["person_b"].isin(group_of)]
    a = grouped["person_a"].map(group_of).map(constellation)
    b = grouped["person_b"].map(group_of).map(constellation)
    across = grouped[a != b]
    # No intelligence link joins two groups of one constellation but through its members'
    # own group: the brokers stay the only way between them.
    same = grouped[
        (a == b) & (grouped["person_a"].map(group_of) != grouped["person_b"].map(group_of))
    ]
    assert same.empty
    assert 0 < len(across) <= 0.05 * len(links)
    assert set(across["type"]) == {"associate"}
    ends = set(across["person_a"]) | set(across["person_b"])
    assert ends == set(truth["multiplex_brokers"]) - set(truth["brokers"])
