"""The person profile against the real Neo4j: its words checked against the stored run and the
graph, its tables, ``graphvc person ID [--json]`` and the app's page.

The graph is the small fixture (``tests/fixtures/small``) analysed as of 2025-01-03 with every
tie layer, the run stored and one report written, as ``graphvc analyse`` and ``graphvc report``
leave them. Worked out by hand from the CSVs:

* P1 offended in I1 (alcohol related, L1), I2 (personal robbery, L1) and I5 (knife enabled, a
  weapon, L3 in Camden) in the two years before 2025-01-03; L1 is in the City of London. The
  last, I5 at 2024-10-20 21:45, is 74.1 days before the as-of. P2 (I1), P3 (suspect in I2) and
  P6 (I5, and a gang link both ways) are tied to P1: three contacts. P3 and P4 were victims of
  P1's offending (I1, I2).
* P4 was a victim in I2, I3 and I4 and never offended: never ranked.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import neo4j
import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from graphvc import audit
from graphvc.app import page as page_path
from graphvc.cli import cli
from graphvc.config import Settings
from graphvc.db import run_query
from graphvc.graph_tables import read_graph_tables
from graphvc.profile import person_profile, profile_tables, profile_words
from graphvc.reports import build_report
from graphvc.reports.pseudonyms import pseudonym
from graphvc.runs import AnalysisParameters, analyse, record_run
from graphvc.schema import apply_schema, wipe
from graphvc.stored_runs import StoredRun, list_runs, read_run_table
from loaders.folder import load_folder
from tests.app_caches import clear_app_caches

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small"
AS_OF = pd.Timestamp("2025-01-03")
KEY = "a pseudonym key of the tests"
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", 6: "6th", 7: "7th"}


class Served(NamedTuple):
    runs: Path
    reports: Path
    run: StoredRun


@pytest.fixture(scope="module")
def served(empty_graph: neo4j.Driver, tmp_path_factory: pytest.TempPathFactory) -> Served:
    wipe(empty_graph)
    apply_schema(empty_graph)
    load_folder(empty_graph, SMALL)
    result = analyse(read_graph_tables(empty_graph), AnalysisParameters(as_of=AS_OF))
    runs = tmp_path_factory.mktemp("runs")
    record_run(empty_graph, result, runs_dir=runs, finished_at=datetime(2026, 1, 1, tzinfo=UTC))
    reports = tmp_path_factory.mktemp("reports")
    build_report(empty_graph, reports, AnalysisParameters(as_of=AS_OF))
    return Served(runs, reports, list_runs(empty_graph)[0])


def _strict(text: str) -> object:
    """JSON as jq and JavaScript read it: NaN and Infinity refused."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _graph_counts(driver: neo4j.Driver, person: str) -> dict[str, object]:
    """What the graph records of ``person``, counted by a query of the test's own."""
    found = run_query(
        driver,
        """
        MATCH (p:Person {id: $person})-[r]->(i:Incident)
        WITH i, collect(type(r)) AS roles
        OPTIONAL MATCH (i)-[:OCCURRED_AT]->(:Location)-[:IN_WARD]->(:Ward)-[:IN_BOROUGH]->(b)
        RETURN i.id AS incident, i.occurred_at < datetime($end) AND
               i.occurred_at >= datetime($start) AS in_window,
               any(r IN roles WHERE r IN ['OFFENDER_IN', 'SUSPECT_IN']) AS offended,
               'VICTIM_IN' IN roles AS victim, i.weapon AS weapon, b.name AS borough
        """,
        {
            "person": person,
            "start": "2023-01-04T00:00:00+00:00",
            "end": "2025-01-03T00:00:00+00:00",
        },
    )
    offended = found[found["offended"] & found["in_window"]]
    return {
        "offending": len(offended),
        "weapons": int(offended["weapon"].fillna(False).sum()),
        "victimised": int(found["victim"].sum()),
        "boroughs": offended["borough"].dropna().value_counts().to_dict(),
    }


