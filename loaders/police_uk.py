"""Adapter for data.police.uk street-level crime CSVs: incidents and places, no persons.

A street-level file has the columns Crime ID, Month, Reported by, Falls within, Longitude,
Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category, Context. What real
files contain is counted, never fatal:

``no_crime_id``
    rows without a Crime ID (anti-social behaviour): skipped.
``rejected``
    violent rows that cannot be loaded: a Crime ID of only spaces, or a Longitude or
    Latitude that is not a finite number inside the UK (:data:`graphvc.contract.UK_BOUNDS`),
    or only one of the two. Each is set aside in the rejects with its file, row, field, value
    and reason; the rows around it load.
``not_violent``
    crime types off the continuum of violence (theft, burglary, drugs, public order ...):
    skipped. Loaded are Violence and sexual offences, Robbery and Possession of weapons. The
    crime type is read before duplicates are looked for, so a Crime ID that is on a
    non-violent row and on a violent one keeps its violent crime.
``crime_id_also_not_violent``
    violent rows (loaded) whose Crime ID is also on a non-violent row of the load.
``duplicate_crime_id``
    a violent row whose Crime ID is on a violent row before it (in this load): skipped.
``lsoa_placed_by_centroid``
    an LSOA code the 2011 LSOA→ward lookup lacks (e.g. a 2021 code) at coordinates within
    :data:`CENTROID_MATCH_M` of a London LSOA's population-weighted centroid: the row is in
    London, and takes that LSOA's ward and borough. The nearest centroid is sought among
    the LSOAs of the borough the LSOA's name begins with ("Tower Hamlets 010G") when that is
    a London borough.
``outside_london``
    an LSOA the lookup lacks, at coordinates farther than :data:`CENTROID_MATCH_M` from
    every London centroid (e.g. a prison in Pembrokeshire): counted in
    ``outside_force_area`` too.
``outside_force_area``
    the row's borough (from the lookup or the nearest centroid) lies outside the reporting
    force's area, or the row lies outside London: skipped.
``no_location``
    no coordinates ("No Location"): loaded as an incident without a place.

Every row is counted once among ``no_crime_id``, ``not_violent``, ``rejected``,
``duplicate_crime_id``, ``outside_force_area`` and ``incidents``, so those add up to ``rows``.

Every cell is read with the spaces around it stripped, so a Crime ID given once as ``abc``
and once as `` abc `` is one crime.

The month is the only time police.uk gives: ``occurred_at`` is the first of the month,
00:00 London time. Places are police.uk's anonymised map points, one ``Location`` per
point (id ``puk:<longitude>,<latitude>``), joined through their LSOA to ward and borough.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import neo4j
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from graphvc.contract import EARTH_RADIUS_M, UK_BOUNDS
from graphvc.errors import InputError
from graphvc.harm_index import load_harm_table
from loaders.folder import LoadSummary
from loaders.tables import ROW
from loaders.validate import REJECT_COLUMNS, validate_table
from loaders.write import write_tables

__all__ = [
    "CENTROID_MATCH_M",
    "CRIME_TYPES",
    "FORCE_BOROUGHS",
    "OUTCOME_OF_LAST_OUTCOME",
    "PoliceUkTables",
    "load_police_uk",
    "police_uk_tables",
    "read_centroids",
    "read_lookup",
    "street_files",
    "validate_police_uk",
]

COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]

#: police.uk crime type -> (offence code of the harm table, continuum category).
CRIME_TYPES: dict[str, tuple[str, str]] = {
    "Violence and sexual offences": ("violence_and_sexual_offences", "other_violence"),
    "Robbery": ("personal_robbery", "personal_robbery"),
    "Possession of weapons": ("possession_weapon", "knife_enabled"),
}

#: police.uk "Last outcome category" -> graphvc outcome (:data:`graphvc.contract.OUTCOMES`).
OUTCOME_OF_LAST_OUTCOME: dict[str, str] = {
    "Awaiting court outcome": "charged",
    "Court result unavailable": "charged",
    "Offender sent to prison": "charged",
    "Offender given suspended prison sentence": "charged",
    "Offender given community sentence": "charged",
    "Offender fined": "charged",
    "Offender given conditional discharge": "charged",
    "Offender given absolute discharge": "charged",
    "Offender otherwise dealt with": "charged",
    "Court case unable to proceed": "charged",
    "Defendant found not guilty": "charged",
    "Suspect charged as part of another case": "charged",
    "Offender given a caution": "cautioned",
    "Offender given a drugs possession warning": "cautioned",
    "Offender given penalty notice": "cautioned",
    "Local resolution": "community_resolution",
    "Investigation complete; no suspect identified": "no_suspect",
    "Unable to prosecute suspect": "no_further_action",
    "Formal action is not in the public interest": "no_further_action",
    "Further investigation is not in the public interest": "no_further_action",
    "Action to be taken by another organisation": "no_further_action",
    "Under investigation": "under_investigation",
    "Status update unavailable": "unknown",
}

#: Boroughs (LAD codes) that make up a force's area, for the London forces.
FORCE_BOROUGHS: dict[str, frozenset[str]] = {
    "City of London Police": frozenset({"E09000001"}),
    "Metropolitan Police Service": frozenset(f"E09{n:06d}" for n in range(2, 34)),
}


#: How far (metres) a police.uk point may lie from the population-weighted centroid of a London
#: LSOA to be placed in it when its own LSOA code is not in the 2011 lookup. In the City of
#: London Police's files of May 2023 to 2025, a point of an LSOA the lookup knows lies at most
#: 765 m from its nearest centroid, and the points outside London lie 89 km or more away.
CENTROID_MATCH_M = 1000.0
#: How many nearest centroids are searched for one of the borough an LSOA's name gives.
_CANDIDATES = 16


@dataclass
class PoliceUkTables:
    """Contract tables made from police.uk files, per source file, and what was counted."""

    incidents: dict[Path, pd.DataFrame] = field(default_factory=dict)
    locations: dict[Path, pd.DataFrame] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    #: Rows set aside by the adapter (file, row, field, value, reason).
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))


def street_files(paths: Iterable[Path]) -> list[Path]:
    """The CSV files named, or found (``*.csv``, sorted) in the folders named."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.csv"))
            if not found:
                raise InputError(f"{path}: no .csv files in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def read_lookup(path: Path) -> pd.DataFrame:
    """The LSOA→ward→borough lookup (LSOA11CD, WD19CD, WD19NM, LAD19CD, LAD19NM), by LSOA."""
    try:
        lookup = pd.read_csv(path, dtype="string")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"{path}: cannot read the LSOA lookup: {e}") from None
    needed = ["LSOA11CD", "WD19CD", "WD19NM", "LAD19CD", "LAD19NM"]
    missing = [c for c in needed if c not in lookup]
    if missing:
        raise InputError(f"{path}: the LSOA lookup lacks column(s) {', '.join(missing)}")
    return lookup.set_index("LSOA11CD")[needed[1:]]


