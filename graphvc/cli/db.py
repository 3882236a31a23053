"""``graphvc db``: apply the schema and count the graph."""

from __future__ import annotations

import click

from graphvc import schema
from graphvc.cli._common import OneLineErrors, echo_json, open_driver, settings_of

__all__ = ["db_group"]


@click.group("db", cls=OneLineErrors)
def db_group() -> None:
    """The graph database: schema and counts."""


@db_group.command("init")
@click.pass_context
def db_init(ctx: click.Context) -> None:
    """Apply cypher/schema.cypher (constraints and indexes); safe to run again."""
    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        applied = schema.apply_schema(driver, database=settings.neo4j_database)
    click.echo(f"schema applied: {applied} statements from cypher/schema.cypher")


@db_group.command("counts")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def db_counts(ctx: click.Context, as_json: bool) -> None:
    """Count nodes by label and relationships by type."""
    settings = settings_of(ctx)
    with open_driver(settings) as driver:
        counts = schema.graph_counts(driver, database=settings.neo4j_database)
    if as_json:
        echo_json(counts, sort_keys=True)
    else:
        for name, count in counts.items():
            click.echo(f"{name:<16} {count:>12,}")
