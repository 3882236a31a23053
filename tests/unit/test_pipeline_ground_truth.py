"""The whole analysis on a synthetic London recovers what the generator planted."""

from __future__ import annotations

import pandas as pd
import pytest

from graphvc.analysis import events
from graphvc.runs import AnalysisParameters, AnalysisResult, analyse
from graphvc.synth import generate, synthetic_city


@pytest.fixture(scope="module")
def planted() -> tuple[AnalysisResult, dict]:
    data = generate(3000, seed=5, geography=synthetic_city(5))
    latest = pd.to_datetime(data.incidents["occurred_at"]).max()
    # The brokers are planted in the co-offending network: it alone is analysed here (with
    # every layer, the ends of the links across groups bridge too: the multiplex brokers of
    # tests/unit/test_multiplex_brokers.py).
    parameters = AnalysisParameters(
        as_of=latest.normalize() + pd.Timedelta(days=1),
        window_days=3650,
        repeat_window_days=3650,
        tie_weights={"co-offending": 1.0},
    )
    return analyse(data.tables, parameters), data.ground_truth


def test_brokers_rank_at_the_top_of_betweenness(planted: tuple[AnalysisResult, dict]) -> None:
    result, truth = planted
    brokers = set(truth["brokers"])
    top = set(result.people["betweenness"].sort_values(ascending=False).index[: len(brokers)])
    assert top == brokers


def test_every_planted_repeat_victim_is_found(planted: tuple[AnalysisResult, dict]) -> None:
    result, truth = planted
    assert result.repeat_victims.index.name == "person_id"
    assert set(truth["repeat_victims"]) <= set(result.repeat_victims.index)
    pairs = set(
        zip(
            result.domestic_repeats["victim_id"],
            result.domestic_repeats["perpetrator_id"],
            strict=True,
        )
    )
    assert {tuple(pair) for pair in truth["domestic_pairs"]} <= pairs


def test_every_planted_escalator_is_flagged(planted: tuple[AnalysisResult, dict]) -> None:
    result, truth = planted
    flagged = set(result.escalation.index[result.escalation["escalated_to_knife_or_gun"]])
    assert set(truth["escalators"]) <= flagged


def test_every_score_shows_its_parts(planted: tuple[AnalysisResult, dict]) -> None:
    result, _ = planted
    people = result.people.dropna(subset=["priority"])
    parts = [
        c
        for c in people.columns
        if c.endswith("_part") and c[: -len("_part")] in ("rfg", "betweenness", "harm_pagerank")
    ]
    assert len(parts) == 3
    assert people[parts].sum(axis=1).to_numpy() == pytest.approx(people["priority"].to_numpy())


def test_a_run_fills_each_incidents_table_once(monkeypatch) -> None:
    data = generate(1000, seed=5, geography=synthetic_city(5))
    filled: list[int] = []
    fill = events._fill
    monkeypatch.setattr(
        events, "_fill", lambda table, **k: filled.append(id(table)) or fill(table, **k)
    )
    result = analyse(data.tables, AnalysisParameters(as_of="2025-01-01"))
    assert len(result.people) and filled  # scored, from filled incidents
    assert len(filled) == len(set(filled))  # but no table was filled twice
