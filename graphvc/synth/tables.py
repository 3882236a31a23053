"""The six tables of the input contract, made from the finished draft.

Ids are strings of one width (``P0000001``, ``I0000001``), so that their string order is
their number order; text columns are built in Arrow, which is much faster than NumPy strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from graphvc.contract import (
    CATEGORIES,
    DEMOGRAPHICS,
    ETHNICITY_CODES,
    OUTCOMES,
    ROLES,
    SANCTION_DETECTIONS,
    column,
)
from graphvc.synth.draft import OFFENDER, WITNESS, Draft
from graphvc.synth.drawing import draw, draw_from, vector
from graphvc.synth.geography import Geography
from graphvc.synth.parameters import (
    AGE_WEIGHTS,
    DASH_ASSESSED,
    DASH_LEVELS,
    ETHNICITY_WEIGHTS,
    FLAGS,
    METRES_PER_DEGREE,
    MIXES,
    PROFILES,
    SEX_WEIGHTS,
    SITE_RADIUS_M,
    SITES_PER_AREA,
    SITES_SEED,
    category_codes,
)
from graphvc.synth.scenarios import Plan

__all__ = [
    "ID_DIGITS",
    "incidents_table",
    "involvements_table",
    "locations_table",
    "numbered_ids",
    "persons_table",
    "risk_assessments_table",
    "role_codes",
]

ID_DIGITS = 7


def role_codes(kind: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Role codes (into ``ROLES``): offenders named in a sanction detection, else suspects."""
    sanctioned = np.isin(outcome, [OUTCOMES.index(name) for name in SANCTION_DETECTIONS])
    role = np.where(kind == WITNESS, ROLES.index("witness"), ROLES.index("victim"))
    offender = np.where(sanctioned, ROLES.index("offender"), ROLES.index("suspect"))
    return np.where(kind == OFFENDER, offender, role)


def numbered_ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
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


def incidents_table(
    rng: np.random.Generator,
    draft: Draft,
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
            "category": _strings(CATEGORIES, category_codes(mix)),
            **{flag: flags[:, column] for column, flag in enumerate(FLAGS)},
            "harm": draft.harm_index["harm_days"].to_numpy()[offence],
            "outcome": _strings(OUTCOMES, incidents["outcome"][chronological]),
            "location_id": _strings(every_location, location),
        }
    )


def involvements_table(
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


def risk_assessments_table(
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


def persons_table(
    rng: np.random.Generator,
    plan: Plan,
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
    category = category_codes(incidents["mix"][incident[first]])
    intimate = np.isin(
        category, [CATEGORIES.index("domestic_abuse"), CATEGORIES.index("rape_sexual")]
    )
    profile = np.full(n, PROFILES.index("witness"))
    profile[person[first]] = np.select(
        [kind[first] == OFFENDER, kind[first] == WITNESS, intimate],
        [PROFILES.index("offender"), PROFILES.index("witness"), PROFILES.index("intimate_victim")],
        default=PROFILES.index("victim"),
    )
    profile[plan.escalators] = PROFILES.index("escalator")
    age = draw(rng, np.array([AGE_WEIGHTS[p] for p in PROFILES]), profile)
    sex = draw(rng, np.array([SEX_WEIGHTS[p] for p in PROFILES]), profile)
    ethnicity = draw_from(rng, vector(ETHNICITY_CODES, ETHNICITY_WEIGHTS), n)
    order = np.argsort(person_number)
    return pd.DataFrame(
        {
            "person_id": _strings(person_ids, order),
            "name": _strings(
                np.strings.add("Person ", np.strings.slice(person_ids, 1, None)), order
            ),
            # Empty unless ``graphvc synth --duplicates`` fills them (graphvc.synth.duplicates).
            **dict.fromkeys(("date_of_birth", "postcode", "pnc_id"), pd.Series([None] * n)),
            # The draws above are in the contract's order of the demographic columns.
            **{
                name: _strings(column("persons", name).allowed, codes[order])
                for name, codes in zip(DEMOGRAPHICS, (age, sex, ethnicity), strict=True)
            },
        }
    )


def locations_table(geography: Geography, incidents: dict[str, np.ndarray]) -> pd.DataFrame:
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
