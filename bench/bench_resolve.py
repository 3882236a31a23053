"""`graphvc resolve`'s model on synthetic people with planted duplicates: time, peak memory,
and precision and recall against the ground truth.

For each size, the synthetic generator makes the tables (``--duplicates``: the share of people
given duplicate records) and writes the persons to a Parquet file; a child process then reads
them and runs the model (:func:`graphvc.resolve.model.score_pairs`: training, scoring,
clustering), so that its peak resident memory (``ru_maxrss``) is the model's with the people
in memory, not the generator's. Reading the people from Neo4j and writing the pairs back are
not timed (they are one read of a column per person and one write per candidate pair). Sizes
are incidents (the generator makes about 0.8 people per incident); ``--people`` asks for a
number of people instead. Prints a line per size and, last, one JSON line.

    python -m bench.bench_resolve --sizes 100000 [--people 1000000] [--timeout 3000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

#: People per incident in the synthetic data (graphvc.synth.generate's docstring).
PEOPLE_PER_INCIDENT = 0.8


def _child(people_file: Path, threshold: float) -> None:
    """Run the model on the persons in ``people_file``; print its figures as JSON."""
    import logging
    import resource

    from graphvc.resolve import people_to_compare
    from graphvc.resolve.model import score_pairs

    logging.getLogger("splink").setLevel(logging.WARNING)
    people = people_to_compare(pd.read_parquet(people_file))
    started = time.perf_counter()
    scored = score_pairs(people, threshold=threshold, floor=min(0.5, threshold))
    seconds = time.perf_counter() - started
    clusters = scored.clusters.groupby("cluster_id")["person_id"].apply(list).tolist()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "peak_rss_mib": round(peak_kib / 1024),
                "candidate_pairs": len(scored.pairs),
                "clusters": [c for c in clusters if len(c) > 1],
            }
        )
    )


def _run(incidents: int, rate: float, seed: int, threshold: float, timeout: float) -> dict:
    from graphvc.resolve import pairwise_scores
    from graphvc.synth import generate, synthetic_city
    from graphvc.synth.duplicates import plant_duplicates

    started = time.perf_counter()
    data = plant_duplicates(generate(incidents, seed, synthetic_city(seed)), rate, seed)
    made = time.perf_counter() - started
    row: dict[str, Any] = {
        "incidents": incidents,
        "people": len(data.persons),
        "duplicate_rate": rate,
        "synth_seconds": round(made, 1),
    }
    with tempfile.TemporaryDirectory() as folder:
        people_file = Path(folder) / "persons.parquet"
        data.persons.to_parquet(people_file, index=False)
        command = [sys.executable, "-m", "bench.bench_resolve", "--child", str(people_file)]
        try:
            done = subprocess.run(
                [*command, "--threshold", str(threshold)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=True,
            )
        except subprocess.TimeoutExpired:
            return row | {"finished": False, "timeout_seconds": timeout}
        except subprocess.CalledProcessError as e:
            return row | {"finished": False, "error": e.stderr.strip().splitlines()[-1:]}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    scores = pairwise_scores(figures.pop("clusters"), data.ground_truth["duplicates"])
    return row | figures | {"finished": True, "threshold": threshold} | scores


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000], help="incidents")
    parser.add_argument("--people", type=int, nargs="*", default=[], help="people (approx.)")
    parser.add_argument("--duplicates", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per size")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from graphvc.resolve import DEFAULT_THRESHOLD

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    if args.child:
        _child(args.child, threshold)
        return
    sizes = [*args.sizes, *(round(p / PEOPLE_PER_INCIDENT) for p in args.people)]
    rows = []
    for incidents in sizes:
        row = _run(incidents, args.duplicates, args.seed, threshold, args.timeout)
        rows.append(row)
        if row["finished"]:
            print(
                f"{incidents:>9,} incidents {row['people']:>9,} people  {row['seconds']:>8.1f} s"
                f"  {row['peak_rss_mib']:>6,} MiB  precision {row['precision']:.3f}"
                f"  recall {row['recall']:.3f}",
                flush=True,
            )
        else:
            print(f"{incidents:>9,} incidents {row['people']:>9,} people  not finished: {row}")
    print(json.dumps({"benchmark": "resolve", "runs": rows}, sort_keys=True))


if __name__ == "__main__":
    main()
