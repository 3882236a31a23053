"""How many planted brokers a plain ``graphvc analyse`` recovers, through the product's commands.

``graphvc synth``, ``graphvc load`` and ``graphvc analyse`` (every tie layer, weighted, the
default window: no option) on the benchmark's own server, then the share of
``multiplex_brokers`` (``ground_truth.json``) in the top 2 × k people by betweenness, k their
number, and for comparison the co-offending ``brokers`` in the top k and 2 × k, with every
layer and with ``--ties co-offending``. Prints one JSON line.

    GRAPHVC_BENCH_BOLT_PORT=7807 python bench/bench_multiplex_brokers.py --incidents 100000

The server is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import neo4j
from click.testing import CliRunner

from bench._server import bench_driver, new_empty_database
from graphvc import localserver
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query


def _graphvc(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exit_code != 0:
        raise SystemExit(f"graphvc {' '.join(args)} failed: {result.output}")
    return result.stdout


def _recovered(driver: neo4j.Driver, named: list[str], top: int) -> int:
    ranked = run_query(
        driver,
        "MATCH (p:Person) WHERE p.score_betweenness IS NOT NULL "
        "RETURN p.id AS id ORDER BY p.score_betweenness DESC, p.id LIMIT $top",
        {"top": top},
    )
    return len(set(named) & set(ranked["id"]))


def measure(n_incidents: int, seed: int, driver: neo4j.Driver, settings: Settings) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        env = {
            "NEO4J_URI": settings.uri,
            "NEO4J_USERNAME": settings.neo4j_username,
            "NEO4J_PASSWORD": settings.neo4j_password,
            "GRAPHVC_HOME": str(Path(scratch) / "home"),
        }
        started = time.perf_counter()
        _graphvc(env, "synth", "--incidents", str(n_incidents), "--seed", str(seed),
                 "--geography", "city", "--out", str(folder))  # fmt: skip
        truth = json.loads((folder / "ground_truth.json").read_text())
        new_empty_database(driver, settings)
        _graphvc(env, "load", str(folder))
        plain = json.loads(_graphvc(env, "analyse", "--json"))
        multiplex, brokers = truth["multiplex_brokers"], truth["brokers"]
        k, b = len(multiplex), len(brokers)
        found = {
            "multiplex_brokers": k,
            "multiplex_in_top_2k": _recovered(driver, multiplex, 2 * k),
            "multiplex_in_top_k": _recovered(driver, multiplex, k),
            "brokers": b,
            "brokers_in_top_k": _recovered(driver, brokers, b),
            "brokers_in_top_2k": _recovered(driver, brokers, 2 * b),
            "betweenness": plain["summary"]["betweenness"],
            "people_in_network": plain["summary"]["people_in_network"],
        }
        _graphvc(env, "analyse", "--ties", "co-offending", "--json")
        found["brokers_in_top_k_co_offending"] = _recovered(driver, brokers, b)
        found["seconds"] = round(time.perf_counter() - started, 1)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    driver, settings = bench_driver()
    try:
        found = measure(arguments.incidents, arguments.seed, driver, settings)
    finally:
        driver.close()
        localserver.stop(settings)
    share = found["multiplex_in_top_2k"] / found["multiplex_brokers"]
    print(
        f"{arguments.incidents:,} incidents: {found['multiplex_in_top_2k']} of "
        f"{found['multiplex_brokers']} multiplex brokers ({share:.0%}) in the top 2k by betweenness"
    )
    print(json.dumps({"benchmark": "multiplex_brokers", "incidents": arguments.incidents,
                      "seed": arguments.seed, **found}))  # fmt: skip


if __name__ == "__main__":
    main()
