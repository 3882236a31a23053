"""`graphvc report centrality` on the real Neo4j: two weekly reports with data added between.

The small fixture is reported as of 2024-07-01; then a folder adds two incidents and two
people, and the graph is reported as of 2025-01-03, against the first report. Co-offending
(offenders and suspects) before 2024-07-01: P1-P2 (I1), P1-P3 (I2); P5 alone (I3). Added:
I7 (2024-11-15, knife, 274 days) by P2 and P10 against P6, and I8 (2024-12-20, robbery,
365) by P11 against P4. By 2025-01-03 the network is P3-P1-P6 (I5), P1-P2-P10 and three
people alone (P5, P7, P11).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import neo4j
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.errors import ReportError
from graphvc.reports import build_report, folders, list_reports, pseudonym
from graphvc.runs import AnalysisParameters
from graphvc.schema import apply_schema, wipe
from loaders.folder import load_folder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
KEY = "the integration test's pseudonym key"
#: The reports are worked by hand on the co-offending network of the fixture.
CO_OFFENDING = {"co-offending": 1.0}
TOP = 5
EXTRA = {
    "persons.csv": """person_id,name,age_band,sex,ethnicity
P10,Synthetic Ten,18-24,M,B1
P11,Synthetic Eleven,25-34,F,W1
""",
    "incidents.csv": """incident_id,occurred_at,offence,category,weapon,alcohol,domestic,hate,harm,outcome,location_id
I7,2024-11-15T21:00:00,possession_weapon,knife_enabled,true,false,false,false,,charged,L3
I8,2024-12-20T22:00:00,personal_robbery,personal_robbery,false,false,false,false,,under_investigation,L1
""",
    "involvements.csv": """person_id,incident_id,role
P2,I7,offender
P10,I7,offender
P6,I7,victim
P11,I8,offender
P4,I8,victim
""",
}
RAW_ID = re.compile(r"\bP\d+\b")


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_PSEUDONYM_KEY": "",
        **extra,
    }


def _pseudonymised_report(settings: Settings, out: Path, *as_of: str) -> Path:
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "centrality",
            "--out",
            str(out),
            "--top",
            str(TOP),
            "--pseudonymise",
            "--ties",
            "co-offending",
            *as_of,
        ],
        env=_env(settings, GRAPHVC_PSEUDONYM_KEY=KEY),
    )
    assert result.exit_code == 0, result.output
    assert "INFO graphvc.reports.weekly_centrality" in result.stderr  # logs go to stderr
    return Path(result.stdout.strip())


@pytest.fixture(scope="module")
def reports(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Both weekly reports, plain (library) and pseudonymised (command line)."""
    database = test_settings.neo4j_database
    load_folder(empty_graph, FIXTURES / "small", database=database)
    root = tmp_path_factory.mktemp("reports")
    plain, named = root / "plain", root / "pseudonymised"
    made = {
        "first": build_report(
            empty_graph,
            plain,
            AnalysisParameters(as_of=pd.Timestamp("2024-07-01"), tie_weights=CO_OFFENDING),
            top=TOP,
            database=database,
        ),
        "named_first": _pseudonymised_report(test_settings, named, "--as-of", "2024-07-01"),
    }
    extra = root / "extra"
    extra.mkdir()
    for name, text in EXTRA.items():
        (extra / name).write_text(text)
    summary = load_folder(empty_graph, extra, database=database, rejects_path=root / "rejects.csv")
    assert summary.total_rejected == 0
    made["second"] = build_report(
        empty_graph,
        plain,
        AnalysisParameters(as_of=pd.Timestamp("2025-01-03"), tie_weights=CO_OFFENDING),
        top=TOP,
        database=database,
    )
    # No --as-of: the day after the latest incident (I6, 2025-01-02).
    made["named_second"] = _pseudonymised_report(test_settings, named)
    return made


