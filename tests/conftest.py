"""Shared fixtures: the test suite's own home and its own real Neo4j server.

The suite is hermetic: a session has a ``GRAPHVC_HOME`` of its own, an empty temporary folder,
so no test, app page under ``AppTest``, CLI invocation or subprocess reads what the user keeps
in theirs (reference data installed, runs, reports, the audit trail, secrets); a test that
needs reference data installs it into a home of its own from :data:`TEST_REFERENCE`.

Integration tests run against a Neo4j of their own, never the demo's: the managed local
server under ``.graphvc/test`` (``GRAPHVC_TEST_HOME``) on port 7688 (``GRAPHVC_TEST_BOLT_PORT``), started here when it
is not running and stopped at the end if this run started it. Set ``GRAPHVC_TEST_NEO4J_URI``
(with ``NEO4J_USERNAME``/``NEO4J_PASSWORD``) to test against another server instead: its
database is wiped. If the server cannot start, integration tests fail; they are never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import neo4j
import pytest

from graphvc import localserver
from graphvc.config import Settings
from graphvc.db import connect
from graphvc.schema import apply_schema, wipe

ROOT = Path(__file__).resolve().parent.parent


def _test_reference() -> Path | None:
    """The folder of real reference data the tests install from (``GRAPHVC_TEST_REFERENCE``,
    default ``../shared/data`` beside the checkout when it exists), or None."""
    named = os.environ.get("GRAPHVC_TEST_REFERENCE")
    folder = Path(named) if named else ROOT.parent / "shared" / "data"
    return folder if folder.is_dir() else None


#: Real public data for the tests that need it; None on a machine without it.
TEST_REFERENCE = _test_reference()
NO_REFERENCE = (
    "no real reference data: set GRAPHVC_TEST_REFERENCE to a folder laid out like shared/data"
)


@pytest.fixture(scope="session")
def reference_source() -> Path:
    """The real reference data folder; the test is skipped, with that reason, without one."""
    if TEST_REFERENCE is None:
        pytest.skip(NO_REFERENCE)
    return TEST_REFERENCE


#: The settings that say where graphvc keeps what it reads and writes: the user's values are
#: dropped for the session, so that each falls back to the session's own home.
HOME_SETTINGS = (
    "GRAPHVC_HOME",
    "GRAPHVC_AUDIT_DIR",
    "GRAPHVC_REPORTS_DIR",
    "GRAPHVC_RUNS_DIR",
    "GRAPHVC_SECRETS_FILE",
    "GRAPHVC_AUDIT_SEAL_DIR",
    "GRAPHVC_AUDIT_KEY",
)


@pytest.fixture(scope="session", autouse=True)
def session_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's own ``GRAPHVC_HOME``, empty, set in the environment (so ``Settings.from_env``,
    the app, ``CliRunner`` and subprocesses all find it) for the whole session; without it a
    checkout's ``.graphvc`` (the default home) with London's reference data installed changes
    what the app's maps draw."""
    home = tmp_path_factory.mktemp("graphvc-home")
    with pytest.MonkeyPatch.context() as patch:
        for name in HOME_SETTINGS:
            patch.delenv(name, raising=False)
        patch.setenv("GRAPHVC_HOME", str(home))
        yield home


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def test_settings(session_home: Path) -> Settings:
    """Settings that point at the test suite's own server (whose home stays the server's own,
    ``GRAPHVC_TEST_HOME``, so that it is installed once, not once per session); the runs,
    reports and audit trail are the session home's."""
    uri = os.environ.get("GRAPHVC_TEST_NEO4J_URI")
    base = Settings.from_env({k: v for k, v in os.environ.items() if k != "NEO4J_URI"})
    if uri:
        return replace(base, neo4j_uri=uri)
    port = int(os.environ.get("GRAPHVC_TEST_BOLT_PORT", "7688"))
    return replace(
        base,
        neo4j_uri=None,
        neo4j_password=os.environ.get("NEO4J_PASSWORD") or base.neo4j_password,
        home=Path(os.environ.get("GRAPHVC_TEST_HOME") or ROOT / ".graphvc" / "test"),
        bolt_port=port,
        # The machine's settings when given (several suites may share one machine), else
        # enough for the suite's small graphs.
        heap=os.environ.get("GRAPHVC_NEO4J_HEAP") or "2g",
        pagecache=os.environ.get("GRAPHVC_NEO4J_PAGECACHE") or "1g",
    )


@pytest.fixture(scope="session")
def neo4j_driver(test_settings: Settings) -> Iterator[neo4j.Driver]:
    """A driver to the test server, started for this run when needed."""
    started = False
    if test_settings.uses_local_server and not localserver.status(test_settings).running:
        localserver.start(test_settings)
        started = True
    driver = connect(test_settings)
    try:
        yield driver
    finally:
        driver.close()
        if started:
            localserver.stop(test_settings)


@pytest.fixture(scope="module")
def empty_graph(neo4j_driver: neo4j.Driver, test_settings: Settings) -> neo4j.Driver:
    """The test database wiped and given the schema, once per test module."""
    wipe(neo4j_driver, database=test_settings.neo4j_database)
    apply_schema(neo4j_driver, database=test_settings.neo4j_database)
    return neo4j_driver


@pytest.fixture(scope="session")
def spark(test_settings: Settings) -> Iterator[object]:
    """The suite's one local Spark session (its start, a JVM's, is most of a Spark test's
    time), the connector's jars cached in the test server's home. Imported here, not above:
    the suite runs without pyspark until a Spark test asks for it."""
    from graphvc.spark import spark_session

    session = spark_session(test_settings, "local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def synthetic_city_graph(
    empty_graph: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory
) -> neo4j.Driver:
    """The test database holding a synthetic city of 1,000 incidents (the generator's
    smallest, seed 11), every table filled: the Spark tests' graph, once per module."""
    from graphvc.synth import generate, synthetic_city, write
    from loaders.folder import load_folder

    data = tmp_path_factory.mktemp("synthetic-city")
    write(generate(1000, seed=11, geography=synthetic_city(11)), data)
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, data)
    return empty_graph
