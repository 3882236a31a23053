"""The ``graphvc`` command line.

Every user mistake or unreachable service ends in one line on stderr and a non-zero exit,
never a traceback: :class:`graphvc.errors.GraphvcError` is turned into a
:class:`click.ClickException` by :class:`_Group`.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import click
import neo4j
import pandas as pd

from graphvc import __version__, audit, localserver, reference, schema
from graphvc.auth import check_serving
from graphvc.commandline import OneLineErrors
from graphvc.config import Settings
from graphvc.contract import ASSOCIATION_TYPES
from graphvc.db import connect, server_version
from graphvc.errors import GraphvcError
from graphvc.files import csv_text
from graphvc.runs import (
    DEFAULT_WINDOW_DAYS,
    AnalysisParameters,
    AnalysisResult,
    choose_ties,
    obtain_run,
    parse_as_of,
)

__all__ = ["cli", "main"]

#: The formats of `graphvc load-network`: loaders.network_files.FORMATS, repeated here because
#: the loaders (and pandera) are imported only by the commands that load.
NETWORK_FORMATS = ("graphml", "edgelist", "matrix", "gexf")


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


@click.group(cls=OneLineErrors)
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


@cli.group(cls=OneLineErrors)
def neo4j_group() -> None:
    """Manage the local Neo4j server (used when NEO4J_URI is unset)."""


cli.add_command(neo4j_group, name="neo4j")
cli.add_command(reference.data_group, name="data")


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


@cli.group(cls=OneLineErrors)
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


_REJECTS = click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("rejects.csv"),
    show_default=True,
    help="Where rejected rows go, with file, row, field, value and reason.",
)
_JSON_SUMMARY = click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
_BULK = click.option(
    "--bulk",
    is_flag=True,
    help="First load into an empty database with Neo4j's offline importer (managed server only; "
    "it is stopped and restarted).",
)


@cli.command("load")
@click.argument("folder", type=click.Path(path_type=Path))
@_REJECTS
@_JSON_SUMMARY
@_BULK
@click.option(
    "--max-reject-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.05,
    show_default=True,
    help="Exit non-zero when more than this share of rows is rejected.",
)
@click.pass_context
def load_command(
    ctx: click.Context,
    folder: Path,
    rejects_path: Path,
    as_json: bool,
    bulk: bool,
    max_reject_rate: float,
) -> None:
    """Validate and load a FOLDER of input tables (docs/input-contract.md).

    Invalid rows are set aside in the rejects file; valid rows load. Loading the same
    folder again changes nothing. --bulk: the first load into an empty database, by Neo4j's
    offline importer (the same graph, many times faster).
    """
    from loaders.folder import load_folder, validate_folder

    settings = _settings(ctx)
    audit.record(settings.audit_dir, "load",
                 what={"folder": str(folder.absolute())} | ({"bulk": True} if bulk else {}))  # fmt: skip
    with open_driver(settings) as driver:
        if bulk:
            from loaders.bulk import check_bulk_allowed, write_bulk

            check_bulk_allowed(driver, settings)
            valid, summary = validate_folder(
                folder, driver=driver, database=settings.neo4j_database
            )
            write_bulk(driver, settings, valid, summary, rejects_path=rejects_path)
        else:
            schema.apply_schema(driver, database=settings.neo4j_database)
            summary = load_folder(
                driver,
                folder,
                database=settings.neo4j_database,
                batch_size=settings.batch_size,
                workers=settings.load_workers,
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
    help="LSOA→ward→borough lookup CSV [default: the installed reference data's].",
)
@click.option(
    "--centroids",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="LSOA centroids CSV, to place LSOAs the lookup lacks [default: the installed one].",
)
@_REJECTS
@_JSON_SUMMARY
@_BULK
@click.pass_context
def load_police_uk_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    lookup: Path | None,
    centroids: Path | None,
    rejects_path: Path,
    as_json: bool,
    bulk: bool,
) -> None:
    """Load data.police.uk street-level crime CSVs (files or folders) as incidents and places.

    Every quirk of the files is counted in the summary (see loaders/police_uk.py)."""
    from loaders.police_uk import load_police_uk, validate_police_uk

    settings = _settings(ctx)
    files = {"files": [str(path.absolute()) for path in paths]}
    audit.record(settings.audit_dir, "load.police_uk",
                 what=files | ({"bulk": True} if bulk else {}))  # fmt: skip
    lookup_path = lookup or reference.lsoa_lookup(settings.home)
    centroids_path = centroids or reference.lsoa_centroids(settings.home)
    with open_driver(settings) as driver:
        if bulk:
            from loaders.bulk import check_bulk_allowed, write_bulk

            check_bulk_allowed(driver, settings)
            tables, summary, counts = validate_police_uk(
                paths, lookup_path=lookup_path, centroids_path=centroids_path
            )
            write_bulk(driver, settings, tables, summary, rejects_path=rejects_path)
        else:
            schema.apply_schema(driver, database=settings.neo4j_database)
            summary, counts = load_police_uk(
                driver,
                paths,
                lookup_path=lookup_path,
                centroids_path=centroids_path,
                database=settings.neo4j_database,
                batch_size=settings.batch_size,
                workers=settings.load_workers,
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


@cli.command("load-network")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--type",
    "link_type",
    type=click.Choice(ASSOCIATION_TYPES),
    required=True,
    help="The kind of tie the network records.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(NETWORK_FORMATS),
    default=None,
    help="The file's format [default: from its extension: .graphml, .gexf; .csv is an edgelist].",
)
@click.option("--source", default=None, help="Where the ties come from [default: the file's name].")
@_REJECTS
@_JSON_SUMMARY
@click.pass_context
def load_network_command(
    ctx: click.Context,
    path: Path,
    link_type: str,
    file_format: str | None,
    source: str | None,
    rejects_path: Path,
    as_json: bool,
) -> None:
    """Load a network FILE (GraphML, CSV edge list, UCINET-style CSV matrix, GEXF) as
    associations of --type, through the same validation and writer as `graphvc load`."""
    from loaders.network_files import load_network

    if file_format is None:
        by_suffix = {".graphml": "graphml", ".gexf": "gexf", ".csv": "edgelist"}
        if path.suffix.lower() not in by_suffix:
            raise GraphvcError(f"{path}: give --format, one of {', '.join(NETWORK_FORMATS)}")
        file_format = by_suffix[path.suffix.lower()]
    settings = _settings(ctx)
    with open_driver(settings) as driver:
        schema.apply_schema(driver, database=settings.neo4j_database)
        summary, notes = load_network(
            driver, path, file_format=file_format, link_type=link_type, source=source,
            database=settings.neo4j_database, batch_size=settings.batch_size,
            workers=settings.load_workers, rejects_path=rejects_path, progress=not as_json,
        )  # fmt: skip
    report = summary.as_dict() | {"network": notes}
    if as_json:
        click.echo(json.dumps(report, sort_keys=True))
        return
    _print_load_summary(report, as_json=False)
    for key, value in notes.items():
        if value not in ([], 0, None):
            shown = ", ".join(value) if isinstance(value, list) else value
            click.echo(f"  network {key.replace('_', ' ')}: {shown}")


Decorated = TypeVar("Decorated", bound=Callable[..., Any])


def _write_report(
    driver: neo4j.Driver,
    settings: Settings,
    result: AnalysisResult,
    out_dir: Path,
    *,
    top: int = 20,
    pseudonymise: bool = False,
    review_days: int | None = None,
    inactive_months: int = 12,
    source: str = "analysed now",
) -> Path:
    """The weekly centrality report of ``result`` (from ``source``), its map drawn on the
    graph's city; the people it lists are audited first. ``review_days`` defaults to
    ``GRAPHVC_REVIEW_DAYS``."""
    from graphvc.geography import map_geography
    from graphvc.reports import write_report
    from graphvc.reports.tables import offenders_table, repeat_victims_table

    listed = [
        *offenders_table(result.people, top)["person_id"],
        *repeat_victims_table(result.repeat_victims, top)["person_id"],
    ]
    audit.record(
        settings.audit_dir, "report.write", person_ids=listed,
        what={"report": "centrality", "out": str(out_dir.absolute()), "top": top,
              "pseudonymised": pseudonymise, "parameters": result.parameters.as_dict()},
    )  # fmt: skip
    boroughs = result.tables["locations"]["borough_code"].dropna().unique()
    city = map_geography(settings.home, boroughs)
    return write_report(
        result, out_dir, top=top, pseudonymise=pseudonymise, key=settings.pseudonym_key,
        review_days=settings.review_days if review_days is None else review_days,
        inactive_months=inactive_months, neo4j_version=server_version(driver, database=settings.neo4j_database),
        database=settings.neo4j_database, outlines=city.for_report(), source=source,
    )  # fmt: skip


def _incidents_option(default: int, help: str) -> Callable[[Decorated], Decorated]:
    return click.option(
        "--incidents", "n_incidents", type=int, default=default, show_default=True, help=help
    )


def _seed_option(default: int, help: str) -> Callable[[Decorated], Decorated]:
    return click.option("--seed", type=int, default=default, show_default=True, help=help)


_AS_OF = click.option(
    "--as-of",
    "as_of",
    default=None,
    callback=lambda ctx, param, value: parse_as_of(value),
    help="As of the start of this date [default: the day after the latest incident].",
)
_WINDOW = click.option(
    "--window",
    "window_days",
    type=click.IntRange(1, 36500),
    default=DEFAULT_WINDOW_DAYS,
    show_default=True,
    help="Days before --as-of that the network and offending scores look at.",
)
_SEED = _seed_option(0, "Seed of sampled and community measures.")


def _tie_weight(pairs: tuple[str, ...]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        layer, separator, value = pair.partition("=")
        try:
            weights[layer.strip()] = float(value)
        except ValueError:
            separator = ""
        if not separator:
            raise GraphvcError(f"--tie-weight {pair!r} is not LAYER=NUMBER, e.g. gang=2")
    return weights


_TIES = click.option(
    "--ties",
    default=None,
    metavar="LAYER,...",
    help="Tie layers of the person network, comma-separated: co-offending, family, partner, "
    "gang, associate, other [default: all].",
)
_TIE_WEIGHT = click.option(
    "--tie-weight",
    "tie_weight",
    multiple=True,
    metavar="LAYER=W",
    help="A layer's weight (default 1); repeat for each layer, e.g. --tie-weight gang=2.",
)


def _parameters(ties: str | None, tie_weight: tuple[str, ...], **chosen: Any) -> AnalysisParameters:
    """The analysis parameters of a command's options."""
    layers = None if ties is None else [t.strip() for t in ties.split(",") if t.strip()]
    return AnalysisParameters(tie_weights=choose_ties(layers, _tie_weight(tie_weight)), **chosen)


