"""Writing a run back: the scores onto the nodes (`graphvc.scores.write_scores`) and the run's
tables into its folder (`graphvc.stored_runs`), on a synthetic city loaded into the benchmark
server.

Each way of writing the person scores runs ``--repeats`` times on the same run, the ways
taking turns (every write overwrites the last, as a new run does), and the best time counts.
The baseline is the writer before this one: one map of scores per person
(``SET p += row.scores``), 20,000 people to a transaction; ``columns`` is
:func:`graphvc.scores.write_scores`'s way, a list per score and 20,000 people to a
transaction. The ratio is baseline time / time. The graph is loaded unless the benchmark
server already holds it. Prints a table and, last, one JSON line.

    python -m bench.bench_write_back --incidents 50000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import neo4j

from bench._server import bench_driver
from bench.bench_load import load_once, synthetic_folder
from graphvc.db import run_write
from graphvc.runs import AnalysisParameters, AnalysisResult, obtain_run, record_run
from graphvc.schema import graph_counts
from graphvc.scores import (
    _PERSON_PROFILE,
    PERSON_PROFILE_SCORES,
    PERSON_SCORES,
    WRITE_BACK_BATCH,
    _values,
    _write_batches,
    write_person_ranking_scores,
)
from graphvc.stored_runs import read_run_table

#: The previous writer's statement: one map of the scores present per person.
MAP_PER_PERSON = """UNWIND $rows AS row MATCH (p:Person {id: row.id})
SET p += row.scores, p.scored_at = datetime($run_at)"""


def maps_per_person(driver: neo4j.Driver, result: AnalysisResult, moment: datetime) -> None:
    """The person scores written as the previous writer did."""
    present = {column: prop for column, prop in PERSON_SCORES.items() if column in result.people}
    columns = [_values(result.people[column]) for column in present]
    rows = [
        {
            "id": str(key),
            "scores": {
                prop: value
                for prop, value in zip(present.values(), values, strict=True)
                if value is not None
            },
        }
        for key, *values in zip(result.people.index, *columns, strict=True)
    ]
    run_write(
        driver,
        MAP_PER_PERSON,
        rows,
        parameters={"run_at": moment.isoformat()},
        batch_size=WRITE_BACK_BATCH,
    )


def columns_per_batch(driver: neo4j.Driver, result: AnalysisResult, moment: datetime) -> None:
    """The person scores written as graphvc.scores.write_scores does: the ranking, then the
    rest (without clearing the people not scored, as the baseline)."""
    write_person_ranking_scores(driver, result.people, run_at=moment)
    _write_batches(
        driver,
        _PERSON_PROFILE,
        PERSON_PROFILE_SCORES,
        result.people,
        moment.isoformat(),
        "neo4j",
        WRITE_BACK_BATCH,
    )


#: The ways of writing the person scores measured.
WAYS = {"baseline": maps_per_person, "columns": columns_per_batch}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    folder = synthetic_folder(args.incidents, args.seed)
    driver, _ = bench_driver()
    try:
        load_once(driver, folder)
        result = obtain_run(driver, AnalysisParameters(seed=args.seed)).result
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        best: dict[str, float] = {}
        for _ in range(args.repeats):  # the ways in turn, so none gains from a warmer server
            for name, write in WAYS.items():
                moment += timedelta(seconds=1)
                started = time.perf_counter()
                write(driver, result, moment)
                seconds = time.perf_counter() - started
                best[name] = min(best.get(name, seconds), seconds)
        for name in best:
            print(f"{name:<24} {best[name]:>7.2f} s  {len(result.people):,} people scored")
        with tempfile.TemporaryDirectory() as runs:
            started = time.perf_counter()
            stored, _ = record_run(
                driver, result, runs_dir=Path(runs), finished_at=moment + timedelta(seconds=1)
            )
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
        "people_scored": len(result.people),
        "persons": counts["Person"],
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
