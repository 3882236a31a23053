"""The full analysis (`graphvc analyse`'s set) on synthetic Londons of growing size.

For each size, the analysis runs with graphvc's engine choice (igraph where networkx is slow)
and, where it finishes within the time cap, with pure networkx, in the same process on the
same tables; the ratio is networkx time / graphvc time. The tables come straight from the
synthetic generator (no database), so the figures are the analysis alone. Prints a table and,
last, one JSON line.

    python -m bench.bench_analyse --sizes 10000 100000 1000000 --networkx-cap 100000 \
        [--reference ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd

from bench.bench_load import geography
from graphvc.runs import AnalysisParameters, analyse
from graphvc.synth import generate


def _run(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, engine: str) -> tuple[float, dict]:
    started = time.perf_counter()
    result = analyse(tables, AnalysisParameters(as_of=as_of, engine=engine))
    return time.perf_counter() - started, result.summary | {"timings": result.timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument(
        "--networkx-cap", type=int, default=100_000, help="largest size also run with pure networkx"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reference",
        type=Path,
        metavar="DIR",
        help="London from this folder (laid out like shared/data) instead of the synthetic city",
    )
    args = parser.parse_args()
    place = geography(args.seed, args.reference)

    rows = []
    for size in args.sizes:
        data = generate(size, args.seed, place)
        as_of = pd.to_datetime(data.incidents["occurred_at"]).max().normalize() + pd.Timedelta(
            days=1
        )
        seconds, summary = _run(data.tables, as_of, "auto")
        row = {
            "incidents": size,
            "people_in_network": summary["people_in_network"],
            "co_offending_links": summary["co_offending_links"],
            "betweenness": summary["betweenness"],
            "graphvc_seconds": round(seconds, 2),
            "graphvc_timings": summary["timings"],
        }
        if size <= args.networkx_cap:
            nx_seconds, nx_summary = _run(data.tables, as_of, "networkx")
            row |= {
                "networkx_seconds": round(nx_seconds, 2),
                "networkx_timings": nx_summary["timings"],
                "speedup_vs_networkx": round(nx_seconds / seconds, 2),
            }
        rows.append(row)
        nx_text = (
            f"{row['networkx_seconds']:>8.2f} s  x{row['speedup_vs_networkx']}"
            if "networkx_seconds" in row
            else "  (not run)"
        )
        print(
            f"{size:>9,} incidents  {row['people_in_network']:>8,} people  graphvc {seconds:>7.2f} s  networkx {nx_text}"
        )
    print(json.dumps({"benchmark": "analyse", "runs": rows}, sort_keys=True))


if __name__ == "__main__":
    main()
