"""``graphvc backtest co-offenders``: likely co-offenders against common neighbours and
Adamic–Adar on the pairs first seen after a date."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

from graphvc.cli._common import (
    TIE_WEIGHT,
    TIES,
    analysis_parameters,
    echo_json,
    open_driver,
    settings_of,
)

if TYPE_CHECKING:
    from graphvc.predict.co_offender_backtest import BacktestResult

__all__ = ["co_offenders_command", "format_backtest"]


def format_backtest(found: BacktestResult) -> str:
    """The backtest as a table and the sentence that says which method wins."""
    from graphvc.predict.co_offender_backtest import METHODS

    lines = [
        f"Trained on everything before {found.train_until}; tested on the {found.pairs:,} "
        f"pairs of {found.seeds:,} people who first offended together in the "
        f"{found.test_months} month{'s' * (found.test_months > 1)} after.",
        "",
        f"{'method':<28}{'hits@5':>9}{'hits@10':>9}{'MRR':>9}",
    ]
    for row in found.results:
        lines.append(
            f"{METHODS[str(row['name'])]:<28}{row['hits_at_5']:>9.3f}"
            f"{row['hits_at_10']:>9.3f}{row['mrr']:>9.3f}"
        )
    lines += ["", found.verdict[0].upper() + found.verdict[1:] + "."]
    return "\n".join(lines)


@click.command("co-offenders")
@click.option(
    "--train-until",
    "train_until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="Build the network from the incidents before this date (YYYY-MM-DD).",
)
@click.option(
    "--test-months",
    "test_months",
    type=click.IntRange(1, 120),
    default=6,
    show_default=True,
    help="Hold out the pairs who first offend together in this many months after it.",
)
@TIES
@TIE_WEIGHT
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def co_offenders_command(
    ctx: click.Context,
    train_until: datetime,
    test_months: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    as_json: bool,
) -> None:
    """Backtest likely co-offenders: hits at 5 and 10 and mean reciprocal rank of the random
    walk with restart, common neighbours and Adamic–Adar on the same held-out pairs, and
    which wins."""
    from graphvc.graph_tables import read_graph_tables
    from graphvc.predict.co_offender_backtest import backtest_co_offenders

    weights = analysis_parameters(ties, tie_weight).tie_weights
    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        tables = read_graph_tables(driver, database=settings.neo4j_database)
    found = backtest_co_offenders(
        tables["incidents"],
        tables["involvements"],
        tables["associations"],
        train_until=train_until.date(),
        test_months=test_months,
        tie_weights=weights,
    )
    if as_json:
        echo_json(found.as_json())
        return
    click.echo(format_backtest(found))
