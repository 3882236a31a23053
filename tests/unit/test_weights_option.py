"""``weights``: how the network measures read a tie's strength, a part of the run's identity."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from graphvc.contract import TABLES, empty_table
from graphvc.errors import ConfigError
from graphvc.reports.about import provenance
from graphvc.reports.manifest import manifest
from graphvc.runs import AnalysisParameters, analyse
from graphvc.stored_runs import recorded_parameters

AS_OF = pd.Timestamp("2025-01-01")


def _gang(edges: list[tuple[str, str, float]]) -> dict[str, pd.DataFrame]:
    """The contract's tables holding only gang links."""
    tables = {name: empty_table(name) for name in TABLES}
    tables["associations"] = pd.DataFrame(
        [(a, b, "gang", w, "test") for a, b, w in edges],
        columns=["person_a", "person_b", "type", "weight", "source"],
    )
    return tables


def test_weights_default_to_strength_and_refuse_anything_else() -> None:
    assert AnalysisParameters().weights == "strength"
    with pytest.raises(ConfigError, match="--weights 'unweighted' is not one of strength, none"):
        AnalysisParameters(weights="unweighted")


def test_weights_are_part_of_the_recorded_parameters() -> None:
    strength = recorded_parameters(AnalysisParameters(as_of=AS_OF))
    none = recorded_parameters(AnalysisParameters(as_of=AS_OF, weights="none"))
    assert (strength["weights"], none["weights"]) == ("strength", "none")
    assert strength != none  # a stored run of one is never reused for the other


def test_weights_none_measures_the_network_unweighted() -> None:
    # A square A-B-C-D-A whose A-B-C side is strong: weighted, B carries A to C alone and
    # A and C share B to D; unweighted, every person carries half of one pair.
    edges = [("A", "B", 4.0), ("B", "C", 4.0), ("C", "D", 1.0), ("D", "A", 1.0)]
    tables = _gang(edges)
    ties = {"gang": 1.0}
    strength = analyse(tables, AnalysisParameters(as_of=AS_OF, tie_weights=ties)).people
    none = analyse(tables, AnalysisParameters(as_of=AS_OF, tie_weights=ties, weights="none"))
    G = nx.Graph([(a, b) for a, b, _ in edges])
    expected = nx.betweenness_centrality(G, normalized=False)
    assert none.people["betweenness"].to_dict() == pytest.approx(expected)
    assert strength["betweenness"].to_dict() == pytest.approx(
        {"A": 0.5, "B": 1.0, "C": 0.5, "D": 0.0}
    )
    assert none.people["weighted_degree"].to_dict() == {v: 2.0 for v in "ABCD"}
    assert strength["weighted_degree"].to_dict() == {"A": 5.0, "B": 8.0, "C": 5.0, "D": 2.0}
    # On a cycle every person is alike once strengths are ignored.
    pagerank = none.people["pagerank"]
    assert pagerank.min() == pytest.approx(pagerank.max())
    assert strength["pagerank"]["B"] > strength["pagerank"]["D"]


@pytest.mark.parametrize(
    ("weights", "said"),
    [
        ("strength", "weighted: more shared incidents or a stronger association"),
        ("none", "unweighted (--weights none): every tie counts as one"),
    ],
)
def test_the_report_says_in_plain_words_how_ties_were_weighed(weights: str, said: str) -> None:
    about = manifest(
        report="centrality",
        parameters=AnalysisParameters(as_of=AS_OF, weights=weights),
        top=10,
        pseudonymised=False,
        key_id=None,
        harm_table_sha256="0" * 64,
        database="neo4j",
        graph_counts={},
        data_hash="1" * 64,
        summary={},
        versions={},
        previous=None,
    )
    page = provenance(about)
    assert '<th scope="row">Tie strengths</th>' in page
    assert said in page
