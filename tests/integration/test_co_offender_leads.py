"""Likely co-offenders read from the real Neo4j, and the explorer's action, on the small
fixture (tests/fixtures/small), worked out by hand:

    I1 P1, P2 offenders · I2 P1 offender, P3 suspect · I3, I4 P5 alone · I5 P1, P6 offenders
    · I6 P7 alone; associations P1-P6 gang (weight 2, recorded both ways), P4-P5 partner,
    P7-P9 family (weight 1).

With every tie layer at weight 1, P1-P6 weighs 5 (I5 and the gang link twice) and P1-P2,
P1-P3 1 each: a walk from P2 goes to P1, then on to P6 five times as often as to P3.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

from graphvc import audit
from graphvc.analysis.projections import TIE_LAYERS, person_network
from graphvc.app import page as page_path
from graphvc.config import Settings
from graphvc.errors import QueryError
from graphvc.graph_tables import read_graph_tables
from graphvc.predict.co_offender_reads import co_offender_leads, neighbourhood_network
from graphvc.predict.co_offenders import LEAD_NOTE
from graphvc.schema import apply_schema, wipe
from loaders.folder import load_folder
from tests.app_caches import clear_app_caches

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"


@pytest.fixture(scope="module")
def graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    return empty_graph


def _listed(driver: neo4j.Driver, node_id: str, **options: object) -> list[tuple[str, list]]:
    found = co_offender_leads(driver, node_id, timeout=30, **options)  # type: ignore[arg-type]
    return list(zip(found.leads["person_id"], found.leads["path"], strict=True))


def test_a_persons_leads_follow_the_strongest_ties(graph: neo4j.Driver) -> None:
    assert _listed(graph, "P2") == [
        ("P1", ["P2", "P1"]),
        ("P6", ["P2", "P1", "P6"]),
        ("P3", ["P2", "P1", "P3"]),
    ]
    # P4 was only ever a victim, but is P5's partner: P5, who offended alone, is the lead.
    assert _listed(graph, "P4") == [("P5", ["P4", "P5"])]


def test_an_incidents_leads_leave_out_its_known_offenders(graph: neo4j.Driver) -> None:
    found = co_offender_leads(graph, "I1", timeout=30)
    assert found.seeds == ["P1", "P2"]
    assert list(found.leads["person_id"]) == ["P6", "P3"]
    assert list(found.leads["path"]) == [["P1", "P6"], ["P1", "P3"]]


def test_the_date_window_and_unknown_ids(graph: neo4j.Driver) -> None:
    # From February, P2's one offence (I1) is outside: no ties, no leads.
    assert _listed(graph, "P2", start=datetime(2024, 2, 1)) == []
    # From February, P1-P2 (I1, 5 January) is gone: P3 reaches P1 and P6, not P2.
    assert _listed(graph, "P3") == [
        ("P1", ["P3", "P1"]),
        ("P6", ["P3", "P1", "P6"]),
        ("P2", ["P3", "P1", "P2"]),
    ]
    assert _listed(graph, "P3", start=datetime(2024, 2, 1)) == [
        ("P1", ["P3", "P1"]),
        ("P6", ["P3", "P1", "P6"]),
    ]
    with pytest.raises(QueryError, match="'L1' is neither a person nor an incident"):
        co_offender_leads(graph, "L1", timeout=30)


def test_the_network_read_around_a_person_is_the_analysis_network_there(
    graph: neo4j.Driver,
) -> None:
    tables = read_graph_tables(graph)
    whole = person_network(
        tables["incidents"],
        tables["involvements"],
        tables["associations"],
        tie_weights=dict.fromkeys(TIE_LAYERS, 1.0),
    )
    for seed in ("P2", "P4", "P9"):
        near, truncated = neighbourhood_network(graph, [seed], hops=3, timeout=30)
        part = whole.subgraph(nx.node_connected_component(whole, seed))
        assert not truncated
        assert _ties(near) == _ties(part) and len(part) > 1
    # One hop from P2 reads P1's ties to P2 only.
    near, _ = neighbourhood_network(graph, ["P2"], hops=1, timeout=30)
    assert sorted(near.edges) == [("P1", "P2")]


def _ties(G: nx.Graph) -> set[tuple[frozenset, float]]:
    return {(frozenset((u, v)), w) for u, v, w in G.edges(data="weight")}


# --- the explorer's action ------------------------------------------------------------------


@pytest.fixture
def explorer(
    graph: neo4j.Driver,
    test_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[AppTest]:
    for name, value in {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "NEO4J_DATABASE": test_settings.neo4j_database,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
        "GRAPHVC_RUNS_DIR": str(tmp_path / "runs"),
    }.items():
        monkeypatch.setenv(name, value)
    clear_app_caches()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.switch_page(page_path("explorer")).run()
    yield at
    clear_app_caches()


def _explore(at: AppTest, node_id: str) -> AppTest:
    at.text_input(key="node_id").input(node_id)
    next(b for b in at.button if b.label.startswith("Explore")).click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def test_the_explorer_lists_likely_co_offenders_as_leads_audited(
    explorer: AppTest, tmp_path: Path
) -> None:
    at = _explore(explorer, "P2")
    assert "Likely co-offenders" in [h.value for h in at.subheader]
    assert any(LEAD_NOTE in c.value for c in at.caption)
    # Nothing is looked up until asked.
    assert "explorer.co_offenders" not in set(audit.events(tmp_path / "audit")["action"])
    next(b for b in at.button if b.label == "Find likely co-offenders of P2").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    table = next(d.value for d in at.dataframe if "Walk share" in d.value.columns)
    assert table[["Rank", "Person", "Path"]].values.tolist() == [
        ["1", "P1", "P2 → P1"],
        ["2", "P6", "P2 → P1 → P6"],
        ["3", "P3", "P2 → P1 → P3"],
    ]
    events = audit.events(tmp_path / "audit")
    [looked_up] = events.loc[events["action"] == "explorer.co_offenders"].to_dict("records")
    assert looked_up["person_ids"] == ["P1", "P2", "P3", "P6"]
    assert looked_up["what"] == {"centre": "P2", "seeds": ["P2"], "leads": 3}


def test_the_explorer_offers_no_leads_for_a_place(explorer: AppTest) -> None:
    at = _explore(explorer, "L1")
    assert "Likely co-offenders" not in [h.value for h in at.subheader]
