"""Loader throughput: the batched loader against a naive one-row-per-transaction loader.

Both run in the same process against the same Neo4j (the benchmark's own server, see
``bench/_server.py``), with the same Cypher statements: the only difference is batching.
The naive loader runs on a sample (it would take too long on everything); rates are rows per
second, so they compare. Prints a table and, last, one JSON line.

    python bench/bench_load.py --incidents 100000 [--reference ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import neo4j
import pandas as pd

from bench._server import ROOT, bench_driver
from graphvc.db import run_write
from graphvc.harm_index import load_harm_table
from graphvc.schema import apply_schema, graph_counts, wipe
from graphvc.synth import Geography, generate, london, synthetic_city, write
from loaders.folder import load_folder, validate_folder
from loaders.write import records, steps, write_tables


def geography(seed: int, reference: Path | None = None) -> Geography:
    """The synthetic city of ``seed``, or London from a folder laid out like shared/data."""
    if reference is None:
        return synthetic_city(seed)
    return london(
        reference / "london_geography" / "london_lsoa11_ward19_borough19.csv",
        reference / "london_geography" / "london_lsoa11_centroids.csv",
        {
            family: reference / "mps_lsoa_crime" / f"london-2011-2021-major-{family}.csv"
            for family in ("violence", "robbery", "weapons")
        },
    )


def synthetic_folder(n_incidents: int, seed: int, reference: Path | None = None) -> Path:
    place = "city" if reference is None else "london"
    folder = ROOT / ".graphvc" / "bench-data" / f"{place}-{n_incidents}-{seed}"
    if not (folder / "ground_truth.json").exists():
        write(generate(n_incidents, seed, geography(seed, reference)), folder)
    return folder


def load_once(driver: neo4j.Driver, folder: Path) -> None:
    """Load ``folder`` into the wiped benchmark database unless it already holds exactly it."""
    expected = len(pd.read_csv(folder / "incidents.csv", usecols=["incident_id"]))
    if graph_counts(driver).get("Incident") != expected:
        wipe(driver)
        apply_schema(driver)
        load_folder(driver, folder)


def naive_load(
    driver: neo4j.Driver, tables: dict[str, pd.DataFrame], sample: int
) -> tuple[int, float]:
    """Write the first ``sample`` rows of every step, one row per transaction."""
    rows_written, started = 0, time.perf_counter()
    for step in steps(tables):
        for row in records(step.rows.head(sample), step.columns):
            run_write(driver, step.query, [row], batch_size=1)
            rows_written += 1
    return rows_written, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--naive-sample", type=int, default=300, help="rows per step for the naive loader"
    )
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="write transactions at once")
    parser.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="London from this folder (laid out like shared/data) instead of the synthetic city",
    )
    args = parser.parse_args()

    folder = synthetic_folder(args.incidents, args.seed, args.reference)
    driver, settings = bench_driver()
    try:
        wipe(driver)
        apply_schema(driver)
        valid, _ = validate_folder(folder, harm=load_harm_table())
        naive_rows, naive_seconds = naive_load(driver, valid, args.naive_sample)

        wipe(driver)
        apply_schema(driver)
        started = time.perf_counter()
        valid, _ = validate_folder(folder, harm=load_harm_table(), driver=driver)
        validated = time.perf_counter()
        counters = write_tables(driver, valid, batch_size=args.batch_size, workers=args.workers)
        batched_seconds = time.perf_counter() - started
        write_seconds = time.perf_counter() - validated
        counts = graph_counts(driver)
    finally:
        driver.close()

    steps_rows = sum(len(step.rows) for step in steps(valid))
    relationships = counters.get("relationships_created", 0)
    figures = {
        "benchmark": "load",
        "incidents": args.incidents,
        "rows_written": steps_rows,
        "relationships_created": relationships,
        "nodes_created": counters.get("nodes_created", 0),
        "batched_seconds": round(batched_seconds, 2),
        "batched_rows_per_s": round(steps_rows / batched_seconds),
        "batched_relationships_per_s": round(relationships / batched_seconds),
        "validate_seconds": round(batched_seconds - write_seconds, 2),
        "write_seconds": round(write_seconds, 2),
        "write_rows_per_s": round(steps_rows / write_seconds),
        "naive_rows": naive_rows,
        "naive_seconds": round(naive_seconds, 2),
        "naive_rows_per_s": round(naive_rows / naive_seconds),
        "speedup_vs_naive": round((steps_rows / batched_seconds) / (naive_rows / naive_seconds), 1),
        "write_speedup_vs_naive": round(
            (steps_rows / write_seconds) / (naive_rows / naive_seconds), 1
        ),
        "graph": counts,
        "workers": args.workers,
        "batch_size": args.batch_size,
        "server": settings.uri,
    }
    print(
        f"batched: {steps_rows:,} rows in {batched_seconds:.1f} s = {figures['batched_rows_per_s']:,} rows/s, "
        f"{figures['batched_relationships_per_s']:,} relationships/s (end to end, validation included)"
    )
    print(
        f"naive:   {naive_rows:,} rows in {naive_seconds:.1f} s = {figures['naive_rows_per_s']:,} rows/s"
    )
    print(
        f"writing alone: {write_seconds:.1f} s = {figures['write_rows_per_s']:,} rows/s "
        f"(validation {figures['validate_seconds']} s)"
    )
    print(
        f"speed-up: {figures['speedup_vs_naive']}x end to end, "
        f"{figures['write_speedup_vs_naive']}x writing against writing (the naive loader does not validate)"
    )
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
