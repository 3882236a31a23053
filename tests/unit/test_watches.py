"""Watches without a database: the row-identity rule, schedules, checks of a watch and a
decision, the settings of delivery, and delivery to a local SMTP and HTTP sink."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest

from graphvc.config import Settings
from graphvc.errors import ConfigError, GraphvcError, QueryError
from graphvc.model import NODE_LABELS, RELATIONSHIP_TYPES, quote_label
from graphvc.watches import (
    Watch,
    WatchError,
    check_decision,
    check_watch,
    result_hash,
    row_identity,
)
from graphvc.watches.delivery import deliver

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def _watch(**changes: Any) -> Watch:
    fields: dict[str, Any] = {
        "name": "da",
        "owner": "analyst1",
        "query": "domestic_abuse_third_incident",
        "parameters": {},
        "schedule": "daily",
        "created": NOW - timedelta(days=3),
        "last_run": None,
        "last_hash": None,
        "delivery": None,
    }
    return Watch(**(fields | changes))


def test_a_rows_identity_is_the_ids_it_names_whatever_else_changes() -> None:
    before = {"victim_id": "P4", "perpetrator_id": "P5", "incidents": 2, "harm": 1.5}
    after = {"victim_id": "P4", "perpetrator_id": "P5", "incidents": 3, "harm": 9.0}
    assert row_identity(before) == row_identity(after) == ["perpetrator_id=P5", "victim_id=P4"]
    assert row_identity({"victim_id": "P4", "incident_id": "I7"}) != row_identity(
        {"victim_id": "P4", "incident_id": "I8"}
    )


def test_a_row_without_ids_is_named_by_all_its_values() -> None:
    assert row_identity({"ward_code": None, "category": "knife_enabled", "n": 2}) == [
        "category=knife_enabled",
        "n=2",
        "ward_code=null",
    ]


def test_the_result_hash_ignores_the_order_of_rows_but_not_their_ids() -> None:
    a, b = ["victim_id=P4"], ["victim_id=P9"]
    assert result_hash([a, b]) == result_hash([b, a])
    assert result_hash([a, b]) != result_hash([a])


@pytest.mark.parametrize(
    ("schedule", "ago", "due"),
    [
        ("hourly", timedelta(minutes=30), False),
        ("hourly", timedelta(minutes=59, seconds=30), True),
        ("daily", timedelta(hours=23), False),
        ("daily", timedelta(hours=23, minutes=59, seconds=30), True),
        ("weekly", timedelta(days=6), False),
        ("weekly", timedelta(days=7), True),
    ],
)
def test_a_watch_is_due_a_schedule_after_its_last_run(
    schedule: str, ago: timedelta, due: bool
) -> None:
    assert _watch(schedule=schedule, last_run=NOW - ago).due(NOW) is due
    assert _watch(schedule=schedule).due(NOW)  # never run: due


def test_a_watch_is_checked_by_the_query_librarys_own_checks() -> None:
    assert check_watch("new_incident_near_person", {"person_id": "P1", "hops": "1"}) == {
        "person_id": "P1",
        "hops": 1,
    }
    with pytest.raises(QueryError, match="'hops' = 'two' is not a whole number"):
        check_watch("new_incident_near_person", {"person_id": "P1", "hops": "two"})
    with pytest.raises(QueryError, match="needs parameter 'person_id'"):
        check_watch("new_incident_near_person", {})
    with pytest.raises(QueryError, match="no library query 'no_such_query'"):
        check_watch("no_such_query", {})
    with pytest.raises(WatchError, match="not the name of a library query"):
        check_watch("../secret.cypher", {})
    assert check_watch("explorer", {"centre": "P1", "hops": "2"}) == {"centre": "P1", "hops": 2}
    with pytest.raises(WatchError, match="hops = 5 is not 1, 2 or 3"):
        check_watch("explorer", {"centre": "P1", "hops": 5})


@pytest.mark.parametrize(
    ("decision", "by", "reason", "message"),
    [
        ("deleted", "analyst1", "x", "decision 'deleted' is not one of confirmed, dismissed"),
        ("dismissed", "analyst1", None, "dismissing an alert needs a reason"),
        ("dismissed", "analyst1", "   ", "dismissing an alert needs a reason"),
        ("confirmed", "", None, "a decision needs who took it"),
    ],
)
def test_a_bad_decision_is_refused_in_one_clear_line(
    decision: str, by: str, reason: str | None, message: str
) -> None:
    with pytest.raises(GraphvcError, match=message) as refused:
        check_decision(decision, by, reason)
    assert "\n" not in str(refused.value)


def test_a_confirmation_needs_no_reason() -> None:
    assert check_decision("confirmed", "analyst1", None) is None


def test_the_watch_labels_are_quoted_but_kept_out_of_the_crime_graphs_lists() -> None:
    assert quote_label("Alert") == "`Alert`" and quote_label("RAISED") == "`RAISED`"
    assert not {"Watch", "Alert"} & set(NODE_LABELS)
    assert "RAISED" not in RELATIONSHIP_TYPES


def test_delivery_is_off_unless_the_settings_say_where() -> None:
    settings = Settings.from_env({})
    assert settings.smtp_host is None and settings.webhook_hosts == ()
    read = Settings.from_env(
        {
            "GRAPHVC_SMTP_HOST": "mail.force.example",
            "GRAPHVC_SMTP_PORT": "2525",
            "GRAPHVC_WEBHOOK_HOSTS": "Hooks.Force.Example, other.example",
        }
    )
    assert (read.smtp_host, read.smtp_port) == ("mail.force.example", 2525)
    assert read.webhook_hosts == ("hooks.force.example", "other.example")
    with pytest.raises(ConfigError, match="GRAPHVC_SMTP_PORT=70000 is not a TCP port"):
        Settings.from_env({"GRAPHVC_SMTP_PORT": "70000"})
    line = {"new": 1, "alerts": ["a1"]}
    watch = _watch(delivery={"email": "duty@force.example"})
    assert deliver(watch, line, settings) == "off"


class _SMTPSink(socketserver.StreamRequestHandler):
    """Just enough of SMTP (RFC 5321) to take one message, kept on the server."""

    def _say(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def handle(self) -> None:
        self._say("220 sink")
        while line := self.rfile.readline().decode():
            verb = line.strip().split(" ")[0].upper()
            if verb == "DATA":
                self._say("354 go on")
                body = []
                while (data := self.rfile.readline().decode()) not in (".\r\n", ""):
                    body.append(data)
                self.server.messages.append("".join(body))  # type: ignore[attr-defined]
                self._say("250 kept")
            elif verb == "QUIT":
                self._say("221 bye")
                return
            else:
                self._say("250 ok")


@pytest.fixture
def smtp_sink() -> Iterator[socketserver.TCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPSink)
    server.messages = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_new_alerts_are_emailed_through_the_configured_server(
    smtp_sink: socketserver.TCPServer,
) -> None:
    port = smtp_sink.server_address[1]
    settings = Settings.from_env(
        {
            "GRAPHVC_SMTP_HOST": "127.0.0.1",
            "GRAPHVC_SMTP_PORT": str(port),
            "GRAPHVC_SMTP_FROM": "graphvc@force.example",
        }
    )
    watch = _watch(delivery={"email": "duty@force.example"})
    assert deliver(watch, {"new": 2, "alerts": ["a1", "a2"]}, settings) == "sent"
    (message,) = smtp_sink.messages  # type: ignore[attr-defined]
    assert "To: duty@force.example" in message and "From: graphvc@force.example" in message
    assert "Subject: graphvc: 2 new alert(s) from watch da" in message
    assert "  a1\n" in message.replace("\r\n", "\n") and "  a2\n" in message.replace("\r\n", "\n")


def test_an_unreachable_smtp_server_is_reported_not_raised() -> None:
    settings = Settings.from_env({"GRAPHVC_SMTP_HOST": "127.0.0.1", "GRAPHVC_SMTP_PORT": "9"})
    outcome = deliver(_watch(delivery={"email": "duty@force.example"}), {"new": 1}, settings)
    assert outcome.startswith("failed: ConnectionRefusedError")


@pytest.fixture
def http_sink() -> Iterator[HTTPServer]:
    class Sink(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            self.server.posted.append(  # type: ignore[attr-defined]
                (self.path, self.headers["Content-Type"], json.loads(self.rfile.read(length)))
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Sink)
    server.posted = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_new_alerts_are_posted_to_a_webhook_on_an_allowed_host_only(http_sink: HTTPServer) -> None:
    url = f"http://127.0.0.1:{http_sink.server_address[1]}/hooks/graphvc"
    watch = _watch(delivery={"webhook": url})
    line = {"new": 1, "alerts": ["a1"], "summaries": ["da: victim_id P4"]}
    assert deliver(watch, line, Settings.from_env({"GRAPHVC_WEBHOOK_HOSTS": "elsewhere"})) == "off"
    assert http_sink.posted == []  # type: ignore[attr-defined]
    allowed = Settings.from_env({"GRAPHVC_WEBHOOK_HOSTS": "127.0.0.1"})
    assert deliver(watch, line, allowed) == "sent"
    ((path, kind, body),) = http_sink.posted  # type: ignore[attr-defined]
    assert (path, kind) == ("/hooks/graphvc", "application/json")
    # The ids of the alerts, not the rows: what they name stays behind graphvc's sign-in.
    assert body["alerts"] == ["a1"] and body["new_alerts"] == 1 and body["watch"] == "da"
    assert "victim_id P4" not in json.dumps(body)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["watch", "run"], "Error: give either a watch NAME or --all"),
        (["watch", "run", "da", "--all"], "Error: give either a watch NAME or --all"),
        (
            [
                "watch",
                "add",
                "w",
                "--query",
                "new_top_priority",
                "--email",
                "a@b.example",
                "--webhook",
                "http://hooks.example/x",
            ],
            "Error: give --email or --webhook, not both",
        ),
        (
            ["watch", "add", "w", "--query", "new_top_priority", "-p", "top=lots"],
            "Error: query 'new_top_priority' parameter 'top' = 'lots' is not a whole number",
        ),
        (
            ["watch", "decide", "a1", "dismissed"],
            "Error: dismissing an alert needs a reason",
        ),
    ],
)
def test_the_watch_commands_refuse_a_mistake_in_one_line_before_connecting(
    args: list[str], message: str
) -> None:
    from click.testing import CliRunner

    from graphvc.cli import cli

    # No server answers on port 9: each mistake is caught before any connection is tried.
    result = CliRunner().invoke(cli, args, env={"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert result.exit_code != 0
    assert result.output.strip() == message
