"""`graphvc analyse` end to end against the same analysis in memory, side by side in one run.

End to end is what the command does: resolve the as-of date, read the graph
(:func:`graphvc.runs.obtain_run`), analyse it and write the scores back
(:func:`graphvc.scores.write_scores`). In memory is :func:`graphvc.runs.analyse` on the
synthetic generator's own tables, the very data that was loaded, with the same parameters.
Both run in this process on the benchmark's own server (``bench/_server.py``), taking the best
of ``--repeat`` runs each; the parts of end to end (reading, which includes resolving the as-of
date, analysing, writing back) are those of its best run. The two runs' summaries must agree.
Prints the figures and, last, one JSON line.

    .venv/bin/python -m bench.bench_end_to_end --incidents 50000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from bench._server import bench_driver
from bench.bench_load import geography, load_once, synthetic_folder
from graphvc.runs import AnalysisParameters, AnalysisResult, analyse, obtain_run
from graphvc.scores import write_scores
from graphvc.synth import generate


def _comparable(result: AnalysisResult) -> dict[str, object]:
    return {key: value for key, value in result.summary.items() if key != "timings"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="London from this folder (laid out like shared/data) instead of the synthetic city",
    )
    args = parser.parse_args()
    driver, _ = bench_driver()
    load_once(driver, synthetic_folder(args.incidents, args.seed, args.reference))
    data = generate(args.incidents, args.seed, geography(args.seed, args.reference))

    runs, in_memory = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = obtain_run(driver, AnalysisParameters()).result
        read = time.perf_counter()
        write_scores(driver, result, run_at=datetime.now(UTC))
        done = time.perf_counter()
        runs.append(
            {
                "analyse_end_to_end_s": done - started,
                "read_s": result.timings["read_graph"],
                "analysis_s": read - started - result.timings["read_graph"],
                "write_s": done - read,
            }
        )

        started = time.perf_counter()
        memory = analyse(data.tables, result.parameters)
        in_memory.append(time.perf_counter() - started)
        assert _comparable(memory) == _comparable(result), "the two runs disagree"

    # The parts of the fastest run end to end, beside the fastest analysis in memory.
    figures = min(runs, key=lambda run: run["analyse_end_to_end_s"])
    figures["analyse_in_memory_s"] = min(in_memory)
    ratio = figures["analyse_end_to_end_s"] / figures["analyse_in_memory_s"]
    rust = importlib.util.find_spec("neo4j._rust") is not None
    rows = sum(len(frame) for frame in result.tables.values())
    print(
        f"{args.incidents:,} incidents, {rows:,} rows read, neo4j-rust-ext {'on' if rust else 'off'}"
    )
    for name, seconds in figures.items():
        print(f"  {name:<22} {seconds:7.2f} s")
    print(f"  {'ratio':<22} {ratio:7.2f}x  (end to end / in memory)")
    print(f"  timings: {result.timings}")
    print(
        json.dumps(
            {
                "benchmark": "end_to_end",
                "incidents": args.incidents,
                "rows": rows,
                "rust_ext": rust,
                **{name: round(seconds, 3) for name, seconds in figures.items()},
                "ratio": round(ratio, 2),
                "as_of": pd.Timestamp(result.parameters.moment).isoformat(),
            }
        )
    )
    driver.close()


if __name__ == "__main__":
    main()
