"""``graphvc data``: install the reference data and say what is installed (the work is
:mod:`graphvc.reference`'s)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from graphvc.cli._common import OneLineErrors, echo_json, settings_of
from graphvc.reference import (
    NOT_INSTALLED,
    install_download,
    install_from,
    read_status,
    reference_checksums,
)

__all__ = ["data_group"]


@click.group("data", cls=OneLineErrors)
def data_group() -> None:
    """Reference data: ONS London geography and MPS crime counts."""


def _rows(entry: Mapping[str, Any]) -> str:
    return "text" if entry["rows"] is None else f"{entry['rows']} rows"


@data_group.command("install")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path),
    help="Install from this folder (laid out as docs/operations/reference-data.md describes).",
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
    settings = settings_of(ctx)
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
    settings = settings_of(ctx)
    manifest = read_status(settings.home)
    folder = settings.reference_dir
    if as_json:
        found = {"installed": manifest is not None, "directory": str(folder), **(manifest or {})}
        echo_json(found, indent=1)
    elif manifest is None:
        click.echo(NOT_INSTALLED.format(folder=folder))
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
