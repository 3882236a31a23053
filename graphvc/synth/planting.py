"""Planting known network structure in seeded synthetic tables, on any :class:`Geography`.

:func:`generate` makes the six tables of the input contract (:data:`graphvc.contract.TABLES`)
for a number of violent incidents on a geography (:func:`~graphvc.synth.geography.london` or
:func:`~graphvc.synth.geography.synthetic_city`), with a ``ground_truth`` naming what was
planted and when it was active, so that every measure of graphvc can be checked against a
known answer.

Places and their weights come from the geography: each family of crime (robbery, weapons for
knife and gun crime, violence against the person for the rest) happens in each small area in
proportion to the area's weight. People are invented, with synthetic ids and names.

What is planted
---------------
- **Prolific offenders**: solo offending per person is heavy-tailed (lognormal), so a few
  people commit a large share of the incidents.
- **Co-offending groups and brokers**: groups of 3-7 form small constellations, chains or
  stars, tied by *brokers*; two groups share at most one broker. A group's founding incident
  has all its members and all its brokers, then subsets of the members (now and then with a
  broker) offend together. Each group with its brokers is thus a clique whose members lie on
  no shortest path, and the brokers are the only paths between groups: they are exactly the
  people with positive betweenness in the co-offending network [1]_, whether it is built from
  offenders alone or with suspects (founding incidents are charged). Crews of 2-3 who always
  offend together make up the rest of the co-offending.
- **Repeat victims**: victimisation per person is heavy-tailed too [2]_. *Domestic pairs*: the
  same victim and perpetrator in 2-7 incidents at one home within 330 days.
- **Escalating careers**: 4-8 incidents each, low harm first, the last one or two knife or gun
  enabled.
- **Victim-offender overlap**: some offenders are victims as well [3]_.

Who is who: the people of an incident with a sanction detection (charged, cautioned,
community resolution) are its offenders, otherwise its suspects; an incident without a
suspect names nobody but its victims and witnesses. Victimless offences (possession of a
weapon or firearm) are found by police and always name a suspect. Most witnesses are people
already in the data. Incident ids follow time; person ids are shuffled, so that they say
nothing about what was planted.

Places: each small area has ``SITES_PER_AREA`` places scattered up to ``SITE_RADIUS_M`` around
its point, the first the busiest, so that a few places hold much of the crime [4]_. Only places
that saw an incident become locations (``LOC-<area code>-<site>``, as ``LOC-E01000001-1``), so
there are at most five per area; a location id names the same point in every dataset on the
same geography.
Time: 2023-01-01 to 2025-12-31, with summer, weekend and evening-to-night peaks, to the minute.
Harm is the offence's ``harm_days`` from the harm table [5]_. Ethnicity follows the London
census mix whatever the role, so any disparity a report shows is noise.

References
----------
.. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of Mathematical
   Sociology 25(2):163-177, 2001. https://doi.org/10.1080/0022250X.2001.9990249
.. [2] G. Farrell and K. Pease, "Once bitten, twice bitten: repeat victimisation and its
   implications for crime prevention", Home Office Crime Prevention Unit Paper 46, 1993.
.. [3] W. G. Jennings, A. R. Piquero and J. M. Reingle, "On the overlap between
   victimization and offending: a review of the literature", Aggression and Violent
   Behavior 17(1):16-26, 2012. https://doi.org/10.1016/j.avb.2011.09.003
.. [4] D. Weisburd, "The law of crime concentration and the criminology of place",
   Criminology 53(2):133-157, 2015. https://doi.org/10.1111/1745-9125.12070
.. [5] L. Sherman, P. W. Neyroud and E. Neyroud, "The Cambridge Crime Harm Index: measuring
   total harm from crime based on sentencing guidelines", Policing 10(3):171-183, 2016.
   https://doi.org/10.1093/police/paw003
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from graphvc.contract import (
    AGE_BANDS,
    CATEGORIES,
    ETHNICITY_CODES,
    OUTCOMES,
    ROLES,
    SANCTION_DETECTIONS,
    SEXES,
    TABLES,
)
from graphvc.errors import ConfigError
from graphvc.harm_index import DEFAULT_HARM_TABLE, load_harm_table
from graphvc.synth.geography import FAMILIES, Geography

__all__ = ["MAX_INCIDENTS", "MIN_INCIDENTS", "SyntheticDataset", "generate"]

MIN_INCIDENTS = 1_000
MAX_INCIDENTS = 5_000_000
ID_DIGITS = 7

# --- When --------------------------------------------------------------------------------------
WINDOW_START = np.datetime64("2023-01-01", "D")
WINDOW_DAYS = 1096  # to 2025-12-31
#: Monday to Sunday: violence rises through the week to a weekend peak.
WEEKDAY_WEIGHTS = np.array([0.86, 0.84, 0.88, 0.93, 1.12, 1.29, 1.18])
#: Hours 0 to 23: a trough at dawn, climbing through the day to an evening and late-night peak.
HOUR_WEIGHTS = np.array(
    [5.2, 4.6, 4.0, 3.1, 2.1, 1.4, 1.3, 1.8, 2.6, 3.0, 3.3, 3.6,
     4.0, 4.1, 4.3, 5.0, 5.3, 5.3, 5.5, 5.6, 5.8, 6.0, 6.3, 6.0]
)  # fmt: skip
#: Friday and Saturday nights (the night-time economy) weigh this much more than other nights.
WEEKEND_NIGHT_BOOST = 1.8
#: Violence peaks in summer: a day in mid-July weighs this much more than the yearly mean.
SUMMER_AMPLITUDE = 0.08
SUMMER_PEAK_DAY = 196

# --- What --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mix:
    """A kind of incident: its category, its offences by weight and the chance of each flag."""

    category: str
    offences: Mapping[str, float]
    weapon: float = 0.0
    alcohol: float = 0.0
    domestic: float = 0.0
    hate: float = 0.0


FLAGS = ("weapon", "alcohol", "domestic", "hate")
MIXES: dict[str, _Mix] = {
    "gun": _Mix("gun_enabled", {"firearm_discharge": 0.4, "possession_firearm": 0.6}, weapon=1),
    "knife": _Mix(
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
    "robbery": _Mix("personal_robbery", {"personal_robbery": 1.0}),
    "alcohol": _Mix(
        "alcohol_related",
        {"violence_without_injury": 0.55, "violence_with_injury": 0.4, "gbh_with_intent": 0.05},
        alcohol=1,
    ),
    "domestic": _Mix(
        "domestic_abuse",
        {"violence_without_injury": 0.45, "violence_with_injury": 0.33, "stalking": 0.22},
        domestic=1,
        alcohol=0.2,
    ),
    "hate": _Mix(
        "hate_crime",
        {"racially_aggravated_public_order": 0.7, "violence_without_injury": 0.3},
        hate=1,
    ),
    "sexual": _Mix(
        "rape_sexual",
        {"sexual_assault": 0.62, "rape": 0.33, "rape_aggravated": 0.05},
        domestic=0.25,
    ),
    "other": _Mix(
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
    "minor": _Mix("other_violence", {"violence_without_injury": 0.75, "harassment": 0.25}),
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
    "W1": 44.9, "W2": 2.2, "W3": 0.1, "W9": 12.6, "M1": 1.5, "M2": 0.8, "M3": 1.2, "M9": 1.5,
    "A1": 6.6, "A2": 2.7, "A3": 2.7, "A4": 1.5, "A9": 4.9, "B1": 4.2, "B2": 7.0, "B9": 2.1,
    "O2": 1.3, "O9": 2.1, "NS": 11.1,
}  # fmt: skip

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
GANG_LINKS = 0.5  # share of pairs within a group on record as gang links
BROKER_LINKS = 0.5  # share of a broker's group members on record as associates
CREW_LINKS = 0.4
PARTNERS = 0.8  # share of domestic pairs who are partners (the rest family)
FAMILY_LINKS_PER_INCIDENT = 0.01
ASSOCIATE_LINKS_PER_INCIDENT = 0.02

#: Share of domestic-abuse victimisations followed by a DASH risk assessment, and the shares
#: of its levels.
DASH_ASSESSED = 0.9
DASH_LEVELS = {"standard": 0.55, "medium": 0.3, "high": 0.15}

# Kinds of involvement, in order of precedence: a person has one part per incident, and when a
# drawn victim or witness already has one, they are replaced by a new person.
_OFFENDER, _FIXED_VICTIM, _DRAWN_VICTIM, _EXTRA_VICTIM, _WITNESS = range(5)


@dataclass(frozen=True, eq=False)
class SyntheticDataset:
    """The six tables of the input contract and the structure planted in them.

    Attributes
    ----------
    persons, locations, incidents, involvements, risk_assessments, associations : pandas.DataFrame
        One frame per table of :data:`graphvc.contract.TABLES`, with exactly its columns in
        its order; dates are ISO 8601 strings and ids strings (``P0000001``, ``I0000001``,
        ``LOC-E01000001-1``).
    ground_truth : dict
        What was planted, by person id: ``brokers``, ``broker_groups`` (broker -> indexes into
        ``groups``), ``groups`` and ``crews`` (lists of members, brokers apart),
        ``repeat_victims``, ``domestic_pairs`` ([victim, perpetrator]), ``escalators``,
        ``victim_offenders``, ``prolific_offenders``, with ``seed``, ``n_incidents`` and
        ``geography`` (its name). When each structure was active, as the dates of the first
        and last of the incidents that make it up (``{"first": "2023-02-01", "last":
        "2025-11-30"}``), in lists aligned with the lists they date: ``group_periods``,
        ``crew_periods``, ``broker_periods`` (a broker's incidents with its groups),
        ``domestic_pair_periods``, ``escalator_periods`` and ``repeat_victim_periods`` (the
        incidents they were a victim of).
    """

    persons: pd.DataFrame
    locations: pd.DataFrame
    incidents: pd.DataFrame
    involvements: pd.DataFrame
    risk_assessments: pd.DataFrame
    associations: pd.DataFrame
    ground_truth: dict[str, Any]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The six tables by name, in the order of :data:`graphvc.contract.TABLES`."""
        return {name: getattr(self, name) for name in TABLES}


def generate(n_incidents: int, seed: int, geography: Geography) -> SyntheticDataset:
    """Make ``n_incidents`` violent incidents on ``geography``, the same for the same seed.

    Time and memory grow linearly with ``n_incidents``: about 2.3 involvements and 0.8 persons
    per incident.

    Parameters
    ----------
    n_incidents : int
        How many incidents, from 1,000 to 5,000,000.
    seed : int
        Seed of the random generator (``numpy.random.default_rng``), at least 0.
    geography : Geography
        Where incidents happen: :func:`~graphvc.synth.geography.synthetic_city` or
        :func:`~graphvc.synth.geography.london`.

    Returns
    -------
    SyntheticDataset
        The six tables and the ground truth.

    Raises
    ------
    ConfigError
        If ``n_incidents`` or ``seed`` is out of range.

    Examples
    --------
    >>> from graphvc.synth import synthetic_city
    >>> data = generate(1000, seed=7, geography=synthetic_city(7))
    >>> len(data.incidents), data.incidents["incident_id"].iloc[0]
    (1000, 'I0000001')
    >>> sorted(data.involvements["role"].unique())
    ['offender', 'suspect', 'victim', 'witness']
    >>> len(data.ground_truth["brokers"]) >= 2, data.ground_truth["geography"]
    (True, 'Synthetic city (seed 7)')
    """
    if not MIN_INCIDENTS <= n_incidents <= MAX_INCIDENTS:
        raise ConfigError(
            f"n_incidents={n_incidents!r} must be between {MIN_INCIDENTS:,} and {MAX_INCIDENTS:,}"
        )
    if seed < 0:
        raise ConfigError(f"seed={seed!r} must be at least 0")
    rng = np.random.default_rng(seed)
    times = _draw_times(rng, n_incidents)
    # The offence mixes are written in the codes of the bundled table, whatever GRAPHVC_HARM_TABLE.
    draft = _Draft(rng, load_harm_table(DEFAULT_HARM_TABLE).table)
    plan = _plant(draft, geography, n_incidents, np.sort(times))
    incidents = draft.incident_columns()
    incident, person, kind = draft.involvement_columns()
    person = _redraw_second_parts(draft, incident, person, kind)
    unset = incidents["time"] < 0
    incidents["time"][unset] = times[unset]
    _place(rng, geography, incidents)

    # Crime references are numbered in time order; person ids are shuffled so that they say
    # nothing about what was planted.
    chronological = np.argsort(incidents["time"], kind="stable")
    incident_number = np.empty(n_incidents, dtype=np.int64)
    incident_number[chronological] = np.arange(1, n_incidents + 1)
    person_number = rng.permutation(draft.n_persons) + 1
    incident_ids = _ids("I", incident_number)
    person_ids = _ids("P", person_number)
    role = _roles(kind, incidents["outcome"][incident])

    # The frames draw from ``rng`` in this order (persons, incidents, associations, risk
    # assessments), which keeps a seed's data the same from one version to the next.
    persons = _persons_frame(
        rng, plan, incidents, person, incident, kind, person_number, person_ids
    )
    incidents_frame = _incidents_frame(
        rng, draft, geography, incidents, chronological, incident_ids
    )
    involvements = _involvements_frame(
        person, incident, role, person_number, incident_number, person_ids, incident_ids
    )
    associations = _associations_frame(rng, plan, n_incidents, person_ids)
    return SyntheticDataset(
        persons=persons,
        locations=_locations_frame(geography, incidents),
        incidents=incidents_frame,
        involvements=involvements,
        risk_assessments=_risk_assessments_frame(rng, incidents_frame, involvements),
        associations=associations,
        ground_truth={
            "seed": seed,
            "n_incidents": n_incidents,
            **_ground_truth(plan, incidents["time"], incident, person, role, person_ids),
            "geography": geography.name,
        },
    )


# --- Drawing -----------------------------------------------------------------------------------


def _draw(rng: np.random.Generator, weights: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A column of ``weights`` for each key, drawn in proportion to the weights of its row."""
    cumulative = np.cumsum(weights, axis=1)
    cumulative = cumulative / cumulative[:, -1:]
    uniform = rng.random(len(keys))
    drawn = np.empty(len(keys), dtype=np.int64)
    for key in np.unique(keys):
        rows = keys == key
        drawn[rows] = np.searchsorted(cumulative[key], uniform[rows], side="right")
    return np.minimum(drawn, weights.shape[1] - 1)


def _draw_from(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` indexes of ``weights``, drawn in proportion to them."""
    return _draw(rng, weights[np.newaxis, :], np.zeros(n, dtype=np.int64))


def _vector(names: Sequence[str], weights: Mapping[str, float]) -> np.ndarray:
    """The weights in the order of ``names``, zero for a name they leave out."""
    unknown = set(weights) - set(names)
    assert not unknown, f"{sorted(unknown)} not among {names}"
    return np.array([weights.get(name, 0.0) for name in names], dtype=float)


def _draw_mixes(rng: np.random.Generator, weights: Mapping[str, float], n: int) -> np.ndarray:
    return _draw_from(rng, _vector(MIX_NAMES, weights), n)


def _activity(rng: np.random.Generator, n: int, lognormal: tuple[float, float]) -> np.ndarray:
    """How many incidents each of ``n`` people has in a role: one, plus a heavy tail."""
    extra = np.floor(rng.lognormal(*lognormal, size=n)).astype(np.int64)
    return np.minimum(1 + extra, MAX_ACTIVITY)


def _deal(rng: np.random.Generator, n_slots: int, counts: np.ndarray) -> np.ndarray:
    """Deal ``n_slots`` to candidates in turn, each taking ``counts`` (the last what is left).

    Returns the candidate of each slot, in random order; ``counts`` must cover ``n_slots``.
    """
    if n_slots == 0:
        return np.zeros(0, dtype=np.int64)
    covered = np.cumsum(counts)
    n_dealt = int(np.searchsorted(covered, n_slots)) + 1
    taken = counts[:n_dealt].copy()
    taken[-1] -= covered[n_dealt - 1] - n_slots
    return rng.permutation(np.repeat(np.arange(n_dealt), taken))


def _expand(start: np.ndarray, size: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For runs ``start[i] : start[i] + size[i]``, each element's run and position."""
    run = np.repeat(np.arange(len(size)), size)
    offset = np.arange(len(run)) - np.repeat(np.cumsum(size) - size, size)
    return run, start[run] + offset


def _hours_by_weekday() -> np.ndarray:
    night = np.zeros((7, 24), dtype=bool)
    night[4:6, 21:] = True  # Friday and Saturday evenings
    night[5:7, :4] = True  # and the small hours that follow them
    return HOUR_WEIGHTS * np.where(night, WEEKEND_NIGHT_BOOST, 1.0)


def _draw_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` incident times (seconds since 1970), with the yearly, weekly and daily rhythm."""
    days = WINDOW_START + np.arange(WINDOW_DAYS)
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    day_of_year = (days - days.astype("datetime64[Y]")).astype(np.int64)
    season = 1 + SUMMER_AMPLITUDE * np.cos(2 * np.pi * (day_of_year - SUMMER_PEAK_DAY) / 365.25)
    day = _draw_from(rng, WEEKDAY_WEIGHTS[weekday] * season, n)
    hour = _draw(rng, _hours_by_weekday(), weekday[day])
    minute = rng.integers(0, 60, n)
    return days[day].astype("datetime64[s]").astype(np.int64) + hour * 3600 + minute * 60


def _sequence_times(
    rng: np.random.Generator, pool: np.ndarray, lengths: np.ndarray, window_days: int
) -> np.ndarray:
    """Times for sequences of incidents by the same people, each within ``window_days``.

    Times are drawn from ``pool`` (sorted incident times) so that the daily and weekly rhythm
    holds. Within a sequence they ascend at least a minute apart, so order is never a tie.
    Returns the times of all sequences one after the other.
    """
    spread = lengths.max(initial=0) * 60
    window = window_days * 86_400
    n_anchors = max(1, int(np.searchsorted(pool, pool[-1] - window - spread, side="right")))
    anchor = rng.integers(0, n_anchors, len(lengths))
    end = np.searchsorted(pool, pool[anchor] + window, side="right")
    sequence = np.repeat(np.arange(len(lengths)), lengths)
    low, high = anchor[sequence], end[sequence]
    drawn = pool[low + (rng.random(len(sequence)) * (high - low)).astype(np.int64)]
    drawn = drawn[np.lexsort((drawn, sequence))]
    step = np.arange(len(sequence)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return drawn + step * 60


# --- Building the incidents and who took part --------------------------------------------------


class _Draft:
    """Incidents and involvements under construction, as integer codes.

    Incident times, areas and sites are -1 until drawn, for those a scenario leaves open.
    """

    def __init__(self, rng: np.random.Generator, harm_index: pd.DataFrame) -> None:
        self.rng = rng
        self.harm_index = harm_index
        offences = tuple(harm_index["offence"])
        self.offence_weights = np.array([_vector(offences, mix.offences) for mix in MIXES.values()])
        self.victimless = harm_index["offence"].isin(VICTIMLESS_OFFENCES).to_numpy()
        no_suspect = OUTCOME_WEIGHTS | {"no_suspect": 0.0}
        self.outcome_weights = np.array(
            [_vector(OUTCOMES, OUTCOME_WEIGHTS), _vector(OUTCOMES, no_suspect)]
        )
        self.n_persons = 0
        self.n_incidents = 0
        self._incidents: list[dict[str, np.ndarray]] = []
        self._involvements: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def new_persons(self, n: int) -> np.ndarray:
        first, self.n_persons = self.n_persons, self.n_persons + n
        return np.arange(first, first + n)

    def add_incidents(
        self,
        mixes: np.ndarray,
        *,
        suspect_named: bool,
        outcome: str | None = None,
        time: np.ndarray | None = None,
        area: np.ndarray | None = None,
        site: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Add incidents of the given mixes; return their indexes and outcome codes."""
        n = len(mixes)
        offence = _draw(self.rng, self.offence_weights, mixes)
        if outcome is None:
            named = suspect_named | self.victimless[offence]
            outcomes = _draw(self.rng, self.outcome_weights, named.astype(np.int64))
        else:
            outcomes = np.full(n, OUTCOMES.index(outcome))
        unset = np.full(n, -1, dtype=np.int64)
        self._incidents.append(
            {
                "mix": mixes,
                "offence": offence,
                "outcome": outcomes,
                "time": unset if time is None else time,
                "area": unset if area is None else area,
                "site": unset if site is None else site,
            }
        )
        first, self.n_incidents = self.n_incidents, self.n_incidents + n
        return np.arange(first, first + n), outcomes

    def involve(self, incidents: np.ndarray, persons: np.ndarray, kind: int) -> None:
        self._involvements.append((incidents, persons, np.full(len(incidents), kind)))

    def incident_columns(self) -> dict[str, np.ndarray]:
        return {
            name: np.concatenate([part[name] for part in self._incidents]).astype(np.int64)
            for name in self._incidents[0]
        }

    def involvement_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Incident, person and kind of every involvement so far."""
        incident, person, kind = (
            np.concatenate(column) for column in zip(*self._involvements, strict=True)
        )
        return incident, person, kind


@dataclass(frozen=True)
class _Cliques:
    """Groups or crews: the members of clique ``i`` are ``members[start[i] : start[i] + size[i]]``."""

    members: np.ndarray
    start: np.ndarray
    size: np.ndarray

    @classmethod
    def new(cls, draft: _Draft, size: np.ndarray) -> _Cliques:
        return cls(draft.new_persons(int(size.sum())), np.cumsum(size) - size, size)

    def all_members(self, cliques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every member of each of ``cliques``: (position in ``cliques``, person)."""
        run, position = _expand(self.start[cliques], self.size[cliques])
        return run, self.members[position]

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Every pair of members of the same clique."""
        first, second = np.triu_indices(int(self.size.max()), k=1)
        clique, pair = np.nonzero(second[np.newaxis, :] < self.size[:, np.newaxis])
        base = self.start[clique]
        return self.members[base + first[pair]], self.members[base + second[pair]]

    def lists(self, person_ids: np.ndarray) -> list[list[str]]:
        return [
            sorted(person_ids[self.members[start : start + size]].tolist())
            for start, size in zip(self.start.tolist(), self.size.tolist(), strict=True)
        ]


@dataclass(frozen=True)
class _Owned:
    """The incidents that make up planted structures: ``incident[i]`` belongs to ``owner[i]``.

    ``owner`` indexes the structures (groups, crews, brokers, ...) in their planting order.
    """

    incident: np.ndarray
    owner: np.ndarray


@dataclass(frozen=True)
class _Plan:
    """What was planted, by internal person index, and the incidents of each structure."""

    groups: _Cliques
    group_incidents: _Owned
    brokers: np.ndarray
    broker_incidents: _Owned
    bridge_broker: np.ndarray  # one row per (broker, group) bridge: index into ``brokers``
    bridge_group: np.ndarray
    crews: _Cliques
    crew_incidents: _Owned
    escalators: np.ndarray
    escalator_incidents: _Owned
    domestic_victims: np.ndarray
    domestic_perpetrators: np.ndarray
    domestic_incidents: _Owned
    solo_offenders: np.ndarray
    solo_counts: np.ndarray
    victim_offenders: np.ndarray
    drawn_victims: np.ndarray
    drawn_victim_counts: np.ndarray


def _plant(draft: _Draft, geography: Geography, n_incidents: int, pool: np.ndarray) -> _Plan:
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
        _draw_mixes(rng, BACKGROUND_MIXES, n_incidents - draft.n_incidents), suspect_named=False
    )
    named = background[outcome != OUTCOMES.index("no_suspect")]
    solo, solo_offenders, solo_counts = _deal_to_persons(
        draft, len(named), also_solo, OFFENDER_ACTIVITY
    )
    draft.involve(named, solo, _OFFENDER)
    victim_offenders = rng.choice(
        solo_offenders, size=round(VICTIM_OFFENDERS * len(solo_offenders)), replace=False
    )
    drawn_victims, drawn_victim_counts = _add_victims(draft, victim_offenders)
    _add_witnesses(draft)
    return _Plan(
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
    draft: _Draft, n_slots: int, known: np.ndarray, activity: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share ``n_slots`` among the ``known`` persons first, then as many new ones as needed.

    Returns the person of each slot, the persons dealt any, and how many each was dealt.
    """
    counts = _activity(draft.rng, len(known) + n_slots, activity)
    owner = _deal(draft.rng, n_slots, counts)
    n_dealt = int(owner.max(initial=-1)) + 1
    new = draft.new_persons(max(0, n_dealt - len(known)))
    persons = np.concatenate([known, new])[:n_dealt]
    return persons[owner], persons, np.bincount(owner, minlength=n_dealt)


def _territories(rng: np.random.Generator, geography: Geography, n: int) -> np.ndarray:
    """``TERRITORY_AREAS`` home areas for each of ``n`` groups or crews, where violence is."""
    areas = _draw_from(rng, geography.weights[FAMILIES.index("violence")], n * TERRITORY_AREAS)
    return areas.reshape(n, TERRITORY_AREAS)


def _in_territory(rng: np.random.Generator, territory: np.ndarray, owner: np.ndarray) -> np.ndarray:
    return territory[owner, rng.integers(0, TERRITORY_AREAS, len(owner))]


def _bridges(rng: np.random.Generator, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Tie groups into constellations by brokers: (broker, group) for every bridge.

    A constellation is a chain (a broker between neighbours) or a star (one broker touching
    all); either way a tree, so its brokers are the only paths between its groups. The first is
    a chain of three, so that even the smallest dataset plants two brokers.
    """
    sizes = _draw_from(rng, CONSTELLATION_SIZES, n_groups) + 1
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
    draft: _Draft, geography: Geography, n_groups: int
) -> tuple[_Cliques, _Owned, np.ndarray, _Owned, np.ndarray, np.ndarray]:
    """Co-offending groups and their brokers, with founding and routine incidents.

    Returns the groups and their incidents, the brokers and the incidents they share with
    their groups, and the bridges (broker, group).
    """
    rng = draft.rng
    size = GROUP_MIN_SIZE + rng.binomial(GROUP_MAX_SIZE - GROUP_MIN_SIZE, 0.4, n_groups)
    groups = _Cliques.new(draft, size)
    bridge_broker, bridge_group = _bridges(rng, n_groups)
    brokers = draft.new_persons(int(bridge_broker.max()) + 1)
    territory = _territories(rng, geography, n_groups)

    # A charged founding incident with every member and every broker of a group makes them a
    # clique, so members lie on no shortest path and brokers are all that hold groups together.
    founding, _ = draft.add_incidents(
        _draw_mixes(rng, GROUP_MIXES, n_groups),
        suspect_named=True,
        outcome="charged",
        area=_in_territory(rng, territory, np.arange(n_groups)),
    )
    run, members = groups.all_members(np.arange(n_groups))
    draft.involve(founding[run], members, _OFFENDER)
    draft.involve(founding[bridge_group], brokers[bridge_broker], _OFFENDER)

    group = np.repeat(np.arange(n_groups), rng.poisson(ROUTINE_INCIDENTS_PER_GROUP, n_groups))
    routine, _ = draft.add_incidents(
        _draw_mixes(rng, GROUP_MIXES, len(group)),
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
    draft.involve(routine[row], groups.members[groups.start[group[row]] + position], _OFFENDER)
    # Sometimes one of the group's brokers comes along.
    by_group = np.argsort(bridge_group, kind="stable")
    first_bridge = np.searchsorted(bridge_group[by_group], np.arange(n_groups))
    n_bridges = np.bincount(bridge_group, minlength=n_groups)
    joins = (n_bridges[group] > 0) & (rng.random(len(group)) < BROKER_JOINS_ROUTINE)
    pick = first_bridge[group[joins]] + (
        rng.random(int(joins.sum())) * n_bridges[group[joins]]
    ).astype(np.int64)
    joining_broker = bridge_broker[by_group[pick]]
    draft.involve(routine[joins], brokers[joining_broker], _OFFENDER)
    group_incidents = _Owned(
        np.concatenate([founding, routine]), np.concatenate([np.arange(n_groups), group])
    )
    broker_incidents = _Owned(
        np.concatenate([founding[bridge_group], routine[joins]]),
        np.concatenate([bridge_broker, joining_broker]),
    )
    return groups, group_incidents, brokers, broker_incidents, bridge_broker, bridge_group


def _plant_crews(draft: _Draft, geography: Geography, n_incidents: int) -> tuple[_Cliques, _Owned]:
    """Crews of two or three who always offend together, some of them often."""
    rng = draft.rng
    crew = _deal(rng, n_incidents, _activity(rng, n_incidents, CREW_ACTIVITY))
    n_crews = int(crew.max()) + 1
    crews = _Cliques.new(draft, 2 + _draw_from(rng, CREW_SIZE_WEIGHTS, n_crews))
    incidents, _ = draft.add_incidents(
        _draw_mixes(rng, CREW_MIXES, n_incidents),
        suspect_named=True,
        area=_in_territory(rng, _territories(rng, geography, n_crews), crew),
    )
    run, members = crews.all_members(crew)
    draft.involve(incidents[run], members, _OFFENDER)
    return crews, _Owned(incidents, crew)


def _plant_escalators(draft: _Draft, n: int, pool: np.ndarray) -> tuple[np.ndarray, _Owned]:
    """Careers of low-harm incidents that end in one or two knife or gun enabled ones."""
    rng = draft.rng
    escalators = draft.new_persons(n)
    length = CAREER_MIN_LENGTH + rng.binomial(CAREER_MAX_LENGTH - CAREER_MIN_LENGTH, 0.5, n)
    n_late = 1 + ((length >= 6) & (rng.random(n) < 0.5))
    career, step = _expand(np.zeros(n, dtype=np.int64), length)
    late = step >= (length - n_late)[career]
    mixes = np.where(
        late,
        _draw_mixes(rng, LATE_CAREER_MIXES, len(career)),
        _draw_mixes(rng, EARLY_CAREER_MIXES, len(career)),
    )
    incidents, _ = draft.add_incidents(
        mixes, suspect_named=True, time=_sequence_times(rng, pool, length, CAREER_WINDOW_DAYS)
    )
    draft.involve(incidents, escalators[career], _OFFENDER)
    return escalators, _Owned(incidents, career)


def _plant_domestic_pairs(
    draft: _Draft, geography: Geography, n: int, pool: np.ndarray
) -> tuple[np.ndarray, np.ndarray, _Owned]:
    """The same victim and perpetrator again and again at one home, within a year."""
    rng = draft.rng
    victims, perpetrators = draft.new_persons(n), draft.new_persons(n)
    extra = np.minimum(rng.poisson(DOMESTIC_EXTRA_INCIDENTS, n), DOMESTIC_MAX_INCIDENTS - 2)
    length = 2 + extra
    pair = np.repeat(np.arange(n), length)
    home_area = _draw_from(rng, geography.weights[FAMILIES.index("violence")], n)
    home_site = _draw_from(rng, SITE_WEIGHTS, n)
    incidents, _ = draft.add_incidents(
        np.full(len(pair), MIX_NAMES.index("domestic")),
        suspect_named=True,
        time=_sequence_times(rng, pool, length, DOMESTIC_WINDOW_DAYS),
        area=home_area[pair],
        site=home_site[pair],
    )
    draft.involve(incidents, victims[pair], _FIXED_VICTIM)
    draft.involve(incidents, perpetrators[pair], _OFFENDER)
    return victims, perpetrators, _Owned(incidents, pair)


def _add_victims(draft: _Draft, victim_offenders: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A victim for every incident with one and no victim yet, then a few second victims.

    Returns the persons drawn as first victims and how many incidents each was drawn for.
    """
    rng = draft.rng
    incidents = draft.incident_columns()
    n = draft.n_incidents
    incident, _, kind = draft.involvement_columns()
    has_victim = np.zeros(n, dtype=bool)
    has_victim[incident[kind == _FIXED_VICTIM]] = True
    harmed = ~draft.victimless[incidents["offence"]]
    first = np.flatnonzero(harmed & ~has_victim)
    victims, drawn, counts = _deal_to_persons(draft, len(first), victim_offenders, VICTIM_ACTIVITY)
    draft.involve(first, victims, _DRAWN_VICTIM)
    second = np.repeat(np.arange(n), np.where(harmed, _draw_from(rng, EXTRA_VICTIMS, n), 0))
    draft.involve(second, draft.new_persons(len(second)), _EXTRA_VICTIM)
    return drawn, counts


def _add_witnesses(draft: _Draft) -> None:
    rng = draft.rng
    incident = np.repeat(
        np.arange(draft.n_incidents), _draw_from(rng, WITNESSES, draft.n_incidents)
    )
    known = rng.random(len(incident)) < KNOWN_WITNESSES
    person = rng.integers(0, draft.n_persons, len(incident))
    person[~known] = draft.new_persons(int((~known).sum()))
    draft.involve(incident, person, _WITNESS)


def _redraw_second_parts(
    draft: _Draft, incident: np.ndarray, person: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """Replace by a new person every drawn victim or witness who already has a part in the incident."""
    order = np.lexsort((kind, person, incident))
    repeated = np.zeros(len(person), dtype=bool)
    repeated[order[1:]] = (incident[order][1:] == incident[order][:-1]) & (
        person[order][1:] == person[order][:-1]
    )
    assert not (repeated & (kind < _DRAWN_VICTIM)).any(), "planted parts never repeat"
    person = person.copy()
    person[repeated] = draft.new_persons(int(repeated.sum()))
    return person


def _roles(kind: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Role codes (into ``ROLES``): offenders named in a sanction detection, else suspects."""
    sanctioned = np.isin(outcome, [OUTCOMES.index(name) for name in SANCTION_DETECTIONS])
    role = np.where(kind == _WITNESS, ROLES.index("witness"), ROLES.index("victim"))
    offender = np.where(sanctioned, ROLES.index("offender"), ROLES.index("suspect"))
    return np.where(kind == _OFFENDER, offender, role)


def _category(mix: np.ndarray) -> np.ndarray:
    """Category codes (into ``CATEGORIES``) of mix codes."""
    return np.array([CATEGORIES.index(m.category) for m in MIXES.values()])[mix]


def _place(
    rng: np.random.Generator, geography: Geography, incidents: dict[str, np.ndarray]
) -> None:
    """Draw the area and site of every incident a scenario left open."""
    family_of = [FAMILIES.index(FAMILY_OF_CATEGORY.get(c, "violence")) for c in CATEGORIES]
    family = np.array(family_of)[_category(incidents["mix"])]
    unset = incidents["area"] < 0
    incidents["area"][unset] = _draw(rng, geography.weights, family[unset])
    unset = incidents["site"] < 0
    incidents["site"][unset] = _draw_from(rng, SITE_WEIGHTS, int(unset.sum()))


# --- The tables --------------------------------------------------------------------------------


def _ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
    width = max(ID_DIGITS, len(str(int(numbers.max(initial=0)))))
    return np.strings.add(prefix, np.strings.zfill(numbers.astype(str), width))


def _strings(values: Sequence[str] | np.ndarray, index: np.ndarray | None = None) -> Any:
    """``values[index]`` as a pandas string array, built in Arrow (NumPy strings are slow)."""
    strings = pa.array(np.asarray(values, dtype=str))
    return pd.array(strings if index is None else strings.take(pa.array(index)), dtype="str")


def _location_ids(geography: Geography, area: np.ndarray, site: np.ndarray) -> np.ndarray:
    codes = geography.areas["code"].to_numpy(dtype=str)[area]
    return np.strings.add(
        np.strings.add("LOC-", codes), np.strings.add("-", (site + 1).astype(str))
    )


def _incidents_frame(
    rng: np.random.Generator,
    draft: _Draft,
    geography: Geography,
    incidents: dict[str, np.ndarray],
    chronological: np.ndarray,
    incident_ids: np.ndarray,
) -> pd.DataFrame:
    mix = incidents["mix"][chronological]
    offence = incidents["offence"][chronological]
    flag_chances = np.array([[getattr(m, flag) for flag in FLAGS] for m in MIXES.values()])
    flags = rng.random((len(mix), len(FLAGS))) < flag_chances[mix]
    time = incidents["time"][chronological].astype("datetime64[s]")
    n_areas = len(geography.areas)
    every_location = _location_ids(
        geography,
        np.arange(n_areas).repeat(SITES_PER_AREA),
        np.tile(np.arange(SITES_PER_AREA), n_areas),
    )
    location = incidents["area"][chronological] * SITES_PER_AREA + incidents["site"][chronological]
    return pd.DataFrame(
        {
            "incident_id": _strings(incident_ids, chronological),
            "occurred_at": _strings(np.datetime_as_string(time, unit="s")),
            "offence": _strings(draft.harm_index["offence"].to_numpy(dtype=str), offence),
            "category": _strings(CATEGORIES, _category(mix)),
            **{flag: flags[:, column] for column, flag in enumerate(FLAGS)},
            "harm": draft.harm_index["harm_days"].to_numpy()[offence],
            "outcome": _strings(OUTCOMES, incidents["outcome"][chronological]),
            "location_id": _strings(every_location, location),
        }
    )


def _involvements_frame(
    person: np.ndarray,
    incident: np.ndarray,
    role: np.ndarray,
    person_number: np.ndarray,
    incident_number: np.ndarray,
    person_ids: np.ndarray,
    incident_ids: np.ndarray,
) -> pd.DataFrame:
    order = np.lexsort((person_number[person], role, incident_number[incident]))
    return pd.DataFrame(
        {
            "person_id": _strings(person_ids, person[order]),
            "incident_id": _strings(incident_ids, incident[order]),
            "role": _strings(ROLES, role[order]),
        }
    )


def _risk_assessments_frame(
    rng: np.random.Generator, incidents: pd.DataFrame, involvements: pd.DataFrame
) -> pd.DataFrame:
    """A DASH risk assessment of the victim after most domestic-abuse incidents
    (:data:`DASH_ASSESSED`), one to 47 hours later, at a level of :data:`DASH_LEVELS`."""
    domestic = incidents.loc[incidents["domestic"].astype(bool), ["incident_id", "occurred_at"]]
    victims = involvements[involvements["role"] == "victim"].merge(domestic, on="incident_id")
    victims = victims.sort_values(["incident_id", "person_id"], ignore_index=True)
    kept = victims[rng.random(len(victims)) < DASH_ASSESSED]
    later = pd.to_timedelta(rng.integers(1, 48, len(kept)), unit="h")
    assessed = pd.to_datetime(kept["occurred_at"]) + later
    levels = rng.choice(list(DASH_LEVELS), size=len(kept), p=list(DASH_LEVELS.values()))
    return pd.DataFrame(
        {
            "person_id": kept["person_id"].to_numpy(),
            "incident_id": kept["incident_id"].to_numpy(),
            "assessed_at": assessed.dt.strftime("%Y-%m-%dT%H:%M:%S").to_numpy(),
            "tool": "DASH",
            "level": levels,
        }
    )


def _persons_frame(
    rng: np.random.Generator,
    plan: _Plan,
    incidents: dict[str, np.ndarray],
    person: np.ndarray,
    incident: np.ndarray,
    kind: np.ndarray,
    person_number: np.ndarray,
    person_ids: np.ndarray,
) -> pd.DataFrame:
    """Age, sex and ethnicity drawn by profile: the role and category of a person's first part."""
    n = len(person_ids)
    order = np.lexsort((incidents["time"][incident], person))
    first = order[np.r_[True, person[order][1:] != person[order][:-1]]]
    category = _category(incidents["mix"][incident[first]])
    intimate = np.isin(
        category, [CATEGORIES.index("domestic_abuse"), CATEGORIES.index("rape_sexual")]
    )
    profile = np.full(n, PROFILES.index("witness"))
    profile[person[first]] = np.select(
        [kind[first] == _OFFENDER, kind[first] == _WITNESS, intimate],
        [PROFILES.index("offender"), PROFILES.index("witness"), PROFILES.index("intimate_victim")],
        default=PROFILES.index("victim"),
    )
    profile[plan.escalators] = PROFILES.index("escalator")
    age = _draw(rng, np.array([AGE_WEIGHTS[p] for p in PROFILES]), profile)
    sex = _draw(rng, np.array([SEX_WEIGHTS[p] for p in PROFILES]), profile)
    ethnicity = _draw_from(rng, _vector(ETHNICITY_CODES, ETHNICITY_WEIGHTS), n)
    order = np.argsort(person_number)
    return pd.DataFrame(
        {
            "person_id": _strings(person_ids, order),
            "name": _strings(
                np.strings.add("Person ", np.strings.slice(person_ids, 1, None)), order
            ),
            "age_band": _strings(AGE_BANDS, age[order]),
            "sex": _strings(SEXES, sex[order]),
            "ethnicity": _strings(ETHNICITY_CODES, ethnicity[order]),
        }
    )


def _locations_frame(geography: Geography, incidents: dict[str, np.ndarray]) -> pd.DataFrame:
    """The places that saw an incident, each a random point near its area's point.

    The points come from a generator of their own, so that a location id names the same point
    in every dataset on the same geography, whatever the seed and size.
    """
    areas = geography.areas
    places = np.random.default_rng(SITES_SEED)
    distance = SITE_RADIUS_M * np.sqrt(places.random((len(areas), SITES_PER_AREA)))
    bearing = 2 * np.pi * places.random((len(areas), SITES_PER_AREA))
    centre_lat = areas["latitude"].to_numpy()[:, np.newaxis]
    centre_lon = areas["longitude"].to_numpy()[:, np.newaxis]
    latitude = centre_lat + distance * np.cos(bearing) / METRES_PER_DEGREE
    longitude = centre_lon + distance * np.sin(bearing) / (
        METRES_PER_DEGREE * np.cos(np.radians(centre_lat))
    )
    area, site = np.divmod(
        np.unique(incidents["area"] * SITES_PER_AREA + incidents["site"]), SITES_PER_AREA
    )
    used = areas.iloc[area]
    return pd.DataFrame(
        {
            "location_id": _location_ids(geography, area, site),
            "name": np.strings.add(
                used["name"].to_numpy(dtype=str),
                np.strings.add(", place ", (site + 1).astype(str)),
            ),
            "lsoa_code": used["code"].to_numpy(dtype=str),
            **{
                column: used[column].to_numpy(dtype=str)
                for column in ("ward_code", "ward_name", "borough_code", "borough_name")
            },
            "latitude": latitude[area, site].round(6),
            "longitude": longitude[area, site].round(6),
        }
    )


def _associations_frame(
    rng: np.random.Generator, plan: _Plan, n_incidents: int, person_ids: np.ndarray
) -> pd.DataFrame:
    """Intelligence links: gangs, brokers, crews, domestic pairs, and some family and associates.

    A link's weight is a base by kind (domestic 3, gang and family 2, associate 1) plus 0-2.
    """

    def links(
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
    anyone = rng.integers(0, len(person_ids), (2, round(FAMILY_LINKS_PER_INCIDENT * n_incidents)))
    offenders = plan.solo_offenders[
        rng.integers(
            0, len(plan.solo_offenders), (2, round(ASSOCIATE_LINKS_PER_INCIDENT * n_incidents))
        )
    ]
    brokers = plan.brokers[plan.bridge_broker[broker_run]]
    parts: list[pd.DataFrame] = [
        links(*plan.groups.pairs(), "gang", "intelligence_report", share=GANG_LINKS, weight=2),
        links(brokers, broker_member, "associate", "intelligence_report", share=BROKER_LINKS),
        links(*plan.crews.pairs(), "associate", "stop_and_search", share=CREW_LINKS),
        links(victims[partner], perpetrators[partner], "partner", "dash_risk_assessment", weight=3),
        links(
            victims[~partner],
            perpetrators[~partner],
            "family",
            "dash_risk_assessment",
            weight=3,
        ),
        links(anyone[0], anyone[1], "family", "custody_record", weight=2),
        links(offenders[0], offenders[1], "associate", "intelligence_report"),
    ]
    every = pd.concat(parts, ignore_index=True)
    every = every[every["person_a"] != every["person_b"]]
    every = every.drop_duplicates(["person_a", "person_b", "type"])
    return every.sort_values(["person_a", "person_b", "type"], ignore_index=True)


def _ground_truth(
    plan: _Plan,
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

    def periods(owned: _Owned, order: np.ndarray) -> list[dict[str, str]]:
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
    repeat_owned = _Owned(incident[repeat_parts], np.searchsorted(repeat, person[repeat_parts]))
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
