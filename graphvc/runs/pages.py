"""The tables a run keeps for the app's pages, computed from the run's result
(:func:`page_tables`); :mod:`graphvc.stored_runs` stores them as they are.
"""

from __future__ import annotations

import pandas as pd

from graphvc.analysis.events import harm_once, incident_harm, is_in
from graphvc.analysis.neighbourhoods import high_impact_wards
from graphvc.analysis.places import repeat_locations
from graphvc.analysis.proportionality import ATTRIBUTE_VALUES
from graphvc.analysis.repeat_victims import latest_risk_assessments
from graphvc.overview import incident_months
from graphvc.runs.stages import AnalysisResult
from graphvc.stored_runs import RUN_TABLES
from graphvc.targets import evaluate_graph_targets, incident_counts

__all__ = ["page_tables"]

#: Each level of place and the column naming its places.
_PLACE_KEYS = {"location": "location_id", "ward": "ward_code", "borough": "borough_code"}


def page_tables(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    """The tables a run stores for the pages (:data:`graphvc.stored_runs.RUN_TABLES`), in
    the order the pages show them.

    Beside the result's own tables: each place level with the centre of its locations,
    repeat victims with their latest risk assessment, the repeat locations and high-impact
    wards, the persons scored (their attributes, for proportionality), the graph's count
    table (for targets on the graph) with the default targets evaluated on it (the
    Performance page's first view), its incidents and harm by month, category and borough
    (for the overview), and the network window's incidents with the locations (for the
    near-repeat test a page runs on request).
    """
    with harm_once():  # the incidents' harm filled once for every table, not once each
        return _page_tables(result)


def _with_centres(places: pd.DataFrame, locations: pd.DataFrame, key: str) -> pd.DataFrame:
    centres = locations.dropna(subset=[key]).groupby(key)[["latitude", "longitude"]].mean()
    return places.join(centres, on=key if key in places else None)


def _page_tables(result: AnalysisResult) -> dict[str, pd.DataFrame]:
    tables, parameters = result.tables, result.parameters
    as_of = parameters.moment
    incidents, locations = tables["incidents"], tables["locations"]
    persons = tables["persons"]
    window = parameters.windows()["network"]
    counted = incident_counts(incidents, locations)
    evaluation, charts = evaluate_graph_targets(counted, as_of)
    attributes = [c for c in ATTRIBUTE_VALUES if c in persons]
    located = [
        c
        for c in ("location_id", "latitude", "longitude", "ward_code", "borough_code")
        if c in locations
    ]
    pages = {
        "people": result.people,
        "persons": persons[is_in(persons["person_id"], result.people.index)][
            ["person_id", *attributes]
        ].reset_index(drop=True),
        **{
            f"places_{level}": _with_centres(result.places[level], locations, key)
            for level, key in _PLACE_KEYS.items()
        },
        "repeat_locations": repeat_locations(
            incidents, locations, as_of=as_of, window_days=parameters.repeat_window_days
        ),
        "high_impact_wards": high_impact_wards(incidents, locations, as_of=as_of),
        "repeat_victims": result.repeat_victims.join(
            latest_risk_assessments(tables["risk_assessments"], as_of=as_of), how="left"
        ),
        "domestic_repeats": result.domestic_repeats,
        "exposure": result.exposure,
        "overlap": result.overlap,
        "escalation": result.escalation,
        "graph_counts": counted,
        "targets": evaluation,
        "target_charts": charts,
        "incident_months": incident_months(incidents, locations),
        "window_incidents": incident_harm(incidents, start=window["start"], end=window["end"])[
            ["incident_id", "occurred_at", "offence", "category", "harm", "location_id"]
        ].reset_index(drop=True),
        "locations": locations[located].reset_index(drop=True),
    }
    return {name: pages[name] for name in RUN_TABLES}
