"""The Streamlit app against the real Neo4j: every page with AppTest, and the explorer in Chromium.

The graph is the small fixture (``tests/fixtures/small``) with the scores of
``graphvc.runs`` written back and one report built, as ``graphvc analyse`` and
``graphvc report`` would leave it. What the explorer must show, worked out from the CSVs:

* P1 offended in I1, I2 and I5 (involvements.csv) and is a gang associate of P6
  (associations.csv): hop 1 is I1, I2, I5 and P6.
* I1 brings its co-offender P2, its victim P3 and its place L1; I2 its suspect P3, its victim
  P4 and L1 again; I5 its co-offender P6 (already at hop 1) and its place L3 (incidents.csv);
  P6 offended only in I5. Hop 2 is P2, P3, P4, L1 and L3.
* So P1's 2-hop people are P2, P3, P4 and P6; 10 nodes in all, joined by 12 links (P1's four;
  P6–I5; P2–I1, P3–I1, P3–I2, P4–I2; I1–L1, I2–L1, I5–L3).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import neo4j
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from graphvc.app import data
from graphvc.app import page as page_path
from graphvc.app.main import PAGES
from graphvc.app.server import HEALTH, free_port, running, streamlit_command
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.display import plain_value
from graphvc.geography import MapGeography
from graphvc.graph_tables import read_graph_tables
from graphvc.reference import install_from
from graphvc.reports import build_report
from graphvc.runs import AnalysisParameters, analyse, record_run
from graphvc.schema import apply_schema, wipe
from graphvc.stored_runs import list_runs
from graphvc.styling import icon_uri, load_styling
from graphvc.targets import MPS_TARGETS
from loaders.folder import load_folder
from tests.app_caches import clear_app_caches
from tests.browser import chromium

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"
AS_OF = pd.Timestamp("2025-01-03")  # the day after the fixture's latest incident
P1_TWO_HOPS = {"P1", "I1", "I2", "I5", "P6", "P2", "P3", "P4", "L1", "L3"}

OpenPage = Callable[..., AppTest]


class Served(NamedTuple):
    runs: Path
    reports: Path


@pytest.fixture(scope="module")
def served(empty_graph: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> Served:
    """The small graph, analysed as ``graphvc analyse`` leaves it (scores written back, the
    run stored) and reported on: the folders of its runs and of its one report."""
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    result = analyse(read_graph_tables(empty_graph), AnalysisParameters(as_of=AS_OF))
    runs = tmp_path_factory.mktemp("runs")
    record_run(empty_graph, result, runs_dir=runs, finished_at=datetime(2026, 1, 1, tzinfo=UTC))
    folder = tmp_path_factory.mktemp("reports")
    build_report(empty_graph, folder, AnalysisParameters(as_of=AS_OF))
    return Served(runs=runs, reports=folder)


@pytest.fixture(scope="module")
def reports_dir(served: Served) -> Path:
    return served.reports


def _app_env(settings: Settings, served: Served) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_REPORTS_DIR": str(served.reports),
        "GRAPHVC_RUNS_DIR": str(served.runs),
    }


@pytest.fixture
def open_page(
    served: Served, test_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OpenPage]:
    """Open a page of the app on the test server, with fresh caches."""
    for name, value in _app_env(test_settings, served).items():
        monkeypatch.setenv(name, value)

    def opened(page: str = "overview") -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
        if page != "overview":
            at.switch_page(page_path(page)).run()
        assert not at.exception, at.exception[0].stack_trace if at.exception else ""
        return at

    clear_app_caches()
    yield opened
    clear_app_caches()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def _explore(at: AppTest, node_id: str, **widgets) -> AppTest:
    at.text_input(key="node_id").input(node_id)
    for key, value in widgets.items():
        getattr(at, "text_input" if key == "connect_to" else "multiselect")(key=key).set_value(
            value
        )
    _button(at, "Explore").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def _drawn(at: AppTest) -> list[dict]:
    """The nodes of the pyvis picture, read from its HTML."""
    html = at.get("iframe")[0].proto.srcdoc
    return json.loads(re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html).group(1))


def _people_table(at: AppTest) -> set[str]:
    return set(next(d.value for d in at.dataframe if "hop" in d.value.columns)["id"])


def _no_names(at: AppTest) -> None:
    """No person's name (every one in the fixture starts "Synthetic") reaches the page."""
    shown = [d.value.to_csv() for d in at.dataframe] + [m.value for m in at.markdown]
    shown += [e.proto.srcdoc for e in at.get("iframe")]
    assert not any("Synthetic" in text for text in shown)


def test_overview_counts_map_and_latest_report(open_page: OpenPage) -> None:
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert {k: metrics[k] for k in ("Persons", "Incidents", "Locations", "Wards", "Boroughs")} == {
        "Persons": "9",
        "Incidents": "6",
        "Locations": "4",
        "Wards": "3",
        "Boroughs": "2",
    }
    # The latest report's headlines: 6 incidents in the window; in the network (every tie
    # layer), the 6 offenders, P4 (partner of P5) and P9 (family of P7).
    assert any("Latest report: as of 2025-01-03" in s.value for s in at.subheader)
    assert metrics["People in the network"] == "8"
    # The head of its offender list: who, the priority and the priority's own parts.
    head = at.dataframe[0].value
    assert list(head.columns) == [
        "Person",
        "Rank",
        "Priority",
        "Listed since",
        "Review by",
        "RFG part",
        "Betweenness part",
        "Harm PageRank part",
    ]
    ranks = [int(rank) for rank in head["Rank"]]
    assert ranks == sorted(ranks) and len(head) == 5
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    # Beneath the columns, the outlines when reference data is installed in GRAPHVC_HOME.
    drawn = next(layer for layer in deck["layers"] if layer["@@type"] == "ColumnLayer")
    columns = {row["borough"]: row["harm"] for row in drawn["data"]}
    # City of London: I1 365 + I2 365 + I3 10 + I4 365; Camden: I5 274 (I6 has no place).
    assert columns == {"City of London": 1105.0, "Camden": 274.0}
    assert "mapProvider" not in deck  # no tile server is ever asked
    pivot = at.dataframe[-1].value.set_index("Borough")
    assert pivot.loc["City of London", "All categories"] == "4"
    assert pivot.loc["Camden", "Knife enabled"] == "1"
    assert pivot.loc["Camden", "Borough code"] == "E09000007"
    # The bars say the table's harm by category; the trend draws one line per category.
    by_category = next(d.value for d in at.dataframe if "Category" in d.value.columns)
    bars = next(h.value for h in at.markdown if "by continuum category" in h.value)
    assert {
        k: float(v.replace(",", ""))
        for k, v in re.findall(r"<title>([^<:]+): ([0-9,.]+)</title>", bars)
    } == {
        category: float(harm.replace(",", ""))
        for category, harm in zip(by_category["Category"], by_category["Harm (days)"], strict=True)
    }
    trend = next(h.value for h in at.markdown if "incidents per month" in h.value)
    assert set(re.findall(r"<polyline [^>]*><title>([^<]+)</title>", trend)) == set(
        by_category["Category"]
    )


