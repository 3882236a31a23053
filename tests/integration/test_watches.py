"""Watches on the real Neo4j: the domestic-abuse watch raises one alert when a load adds a
victim's third incident, none when the same file is loaded again, and its alert is confirmed
then dismissed, both decisions recorded and audited; runs are idempotent and keep to their
schedule; an explorer view is watched too; the watches' labels stay out of the crime graph's
counts and out of the reach of file queries."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import HTTPServer
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.errors import QueryError
from graphvc.queries import parse_query, run_stored_query
from graphvc.schema import graph_counts
from graphvc.watches import (
    WatchError,
    add_watch,
    alert_history,
    decide_alert,
    get_watch,
    list_alerts,
    list_watches,
    remove_watch,
    run_watches,
)
from tests.cli_env import cli_env
from tests.unit.test_watches import http_sink  # noqa: F401 -- a fixture

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"

# P4, the victim of domestic abuse incidents I3 (2024-03-15) and I4 (2024-09-01) in the small
# fixture, is a victim again on 2024-12-01: a third incident within twelve months.
THIRD_INCIDENT = "I7,2024-12-01T21:00:00,violence_with_injury,domestic_abuse,false,false,true,false,,charged,L2\n"
THIRD_INVOLVEMENTS = "P5,I7,offender\nP4,I7,victim\n"


def _folder_with_third_incident(tmp_path: Path) -> Path:
    folder = tmp_path / "after"
    shutil.copytree(SMALL, folder)
    with (folder / "incidents.csv").open("a", encoding="utf-8") as incidents:
        incidents.write(THIRD_INCIDENT)
    with (folder / "involvements.csv").open("a", encoding="utf-8") as involvements:
        involvements.write(THIRD_INVOLVEMENTS)
    return folder


def test_a_third_incident_raises_one_alert_decided_twice_and_audited(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    runner = CliRunner()
    with cli_env(empty_graph, test_settings, tmp_path / "home") as env:
        env["GRAPHVC_AUDIT_DIR"] = str(tmp_path / "audit")

        def graphvc(*args: str) -> str:
            result = runner.invoke(cli, list(args), env=env)
            assert result.exit_code == 0, (args, result.output)
            return result.stdout

        def run() -> dict:
            return json.loads(graphvc("watch", "run", "da-third-incident", "--json"))

        graphvc("load", str(SMALL), "--rejects", str(tmp_path / "r1.csv"))
        graphvc("watch", "add", "da-third-incident", "--query", "domestic_abuse_third_incident")
        first = run()
        assert (first["ran"], first["new_alerts"]) == (1, 0)
        assert first["watches"][0]["rows"] == 0  # two incidents against P4: not yet
        after = _folder_with_third_incident(tmp_path)
        graphvc("load", str(after), "--rejects", str(tmp_path / "r2.csv"))
        second = run()
        assert second["new_alerts"] == 1
        (line,) = second["watches"]
        assert (line["name"], line["owner"], line["rows"], line["new"]) == (
            "da-third-incident",
            audit.system_user(),
            1,
            1,
        )
        graphvc("load", str(after), "--rejects", str(tmp_path / "r3.csv"))
        third = run()
        assert third["new_alerts"] == 0 and third["watches"][0]["rows"] == 1

        (alert,) = list_alerts(empty_graph, audit.system_user())
        assert sorted(alert.ids) == ["I7", "P4"] and alert.status == "new"
        assert "incidents_in_window 3" in alert.summary
        graphvc("watch", "decide", alert.id, "confirmed")
        refused = runner.invoke(cli, ["watch", "decide", alert.id, "dismissed"], env=env)
        assert refused.exit_code != 0
        assert refused.output.strip() == "Error: dismissing an alert needs a reason"
        graphvc("watch", "decide", alert.id, "dismissed", "--reason", "already at MARAC")
        listed = json.loads(graphvc("watch", "alerts", "--json"))
        assert [(a["id"], a["status"], a["reason"]) for a in listed] == [
            (alert.id, "dismissed", "already at MARAC")
        ]
        history = alert_history(empty_graph, alert.id)
        assert [(h["decision"], h["by"], h["reason"]) for h in history] == [
            ("confirmed", audit.system_user(), None),
            ("dismissed", audit.system_user(), "already at MARAC"),
        ]
        assert history[0]["at"] <= history[1]["at"]

    trail = audit.events(tmp_path / "audit")
    runs = trail[trail["action"] == "watch.run"].to_dict(orient="records")
    assert [r["what"]["new"] for r in runs] == [0, 1, 0]
    assert runs[1]["person_ids"] == ["P4"] and runs[1]["what"]["alerts"] == [alert.id]
    decisions = trail[trail["action"] == "watch.alert.decide"].to_dict(orient="records")
    assert [(d["what"]["decision"], d["what"]["reason"]) for d in decisions] == [
        ("confirmed", None),
        ("dismissed", "already at MARAC"),
    ]
    assert all(d["person_ids"] == ["P4"] and d["what"]["alert"] == alert.id for d in decisions)


def test_runs_are_idempotent_keep_their_schedule_and_survive_a_bad_watch(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    runner = CliRunner()
    with cli_env(empty_graph, test_settings, tmp_path / "home") as env:
        assert runner.invoke(cli, ["load", str(SMALL)], env=env).exit_code == 0
        added = add_watch(
            empty_graph,
            owner="analyst1",
            name="near-P1",
            query="new_incident_near_person",
            parameters={"person_id": "P1", "hops": 1},
            schedule="hourly",
        )
        assert added == get_watch(empty_graph, "analyst1", "near-P1")
        with pytest.raises(WatchError, match="'analyst1' already has a watch named 'near-P1'"):
            add_watch(
                empty_graph,
                owner="analyst1",
                name="near-P1",
                query="explorer",
                parameters={"centre": "P1"},
            )
        now = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)
        first = run_watches(empty_graph, now=now)
        assert first["ran"] == 1 and first["new_alerts"] == 0  # the baseline
        assert first["watches"][0]["rows"] == 4  # P1's I1, I2, I5, and I6 (P2's, one step)
        assert run_watches(empty_graph, now=now + timedelta(minutes=10))["ran"] == 0  # not due
        # A new incident one step from P1 (P6 offended with P1 in I5).
        empty_graph.execute_query(
            "MATCH (p:Person {id: 'P6'}) CREATE (p)-[:OFFENDER_IN]->"
            "(:Incident {id: 'I9', category: 'knife_enabled', "
            "occurred_at: datetime('2025-02-01T10:00:00Z')})"
        )
        due = run_watches(empty_graph, now=now + timedelta(hours=1))
        assert (due["ran"], due["new_alerts"]) == (1, 1)
        assert (
            run_watches(empty_graph, names=["near-P1"], now=now + timedelta(hours=2))["new_alerts"]
            == 0
        )
        (alert,) = list_alerts(empty_graph, "analyst1")
        assert alert.ids == ["I9"] and alert.found_at == now + timedelta(hours=1)
        assert list_alerts(empty_graph, "someone-else") == []
        # The library's own refusal, one line, whatever calls it.
        with pytest.raises(
            WatchError, match=r"^decision 'maybe' is not one of confirmed, dismissed$"
        ):
            decide_alert(
                empty_graph, alert_id=alert.id, decision="maybe", by="analyst1", reason="x"
            )
        with pytest.raises(WatchError, match=r"^dismissing an alert needs a reason$"):
            decide_alert(empty_graph, alert_id=alert.id, decision="dismissed", by="a", reason="")
        with pytest.raises(WatchError, match="no alert has the id 'nope'"):
            decide_alert(empty_graph, alert_id="nope", decision="confirmed", by="a", reason=None)

        # A watch whose centre has gone fails in its own line; the others run.
        add_watch(
            empty_graph,
            owner="analyst1",
            name="ego",
            query="explorer",
            parameters={"centre": "P404", "hops": 1},
        )
        summary = run_watches(empty_graph, names=["near-P1", "ego"], now=now + timedelta(hours=3))
        errors = {line["name"]: line.get("error") for line in summary["watches"]}
        assert errors["near-P1"] is None and "P404" in str(errors["ego"])
        cli_run = runner.invoke(cli, ["watch", "run", "ego", "--owner", "analyst1"], env=env)
        assert cli_run.exit_code != 0 and "1 of 1 watches failed: ego" in cli_run.output

        # The crime graph's counts do not see the watches, and removing one keeps its alerts.
        counts = graph_counts(empty_graph)
        assert "Watch" not in counts and "Alert" not in counts and "RAISED" not in counts
        remove_watch(empty_graph, "analyst1", "ego")
        assert [w.name for w in list_watches(empty_graph)] == ["near-P1"]
        remove_watch(empty_graph, "analyst1", "near-P1")
        assert len(list_alerts(empty_graph, "analyst1")) == 1


def test_an_explorer_view_is_watched_by_the_ids_of_its_nodes(
    empty_graph: neo4j.Driver,
    test_settings: Settings,
    tmp_path: Path,
    http_sink: HTTPServer,  # noqa: F811 -- the fixture imported above
) -> None:
    runner = CliRunner()
    with cli_env(empty_graph, test_settings, tmp_path / "home") as env:
        assert runner.invoke(cli, ["load", str(SMALL)], env=env).exit_code == 0
        added = runner.invoke(
            cli,
            [
                "watch",
                "add",
                "ego-P7",
                "--query",
                "explorer",
                "-p",
                "centre=P7",
                "-p",
                "hops=1",
                "--owner",
                "analyst2",
                "--webhook",
                f"http://127.0.0.1:{http_sink.server_address[1]}/alerts",
            ],
            env=env,
        )
        assert added.exit_code == 0, added.output
        shown = json.loads(
            runner.invoke(
                cli, ["watch", "show", "ego-P7", "--owner", "analyst2", "--json"], env=env
            ).stdout
        )
        assert shown["parameters"] == {"centre": "P7", "hops": 1} and shown["last_run"] is None
        baseline = run_watches(empty_graph, owner="analyst2")
        assert baseline["watches"][0]["rows"] == 3  # P7, their I6 and P9 (family)
        empty_graph.execute_query(
            "MATCH (p:Person {id: 'P7'}) CREATE (p)-[:SUSPECT_IN]->"
            "(:Incident {id: 'I10', category: 'other_violence', "
            "occurred_at: datetime('2025-03-01T10:00:00Z')})"
        )
        # The run delivers its new alert to the watch's webhook, on a host the settings allow.
        allowed = replace(test_settings, webhook_hosts=("127.0.0.1",))
        found = run_watches(empty_graph, names=["ego-P7"], owner="analyst2", settings=allowed)
        assert found["new_alerts"] == 1 and found["watches"][0]["delivery"] == "sent"
        (alert,) = list_alerts(empty_graph, "analyst2")
        assert alert.ids == ["I10"]
        ((path, _, body),) = http_sink.posted  # type: ignore[attr-defined]
        assert path == "/alerts" and body["alerts"] == [alert.id] and body["watch"] == "ego-P7"


@pytest.mark.parametrize(
    "text",
    [
        "MATCH (w:Watch) RETURN w.owner AS owner",
        "MATCH (a:Alert) RETURN a.summary AS summary",
        "MATCH (:Person)-[r:RAISED]->() RETURN count(r) AS n",
        # Reached without their labels: by a scan of every node, by a seek of node ids.
        "MATCH (n) WHERE n.watch_owner IS NOT NULL RETURN n.watch_parameters AS parameters",
        "MATCH (n) WHERE id(n) IN range(0, 100) RETURN n{.watch_owner, .id} AS x",
    ],
)
def test_a_file_query_cannot_read_the_watches(empty_graph: neo4j.Driver, text: str) -> None:
    add_watch(
        empty_graph,
        owner="a",
        name=f"w{abs(hash(text))}",
        query="explorer",
        parameters={"centre": "P1"},
    )
    header = "// title: t\n// description: d\n// team: all teams\n// column x: x\n// mode: read\n"
    query = parse_query(header + text, name="peek")
    with pytest.raises(QueryError, match="refused: query 'peek'"):
        run_stored_query(empty_graph, query)
