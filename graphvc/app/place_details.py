"""One place's details on the Places page, opened by ``/places?place=<id>``: a location, a
ward or a borough of a stored run (its ``location_id``, ``ward_code`` or ``borough_code``),
its harm and rank among its kind, its incidents of the network window, and a map of it."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import NamedTuple

import pandas as pd
import streamlit as st

from graphvc.app import data
from graphvc.app.access import guarded
from graphvc.app.filters import list_filters
from graphvc.app.maps import place_legend, place_map, show_map
from graphvc.app.timeline import time_wheel
from graphvc.app.ways_in import selectable
from graphvc.geography import MapGeography
from graphvc.stored_runs import StoredRun

__all__ = ["Place", "find_place", "place_details"]

#: Each level of place: its key column in a run's ``locations`` and its ``places_<level>``
#: table, and its name column there.
KEYS = {
    "location": ("location_id", "name"),
    "ward": ("ward_code", "ward_name"),
    "borough": ("borough_code", "borough_name"),
}
#: The incident columns a place's details show, in order (those the run has).
INCIDENT_COLUMNS = ("incident_id", "occurred_at", "offence", "category", "harm", "location_id")


class Place(NamedTuple):
    """A place of a run: its level, code, name, and the ``locations`` rows inside it."""

    level: str
    code: str
    name: str
    locations: pd.DataFrame


def find_place(
    locations: pd.DataFrame, place_id: str, names: Mapping[str, str] | None = None
) -> Place | None:
    """The place ``place_id`` names among a run's ``locations`` (a location id, else a ward
    code, else a borough code), named from ``names`` (id or code -> name; the id itself
    when it has none), or None.

    Examples
    --------
    >>> locations = pd.DataFrame({
    ...     "location_id": ["L1", "L2"], "ward_code": ["W1", "W2"], "borough_code": ["B1", "B2"],
    ... })
    >>> found = find_place(locations, "W2", {"W2": "Camden Town"})
    >>> found.level, found.name, found.locations["location_id"].tolist()
    ('ward', 'Camden Town', ['L2'])
    >>> find_place(locations, "L1").name, find_place(locations, "X9") is None
    ('L1', True)
    """
    for level, (key, _) in KEYS.items():
        if key not in locations.columns:
            continue
        inside = locations[locations[key].astype("string") == place_id]
        if len(inside):
            return Place(level, place_id, (names or {}).get(place_id, place_id), inside)
    return None


def _where(place: Place, names: Mapping[str, str]) -> str:
    """Where a place lies: ``"a location in Aldersgate ward, City of London"``."""
    first = place.locations.iloc[0]

    def name(key: str) -> str | None:
        code = first.get(key)
        return None if code is None or pd.isna(code) else names.get(str(code), str(code))

    if place.level == "location":
        ward, borough = name("ward_code"), name("borough_code")
        inside = ", ".join(p for p in (ward and f"{ward} ward", borough) if p)
        return f"a location in {inside}" if inside else "a location"
    if place.level == "ward":
        borough = name("borough_code")
        return f"a ward of {borough}" if borough else "a ward"
    return f"a borough of {len(place.locations):,} locations"


def _names(run: StoredRun) -> dict[str, str]:
    """Every place's name the run and the graph know: id or code -> name."""
    names = dict(guarded(data.boroughs))
    for level in ("location", "ward"):
        key, name = KEYS[level]
        ranked = guarded(partial(data.run_table, run.id, f"places_{level}")).reset_index()
        if name in ranked.columns:
            named = ranked.dropna(subset=[name])
            names.update(zip(named[key].astype(str), named[name].astype(str), strict=True))
    return names


def place_details(run: StoredRun, place_id: str, city: MapGeography) -> None:
    """The details of place ``place_id`` in stored run ``run`` (or why there are none)."""
    locations = guarded(lambda: data.run_table(run.id, "locations")).reset_index()
    names = _names(run)
    place = find_place(locations, place_id, names)
    if place is None:
        st.warning(
            f"No location, ward or borough {place_id!r} in run {run.id}: "
            "the place's id is a location id, a ward code or a borough code.",
            icon=":material/location_off:",
        )
        return
    st.header(f"{place.name}")
    st.caption(f"{place.code}: {_where(place, names)}.")
    ranked = guarded(lambda: data.run_table(run.id, f"places_{place.level}")).reset_index()
    key = KEYS[place.level][0]
    row = ranked[ranked[key].astype("string") == place.code]
    harm, incidents, rank = st.columns(3)
    if row.empty:
        st.info("No incident of the network window happened here.")
    else:
        found = row.iloc[0]
        incidents.metric("Incidents in the window", f"{int(found['incidents']):,}")
        harm.metric("Crime harm (days)", f"{float(found['harm']):,.0f}")
        rank.metric(f"Rank among {len(ranked):,} {place.level}s", f"{int(found['rank']):,}")
    at_place = set(place.locations["location_id"])
    window = guarded(lambda: data.run_table(run.id, "window_incidents")).reset_index()
    here = window[window["location_id"].isin(at_place)]
    shown = [c for c in INCIDENT_COLUMNS if c in here.columns]
    here = here.sort_values("occurred_at", ascending=False) if "occurred_at" in here else here
    st.subheader("Its incidents in the window")
    kept = list_filters(here[shown], key="place_incidents", columns=("category", "date"))
    selectable(kept, key="place_incident_rows", kind="explorer", id_column="incident_id")
    st.markdown("**When its incidents happen** (hour of the day, day of the week)")
    time_wheel(kept, key=f"place_wheel_{place_id}")
    by_location = guarded(lambda: data.run_table(run.id, "places_location")).reset_index()
    mapped = by_location[by_location["location_id"].isin(at_place)]
    if len(mapped.dropna(subset=["latitude", "longitude"])):
        show_map(
            place_map(
                mapped,
                value="harm",
                label="name",
                radius=120,
                columns=False,
                outlines=city.outlines,
                tooltip="{location_id} {name}\n{incidents} incidents\n{harm} days of harm",
            ),
            place_legend(mapped, value="harm", title="Crime harm (days)", columns=False),
            height=420,
        )
    st.divider()
