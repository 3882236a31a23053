"""An analysis run: the one place where the graph's tables become every score graphvc shows.

The CLI (``graphvc analyse``), the app and the reports all obtain their analysis through
:func:`run_analysis` (which reads the graph, :mod:`graphvc.graph_tables`) or :func:`analyse`
(on tables already in hand), so a person's priority is one number everywhere for the same
parameters. :class:`AnalysisParameters` holds the only defaults. :mod:`graphvc.scores` writes
a run back onto the nodes; :mod:`graphvc.reports` reports it.

Windows, one per family of measures (:meth:`AnalysisParameters.windows`), all ending at
``as_of`` (excluded):

``network``
    the co-offending network and everything measured on it (centrality, communities,
    exposure), the offending scores (RFG, priority), the victim–offender overlap and the
    harm of places: the last ``window_days`` (730 by default, two years, as integrated
    offender management cohorts look back).
``victims``
    repeat victims and repeat locations: the last ``repeat_window_days`` (365, the year of
    Farrell & Pease's repeat victimisation).
``careers``
    the continuum of violence (escalation) and domestic-abuse repeats between the same two
    people: all history before ``as_of``, because a career or a pattern of abuse is read
    from its beginning.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import neo4j
import networkx as nx
import pandas as pd

from graphvc.analysis import centrality, communities, continuum, exposure, overlap, places, priority
from graphvc.analysis import repeat_victims as repeats
from graphvc.analysis.events import incident_harm, person_incidents, rolling_window
from graphvc.analysis.harm import harm_pagerank
from graphvc.analysis.projections import co_offending_graph
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError, ConfigError
from graphvc.graph_tables import default_as_of, read_graph_tables

__all__ = [
    "DEFAULT_REPEAT_WINDOW_DAYS",
    "DEFAULT_WINDOW_DAYS",
    "EXACT_BETWEENNESS_LIMIT",
    "AnalysisParameters",
    "AnalysisResult",
    "analyse",
    "parse_as_of",
    "run_analysis",
]

#: The look-back of the network and offending scores (two years).
DEFAULT_WINDOW_DAYS = 730
#: The look-back of repeat victimisation (one year).
DEFAULT_REPEAT_WINDOW_DAYS = 365
#: Above this many people in the co-offending network, betweenness is sampled.
EXACT_BETWEENNESS_LIMIT = 20_000


def parse_as_of(value: str | date | pd.Timestamp | None) -> pd.Timestamp | None:
    """An ``--as-of`` value as a plain date (midnight, London time), or None.

    Raises :class:`ConfigError` with a one-line reason for anything but a plain date: a run
    covers whole days.

    Examples
    --------
    >>> parse_as_of("2025-01-03")
    Timestamp('2025-01-03 00:00:00')
    >>> parse_as_of("2025-01-03T12:00")
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: --as-of '2025-01-03T12:00' must be a plain date such as 2025-01-03: a run covers whole days
    """
    if value is None:
        return None
    try:
        moment = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ConfigError(f"--as-of {value!r} is not a date such as 2025-01-03") from None
    if pd.isna(moment):
        raise ConfigError(f"--as-of {value!r} is not a date such as 2025-01-03")
    if moment.tz is not None or moment != moment.normalize():
        raise ConfigError(
            f"--as-of {value!r} must be a plain date such as 2025-01-03: a run covers whole days"
        )
    return moment


@dataclass(frozen=True)
class AnalysisParameters:
    """What an analysis run depends on; recorded with every run and report.

    ``as_of`` None means the default: the day after the latest incident in the graph
    (:func:`graphvc.graph_tables.default_as_of`), resolved by :func:`run_analysis`.
    """

    as_of: pd.Timestamp | None = None
    window_days: int = DEFAULT_WINDOW_DAYS
    repeat_window_days: int = DEFAULT_REPEAT_WINDOW_DAYS
    seed: int = 0
    resolution: float = 1.0
    betweenness_samples: int = 100
    priority_weights: Mapping[str, float] = field(
        default_factory=lambda: {"rfg": 1.0, "betweenness": 1.0, "harm_pagerank": 1.0}
    )
    overlap_cut: float = 3.5
    engine: str = "auto"

    def __post_init__(self) -> None:
        for name in ("window_days", "repeat_window_days"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 1):
                raise ConfigError(f"{name}={value!r} must be a whole number of days, at least 1")

    @property
    def moment(self) -> pd.Timestamp:
        """``as_of``, which must have been resolved."""
        if self.as_of is None:
            raise AnalysisError("the run's as-of date is not set")
        return self.as_of

    def windows(self) -> dict[str, dict[str, str | None]]:
        """Each family of measures' window, ``[start, end)`` as ISO dates (start None: all
        history). See the module's docstring."""
        end = self.moment
        network, _ = rolling_window(end, self.window_days)
        victims, _ = rolling_window(end, self.repeat_window_days)
        return {
            "network": {"start": network.isoformat(), "end": end.isoformat()},
            "victims": {"start": victims.isoformat(), "end": end.isoformat()},
            "careers": {"start": None, "end": end.isoformat()},
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.moment.isoformat(),
            "window_days": self.window_days,
            "repeat_window_days": self.repeat_window_days,
            "seed": self.seed,
            "resolution": self.resolution,
            "betweenness_samples": self.betweenness_samples,
            "priority_weights": dict(self.priority_weights),
            "overlap_cut": self.overlap_cut,
            "engine": self.engine,
            "windows": self.windows(),
        }


