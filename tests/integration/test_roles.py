"""Every page checks the user's role before it reads anything.

Each page is opened on its own, as each role, with Neo4j pointed at a closed port: a page the
role opens goes on to read (and says the server is unreachable, or shows what it read from
files), a page it does not open says it is closed and has tried nothing.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphvc.app import page as page_path
from graphvc.app.main import PAGES
from graphvc.audit import system_user

#: Which pages each role opens, as docs/operations/security.md states it.
OPENS = {
    "analyst": {
        "overview",
        "explorer",
        "people",
        "person",
        "identities",
        "victims",
        "places",
        "performance",
        "cypher",
        "reports",
        "alerts",
    },
    "specialist": {"cypher"},
    "reader": {"overview", "reports"},
    "admin": {"audit"},
}
CLOSED = "This page is closed"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("role", sorted(OPENS))
def test_each_page_opens_for_its_roles_only(
    role: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHVC_AUTH", "none")
    monkeypatch.setenv("GRAPHVC_LOCAL_ROLES", role)
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("GRAPHVC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    monkeypatch.setenv("GRAPHVC_REPORTS_DIR", str(tmp_path / "reports"))
    opened = set()
    for name, _, _ in PAGES:
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(page_path(name), default_timeout=30).run()
        assert not at.exception, (name, at.exception[0].stack_trace if at.exception else "")
        errors = [e.value for e in at.error]
        refused = any(e.startswith(CLOSED) for e in errors)
        if not refused:
            opened.add(name)
        else:
            # Refused before reading: had it tried, the closed port would be an error too.
            assert errors == [f"{CLOSED}: app:{system_user()} may not open it."], name
    assert opened == OPENS[role]


def test_a_specialist_runs_only_the_queries_of_their_teams(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local user here has no team, so only the queries for all teams are offered; an
    analyst is offered every team's."""
    from graphvc.queries import TEAMS, list_queries

    monkeypatch.setenv("GRAPHVC_AUTH", "none")
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    offered = {}
    for role in ("specialist", "analyst"):
        monkeypatch.setenv("GRAPHVC_LOCAL_ROLES", role)
        st.cache_resource.clear()
        at = AppTest.from_file(page_path("cypher"), default_timeout=30).run()
        team, query = at.selectbox[0], at.selectbox[1]
        offered[role] = (list(team.options), set(query.options))
    every_team = {q.name for q in list_queries(None)}
    for_all = {q.name for q in list_queries(None) if q.team == "all teams"}
    assert offered["specialist"][0] == ["all teams"]
    assert {o.rsplit("(", 1)[1].rstrip(")") for o in offered["specialist"][1]} == for_all
    assert offered["analyst"][0] == ["Every team", *TEAMS]
    assert {o.rsplit("(", 1)[1].rstrip(")") for o in offered["analyst"][1]} == every_team
    assert for_all < every_team


def test_a_download_is_made_only_after_its_audit_event_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data of every app download comes from ``audited_export``: called (as Streamlit calls
    it when the button is clicked) it records the export first, and with a trail that cannot
    be written it fails instead of handing out the data."""
    from graphvc import audit

    def script() -> None:
        import streamlit as st

        from graphvc.app.access import audited_export

        make = audited_export(
            lambda: "person_id\nP7\n", person_ids=lambda: ["P7"], what={"file": "people.csv"}
        )
        try:
            st.session_state["data"] = make()
        except Exception as e:
            st.session_state["failed"] = type(e).__name__

    monkeypatch.setenv("GRAPHVC_AUTH", "none")
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    st.cache_resource.clear()
    at = AppTest.from_function(script).run()
    assert at.session_state["data"] == "person_id\nP7\n"
    [event] = audit.events(tmp_path / "audit").to_dict(orient="records")
    assert (event["action"], event["person_ids"], event["user"]) == (
        "export",
        ["P7"],
        f"app:{system_user()}",
    )
    assert event["what"] == {"file": "people.csv"}

    (tmp_path / "blocked").write_text("a file where the audit folder should be")
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "blocked"))
    st.cache_resource.clear()
    at = AppTest.from_function(script).run()
    assert at.session_state["failed"] == "AuditError" and "data" not in at.session_state