def _csv(report: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(report / f"{table}.csv", dtype={"person_id": "string", "code": "string"})


def _manifest(report: Path) -> dict:
    return json.loads((report / "manifest.json").read_text())


def test_the_first_report_is_the_fixture_worked_by_hand(reports: dict[str, Path]) -> None:
    first = reports["first"]
    assert first.name == "2024-07-01"
    offenders = _csv(first, "offenders").set_index("person_id")
    # Four people offended in the two years to 2024-07-01, all on a list of five. P1 sits
    # between P2 and P3 (betweenness 1) and offended twice (730 days' harm); P2 and P3 once
    # each (365), P3 a month later, so P3 ranks above P2 on recency alone.
    assert offenders.index.tolist() == ["P1", "P3", "P2", "P5"]
    assert offenders["rank"].tolist() == [1, 2, 3, 4]
    assert offenders["betweenness"].tolist() == [1, 0, 0, 0]
    assert offenders["frequency"].tolist() == [2, 1, 1, 1]
    assert offenders["gravity"].tolist() == [730, 365, 365, 10]
    assert offenders.loc["P3", "recency_days"] == pytest.approx(141 + 0.5 / 24)
    assert offenders.loc["P2", "recency_days"] == pytest.approx(177 + (1 + 50 / 60) / 24)
    parts = offenders[["rfg_part", "betweenness_part", "harm_pagerank_part"]].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(offenders["priority"].to_numpy(), abs=1e-9)
    rfg = offenders[["recency_part", "frequency_part", "gravity_part"]].sum(axis=1)
    assert rfg.to_numpy() == pytest.approx(offenders["rfg"].to_numpy(), abs=1e-9)

    victims = _csv(first, "repeat_victims")
    # P4: robbed in I2 (365) and assaulted in I3 (10) in the year to 2024-07-01.
    assert victims[["person_id", "rank", "victimisations", "harm"]].to_numpy().tolist() == [
        ["P4", 1, 2, 375]
    ]
    places = _csv(first, "places")
    assert places[["level", "code", "harm"]].to_numpy().tolist() == [
        ["borough", "E09000001", 740],
        ["ward", "E05009288", 730],
        ["ward", "E05009302", 10],
        ["location", "L1", 730],
        ["location", "L2", 10],
    ]
    communities = _csv(first, "communities")
    # {P1, P2, P3}: ties P1-P2 and P1-P3, incidents I1 and I2 (365 each); P5 alone, I3.
    assert communities.drop(columns="community").to_numpy().tolist() == [
        [3, 3, 1, 2, 2, 730],
        [1, 1, 4, 0, 1, 10],
    ]
    assert _csv(first, "exposure").empty  # no gun or knife victim before July 2024
    assert _csv(first, "neighbourhoods").empty  # no incident from April to July 2024
    assert _csv(first, "changes").empty  # nothing earlier to compare with
    trend = _csv(first, "trend")
    assert trend["month"].nunique() == 24 and trend["incidents"].sum() == 3
    shares = _csv(first, "proportionality")
    # The whole pool is on the offenders' list, so every ratio is 1; the one repeat victim
    # (F) was drawn from two victims of the year (P3, M; P4, F): ratio 1 / 0.5 = 2.
    assert (shares.loc[shares["list"] == "offenders", "ratio"] == 1).all()
    victim_sex = shares[(shares["list"] == "repeat_victims") & (shares["attribute"] == "sex")]
    assert victim_sex[["value", "ratio"]].to_numpy().tolist() == [["F", 2.0], ["M", 0.0]]
    assert _manifest(first)["previous_report"] is None


def test_the_second_report_shows_who_entered_left_and_moved(reports: dict[str, Path]) -> None:
    second = reports["second"]
    assert second.name == "2025-01-03"
    offenders = _csv(second, "offenders").set_index("person_id")
    # P1 links P3, P6 and P2 (and, through P2, P10): 5 pairs; P2 links P10 to the other
    # three: 3 pairs.
    assert offenders.index.tolist() == ["P1", "P2", "P10", "P6", "P3"]
    assert offenders["betweenness"].tolist() == [5, 3, 0, 0, 0]
    changes = _csv(second, "changes")
    assert changes["person_id"].tolist() == ["P10", "P6", "P2", "P3", "P1", "P5"]
    assert changes["change"].tolist() == ["entered", "entered", "up", "down", "unchanged", "left"]
    assert changes["rank"].tolist() == [3, 4, 2, 5, 1, 6]  # P5 left for sixth place
    assert changes["previous_rank"].astype("Int64").tolist() == [pd.NA, pd.NA, 3, 2, 1, 4]
    assert changes["places_moved"].astype("Int64").tolist() == [pd.NA, pd.NA, 1, -3, 0, -2]
    # P1, P2 and P3 have been listed since the first report, due for review 90 days on.
    assert offenders["listed_since"].to_dict() == {
        "P1": "2024-07-01",
        "P2": "2024-07-01",
        "P10": "2025-01-03",
        "P6": "2025-01-03",
        "P3": "2024-07-01",
    }
    assert offenders.loc["P1", "review_by"] == "2024-09-29"
    review = _csv(second, "review")
    # All three still offend: P3 last as a suspect in I2 (2024-02-10), within 12 months.
    assert review[["person_id", "reason", "recommendation"]].to_numpy().tolist() == [
        ["P1", "due for review", "review"],
        ["P2", "due for review", "review"],
        ["P3", "due for review", "review"],
    ]

    exposure = _csv(second, "exposure")
    # P6, a knife victim (I7); P1 a step away; P2 and P3 two; P10 three (not listed).
    assert exposure[["person_id", "distance", "is_victim"]].to_numpy().tolist() == [
        ["P6", 0, True],
        ["P1", 1, False],
        ["P2", 2, False],
        ["P3", 2, False],
    ]
    victims = _csv(second, "repeat_victims")
    assert victims[["person_id", "victimisations", "harm"]].to_numpy().tolist() == [
        ["P4", 4, 365 + 10 + 365 + 365]
    ]
    places = _csv(second, "places").set_index(["level", "code"])["harm"]
    assert places[("location", "L1")] == 365 * 3  # I1, I2, I8
    assert places[("location", "L3")] == 274 * 2  # I5, I7
    assert places[("borough", "E09000001")] == 365 * 3 + 375
    wards = _csv(second, "neighbourhoods")
    # The last quarter, 2024-10-04 to 2025-01-02: I5 and I7 in Camden Town (274 each), I8 in
    # Aldersgate (365), I6 nowhere (20). One ward of three is the top decile: Camden Town now;
    # Aldersgate (I1, I2) in the quarter to 2024-04-05, Cripplegate (I4, no harm now) in the
    # quarter to 2024-10-04.
    assert wards[
        ["ward_code", "harm", "rank", "top_decile", "periods_in_top_decile"]
    ].to_numpy().tolist() == [["E05000137", 548, 1, True, 1], ["E05009288", 365, 2, False, 1]]
    assert wards["harm_share"].tolist() == pytest.approx([548 / 933, 365 / 933])
    shares = _csv(second, "proportionality").set_index(["list", "attribute", "value"])
    # Four of the five listed are 18-24, against four of the eight scored: 0.8 / 0.5.
    assert shares.loc[("offenders", "age_band", "18-24"), "ratio"] == pytest.approx(1.6)


def test_the_manifest_traces_every_file(reports: dict[str, Path]) -> None:
    second = reports["second"]
    manifest = _manifest(second)
    assert manifest["report"] == "centrality"
    assert manifest["as_of"] == "2025-01-03"
    assert manifest["previous_report"] == "2024-07-01"
    chosen = {
        "as_of": "2025-01-03T00:00:00",
        "window_days": 730,
        "seed": 0,
        "top": TOP,
        "pseudonymised": False,
    }
    assert {key: manifest["parameters"][key] for key in chosen} == chosen
    assert manifest["pseudonym_key_id"] is None
    assert manifest["data"]["graph"] == {
        "incidents": 8,
        "involvements": 20,
        "locations": 4,
        "persons": 11,
        "associations": 3,
        "risk_assessments": 3,
    }
    assert manifest["data"]["analysis"]["people_in_network"] == 8
    assert manifest["versions"]["neo4j"]["version"].startswith("5.26")
    assert manifest["versions"]["graphvc"]
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["config_hash"])
    assert "generated_at" not in manifest
    written = {p.name for p in second.iterdir()} - {"manifest.json"}
    assert written == set(manifest["files"])
    assert len(written) == 2 * 11 + 1  # eleven tables as CSV and Parquet, and the page
    for name, about in manifest["files"].items():
        assert hashlib.sha256((second / name).read_bytes()).hexdigest() == about["sha256"]
    assert manifest["files"]["offenders.csv"]["rows"] == TOP
    first = _manifest(reports["first"])
    assert first["config_hash"] != manifest["config_hash"]  # another as-of date


