"""Loading contract folders into the real Neo4j: exact counts, idempotence, quarantine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.errors import InputError
from graphvc.schema import apply_schema, graph_counts, wipe
from loaders.folder import load_folder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Worked out by hand from tests/fixtures/small (see the comments beside each figure).
SMALL_COUNTS = {
    "Person": 9,  # P1..P8 from persons.csv, P9 only named by an association
    "Incident": 6,
    "Location": 4,
    "Ward": 3,
    "Borough": 2,
    "AnalysisRun": 0,  # loading analyses nothing
    "OFFENDER_IN": 8,
    "SUSPECT_IN": 1,
    "VICTIM_IN": 5,
    "WITNESS_IN": 1,
    "OCCURRED_AT": 5,  # I6 has no location
    "IN_WARD": 3,  # L4 has no ward
    "IN_BOROUGH": 3,
    "ASSOCIATE_OF": 3,  # P1-P6 gang is given twice, both ways round: one link
    "ASSESSED": 3,  # P4 after I3 (standard), after I4 (medium, then high)
}


@pytest.fixture
def graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    wipe(empty_graph)
    apply_schema(empty_graph)
    return empty_graph


def test_small_folder_loads_exact_counts_and_values(graph: neo4j.Driver, tmp_path: Path) -> None:
    summary = load_folder(graph, FIXTURES / "small", rejects_path=tmp_path / "rejects.csv")
    assert summary.total_rejected == 0
    assert not (tmp_path / "rejects.csv").exists()
    assert graph_counts(graph) == SMALL_COUNTS
    with graph.session() as session:
        i2 = session.run("MATCH (i:Incident {id: 'I2'}) RETURN i").single()["i"]
        i4 = session.run("MATCH (i:Incident {id: 'I4'}) RETURN i").single()["i"]
        link = session.run(
            "MATCH (a:Person)-[r:ASSOCIATE_OF]->(b:Person) WHERE r.type = 'gang' "
            "RETURN a.id AS a, b.id AS b, r.weight AS weight"
        ).single()
    assert i2["harm"] == 365.0 and i2["category"] == "personal_robbery"  # both from the harm table
    # local times are London's: GMT in February, BST in September
    assert i2["occurred_at"].to_native().isoformat() == "2024-02-10T23:30:00+00:00"
    assert i4["occurred_at"].to_native().isoformat() == "2024-09-01T20:00:00+01:00"
    assert (link["a"], link["b"], link["weight"]) == ("P1", "P6", 2.0)
    with graph.session() as session:
        assessed = session.run(
            "MATCH (:Person {id: 'P4'})-[a:ASSESSED]->(:Incident {id: 'I4'}) "
            "RETURN a.tool AS tool, a.level AS level, a.assessed_at AS at ORDER BY at"
        ).data()
    assert [(a["tool"], a["level"]) for a in assessed] == [("DASH", "medium"), ("DASH", "high")]
    assert assessed[1]["at"].to_native().isoformat() == "2024-09-03T10:00:00+01:00"


def test_loading_twice_changes_nothing(graph: neo4j.Driver) -> None:
    load_folder(graph, FIXTURES / "small")
    again = load_folder(graph, FIXTURES / "small")
    assert again.counters.get("nodes_created", 0) == 0
    assert again.counters.get("relationships_created", 0) == 0
    assert again.counters.get("relationships_deleted", 0) == 0
    assert graph_counts(graph) == SMALL_COUNTS


def test_a_load_cut_short_reaches_the_same_end_state_when_run_again(
    graph: neo4j.Driver, tmp_path: Path
) -> None:
    partial = tmp_path / "partial"
    shutil.copytree(FIXTURES / "small", partial)
    involvements = pd.read_csv(partial / "involvements.csv")
    involvements.head(4).to_csv(partial / "involvements.csv", index=False)
    (partial / "associations.csv").unlink()
    load_folder(graph, partial)
    assert graph_counts(graph)["OFFENDER_IN"] == 3
    load_folder(graph, FIXTURES / "small")
    assert graph_counts(graph) == SMALL_COUNTS


def test_corrupt_rows_are_quarantined_and_every_valid_row_lands(
    graph: neo4j.Driver, tmp_path: Path
) -> None:
    rejects_file = tmp_path / "rejects.csv"
    summary = load_folder(graph, FIXTURES / "corrupt", rejects_path=rejects_file)
    assert graph_counts(graph) == SMALL_COUNTS
    assert summary.rows_rejected == {
        "persons": 2,
        "locations": 2,
        "incidents": 4,
        "involvements": 4,
        "associations": 3,
        "risk_assessments": 4,
    }
    rejects = pd.read_csv(rejects_file, dtype=str, keep_default_na=False)
    by_place = {
        (Path(f).name, int(r), field): reason
        for f, r, field, reason in zip(
            rejects["file"], rejects["row"], rejects["field"], rejects["reason"], strict=True
        )
    }
    assert by_place[("persons.csv", 10, "age_band")].startswith("not a valid age band")
    assert by_place[("persons.csv", 11, "person_id")] == "required value is missing"
    assert by_place[("incidents.csv", 8, "occurred_at")].startswith("not an ISO 8601 date-time")
    assert by_place[("incidents.csv", 9, "offence")].startswith("not a valid offence code")
    assert by_place[("incidents.csv", 10, "harm")] == "must be at least 0"
    assert by_place[("incidents.csv", 11, "weapon")] == "not a boolean (true/false)"
    assert by_place[("incidents.csv", 11, "location_id")].startswith("unknown location_id")
    assert by_place[("locations.csv", 6, "latitude")] == "outside the UK range 49.8..60.9"
    assert by_place[("locations.csv", 7, "latitude+longitude")].startswith(
        "latitude and longitude must both"
    )
    assert by_place[("involvements.csv", 17, "role")].startswith("not a valid role")
    assert by_place[("involvements.csv", 18, "incident_id")].startswith("unknown incident_id")
    assert by_place[("involvements.csv", 19, "person_id")].startswith("unknown person_id")
    assert by_place[("involvements.csv", 20, "person_id+incident_id+role")].startswith(
        "duplicate involvement"
    )
    assert (
        by_place[("associations.csv", 6, "person_a+person_b")]
        == "person_a and person_b are the same person"
    )
    assert by_place[("associations.csv", 7, "type")].startswith("not a valid association type")
    assert by_place[("associations.csv", 8, "weight")] == "not a number"
    assert by_place[
        ("risk_assessments.csv", 5, "person_id+incident_id+assessed_at+tool")
    ].startswith("duplicate risk assessment")
    assert by_place[("risk_assessments.csv", 6, "assessed_at")].startswith("not an ISO 8601")
    assert by_place[("risk_assessments.csv", 7, "level")].startswith("not a valid risk level")
    assert by_place[("risk_assessments.csv", 8, "person_id")].startswith("unknown person_id")
    values = dict(
        zip(zip(rejects["row"], rejects["field"], strict=True), rejects["value"], strict=True)
    )
    assert values[("9", "offence")] == "stabbing"


def test_references_to_ids_already_in_the_graph_are_accepted(
    graph: neo4j.Driver, tmp_path: Path
) -> None:
    load_folder(graph, FIXTURES / "small")
    later = tmp_path / "later"
    later.mkdir()
    (later / "involvements.csv").write_text(
        "person_id,incident_id,role\nP8,I5,witness\nP8,I99,witness\n"
    )
    summary = load_folder(graph, later)
    assert summary.rows_valid["involvements"] == 1
    assert summary.rows_rejected["involvements"] == 1
    assert graph_counts(graph)["WITNESS_IN"] == SMALL_COUNTS["WITNESS_IN"] + 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "person_id,nickname\nP1,x\n",
            r"persons.csv: wrong header: unknown column\(s\) 'nickname'",
        ),
        ("name\nx\n", r"persons.csv: wrong header: missing required column\(s\) person_id"),
        (b"person_id,name\nP1,Caf\xe9\n", r"persons.csv: not UTF-8 text"),
    ],
)
def test_an_unusable_file_stops_the_load_before_anything_is_written(
    graph: neo4j.Driver, tmp_path: Path, content: str | bytes, message: str
) -> None:
    folder = tmp_path / "bad"
    shutil.copytree(FIXTURES / "small", folder)
    target = folder / "persons.csv"
    target.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=message):
        load_folder(graph, folder)
    assert sum(graph_counts(graph).values()) == 0


def _cli_env(settings: Settings) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
    }


def test_cli_load_prints_json_and_fails_only_beyond_the_reject_threshold(
    graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    env = _cli_env(test_settings)
    rejects = tmp_path / "r.csv"
    strict = CliRunner().invoke(
        cli, ["load", str(FIXTURES / "corrupt"), "--json", "--rejects", str(rejects)], env=env
    )
    assert strict.exit_code == 1
    summary = json.loads(strict.stdout.splitlines()[0])
    assert sum(summary["rows_rejected"].values()) == 19
    assert "rows rejected" in strict.stderr and "beyond --max-reject-rate 5.0%" in strict.stderr

    lenient = CliRunner().invoke(
        cli,
        [
            "load",
            str(FIXTURES / "corrupt"),
            "--json",
            "--rejects",
            str(rejects),
            "--max-reject-rate",
            "0.5",
        ],
        env=env,
    )
    assert lenient.exit_code == 0, lenient.output
    assert json.loads(lenient.stdout)["rejects_file"] == str(rejects)
    assert graph_counts(graph) == SMALL_COUNTS


def test_cli_load_reports_a_wrong_header_in_one_line(
    graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "incidents.csv").write_text("incident_id,when\nI1,2024-01-01\n")
    result = CliRunner().invoke(cli, ["load", str(folder)], env=_cli_env(test_settings))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "incidents.csv: wrong header" in result.stderr and "Traceback" not in result.output


def _properties(graph: neo4j.Driver, pattern: str, ids: list[str]) -> dict[str, dict]:
    """The properties of what ``pattern`` binds to ``x`` (its node or relationship ``key``),
    by key, for ``ids``."""
    found, _, _ = graph.execute_query(
        f"MATCH {pattern} WHERE key IN $ids RETURN key, properties(x) AS p", ids=ids
    )
    return {record["key"]: record["p"] for record in found}


def _write_folder(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text)
    return folder


def test_a_column_absent_from_a_later_file_leaves_the_graph_alone(
    graph: neo4j.Driver, tmp_path: Path
) -> None:
    load_folder(graph, FIXTURES / "small")
    people = "(x:Person) WITH x, x.id AS key"
    incidents = "(x:Incident) WITH x, x.id AS key"
    places = "(x:Location) WITH x, x.id AS key"
    links = "(a:Person)-[x:ASSOCIATE_OF]->(b:Person) WITH x, a.id + '-' + b.id AS key"
    before = {
        "people": _properties(graph, people, ["P1", "P2"]),
        "incidents": _properties(graph, incidents, ["I1"]),
        "places": _properties(graph, places, ["L1"]),
        "links": _properties(graph, links, ["P1-P6"]),
    }
    later = _write_folder(
        tmp_path / "later",
        {
            # Only the age band of P1; P2's row gives a sex column with an empty cell, and a
            # new person takes the defaults of what the file does not give.
            "persons": "person_id,age_band\nP1,25-34\nP9,65+\n",
            "incidents": "incident_id,occurred_at,offence\nI1,2024-01-05T22:10:00,harassment\n",
            "locations": "location_id,name\nL1,Aldersgate Street\n",
            "associations": "person_a,person_b,type\nP6,P1,gang\n",
        },
    )
    summary = load_folder(graph, later)
    assert summary.total_rejected == 0
    after = _properties(graph, people, ["P1", "P9"])
    assert after["P1"] == before["people"]["P1"] | {"age_band": "25-34"}
    assert after["P9"] == {"id": "P9", "age_band": "65+", "sex": "unknown", "ethnicity": "NS"}
    (incident,) = _properties(graph, incidents, ["I1"]).values()
    assert incident == before["incidents"]["I1"] | {"offence": "harassment"}
    (place,) = _properties(graph, places, ["L1"]).values()
    assert place == before["places"]["L1"] | {"name": "Aldersgate Street"}
    assert _properties(graph, links, ["P1-P6"]) == before["links"]
    # Loading the later files again changes nothing.
    checked = [(people, ["P1", "P9"]), (incidents, ["I1"]), (places, ["L1"]), (links, ["P1-P6"])]
    state = [_properties(graph, pattern, ids) for pattern, ids in checked]
    load_folder(graph, later)
    assert [_properties(graph, pattern, ids) for pattern, ids in checked] == state
    # A present column's empty cell is the column's default (or no value): the file says so.
    blank = _write_folder(tmp_path / "blank", {"persons": "person_id,name,sex\nP2,,\n"})
    load_folder(graph, blank)
    p2 = _properties(graph, people, ["P2"])["P2"]
    assert p2 == {k: v for k, v in before["people"]["P2"].items() if k != "name"} | {
        "sex": "unknown"
    }