@pytest.mark.parametrize("person", ["P1", "P2", "P3", "P5", "P6", "P7"])
def test_the_words_say_the_runs_own_numbers(
    served: Served, empty_graph: neo4j.Driver, person: str
) -> None:
    people = read_run_table(served.runs, served.run, "people")
    scored = people[people["priority"].notna()]
    row = scored.loc[person]
    counted = _graph_counts(empty_graph, person)
    words = profile_words(person_profile(empty_graph, person, run=served.run, runs_dir=served.runs))
    text = " ".join(words)
    assert text.startswith(
        f"Ranked {ORDINALS[int(row['rank'])]} of {len(scored)} people scored in the network "
        f"(priority {row['priority']:.3g})."
    )
    assert int(row["frequency"]) == counted["offending"]
    assert f"Offending: {counted['offending']} incident" in text
    assert "in the last 2 years before 2025-01-03" in text
    assert f"the last {round(row['recency_days'])} day" in text
    assert (
        f"(recency, frequency, gravity: {row['rfg_part']:.3g} of the priority's "
        f"{row['priority']:.3g})" in text
    )
    assert f"Network: {int(row['degree'])} direct contact" in text
    below = int((scored["betweenness"] < row["betweenness"]).sum())
    if row["betweenness"] > 0:
        assert f"above that of {below} of the {len(scored)} people scored" in text
    else:
        assert "no shortest path between others runs through them (betweenness 0)" in text
    if counted["weapons"]:
        assert f", {counted['weapons']} with a weapon" in text
    else:
        assert "with a weapon" not in text
    if counted["boroughs"]:
        top, most = max(counted["boroughs"].items(), key=lambda item: item[1])
        assert f"was in {top} ({most} of {counted['offending']} incidents)" in text
    if counted["victimised"]:
        assert f"Victimisations: {counted['victimised']} incident" in text
    else:
        assert "Victimisations: none recorded." in text
    # Every figure of the words is one of those: nothing else is said with a number.
    allowed = {
        f"{value:.3g}"
        for value in row[[c for c in row.index if c.endswith("_part") or c == "priority"]]
    }
    allowed |= {
        str(v)
        for v in (
            int(row["rank"]),
            len(scored),
            int(row["frequency"]),
            round(row["recency_days"]),
            int(row["degree"]),
            below,
            100 * below // len(scored),
            counted["weapons"],
            counted["victimised"],
            *counted["boroughs"].values(),
            *(
                int(row[c])
                for c in ("exposure_victims_1", "exposure_distance")
                if math.isfinite(row[c])
            ),
            2,  # the years of the window
            0,
            1,
        )
    }
    numbers = re.findall(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-])", text)
    dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", text))
    assert dates <= {"2025-01-03", *(d for d in dates if d < "2025-01-03")}
    undated = re.sub(r"\d{4}-\d{2}-\d{2}", "", text)
    numbers = re.findall(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w-])", undated)
    assert set(numbers) <= allowed, (set(numbers) - allowed, text)


def test_p1_in_words_as_worked_out_by_hand(served: Served, empty_graph: neo4j.Driver) -> None:
    profile = person_profile(empty_graph, "P1", run=served.run, runs_dir=served.runs)
    text = " ".join(profile_words(profile))
    assert (
        "Offending: 3 incidents in the last 2 years before 2025-01-03 (1 knife enabled, "
        "1 personal robbery, 1 alcohol related), 1 with a weapon, the last 74 days before it"
    ) in text
    assert "Most of their offending in the window was in City of London (2 of 3 incidents)." in text
    assert "Network: 3 direct contacts in the network" in text
    tables = profile_tables(profile)
    assert tables["incidents"]["incident_id"].tolist() == ["I5", "I2", "I1"]  # newest first
    assert set(tables["incidents"]["role"]) == {"offender"}
    assert tables["incidents"]["harm"].tolist() == [pytest.approx(274.0), 365.0, 365.0]
    assert dict(
        zip(*tables["co_offenders"][["person_id", "incidents"]].to_numpy().T, strict=True)
    ) == {
        "P2": 1,
        "P3": 1,
        "P6": 1,
    }
    assert set(tables["victims"]["person_id"]) == {"P3", "P4"}
    links = tables["links"]
    assert links["person_id"].tolist() == ["P6"] and links["strength"].tolist() == [2.0]
    assert set(tables["contacts"]["person_id"]) == {"P2", "P3", "P6"}
    assert tables["places"].iloc[0][["location_id", "incidents"]].tolist() == ["L1", 2]


def test_a_victim_is_not_ranked_and_their_victimisations_are_told(
    served: Served, empty_graph: neo4j.Driver
) -> None:
    profile = person_profile(empty_graph, "P4", run=served.run, runs_dir=served.runs)
    words = profile_words(profile)
    assert words == [
        f"Not ranked in run {served.run.id}: they were recorded only as a victim or witness.",
        "Victimisations: 3 incidents as a victim, 3 of them in the window; the latest on "
        "2024-09-01.",
    ]
    tables = profile_tables(profile)
    assert tables["risk_assessments"]["level"].tolist() == ["high", "medium", "standard"]
    assert tables["victimisations"]["offenders"].tolist() == ["P5", "P5", "P1, P3"]


def _env(settings: Settings, served: Served, audit_dir: Path) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.uri,
        "NEO4J_USERNAME": settings.neo4j_username,
        "NEO4J_PASSWORD": settings.neo4j_password,
        "NEO4J_DATABASE": settings.neo4j_database,
        "GRAPHVC_RUNS_DIR": str(served.runs),
        "GRAPHVC_REPORTS_DIR": str(served.reports),
        "GRAPHVC_AUDIT_DIR": str(audit_dir),
        "GRAPHVC_PSEUDONYM_KEY": KEY,
    }


