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
:func:`lsoa_centroids`, :func:`mps_counts`) and reads them with :func:`read_table` and
:func:`outlines`; without an install these fail with one line saying how to install it.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import math
import os
import re
import secrets
import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from graphvc import __version__
from graphvc.config import REFERENCE_URL_PREFIX
from graphvc.errors import ConfigError, InputError
from graphvc.files import fsync_folder, locked

__all__ = [
    "MAX_DOWNLOAD_BYTES",
    "MPS_FAMILIES",
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
    "mps_counts",
    "outlines",
    "read_status",
    "read_table",
    "reference_checksums",
    "reference_path",
]

#: The prefix of the settings that replace a file's pinned checksum for ``--download``,
#: e.g. ``GRAPHVC_REFERENCE_SHA256_LSOA_LOOKUP`` (64 hexadecimal digits).
REFERENCE_SHA256_PREFIX = "GRAPHVC_REFERENCE_SHA256_"
#: A downloaded file larger than this is refused: the real files are under 1 MB each.
MAX_DOWNLOAD_BYTES = 100_000_000
#: The MPS crime families with a file of counts.
MPS_FAMILIES = ("violence", "robbery", "weapons")
#: The outline files derived at install time: level -> (code column, name column) of the lookup.
OUTLINE_LEVELS = {"ward": ("WD19CD", "WD19NM"), "borough": ("LAD19CD", "LAD19NM")}

_OGL3 = "Open Government Licence v3.0"
_OGL2 = "Open Government Licence v2.0"
_ONS = "Office for National Statistics"
_MPS = "Metropolitan Police Service"
_MPS_URL = "https://data.london.gov.uk/dataset/recorded_crime_summary"
_MANIFEST = "manifest.json"
_NOT_INSTALLED = (
    "reference data is not installed in {folder}: run `graphvc data install --from DIR` "
    "(a folder laid out like the README's Reference data section) or "
    "`graphvc data install --download`"
)

# Column kinds: ONS codes are a prefix and 6 digits; numbers have bounds (the UK's extent,
# as in docs/input-contract.md, for coordinates).
_CODE_PREFIXES = {"lsoa": "E01", "msoa": "E02", "ward": "E05", "borough": "E09"}
_BOUNDS = {"lat": (49.8, 60.9), "lon": (-8.7, 1.8), "count": (0.0, math.inf)}
_KIND_MEANING = {
    "lsoa": "an LSOA code (E01 and 6 digits)",
    "msoa": "an MSOA code (E02 and 6 digits)",
    "ward": "a ward code (E05 and 6 digits)",
    "borough": "a London borough code (E09 and 6 digits)",
    "lat": "a latitude inside the UK (49.8 to 60.9)",
    "lon": "a longitude inside the UK (-8.7 to 1.8)",
    "count": "a count (a number >= 0)",
    "text": "a non-empty text",
}


@dataclass(frozen=True)
class ReferenceFile:
    """One file of the reference data, as declared in :data:`REFERENCE_FILES`.

    Attributes
    ----------
    name : str
        Short name, also the suffix of its settings: ``GRAPHVC_REFERENCE_URL_<NAME>`` and
        ``GRAPHVC_REFERENCE_SHA256_<NAME>`` (upper case).
    path : str
        Where it lies, relative to the source folder and to ``GRAPHVC_HOME/reference``.
    dataset, publisher, licence : str
        What it is, who publishes it, under which licence.
    url : str or None
        Where ``--download`` fetches it by default: the publisher's address for the dataset.
        None for optional files, which are fetched only when their URL setting is given.
    sha256 : str
        The checksum of the known-good copy, checked after a download.
    columns : Mapping[str, str]
        Required columns and their kind (see ``_KIND_MEANING``); empty for a text file.
        Other columns are allowed and ignored.
    required : bool
        Whether an install fails without it.
    unique : str or None
        A column whose values must not repeat.
    """

    name: str
    path: str
    dataset: str
    publisher: str
    licence: str
    url: str | None
    sha256: str
    columns: Mapping[str, str] = field(default_factory=dict)
    required: bool = True
    unique: str | None = None

    @property
    def is_table(self) -> bool:
        """Whether it is a CSV table (else a UTF-8 text, such as a licence)."""
        return bool(self.columns)


