"""The report pages as a reader gets them, on synthetic people in real London (the installed
reference data) in the real Neo4j: the City of London's tasking pack, lists that say where
they are cut, every table in plain language, and pages laid out for A4 that print to PDF."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.geography import installed_london
from graphvc.reference.install import install_from
from graphvc.synth import generate, write
from loaders.folder import load_folder
from scripts.print_report import HEIGHT, WIDTH, a4_pdf
from tests.browser import chromium

CITY_OF_LONDON = "E09000001"
#: A header in snake_case is a machine name, not a label.
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
#: Headings of columns that count or rank, whose every cell must be a whole number.
WHOLE = re.compile(
    r"\b(rank|incidents|victimisations|people|listed|links|steps|co-offenders|days since)\b"
)
NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+(e[-+]?\d+)?")


class Tables(HTMLParser):
    """Every table of a page: its header cells (a first row of ``th`` only) and its other
    rows of cells, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list]] = []
        self._cell: list[str] | None = None
        self._row: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self._row.append((tag, "".join(self._cell).strip()))
            self._cell = None
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if not table["head"] and not table["rows"] and all(t == "th" for t, _ in self._row):
                table["head"] = [text for _, text in self._row]
            else:
                table["rows"].append([text for _, text in self._row])

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page_tables(page: str) -> list[dict[str, list]]:
    parser = Tables()
    parser.feed(page)
    return parser.tables


def _significant(text: str) -> int:
    digits = text.replace(",", "").lstrip("+-").split("e")[0].replace(".", "").lstrip("0")
    return len(digits)


def plain_language_faults(page: str) -> list[str]:
    """What a reader should not meet in the page's tables: machine names as headers, floats
    to more than 4 significant figures, ranks or counts that are not whole, None/nan cells
    or empty ones."""
    faults = []
    for number, table in enumerate(page_tables(page)):
        for heading in table["head"]:
            if SNAKE.search(heading):
                faults.append(f"table {number}: header {heading!r}")
        headings = table["head"]
        for row in table["rows"]:
            for index, cell in enumerate(row):
                heading = headings[index] if index < len(headings) else row[0]
                if cell == "" or cell.lower() in {"none", "nan", "<na>", "nat", "null"}:
                    faults.append(f"table {number}: {heading!r} cell {cell!r}")
                elif SNAKE.fullmatch(cell):
                    faults.append(f"table {number}: {heading!r} cell {cell!r} is a code")
                elif NUMBER.fullmatch(cell) and "." in cell and _significant(cell) > 4:
                    faults.append(f"table {number}: {heading!r} cell {cell!r} too precise")
                elif (
                    headings
                    and WHOLE.search(heading)
                    and NUMBER.fullmatch(cell)
                    and not re.fullmatch(r"[-+]?[\d,]+", cell)
                ):
                    faults.append(f"table {number}: {heading!r} cell {cell!r} not whole")
    return faults


def test_the_sweep_finds_each_fault() -> None:
    # The sweep below would pass anything if it could not see these.
    page = (
        "<table><thead><tr><th>priority_rank</th><th>rank</th><th>score</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2.0</td><td>0.026490359549825634</td></tr>"
        "<tr><td>None</td><td>3</td><td>nan</td></tr>"
        "<tr><td>4</td><td>4</td><td>knife_enabled</td></tr></tbody></table>"
    )
    faults = plain_language_faults(page)
    assert len(faults) == 6, faults
    assert plain_language_faults(page.replace("priority_rank", "rank").replace("2.0", "2")) != []
    clean = (
        "<table><tr><th>rank</th><th>score</th></tr><tr><td>1,234</td><td>0.0265</td></tr></table>"
    )
    assert plain_language_faults(clean) == []


@pytest.fixture(scope="module")
def london(
    empty_graph: neo4j.Driver,
    reference_source: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path | str]:
    """Synthetic people on real London (2,000 incidents, one in the City of London), loaded;
    a home with the reference data installed."""
    home = tmp_path_factory.mktemp("london-home")
    install_from(reference_source, home)
    geography = installed_london(home)
    assert geography is not None
    data = generate(2000, seed=3, geography=geography)
    folder = tmp_path_factory.mktemp("london-data")
    write(data, folder)
    load_folder(empty_graph, folder)
    located = data.incidents.merge(data.locations, on="location_id")
    assert (located["borough_code"] == CITY_OF_LONDON).sum() >= 1
    busiest = str(located["borough_code"].value_counts().idxmax())
    return {"home": home, "busiest": busiest}


def _run(settings: Settings, home: Path, *arguments: str) -> list[Path]:
    env = {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_HOME": str(home),
        "GRAPHVC_PSEUDONYM_KEY": "",
    }
    result = CliRunner().invoke(cli, ["report", *arguments], env=env)
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.split()]


def test_the_city_of_londons_pack_explains_its_empty_marac_list(
    london: dict, test_settings: Settings, tmp_path: Path
) -> None:
    # It failed with "unexpected TypeError: Index(...) must be called with a collection":
    # high-risk assessments are loaded, but none of an incident in the City.
    home = london["home"]
    [pack] = _run(
        test_settings, home, "tasking", "--out", str(tmp_path), "--borough", CITY_OF_LONDON
    )
    assert pd.read_csv(pack / "marac.csv").empty
    page = (pack / "report.html").read_text()
    assert "<h2>MARAC candidates</h2>" in page
    assert "None: no domestic-abuse victim in this borough had 3 or more incidents" in page
    # Its map: the City's wards, from the installed outlines.
    assert "<h3>The borough on the map</h3>" in page
    assert "Aldersgate" in page and "City of London" in page