@dataclass
class AnalysisResult:
    """Everything a run produces, and what it was computed from.

    ``graph`` is the co-offending network of the network window and ``events`` its
    perpetrators' incidents (one row per person and incident, from
    :func:`graphvc.analysis.events.person_incidents`); ``tables`` are the contract tables
    the run read. ``people`` carries every person score with its parts, indexed by
    ``person_id`` and sorted by priority rank.
    """

    parameters: AnalysisParameters
    tables: dict[str, pd.DataFrame]
    graph: nx.Graph
    events: pd.DataFrame
    people: pd.DataFrame
    places: dict[str, pd.DataFrame]
    repeat_victims: pd.DataFrame
    domestic_repeats: pd.DataFrame
    exposure: pd.DataFrame
    overlap: pd.DataFrame
    escalation: pd.DataFrame
    summary: dict[str, Any]
    timings: dict[str, float]


def _timed(timings: dict[str, float], name: str, started: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - started, 3)
    return now


def analyse(tables: Mapping[str, pd.DataFrame], parameters: AnalysisParameters) -> AnalysisResult:
    """Run every measure on ``tables`` (the contract's tables) as of ``parameters.as_of``.

    Pure: no database. The co-offending network is built from offenders and suspects of
    incidents in the network window. Betweenness reads ``distance = 1 / shared incidents``;
    above :data:`EXACT_BETWEENNESS_LIMIT` people it is estimated from
    ``betweenness_samples`` source nodes drawn with ``seed`` (Brandes & Pich 2007), rescaled
    to the full graph, and Leiden stops after two passes. ``engine`` chooses the graph
    library behind the network measures: ``"auto"`` (igraph on large graphs), ``"igraph"``,
    or ``"networkx"`` (the pure-networkx reference, with Louvain in place of Leiden).

    Raises :class:`AnalysisError` when the graph holds no incident, or the network window
    no offender or suspect.
    """
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    as_of = parameters.moment
    involvements = tables["involvements"]
    locations = tables["locations"]
    start, end = rolling_window(as_of, parameters.window_days)
    if tables["incidents"].empty:
        raise AnalysisError("the graph holds no incidents: load some first (graphvc load DIR)")
    # Dates parsed and harm filled once, not again by every measure below.
    incidents = incident_harm(tables["incidents"])
    G = co_offending_graph(incidents, involvements, start=start, end=end, locations=locations)
    if G.number_of_nodes() == 0:
        raise AnalysisError(
            f"no offender or suspect in the {parameters.window_days} days before {as_of.date()}"
        )
    events = person_incidents(
        incidents, involvements, roles=PERPETRATOR_ROLES, start=start, end=end
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
        incidents, involvements, as_of=as_of, window_days=parameters.window_days
    )
    weights = dict(parameters.priority_weights)
    network_parts = network[[c for c in weights if c != "rfg" and c in network]]
    ranked = priority.offender_priority(rfg, network_parts, weights=weights)
    clock = _timed(timings, "priority", clock)

    escalation = continuum.escalation_profile(incidents, involvements, end=as_of)
    clock = _timed(timings, "continuum", clock)
    exposed = exposure.network_exposure(G, incidents, involvements, start=start, end=end)
    clock = _timed(timings, "exposure", clock)
    overlapping = overlap.victim_offender_overlap(
        incidents,
        involvements,
        as_of=as_of,
        window_days=parameters.window_days,
        cut=parameters.overlap_cut,
    )
    victims = repeats.repeat_victims(
        incidents, involvements, as_of=as_of, window_days=parameters.repeat_window_days
    )
    domestic = repeats.domestic_repeats(incidents, involvements, end=as_of)
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
        "incidents_in_window": int(
            ((incidents["occurred_at"] >= start) & (incidents["occurred_at"] < end)).sum()
        ),
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
        tables=dict(tables),
        graph=G,
        events=events,
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


def run_analysis(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    database: str = "neo4j",
) -> AnalysisResult:
    """Read the graph and analyse it: the run the CLI, the app and the reports share.

    ``parameters.as_of`` None is resolved to :func:`graphvc.graph_tables.default_as_of`.
    The time spent reading is in ``timings["read_graph"]``.
    """
    parameters = parameters or AnalysisParameters()
    started = time.perf_counter()
    if parameters.as_of is None:
        parameters = replace(parameters, as_of=default_as_of(driver, database=database))
    tables = read_graph_tables(driver, database=database)
    read = round(time.perf_counter() - started, 3)
    result = analyse(tables, parameters)
    result.timings = {"read_graph": read, **result.timings}
    return result
