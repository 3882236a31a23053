"""A person's ranking in words, built from the run's own numbers.

Every figure in the words is a number the stored run holds (rank, priority and its parts,
frequency, recency, degree, exposure) or a count of what the graph records (incidents by
category, weapon and borough; victimisations); nothing is estimated or rounded beyond what a
reader needs (ranks and counts whole, days whole, scores to three significant figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from graphvc.contract import CATEGORIES
from graphvc.profile.facts import Profile

__all__ = ["ordinal", "profile_words", "score_text", "window_text"]


def ordinal(number: int) -> str:
    """``number`` as an English ordinal.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 102, 1213)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '102nd', '1,213th']
    """
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number:,}{suffix}"


def score_text(value: float) -> str:
    """A score to three significant figures, as every table shows one.

    >>> score_text(0.12837), score_text(0.69), score_text(1.0), score_text(0.0)
    ('0.128', '0.69', '1', '0')
    """
    return f"{value:.3g}"


def window_text(days: int) -> str:
    """A window of ``days`` in words: whole years when it is some, else days.

    >>> window_text(730), window_text(365), window_text(180)
    ('the last 2 years', 'the last year', 'the last 180 days')
    """
    if days % 365 == 0:
        years = days // 365
        return "the last year" if years == 1 else f"the last {years} years"
    return f"the last {days:,} days"


def _count(number: int, one: str, many: str | None = None) -> str:
    """``number`` and the noun, singular or plural."""
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def _severity(category: str) -> int:
    """Where ``category`` stands on the continuum of violence (0 the most severe)."""
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def _label(name: str) -> str:
    return name.replace("_", " ")


def _rank_words(profile: Profile, scores: Mapping[str, Any]) -> str:
    rank, priority = int(scores["rank"]), float(scores["priority"])
    words = (
        f"Ranked {ordinal(rank)} of {profile.scored:,} people scored in the network "
        f"(priority {score_text(priority)})."
    )
    boroughs = profile.offending["borough_name"].dropna()
    if len(boroughs):
        counted = boroughs.value_counts(sort=True)
        top = counted.index[0]
        words += (
            f" Most of their offending in the window was in {top} "
            f"({counted.iloc[0]:,} of {len(profile.offending):,} incidents)."
        )
    return words


def _offending_words(profile: Profile, scores: Mapping[str, Any]) -> str:
    run = profile.run
    assert run is not None, "a scored person has a run"
    frequency = scores.get("frequency")
    if frequency is None or pd.isna(frequency) or int(frequency) == 0:
        return f"Offending: none in {window_text(run.window_days)} before {run.as_of.date()}."
    offending = profile.offending
    words = (
        f"Offending: {_count(int(frequency), 'incident')} in {window_text(run.window_days)} "
        f"before {run.as_of.date()}"
    )
    counted = offending["category"].dropna().astype(str).value_counts()
    # The most first; equal counts in the continuum's order, the most severe first.
    ordered = sorted(
        ((str(c), int(n)) for c, n in counted.items()),
        key=lambda item: (-item[1], _severity(item[0])),
    )
    if ordered:
        words += " (" + ", ".join(f"{n:,} {_label(c)}" for c, n in ordered) + ")"
    weapons = int(offending["weapon"].fillna(False).astype(bool).sum())
    if weapons:
        words += f", {weapons:,} with a weapon"
    recency = scores.get("recency_days")
    if recency is not None and not pd.isna(recency):
        words += f", the last {_count(round(float(recency)), 'day')} before it"
    rfg_part = scores.get("rfg_part")
    if rfg_part is not None and not pd.isna(rfg_part):
        words += (
            f" (recency, frequency, gravity: {score_text(float(rfg_part))} of the priority's "
            f"{score_text(float(scores['priority']))})"
        )
    words += "."
    if scores.get("escalated_to_knife_or_gun") is True:
        words += " Their offending has escalated to knife or gun violence."
    return words


def _network_words(profile: Profile, scores: Mapping[str, Any]) -> str:
    degree = scores.get("degree")
    contacts = profile.contacts
    words = "Network: "
    if degree is not None and not pd.isna(degree):
        words += f"{_count(int(degree), 'direct contact')} in the network"
    groups = contacts["community"].dropna()
    own = scores.get("community")
    others = {int(g) for g in groups if own is None or pd.isna(own) or int(g) != int(own)}
    if others:
        words += f", in {_count(len(others), 'group')} (communities) beside their own"
    everyone = profile.everyone
    betweenness = scores.get("betweenness")
    if betweenness is None or pd.isna(betweenness) or "betweenness" not in everyone:
        return words + "."
    if float(betweenness) <= 0:
        words += "; no shortest path between others runs through them (betweenness 0)"
    else:
        below = int((everyone["betweenness"] < float(betweenness)).sum())
        share = 100 * below // max(len(everyone), 1)
        words += (
            f"; their betweenness is above that of {below:,} of the {len(everyone):,} "
            f"people scored ({share} %)"
        )
    part = scores.get("betweenness_part")
    if part is not None and not pd.isna(part):
        words += f", a betweenness part of {score_text(float(part))}"
    return words + "."


def _harm_words(scores: Mapping[str, Any]) -> str | None:
    victims = scores.get("exposure_victims_1")
    distance = scores.get("exposure_distance")
    part = scores.get("harm_pagerank_part")
    said = []
    if victims is not None and not pd.isna(victims):
        said.append(
            "none of their direct contacts was a victim of knife or gun violence in the window"
            if int(victims) == 0
            else f"{_count(int(victims), 'direct contact was a victim', 'direct contacts were victims')}"
            " of knife or gun violence in the window"
        )
    if distance is not None and not pd.isna(distance) and float(distance) > 0:
        said.append(f"the nearest such victim is {_count(int(distance), 'step')} away")
    if part is not None and not pd.isna(part):
        said.append(f"harm PageRank part {score_text(float(part))}")
    overlap = scores.get("overlap_class")
    if overlap is not None and not pd.isna(overlap):
        said.append(f"victim–offender overlap: {_label(str(overlap))}")
    return "Harm around them: " + "; ".join(said) + "." if said else None


def _victim_words(profile: Profile) -> str:
    victimised = profile.victimisations
    if victimised.empty:
        return "Victimisations: none recorded."
    words = f"Victimisations: {_count(len(victimised), 'incident')} as a victim"
    if profile.run is not None:
        words += f", {int(victimised['in_window'].sum()):,} of them in the window"
    latest = victimised["occurred_at"].max()
    return words + f"; the latest on {latest.date()}."


def profile_words(profile: Profile) -> list[str]:
    """Where the person ranks and why, in sentences built from the run's own numbers.

    One sentence (or short paragraph) each: the rank, the offending, the network, the harm
    around them and their victimisations; for a person the run did not score, why not.
    """
    scores, run = profile.scores, profile.run
    if run is None:
        return [
            "No analysis is stored: run `graphvc analyse` to rank people.",
            _victim_words(profile),
        ]
    if scores is None:
        why = (
            "they were recorded only as a victim or witness"
            if profile.offending.empty
            else "they are not in the network of its tie layers"
        )
        return [f"Not ranked in run {run.id}: {why}.", _victim_words(profile)]
    words = [
        _rank_words(profile, scores),
        _offending_words(profile, scores),
        _network_words(profile, scores),
    ]
    harm = _harm_words(scores)
    if harm:
        words.append(harm)
    words.append(_victim_words(profile))
    return words
