"""Decisions on duplicate person records, against the real Neo4j: written by one function,
audited, undone, refused when they contradict each other; and a run counting each confirmed
cluster as one person (a broker split into three records is first only once confirmed).

The graph is tests/identity_broker.py's; the candidate pairs ``graphvc resolve`` would
propose (POSSIBLY_SAME_AS) and the identifying fields are written here with Cypher.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from graphvc import audit
from graphvc.app import page as page_path
from graphvc.audit import system_user
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.errors import DecisionError
from graphvc.identity import candidate_pairs, confirmed_clusters, decide_pair, undo_decision
from graphvc.runs import ANALYSED_NOW, AnalysisParameters, obtain_run
from graphvc.schema import apply_schema, wipe
from loaders.folder import load_folder
from tests.app_caches import clear_app_caches
from tests.cli_env import cli_env
from tests.identity_broker import AS_OF, write_broker_folder
from tests.integration.test_app_tables import table_problems

#: The identifying fields of the broker's and the victim's records.
FIELDS = {
    "X1": ("Jon Broker", "1990-03-04", "E1 6AN", "01/123A"),
    "X2": ("John Broker", "1990-04-03", "E1 6AN", None),
    "X3": ("J. Broker", "1990-03-04", None, "01/123A"),
    "V1": ("Vic Tim", "1985-01-01", "N1 9GU", None),
    "V2": ("Victor Tim", "1985-01-01", "N1 9GU", None),
}
EVIDENCE = {
    "surname": {"level": "exact", "bayes_factor": 64.0},
    "dob": {"level": "transposed day and month", "bayes_factor": 8.0},
    "postcode": {"level": "else", "bayes_factor": 0.5},
}
#: The pairs resolve would propose: (a, b, probability, cluster, agreed).
PROPOSED = [
    ("X1", "X2", 0.97, "c1", ["name", "postcode"]),
    ("X2", "X3", 0.91, "c1", ["name"]),
    ("X1", "X3", 0.95, "c1", ["name", "date_of_birth", "pnc_id"]),
    ("V1", "V2", 0.88, "c2", ["date_of_birth", "postcode"]),
]


def _propose(driver: neo4j.Driver) -> None:
    run_query(
        driver,
        "UNWIND $rows AS row MATCH (p:Person {id: row.id}) "
        "SET p.name = row.name, p.date_of_birth = date(row.dob), p.postcode = row.postcode, "
        "p.pnc_id = row.pnc",
        {
            "rows": [
                {"id": p, "name": n, "dob": d, "postcode": c, "pnc": i}
                for p, (n, d, c, i) in FIELDS.items()
            ]
        },
        write=True,
    )
    run_query(
        driver,
        "UNWIND $rows AS row MATCH (a:Person {id: row.a}), (b:Person {id: row.b}) "
        "CREATE (a)-[:POSSIBLY_SAME_AS {probability: row.p, model: 'test', run_at: datetime(), "
        "cluster: row.cluster, evidence: $evidence, agreed: row.agreed}]->(b)",
        {
            "rows": [
                {"a": a, "b": b, "p": p, "cluster": c, "agreed": agreed}
                for a, b, p, c, agreed in PROPOSED
            ],
            "evidence": json.dumps(EVIDENCE),
        },
        write=True,
    )


@pytest.fixture
def broker_graph(empty_graph: neo4j.Driver, tmp_path: Path) -> neo4j.Driver:
    """The broker's graph with the proposals, and no decision."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, write_broker_folder(tmp_path / "broker"))
    _propose(empty_graph)
    return empty_graph


def _top_by_betweenness(people: pd.DataFrame) -> str:
    return str(people.sort_values("betweenness", ascending=False, kind="stable").index[0])


