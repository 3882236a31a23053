"""The demo on both geographies: the synthetic city with nothing installed, real London once
its reference data is installed (`graphvc data install --from`), and the app's maps drawing
each city's outlines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.schema import apply_schema, wipe
from tests.app_caches import clear_app_caches

ROOT = Path(__file__).resolve().parents[2]


def _env(settings: Settings, home: Path) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_HOME": str(home),
    }


@pytest.fixture
def fresh(empty_graph: neo4j.Driver) -> Iterator[neo4j.Driver]:
    wipe(empty_graph)
    apply_schema(empty_graph)
    clear_app_caches()
    yield empty_graph
    clear_app_caches()


def _boroughs(driver: neo4j.Driver) -> list[str]:
    records, _, _ = driver.execute_query("MATCH (b:Borough) RETURN b.code AS code ORDER BY code")
    return [record["code"] for record in records]


def _overview(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> AppTest:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def _outlines_drawn(at: AppTest) -> list[int]:
    """How many wards (grey lines) and boroughs (shaded, named in a tip) the overview's
    harm-by-borough picture draws."""
    drawn = next(m.value for m in at.markdown if 'aria-label="harm by borough"' in m.value)
    return [
        drawn.count('fill="none" stroke="#999"'),
        len(re.findall(r"<path [^>]*><title>", drawn)),
    ]


def test_the_demo_runs_on_the_synthetic_city_with_nothing_installed(
    fresh: neo4j.Driver, test_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _env(test_settings, tmp_path / "home")
    result = CliRunner().invoke(cli, ["demo", "--no-serve", "--incidents", "1000"], env=env)
    assert result.exit_code == 0, result.output
    assert "on Synthetic city" in result.output
    codes = _boroughs(fresh)
    assert len(codes) == 8 and all(code.startswith("Z09") for code in codes)
    assert (tmp_path / "home" / "reports" / "latest" / "manifest.json").is_file()
    at = _overview(env, monkeypatch)
    assert any("Geography: the synthetic city" in c.value for c in at.caption)
    assert _outlines_drawn(at) == [60, 8]  # wards over the boroughs shaded by harm


def test_the_demo_runs_on_london_once_its_reference_data_is_installed(
    fresh: neo4j.Driver,
    test_settings: Settings,
    tmp_path: Path,
    reference_source: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env = _env(test_settings, tmp_path / "home")
    runner = CliRunner()
    assert runner.invoke(cli, ["data", "status"], env=env).exit_code == 3
    installed = runner.invoke(cli, ["data", "install", "--from", str(reference_source)], env=env)
    assert installed.exit_code == 0, installed.output
    status = json.loads(runner.invoke(cli, ["data", "status", "--json"], env=env).output)
    assert str(reference_source) in json.dumps(status)
    result = runner.invoke(cli, ["demo", "--no-serve", "--incidents", "1000"], env=env)
    assert result.exit_code == 0, result.output
    assert "on London" in result.output
    assert all(code.startswith("E09") for code in _boroughs(fresh))
    at = _overview(env, monkeypatch)
    assert any("Geography: London" in c.value and "approximate" in c.value for c in at.caption)
    assert _outlines_drawn(at) == [637, 33]
