"""When incidents happen, in London time: hours of the week across the clock changes, months,
period steps, and a network cut to a period (:mod:`graphvc.time_patterns`)."""

from __future__ import annotations

import pandas as pd
import pytest

from graphvc.explore import EgoNetwork
from graphvc.time_patterns import (
    hour_weekday_counts,
    incident_lanes,
    month_only,
    month_span,
    network_incidents,
    period_bounds,
    step_period,
    wall_clock,
    within_period,
)


@pytest.mark.parametrize(
    ("instant", "day", "hour"),
    [
        # Sunday 31 March 2024: the clocks go forward at 01:00 UTC (01:00 GMT -> 02:00 BST).
        ("2024-03-31T00:30:00Z", "Sun", 0),  # 00:30 GMT
        ("2024-03-31T01:30:00Z", "Sun", 2),  # 02:30 BST: London's 01:xx never happened
        ("2024-03-30T23:30:00+00:00", "Sat", 23),
        # Sunday 27 October 2024: back at 01:00 UTC (02:00 BST -> 01:00 GMT), 01:xx twice.
        ("2024-10-27T00:30:00Z", "Sun", 1),  # 01:30 BST
        ("2024-10-27T01:30:00Z", "Sun", 1),  # 01:30 GMT
        ("2024-10-26T23:30:00Z", "Sun", 0),  # 00:30 BST on Sunday, still Saturday in UTC
        # An offset other than London's: 18:00 in New York (EDT) is 23:00 in London.
        ("2024-07-05T18:00:00-04:00", "Fri", 23),
    ],
)
def test_hours_are_londons_across_the_clock_changes(instant: str, day: str, hour: int) -> None:
    counts = hour_weekday_counts(pd.DataFrame({"occurred_at": [instant]}))
    assert counts[counts["incidents"] > 0][["day", "hour", "incidents"]].to_numpy().tolist() == [
        [day, hour, 1]
    ]


def test_the_week_is_every_hour_of_every_day() -> None:
    frame = pd.DataFrame({"occurred_at": ["2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z", None]})
    counts = hour_weekday_counts(frame)
    assert len(counts) == 168
    assert counts[["weekday", "hour"]].drop_duplicates().shape[0] == 168
    # Both 01:30s of the night the clocks went back are Sunday 01:00; the undated is left out.
    assert counts.set_index(["day", "hour"])["incidents"].to_dict()[("Sun", 1)] == 2
    assert counts["incidents"].sum() == 2


def test_naive_times_are_already_londons() -> None:
    naive = pd.Series(pd.to_datetime(["2024-07-01 02:30", "2024-12-01 02:30"]))
    assert wall_clock(naive).tolist() == naive.tolist()
    counts = hour_weekday_counts(pd.DataFrame({"when": naive}), column="when")
    assert set(counts[counts["incidents"] > 0]["hour"]) == {2}


def test_months_span_the_gaps_in_london_time() -> None:
    # 23:30 UTC on 31 May 2024 is 00:30 on 1 June in London.
    assert [str(m) for m in month_span(["2024-05-31T23:30:00Z", "2024-03-02T10:00:00Z"])] == [
        "2024-03",
        "2024-04",
        "2024-05",
        "2024-06",
    ]
    assert month_span([None]) == []
    assert period_bounds(pd.Period("2024-12", "M"), pd.Period("2024-12", "M")) == (
        pd.Timestamp("2024-12-01"),
        pd.Timestamp("2025-01-01"),
    )


SPAN = list(pd.period_range("2024-01", "2024-10", freq="M"))


def _months(*texts: str) -> tuple[pd.Period, ...]:
    return tuple(pd.Period(t, "M") for t in texts)


@pytest.mark.parametrize(
    ("period", "steps", "keep_start", "moved"),
    [
        (("2024-01", "2024-02"), 1, False, ("2024-02", "2024-03")),
        (("2024-02", "2024-03"), -1, False, ("2024-01", "2024-02")),
        (("2024-01", "2024-02"), -1, False, ("2024-01", "2024-02")),  # at the start already
        (("2024-08", "2024-10"), 1, False, ("2024-08", "2024-10")),  # at the end already
        (("2024-01", "2024-10"), 1, False, ("2024-01", "2024-10")),  # the whole span
        (("2024-03", "2024-03"), 3, True, ("2024-03", "2024-06")),
        (("2024-03", "2024-09"), 5, True, ("2024-03", "2024-10")),
        (("2024-03", "2024-04"), -4, True, ("2024-03", "2024-03")),
    ],
)
def test_steps_keep_within_the_span(
    period: tuple[str, str], steps: int, keep_start: bool, moved: tuple[str, str]
) -> None:
    start, end = _months(*period)
    assert step_period((start, end), SPAN, steps, keep_start=keep_start) == _months(*moved)


