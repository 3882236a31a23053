"""The environment a `graphvc` command run by CliRunner needs to use the test server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import neo4j

from graphvc.config import Settings
from graphvc.schema import apply_schema, wipe


@contextmanager
def cli_env(driver: neo4j.Driver, settings: Settings, home: Path) -> Iterator[dict[str, str]]:
    """The test server's settings and a ``GRAPHVC_HOME`` of ``home``, for a block that
    starts on an empty graph (with the schema) and leaves one."""
    wipe(driver)
    apply_schema(driver)
    try:
        yield {
            "NEO4J_URI": settings.uri,
            "NEO4J_USERNAME": settings.neo4j_username,
            "NEO4J_PASSWORD": settings.neo4j_password,
            "NEO4J_DATABASE": settings.neo4j_database,
            "GRAPHVC_HOME": str(home),
        }
    finally:
        wipe(driver)
