"""The ``graphvc`` command line: the root group here, a module per command group beside it,
each thin over a library function (options parsed, the library called, its answer printed).

Every user mistake or unreachable service ends in one line on stderr and a non-zero exit,
never a traceback: :class:`graphvc.errors.GraphvcError` is turned into a
:class:`click.ClickException` by :class:`~graphvc.cli._common.OneLineErrors`. So does an
interruption: Ctrl+C, at any moment, ends in one line and exit 130 (SIGTERM, 143), after what
the command was doing has been undone (``graphvc analyse`` withdraws an unstored run's scores).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def _end_interrupted(status: int) -> NoReturn:
    """End the process interrupted: one line, then exit ``status`` at once. At once, because
    a Ctrl+C that passed through code some extension module ran (as imports do) leaves the
    interpreter set to end itself by SIGINT at exit whatever the status asked."""
    sys.stdout.flush()
    sys.stderr.write("Aborted: interrupted\n")
    sys.stderr.flush()
    os._exit(status)


# The imports take a second or so, long enough for a Ctrl+C to land in them: it ends in one
# line there too, not in a traceback from whichever module was loading.
try:
    import gc
    import signal
    from types import FrameType
    from typing import Any

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
    from graphvc.cli.person import person_command
    from graphvc.cli.query import query_group
    from graphvc.cli.report import report_group
    from graphvc.cli.synth import synth_command
    from graphvc.cli.targets import targets_command
    from graphvc.config import Settings
    from graphvc.errors import GraphvcError
except KeyboardInterrupt:
    _end_interrupted(130)

__all__ = ["cli", "main"]


class _Interrupted(BaseException):
    """A command stopped by signal ``signum``; a BaseException, as KeyboardInterrupt is, so
    that only the clean-ups on the way (``finally``, context managers) see it, and one that
    click does not turn into its own ``Aborted!``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Root(OneLineErrors):
    """The root group: a Ctrl+C while a command runs leaves it as :class:`_Interrupted`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted(signal.SIGINT) from None


def _terminate(signum: int, frame: FrameType | None) -> NoReturn:
    """SIGTERM handled as Ctrl+C is, so what the command was doing is undone too."""
    raise _Interrupted(signum)


@click.group(cls=_Root)
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
    person_command,
):
    cli.add_command(_command)


def main() -> None:
    """Console-script entry point.

    A failure that is not a :class:`GraphvcError` is a graphvc bug: it is reported in one
    line too, with the traceback only when ``GRAPHVC_DEBUG`` is set.

    An interruption (Ctrl+C, SIGTERM) ends in one line, ``Aborted: interrupted``, and exit
    status 128 + the signal's number: 130 for Ctrl+C, as shells report it.

    However the command ends, the objects left are frozen (:func:`gc.freeze`) before the
    process exits: the garbage collector's last pass at exit would free nothing that the
    exit does not, and after a large analysis it takes most of the exit's time.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli(prog_name="graphvc", standalone_mode=True)
    except (_Interrupted, KeyboardInterrupt) as e:
        _end_interrupted(128 + (e.signum if isinstance(e, _Interrupted) else signal.SIGINT))
    except Exception as e:  # the last line of defence for unexpected failures
        if os.environ.get("GRAPHVC_DEBUG"):
            raise
        click.echo(
            f"Error: unexpected {type(e).__name__}: {e} (set GRAPHVC_DEBUG=1 for details)", err=True
        )
        raise SystemExit(2) from None
    finally:
        gc.freeze()
