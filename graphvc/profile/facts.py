"""What a person's profile shows, gathered once: the person's row of a stored run and what the
graph records about them (their incidents, the others in those incidents, their intelligence
links, their risk assessments), through the ``cypher/app/person_*`` files.

Nothing here is computed afresh that a run stored: the rank, the priority and its parts, the
offending (frequency, recency, gravity), the network measures and the exposure are the run's
own numbers; the graph gives only counts (incidents by category, weapon, place, victimisation)
and the tables beneath the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
import numpy as np
import pandas as pd

from graphvc.analysis.events import incident_harm, rolling_window
from graphvc.analysis.projections import CO_OFFENDING
from graphvc.contract import LOCAL_TIME_ZONE, PERPETRATOR_ROLES
from graphvc.db import read_cypher, run_query
from graphvc.errors import InputError
from graphvc.stored_runs import StoredRun, read_run_table

__all__ = ["PROFILE_RUN_COLUMNS", "Profile", "person_profile"]

#: The columns of a stored run's ``people`` table a profile reads for everyone scored (the
#: person's own row is read whole): the rank and the measures its words compare.
PROFILE_RUN_COLUMNS = ("rank", "priority", "betweenness", "community")
_PEOPLE_INDEX = "person_id"


@dataclass(frozen=True)
class Profile:
    """One person as the newest (or a chosen) stored run and the graph describe them.

    ``scores`` is the person's row of the run's ``people`` table (``None`` when the run did
    not score them); ``everyone`` the :data:`PROFILE_RUN_COLUMNS` of everyone the run scored,
    for comparisons (how many have a lower betweenness). ``incidents`` is the timeline, one
    row per incident and role, with harm and category filled as every measure fills them and
    ``in_window`` (inside the run's network window); ``others`` the other people of those
    incidents; ``associations`` the intelligence links; ``contacts`` the people tied to them
    in the run's network (co-offenders in the window and the links of the run's tie layers)
    with their community; ``places`` their incidents by location.
    """

    person_id: str
    person: dict[str, Any]
    run: StoredRun | None
    scores: dict[str, Any] | None
    everyone: pd.DataFrame
    incidents: pd.DataFrame
    others: pd.DataFrame
    associations: pd.DataFrame
    risk_assessments: pd.DataFrame
    contacts: pd.DataFrame = field(default_factory=pd.DataFrame)
    places: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def scored(self) -> int:
        """How many people the run scored (ranked)."""
        return 0 if self.run is None else self.run.ranked

    @property
    def offending(self) -> pd.DataFrame:
        """The incidents the person offended in (as offender or suspect, counted once) inside
        the run's network window: what the run's frequency counts."""
        mine = self.incidents[self.incidents["role"].isin(list(PERPETRATOR_ROLES))]
        return mine[mine["in_window"]].drop_duplicates("incident_id")

    @property
    def victimisations(self) -> pd.DataFrame:
        """The incidents in which the person was a victim, all history."""
        return self.incidents[self.incidents["role"] == "victim"].drop_duplicates("incident_id")


def _local(milliseconds: pd.Series) -> pd.Series:
    """Epoch milliseconds as London wall-clock datetimes, as :mod:`graphvc.graph_tables`
    reads every instant."""
    instants = pd.to_datetime(milliseconds, unit="ms", utc=True)
    return instants.dt.tz_convert(LOCAL_TIME_ZONE).dt.tz_localize(None)


def _query(driver: neo4j.Driver, name: str, person_id: str, database: str) -> pd.DataFrame:
    return run_query(
        driver, read_cypher(f"app/{name}"), {"person_id": person_id}, database=database
    )


def _timeline(found: pd.DataFrame, run: StoredRun | None) -> pd.DataFrame:
    """The person's incidents with harm and category filled, oldest first, and ``in_window``."""
    columns = [
        "incident_id",
        "occurred_at",
        "offence",
        "category",
        "weapon",
        "domestic",
        "harm",
        "outcome",
        "role",
        "location_id",
        "location_name",
        "ward_code",
        "ward_name",
        "borough_code",
        "borough_name",
    ]
    if found.empty:
        empty = pd.DataFrame(columns=[*columns, "in_window"])
        return empty.astype({"occurred_at": "datetime64[ns]", "harm": float, "in_window": bool})
    found = found.assign(occurred_at=_local(found["occurred_at"]))
    roles = found[["incident_id", "role"]]
    places = found.drop(columns="role").drop_duplicates("incident_id")
    filled = incident_harm(places.drop(columns=["role"], errors="ignore"))
    timeline = roles.merge(filled, on="incident_id", how="inner")[columns]
    if run is None:
        timeline["in_window"] = False
    else:
        start, end = rolling_window(run.as_of, run.window_days)
        timeline["in_window"] = (timeline["occurred_at"] >= start) & (timeline["occurred_at"] < end)
    return timeline.sort_values(["occurred_at", "incident_id", "role"], kind="stable").reset_index(
        drop=True
    )


