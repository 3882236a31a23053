"""Writing a run back: the scores onto the nodes (`graphvc.scores.write_scores`) and the run's
tables into its folder (`graphvc.stored_runs`), on a synthetic city loaded into the benchmark
server.

Each way of writing the scores runs ``--repeats`` times on the same run, the ways taking
turns (every write overwrites the last, as a new run does), and the best time counts. The
baseline is 5,000 rows to a transaction, as the writer had it; the ratio is baseline time /
time. ``score_rows_seconds`` is the building of the person rows alone.
Prints a table and, last, one JSON line.

    python -m bench.bench_write_back --incidents 50000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench._server import bench_driver
from bench.bench_load import synthetic_folder
from graphvc.runs import AnalysisParameters, run_analysis
from graphvc.schema import apply_schema, graph_counts, wipe
from graphvc.scores import PERSON_SCORES, _score_rows, write_scores
from graphvc.stored_runs import read_run_table, record_run
from loaders.folder import load_folder

#: The ways of writing scores measured: (name, rows per transaction).
WAYS = (("baseline", 5000), ("batch_20000", 20000), ("batch_50000", 50000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    folder = synthetic_folder(args.incidents, args.seed)
    driver, _ = bench_driver()
    try:
        wipe(driver)
        apply_schema(driver)
        load_folder(driver, folder)
        result = run_analysis(driver, AnalysisParameters(seed=args.seed))
        started = time.perf_counter()
        rows = _score_rows(result.people, PERSON_SCORES)
        rows_seconds = time.perf_counter() - started
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        best: dict[str, float] = {}
        for _ in range(args.repeats):  # the ways in turn, so none gains from a warmer server
            for name, batch_size in WAYS:
                moment += timedelta(seconds=1)
                started = time.perf_counter()
                written = write_scores(driver, result, run_at=moment, batch_size=batch_size)
                seconds = time.perf_counter() - started
                best[name] = min(best.get(name, seconds), seconds)
        for name in best:
            print(f"{name:<24} {best[name]:>7.2f} s  {written['Person']:,} people scored")
        with tempfile.TemporaryDirectory() as runs:
            started = time.perf_counter()
            stored, _ = record_run(driver, result, runs_dir=Path(runs),
                                   finished_at=moment + timedelta(seconds=1))  # fmt: skip
            record_seconds = time.perf_counter() - started
            size = sum(p.stat().st_size for p in (Path(runs) / stored.id).iterdir())
            started = time.perf_counter()
            read_run_table(Path(runs), stored, "people", rows=20)
            top_seconds = time.perf_counter() - started
        counts = graph_counts(driver)
    finally:
        driver.close()
    figures = {
        "benchmark": "write_back",
        "incidents": args.incidents,
        "people_scored": len(rows),
        "persons": counts["Person"],
        "score_rows_seconds": round(rows_seconds, 3),
        "write_scores_seconds": {name: round(seconds, 2) for name, seconds in best.items()},
        "ratio_vs_baseline": {
            name: round(best["baseline"] / seconds, 2) for name, seconds in best.items()
        },
        "record_run_seconds": round(record_seconds, 2),
        "run_folder_bytes": size,
        "read_top_20_people_seconds": round(top_seconds, 4),
    }
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
