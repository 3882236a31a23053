"""Projections of hand-made loader tables: exact edges, weights, node attributes and filters.

The tables: four incidents and five people.

* I1 (2024-01-10, personal robbery, harm from the offence: 365, L1 in E09000001):
  offenders P1 and P2 (P2 also as suspect), victim P3.
* I2 (2024-02-01, knife-enabled wounding, harm 400, L2 in E09000002): offenders P1 and P2,
  suspect P4, victim P5.
* I3 (2024-03-01 00:00, common assault, harm 10, L1): P3 offends alone, P5 witnesses.
* I4 (2024-04-01, harassment, harm 28, no location): P1 offends alone.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graphvc.analysis.projections import (
    association_graph,
    co_offending_graph,
    person_location_graph,
    victim_offender_graph,
)
from graphvc.errors import AnalysisError, GraphvcError


@pytest.fixture
def incidents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3", "I4"],
            "occurred_at": [
                "2024-01-10T21:00:00",
                "2024-02-01",
                "2024-03-01T00:00:00",
                "2024-04-01",
            ],
            "offence": [
                "personal_robbery",
                "violence_with_injury",
                "violence_without_injury",
                "harassment",
            ],
            "category": [None, "knife_enabled", None, None],
            "harm": [None, 400.0, None, None],
            "location_id": ["L1", "L2", "L1", None],
        }
    )


@pytest.fixture
def involvements() -> pd.DataFrame:
    rows = [
        ("P1", "I1", "offender"),
        ("P2", "I1", "offender"),
        ("P2", "I1", "suspect"),
        ("P3", "I1", "victim"),
        ("P1", "I2", "offender"),
        ("P2", "I2", "offender"),
        ("P4", "I2", "suspect"),
        ("P5", "I2", "victim"),
        ("P3", "I3", "offender"),
        ("P5", "I3", "witness"),
        ("P1", "I4", "offender"),
    ]
    return pd.DataFrame(rows, columns=["person_id", "incident_id", "role"])


@pytest.fixture
def locations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "location_id": ["L1", "L2"],
            "name": ["High Street", None],
            "borough_code": ["E09000001", "E09000002"],
        }
    )


def _edges(G) -> dict[tuple[str, str], tuple[int, float, float]]:
    """Each edge as (incidents, harm, distance), its ends sorted."""
    return {
        tuple(sorted((u, v))): (d["incidents"], d["harm"], d["distance"])
        for u, v, d in G.edges(data=True)
    }


def test_co_offending_edges_count_shared_incidents_and_their_harm(incidents, involvements):
    G = co_offending_graph(incidents, involvements)
    assert _edges(G) == {
        ("P1", "P2"): (2, 765.0, 0.5),
        ("P1", "P4"): (1, 400.0, 1.0),
        ("P2", "P4"): (1, 400.0, 1.0),
    }
    assert dict(G.nodes(data=True)) == {
        "P1": {"incidents": 3, "harm": 793.0},
        "P2": {"incidents": 2, "harm": 765.0},
        "P3": {"incidents": 1, "harm": 10.0},
        "P4": {"incidents": 1, "harm": 400.0},
    }
    assert G.degree("P3") == 0
    assert not G.is_directed()


@pytest.mark.parametrize(
    ("options", "edges", "nodes"),
    [
        ({"roles": "offender"}, {("P1", "P2"): (2, 765.0, 0.5)}, ["P1", "P2", "P3"]),
        (
            {"start": "2024-02-01", "end": date(2024, 3, 1)},
            {
                ("P1", "P2"): (1, 400.0, 1.0),
                ("P1", "P4"): (1, 400.0, 1.0),
                ("P2", "P4"): (1, 400.0, 1.0),
            },
            ["P1", "P2", "P4"],
        ),
        ({"start": "2024-03-01"}, {}, ["P1", "P3"]),
        ({"end": "2024-01-10T21:00:00"}, {}, []),
        ({"boroughs": "E09000001"}, {("P1", "P2"): (1, 365.0, 1.0)}, ["P1", "P2", "P3"]),
        ({"categories": ["personal_robbery"]}, {("P1", "P2"): (1, 365.0, 1.0)}, ["P1", "P2"]),
        ({"categories": ["gun_enabled"]}, {}, []),
    ],
    ids=["roles", "window", "start-inclusive", "end-exclusive", "borough", "category", "none"],
)
def test_co_offending_filters(incidents, involvements, locations, options, edges, nodes):
    G = co_offending_graph(incidents, involvements, locations=locations, **options)
    assert _edges(G) == edges
    assert sorted(G) == nodes


def test_co_offending_reads_datetime_columns(incidents, involvements):
    as_datetimes = incidents.assign(
        occurred_at=pd.to_datetime(incidents["occurred_at"], format="ISO8601")
    )
    G = co_offending_graph(as_datetimes, involvements, start="2024-02-01", end="2024-03-01")
    assert sorted(G) == ["P1", "P2", "P4"]


def test_co_offending_copies_person_attributes_but_never_names(incidents, involvements):
    persons = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P9"],
            "name": ["Ann Example", "Ben Example", "Cy Example"],
            "age_band": ["18-24", "25-34", "65+"],
            "ethnicity": ["B1", None, "W1"],
        }
    )
    G = co_offending_graph(incidents, involvements, persons=persons)
    assert G.nodes["P1"] == {"incidents": 3, "harm": 793.0, "age_band": "18-24", "ethnicity": "B1"}
    assert G.nodes["P2"] == {"incidents": 2, "harm": 765.0, "age_band": "25-34"}
    assert "P9" not in G


def test_borough_filter_needs_locations(incidents, involvements):
    with pytest.raises(AnalysisError, match="filtering by borough needs the locations table"):
        co_offending_graph(incidents, involvements, boroughs=["E09000001"])


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"categories": "knife"}, "category 'knife' is not one of gun_enabled, knife_enabled"),
        ({"roles": ["offender", "accomplice"]}, "role 'accomplice' is not one of offender"),
    ],
)
def test_unknown_filter_values_are_named(incidents, involvements, options, message):
    with pytest.raises(GraphvcError, match=message):
        co_offending_graph(incidents, involvements, **options)


def test_missing_columns_are_named(incidents, involvements, locations):
    with pytest.raises(AnalysisError, match="the involvements table has no column 'role'"):
        co_offending_graph(incidents, involvements.drop(columns="role"))
    with pytest.raises(AnalysisError, match="the locations table has no column 'borough_code'"):
        co_offending_graph(
            incidents, involvements, boroughs="E09000001", locations=locations[["location_id"]]
        )


def test_bad_dates_are_refused_naming_the_incident(incidents, involvements):
    incidents.loc[2, "occurred_at"] = "1st March"
    with pytest.raises(GraphvcError, match=r"'I3'.*'1st March'"):
        co_offending_graph(incidents, involvements)


def test_victim_offender_arcs_run_from_offenders_to_victims(incidents, involvements):
    G = victim_offender_graph(incidents, involvements)
    assert G.is_directed()
    assert {(u, v): (d["incidents"], d["harm"]) for u, v, d in G.edges(data=True)} == {
        ("P1", "P3"): (1, 365.0),
        ("P2", "P3"): (1, 365.0),
        ("P1", "P5"): (1, 400.0),
        ("P2", "P5"): (1, 400.0),
        ("P4", "P5"): (1, 400.0),
    }
    assert G.nodes["P3"] == {
        "offender_incidents": 1,
        "offender_harm": 10.0,
        "victim_incidents": 1,
        "victim_harm": 365.0,
    }
    assert G.nodes["P5"]["offender_incidents"] == 0
    assert G.nodes["P1"]["offender_incidents"] == 3


def test_victim_offender_skips_loops_and_keeps_victims_without_offender():
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2"],
            "occurred_at": ["2024-01-01", "2024-01-02"],
            "offence": ["violence_without_injury", "personal_robbery"],
        }
    )
    involvements = pd.DataFrame(
        {
            "person_id": ["P1", "P1", "P2", "P3"],
            "incident_id": ["I1", "I1", "I1", "I2"],
            "role": ["offender", "victim", "offender", "victim"],
        }
    )
    G = victim_offender_graph(incidents, involvements)
    assert sorted(G.edges) == [("P2", "P1")]
    assert G.nodes["P3"] == {
        "offender_incidents": 0,
        "offender_harm": 0.0,
        "victim_incidents": 1,
        "victim_harm": 365.0,
    }


def test_person_location_graph_is_bipartite(incidents, involvements, locations):
    G = person_location_graph(incidents, involvements, locations=locations)
    assert _edges(G) == {
        ("L1", "P1"): (1, 365.0, 1.0),
        ("L1", "P2"): (1, 365.0, 1.0),
        ("L1", "P3"): (2, 375.0, 0.5),
        ("L1", "P5"): (1, 10.0, 1.0),
        ("L2", "P1"): (1, 400.0, 1.0),
        ("L2", "P2"): (1, 400.0, 1.0),
        ("L2", "P4"): (1, 400.0, 1.0),
        ("L2", "P5"): (1, 400.0, 1.0),
    }
    assert G.nodes["L1"] == {
        "bipartite": 1,
        "kind": "location",
        "incidents": 2,
        "harm": 375.0,
        "name": "High Street",
        "borough_code": "E09000001",
    }
    assert G.nodes["L2"]["incidents"] == 1
    assert "name" not in G.nodes["L2"]
    assert G.nodes["P1"] == {"bipartite": 0, "kind": "person", "incidents": 2, "harm": 765.0}


def test_person_location_roles_and_filters(incidents, involvements, locations):
    G = person_location_graph(
        incidents, involvements, roles="victim", boroughs="E09000001", locations=locations
    )
    assert sorted(G.edges) == [("P3", "L1")]


def test_person_location_refuses_clashing_ids(incidents, involvements):
    with pytest.raises(AnalysisError, match="'P1' is both a person_id and a location_id"):
        person_location_graph(incidents.replace({"location_id": {"L2": "P1"}}), involvements)


def test_person_location_needs_location_column(incidents, involvements):
    with pytest.raises(AnalysisError, match="the incidents table has no column 'location_id'"):
        person_location_graph(incidents.drop(columns="location_id"), involvements)


@pytest.fixture
def associations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_a": ["P2", "P1", "P3", "P4"],
            "person_b": ["P1", "P2", "P4", "P3"],
            "type": ["family", "gang", None, "associate"],
            "weight": [1.0, 2.0, None, 0.5],
            "source": ["PNC", "intel", None, None],
        }
    )


def test_association_graph_merges_rows_of_the_same_pair(associations):
    G = association_graph(associations)
    assert dict(((u, v), d) for u, v, d in G.edges(data=True)) == {
        ("P1", "P2"): {"weight": 3.0, "type": "family,gang", "distance": pytest.approx(1 / 3)},
        ("P3", "P4"): {"weight": 1.5, "type": "associate", "distance": pytest.approx(1 / 1.5)},
    }


@pytest.mark.parametrize(
    ("types", "expected"),
    [
        ("family", {("P1", "P2"): 1.0}),
        (["gang", "associate"], {("P1", "P2"): 2.0, ("P3", "P4"): 1.5}),
    ],
)
def test_association_types_filter(associations, types, expected):
    G = association_graph(associations, types=types)
    assert {(u, v): w for u, v, w in G.edges(data="weight")} == expected


def test_association_defaults_without_type_or_weight():
    G = association_graph(pd.DataFrame({"person_a": ["P1"], "person_b": ["P2"]}))
    assert G.edges["P1", "P2"] == {"weight": 1.0, "type": "associate", "distance": 1.0}


@pytest.mark.parametrize("weight", [0.0, -1.0])
def test_association_weights_must_be_positive(associations, weight):
    associations.loc[1, "weight"] = weight
    with pytest.raises(AnalysisError, match=rf"association \('P1', 'P2'\): weight {weight} is"):
        association_graph(associations)


def test_association_types_are_checked(associations):
    with pytest.raises(AnalysisError, match="type 'enemy' is not one of family, partner"):
        association_graph(associations, types=["gang", "enemy"])