def test_graphvc_person_json_is_strict_and_audited(
    served: Served, empty_graph: neo4j.Driver, test_settings: Settings, tmp_path: Path
) -> None:
    env = _env(test_settings, served, tmp_path / "audit")
    ran = CliRunner().invoke(cli, ["person", "P1", "--json"], env=env)
    assert ran.exit_code == 0, (ran.output, ran.stderr)
    record = _strict(ran.stdout)
    assert isinstance(record, dict)
    expected = profile_words(
        person_profile(empty_graph, "P1", run=served.run, runs_dir=served.runs)
    )
    assert record["person_id"] == "P1" and record["words"] == expected
    assert record["run"]["id"] == served.run.id
    # The report listed P1 at the top, first listed on its own as-of.
    history = record["tables"]["list_history"]
    assert history[0]["report_as_of"] == "2025-01-03" and history[0]["rank"] == 1
    assert history[0]["listed_since"] == "2025-01-03"
    # A missing value is null, never NaN.
    incidents = record["tables"]["incidents"]
    assert {row["incident_id"] for row in incidents} == {"I1", "I2", "I5"}
    trail = audit.events(tmp_path / "audit")
    assert list(zip(trail["action"], trail["person_ids"], strict=True)) == [
        ("person.profile", ["P1"])
    ]


def test_graphvc_person_pseudonymised_names_no_one(
    served: Served, test_settings: Settings, tmp_path: Path
) -> None:
    env = _env(test_settings, served, tmp_path / "audit")
    ran = CliRunner().invoke(cli, ["person", "P1", "--json", "--pseudonymise"], env=env)
    assert ran.exit_code == 0, (ran.output, ran.stderr)
    assert not re.search(r"\bP\d\b", ran.stdout)
    record = _strict(ran.stdout)
    assert isinstance(record, dict)
    assert record["person_id"] == pseudonym("P1", KEY)
    co = {row["person_id"] for row in record["tables"]["co_offenders"]}
    assert co == {pseudonym(p, KEY) for p in ("P2", "P3", "P6")}
    text = CliRunner().invoke(cli, ["person", "P1", "--pseudonymise"], env=env)
    assert text.exit_code == 0 and not re.search(r"\bP\d\b", text.stdout)


def test_graphvc_person_text_and_unknown_id(
    served: Served, test_settings: Settings, tmp_path: Path
) -> None:
    env = _env(test_settings, served, tmp_path / "audit")
    shown = CliRunner().invoke(cli, ["person", "P5"], env=env)
    assert shown.exit_code == 0, (shown.output, shown.stderr)
    assert shown.stdout.startswith("Person P5\n\nRanked ")
    assert "Incidents (timeline)" in shown.stdout and "Risk assessments" not in shown.stdout
    unknown = CliRunner().invoke(cli, ["person", "P404"], env=env)
    assert unknown.exit_code == 1
    assert unknown.stderr == "Error: no person has the id 'P404' in the graph\n"


@pytest.fixture
def app_env(
    served: Served, test_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The app's settings for the served graph; the audit folder."""
    for name, value in _env(test_settings, served, tmp_path / "audit").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GRAPHVC_AUTH", "none")
    clear_app_caches()
    yield tmp_path / "audit"
    clear_app_caches()


def _open(person: str | None = None) -> AppTest:
    at = AppTest.from_file(page_path("person"), default_timeout=30)
    if person is not None:
        at.query_params["person"] = person
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def test_the_page_opens_the_person_of_its_address_and_audits_it_once(
    app_env: Path, empty_graph: neo4j.Driver, served: Served
) -> None:
    at = _open("P1")
    words = profile_words(person_profile(empty_graph, "P1", run=served.run, runs_dir=served.runs))
    shown = [m.value for m in at.markdown]
    assert all(sentence in shown for sentence in words)
    assert any(h.value == "Person P1" for h in at.subheader)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rank"] == "1"
    timeline = next(d.value for d in at.dataframe if "Incident" in d.value.columns)
    assert timeline["Incident"].tolist() == ["I5", "I2", "I1"]
    at.run()  # a rerun (any widget) is not a second lookup
    trail = audit.events(app_env)
    assert list(zip(trail["action"], trail["person_ids"], strict=True)) == [
        ("person.profile", ["P1"])
    ]
    # The local user is an administrator too: the lookup is listed on the page.
    lookups = next(d.value for d in at.dataframe if "User" in d.value.columns)
    assert lookups["Action"].tolist() == ["person.profile"]


def test_without_a_person_the_page_offers_a_picker_and_looks_up_no_one(app_env: Path) -> None:
    at = _open()
    picker = at.selectbox(key="profile_person")
    assert picker.value is None and picker.options[0].startswith("P1")
    assert audit.events(app_env).empty
    picker.select("P5").run()
    assert any(h.value == "Person P5" for h in at.subheader)
    assert list(audit.events(app_env)["person_ids"]) == [["P5"]]


def test_an_unknown_person_is_a_message(app_env: Path) -> None:
    at = _open("P404")
    assert [e.value for e in at.error] == ["no person has the id 'P404' in the graph"]