def test_decisions_are_written_audited_and_undone(broker_graph: neo4j.Driver, tmp_path: Path):
    trail = tmp_path / "audit"
    decided = decide_pair(broker_graph, "X2", "X1", "confirmed", "ann", audit_dir=trail)
    assert (decided["person_a"], decided["person_b"], decided["reason"]) == ("X1", "X2", None)
    decide_pair(broker_graph, "X2", "X3", "confirmed", "ann", audit_dir=trail)
    assert confirmed_clusters(broker_graph) == [["X1", "X2", "X3"]]
    with pytest.raises(DecisionError, match="rejecting V1 / V2 needs a reason"):
        decide_pair(broker_graph, "V1", "V2", "rejected", "bob", audit_dir=trail)
    decide_pair(broker_graph, "V2", "V1", "rejected", "bob", " twins ", audit_dir=trail)

    pairs = candidate_pairs(broker_graph).set_index(["person_a", "person_b"])
    assert pairs.loc[("X1", "X2"), "decision"] == "confirmed"
    assert pd.isna(pairs.loc[("X1", "X3"), "decision"])
    assert pairs.loc[("V1", "V2"), ["decision", "decided_by", "reason"]].tolist() == [
        "rejected",
        "bob",
        "twins",
    ]
    assert pairs.loc[("X1", "X2"), "name_b"] == "John Broker"
    assert pairs.loc[("X1", "X3"), "date_of_birth_b"] == "1990-03-04"
    assert json.loads(pairs.loc[("X1", "X2"), "evidence"]) == EVIDENCE
    # The relationships themselves, lower id to higher, with who and when.
    rels = run_query(
        broker_graph,
        "MATCH (a)-[r:SAME_AS|NOT_SAME_AS]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
        "r.by AS by, r.at IS NOT NULL AS dated, coalesce(r.reason, '-') AS reason ORDER BY a, b",
    )
    assert rels.to_numpy().tolist() == [
        ["V1", "NOT_SAME_AS", "V2", "bob", True, "twins"],
        ["X1", "SAME_AS", "X2", "ann", True, "-"],
        ["X2", "SAME_AS", "X3", "ann", True, "-"],
    ]

    undone = undo_decision(broker_graph, "X3", "X2", "carol", audit_dir=trail)
    assert (undone["undone"], undone["decided_by"]) == ("confirmed", "ann")
    assert confirmed_clusters(broker_graph) == [["X1", "X2"]]
    with pytest.raises(DecisionError, match="X2 / X3 have no decision to undo"):
        undo_decision(broker_graph, "X2", "X3", "carol", audit_dir=trail)

    events = audit.events(trail)
    assert events["action"].tolist() == [
        "identity.decide",
        "identity.decide",
        "identity.decide",
        "identity.undo",
    ]
    assert events["user"].tolist() == ["ann", "ann", "bob", "carol"]
    assert events["person_ids"].tolist()[2] == ["V1", "V2"]
    assert events["what"].tolist()[2]["reason"] == "twins"
    assert audit.verify(trail).ok


def test_contradicting_decisions_are_refused(broker_graph: neo4j.Driver) -> None:
    decide_pair(broker_graph, "X1", "X2", "confirmed", "ann")
    with pytest.raises(DecisionError, match=r"X1 / X2 was confirmed by ann at .*: undo that"):
        decide_pair(broker_graph, "X1", "X2", "rejected", "bob", "not him")
    decide_pair(broker_graph, "X2", "X3", "confirmed", "ann")
    # X1 and X3 are one person through X2: they cannot be rejected as two.
    with pytest.raises(DecisionError, match=r"X1 and X3 are one confirmed person \(X1;X2;X3\)"):
        decide_pair(broker_graph, "X1", "X3", "rejected", "bob", "different")
    decide_pair(broker_graph, "V1", "V2", "rejected", "bob", "twins")
    # Joining V1 to X's cluster is fine; then joining V2 would join two rejected records.
    decide_pair(broker_graph, "V1", "X3", "confirmed", "ann")
    with pytest.raises(DecisionError, match=r"bob rejected V1 / V2 \(twins\); undo"):
        decide_pair(broker_graph, "V2", "X1", "confirmed", "ann")
    with pytest.raises(DecisionError, match="'X1' and 'X1' are the same record"):
        decide_pair(broker_graph, "X1", "X1", "confirmed", "ann")
    with pytest.raises(DecisionError, match="no person record 'X1' or 'Z9'"):
        decide_pair(broker_graph, "X1", "Z9", "confirmed", "ann")
    with pytest.raises(DecisionError, match="decision 'merge' is not one of confirmed, rejected"):
        decide_pair(broker_graph, "X1", "Y", "merge", "ann")


