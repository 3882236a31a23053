"""The hostile-input corpus (``tests/fixtures/hostile/``): each case loaded by the CLI.

Every case ends either with its valid rows loaded and the rest quarantined, or refused whole
with one line; never with a crash (exit 2) or a load that stops part-way.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.model import ROLE_RELATIONSHIPS
from graphvc.schema import graph_counts, wipe

HOSTILE = Path(__file__).resolve().parent.parent / "fixtures" / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expected.json").is_file())
#: The labels or relationship types each table's rows become, one each.
WRITTEN_AS = {
    "persons": ["Person"],
    "incidents": ["Incident"],
    "locations": ["Location"],
    "involvements": list(ROLE_RELATIONSHIPS.values()),
    "risk_assessments": ["ASSESSED"],
    "associations": ["ASSOCIATE_OF"],
}


def _exit_code(result) -> int:  # type: ignore[no-untyped-def]
    """The exit status ``graphvc`` would end with (an unexpected exception is exit 2)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return 2
    return int(result.exit_code)


def _env(settings: Settings) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
    }


def _folder(case: str, expected: dict, tmp_path: Path) -> Path:  # type: ignore[type-arg]
    folder = tmp_path / case
    shutil.copytree(HOSTILE / case, folder)
    (folder / "expected.json").unlink()
    if "huge" in expected:
        for path in folder.iterdir():
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("@HUGE@", "x" * expected["huge"]), encoding="utf-8")
    return folder


def test_the_corpus_covers_every_kind_of_hostile_input() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_hostile_input(
    case: str, empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    expected = json.loads((HOSTILE / case / "expected.json").read_text())
    wipe(empty_graph)
    folder = _folder(case, expected, tmp_path)
    rejects = tmp_path / "rejects.csv"
    result = CliRunner().invoke(
        cli,
        ["load", str(folder), "--json", "--rejects", str(rejects), "--max-reject-rate", "1"],
        env=_env(test_settings),
    )
    assert _exit_code(result) == expected["exit_code"], (result.output, result.exception)
    if expected["exit_code"]:
        assert result.stderr.count("\n") == 1 and expected["message"] in result.stderr
        assert sum(graph_counts(empty_graph).values()) == 0
        return
    summary = json.loads(result.stdout)
    assert summary["rows_loaded"] == expected["loaded"]
    assert summary["rows_rejected"] == expected["rejected"]
    rejected_rows = sum(expected["rejected"].values())
    assert rejects.exists() == bool(rejected_rows)
    counts = graph_counts(empty_graph)
    for table, loaded in expected["loaded"].items():
        assert sum(counts.get(kind, 0) for kind in WRITTEN_AS[table]) == loaded, table


def _unblock(fifo: Path, seconds: float) -> None:
    """Open ``fifo`` for writing and close it at once, as soon as a reader waits on it (for
    ``seconds`` at most): a reader that opened it then reads an empty file instead of
    waiting forever, so a loader that reads a FIFO fails this test rather than hanging it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            return
        except OSError:  # no reader yet
            time.sleep(0.05)


def test_a_fifo_is_refused_in_one_line_not_read(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    wipe(empty_graph)
    folder = tmp_path / "fifo"
    folder.mkdir()
    (folder / "incidents.csv").write_text(
        "incident_id,occurred_at,offence\nI1,2024-06-01T10:00:00,harassment\n"
    )
    os.mkfifo(folder / "persons.csv")
    threading.Thread(target=_unblock, args=(folder / "persons.csv", 20.0), daemon=True).start()
    rejects = str(tmp_path / "rejects.csv")
    result = CliRunner().invoke(
        cli, ["load", str(folder), "--json", "--rejects", rejects], env=_env(test_settings)
    )
    assert _exit_code(result) == 1, (result.output, result.exception)
    assert result.stderr.count("\n") == 1
    assert "persons.csv: not a regular file but a FIFO (named pipe)" in result.stderr
    assert sum(graph_counts(empty_graph).values()) == 0


def test_the_default_as_of_ignores_incidents_in_the_future(empty_graph: neo4j.Driver) -> None:
    from graphvc.db import run_query
    from graphvc.graph_tables import default_as_of

    wipe(empty_graph)
    run_query(
        empty_graph,
        "CREATE (:Incident {id: 'past', occurred_at: datetime('2024-06-01T10:00:00+01:00')}), "
        "(:Incident {id: 'typo', occurred_at: datetime('2099-06-01T10:00:00+01:00')})",
        write=True,
    )
    assert str(default_as_of(empty_graph).date()) == "2024-06-02"
    wipe(empty_graph)
