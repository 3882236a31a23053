"""The scenarios planted: groups and their brokers, crews, escalating careers, domestic pairs,
then the background of solo offending, the victims, the witnesses and the places.

:func:`plant` adds them all to a :class:`~graphvc.synth.draft.Draft` in a fixed order, which
keeps a seed's data the same from one version to the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from graphvc.contract import CATEGORIES, OUTCOMES
from graphvc.synth.draft import (
    DRAWN_VICTIM,
    EXTRA_VICTIM,
    FIXED_VICTIM,
    OFFENDER,
    WITNESS,
    Cliques,
    Draft,
    Owned,
)
from graphvc.synth.drawing import (
    deal,
    draw,
    draw_activity,
    draw_from,
    draw_mixes,
    expand,
    sequence_times,
)
from graphvc.synth.geography import FAMILIES, Geography
from graphvc.synth.parameters import (
    BACKGROUND_MIXES,
    BROKER_JOINS_ROUTINE,
    CAREER_MAX_LENGTH,
    CAREER_MIN_LENGTH,
    CAREER_WINDOW_DAYS,
    CONSTELLATION_SIZES,
    CREW_ACTIVITY,
    CREW_INCIDENT_SHARE,
    CREW_MIXES,
    CREW_SIZE_WEIGHTS,
    DOMESTIC_EXTRA_INCIDENTS,
    DOMESTIC_MAX_INCIDENTS,
    DOMESTIC_WINDOW_DAYS,
    EARLY_CAREER_MIXES,
    EXTRA_VICTIMS,
    FAMILY_OF_CATEGORY,
    GROUP_MAX_SIZE,
    GROUP_MIN_SIZE,
    GROUP_MIXES,
    INCIDENTS_PER_DOMESTIC_PAIR,
    INCIDENTS_PER_ESCALATOR,
    INCIDENTS_PER_GROUP,
    KNOWN_WITNESSES,
    LATE_CAREER_MIXES,
    MAX_ROUTINE_OFFENDERS,
    MIN_DOMESTIC_PAIRS,
    MIN_ESCALATORS,
    MIN_GROUPS,
    MIX_NAMES,
    OFFENDER_ACTIVITY,
    ROUTINE_INCIDENTS_PER_GROUP,
    SITE_WEIGHTS,
    SOLO_CREW_MEMBERS,
    SOLO_GROUP_MEMBERS,
    STAR_SHARE,
    TERRITORY_AREAS,
    VICTIM_ACTIVITY,
    VICTIM_OFFENDERS,
    WITNESSES,
    category_codes,
)

__all__ = ["Plan", "place_incidents", "plant", "redraw_second_parts"]


@dataclass(frozen=True)
class Plan:
    """What was planted, by internal person index, and the incidents of each structure."""

    groups: Cliques
    group_incidents: Owned
    brokers: np.ndarray
    broker_incidents: Owned
    bridge_broker: np.ndarray  # one row per (broker, group) bridge: index into ``brokers``
    bridge_group: np.ndarray
    crews: Cliques
    crew_incidents: Owned
    escalators: np.ndarray
    escalator_incidents: Owned
    domestic_victims: np.ndarray
    domestic_perpetrators: np.ndarray
    domestic_incidents: Owned
    solo_offenders: np.ndarray
    solo_counts: np.ndarray
    victim_offenders: np.ndarray
    drawn_victims: np.ndarray
    drawn_victim_counts: np.ndarray


def plant(draft: Draft, geography: Geography, n_incidents: int, pool: np.ndarray) -> Plan:
    """Add every scenario's incidents and people to ``draft``; the background fills up to N."""
    rng = draft.rng
    groups, group_incidents, brokers, broker_incidents, bridge_broker, bridge_group = _plant_groups(
        draft, geography, max(MIN_GROUPS, n_incidents // INCIDENTS_PER_GROUP)
    )
    crews, crew_incidents = _plant_crews(draft, geography, round(CREW_INCIDENT_SHARE * n_incidents))
    escalators, escalator_incidents = _plant_escalators(
        draft, max(MIN_ESCALATORS, n_incidents // INCIDENTS_PER_ESCALATOR), pool
    )
    domestic_victims, domestic_perpetrators, domestic_incidents = _plant_domestic_pairs(
        draft, geography, max(MIN_DOMESTIC_PAIRS, n_incidents // INCIDENTS_PER_DOMESTIC_PAIR), pool
    )
    also_solo = np.concatenate(
        [
            brokers,
            groups.members[rng.random(len(groups.members)) < SOLO_GROUP_MEMBERS],
            crews.members[rng.random(len(crews.members)) < SOLO_CREW_MEMBERS],
        ]
    )
    background, outcome = draft.add_incidents(
        draw_mixes(rng, BACKGROUND_MIXES, n_incidents - draft.n_incidents), suspect_named=False
    )
    named = background[outcome != OUTCOMES.index("no_suspect")]
    solo, solo_offenders, solo_counts = _deal_to_persons(
        draft, len(named), also_solo, OFFENDER_ACTIVITY
    )
    draft.involve(named, solo, OFFENDER)
    victim_offenders = rng.choice(
        solo_offenders, size=round(VICTIM_OFFENDERS * len(solo_offenders)), replace=False
    )
    drawn_victims, drawn_victim_counts = _add_victims(draft, victim_offenders)
    _add_witnesses(draft)
    return Plan(
        groups,
        group_incidents,
        brokers,
        broker_incidents,
        bridge_broker,
        bridge_group,
        crews,
        crew_incidents,
        escalators,
        escalator_incidents,
        domestic_victims,
        domestic_perpetrators,
        domestic_incidents,
        solo_offenders,
        solo_counts,
        victim_offenders,
        drawn_victims,
        drawn_victim_counts,
    )


def _deal_to_persons(
    draft: Draft, n_slots: int, known: np.ndarray, activity: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share ``n_slots`` among the ``known`` persons first, then as many new ones as needed.

    Returns the person of each slot, the persons dealt any, and how many each was dealt.
    """
    counts = draw_activity(draft.rng, len(known) + n_slots, activity)
    owner = deal(draft.rng, n_slots, counts)
    n_dealt = int(owner.max(initial=-1)) + 1
    new = draft.new_persons(max(0, n_dealt - len(known)))
    persons = np.concatenate([known, new])[:n_dealt]
    return persons[owner], persons, np.bincount(owner, minlength=n_dealt)


def _territories(rng: np.random.Generator, geography: Geography, n: int) -> np.ndarray:
    """``TERRITORY_AREAS`` home areas for each of ``n`` groups or crews, where violence is."""
    areas = draw_from(rng, geography.weights[FAMILIES.index("violence")], n * TERRITORY_AREAS)
    return areas.reshape(n, TERRITORY_AREAS)


def _in_territory(rng: np.random.Generator, territory: np.ndarray, owner: np.ndarray) -> np.ndarray:
    return territory[owner, rng.integers(0, TERRITORY_AREAS, len(owner))]


def _bridges(rng: np.random.Generator, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Tie groups into constellations by brokers: (broker, group) for every bridge.

    A constellation is a chain (a broker between neighbours) or a star (one broker touching
    all); either way a tree, so its brokers are the only paths between its groups. The first is
    a chain of three, so that even the smallest dataset plants two brokers.
    """
    sizes = draw_from(rng, CONSTELLATION_SIZES, n_groups) + 1
    sizes[0] = 3
    ends = np.cumsum(sizes)
    n_constellations = int(np.searchsorted(ends, n_groups)) + 1
    sizes = sizes[:n_constellations]
    sizes[-1] -= ends[n_constellations - 1] - n_groups
    stars = rng.random(n_constellations) < STAR_SHARE
    stars[0] = False
    broker_of: list[int] = []
    group_of: list[int] = []
    n_brokers = first = 0
    for size, star in zip(sizes.tolist(), stars.tolist(), strict=True):
        groups = list(range(first, first + size))
        for bridged in [groups] if star and size >= 3 else pairwise(groups):
            broker_of += [n_brokers] * len(bridged)
            group_of += list(bridged)
            n_brokers += 1
        first += size
    return np.array(broker_of, dtype=np.int64), np.array(group_of, dtype=np.int64)


def _plant_groups(
    draft: Draft, geography: Geography, n_groups: int
) -> tuple[Cliques, Owned, np.ndarray, Owned, np.ndarray, np.ndarray]:
    """Co-offending groups and their brokers, with founding and routine incidents.

    Returns the groups and their incidents, the brokers and the incidents they share with
    their groups, and the bridges (broker, group).
    """
    rng = draft.rng
    size = GROUP_MIN_SIZE + rng.binomial(GROUP_MAX_SIZE - GROUP_MIN_SIZE, 0.4, n_groups)
    groups = Cliques.new(draft, size)
    bridge_broker, bridge_group = _bridges(rng, n_groups)
    brokers = draft.new_persons(int(bridge_broker.max()) + 1)
    territory = _territories(rng, geography, n_groups)

    # A charged founding incident with every member and every broker of a group makes them a
    # clique, so members lie on no shortest path and brokers are all that hold groups together.
    founding, _ = draft.add_incidents(
        draw_mixes(rng, GROUP_MIXES, n_groups),
        suspect_named=True,
        outcome="charged",
        area=_in_territory(rng, territory, np.arange(n_groups)),
    )
    run, members = groups.all_members(np.arange(n_groups))
    draft.involve(founding[run], members, OFFENDER)
    draft.involve(founding[bridge_group], brokers[bridge_broker], OFFENDER)

    group = np.repeat(np.arange(n_groups), rng.poisson(ROUTINE_INCIDENTS_PER_GROUP, n_groups))
    routine, _ = draft.add_incidents(
        draw_mixes(rng, GROUP_MIXES, len(group)),
        suspect_named=True,
        area=_in_territory(rng, territory, group),
    )
    # Two or more members each time, drawn without replacement by sorting random keys.
    n_offenders = 2 + (
        rng.random(len(group)) * (np.minimum(size[group], MAX_ROUTINE_OFFENDERS) - 1)
    )
    keys = rng.random((len(group), GROUP_MAX_SIZE))
    keys[np.arange(GROUP_MAX_SIZE) >= size[group][:, np.newaxis]] = np.inf
    row, column = np.nonzero(
        np.arange(GROUP_MAX_SIZE) < n_offenders.astype(np.int64)[:, np.newaxis]
    )
    position = np.argsort(keys, axis=1)[row, column]
    draft.involve(routine[row], groups.members[groups.start[group[row]] + position], OFFENDER)
    # Sometimes one of the group's brokers comes along.
    by_group = np.argsort(bridge_group, kind="stable")
    first_bridge = np.searchsorted(bridge_group[by_group], np.arange(n_groups))
    n_bridges = np.bincount(bridge_group, minlength=n_groups)
    joins = (n_bridges[group] > 0) & (rng.random(len(group)) < BROKER_JOINS_ROUTINE)
    pick = first_bridge[group[joins]] + (
        rng.random(int(joins.sum())) * n_bridges[group[joins]]
    ).astype(np.int64)
    joining_broker = bridge_broker[by_group[pick]]
    draft.involve(routine[joins], brokers[joining_broker], OFFENDER)
    group_incidents = Owned(
        np.concatenate([founding, routine]), np.concatenate([np.arange(n_groups), group])
    )
    broker_incidents = Owned(
        np.concatenate([founding[bridge_group], routine[joins]]),
        np.concatenate([bridge_broker, joining_broker]),
    )
    return groups, group_incidents, brokers, broker_incidents, bridge_broker, bridge_group


def _plant_crews(draft: Draft, geography: Geography, n_incidents: int) -> tuple[Cliques, Owned]:
    """Crews of two or three who always offend together, some of them often."""
    rng = draft.rng
    crew = deal(rng, n_incidents, draw_activity(rng, n_incidents, CREW_ACTIVITY))
    n_crews = int(crew.max()) + 1
    crews = Cliques.new(draft, 2 + draw_from(rng, CREW_SIZE_WEIGHTS, n_crews))
    incidents, _ = draft.add_incidents(
        draw_mixes(rng, CREW_MIXES, n_incidents),
        suspect_named=True,
        area=_in_territory(rng, _territories(rng, geography, n_crews), crew),
    )
    run, members = crews.all_members(crew)
    draft.involve(incidents[run], members, OFFENDER)
    return crews, Owned(incidents, crew)


def _plant_escalators(draft: Draft, n: int, pool: np.ndarray) -> tuple[np.ndarray, Owned]:
    """Careers of low-harm incidents that end in one or two knife or gun enabled ones."""
    rng = draft.rng
    escalators = draft.new_persons(n)
    length = CAREER_MIN_LENGTH + rng.binomial(CAREER_MAX_LENGTH - CAREER_MIN_LENGTH, 0.5, n)
    n_late = 1 + ((length >= 6) & (rng.random(n) < 0.5))
    career, step = expand(np.zeros(n, dtype=np.int64), length)
    late = step >= (length - n_late)[career]
    mixes = np.where(
        late,
        draw_mixes(rng, LATE_CAREER_MIXES, len(career)),
        draw_mixes(rng, EARLY_CAREER_MIXES, len(career)),
    )
    incidents, _ = draft.add_incidents(
        mixes, suspect_named=True, time=sequence_times(rng, pool, length, CAREER_WINDOW_DAYS)
    )
    draft.involve(incidents, escalators[career], OFFENDER)
    return escalators, Owned(incidents, career)


def _plant_domestic_pairs(
    draft: Draft, geography: Geography, n: int, pool: np.ndarray
) -> tuple[np.ndarray, np.ndarray, Owned]:
    """The same victim and perpetrator again and again at one home, within a year."""
    rng = draft.rng
    victims, perpetrators = draft.new_persons(n), draft.new_persons(n)
    extra = np.minimum(rng.poisson(DOMESTIC_EXTRA_INCIDENTS, n), DOMESTIC_MAX_INCIDENTS - 2)
    length = 2 + extra
    pair = np.repeat(np.arange(n), length)
    home_area = draw_from(rng, geography.weights[FAMILIES.index("violence")], n)
    home_site = draw_from(rng, SITE_WEIGHTS, n)
    incidents, _ = draft.add_incidents(
        np.full(len(pair), MIX_NAMES.index("domestic")),
        suspect_named=True,
        time=sequence_times(rng, pool, length, DOMESTIC_WINDOW_DAYS),
        area=home_area[pair],
        site=home_site[pair],
    )
    draft.involve(incidents, victims[pair], FIXED_VICTIM)
    draft.involve(incidents, perpetrators[pair], OFFENDER)
    return victims, perpetrators, Owned(incidents, pair)


def _add_victims(draft: Draft, victim_offenders: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A victim for every incident with one and no victim yet, then a few second victims.

    Returns the persons drawn as first victims and how many incidents each was drawn for.
    """
    rng = draft.rng
    incidents = draft.incident_columns()
    n = draft.n_incidents
    incident, _, kind = draft.involvement_columns()
    has_victim = np.zeros(n, dtype=bool)
    has_victim[incident[kind == FIXED_VICTIM]] = True
    harmed = ~draft.victimless[incidents["offence"]]
    first = np.flatnonzero(harmed & ~has_victim)
    victims, drawn, counts = _deal_to_persons(draft, len(first), victim_offenders, VICTIM_ACTIVITY)
    draft.involve(first, victims, DRAWN_VICTIM)
    second = np.repeat(np.arange(n), np.where(harmed, draw_from(rng, EXTRA_VICTIMS, n), 0))
    draft.involve(second, draft.new_persons(len(second)), EXTRA_VICTIM)
    return drawn, counts


def _add_witnesses(draft: Draft) -> None:
    rng = draft.rng
    incident = np.repeat(np.arange(draft.n_incidents), draw_from(rng, WITNESSES, draft.n_incidents))
    known = rng.random(len(incident)) < KNOWN_WITNESSES
    person = rng.integers(0, draft.n_persons, len(incident))
    person[~known] = draft.new_persons(int((~known).sum()))
    draft.involve(incident, person, WITNESS)


def redraw_second_parts(
    draft: Draft, incident: np.ndarray, person: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """Replace by a new person every drawn victim or witness who already has a part in the incident."""
    order = np.lexsort((kind, person, incident))
    repeated = np.zeros(len(person), dtype=bool)
    repeated[order[1:]] = (incident[order][1:] == incident[order][:-1]) & (
        person[order][1:] == person[order][:-1]
    )
    assert not (repeated & (kind < DRAWN_VICTIM)).any(), "planted parts never repeat"
    person = person.copy()
    person[repeated] = draft.new_persons(int(repeated.sum()))
    return person


def place_incidents(
    rng: np.random.Generator, geography: Geography, incidents: dict[str, np.ndarray]
) -> None:
    """Draw the area and site of every incident a scenario left open."""
    family_of = [FAMILIES.index(FAMILY_OF_CATEGORY.get(c, "violence")) for c in CATEGORIES]
    family = np.array(family_of)[category_codes(incidents["mix"])]
    unset = incidents["area"] < 0
    incidents["area"][unset] = draw(rng, geography.weights, family[unset])
    unset = incidents["site"] < 0
    incidents["site"][unset] = draw_from(rng, SITE_WEIGHTS, int(unset.sum()))
