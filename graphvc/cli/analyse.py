"""``graphvc analyse``: run every measure, write the scores back and store the run."""

from __future__ import annotations

import json

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
from graphvc.display import plain_table
from graphvc.runs import obtain_run

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
) -> None:
    """Run every measure on the graph and write the scores back (score_* properties).

    The person network is built from the --ties layers; a graph of people and associations
    alone, or of incidents and places alone, is analysed as far as it goes (see the summary's
    note). Each cluster of records an analyst confirmed is one person unless --resolve none
    (the people's members column names its records).
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
    )
    with open_driver(settings) as driver:
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