def test_latest_points_at_the_newest_report(reports: dict[str, Path]) -> None:
    out = reports["second"].parent
    assert os.readlink(out / "latest") == "2025-01-03"
    listed = list_reports(out)
    assert listed["as_of"].tolist() == ["2025-01-03", "2024-07-01"]
    assert listed["latest"].tolist() == [True, False]
    assert not list(out.glob(".tmp-*"))


def test_reruns_are_byte_identical(
    reports: dict[str, Path], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    second = reports["second"]
    elsewhere = tmp_path / "again"
    shutil.copytree(reports["first"], elsewhere / "2024-07-01")
    again = build_report(
        empty_graph,
        elsewhere,
        AnalysisParameters(as_of=pd.Timestamp("2025-01-03"), tie_weights=CO_OFFENDING),
        top=TOP,
    )
    files = sorted(p.name for p in second.iterdir())
    assert files == sorted(p.name for p in again.iterdir())
    assert [f for f in files if (second / f).read_bytes() != (again / f).read_bytes()] == []
    # The same report into the same folder replaces it with the same bytes.
    before = {f: (second / f).read_bytes() for f in files}
    assert (
        build_report(
            empty_graph,
            second.parent,
            AnalysisParameters(as_of=pd.Timestamp("2025-01-03"), tie_weights=CO_OFFENDING),
            top=TOP,
        )
        == second
    )
    assert {f: (second / f).read_bytes() for f in files} == before
    assert os.readlink(second.parent / "latest") == "2025-01-03"


def _text_files(report: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in report.iterdir() if p.suffix != ".parquet"}


def test_pseudonyms_are_stable_and_no_raw_id_is_written(reports: dict[str, Path]) -> None:
    first, second = reports["named_first"], reports["named_second"]
    assert (first.name, second.name) == ("2024-07-01", "2025-01-03")
    name = {person: pseudonym(person, KEY) for person in ("P1", "P2", "P3", "P5", "P6", "P10")}
    assert _csv(first, "offenders")["person_id"].tolist() == [
        name[p] for p in ("P1", "P3", "P2", "P5")
    ]
    assert _csv(second, "offenders")["person_id"].tolist()[0] == name["P1"]
    changes = _csv(second, "changes").set_index("person_id")["change"]
    assert changes.to_dict() == {
        name["P10"]: "entered",
        name["P6"]: "entered",
        name["P2"]: "up",
        name["P3"]: "down",
        name["P1"]: "unchanged",
        name["P5"]: "left",
    }
    assert _csv(second, "exposure")["person_id"].tolist() == [
        name[p] for p in ("P6", "P1", "P2", "P3")
    ]
    assert _csv(second, "review")["person_id"].tolist() == [name[p] for p in ("P1", "P2", "P3")]
    for report in (first, second):
        for file, text in _text_files(report).items():
            assert not RAW_ID.search(text), f"{report.name}/{file} names {RAW_ID.search(text)}"
            assert "Synthetic" not in text  # names are never read
        for path in report.glob("*.parquet"):
            values = pq.read_table(path).to_pandas().astype(str).to_numpy().ravel()
            assert not [v for v in values if isinstance(v, str) and RAW_ID.fullmatch(v)], path.name
    manifest = _manifest(second)
    assert manifest["parameters"]["pseudonymised"] is True
    assert re.fullmatch(r"[0-9a-f]{12}", manifest["pseudonym_key_id"])
    assert KEY not in json.dumps(manifest)


def test_a_pseudonymised_report_is_not_compared_with_a_plain_one(
    reports: dict[str, Path], empty_graph: neo4j.Driver, tmp_path: Path
) -> None:
    shutil.copytree(reports["first"], tmp_path / "2024-07-01")
    report = build_report(
        empty_graph,
        tmp_path,
        AnalysisParameters(as_of=pd.Timestamp("2025-01-03"), tie_weights=CO_OFFENDING),
        top=TOP,
        pseudonymise=True,
        key=KEY,
    )
    assert _manifest(report)["previous_report"] is None
    assert _csv(report, "changes").empty


def test_the_page_is_self_contained(reports: dict[str, Path]) -> None:
    for report in reports.values():
        page = (report / "report.html").read_text()
        assert not re.search(r"https?://", page)
        assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", page)
        assert page.count("<svg") >= 6
        for heading in (
            "Who is central now",
            "Who is new, who moved",
            "Review and removal",
            "The core network",
            "Repeat victims",
            "Where the harm falls",
            "Trend by continuum category",
            "Proportionality",
        ):
            assert f"<h2>{heading}</h2>" in page


def _snapshot(out: Path) -> tuple[list[str], str]:
    return sorted(p.name for p in out.iterdir()), os.readlink(out / "latest")


def test_an_unreachable_database_fails_in_one_line_and_moves_nothing(
    reports: dict[str, Path], test_settings: Settings
) -> None:
    out = reports["second"].parent
    before = _snapshot(out)
    result = CliRunner().invoke(
        cli,
        ["report", "centrality", "--out", str(out), "--as-of", "2025-02-01"],
        env=_env(test_settings, NEO4J_URI="bolt://127.0.0.1:1"),
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: Neo4j at bolt://127.0.0.1:1 is unreachable")
    assert _snapshot(out) == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--pseudonymise"], "Error: --pseudonymise needs GRAPHVC_PSEUDONYM_KEY"),
        (["--as-of", "2025-02-30"], "Error: --as-of '2025-02-30' is not a date"),
        (["--top", "0"], "Invalid value for '--top'"),
    ],
)
def test_bad_parameters_fail_before_any_work(
    reports: dict[str, Path], arguments: list[str], message: str
) -> None:
    out = reports["second"].parent
    before = _snapshot(out)
    # An unreachable server: the options are refused before it is ever asked.
    result = CliRunner().invoke(
        cli,
        ["report", "centrality", "--out", str(out), *arguments],
        env={"NEO4J_URI": "bolt://127.0.0.1:1", "GRAPHVC_PSEUDONYM_KEY": ""},
    )
    assert result.exit_code != 0
    assert message in result.stderr
    assert _snapshot(out) == before


