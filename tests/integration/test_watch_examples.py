"""The four example watch queries on a handmade graph, each row checked by hand, and the
`graphvc watch add` line each one's header gives, run as it is written."""

from __future__ import annotations

import re
import shlex

import neo4j
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.queries import load_query, run_stored_query
from graphvc.schema import apply_schema, wipe
from tests.cli_env import cli_env

EXAMPLES = (
    "domestic_abuse_third_incident",
    "weapon_in_high_harm_ward",
    "new_incident_near_person",
    "new_top_priority",
)

# Victim V1: domestic incidents D1 (2024-01-10), D2 (2024-06-01), D3 (2024-12-20: the third
# within a year), D4 (2025-09-01, flagged domestic: within a year of D3 only, two in the
# window). D5 is V1's robbery (not domestic). V2: two domestic incidents only.
#
# Ten wards W0..W9, ward Wk with harm 10*(10-k) in 2024 (W0 the most): the top decile is W0
# alone (the 90th percentile of 10..100 is 91). Knife incidents K1 in W0 recent, K2 in W5 recent, K3 in W0 too old; robbery R1 in W0.
#
# People: N1 -ASSOCIATE_OF- N2; N2 and N3 offend together in C1; N3 is the victim of C2; N3 and
# N4 offend together in C3; N4 alone offends in C4 (three steps from N1).
HANDMADE = """
CREATE (v1:Person {id: 'V1'}), (v2:Person {id: 'V2'}), (o:Person {id: 'O1'})
WITH v1, v2, o
UNWIND [['D1', '2024-01-10', true, 'domestic_abuse', 'V1'],
        ['D2', '2024-06-01', true, 'domestic_abuse', 'V1'],
        ['D3', '2024-12-20', false, 'domestic_abuse', 'V1'],
        ['D4', '2025-09-01', true, 'other_violence', 'V1'],
        ['D5', '2024-07-01', false, 'personal_robbery', 'V1'],
        ['E1', '2024-02-01', true, 'domestic_abuse', 'V2'],
        ['E2', '2024-03-01', true, 'domestic_abuse', 'V2']] AS row
MATCH (victim:Person {id: row[4]})
CREATE (i:Incident {id: row[0], occurred_at: datetime(row[1] + 'T12:00:00Z'),
                    domestic: row[2], category: row[3]})
CREATE (victim)-[:VICTIM_IN]->(i)
CREATE (o)-[:OFFENDER_IN]->(i)
WITH count(*) AS made
UNWIND range(0, 9) AS k
CREATE (w:Ward {code: 'W' + k})
CREATE (l:Location {id: 'L' + k})-[:IN_WARD]->(w)
CREATE (:Incident {id: 'H' + k, occurred_at: datetime('2024-06-01T12:00:00Z'),
                   category: 'other_violence', harm: 10.0 * (10 - k)})-[:OCCURRED_AT]->(l)
WITH count(*) AS made
UNWIND [['K1', 'L0', '2024-12-20', 'knife_enabled'], ['K2', 'L5', '2024-12-21', 'gun_enabled'],
        ['K3', 'L0', '2024-01-05', 'knife_enabled'], ['R1', 'L0', '2024-12-22', 'personal_robbery']]
       AS row
MATCH (l:Location {id: row[1]})
CREATE (:Incident {id: row[0], occurred_at: datetime(row[2] + 'T12:00:00Z'), category: row[3],
                   harm: 0.0})-[:OCCURRED_AT]->(l)
WITH count(*) AS made
CREATE (n1:Person {id: 'N1'}), (n2:Person {id: 'N2'}), (n3:Person {id: 'N3'}),
       (n4:Person {id: 'N4'})
CREATE (n1)-[:ASSOCIATE_OF]->(n2)
CREATE (c1:Incident {id: 'C1', occurred_at: datetime('2024-05-01T12:00:00Z'), category: 'other_violence'})
CREATE (c2:Incident {id: 'C2', occurred_at: datetime('2024-05-02T12:00:00Z'), category: 'personal_robbery'})
CREATE (c3:Incident {id: 'C3', occurred_at: datetime('2024-05-03T12:00:00Z'), category: 'knife_enabled'})
CREATE (c4:Incident {id: 'C4', occurred_at: datetime('2024-05-04T12:00:00Z'), category: 'other_violence'})
CREATE (n2)-[:OFFENDER_IN]->(c1), (n3)-[:OFFENDER_IN]->(c1), (n3)-[:VICTIM_IN]->(c2),
       (n3)-[:OFFENDER_IN]->(c3), (n4)-[:OFFENDER_IN]->(c3), (n4)-[:OFFENDER_IN]->(c4)
WITH count(*) AS made
UNWIND range(1, 25) AS rank
CREATE (:Person {id: 'T' + rank, score_priority_rank: rank, score_priority: 1.0 / rank,
                 scored_at: datetime('2025-01-03T00:00:00Z')})
"""


