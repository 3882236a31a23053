"""``graphvc demo``: a synthetic graph loaded, analysed and reported, then the app served
(the pipeline is :mod:`graphvc.demo`)."""

from __future__ import annotations

from typing import Literal

import click

from graphvc.auth import check_serving
from graphvc.cli._common import (
    ADDRESS,
    GEOGRAPHY,
    PORT,
    incidents_option,
    open_driver,
    seed_option,
    settings_of,
)
from graphvc.cli.app import serve_app

__all__ = ["demo_command"]


@click.command("demo")
@incidents_option(5_000, "Size of the synthetic demo graph.")
@seed_option(7, "Seed of the demo graph.")
@click.option(
    "--serve/--no-serve", default=True, show_default=True, help="Serve the app afterwards."
)
@click.option(
    "--replace",
    is_flag=True,
    help="Empty the graph first when it holds data that is not this demo's (without it, "
    "the demo refuses: it would merge into that data).",
)
@ADDRESS
@PORT
@GEOGRAPHY
@click.pass_context
def demo_command(
    ctx: click.Context,
    n_incidents: int,
    seed: int,
    serve: bool,
    replace: bool,
    address: str,
    port: int,
    geography: Literal["auto", "city", "london"],
) -> None:
    """Start Neo4j, load synthetic data into it (real London when its reference data is
    installed, else the synthetic city), analyse it, write a first report and serve the app.

    The graph must be empty or hold this demo's data only; --replace empties it first."""
    from graphvc.demo import load_demo, prepare_demo

    settings = settings_of(ctx)
    if serve:
        check_serving(address, settings.sign_in, settings.secrets_file)
    folder = prepare_demo(settings, n_incidents, seed, geography, say=click.echo)
    with open_driver(settings) as driver:
        loaded = load_demo(driver, settings, folder, seed, replace=replace, say=click.echo)
    result = loaded.result
    click.echo(f"demo graph loaded from {folder} ({loaded.rows_read:,} rows)")
    click.echo(", ".join(f"{count:,} {name}" for name, count in loaded.counts.items()))
    click.echo(
        f"scores written for {len(result.people):,} people as of "
        f"{result.parameters.moment.date()}; first report in {loaded.report}"
    )
    if serve:
        serve_app(address, port, settings)