@cli.command("analyse")
@_AS_OF
@_WINDOW
@_SEED
@_TIES
@_TIE_WEIGHT
@click.option(
    "--top",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many people to list.",
)
@_JSON_SUMMARY
@click.pass_context
def analyse_command(
    ctx: click.Context,
    as_of: pd.Timestamp | None,
    window_days: int,
    seed: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    top: int,
    as_json: bool,
) -> None:
    """Run every measure on the graph and write the scores back (score_* properties).

    The person network is built from the --ties layers; a graph of people and associations
    alone, or of incidents and places alone, is analysed as far as it goes (see the summary's
    note).
    """
    settings = _settings(ctx)
    asked = _parameters(ties, tie_weight, as_of=as_of, window_days=window_days, seed=seed)
    with open_driver(settings) as driver:
        result, _, stored, written = obtain_run(
            driver,
            asked,
            runs_dir=settings.runs_dir,
            reuse=False,
            store=True,
            keep=settings.keep_runs,
            database=settings.neo4j_database,
        )
    assert stored is not None, "store=True stores the run"
    parameters = result.parameters
    moment = parameters.moment
    leaders = result.people.head(top)
    # The scores are written; the list about to be shown is a lookup of the people on it.
    audit.record(settings.audit_dir, "analyse", person_ids=leaders.index.astype(str),
                 what={"parameters": parameters.as_dict(), "top": top, "scored": written})  # fmt: skip
    if as_json:
        report = {"parameters": parameters.as_dict(), "summary": result.summary, "scored": written,
                  "run": stored.id,
                  "timings": result.timings, "top": [{"person_id": pid, "rank": int(row["rank"]),
                  "priority": round(float(row["priority"]), 6)} for pid, row in leaders.iterrows()]}  # fmt: skip
        click.echo(json.dumps(report, sort_keys=True, default=str))
        return
    click.echo(
        f"analysis as of {moment.date()} over {window_days} days: {json.dumps(result.summary, default=str)}"
    )
    if "note" in result.summary:
        click.echo(f"note: {result.summary['note']}")
    click.echo(
        f"scores written at {stored.finished_at.isoformat()}: "
        + ", ".join(f"{n:,} {label}" for label, n in written.items())
    )
    click.echo(f"run {stored.id} stored in {settings.runs_dir / stored.id}")
    columns = [
        c
        for c in ("rank", "priority", "rfg", "betweenness", "harm_pagerank", "community")
        if c in leaders
    ]
    if len(leaders):
        click.echo(leaders[columns].to_string(float_format=lambda v: f"{v:.3f}"))


