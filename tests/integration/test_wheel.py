"""A product that stands on its own: the wheel, installed into a new virtual environment
outside the checkout, runs the demo and serves the app from an unrelated folder.

The wheel is built from this checkout and installed with its dependencies (from the package
index, or pip's cache); the demo runs against the test suite's own Neo4j (``NEO4J_URI``), so
it needs no second server. Nothing of the checkout is on the installed program's path.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest

from graphvc.app.server import HEALTH, running
from graphvc.config import Settings
from graphvc.schema import graph_counts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a new virtual environment with the graphvc wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(work), str(ROOT)],
        check=True,
    )
    (wheel,) = work.glob("graphvc-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    pip = [str(work / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, str(wheel)], check=True)
    return work / "venv" / "bin"


@pytest.fixture
def elsewhere(
    tmp_path: Path, test_settings: Settings, empty_graph: neo4j.Driver
) -> Iterator[tuple[Path, dict[str, str]]]:
    """An unrelated working folder and an environment pointing at the test server."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path / "user"),
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_HOME": str(tmp_path / "home"),
    }
    folder = tmp_path / "somewhere-else"
    folder.mkdir()
    yield folder, env


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_wheel_carries_the_app_the_cypher_library_and_the_server_recipe(
    installed: Path,
) -> None:
    site = next((installed.parent / "lib").glob("python3*/site-packages/graphvc"))
    assert (site / "app" / "main.py").is_file()
    assert sorted(p.name for p in (site / "app" / "views").glob("*.py")) == [
        "alerts.py",
        "audit.py",
        "cypher.py",
        "explorer.py",
        "identities.py",
        "overview.py",
        "people.py",
        "performance.py",
        "person.py",
        "places.py",
        "reports.py",
        "victims.py",
    ]
    assert (site / "_cypher" / "schema.cypher").is_file()
    assert (site / "localserver" / "pom.xml").is_file()
    assert (site / "spark" / "pom.xml").is_file()
    assert (site / "py.typed").is_file()


def test_the_installed_wheel_runs_the_demo_and_serves_the_app(
    installed: Path,
    elsewhere: tuple[Path, dict[str, str]],
    empty_graph: neo4j.Driver,
) -> None:
    folder, env = elsewhere
    graphvc = str(installed / "graphvc")
    listed = subprocess.run(
        [graphvc, "query", "list", "--json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "co_offenders" in {row["name"] for row in json.loads(listed.stdout)}
    status = subprocess.run(
        [graphvc, "data", "status"], cwd=folder, env=env, capture_output=True, text=True
    )
    assert status.returncode == 3  # nothing installed: the demo uses the synthetic city

    demo = subprocess.run(
        [graphvc, "demo", "--no-serve", "--incidents", "1000", "--seed", "3"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stderr
    assert "on Synthetic city" in demo.stdout
    counts = graph_counts(empty_graph)
    assert counts["Incident"] == 1000 and counts["Borough"] == 8
    home = Path(env["GRAPHVC_HOME"])
    assert (home / "reports" / "latest" / "report.html").is_file()
    assert not any(folder.iterdir())  # nothing written into the working folder

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with (
        running([graphvc, "app", "--port", str(port)], url + HEALTH, env=env, cwd=folder),
        urllib.request.urlopen(f"{url}/", timeout=5) as page,
    ):
        assert page.status == 200
