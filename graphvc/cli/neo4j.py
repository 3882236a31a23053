"""``graphvc neo4j``: install, start, stop and ask after the local Neo4j server."""

from __future__ import annotations

import click

from graphvc import localserver
from graphvc.cli._common import OneLineErrors, settings_of

__all__ = ["neo4j_group"]


@click.group("neo4j", cls=OneLineErrors)
def neo4j_group() -> None:
    """Manage the local Neo4j server (used when NEO4J_URI is unset)."""


@neo4j_group.command("install")
@click.pass_context
def neo4j_install(ctx: click.Context) -> None:
    """Fetch Neo4j from Maven Central (done by `start` when needed)."""
    lib = localserver.install(settings_of(ctx))
    click.echo(f"Neo4j {localserver.NEO4J_VERSION} is installed in {lib}")


@neo4j_group.command("start")
@click.pass_context
def neo4j_start(ctx: click.Context) -> None:
    """Start the server; returns once Bolt answers. A no-op when it runs already."""
    click.echo(localserver.start(settings_of(ctx)))


@neo4j_group.command("stop")
@click.pass_context
def neo4j_stop(ctx: click.Context) -> None:
    """Stop the server; a no-op when it is not running."""
    click.echo(localserver.stop(settings_of(ctx)))


@neo4j_group.command("status")
@click.pass_context
def neo4j_status(ctx: click.Context) -> None:
    """Exit 0 when the server answers, 3 when it does not."""
    found = localserver.status(settings_of(ctx))
    click.echo(found.message)
    ctx.exit(0 if found.running else 3)
