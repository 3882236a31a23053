"""Removing the managed server's database: its store and logs go, the others stay."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from graphvc import localserver
from graphvc.config import Settings


def test_remove_database_deletes_its_store_and_logs_only(tmp_path: Path) -> None:
    settings = replace(Settings.from_env({}), home=tmp_path, neo4j_uri=None)
    data = tmp_path / "neo4j" / "data"
    for part in ("databases", "transactions"):
        for database in ("neo4j", "system"):
            (data / part / database).mkdir(parents=True)
            (data / part / database / "store").write_bytes(b"records")
    localserver.remove_database(settings)
    assert sorted(p.relative_to(data).as_posix() for p in data.glob("*/*")) == [
        "databases/system",
        "transactions/system",
    ]
