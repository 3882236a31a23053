"""The ``graphvc`` command line.

Every user mistake or unreachable service ends in one line on stderr and a non-zero exit,
never a traceback: :class:`graphvc.errors.GraphvcError` is turned into a
:class:`click.ClickException` by :class:`_Group`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import neo4j
import pandas as pd

from graphvc import __version__, localserver, schema
from graphvc.config import Settings
from graphvc.db import connect
from graphvc.errors import GraphvcError

__all__ = ["cli", "main"]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GraphvcError as e:
            raise click.ClickException(str(e)) from None


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.find_object(Settings)
    assert settings is not None, "the cli group stores the settings"
    return settings


@contextmanager
def open_driver(settings: Settings) -> Iterator[neo4j.Driver]:
    """A driver for the configured server, starting the managed one when needed."""
    localserver.ensure_running(settings)
    driver = connect(settings)
    try:
        yield driver
    finally:
        driver.close()


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="graphvc")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Network analysis of violent crime on a Neo4j graph.

    Settings come from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE and
    GRAPHVC_* (see the README). With NEO4J_URI unset, graphvc runs its own local Neo4j.
    """
    try:
        ctx.obj = Settings.from_env()
    except GraphvcError as e:
        raise click.ClickException(str(e)) from None


@cli.group(cls=_Group)
def neo4j_group() -> None:
    """Manage the local Neo4j server (used when NEO4J_URI is unset)."""


cli.add_command(neo4j_group, name="neo4j")


@neo4j_group.command("install")
@click.pass_context
def neo4j_install(ctx: click.Context) -> None:
    """Fetch Neo4j from Maven Central (done by `start` when needed)."""
    lib = localserver.install(_settings(ctx))
    click.echo(f"Neo4j {localserver.NEO4J_VERSION} is installed in {lib}")


@neo4j_group.command("start")
@click.pass_context
def neo4j_start(ctx: click.Context) -> None:
    """Start the server; returns once Bolt answers. A no-op when it runs already."""
    click.echo(localserver.start(_settings(ctx)))


@neo4j_group.command("stop")
@click.pass_context
def neo4j_stop(ctx: click.Context) -> None:
    """Stop the server; a no-op when it is not running."""
    click.echo(localserver.stop(_settings(ctx)))


@neo4j_group.command("status")
@click.pass_context
def neo4j_status(ctx: click.Context) -> None:
    """Exit 0 when the server answers, 3 when it does not."""
    found = localserver.status(_settings(ctx))
    click.echo(found.message)
    ctx.exit(0 if found.running else 3)


@cli.group(cls=_Group)
def db() -> None:
    """The graph database: schema and counts."""


@db.command("init")
@click.pass_context
def db_init(ctx: click.Context) -> None:
    """Apply cypher/schema.cypher (constraints and indexes); safe to run again."""
    settings = _settings(ctx)
    with open_driver(settings) as driver:
        applied = schema.apply_schema(driver, database=settings.neo4j_database)
    click.echo(f"schema applied: {applied} statements from cypher/schema.cypher")


@db.command("counts")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def db_counts(ctx: click.Context, as_json: bool) -> None:
    """Count nodes by label and relationships by type."""
    settings = _settings(ctx)
    with open_driver(settings) as driver:
        counts = schema.graph_counts(driver, database=settings.neo4j_database)
    if as_json:
        click.echo(json.dumps(counts, sort_keys=True))
    else:
        for name, count in counts.items():
            click.echo(f"{name:<16} {count:>12,}")


def _print_load_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary, sort_keys=True))
        return
    for table, read in summary["rows_read"].items():
        loaded, rejected = summary["rows_loaded"][table], summary["rows_rejected"][table]
        click.echo(f"{table:<14} read {read:>9,}  loaded {loaded:>9,}  rejected {rejected:>7,}")
    for key, value in summary.get("graph_changes", {}).items():
        click.echo(f"  {key.replace('_', ' ')}: {value:,}")
    if summary.get("rejects_file"):
        click.echo(f"rejected rows and reasons: {summary['rejects_file']}")


def _check_reject_rate(rejected: int, read: int, max_reject_rate: float) -> None:
    rate = rejected / read if read else 0.0
    if rate > max_reject_rate:
        raise GraphvcError(
            f"{rejected:,} of {read:,} rows rejected ({rate:.1%}), beyond --max-reject-rate "
            f"{max_reject_rate:.1%}; the valid rows were loaded"
        )