def _network() -> EgoNetwork:
    """P1 (centre) offended in I1 (Jan, with P2, at L1) and I5 (Oct, with P6, at L3); P1 and
    P6 are associates; P7 was P2's victim in I7 (Mar, at L1)."""
    rows = [
        ("p1", "Person", "P1", None, None, None, 0),
        ("p2", "Person", "P2", None, None, None, 2),
        ("p6", "Person", "P6", None, None, None, 1),
        ("p7", "Person", "P7", None, None, None, 3),
        ("i1", "Incident", "I1", "2024-01-05T22:10:00Z", "alcohol_related", None, 1),
        ("i5", "Incident", "I5", "2024-10-20T20:45:00Z", "knife_enabled", None, 1),
        ("i7", "Incident", "I7", "2024-03-01T00:30:00Z", None, None, 3),
        ("l1", "Location", "L1", None, None, "Aldersgate Street", 2),
        ("l3", "Location", "L3", None, None, None, 2),
    ]
    nodes = pd.DataFrame(
        rows, columns=["element_id", "label", "id", "occurred_at", "category", "name", "hop"]
    )
    links = [
        ("p1", "i1", "OFFENDER_IN"),
        ("p2", "i1", "OFFENDER_IN"),
        ("p1", "p6", "ASSOCIATE_OF"),
        ("p1", "i5", "OFFENDER_IN"),
        ("p6", "i5", "OFFENDER_IN"),
        ("p2", "i7", "OFFENDER_IN"),
        ("p7", "i7", "VICTIM_IN"),
        ("i1", "l1", "OCCURRED_AT"),
        ("i7", "l1", "OCCURRED_AT"),
        ("i5", "l3", "OCCURRED_AT"),
    ]
    return EgoNetwork(nodes, pd.DataFrame(links, columns=["source", "target", "type"]), False)


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        # January: I1 with P2 and L1; P6 through the association; I5, I7 and what only they
        # tied in (L3, P7) go.
        ("2024-01-01", "2024-02-01", {"P1", "P2", "P6", "I1", "L1"}),
        # March: I7 alone (00:30 GMT on 1 March), not linked to P1 any more but shown with its
        # people and place; P1 and P6 still, through the association.
        ("2024-03-01", "2024-04-01", {"P1", "P6", "I7", "P2", "P7", "L1"}),
        # 29 February ends before I7's moment.
        ("2024-02-01", "2024-03-01", {"P1", "P6"}),
        ("2024-01-01", "2024-11-01", {"P1", "P2", "P6", "P7", "I1", "I5", "I7", "L1", "L3"}),
    ],
)
def test_a_period_keeps_its_incidents_and_what_they_tie_in(
    start: str, end: str, shown: set[str]
) -> None:
    network = within_period(_network(), start, end)
    assert set(network.nodes["id"]) == shown
    kept = set(network.nodes["element_id"])
    assert set(network.edges["source"]) | set(network.edges["target"]) <= kept


def test_an_incident_centre_outside_the_period_goes() -> None:
    network = _network()
    centred = EgoNetwork(
        network.nodes.assign(hop=network.nodes["id"].map({"I1": 0}).fillna(1)),
        network.edges,
        False,
    )
    # Only I7 is in March: its people and place are shown; I1, the centre, is not.
    assert set(within_period(centred, "2024-03-01", "2024-04-01").nodes["id"]) == {
        "I7",
        "P2",
        "P7",
        "L1",
    }


def test_incidents_and_lanes_in_date_order() -> None:
    incidents = network_incidents(_network())
    assert incidents["id"].tolist() == ["I1", "I7", "I5"]
    assert incidents["occurred_at"].tolist() == [
        pd.Timestamp("2024-01-05 22:10"),
        pd.Timestamp("2024-03-01 00:30"),
        pd.Timestamp("2024-10-20 21:45"),  # BST
    ]
    assert incidents["place"].tolist() == ["Aldersgate Street", "Aldersgate Street", "L3"]
    assert incidents["people"].tolist() == [
        "P1 offender, P2 offender",
        "P2 offender, P7 victim",
        "P1 offender, P6 offender",
    ]
    lanes = incident_lanes(_network())
    assert list(zip(lanes["id"], lanes["person"], lanes["role"], strict=True)) == [
        ("I1", "P1", "offender"),
        ("I1", "P2", "offender"),
        ("I7", "P2", "offender"),
        ("I7", "P7", "victim"),
        ("I5", "P1", "offender"),
        ("I5", "P6", "offender"),
    ]


def test_an_incident_without_people_has_a_lane_of_its_own() -> None:
    network = _network()
    alone = EgoNetwork(
        network.nodes[network.nodes["id"].isin(["I1", "L1"])],
        network.edges[network.edges["type"] == "OCCURRED_AT"],
        False,
    )
    lanes = incident_lanes(alone)
    assert lanes[["id", "person", "people"]].to_numpy().tolist() == [
        ["I1", "no person shown", "none shown"]
    ]


def test_month_only_dates_are_told_apart_in_london_time() -> None:
    # police.uk's months, as loaded (00:00 London on the 1st: 23:00 UTC the day before in
    # summer), against times of day that fall on a 1st or at midnight.
    moments = [
        "2024-01-01T00:00:00Z",
        "2024-06-30T23:00:00Z",
        "2024-07-01T00:00:00Z",  # 01:00 BST
        "2024-03-05T00:00:00Z",
        None,
    ]
    assert month_only(moments).tolist() == [True, True, False, False, False]
