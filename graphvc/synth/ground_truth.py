"""The ground truth: what was planted and when it was active, by person id."""

from __future__ import annotations

from typing import Any

import numpy as np

from graphvc.contract import ROLES
from graphvc.synth.draft import Owned
from graphvc.synth.parameters import PROLIFIC
from graphvc.synth.scenarios import Plan

__all__ = ["ground_truth"]


def ground_truth(
    plan: Plan,
    time: np.ndarray,
    incident: np.ndarray,
    person: np.ndarray,
    role: np.ndarray,
    person_ids: np.ndarray,
) -> dict[str, Any]:
    """What was planted and when it was active, by person id.

    Checked against what the tables hold, since a redrawn part can undo a planted one.
    """
    n = len(person_ids)
    victim = role == ROLES.index("victim")
    victim_count = np.bincount(person[victim], minlength=n)
    offending = np.isin(role, [ROLES.index("offender"), ROLES.index("suspect")])
    offence_count = np.bincount(person[offending], minlength=n)
    repeat = np.concatenate(
        [plan.drawn_victims[plan.drawn_victim_counts >= 2], plan.domestic_victims]
    )
    repeat = np.unique(repeat[victim_count[repeat] >= 2])
    both = plan.victim_offenders

    def by_id(persons: np.ndarray) -> np.ndarray:
        """Positions in ``persons`` in the order of their ids (ids share one width)."""
        return np.argsort(person_ids[persons], kind="stable")

    def ids(persons: np.ndarray) -> list[str]:
        return person_ids[persons[by_id(persons)]].tolist()

    def periods(owned: Owned, order: np.ndarray) -> list[dict[str, str]]:
        """The first and last date of each owner's incidents, owners taken in ``order``."""
        first = np.full(len(order), np.iinfo(np.int64).max)
        last = np.full(len(order), np.iinfo(np.int64).min)
        np.minimum.at(first, owned.owner, time[owned.incident])
        np.maximum.at(last, owned.owner, time[owned.incident])
        first_day, last_day = (
            np.datetime_as_string(seconds[order].astype("datetime64[s]"), unit="D").tolist()
            for seconds in (first, last)
        )
        return [
            {"first": start, "last": end} for start, end in zip(first_day, last_day, strict=True)
        ]

    broker_groups: dict[str, list[int]] = {}
    for broker, group in zip(
        person_ids[plan.brokers[plan.bridge_broker]].tolist(),
        plan.bridge_group.tolist(),
        strict=True,
    ):
        broker_groups.setdefault(broker, []).append(group)
    victim_ids = person_ids[plan.domestic_victims]
    perpetrator_ids = person_ids[plan.domestic_perpetrators]
    pair_order = np.lexsort((perpetrator_ids, victim_ids))
    # Every victim part of a repeat victim, owned by the victim's place in ``repeat``.
    repeat_parts = np.flatnonzero(victim & np.isin(person, repeat))
    repeat_owned = Owned(incident[repeat_parts], np.searchsorted(repeat, person[repeat_parts]))
    return {
        "brokers": ids(plan.brokers),
        "broker_groups": dict(sorted(broker_groups.items())),
        "groups": plan.groups.lists(person_ids),
        "crews": plan.crews.lists(person_ids),
        "repeat_victims": ids(repeat),
        "domestic_pairs": np.column_stack([victim_ids, perpetrator_ids])[pair_order].tolist(),
        "escalators": ids(plan.escalators),
        "victim_offenders": ids(both[(victim_count[both] > 0) & (offence_count[both] > 0)]),
        "prolific_offenders": ids(plan.solo_offenders[plan.solo_counts >= PROLIFIC]),
        "group_periods": periods(plan.group_incidents, np.arange(len(plan.groups.size))),
        "crew_periods": periods(plan.crew_incidents, np.arange(len(plan.crews.size))),
        "broker_periods": periods(plan.broker_incidents, by_id(plan.brokers)),
        "domestic_pair_periods": periods(plan.domestic_incidents, pair_order),
        "escalator_periods": periods(plan.escalator_incidents, by_id(plan.escalators)),
        "repeat_victim_periods": periods(repeat_owned, by_id(repeat)),
    }
