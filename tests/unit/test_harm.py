"""Crime harm: the harm table, the event tables and harm by unit, on hand-worked tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphvc.analysis import events
from graphvc.analysis.events import (
    harm_once,
    incident_harm,
    is_in,
    person_incidents,
    rolling_window,
)
from graphvc.analysis.harm import harm_by, harm_pagerank, harm_weighted_degree
from graphvc.errors import AnalysisError, InputError
from graphvc.harm_index import load_harm_table

# Harm from graphvc/data/harm_index.csv: personal_robbery 365, violence_with_injury 365,
# violence_without_injury 10, stalking 182 (domestic_abuse), possession_weapon 274.
INCIDENTS = pd.DataFrame(
    {
        "incident_id": ["I1", "I2", "I3", "I4", "I5"],
        "occurred_at": [
            "2024-01-05T10:00:00",
            "2024-02-01",
            "2024-03-01T23:30:00",
            "2024-04-01",
            "2024-05-01",
        ],
        "offence": [
            "personal_robbery",
            "violence_without_injury",
            "violence_with_injury",
            "stalking",
            "possession_weapon",
        ],
        "harm": [None, None, None, 100, None],
        "location_id": ["L1", "L1", "L2", "L3", None],
    }
)
INVOLVEMENTS = pd.DataFrame(
    {
        "person_id": ["A", "B", "V", "A", "A", "V", "B", "V", "C"],
        "incident_id": ["I1", "I1", "I1", "I2", "I2", "I3", "I4", "I4", "I5"],
        "role": [
            "offender",
            "offender",
            "victim",
            "offender",
            "suspect",
            "victim",
            "suspect",
            "victim",
            "offender",
        ],
    }
)
LOCATIONS = pd.DataFrame(
    {
        "location_id": ["L1", "L2", "L3"],
        "name": ["High St", "Park", "Flat 2"],
        "ward_code": ["W1", "W1", "W2"],
        "ward_name": ["North", "North", "South"],
        "borough_code": ["B1", "B1", "B1"],
    }
)


def test_default_harm_table_is_the_shipped_one():
    table = load_harm_table().table
    assert list(table.columns) == ["offence", "description", "harm_days", "category"]
    assert table.set_index("offence").loc["homicide", "harm_days"] == 5475.0


HEADER = "offence,description,harm_days,category\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("offence,harm_days\nx,1\n", "lacks column"),
        (HEADER + "x,,-3,hate_crime\n", "row 2: harm_days -3 of 'x' is not a number"),
        (HEADER + "x,,ten,hate_crime\n", "row 2: harm_days 'ten' of 'x' is not a number"),
        (HEADER + "x,,1,hate_crime\nx,,2,hate_crime\n", "offence 'x' appears twice"),
        (HEADER + "x,,1,burglary\n", "row 2: category 'burglary' of 'x'"),
    ],
)
def test_bad_harm_table_names_file_row_and_value(tmp_path, text, message):
    path = tmp_path / "harm.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_harm_table(path)
    assert "harm.csv" in str(caught.value)


def test_missing_harm_table_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_harm_table(tmp_path / "absent.csv")


def test_user_harm_table_replaces_the_default(tmp_path):
    path = tmp_path / "harm.csv"
    path.write_text(HEADER + "personal_robbery,,1000,personal_robbery\n")
    table = incident_harm(INCIDENTS.iloc[[0]], harm_table=load_harm_table(path))
    assert table["harm"].tolist() == [1000.0]


def test_incident_harm_fills_harm_and_category_and_keeps_given_harm():
    table = incident_harm(INCIDENTS)
    assert table["harm"].tolist() == [365.0, 10.0, 365.0, 100.0, 274.0]
    assert table.loc[3, "category"] == "domestic_abuse"
    assert table["domestic"].tolist() == [False] * 5
    assert pd.api.types.is_datetime64_any_dtype(table["occurred_at"])


def test_incident_harm_accepts_datetimes_and_filters_half_open_window():
    incidents = INCIDENTS.assign(
        occurred_at=pd.to_datetime(INCIDENTS["occurred_at"], format="ISO8601")
    )
    table = incident_harm(incidents, start="2024-02-01", end="2024-04-01")
    assert table["incident_id"].tolist() == ["I2", "I3"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        ("2024-02-01", "2024-04-01"),
        ("2024-03-15", None),
        (None, "2024-01-05T10:00:01"),
    ],
)
def test_harm_once_fills_a_table_once_and_cuts_windows_from_it(monkeypatch, start, end):
    expected = incident_harm(INCIDENTS, start=start, end=end)
    fills = []
    fill = events._fill
    monkeypatch.setattr(events, "_fill", lambda *a, **k: fills.append(k) or fill(*a, **k))
    with harm_once():
        whole = incident_harm(INCIDENTS)
        cut = incident_harm(INCIDENTS, start=start, end=end)
        other = incident_harm(INCIDENTS.copy(), start=start, end=end)  # another table: filled
    pd.testing.assert_frame_equal(cut, expected)
    pd.testing.assert_frame_equal(other, expected)
    assert len(whole) == 5 and len(fills) == 2
    incident_harm(INCIDENTS)  # outside the block, filled again
    assert len(fills) == 3


def test_a_harm_once_block_within_another_shares_its_tables(monkeypatch):
    fills = []
    fill = events._fill
    monkeypatch.setattr(events, "_fill", lambda *a, **k: fills.append(k) or fill(*a, **k))
    with harm_once():
        incident_harm(INCIDENTS)
        with harm_once():
            inner = incident_harm(INCIDENTS, start="2024-02-01")
        after = incident_harm(INCIDENTS, end="2024-02-01")  # the inner block kept the outer's
    assert len(fills) == 1
    assert len(inner) + len(after) == 5
    incident_harm(INCIDENTS)
    assert len(fills) == 2


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("occurred_at", "2024-13-01", r"incident 'I1': occurred_at '2024-13-01' is not a date"),
        ("harm", -1, r"incident 'I1': harm -1 is not a number ≥ 0"),
        ("offence", "burglary", r"incident 'I1': offence 'burglary' is not in the harm table"),
        ("category", "arson", r"incident 'I1': category 'arson' is not one of"),
        ("domestic", "maybe", r"incident 'I1': domestic 'maybe' is not true or false"),
    ],
)
def test_bad_incident_values_are_named(column, value, message):
    incidents = INCIDENTS.copy()
    incidents[column] = incidents[column].astype(object) if column in incidents else None
    incidents.loc[0, column] = value
    with pytest.raises(InputError, match=message):
        incident_harm(incidents)


def test_repeated_incident_id_is_refused():
    with pytest.raises(InputError, match="incident_id 'I1' appears twice"):
        incident_harm(pd.concat([INCIDENTS, INCIDENTS.iloc[[0]]]))


def test_domestic_flag_reads_contract_booleans():
    incidents = INCIDENTS.assign(domestic=["true", "1", "yes", "false", None])
    assert incident_harm(incidents)["domestic"].tolist() == [True, True, True, False, False]


def test_person_incidents_counts_offender_and_suspect_once():
    events = person_incidents(INCIDENTS, INVOLVEMENTS, roles=("offender", "suspect"))
    assert events[["person_id", "incident_id"]].to_numpy().tolist() == [
        ["A", "I1"],
        ["A", "I2"],
        ["B", "I1"],
        ["B", "I4"],
        ["C", "I5"],
    ]


def test_unknown_role_is_refused():
    with pytest.raises(AnalysisError, match="role 'bystander'"):
        person_incidents(INCIDENTS, INVOLVEMENTS, roles=("bystander",))


def test_harm_by_offender_credits_each_co_offender_in_full():
    table = harm_by(INCIDENTS, INVOLVEMENTS, by="offender")
    # A: I1 365 + I2 10; B: I1 365 + I4 100; C: I5 274. Total 1114.
    assert table.index.tolist() == ["B", "A", "C"]
    assert table["harm"].tolist() == [465.0, 375.0, 274.0]
    assert table["incidents"].tolist() == [2, 2, 1]
    assert table.loc["A", "harm_share"] == pytest.approx(375 / 1114)
    assert table.loc["A", "first_at"] == pd.Timestamp("2024-01-05T10:00:00")


def test_harm_by_victim_with_min_incidents():
    table = harm_by(INCIDENTS, INVOLVEMENTS, by="victim", min_incidents=3)
    assert table["incidents"].to_dict() == {"V": 3}
    assert table.loc["V", "harm"] == 830.0


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("location", {"L1": 375.0, "L2": 365.0, "L3": 100.0}),
        ("ward", {"W1": 740.0, "W2": 100.0}),
        ("borough", {"B1": 840.0}),
    ],
)
def test_harm_by_place(by, expected):
    table = harm_by(INCIDENTS, None, LOCATIONS, by=by)
    assert table["harm"].to_dict() == expected


def test_harm_by_ward_carries_the_name():
    assert harm_by(INCIDENTS, None, LOCATIONS, by="ward")["ward_name"].to_dict() == {
        "W1": "North",
        "W2": "South",
    }


@pytest.mark.parametrize(
    ("by", "involvements", "locations", "message"),
    [
        ("offender", None, None, "needs the involvements table"),
        ("ward", None, None, "needs the locations table"),
        ("street", None, None, "by='street' is not one of"),
    ],
)
def test_harm_by_needs_its_tables(by, involvements, locations, message):
    with pytest.raises(AnalysisError, match=message):
        harm_by(INCIDENTS, involvements, locations, by=by)


def test_rolling_window_is_half_open_and_checked():
    assert rolling_window("2024-03-01", 29) == (
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-03-01"),
    )
    with pytest.raises(AnalysisError, match="window_days=0"):
        rolling_window("2024-03-01", 0)
    with pytest.raises(AnalysisError, match="as_of='soon' is not a date"):
        rolling_window("soon", 10)


def test_harm_weighted_degree_and_pagerank_on_a_star():
    G = nx.Graph()
    G.add_edge("hub", "x", harm=300.0)
    G.add_edge("hub", "y", harm=100.0)
    degree = harm_weighted_degree(G)
    assert degree.loc["hub"].tolist() == [2, 400.0]
    rank = harm_pagerank(G)
    assert rank.index[0] == "hub"
    assert rank["harm_pagerank"].sum() == pytest.approx(1.0)
    # x is tied by more harm to the hub, so the walker reaches it more often than y.
    assert rank.loc["x", "harm_pagerank"] > rank.loc["y", "harm_pagerank"]


def test_missing_edge_harm_is_named():
    G = nx.Graph([("A", "B")])
    with pytest.raises(AnalysisError, match=r"edge \('A', 'B'\) has no 'harm' attribute"):
        harm_weighted_degree(G)


def test_empty_cells_are_missing_values():
    incidents = INCIDENTS.iloc[:2].assign(harm=["", " 12"], category=["", "hate_crime"])
    table = incident_harm(incidents)
    assert table[["harm", "category"]].to_numpy().tolist() == [
        [365.0, "personal_robbery"],
        [12.0, "hate_crime"],
    ]


#: Ways of naming the wanted values, each made afresh per call (a generator is used once).
WANTED = {
    "str series with a missing": lambda: pd.Series(["B", None, "Z"], dtype="str"),
    "index": lambda: pd.Index(["D", "A"], dtype="str"),
    "set": lambda: {"A", "C"},
    "generator": lambda: (person for person in ["C", "D"]),
    "text and a number": lambda: ["B", 7],
    "none": lambda: [],
    "object array": lambda: np.array(["D", None], dtype=object),
}


@pytest.mark.parametrize("wanted", WANTED.values(), ids=WANTED.keys())
@pytest.mark.parametrize("dtype", ["str", "string", object, "category"])
def test_is_in_answers_what_isin_answers(
    wanted: Callable[[], Iterable[object]], dtype: object
) -> None:
    values = pd.Series(["A", "B", None, "D", "B", "C"], dtype=dtype)
    listed = wanted()
    if not isinstance(listed, pd.Series | pd.Index | np.ndarray):
        listed = list(listed)
    expected = values.isin(listed).to_numpy(dtype=bool)
    assert expected.any() or len(listed) == 0  # the cases match something
    assert is_in(values, wanted()).tolist() == expected.tolist()
    assert is_in(pd.Index(values), wanted()).tolist() == expected.tolist()


def test_is_in_refuses_a_bare_string_as_isin_does() -> None:
    with pytest.raises(TypeError, match="str"):
        is_in(pd.Series(["A", "B"], dtype="str"), "AB")
