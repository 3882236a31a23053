"""``graphvc risk``: risk of harm in the next period, per person (``risk contagion``)."""

from __future__ import annotations

from typing import Any

import click
import pandas as pd

from graphvc.cli._common import AS_OF, echo_json, open_driver, settings_of

__all__ = ["OUTCOME", "risk_group"]

OUTCOME = click.option(
    "--outcome",
    type=click.Choice(["victim", "offender"]),
    default="victim",
    show_default=True,
    help="What is predicted: gun or knife victimisation, or offending.",
)


@click.group("risk")
def risk_group() -> None:
    """Risk of harm in the next period, per person, with the parts it is made of."""


def fit_text(fit: dict[str, Any]) -> str:
    """The fitted model in a few plain lines."""
    return (
        f"Contagion model fitted on {fit['start'][:10]} to {fit['end'][:10]}: "
        f"{fit['n_events']:,} events among {fit['n_people']:,} people in the network.\n"
        f"  baseline mu = {fit['mu']:.3g} a day, own history beta = {fit['beta']:.3g} a day "
        f"per past event,\n  contagion alpha = {fit['alpha']:.3g} per tie, "
        f"omega = {fit['omega']:.3g} a day (mean delay {1 / fit['omega']:.0f} days).\n"
        f"  Share of events attributed to contagion: {100 * fit['contagion_share']:.1f} %."
    )


def _rounded(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=lambda v: f"{v:.4f}")


@risk_group.command("contagion")
@AS_OF
@OUTCOME
@click.option(
    "--horizon-days",
    type=click.IntRange(1, 3650),
    default=90,
    show_default=True,
    help="The period scored after the as-of date.",
)
@click.option("--top", type=click.IntRange(0), default=20, show_default=True, help="Rows shown.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fit's starts.")
@click.option("--json", "as_json", is_flag=True, help="Print the fit and the top rows as JSON.")
@click.pass_context
def contagion_command(
    ctx: click.Context,
    as_of: pd.Timestamp | None,
    outcome: str,
    horizon_days: int,
    top: int,
    seed: int,
    as_json: bool,
) -> None:
    """Fit the network contagion model on everything before --as-of, score every person of
    the network for the next --horizon-days, write the risk as score_contagion_risk and
    print the fit, the top of the list and its make-up beside the population scored."""
    from graphvc.graph_tables import default_as_of, read_graph_tables
    from graphvc.predict.backtest_contagion import risk_list_proportionality
    from graphvc.predict.contagion import contagion_risk
    from graphvc.predict.contagion_store import save, write_contagion_risk

    settings = settings_of(ctx)
    database = settings.neo4j_database
    with open_driver(settings) as driver:
        moment = as_of if as_of is not None else default_as_of(driver, database=database)
        tables = read_graph_tables(driver, end=moment.to_pydatetime(), database=database)
        fit, scores = contagion_risk(
            tables, as_of=moment, outcome=outcome, horizon_days=horizon_days, seed=seed
        )
        written = write_contagion_risk(driver, scores, as_of=moment, database=database)
    make_up = risk_list_proportionality(scores, tables["persons"])
    found: dict[str, Any] = {
        "as_of": moment.date().isoformat(),
        "outcome": outcome,
        "horizon_days": horizon_days,
        "fit": fit.as_dict(),
        "written": written,
        "top": scores.head(top).reset_index().to_dict(orient="records"),
        "proportionality": make_up.to_dict(orient="records"),
    }
    save(settings.runs_dir, "risk", {k: v for k, v in found.items() if k != "top"})
    if as_json:
        echo_json(found)
        return
    click.echo(fit_text(found["fit"]))
    click.echo(
        f"Wrote score_contagion_risk (chance of at least one {outcome} event in the "
        f"{horizon_days} days from {found['as_of']}) on {written:,} people. Top {top}:"
    )
    click.echo(_rounded(scores.head(top)))
    click.echo("\nMake-up of the top 5 % beside the population scored:")
    click.echo(_rounded(make_up.set_index(["attribute", "value"])))
