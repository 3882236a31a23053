"""Memory of every library query, as Neo4j accounts it (``PROFILE``), on the benchmark graph.

Run after ``python -m bench.bench_load --incidents 100000`` has filled the benchmark server
(``bench/_server.py``). Each library query runs with its example parameters, and
``dangerous_places`` also at location level with ``limit`` 100 (which needed memory in
proportion to limit x places before issue 12); the script exits 1 when any query needs more
than ``--budget-mib``.

    .venv/bin/python -m bench.bench_query_memory --budget-mib 256
"""

from __future__ import annotations

import argparse
import json
import sys

import neo4j

from bench._server import bench_driver
from graphvc.queries import check_parameters, list_queries, load_query
from graphvc.schema import graph_counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-mib", type=float, default=256.0)
    arguments = parser.parse_args()
    driver, settings = bench_driver()
    runs = [(query, query.examples) for query in list_queries()]
    runs.append((load_query("dangerous_places"), {"level": "location", "limit": 100}))
    over, figures = [], []
    incidents = graph_counts(driver)["Incident"]
    try:
        for query, examples in runs:
            values = check_parameters(query, examples)
            with driver.session(
                database=settings.neo4j_database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                summary = session.run("PROFILE " + query.text, values).consume()
            mib = int((summary.profile or {}).get("args", {}).get("GlobalMemory", 0)) / 2**20
            print(f"{query.name:<32} {values.get('level', ''):<9} {mib:>9.1f} MiB")
            figures.append(
                {"query": query.name, "level": values.get("level"), "mib": round(mib, 1)}
            )
            if mib > arguments.budget_mib:
                over.append(query.name)
    finally:
        driver.close()
    print(
        json.dumps(
            {
                "benchmark": "query_memory",
                "incidents": incidents,
                "budget_mib": arguments.budget_mib,
                "queries": figures,
                "max_mib": max(f["mib"] for f in figures),
            }
        )
    )
    if over:
        print(f"over {arguments.budget_mib:g} MiB: {', '.join(over)}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
