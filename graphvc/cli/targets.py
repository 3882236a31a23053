"""``graphvc targets``: performance against targets, as a table or JSON."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from graphvc.cli._common import AS_OF, echo_json, open_driver, settings_of
from graphvc.errors import GraphvcError

__all__ = ["targets_command"]


@click.command("targets")
@click.option(
    "--file",
    "targets_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A targets file (TOML) [default: the founding targets, graphvc/data/targets_2006.toml].",
)
@click.option(
    "--mps", "mps_example", is_flag=True, help="Use the shipped example on the MPS counts."
)
@AS_OF
@click.option("--borough", default=None, help="Only this borough's rows (and the force's).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows and charts as JSON.")
@click.pass_context
def targets_command(
    ctx: click.Context,
    targets_file: Path | None,
    mps_example: bool,
    as_of: pd.Timestamp | None,
    borough: str | None,
    as_json: bool,
) -> None:
    """Performance against targets: for each target and borough the baseline, the current
    figure, the change with its 95% confidence interval, and met / missed / on track /
    off track; monthly control charts flag real shifts."""
    from graphvc.graph_tables import default_as_of, read_graph_tables
    from graphvc.reports.targets import format_table
    from graphvc.targets import METHODS, MPS_TARGETS, evaluate_targets, load_targets, read_sources

    if mps_example and targets_file is not None:
        raise GraphvcError("give --file or --mps, not both")
    settings = settings_of(ctx)
    targets = load_targets(str(MPS_TARGETS) if mps_example else targets_file)
    tables, graph_as_of = None, None
    if "graph" in targets.sources:
        with open_driver(settings) as driver:
            tables = read_graph_tables(driver, database=settings.neo4j_database)
            graph_as_of = default_as_of(driver, database=settings.neo4j_database)
    counts, moments, coverage = read_sources(
        targets, tables=tables, home=settings.home, as_of=as_of, graph_as_of=graph_as_of
    )
    table, charts = evaluate_targets(
        targets, counts, moments, coverage, areas=None if borough is None else [borough]
    )
    if borough is not None and not (table["area_code"] == borough).any():
        raise GraphvcError(f"--borough {borough!r} is in none of the targets' data")
    if as_json:
        found = {
            "title": targets.title,
            "file": targets.path,
            "note": targets.note,
            "as_of": {k: v.date().isoformat() for k, v in moments.items()},
            "methods": METHODS,
            "rows": table.to_dict(orient="records"),
            "charts": charts.to_dict(orient="records"),
        }
        echo_json(found)
        return
    click.echo(format_table(targets, table, moments))
