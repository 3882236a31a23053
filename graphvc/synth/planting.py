"""Planting known network structure in seeded synthetic tables, on any :class:`Geography`.

:func:`generate` makes the six tables of the input contract (:data:`graphvc.contract.TABLES`)
for a number of violent incidents on a geography (:func:`~graphvc.synth.geography.london` or
:func:`~graphvc.synth.city.synthetic_city`), with a ``ground_truth`` naming what was
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
- **Intelligence links** mostly within groups, crews, families and neighbourhoods, few across
  groups (:mod:`graphvc.synth.intelligence`): the planted brokers and the ends of the links
  across are the *multiplex brokers*, the only people who bridge groups in the network of
  all tie layers.

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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphvc.contract import TABLES
from graphvc.errors import ConfigError
from graphvc.harm_index import DEFAULT_HARM_TABLE, load_harm_table
from graphvc.synth.draft import Draft
from graphvc.synth.drawing import draw_times
from graphvc.synth.geography import Geography
from graphvc.synth.ground_truth import ground_truth
from graphvc.synth.intelligence import associations_table, draw_links, multiplex_brokers
from graphvc.synth.scenarios import place_incidents, plant, redraw_second_parts
from graphvc.synth.tables import (
    incidents_table,
    involvements_table,
    locations_table,
    numbered_ids,
    persons_table,
    risk_assessments_table,
    role_codes,
)

__all__ = ["MAX_INCIDENTS", "MIN_INCIDENTS", "SyntheticDataset", "generate"]


MIN_INCIDENTS = 1_000
MAX_INCIDENTS = 5_000_000


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
        ``victim_offenders``, ``prolific_offenders``, ``multiplex_brokers`` (the brokers of
        the network of all tie layers, see :mod:`graphvc.synth.intelligence`), with ``seed``,
        ``n_incidents`` and
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
        Where incidents happen: :func:`~graphvc.synth.city.synthetic_city` or
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
    times = draw_times(rng, n_incidents)
    # The offence mixes are written in the codes of the bundled table, whatever GRAPHVC_HARM_TABLE.
    draft = Draft(rng, load_harm_table(DEFAULT_HARM_TABLE).table)
    plan = plant(draft, geography, n_incidents, np.sort(times))
    incidents = draft.incident_columns()
    incident, person, kind = draft.involvement_columns()
    person = redraw_second_parts(draft, incident, person, kind)
    unset = incidents["time"] < 0
    incidents["time"][unset] = times[unset]
    place_incidents(rng, geography, incidents)

    # Crime references are numbered in time order; person ids are shuffled so that they say
    # nothing about what was planted.
    chronological = np.argsort(incidents["time"], kind="stable")
    incident_number = np.empty(n_incidents, dtype=np.int64)
    incident_number[chronological] = np.arange(1, n_incidents + 1)
    person_number = rng.permutation(draft.n_persons) + 1
    incident_ids = numbered_ids("I", incident_number)
    person_ids = numbered_ids("P", person_number)
    role = role_codes(kind, incidents["outcome"][incident])

    # The frames draw from ``rng`` in this order (persons, incidents, associations, risk
    # assessments), which keeps a seed's data the same from one version to the next.
    persons = persons_table(rng, plan, incidents, person, incident, kind, person_number, person_ids)
    incidents_frame = incidents_table(rng, draft, geography, incidents, chronological, incident_ids)
    involvements = involvements_table(
        person, incident, role, person_number, incident_number, person_ids, incident_ids
    )
    wards = geography.areas["ward_code"].to_numpy(dtype=str)
    links = draw_links(
        rng,
        plan,
        n_incidents,
        (incident, person, kind),
        np.unique(wards, return_inverse=True)[1][incidents["area"]],
    )
    associations = associations_table(rng, plan, links, person_ids)
    return SyntheticDataset(
        persons=persons,
        locations=locations_table(geography, incidents),
        incidents=incidents_frame,
        involvements=involvements,
        risk_assessments=risk_assessments_table(rng, incidents_frame, involvements),
        associations=associations,
        ground_truth={
            "seed": seed,
            "n_incidents": n_incidents,
            **ground_truth(plan, incidents["time"], incident, person, role, person_ids),
            "multiplex_brokers": sorted(person_ids[multiplex_brokers(plan, links)].tolist()),
            "geography": geography.name,
        },
    )