@cli.command("load")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("rejects.csv"),
    show_default=True,
    help="Where rejected rows go, with file, row, field, value and reason.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option(
    "--max-reject-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.05,
    show_default=True,
    help="Exit non-zero when more than this share of rows is rejected.",
)
@click.pass_context
def load_command(
    ctx: click.Context, folder: Path, rejects_path: Path, as_json: bool, max_reject_rate: float
) -> None:
    """Validate and load a FOLDER of input tables (docs/input-contract.md).

    Invalid rows are set aside in the rejects file; valid rows load. Loading the same
    folder again changes nothing.
    """
    from loaders.folder import load_folder

    settings = _settings(ctx)
    with open_driver(settings) as driver:
        schema.apply_schema(driver, database=settings.neo4j_database)
        summary = load_folder(
            driver,
            folder,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            rejects_path=rejects_path,
            progress=not as_json,
        )
    _print_load_summary(summary.as_dict(), as_json)
    _check_reject_rate(summary.total_rejected, summary.total_read, max_reject_rate)


@cli.command("load-police-uk")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lookup",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="LSOA→ward→borough lookup CSV [default: GRAPHVC_SHARED_DATA's London lookup].",
)
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("rejects.csv"),
    show_default=True,
    help="Where rejected rows go.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def load_police_uk_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    lookup: Path | None,
    rejects_path: Path,
    as_json: bool,
) -> None:
    """Load data.police.uk street-level crime CSVs (files or folders) as incidents and places."""
    from loaders.police_uk import load_police_uk

    settings = _settings(ctx)
    with open_driver(settings) as driver:
        schema.apply_schema(driver, database=settings.neo4j_database)
        summary, counts = load_police_uk(
            driver,
            paths,
            lookup_path=lookup or settings.lsoa_lookup,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            rejects_path=rejects_path,
            progress=not as_json,
        )
    report = summary.as_dict() | {"police_uk": dict(sorted(counts.items()))}
    if as_json:
        click.echo(json.dumps(report, sort_keys=True))
        return
    _print_load_summary(report, as_json=False)
    for case, count in sorted(counts.items()):
        click.echo(f"  police.uk {case.replace('_', ' ')}: {count:,}")


def default_as_of(driver: neo4j.Driver, database: str) -> pd.Timestamp:
    """The day after the latest incident in the graph (midnight, London time)."""
    from graphvc.db import read_cypher, run_query

    latest = run_query(driver, read_cypher("analysis/latest_incident"), database=database).at[
        0, "latest"
    ]
    if latest is None:
        raise GraphvcError("the graph holds no incidents: load some first (graphvc load DIR)")
    moment = pd.Timestamp(str(latest).split("[")[0]).tz_convert("Europe/London").tz_localize(None)
    return moment.normalize() + pd.Timedelta(days=1)


def _as_of(value: str | None) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except ValueError:
        raise GraphvcError(f"--as-of {value!r} is not a date such as 2025-06-30") from None


def _analyse_and_write(
    driver: neo4j.Driver,
    settings: Settings,
    as_of: pd.Timestamp | None,
    window_days: int,
    seed: int,
) -> tuple[Any, Any, dict[str, int], Any]:
    """Analyse the whole graph as of ``as_of`` and write the scores back."""
    from graphvc.analysis.pipeline import (
        AnalysisParameters,
        analyse,
        read_graph_tables,
        write_scores,
    )

    run_at = pd.Timestamp.now(tz="UTC").floor("s").to_pydatetime()
    moment = as_of or default_as_of(driver, settings.neo4j_database)
    parameters = AnalysisParameters(as_of=moment, window_days=window_days, seed=seed)
    result = analyse(read_graph_tables(driver, database=settings.neo4j_database), parameters)
    written = write_scores(
        driver,
        result,
        run_at=run_at,
        database=settings.neo4j_database,
        batch_size=settings.batch_size,
    )
    return parameters, result, written, run_at


