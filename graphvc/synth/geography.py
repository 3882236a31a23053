"""Where synthetic incidents happen: small areas nested in wards and boroughs, with crime weights.

A :class:`Geography` is what the generator needs to know about a place: its small areas (the
level of the LSOA), the ward and borough of each, a point for each (like a population-weighted
centroid) and how much of each family of crime each area sees. Two constructors make one:

- :func:`london` reads the real London from files the caller names: the 4,835 LSOAs (2011)
  with their 2019 wards and boroughs and population-weighted centroids, weighted by the
  Metropolitan Police's 2019 counts per LSOA.
- :func:`~graphvc.synth.city.synthetic_city` invents a city from a seed, with no data at
  all: about 500 small areas in 60 wards in 8 boroughs, with boundaries, placed over the
  North Sea.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphvc.errors import InputError

__all__ = ["AREA_COLUMNS", "FAMILIES", "Geography", "london"]

#: The columns of :attr:`Geography.areas`, one row per small area.
AREA_COLUMNS = (
    "code",
    "name",
    "ward_code",
    "ward_name",
    "borough_code",
    "borough_name",
    "latitude",
    "longitude",
)
#: The crime families that weigh where incidents happen, in the row order of the weights:
#: robbery for robbery, weapons for knife and gun crime, violence for the rest.
FAMILIES = ("violence", "robbery", "weapons")


@dataclass(frozen=True, eq=False)
class Geography:
    """Small areas nested in wards and boroughs, each with a point and its weight of crime.

    Attributes
    ----------
    name : str
        What the place is called in reports and the ground truth (``"London"``).
    areas : pandas.DataFrame
        One row per small area, sorted by ``code``, with the columns :data:`AREA_COLUMNS`:
        codes and names of the area, its ward and its borough, and the area's point (WGS84).
    weights : numpy.ndarray
        Shape ``(len(FAMILIES), len(areas))``: how much of each family of crime (rows in the
        order of :data:`FAMILIES`) each area sees, relative to the others; all positive.
    outlines : dict of str to dict
        Boundaries as GeoJSON FeatureCollections keyed ``"ward"`` and ``"borough"``, each
        feature with the properties ``code`` and ``name``; empty when none are known.
    """

    name: str
    areas: pd.DataFrame
    weights: np.ndarray
    outlines: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if tuple(self.areas.columns) != AREA_COLUMNS:
            raise ValueError(f"areas has columns {list(self.areas.columns)}, not {AREA_COLUMNS}")
        if self.weights.shape != (len(FAMILIES), len(self.areas)):
            raise ValueError(
                f"weights has shape {self.weights.shape}, not {(len(FAMILIES), len(self.areas))}"
            )
        if not (self.weights > 0).all():
            raise ValueError("every weight must be a positive number")


# --- London --------------------------------------------------------------------------------------

LOOKUP_COLUMNS = ("LSOA11CD", "LSOA11NM", "WD19CD", "WD19NM", "LAD19CD", "LAD19NM")
#: The 2020 column of the MPS copy is double-counted (see its README); 2019 is the last sound year.
MPS_YEAR = "2019"
#: Added to every count so that an LSOA with no recorded crime of a kind still sees one, rarely.
COUNT_SMOOTHING = 0.1
#: The City of London has its own police, so the MPS counts lack its six LSOAs: each counts as a
#: quiet LSOA, this quantile of the others.
CITY_QUANTILE = 0.1


def london(
    lookup_csv: Path,
    centroids_csv: Path,
    mps_counts: Mapping[str, Path],
    outlines: Mapping[str, dict[str, Any]] | None = None,
) -> Geography:
    """The real London: its LSOAs (2011), 2019 wards and boroughs, weighted by 2019 MPS counts.

    Parameters
    ----------
    lookup_csv : Path
        The LSOA to ward to borough lookup, with the columns ``LSOA11CD``, ``LSOA11NM``,
        ``WD19CD``, ``WD19NM``, ``LAD19CD`` and ``LAD19NM``.
    centroids_csv : Path
        The population-weighted centroid of each LSOA: ``LSOA11CD``, ``lat``, ``lon``.
    mps_counts : mapping of str to Path
        For each of :data:`FAMILIES`, the Metropolitan Police's recorded crime per LSOA and
        year (``london-2011-2021-major-violence.csv`` and so on): ``LSOA11CD`` and ``2019``.
    outlines : mapping of str to dict, optional
        Ward and borough boundaries as GeoJSON FeatureCollections, kept as they are.

    Returns
    -------
    Geography
        Named ``"London"``. The City of London, policed apart and so absent from the MPS
        counts, weighs as a quiet LSOA; every count is smoothed by ``COUNT_SMOOTHING``.

    Raises
    ------
    InputError
        If a file is missing, unreadable or lacks a column, or ``mps_counts`` lacks a family.
    """
    missing = [family for family in FAMILIES if family not in mps_counts]
    if missing:
        raise InputError(f"mps_counts lacks a file for {', '.join(missing)}")
    lookup = _read_csv(lookup_csv, LOOKUP_COLUMNS)
    centroids = _read_csv(centroids_csv, ("LSOA11CD", "lat", "lon"))
    try:
        lsoas = lookup.merge(centroids, on="LSOA11CD", validate="one_to_one")
    except pd.errors.MergeError:
        raise InputError(f"{lookup_csv} or {centroids_csv}: an LSOA appears twice") from None
    lsoas = lsoas.sort_values("LSOA11CD", ignore_index=True)
    weights = np.empty((len(FAMILIES), len(lsoas)))
    for row, family in enumerate(FAMILIES):
        counts = _read_csv(mps_counts[family], ("LSOA11CD", MPS_YEAR))
        per_lsoa = lsoas["LSOA11CD"].map(counts.set_index("LSOA11CD")[MPS_YEAR])
        weights[row] = per_lsoa.fillna(per_lsoa.quantile(CITY_QUANTILE)).to_numpy()
    areas = lsoas.rename(
        columns=dict(zip((*LOOKUP_COLUMNS, "lat", "lon"), AREA_COLUMNS, strict=True))
    )[list(AREA_COLUMNS)]
    return Geography("London", areas, weights + COUNT_SMOOTHING, dict(outlines or {}))


def _read_csv(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    try:
        return pd.read_csv(path, usecols=list(columns))
    except FileNotFoundError:
        raise InputError(f"{path} not found") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        # ValueError covers a missing column and pandas' parser errors.
        first_line = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise InputError(f"{path}: {first_line}") from None