def _square(code: str, name: str, west: float) -> dict:
    """A GeoJSON feature: area ``code`` named ``name``, a square east of longitude ``west``."""
    ring = [[west, 51.5], [west + 0.1, 51.5], [west + 0.1, 51.6], [west, 51.6], [west, 51.5]]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"code": code, "name": name},
    }


def _picture(at: AppTest) -> str:
    """The page's first picture (an SVG of graphvc.reports.charts)."""
    return next(m.value for m in at.markdown if "<svg" in m.value)


def _tips(picture: str) -> dict[str, str]:
    """Each area of an outline picture: its tip -> its fill."""
    found = re.findall(r'fill="([^"]+)" [^>]*><title>([^<]+)</title>', picture)
    return {tip: fill for fill, tip in found}


def test_the_overview_shades_the_boroughs_when_the_city_has_outlines(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With borough outlines the overview draws harm by borough as a picture (no WebGL map):
    each borough shaded by its harm, the most harmful darkest, its figure in its tip."""

    boroughs = {
        "type": "FeatureCollection",
        "features": [
            _square("E09000001", "City of London", -0.1),
            _square("E09000007", "Camden", -0.2),
            _square("E09000033", "Westminster", -0.3),
        ],
    }
    london = MapGeography("London (ONS codes)", {"borough": boroughs}, True)
    monkeypatch.setattr("graphvc.app.data.map_outlines", lambda: london)
    at = open_page("overview")
    assert not at.get("deck_gl_json_chart")
    fills = _tips(next(h.value for h in at.markdown if 'aria-label="harm by borough"' in h.value))
    # City of London: I1 365 + I2 365 + I3 10 + I4 365; Camden: I5 274; Westminster: none.
    assert fills == {
        "City of London: 1,105": "rgb(213,94,0)",
        "Camden: 274": f"rgb(213,{int(94 + 150 * (1 - 274 / 1105))},0)",
        "Westminster": "#ffffff",
    }


def test_the_overview_reads_the_run_and_counts_the_graph_only_when_asked(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a stored run the overview's tables are the run's; without one, the page counts
    them from the graph with the Cypher library when asked, and finds the same."""
    asked: list[str] = []
    query = data.library_query

    def recorded(name: str, parameters: tuple = ()) -> pd.DataFrame:
        asked.append(name)
        return query(name, parameters)

    monkeypatch.setattr("graphvc.app.data.library_query", recorded)
    stored = open_page("overview")
    assert not [name for name in asked if name.startswith("app/overview_")]
    assert any(
        c.value.startswith(
            "By category, borough and month: the 6 incidents before 2025-01-03 "
            "as the graph held them when run 20260101T000000.000000Z was stored"
        )
        for c in stored.caption
    )

    st.cache_data.clear()
    monkeypatch.setattr("graphvc.app.data.list_runs", lambda *a, **k: [])
    at = open_page("overview")
    assert not [name for name in asked if name.startswith("app/overview_")]
    assert at.info[-1].value.startswith("No stored run keeps the incidents by category")
    _button(at, "Count from the graph now").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    assert sorted(name for name in asked if name.startswith("app/overview_")) == [
        "app/overview_borough_category",
        "app/overview_by_borough",
        "app/overview_by_category",
        "app/overview_by_month",
    ]

    def by_category(page: AppTest) -> list[list[object]]:
        shown = next(d.value for d in page.dataframe if "Category" in d.value.columns)
        columns = ["Category", "Incidents", "Harm (days)"]
        return shown.sort_values("Category")[columns].to_numpy().tolist()

    assert by_category(at) == by_category(stored)
    assert at.dataframe[-1].value.equals(stored.dataframe[-1].value)  # boroughs by category

    def columns(page: AppTest) -> list[tuple[object, ...]]:
        drawn = next(la for la in _deck(page)["layers"] if la["@@type"] == "ColumnLayer")
        return [
            (
                d["borough"],
                d["incidents"],
                d["harm"],
                pytest.approx(d["latitude"]),
                pytest.approx(d["longitude"]),
            )
            for d in drawn["data"]
        ]

    assert columns(at) == columns(stored)


def test_explorer_shows_the_two_hop_network_of_p1(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P1")
    assert at.caption[1].value == "10 nodes and 12 links within 2 hops of P1"
    assert _people_table(at) == {"P2", "P3", "P4", "P6"}
    drawn = {node["ref"]: node for node in _drawn(at)}
    assert set(drawn) == P1_TWO_HOPS
    # Scores were written back: P1 (priority 0.99) is drawn larger than P2 (0.26).
    assert drawn["P1"]["size"] > drawn["P2"]["size"] > 10
    # P3 was suspect in I2 and victim in I1: a victim-offender, coloured as one.
    assert drawn["P3"]["title"].startswith("Person P3 · victim-offender")
    assert [b.label for b in at.get("download_button")] == [
        "Nodes (CSV)",
        "Links (CSV)",
        "i2 Analyst's Notebook chart (ANX)",
        "GraphML",
        "GEXF (Gephi)",
        "Interactive page (HTML)",
        "Picture (SVG)",
        "Picture (PNG)",
    ]
    _no_names(at)


@pytest.mark.parametrize(
    ("widgets", "people"),
    [
        # Offending and associations only: P3 (suspect, victim) and P4 (victim) drop out.
        ({"rel_types": ["OFFENDER_IN", "ASSOCIATE_OF"]}, {"P2", "P6"}),
        # Alcohol-related violence only: I1 (P2, P3) is crossed; P6 is still an associate.
        ({"categories": ["alcohol_related"]}, {"P2", "P3", "P6"}),
        # Camden only: I5 (Camden High Street) is crossed, I1 and I2 (the City) are not.
        ({"boroughs": ["E09000007"]}, {"P6"}),
    ],
)
def test_explorer_filters(open_page: OpenPage, widgets: dict, people: set[str]) -> None:
    assert _people_table(_explore(open_page("explorer"), "P1", **widgets)) == people


def test_explorer_unknown_id_says_so(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P404")
    assert [e.value for e in at.error] == [
        "no person, incident, location, ward or borough has the id 'P404'"
    ]
    assert not at.get("iframe")


def test_explorer_details_expand_and_recentre(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P1")
    at.selectbox(key="detail").set_value("Person P4").run()
    details = dict(at.dataframe[0].value.itertuples(index=False, name=None))
    person = {k: v for k, v in details.items() if not k.startswith("score")}
    assert person == {"age_band": "25-34", "ethnicity": "W1", "id": "P4", "sex": "F"}

    _button(at, "Expand P4 here").click().run()
    # P4 was the victim of I3 and I4 (offender P5) and is P5's partner.
    assert {n["ref"] for n in _drawn(at)} == P1_TWO_HOPS | {"I3", "I4", "P5"}
    assert "with 1 node expanded" in at.caption[1].value

    _button(at, "Re-centre on P4").click().run()
    # Around P4: I2, I3, I4 and P5 (hop 1); P1 and P3 through I2, L1 and L2 (hop 2).
    assert at.text_input(key="node_id").value == "P4"
    assert _people_table(at) == {"P1", "P3", "P5"}
    drawn = {n["ref"] for n in _drawn(at)}
    assert drawn == {"P4", "I2", "I3", "I4", "P5", "P1", "P3", "L1", "L2"}


def test_explorer_highlights_the_shortest_connection(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P1", connect_to="P5")
    # P1 robbed P4 (I2), P4 is P5's partner; P5 lies beyond two hops and is drawn in too.
    assert at.success[0].value == "Shortest connection (3 links): P1 → I2 → P4 → P5"
    drawn = {n["ref"]: n for n in _drawn(at)}
    assert set(drawn) == P1_TWO_HOPS | {"P5"}
    assert drawn["P5"]["color"]["border"] == drawn["I2"]["color"]["border"] == "#ffbf00"

    at = _explore(open_page("explorer"), "P1", connect_to="P404")
    assert [e.value for e in at.error] == ["no person has the id 'P404'"]
    assert {n["ref"] for n in _drawn(at)} == P1_TWO_HOPS  # the network still shows


def test_explorer_says_when_the_node_cap_cuts(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("graphvc.explore.MAX_NODES", 5)
    at = _explore(open_page("explorer"), "P1")
    assert "reached the cap of 5 nodes" in at.warning[0].value
    assert len(_drawn(at)) == 5


def test_explorer_says_when_a_query_times_out(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A search that outlasts GRAPHVC_QUERY_TIMEOUT, stopped by the server itself.
    slow = "UNWIND range(1, 10000000000) AS x WITH x WHERE x < 0 RETURN x AS element_id"
    monkeypatch.setenv("GRAPHVC_QUERY_TIMEOUT", "1")
    monkeypatch.setattr("graphvc.explore.read_cypher", lambda name: slow)
    at = open_page("explorer")
    at.text_input(key="node_id").input("P1")
    _button(at, "Explore").click().run()
    assert [e.value for e in at.error] == ["the query ran past its 1.0s timeout and was stopped"]


def test_dangerous_people_list_parts_and_proportionality(open_page: OpenPage) -> None:
    at = open_page("people")
    # The list in plain language: scores to three figures (their sums within the rounding).
    ranked = at.dataframe[0].value.set_index("Person")
    scores = ranked.drop(
        columns=["Borough", "Ward", "Victim–offender class", "Escalated to knife or gun"]
    )
    scores = scores.map(lambda text: float("nan") if text == "—" else float(text.replace(",", "")))
    # Co-offending (offenders and suspects): P1 joins P2 (I1), P3 (I2) and P6 (I5); the
    # associations add P9 (family of P7), and P4 (partner of P5), who is not ranked: only
    # ever a victim (I2, I3, I4).
    assert ranked.index.tolist()[0] == "P1"
    assert set(ranked.index) == {"P1", "P2", "P3", "P5", "P6", "P7", "P9"}
    parts = scores[["RFG part", "Betweenness part", "Harm PageRank part"]].sum(axis=1)
    assert parts.tolist() == pytest.approx(scores["Priority"].tolist(), abs=2e-3)
    rfg = scores[["Recency part", "Frequency part", "Gravity part"]].sum(axis=1)
    assert rfg.tolist() == pytest.approx(scores["RFG"].tolist(), abs=2e-3)
    assert ranked.at["P1", "Betweenness"] == "3.00"
    assert ranked.at["P1", "Rank"] == "1"
    # Each listed person's bar is made of their weighted parts, which sum to their priority.
    stacked = next(h.value for h in at.markdown if "priority, part by part" in h.value)
    drawn: dict[str, float] = {}
    for person, value in re.findall(r"<title>(\S+) [^:<]+ part: ([0-9.e-]+)</title>", stacked):
        drawn[person] = drawn.get(person, 0.0) + float(value)
    assert drawn == pytest.approx(scores["Priority"].to_dict(), abs=2e-3)
    panel = at.dataframe[-1].value
    sexes = panel[panel["Attribute"] == "Sex"].set_index("Group")["Scored"]
    # P5 is the one woman who offended; P9 (sex unknown) is tied to an offender.
    assert sexes.to_dict() == {"F": "1", "M": "5", "unknown": "1"}
    ratios = next(h.value for h in at.markdown if "share of the list" in h.value)
    assert len(re.findall(r"<rect [^>]*><title>", ratios)) == len(panel)
    _no_names(at)
    at.selectbox(key="person").set_value("P6").run()
    _button(at, "Open P6 in the network explorer").click().run()
    # P6: gang associate of P1 and co-offender in I5; then P1's I1 and I2, and L3.
    assert _people_table(at) == {"P1"}
    assert {n["ref"] for n in _drawn(at)} == {"P6", "P1", "I5", "I1", "I2", "L3"}


def test_victims(open_page: OpenPage) -> None:
    at = open_page("victims")
    # One list at a time, repeat victims first; the counts of all three head the page.
    assert at.button_group(key="victims_list").value == "Repeat victims"
    [victims] = (d.value for d in at.dataframe)
    at.button_group(key="victims_list").set_value("Domestic-abuse repeats").run()
    [domestic] = (d.value for d in at.dataframe)
    at.button_group(key="victims_list").set_value("Victim–offender overlap").run()
    [overlap] = (d.value for d in at.dataframe)
    # The classes drawn as bars, named in their tips: P3 is the one balanced.
    drawn = dict(re.findall(r"<title>([^<:]+): ([0-9,]+)</title>", _picture(at)))
    assert drawn["balanced"] == "1"
    # P4: robbed in I2, then abused by P5 in I3 and I4, all in 2024.
    assert victims[["Person", "Victimisations"]].to_numpy().tolist() == [["P4", "3"]]
    # P4's DASH assessments: standard after I3, medium then high after I4 (risk_assessments.csv).
    assert victims[["Assessment tool", "Risk level", "Assessments"]].to_numpy().tolist() == [
        ["DASH", "high", "3"]
    ]
    assert victims.at[0, "Assessed at"] == "2024-09-03 10:00"
    assert domestic[["Victim", "Perpetrator", "Repeats"]].to_numpy().tolist() == [["P4", "P5", "1"]]
    # P3: victim of I1 and suspect in I2, both 365 days of harm: the one victim-offender.
    assert overlap[["Person", "Victim–offender class"]].to_numpy().tolist() == [["P3", "balanced"]]
    assert {m.label: m.value for m in at.metric}["Victim-offenders"] == "1"


def test_places_draws_pictures_on_the_outlines_and_webgl_when_asked(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With outlines the most harmful places are dots on them (a WebGL map when asked) and
    the high-impact wards are shaded by harm, the top decile in purple."""
    boroughs = {
        "type": "FeatureCollection",
        "features": [
            _square("E09000007", "Camden", -0.2),
            _square("E09000001", "City of London", -0.1),
        ],
    }
    wards = {
        "type": "FeatureCollection",
        "features": [
            _square("E05000137", "Camden Town with Primrose Hill", -0.2),
            _square("E05009288", "Aldersgate", -0.1),
        ],
    }
    london = MapGeography("London (ONS codes)", {"borough": boroughs, "ward": wards}, True)
    monkeypatch.setattr("graphvc.app.data.map_outlines", lambda: london)
    at = open_page("places")
    assert not at.get("deck_gl_json_chart")
    # L1: I1 + I2 = 730; L2: I3 + I4 = 375; L3: I5 = 274 (locations.csv names them).
    dots = dict(re.findall(r"<circle [^>]*><title>([^<]+): ([0-9,]+)</title>", _picture(at)))
    assert dots == {
        "On or near Aldersgate Street": "730",
        "On or near Fore Street": "375",
        "On or near Camden High Street": "274",
    }
    at.toggle(key="places_3d").set_value(True).run()
    assert len(at.get("deck_gl_json_chart")) == 1
    at.button_group(key="places_section").set_value("High-impact neighbourhoods").run()
    assert not at.get("deck_gl_json_chart")
    # The quarter to 2025-01-03: Camden Town's I5 (274 days), the top decile; none in Aldersgate.
    assert _tips(_picture(at)) == {
        "Camden Town with Primrose Hill: 274": "rgb(118,42,131)",
        "Aldersgate": "#ffffff",
    }


def test_maps_say_when_the_installed_outlines_are_not_the_graphs(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outlines installed for other places than the graph's (here two boroughs and a ward
    the fixture has no incident in): no map shaded on them, which would leave the graph's
    places out, but the places at their coordinates, and a caption naming what is installed
    and which of the graph's places it lacks."""
    elsewhere = MapGeography(
        "London (ONS codes)",
        {
            "borough": {
                "type": "FeatureCollection",
                "features": [
                    _square("E09000033", "Westminster", -0.2),
                    _square("E09000019", "Islington", -0.1),
                ],
            },
            "ward": {
                "type": "FeatureCollection",
                "features": [_square("E05000644", "St James's", -0.2)],
            },
        },
        True,
    )
    monkeypatch.setattr("graphvc.app.data.map_outlines", lambda: elsewhere)
    installed = "the installed outlines (2 boroughs, 1 ward) do not draw the graph's"
    at = open_page("overview")
    drawn = next(layer for layer in _deck(at)["layers"] if layer["@@type"] == "ColumnLayer")
    assert {row["borough"] for row in drawn["data"]} == {"City of London", "Camden"}
    assert (
        f"Geography: London (ONS codes); {installed} 2 boroughs E09000001, E09000007, so the "
        "map shows its places at their coordinates instead."
    ) in [c.value for c in at.caption]
    at = open_page("places")
    # No picture to toggle from: the WebGL map at once.
    assert "places_3d" not in [toggle.key for toggle in at.toggle]
    dots = next(layer for layer in _deck(at)["layers"] if layer["@@type"] == "ScatterplotLayer")
    assert {row["location_id"] for row in dots["data"]} == {"L1", "L2", "L3"}
    assert any(f"{installed} 2 boroughs E09000001, E09000007" in c.value for c in at.caption)
    at.button_group(key="places_section").set_value("High-impact neighbourhoods").run()
    columns = next(layer for layer in _deck(at)["layers"] if layer["@@type"] == "ColumnLayer")
    assert [row["ward_code"] for row in columns["data"]] == ["E05000137"]
    assert any(f"{installed} 1 ward E05000137, so the map" in c.value for c in at.caption)


def test_places_and_the_knox_test(open_page: OpenPage) -> None:
    at = open_page("places")
    # One section at a time, the most harmful places first.
    assert at.button_group(key="places_section").value == "Where harm concentrates"
    [hot] = (d.value for d in at.dataframe)
    caption = next(c.value for c in at.caption if "hold half" in c.value)
    at.button_group(key="places_section").set_value("High-impact neighbourhoods").run()
    [wards] = (d.value for d in at.dataframe)
    at.button_group(key="places_section").set_value("Repeat locations").run()
    [repeats] = (d.value for d in at.dataframe)
    at.button_group(key="places_section").set_value("Near repeats").run()
    assert not at.dataframe
    # L1: I1 + I2 = 730; L2: I3 + I4 = 375; L3: I5 = 274 (plain tables: labels, whole days).
    assert dict(zip(hot["Location"], hot["Harm (days)"], strict=True)) == {
        "L1": "730",
        "L2": "375",
        "L3": "274",
    }
    assert "1 of 3 locations (33%) hold half of the harm" in caption
    assert repeats["Location"].tolist() == ["L1", "L2"]
    # The quarter to 2025-01-03: I5 in Camden Town (274 days), I6 nowhere (20). One ward of
    # three is the top decile; Camden Town's first quarter there (Aldersgate's I1 and I2 fall
    # in the quarter to 2024-04-05, Cripplegate's I4 in the one to 2024-10-04, no harm now).
    assert wards[
        ["Ward code", "Harm (days)", "Top decile", "Periods in top decile"]
    ].to_numpy().tolist() == [["E05000137", "274", "yes", "1"]]
    assert wards["Share of harm (%)"].tolist() == [f"{100 * 274 / 294:.1f}"]
    at.button_group(key="places_section").set_value("High-impact neighbourhoods").run()
    highlighted = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    drawn = next(layer for layer in highlighted["layers"] if layer["@@type"] == "ColumnLayer")
    assert [(d["ward_code"], d["_colour"]) for d in drawn["data"]] == [
        ("E05000137", [118, 42, 131, 230])
    ]
    at.button_group(key="places_section").set_value("Near repeats").run()
    _button(at, "Run the near-repeat test").click().run()
    knox = at.dataframe[-1].value
    assert len(knox) == 3 * 4  # distance bands 0-100-200-400 m by time bands 0-7-14-30-60 days
    # I6 has no place: five incidents tested.
    assert any("5 incidents tested (1 without coordinates" in c.value for c in at.caption)


def _deck(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_performance_on_the_graph(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPHVC_HOME", str(tmp_path))  # no reference data: no MPS targets

    def evaluated_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the page evaluated the targets the run keeps")

    monkeypatch.setattr("graphvc.targets.evaluate_targets", evaluated_again)
    at = open_page("performance")
    assert at.selectbox(key="targets_file").options == [
        "Violent Crime Directorate: founding targets (2006/07)"
    ]
    shown = at.dataframe[0].value
    # The financial year 2024/25 against 2023/24; the fixture starts in January 2024, so no
    # target has its baseline. Six targets: the gun set (no borough had gun crime in the
    # baseline), four for the force and both boroughs, and overall crime by borough alone.
    assert len(shown) == 1 + 4 * 3 + 2
    assert set(shown["Status"]) == {"no data"}
    # Sanction detections since April 2024: I4 (the City) and I5 (Camden) charged, I6 (no
    # place) not.
    detected = shown[(shown["Target"] == "Offences brought to justice at a 20 % rate")]
    assert detected["Current"].tolist() == ["66.7%", "100.0%", "100.0%"]
    captions = [c.value for c in at.caption]
    assert (
        "No data for 15 row(s): the graph counts start on 2024-01-05, after the start of the "
        "baseline (2023-04-01)." in captions
    )
    assert any(
        c.value.startswith("Counted on the graph as of 2025-01-03. Statistics:") for c in at.caption
    )
    grid = at.dataframe[1].value
    assert grid["Borough"].tolist() == ["E09000001", "E09000007"]
    # Without outlines each borough is a disc at the centre of its locations, grey for no data.
    discs = _deck(at)["layers"][0]
    assert discs["@@type"] == "ScatterplotLayer"
    assert {d["name"]: d["colour"] for d in discs["data"]} == {
        "City of London": [200, 200, 200, 200],
        "Camden": [200, 200, 200, 200],
    }
    assert any("met" in m.value and "off track" in m.value for m in at.markdown)
    # Overall crime in Camden: none in the baseline year, I5 in October 2024.
    at.selectbox(key="chart_target").set_value("all_crime").run()
    at.selectbox(key="chart_area").set_value("E09000007").run()
    assert "Signals: 2024-10 above upper limit." in at.main.caption[-1].value
    chart = next(h.value for h in at.markdown if "all_crime" in h.value)
    assert chart.count('fill="#D55E00"') == 1  # the one month that signals, in orange


def test_performance_on_the_mps_counts(
    open_page: OpenPage,
    monkeypatch: pytest.MonkeyPatch,
    reference_source: Path,
    tmp_path: Path,
) -> None:
    install_from(reference_source, tmp_path)
    monkeypatch.setenv("GRAPHVC_HOME", str(tmp_path))
    at = open_page("performance")
    at.selectbox(key="targets_file").set_value(str(MPS_TARGETS)).run()
    at.selectbox(key="map_target").set_value("weapons").run()
    assert not at.exception
    shown = at.dataframe[0].value
    lambeth = shown[
        (shown["Area"] == "Lambeth")
        & (shown["Target"] == "Possession of weapons offences down 5 %")
    ]
    assert lambeth[["Baseline", "Current", "Status"]].to_numpy().tolist() == [["455", "393", "met"]]
    # The boroughs drawn as a picture (no WebGL), each filled by its state, named in its tip.
    tips = _tips(next(h.value for h in at.markdown if 'by borough"' in h.value))
    assert len(tips) == 33
    assert tips["Lambeth: met"] == "rgb(26,150,65)"
    assert tips["City of London: not judged"] == "rgb(245,245,245)"  # it has its own police
    assert at.info[0].value.startswith("No monthly chart")


def test_cypher_runs_a_library_query_read_only(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from graphvc import audit

    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    at = open_page("cypher")
    at.selectbox[1].set_value("co_offenders").run()
    _button(at, "Run").click().run()
    assert [e.value for e in at.error] == [
        "query 'co_offenders' needs parameter 'person_id' (string, e.g. 'P1')"
    ]
    at.text_input(key="param_co_offenders_person_id").input("P1")
    _button(at, "Run").click().run()
    assert not at.error
    # P1 offended with P2 (I1), P3 (I2, suspect) and P6 (I5).
    assert set(at.dataframe[0].value["Co offender id"]) == {"P2", "P3", "P6"}
    assert at.get("download_button")[0].label == "Download (CSV)"
    # The person the value names, then the persons the rows name, each looked up in the graph.
    trail = audit.events(tmp_path / "audit")
    named = {row["action"]: set(row["person_ids"]) for row in trail.to_dict("records")}
    assert named["query.run"] == {"P1"}
    assert named["query.result"] == {"P2", "P3", "P6"}


def test_reports_lists_and_opens_the_report(open_page: OpenPage) -> None:
    at = open_page("reports")
    assert at.dataframe[0].value["As of"].tolist() == ["2025-01-03"]
    assert "Centrality report" in at.get("iframe")[0].proto.srcdoc
    # A first report: no one is due for review yet; P9, listed through a family tie alone,
    # has no offending and is recommended for removal.
    assert [(m.label, m.value) for m in at.metric] == [
        ("Due for review", "0"),
        ("Recommended for removal", "1"),
    ]
    review = next(d.value for d in at.dataframe if "Recommendation" in d.value.columns)
    assert review[["Person", "Recommendation"]].to_numpy().tolist() == [["P9", "remove"]]
    labels = [b.label for b in at.get("download_button")]
    # The review's rows as listed (filtered), then the report's files.
    assert labels[:2] == ["Download these rows (CSV)", "The whole report (zip)"]
    assert {"report.html", "manifest.json", "offenders.csv", "review.csv"} <= set(labels)
    assert labels.count("review.csv") == 1


def test_no_report_yet_says_so(open_page: OpenPage, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRAPHVC_REPORTS_DIR", str(tmp_path))
    at = open_page("reports")
    assert at.info[0].value.startswith(f"No report in {tmp_path} yet")


#: The header of every page on the stored run of the fixture: as of 2025-01-03, the default
#: two-year window, every tie layer at weight 1.
RUN_HEADER = (
    "Analysis as of 2025-01-03 (excluded), window 730 days, ties co-offending × 1, family × 1, "
    "partner × 1, gang × 1, associate × 1, other × 1; run 20260101T000000.000000Z finished "
    "2026-01-01 00:00 UTC."
)


def _forbid_analysis(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make every way into an analysis fail the test, and record each call."""
    calls: list[str] = []

    def forbidden(name: str) -> Callable[..., None]:
        def called(*args: object, **kwargs: object) -> None:
            calls.append(name)
            raise AssertionError(f"the app ran {name} by itself")

        return called

    # obtain_run reads the graph first and analyses it from the person network on.
    for target in (
        "graphvc.runs.obtain.read_run_input",
        "graphvc.runs.obtain.run_network",
        "graphvc.runs.stages.run_network",
    ):
        monkeypatch.setattr(target, forbidden(target.rsplit(".", 1)[1]))
    return calls


@pytest.mark.parametrize("page", [name for name, _, _ in PAGES])
def test_opening_a_page_runs_no_analysis_and_shows_the_stored_run(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    calls = _forbid_analysis(monkeypatch)
    at = open_page(page)
    assert calls == []
    # They show no run: queries, reports, the trail, the identity decisions, the alerts.
    if page in ("cypher", "reports", "audit", "identities", "alerts"):
        return
    assert at.main.caption[0].value.startswith(RUN_HEADER), at.main.caption[0].value
    assert at.selectbox(key="run_id").value == "20260101T000000.000000Z"


def test_the_first_visit_warms_the_overview_and_the_list_for_every_later_one(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.switch_page(page_path("cypher")).run()  # a first visit to a page that reads no run
    [warming] = [t for t in threading.enumerate() if t.name == data.WARM_UP_THREAD]
    warming.join(30)
    read: list[str] = []
    reading = data.read_run_table
    monkeypatch.setattr(
        data, "read_run_table", lambda *a, **k: read.append(a[2]) or reading(*a, **k)
    )
    overview = open_page("overview")
    people = open_page("people")
    # Both pages drew their tables from what the warm-up read: no stored table read again.
    assert read == []
    assert len(overview.dataframe) == 3 and len(people.dataframe) == 2
    listed = people.dataframe[1].value["On the list"].astype(int).sum()
    assert listed == 3 * len(people.dataframe[0].value)


def test_without_a_stored_run_a_page_says_how_to_make_one(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("graphvc.stored_runs.list_runs", lambda *a, **k: [])
    monkeypatch.setattr("graphvc.app.data.list_runs", lambda *a, **k: [])
    calls = _forbid_analysis(monkeypatch)
    at = open_page("people")
    assert calls == []
    assert [i.value for i in at.info] == [
        "No analysis is stored yet: run `graphvc analyse`, or Run the analysis… in the sidebar."
    ]
    assert not at.dataframe


@pytest.mark.parametrize(
    "page", ["overview", "explorer", "people", "victims", "places", "performance"]
)
def test_an_unreachable_database_is_a_message(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    closed = free_port()
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{closed}")
    at = open_page(page)
    assert at.error[0].value.startswith(f"Neo4j at bolt://127.0.0.1:{closed} is unreachable")


@pytest.fixture(scope="module")
def served_app(served: Served, test_settings: Settings) -> Iterator[str]:
    """The real app, served by Streamlit on a free port against the test server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = streamlit_command("app.py", port=port)
    env = {**os.environ, **_app_env(test_settings, served)}
    with running(command, url + HEALTH, env=env, cwd=ROOT, timeout=30):
        yield url


def test_explorer_in_chromium(served_app: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium(tmp_path / "profile") as browser:
        wait = WebDriverWait(browser, 30)
        browser.get(f"{served_app}/explorer")
        search = wait.until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, "input[aria-label^='Person, incident']"))
        )
        search.send_keys("P1")
        browser.find_element(By.XPATH, "//button[.//p[text()='Explore']]").click()
        canvas = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "iframe[srcdoc]")))
        browser.switch_to.frame(canvas)
        # The layout settles, then the physics stops so that the picture holds still.
        wait.until(
            lambda b: b.execute_script(
                "return typeof network !== 'undefined' && network.physics.options.enabled === false"
            )
        )
        refs = browser.execute_script("return network.body.data.nodes.get().map(n => n.ref)")
        assert set(refs) == P1_TWO_HOPS
        browser.switch_to.default_content()
        wait.until(lambda b: not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
        shot = tmp_path / "explorer.png"
        assert browser.save_screenshot(str(shot))
        if os.environ.get("GRAPHVC_TEST_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["GRAPHVC_TEST_SCREENSHOT"])


# --- the explorer's chart: labels, styling rules, a still layout ------------------------------

#: A rule added after the shipped ones: the top-ranked person in green, with a legend line.
TOP_RULE = """
[[rules]]
name = "top"
nodes = "Person"
where = { score_priority_rank = { at_most = 1 } }
colour = "#00aa00"
legend = "top of the priority list"
group = "Priority"
"""


def _legend(at: AppTest) -> str:
    return next(h.proto.body for h in at.get("html") if "legend-entry" in h.proto.body)


def test_explorer_labels_say_rank_date_category_and_place(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P1")
    labels = {n["ref"]: n["label"] for n in _drawn(at)}
    # P1 has the highest priority of the run (0.99, the module's docstring).
    assert labels["P1"] == "P1\npriority #1"
    assert labels["I1"] == "I1\n2024-01-05 alcohol related"
    assert labels["I2"] == "I2\n2024-02-10 personal robbery"  # its category from its offence
    assert labels["L1"] == "On or near Aldersgate Street"
    stats = next(c.value for c in at.caption if c.value.startswith("Chart:"))
    assert stats == (
        "Chart: 10 nodes (5 people, 3 incidents, 2 locations), 12 links. "
        "Nothing cut: the network is under the 500-node cap."
    )


def test_explorer_colours_a_ranked_person_whose_incidents_are_not_shown(
    open_page: OpenPage,
) -> None:
    at = open_page("explorer")
    at.slider(key="hops").set_value(1)
    at = _explore(at, "P1")
    # At one hop P6 comes in as P1's associate; I5, their shared incident, is shown but its
    # link to P6 lies a hop further. P6 is ranked by the run: drawn as ranked, not unknown.
    (p6,) = [n for n in _drawn(at) if n["title"].startswith("Person P6")]
    assert p6["color"]["background"] == "#ff9896"
    assert p6["title"].startswith("Person P6 · no incident shown · priority rank")


def test_a_styling_rule_changes_the_colours_and_the_legend(open_page: OpenPage) -> None:
    at = _explore(open_page("explorer"), "P1")
    assert "top of the priority list" not in _legend(at)
    before = {n["ref"]: n["color"]["background"] for n in _drawn(at)}
    shipped = at.text_area(key="styling_text").value
    at.text_area(key="styling_text").input(shipped + TOP_RULE).run()
    after = {n["ref"]: n["color"]["background"] for n in _drawn(at)}
    assert after == before | {"P1": "#00aa00"} and before["P1"] == "#d62728"
    assert "<b>Priority</b>" in _legend(at) and "top of the priority list (1)" in _legend(at)

    # A rule that is not valid is named, and the last valid rules stay drawn.
    at.text_area(key="styling_text").input(shipped + TOP_RULE.replace("#00aa00", "green")).run()
    top = len(load_styling().rules) + 1  # the rule added after the shipped ones
    assert [e.value for e in at.error] == [
        f"styling file (the rules being edited): rule {top} 'top': colour 'green' is not a "
        "colour written like '#d62728'"
    ]
    assert {n["ref"]: n["color"]["background"] for n in _drawn(at)} == after


def test_styling_rules_are_saved_per_user(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPHVC_HOME", str(tmp_path))
    at = _explore(open_page("explorer"), "P1")
    rules = at.text_area(key="styling_text").value + TOP_RULE
    at.text_area(key="styling_text").input(rules).run()
    _button(at, "Save as my rules").click().run()
    (saved,) = (tmp_path / "styling").iterdir()
    assert saved.read_text(encoding="utf-8") == rules
    assert "app:" not in saved.name  # named by a hash, not by the user's name
    # The user's next session starts from their rules.
    again = _explore(open_page("explorer"), "P1")
    assert {n["ref"]: n["color"]["background"] for n in _drawn(again)}["P1"] == "#00aa00"


def test_the_layout_is_the_same_on_two_renders(open_page: OpenPage) -> None:
    def positions() -> dict[str, tuple[float, float]]:
        return {n["ref"]: (n["x"], n["y"]) for n in _drawn(_explore(open_page("explorer"), "P1"))}

    first = positions()
    assert set(first) == P1_TWO_HOPS and len(set(first.values())) == len(first)
    clear_app_caches()  # a new session, the network read again
    assert positions() == first


def test_a_styling_rule_in_chromium(served_app: str, tmp_path: Path) -> None:
    """In the browser: the chart is drawn still where the server placed it, and the same
    on a second visit; an added rule draws P1 as a green person icon in vis-network's
    DataSet and adds a legend line. Saves the screenshot of the styled chart when GRAPHVC_STYLED_SCREENSHOT
    names a file (docs/images/styled-chart.png)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    def explore(browser, wait) -> dict:
        browser.get(f"{served_app}/explorer")
        search = wait.until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, "input[aria-label^='Person, incident']"))
        )
        search.send_keys("P1")
        wait.until(
            ec.element_to_be_clickable((By.XPATH, "//button[.//p[text()='Explore']]"))
        ).click()
        return drawn(browser, wait, lambda nodes: len(nodes) == len(P1_TWO_HOPS))

    def drawn(browser, wait, ready) -> dict:
        """The DataSet and the positions drawn, once ``ready(nodes)``."""

        def read(b):
            b.switch_to.default_content()
            frames = b.find_elements(By.CSS_SELECTOR, "iframe[srcdoc]")
            if not frames:
                return None
            b.switch_to.frame(frames[0])
            nodes = b.execute_script(
                "return typeof network === 'undefined' ? null : network.body.data.nodes.get()"
            )
            if not nodes or not ready(nodes):
                return None
            return {"nodes": nodes, "at": b.execute_script("return network.getPositions()")}

        found = wait.until(read)
        browser.switch_to.default_content()
        return found

    with chromium(tmp_path / "profile", height=1250) as browser:
        wait = WebDriverWait(browser, 40)
        first = explore(browser, wait)
        placed = {n["id"]: {"x": n["x"], "y": n["y"]} for n in first["nodes"]}
        assert first["at"] == placed  # drawn where the server placed it: no physics moved it
        assert explore(browser, wait)["at"] == first["at"]
        browser.find_element(By.XPATH, "//summary[.//p[starts-with(., 'Styling rules')]]").click()
        rules = wait.until(
            ec.element_to_be_clickable((By.CSS_SELECTOR, "textarea[aria-label='Rules (TOML)']"))
        )
        rules.send_keys(Keys.CONTROL, Keys.END)
        rules.send_keys(TOP_RULE.replace('"#00aa00"', '"#00aa00"\nicon = "person"\nsize = 30'))
        rules.send_keys(Keys.CONTROL, Keys.ENTER)
        styled = drawn(browser, wait, lambda nodes: any(n["shape"] == "image" for n in nodes))
        by_ref = {n["ref"]: n for n in styled["nodes"]}
        # P1 is drawn as the person icon in the rule's green; P2 keeps the offender red.
        assert by_ref["P1"]["image"] == icon_uri("person", "#00aa00")
        assert by_ref["P2"]["color"]["background"] == "#d62728"
        assert [n["ref"] for n in styled["nodes"] if n["shape"] == "image"] == ["P1"]
        legend = wait.until(
            ec.presence_of_element_located(
                (By.XPATH, "//span[contains(., 'top of the priority list (1)')]")
            )
        )
        assert legend.is_displayed()
        wait.until(lambda b: not b.find_elements(By.CSS_SELECTOR, "[data-testid='stStatusWidget']"))
        browser.execute_script("arguments[0].scrollIntoView({block: 'end'});", legend)
        shot = tmp_path / "styled-chart.png"
        assert browser.save_screenshot(str(shot))
        if os.environ.get("GRAPHVC_STYLED_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["GRAPHVC_STYLED_SCREENSHOT"])


def test_looked_up_people_are_audited_under_the_app_user(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from graphvc import audit

    monkeypatch.setenv("GRAPHVC_AUDIT_DIR", str(tmp_path / "audit"))
    at = _explore(open_page("explorer"), "P1")
    at.selectbox(key="detail").select(
        next(o for o in at.selectbox(key="detail").options if o.startswith("Person P2"))
    ).run()
    people = open_page("people")
    people.selectbox(key="person").set_value("P6").run()  # a person looked up, not a default
    trail = audit.events(tmp_path / "audit")
    events = {(row["action"], tuple(row["person_ids"])) for row in trail.to_dict("records")}
    assert ("explorer.centre", ("P1",)) in events
    assert ("explorer.details", ("P2",)) in events
    assert ("person.score_card", ("P6",)) in events
    assert set(trail["user"]) == {f"app:{audit.system_user()}"}
    assert audit.verify(tmp_path / "audit").ok


def test_a_persons_priority_is_one_number_everywhere(
    open_page: OpenPage, served: Served, empty_graph: neo4j.Driver, test_settings: Settings
) -> None:
    """The explorer (written-back score), the people page, `graphvc analyse --json` and the
    report of the same run show each person's priority as the same number."""
    from click.testing import CliRunner

    from graphvc.cli import cli
    from graphvc.explore import ego_network

    analysed = CliRunner().invoke(
        cli,
        ["analyse", "--json", "--as-of", "2025-01-03", "--top", "10"],
        env=_app_env(test_settings, served),
    )
    assert analysed.exit_code == 0, (analysed.output, analysed.stderr)
    from_cli = {row["person_id"]: row["priority"] for row in json.loads(analysed.stdout)["top"]}
    assert len(from_cli) == 7  # P1, P2, P3, P5, P6, P7 offended in the window; P9 tied

    shown = ego_network(empty_graph, "P1", hops=3).nodes
    people = shown[shown["label"] == "Person"].dropna(subset=["score_priority"])
    from_explorer = dict(zip(people["id"], people["score_priority"], strict=True))

    at = open_page("people")
    listed = next(d.value for d in at.dataframe if "Priority" in d.value.columns)
    from_page = dict(zip(listed["Person"], listed["Priority"], strict=True))

    offenders = pd.read_csv(served.reports / "latest" / "offenders.csv", dtype={"person_id": str})
    from_report = dict(zip(offenders["person_id"], offenders["priority"], strict=True))

    assert set(from_page) == set(from_report) == set(from_cli)
    assert set(from_explorer) <= set(from_cli) and "P1" in from_explorer
    for person, priority in from_cli.items():
        assert from_page[person] == plain_value("priority", priority)  # three figures
        assert from_report[person] == pytest.approx(priority, abs=1e-6)
        if person in from_explorer:
            assert from_explorer[person] == pytest.approx(priority, abs=1e-6)


def test_run_the_analysis_stores_a_new_run_and_the_pages_show_it(
    open_page: OpenPage, served: Served, empty_graph: neo4j.Driver
) -> None:
    """The explicit re-run: the co-offending layer alone, as of 2024-12-01 over 365 days."""
    before = {run.id for run in list_runs(empty_graph)}
    at = open_page("people")
    at.date_input(key="rerun_as_of").set_value(date(2024, 12, 1))
    at.number_input(key="rerun_window_days").set_value(360)
    at.multiselect(key="rerun_ties").set_value(["co-offending"])
    _button(at, "Analyse now").click().run(timeout=120)
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    runs = list_runs(empty_graph)
    try:
        newest = runs[0]
        assert {run.id for run in runs} == before | {newest.id} != before
        assert (newest.as_of, newest.window_days, newest.ties) == (
            pd.Timestamp("2024-12-01"),
            360,
            {"co-offending": 1.0},
        )
        assert (served.runs / newest.id / "people.parquet").is_file()
        header = at.caption[0].value
        assert header.startswith(
            f"Analysis as of 2024-12-01 (excluded), window 360 days, ties co-offending × 1; "
            f"run {newest.id}"
        ), header
        assert at.selectbox(key="run_id").value == newest.id
        # Co-offending before 2024-12-01: P1 with P2 (I1), P3 (I2) and P6 (I5); P5 offended
        # alone (I3, I4). P7's one incident, I6 on 2025-01-02, falls after; no association
        # layer, so no P4 or P9.
        ranked = at.dataframe[0].value
        assert set(ranked["Person"]) == {"P1", "P2", "P3", "P5", "P6"}
        # The scores on the nodes are this run's: P4, P7 and P9 lost theirs.
        scored = run_query(
            empty_graph, "MATCH (p:Person) WHERE p.score_priority IS NOT NULL RETURN p.id AS id"
        )
        assert set(scored["id"]) == {"P1", "P2", "P3", "P5", "P6"}
        # Another page opened afterwards shows the new run too.
        assert open_page("victims").caption[0].value.startswith("Analysis as of 2024-12-01")
    finally:
        run_query(
            empty_graph, "MATCH (r:AnalysisRun {id: $id}) DELETE r", {"id": runs[0].id}, write=True
        )


@pytest.mark.parametrize(
    "page", ["overview", "explorer", "people", "victims", "places", "performance"]
)
def test_an_empty_graph_says_so(open_page: OpenPage, empty_graph: neo4j.Driver, page: str) -> None:
    wipe(empty_graph)  # the last tests of the module: nothing after them needs the graph
    at = open_page(page)
    assert at.info[0].value.startswith("The graph is empty")
