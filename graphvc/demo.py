"""The demo behind ``graphvc demo``: synthetic data (on real London when its reference data is
installed, else on the synthetic city) loaded into the graph, analysed, its scores written
back and a first report written.

The data is generated once per size, seed and geography, into
``GRAPHVC_HOME/demo-<london|city>-<incidents>-<seed>/``, and loaded again from there on
later runs (loading is idempotent).

The demo loads into an empty graph, or one that holds its own dataset already, and no other:
loading merges by id, so a demo on London after one on the synthetic city would keep the
city's boroughs, wards and places beside London's (and overwrite its incidents of the same
ids). It refuses, in one line, unless told to empty the graph first (``replace``): emptying
it unasked could delete data a user loaded there (police.uk months, a network), which the
demo has no way to tell from a demo's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import neo4j

from graphvc import audit, schema, synth
from graphvc.config import Settings
from graphvc.contract import TABLES
from graphvc.db import read_cypher, run_query
from graphvc.errors import DemoError
from graphvc.geography import Choice, demo_geography
from graphvc.reports.pipeline import write_audited_report
from graphvc.runs import AnalysisParameters, AnalysisResult, obtain_run
from loaders.folder import load_folder
from loaders.tables import find_tables, read_table

__all__ = ["DemoRun", "dataset_ids", "describe_held", "held_beyond", "load_demo", "prepare_demo"]

#: The nodes a dataset names by id: parameter of ``cypher/demo/held_beyond.cypher`` ->
#: (table, column) and the words for one and for several in a message.
_NAMED: dict[str, tuple[str, str, str, str]] = {
    "boroughs": ("locations", "borough_code", "borough", "boroughs"),
    "wards": ("locations", "ward_code", "ward", "wards"),
    "locations": ("locations", "location_id", "place", "places"),
    "persons": ("persons", "person_id", "person", "people"),
    "incidents": ("incidents", "incident_id", "incident", "incidents"),
}


@dataclass(frozen=True)
class DemoRun:
    """What :func:`load_demo` did: rows read from the folder, the graph's counts after
    loading, the run and the folder of its first report."""

    rows_read: int
    counts: dict[str, int]
    result: AnalysisResult
    report: Path


def prepare_demo(
    settings: Settings,
    n_incidents: int,
    seed: int,
    geography: Choice = "auto",
    *,
    say: Callable[[str], object] = print,
) -> Path:
    """The folder of the demo's data of ``n_incidents`` and ``seed`` on ``geography`` (see
    :func:`graphvc.geography.demo_geography`), generated first (saying so with ``say``) when
    it is not there yet."""
    city = demo_geography(settings.home, geography)
    kind = "london" if city.name == "London" else "city"
    folder = settings.home / f"demo-{kind}-{n_incidents}-{seed}"
    if not (folder / "ground_truth.json").exists():
        say(f"generating {n_incidents:,} incidents (seed {seed}) on {city.name} in {folder}")
        started = time.monotonic()
        synth.write(synth.generate(n_incidents, seed, city), folder)
        say(f"generated in {_seconds(started)}")
    return folder


def dataset_ids(folder: Path) -> dict[str, list[str]]:
    """The distinct ids of the boroughs, wards, places (``locations``), people
    (``persons``) and incidents that the tables in ``folder`` name."""
    paths = find_tables(folder)
    rows = {
        table: read_table(paths[table], TABLES[table]).rows
        for table in {table for table, *_ in _NAMED.values()}
        if table in paths
    }
    named: dict[str, list[str]] = {}
    for key, (table, column, *_) in _NAMED.items():
        values: set[str] = set()
        if table in rows:
            values = set(rows[table][column].dropna().str.strip()) - {""}
        named[key] = sorted(values)
    return named


def held_beyond(driver: neo4j.Driver, folder: Path, *, database: str = "neo4j") -> dict[str, int]:
    """How many boroughs, wards, places (``locations``), people (``persons``) and
    incidents the graph holds that the tables in ``folder`` do not name: what loading the
    folder would merge into (all 0 on an empty graph, or one that holds the folder's data
    already)."""
    found = run_query(
        driver, read_cypher("demo/held_beyond"), dataset_ids(folder), database=database
    )
    first = found.iloc[0]
    return {key: int(first[key]) for key in _NAMED}


def describe_held(held: Mapping[str, int]) -> str:
    """What :func:`held_beyond` found, in words: ``"8 boroughs, 60 wards, 1,610 places"``.

    >>> describe_held({"boroughs": 8, "wards": 60, "locations": 1610, "persons": 0})
    '8 boroughs, 60 wards, 1,610 places'
    >>> describe_held({"boroughs": 1, "persons": 1})
    '1 borough, 1 person'
    """
    return ", ".join(f"{n:,} {_NAMED[key][2 if n == 1 else 3]}" for key, n in held.items() if n)


def _seconds(started: float) -> str:
    return f"{time.monotonic() - started:.0f} s"


def load_demo(
    driver: neo4j.Driver,
    settings: Settings,
    folder: Path,
    seed: int,
    *,
    replace: bool = False,
    say: Callable[[str], object] = print,
) -> DemoRun:
    """Load the demo's ``folder`` into the graph (schema first), analyse it with ``seed``,
    write the scores back, store the run and write the first report into
    ``settings.reports_dir``, saying each step with ``say``.

    Raises :class:`~graphvc.errors.DemoError` when the graph holds data ``folder`` does not
    (:func:`held_beyond`), unless ``replace``: then the graph is emptied first.
    """
    database = settings.neo4j_database
    schema.apply_schema(driver, database=database)
    held = held_beyond(driver, folder, database=database)
    foreign = any(held.values())
    if foreign and not replace:
        raise DemoError(
            f"the graph already holds data that is not this demo's ({describe_held(held)}), "
            "which the demo would merge into: run `graphvc demo --replace` to empty it first, "
            "or point NEO4J_URI at an empty database"
        )
    what: dict[str, object] = {"folder": str(folder), "demo": True}
    if foreign:
        say(f"emptying the graph (--replace): it held {describe_held(held)} beyond the demo's")
        what["replaced"] = dict(held)
    audit.record(settings.audit_dir, "load", what=what)
    if foreign:
        schema.wipe(driver, database=database)
    say(f"loading {folder} into the graph")
    started = time.monotonic()
    summary = load_folder(
        driver,
        folder,
        database=database,
        batch_size=settings.batch_size,
        workers=settings.load_workers,
        progress=True,
    )
    counts = schema.graph_counts(driver, database=database)
    say(f"loaded {summary.total_read:,} rows in {_seconds(started)}; analysing the graph")
    started = time.monotonic()
    result = obtain_run(
        driver,
        AnalysisParameters(seed=seed),
        runs_dir=settings.runs_dir,
        reuse=False,
        store=True,
        keep=settings.keep_runs,
        database=database,
    ).result
    say(f"analysed in {_seconds(started)}; writing the first report")
    report = write_audited_report(driver, settings, result, settings.reports_dir)
    return DemoRun(summary.total_read, counts, result, report)