def _mps_file(family: str, title: str, sha256: str) -> ReferenceFile:
    years = {str(year): "count" for year in range(2011, 2022)}
    return ReferenceFile(
        name=f"mps_{family}",
        path=f"mps_lsoa_crime/london-2011-2021-major-{family}.csv",
        dataset=f"MPS recorded crime per LSOA and year, 2011-2021: {title} (major category)",
        publisher=_MPS,
        licence=_OGL2,
        url=_MPS_URL,
        sha256=sha256,
        columns={
            "LSOA11CD": "lsoa",
            "LSOA11NM": "text",
            "MSOA11CD": "msoa",
            "MSOA11NM": "text",
            "LAD11CD": "borough",
            "LAD11NM": "text",
            **years,
        },
        unique="LSOA11CD",
    )


#: The reference files: the ONS lookup and centroids and the MPS counts are required; the
#: MPS licence text and the code lists (derived from ONS code lists by David Kane) are not.
REFERENCE_FILES: tuple[ReferenceFile, ...] = (
    ReferenceFile(
        name="lsoa_lookup",
        path="london_geography/london_lsoa11_ward19_borough19.csv",
        dataset="Lower Layer Super Output Area (2011) to Ward (2019) Lookup in England and "
        "Wales: the London LSOAs",
        publisher=_ONS,
        licence=_OGL3,
        url="https://geoportal.statistics.gov.uk/datasets/"
        "lower-layer-super-output-area-2011-to-ward-2019-lookup-in-england-and-wales",
        sha256="083e29dfb9d5a6c6d954b51ffeb68f15db7c3e8f35e840516738d2f736e4080a",
        columns={
            "LSOA11CD": "lsoa",
            "LSOA11NM": "text",
            "WD19CD": "ward",
            "WD19NM": "text",
            "LAD19CD": "borough",
            "LAD19NM": "text",
        },
        unique="LSOA11CD",
    ),
    ReferenceFile(
        name="lsoa_centroids",
        path="london_geography/london_lsoa11_centroids.csv",
        dataset="Lower Layer Super Output Areas (December 2011) Population Weighted Centroids: "
        "the London LSOAs, WGS84",
        publisher=_ONS,
        licence=_OGL3,
        url="https://geoportal.statistics.gov.uk/datasets/"
        "ons::lower-layer-super-output-areas-december-2011-population-weighted-centroids",
        sha256="29b9bb54751836825ea26c08b646546972e4958cfdda11ca2511a3236505b992",
        columns={"LSOA11CD": "lsoa", "lat": "lat", "lon": "lon"},
        unique="LSOA11CD",
    ),
    _mps_file(
        "violence",
        "Violence Against the Person",
        "c019feeaf031f3203d054f4053e0d047162ef08ffff3d4f38ec213c0444f9b33",
    ),
    _mps_file(
        "robbery", "Robbery", "0be4761f2e68c5474d307af0750676f5a83e32fe62cbd95b39b42fe555a67d8c"
    ),
    _mps_file(
        "weapons",
        "Possession of Weapons",
        "842a28c596f451f05d7817597a1e255fa140216d90884db319c75eb4524b96ff",
    ),
    ReferenceFile(
        name="mps_licence",
        path="mps_lsoa_crime/licence.md",
        dataset="Licence statement of the MPS counts",
        publisher=_MPS,
        licence=_OGL2,
        url=None,
        sha256="5a8613028abe00671d6a4b5465c358f8829e9d6a2a0a347252189de01be889ea",
        required=False,
    ),
    ReferenceFile(
        name="borough_codes",
        path="london_geography/drkane_london_boroughs.csv",
        dataset="London local authority districts (drkane/geo-lookups, from ONS code lists)",
        publisher=f"David Kane, from {_ONS} code lists",
        licence=_OGL3,
        url=None,
        sha256="b6fa87d1bc98fd48d896869ec382d338548cd7531ab6867a55c3ef1377e2a984",
        columns={"LADCD": "borough", "LADNM": "text"},
        required=False,
        unique="LADCD",
    ),
    ReferenceFile(
        name="ward_codes",
        path="london_geography/drkane_london_wards_all_codes.csv",
        dataset="London wards of 2016, 2018 and 2022 (drkane/geo-lookups, from ONS code lists)",
        publisher=f"David Kane, from {_ONS} code lists",
        licence=_OGL3,
        url=None,
        sha256="8049a320a382e99cb945ff41f55e6e877fce2a074b5c23396569cda0c56541d6",
        columns={"WDCD": "ward", "WDNM": "text", "LADCD": "borough", "LADNM": "text"},
        required=False,
        unique="WDCD",
    ),
)
_BY_NAME = {spec.name: spec for spec in REFERENCE_FILES}


