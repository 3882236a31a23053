"""``graphvc export network``: the explorer's network around a node, as a file for i2 Analyst's
Notebook (ANX), Gephi (GEXF), any graph tool (GraphML), a browser (HTML) or a document (SVG,
PNG). Each export is recorded in the audit trail with the people it holds."""

from __future__ import annotations

from pathlib import Path

import click

from graphvc.cli._common import OneLineErrors, open_driver, settings_of
from graphvc.errors import GraphvcError

__all__ = ["export_group"]

#: The formats, as ``graphvc.exports.FORMATS`` names them (repeated so that ``--help`` does not
#: import the exports; a unit test keeps the two equal).
EXPORT_FORMATS = ("anx", "graphml", "gexf", "html", "svg", "png")


@click.group("export", cls=OneLineErrors)
def export_group() -> None:
    """Export what the explorer shows, for other tools and colleagues."""


@export_group.command("network")
@click.option(
    "--centre",
    required=True,
    help="The id of a person, incident or location, or a ward or borough code.",
)
@click.option(
    "--hops",
    type=click.IntRange(1, 3),
    default=2,
    show_default=True,
    help="Steps out from the centre.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="The file's format [default: from the suffix of --out].",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The file to write.",
)
@click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace person ids by keyed hashes (HMAC-SHA256 with GRAPHVC_PSEUDONYM_KEY).",
)
@click.pass_context
def export_network_command(
    ctx: click.Context,
    centre: str,
    hops: int,
    file_format: str | None,
    out_path: Path,
    pseudonymise: bool,
) -> None:
    """Write the network within --hops of --centre (as the explorer draws it, capped at 500
    nodes) to --out: an i2 Analyst's Notebook chart (anx), GraphML, GEXF, an interactive HTML
    page or an SVG/PNG picture. A person's name is never exported."""
    from graphvc import audit
    from graphvc.explore import ego_network
    from graphvc.exports import FORMATS, export_network, exported_person_ids
    from graphvc.reports.weekly_centrality import check_options

    if file_format is None:
        by_suffix = {f.suffix: name for name, f in FORMATS.items()}
        if out_path.suffix.lower() not in by_suffix:
            raise GraphvcError(f"{out_path}: give --format, one of {', '.join(FORMATS)}")
        file_format = by_suffix[out_path.suffix.lower()]
    settings = settings_of(ctx)
    check_options(pseudonymise=pseudonymise, key=settings.pseudonym_key)
    key = settings.pseudonym_key if pseudonymise else None
    with open_driver(settings) as driver:
        database, timeout = settings.neo4j_database, settings.query_timeout
        network = ego_network(driver, centre, hops=hops, database=database, timeout=timeout)
        what = {
            "file": str(out_path.absolute()),
            "format": file_format,
            "centre": centre,
            "hops": hops,
            "nodes": len(network.nodes),
            "pseudonymised": pseudonymise,
        }
        # Recorded before the file is written: an export the trail cannot hold is not made.
        audit.record(
            settings.audit_dir, "export", person_ids=exported_person_ids(network), what=what
        )
        data = export_network(
            driver, network, file_format, key=key, database=database, timeout=timeout
        )
    try:
        out_path.write_bytes(data)
    except OSError as e:
        raise GraphvcError(f"cannot write {out_path}: {e.strerror}") from None
    cut = " (cut at the node cap)" if network.truncated else ""
    click.echo(
        f"{out_path}: {file_format}, {len(network.nodes):,} nodes, "
        f"{len(network.edges):,} links{cut}"
    )
