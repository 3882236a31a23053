"""Intelligence links: drawn the way they occur, mostly within groups, families and
neighbourhoods, few across; and the brokers of the network of all tie layers they make.

Links between people who share nothing are rare in police intelligence: gang matrices record
who runs together, custody records name relatives who offend together, stop-and-search and
intelligence reports name young men of the same streets [1]_. So the links here are drawn
within the structures planted, where they add no path that the structure did not have:

- **gang**: every pair of a co-offending group's members (a gang matrix records membership);
- **associate**, broker: each broker and every member of each of their groups;
- **associate**, crew: some pairs of a crew's members (stop and search);
- **partner** or **family**: each domestic pair (the DASH risk assessment names them);
- **family**: pairs of members of one group or crew (relatives who offend together);
- **associate**, neighbourhood: small cliques of two to four people who offend alone, each
  drawn from one ward (intelligence reports of who hangs about together);
- **associate**, across: a few links between members of two groups that no broker joins.

A group with its brokers is a clique of the network of all tie layers, as are crews, pairs and
neighbourhood cliques, so that only two kinds of people join one to another: the planted
brokers, and the two ends of each link across groups. These are the **multiplex brokers**
(:func:`multiplex_brokers`): by construction, the people who bridge groups in the network of
all tie layers, whatever its window (the links are undated). Within a clique, stronger ties
can make a detour shorter than a weak direct tie, which gives members a little betweenness;
bridging groups gives much more.

References
----------
.. [1] A. V. Papachristos, D. M. Hureau and A. A. Braga, "The corner and the crew: the
   influence of geography and social networks on gang violence", American Sociological
   Review 78(3):417-447, 2013. https://doi.org/10.1177/0003122413486800
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from graphvc.synth.draft import OFFENDER, Cliques
from graphvc.synth.drawing import draw_from
from graphvc.synth.parameters import (
    ASSOCIATE_LINKS_PER_INCIDENT,
    CREW_LINKS,
    CROSS_LINKS_PER_GROUP,
    FAMILY_LINKS_PER_INCIDENT,
    NEIGHBOURHOOD_CLIQUE_SIZES,
    PARTNERS,
)
from graphvc.synth.scenarios import Plan

__all__ = ["IntelligenceLinks", "associations_table", "draw_links", "multiplex_brokers"]


class IntelligenceLinks(NamedTuple):
    """The links drawn, as pairs of internal person indexes (``first[i]``, ``second[i]``)."""

    neighbourhood: tuple[np.ndarray, np.ndarray]
    family: tuple[np.ndarray, np.ndarray]
    across: tuple[np.ndarray, np.ndarray]


def _pure_solo_offenders(plan: Plan) -> np.ndarray:
    """The people who offend alone and belong to no group or crew and broker none."""
    planted = np.concatenate([plan.brokers, plan.groups.members, plan.crews.members])
    return plan.solo_offenders[~np.isin(plan.solo_offenders, planted)]


def _home_wards(
    solo: np.ndarray,
    incident: np.ndarray,
    person: np.ndarray,
    kind: np.ndarray,
    incident_ward: np.ndarray,
) -> np.ndarray:
    """The ward of each solo offender's first incident (in draft order)."""
    offending = np.flatnonzero((kind == OFFENDER) & np.isin(person, solo))
    order = offending[np.lexsort((incident[offending], person[offending]))]
    first = order[np.r_[True, person[order][1:] != person[order][:-1]]]
    ward = np.full(int(solo.max(initial=-1)) + 1, -1)
    ward[person[first]] = incident_ward[incident[first]]
    return ward[solo]


def _neighbourhood_cliques(
    rng: np.random.Generator, solo: np.ndarray, ward: np.ndarray, n_links: int
) -> tuple[np.ndarray, np.ndarray]:
    """Cliques of 2-4 solo offenders of one ward, each person in at most one, drawn until
    about ``n_links`` links (or every ward's people are dealt)."""
    order = np.lexsort((rng.random(len(solo)), ward))
    people, wards = solo[order], ward[order]
    bounds = np.flatnonzero(np.r_[True, wards[1:] != wards[:-1], True])
    sizes = 2 + draw_from(rng, NEIGHBOURHOOD_CLIQUE_SIZES, len(people))
    cliques: list[list[int]] = []
    drawn = 0
    for start, end in pairwise(bounds.tolist()):  # each ward's people, cut into cliques
        while end - start >= 2:
            size = min(int(sizes[drawn]), end - start)
            cliques.append(people[start : start + size].tolist())
            start, drawn = start + size, drawn + 1
    first: list[int] = []
    second: list[int] = []
    for chosen in rng.permutation(len(cliques)).tolist():
        if len(first) >= n_links:
            break
        members = cliques[chosen]
        for i, a in enumerate(members):
            first += [a] * (len(members) - i - 1)
            second += members[i + 1 :]
    return np.array(first, dtype=np.int64), np.array(second, dtype=np.int64)


