"""Review and removal on the real Neo4j: three weekly reports with controlled as-of dates.

Four offenders, each alone, all against P9, a pure victim (never offender or suspect):

    I1 2024-12-01  P1 -> P9      I4 2023-10-01  P3 -> P9
    I2 2023-02-15  P2 -> P9      I5 2024-11-01  P4 -> P9
    I3 2025-03-15  P2 -> P9      I6 2025-02-15  P1 -> P9

P9 is also family of P1 and of P3 (associations): the only bridge between them in the
person network too.

Reports as of 2025-01-01, 2025-03-01 and 2025-04-01 (two-year window, everyone in it on the
list). P1 and P4 stay listed; P3 too, though their only offence is older than twelve months;
P2 drops off when I2 leaves the window (2025-03-01) and returns with I3 (2025-04-01).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import neo4j
import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.analysis.projections import victim_offender_graph
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.graph_tables import read_graph_tables
from graphvc.reports import build_report
from graphvc.runs import AnalysisParameters
from loaders.folder import load_folder

DATES = ("2025-01-01", "2025-03-01", "2025-04-01")
TOP = 10
GRAPH = {
    "persons.csv": "person_id,name,age_band,sex,ethnicity\n"
    + "".join(f"P{n},Synthetic {n},18-24,M,W1\n" for n in (1, 2, 3, 4, 9)),
    "locations.csv": "location_id,name,lsoa_code,ward_code,ward_name,borough_code,borough_name,"
    "latitude,longitude\nL1,Somewhere,E01000001,E05009288,Aldersgate,E09000001,City of London,"
    "51.52,-0.097\n",
    "incidents.csv": """incident_id,occurred_at,offence,category,weapon,alcohol,domestic,hate,harm,outcome,location_id
