"""The tasking pack on a synthetic city in the real Neo4j: written for one borough and for
all, the same bytes twice, pseudonymised, self-contained, and drawn by headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc import audit
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.reports.pseudonyms import pseudonym
from graphvc.synth import generate, synthetic_city, write
from loaders.folder import load_folder
from tests.browser import chromium

KEY = "a tasking pack key of 16+"
RAW_ID = re.compile(r"\bP\d{7}\b")
FILES = ("targets", "target_charts", "neighbourhoods", "offenders", "victims", "marac", "changes")


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_PSEUDONYM_KEY": KEY,
        **extra,
    }


@pytest.fixture(scope="module")
def city_graph(empty_graph: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A 3,000-incident synthetic city loaded; returns its busiest borough's code."""
    folder = tmp_path_factory.mktemp("city")
    data = generate(3000, seed=5, geography=synthetic_city(5))
    write(data, folder)
    load_folder(empty_graph, folder)
    located = data.incidents.merge(data.locations, on="location_id")
    return str(located["borough_code"].value_counts().idxmax())


def _pack(settings: Settings, out: Path, *options: str) -> list[Path]:
    result = CliRunner().invoke(
        cli,
        ["report", "tasking", "--out", str(out), "--pseudonymise", *options],
        env=_env(settings, GRAPHVC_AUDIT_DIR=f"{out}-audit"),
    )
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.split()]


def test_a_pack_is_complete_reproducible_and_pseudonymised(
    city_graph: str, test_settings: Settings, tmp_path: Path
) -> None:
    [first] = _pack(test_settings, tmp_path / "a", "--borough", city_graph)
    [second] = _pack(test_settings, tmp_path / "b", "--borough", city_graph)
    assert first.parent.name == city_graph and (first.parent / "latest").resolve() == first
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(
        [*(f"{t}.{s}" for t in FILES for s in ("csv", "parquet")), "report.html", "manifest.json"]
    )
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    text = "".join((first / f"{t}.csv").read_text() for t in FILES)
    text += (first / "report.html").read_text()
    assert not RAW_ID.search(text)

    targets = pd.read_csv(first / "targets.csv")
    assert set(targets["area_code"]) >= {"force", city_graph}
    assert set(targets["status"]) <= {"met", "missed", "on track", "off track", "no data"}
    offenders = pd.read_csv(first / "offenders.csv")
    assert offenders["rank"].is_monotonic_increasing and offenders["rank"].iloc[0] == 1
    assert {"rfg_part", "betweenness_part", "harm_pagerank_part"} <= set(offenders.columns)
    wards = pd.read_csv(first / "neighbourhoods.csv")
    assert (wards["borough_code"] == city_graph).all()
    assert wards["harm_share"].between(0, 1).all() and (wards["periods_in_top_decile"] <= 4).all()

    # The pack was audited before it was written, naming the real ids behind its pseudonyms.
    [event] = audit.events(tmp_path / "a-audit").to_dict(orient="records")
    assert event["action"] == "report.write" and event["what"]["report"] == "tasking"
    assert event["what"]["borough"] == city_graph and event["what"]["pseudonymised"] is True
    assert all(RAW_ID.fullmatch(p) for p in event["person_ids"])
    listed = {pseudonym(p, KEY) for p in event["person_ids"]}
    assert set(offenders["person_id"]) <= listed


def test_the_next_pack_shows_what_changed(
    city_graph: str, test_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "packs"
    [latest] = _pack(test_settings, out, "--borough", city_graph)
    [earlier] = _pack(test_settings, out, "--borough", city_graph, "--as-of", "2025-06-01")
    assert earlier.name == "2025-06-01" and (out / city_graph / "latest").resolve() == latest
    [again] = _pack(test_settings, out, "--borough", city_graph)  # now compared with 2025-06-01
    changes = pd.read_csv(again / "changes.csv")
    assert len(changes) and set(changes["change"]) <= {"entered", "up", "down", "unchanged", "left"}


def test_all_boroughs_at_once(city_graph: str, test_settings: Settings, tmp_path: Path) -> None:
    written = _pack(test_settings, tmp_path / "all", "--all-boroughs", "--top", "3")
    assert len(written) >= 2 and city_graph in {p.parent.name for p in written}


def test_an_unknown_borough_fails_in_one_line(
    city_graph: str, test_settings: Settings, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        ["report", "tasking", "--out", str(tmp_path), "--borough", "E09999999"],
        env=_env(test_settings),
    )
    assert result.exit_code == 1
    assert "not a borough of the graph" in result.output and "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


def test_the_page_in_chromium(city_graph: str, test_settings: Settings, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    [pack] = _pack(test_settings, tmp_path / "page", "--borough", city_graph)
    page = (pack / "report.html").read_text()
    assert not re.search(r"(src|href)=\"https?:", page)  # nothing fetched
    with chromium(tmp_path / "profile", width=1300, height=2400) as browser:
        browser.get((pack / "report.html").as_uri())
        assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Tasking pack")
        headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
        assert headings[:5] == [
            "Targets",
            "High-impact neighbourhoods",
            "Potentially dangerous people",
            "Victims due for contact",
            "MARAC candidates",
        ]
        charts = browser.find_elements(By.CSS_SELECTOR, "svg[role='img']")
        assert charts and all(c.size["width"] > 100 for c in charts)
        # Every target has a row for the borough, shown in the first table.
        rows = browser.find_elements(By.CSS_SELECTOR, "table")[0].find_elements(By.TAG_NAME, "tr")
        assert len(rows) > 6
        shot = tmp_path / "tasking-pack.png"
        assert browser.save_screenshot(str(shot))
        if os.environ.get("GRAPHVC_TEST_TASKING_SCREENSHOT"):
            shutil.copyfile(shot, os.environ["GRAPHVC_TEST_TASKING_SCREENSHOT"])


def test_a_pack_of_chosen_tie_layers(
    city_graph: str, test_settings: Settings, tmp_path: Path
) -> None:
    # The same --ties and --tie-weight as the centrality report: the pack records them.
    options = ("--borough", city_graph, "--ties", "co-offending,gang", "--tie-weight", "gang=2")
    [pack] = _pack(test_settings, tmp_path / "ties", *options)
    parameters = json.loads((pack / "manifest.json").read_text())["parameters"]
    assert parameters["tie_weights"] == {"co-offending": 1.0, "gang": 2.0}
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "tasking",
            "--out",
            str(tmp_path / "bad"),
            "--borough",
            city_graph,
            "--ties",
            "gang",
            "--tie-weight",
            "family=2",
        ],
        env=_env(test_settings),
    )
    assert result.exit_code == 1
    assert "names a layer not chosen in --ties (gang)" in result.output