@cli.command("targets")
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
@_AS_OF
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
    from graphvc.targets import (
        METHODS,
        MPS_TARGETS,
        evaluate_targets,
        load_targets,
        read_sources,
    )

    if mps_example and targets_file is not None:
        raise GraphvcError("give --file or --mps, not both")
    settings = _settings(ctx)
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
        found = {"title": targets.title, "file": targets.path, "note": targets.note,
                 "as_of": {k: v.date().isoformat() for k, v in moments.items()},
                 "methods": METHODS, "rows": table.to_dict(orient="records"),
                 "charts": charts.to_dict(orient="records")}  # fmt: skip
        click.echo(json.dumps(found, default=_json_default, allow_nan=True))
        return
    click.echo(format_table(targets, table, moments))


@cli.group(cls=OneLineErrors)
def report() -> None:
    """Scheduled reports, one dated folder per run (for cron or a systemd timer)."""


@contextmanager
def _log_to_stderr(quiet: bool) -> Iterator[None]:
    """Send graphvc's log records to stderr while a command runs (warnings only if quiet)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("graphvc")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


_PSEUDONYMISE = click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace person ids by keyed hashes (HMAC-SHA256 with GRAPHVC_PSEUDONYM_KEY).",
)
_QUIET = click.option("--quiet", is_flag=True, help="Print nothing on success; log warnings only.")


@report.command("centrality")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of reports: writes OUT/<as-of date>/ and points OUT/latest at the newest.",
)
@_AS_OF
@_WINDOW
@click.option(
    "--top",
    type=click.IntRange(1, 100_000),
    default=20,
    show_default=True,
    help="How many people, victims and places each list holds (ties at the cut kept).",
)
@click.option(
    "--review-days",
    type=click.IntRange(1, 36500),
    default=None,
    help="Days from a person's first listing to the review of it "
    "[default: GRAPHVC_REVIEW_DAYS, 90].",
)
@click.option(
    "--inactive-months",
    type=click.IntRange(1, 1200),
    default=12,
    show_default=True,
    help="Recommend removing a listed person with no offending in this many months.",
)
@_PSEUDONYMISE
@_SEED
@_TIES
@_TIE_WEIGHT
@_QUIET
@click.pass_context
def report_centrality_command(
    ctx: click.Context,
    out_dir: Path,
    as_of: pd.Timestamp | None,
    window_days: int,
    top: int,
    review_days: int | None,
    inactive_months: int,
    pseudonymise: bool,
    seed: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    quiet: bool,
) -> None:
    """Write the centrality report: the ranked offenders with every part of their scores
    and since when they are listed, changes since the previous report, who is due for review
    or recommended for removal, repeat victims, places, communities, exposure and
    proportionality, as CSV, Parquet and one self-contained HTML page.

    The report is complete or absent: it is renamed into place only when every file is
    written, and the exit status is 0 only then.
    """
    from graphvc.reports import check_options

    settings = _settings(ctx)
    check_options(top=top, pseudonymise=pseudonymise, key=settings.pseudonym_key)
    parameters = _parameters(ties, tie_weight, as_of=as_of, window_days=window_days, seed=seed)
    with _log_to_stderr(quiet), open_driver(settings) as driver:
        result, source, _, _ = obtain_run(
            driver, parameters, runs_dir=settings.runs_dir, database=settings.neo4j_database
        )
        folder = _write_report(driver, settings, result, out_dir, top=top,
                               pseudonymise=pseudonymise, review_days=review_days,
                               inactive_months=inactive_months, source=source)  # fmt: skip
    if not quiet:
        click.echo(str(folder))


@report.command("tasking")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of packs: writes OUT/<borough>/<as-of date>/ and OUT/<borough>/latest.",
)
@click.option("--borough", "boroughs", multiple=True, help="A borough code; repeat for more.")
@click.option("--all-boroughs", is_flag=True, help="A pack for every borough of the graph.")
@click.option(
    "--targets",
    "targets_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A targets file (TOML) [default: the founding targets].",
)
@_AS_OF
@_WINDOW
@click.option(
    "--top",
    type=click.IntRange(1, 100_000),
    default=20,
    show_default=True,
    help="How many people each pack lists (ties at the cut kept).",
)
@_PSEUDONYMISE
@_SEED
@_TIES
@_TIE_WEIGHT
@_QUIET
@click.pass_context
def report_tasking_command(
    ctx: click.Context,
    out_dir: Path,
    boroughs: tuple[str, ...],
    all_boroughs: bool,
    targets_file: Path | None,
    as_of: pd.Timestamp | None,
    window_days: int,
    top: int,
    pseudonymise: bool,
    seed: int,
    ties: str | None,
    tie_weight: tuple[str, ...],
    quiet: bool,
) -> None:
    """Write the tasking pack of a borough (or all): its targets, high-impact
    neighbourhoods, potentially dangerous people, victims due for contact, MARAC candidates
    and what changed since the last pack, as CSV, Parquet and one self-contained page."""
    from graphvc.reports.tasking import build_tasking_packs
    from graphvc.reports.weekly_centrality import check_options
    from graphvc.targets import load_targets

    if bool(boroughs) == all_boroughs:
        raise GraphvcError("give --borough CODE (one or more) or --all-boroughs")
    settings = _settings(ctx)
    check_options(top=top, pseudonymise=pseudonymise, key=settings.pseudonym_key)
    targets = load_targets(targets_file)
    parameters = _parameters(ties, tie_weight, as_of=as_of, window_days=window_days, seed=seed)
    with _log_to_stderr(quiet), open_driver(settings) as driver:
        written = build_tasking_packs(
            driver, out_dir, list(boroughs) or None, parameters, targets=targets,
            home=settings.home, top=top, pseudonymise=pseudonymise,
            key=settings.pseudonym_key, database=settings.neo4j_database,
            audit_dir=settings.audit_dir,
        )  # fmt: skip
    if not quiet:
        for folder in written:
            click.echo(str(folder))


_GEOGRAPHY = click.option(
    "--geography",
    type=click.Choice(["auto", "city", "london"]),
    default="auto",
    show_default=True,
    help="auto: London when its reference data is installed, else the synthetic city.",
)


@cli.command("synth")
@_incidents_option(10_000, "Number of incidents (1,000 to 5,000,000).")
@_seed_option(0, "Random seed.")
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
@_GEOGRAPHY
@click.pass_context
def synth_command(
    ctx: click.Context,
    n_incidents: int,
    seed: int,
    out_dir: Path,
    file_format: Literal["csv", "parquet"],
    geography: Literal["auto", "city", "london"],
) -> None:
    """Write synthetic data in the input contract, the same for the same seed: on real London
    when its reference data is installed (graphvc data install), else on the synthetic city."""
    from graphvc import synth
    from graphvc.geography import demo_geography

    city = demo_geography(_settings(ctx).home, geography)
    dataset = synth.generate(n_incidents, seed, city)
    synth.write(dataset, out_dir, file_format=file_format)
    sizes = ", ".join(f"{len(frame):,} {name}" for name, frame in dataset.tables.items())
    click.echo(f"wrote {sizes} on {city.name} to {out_dir}")


def _serve_app(address: str, port: int, settings: Settings) -> None:
    """Serve the app, with the sign-in ``settings`` configure (callers check first, with
    :func:`graphvc.auth.check_serving`, that it may be served on ``address``)."""
    app = Path(__file__).resolve().parent / "app" / "main.py"
    click.echo(f"graphvc app: http://{address}:{port}  (Ctrl+C to stop)", err=True)
    # The app's data travels on its WebSocket, which Streamlit opens only to a request whose
    # Host header is one of these names: a web page on another name that resolves to this
    # machine (DNS rebinding) gets no data.
    hosts = [
        option for host in settings.allowed_hosts for option in ("--server.allowedHosts", host)
    ]
    # Streamlit reads sign-in's [auth] table from the secrets file, and from nowhere else.
    secrets = ["--secrets.files", str(settings.secrets_file)] if settings.sign_in == "oidc" else []
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", address, "--server.port", str(port), *hosts, *secrets,
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit takes this process's place, so stopping `graphvc app` stops the server.
    os.execv(sys.executable, command)


_ADDRESS = click.option(
    "--address", default="127.0.0.1", show_default=True, help="Address to serve on."
)
_PORT = click.option("--port", default=8501, show_default=True, help="Port to serve on.")


@cli.command("app")
@_ADDRESS
@_PORT
@click.pass_context
def app_command(ctx: click.Context, address: str, port: int) -> None:
    """Serve the Streamlit app (read-only) on ADDRESS:PORT: this machine only, unless sign-in
    is configured (GRAPHVC_AUTH=oidc)."""
    settings = _settings(ctx)
    check_serving(address, settings.sign_in, settings.secrets_file)
    localserver.ensure_running(settings)
    _serve_app(address, port, settings)


@cli.command("demo")
@_incidents_option(5_000, "Size of the synthetic demo graph.")
@_seed_option(7, "Seed of the demo graph.")
@click.option(
    "--serve/--no-serve", default=True, show_default=True, help="Serve the app afterwards."
)
@_ADDRESS
@_PORT
@_GEOGRAPHY
@click.pass_context
def demo_command(
    ctx: click.Context,
    n_incidents: int,
    seed: int,
    serve: bool,
    address: str,
    port: int,
    geography: Literal["auto", "city", "london"],
) -> None:
    """Start Neo4j, load synthetic data into it (real London when its reference data is
    installed, else the synthetic city), analyse it, write a first report and serve the app."""
    from graphvc import synth
    from graphvc.geography import demo_geography
    from loaders.folder import load_folder

    settings = _settings(ctx)
    if serve:
        check_serving(address, settings.sign_in, settings.secrets_file)
    city = demo_geography(settings.home, geography)
    kind = "london" if city.name == "London" else "city"
    folder = settings.home / f"demo-{kind}-{n_incidents}-{seed}"
    if not (folder / "ground_truth.json").exists():
        click.echo(f"generating {n_incidents:,} incidents (seed {seed}) on {city.name} in {folder}")
        synth.write(synth.generate(n_incidents, seed, city), folder)
    audit.record(settings.audit_dir, "load", what={"folder": str(folder), "demo": True})
    with open_driver(settings) as driver:
        schema.apply_schema(driver, database=settings.neo4j_database)
        summary = load_folder(
            driver,
            folder,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            workers=settings.load_workers,
            progress=True,
        )
        counts = schema.graph_counts(driver, database=settings.neo4j_database)
        result = obtain_run(
            driver,
            AnalysisParameters(seed=seed),
            runs_dir=settings.runs_dir,
            reuse=False,
            store=True,
            keep=settings.keep_runs,
            database=settings.neo4j_database,
        ).result
        report = _write_report(driver, settings, result, settings.reports_dir)
    click.echo(f"demo graph loaded from {folder} ({summary.total_read:,} rows)")
    click.echo(", ".join(f"{count:,} {name}" for name, count in counts.items()))
    click.echo(
        f"scores written for {len(result.people):,} people as of "
        f"{result.parameters.moment.date()}; first report in {report}"
    )
    if serve:
        _serve_app(address, port, settings)


@cli.group("query", cls=OneLineErrors)
def query_group() -> None:
    """The specialist teams' Cypher library (cypher/*.cypher): list, show, run, check.

    A query runs read-only unless its header says `mode: write` and --allow-write is given.
    """


def _query_params(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or not key.strip():
            raise GraphvcError(f"--param {pair!r} is not KEY=VALUE")
        if key.strip() in values:
            raise GraphvcError(f"--param {key.strip()!r} is given twice")
        values[key.strip()] = value
    return values


def _json_default(value: Any) -> Any:
    """Date-times as ISO 8601, numpy scalars as Python numbers, anything else as text."""
    for method in ("isoformat", "item"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    return str(value)


def _csv_cell(value: Any) -> Any:
    """Lists and maps as JSON, date-times as ISO 8601: one cell each."""
    if isinstance(value, list | dict):
        return json.dumps(value, default=_json_default)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _format_rows(frame: pd.DataFrame, output_format: str) -> str:
    records = frame.astype(object).where(frame.notna(), None)
    if output_format == "json":
        rows = records.to_dict(orient="records")
        return json.dumps(rows, default=_json_default, ensure_ascii=False) + "\n"
    if output_format == "csv":
        return csv_text(records.map(_csv_cell), index=False)
    if frame.empty:
        return f"no rows (columns: {', '.join(map(str, frame.columns))})\n"
    return frame.to_string(index=False) + "\n"


@query_group.command("list")
@click.option("--team", default=None, help="Only this team's queries and those for all teams.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def query_list(team: str | None, as_json: bool) -> None:
    """List the library's queries: name, team, mode and title."""
    from graphvc.queries import TEAMS, list_queries

    if team is not None and team not in TEAMS:
        raise GraphvcError(f"--team {team!r} is not one of: {', '.join(TEAMS)}")
    found = list_queries(team)
    if as_json:
        rows = [{"name": q.name, "title": q.title, "team": q.team, "mode": q.mode} for q in found]
        click.echo(json.dumps(rows))
        return
    width = max((len(q.name) for q in found), default=0)
    for q in found:
        click.echo(f"{q.name:<{width}}  {q.title}  [{q.team}]")


