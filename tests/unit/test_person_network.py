"""The person network of chosen tie layers, and the analysis of networks without incidents,
of places without people, and of tables in any row order (no database)."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphvc.analysis import centrality
from graphvc.analysis.projections import person_network
from graphvc.contract import empty_table
from graphvc.errors import AnalysisError, ConfigError
from graphvc.runs import AnalysisParameters, analyse, choose_ties

AS_OF = pd.Timestamp("2025-01-01")


def _tables(**given: pd.DataFrame) -> dict[str, pd.DataFrame]:
    tables = {
        name: empty_table(name)
        for name in ("persons", "locations", "incidents", "involvements", "associations")
    }
    for name, frame in given.items():
        tables[name] = frame.reindex(columns=empty_table(name).columns)
    return tables


def _associations(G: nx.Graph, link_type: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (str(u), str(v), link_type, float(d.get("weight", 1.0)))
            for u, v, d in G.edges(data=True)
        ],
        columns=["person_a", "person_b", "type", "weight"],
    )


# Two incidents: I1 by P1, P2, P3 (knife, 274 days of harm), I2 by P1 and P2 (robbery, 365).
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["I1", "I2"],
        "occurred_at": ["2024-06-01", "2024-07-01"],
        "offence": ["possession_weapon", "personal_robbery"],
    }
)
INVOLVEMENTS = pd.DataFrame(
    {
        "person_id": ["P1", "P2", "P3", "P1", "P2"],
        "incident_id": ["I1", "I1", "I1", "I2", "I2"],
        "role": ["offender", "suspect", "offender", "offender", "offender"],
    }
)
# P1-P2 gang (strength 1) and family (0.5); P3-P4 gang (strength 3); P4-P5 partner.
ASSOCIATIONS = pd.DataFrame(
    {
        "person_a": ["P2", "P1", "P4", "P4"],
        "person_b": ["P1", "P2", "P3", "P5"],
        "type": ["gang", "family", "gang", "partner"],
        "weight": [None, 0.5, 3.0, 1.0],
    }
)


def test_a_pair_tied_in_several_layers_gets_one_edge_of_the_summed_weighted_strengths() -> None:
    G = person_network(
        INCIDENTS,
        INVOLVEMENTS,
        ASSOCIATIONS,
        tie_weights={"co-offending": 1.0, "family": 4.0, "gang": 2.0},
    )
    # P1-P2: 2 shared incidents × 1 + family 0.5 × 4 + gang 1 × 2 = 6.
    assert G.edges["P1", "P2"]["weight"] == pytest.approx(6.0)
    assert G.edges["P1", "P2"]["distance"] == pytest.approx(1 / 6)
    assert G.edges["P1", "P2"]["layers"] == "co-offending,family,gang"
    assert G.edges["P1", "P2"]["incidents"] == 2
    # P3-P4: gang 3 × 2 = 6, no incident; P1-P3 and P2-P3: one incident each.
    assert G.edges["P3", "P4"]["weight"] == pytest.approx(6.0)
    assert (G.edges["P3", "P4"]["incidents"], G.edges["P3", "P4"]["harm"]) == (0, 0.0)
    assert G.edges["P1", "P3"]["weight"] == pytest.approx(1.0)
    # Partner was not chosen: P5 is not in the network.
    assert sorted(G) == ["P1", "P2", "P3", "P4"]


def test_the_analysis_scores_everyone_tied_in_the_chosen_layers() -> None:
    tables = _tables(incidents=INCIDENTS, involvements=INVOLVEMENTS, associations=ASSOCIATIONS)
    result = analyse(tables, AnalysisParameters(as_of=AS_OF))
    assert sorted(result.people.index) == ["P1", "P2", "P3", "P4", "P5"]
    # The path P5-P4-P3-(P1, P2): P4 lies on 3 × 1 shortest paths; P3 on 2 × 2 = 4.
    assert result.people.loc["P4", "betweenness"] == pytest.approx(3.0)
    assert result.people.loc["P3", "betweenness"] == pytest.approx(4.0)
    assert result.summary["tie_layers"] == [
        "co-offending",
        "family",
        "partner",
        "gang",
        "associate",
        "other",
    ]
    assert result.summary["links_by_layer"]["gang"] == 2
    assert result.summary["people_in_network"] == 5
    assert result.summary["priority_parts"] == ["rfg", "betweenness", "harm_pagerank"]
    only_co_offending = analyse(
        tables, AnalysisParameters(as_of=AS_OF, tie_weights={"co-offending": 1.0})
    )
    assert sorted(only_co_offending.people.index) == ["P1", "P2", "P3"]


def test_a_network_without_incidents_is_analysed_from_its_ties_alone() -> None:
    G = nx.florentine_families_graph()
    tables = _tables(
        persons=pd.DataFrame({"person_id": sorted(G)}),
        associations=_associations(G, "family"),
    )
    result = analyse(tables, AnalysisParameters(as_of=AS_OF))
    assert result.summary["priority_parts"] == ["betweenness"]
    assert "rfg" not in result.people and "harm_pagerank" not in result.people
    assert result.summary["people_in_network"] == G.number_of_nodes()
    assert result.people["community"].notna().all()
    assert result.people.index[0] == "Medici"  # the broker of Padgett's Florence
    assert result.exposure.empty
    assert "no offender or suspect" in result.summary["note"]


def test_places_without_people_are_scored_and_the_person_tables_are_empty() -> None:
    locations = pd.DataFrame(
        {
            "location_id": ["L1", "L2"],
            "latitude": [51.515, 51.5155],
            "longitude": [-0.09, -0.09],
            "ward_code": ["W1", "W1"],
            "borough_code": ["E09000001"] * 2,
        }
    )
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3"],
            "occurred_at": ["2024-05-01", "2024-05-01", "2024-06-01"],
            "offence": ["violence_with_injury"] * 3,
            "location_id": ["L1", "L1", "L2"],
        }
    )
    result = analyse(
        _tables(locations=locations, incidents=incidents), AnalysisParameters(as_of=AS_OF)
    )
    assert result.people.empty
    assert result.summary["note"].startswith("no one is tied in the chosen layers")
    location = result.places["location"]
    assert location.loc["L1", ["rank", "incidents", "repeat_incidents"]].tolist() == [1, 2, 2]
    assert pd.isna(location.loc["L2", "repeat_incidents"])
    assert result.places["borough"].loc["E09000001", "incidents"] == 3


def test_a_graph_without_incidents_or_associations_is_refused() -> None:
    with pytest.raises(AnalysisError, match="neither incidents nor associations"):
        analyse(_tables(), AnalysisParameters(as_of=AS_OF))


@pytest.mark.parametrize(
    ("ties", "weights", "message"),
    [
        ([], {}, "--ties is empty"),
        (["gangs"], {}, "tie layer 'gangs' is not one of"),
        (["gang"], {"family": 2.0}, "names a layer not chosen"),
        (["gang"], {"gang": 0.0}, "must be a number above 0"),
    ],
)
def test_tie_choices_are_checked(ties: list[str], weights: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        choose_ties(ties, weights)


def _weighted_florentine() -> nx.Graph:
    G = nx.florentine_families_graph()
    for i, (u, v) in enumerate(sorted(G.edges())):
        G.edges[u, v]["weight"] = float(1 + i % 3)
    return G


def _davis_women() -> nx.Graph:
    B = nx.davis_southern_women_graph()
    return nx.bipartite.weighted_projected_graph(B, B.graph["top"])


NETWORKS = {
    "florentine families": nx.florentine_families_graph,
    "weighted florentine": _weighted_florentine,
    "karate club": nx.karate_club_graph,
    "davis southern women": _davis_women,
    "les miserables": nx.les_miserables_graph,
}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_measures_agree_with_networkx_on_real_social_networks(name: str) -> None:
    G = nx.relabel_nodes(NETWORKS[name](), str)
    tables = _tables(
        persons=pd.DataFrame({"person_id": sorted(G)}), associations=_associations(G, "gang")
    )
    people = analyse(
        tables, AnalysisParameters(as_of=AS_OF, tie_weights={"gang": 1.0})
    ).people.sort_index()
    nodes = sorted(G)
    # networkx reads distances 1/w exactly as Fractions (the weights are whole numbers), so
    # that paths of mathematically equal length tie as they should; in floating point,
    # 1/3 + 2/3 and 1/2 + 1/2 may differ in the last bit and networkx would keep one path.
    for _, _, data in G.edges(data=True):
        data["distance"] = Fraction(1, int(data.get("weight", 1)))
    n = len(G)
    assert people["degree"].to_dict() == {v: float(G.degree(v)) for v in nodes}
    raw = {
        v: float(b)
        for v, b in nx.betweenness_centrality(G, weight="distance", normalized=False).items()
    }
    normalised = {
        v: float(b)
        for v, b in nx.betweenness_centrality(G, weight="distance", normalized=True).items()
    }
    assert people["betweenness"].to_numpy() == pytest.approx([raw[v] for v in nodes], abs=1e-9)
    assert (people["betweenness"] * 2 / ((n - 1) * (n - 2))).to_numpy() == pytest.approx(
        [normalised[v] for v in nodes], abs=1e-12
    )
    # GDS-style PageRank: the run's is GDS's 20 iterations; run to its fixed point, it is
    # networkx's PageRank times n (no node here is without a tie).
    assert people["pagerank"].to_numpy() == pytest.approx(
        centrality.pagerank(G, weight="weight").reindex(nodes).to_numpy(), rel=1e-12
    )
    fixed = centrality.pagerank(G, weight="weight", max_iter=1000, tol=1e-13)
    expected = nx.pagerank(G, weight="weight", tol=1e-13, max_iter=10_000)
    assert (fixed / n).reindex(nodes).to_numpy() == pytest.approx(
        [expected[v] for v in nodes], abs=1e-9
    )


def test_communities_and_scores_do_not_depend_on_the_order_of_the_rows() -> None:
    G = nx.relabel_nodes(nx.les_miserables_graph(), lambda name: name.replace(".", "_"))
    co = nx.relabel_nodes(nx.karate_club_graph(), lambda v: f"K{v}")
    incidents = pd.DataFrame(
        {
            "incident_id": [f"I{i}" for i in range(co.number_of_edges())],
            "occurred_at": "2024-06-01",
            "offence": "violence_with_injury",
        }
    )
    involvements = pd.DataFrame(
        [(p, f"I{i}", "offender") for i, edge in enumerate(sorted(co.edges())) for p in edge],
        columns=["person_id", "incident_id", "role"],
    )
    tables = _tables(
        persons=pd.DataFrame({"person_id": sorted([*G, *co])}),
        incidents=incidents,
        involvements=involvements,
        associations=_associations(G, "associate"),
    )
    rng = np.random.default_rng(3)
    shuffled = {name: frame.sample(frac=1.0, random_state=rng) for name, frame in tables.items()}
    parameters = AnalysisParameters(as_of=AS_OF, seed=11)
    first, second = analyse(tables, parameters), analyse(shuffled, parameters)
    assert first.people["community"].to_dict() == second.people["community"].to_dict()
    pd.testing.assert_frame_equal(first.people, second.people)
    assert first.summary == second.summary
