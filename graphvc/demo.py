"""The demo behind ``graphvc demo``: synthetic data (on real London when its reference data is
installed, else on the synthetic city) loaded into the graph, analysed, its scores written
back and a first report written.

The data is generated once per size, seed and geography, into
``GRAPHVC_HOME/demo-<london|city>-<incidents>-<seed>/``, and loaded again from there on
later runs (loading is idempotent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import neo4j

from graphvc import audit, schema, synth
from graphvc.config import Settings
from graphvc.geography import Choice, demo_geography
from graphvc.reports.pipeline import write_audited_report
from graphvc.runs import AnalysisParameters, AnalysisResult, obtain_run
from loaders.folder import load_folder

__all__ = ["DemoRun", "load_demo", "prepare_demo"]


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
    it is not there yet; the load about to happen is recorded in the audit trail."""
    city = demo_geography(settings.home, geography)
    kind = "london" if city.name == "London" else "city"
    folder = settings.home / f"demo-{kind}-{n_incidents}-{seed}"
    if not (folder / "ground_truth.json").exists():
        say(f"generating {n_incidents:,} incidents (seed {seed}) on {city.name} in {folder}")
        synth.write(synth.generate(n_incidents, seed, city), folder)
    audit.record(settings.audit_dir, "load", what={"folder": str(folder), "demo": True})
    return folder


def load_demo(driver: neo4j.Driver, settings: Settings, folder: Path, seed: int) -> DemoRun:
    """Load the demo's ``folder`` into the graph (schema first), analyse it with ``seed``,
    write the scores back, store the run and write the first report into
    ``settings.reports_dir``."""
    database = settings.neo4j_database
    schema.apply_schema(driver, database=database)
    summary = load_folder(
        driver,
        folder,
        database=database,
        batch_size=settings.batch_size,
        workers=settings.load_workers,
        progress=True,
    )
    counts = schema.graph_counts(driver, database=database)
    result = obtain_run(
        driver,
        AnalysisParameters(seed=seed),
        runs_dir=settings.runs_dir,
        reuse=False,
        store=True,
        keep=settings.keep_runs,
        database=database,
    ).result
    report = write_audited_report(driver, settings, result, settings.reports_dir)
    return DemoRun(summary.total_read, counts, result, report)
