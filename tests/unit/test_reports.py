"""The report's pure helpers: options, pseudonyms, tables, changes, files, folders, the page."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from graphvc.errors import ConfigError, ReportError
from graphvc.reports import folders, pseudonyms
from graphvc.reports.changes import rank_changes
from graphvc.reports.html import render_report
from graphvc.reports.manifest import manifest
from graphvc.reports.network_picture import network_picture
from graphvc.reports.pseudonyms import pseudonym, pseudonymise_ids
from graphvc.reports.review import last_offending, review_table
from graphvc.reports.tables import (
    communities_table,
    exposure_table,
    offenders_table,
    places_table,
    repeat_victims_table,
    top_with_ties,
    trend_table,
)
from graphvc.reports.weekly_centrality import check_options
from graphvc.runs import AnalysisParameters, parse_as_of

KEY = "a test key, long enough"


# --- options ---------------------------------------------------------------------------


def test_parse_as_of_returns_the_date_as_a_timestamp() -> None:
    assert parse_as_of("2025-01-03") == pd.Timestamp("2025-01-03")
    assert parse_as_of(None) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-13-45", r"--as-of '2025-13-45' is not a date"),
        ("2025-01-03T12:00", r"must be a plain date"),
        ("2025-01-03T00:00+01:00", r"must be a plain date"),
    ],
)
def test_parse_as_of_refuses_anything_but_a_plain_date_in_one_line(
    value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        parse_as_of(value)
    assert "\n" not in str(caught.value)


def test_a_window_below_one_day_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"window_days=0 must be a whole number of days"):
        AnalysisParameters(window_days=0)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"top": 0}, r"--top 0 must be a whole number, at least 1"),
        ({"pseudonymise": True}, r"--pseudonymise needs GRAPHVC_PSEUDONYM_KEY"),
        ({"pseudonymise": True, "key": "short"}, r"is 5 characters long; use at least 16"),
    ],
)
def test_check_options_refuses_bad_options_in_one_line(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        check_options(**options)
    assert "\n" not in str(caught.value)


def test_a_key_is_not_needed_without_pseudonymisation() -> None:
    check_options(key="short")


# --- pseudonyms ------------------------------------------------------------------------


def test_pseudonym_is_the_keyed_hmac_sha256_of_the_id() -> None:
    expected = hmac.new(KEY.encode(), b"P1", hashlib.sha256).hexdigest()[:16]
    assert pseudonym("P1", KEY) == "X" + expected
    assert pseudonym("P1", KEY) == pseudonym("P1", KEY)
    assert pseudonym("P1", KEY) != pseudonym("P2", KEY)
    assert pseudonym("P1", KEY) != pseudonym("P1", KEY + "!")


def test_pseudonymise_ids_keeps_missing_values_and_order() -> None:
    named = pseudonymise_ids(pd.Series(["P2", None, "P1", "P2"]), KEY)
    assert named.tolist()[0] == named.tolist()[3] == pseudonym("P2", KEY)
    assert named.isna().tolist() == [False, True, False, False]


def test_pseudonymise_ids_refuses_a_collision(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pseudonyms, "pseudonym", lambda person_id, key: "Xsame")
    with pytest.raises(ConfigError, match="share a pseudonym"):
        pseudonymise_ids(pd.Index(["P1", "P2"]), KEY)


# --- tables ----------------------------------------------------------------------------


@pytest.mark.parametrize(("top", "rows"), [(1, 1), (2, 3), (3, 3), (4, 4), (10, 4)])
def test_top_with_ties_keeps_everyone_tied_at_the_cut(top: int, rows: int) -> None:
    table = pd.DataFrame({"rank": [1, 2, 2, 4]})
    assert len(top_with_ties(table, top)) == rows


def test_offenders_table_orders_ties_by_id_and_keeps_every_column() -> None:
    people = pd.DataFrame(
        {"rank": [3, 1, 3, 4], "priority": [0.5, 0.9, 0.5, 0.1], "rfg_part": [0.2, 0.3, 0.2, 0]},
        index=pd.Index(["P9", "P2", "P10", "P1"], name="person_id"),
    )
    table = offenders_table(people, 3)
    assert table["person_id"].tolist() == ["P2", "P10", "P9"]  # "P10" < "P9" as text
    assert table.columns.tolist() == ["person_id", "rank", "priority", "rfg_part"]


def test_repeat_victims_table_ranks_by_victimisations_then_harm() -> None:
    victims = pd.DataFrame(
        {"victimisations": [2, 4, 2, 2], "harm": [10.0, 1.0, 375.0, 10.0]},
        index=pd.Index(["V3", "V1", "V2", "V4"], name="person_id"),
    )
    table = repeat_victims_table(victims, 3)
    assert table[["person_id", "rank"]].to_numpy().tolist() == [
        ["V1", 1],
        ["V2", 2],
        ["V3", 3],
        ["V4", 3],
    ]


def test_places_table_stacks_the_levels_with_their_codes_and_names() -> None:
    boroughs = pd.DataFrame(
        {"rank": [1, 2], "borough_name": ["City of London", "Camden"], "harm": [740.0, 274.0]},
        index=pd.Index(["E09000001", "E09000007"], name="borough_code"),
    )
    locations = pd.DataFrame(
        {"rank": [1, 2, 2], "name": ["A", "B", "C"], "harm": [9.0, 5.0, 5.0]},
        index=pd.Index(["L1", "L3", "L2"], name="location_id"),
    )
    table = places_table({"location": locations, "borough": boroughs}, 1)
    assert table[["level", "code", "name", "rank"]].to_numpy().tolist() == [
        ["borough", "E09000001", "City of London", 1],
        ["location", "L1", "A", 1],
    ]
    assert places_table({"location": locations}, 2)["code"].tolist() == ["L1", "L2", "L3"]


def test_communities_table_counts_each_shared_incident_once() -> None:
    # A and B offended together in I1 (harm 365); B alone in I2 (10); C, in another
    # community, is not listed and neither is their community.
    people = pd.DataFrame(
        {"rank": [1, 2, 3], "community": [0, 0, 1]}, index=pd.Index(["A", "B", "C"])
    )
    G = nx.Graph([("A", "B")])
    G.add_node("C")
    events = pd.DataFrame(
        {
            "person_id": ["A", "B", "B", "C"],
            "incident_id": ["I1", "I1", "I2", "I3"],
            "harm": [365.0, 365.0, 10.0, 20.0],
        }
    )
    table = communities_table(people, ["A", "B"], G, events)
    assert table.to_dict("records") == [
        {
            "community": 0,
            "people": 2,
            "listed": 2,
            "best_rank": 1,
            "links": 1,
            "incidents": 2,
            "harm": 375.0,
        }
    ]


def test_exposure_table_keeps_people_within_two_steps() -> None:
    exposure = pd.DataFrame(
        {
            "is_victim": [False, True, False, False, False],
            "distance": [2.0, 0.0, 1.0, 3.0, np.inf],
            "victims_1": [0, 0, 1, 0, 0],
            "victims_2": [1, 0, 0, 0, 0],
        },
        index=pd.Index(["D", "A", "B", "E", "F"], name="person_id"),
    )
    people = pd.DataFrame({"rank": [2, 1]}, index=pd.Index(["A", "D"], name="person_id"))
    table = exposure_table(exposure, people)
    assert table["person_id"].tolist() == ["A", "B", "D"]
    assert table["rank"].tolist() == [2, pd.NA, 1]


def test_trend_table_has_every_month_and_category() -> None:
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3"],
            "occurred_at": ["2024-01-05", "2024-01-20", "2024-03-31T23:00"],
            "offence": ["possession_weapon", "possession_weapon", "personal_robbery"],
        }
    )
    trend = trend_table(incidents, start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2024-04-01"))
    assert len(trend) == 3 * 8
    assert trend["month"].unique().tolist() == ["2024-01", "2024-02", "2024-03"]
    knife = trend.set_index(["month", "category"]).loc[("2024-01", "knife_enabled")]
    assert (knife["incidents"], knife["harm"]) == (2, 548.0)
    assert trend["incidents"].sum() == 3


# --- changes ---------------------------------------------------------------------------


def _list(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "person_id": ids,
            "rank": range(1, len(ids) + 1),
            "priority": np.linspace(1, 0.5, len(ids)),
        }
    )


def test_rank_changes_names_every_kind_of_change() -> None:
    # Before: A B C D E; now: B A C F E (D left, F entered, A down, B up, C and E stay).
    changes = rank_changes(_list(list("BACFE")), _list(list("ABCDE")))
    table = changes.set_index("person_id")
    assert changes["change"].tolist() == ["entered", "up", "down", "unchanged", "unchanged", "left"]
    assert changes["person_id"].tolist() == ["F", "B", "A", "C", "E", "D"]
    assert table.loc["B", "places_moved"] == 1
    assert table.loc["A", "places_moved"] == -1
    assert pd.isna(table.loc["F", "previous_rank"])
    assert pd.isna(table.loc["D", "rank"])  # no full ranking given


def test_rank_changes_shows_where_those_who_left_stand_now() -> None:
    changes = rank_changes(_list(["A"]), _list(["A", "B"]), ranking=pd.Series({"A": 1, "B": 9}))
    left = changes.set_index("person_id").loc["B"]
    assert (left["change"], left["rank"], left["places_moved"]) == ("left", 9, -7)


def test_rank_changes_without_a_previous_report_is_empty() -> None:
    changes = rank_changes(_list(["A", "B"]), None)
    assert changes.empty
    assert changes.columns.tolist() == [
        "person_id",
        "change",
        "rank",
        "previous_rank",
        "places_moved",
        "priority",
        "previous_priority",
    ]


# --- files -----------------------------------------------------------------------------


def test_table_files_fix_the_formatting() -> None:
    frame = pd.DataFrame(
        {
            "person_id": ["P1", "P2"],
            "score": [1 / 3, np.nan],
            "big": [123456789012.5, np.inf],
            "at": pd.to_datetime(["2024-01-05 22:10", None]),
            "flag": [True, None],
            "n": [3, 4],
        }
    )
    csv_bytes, parquet_bytes = folders.table_files(frame)
    assert csv_bytes.decode() == (
        "person_id,score,big,at,flag,n\n"
        "P1,0.3333333333,1.23456789e+11,2024-01-05T22:10:00,True,3\n"
        "P2,,inf,,,4\n"
    )
    back = pq.read_table(io.BytesIO(parquet_bytes)).to_pandas()
    assert back["score"].iloc[0] == 0.3333333333
    assert back["at"].iloc[0] == "2024-01-05T22:10:00"
    assert folders.table_files(frame.copy()) == (csv_bytes, parquet_bytes)


def test_table_files_hide_the_last_bits_of_floating_point() -> None:
    a = pd.DataFrame({"x": [0.1 + 0.2]})
    b = pd.DataFrame({"x": [0.3]})
    assert folders.table_files(a) == folders.table_files(b)


# --- folders ---------------------------------------------------------------------------


def _fake_report(folder: Path, name: str) -> Path:
    report = folder / name
    report.mkdir(parents=True)
    (report / folders.MANIFEST).write_text(
        '{"report": "centrality", "parameters": {"top": 3, "pseudonymised": false}}'
    )
    return report


def test_complete_reports_are_dated_folders_with_a_manifest(tmp_path: Path) -> None:
    _fake_report(tmp_path, "2024-07-01")
    _fake_report(tmp_path, "2025-01-03")
    (tmp_path / "2025-02-01").mkdir()  # no manifest: incomplete
    (tmp_path / ".tmp-1-2025-03-01-ab").mkdir()
    (tmp_path / "notes").mkdir()
    assert [p.name for p in folders.complete_reports(tmp_path)] == ["2024-07-01", "2025-01-03"]
    assert folders.previous_report(tmp_path, "2025-01-03").name == "2024-07-01"  # type: ignore[union-attr]
    assert folders.previous_report(tmp_path, "2024-07-01") is None
    assert folders.previous_report(tmp_path, "2026-01-01", comparable=lambda m: False) is None


def test_publish_renames_into_place_and_moves_latest_to_the_newest(tmp_path: Path) -> None:
    for name in ("2025-01-03", "2024-07-01"):  # the older one published last
        with folders.staging_folder(tmp_path, name) as staged:
            (staged / folders.MANIFEST).write_text("{}")
            published = folders.publish(staged, tmp_path, name)
        assert published == tmp_path / name
    latest = tmp_path / folders.LATEST
    assert latest.is_symlink() and os.readlink(latest) == "2025-01-03"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".lock",
        "2024-07-01",
        "2025-01-03",
        "latest",
    ]


def test_publish_replaces_a_report_of_the_same_date(tmp_path: Path) -> None:
    for text in ("first", "second"):
        with folders.staging_folder(tmp_path, "2025-01-03") as staged:
            (staged / folders.MANIFEST).write_text("{}")
            (staged / "offenders.csv").write_text(text)
            folders.publish(staged, tmp_path, "2025-01-03")
    assert (tmp_path / "2025-01-03" / "offenders.csv").read_text() == "second"
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_failed_run_leaves_nothing_and_latest_unmoved(tmp_path: Path) -> None:
    _fake_report(tmp_path, "2024-07-01")
    (tmp_path / folders.LATEST).symlink_to("2024-07-01")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(RuntimeError), folders.staging_folder(tmp_path, "2025-01-03") as staged:
        (staged / "offenders.csv").write_text("half")
        raise RuntimeError("disk on fire")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert os.readlink(tmp_path / folders.LATEST) == "2024-07-01"


def test_abandoned_staging_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / ".tmp-999999999-2025-01-03-dead"
    dead.mkdir(parents=True)
    alive = tmp_path / f".tmp-{os.getpid()}-2025-01-03-live"
    alive.mkdir()
    with folders.staging_folder(tmp_path, "2025-01-10"):
        pass
    assert not dead.exists()
    assert alive.exists()


def test_publish_refuses_a_latest_that_is_not_a_link(tmp_path: Path) -> None:
    (tmp_path / folders.LATEST).mkdir(parents=True)
    with (
        pytest.raises(ReportError, match="is not a link"),
        folders.staging_folder(tmp_path, "2025-01-03") as staged,
    ):
        (staged / folders.MANIFEST).write_text("{}")
        folders.publish(staged, tmp_path, "2025-01-03")


def test_list_reports_newest_first(tmp_path: Path) -> None:
    assert folders.list_reports(tmp_path / "missing").empty
    _fake_report(tmp_path, "2024-07-01")
    _fake_report(tmp_path, "2025-01-03")
    (tmp_path / folders.LATEST).symlink_to("2025-01-03")
    listed = folders.list_reports(tmp_path)
    assert listed["as_of"].tolist() == ["2025-01-03", "2024-07-01"]
    assert listed["latest"].tolist() == [True, False]
    assert listed["top"].tolist() == [3, 3]


# --- manifest and page -----------------------------------------------------------------


def _manifest(**changes: object) -> dict:
    options: dict = {
        "parameters": AnalysisParameters(as_of=pd.Timestamp("2025-01-03")),
        "top": 10,
        "pseudonymised": False,
        "key_id": None,
        "harm_table_sha256": "0" * 64,
        "database": "neo4j",
        "graph_counts": {"incidents": 6},
        "data_hash": "1" * 64,
        "summary": {"incidents_in_window": 6, "window": {"start": "2023-01-04T00:00:00"}},
        "versions": {"graphvc": "0.1.0"},
        "previous": None,
    }
    return manifest(report="centrality", **(options | changes))


def test_the_config_hash_follows_the_configuration_only() -> None:
    base = _manifest()["config_hash"]
    assert _manifest(data_hash="2" * 64, previous="2024-07-01")["config_hash"] == base
    assert _manifest(top=11)["config_hash"] != base
    assert _manifest(harm_table_sha256="f" * 64)["config_hash"] != base
    assert "generated_at" not in _manifest()


def test_the_page_is_self_contained_and_names_no_one_but_the_listed() -> None:
    offenders = pd.DataFrame(
        {
            "person_id": ["Xaaa", "Xbbb"],
            "rank": [1, 2],
            "priority": [0.9, 0.4],
            "rfg_part": [0.3, 0.2],
            "betweenness_part": [0.3, 0.0],
            "harm_pagerank_part": [0.3, 0.2],
            "community": [0, 0],
        }
    )
    core = nx.Graph()
    core.add_node("Xaaa", rank=1, priority=0.9, community=0)
    core.add_node("Xbbb", rank=2, priority=0.4, community=0)
    core.add_edge("Xaaa", "Xbbb", incidents=2)
    empty = pd.DataFrame()
    tables = {
        "offenders": offenders,
        "changes": rank_changes(offenders, None),
        "review": pd.DataFrame(
            {
                "person_id": ["Xbbb"],
                "rank": [2],
                "listed_since": ["2024-10-01"],
                "review_by": ["2024-12-30"],
                "last_offending": [pd.Timestamp("2023-06-01T21:00")],
                "reason": ["due for review; no offending in 12 months"],
                "recommendation": ["remove"],
            }
        ),
        "repeat_victims": empty.assign(rank=[], person_id=[]),
        "places": pd.DataFrame(
            {
                "level": ["borough"],
                "code": ["E09000001"],
                "name": ["City"],
                "rank": [1],
                "harm": [740.0],
            }
        ),
        "near_repeats": empty,
        "neighbourhoods": pd.DataFrame(
            {
                "ward_code": ["E05009288"],
                "ward_name": ["Aldersgate"],
                "borough_name": ["City"],
                "harm": [740.0],
                "harm_share": [1.0],
                "rank": [1],
                "top_decile": [True],
                "periods_in_top_decile": [2],
                "periods": [4],
            }
        ),
        "communities": empty,
        "exposure": empty,
        "trend": pd.DataFrame(
            {"month": ["2024-01"], "category": ["knife_enabled"], "incidents": [1], "harm": [274.0]}
        ),
        "proportionality": pd.DataFrame(
            {
                "list": ["offenders"],
                "attribute": ["sex"],
                "value": ["M"],
                "list_count": [2],
                "list_share": [1.0],
                "population_count": [2],
                "population_share": [0.5],
                "ratio": [2.0],
            }
        ),
    }
    scores = pd.DataFrame({"priority": [0.9, 0.4, 0.1]})
    about = _manifest(options={"review_days": 90, "inactive_months": 12})
    page = render_report(tables, manifest=about, scores=scores, core=core)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"https?://|<script|<link|<img|@import|url\(", page)
    for heading in (
        "Who is central now",
        "Who is new, who moved",
        "Review and removal",
        "The core network",
        "Repeat victims",
        "Where the harm falls",
        "High-impact neighbourhoods",
        "Trend by continuum category",
        "Proportionality",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert page.count("<svg") >= 5
    assert '<td class="n flag">2.00</td>' in page  # a ratio of 2 is marked (3 figures)
    assert "0 due for review (listed for 90 days or more) and 1 recommended for removal" in page
    assert render_report(tables, manifest=about, scores=scores, core=core) == page


def test_network_picture_is_the_same_for_the_same_seed() -> None:
    G = nx.karate_club_graph()
    options = {"labels": {}, "tips": {}, "sizes": {}, "groups": {}, "title": "karate"}
    first = network_picture(G, seed=3, **options)
    assert network_picture(G, seed=3, **options) == first
    assert first.count("<circle") == 34 and first.count("<line") == 78


def test_without_offending_everyone_listed_is_recommended_for_removal() -> None:
    """A network loaded from associations alone: intelligence links are undated, so nothing
    shows recent activity."""
    no_incidents = pd.DataFrame(columns=["incident_id", "occurred_at", "offence"])
    no_involvements = pd.DataFrame(columns=["person_id", "incident_id", "role"])
    offended = last_offending(no_incidents, no_involvements, end=pd.Timestamp("2025-01-01"))
    listed = pd.DataFrame(
        {
            "person_id": ["A", "B"],
            "rank": [1, 2],
            "listed_since": ["2024-12-01", "2025-01-01"],
            "review_by": ["2025-01-01", "2025-04-01"],
        }
    )
    review = review_table(listed, offended, as_of="2025-01-01", inactive_months=6)
    assert review[["person_id", "reason", "recommendation"]].to_numpy().tolist() == [
        ["A", "due for review; no offending in 6 months", "remove"],
        ["B", "no offending in 6 months", "remove"],
    ]
    assert review["last_offending"].isna().all()