def _spec(name: str) -> ReferenceFile:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ConfigError(
            f"no reference file is named {name!r} (known: {', '.join(_BY_NAME)})"
        ) from None


# --- Reading and validating ------------------------------------------------------------------


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"{origin} row {row}: not UTF-8 text (byte {data[e.start : e.start + 1]!r} "
            f"at offset {e.start})"
        ) from None


def _bad_values(kind: str, values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Which ``values`` are not of ``kind``, and the values converted (numbers as floats)."""
    if kind in _CODE_PREFIXES:
        pattern = rf"{_CODE_PREFIXES[kind]}\d{{6}}"
        return ~values.str.fullmatch(pattern).astype(bool), values
    if kind in _BOUNDS:
        low, high = _BOUNDS[kind]
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        finite = np.isfinite(numbers.to_numpy())
        return pd.Series(~finite, index=values.index) | (numbers < low) | (numbers > high), numbers
    return values.str.strip() == "", values


def _parse(spec: ReferenceFile, data: bytes, origin: str) -> pd.DataFrame:
    """The declared columns of ``spec``'s table, validated, with numbers as floats.

    Rows are counted as in a spreadsheet: the header is row 1.
    """
    text = _decode(data, origin)
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{origin}: not a CSV table: {' '.join(str(e).split())}") from None
    missing = [column for column in spec.columns if column not in table.columns]
    if missing:
        raise InputError(
            f"{origin}: column(s) {', '.join(missing)} missing from the header "
            f"{','.join(map(str, table.columns))!r}"
        )
    if table.empty:
        raise InputError(f"{origin}: no rows below the header")
    checked = {}
    for column, kind in spec.columns.items():
        bad, checked[column] = _bad_values(kind, table[column])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"{origin} row {row + 2}: {column} {table[column].iloc[row]!r} is not "
                f"{_KIND_MEANING[kind]}"
            )
    if spec.unique is not None:
        repeated = table[spec.unique].duplicated()
        if repeated.any():
            row = int(np.flatnonzero(repeated.to_numpy())[0])
            value = table[spec.unique].iloc[row]
            first = int(np.flatnonzero((table[spec.unique] == value).to_numpy())[0])
            raise InputError(
                f"{origin} row {row + 2}: {spec.unique} {value!r} repeats row {first + 2}"
            )
    return pd.DataFrame(checked)


def _check_covered(
    table: pd.DataFrame, origin: str, codes: pd.Series, other: ReferenceFile
) -> None:
    """Raise naming the first LSOA of ``table`` that ``codes`` (of file ``other``) lacks."""
    absent = ~table["LSOA11CD"].isin(codes)
    if absent.any():
        row = int(np.flatnonzero(absent.to_numpy())[0])
        raise InputError(
            f"{origin} row {row + 2}: LSOA11CD {table['LSOA11CD'].iloc[row]!r} is not in "
            f"{other.path}"
        )


def _validate(contents: Mapping[str, bytes], origins: Mapping[str, str]) -> dict[str, Any]:
    """Every file of ``contents`` (name -> bytes) parsed and checked against the others.

    Returns name -> DataFrame for tables, name -> str for texts.
    """
    parsed: dict[str, Any] = {}
    for spec in REFERENCE_FILES:
        if spec.name not in contents:
            continue
        data, origin = contents[spec.name], origins[spec.name]
        parsed[spec.name] = _parse(spec, data, origin) if spec.is_table else _decode(data, origin)
    lookup = parsed["lsoa_lookup"]
    _check_covered(
        lookup,
        origins["lsoa_lookup"],
        parsed["lsoa_centroids"]["LSOA11CD"],
        _BY_NAME["lsoa_centroids"],
    )
    for family in MPS_FAMILIES:
        name = f"mps_{family}"
        _check_covered(parsed[name], origins[name], lookup["LSOA11CD"], _BY_NAME["lsoa_lookup"])
    return parsed


# --- Outlines ----------------------------------------------------------------------------------

_EARTH_RADIUS_M = 6_371_008.8
#: How far the outlines reach beyond the outermost centroids: about half the spacing of
#: London's LSOA centroids, so that the outermost LSOAs get cells of a plausible size.
OUTLINE_MARGIN_M = 400.0
#: Simplification (Visvalingam-Whyatt, in metres), small beside a ward, keeps the files small.
OUTLINE_TOLERANCE_M = 30.0
#: Coordinates are written to 5 decimal places of a degree (about a metre).
_GRID_DEGREES = 1e-5


def derive_outlines(
    lookup: pd.DataFrame,
    centroids: pd.DataFrame,
    *,
    margin_m: float = OUTLINE_MARGIN_M,
    tolerance_m: float = OUTLINE_TOLERANCE_M,
) -> dict[str, dict[str, Any]]:
    """Approximate ward and borough outlines from LSOA centroids, as GeoJSON.

    The outlines are **approximate**, not the official boundaries: each LSOA is given the
    Voronoi cell of its population-weighted centroid, clipped to the convex hull of all the
    centroids widened by ``margin_m``; the cells are merged by ward (``WD19CD``) and by
    borough (``LAD19CD``) and simplified. Good enough to shade a map; never use them to
    assign a point to an area. The work is done in metres, in an equirectangular projection
    centred on the centroids' mean (a linear map, so areas keep their proportions), then
    brought back to WGS84 longitude and latitude.

    Parameters
    ----------
    lookup : pandas.DataFrame
        ``LSOA11CD``, ``WD19CD``, ``WD19NM``, ``LAD19CD``, ``LAD19NM``: one row per LSOA.
    centroids : pandas.DataFrame
        ``LSOA11CD``, ``lat``, ``lon`` (degrees), covering every LSOA of ``lookup``.
    margin_m : float
        How far beyond the hull of the centroids the outlines reach, in metres.
    tolerance_m : float
        Simplification tolerance in metres (0 keeps every vertex).

    Returns
    -------
    dict
        ``{"ward": FeatureCollection, "borough": FeatureCollection}``; one feature per code,
        sorted by code, with properties ``code``, ``name`` and ``approximate`` (true).

    Raises
    ------
    InputError
        If an LSOA has no centroid, or two LSOAs share one.

    References
    ----------
    .. [1] Okabe, A., Boots, B., Sugihara, K. and Chiu, S. N. (2000). *Spatial Tessellations:
       Concepts and Applications of Voronoi Diagrams*, 2nd ed. Wiley. doi:10.1002/9780470317013

    Examples
    --------
    Four centroids on a square, the western pair in one ward: the wards split the square
    down the middle.

    >>> lookup = pd.DataFrame({
    ...     "LSOA11CD": ["E01000001", "E01000002", "E01000003", "E01000004"],
    ...     "WD19CD": ["E05000001", "E05000001", "E05000002", "E05000002"],
    ...     "WD19NM": ["West", "West", "East", "East"],
    ...     "LAD19CD": ["E09000001"] * 4, "LAD19NM": ["Town"] * 4})
    >>> centroids = pd.DataFrame({"LSOA11CD": lookup["LSOA11CD"],
    ...     "lat": [51.50, 51.51, 51.50, 51.51], "lon": [-0.10, -0.10, -0.08, -0.08]})
    >>> found = derive_outlines(lookup, centroids)
    >>> [f["properties"]["name"] for f in found["ward"]["features"]]
    ['West', 'East']
    >>> len(found["borough"]["features"]), found["borough"]["features"][0]["properties"]["code"]
    (1, 'E09000001')
    """
    places = lookup.merge(centroids[["LSOA11CD", "lat", "lon"]], on="LSOA11CD", how="left")
    if places["lat"].isna().any():
        lsoa = places.loc[places["lat"].isna(), "LSOA11CD"].iloc[0]
        raise InputError(f"LSOA {lsoa!r} has no centroid: outlines need one for every LSOA")
    shared = places.duplicated(["lat", "lon"], keep=False)
    if shared.any():
        first, second = places.loc[shared, "LSOA11CD"].iloc[:2]
        raise InputError(
            f"LSOAs {first!r} and {second!r} share a centroid: outlines need distinct points"
        )
    lat0, lon0 = float(places["lat"].mean()), float(places["lon"].mean())
    # Metres per degree east and north, near the centre.
    scale = np.array([math.cos(math.radians(lat0)), 1.0]) * _EARTH_RADIUS_M * math.pi / 180
    origin = np.array([lon0, lat0])
    xy = (places[["lon", "lat"]].to_numpy(dtype=float) - origin) * scale
    points = shapely.multipoints(xy)
    clip = shapely.convex_hull(points).buffer(margin_m)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=clip, ordered=True))
    cells = shapely.intersection(cells, clip)
    collections = {}
    for level, (code_column, name_column) in OUTLINE_LEVELS.items():
        groups = dict(sorted(places.groupby(code_column).indices.items()))
        merged = np.array([shapely.union_all(cells[rows]) for rows in groups.values()])
        # Simplifying the areas as one coverage keeps neighbours' shared edges identical.
        simplified = shapely.coverage_simplify(merged, tolerance_m) if tolerance_m else merged
        lonlat = shapely.transform(simplified, lambda coords: coords / scale + origin)
        shapes = shapely.set_precision(lonlat, _GRID_DEGREES)
        collections[level] = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "code": code,
                        "name": places[name_column].iloc[rows[0]],
                        "approximate": True,
                    },
                    "geometry": json.loads(shapely.to_geojson(shape)),
                }
                for (code, rows), shape in zip(groups.items(), shapes, strict=True)
            ],
        }
    return collections


def _outline_path(level: str) -> str:
    return f"outlines/{level}.geojson"


# --- Installing --------------------------------------------------------------------------------


def _publish(home: Path, files: Mapping[str, bytes]) -> Path:
    """Write ``files`` (relative path -> bytes) as ``home/reference``, replacing it whole.

    They are written and flushed in a hidden folder beside it, which is then renamed into
    place; the previous install is renamed away first and removed last, so a failure at any
    step leaves it (or, after the swap, the new one) complete.
    """
    target = home / "reference"
    try:
        home.mkdir(parents=True, exist_ok=True)
        with locked(home / ".reference.lock"):
            # Under the lock, a staging folder can only be left over from a killed install.
            for leftover in home.glob(".reference-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            token = secrets.token_hex(4)
            staged = home / f".reference-new-{token}"
            try:
                for relative, data in files.items():
                    path = staged / relative
                    path.parent.mkdir(parents=True, exist_ok=True)
                    with path.open("wb") as handle:
                        handle.write(data)
                        handle.flush()
                        os.fsync(handle.fileno())
                for folder in {staged / relative for relative in files}:
                    fsync_folder(folder.parent)
                if target.exists():
                    replaced = home / f".reference-old-{token}"
                    target.rename(replaced)
                    try:
                        staged.rename(target)
                    except OSError:
                        replaced.rename(target)
                        raise
                    shutil.rmtree(replaced, ignore_errors=True)
                else:
                    staged.rename(target)
                fsync_folder(home)
            finally:
                shutil.rmtree(staged, ignore_errors=True)
    except OSError as e:
        raise ConfigError(f"cannot install reference data into {target}: {e}") from e
    return target


def _install(
    home: Path,
    contents: Mapping[str, bytes],
    origins: Mapping[str, str],
    about: Mapping[str, Any],
) -> dict[str, Any]:
    """Validate ``contents`` (name -> bytes, from ``origins``), derive the outlines and
    publish them with a manifest that holds ``about`` (the install's source)."""
    parsed = _validate(contents, origins)
    derived = derive_outlines(parsed["lsoa_lookup"], parsed["lsoa_centroids"])
    files: dict[str, bytes] = {}
    entries: dict[str, dict[str, Any]] = {}
    for spec in REFERENCE_FILES:
        if spec.name not in contents:
            continue
        table = parsed[spec.name]
        files[spec.path] = contents[spec.name]
        entries[spec.path] = {
            "name": spec.name,
            "dataset": spec.dataset,
            "rows": len(table) if spec.is_table else None,
            "sha256": hashlib.sha256(contents[spec.name]).hexdigest(),
            "bytes": len(contents[spec.name]),
            "source": origins[spec.name],
            "publisher": spec.publisher,
            "licence": spec.licence,
        }
    lookup_spec, centroids_spec = _BY_NAME["lsoa_lookup"], _BY_NAME["lsoa_centroids"]
    for level, collection in derived.items():
        data = json.dumps(collection, separators=(",", ":")).encode("utf-8")
        files[_outline_path(level)] = data
        entries[_outline_path(level)] = {
            "name": f"{level}_outlines",
            "dataset": f"Approximate {level} outlines: Voronoi cells of the LSOA centroids",
            "rows": len(collection["features"]),
            "sha256": hashlib.sha256(data).hexdigest(),
            "bytes": len(data),
            "source": f"derived by graphvc from {lookup_spec.path} and {centroids_spec.path}",
            "publisher": f"graphvc, from {_ONS} data",
            "licence": _OGL3,
        }
    manifest = {
        "graphvc_version": __version__,
        "installed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        **about,
        "files": entries,
    }
    files[_MANIFEST] = (json.dumps(manifest, indent=1) + "\n").encode("utf-8")
    _publish(Path(home), files)
    return manifest


def install_from(source: Path, home: Path) -> dict[str, Any]:
    """Validate the reference files in folder ``source`` and install them in ``home/reference``.

    Nothing is written unless every file passes; the previous install is then replaced
    whole: a failure leaves the previous install as it was. The approximate ward and borough outlines are derived
    (:func:`derive_outlines`) and installed beside them.

    Parameters
    ----------
    source : Path
        A folder laid out as :data:`REFERENCE_FILES` declares.
    home : Path
        ``GRAPHVC_HOME``.

    Returns
    -------
    dict
        The manifest written: ``graphvc_version``, ``installed_at`` (UTC, ISO 8601),
        ``source`` (the folder) and ``files``: relative path -> ``name``, ``dataset``,
        ``rows``, ``sha256``, ``bytes``, ``source``, ``publisher``, ``licence``.

    Raises
    ------
    InputError
        Naming the file, row, column and value of the first problem.
    ConfigError
        If ``home`` cannot be written.
    """
    folder = Path(source).absolute()
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of reference data")
    contents: dict[str, bytes] = {}
    origins: dict[str, str] = {}
    for spec in REFERENCE_FILES:
        path = folder / spec.path
        try:
            contents[spec.name] = path.read_bytes()
        except FileNotFoundError:
            if spec.required:
                raise InputError(f"{path} is missing: it is a required reference file") from None
            continue
        except OSError as e:
            raise InputError(f"{path} cannot be read: {e.strerror}") from None
        origins[spec.name] = str(path)
    return _install(home, contents, origins, {"source": str(folder)})


def _by_name(values: Mapping[str, str] | None, prefix: str) -> dict[str, str]:
    """``values`` keyed by file name; an unknown name is a misspelt setting."""
    chosen = dict(values or {})
    for name in chosen:
        if name not in _BY_NAME:
            raise ConfigError(
                f"{prefix}{name.upper()}: no reference file is named {name!r} "
                f"(known: {', '.join(_BY_NAME)})"
            )
    return chosen


def reference_checksums(env: Mapping[str, str]) -> dict[str, str]:
    """The checksum settings ``GRAPHVC_REFERENCE_SHA256_<NAME>`` of ``env``, keyed by name.

    Read here rather than in :class:`~graphvc.config.Settings` because they only mean
    something beside the pins of :data:`REFERENCE_FILES`.

    Examples
    --------
    >>> reference_checksums({"GRAPHVC_REFERENCE_SHA256_LSOA_LOOKUP": "AB" * 32, "HOME": "/"})
    {'lsoa_lookup': 'abababababababababababababababababababababababababababababababab'}
    """
    checksums = _by_name(
        {
            name.removeprefix(REFERENCE_SHA256_PREFIX).lower(): value.strip().lower()
            for name, value in env.items()
            if name.startswith(REFERENCE_SHA256_PREFIX) and value
        },
        REFERENCE_SHA256_PREFIX,
    )
    for name, value in checksums.items():
        if not re.fullmatch(r"[0-9a-f]{64}", value):
            raise ConfigError(
                f"{REFERENCE_SHA256_PREFIX}{name.upper()}={value!r} is not a sha256 "
                "(64 hexadecimal digits)"
            )
    return checksums


def _fetch(url: str, timeout: float, max_bytes: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"graphvc/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as e:
        e.close()
        raise InputError(f"cannot download {url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise InputError(f"cannot download {url}: {e.reason}") from None
    except (OSError, http.client.HTTPException) as e:
        raise InputError(f"cannot download {url}: {e}") from None
    if len(data) > max_bytes:
        raise InputError(f"cannot download {url}: larger than {max_bytes:,} bytes")
    return data


def install_download(
    home: Path,
    urls: Mapping[str, str] | None = None,
    *,
    sha256: Mapping[str, str] | None = None,
    verify: bool = True,
    timeout: float = 60,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> dict[str, Any]:
    """Download the reference files over HTTP(S), verify them and install them.

    Every required file is fetched from its URL (``urls[name]``, else the publisher's
    address in :data:`REFERENCE_FILES`); an optional file only when ``urls`` names it. Each
    download must be at most ``max_bytes`` and, unless ``verify`` is false, have the
    expected sha256 (``sha256[name]``, else the pinned one). The files are then validated
    and installed exactly as by :func:`install_from`; nothing is written unless all pass.

    The pinned checksums are those of the London extracts graphvc was built with. The
    publishers' own downloads cover England and Wales, or are web pages, so they fail the
    check: point ``urls`` (``GRAPHVC_REFERENCE_URL_<NAME>``) at copies of the extracts.

    Parameters
    ----------
    home : Path
        ``GRAPHVC_HOME``.
    urls : Mapping[str, str], optional
        File name -> URL, e.g. :attr:`graphvc.config.Settings.reference_urls`.
    sha256 : Mapping[str, str], optional
        File name -> expected sha256, e.g. :func:`reference_checksums` of the environment.
    verify : bool
        Whether to check the checksums (``--no-verify`` turns it off; the manifest says so).
    timeout : float
        Seconds to wait for each server.
    max_bytes : int
        The largest download accepted.

    Returns
    -------
    dict
        The manifest, as :func:`install_from` returns it, with ``source`` ``"download"``,
        each file's URL as its source, and ``verified``.

    Raises
    ------
    InputError
        Naming the URL, when a host is unreachable, answers with an HTTP error, sends too
        much or a file with another checksum; or naming the file, row and value when a file
        fails validation.
    ConfigError
        If a URL or checksum names no reference file, or a URL is not http(s).
    """
    chosen = _by_name(urls, REFERENCE_URL_PREFIX)
    expected = _by_name(sha256, REFERENCE_SHA256_PREFIX)
    contents: dict[str, bytes] = {}
    origins: dict[str, str] = {}
    for spec in REFERENCE_FILES:
        url = chosen.get(spec.name) or (spec.url if spec.required else None)
        if url is None:
            continue
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(
                f"{REFERENCE_URL_PREFIX}{spec.name.upper()}={url!r} is not an http(s) URL"
            )
        data = _fetch(url, timeout, max_bytes)
        pinned = expected.get(spec.name, spec.sha256)
        actual = hashlib.sha256(data).hexdigest()
        if verify and actual != pinned:
            raise InputError(
                f"{url}: sha256 {actual} is not the expected {pinned}: set "
                f"{REFERENCE_SHA256_PREFIX}{spec.name.upper()} to accept another file, "
                "or use --no-verify"
            )
        contents[spec.name] = data
        origins[spec.name] = url
    return _install(home, contents, origins, {"source": "download", "verified": verify})


# --- Reading an install ------------------------------------------------------------------------


def read_status(home: Path) -> dict[str, Any] | None:
    """The manifest of the reference data installed in ``home``, or None when there is none.

    Raises
    ------
    ConfigError
        If the manifest exists but cannot be read.
    """
    path = Path(home) / "reference" / _MANIFEST
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
    spec = _spec(name)
    folder = Path(home) / "reference"
    manifest = read_status(home)
    if manifest is None:
        raise ConfigError(_NOT_INSTALLED.format(folder=folder))
    path = folder / spec.path
    if spec.path not in manifest.get("files", {}) or not path.is_file():
        raise ConfigError(
            f"reference file {spec.path} is not installed in {folder}: install from a folder "
            "that holds it"
        )
    return path


def read_table(home: Path, name: str) -> pd.DataFrame:
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
    spec = _spec(name)
    if not spec.is_table:
        raise ConfigError(f"reference file {spec.path} is a text, not a table")
    path = reference_path(home, name)
    return _parse(spec, path.read_bytes(), str(path))


def lsoa_lookup(home: Path) -> Path:
    """The installed ONS lookup: ``LSOA11CD``, ``LSOA11NM``, ``WD19CD``, ``WD19NM``,
    ``LAD19CD``, ``LAD19NM``, one row per London LSOA (2011). Read it with
    :func:`read_table` ``(home, "lsoa_lookup")``."""
    return reference_path(home, "lsoa_lookup")


def lsoa_centroids(home: Path) -> Path:
    """The installed ONS population-weighted centroids: ``LSOA11CD``, ``lat``, ``lon``
    (WGS84 degrees), one row per London LSOA."""
    return reference_path(home, "lsoa_centroids")


def mps_counts(home: Path, family: str) -> Path:
    """The installed MPS counts of ``family`` (one of :data:`MPS_FAMILIES`) per LSOA.

    Columns ``LSOA11CD``, ``LSOA11NM``, ``MSOA11CD``, ``MSOA11NM``, ``LAD11CD``, ``LAD11NM``
    and one per year, ``2011`` to ``2021``. The City of London's LSOAs are absent (it has
    its own police). The publisher's copy double-counts 2020: use 2019 or earlier.
    """
    if family not in MPS_FAMILIES:
        raise ConfigError(f"MPS family {family!r} is not one of {', '.join(MPS_FAMILIES)}")
    return reference_path(home, f"mps_{family}")


def outlines(home: Path) -> dict[str, dict[str, Any]] | None:
    """The approximate ward and borough outlines installed in ``home`` (see
    :func:`derive_outlines`): ``{"ward": ..., "borough": ...}`` GeoJSON FeatureCollections,
    or None when no reference data is installed."""
    if read_status(home) is None:
        return None
    found = {}
    for level in OUTLINE_LEVELS:
        path = Path(home) / "reference" / _outline_path(level)
        try:
            found[level] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"{path} cannot be read ({e}): run `graphvc data install` again"
            ) from e
    return found