@query_group.command("show")
@click.argument("name")
def query_show(name: str) -> None:
    """Show a query's header and Cypher (NAME, or the path of a .cypher file)."""
    from graphvc.queries import load_query

    query = load_query(name)
    click.echo(f"{query.name}: {query.title}\n{query.description}")
    click.echo(f"team: {query.team}    mode: {query.mode}\nparameters:")
    for p in query.params:
        given = "required" if p.required else f"default {json.dumps(p.default)}"
        example = f", example {json.dumps(p.example)}" if p.example is not None else ""
        click.echo(f"  {p.name} ({p.type}, {given}{example}): {p.description}")
    click.echo("columns:")
    for c in query.columns:
        click.echo(f"  {c.name}: {c.description}")
    click.echo(f"\n{query.body}")


@query_group.command("run")
@click.argument("name", required=False)
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter's value; repeat for each parameter.")  # fmt: skip
@click.option("--format", "output_format", type=click.Choice(["table", "csv", "json"]),
              default="table", show_default=True)  # fmt: skip
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the rows to this file instead of standard output.")  # fmt: skip
@click.option("--file", "query_file", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Run your own query file (with the same header) instead.")  # fmt: skip
@click.option("--allow-write", is_flag=True,
              help="Let a query whose header says `mode: write` write to the graph.")  # fmt: skip
@click.pass_context
def query_run(
    ctx: click.Context,
    name: str | None,
    pairs: tuple[str, ...],
    output_format: str,
    out_path: Path | None,
    query_file: Path | None,
    allow_write: bool,
) -> None:
    """Run library query NAME, or --file PATH, with --param KEY=VALUE values."""
    from graphvc.queries import check_parameters, load_query, run_stored_query

    if (name is None) == (query_file is None):
        raise GraphvcError("give either a library query NAME or --file PATH")
    query = load_query(query_file if query_file is not None else str(name))
    values = check_parameters(query, _query_params(pairs))
    settings = _settings(ctx)
    named, what = query.audit_details(values)
    audit.record(settings.audit_dir, "query.run", person_ids=named, what=what)
    with open_driver(settings) as driver:
        frame = run_stored_query(driver, query, values, database=settings.neo4j_database,
                                 timeout=settings.query_timeout, allow_write=allow_write)  # fmt: skip
    text = _format_rows(frame, output_format)
    if out_path is None:
        click.echo(text, nl=False)
    else:
        try:
            out_path.write_text(text, encoding="utf-8")
        except OSError as e:
            raise GraphvcError(f"cannot write {out_path}: {e.strerror}") from None
        click.echo(f"{len(frame):,} rows of {query.name} written to {out_path}", err=True)


@query_group.command("check")
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def query_check(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Run every library query (or NAMES) with its example parameters; fail if any fails."""
    from graphvc.queries import check_library, load_query

    chosen = [load_query(name) for name in names] or None
    settings = _settings(ctx)
    with open_driver(settings) as driver:
        results = check_library(driver, chosen, database=settings.neo4j_database,
                                timeout=settings.query_timeout)  # fmt: skip
    if as_json:
        click.echo(json.dumps(results.to_dict(orient="records"), default=_json_default))
    else:
        for row in results.itertuples(index=False):
            verdict = "pass" if row.passed else f"FAIL  {row.message}"
            click.echo(f"{row.name:<32} {row.rows:>6} rows {row.seconds:>7.3f}s  {verdict}")
    failed = results.loc[~results["passed"], "name"].tolist()
    if failed:
        raise GraphvcError(f"{len(failed)} of {len(results)} queries failed: {', '.join(failed)}")


@cli.group("audit", cls=OneLineErrors)
def audit_group() -> None:
    """The audit trail: who looked up whom, ran, loaded, reported or exported what, when."""


@audit_group.command("show")
@click.option("--person", default=None, help="Only events naming this person id.")
@click.option("--user", default=None, help="Only this user's events.")
@click.option("--since", default=None, help="Only events at or after this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON lines.")
@click.pass_context
def audit_show(
    ctx: click.Context, person: str | None, user: str | None, since: str | None, as_json: bool
) -> None:
    """List audit events, oldest first ("who looked at this person?")."""
    start = None
    if since is not None:
        moment = parse_as_of(since)
        start = moment.tz_localize("Europe/London") if moment is not None else None
    found = audit.events(_settings(ctx).audit_dir, person=person, user=user, since=start)
    if as_json:
        for row in found.to_dict(orient="records"):
            click.echo(json.dumps(row, sort_keys=True, default=str))
        return
    for event in found.to_dict(orient="records"):
        people = ", ".join(event["person_ids"]) or "-"
        click.echo(
            f"{event['seq']:>6} {event['at']} {event['user']:<16} {event['action']:<16} "
            f"people: {people}"
        )


@audit_group.command("verify")
@click.pass_context
def audit_verify(ctx: click.Context) -> None:
    """Check the trail's hash chain; exit 1 naming the first broken line."""
    folder = _settings(ctx).audit_dir
    verdict = audit.verify(folder)
    if not verdict.ok:
        raise GraphvcError(
            f"{folder / audit.AUDIT_FILE} line {verdict.broken_line}: {verdict.reason}"
        )
    click.echo(f"{verdict.lines:,} events intact; head hash {verdict.head}")


def main() -> None:
    """Console-script entry point.

    A failure that is not a :class:`GraphvcError` is a graphvc bug: it is reported in one
    line too, with the traceback only when ``GRAPHVC_DEBUG`` is set.

    However the command ends, the objects left are frozen (:func:`gc.freeze`) before the
    process exits: the garbage collector's last pass at exit would free nothing that the
    exit does not, and took 0.9-1.1 s of the 1.0-1.3 s the exit took after an analysis of
    1,000,000 incidents.
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


# --- contract: the input contract, for people ----------------------------------------------------


@cli.group(cls=OneLineErrors)
def contract() -> None:
    """The input contract: the tables and columns `graphvc load` reads."""


@contract.command("docs")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page to this file instead of printing it.",
)
def contract_docs(output: Path | None) -> None:
    """Print docs/input-contract.md, generated from the contract's declarations."""
    from graphvc.contract_docs import contract_markdown

    page = contract_markdown()
    if output is None:
        click.echo(page, nl=False)
    else:
        output.write_text(page, encoding="utf-8")
        click.echo(f"wrote {output}")
