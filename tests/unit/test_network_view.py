"""The explorer's chart without a database: roles from the links shown, labels, the seeded
layout, the vis-network options and the stats line."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from graphvc.app.network_view import chart_records, chart_stats, layout, network_chart
from graphvc.explore import NODE_FIELDS, EgoNetwork
from graphvc.styling import parse_styling


def _network(truncated: bool = False) -> EgoNetwork:
    """P1 offended in I1 (victim P3, at L1) and is an associate of P6, whose own incidents
    lie beyond the hops shown (the explorer at one hop around P1)."""
    rows = [
        ("e1", "Person", "P1", 0, {"score_priority": 0.9, "score_priority_rank": 1.0}),
        ("e2", "Incident", "I1", 1, {"category": "alcohol_related",
                                      "occurred_at": "2024-01-05T22:10:00Z"}),
        ("e3", "Person", "P6", 1, {"score_priority": 0.5, "score_priority_rank": 4.0}),
        ("e4", "Person", "P3", 2, {}),
        ("e5", "Location", "L1", 2, {"name": "On or near Aldersgate Street"}),
    ]  # fmt: skip
    nodes = pd.DataFrame(
        [
            dict.fromkeys(NODE_FIELDS) | {"element_id": e, "label": lb, "id": i, "hop": h} | more
            for e, lb, i, h, more in rows
        ]
    )
    edges = pd.DataFrame(
        [
            ("e1", "e2", "OFFENDER_IN"),
            ("e1", "e3", "ASSOCIATE_OF"),
            ("e4", "e2", "VICTIM_IN"),
            ("e2", "e5", "OCCURRED_AT"),
        ],
        columns=["source", "target", "type"],
    )
    return EgoNetwork(nodes, edges, truncated)


def _drawn(html: str) -> list[dict]:
    return json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html).group(1))


def test_records_say_roles_dates_and_whole_ranks() -> None:
    nodes, links = chart_records(_network(), names={"P3": "X5e1"})
    by_id = {n["id"]: n for n in nodes}
    assert [by_id[p]["role"] for p in ("P1", "P6", "P3")] == [
        "offender",
        "no incident shown",
        "victim",
    ]
    assert by_id["P1"]["score_priority_rank"] == 1 and isinstance(
        by_id["P1"]["score_priority_rank"], int
    )
    assert (by_id["I1"]["date"], by_id["I1"]["category_name"]) == ("2024-01-05", "alcohol related")
    assert by_id["P3"]["caption"] == "X5e1" and by_id["L1"]["caption"].startswith("On or near")
    assert [n["centre"] for n in nodes] == [True, False, False, False, False]
    assert not any(link["on_path"] for link in links)


def test_the_chart_labels_rank_date_and_place_and_colours_the_ranked_associate() -> None:
    drawn = {n["ref"]: n for n in _drawn(network_chart(_network()).html)}
    assert drawn["P1"]["label"] == "P1\npriority #1"
    assert drawn["I1"]["label"] == "I1\n2024-01-05 alcohol related"
    assert drawn["L1"]["label"] == "On or near Aldersgate Street"
    assert drawn["I1"]["title"].startswith("Incident I1 · alcohol_related · 2024-01-05")
    # P6 is ranked (4th) though none of their incidents is shown: not "no incident shown".
    assert drawn["P6"]["color"]["background"] == "#ff9896"
    assert drawn["P3"]["color"]["background"] == "#1f77b4"
    assert drawn["P1"]["title"] == "Person P1 · offender · priority rank 1 · offender priority 0.9"


def test_the_layout_is_seeded_and_ignores_the_order_rows_came_in() -> None:
    network = _network()
    shuffled = EgoNetwork(
        network.nodes.sample(frac=1, random_state=3).reset_index(drop=True),
        network.edges.iloc[::-1].reset_index(drop=True),
        truncated=False,
    )
    first = layout(network, seed=7)
    assert first == layout(shuffled, seed=7)
    assert first != layout(network, seed=8)
    assert set(first) == {"e1", "e2", "e3", "e4", "e5"}
    # Linked nodes lie about a link apart (120 px), not on top of each other.
    (x1, y1), (x2, y2) = first["e1"], first["e2"]
    assert 40 < ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 < 400


def test_the_page_places_nodes_with_physics_off_and_hides_small_labels() -> None:
    styling = parse_styling(
        "[chart]\nfont_size = 20\nhide_labels_below = 11\nlayout_seed = 3\n"
        '[[rules]]\nname = "all"\nnodes = "*"\ncolour = "#123456"'
    )
    chart = network_chart(_network(), styling=styling)
    drawn = _drawn(chart.html)
    assert all(n["physics"] is False for n in drawn)
    assert (
        {n["id"]: (n["x"], n["y"]) for n in drawn} == chart.positions == layout(_network(), seed=3)
    )
    options = json.loads(re.search(r"var options = (\{.*?\});\n", chart.html).group(1))
    assert options["physics"] == {"enabled": False}
    assert options["nodes"]["font"]["size"] == 20
    assert options["nodes"]["scaling"]["label"]["drawThreshold"] == 11
    assert {n["color"]["background"] for n in drawn} == {"#123456"}


@pytest.mark.parametrize(
    ("truncated", "hops", "said"),
    [
        (False, 2, "Chart: 5 nodes (3 people, 1 incident, 1 location), 4 links. Nothing cut: "
                   "the network is under the 500-node cap."),
        (True, 2, "Chart: 5 nodes (3 people, 1 incident, 1 location), 4 links. Cut at the "
                  "500-node cap: hop 2 is partial (only the nodes found first)."),
        (True, 3, "Cut at the 500-node cap: hop 2 is partial (only the nodes found first); "
                  "hop 3 was not reached."),
    ],
)  # fmt: skip
def test_stats_say_what_the_cap_cut(truncated: bool, hops: int, said: str) -> None:
    assert chart_stats(_network(truncated), hops=hops, cap=500).endswith(said)


def test_a_long_incident_id_is_shortened_on_the_label_and_whole_on_hover() -> None:
    network = _network()
    long_id = "ec8d34530107ee34eefea7894bd45457a0404959992ded2ca2dc2e34d516b743"  # police.uk
    network.nodes.loc[network.nodes["id"] == "I1", "id"] = long_id
    (incident,) = [n for n in _drawn(network_chart(network).html) if n["ref"] == long_id]
    assert incident["label"] == "ec8d3453…\n2024-01-05 alcohol related"
    assert incident["title"].startswith(f"Incident {long_id} · ")
