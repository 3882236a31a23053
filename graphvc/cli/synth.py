"""``graphvc synth``: write synthetic data in the input contract."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from graphvc.cli._common import GEOGRAPHY, incidents_option, seed_option, settings_of

__all__ = ["synth_command"]


@click.command("synth")
@incidents_option(10_000, "Number of incidents (1,000 to 5,000,000).")
@seed_option(0, "Random seed.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder to write the tables and ground_truth.json into.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
)
@GEOGRAPHY
@click.option(
    "--contagion",
    is_flag=True,
    help="Plant gun and knife victimisations that follow a network neighbour's, with a known"
    " kernel (ground_truth.json: contagion).",
)
@click.option(
    "--duplicates",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    help="Share of people given duplicate records with realistic errors (for graphvc resolve);"
    " the people then get names, dates of birth, postcodes and PNC ids.",
)
@click.pass_context
def synth_command(
    ctx: click.Context,
    n_incidents: int,
    seed: int,
    out_dir: Path,
    file_format: Literal["csv", "parquet"],
    geography: Literal["auto", "city", "london"],
    contagion: bool,
    duplicates: float,
) -> None:
    """Write synthetic data in the input contract, the same for the same seed: on real London
    when its reference data is installed (graphvc data install), else on the synthetic city."""
    from graphvc import synth
    from graphvc.geography import demo_geography

    city = demo_geography(settings_of(ctx).home, geography)
    dataset = synth.generate(n_incidents, seed, city)
    if contagion:
        from graphvc.synth.contagion import plant_contagion

        dataset = plant_contagion(dataset, seed=seed)
    if duplicates:
        from graphvc.synth.duplicates import plant_duplicates

        dataset = plant_duplicates(dataset, duplicates, seed)
    synth.write(dataset, out_dir, file_format=file_format)
    sizes = ", ".join(f"{len(frame):,} {name}" for name, frame in dataset.tables.items())
    click.echo(f"wrote {sizes} on {city.name} to {out_dir}")