def test_a_run_failing_while_writing_leaves_no_half_report(
    reports: dict[str, Path], empty_graph: neo4j.Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = reports["second"].parent
    before = _snapshot(out)
    write_file = folders.write_file
    written: list[str] = []

    def failing(path: Path, data: bytes) -> str:
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path.name)
        return write_file(path, data)

    monkeypatch.setattr(folders, "write_file", failing)
    with pytest.raises(ReportError, match=r"cannot write report 2025-02-01 into .*No space left"):
        build_report(
            empty_graph,
            out,
            AnalysisParameters(as_of=pd.Timestamp("2025-02-01"), tie_weights=CO_OFFENDING),
            top=TOP,
        )
    assert len(written) == 5
    assert _snapshot(out) == before


def test_an_empty_graph_fails_in_one_line(
    reports: dict[str, Path], empty_graph: neo4j.Driver, test_settings: Settings
) -> None:
    out = reports["second"].parent
    before = _snapshot(out)
    wipe(empty_graph, database=test_settings.neo4j_database)
    apply_schema(empty_graph, database=test_settings.neo4j_database)
    result = CliRunner().invoke(
        cli, ["report", "centrality", "--out", str(out)], env=_env(test_settings)
    )
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: the graph holds neither incidents nor associations: load some first "
        "(graphvc load DIR, graphvc load-network FILE or graphvc load-police-uk FILES)"
    )
    assert _snapshot(out) == before


def test_report_files_are_readable_by_owner_and_group_only(reports: dict[str, Path]) -> None:
    folder = reports["second"]
    assert folder.stat().st_mode & 0o777 == 0o750
    modes = {path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()}
    assert modes and set(modes.values()) == {0o640}, modes
