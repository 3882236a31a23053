"""``graphvc load``, ``load-police-uk`` and ``load-network``: validate files and write them
to the graph (the loaders package does the work; pandera is imported only when a command
loads)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphvc import audit, reference, schema
from graphvc.cli._common import JSON_SUMMARY, echo_json, open_driver, settings_of
from graphvc.contract import ASSOCIATION_TYPES
from graphvc.errors import GraphvcError

if TYPE_CHECKING:
    import neo4j

__all__ = ["NETWORK_FORMATS", "load_command", "load_network_command", "load_police_uk_command"]

#: The formats of `graphvc load-network`: loaders.network_files.FORMATS, repeated here because
#: the loaders (and pandera) are imported only by the commands that load.
NETWORK_FORMATS = ("graphml", "edgelist", "matrix", "gexf")


def _print_load_summary(summary: dict[str, Any], as_json: bool) -> None:
    if as_json:
        echo_json(summary, sort_keys=True)
        return
    # A police.uk load reads and rejects "street rows" but loads incidents and locations:
    # each line shows the counts its table has, in the same columns.
    read, loaded, rejected = (summary[k] for k in ("rows_read", "rows_loaded", "rows_rejected"))
    for table in dict.fromkeys([*read, *loaded]):
        cells = (
            f"read {read[table]:>9,}" if table in read else " " * 14,
            f"loaded {loaded[table]:>9,}" if table in loaded else " " * 16,
            f"rejected {rejected[table]:>7,}" if table in rejected else "",
        )
        click.echo(f"{table:<14} {'  '.join(cells)}".rstrip())
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


def _bulk_flag(bulk: bool) -> dict[str, bool]:
    """The audit event's note of a bulk load."""
    return {"bulk": True} if bulk else {}


def _warn_of_merging(driver: neo4j.Driver, folder: Path, database: str) -> None:
    """Warn, in one line on stderr, that a synthetic dataset (a folder `graphvc synth` wrote)
    merges into another the graph holds: its ids are the same as the other's (I1, P1, ...),
    so the two mix. A real folder adds to the graph by design (a new month), and is not
    warned of."""
    if not (folder / "ground_truth.json").is_file():
        return
    from graphvc.demo import describe_held, held_beyond

    held = held_beyond(driver, folder, database=database)
    if any(held.values()):
        click.echo(
            f"warning: the graph already holds another dataset ({describe_held(held)} that "
            f"{folder} does not have): this synthetic dataset merges into it",
            err=True,
        )


_REJECTS = click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("rejects.csv"),
    show_default=True,
    help="Where rejected rows go, with file, row, field, value and reason.",
)
_BULK = click.option(
    "--bulk",
    is_flag=True,
    help="First load into an empty database with Neo4j's offline importer (managed server only; "
    "it is stopped and restarted).",
)


@click.command("load")
@click.argument("folder", type=click.Path(path_type=Path))
@_REJECTS
@JSON_SUMMARY
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

    settings = settings_of(ctx)
    what = {"folder": str(folder.absolute())} | _bulk_flag(bulk)
    audit.record(settings.audit_dir, "load", what=what)
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
            _warn_of_merging(driver, folder, settings.neo4j_database)
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


@click.command("load-police-uk")
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
@JSON_SUMMARY
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

    settings = settings_of(ctx)
    files = {"files": [str(path.absolute()) for path in paths]}
    audit.record(settings.audit_dir, "load.police_uk", what=files | _bulk_flag(bulk))
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
        echo_json(report, sort_keys=True)
        return
    _print_load_summary(report, as_json=False)
    for case, count in sorted(counts.items()):
        click.echo(f"  police.uk {case.replace('_', ' ')}: {count:,}")


@click.command("load-network")
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
@JSON_SUMMARY
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
    settings = settings_of(ctx)
    what = {
        "file": str(path.absolute()),
        "format": file_format,
        "type": link_type,
        "source": source,
    }
    audit.record(settings.audit_dir, "load.network", what=what)
    with open_driver(settings) as driver:
        schema.apply_schema(driver, database=settings.neo4j_database)
        summary, notes = load_network(
            driver,
            path,
            file_format=file_format,
            link_type=link_type,
            source=source,
            database=settings.neo4j_database,
            batch_size=settings.batch_size,
            workers=settings.load_workers,
            rejects_path=rejects_path,
            progress=not as_json,
        )
    report = summary.as_dict() | {"network": notes}
    if as_json:
        echo_json(report, sort_keys=True)
        return
    _print_load_summary(report, as_json=False)
    for key, value in notes.items():
        if value not in ([], 0, None):
            shown = ", ".join(value) if isinstance(value, list) else value
            click.echo(f"  network {key.replace('_', ' ')}: {shown}")
