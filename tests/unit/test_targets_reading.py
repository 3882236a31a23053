"""Targets read in plain words (issue 33): what an interval says, why a row has no data, how
many boroughs a set really holds, the Performance page's state colours, and the audit trail's
``what`` as text."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest

from graphvc import targets
from graphvc.reports.targets import formatted
from graphvc.targets.reading import TOO_FEW, interval_reading, no_data_reason

INF = math.inf


@pytest.mark.parametrize(
    ("change", "low", "high", "rate", "reading"),
    [
        # The interval the issue quotes, "-89.6 to +11699.4": three events against none-ish.
        (1.0, -0.896, 116.994, False, TOO_FEW),
        (0.5, -0.6, INF, False, TOO_FEW),
        # Lambeth's weapons offences, 455 then 393: a fall beyond chance.
        (-0.1363, -0.2472, -0.0093, False, "a real fall (beyond chance)"),
        (0.006, -0.07, 0.09, False, "no clear change (within chance)"),
        (0.3, 0.05, 0.6, False, "a real rise (beyond chance)"),
        (0.02, -0.25, 0.3, True, TOO_FEW),  # 55 points wide for a rate
        (0.02, -0.05, 0.09, True, "no clear change (within chance)"),
    ],
)
def test_an_interval_reads_in_plain_words(
    change: float, low: float, high: float, rate: bool, reading: str
) -> None:
    assert interval_reading(change, low, high, rate=rate) == reading


def _robbery(occurred: list[str], offences: list[str]) -> pd.DataFrame:
    incidents = pd.DataFrame(
        {
            "incident_id": [f"I{i}" for i in range(len(occurred))],
            "occurred_at": occurred,
            "offence": offences,
            "location_id": ["L1"] * len(occurred),
        }
    )
    locations = pd.DataFrame(
        {"location_id": ["L1"], "borough_code": ["B1"], "borough_name": ["Northwick"]}
    )
    target = targets.Target(
        id="r",
        title="r",
        of="personal_robbery",
        change=-0.05,
        period="financial year",
        baseline="previous",
    )
    counts = {"graph": targets.incident_counts(incidents, locations)}
    return targets.evaluate([target], counts, {"graph": pd.Timestamp("2026-04-01")})


def test_a_zero_baseline_is_said_to_be_zero_not_before_the_counts() -> None:
    """Counts from January 2023, no robbery in the baseline year 2024/25, two in 2025/26: the
    row has no data because its baseline is zero, not because the counts start late (the
    page said "the graph counts start on 2023-01-01, after the start of the baseline
    (2024-04-01)", which its own dates contradict)."""
    table = _robbery(
        ["2023-01-10", "2025-05-02", "2025-06-02"],
        ["violence_with_injury", "personal_robbery", "personal_robbery"],
    )
    force = table.iloc[0]
    assert (force["baseline_offences"], force["current_offences"], force["status"]) == (
        0,
        2,
        "no data",
    )
    assert no_data_reason(force, "graph", date(2023, 1, 1)) == (
        "the baseline (2024-04-01 to 2025-03-31) is zero: no personal_robbery, and a change "
        "from zero has no percentage"
    )
    assert formatted(table)["reading"].tolist() == ["no data", "no data"]


def test_counts_starting_after_the_baseline_are_said_so() -> None:
    table = _robbery(["2024-06-10", "2025-05-02"], ["personal_robbery", "personal_robbery"])
    force = table.iloc[0]
    assert force["status"] == "no data"
    assert no_data_reason(force, "graph", date(2024, 6, 1)) == (
        "the graph counts start on 2024-06-01, after the start of the baseline (2024-04-01)"
    )


def test_a_change_from_few_events_reads_too_few_to_judge() -> None:
    table = _robbery(
        ["2023-05-02", "2024-05-02", "2025-05-02", "2025-06-02", "2025-07-02"],
        ["personal_robbery"] * 5,
    )
    shown = formatted(table)
    force = shown.iloc[0]
    assert (force["change"], force["status"]) == ("+200.0%", "missed")
    low, high = (float(x) for x in re.findall(r"[-+][0-9.]+", force["interval"]))
    assert high - low > 100  # percentage points
    assert force["reading"] == TOO_FEW


def test_a_top_set_says_how_many_boroughs_the_data_have() -> None:
    """The founding targets' "11 boroughs with most gun crime" on data with two boroughs:
    the set's row names the two, not eleven."""
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1", "I2", "I3"],
            "occurred_at": ["2024-04-02", "2024-06-02", "2025-05-02"],
            "offence": ["firearm_discharge"] * 3,
            "location_id": ["L1", "L2", "L1"],
        }
    )
    locations = pd.DataFrame(
        {
            "location_id": ["L1", "L2"],
            "borough_code": ["B1", "B2"],
            "borough_name": ["Northwick", "Southmoor"],
        }
    )
    gun = next(t for t in targets.load_targets().targets if t.id == "gun_crime")
    counts = {"graph": targets.incident_counts(incidents, locations)}
    table = targets.evaluate([gun], counts, {"graph": pd.Timestamp("2026-04-01")})
    label = table.iloc[0]["area_name"]
    assert label.startswith("the 2 boroughs with most gun enabled in the baseline")
    assert "(the target names 11; the data have 2 boroughs)" in label
    assert table["area_code"].tolist() == ["set", "B1", "B2"]


def test_not_started_and_no_data_have_their_own_colours_in_the_legend() -> None:
    from graphvc.app.views.performance import STATE_COLOURS, legend

    assert STATE_COLOURS["not started"] != STATE_COLOURS["no data"]
    assert len(set(STATE_COLOURS.values())) == len(STATE_COLOURS)
    shown = legend()
    for state in ("not started", "no data"):
        colour = ",".join(map(str, STATE_COLOURS[state]))
        assert f"background:rgb({colour});" in shown.split(state)[0].rsplit("<div>", 1)[1]


def test_the_audit_trails_what_reads_as_key_value_text() -> None:
    from graphvc.app.views.audit import readable, readable_events

    found = pd.DataFrame(
        {
            "action": ["query.run"],
            "person_ids": [["P2", "P1"]],
            "what": [{"query": "people/top", "parameters": {"top": 10}, "since": None}],
        }
    )
    shown = readable_events(found)
    assert shown["what"].tolist() == ["query: people/top; parameters: (top: 10)"]
    assert shown["person_ids"].tolist() == ["P2, P1"]
    assert readable({"rows": 0, "file": "audit.csv"}) == "rows: 0; file: audit.csv"
