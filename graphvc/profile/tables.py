"""A profile's tables, laid out for the page and the command line, its JSON record, and its
pseudonymised copy (every person id a keyed hash, as a pseudonymised report names people)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from graphvc.contract import PERPETRATOR_ROLES
from graphvc.profile.facts import Profile
from graphvc.reports.pseudonyms import pseudonymise_ids

__all__ = ["TABLE_TITLES", "profile_record", "profile_tables", "pseudonymised"]

#: The tables of a profile, in the order they are shown, and their titles.
TABLE_TITLES = {
    "incidents": "Incidents (timeline)",
    "co_offenders": "Co-offenders",
    "links": "Intelligence links",
    "victims": "Victims of their offending",
    "victimisations": "Victimisations",
    "risk_assessments": "Risk assessments",
    "places": "Places",
    "contacts": "Ties in the run's network",
    "list_history": "List history (the reports that listed them)",
    "lookups": "Who has looked them up",
}
_PERPETRATORS = list(PERPETRATOR_ROLES)


def _place(timeline: pd.DataFrame) -> pd.Series:
    """Each incident's place in words: the location, then the ward and borough."""
    parts = timeline[["location_name", "ward_name", "borough_name"]].astype("string")
    return parts.apply(lambda row: ", ".join(v for v in row if pd.notna(v)) or None, axis=1)


def _shared(others: pd.DataFrame, mine: list[str], theirs: list[str]) -> pd.DataFrame:
    """The others in the person's incidents where the person had one of ``mine`` and they one
    of ``theirs``: how many incidents, the first and the last."""
    if others.empty or "role" not in others:
        return pd.DataFrame(columns=["person_id", "incidents", "first", "last"])
    chosen = others[others["role"].isin(mine) & others["other_role"].isin(theirs)]
    chosen = chosen.drop_duplicates(["incident_id", "other_id"])
    if chosen.empty:
        return pd.DataFrame(columns=["person_id", "incidents", "first", "last"])
    return (
        chosen.groupby("other_id", sort=True)
        .agg(
            incidents=("incident_id", "size"),
            first=("occurred_at", "min"),
            last=("occurred_at", "max"),
        )
        .rename_axis("person_id")
        .reset_index()
        .sort_values(["incidents", "last"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def _victimisations(profile: Profile) -> pd.DataFrame:
    victimised, others = profile.victimisations, profile.others
    named = pd.Series(dtype="string")
    if len(others):
        offenders = others[(others["role"] == "victim") & others["other_role"].isin(_PERPETRATORS)]
        if len(offenders):
            named = offenders.groupby("incident_id")["other_id"].agg(
                lambda ids: ", ".join(sorted(set(ids)))
            )
    return (
        pd.DataFrame(
            {
                "occurred_at": victimised["occurred_at"],
                "incident_id": victimised["incident_id"],
                "category": victimised["category"],
                "place": _place(victimised) if len(victimised) else pd.Series(dtype="string"),
                "harm": victimised["harm"],
                "offenders": victimised["incident_id"].map(named),
            }
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )


def profile_tables(profile: Profile) -> dict[str, pd.DataFrame]:
    """The tables beneath a profile's words (:data:`TABLE_TITLES`), newest incident first."""
    timeline = profile.incidents
    incidents = pd.DataFrame(
        {
            "occurred_at": timeline["occurred_at"],
            "incident_id": timeline["incident_id"],
            "offence": timeline["offence"],
            "category": timeline["category"],
            "role": timeline["role"],
            "place": _place(timeline) if len(timeline) else pd.Series(dtype="string"),
            "harm": timeline["harm"],
            "weapon": timeline["weapon"],
            "in_window": timeline["in_window"],
        }
    ).iloc[::-1]
    others = profile.others
    links = profile.associations.rename(columns={"other_id": "person_id", "weight": "strength"})
    return {
        "incidents": incidents.reset_index(drop=True),
        "co_offenders": _shared(others, _PERPETRATORS, _PERPETRATORS),
        "links": links.reindex(columns=["person_id", "type", "strength", "source"]),
        "victims": _shared(others, _PERPETRATORS, ["victim"]),
        "victimisations": _victimisations(profile),
        "risk_assessments": profile.risk_assessments.reindex(
            columns=["assessed_at", "tool", "level", "incident_id"]
        ),
        "places": profile.places,
        "contacts": profile.contacts.reindex(columns=["person_id", "layers", "community"]),
    }


def _plain(value: Any) -> Any:
    """A value strict JSON can hold: NaN and missing as None, times as ISO 8601, numpy
    scalars as Python's."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): _plain(v) for k, v in row.items()}
        for row in frame.astype(object).to_dict("records")
    ]


def profile_record(
    profile: Profile,
    words: list[str],
    *,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, Any]:
    """The profile as one JSON object (``json.dumps(..., allow_nan=False)`` accepts it:
    missing values are ``null``): the person, the run, the words, the run's scores of the
    person and every table (and the ``extra`` ones: list history, lookups)."""
    run = profile.run
    tables = {**profile_tables(profile), **dict(extra or {})}
    return {
        "person_id": profile.person_id,
        "person": {k: _plain(v) for k, v in profile.person.items() if k != "person_id"},
        "run": None
        if run is None
        else {
            "id": run.id,
            "as_of": run.as_of.date().isoformat(),
            "window_days": run.window_days,
            "scored": run.ranked,
        },
        "words": list(words),
        "scores": None
        if profile.scores is None
        else {k: _plain(v) for k, v in profile.scores.items()},
        "tables": {name: _records(frame) for name, frame in tables.items()},
    }


def pseudonymised(profile: Profile, key: str) -> Profile:
    """``profile`` with every person id it holds replaced by its keyed pseudonym
    (:func:`graphvc.reports.pseudonyms.pseudonym`); the words name no one, so they are the
    same."""

    def ids(values: pd.Series) -> pd.Series:
        return pseudonymise_ids(values, key) if len(values) else values

    others = profile.others
    if len(others):
        others = others.assign(other_id=ids(others["other_id"]))
    associations = profile.associations
    if len(associations):
        associations = associations.assign(other_id=ids(associations["other_id"]))
    contacts = profile.contacts
    if len(contacts):
        contacts = contacts.assign(person_id=ids(contacts["person_id"]))
    everyone = profile.everyone.copy()
    everyone.index = pd.Index(ids(pd.Series(everyone.index, dtype="string")))
    shown = str(pseudonymise_ids(pd.Series([profile.person_id]), key).iloc[0])
    return dataclasses.replace(
        profile,
        person_id=shown,
        person={**profile.person, "person_id": shown},
        others=others,
        associations=associations,
        contacts=contacts,
        everyone=everyone,
    )
