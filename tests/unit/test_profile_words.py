"""The words of a person's profile, built from small hand-made profiles (no database): what
they say for someone not scored, someone with no betweenness, someone without offending in
the window, and that a pseudonymised profile names no one."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from graphvc.cli import cli
from graphvc.profile import Profile, profile_record, profile_words, pseudonymised
from graphvc.reports.pseudonyms import pseudonym
from graphvc.stored_runs import StoredRun

RUN = StoredRun(
    id="20260101T000000.000000Z",
    finished_at=pd.Timestamp("2026-01-01", tz="UTC"),
    parameters={"as_of": "2025-01-03", "window_days": 365, "tie_weights": {"co-offending": 1}},
    summary={},
    rows={},
    ranked=4,
    version="test",
)
TIMELINE = pd.DataFrame(
    {
        "incident_id": ["I1", "I2", "I3"],
        "occurred_at": pd.to_datetime(["2024-06-01", "2024-12-01", "2022-01-01"]),
        "offence": ["possession_weapon", "violence_with_injury", "common_assault"],
        "category": ["knife_enabled", "alcohol_related", "other_violence"],
        "weapon": [True, False, False],
        "harm": [365.0, 10.0, 10.0],
        "role": ["offender", "offender", "victim"],
        "location_id": ["L1", "L2", None],
        "location_name": ["On or near A", "On or near B", None],
        "ward_name": ["W1", "W2", None],
        "borough_name": ["Camden", "Camden", None],
        "in_window": [True, True, False],
    }
)
EVERYONE = pd.DataFrame(
    {
        "rank": [1, 2, 3, 4],
        "priority": [0.9, 0.5, 0.4, 0.1],
        "betweenness": [0.0, 3.0, 1.0, 0.0],
        "community": [0, 0, 1, 1],
    },
    index=pd.Index(["A", "B", "C", "D"], name="person_id"),
)


def _profile(scores: dict | None, **changes) -> Profile:
    others = pd.DataFrame(
        {
            "incident_id": ["I1", "I1"],
            "occurred_at": pd.to_datetime(["2024-06-01", "2024-06-01"]),
            "role": ["offender", "offender"],
            "other_id": ["B", "V"],
            "other_role": ["offender", "victim"],
        }
    )
    contacts = pd.DataFrame({"person_id": ["B"], "layers": ["co-offending"], "community": [0]})
    made = {
        "person_id": "A",
        "person": {"person_id": "A", "age_band": "18-24", "sex": "M", "ethnicity": None},
        "run": RUN,
        "scores": scores,
        "everyone": EVERYONE,
        "incidents": TIMELINE,
        "others": others,
        "associations": pd.DataFrame(columns=["other_id", "type", "weight", "source"]),
        "risk_assessments": pd.DataFrame(columns=["assessed_at", "tool", "level", "incident_id"]),
        "contacts": contacts,
    }
    return Profile(**(made | changes))


SCORES = {
    "rank": 1,
    "priority": 0.9,
    "frequency": 2,
    "recency_days": 32.4,
    "rfg_part": 0.31234,
    "degree": 1,
    "betweenness": 0.0,
    "betweenness_part": 0.0,
    "community": 0,
    "exposure_victims_1": 1,
    "exposure_distance": 1.0,
}


def test_the_words_of_a_scored_person() -> None:
    words = profile_words(_profile(SCORES))
    assert words == [
        "Ranked 1st of 4 people scored in the network (priority 0.9). Most of their offending "
        "in the window was in Camden (2 of 2 incidents).",
        "Offending: 2 incidents in the last year before 2025-01-03 (1 knife enabled, 1 alcohol "
        "related), 1 with a weapon, the latest 32 days before that date (recency, frequency, "
        "gravity: 0.312 of the priority's 0.9).",
        "Network: 1 direct contact in the network, all in their own group (community); no "
        "shortest path between others runs through them (betweenness 0), a betweenness part "
        "of 0.",
        "Harm around them: 1 direct contact was a victim of knife or gun violence in the "
        "window; the nearest such victim is 1 step away.",
        "Victimisations: 1 incident as a victim, 0 of them in the window; the latest on "
        "2022-01-01.",
    ]


def test_a_person_not_scored_is_told_why() -> None:
    offended = profile_words(_profile(None))
    assert offended[0] == (
        f"Not ranked in run {RUN.id}: they are not in the network of its tie layers."
    )
    victim_only = TIMELINE.assign(role="victim")
    words = profile_words(_profile(None, incidents=victim_only))
    assert words[0].endswith("they were recorded only as a victim or witness.")
    assert words[1].startswith("Victimisations: 3 incidents as a victim, 2 of them")


def test_betweenness_is_compared_with_everyone_scored() -> None:
    words = profile_words(_profile(SCORES | {"betweenness": 1.0, "betweenness_part": 0.111}))
    # A (0), D (0) are below 1.0; B (3) and C (1) are not: 2 of 4, 50 %.
    assert "their betweenness is above that of 2 of the 4 people scored (50 %)" in words[2]


def test_a_pseudonymised_record_names_no_one_and_is_strict_json() -> None:
    key = "a key of sixteen characters"
    profile = pseudonymised(_profile(SCORES), key)
    record = profile_record(profile, profile_words(profile))
    text = json.dumps(record, allow_nan=False)
    assert record["person_id"] == pseudonym("A", key)
    assert '"B"' not in text and '"V"' not in text
    assert {row["person_id"] for row in record["tables"]["victims"]} == {pseudonym("V", key)}
    assert record["person"]["ethnicity"] is None


def test_pseudonymise_needs_its_key(tmp_path: Path) -> None:
    ran = CliRunner().invoke(
        cli,
        ["person", "P1", "--pseudonymise"],
        env={"GRAPHVC_PSEUDONYM_KEY": "", "GRAPHVC_HOME": str(tmp_path)},
    )
    assert ran.exit_code == 1
    assert ran.stderr.startswith("Error: --pseudonymise needs GRAPHVC_PSEUDONYM_KEY")


@pytest.mark.parametrize("days", [1, 2])
def test_one_day_is_a_day(days: int) -> None:
    words = profile_words(_profile(SCORES | {"recency_days": float(days)}))
    assert f"the latest {days} {'day' if days == 1 else 'days'} before that date" in words[1]