@cli.command("analyse")
@click.option(
    "--as-of",
    "as_of",
    default=None,
    help="Analyse as of this date [default: the day after the latest incident].",
)
@click.option(
    "--window",
    "window_days",
    type=click.IntRange(1, 36500),
    default=730,
    show_default=True,
    help="Days before --as-of that the network and scores look at.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of sampled and community measures."
)
@click.option(
    "--top",
    type=click.IntRange(0, 1000),
    default=10,
    show_default=True,
    help="How many people to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def analyse_command(
    ctx: click.Context, as_of: str | None, window_days: int, seed: int, top: int, as_json: bool
) -> None:
    """Run every measure on the graph and write the scores back (score_* properties)."""

    settings = _settings(ctx)
    with open_driver(settings) as driver:
        parameters, result, written, run_at = _analyse_and_write(
            driver, settings, _as_of(as_of), window_days, seed
        )
    moment = parameters.as_of
    leaders = result.people.head(top)
    if as_json:
        report = {"parameters": parameters.as_dict(), "summary": result.summary, "scored": written,
                  "timings": result.timings, "top": [{"person_id": pid, "rank": int(row["rank"]),
                  "priority": round(float(row["priority"]), 6)} for pid, row in leaders.iterrows()]}  # fmt: skip
        click.echo(json.dumps(report, sort_keys=True, default=str))
        return
    click.echo(
        f"analysis as of {moment.date()} over {window_days} days: {json.dumps(result.summary, default=str)}"
    )
    click.echo(
        f"scores written at {run_at.isoformat()}: "
        + ", ".join(f"{n:,} {label}" for label, n in written.items())
    )
    columns = [
        c
        for c in ("rank", "priority", "rfg", "betweenness", "harm_pagerank", "community")
        if c in leaders
    ]
    click.echo(leaders[columns].to_string(float_format=lambda v: f"{v:.3f}"))


@cli.command("synth")
@click.option(
    "--incidents",
    "n_incidents",
    type=int,
    default=10_000,
    show_default=True,
    help="Number of incidents (1,000 to 1,000,000).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
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
@click.pass_context
def synth_command(
    ctx: click.Context, n_incidents: int, seed: int, out_dir: Path, file_format: str
) -> None:
    """Write a synthetic London in the input contract, the same for the same seed."""
    from loaders import synth

    dataset = synth.generate(n_incidents, seed)
    synth.write(dataset, out_dir, file_format=file_format)  # type: ignore[arg-type]
    sizes = ", ".join(f"{len(frame):,} {name}" for name, frame in dataset.tables.items())
    click.echo(f"wrote {sizes} to {out_dir}")  # fmt: skip


def _serve_app(address: str, port: int) -> None:
    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.exists():
        raise GraphvcError(f"app.py not found at {app}: run the app from a graphvc checkout")
    click.echo(f"graphvc app: http://{address}:{port}  (Ctrl+C to stop)", err=True)
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    raise SystemExit(subprocess.call(command, env=os.environ.copy()))


_ADDRESS = click.option(
    "--address", default="127.0.0.1", show_default=True, help="Address to serve on."
)
_PORT = click.option("--port", default=8501, show_default=True, help="Port to serve on.")


@cli.command("app")
@_ADDRESS
@_PORT
@click.pass_context
def app_command(ctx: click.Context, address: str, port: int) -> None:
    """Serve the Streamlit app (read-only) on ADDRESS:PORT."""
    localserver.ensure_running(_settings(ctx))
    _serve_app(address, port)


@cli.command("demo")
@click.option(
    "--incidents",
    "n_incidents",
    type=int,
    default=5_000,
    show_default=True,
    help="Size of the synthetic demo graph.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the demo graph.")
@click.option(
    "--serve/--no-serve", default=True, show_default=True, help="Serve the app afterwards."
)
@_ADDRESS
@_PORT
@click.pass_context
def demo_command(
    ctx: click.Context, n_incidents: int, seed: int, serve: bool, address: str, port: int
) -> None:
    """Start Neo4j, load a synthetic London into it and serve the app on it."""
    from loaders import synth
    from loaders.folder import load_folder

    settings = _settings(ctx)
    folder = settings.home / f"demo-{n_incidents}-{seed}"
    if not (folder / "ground_truth.json").exists():
        click.echo(
            f"generating a synthetic London of {n_incidents:,} incidents (seed {seed}) in {folder}"
        )
        synth.write(synth.generate(n_incidents, seed), folder)
    with open_driver(settings) as driver:
        schema.apply_schema(driver, database=settings.neo4j_database)
        summary = load_folder(
            driver,
            folder,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            progress=True,
        )
        counts = schema.graph_counts(driver, database=settings.neo4j_database)
        parameters, result, _, _ = _analyse_and_write(driver, settings, None, 730, seed)
    click.echo(f"demo graph loaded from {folder} ({summary.total_read:,} rows)")
    click.echo(", ".join(f"{count:,} {name}" for name, count in counts.items()))
    click.echo(f"scores written for {len(result.people):,} people as of {parameters.as_of.date()}")
    if serve:
        _serve_app(address, port)


def main() -> None:
    """Console-script entry point.

    A failure that is not a :class:`GraphvcError` is a graphvc bug: it is reported in one
    line too, with the traceback only when ``GRAPHVC_DEBUG`` is set.
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
