"""The whole analysis, run as one: read the graph's tables, compute every measure, write back.

``graphvc analyse`` and the scheduled reports call :func:`analyse` on the tables that
:func:`read_graph_tables` returns (or on loader tables, without a database) and
:func:`write_scores` puts the person and place scores back on the nodes as ``score_*``
properties stamped with the run's time (``scored_at``), so Cypher users can query them.

Every person score is explained by its parts: the ``people`` table carries each network
measure, the RFG components and the priority's weighted parts side by side.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import neo4j
import numpy as np
import pandas as pd

from graphvc.analysis import centrality, communities, continuum, exposure, overlap, places, priority
from graphvc.analysis import repeat_victims as repeats
from graphvc.analysis.harm import harm_pagerank, incident_harm, rolling_window
from graphvc.analysis.projections import co_offending_graph
from graphvc.db import read_cypher, run_query, run_write
from graphvc.errors import AnalysisError
from graphvc.model import LOCAL_TIME_ZONE, quote_label

__all__ = [
    "AnalysisParameters",
    "AnalysisResult",
    "analyse",
    "default_as_of",
    "read_graph_tables",
    "write_scores",
]

#: Above this many people in the co-offending network, betweenness is sampled (see below).
EXACT_BETWEENNESS_LIMIT = 20_000


@dataclass(frozen=True)
class AnalysisParameters:
    """What an analysis run depends on; recorded with every report."""

    as_of: pd.Timestamp
    window_days: int = 730
    seed: int = 0
    resolution: float = 1.0
    betweenness_samples: int = 100
    priority_weights: Mapping[str, float] = field(
        default_factory=lambda: {"rfg": 1.0, "betweenness": 1.0, "harm_pagerank": 1.0}
    )
    overlap_cut: float = 3.5
    repeat_window_days: int = 365
    engine: str = "auto"

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "window_days": self.window_days,
            "seed": self.seed,
            "resolution": self.resolution,
            "betweenness_samples": self.betweenness_samples,
            "priority_weights": dict(self.priority_weights),
            "overlap_cut": self.overlap_cut,
            "repeat_window_days": self.repeat_window_days,
            "engine": self.engine,
        }


@dataclass
class AnalysisResult:
    """Every table an analysis run produces."""

    parameters: AnalysisParameters
    people: pd.DataFrame
    places: dict[str, pd.DataFrame]
    repeat_victims: pd.DataFrame
    domestic_repeats: pd.DataFrame
    exposure: pd.DataFrame
    overlap: pd.DataFrame
    escalation: pd.DataFrame
    summary: dict[str, Any]
    timings: dict[str, float]


def read_graph_tables(
    driver: neo4j.Driver,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    categories: list[str] | None = None,
    boroughs: list[str] | None = None,
    database: str = "neo4j",
) -> dict[str, pd.DataFrame]:
    """The graph as the input contract's tables, one read query each (``cypher/analysis/``).

    Incidents and involvements are filtered by the window ``[start, end)``, continuum
    categories and borough codes; persons, locations and associations are read whole. No
    person's name is read.
    """
    filters = {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "categories": categories,
        "boroughs": boroughs,
    }
    tables = {
        "incidents": run_query(
            driver, read_cypher("analysis/incidents"), filters, database=database
        ),
        "involvements": run_query(
            driver, read_cypher("analysis/involvements"), filters, database=database
        ),
        "locations": run_query(driver, read_cypher("analysis/locations"), database=database),
        "persons": run_query(driver, read_cypher("analysis/persons"), database=database),
        "associations": run_query(driver, read_cypher("analysis/associations"), database=database),
    }
    columns = {
        "incidents": ["incident_id", "occurred_at", "offence", "category", "weapon", "alcohol",
                      "domestic", "hate", "harm", "outcome", "location_id"],
        "involvements": ["person_id", "incident_id", "role"],
        "locations": ["location_id", "name", "lsoa_code", "ward_code", "ward_name", "borough_code",
                      "borough_name", "latitude", "longitude"],
        "persons": ["person_id", "age_band", "sex", "ethnicity"],
        "associations": ["person_a", "person_b", "type", "weight", "source"],
    }  # fmt: skip
    return {
        name: frame if len(frame) else pd.DataFrame(columns=columns[name])
        for name, frame in tables.items()
    }


def default_as_of(driver: neo4j.Driver, *, database: str = "neo4j") -> pd.Timestamp:
    """The day after the latest incident in the graph (midnight, London time).

    Raises :class:`AnalysisError` when the graph holds no incidents.
    """
    latest = run_query(driver, read_cypher("analysis/latest_incident"), database=database).at[
        0, "latest"
    ]
    if latest is None:
        raise AnalysisError("the graph holds no incidents: load some first (graphvc load DIR)")
    moment = pd.Timestamp(str(latest).split("[")[0]).tz_convert(LOCAL_TIME_ZONE).tz_localize(None)
    return moment.normalize() + pd.Timedelta(days=1)


def _timed(timings: dict[str, float], name: str, started: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - started, 3)
    return now


def analyse(tables: Mapping[str, pd.DataFrame], parameters: AnalysisParameters) -> AnalysisResult:
    """Run every measure on ``tables`` (contract tables) as of ``parameters.as_of``.

    The co-offending network is built from offenders and suspects of incidents in the window
    ``[as_of - window_days, as_of)``. Betweenness reads ``distance = 1 / shared incidents``;
    above ``EXACT_BETWEENNESS_LIMIT`` people it is estimated from ``betweenness_samples``
    source nodes drawn with ``seed`` (Brandes & Pich 2007), rescaled to the full graph, and
    Leiden stops after two passes.

    ``engine`` chooses the graph library behind the network measures: ``"auto"`` (igraph on
    large graphs), ``"igraph"``, or ``"networkx"`` (the pure-networkx reference, with Louvain
    in place of Leiden, which networkx lacks).

    Raises :class:`AnalysisError` when the window holds no incidents.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    involvements = tables["involvements"]
    locations = tables.get("locations")
    start, end = rolling_window(parameters.as_of, parameters.window_days)
    if tables["incidents"].empty:
        raise AnalysisError("the graph holds no incidents to analyse")
    # Dates parsed and harm filled once, not again by every measure below.
    incidents = incident_harm(tables["incidents"])
    G = co_offending_graph(incidents, involvements, start=start, end=end, locations=locations)
    if G.number_of_nodes() == 0:
        raise AnalysisError(
            f"no offender or suspect in the {parameters.window_days} days before {parameters.as_of.date()}"
        )
    clock = _timed(timings, "co_offending_graph", clock)

    exact = G.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT
    network = pd.DataFrame(
        {
            "degree": centrality.degree(G),
            "weighted_degree": centrality.degree(G, weight="incidents"),
            "betweenness": centrality.betweenness(
                G,
                weight="distance",
                k=None if exact else min(parameters.betweenness_samples, G.number_of_nodes()),
                seed=parameters.seed,
                engine=parameters.engine,
            ),
        }
    )
    clock = _timed(timings, "betweenness", clock)
    network["pagerank"] = centrality.pagerank(G, weight="incidents")
    network = network.join(harm_pagerank(G)[["harm_pagerank"]])
    network["eigenvector"] = centrality.eigenvector(G, weight="incidents", engine=parameters.engine)
    network["k_core"] = centrality.k_core(G, engine=parameters.engine)
    clock = _timed(timings, "centrality", clock)
    if parameters.engine == "networkx":  # the pure-networkx baseline has Louvain, not Leiden
        network["community"] = communities.louvain(
            G,
            resolution=parameters.resolution,
            seed=parameters.seed,
            weight="incidents",
            engine="networkx",
        )
    else:
        # Two passes on large graphs: ten times faster, modularity within 0.3% (bench_centrality).
        network["community"] = communities.leiden(
            G, resolution=parameters.resolution, seed=parameters.seed, weight="incidents",
            iterations=None if exact else 2,
        )  # fmt: skip
    clock = _timed(timings, "communities", clock)

    rfg = priority.rfg_scores(
        incidents, involvements, as_of=parameters.as_of, window_days=parameters.window_days
    )
    weights = dict(parameters.priority_weights)
    network_parts = network[[c for c in weights if c != "rfg" and c in network]]
    ranked = priority.offender_priority(rfg, network_parts, weights=weights)
    clock = _timed(timings, "priority", clock)

    escalation = continuum.escalation_profile(incidents, involvements, end=parameters.as_of)
    clock = _timed(timings, "continuum", clock)
    exposed = exposure.network_exposure(G, incidents, involvements, start=start, end=end)
    clock = _timed(timings, "exposure", clock)
    overlapping = overlap.victim_offender_overlap(
        incidents,
        involvements,
        as_of=parameters.as_of,
        window_days=parameters.window_days,
        cut=parameters.overlap_cut,
    )
    victims = repeats.repeat_victims(
        incidents, involvements, as_of=parameters.as_of, window_days=parameters.repeat_window_days
    )
    domestic = repeats.domestic_repeats(incidents, involvements, end=parameters.as_of)
    clock = _timed(timings, "victims", clock)
    place_tables = {
        level: places.place_harm(incidents, locations, level=level, start=start, end=end)
        for level in ("location", "ward", "borough")
    }
    clock = _timed(timings, "places", clock)

    people = ranked.join(
        network.drop(columns=[c for c in network_parts.columns if c in ranked]), how="outer"
    )
    people = people.join(
        escalation[["escalated_to_knife_or_gun", "diversity_index", "harm_slope"]], how="left"
    )
    people = people.join(
        exposed[["distance", "victims_1", "share_1", "victims_2", "share_2"]].add_prefix(
            "exposure_"
        ),
        how="left",
    )
    people = people.join(
        overlapping[["overlap_class", "ratio"]].rename(columns={"ratio": "overlap_ratio"}),
        how="left",
    )
    people.index.name = "person_id"
    people = people.sort_values(["rank", "priority"], ascending=[True, False], na_position="last")
    summary = {
        "incidents": len(incidents),
        "incidents_in_window": len(incident_harm(incidents, start=start, end=end)),
        "people_in_network": G.number_of_nodes(),
        "co_offending_links": G.number_of_edges(),
        "betweenness": "exact"
        if exact
        else f"sampled from {parameters.betweenness_samples} sources",
        "communities": int(network["community"].nunique()),
        "repeat_victims": len(victims),
        "domestic_repeat_pairs": len(domestic),
        "escalated_to_knife_or_gun": int(escalation["escalated_to_knife_or_gun"].sum())
        if len(escalation)
        else 0,
        "window": {"start": start.isoformat(), "end": end.isoformat()},
    }
    _timed(timings, "assemble", clock)
    return AnalysisResult(
        parameters=parameters,
        people=people,
        places=place_tables,
        repeat_victims=victims,
        domestic_repeats=domestic,
        exposure=exposed,
        overlap=overlapping,
        escalation=escalation,
        summary=summary,
        timings=timings,
    )


