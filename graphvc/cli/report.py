"""``graphvc report``: the centrality report and the tasking packs, one dated folder per
run (for cron or a systemd timer)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import pandas as pd

from graphvc.cli._common import (
    AS_OF,
    RESOLVE,
    SEED,
    TIE_WEIGHT,
    TIES,
    WEIGHTS,
    WINDOW,
    OneLineErrors,
    analysis_parameters,
    open_driver,
    settings_of,
)
from graphvc.cli.spark import ENGINE, SPARK_MASTER
from graphvc.errors import GraphvcError

__all__ = ["report_group"]


@click.group("report", cls=OneLineErrors)
def report_group() -> None:
    """Scheduled reports, one dated folder per run (for cron or a systemd timer)."""


@contextmanager
def _log_to_stderr(quiet: bool) -> Iterator[None]:
    """Send graphvc's log records to stderr while a command runs (warnings only if quiet)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("graphvc")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


_PSEUDONYMISE = click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace person ids by keyed hashes (HMAC-SHA256 with GRAPHVC_PSEUDONYM_KEY).",
)
_QUIET = click.option("--quiet", is_flag=True, help="Print nothing on success; log warnings only.")


@report_group.command("centrality")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of reports: writes OUT/<as-of date>/ and points OUT/latest at the newest.",
)
@AS_OF
@WINDOW
@click.option(
    "--top",
    type=click.IntRange(1, 100_000),
    default=20,
    show_default=True,
    help="How many people, victims and places each list holds (ties at the cut kept).",
)
@click.option(
    "--review-days",
    type=click.IntRange(1, 36500),
    default=None,
    help="Days from a person's first listing to the review of it "
    "[default: GRAPHVC_REVIEW_DAYS, 90].",
)
@click.option(
    "--inactive-months",
    type=click.IntRange(1, 1200),
    default=12,
    show_default=True,
    help="Recommend removing a listed person with no offending in this many months.",
)
@_PSEUDONYMISE
@SEED
@TIES
@TIE_WEIGHT
@WEIGHTS
@RESOLVE
@_QUIET
@ENGINE
@SPARK_MASTER
@click.pass_context
def report_centrality_command(
    ctx: click.Context,
    out_dir: Path,
    as_of: pd.Timestamp | None,
    window_days: int,
    top: int,
    review_days: int | None,
    inactive_months: int,
    pseudonymise: bool,
    seed: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    weights: str,
    resolve: str,
    quiet: bool,
    compute_engine: str,
    spark_master: str | None,
) -> None:
    """Write the centrality report: the ranked offenders with every part of their scores
    and since when they are listed, changes since the previous report, who is due for review
    or recommended for removal, repeat victims, places, communities, exposure and
    proportionality, as CSV, Parquet and one self-contained HTML page.

    The report is complete or absent: it is renamed into place only when every file is
    written, and the exit status is 0 only then.
    """
    from graphvc.reports import check_options
    from graphvc.reports.pipeline import centrality_report

    settings = settings_of(ctx)
    check_options(top=top, pseudonymise=pseudonymise, key=settings.pseudonym_key)
    parameters = analysis_parameters(
        ties,
        tie_weight,
        as_of=as_of,
        window_days=window_days,
        seed=seed,
        weights=weights,
        resolve=resolve,
    )
    with _log_to_stderr(quiet), open_driver(settings) as driver:
        report = centrality_report if compute_engine == "inprocess" else _spark_report(spark_master)
        folder = report(
            driver,
            settings,
            parameters,
            out_dir,
            top=top,
            pseudonymise=pseudonymise,
            review_days=review_days,
            inactive_months=inactive_months,
        )
    if not quiet:
        click.echo(str(folder))


@report_group.command("tasking")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of packs: writes OUT/<borough>/<as-of date>/ and OUT/<borough>/latest.",
)
@click.option("--borough", "boroughs", multiple=True, help="A borough code; repeat for more.")
@click.option("--all-boroughs", is_flag=True, help="A pack for every borough of the graph.")
@click.option(
    "--targets",
    "targets_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A targets file (TOML) [default: the founding targets].",
)
@AS_OF
@WINDOW
@click.option(
    "--top",
    type=click.IntRange(1, 100_000),
    default=20,
    show_default=True,
    help="How many people each list of a pack holds: the offenders (ties at the cut kept) "
    "and the victims due for contact.",
)
@_PSEUDONYMISE
@SEED
@TIES
@TIE_WEIGHT
@_QUIET
@click.pass_context
def report_tasking_command(
    ctx: click.Context,
    out_dir: Path,
    boroughs: tuple[str, ...],
    all_boroughs: bool,
    targets_file: Path | None,
    as_of: pd.Timestamp | None,
    window_days: int,
    top: int,
    pseudonymise: bool,
    seed: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    quiet: bool,
) -> None:
    """Write the tasking pack of a borough (or all): its targets, high-impact
    neighbourhoods, potentially dangerous people, victims due for contact, MARAC candidates
    and what changed since the last pack, as CSV, Parquet and one self-contained page."""
    from graphvc.reports.tasking import build_tasking_packs
    from graphvc.reports.weekly_centrality import check_options
    from graphvc.targets import load_targets

    if bool(boroughs) == all_boroughs:
        raise GraphvcError("give --borough CODE (one or more) or --all-boroughs")
    settings = settings_of(ctx)
    check_options(top=top, pseudonymise=pseudonymise, key=settings.pseudonym_key)
    targets = load_targets(targets_file)
    parameters = analysis_parameters(
        ties, tie_weight, as_of=as_of, window_days=window_days, seed=seed
    )
    with _log_to_stderr(quiet), open_driver(settings) as driver:
        written = build_tasking_packs(
            driver,
            out_dir,
            list(boroughs) or None,
            parameters,
            targets=targets,
            home=settings.home,
            top=top,
            pseudonymise=pseudonymise,
            key=settings.pseudonym_key,
            database=settings.neo4j_database,
            audit_dir=settings.audit_dir,
        )
    if not quiet:
        for folder in written:
            click.echo(str(folder))


def _spark_report(master: str | None) -> Any:
    """``report centrality --engine spark``: as :func:`graphvc.reports.pipeline.centrality_report`,
    the run analysed now on Spark (:func:`graphvc.spark.spark_analyse`; a stored run is not
    looked for) and its report written as the in-process engine's."""
    from graphvc.reports.pipeline import write_audited_report
    from graphvc.spark import spark_analyse, spark_session

    def report(driver: Any, settings: Any, parameters: Any, out_dir: Path, **options: Any) -> Path:
        active = _active_spark()
        session = spark_session(settings, master)
        try:
            result = spark_analyse(
                driver, session, settings, parameters, database=settings.neo4j_database
            )
        finally:
            if active is None:
                session.stop()
        return write_audited_report(driver, settings, result, out_dir, **options)

    return report


def _active_spark() -> Any:
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()
