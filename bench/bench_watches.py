"""``graphvc watch run --all`` for 50 watches on a large synthetic graph, timed as cron runs it.

Fifty watches of one owner on the four example queries (with varied parameters: thresholds,
periods, named people), the domestic-abuse repeat pairs and the explorer's two-hop view of
people, all due. The command runs twice, each time a new process as cron starts it: first
every watch's baseline, then (their last run moved back a week, so all are due again) the
steady state, where each result is compared with the last and nothing is new. Prints the
times and, last, one JSON line.

    python -m bench.bench_watches --load 100000   # load a synthetic London first if empty
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench._server import ROOT, bench_driver
from graphvc.db import run_query
from graphvc.schema import apply_schema, graph_counts
from graphvc.watches import add_watch, list_watches, remove_watch

OWNER = "bench"
#: People to name in the person-centred watches: the busiest offenders, then typical ones.
PEOPLE = """
MATCH (p:Person)-[:OFFENDER_IN]->(i:Incident)
WITH p, count(i) AS incidents ORDER BY incidents DESC, p.id LIMIT 40
RETURN p.id AS id
"""


def watches(people: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """The fifty watches: a query and its parameters each."""
    chosen: list[tuple[str, dict[str, Any]]] = []
    chosen += [("domestic_abuse_third_incident", {"threshold": t}) for t in (3, 4, 5, 6)]
    chosen += [("domestic_abuse_third_incident", {"window_days": d}) for d in (90, 180, 730)]
    chosen += [("domestic_repeat_pairs", {"window_days": d}) for d in (30, 90, 365)]
    chosen += [("weapon_in_high_harm_ward", {"recent_days": d}) for d in (7, 14, 28, 56, 91)]
    chosen += [("new_top_priority", {"top": top}) for top in (10, 20, 50)]
    chosen += [("new_incident_near_person", {"person_id": p}) for p in people[:20]]
    chosen += [("explorer", {"centre": p, "hops": 2}) for p in people[20:32]]
    return chosen[:50]


def run_all(env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """``graphvc watch run --all --json`` in a new process: its seconds and summary."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "graphvc", "watch", "run", "--all", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"graphvc watch run --all failed: {done.stderr.strip()}")
    return seconds, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", type=int, default=0, help="load this many incidents if empty")
    args = parser.parse_args()
    driver, settings = bench_driver()
    try:
        counts = graph_counts(driver)
        if counts["Incident"] == 0:
            if not args.load:
                raise SystemExit("the benchmark graph is empty: pass --load 100000")
            from bench.bench_load import synthetic_folder
            from loaders.folder import load_folder

            apply_schema(driver)
            load_folder(driver, synthetic_folder(args.load, 1))
            counts = graph_counts(driver)
        apply_schema(driver)
        for old in list_watches(driver, OWNER):
            remove_watch(driver, OWNER, old.name)
        people = [str(p) for p in run_query(driver, PEOPLE)["id"]]
        chosen = watches(people)
        for number, (query, parameters) in enumerate(chosen):
            add_watch(
                driver, owner=OWNER, name=f"w{number:02d}", query=query, parameters=parameters
            )
        with tempfile.TemporaryDirectory() as audit_dir:
            env = os.environ | {
                "NEO4J_URI": settings.uri,
                "NEO4J_PASSWORD": settings.neo4j_password,
                "GRAPHVC_HOME": str(ROOT / ".graphvc" / "bench"),
                "GRAPHVC_AUDIT_DIR": audit_dir,
            }
            first_s, first = run_all(env)
            # Every watch due again, its last result kept: the steady state of a daily job.
            run_query(
                driver,
                "MATCH (w:Watch {watch_owner: $owner}) "
                "SET w.watch_last_run = w.watch_last_run - duration('P8D')",
                {"owner": OWNER},
                write=True,
            )
            second_s, second = run_all(env)
        for old in list_watches(driver, OWNER):
            remove_watch(driver, OWNER, old.name)
    finally:
        driver.close()
    rows = [line["rows"] for line in first["watches"]]
    kinds: dict[str, list[float]] = {}
    for (query, _), line in zip(chosen, second["watches"], strict=True):
        kinds.setdefault(query, []).append(line["seconds"])
    slowest = {query: max(times) for query, times in sorted(kinds.items())}
    print(f"graph: {counts['Incident']:,} incidents, {counts['Person']:,} people")
    print(f"first run (baselines): {first['ran']} watches, {sum(rows):,} rows, {first_s:.1f} s")
    print(
        f"second run (compared): {second['ran']} watches, {second['new_alerts']} new, "
        f"{second_s:.1f} s"
    )
    print(
        json.dumps(
            {
                "benchmark": "watches",
                "incidents": counts["Incident"],
                "people": counts["Person"],
                "watches": len(chosen),
                "first_run_s": round(first_s, 2),
                "second_run_s": round(second_s, 2),
                "ran": [first["ran"], second["ran"]],
                "rows": sum(rows),
                "new_alerts_second_run": second["new_alerts"],
                "slowest_second_run_s": slowest,
                "errors": sum("error" in line for line in first["watches"] + second["watches"]),
            }
        )
    )


if __name__ == "__main__":
    main()
