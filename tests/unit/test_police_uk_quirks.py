"""The police.uk adapter on real street-level rows that carry each quirk (no database).

The rows are copied from the real City of London Police files (the reference folder); where a
quirk does not occur in them, an excerpt is built in ``tmp_path`` from real rows with one
field edited, and the test says which.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders.police_uk import COLUMNS, police_uk_tables, read_centroids, read_lookup

TOWER_HAMLETS = "E09000030"


def _rows(reference: Path, month: str) -> list[dict[str, str]]:
    path = reference / "police_uk_city_of_london" / f"{month}-city-of-london-street.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _excerpt(tmp_path: Path, rows: list[dict[str, str]]) -> Path:
    path = tmp_path / "excerpt-street.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _tables(reference: Path, path: Path, **options: frozenset[str]):  # type: ignore[no-untyped-def]
    geography = reference / "london_geography"
    return police_uk_tables(
        [path],
        read_lookup(geography / "london_lsoa11_ward19_borough19.csv"),
        read_centroids(geography / "london_lsoa11_centroids.csv"),
        **options,
    )


def _one(rows: list[dict[str, str]], **fields: str) -> dict[str, str]:
    return next(r for r in rows if all(r[k] == v for k, v in fields.items()))


def test_a_crime_id_on_a_non_violent_row_first_keeps_its_violent_crime(
    reference_source: Path, tmp_path: Path
) -> None:
    # No Crime ID of the real files is on rows of two types, so the excerpt is two real rows
    # of January 2024 (a shoplifting, then a robbery) with the shoplifting's Crime ID edited
    # to the robbery's.
    january = _rows(reference_source, "2024-01")
    robbery = _one(january, **{"Crime type": "Robbery", "LSOA code": "E01000001"})
    shoplifting = dict(_one(january, **{"Crime type": "Shoplifting"}))
    shoplifting["Crime ID"] = robbery["Crime ID"]
    made = _tables(reference_source, _excerpt(tmp_path, [shoplifting, robbery]))
    (incidents,) = made.incidents.values()
    assert incidents["incident_id"].tolist() == [robbery["Crime ID"]]
    assert incidents["offence"].tolist() == ["personal_robbery"]
    assert made.counts["not_violent"] == 1
    assert made.counts["duplicate_crime_id"] == 0
    assert made.counts["crime_id_also_not_violent"] == 1


def test_a_repeated_violent_crime_id_is_loaded_once(reference_source: Path, tmp_path: Path) -> None:
    # The real robbery row twice, as a file that repeats a crime carries it.
    robbery = _one(_rows(reference_source, "2024-01"), **{"Crime type": "Robbery"})
    made = _tables(reference_source, _excerpt(tmp_path, [robbery, robbery]))
    assert made.counts["duplicate_crime_id"] == 1
    assert made.counts["incidents"] == 1


def test_a_row_outside_london_is_counted_and_skipped(
    reference_source: Path, tmp_path: Path
) -> None:
    # Real: a City of London Police violent crime of April 2025 in Pembrokeshire (W01000574),
    # beside a real robbery in the City.
    pembrokeshire = _one(
        _rows(reference_source, "2025-04"),
        **{"LSOA code": "W01000574", "Crime type": "Violence and sexual offences"},
    )
    city = _one(_rows(reference_source, "2024-01"), **{"Crime type": "Robbery"})
    made = _tables(reference_source, _excerpt(tmp_path, [pembrokeshire, city]))
    (incidents,) = made.incidents.values()
    assert incidents["incident_id"].tolist() == [city["Crime ID"]]
    assert made.counts["outside_london"] == 1
    assert made.counts["outside_force_area"] == 1
    assert made.counts["lsoa_placed_by_centroid"] == 0


def test_a_2021_london_lsoa_is_placed_by_its_nearest_centroid(
    reference_source: Path, tmp_path: Path
) -> None:
    # Real: a robbery of September 2023 in Tower Hamlets 010G (E01035670, a 2021 code the 2011
    # lookup lacks). For the City of London Police it lies outside the force area; for a force
    # covering Tower Hamlets it is placed, with a Tower Hamlets ward.
    row = _one(_rows(reference_source, "2023-09"), **{"LSOA code": "E01035670"})
    path = _excerpt(tmp_path, [row])
    city = _tables(reference_source, path)
    assert city.counts["outside_force_area"] == 1
    assert city.counts["outside_london"] == 0
    assert city.counts["incidents"] == 0
    placed = _tables(reference_source, path, force_boroughs=frozenset({TOWER_HAMLETS}))
    assert placed.counts["lsoa_placed_by_centroid"] == 1
    (locations,) = placed.locations.values()
    assert locations["borough_code"].tolist() == [TOWER_HAMLETS]
    assert locations["borough_name"].tolist() == ["Tower Hamlets"]
    assert locations["ward_code"].notna().all()
    assert locations["lsoa_code"].tolist() == ["E01035670"]


@pytest.mark.parametrize("month", ["2024-01", "2025-04"])
def test_every_row_of_a_real_month_is_counted_once(reference_source: Path, month: str) -> None:
    path = reference_source / "police_uk_city_of_london" / f"{month}-city-of-london-street.csv"
    counts = _tables(reference_source, path).counts
    skipped = ("no_crime_id", "not_violent", "duplicate_crime_id", "outside_force_area")
    assert counts["rows"] == sum(counts[k] for k in skipped) + counts["incidents"]


def _city_robbery(reference: Path) -> dict[str, str]:
    return _one(_rows(reference, "2024-01"), **{"Crime type": "Robbery", "LSOA code": "E01000001"})


def test_crime_ids_are_stripped_and_one_of_only_spaces_is_rejected(
    reference_source: Path, tmp_path: Path
) -> None:
    # The real robbery four times, its Crime ID edited: padded before, after and around (one
    # crime, loaded once), and spaces only (rejected, not loaded as a crime with a blank id).
    robbery = _city_robbery(reference_source)
    crime_id = robbery["Crime ID"]
    ids = [f" {crime_id}", f"{crime_id} ", f"  {crime_id}  ", "   "]
    rows = [dict(robbery, **{"Crime ID": edited}) for edited in ids]
    path = _excerpt(tmp_path, rows)
    made = _tables(reference_source, path)
    (incidents,) = made.incidents.values()
    assert incidents["incident_id"].tolist() == [crime_id]
    assert made.counts["duplicate_crime_id"] == 2
    assert made.counts["rejected"] == 1
    assert made.rejects.values.tolist() == [
        [str(path), 5, "Crime ID", "   ", "blank Crime ID (only spaces)"]
    ]


@pytest.mark.parametrize(
    ("edits", "field", "value", "reason"),
    [
        ({"Longitude": "abc"}, "Longitude", "abc", "not a number"),
        ({"Latitude": "NaN"}, "Latitude", "NaN", "not a number"),
        ({"Latitude": "91"}, "Latitude", "91", "outside the UK range 49.8..60.9"),
        ({"Longitude": "-inf"}, "Longitude", "-inf", "not a finite number"),
        ({"Latitude": ""}, "Longitude+Latitude", "@lon|", "must both be given"),
    ],
)
def test_a_row_whose_coordinates_are_no_uk_point_is_rejected_alone(
    reference_source: Path,
    tmp_path: Path,
    edits: dict[str, str],
    field: str,
    value: str,
    reason: str,
) -> None:
    # The real robbery, and a copy of it with another Crime ID and one coordinate edited.
    robbery = _city_robbery(reference_source)
    bad = dict(robbery, **{"Crime ID": "edited-" + robbery["Crime ID"]}, **edits)
    path = _excerpt(tmp_path, [bad, robbery])
    made = _tables(reference_source, path)
    (incidents,) = made.incidents.values()
    assert incidents["incident_id"].tolist() == [robbery["Crime ID"]]
    value = value.replace("@lon", robbery["Longitude"])
    ((file, row, got_field, got_value, got_reason),) = made.rejects.values.tolist()
    assert (file, row, got_field, got_value) == (str(path), 2, field, value)
    assert reason in got_reason
    counted = ("no_crime_id", "not_violent", "rejected", "duplicate_crime_id", "outside_force_area")
    assert made.counts["rows"] == sum(made.counts[k] for k in counted) + made.counts["incidents"]
