"""Confirmed identities in a run (no database): each confirmed cluster counted as one person
before any measure, the records behind it named, and the run's identity changed by them."""

from __future__ import annotations

import pandas as pd
import pytest

from graphvc.errors import ConfigError
from graphvc.identity import cluster_members, merge_people, representatives
from graphvc.runs import AnalysisParameters, analyse
from tests.identity_broker import AS_OF, BROKER, VICTIM, broker_tables


def _by_betweenness(people: pd.DataFrame) -> list[str]:
    return people.sort_values("betweenness", ascending=False, kind="stable").index.tolist()


def test_a_broker_split_into_three_records_is_first_only_once_confirmed() -> None:
    apart = analyse(broker_tables(), AnalysisParameters(as_of=AS_OF))
    assert _by_betweenness(apart.people)[0] == "Y"
    assert "members" not in apart.people
    one = analyse(broker_tables(), AnalysisParameters(as_of=AS_OF, clusters=[list(BROKER)]))
    order = _by_betweenness(one.people)
    assert order[0] == "X1"
    assert not {"X2", "X3"} & set(one.people.index)
    # 27 pairs between the groups A, B and C pass through X against 9 through Y.
    assert one.people.loc["X1", "betweenness"] == pytest.approx(
        3 * one.people.loc["Y", "betweenness"]
    )
    assert one.people.loc["X1", "members"] == "X1;X2;X3"
    assert pd.isna(one.people.loc["Y", "members"])
    assert one.people.loc["X1", "degree"] == 3
    assert one.summary["people_in_network"] == apart.summary["people_in_network"] - 2


def test_resolve_none_ignores_the_clusters() -> None:
    parameters = AnalysisParameters(as_of=AS_OF, resolve="none", clusters=[list(BROKER)])
    result = analyse(broker_tables(), parameters)
    assert _by_betweenness(result.people)[0] == "Y"
    assert {"X1", "X2", "X3"} <= set(result.people.index)
    assert parameters.as_dict()["identities"]["clusters"] == 0


def test_two_records_of_one_victim_make_a_repeat_victim() -> None:
    apart = analyse(broker_tables(), AnalysisParameters(as_of=AS_OF))
    one = analyse(broker_tables(), AnalysisParameters(as_of=AS_OF, clusters=[list(VICTIM)]))
    assert apart.repeat_victims.empty
    assert one.repeat_victims.index.tolist() == ["V1"]


def test_merge_keeps_one_row_of_what_becomes_the_same() -> None:
    tables = {
        "persons": pd.DataFrame({"person_id": ["P1", "P2", "P3"], "sex": ["M", "F", "M"]}),
        "involvements": pd.DataFrame(
            {
                "person_id": ["P1", "P3", "P3", "P2"],
                "incident_id": ["I1", "I1", "I1", "I2"],
                "role": ["offender", "offender", "victim", "offender"],
            }
        ),
        "associations": pd.DataFrame(
            {
                "person_a": ["P1", "P3", "P2", "P1"],
                "person_b": ["P3", "P2", "P1", "P2"],
                "type": ["gang", "gang", "gang", "family"],
                "weight": [1.0, 1.0, 4.0, 2.0],
            }
        ),
        "incidents": pd.DataFrame({"incident_id": ["I1", "I2"]}),
    }
    merged = merge_people(tables, [["P3", "P1"]])
    assert merged["persons"].to_numpy().tolist() == [["P1", "M"], ["P2", "F"]]
    assert merged["involvements"].to_numpy().tolist() == [
        ["P1", "I1", "offender"],
        ["P1", "I1", "victim"],
        ["P2", "I2", "offender"],
    ]
    # P1-P3 is one person's tie to itself: gone; P3-P2 and P2-P1 gang are one tie, the
    # strongest (4); the family tie stays.
    assert merged["associations"].to_numpy().tolist() == [
        ["P2", "P1", "gang", 4.0],
        ["P1", "P2", "family", 2.0],
    ]
    assert merged["incidents"] is tables["incidents"]
    assert merge_people(tables, []) == tables


def test_representatives_and_members_name_the_lowest_id() -> None:
    assert representatives([["P10", "P9"]]) == {"P10": "P10", "P9": "P10"}
    assert cluster_members([["P9", "P10"], ["P5"]]).to_dict() == {"P10": "P10;P9"}


def test_the_clusters_are_part_of_the_runs_identity() -> None:
    plain = AnalysisParameters(as_of=AS_OF, clusters=[])
    merged = AnalysisParameters(as_of=AS_OF, clusters=[["X2", "X1"], ["X3"]])
    other = AnalysisParameters(as_of=AS_OF, clusters=[["X1", "X3"]])
    assert merged.clusters == (("X1", "X2"),)
    assert merged.as_dict()["identities"]["clusters"] == 1
    assert merged.as_dict()["identities"]["records"] == 2
    digests = {p.as_dict()["identities"]["digest"] for p in (plain, merged, other)}
    assert len(digests) == 3
    assert merged.as_dict()["resolve"] == "confirmed"


def test_an_unknown_resolve_is_refused() -> None:
    with pytest.raises(ConfigError, match="--resolve 'all' must be one of confirmed, none"):
        AnalysisParameters(resolve="all")