#: The person scores written back, as (table column, node property).
PERSON_SCORES = {
    "rank": "score_priority_rank",
    "priority": "score_priority",
    "rfg": "score_rfg",
    "degree": "score_degree",
    "weighted_degree": "score_weighted_degree",
    "betweenness": "score_betweenness",
    "pagerank": "score_pagerank",
    "harm_pagerank": "score_harm_pagerank",
    "eigenvector": "score_eigenvector",
    "k_core": "score_k_core",
    "community": "score_community",
    "escalated_to_knife_or_gun": "score_escalated",
    "exposure_distance": "score_exposure_distance",
    "exposure_victims_1": "score_exposure_victims_1",
    "overlap_class": "score_overlap_class",
}
PLACE_SCORES = {"incidents": "score_incidents", "harm": "score_harm", "rank": "score_harm_rank"}
_PLACES = {"location": ("Location", "id"), "ward": ("Ward", "code"), "borough": ("Borough", "code")}


def _plain(value: Any) -> Any:
    """A value Neo4j can store: numpy scalars to Python, NaN and infinity to None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is pd.NA or value is None:
        return None
    return value if isinstance(value, (bool, int, float, str)) else str(value)


def _score_rows(table: pd.DataFrame, names: Mapping[str, str]) -> list[dict[str, Any]]:
    present = {column: prop for column, prop in names.items() if column in table}
    rows = []
    for key, values in zip(table.index, table[list(present)].itertuples(index=False), strict=True):
        scores = {prop: _plain(v) for prop, v in zip(present.values(), values, strict=True)}
        rows.append({"id": str(key), "scores": {k: v for k, v in scores.items() if v is not None}})
    return rows


def write_scores(
    driver: neo4j.Driver,
    result: AnalysisResult,
    *,
    run_at: datetime,
    database: str = "neo4j",
    batch_size: int = 5000,
) -> dict[str, int]:
    """Write the person and place scores onto their nodes; clear scores of earlier runs.

    Returns how many nodes of each label were scored.
    """
    stamp = run_at.isoformat()
    written: dict[str, int] = {}
    person_rows = _score_rows(result.people, PERSON_SCORES)
    run_write(driver, read_cypher("analysis/write_person_scores"), person_rows,
              parameters={"run_at": stamp}, database=database, batch_size=batch_size)  # fmt: skip
    written["Person"] = len(person_rows)
    _clear(driver, "Person", PERSON_SCORES.values(), stamp, database)
    template = read_cypher("analysis/write_place_scores")
    for level, (label, key) in _PLACES.items():
        table = result.places[level]
        rows = _score_rows(table, PLACE_SCORES)
        query = template.replace("PLACE_LABEL", quote_label(label)).replace(
            "{KEY:", "{" + key + ":"
        )
        run_write(
            driver,
            query,
            rows,
            parameters={"run_at": stamp},
            database=database,
            batch_size=batch_size,
        )
        _clear(driver, label, PLACE_SCORES.values(), stamp, database)
        written[label] = len(rows)
    return written


def _clear(driver: neo4j.Driver, label: str, keys: Any, stamp: str, database: str) -> None:
    names = list(keys)
    if not all(re.fullmatch(r"score_[a-z0-9_]+", name) for name in names):
        raise AnalysisError(f"score names must be plain identifiers: {names!r}")
    query = (
        read_cypher("analysis/clear_scores")
        .replace("NODE_LABEL", quote_label(label))
        .replace("SCORE_KEYS", ", ".join(f"n.{name}" for name in names))
    )
    run_query(driver, query, {"run_at": stamp}, database=database, write=True)