def read_centroids(path: Path) -> pd.DataFrame:
    """The LSOA population-weighted centroids (``LSOA11CD``, ``lat``, ``lon``)."""
    try:
        centroids = pd.read_csv(path, dtype={"LSOA11CD": "string"})
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as e:
        raise InputError(f"{path}: cannot read the LSOA centroids: {e}") from None
    missing = [c for c in ("LSOA11CD", "lat", "lon") if c not in centroids]
    if missing:
        raise InputError(f"{path}: the LSOA centroids lack column(s) {', '.join(missing)}")
    return centroids[["LSOA11CD", "lat", "lon"]].dropna()


def _planar(latitude: pd.Series, longitude: pd.Series) -> np.ndarray:
    """Metres on a local equirectangular projection centred on London (51.5° N)."""
    scale = np.pi / 180 * EARTH_RADIUS_M
    x = longitude.to_numpy(float) * scale * np.cos(np.radians(51.5))
    return np.column_stack([x, latitude.to_numpy(float) * scale])


def _placed_lsoa(
    frame: pd.DataFrame, lookup: pd.DataFrame, centroids: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """The 2011 LSOA each row lies in (``<NA>`` outside London or without coordinates), and
    which rows were placed by their nearest centroid rather than by their own code."""
    lsoa = frame["LSOA code"].where(frame["LSOA code"].isin(lookup.index))
    unknown = lsoa.isna() & frame["Longitude"].notna() & frame["Latitude"].notna()
    by_centroid = pd.Series(False, index=frame.index)
    if not unknown.any():
        return lsoa, by_centroid
    rows = frame[unknown]
    tree = cKDTree(_planar(centroids["lat"], centroids["lon"]))
    k = min(_CANDIDATES, len(centroids))
    distances, nearest = tree.query(
        _planar(rows["Latitude"].astype(float), rows["Longitude"].astype(float)), k=k
    )
    distances, nearest = distances.reshape(len(rows), k), nearest.reshape(len(rows), k)
    codes = centroids["LSOA11CD"].to_numpy()
    boroughs = lookup["LAD19NM"].reindex(codes).to_numpy()
    named = rows["LSOA name"].str.rsplit(" ", n=1).str[0].to_numpy()
    london = set(lookup["LAD19NM"].dropna())
    for row, name, near, far in zip(rows.index, named, nearest, distances, strict=True):
        wanted = [i for i, j in enumerate(near) if boroughs[j] == name] if name in london else [0]
        if wanted and far[wanted[0]] <= CENTROID_MATCH_M:
            lsoa.loc[row] = codes[near[wanted[0]]]
            by_centroid.loc[row] = True
    return lsoa, by_centroid


def _read_street_file(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(
            path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8-sig"
        )
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{path}: cannot be read: {str(e).splitlines()[0]}") from None
    if list(frame.columns) != COLUMNS:
        raise InputError(
            f"{path}: not a police.uk street-level file: header is {', '.join(map(str, frame.columns))}; "
            f"expected {', '.join(COLUMNS)}"
        )
    # A Crime ID of only spaces is kept as it is (not <NA>): an empty cell is police.uk's way
    # of saying anti-social behaviour, a cell of spaces is a damaged row, rejected showing it.
    crime_id = frame["Crime ID"]
    frame = frame.apply(lambda column: column.str.strip().replace("", pd.NA))
    frame["Crime ID"] = frame["Crime ID"].fillna(crime_id)
    frame[ROW] = range(2, len(frame) + 2)
    return frame


def _rejected_rows(path: Path, frame: pd.DataFrame) -> pd.DataFrame:
    """The rejects of the rows of ``frame`` that cannot be loaded: a blank Crime ID, or
    coordinates that are not a point in the UK (one reject per bad cell)."""
    lat_min, lat_max, lon_min, lon_max = UK_BOUNDS
    problems: list[tuple[pd.Series, str, str]] = [
        (frame["Crime ID"].str.strip() == "", "Crime ID", "blank Crime ID (only spaces)")
    ]
    for column, low, high in (("Longitude", lon_min, lon_max), ("Latitude", lat_min, lat_max)):
        given = frame[column].notna()
        value = pd.to_numeric(frame[column].astype(object), errors="coerce").astype("float64")
        problems += [
            (given & value.isna(), column, "not a number"),
            (given & np.isinf(value), column, "not a finite number"),
            (
                np.isfinite(value) & ((value < low) | (value > high)),
                column,
                f"outside the UK range {low:g}..{high:g}",
            ),
        ]
    one_only = frame["Longitude"].isna() != frame["Latitude"].isna()
    problems.append(
        (
            one_only,
            "Longitude+Latitude",
            "Longitude and Latitude must both be given or both be empty",
        )
    )
    rows = []
    for bad, column, reason in problems:
        for _, row in frame[bad.fillna(False).astype(bool)].iterrows():
            cells = [row[c] for c in column.split("+")]
            shown = "|".join("" if cell is pd.NA else str(cell) for cell in cells)
            rows.append([str(path), int(row[ROW]), column, shown, reason])
    rejects = pd.DataFrame(rows, columns=REJECT_COLUMNS)
    return rejects.sort_values(["row", "field"], kind="stable").reset_index(drop=True)


def police_uk_tables(
    files: Iterable[Path],
    lookup: pd.DataFrame,
    centroids: pd.DataFrame,
    *,
    force_boroughs: frozenset[str] | None = None,
) -> PoliceUkTables:
    """Turn street-level files into contract ``incidents`` and ``locations`` tables.

    Parameters
    ----------
    files : iterable of Path
        Street-level CSVs, read in order (so a Crime ID's first file wins).
    lookup : DataFrame
        From :func:`read_lookup`.
    centroids : DataFrame
        From :func:`read_centroids`: places rows whose LSOA the lookup lacks.
    force_boroughs : frozenset of str, optional
        Borough codes of the force's area; default from ``FORCE_BOROUGHS`` by "Falls within".

    Every file is read and its header checked before any table is made, so one bad file
    stops the whole load before anything is written.
    """
    frames = [(path, _read_street_file(path)) for path in files]
    out = PoliceUkTables()
    not_violent_ids = set().union(
        *(
            frame.loc[~frame["Crime type"].isin(CRIME_TYPES), "Crime ID"].dropna()
            for _, frame in frames
        )
    )
    seen: set[str] = set()
    for path, frame in frames:
        out.counts["rows"] += len(frame)
        no_id = frame["Crime ID"].isna()
        out.counts["no_crime_id"] += int(no_id.sum())
        frame = frame[~no_id]
        violent = frame["Crime type"].isin(CRIME_TYPES)
        out.counts["not_violent"] += int((~violent).sum())
        frame = frame[violent]
        rejects = _rejected_rows(path, frame)
        out.counts["rejected"] += int(rejects["row"].nunique())
        if len(rejects):
            out.rejects = pd.concat([out.rejects, rejects], ignore_index=True)
        frame = frame[~frame[ROW].isin(rejects["row"])]
        repeated = frame["Crime ID"].duplicated() | frame["Crime ID"].isin(seen)
        out.counts["duplicate_crime_id"] += int(repeated.sum())
        frame = frame[~repeated]
        seen.update(frame["Crime ID"])
        out.counts["crime_id_also_not_violent"] += int(
            frame["Crime ID"].isin(not_violent_ids).sum()
        )
        lsoa, by_centroid = _placed_lsoa(frame, lookup, centroids)
        located = frame["Longitude"].notna() & frame["Latitude"].notna()
        outside_london = located & lsoa.isna()
        places = lsoa.map(lookup["LAD19CD"])
        outside = outside_london.copy()
        for force, boroughs in FORCE_BOROUGHS.items():
            of_force = frame["Falls within"] == force
            outside |= of_force & places.notna() & ~places.isin(force_boroughs or boroughs)
        out.counts["outside_london"] += int(outside_london.sum())
        out.counts["outside_force_area"] += int(outside.sum())
        out.counts["lsoa_placed_by_centroid"] += int((by_centroid & ~outside).sum())
        frame, lsoa = frame[~outside], lsoa[~outside]
        out.counts["no_location"] += int(frame["Longitude"].isna().sum())
        out.counts["incidents"] += len(frame)
        out.incidents[path], out.locations[path] = _contract_tables(frame, lsoa, lookup)
    return out


def _contract_tables(
    frame: pd.DataFrame, lsoa: pd.Series, lookup: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The incidents and locations of ``frame``; ``lsoa`` is the 2011 LSOA each row lies in,
    which gives its ward and borough."""
    located = frame["Longitude"].notna() & frame["Latitude"].notna()
    location_id = ("puk:" + frame["Longitude"] + "," + frame["Latitude"]).where(located)
    offences = {crime_type: offence for crime_type, (offence, _) in CRIME_TYPES.items()}
    categories = {crime_type: category for crime_type, (_, category) in CRIME_TYPES.items()}
    incidents = pd.DataFrame(
        {
            "incident_id": frame["Crime ID"],
            "occurred_at": frame["Month"] + "-01T00:00:00",
            "offence": frame["Crime type"].map(offences),
            "category": frame["Crime type"].map(categories),
            "weapon": (frame["Crime type"] == "Possession of weapons").map(
                {True: "true", False: "false"}
            ),
            "alcohol": pd.NA,
            "domestic": pd.NA,
            "hate": pd.NA,
            "harm": pd.NA,
            "outcome": frame["Last outcome category"]
            .map(OUTCOME_OF_LAST_OUTCOME)
            .fillna("unknown"),
            "location_id": location_id,
            ROW: frame[ROW],
        },
        index=frame.index,
    ).astype({c: "string" for c in ("alcohol", "domestic", "hate", "harm")})
    places = frame[located]
    wards = lookup.reindex(lsoa[located])
    locations = pd.DataFrame(
        {
            "location_id": location_id[located],
            "name": places["Location"],
            "lsoa_code": places["LSOA code"],
            "ward_code": wards["WD19CD"].to_numpy(),
            "ward_name": wards["WD19NM"].to_numpy(),
            "borough_code": wards["LAD19CD"].to_numpy(),
            "borough_name": wards["LAD19NM"].to_numpy(),
            "latitude": places["Latitude"],
            "longitude": places["Longitude"],
            ROW: places[ROW],
        },
        index=places.index,
    )
    locations = locations.drop_duplicates("location_id").astype(
        {c: "string" for c in ("ward_code", "ward_name", "borough_code", "borough_name")}
    )
    return incidents, locations


def validate_police_uk(
    paths: Iterable[Path],
    *,
    lookup_path: Path,
    centroids_path: Path,
    rejects_path: Path | None = None,
) -> tuple[dict[str, pd.DataFrame], LoadSummary, Counter[str]]:
    """Turn street-level files into validated contract tables (``locations``, ``incidents``);
    returns them, the load summary and the quirk counts.

    Rows the adapter sets aside (a blank Crime ID, coordinates that are no point in the UK)
    and rows that survive it but fail the contract's validation (a malformed month) become
    rejects, never a crash; every other row loads. The rejects are written to
    ``rejects_path`` (see :meth:`loaders.folder.LoadSummary.write_rejects`).
    """
    files = street_files(paths)
    made = police_uk_tables(files, read_lookup(lookup_path), read_centroids(centroids_path))
    harm = load_harm_table()
    folders = ", ".join(sorted({str(path.parent) for path in files}))
    summary = LoadSummary(folder=f"{folders} ({len(files)} files)")
    valid_locations = []
    rejects = [made.rejects]
    for path, frame in made.locations.items():
        checked = validate_table("locations", frame, file=path, harm=harm)
        valid_locations.append(checked.rows)
        rejects.append(checked.rejects)
    locations = pd.concat(valid_locations, ignore_index=True).drop_duplicates("location_id")
    known = {"locations": set(locations["location_id"]), "persons": set(), "incidents": set()}
    valid_incidents = []
    for path, frame in made.incidents.items():
        checked = validate_table("incidents", frame, file=path, harm=harm, known=known)
        valid_incidents.append(checked.rows)
        rejects.append(checked.rejects)
    incidents = pd.concat(valid_incidents, ignore_index=True)
    found = [r for r in rejects if len(r)]
    summary.rejects = (
        pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=REJECT_COLUMNS)
    )
    summary.rows_read = {"street rows": made.counts["rows"]}
    summary.rows_valid = {"incidents": len(incidents), "locations": len(locations)}
    summary.rows_rejected = {
        "street rows": int(summary.rejects[["file", "row"]].drop_duplicates().shape[0])
    }
    if rejects_path is not None:
        summary.write_rejects(rejects_path)
    return {"locations": locations, "incidents": incidents}, summary, made.counts


def load_police_uk(
    driver: neo4j.Driver,
    paths: Iterable[Path],
    *,
    lookup_path: Path,
    centroids_path: Path,
    database: str = "neo4j",
    batch_size: int = 5000,
    workers: int = 2,
    rejects_path: Path | None = None,
    progress: bool = False,
) -> tuple[LoadSummary, Counter[str]]:
    """Load street-level files into the graph; returns the load summary and the quirk counts
    (the tables are those of :func:`validate_police_uk`)."""
    tables, summary, counts = validate_police_uk(
        paths, lookup_path=lookup_path, centroids_path=centroids_path, rejects_path=rejects_path
    )
    summary.counters = write_tables(
        driver,
        tables,
        database=database,
        batch_size=batch_size,
        workers=workers,
        progress=progress,
    )
    return summary, counts