def _within(rng: np.random.Generator, cliques: Cliques, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` pairs of two members of one clique, the cliques drawn at random."""
    if not len(cliques.size) or n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    chosen = rng.integers(0, len(cliques.size), n)
    size = cliques.size[chosen]
    a = (rng.random(n) * size).astype(np.int64)
    b = (a + 1 + (rng.random(n) * (size - 1)).astype(np.int64)) % size
    start = cliques.start[chosen]
    return cliques.members[start + a], cliques.members[start + b]


def _constellations(plan: Plan) -> np.ndarray:
    """The constellation of each group: groups joined by brokers are one."""
    n_groups = len(plan.groups.size)
    n_brokers = len(plan.brokers)
    bridges = coo_array(
        (np.ones(len(plan.bridge_group)), (plan.bridge_group, n_groups + plan.bridge_broker)),
        shape=(n_groups + n_brokers, n_groups + n_brokers),
    )
    _, labels = connected_components(bridges, directed=False)
    return labels[:n_groups]


def _across(rng: np.random.Generator, plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """A few links between members of two groups of different constellations."""
    n_groups = len(plan.groups.size)
    n = round(CROSS_LINKS_PER_GROUP * n_groups)
    constellation = _constellations(plan)
    if n == 0 or len(np.unique(constellation)) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    one = rng.integers(0, n_groups, n)
    other = rng.integers(0, n_groups, n)
    apart = constellation[one] != constellation[other]
    one, other = one[apart], other[apart]
    groups = plan.groups

    def member(chosen: np.ndarray) -> np.ndarray:
        position = (rng.random(len(chosen)) * groups.size[chosen]).astype(np.int64)
        return groups.members[groups.start[chosen] + position]

    return member(one), member(other)


def draw_links(
    rng: np.random.Generator,
    plan: Plan,
    n_incidents: int,
    involvements: tuple[np.ndarray, np.ndarray, np.ndarray],
    incident_ward: np.ndarray,
) -> IntelligenceLinks:
    """The neighbourhood, family and across links (see the module's docstring).

    ``involvements`` are the draft's (incident, person, kind) columns; ``incident_ward`` the
    ward code of each incident (any integer coding).
    """
    solo = _pure_solo_offenders(plan)
    ward = _home_wards(solo, *involvements, incident_ward)
    neighbourhood = _neighbourhood_cliques(
        rng, solo, ward, round(ASSOCIATE_LINKS_PER_INCIDENT * n_incidents)
    )
    n_family = round(FAMILY_LINKS_PER_INCIDENT * n_incidents)
    in_groups = rng.random(n_family) < 0.5
    family_groups = _within(rng, plan.groups, int(in_groups.sum()))
    family_crews = _within(rng, plan.crews, int((~in_groups).sum()))
    family = (
        np.concatenate([family_groups[0], family_crews[0]]),
        np.concatenate([family_groups[1], family_crews[1]]),
    )
    return IntelligenceLinks(neighbourhood, family, _across(rng, plan))


def multiplex_brokers(plan: Plan, links: IntelligenceLinks) -> np.ndarray:
    """The people who bridge groups in the network of all tie layers: the planted brokers
    and the two ends of every link across groups (internal indexes, sorted, unique)."""
    return np.unique(np.concatenate([plan.brokers, *links.across]))


def associations_table(
    rng: np.random.Generator, plan: Plan, links: IntelligenceLinks, person_ids: np.ndarray
) -> pd.DataFrame:
    """The associations table: the links of the module's docstring, one row per pair and type.

    A link's weight is a base by kind (domestic 3, gang and family 2, associate 1) plus 0-2.
    """

    def rows(
        first: np.ndarray,
        second: np.ndarray,
        link_type: str,
        source: str,
        *,
        share: float = 1.0,
        weight: int = 1,
    ) -> pd.DataFrame:
        kept = rng.random(len(first)) < share
        a, b = person_ids[first[kept]], person_ids[second[kept]]
        # Ids share one width, so their string order is their number order.
        return pd.DataFrame(
            {
                "person_a": np.where(a < b, a, b),
                "person_b": np.where(a < b, b, a),
                "type": link_type,
                "weight": (weight + rng.integers(0, 3, len(a))).astype(float),
                "source": source,
            }
        )

    broker_run, broker_member = plan.groups.all_members(plan.bridge_group)
    victims, perpetrators = plan.domestic_victims, plan.domestic_perpetrators
    partner = rng.random(len(victims)) < PARTNERS
    brokers = plan.brokers[plan.bridge_broker[broker_run]]
    parts: list[pd.DataFrame] = [
        rows(*plan.groups.pairs(), "gang", "intelligence_report", weight=2),
        rows(brokers, broker_member, "associate", "intelligence_report"),
        rows(*plan.crews.pairs(), "associate", "stop_and_search", share=CREW_LINKS),
        rows(victims[partner], perpetrators[partner], "partner", "dash_risk_assessment", weight=3),
        rows(victims[~partner], perpetrators[~partner], "family", "dash_risk_assessment", weight=3),
        rows(*links.family, "family", "custody_record", weight=2),
        rows(*links.neighbourhood, "associate", "intelligence_report"),
        rows(*links.across, "associate", "intelligence_report"),
    ]
    every = pd.concat(parts, ignore_index=True)
    every = every[every["person_a"] != every["person_b"]]
    every = every.drop_duplicates(["person_a", "person_b", "type"])
    return every.sort_values(["person_a", "person_b", "type"], ignore_index=True)
