"""Public reference data: ONS London geography and MPS crime counts, installed and validated.

Reference data is never part of the repository. ``graphvc data install --from DIR`` copies it
from a folder laid out as :data:`REFERENCE_FILES` declares (``london_geography/...``,
``mps_lsoa_crime/...``); ``graphvc data install --download`` fetches it over HTTP(S). Either
way every file is validated (UTF-8 CSV, columns, well-formed codes, coordinates inside the
UK, no repeated LSOA, every LSOA of the lookup with a centroid) before anything is written,
and the install replaces ``GRAPHVC_HOME/reference/`` atomically::

    reference/manifest.json      each file's sha256, rows, source, publisher and licence
    reference/london_geography/  the ONS lookup and centroids (and optional code lists)
    reference/mps_lsoa_crime/    the MPS counts per LSOA and year
    reference/outlines/          approximate ward and borough outlines (GeoJSON), derived

Everything else finds the files with :func:`reference_path` (or :func:`lsoa_lookup`,
:func:`lsoa_centroids`, :func:`mps_counts_path`) and reads them with
:func:`read_reference_table` and :func:`outlines`; without an install these fail with one line
saying how to install it.

The modules, by concern: :mod:`~graphvc.reference.catalogue` (the files declared, parsed and
validated), :mod:`~graphvc.reference.download` (HTTP fetch within limits, checksums),
:mod:`~graphvc.reference.outlines` (ward and borough outlines derived from the centroids),
:mod:`~graphvc.reference.install` (validate whole, publish under a lock) and
:mod:`~graphvc.reference.installed` (finding and reading an install).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from graphvc.commandline import OneLineErrors
from graphvc.config import Settings
from graphvc.reference.catalogue import (
    MPS_FAMILIES,
    REFERENCE_FILES,
    REFERENCE_SHA256_PREFIX,
    ReferenceFile,
)
from graphvc.reference.download import MAX_DOWNLOAD_BYTES, reference_checksums
from graphvc.reference.install import install_download, install_from
from graphvc.reference.installed import (
    _NOT_INSTALLED,
    lsoa_centroids,
    lsoa_lookup,
    mps_counts_path,
    outlines,
    read_reference_table,
    read_status,
    reference_path,
)
from graphvc.reference.outlines import (
    OUTLINE_LEVELS,
    OUTLINE_MARGIN_M,
    OUTLINE_TOLERANCE_M,
    derive_outlines,
)

__all__ = [
    "MAX_DOWNLOAD_BYTES",
    "MPS_FAMILIES",
    "OUTLINE_LEVELS",
    "OUTLINE_MARGIN_M",
    "OUTLINE_TOLERANCE_M",
    "REFERENCE_FILES",
    "REFERENCE_SHA256_PREFIX",
    "ReferenceFile",
    "data_group",
    "derive_outlines",
    "install_download",
    "install_from",
    "lsoa_centroids",
    "lsoa_lookup",
    "mps_counts_path",
    "outlines",
    "read_reference_table",
    "read_status",
    "reference_checksums",
    "reference_path",
]


# --- Command line ------------------------------------------------------------------------------


data_group = OneLineErrors(
    "data", help="Reference data: ONS London geography and MPS crime counts."
)


def _rows(entry: Mapping[str, Any]) -> str:
    return "text" if entry["rows"] is None else f"{entry['rows']} rows"


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.from_env()


@data_group.command("install")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    help="Install from this folder (laid out like the README's Reference data section).",
)
@click.option(
    "--download", is_flag=True, help="Download from the publishers (or GRAPHVC_REFERENCE_URL_*)."
)
@click.option(
    "--no-verify", is_flag=True, help="With --download: skip the sha256 check (recorded)."
)
@click.pass_context
def install_command(
    ctx: click.Context, source: Path | None, download: bool, no_verify: bool
) -> None:
    """Validate and install the reference data in GRAPHVC_HOME/reference, replacing it whole."""
    if (source is None) == (not download):
        raise click.UsageError("give exactly one of --from DIR and --download")
    if no_verify and not download:
        raise click.UsageError("--no-verify goes with --download only")
    settings = _settings(ctx)
    if source is not None:
        manifest = install_from(source, settings.home)
    else:
        manifest = install_download(
            settings.home,
            settings.reference_urls,
            sha256=reference_checksums(os.environ),
            verify=not no_verify,
        )
    for path, entry in manifest["files"].items():
        click.echo(f"{path}: {_rows(entry)}, sha256 {entry['sha256']}, from {entry['source']}")
    click.echo(f"installed in {settings.reference_dir}")


@data_group.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
@click.pass_context
def status_command(ctx: click.Context, as_json: bool) -> None:
    """Say what is installed, from where, when and under which licences; exit 3 if nothing."""
    settings = _settings(ctx)
    manifest = read_status(settings.home)
    folder = settings.reference_dir
    if as_json:
        found = {"installed": manifest is not None, "directory": str(folder), **(manifest or {})}
        click.echo(json.dumps(found, indent=1))
    elif manifest is None:
        click.echo(_NOT_INSTALLED.format(folder=folder))
    else:
        if "verified" not in manifest:
            checked = ""
        elif manifest["verified"]:
            checked = ", checksums verified"
        else:
            checked = ", checksums NOT verified (--no-verify)"
        click.echo(
            f"reference data in {folder}, installed {manifest['installed_at']} by graphvc "
            f"{manifest['graphvc_version']} from {manifest['source']}{checked}"
        )
        for path, entry in manifest["files"].items():
            click.echo(f"{path}: {_rows(entry)}, {entry['licence']}, {entry['publisher']}")
    ctx.exit(0 if manifest is not None else 3)
