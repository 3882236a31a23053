"""The in-process engine and the Spark engine side by side: the same run (read, measure,
rank; no write-back), on the same synthetic graph in the benchmark's Neo4j.

Each engine runs in a process of its own, so each peak is its own: the driver's peak RSS
(``VmHWM`` of the Python process) and, for Spark, the JVM's (``VmHWM`` of the JVM pyspark
started). In local mode (the default, ``local[*]``) the driver's JVM is also the executor:
one JVM holds both, so its peak is the driver's and the executors' together. Prints one line
per run and, last, one JSON line.

    GRAPHVC_BENCH_BOLT_PORT=7689 python -m bench.bench_engines --sizes 100000 1000000 \
        [--engines inprocess spark] [--spark-master local[*]] [--driver-memory 8g] [--save]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench._server import ROOT, bench_driver, bench_settings, new_empty_database
from bench.bench_load import synthetic_folder
from graphvc.schema import graph_counts
from loaders.bulk import write_bulk
from loaders.folder import validate_folder


def _peak_kib(pid: int | str = "self") -> int:
    """The peak resident memory (``VmHWM``) of process ``pid``, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _bulk_once(folder: Path) -> float:
    """Bulk-load ``folder`` (``graphvc load --bulk``'s path: the online load of 5,000,000
    incidents takes half an hour) into a new benchmark database, unless the database holds
    it already. Returns the seconds it took (0 when it was there)."""
    driver, settings = bench_driver()
    expected = sum(1 for _ in (folder / "incidents.csv").open()) - 1
    started = time.perf_counter()
    if graph_counts(driver).get("Incident") != expected:
        new_empty_database(driver, settings)
        valid, summary = validate_folder(folder, driver=driver)
        write_bulk(driver, settings, valid, summary)
    driver.close()
    return round(time.perf_counter() - started, 2)


def _one(engine: str, master: str, driver_memory: str) -> dict[str, Any]:
    """One run of ``engine`` on the benchmark graph, in this process (its phases said on
    stderr as they end: a long run that fails half-way still shows what it measured)."""
    from graphvc.runs import AnalysisParameters, obtain_run

    logging.basicConfig(stream=sys.stderr, format="%(asctime)s %(message)s")
    logging.getLogger("graphvc.spark").setLevel(logging.INFO)

    driver, settings = bench_driver()
    row: dict[str, Any] = {"engine": engine}
    started = time.perf_counter()
    if engine == "inprocess":
        result = obtain_run(driver, AnalysisParameters(), reuse=False).result
    else:
        from graphvc.spark import spark_analyse, spark_session

        session = spark_session(settings, master, config={"spark.driver.memory": driver_memory})
        row["spark_start_s"] = round(time.perf_counter() - started, 2)
        jvm = session.sparkContext._gateway.proc.pid  # type: ignore[union-attr]
        result = spark_analyse(driver, session, settings, AnalysisParameters())
        row["jvm_peak_mb"] = round(_peak_kib(jvm) / 1024)
        session.stop()
    row["seconds"] = round(time.perf_counter() - started, 2)
    row["python_peak_mb"] = round(_peak_kib() / 1024)
    row["timings"] = result.timings
    row["people_in_network"] = result.summary["people_in_network"]
    row["top10"] = result.people.index[:10].tolist()
    driver.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--engines", nargs="+", default=["inprocess", "spark"])
    parser.add_argument("--spark-master", default="local[*]")
    parser.add_argument("--driver-memory", default="4g")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--save", action="store_true", help="also write bench/results/engines-SIZES[-ENGINE].json"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.spark_master, args.driver_memory)))
        return
    runs = []
    for size in args.sizes:
        started = time.perf_counter()
        folder = synthetic_folder(size, args.seed)
        synth_s = round(time.perf_counter() - started, 2)
        load_s = _bulk_once(folder)
        print(f"{size:>9,} incidents  synthesised in {synth_s} s, loaded in {load_s} s", flush=True)
        for engine in args.engines:
            command = [sys.executable, "-m", "bench.bench_engines", "--one", engine]
            command += ["--spark-master", args.spark_master, "--driver-memory", args.driver_memory]
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
            row = json.loads(done.stdout.strip().splitlines()[-1]) | {"incidents": size}
            runs.append(row)
            jvm = f"  JVM {row['jvm_peak_mb']:,} MB" if "jvm_peak_mb" in row else ""
            print(
                f"{size:>9,} incidents  {engine:<9} {row['seconds']:>8.2f} s  "
                f"Python {row['python_peak_mb']:,} MB{jvm}  {row['timings']}",
                flush=True,
            )
    same = {
        size: len({json.dumps(r["top10"]) for r in runs if r["incidents"] == size}) == 1
        for size in args.sizes
    }
    line = json.dumps(
        {
            "benchmark": "engines",
            "server": bench_settings().uri,
            "spark_master": args.spark_master,
            "same_top10": same,
            "runs": runs,
        },
        sort_keys=True,
    )
    if args.save:
        name = "-".join(str(size) for size in args.sizes)
        if len(args.engines) == 1:  # one engine: its name too, so the other's file stays
            name += f"-{args.engines[0]}"
        (ROOT / "bench" / "results" / f"engines-{name}.json").write_text(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
