"""Faults: `kill -9` of the managed Neo4j in the middle of a load, of a score write-back and of
the storing of a run; after a restart, running the same step again reaches the same end state
as a clean run.

The server is killed at a fixed point (after a given number of write batches), not after a
delay, so the test is deterministic. It uses a managed server of its own, so the suite's
server is never killed.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest

import graphvc.scores
import graphvc.stored_runs
import loaders.write
from graphvc import localserver
from graphvc.config import Settings
from graphvc.db import connect, read_cypher
from graphvc.errors import DatabaseError
from graphvc.graph_tables import read_graph_tables
from graphvc.queries import run_stored_query
from graphvc.runs import AnalysisParameters, analyse, obtain_run
from graphvc.schema import apply_schema, wipe
from graphvc.scores import write_scores
from graphvc.stored_runs import list_runs
from graphvc.synth import generate, synthetic_city, write
from loaders.folder import load_folder

AS_OF = pd.Timestamp("2026-01-01")


@pytest.fixture(scope="module")
def fault_server(
    test_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A managed Neo4j of this module's own, on the port after the suite's."""
    settings = replace(
        test_settings,
        neo4j_uri=None,
        home=tmp_path_factory.mktemp("fault-neo4j"),
        bolt_port=test_settings.bolt_port + 100,
        heap="1g",
        pagecache="512m",
    )
    localserver.start(settings)
    yield settings
    localserver.stop(settings)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fault-data")
    write(generate(1000, seed=5, geography=synthetic_city(0)), out)
    return out


def _snapshot(driver: neo4j.Driver) -> str:
    """A hash of every node (labels, properties) and relationship (type, ends, properties),
    leaving out ``scored_at``, which differs between runs by design."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties"
    )
    links, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, coalesce(a.id, a.code) AS a, "
        "coalesce(b.id, b.code) AS b, properties(r) AS properties"
    )

    def plain(record: neo4j.Record) -> str:
        data = dict(record)
        data["properties"] = {k: v for k, v in data["properties"].items() if k != "scored_at"}
        return json.dumps(data, sort_keys=True, default=str)

    lines = sorted(plain(r) for r in nodes) + sorted(plain(r) for r in links)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _kill_after(settings: Settings, calls: int, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` (a write function), killing the server with SIGKILL before call ``calls``."""
    made = {"calls": 0}

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        made["calls"] += 1
        if made["calls"] == calls:
            _kill(settings)
        return original(*args, **kwargs)

    return wrapped


def _kill(settings: Settings) -> None:
    """Kill the managed server with SIGKILL and wait until it is gone."""
    pid = localserver.status(settings).pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    while Path(f"/proc/{pid}").exists() and "Z" not in _state(pid):
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return "Z"


def _restarted(settings: Settings) -> neo4j.Driver:
    localserver.start(settings)
    return connect(settings)


def test_a_load_killed_part_way_reaches_the_clean_end_state_when_run_again(
    fault_server: Settings, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = connect(fault_server)
    wipe(driver)
    apply_schema(driver)
    load_folder(driver, folder, batch_size=200)
    clean = _snapshot(driver)
    wipe(driver)
    apply_schema(driver)
    monkeypatch.setattr(
        loaders.write, "run_write", _kill_after(fault_server, 8, loaders.write.run_write)
    )
    with pytest.raises(DatabaseError):
        load_folder(driver, folder, batch_size=200, workers=1)
    monkeypatch.undo()
    driver.close()
    driver = _restarted(fault_server)
    try:
        half = _snapshot(driver)
        load_folder(driver, folder, batch_size=200)
        assert half != clean  # the kill did cut the load short
        assert _snapshot(driver) == clean
    finally:
        driver.close()


def test_a_write_back_killed_part_way_reaches_the_clean_end_state_when_run_again(
    fault_server: Settings, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = connect(fault_server)
    wipe(driver)
    apply_schema(driver)
    load_folder(driver, folder)
    result = analyse(read_graph_tables(driver), AnalysisParameters(as_of=AS_OF))
    write_scores(driver, result, run_at=datetime(2026, 1, 1, tzinfo=UTC), batch_size=50)
    clean = _snapshot(driver)
    # A later run is killed after its first batches of person scores, then run again.
    killer = _kill_after(fault_server, 3, graphvc.scores.run_write)
    monkeypatch.setattr(graphvc.scores, "run_write", killer)
    with pytest.raises(DatabaseError):
        write_scores(driver, result, run_at=datetime(2026, 2, 1, tzinfo=UTC), batch_size=50)
    monkeypatch.undo()
    driver.close()
    driver = _restarted(fault_server)
    try:
        write_scores(driver, result, run_at=datetime(2026, 2, 1, tzinfo=UTC), batch_size=50)
        assert _snapshot(driver) == clean
        stamps, _, _ = driver.execute_query(
            "MATCH (n) WHERE n.scored_at IS NOT NULL RETURN DISTINCT toString(n.scored_at) AS at"
        )
        assert [r["at"] for r in stamps] == ["2026-02-01T00:00:00Z"]
    finally:
        driver.close()


def test_a_run_whose_neo4j_is_killed_as_it_is_stored_leaves_no_orphan_behind(
    fault_server: Settings, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = connect(fault_server)
    wipe(driver)
    apply_schema(driver)
    load_folder(driver, folder)
    parameters = AnalysisParameters(as_of=AS_OF)
    first = obtain_run(driver, parameters, runs_dir=tmp_path, reuse=False, store=True).stored
    assert first is not None
    # The next run's scores are written back and its folder renamed into place; Neo4j is
    # killed as the run's node is about to be written.
    store_run, run_query = read_cypher("analysis/store_run"), graphvc.stored_runs.run_query

    def killing(driver: neo4j.Driver, query: str, *args: Any, **kwargs: Any) -> Any:
        if query == store_run:
            _kill(fault_server)
        return run_query(driver, query, *args, **kwargs)

    monkeypatch.setattr(graphvc.stored_runs, "run_query", killing)
    with pytest.raises(DatabaseError):
        obtain_run(driver, parameters, runs_dir=tmp_path, reuse=False, store=True)
    monkeypatch.undo()
    driver.close()
    driver = _restarted(fault_server)
    try:
        # Its scores are on the nodes under a stamp no listed run has: the readers leave
        # them out, and show the listed run's.
        assert [run.id for run in list_runs(driver)] == [first.id]
        central = run_stored_query(driver, "central_offenders", {"limit": 10000}, timeout=30)
        assert {pd.Timestamp(at) for at in central["scored_at"]} <= {first.finished_at}
        # The next run stores itself whole, and prunes the orphaned folder.
        second = obtain_run(driver, parameters, runs_dir=tmp_path, reuse=False, store=True)
        assert second.stored is not None
        listed = {run.id for run in list_runs(driver)}
        assert listed == {first.id, second.stored.id}
        assert {p.name for p in tmp_path.iterdir()} == listed
        found, _, _ = driver.execute_query(
            "MATCH (n) WHERE n.scored_at IS NOT NULL RETURN DISTINCT toString(n.scored_at) AS at"
        )
        assert [pd.Timestamp(r["at"]) for r in found] == [second.stored.finished_at]
    finally:
        driver.close()
