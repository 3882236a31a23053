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


# A Ctrl+C that lands in the imports ends in one line there too, not in a traceback from
# whichever module was loading.
try:
    import gc
    import importlib
    import signal
    from types import FrameType
    from typing import Any

    import click

    from graphvc import __version__
    from graphvc.cli._errors import OneLineErrors
    from graphvc.config import Settings
    from graphvc.errors import GraphvcError
except KeyboardInterrupt:
    _end_interrupted(130)

__all__ = ["COMMANDS", "cli", "main"]

#: Every subcommand: its name, where it is defined (``module:attribute``) and its line in
#: ``graphvc --help`` (at most 60 characters: whole in an 80-column terminal). A command's
#: module is imported only when that command runs or shows its own help, so that
#: ``graphvc --help`` starts without what the commands use (pandas, networkx, the Neo4j
#: driver, Streamlit). A new command is one line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "neo4j": ("graphvc.cli.neo4j:neo4j_group", "Manage the local Neo4j server."),
    "db": ("graphvc.cli.db:db_group", "The graph database: schema and counts."),
    "data": ("graphvc.cli.data:data_group", "Reference data: ONS London geography, MPS counts."),
    "load": ("graphvc.cli.load:load_command", "Validate and load a folder of input tables."),
    "load-police-uk": ("graphvc.cli.load:load_police_uk_command", "Load police.uk street CSVs."),
    "load-network": ("graphvc.cli.load:load_network_command", "Load a network file as ties."),
    "analyse": ("graphvc.cli.analyse:analyse_command", "Run every measure, write the scores."),
    "targets": ("graphvc.cli.targets:targets_command", "Performance against targets."),
    "report": ("graphvc.cli.report:report_group", "Scheduled reports, one dated folder per run."),
    "synth": ("graphvc.cli.synth:synth_command", "Write synthetic data in the input contract."),
    "app": ("graphvc.cli.app:app_command", "Serve the Streamlit app."),
    "demo": ("graphvc.cli.demo:demo_command", "Load a synthetic demo graph, serve the app."),
    "query": ("graphvc.cli.query:query_group", "The teams' Cypher library: list, show, run."),
    "audit": ("graphvc.cli.audit:audit_group", "The audit trail: who looked up whom, when."),
    "contract": ("graphvc.cli.contract:contract_group", "The tables `graphvc load` reads."),
    "person": (
        "graphvc.cli.person:person_command",
        "One person's profile: rank and why, in words.",
    ),
    "export": ("graphvc.cli.export:export_group", "Export a network for i2, Gephi or a browser."),
    "watch": ("graphvc.cli.watch:watch_group", "Saved queries that alert on new matches."),
    "risk": ("graphvc.cli.risk:risk_group", "Risk of harm in the next period, per person."),
    "backtest": ("graphvc.cli.backtest:backtest_group", "Backtest a prediction against baselines."),
    "resolve": ("graphvc.cli.resolve:resolve_command", "Find records that may be one person."),
    "spark": ("graphvc.cli.spark:spark_group", "The Spark engine's jars (analyse --engine spark)."),
}


class _Interrupted(BaseException):
    """A command stopped by signal ``signum``; a BaseException, as KeyboardInterrupt is, so
    that only the clean-ups on the way (``finally``, context managers) see it, and one that
    click does not turn into its own ``Aborted!``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Root(OneLineErrors):
    """The root group: its commands are :data:`COMMANDS`, each imported when asked for
    (click's lazy-loading group pattern); a Ctrl+C while a command runs leaves it as
    :class:`_Interrupted`."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, attribute = COMMANDS[cmd_name][0].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command), COMMANDS[cmd_name][0]
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their lines from :data:`COMMANDS`, without importing them."""
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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