I1,2024-12-01T21:00:00,personal_robbery,personal_robbery,false,false,false,false,,charged,L1
I2,2023-02-15T21:00:00,personal_robbery,personal_robbery,false,false,false,false,,charged,L1
I3,2025-03-15T21:00:00,personal_robbery,personal_robbery,false,false,false,false,,charged,L1
I4,2023-10-01T21:00:00,personal_robbery,personal_robbery,false,false,false,false,,charged,L1
I5,2024-11-01T21:00:00,personal_robbery,personal_robbery,false,false,false,false,,charged,L1
I6,2025-02-15T21:00:00,personal_robbery,personal_robbery,false,false,false,false,,charged,L1
""",
    "involvements.csv": "person_id,incident_id,role\n"
    + "".join(
        f"{offender},I{n},offender\nP9,I{n},victim\n"
        for n, offender in enumerate(["P1", "P2", "P2", "P3", "P4", "P1"], start=1)
    ),
    "associations.csv": "person_a,person_b,type,weight,source\nP1,P9,family,,intelligence\n"
    "P3,P9,family,,intelligence\n",
}


@pytest.fixture(scope="module")
def loaded(
    empty_graph: neo4j.Driver, test_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> neo4j.Driver:
    folder = tmp_path_factory.mktemp("review-graph")
    for name, text in GRAPH.items():
        (folder / name).write_text(text)
    summary = load_folder(
        empty_graph,
        folder,
        database=test_settings.neo4j_database,
        rejects_path=folder / "rejects.csv",
    )
    assert summary.total_rejected == 0
    return empty_graph


@pytest.fixture(scope="module")
def reports(loaded: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("review-reports")
    return [
        build_report(loaded, out, AnalysisParameters(as_of=pd.Timestamp(day)), top=TOP)
        for day in DATES
    ]


def _csv(report: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(report / f"{table}.csv", dtype={"person_id": "string"})


def _listing(report: Path) -> dict[str, tuple[str, str]]:
    offenders = _csv(report, "offenders").set_index("person_id")
    return {p: (row["listed_since"], row["review_by"]) for p, row in offenders.iterrows()}


def _review(report: Path) -> dict[str, tuple[str, str]]:
    review = _csv(report, "review").set_index("person_id")
    return {p: (row["reason"], row["recommendation"]) for p, row in review.iterrows()}


def test_listed_since_follows_the_unbroken_run_of_reports(reports: list[Path]) -> None:
    first, second, third = (_listing(report) for report in reports)
    since_first = ("2025-01-01", "2025-04-01")  # review_by 90 days later
    assert first == dict.fromkeys(["P1", "P2", "P3", "P4"], since_first)
    # I2 (2023-02-15) left the two-year window: P2 is off the list.
    assert second == dict.fromkeys(["P1", "P3", "P4"], since_first)
    # P2 is back (I3): a new run, a new date; the others keep the first report's date.
    assert third == {
        **dict.fromkeys(["P1", "P3", "P4"], since_first),
        "P2": ("2025-04-01", "2025-06-30"),
    }


def test_review_names_who_is_due_and_who_no_longer_offends(reports: list[Path]) -> None:
    first, second, third = (_review(report) for report in reports)
    stopped = ("no offending in 12 months", "remove")
    # P2's last offence (2023-02-15) and P3's (2023-10-01) are older than 2024-01-01.
    assert first == {"P2": stopped, "P3": stopped}
    assert second == {"P3": stopped}
    # Listed since 2025-01-01, P1, P3 and P4 are due on 2025-04-01; P2, back, is not.
    assert third == {
        "P3": ("due for review; no offending in 12 months", "remove"),
        "P1": ("due for review", "review"),
        "P4": ("due for review", "review"),
    }
    review = _csv(reports[2], "review")
    assert review["recommendation"].tolist() == ["remove", "review", "review"]  # removals first
    assert review.loc[review["person_id"] == "P3", "last_offending"].item() == "2023-10-01T21:00:00"
    manifest = json.loads((reports[2] / "manifest.json").read_text())
    assert manifest["files"]["review.csv"]["rows"] == 3
    assert {k: manifest["parameters"][k] for k in ("review_days", "inactive_months")} == {
        "review_days": 90,
        "inactive_months": 12,
    }
    page = (reports[2] / "report.html").read_text()
    assert "<h2>Review and removal</h2>" in page
    assert "3 due for review" not in page and "2 due for review" in page


def test_a_pure_victim_bridging_offenders_stays_off_the_list(
    loaded: neo4j.Driver, reports: list[Path], test_settings: Settings
) -> None:
    tables = read_graph_tables(loaded, database=test_settings.neo4j_database)
    harm = victim_offender_graph(tables["incidents"], tables["involvements"]).to_undirected()
    betweenness = nx.betweenness_centrality(harm)
    # P9 sits on every path between the four offenders of the victim-offender graph ...
    assert max(betweenness, key=betweenness.__getitem__) == "P9"
    assert betweenness["P9"] == pytest.approx(1.0)
    # ... and between P1 and P3 in the person network (their family ties) ...
    manifest = json.loads((reports[0] / "manifest.json").read_text())
    assert manifest["data"]["analysis"]["people_in_network"] == 5
    # ... yet, never an offender or suspect, is on no offender-facing table.
    for report in reports:
        for table in ("offenders", "changes", "review", "communities", "exposure"):
            if "person_id" in _csv(report, table):
                assert "P9" not in set(_csv(report, table)["person_id"]), (report.name, table)
    assert _csv(reports[0], "repeat_victims")["person_id"].tolist() == ["P9"]


def test_the_command_takes_the_review_period_and_months(
    reports: list[Path], test_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "reports"
    for report in reports[:2]:
        shutil.copytree(report, out / report.name)
    env = {
        "NEO4J_URI": test_settings.uri,
        "NEO4J_USERNAME": test_settings.neo4j_username,
        "NEO4J_PASSWORD": test_settings.neo4j_password,
        "NEO4J_DATABASE": test_settings.neo4j_database,
        "GRAPHVC_AUDIT_DIR": str(tmp_path / "audit"),
        "GRAPHVC_HOME": str(tmp_path / "home"),
    }
    command = [
        "report",
        "centrality",
        "--out",
        str(out),
        "--as-of",
        DATES[2],
        "--top",
        str(TOP),
        "--quiet",
    ]

    result = CliRunner().invoke(
        cli, [*command, "--review-days", "30", "--inactive-months", "24"], env=env
    )
    assert result.exit_code == 0, result.output
    third = out / DATES[2]
    assert _listing(third)["P1"] == ("2025-01-01", "2025-01-31")
    # P3's offence (2023-10-01) is within 24 months of 2025-04-01: due, not stopped.
    assert _review(third) == dict.fromkeys(["P1", "P3", "P4"], ("due for review", "review"))

    result = CliRunner().invoke(cli, command, env={**env, "GRAPHVC_REVIEW_DAYS": "120"})
    assert result.exit_code == 0, result.output
    assert _listing(third)["P1"] == ("2025-01-01", "2025-05-01")
    assert _review(third) == {"P3": ("no offending in 12 months", "remove")}

    result = CliRunner().invoke(cli, command, env={**env, "GRAPHVC_REVIEW_DAYS": "0"})
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: GRAPHVC_REVIEW_DAYS=0 must be at least 1"
