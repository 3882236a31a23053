"""`graphvc load`, `load-network`, `graphvc query run` and `graphvc report` write audit
events, under the operating-system user, naming the people they touch; the trail verifies; an
action whose event cannot be written is not done."""

from __future__ import annotations

import json
from pathlib import Path

import neo4j
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.schema import graph_counts, wipe

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "small"


def test_load_query_and_report_are_audited(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_HOME": str(tmp_path / "home"),
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
    }
    runner = CliRunner()
    steps = [
        ["load", str(SMALL), "--rejects", str(tmp_path / "rejects.csv"), "--json"],
        ["query", "run", "co_offenders", "--param", "person_id=P1", "--format", "json"],
        ["analyse", "--as-of", "2025-01-03", "--top", "2", "--json"],
        [
            "report",
            "centrality",
            "--out",
            str(tmp_path / "reports"),
            "--as-of",
            "2025-01-03",
            "--top",
            "2",
            "--quiet",
        ],
    ]
    for step in steps:
        result = runner.invoke(cli, step, env=env)
        assert result.exit_code == 0, (step, result.output)
    trail = audit.events(tmp_path / "audit")
    assert trail["action"].tolist() == [
        "load",
        "query.run",
        "query.result",
        "analyse",
        "report.write",
    ]
    assert set(trail["user"]) == {audit.system_user()}
    load, query, returned, analysed, report = trail.to_dict(orient="records")
    # The rows name P1's co-offenders: they are recorded before the rows are shown.
    assert returned["person_ids"] == ["P2", "P3", "P6"]
    # `analyse` shows its top two: the people its JSON lists are those it recorded.
    shown_top = json.loads(runner.invoke(cli, steps[2], env=env).stdout)["top"]
    assert analysed["person_ids"] == sorted(row["person_id"] for row in shown_top)
    assert len(analysed["person_ids"]) == 2
    assert load["what"]["folder"] == str(SMALL)
    assert query["what"]["query"] == "co_offenders" and query["person_ids"] == ["P1"]
    assert query["what"]["parameters"]["person_id"] == "P1"
    # The report lists P1 first by priority (the fixture's star), and its repeat victim P4.
    assert "P1" in report["person_ids"] and report["what"]["report"] == "centrality"
    shown = runner.invoke(cli, ["audit", "show", "--person", "P1", "--json"], env=env)
    assert [json.loads(line)["action"] for line in shown.stdout.splitlines()][:3] == [
        "query.run",
        "analyse",
        "report.write",
    ]
    assert runner.invoke(cli, ["audit", "verify"], env=env).exit_code == 0


def test_a_query_is_not_run_when_its_audit_event_cannot_be_written(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    blocked = tmp_path / "audit"
    blocked.write_text("a file where the audit folder should be")
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_AUDIT_DIR": str(blocked),
    }
    result = CliRunner().invoke(
        cli, ["query", "run", "co_offenders", "--param", "person_id=P1"], env=env
    )
    assert result.exit_code == 1
    assert "cannot write the audit trail" in result.stderr and "was not done" in result.stderr
    assert result.stdout == ""


def _network_env(settings: Settings, audit_dir: Path) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "GRAPHVC_AUDIT_DIR": str(audit_dir),
    }


def _edge_list(folder: Path) -> Path:
    folder.mkdir(parents=True)
    path = folder / "ties.csv"
    path.write_text("from,to,weight\nN1,N2,2\nN2,N3,1\n", encoding="utf-8")
    return path


def test_load_network_is_audited_like_every_load(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    # A folder name holding U+2028 and U+0085, which `audit show` reads back whole.
    path = _edge_list(tmp_path / "gang\u2028ties\u0085week 12")
    env = _network_env(test_settings, tmp_path / "audit")
    runner = CliRunner()
    step = ["load-network", str(path), "--type", "gang", "--rejects", str(tmp_path / "r.csv")]
    loaded = runner.invoke(cli, [*step, "--json"], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout)["rows_loaded"] == {"associations": 2}
    [event] = audit.events(tmp_path / "audit").to_dict(orient="records")
    assert event["action"] == "load.network" and event["user"] == audit.system_user()
    assert event["what"] == {
        "file": str(path),
        "format": "edgelist",
        "type": "gang",
        "source": None,
    }
    shown = runner.invoke(cli, ["audit", "show", "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    assert [json.loads(line)["what"]["file"] for line in shown.stdout.split("\n") if line] == [
        str(path)
    ]
    assert runner.invoke(cli, ["audit", "verify"], env=env).exit_code == 0


def test_load_network_is_not_done_when_its_audit_event_cannot_be_written(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    wipe(empty_graph)
    blocked = tmp_path / "audit"
    blocked.write_text("a file where the audit folder should be")
    path = _edge_list(tmp_path / "network")
    result = CliRunner().invoke(
        cli,
        ["load-network", str(path), "--type", "gang", "--rejects", str(tmp_path / "r.csv")],
        env=_network_env(test_settings, blocked),
    )
    assert result.exit_code == 1
    assert "cannot write the audit trail" in result.stderr
    assert "'load.network' was not done" in result.stderr
    assert not any(graph_counts(empty_graph).values())
    assert not (tmp_path / "r.csv").exists()
