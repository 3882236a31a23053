"""``graphvc analyse``: run every measure, write the scores back and store the run."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from graphvc import audit
from graphvc.cli._common import (
    AS_OF,
    JSON_SUMMARY,
    RESOLVE,
    SEED,
    TIE_WEIGHT,
    TIES,
    WEIGHTS,
    WINDOW,
    analysis_parameters,
    echo_json,
    open_driver,
    settings_of,
)
from graphvc.cli.spark import ENGINE, SPARK_MASTER
from graphvc.display import plain_table
from graphvc.runs import obtain_run

if TYPE_CHECKING:
    from graphvc.config import Settings
    from graphvc.runs import AnalysisParameters, AnalysisResult
    from graphvc.stored_runs import StoredRun

__all__ = ["analyse_command"]

#: The columns of the printed list, those the run has.
_LISTED = ("rank", "priority", "rfg", "betweenness", "harm_pagerank", "community", "members")


@click.command("analyse")
@AS_OF
@WINDOW
@SEED
@TIES
@TIE_WEIGHT
@WEIGHTS
@RESOLVE
@click.option(
    "--top",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many people to list.",
)
@JSON_SUMMARY
@ENGINE
@SPARK_MASTER
@click.pass_context
def analyse_command(
    ctx: click.Context,
    as_of: pd.Timestamp | None,
    window_days: int,
    seed: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    weights: str,
    resolve: str,
    top: int,
    as_json: bool,
    compute_engine: str,
    spark_master: str | None,
) -> None:
    """Run every measure on the graph and write the scores back (score_* properties).

    The person network is built from the --ties layers; a graph of people and associations
    alone, or of incidents and places alone, is analysed as far as it goes (see the summary's
    note). Each cluster of records an analyst confirmed is one person unless --resolve none
    (the people's members column names its records).

    --engine spark computes the run on Apache Spark (local[*], or --spark-master): the same
    scores and the same stored run (docs/scaling.md says which measure runs where).
    """
    settings = settings_of(ctx)
    asked = analysis_parameters(
        ties,
        tie_weight,
        as_of=as_of,
        window_days=window_days,
        seed=seed,
        weights=weights,
        resolve=resolve,
        compute_engine=compute_engine,
    )
    with open_driver(settings) as driver:
        if compute_engine == "spark":
            result, stored, written = _spark_run(driver, settings, asked, spark_master)
        else:
            result, _, stored, written = obtain_run(
                driver,
                asked,
                runs_dir=settings.runs_dir,
                reuse=False,
                store=True,
                keep=settings.keep_runs,
                database=settings.neo4j_database,
            )
    assert stored is not None, "store=True stores the run"
    parameters = result.parameters
    moment = parameters.moment
    leaders = result.people.head(top)
    # The scores are written; the list about to be shown is a lookup of the people on it.
    audit.record(
        settings.audit_dir,
        "analyse",
        person_ids=leaders.index.astype(str),
        what={"parameters": parameters.as_dict(), "top": top, "scored": written},
    )
    if as_json:
        listed = [
            {
                "person_id": pid,
                "rank": int(row["rank"]),
                "priority": round(float(row["priority"]), 6),
            }
            for pid, row in leaders.iterrows()
        ]
        report = {
            "parameters": parameters.as_dict(),
            "summary": result.summary,
            "scored": written,
            "run": stored.id,
            "timings": result.timings,
            "top": listed,
        }
        echo_json(report, sort_keys=True, default=str)
        return
    summary = json.dumps(result.summary, default=str)
    click.echo(f"analysis as of {moment.date()} over {window_days} days: {summary}")
    if "note" in result.summary:
        click.echo(f"note: {result.summary['note']}")
    click.echo(
        f"scores written at {stored.finished_at.isoformat()}: "
        + ", ".join(f"{n:,} {label}" for label, n in written.items())
    )
    click.echo(f"run {stored.id} stored in {settings.runs_dir / stored.id}")
    columns = [c for c in _LISTED if c in leaders]
    if len(leaders):
        click.echo(plain_table(leaders[columns]).to_string(index=False))


def _spark_run(
    driver: Any, settings: Settings, parameters: AnalysisParameters, master: str | None
) -> tuple[AnalysisResult, StoredRun | None, dict[str, int]]:
    """``analyse --engine spark``: the run computed on a Spark session of ``master``, written
    back and stored as the in-process engine's is."""
    from graphvc.spark import spark_obtain_run, spark_session

    active = _active_spark()
    session = spark_session(settings, master)
    try:
        run = spark_obtain_run(
            driver,
            session,
            settings,
            parameters,
            runs_dir=settings.runs_dir,
            keep=settings.keep_runs,
            database=settings.neo4j_database,
        )
    finally:
        if active is None:  # a session this process had already (a notebook's) stays up
            session.stop()
    return run.result, run.stored, run.scored


def _active_spark() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()