def test_top_governs_the_victims_list_and_the_page_says_what_is_cut(
    london: dict, test_settings: Settings, tmp_path: Path
) -> None:
    home, busiest = london["home"], london["busiest"]
    [pack] = _run(
        test_settings, home, "tasking", "--out", str(tmp_path), "--borough", busiest, "--top", "3"
    )
    lists = json.loads((pack / "manifest.json").read_text())["lists"]
    victims = pd.read_csv(pack / "victims.csv")
    assert len(victims) == 3 == lists["victims"]["shown"]
    qualified = lists["victims"]["qualified"]
    assert qualified > 3
    page = (pack / "report.html").read_text()
    assert f"3 of {qualified:,} victims shown; raise --top to list more." in page
    offenders = lists["offenders"]
    assert offenders["shown"] == len(pd.read_csv(pack / "offenders.csv")) < offenders["qualified"]
    assert (
        f"{offenders['shown']:,} of {offenders['qualified']:,} people of the borough shown; "
        "raise --top to list more." in page
    )
    # With a --top above every list, nothing is cut, and the page says so.
    [whole] = _run(
        test_settings,
        home,
        "tasking",
        "--out",
        str(tmp_path / "all"),
        "--borough",
        busiest,
        "--top",
        "100000",
    )
    assert len(pd.read_csv(whole / "victims.csv")) == qualified
    assert f"All {qualified:,} victims shown." in (whole / "report.html").read_text()


@pytest.fixture(scope="module")
def pages(london: dict, test_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The busiest borough's tasking pack and the weekly report of the London graph."""
    out = tmp_path_factory.mktemp("pages")
    home, busiest = london["home"], london["busiest"]
    [pack] = _run(test_settings, home, "tasking", "--out", str(out / "packs"), "--borough", busiest)
    [weekly] = _run(test_settings, home, "centrality", "--out", str(out / "weekly"), "--top", "10")
    return {"pack": pack, "weekly": weekly}


def test_the_weekly_report_says_what_each_list_cuts(pages: dict) -> None:
    report = pages["weekly"]
    lists = json.loads((report / "manifest.json").read_text())["lists"]
    page = (report / "report.html").read_text()
    offenders = lists["offenders"]
    assert offenders["shown"] == len(pd.read_csv(report / "offenders.csv")) >= 10
    assert (
        f"{offenders['shown']:,} of {offenders['qualified']:,} people scored shown; "
        "raise --top to list more." in page
    )
    places = pd.read_csv(report / "places.csv")
    for level, noun in (("ward", "wards"), ("borough", "boroughs")):
        size = lists[f"places_{level}"]
        assert size["shown"] == (places["level"] == level).sum() < size["qualified"]
        assert f"{size['shown']:,} of {size['qualified']:,} {noun} with harm shown" in page


@pytest.mark.parametrize("which", ["pack", "weekly"])
def test_every_table_of_the_pages_reads_in_plain_language(pages: dict, which: str) -> None:
    page = (pages[which] / "report.html").read_text()
    tables = page_tables(page)
    assert len(tables) >= 5 and sum(len(t["rows"]) for t in tables) > 20
    assert plain_language_faults(page) == []


@pytest.mark.parametrize("which", ["pack", "weekly"])
def test_the_pages_are_laid_out_for_a4(pages: dict, which: str) -> None:
    page = (pages[which] / "report.html").read_text()
    assert re.search(r"@page\s*\{\s*size:\s*A4", page)
    assert re.search(r"@media print\s*\{[^@]*h2\s*\{[^}]*break-before:\s*page", page)
    assert "<h2>How this was made</h2>" in page and '<table class="about">' in page
    manifest = json.loads((pages[which] / "manifest.json").read_text())
    assert f"<td>{manifest['config_hash'][:12]}</td>" in page
    # The parameters are a table; the JSON stays in manifest.json.
    assert (
        "<pre" not in page
        and '"priority_weights"' not in page
        and "{" not in re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    )
    if which == "pack":
        assert "<h3>The borough on the map</h3>" in page
        assert page.count("<path") > 10  # the boroughs and the borough's wards


@pytest.mark.parametrize("which", ["pack", "weekly"])
def test_the_pages_print_on_a4_pages_that_nothing_overflows(
    pages: dict, which: str, tmp_path: Path
) -> None:
    with chromium(tmp_path / "profile") as browser:
        browser.get((pages[which] / "report.html").as_uri())
        sections = len(browser.find_elements("tag name", "h2"))
        pdf = a4_pdf(browser)
        # As printed: the print style sheet, at the width an A4 page leaves inside its margins.
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        wider = browser.execute_script(
            "const w = document.documentElement.clientWidth;"
            "return [...document.querySelectorAll('body > *, table, svg')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1)"
            ".map(e => e.tagName + ' ' + e.textContent.slice(0, 40));"
        )
    assert wider == []
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    # A page break before each section but the first: a page at least for each; every page
    # A4 (595 x 842 points).
    assert len(boxes) >= sections >= 6
    assert all(
        math.isclose(float(w), 595.3, abs_tol=1.5) and math.isclose(float(h), 841.9, abs_tol=1.5)
        for w, h in boxes
    )
