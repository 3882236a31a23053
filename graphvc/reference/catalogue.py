"""The catalogue of reference files, and how each is parsed and validated.

:data:`REFERENCE_FILES` declares every file of the reference data: where it lies, who
publishes it under which licence, its pinned checksum and its required columns with their
kind. :func:`parse_table` reads one table and checks its values; :func:`validate_files`
checks a whole set, each file against the others (every LSOA of the lookup with a
centroid, every LSOA of the MPS counts in the lookup).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphvc.contract import UK_BOUNDS
from graphvc.errors import ConfigError, InputError

__all__ = [
    "MANIFEST",
    "MPS_FAMILIES",
    "REFERENCE_FILES",
    "REFERENCE_SHA256_PREFIX",
    "ReferenceFile",
    "decode_text",
    "keyed_by_file",
    "parse_table",
    "reference_file",
    "validate_files",
]

#: The prefix of the settings that replace a file's pinned checksum for ``--download``,
#: e.g. ``GRAPHVC_REFERENCE_SHA256_LSOA_LOOKUP`` (64 hexadecimal digits).
REFERENCE_SHA256_PREFIX = "GRAPHVC_REFERENCE_SHA256_"
#: The MPS crime families with a file of counts.
MPS_FAMILIES = ("violence", "robbery", "weapons")
#: The install's manifest, at the top of ``GRAPHVC_HOME/reference``.
MANIFEST = "manifest.json"

_OGL3 = "Open Government Licence v3.0"
_OGL2 = "Open Government Licence v2.0"
_ONS = "Office for National Statistics"
_MPS = "Metropolitan Police Service"
_MPS_URL = "https://data.london.gov.uk/dataset/recorded_crime_summary"

# Column kinds: ONS codes are a prefix and 6 digits; numbers have bounds (for coordinates the
# UK's extent, as the input contract has it).
_CODE_PREFIXES = {"lsoa": "E01", "msoa": "E02", "ward": "E05", "borough": "E09"}
_SOUTH, _NORTH, _WEST, _EAST = UK_BOUNDS
_BOUNDS = {"lat": (_SOUTH, _NORTH), "lon": (_WEST, _EAST), "count": (0.0, math.inf)}
_KIND_MEANING = {
    "lsoa": "an LSOA code (E01 and 6 digits)",
    "msoa": "an MSOA code (E02 and 6 digits)",
    "ward": "a ward code (E05 and 6 digits)",
    "borough": "a London borough code (E09 and 6 digits)",
    "lat": f"a latitude inside the UK ({_SOUTH} to {_NORTH})",
    "lon": f"a longitude inside the UK ({_WEST} to {_EAST})",
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


def reference_file(name: str) -> ReferenceFile:
    """The declaration of the reference file ``name``.

    Raises
    ------
    ConfigError
        If no reference file is named ``name``.

    Examples
    --------
    >>> reference_file("lsoa_centroids").path
    'london_geography/london_lsoa11_centroids.csv'
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ConfigError(
            f"no reference file is named {name!r} (known: {', '.join(_BY_NAME)})"
        ) from None


def keyed_by_file(values: Mapping[str, str] | None, prefix: str) -> dict[str, str]:
    """``values`` keyed by file name; an unknown name is a misspelt setting of ``prefix``."""
    chosen = dict(values or {})
    for name in chosen:
        if name not in _BY_NAME:
            raise ConfigError(
                f"{prefix}{name.upper()}: no reference file is named {name!r} "
                f"(known: {', '.join(_BY_NAME)})"
            )
    return chosen


def decode_text(data: bytes, origin: str) -> str:
    """``data`` as UTF-8 text (a byte-order mark dropped), or an error naming the row of the
    first byte that is not UTF-8 in ``origin``."""
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


def parse_table(spec: ReferenceFile, data: bytes, origin: str) -> pd.DataFrame:
    """The declared columns of ``spec``'s table, validated, with numbers as floats.

    Rows are counted as in a spreadsheet: the header is row 1.
    """
    text = decode_text(data, origin)
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


def validate_files(contents: Mapping[str, bytes], origins: Mapping[str, str]) -> dict[str, Any]:
    """Every file of ``contents`` (name -> bytes) parsed and checked against the others.

    Returns name -> DataFrame for tables, name -> str for texts. The lookup, the centroids
    and the MPS counts must be among ``contents``: the callers fail before without them.
    """
    parsed: dict[str, Any] = {}
    for spec in REFERENCE_FILES:
        if spec.name not in contents:
            continue
        data, origin = contents[spec.name], origins[spec.name]
        parsed[spec.name] = (
            parse_table(spec, data, origin) if spec.is_table else decode_text(data, origin)
        )
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
