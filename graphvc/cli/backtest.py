"""``graphvc backtest``: does a predictive method beat what an analyst already has?

Each subcommand fits a method on the data before ``--train-until``, predicts the
``--test-months`` after it and scores the prediction, beside simple baselines on the same
split, against what happened; the output says plainly which wins.
"""

from __future__ import annotations

import click
import pandas as pd

from graphvc.cli._common import echo_json, open_driver, settings_of
from graphvc.cli.backtest_co_offenders import co_offenders_command
from graphvc.cli.risk import OUTCOME, fit_text
from graphvc.runs.parameters import parse_as_of

__all__ = ["backtest_group"]


@click.group("backtest")
def backtest_group() -> None:
    """Backtest a predictive method against simple baselines."""


backtest_group.add_command(co_offenders_command)


@backtest_group.command("contagion")
@click.option(
    "--train-until",
    required=True,
    callback=lambda ctx, param, value: parse_as_of(value),
    help="Fit on the data before this date (a plain date such as 2025-01-01).",
)
@click.option(
    "--test-months",
    type=click.IntRange(1, 120),
    required=True,
    help="Score against the events of this many months from --train-until.",
)
@OUTCOME
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of fit and bootstrap.")
@click.option("--json", "as_json", is_flag=True, help="Print the backtest as JSON.")
@click.pass_context
def contagion_backtest_command(
    ctx: click.Context,
    train_until: pd.Timestamp,
    test_months: int,
    outcome: str,
    seed: int,
    as_json: bool,
) -> None:
    """The contagion risk against prior victimisation count, degree and RFG: hit rates of the
    top 1 % and 5 % and ROC AUC on who had an event in the test months. The model wins only
    if its AUC beats the best baseline's beyond chance (docs/methods/contagion.md)."""
    from graphvc.graph_tables import read_graph_tables
    from graphvc.predict.backtest_contagion import backtest_contagion
    from graphvc.predict.contagion_store import save

    settings = settings_of(ctx)
    end = train_until + pd.DateOffset(months=test_months)
    with open_driver(settings) as driver:
        tables = read_graph_tables(
            driver, end=end.to_pydatetime(), database=settings.neo4j_database
        )
    found = backtest_contagion(
        tables, train_until=train_until, test_months=test_months, outcome=outcome, seed=seed
    )
    save(settings.runs_dir, "backtest", found)
    if as_json:
        echo_json(found)
        return
    click.echo(fit_text(found["fit"]))
    table = pd.DataFrame(found["results"]).set_index("name")
    click.echo(
        f"\nTested on {found['test_months']} months from {found['train_until']}: "
        f"{found['victims']:,} of the {found['population']:,} people scored had an event "
        f"({found['victims_outside']:,} more people outside the network did: no method "
        "could find them)."
    )
    click.echo(table.to_string(float_format=lambda v: f"{v:.3f}"))
    click.echo(found["verdict"])
