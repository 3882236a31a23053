"""The benchmarks' own Neo4j (never the demo's or the tests'): ``.graphvc/bench`` on port 7689."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import neo4j

from graphvc import localserver
from graphvc.config import Settings
from graphvc.db import connect

ROOT = Path(__file__).resolve().parent.parent


def bench_settings() -> Settings:
    base = Settings.from_env({k: v for k, v in os.environ.items() if k != "NEO4J_URI"})
    return replace(
        base,
        neo4j_uri=os.environ.get("GRAPHVC_BENCH_NEO4J_URI") or None,
        home=ROOT / ".graphvc" / "bench",
        bolt_port=int(os.environ.get("GRAPHVC_BENCH_BOLT_PORT", "7689")),
    )


def bench_driver() -> tuple[neo4j.Driver, Settings]:
    """A driver to the benchmark server, started when needed. Its database gets wiped."""
    settings = bench_settings()
    localserver.ensure_running(settings)
    return connect(settings), settings
