"""The app's watches against the real Neo4j: "Watch this" on a Cypher result and on the
explorer, the Alerts page (its list, confirm with a case note, dismiss with a reason), each
write audited, and no write for a specialist or a reader, whatever way they call it.

The graph is the small fixture served as ``test_app`` serves it; the alert is raised the
way ``graphvc watch run`` raises it (:mod:`tests.watch_alerts`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import neo4j
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphvc import audit
from graphvc.app import page as page_path
from graphvc.config import Settings
from graphvc.watches import Alert, list_alerts, list_watches
from tests import watch_alerts
from tests.browser import chromium
from tests.integration import test_app as app_tests
from tests.integration import test_app_tables as tables
from tests.integration.test_app import OpenPage
from tests.watch_alerts import OWNER, watch_nodes

served = app_tests.served
served_app = app_tests.served_app
open_page = app_tests.open_page
reports_dir = app_tests.reports_dir
no_watches = watch_alerts.no_watches
one_alert = watch_alerts.one_alert


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def _trail(folder: Path, action: str) -> list[dict]:
    if not folder.exists():
        return []
    events = audit.events(folder)
    return events[events["action"] == action].to_dict("records")


# --- "Watch this" ----------------------------------------------------------------------------


def test_an_analyst_watches_a_query_result(
    open_page: OpenPage, no_watches: neo4j.Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    at = open_page("cypher")
    at.selectbox[1].set_value("co_offenders").run()
    at.text_input(key="param_co_offenders_person_id").input("P1")
    _button(at, "Run").click().run()
    assert [e.label for e in at.expander if e.label == "Watch this"] == ["Watch this"]
    name = next(t for t in at.text_input if t.label == "Watch name")
    assert name.value == "co_offenders-P1-2-100"  # the query and the values given
    name.input("P1.co-offenders")
    _button(at, "Save the watch").click().run()
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success][-1].startswith("Watching P1.co-offenders (daily)")
    [watch] = list_watches(no_watches, OWNER)
    assert (watch.name, watch.owner, watch.query, watch.schedule) == (
        "P1.co-offenders",
        OWNER,
        "co_offenders",
        "daily",
    )
    assert watch.parameters == {"person_id": "P1", "hops": 2, "limit": 100}
    [event] = _trail(tmp_path / "audit", "watch.add")
    assert (event["user"], list(event["person_ids"])) == (OWNER, ["P1"])
    assert event["what"]["query"] == "co_offenders"


def test_an_analyst_watches_an_explorer_view(
    open_page: OpenPage, no_watches: neo4j.Driver, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    at = open_page("explorer")
    at.text_input(key="node_id").input("P6")
    at.slider(key="hops").set_value(1)
    _button(at, "Explore").click().run()
    assert not at.exception
    name = next(t for t in at.text_input if t.label == "Watch name")
    assert name.value == "explorer-P6-1"
    at.selectbox(key="watch_this_explorer-P6-1_schedule").set_value("weekly")
    _button(at, "Save the watch").click().run()
    assert not at.error, [e.value for e in at.error]
    [watch] = list_watches(no_watches, OWNER)
    assert (watch.name, watch.query, watch.parameters, watch.schedule) == (
        "explorer-P6-1",
        "explorer",
        {"centre": "P6", "hops": 1},
        "weekly",
    )


# --- The Alerts page -------------------------------------------------------------------------


def test_the_alerts_page_lists_confirms_and_dismisses(
    open_page: OpenPage,
    one_alert: Alert,
    no_watches: neo4j.Driver,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    at = open_page("alerts")
    [table] = at.dataframe
    shown = table.value
    assert list(shown.columns) == [
        "Found at",
        "Watch",
        "Summary",
        "Names",
        "Status",
        "Decided by",
        "Decided at",
        "Case note or reason",
    ]
    assert shown["Watch"].tolist() == ["p1-co-offenders"]
    assert shown["Status"].tolist() == ["new"]
    assert "P9" in shown["Names"].iloc[0]
    assert shown["Decided by"].tolist() == ["—"] and shown["Decided at"].tolist() == ["—"]
    assert shown["Found at"].tolist() == ["2026-12-02 09:00"]
    # The list names P9, recorded as seen; P9's id opens their profile.
    [listed] = _trail(tmp_path / "audit", "alerts.list")
    assert "P9" in listed["person_ids"]
    assert any(b.label == "P9" for b in at.button)

    # A dismissal needs a reason.
    _button(at, "Dismiss").click().run()
    assert [e.value for e in at.error] == ["Say why the alert is dismissed."]
    assert list_alerts(no_watches, OWNER)[0].status == "new"

    at.text_area(key=f"note_{one_alert.id}").input("Case 25/1234 opened: P9 new to P1's group.")
    _button(at, "Confirm").click().run()
    assert not at.error, [e.value for e in at.error]
    [decided] = list_alerts(no_watches, OWNER)
    assert (decided.status, decided.decided_by, decided.reason) == (
        "confirmed",
        OWNER,
        "Case 25/1234 opened: P9 new to P1's group.",
    )
    assert at.dataframe[0].value["Status"].tolist() == ["confirmed"]
    assert at.success[0].value == "Alert of p1-co-offenders confirmed."

    at.text_input(key=f"reason_{one_alert.id}").input("P9 was a witness, not an offender.")
    _button(at, "Dismiss").click().run()
    [decided] = list_alerts(no_watches, OWNER)
    assert (decided.status, decided.reason) == ("dismissed", "P9 was a witness, not an offender.")
    # Both decisions are in the audit trail, with the person the alert names.
    [confirmed] = _trail(tmp_path / "audit", "alert.confirm")
    [dismissed] = _trail(tmp_path / "audit", "alert.dismiss")
    for event, decision in ((confirmed, "confirmed"), (dismissed, "dismissed")):
        assert event["user"] == OWNER and "P9" in event["person_ids"]
        assert (event["what"]["alert"], event["what"]["decision"]) == (one_alert.id, decision)


def test_without_alerts_the_page_says_so(open_page: OpenPage, no_watches: neo4j.Driver) -> None:
    at = open_page("alerts")
    assert [i.value for i in at.info] == ["No alerts: none of your watches has found anything new."]
    assert not at.dataframe


# --- Only an analyst writes ------------------------------------------------------------------


def _as(role: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRAPHVC_AUTH", "none")
    monkeypatch.setenv("GRAPHVC_LOCAL_ROLES", role)
    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    st.cache_resource.clear()


def _write_as_the_user(alert_id: str) -> None:
    """The app's two writes, called directly (not through a page's control): each outcome
    kept in the session state."""
    import streamlit as st

    from graphvc.app import data
    from graphvc.app.watch_this import decide, save_watch
    from graphvc.watches import get_alert

    outcomes = {}
    try:
        save_watch(name="sneaky", query="co_offenders", parameters={"person_id": "P1"})
        outcomes["watch"] = "saved"
    except Exception as e:
        outcomes["watch"] = f"{type(e).__name__}: {e}"
    try:
        alert = get_alert(data.driver(), alert_id, database=data.settings().neo4j_database)
        decide(alert, "dismissed", "not mine to keep")
        outcomes["alert"] = "decided"
    except Exception as e:
        outcomes["alert"] = f"{type(e).__name__}: {e}"
    st.session_state["outcomes"] = outcomes


@pytest.mark.parametrize("role", ["specialist", "reader"])
def test_a_specialist_or_reader_cannot_write_a_watch_or_an_alert(
    role: str,
    served: app_tests.Served,
    one_alert: Alert,
    no_watches: neo4j.Driver,
    test_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    for name, value in app_tests._app_env(test_settings, served).items():
        monkeypatch.setenv(name, value)
    _as(role, monkeypatch, tmp_path)
    before = watch_nodes(no_watches)
    at = AppTest.from_function(_write_as_the_user, args=(one_alert.id,), default_timeout=30).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    refused = (
        "AccessError: only an analyst may save a watch or decide an alert: "
        f"{OWNER} is not an analyst"
    )
    assert at.session_state["outcomes"] == {"watch": refused, "alert": refused}
    # Nothing written, nothing recorded as done.
    assert watch_nodes(no_watches) == before
    [alert] = list_alerts(no_watches, OWNER)
    assert (alert.status, alert.decided_by) == ("new", None)
    assert [w.name for w in list_watches(no_watches, OWNER)] == ["p1-co-offenders"]
    assert _trail(tmp_path / "audit", "watch.add") == []
    assert _trail(tmp_path / "audit", "alert.dismiss") == []
    # The pages: the Alerts page is shut, and a Cypher result shows no "Watch this".
    st.cache_resource.clear()
    at = AppTest.from_file(page_path("alerts"), default_timeout=30).run()
    assert at.error[0].value.startswith("This page is closed")
    assert not at.dataframe
    if role == "specialist":
        # A query for all teams: a specialist without a team runs those only.
        at = AppTest.from_file(page_path("cypher"), default_timeout=30).run()
        at.selectbox[1].set_value("victim_offenders").run()
        _button(at, "Run").click().run()
        assert not at.error and len(at.dataframe) == 1  # the result is shown
        assert [e.label for e in at.expander if e.label == "Watch this"] == []
        assert not any(b.label == "Save the watch" for b in at.button)


# --- In Chromium -----------------------------------------------------------------------------


def _main_text(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.CSS_SELECTOR, "[data-testid='stMain']").text)


def _wait_for_text(browser: Any, text: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 60).until(lambda b: text in _main_text(b))
    tables._idle(browser)


def _type(browser: Any, css: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    field = WebDriverWait(browser, 30).until(lambda b: b.find_element(By.CSS_SELECTOR, css))
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(text)


def test_watch_this_from_a_cypher_result_in_chromium(
    served_app: str, no_watches: neo4j.Driver, tmp_path: Path
) -> None:
    with chromium(tmp_path / "profile") as browser:
        browser.get(f"{served_app}/cypher")
        tables._run_query("co_offenders", person_id="P1")(browser)
        tables._click(browser, "//summary[.//p[text()='Watch this']]")
        _type(browser, "input[aria-label='Watch name']", "p1-from-the-browser")
        tables._click(browser, "//button[.//p[text()='Save the watch']]")
        _wait_for_text(browser, "Watching p1-from-the-browser (daily)")
    [watch] = list_watches(no_watches, OWNER)
    assert (watch.name, watch.query, watch.parameters["person_id"]) == (
        "p1-from-the-browser",
        "co_offenders",
        "P1",
    )


def test_the_alerts_page_in_chromium(
    served_app: str, one_alert: Alert, no_watches: neo4j.Driver, tmp_path: Path
) -> None:
    with chromium(tmp_path / "profile") as browser:
        browser.get(f"{served_app}/alerts")
        tables._settled(browser)
        [shown] = browser.execute_script(tables.READ_TABLES)
        assert shown["header"][:5] == ["Found at", "Watch", "Summary", "Names", "Status"]
        [row] = shown["rows"]
        assert (row[1], row[4], row[5]) == ("p1-co-offenders", "new", "—")
        assert tables.table_problems(shown["header"], shown["rows"]) == []

        _type(browser, "textarea[aria-label='Case note']", "Case 25/1234 opened.")
        tables._click(browser, "//button[.//p[text()='Confirm']]")
        _wait_for_text(browser, "Alert of p1-co-offenders confirmed.")
        tables._settled(browser)
        [shown] = browser.execute_script(tables.READ_TABLES)
        assert shown["rows"][0][4] == "confirmed"  # the page redrew with the decision
        [alert] = list_alerts(no_watches, OWNER)
        assert (alert.status, alert.reason) == ("confirmed", "Case 25/1234 opened.")
        if os.environ.get("GRAPHVC_TEST_SCREENSHOT_ALERTS"):  # docs/images/alerts-page.png
            browser.save_screenshot(os.environ["GRAPHVC_TEST_SCREENSHOT_ALERTS"])

        _type(browser, "input[aria-label='Reason for dismissing']", "A witness, not an offender.")
        tables._click(browser, "//button[.//p[text()='Dismiss']]")
        _wait_for_text(browser, "Alert of p1-co-offenders dismissed.")
        [alert] = list_alerts(no_watches, OWNER)
        assert (alert.status, alert.reason) == ("dismissed", "A witness, not an offender.")
        assert alert.decided_by == OWNER


def _decide_twice(alert_id: str) -> None:
    """The same decision made twice in one session (a second click, a page reopened)."""
    from graphvc.app import data
    from graphvc.app.watch_this import decide
    from graphvc.watches import get_alert

    for _ in range(2):
        alert = get_alert(data.driver(), alert_id, database=data.settings().neo4j_database)
        decide(alert, "confirmed", "Case 25/77")


def test_each_decision_is_audited_even_the_same_one_again(
    served: app_tests.Served,
    one_alert: Alert,
    test_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A view is recorded once a session; a write each time it is made."""
    for name, value in app_tests._app_env(test_settings, served).items():
        monkeypatch.setenv(name, value)
    _as("analyst", monkeypatch, tmp_path)
    at = AppTest.from_function(_decide_twice, args=(one_alert.id,), default_timeout=30).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    confirmed = _trail(tmp_path / "audit", "alert.confirm")
    assert [(e["what"]["alert"], e["what"]["reason"]) for e in confirmed] == [
        (one_alert.id, "Case 25/77"),
        (one_alert.id, "Case 25/77"),
    ]