def test_a_broker_in_three_records_is_first_only_once_confirmed(
    broker_graph: neo4j.Driver, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    asked = AnalysisParameters(as_of=AS_OF)

    def run(parameters: AnalysisParameters = asked):
        return obtain_run(broker_graph, parameters, runs_dir=runs, store=True)

    before = run()
    assert _top_by_betweenness(before.result.people) == "Y"
    decide_pair(broker_graph, "X1", "X2", "confirmed", "ann")
    decide_pair(broker_graph, "X2", "X3", "confirmed", "ann")
    # The stored run is of the records apart: not reused once they are one person.
    after = obtain_run(broker_graph, asked, runs_dir=runs, reuse=True)
    assert after.source == ANALYSED_NOW
    stored = run()
    people = stored.result.people
    assert _top_by_betweenness(people) == "X1"
    assert people.loc["X1", "members"] == "X1;X2;X3"
    assert not {"X2", "X3"} & set(people.index)
    assert stored.result.parameters.as_dict()["identities"]["clusters"] == 1
    # The scores go on the representative's node only: the other records have none.
    scores = run_query(
        broker_graph,
        "MATCH (p:Person) WHERE p.id STARTS WITH 'X' "
        "RETURN p.id AS id, p.score_betweenness AS b, p.score_priority_rank AS rank ORDER BY id",
    )
    assert scores["b"].notna().tolist() == [True, False, False]
    assert scores.loc[0, "rank"] == 1
    # --resolve none: the decisions are ignored.
    ignored = run(AnalysisParameters(as_of=AS_OF, resolve="none"))
    assert _top_by_betweenness(ignored.result.people) == "Y"
    assert "members" not in ignored.result.people
    # Undone, the effect goes.
    undo_decision(broker_graph, "X1", "X2", "ann")
    undo_decision(broker_graph, "X2", "X3", "ann")
    undone = run()
    assert _top_by_betweenness(undone.result.people) == "Y"
    assert {"X1", "X2", "X3"} <= set(undone.result.people.index)


# --- The identities page ---------------------------------------------------------------------


@pytest.fixture
def identities_page(
    broker_graph: neo4j.Driver,
    test_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Callable[[str], AppTest]]:
    """Open the identities page on the broker's graph as a local user of a role."""
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "NEO4J_DATABASE": test_settings.neo4j_database,
        "GRAPHVC_AUTH": "none",
        "GRAPHVC_HOME": str(tmp_path / "home"),
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
        "GRAPHVC_RUNS_DIR": str(tmp_path / "runs"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def opened(role: str) -> AppTest:
        monkeypatch.setenv("GRAPHVC_LOCAL_ROLES", role)
        clear_app_caches()
        at = AppTest.from_file(page_path("identities"), default_timeout=60).run()
        assert not at.exception, at.exception[0].stack_trace if at.exception else ""
        return at

    yield opened
    clear_app_caches()


def _pick(at: AppTest, pair: str) -> AppTest:
    picker = at.selectbox(key="identity_pair")
    return picker.set_value(
        next(i for i, o in enumerate(picker.options) if o.startswith(pair))
    ).run()


def _decisions(driver: neo4j.Driver) -> list[list[object]]:
    found = run_query(
        driver,
        "MATCH (a)-[r:SAME_AS|NOT_SAME_AS]->(b) "
        "RETURN a.id AS a, type(r) AS t, b.id AS b, r.by AS by, coalesce(r.reason, '-') AS reason "
        "ORDER BY a, b",
    )
    return found.to_numpy().tolist()


def test_an_analyst_confirms_rejects_and_undoes_on_the_page(
    identities_page: Callable[[str], AppTest], broker_graph: neo4j.Driver, tmp_path: Path
) -> None:
    me = f"app:{system_user()}"
    at = identities_page("analyst")
    assert at.title[0].value == "Identities"
    assert [m.value for m in at.metric] == ["4", "0", "0"]
    # The most probable pair first, its fields side by side and its evidence weights.
    assert at.selectbox(key="identity_pair").value == 0
    compared = at.dataframe[2].value
    assert compared["Field"].tolist() == ["Name", "Date of birth", "Postcode", "PNC id"]
    assert compared["X1"].tolist()[:2] == ["Jon Broker", "1990-03-04"]
    assert compared["Agreed"].tolist() == ["yes", "no", "yes", "missing"]
    evidence = at.dataframe[3].value
    assert evidence["Match weight"].tolist() == ["6.00", "3.00", "-1.00"]
    # Every table in plain language, as the Chromium sweep of the other pages reads them.
    assert len(at.dataframe) == 4
    for shown in at.dataframe:
        header, rows = list(shown.value.columns), shown.value.astype(str).to_numpy().tolist()
        assert table_problems(header, rows) == [], header
    at.button(key="identity_confirm").click().run()
    assert not at.exception
    assert _decisions(broker_graph) == [["X1", "SAME_AS", "X2", me, "-"]]
    assert [m.value for m in at.metric] == ["3", "1", "1"]

    # A rejection needs a reason: without one it is refused and nothing is written.
    at = _pick(at, "V1 / V2")
    at.button(key="identity_reject").click().run()
    assert [e.value for e in at.error] == ["rejecting V1 / V2 needs a reason"]
    assert len(_decisions(broker_graph)) == 1
    at = identities_page("analyst")
    at = _pick(at, "V1 / V2")
    at.text_input(key="identity_reason").input("twins").run()
    at.button(key="identity_reject").click().run()
    assert _decisions(broker_graph) == [
        ["V1", "NOT_SAME_AS", "V2", me, "twins"],
        ["X1", "SAME_AS", "X2", me, "-"],
    ]

    # Undone from the list of confirmed pairs.
    at.segmented_control(key="identity_shown").set_value("Confirmed").run()
    assert at.selectbox(key="identity_pair").options == ["X1 / X2 · 97% · confirmed"]
    at.button(key="identity_undo").click().run()
    assert _decisions(broker_graph) == [["V1", "NOT_SAME_AS", "V2", me, "twins"]]
    events = audit.events(tmp_path / "audit")
    # Each session's view of the listed people, then each decision and the undo.
    assert events["action"].tolist() == [
        "identities.view",
        "identity.decide",
        "identities.view",
        "identity.decide",
        "identity.undo",
    ]
    assert events["person_ids"][0] == ["V1", "V2", "X1", "X2", "X3"]
    assert set(events["user"]) == {me}


@pytest.mark.parametrize("role", ["reader", "specialist"])
def test_a_reader_or_specialist_cannot_decide(
    identities_page: Callable[[str], AppTest], broker_graph: neo4j.Driver, role: str
) -> None:
    at = identities_page(role)
    assert [e.value for e in at.error] == [
        f"This page is closed: app:{system_user()} may not open it."
    ]
    assert not at.button and not at.selectbox
    assert _decisions(broker_graph) == []


def test_analyse_resolve_on_the_command_line(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    with cli_env(empty_graph, test_settings, tmp_path / "home") as env:
        load_folder(empty_graph, write_broker_folder(tmp_path / "broker"))
        _propose(empty_graph)
        decide_pair(empty_graph, "X1", "X2", "confirmed", "ann")
        decide_pair(empty_graph, "X2", "X3", "confirmed", "ann")
        printed = {}
        for resolve in ("confirmed", "none"):
            result = CliRunner().invoke(
                cli, ["analyse", "--as-of", "2025-01-01", "--resolve", resolve, "--json"], env=env
            )
            assert result.exit_code == 0, result.output
            printed[resolve] = json.loads(result.output)
        refused = CliRunner().invoke(cli, ["analyse", "--resolve", "all"], env=env)
    merged, apart = printed["confirmed"], printed["none"]
    assert merged["parameters"]["resolve"] == "confirmed"
    assert merged["parameters"]["identities"]["clusters"] == 1
    assert merged["top"][0]["person_id"] == "X1"
    assert merged["summary"]["people_in_network"] == apart["summary"]["people_in_network"] - 2
    assert apart["parameters"]["resolve"] == "none"
    assert apart["parameters"]["identities"]["clusters"] == 0
    assert apart["top"][0]["person_id"] != "X1"
    assert refused.exit_code == 2 and "'all' is not one of 'confirmed', 'none'" in refused.output


def test_a_profile_lists_the_persons_duplicates_and_decisions(
    identities_page: Callable[[str], AppTest], broker_graph: neo4j.Driver, tmp_path: Path
) -> None:
    obtain_run(
        broker_graph, AnalysisParameters(as_of=AS_OF), runs_dir=tmp_path / "runs", store=True
    )
    decide_pair(broker_graph, "X1", "X2", "confirmed", "ann")
    identities_page("analyst")  # the environment and fresh caches
    at = AppTest.from_file(page_path("person"), default_timeout=60)
    at.query_params["person"] = "X2"
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert any(m.value == "**Possible duplicate records** (2)" for m in at.markdown)
    shown = next(d.value for d in at.dataframe if "Decided by" in d.value)
    assert shown[
        ["Person", "Match probability (%)", "Decision", "Decided by"]
    ].to_numpy().tolist() == [
        ["X1", "97.0", "confirmed", "ann"],
        ["X3", "91.0", "—", "—"],
    ]