def _contacts(
    others: pd.DataFrame,
    associations: pd.DataFrame,
    incidents: pd.DataFrame,
    run: StoredRun | None,
    everyone: pd.DataFrame,
) -> pd.DataFrame:
    """The people tied to the person in the run's network, with the layers that tie them and
    their community in the run (missing for someone the run did not score)."""
    if run is None:
        return pd.DataFrame(columns=["person_id", "layers", "community"])
    ties = []
    if CO_OFFENDING in run.ties and len(others):
        in_window = set(incidents.loc[incidents["in_window"], "incident_id"])
        shared = others[
            others["role"].isin(list(PERPETRATOR_ROLES))
            & others["other_role"].isin(list(PERPETRATOR_ROLES))
            & others["incident_id"].isin(in_window)
        ]
        ties.append(pd.DataFrame({"person_id": shared["other_id"], "layer": CO_OFFENDING}))
    if len(associations):
        linked = associations[associations["type"].fillna("associate").isin(list(run.ties))]
        ties.append(
            pd.DataFrame(
                {"person_id": linked["other_id"], "layer": linked["type"].fillna("associate")}
            )
        )
    if not ties:
        return pd.DataFrame(columns=["person_id", "layers", "community"])
    tied = pd.concat(ties, ignore_index=True).drop_duplicates()
    contacts = (
        tied.groupby("person_id", sort=True)["layer"]
        .agg(lambda layers: ", ".join(sorted(set(layers))))
        .rename("layers")
        .reset_index()
    )
    community = everyone["community"] if "community" in everyone else pd.Series(dtype=float)
    contacts["community"] = contacts["person_id"].map(community)
    return contacts


def _places(timeline: pd.DataFrame) -> pd.DataFrame:
    """The person's incidents by place, most first: every role, and those they offended in."""
    located = timeline.dropna(subset=["location_id"]).drop_duplicates(["incident_id"])
    if located.empty:
        return pd.DataFrame(
            columns=["location_id", "location_name", "ward_name", "borough_name", "incidents"]
        )
    keys = ["location_id", "location_name", "ward_name", "borough_name"]
    counted = (
        located.groupby(keys, sort=False, dropna=False)
        .agg(incidents=("incident_id", "size"), harm=("harm", "sum"), last=("occurred_at", "max"))
        .reset_index()
    )
    return counted.sort_values(["incidents", "harm"], ascending=False, kind="stable").reset_index(
        drop=True
    )


def _run_rows(
    runs_dir: Path, run: StoredRun, person_id: str
) -> tuple[dict[str, Any] | None, pd.DataFrame]:
    """The person's row of the run's people (whole) and everyone's compared columns."""
    people = read_run_table(runs_dir, run, "people")
    if people.index.name != _PEOPLE_INDEX and _PEOPLE_INDEX in people:
        people = people.set_index(_PEOPLE_INDEX)
    people.index = people.index.astype(str)
    scored = people[people["priority"].notna()] if "priority" in people else people.iloc[0:0]
    everyone = scored[[c for c in PROFILE_RUN_COLUMNS if c in scored]]
    if person_id not in scored.index:
        return None, everyone
    row = scored.loc[person_id]
    values = {
        str(key): (None if isinstance(value, float) and not np.isfinite(value) else value)
        for key, value in row.items()
    }
    return values, everyone


def person_profile(
    driver: neo4j.Driver,
    person_id: str,
    *,
    run: StoredRun | None,
    runs_dir: Path,
    database: str = "neo4j",
) -> Profile:
    """The profile of ``person_id``: their row of stored ``run`` (the newest, as a page
    shows it; ``None`` for the graph alone) read from ``runs_dir``, and what the graph
    records about them.

    Raises :class:`InputError` when no person has this id, and
    :class:`graphvc.errors.RunError` when the run's tables cannot be read.
    """
    found = _query(driver, "person_node", person_id, database)
    if found.empty:
        raise InputError(f"no person has the id {person_id!r} in the graph")
    person = {
        str(key): (None if value is None or value != value else value)
        for key, value in found.iloc[0].to_dict().items()
    }
    scores, everyone = (None, pd.DataFrame(columns=list(PROFILE_RUN_COLUMNS)))
    if run is not None:
        scores, everyone = _run_rows(runs_dir, run, person_id)
    incidents = _timeline(_query(driver, "person_incidents", person_id, database), run)
    others = _query(driver, "person_others", person_id, database)
    if len(others):
        others = others.assign(occurred_at=_local(others["occurred_at"]))
    associations = _query(driver, "person_associations", person_id, database)
    risk = _query(driver, "person_risk_assessments", person_id, database)
    if len(risk):
        risk = risk.assign(assessed_at=_local(risk["assessed_at"]))
    return Profile(
        person_id=person_id,
        person=person,
        run=run,
        scores=scores,
        everyone=everyone,
        incidents=incidents,
        others=others,
        associations=associations,
        risk_assessments=risk,
        contacts=_contacts(others, associations, incidents, run, everyone),
        places=_places(incidents),
    )
