"""The ``graphvc`` command line: the root group here, a module per command group beside it,
each thin over a library function (options parsed, the library called, its answer printed).

Every user mistake or unreachable service ends in one line on stderr and a non-zero exit,
never a traceback: :class:`graphvc.errors.GraphvcError` is turned into a
:class:`click.ClickException` by :class:`~graphvc.cli._common.OneLineErrors`.
"""

from __future__ import annotations

import gc
import os

import click

from graphvc import __version__
from graphvc.cli._common import OneLineErrors
from graphvc.cli.analyse import analyse_command
from graphvc.cli.app import app_command
from graphvc.cli.audit import audit_group
from graphvc.cli.contract import contract_group
from graphvc.cli.data import data_group
from graphvc.cli.db import db_group
from graphvc.cli.demo import demo_command
from graphvc.cli.load import load_command, load_network_command, load_police_uk_command
from graphvc.cli.neo4j import neo4j_group
from graphvc.cli.query import query_group
from graphvc.cli.report import report_group
from graphvc.cli.synth import synth_command
from graphvc.cli.targets import targets_command
from graphvc.config import Settings
from graphvc.errors import GraphvcError

__all__ = ["cli", "main"]


@click.group(cls=OneLineErrors)
@click.version_option(__version__, prog_name="graphvc")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Network analysis of violent crime on a Neo4j graph.

    Settings come from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE and
    GRAPHVC_* (see docs/operations/settings.md). With NEO4J_URI unset, graphvc runs its own local Neo4j.
    """
    try:
        ctx.obj = Settings.from_env()
    except GraphvcError as e:
        raise click.ClickException(str(e)) from None


for _command in (
    neo4j_group,
    db_group,
    data_group,
    load_command,
    load_police_uk_command,
    load_network_command,
    analyse_command,
    targets_command,
    report_group,
    synth_command,
    app_command,
    demo_command,
    query_group,
    audit_group,
    contract_group,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point.

    A failure that is not a :class:`GraphvcError` is a graphvc bug: it is reported in one
    line too, with the traceback only when ``GRAPHVC_DEBUG`` is set.

    However the command ends, the objects left are frozen (:func:`gc.freeze`) before the
    process exits: the garbage collector's last pass at exit would free nothing that the
    exit does not, and after a large analysis it takes most of the exit's time.
    """
    try:
        cli(prog_name="graphvc", standalone_mode=True)
    except Exception as e:  # the last line of defence for unexpected failures
        if os.environ.get("GRAPHVC_DEBUG"):
            raise
        click.echo(
            f"Error: unexpected {type(e).__name__}: {e} (set GRAPHVC_DEBUG=1 for details)", err=True
        )
        raise SystemExit(2) from None
    finally:
        gc.freeze()
