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

from graphvc.reference.catalogue import (
    MPS_FAMILIES,
    REFERENCE_FILES,
    REFERENCE_SHA256_PREFIX,
    ReferenceFile,
)
from graphvc.reference.download import MAX_DOWNLOAD_BYTES, reference_checksums
from graphvc.reference.install import install_download, install_from
from graphvc.reference.installed import (
    NOT_INSTALLED,
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
    "NOT_INSTALLED",
    "OUTLINE_LEVELS",
    "OUTLINE_MARGIN_M",
    "OUTLINE_TOLERANCE_M",
    "REFERENCE_FILES",
    "REFERENCE_SHA256_PREFIX",
    "ReferenceFile",
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
