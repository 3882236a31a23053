"""`graphvc neo4j start | stop | status` on a server of its own: exit codes and messages."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graphvc import localserver
from graphvc.cli import cli


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        "GRAPHVC_HOME": str(tmp_path / "home"),
        "GRAPHVC_NEO4J_BOLT_PORT": str(_free_port()),
        "GRAPHVC_NEO4J_HEAP": "512m",
        "GRAPHVC_NEO4J_PAGECACHE": "128m",
        "NEO4J_URI": "",
    }
    yield env
    CliRunner().invoke(cli, ["neo4j", "stop"], env=env)


def _graphvc(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


def test_start_stop_status_lifecycle(server_env: dict[str, str]) -> None:
    port = server_env["GRAPHVC_NEO4J_BOLT_PORT"]

    down = _graphvc(server_env, "neo4j", "status")
    assert (down.exit_code, "not running" in down.output) == (3, True)

    first = _graphvc(server_env, "neo4j", "start")
    assert first.exit_code == 0, first.output
    assert "started Neo4j 5.26" in first.output and f"127.0.0.1:{port}" in first.output

    second = _graphvc(server_env, "neo4j", "start")
    assert (second.exit_code, second.output.startswith("already running")) == (0, True)

    up = _graphvc(server_env, "neo4j", "status")
    assert (up.exit_code, "is running" in up.output) == (0, True)

    wrong = _graphvc({**server_env, "NEO4J_PASSWORD": "not-the-password"}, "db", "counts")
    assert wrong.exit_code == 1
    assert "refused user 'neo4j': check NEO4J_PASSWORD" in wrong.output

    stopped = _graphvc(server_env, "neo4j", "stop")
    assert (stopped.exit_code, stopped.output.startswith("stopped Neo4j")) == (0, True)

    again = _graphvc(server_env, "neo4j", "stop")
    assert (again.exit_code, again.output.startswith("not running")) == (0, True)

    after = _graphvc(server_env, "neo4j", "status")
    assert after.exit_code == 3

    # The first run wrote the class-data archive as it exited; the next start maps it.
    lib = Path(server_env["GRAPHVC_HOME"]) / "neo4j" / f"lib-{localserver.NEO4J_VERSION}"
    assert [p.suffix for p in lib.glob("server-classes-*")] == [".jsa"]
    (archive,) = lib.glob("server-classes-*.jsa")
    mapped = subprocess.run(
        ["java", "-Xshare:on", f"-XX:SharedArchiveFile={archive}", "-cp", f"{lib}/*", "-version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert mapped.returncode == 0, mapped.stderr  # -Xshare:on: fail unless it maps
    assert _graphvc(server_env, "neo4j", "start").exit_code == 0
    pid = (Path(server_env["GRAPHVC_HOME"]) / "neo4j" / "neo4j.pid").read_text().strip()
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert f"-XX:SharedArchiveFile={archive}".encode() in command
    assert _graphvc(server_env, "neo4j", "stop").exit_code == 0


def test_start_refuses_a_port_taken_by_another_process(server_env: dict[str, str]) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        env = {**server_env, "GRAPHVC_NEO4J_BOLT_PORT": str(squatter.getsockname()[1])}
        result = _graphvc(env, "neo4j", "start")
    assert result.exit_code == 1
    assert f"port {env['GRAPHVC_NEO4J_BOLT_PORT']} on 127.0.0.1 is taken" in result.output
    assert "Traceback" not in result.output
