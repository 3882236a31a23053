"""Every library query on the real Neo4j, against answers worked out by hand from the fixture.

The small fixture (tests/fixtures/small), in London local time:

    I1 2024-01-05 22:10 alcohol_related   harm 365  L1  P1, P2 offenders; P3 victim
    I2 2024-02-10 23:30 personal_robbery  harm 365  L1  P1 offender, P3 suspect; P4 victim
    I3 2024-03-15 01:00 domestic_abuse    harm  10  L2  P5 offender; P4 victim
    I4 2024-09-01 20:00 domestic_abuse    harm 365  L2  P5 offender; P4 victim   (BST: 19:00Z)
    I5 2024-10-20 21:45 knife_enabled     harm 274  L3  P1, P6 offenders         (BST)
    I6 2025-01-02 18:00 hate_crime        harm  20  --  P7 offender; P8 victim; P2 witness

    associations: P1-P6 gang, P4-P5 partner, P7-P9 family
    L1 Aldersgate (ward E05009288) and L2 Fore Street (Cripplegate, E05009302), 268 m apart,
    both in the City of London (E09000001); L3 Camden High Street (Camden Town with Primrose
    Hill, E05000137) in Camden (E09000007), about 3.8 km away; L4 has no coordinates.

Harm comes from the bundled table: violence with injury and personal robbery 365, possession
of a weapon 274, racially aggravated public order 20, violence without injury 10.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.errors import QueryError
from graphvc.graph_tables import read_graph_tables
from graphvc.queries import check_library, list_queries, load_query, run_stored_query
from graphvc.runs import AnalysisParameters, analyse
from graphvc.schema import apply_schema, graph_counts, wipe
from graphvc.scores import write_scores
from loaders.folder import load_folder
from tests.integration.test_loaders import SMALL_COUNTS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAMES = {f"Synthetic {n}" for n in ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight")}


@pytest.fixture(scope="module")
def graph(empty_graph: neo4j.Driver) -> neo4j.Driver:
    """The small fixture, analysed as of the day after its last incident, scores written back."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, FIXTURES / "small")
    result = analyse(
        read_graph_tables(empty_graph),
        # The co-offending layer alone: the scores the central_offenders answers are worked
        # out from (the fixture's gang link P1-P6 and others would add P4 and P9).
        AnalysisParameters(
            as_of=pd.Timestamp("2025-01-03"),
            window_days=730,
            tie_weights={"co-offending": 1.0},
        ),
    )
    write_scores(empty_graph, result, run_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert graph_counts(empty_graph) == SMALL_COUNTS
    return empty_graph


def _run(driver: neo4j.Driver, name: str, **params: Any) -> pd.DataFrame:
    return run_stored_query(driver, name, params, timeout=30)


def _rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


# name -> [(parameters, columns compared, expected rows in order)]
CASES: dict[str, list[tuple[dict[str, Any], tuple[str, ...], list[tuple[Any, ...]]]]] = {
    "co_offenders": [
        # P1 offended with P2 (I1), P3 (suspect, I2) and P6 (I5): one incident each.
        (
            {"person_id": "P1", "hops": 1},
            ("co_offender_id", "hops", "shared_incidents"),
            [("P2", 1, 1), ("P3", 1, 1), ("P6", 1, 1)],
        ),
        # P2 offended only in I1 (a witness in I6 does not count): P1, then P1's others.
        (
            {"person_id": "P2", "hops": 2},
            ("co_offender_id", "hops", "shared_incidents"),
            [("P1", 1, 1), ("P3", 2, 0), ("P6", 2, 0)],
        ),
        ({"person_id": "P2", "hops": 1}, ("co_offender_id",), [("P1",)]),
        # From February, I1 (5 January) is outside: P2 drops out.
        (
            {"person_id": "P1", "start": "2024-02-01T00:00:00"},
            ("co_offender_id",),
            [("P3",), ("P6",)],
        ),
        # Before October, I5 (20 October) is outside: P6 drops out.
        (
            {"person_id": "P1", "end": "2024-10-01T00:00:00"},
            ("co_offender_id",),
            [("P2",), ("P3",)],
        ),
        # P4 is only ever a victim; P9 is only named by an association.
        ({"person_id": "P4"}, ("co_offender_id",), []),
        ({"person_id": "P9", "hops": 3}, ("co_offender_id",), []),
        ({"person_id": "nobody"}, ("co_offender_id",), []),
    ],
    "shortest_paths": [
        # P2 -I1- P1 (two links) then the P1-P6 association (one): 3 links, shorter than via I5.
        (
            {"from_id": "P2", "to_id": "P6"},
            ("node_ids", "links", "length"),
            [(["P2", "I1", "P1", "P6"], ["OFFENDER_IN", "OFFENDER_IN", "ASSOCIATE_OF"], 3)],
        ),
        (
            {"from_id": "P3", "to_id": "P6"},
            ("node_ids", "links"),
            [(["P3", "I2", "P1", "P6"], ["SUSPECT_IN", "OFFENDER_IN", "ASSOCIATE_OF"])],
        ),
        (
            {"from_id": "P2", "to_id": "P3"},
            ("node_ids", "length"),
            [(["P2", "I1", "P1", "I2", "P3"], 4)],
        ),
        (
            {"from_id": "P4", "to_id": "P5"},
            ("node_ids", "links"),
            [(["P4", "P5"], ["ASSOCIATE_OF"])],
        ),
        # P7's links are I6 (whose others are a victim and a witness) and P9: no way to P1.
        ({"from_id": "P7", "to_id": "P1"}, ("node_ids",), []),
        # P2's only offence, I1, is before the window.
        ({"from_id": "P2", "to_id": "P6", "start": "2024-02-01T00:00:00"}, ("node_ids",), []),
        ({"from_id": "P1", "to_id": "P1"}, ("node_ids",), []),
    ],
    "repeat_victims": [
        # 4 Jan 2024 to 3 Jan 2025: P4 in I2, I3, I4 (365 + 10 + 365); P3 and P8 once each.
        (
            {"end": "2025-01-03T00:00:00"},
            ("victim_id", "victimisations", "harm", "categories"),
            [("P4", 3, 740.0, ["personal_robbery", "domestic_abuse"])],
        ),
        # 2 Jun 2023 to 1 Jun 2024: P4 in I2 and I3.
        (
            {"end": "2024-06-01T00:00:00"},
            ("victim_id", "victimisations", "harm"),
            [("P4", 2, 375.0)],
        ),
        ({"end": "2024-03-01T00:00:00"}, ("victim_id",), []),
        (
            {"end": "2025-01-03T00:00:00", "categories": "domestic_abuse"},
            ("victim_id", "victimisations", "harm"),
            [("P4", 2, 375.0)],
        ),
        ({"end": "2025-01-03T00:00:00", "min_victimisations": 4}, ("victim_id",), []),
    ],
    "domestic_repeat_pairs": [
        # I3 2024-03-15 01:00Z to I4 2024-09-01 19:00Z: 170 days and 18 hours.
        (
            {},
            ("victim_id", "perpetrator_id", "incidents", "repeats", "min_gap_days", "harm"),
            [("P4", "P5", 2, 1, 170.75, 375.0)],
        ),
        ({"window_days": 170}, ("victim_id",), []),
        ({"start": "2024-04-01T00:00:00"}, ("victim_id",), []),
    ],
    "victim_offenders": [
        # P3: victim in I1 (January), suspect in I2 (February).
        (
            {},
            (
                "person_id",
                "victimisations",
                "offences",
                "harm_suffered",
                "harm_caused",
                "victimised_first",
            ),
            [("P3", 1, 1, 365.0, 365.0, True)],
        ),
        ({"start": "2024-02-01T00:00:00"}, ("person_id",), []),
    ],
    "near_weapon_incidents": [
        # I5 (knife): P1 and P6 in it; P2 (I1 with P1) and P3 (I2 with P1) one step on.
        (
            {},
            ("person_id", "hops", "weapon_incidents"),
            [("P1", 1, 1), ("P6", 1, 1), ("P2", 2, 1), ("P3", 2, 1)],
        ),
        ({"hops": 1}, ("person_id",), [("P1",), ("P6",)]),
        (
            {"start": "2024-02-01T00:00:00"},
            ("person_id", "hops"),
            [("P1", 1), ("P6", 1), ("P3", 2)],
        ),
        ({"categories": "gun_enabled"}, ("person_id",), []),
        # I6 (hate crime): offender P7, victim P8 and witness P2 in it; P9 (P7's associate)
        # and P1 (P2's co-offender in I1) one step on.
        (
            {"categories": "hate_crime"},
            ("person_id", "hops"),
            [("P2", 1), ("P7", 1), ("P8", 1), ("P1", 2), ("P9", 2)],
        ),
    ],
    "person_network": [
        ({"person_id": "P2"}, ("person_id", "hops"), [("P1", 1), ("P3", 2), ("P6", 2)]),
        ({"person_id": "P2", "hops": 1}, ("person_id", "hops"), [("P1", 1)]),
        ({"person_id": "P7"}, ("person_id", "hops"), [("P9", 1)]),
        # P4 is only a victim, but P5 is her partner by intelligence; P5 offended alone.
        ({"person_id": "P4"}, ("person_id", "hops"), [("P5", 1)]),
        (
            {"person_id": "P1", "hops": 1, "start": "2024-02-01T00:00:00"},
            ("person_id",),
            [("P3",), ("P6",)],
        ),
    ],
    "escalating_offenders": [
        # P1: I1 (alcohol), I2 (robbery), then I5 (knife). P6's first incident is I5 itself.
        (
            {},
            (
                "person_id",
                "first_weapon_incident_id",
                "first_weapon_category",
                "earlier_incidents",
                "earlier_categories",
            ),
            [("P1", "I5", "knife_enabled", 2, ["alcohol_related", "personal_robbery"])],
        ),
        ({"start": "2024-10-01T00:00:00"}, ("person_id",), []),
        (
            {"weapon_categories": "personal_robbery"},
            ("person_id", "first_weapon_incident_id", "earlier_categories"),
            [("P1", "I2", ["alcohol_related"])],
        ),
    ],
    "dangerous_places": [
        (
            {"level": "location"},
            ("place_id", "incidents", "harm"),
            [("L1", 2, 730.0), ("L2", 2, 375.0), ("L3", 1, 274.0)],
        ),
        (
            {"level": "ward"},
            ("place_id", "place_name", "harm"),
            [
                ("E05009288", "Aldersgate", 730.0),
                ("E05009302", "Cripplegate", 375.0),
                ("E05000137", "Camden Town with Primrose Hill", 274.0),
            ],
        ),
        # I6 has no place: the placed harm is 730 + 375 + 274 = 1,379.
        (
            {"level": "borough"},
            ("place_id", "place_name", "incidents", "harm", "harm_share"),
            [
                ("E09000001", "City of London", 4, 1105.0, 1105 / 1379),
                ("E09000007", "Camden", 1, 274.0, 274 / 1379),
            ],
        ),
        (
            {"level": "borough", "start": "2024-03-01T00:00:00"},
            ("place_id", "incidents", "harm"),
            [("E09000001", 2, 375.0), ("E09000007", 1, 274.0)],
        ),
        (
            {"level": "ward", "categories": "domestic_abuse"},
            ("place_id", "harm", "harm_share"),
            [("E05009302", 375.0, 1.0)],
        ),
    ],
    "near_repeats": [
        # 0.003868 degrees of longitude at 51.52 degrees north: 268 m between L1 and L2.
        (
            {"location_id": "L1", "distance_m": 500},
            ("incident_id", "location_id", "distance_m"),
            [
                ("I1", "L1", 0.0),
                ("I2", "L1", 0.0),
                ("I3", "L2", pytest.approx(268, abs=1)),
                ("I4", "L2", pytest.approx(268, abs=1)),
            ],
        ),
        ({"location_id": "L1", "distance_m": 100}, ("incident_id",), [("I1",), ("I2",)]),
        (
            {
                "location_id": "L1",
                "distance_m": 500,
                "start": "2024-02-01T00:00:00",
                "end": "2024-06-01T00:00:00",
            },
            ("incident_id",),
            [("I2",), ("I3",)],
        ),
        (
            {"location_id": "L3"},
            ("incident_id", "category", "harm"),
            [("I5", "knife_enabled", 274.0)],
        ),
        ({"location_id": "L4", "distance_m": 20000}, ("incident_id",), []),
        # A local time is London's: 19:30 BST is 18:30Z, before I4 (19:00Z)...
        (
            {"location_id": "L2", "distance_m": 1, "start": "2024-09-01T19:30:00"},
            ("incident_id",),
            [("I4",)],
        ),
        # ... while 19:30Z is after it.
        (
            {"location_id": "L2", "distance_m": 1, "start": "2024-09-01T19:30:00+00:00"},
            ("incident_id",),
            [],
        ),
    ],
    "ward_network": [
        # Aldersgate (L1): I1 (P1, P2) and I2 (P1, P3).
        (
            {"ward_code": "E05009288"},
            ("person_id", "ward_incidents", "co_offender_ids", "associate_ids"),
            [("P1", 2, ["P2", "P3", "P6"], ["P6"]), ("P2", 1, ["P1"], []), ("P3", 1, ["P1"], [])],
        ),
        (
            {"ward_code": "E05009302"},
            ("person_id", "ward_incidents", "co_offender_ids", "associate_ids"),
            [("P5", 2, [], ["P4"])],
        ),
        (
            {"ward_code": "E05000137"},
            ("person_id", "co_offender_ids", "associate_ids"),
            [("P1", ["P2", "P3", "P6"], ["P6"]), ("P6", ["P1"], ["P1"])],
        ),
        (
            {"ward_code": "E05009288", "start": "2024-02-01T00:00:00"},
            ("person_id", "ward_incidents", "co_offender_ids"),
            [("P1", 1, ["P3", "P6"]), ("P3", 1, ["P1"])],
        ),
        ({"ward_code": "E09000001"}, ("person_id",), []),
    ],
    "hate_crime_repeat_locations": [
        # The one hate crime, I6, has no location (see the test with two more below).
        ({}, ("location_id",), []),
    ],
    "repeat_suspects": [
        ({}, ("person_id",), []),
        # P5: I3 (cautioned) and I4 (charged), both against P4.
        (
            {"categories": "domestic_abuse"},
            ("person_id", "incidents", "victims", "harm", "outcomes"),
            [("P5", 2, 1, 375.0, ["cautioned", "charged"])],
        ),
        # P1: I1 (victim P3), I2 (victim P4), I5 (no victim); P2, P3 and P6 have one each.
        (
            {"categories": "alcohol_related,personal_robbery,knife_enabled"},
            ("person_id", "incidents", "victims", "harm", "outcomes"),
            [("P1", 3, 2, 1004.0, ["charged", "no_suspect", "charged"])],
        ),
    ],
    # The examples made to be watched (graphvc.watches); new_top_priority reads the scores,
    # as central_offenders does, and is worked by hand in test_watch_examples.
    "domestic_abuse_third_incident": [
        ({}, ("victim_id",), []),  # P4 was the victim of two: I3 and I4
        ({"threshold": 2}, ("victim_id", "incident_id", "incidents_in_window"), [("P4", "I4", 2)]),
    ],
    "weapon_in_high_harm_ward": [
        # The year up to I6 (the newest): Aldersgate 730 (I1, I2), Cripplegate 375, Camden 274;
        # the 90th percentile is 375 + 0.8 * (730 - 375) = 659: Aldersgate alone. I5, the knife
        # incident, is in Camden.
        ({"recent_days": 3660}, ("incident_id",), []),
        (
            {"recent_days": 365, "categories": "personal_robbery"},
            ("incident_id", "ward_code", "ward_harm"),
            [("I2", "E05009288", 730.0)],
        ),
    ],
    "new_incident_near_person": [
        # P1; one step: P2 (I1), P3 (I2, suspect), P6 (gang, I5). P2 witnessed I6.
        (
            {"person_id": "P1"},
            ("incident_id", "steps", "people"),
            [("I6", 1, 1), ("I5", 0, 2), ("I2", 0, 2), ("I1", 0, 3)],
        ),
        (
            {"person_id": "P1", "hops": 0},
            ("incident_id", "steps", "people"),
            [("I5", 0, 1), ("I2", 0, 1), ("I1", 0, 1)],
        ),
    ],
}


def test_every_library_query_has_hand_worked_cases() -> None:
    assert set(CASES) | {"central_offenders", "new_top_priority"} == {
        q.name for q in list_queries()
    }


@pytest.mark.parametrize(
    ("name", "params", "columns", "expected"),
    [(name, *case) for name, cases in CASES.items() for case in cases],
    ids=[f"{name}-{i}" for name, cases in CASES.items() for i in range(len(cases))],
)
def test_library_query_gives_the_hand_worked_answer(
    graph: neo4j.Driver,
    name: str,
    params: dict[str, Any],
    columns: tuple[str, ...],
    expected: list[tuple[Any, ...]],
) -> None:
    frame = _run(graph, name, **params)
    assert list(frame.columns) == [c.name for c in load_query(name).columns]
    assert _rows(frame, *columns) == expected
    # No person's name in any cell (the fixture's names are "Synthetic One" and so on).
    cells = {str(v) for v in frame.to_numpy().ravel()}
    assert not any(name_ in cell for cell in cells for name_ in NAMES)


def test_central_offenders_reads_the_written_back_scores(graph: neo4j.Driver) -> None:
    # Co-offending is a star P1-{P2, P3, P6}, with P5 and P7 alone: only P1 lies between
    # others (3 pairs), and the star is one community (any split lowers its modularity).
    frame = _run(graph, "central_offenders")
    assert len(frame) == 6
    first = frame.iloc[0]
    assert (first["person_id"], first["betweenness"], first["degree"]) == ("P1", 3.0, 3)
    assert (first["priority_rank"], bool(first["escalated"])) == (1, True)
    assert first["scored_at"] == datetime(2026, 1, 1, tzinfo=UTC)
    assert (frame["betweenness"].iloc[1:] == 0).all()
    assert frame["priority_rank"].is_monotonic_increasing  # the ties, by priority
    star = _run(graph, "central_offenders", community=int(first["community"]))
    assert star["person_id"].iloc[0] == "P1"
    assert set(star["person_id"]) == {"P1", "P2", "P3", "P6"}
    assert len(_run(graph, "central_offenders", limit=2)) == 2


@pytest.fixture
def two_hate_crimes_at_l2(graph: neo4j.Driver, tmp_path: Path) -> Iterator[neo4j.Driver]:
    (tmp_path / "incidents.csv").write_text(
        "incident_id,occurred_at,offence,category,weapon,alcohol,domestic,hate,harm,outcome,location_id\n"
        "H1,2024-06-01T12:00:00,racially_aggravated_public_order,hate_crime,false,false,false,true,,charged,L2\n"
        "H2,2024-07-01T12:00:00,racially_aggravated_public_order,hate_crime,false,false,false,true,,charged,L2\n"
    )
    (tmp_path / "involvements.csv").write_text(
        "person_id,incident_id,role\nP8,H1,victim\nP8,H2,victim\n"
    )
    load_folder(graph, tmp_path, rejects_path=tmp_path / "rejects.csv")
    try:
        yield graph
    finally:
        run_query(
            graph, "MATCH (i:Incident) WHERE i.id IN ['H1', 'H2'] DETACH DELETE i", write=True
        )
        assert graph_counts(graph) == SMALL_COUNTS


def test_hate_crime_repeat_locations_finds_a_place_targeted_twice(
    two_hate_crimes_at_l2: neo4j.Driver,
) -> None:
    # H1 and H2 at L2 (Cripplegate), both against P8: 20 + 20 harm.
    frame = _run(two_hate_crimes_at_l2, "hate_crime_repeat_locations")
    assert _rows(frame, "location_id", "ward_code", "incidents", "victims", "harm") == [
        ("L2", "E05009302", 2, 1, 40.0)
    ]
    assert _run(two_hate_crimes_at_l2, "hate_crime_repeat_locations", min_incidents=3).empty
    assert _run(two_hate_crimes_at_l2, "hate_crime_repeat_locations", end="2024-07-01").empty


def test_check_library_passes_on_the_small_graph(graph: neo4j.Driver) -> None:
    results = check_library(graph, timeout=30)
    assert results["passed"].all(), results.loc[~results["passed"]].to_dict("records")
    assert results["name"].tolist() == [q.name for q in list_queries()]


# --- injection and writes ------------------------------------------------------------------

INJECTIONS = [
    "P1' OR 1=1 //",
    '"}) DETACH DELETE n //',
    "P1'}) MATCH (n) DETACH DELETE n RETURN 1 AS co_offender_id //",
    "E05009288` DETACH DELETE n //",
]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(
    ("name", "parameter", "others"),
    [
        ("co_offenders", "person_id", {}),
        ("shortest_paths", "from_id", {"to_id": "P6"}),
        ("ward_network", "ward_code", {}),
        ("near_repeats", "location_id", {}),
    ],
)
def test_injection_in_a_value_finds_nothing_and_changes_nothing(
    graph: neo4j.Driver, name: str, parameter: str, others: dict[str, str], value: str
) -> None:
    assert _run(graph, name, **{parameter: value}, **others).empty
    assert graph_counts(graph) == SMALL_COUNTS


def _query_file(tmp_path: Path, body: str, mode: str = "read") -> Path:
    path = tmp_path / "mine.cypher"
    path.write_text(
        "// title: My query\n// description: An analyst's own query.\n// team: robbery\n"
        '// param id: string, required, example "X1" -- an id\n'
        f"// column id: an id\n// mode: {mode}\n{body}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "body",
    [
        "CREATE (p:Person {id: $id}) RETURN p.id AS id",
        "MERGE (p:Person {id: $id}) RETURN p.id AS id",
        "MATCH (p:Person) WHERE p.id <> $id SET p.flag = true RETURN p.id AS id",
        "MATCH (p:Person) WHERE p.id <> $id DETACH DELETE p RETURN $id AS id",
        "MATCH (p:Person) WHERE p.id <> $id REMOVE p.age_band RETURN p.id AS id",
        "MATCH (p:Person) WHERE p.id <> $id FOREACH (x IN [1] | SET p.flag = x) RETURN p.id AS id",
        "MATCH (p:Person) CALL (p) { SET p.flag = $id } RETURN p.id AS id",
    ],
)
def test_a_query_that_writes_is_refused_without_mode_write(
    graph: neo4j.Driver, tmp_path: Path, body: str
) -> None:
    query = load_query(_query_file(tmp_path, body))
    with pytest.raises(
        QueryError,
        match=r"refused: query 'mine' writes to the graph .* does not declare `mode: write`",
    ):
        run_stored_query(graph, query, {"id": "X1"}, allow_write=True)
    writer = load_query(_query_file(tmp_path, body, mode="write"))
    with pytest.raises(
        QueryError,
        match=r"writes to the graph .*; it runs only when writes are allowed \(--allow-write\)",
    ):
        run_stored_query(graph, writer, {"id": "X1"})
    assert graph_counts(graph) == SMALL_COUNTS
    assert run_query(graph, "MATCH (p:Person) WHERE p.flag IS NOT NULL RETURN p.id AS id").empty


@pytest.mark.parametrize(
    "body",
    [
        "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row[0] + $id AS id",
        "CALL dbms.components() YIELD name RETURN name + $id AS id",
        "CALL db.clearQueryCaches() YIELD value RETURN value + $id AS id",
        "TERMINATE TRANSACTIONS $id YIELD transactionId AS id RETURN id",
    ],
)
def test_files_admin_and_dbms_calls_are_refused_even_when_writes_are_allowed(
    graph: neo4j.Driver, tmp_path: Path, body: str
) -> None:
    writer = load_query(_query_file(tmp_path, body, mode="write"))
    with pytest.raises(QueryError, match=r"refused: query 'mine' is not a query of the graph"):
        run_stored_query(graph, writer, {"id": "X1"}, allow_write=True)


def test_a_write_query_runs_when_declared_and_allowed(graph: neo4j.Driver, tmp_path: Path) -> None:
    writer = load_query(
        _query_file(tmp_path, "CREATE (p:Person {id: $id}) RETURN p.id AS id", "write")
    )
    try:
        frame = run_stored_query(graph, writer, {"id": "X1"}, allow_write=True)
        assert frame["id"].tolist() == ["X1"]
        assert graph_counts(graph)["Person"] == SMALL_COUNTS["Person"] + 1
    finally:
        run_query(graph, "MATCH (p:Person {id: 'X1'}) DETACH DELETE p", write=True)
    assert graph_counts(graph) == SMALL_COUNTS


def test_whole_nodes_are_refused_so_names_stay_in(graph: neo4j.Driver, tmp_path: Path) -> None:
    query = load_query(_query_file(tmp_path, "MATCH (p:Person {id: $id}) RETURN p AS id"))
    with pytest.raises(
        QueryError, match="returns whole nodes, relationships or paths in column 'id'"
    ):
        run_stored_query(graph, query, {"id": "P1"})


# --- the command line ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def env(test_settings: Settings) -> dict[str, str]:
    return {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "NEO4J_DATABASE": test_settings.neo4j_database,
    }


def _graphvc(env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(cli, ["query", *args], env=env)


def test_cli_list_and_show(graph: neo4j.Driver, env: dict[str, str]) -> None:
    listed = _graphvc(env, "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert [q["name"] for q in json.loads(listed.stdout)] == [q.name for q in list_queries()]
    gangs = json.loads(_graphvc(env, "list", "--team", "gangs and firearms", "--json").stdout)
    assert {q["team"] for q in gangs} == {"gangs and firearms", "all teams"}
    shown = _graphvc(env, "show", "co_offenders")
    assert shown.exit_code == 0, shown.output
    assert 'person_id (string, required, example "P1")' in shown.stdout
    assert "MATCH (p:Person {id: $person_id})" in shown.stdout


def test_cli_run_prints_json_and_csv(
    graph: neo4j.Driver, env: dict[str, str], tmp_path: Path
) -> None:
    result = _graphvc(
        env, "run", "co_offenders", "-p", "person_id=P1", "--param", "hops=1", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert [r["co_offender_id"] for r in json.loads(result.stdout)] == ["P2", "P3", "P6"]
    result = _graphvc(env, "run", "domestic_repeat_pairs", "--format", "json")
    (pair,) = json.loads(result.stdout)
    assert (pair["victim_id"], pair["first_at"]) == ("P4", "2024-03-15T01:00:00+00:00")
    result = _graphvc(env, "run", "ward_network", "-p", "ward_code=E05009288", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["person_id"], json.loads(r["co_offender_ids"])) for r in rows] == [
        ("P1", ["P2", "P3", "P6"]),
        ("P2", ["P1"]),
        ("P3", ["P1"]),
    ]
    out = tmp_path / "places.csv"
    result = _graphvc(
        env, "run", "dangerous_places", "-p", "level=borough", "--format", "csv", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert pd.read_csv(out)["place_id"].tolist() == ["E09000001", "E09000007"]
    table = _graphvc(env, "run", "repeat_suspects")
    assert table.exit_code == 0 and table.stdout.startswith("no rows (columns: person_id,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "co_offenders"], "needs parameter 'person_id'"),
        (
            ["run", "co_offenders", "-p", "person_id=P1", "-p", "hops=many"],
            "parameter 'hops' = 'many' is not a whole number",
        ),
        (
            ["run", "co_offenders", "-p", "person_id=P1", "-p", "person_id}) DETACH DELETE n //=x"],
            "has no parameter 'person_id}) DETACH DELETE n //'",
        ),
        (["run", "co_offenders", "-p", "person_id"], "--param 'person_id' is not KEY=VALUE"),
        (["run"], "give either a library query NAME or --file PATH"),
        (["run", "no_such_query"], "no library query 'no_such_query'"),
    ],
)
def test_cli_mistakes_end_in_one_line(
    graph: neo4j.Driver, env: dict[str, str], args: list[str], message: str
) -> None:
    result = _graphvc(env, *args)
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_refuses_a_file_that_writes(
    graph: neo4j.Driver, env: dict[str, str], tmp_path: Path
) -> None:
    path = _query_file(tmp_path, "CREATE (p:Person {id: $id}) RETURN p.id AS id")
    result = _graphvc(env, "run", "--file", str(path), "-p", "id=X1", "--allow-write")
    assert result.exit_code == 1
    assert "refused: query 'mine' writes to the graph" in result.stderr
    injected = _graphvc(
        env, "run", "co_offenders", "-p", "person_id=P1' OR 1=1 //", "--format", "json"
    )
    assert (injected.exit_code, json.loads(injected.stdout)) == (0, [])
    assert graph_counts(graph) == SMALL_COUNTS


def test_cli_check_passes_on_the_small_graph_and_fails_a_bad_file(
    graph: neo4j.Driver, env: dict[str, str], tmp_path: Path
) -> None:
    result = _graphvc(env, "check", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(report) == len(list_queries()) and all(row["passed"] for row in report)
    text = _graphvc(env, "check")
    assert text.exit_code == 0 and text.stdout.count(" pass\n") == len(list_queries())
    bad = _query_file(tmp_path, "CREATE (p:Person {id: $id}) RETURN p.id AS id")
    failed = _graphvc(env, "check", "co_offenders", str(bad))
    assert failed.exit_code == 1
    assert "FAIL  refused: query 'mine' writes" in failed.stdout
    assert "1 of 2 queries failed: mine" in failed.stderr
    assert graph_counts(graph) == SMALL_COUNTS


# --- the audit trail names everyone a run names (issue 32) ---------------------------------


def test_a_run_records_every_person_its_values_and_rows_name(
    graph: neo4j.Driver, env: dict[str, str], tmp_path: Path
) -> None:
    from graphvc import audit

    audited = {**env, "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit")}
    result = _graphvc(
        audited, "run", "shortest_paths", "-p", "from_id=P2", "-p", "to_id=P6", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    (path,) = json.loads(result.stdout)
    assert path["node_ids"] == ["P2", "I1", "P1", "P6"]
    # An incident's id, or a person's id in no parameter named person..., is looked up.
    near = _graphvc(audited, "run", "near_repeats", "-p", "location_id=L1", "--format", "json")
    assert near.exit_code == 0, near.output
    trail = audit.events(tmp_path / "audit").to_dict(orient="records")
    assert [(e["action"], e["person_ids"]) for e in trail] == [
        ("query.run", ["P2", "P6"]),
        ("query.result", ["P1"]),
        ("query.run", []),
    ]
    assert trail[1]["what"] == {
        "query": "shortest_paths",
        "sha256": load_query("shortest_paths").sha256,
        "rows": 1,
    }
