"""The numbers that shape the synthetic data: when, what, who, where and which links.

Each is a rate, a share or a weight that :mod:`graphvc.synth.planting` plants by; the
values are chosen so that the data look like London's recorded violence, not measured from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from graphvc.contract import CATEGORIES

__all__ = [
    "AGE_WEIGHTS",
    "ASSOCIATE_LINKS_PER_INCIDENT",
    "BACKGROUND_MIXES",
    "BROKER_JOINS_ROUTINE",
    "CAREER_MAX_LENGTH",
    "CAREER_MIN_LENGTH",
    "CAREER_WINDOW_DAYS",
    "CONSTELLATION_SIZES",
    "CREW_ACTIVITY",
    "CREW_INCIDENT_SHARE",
    "CREW_LINKS",
    "CREW_MIXES",
    "CREW_SIZE_WEIGHTS",
    "CROSS_LINKS_PER_GROUP",
    "DASH_ASSESSED",
    "DASH_LEVELS",
    "DOMESTIC_EXTRA_INCIDENTS",
    "DOMESTIC_MAX_INCIDENTS",
    "DOMESTIC_WINDOW_DAYS",
    "EARLY_CAREER_MIXES",
    "ETHNICITY_WEIGHTS",
    "EXTRA_VICTIMS",
    "FAMILY_LINKS_PER_INCIDENT",
    "FAMILY_OF_CATEGORY",
    "FLAGS",
    "GROUP_MAX_SIZE",
    "GROUP_MIN_SIZE",
    "GROUP_MIXES",
    "HOUR_WEIGHTS",
    "INCIDENTS_PER_DOMESTIC_PAIR",
    "INCIDENTS_PER_ESCALATOR",
    "INCIDENTS_PER_GROUP",
    "KNOWN_WITNESSES",
    "LATE_CAREER_MIXES",
    "MAX_ACTIVITY",
    "MAX_ROUTINE_OFFENDERS",
    "METRES_PER_DEGREE",
    "MIN_DOMESTIC_PAIRS",
    "MIN_ESCALATORS",
    "MIN_GROUPS",
    "MIXES",
    "MIX_NAMES",
    "NEIGHBOURHOOD_CLIQUE_SIZES",
    "OFFENDER_ACTIVITY",
    "OUTCOME_WEIGHTS",
    "PARTNERS",
    "PROFILES",
    "PROLIFIC",
    "ROUTINE_INCIDENTS_PER_GROUP",
    "SEX_WEIGHTS",
    "SITES_PER_AREA",
    "SITES_SEED",
    "SITE_RADIUS_M",
    "SITE_WEIGHTS",
    "SOLO_CREW_MEMBERS",
    "SOLO_GROUP_MEMBERS",
    "STAR_SHARE",
    "SUMMER_AMPLITUDE",
    "SUMMER_PEAK_DAY",
    "TERRITORY_AREAS",
    "VICTIMLESS_OFFENCES",
    "VICTIM_ACTIVITY",
    "VICTIM_OFFENDERS",
    "WEEKDAY_WEIGHTS",
    "WEEKEND_NIGHT_BOOST",
    "WINDOW_DAYS",
    "WINDOW_START",
    "WITNESSES",
    "Mix",
    "category_codes",
]

# --- When --------------------------------------------------------------------------------------
WINDOW_START = np.datetime64("2023-01-01", "D")
WINDOW_DAYS = 1096  # to 2025-12-31
#: Monday to Sunday: violence rises through the week to a weekend peak.
WEEKDAY_WEIGHTS = np.array([0.86, 0.84, 0.88, 0.93, 1.12, 1.29, 1.18])
#: Hours 0 to 23: a trough at dawn, climbing through the day to an evening and late-night peak.
HOUR_WEIGHTS = np.array(
    [
        [5.2, 4.6, 4.0, 3.1, 2.1, 1.4, 1.3, 1.8, 2.6, 3.0, 3.3, 3.6],  # midnight to 11 am
        [4.0, 4.1, 4.3, 5.0, 5.3, 5.3, 5.5, 5.6, 5.8, 6.0, 6.3, 6.0],  # noon to 11 pm
    ]
).ravel()
#: Friday and Saturday nights (the night-time economy) weigh this much more than other nights.
WEEKEND_NIGHT_BOOST = 1.8
#: Violence peaks in summer: a day in mid-July weighs this much more than the yearly mean.
SUMMER_AMPLITUDE = 0.08
SUMMER_PEAK_DAY = 196

# --- What --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mix:
    """A kind of incident: its category, its offences by weight and the chance of each flag."""

    category: str
    offences: Mapping[str, float]
    weapon: float = 0.0
    alcohol: float = 0.0
    domestic: float = 0.0
    hate: float = 0.0


FLAGS = ("weapon", "alcohol", "domestic", "hate")
MIXES: dict[str, Mix] = {
    "gun": Mix("gun_enabled", {"firearm_discharge": 0.4, "possession_firearm": 0.6}, weapon=1),
    "knife": Mix(
        "knife_enabled",
        {
            "possession_weapon": 0.48,
            "violence_with_injury": 0.36,
            "gbh_with_intent": 0.13,
            "attempted_murder": 0.02,
            "homicide": 0.01,
        },
        weapon=1,
    ),
    "robbery": Mix("personal_robbery", {"personal_robbery": 1.0}),
    "alcohol": Mix(
        "alcohol_related",
        {"violence_without_injury": 0.55, "violence_with_injury": 0.4, "gbh_with_intent": 0.05},
        alcohol=1,
    ),
    "domestic": Mix(
        "domestic_abuse",
        {"violence_without_injury": 0.45, "violence_with_injury": 0.33, "stalking": 0.22},
        domestic=1,
        alcohol=0.2,
    ),
    "hate": Mix(
        "hate_crime",
        {"racially_aggravated_public_order": 0.7, "violence_without_injury": 0.3},
        hate=1,
    ),
    "sexual": Mix(
        "rape_sexual",
        {"sexual_assault": 0.62, "rape": 0.33, "rape_aggravated": 0.05},
        domestic=0.25,
    ),
    "other": Mix(
        "other_violence",
        {
            "violence_without_injury": 0.5,
            "violence_with_injury": 0.28,
            "harassment": 0.12,
            "threats_to_kill": 0.06,
            "gbh_with_intent": 0.035,
            "attempted_murder": 0.004,
            "homicide": 0.001,
        },
        alcohol=0.1,
    ),
    # The low-harm start of an escalating career.
    "minor": Mix("other_violence", {"violence_without_injury": 0.75, "harassment": 0.25}),
}
MIX_NAMES = tuple(MIXES)
BACKGROUND_MIXES = {
    "other": 0.36,
    "domestic": 0.17,
    "robbery": 0.15,
    "alcohol": 0.13,
    "knife": 0.09,
    "sexual": 0.05,
    "hate": 0.04,
    "gun": 0.01,
}
GROUP_MIXES = {"robbery": 0.35, "knife": 0.3, "other": 0.2, "gun": 0.08, "alcohol": 0.07}
CREW_MIXES = {"robbery": 0.4, "other": 0.3, "alcohol": 0.15, "knife": 0.15}
EARLY_CAREER_MIXES = {"minor": 0.8, "robbery": 0.2}
LATE_CAREER_MIXES = {"knife": 0.75, "gun": 0.25}
#: Offences with nobody harmed directly; police find them, so they always name a suspect.
VICTIMLESS_OFFENCES = ("possession_weapon", "possession_firearm")
OUTCOME_WEIGHTS = {
    "no_suspect": 0.40,
    "no_further_action": 0.30,
    "under_investigation": 0.08,
    "charged": 0.12,
    "cautioned": 0.02,
    "community_resolution": 0.03,
    "unknown": 0.05,
}

# --- Who ---------------------------------------------------------------------------------------
#: Planted structure per incident: one group for this many incidents, and so on.
INCIDENTS_PER_GROUP = 250
INCIDENTS_PER_DOMESTIC_PAIR = 45
INCIDENTS_PER_ESCALATOR = 400
CREW_INCIDENT_SHARE = 0.07
MIN_GROUPS, MIN_DOMESTIC_PAIRS, MIN_ESCALATORS = 4, 3, 3
GROUP_MIN_SIZE, GROUP_MAX_SIZE = 3, 7
ROUTINE_INCIDENTS_PER_GROUP = 6.0
MAX_ROUTINE_OFFENDERS = 4
BROKER_JOINS_ROUTINE = 0.25
#: Groups per constellation, by weight; a constellation of three or more is sometimes a star.
CONSTELLATION_SIZES = np.array([0.25, 0.35, 0.25, 0.15])
STAR_SHARE = 0.3
TERRITORY_AREAS = 3
CREW_SIZE_WEIGHTS = np.array([0.7, 0.3])  # crews of 2 or 3
CAREER_MIN_LENGTH, CAREER_MAX_LENGTH = 4, 8
CAREER_WINDOW_DAYS = 730
#: Inside the 365 days within which a domestic repeat counts as one.
DOMESTIC_WINDOW_DAYS = 330
DOMESTIC_EXTRA_INCIDENTS = 1.2
DOMESTIC_MAX_INCIDENTS = 7
#: (mu, sigma) of the lognormal behind how many incidents a person has in a role, beyond one.
OFFENDER_ACTIVITY = (0.0, 1.5)
VICTIM_ACTIVITY = (-0.2, 1.1)
CREW_ACTIVITY = (-0.3, 1.0)
MAX_ACTIVITY = 120
#: Solo incidents that make an offender prolific in the ground truth.
PROLIFIC = 20
#: Shares of group members, crew members and solo offenders who also ...
SOLO_GROUP_MEMBERS = 0.6  # ... offend alone
SOLO_CREW_MEMBERS = 0.5
VICTIM_OFFENDERS = 0.15  # ... are victims
EXTRA_VICTIMS = np.array([0.93, 0.055, 0.015])  # 0, 1 or 2 victims beyond the first
WITNESSES = np.array([0.7, 0.2, 0.1])  # 0, 1 or 2
#: Witnesses are often people already known (family, friends, associates, earlier victims).
KNOWN_WITNESSES = 0.75
PROFILES = ("offender", "victim", "intimate_victim", "witness", "escalator")
#: By profile, in the order of the contract's AGE_BANDS and SEXES.
AGE_WEIGHTS = {
    "offender": [14, 30, 28, 16, 8, 2.5, 0.5, 1],
    "victim": [12, 20, 26, 19, 12, 6, 4, 1],
    "intimate_victim": [10, 24, 30, 20, 10, 4, 1.5, 0.5],
    "witness": [5, 18, 27, 21, 15, 8, 5, 1],
    "escalator": [55, 45, 0, 0, 0, 0, 0, 0],
}
SEX_WEIGHTS = {
    "offender": [13, 85.8, 0.2, 1],
    "victim": [40, 58.8, 0.2, 1],
    "intimate_victim": [82, 16.8, 0.2, 1],
    "witness": [48, 50.8, 0.2, 1],
    "escalator": [3, 97, 0, 0],
}
#: The 2011 census mix of London on the 18+1 self-defined codes, with one in ten not stated.
ETHNICITY_WEIGHTS = {
    "W1": 44.9,
    "W2": 2.2,
    "W3": 0.1,
    "W9": 12.6,
    "M1": 1.5,
    "M2": 0.8,
    "M3": 1.2,
    "M9": 1.5,
    "A1": 6.6,
    "A2": 2.7,
    "A3": 2.7,
    "A4": 1.5,
    "A9": 4.9,
    "B1": 4.2,
    "B2": 7.0,
    "B9": 2.1,
    "O2": 1.3,
    "O9": 2.1,
    "NS": 11.1,
}

# --- Where -------------------------------------------------------------------------------------
#: The family of crime whose area weights place a category; every other category is violence.
FAMILY_OF_CATEGORY = {
    "personal_robbery": "robbery",
    "knife_enabled": "weapons",
    "gun_enabled": "weapons",
}
SITES_PER_AREA = 5
SITE_WEIGHTS = np.array([0.4, 0.25, 0.15, 0.12, 0.08])
SITE_RADIUS_M = 150.0
SITES_SEED = 2011
METRES_PER_DEGREE = 111_320.0

# --- Intelligence links ------------------------------------------------------------------------
# Every pair of a group's members is a gang link, and each broker an associate of every
# member of their groups (graphvc.synth.intelligence says why).
CREW_LINKS = 0.4
PARTNERS = 0.8  # share of domestic pairs who are partners (the rest family)
FAMILY_LINKS_PER_INCIDENT = 0.01  # within a group or crew
ASSOCIATE_LINKS_PER_INCIDENT = 0.02  # within neighbourhood cliques of solo offenders
NEIGHBOURHOOD_CLIQUE_SIZES = np.array([0.5, 0.3, 0.2])  # of 2, 3 or 4
CROSS_LINKS_PER_GROUP = 0.5  # associate links between groups of different constellations

#: Share of domestic-abuse victimisations followed by a DASH risk assessment, and the shares
#: of its levels.
DASH_ASSESSED = 0.9
DASH_LEVELS = {"standard": 0.55, "medium": 0.3, "high": 0.15}


def category_codes(mix: np.ndarray) -> np.ndarray:
    """Category codes (into ``CATEGORIES``) of mix codes."""
    return np.array([CATEGORIES.index(m.category) for m in MIXES.values()])[mix]
