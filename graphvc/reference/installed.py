"""Finding and reading the installed reference data.

Everything else finds the files with :func:`reference_path` (or :func:`lsoa_lookup`,
:func:`lsoa_centroids`, :func:`mps_counts_path`) and reads them with
:func:`read_reference_table` and :func:`outlines`; without an install these fail with one
line saying how to install it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from graphvc.errors import ConfigError
from graphvc.reference.catalogue import MANIFEST, MPS_FAMILIES, parse_table, reference_file
from graphvc.reference.outlines import OUTLINE_LEVELS, outline_path

__all__ = [
    "NOT_INSTALLED",
    "lsoa_centroids",
    "lsoa_lookup",
    "mps_counts_path",
    "outlines",
    "read_reference_table",
    "read_status",
    "reference_path",
]

#: The one-line answer when reference data is wanted and not installed ({folder}: where).
NOT_INSTALLED = (
    "reference data is not installed in {folder}: run `graphvc data install --from DIR` "
    "(a folder laid out as docs/operations/reference-data.md describes) or "
    "`graphvc data install --download`"
)


def read_status(home: Path) -> dict[str, Any] | None:
    """The manifest of the reference data installed in ``home``, or None when there is none.

    Raises
    ------
    ConfigError
        If the manifest exists but cannot be read.
    """
    path = Path(home) / "reference" / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise ConfigError(f"{path} cannot be read ({e}): run `graphvc data install` again") from e
    if not isinstance(manifest, dict):
        raise ConfigError(f"{path} is not a JSON object: run `graphvc data install` again")
    return manifest


def reference_path(home: Path, name: str) -> Path:
    """Where the installed reference file ``name`` (see :data:`REFERENCE_FILES`) lies.

    Raises
    ------
    ConfigError
        If no reference data is installed (saying how to install it), the file is optional
        and was not installed, or ``name`` is unknown.
    """
    spec = reference_file(name)
    folder = Path(home) / "reference"
    manifest = read_status(home)
    if manifest is None:
        raise ConfigError(NOT_INSTALLED.format(folder=folder))
    path = folder / spec.path
    if spec.path not in manifest.get("files", {}) or not path.is_file():
        raise ConfigError(
            f"reference file {spec.path} is not installed in {folder}: install from a folder "
            "that holds it"
        )
    return path


def read_reference_table(home: Path, name: str) -> pd.DataFrame:
    """The installed table ``name``, validated again as at install: its declared columns
    (see :data:`REFERENCE_FILES`), text as strings, coordinates and counts as floats, in the
    file's row order.

    Raises
    ------
    ConfigError
        As :func:`reference_path`, or if ``name`` is a text rather than a table.
    InputError
        If the installed file was changed since and no longer passes.
    """
    spec = reference_file(name)
    if not spec.is_table:
        raise ConfigError(f"reference file {spec.path} is a text, not a table")
    path = reference_path(home, name)
    return parse_table(spec, path.read_bytes(), str(path))


def lsoa_lookup(home: Path) -> Path:
    """The installed ONS lookup: ``LSOA11CD``, ``LSOA11NM``, ``WD19CD``, ``WD19NM``,
    ``LAD19CD``, ``LAD19NM``, one row per London LSOA (2011). Read it with
    :func:`read_reference_table` ``(home, "lsoa_lookup")``."""
    return reference_path(home, "lsoa_lookup")


def lsoa_centroids(home: Path) -> Path:
    """The installed ONS population-weighted centroids: ``LSOA11CD``, ``lat``, ``lon``
    (WGS84 degrees), one row per London LSOA."""
    return reference_path(home, "lsoa_centroids")


def mps_counts_path(home: Path, family: str) -> Path:
    """Where the installed MPS counts of ``family`` (one of :data:`MPS_FAMILIES`) per LSOA
    lie. Read them with :func:`read_reference_table` ``(home, f"mps_{family}")``.

    Columns ``LSOA11CD``, ``LSOA11NM``, ``MSOA11CD``, ``MSOA11NM``, ``LAD11CD``, ``LAD11NM``
    and one per year, ``2011`` to ``2021``. The City of London's LSOAs are absent (it has
    its own police). The publisher's copy double-counts 2020: use 2019 or earlier.
    """
    if family not in MPS_FAMILIES:
        raise ConfigError(f"MPS family {family!r} is not one of {', '.join(MPS_FAMILIES)}")
    return reference_path(home, f"mps_{family}")


def outlines(home: Path) -> dict[str, dict[str, Any]] | None:
    """The approximate ward and borough outlines installed in ``home`` (see
    :func:`~graphvc.reference.outlines.derive_outlines`): ``{"ward": ..., "borough": ...}``
    GeoJSON FeatureCollections, or None when no reference data is installed."""
    if read_status(home) is None:
        return None
    found = {}
    for level in OUTLINE_LEVELS:
        path = Path(home) / "reference" / outline_path(level)
        try:
            found[level] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"{path} cannot be read ({e}): run `graphvc data install` again"
            ) from e
    return found
