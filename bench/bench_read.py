"""Reading the graph back as tables: records of many rows against one record per row.

``graphvc.graph_tables.read_graph_tables`` asks each table of the contract as a few records,
each holding a list of the rows of a range of internal ids (``collect([...])``; the
involvements as one list per column), its instants as epoch milliseconds, two tables at a
time; the baseline asks the same values one record per row, as the first version did. The
read is also timed one table at a time (``workers=1``) to show what reading in parallel buys,
and as it was before it named nodes by internal id and read in chunks: each table one record
of rows, every row carrying its persons', incidents' and locations' keys (``p.id``) rather
than their internal ids (``id(p)``). All run in this process, on the same server and data,
taking the best of
``--repeat`` runs each. Whether the driver's Rust extension (``neo4j-rust-ext``, a
dependency) is installed is printed too: uninstall it to measure its own share.

    .venv/bin/python -m bench.bench_read --incidents 50000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import neo4j
import pandas as pd

from bench._server import bench_driver
from bench.bench_load import load_once, synthetic_folder
from graphvc.contract import TABLES, read_columns
from graphvc.db import run_query
from graphvc.graph_tables import read_graph_tables

#: The baseline: the same tables, one record per row (the first version's queries).
RECORD_PER_ROW = {
    "incidents": """MATCH (i:Incident) OPTIONAL MATCH (i)-[:OCCURRED_AT]->(l:Location)
        RETURN i.id AS incident_id,
        toString(localdatetime(datetime({datetime: i.occurred_at, timezone: 'Europe/London'})))
        AS occurred_at, i.offence AS offence, i.category AS category, i.weapon AS weapon,
        i.alcohol AS alcohol, i.domestic AS domestic, i.hate AS hate, i.harm AS harm,
        i.outcome AS outcome, l.id AS location_id""",
    "involvements": """MATCH (p:Person)-[r:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]->(i:Incident)
        RETURN p.id AS person_id, i.id AS incident_id, type(r) AS role""",
    "locations": """MATCH (l:Location) OPTIONAL MATCH (l)-[:IN_WARD]->(w:Ward)
        OPTIONAL MATCH (w)-[:IN_BOROUGH]->(b:Borough)
        RETURN l.id AS location_id, l.name AS name, l.lsoa AS lsoa_code, w.code AS ward_code,
        w.name AS ward_name, b.code AS borough_code, b.name AS borough_name,
        l.latitude AS latitude, l.longitude AS longitude""",
    "persons": """MATCH (p:Person)
        RETURN p.id AS person_id, p.age_band AS age_band, p.sex AS sex, p.ethnicity AS ethnicity""",
    "risk_assessments": """MATCH (p:Person)-[a:ASSESSED]->(i:Incident)
        RETURN p.id AS person_id, i.id AS incident_id,
        toString(localdatetime(datetime({datetime: a.assessed_at, timezone: 'Europe/London'})))
        AS assessed_at, a.tool AS tool, a.level AS level""",
    "associations": """MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person)
        RETURN a.id AS person_a, b.id AS person_b, r.type AS type, r.weight AS weight,
        r.source AS source""",
}


#: The previous columnar read: each table in one record of rows, each row carrying the keys
#: themselves (``p.id``, ``i.id``, ``l.id``), as graph_tables did before it named nodes by
#: internal id and read the largest tables in chunks.
KEYS_PER_ROW = {
    "incidents": """MATCH (i:Incident) WHERE i.occurred_at IS NOT NULL
        OPTIONAL MATCH (i)-[:OCCURRED_AT]->(l:Location)
        RETURN collect([i.id, i.occurred_at.epochMillis, i.offence, i.category, i.weapon,
        i.alcohol, i.domestic, i.hate, i.harm, i.outcome, l.id]) AS rows""",
    "involvements": """MATCH (p:Person)-[r:OFFENDER_IN|SUSPECT_IN|VICTIM_IN|WITNESS_IN]->(i:Incident)
        WHERE i.occurred_at IS NOT NULL
        RETURN collect([p.id, i.id, CASE type(r) WHEN 'OFFENDER_IN' THEN 'offender'
        WHEN 'SUSPECT_IN' THEN 'suspect' WHEN 'VICTIM_IN' THEN 'victim' ELSE 'witness' END])
        AS rows""",
    "persons": "MATCH (p:Person) RETURN collect([p.id, p.age_band, p.sex, p.ethnicity]) AS rows",
    "locations": """MATCH (l:Location) OPTIONAL MATCH (l)-[:IN_WARD]->(w:Ward)
        OPTIONAL MATCH (w)-[:IN_BOROUGH]->(b:Borough)
        RETURN collect([l.id, l.name, l.lsoa, w.code, w.name, b.code, b.name, l.latitude,
        l.longitude]) AS rows""",
    "risk_assessments": """MATCH (p:Person)-[a:ASSESSED]->(i:Incident)
        RETURN collect([p.id, i.id, a.assessed_at.epochMillis, a.tool, a.level]) AS rows""",
    "associations": """MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person)
        RETURN collect([a.id, b.id, r.type, r.weight, r.source]) AS rows""",
}


def keys_per_row(driver: neo4j.Driver) -> dict[str, pd.DataFrame]:
    """The tables as the previous columnar read gave them, two at a time, largest first."""

    def read(table: str) -> pd.DataFrame:
        rows = run_query(driver, KEYS_PER_ROW[table])["rows"].iloc[0]
        return pd.DataFrame(rows, columns=read_columns(table))

    order = sorted(TABLES, key=lambda table: table not in ("incidents", "involvements"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(order, pool.map(read, order), strict=True))


def record_per_row(driver: neo4j.Driver) -> dict[str, pd.DataFrame]:
    return {table: run_query(driver, query) for table, query in RECORD_PER_ROW.items()}


def best(action: Callable[[], dict[str, pd.DataFrame]], repeat: int) -> tuple[float, int]:
    """The fastest of ``repeat`` runs of ``action``, and the rows it read."""
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        tables = action()
        times.append(time.perf_counter() - started)
        rows = sum(len(frame) for frame in tables.values())
    return min(times), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference", type=Path, default=None, help="London reference data")
    args = parser.parse_args()
    driver, _ = bench_driver()
    folder = synthetic_folder(args.incidents, args.seed, args.reference)
    load_once(driver, folder)
    baseline, rows = best(lambda: record_per_row(driver), args.repeat)
    serial, serial_rows = best(lambda: read_graph_tables(driver, workers=1), args.repeat)
    columnar, columnar_rows = best(lambda: read_graph_tables(driver), args.repeat)
    keyed, keyed_rows = best(lambda: keys_per_row(driver), args.repeat)
    assert rows == serial_rows == columnar_rows == keyed_rows, (rows, columnar_rows, keyed_rows)
    rust = importlib.util.find_spec("neo4j._rust") is not None
    print(f"{args.incidents:,} incidents, {rows:,} rows, neo4j-rust-ext {'on' if rust else 'off'}")
    print(f"  one record per row         {baseline:7.2f} s  {rows / baseline:>10,.0f} rows/s")
    print(f"  chunks of rows, one at once{serial:7.2f} s  {rows / serial:>10,.0f} rows/s")
    print(f"  one list of rows, keys/row {keyed:7.2f} s  {rows / keyed:>10,.0f} rows/s")
    print(f"  chunks of rows, two at once{columnar:7.2f} s  {rows / columnar:>10,.0f} rows/s")
    print(f"  ratio                      {baseline / columnar:7.1f}x")
    print(
        json.dumps(
            {
                "benchmark": "read",
                "incidents": args.incidents,
                "rows": rows,
                "rust_ext": rust,
                "record_per_row_s": round(baseline, 3),
                "columnar_serial_s": round(serial, 3),
                "columnar_s": round(columnar, 3),
                "ratio": round(baseline / columnar, 2),
                "parallel_ratio": round(serial / columnar, 2),
                "keys_per_row_s": round(keyed, 3),
                "node_ids_ratio": round(keyed / columnar, 2),
            }
        )
    )
    driver.close()


if __name__ == "__main__":
    main()