@pytest.fixture(scope="module")
def handmade(empty_graph: neo4j.Driver) -> neo4j.Driver:
    empty_graph.execute_query(HANDMADE)
    return empty_graph


def _rows(driver: neo4j.Driver, name: str, **params: object) -> list[dict]:
    return run_stored_query(driver, name, params).to_dict(orient="records")


def test_a_victims_third_domestic_incident_within_a_year_is_one_row(handmade: neo4j.Driver) -> None:
    rows = _rows(handmade, "domestic_abuse_third_incident")
    # D3 (the third within a year) alone; D4 has D3 only in its year; V2 had two.
    assert [(r["victim_id"], r["incident_id"], r["incidents_in_window"]) for r in rows] == [
        ("V1", "D3", 3)
    ]
    assert rows[0]["first_at"].isoformat().startswith("2024-01-10")
    looser = _rows(handmade, "domestic_abuse_third_incident", threshold=2)
    assert [(r["incident_id"], r["incidents_in_window"]) for r in looser] == [
        ("D4", 2),
        ("D3", 3),
        ("D2", 2),
        ("E2", 2),
    ]


def test_weapon_incidents_in_the_top_decile_harm_ward_only(handmade: neo4j.Driver) -> None:
    rows = _rows(handmade, "weapon_in_high_harm_ward", as_of="2024-12-31T00:00:00Z")
    # K1 only: K2 is in W5 (not the top tenth), K3 too old, R1 a robbery.
    assert [(r["incident_id"], r["ward_code"], r["ward_harm"]) for r in rows] == [
        ("K1", "W0", 100.0)
    ]
    wider = _rows(
        handmade, "weapon_in_high_harm_ward", as_of="2024-12-31T00:00:00Z", recent_days=365
    )
    assert [r["incident_id"] for r in wider] == ["K1", "K3"]


def test_incidents_within_two_steps_of_a_named_person(handmade: neo4j.Driver) -> None:
    rows = _rows(handmade, "new_incident_near_person", person_id="N1")
    # N2 (step 1) in C1, N3 (step 2) in C1, C2, C3; N4 is three steps away: not C4.
    assert [(r["incident_id"], r["steps"], r["people"]) for r in rows] == [
        ("C3", 2, 1),
        ("C2", 2, 1),
        ("C1", 1, 2),
    ]
    one_step = _rows(handmade, "new_incident_near_person", person_id="N1", hops=1)
    assert [r["incident_id"] for r in one_step] == ["C1"]


def test_the_top_of_the_priority_list(handmade: neo4j.Driver) -> None:
    rows = _rows(handmade, "new_top_priority")
    assert [r["person_id"] for r in rows] == [f"T{rank}" for rank in range(1, 21)]
    assert [r["priority_rank"] for r in _rows(handmade, "new_top_priority", top=3)] == [1, 2, 3]


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_gives_a_watch_add_line_that_works(
    name: str, handmade: neo4j.Driver, test_settings: Settings, tmp_path: object
) -> None:
    (line,) = re.findall(r"graphvc watch add ([^\n]+)", load_query(name).description)
    args = shlex.split(line)
    assert args[args.index("--query") + 1] == name
    with cli_env(handmade, test_settings, tmp_path) as env:  # type: ignore[arg-type]
        result = CliRunner().invoke(cli, ["watch", "add", *args, "--owner", "x"], env=env)
        assert result.exit_code == 0, result.output
        ran = CliRunner().invoke(cli, ["watch", "run", args[0], "--owner", "x", "--json"], env=env)
        assert ran.exit_code == 0, ran.output
    # cli_env leaves an empty graph: the handmade one is made again for the next test.
    wipe(handmade)
    apply_schema(handmade)
    handmade.execute_query(HANDMADE)
