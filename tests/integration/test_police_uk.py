"""Real data.police.uk files (City of London Police) into the real Neo4j."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.errors import InputError
from graphvc.schema import apply_schema, graph_counts, wipe
from loaders.police_uk import COLUMNS, load_police_uk
from tests.conftest import NO_REFERENCE, TEST_REFERENCE

# Real police.uk months and the real ONS lookup: these tests need the reference folder
# (GRAPHVC_TEST_REFERENCE, default ../shared/data) and are skipped, saying so, without it.
pytestmark = pytest.mark.skipif(TEST_REFERENCE is None, reason=NO_REFERENCE)
_REFERENCE = TEST_REFERENCE or Path("/nonexistent")
STREET = _REFERENCE / "police_uk_city_of_london"
LOOKUP = _REFERENCE / "london_geography" / "london_lsoa11_ward19_borough19.csv"
CENTROIDS = _REFERENCE / "london_geography" / "london_lsoa11_centroids.csv"
VIOLENT = {"Violence and sexual offences", "Robbery", "Possession of weapons"}


def _expected(files: list[Path]) -> dict[str, int]:
    """Counts worked out from the raw files with the csv module, apart from graphvc's code.

    An LSOA the 2011 lookup lacks is judged here by the borough its name begins with
    ("Tower Hamlets 010G"), not by centroids as graphvc does: the two agree on these files.
    """
    borough = {row["LSOA11CD"]: row["LAD19CD"] for row in csv.DictReader(LOOKUP.open())}
    seen: set[str] = set()
    places: set[tuple[str, str]] = set()
    incidents = located = 0
    for path in files:
        for row in csv.DictReader(path.open(encoding="utf-8-sig")):
            crime_id = row["Crime ID"]
            if not crime_id or row["Crime type"] not in VIOLENT or crime_id in seen:
                continue
            seen.add(crime_id)
            if row["LSOA code"] in borough and borough[row["LSOA code"]] != "E09000001":
                continue  # outside the City of London Police area
            outside_lookup = row["LSOA code"] and row["LSOA code"] not in borough
            if outside_lookup and not row["LSOA name"].startswith("City of London "):
                continue  # a 2021 LSOA in another borough, or outside London
            incidents += 1
            if row["Longitude"]:
                located += 1
                places.add((row["Longitude"], row["Latitude"]))
    return {"Incident": incidents, "Location": len(places), "OCCURRED_AT": located}


@pytest.fixture
def graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    return empty_graph


def _counts(driver: neo4j.Driver) -> dict[str, int]:
    counts = graph_counts(driver)
    return {k: counts[k] for k in ("Incident", "Location", "OCCURRED_AT")}


def test_one_month_loads_with_every_quirk_counted(graph: neo4j.Driver) -> None:
    january = STREET / "2024-01-city-of-london-street.csv"
    summary, quirks = load_police_uk(graph, [january], lookup_path=LOOKUP, centroids_path=CENTROIDS)
    assert _counts(graph) == _expected([january])
    assert graph_counts(graph)["Person"] == 0
    rows = list(csv.DictReader(january.open(encoding="utf-8-sig")))
    assert quirks["rows"] == len(rows)
    assert quirks["no_crime_id"] == sum(1 for r in rows if not r["Crime ID"])
    assert quirks["incidents"] == _expected([january])["Incident"]
    assert summary.total_rejected == 0
    with graph.session() as session:
        wards = session.run(
            "MATCH (:Incident)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(w:Ward)-[:IN_BOROUGH]->(b:Borough) "
            "RETURN collect(DISTINCT b.name) AS boroughs, count(DISTINCT w) AS wards"
        ).single()
    assert wards["boroughs"] == ["City of London"]
    assert wards["wards"] >= 1


def test_next_month_adds_only_what_is_new_and_reruns_change_nothing(graph: neo4j.Driver) -> None:
    months = sorted(STREET.glob("2024-0[1-3]-*.csv"))
    load_police_uk(graph, months[:2], lookup_path=LOOKUP, centroids_path=CENTROIDS)
    assert _counts(graph) == _expected(months[:2])
    load_police_uk(graph, months, lookup_path=LOOKUP, centroids_path=CENTROIDS)
    assert _counts(graph) == _expected(months)
    summary, _ = load_police_uk(graph, months, lookup_path=LOOKUP, centroids_path=CENTROIDS)
    assert summary.counters.get("nodes_created", 0) == 0
    assert summary.counters.get("relationships_created", 0) == 0
    assert _counts(graph) == _expected(months)


def test_a_file_that_is_not_police_uk_is_refused_whole(graph: neo4j.Driver, tmp_path: Path) -> None:
    bogus = tmp_path / "2024-01-bogus.csv"
    bogus.write_text("id,when\n1,2024-01\n")
    january = STREET / "2024-01-city-of-london-street.csv"
    with pytest.raises(InputError, match=r"2024-01-bogus\.csv: not a police\.uk street-level file"):
        load_police_uk(graph, [january, bogus], lookup_path=LOOKUP, centroids_path=CENTROIDS)
    assert sum(graph_counts(graph).values()) == 0


def test_the_summary_prints_without_json(
    graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    # The real month that ended in "unexpected KeyError: 'street rows'" once written.
    january = STREET / "2024-01-city-of-london-street.csv"
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "GRAPHVC_HOME": str(tmp_path / "home"),
    }
    args = ["load-police-uk", str(january), "--lookup", str(LOOKUP), "--centroids", str(CENTROIDS)]
    args += ["--rejects", str(tmp_path / "rejects.csv")]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    lines = result.stdout.splitlines()
    rows = sum(1 for _ in csv.DictReader(january.open(encoding="utf-8-sig")))
    incidents = _expected([january])["Incident"]
    assert f"street rows    read {rows:>9,}                    rejected       0" in lines
    assert f"incidents                      loaded {incidents:>9,}" in lines
    assert "  police.uk rejected: 0" in lines
    again = CliRunner().invoke(cli, [*args, "--json"], env=env)
    assert json.loads(again.stdout)["rows_loaded"]["incidents"] == incidents


def test_rows_that_cannot_load_are_rejected_and_the_good_rows_load(
    graph: neo4j.Driver, tmp_path: Path
) -> None:
    # The real January, and after it five edited copies of its first violent rows: Crime IDs
    # padded with spaces (the same crimes) or of spaces only; coordinates abc, NaN and 91.
    january = STREET / "2024-01-city-of-london-street.csv"
    with january.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    violent = [r for r in rows if r["Crime type"] in VIOLENT and r["Crime ID"] and r["Latitude"]]
    edits = [
        {"Crime ID": f"  {violent[0]['Crime ID']} "},
        {"Crime ID": "    "},
        {"Crime ID": "edited-1", "Longitude": "abc"},
        {"Crime ID": "edited-2", "Latitude": "NaN"},
        {"Crime ID": "edited-3", "Latitude": "91"},
    ]
    path = tmp_path / "2024-01-edited-street.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows([*rows, *(dict(violent[i], **edit) for i, edit in enumerate(edits))])
    rejects = tmp_path / "rejects.csv"
    for attempt in ("first", "again"):
        summary, quirks = load_police_uk(
            graph, [path], lookup_path=LOOKUP, centroids_path=CENTROIDS, rejects_path=rejects
        )
        assert _counts(graph) == _expected([january]), attempt
        assert quirks["rejected"] == 4 and summary.rows_rejected == {"street rows": 4}
    assert summary.counters.get("nodes_created", 0) == 0
    assert summary.counters.get("relationships_created", 0) == 0
    first = len(rows) + 2
    got = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert got[["file", "row", "field", "value"]].to_numpy().tolist() == [
        [str(path), str(first + 1), "Crime ID", "    "],
        [str(path), str(first + 2), "Longitude", "abc"],
        [str(path), str(first + 3), "Latitude", "NaN"],
        [str(path), str(first + 4), "Latitude", "91"],
    ]
