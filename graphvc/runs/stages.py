"""The stages of a run that compute, pure (no database): the graph's tables become every
score graphvc shows.

:func:`analyse` runs them in order on tables already in hand: the person network
(:func:`run_network`), the people measured and ranked (:func:`rank_people`), their profile
(:func:`profile_people`: escalation, exposure, overlap), then the victims, places and summary
(:func:`complete_run`). :func:`graphvc.runs.obtain_run` runs the same stages between reading
the graph and storing the run, and writes the people back between them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, get_args

import networkx as nx
import pandas as pd

from graphvc.analysis import centrality, communities, exposure, priority
from graphvc.analysis.events import harm_once, incident_harm, person_incidents, rolling_window
from graphvc.analysis.harm import harm_pagerank
from graphvc.analysis.projections import CO_OFFENDING, person_network
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError
from graphvc.graph_tables import canonical
from graphvc.identity.merge import cluster_members, merge_people
from graphvc.runs.measures import InProcessMeasures, PlaceLevel, TableMeasures
from graphvc.runs.parameters import AnalysisParameters

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "AnalysisResult",
    "Clock",
    "Profiles",
    "Ranking",
    "RunNetwork",
    "analyse",
    "complete_run",
    "profile_people",
    "rank_people",
    "run_network",
]

#: Above this many people in the network, betweenness is sampled.
EXACT_BETWEENNESS_LIMIT = 20_000
#: The parts of the priority that need offending (incidents with an offender or suspect).
_OFFENDING_PARTS = ("rfg", "harm_pagerank")


@dataclass
class AnalysisResult:
    """Everything a run produces, and what it was computed from.

    ``graph`` is the co-offending network of the network window and ``events`` its
    perpetrators' incidents (one row per person and incident, from
    :func:`graphvc.analysis.events.person_incidents`); ``tables`` are the contract tables
    the run read. ``people`` carries every person score with its parts, indexed by
    ``person_id`` and sorted by priority rank: everyone in the network but the victims who
    never offended, who are not ranked.
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


class Clock:
    """The seconds each stage of a run took: :meth:`lap` records the time since the last lap
    in :attr:`timings`, in order."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._last, 3)
        self._last = now


class RunNetwork(NamedTuple):
    """What every measure of a run starts from (:func:`run_network`)."""

    tables: dict[str, pd.DataFrame]
    incidents: pd.DataFrame
    graph: nx.Graph
    events: pd.DataFrame


class Ranking(NamedTuple):
    """The people measured and ranked (:func:`rank_people`).

    ``people`` holds the ranked people with their priority, its parts and the network
    measures, final from here on; ``network`` the network measures of everyone in the graph
    (the victims who never offended too); ``parts`` the parts of the priority used.
    """

    people: pd.DataFrame
    network: pd.DataFrame
    parts: list[str]
    exact: bool
    offending: bool


class Profiles(NamedTuple):
    """The people's profile (:func:`profile_people`): ``people`` is the ranking joined to
    their escalation, exposure and overlap, the final person table of the run."""

    people: pd.DataFrame
    escalation: pd.DataFrame
    exposure: pd.DataFrame
    overlap: pd.DataFrame


def run_network(tables: Mapping[str, pd.DataFrame], parameters: AnalysisParameters) -> RunNetwork:
    """The contract's ``tables`` in canonical order, the incidents with dates parsed and
    harm filled (once, not again by every measure), the person network of the network
    window and its perpetrators' incidents (``events``).

    Raises :class:`AnalysisError` when the tables hold neither incidents nor associations.
    """
    # The confirmed identities, before anything is measured: one person, one node.
    tables = merge_people(tables, parameters.merged_clusters)
    tables = {name: canonical(name, frame) for name, frame in tables.items()}
    if tables["incidents"].empty and tables["associations"].empty:
        raise AnalysisError(
            "the graph holds neither incidents nor associations: load some first "
            "(graphvc load DIR, graphvc load-network FILE or graphvc load-police-uk FILES)"
        )
    start, end = rolling_window(parameters.moment, parameters.window_days)
    incidents = incident_harm(tables["incidents"])
    involvements = tables["involvements"]
    G = person_network(
        incidents,
        involvements,
        tables["associations"],
        tie_weights=parameters.tie_weights,
        start=start,
        end=end,
        locations=tables["locations"],
    )
    events = person_incidents(
        incidents, involvements, roles=PERPETRATOR_ROLES, start=start, end=end
    )
    return RunNetwork(tables, incidents, G, events)


def analyse(
    tables: Mapping[str, pd.DataFrame],
    parameters: AnalysisParameters,
    *,
    clock: Clock | None = None,
) -> AnalysisResult:
    """Run every measure on ``tables`` (the contract's tables) as of ``parameters.as_of``.

    Pure: no database, and the same whatever the order of the tables' rows (they are put in
    the contract's canonical order first, and the network is built in sorted order). The
    person network is built from the tie layers of ``parameters.tie_weights``
    (:func:`graphvc.analysis.projections.person_network`): co-offending in the network
    window and each association type. Betweenness reads ``distance = 1 / weight``; above
    :data:`EXACT_BETWEENNESS_LIMIT` people it is estimated from ``betweenness_samples``
    source nodes drawn with ``seed`` (Brandes & Pich 2007), rescaled to the full graph, and
    Leiden stops after two passes. ``engine`` chooses the graph library behind the network
    measures: ``"auto"`` (igraph on large graphs), ``"igraph"``, or ``"networkx"`` (the
    pure-networkx reference, with Louvain in place of Leiden).

    A victim is never ranked as dangerous for being one: the people recorded as victims and
    never as offenders or suspects before ``as_of``
    (:func:`graphvc.analysis.overlap.absolute_victims`) keep their place in the network, so
    others' scores are unchanged, but are left out of ``people``: not scored, not ranked.

    What is absent is left out, not an error: without incidents in the window the
    offending-based parts (RFG, harm PageRank) are absent from the priority, which uses the
    network parts alone (``summary["priority_parts"]``); without anyone in the network the
    person tables are empty and ``summary["note"]`` says so, while the places are scored.

    Every measure reads the incidents with their harm filled once (:func:`harm_once`), not
    once each. The seconds each stage took are in ``timings``, laps of ``clock`` when given.

    Raises :class:`AnalysisError` when the graph holds neither incidents nor associations.
    """
    clock = clock or Clock()
    with harm_once():
        network = run_network(tables, parameters)
        ranking = rank_people(network, parameters, clock)
        profiles = profile_people(network, ranking.people, parameters, clock)
        return complete_run(network, ranking, profiles, parameters, clock)


def rank_people(
    network: RunNetwork,
    parameters: AnalysisParameters,
    clock: Clock,
    *,
    given: pd.DataFrame | None = None,
    table_measures: TableMeasures | None = None,
) -> Ranking:
    """The measure and rank stages: every network measure (:func:`_network_scores`), the RFG
    scores and the priority of everyone in the network but the victims who never offended.

    ``given`` holds network measures computed elsewhere (the Spark engine's degree, weighted
    degree and PageRank, :mod:`graphvc.spark`), one row per person in the network: its
    columns are taken as they are, not computed again. ``table_measures`` computes the table
    measures (default: :class:`~graphvc.runs.measures.InProcessMeasures` on ``network``'s
    tables)."""
    table_measures = table_measures or _measures(network)
    G = network.graph
    as_of = parameters.moment
    # Victims keep their place in the network (for others' scores) but are never scored.
    unranked = table_measures.absolute_victims(end=as_of)
    clock.lap("person_network")

    exact = G.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT
    rfg = table_measures.rfg_scores(as_of=as_of, window_days=parameters.window_days)
    # Harm PageRank and RFG read offending; with co-offending left out, harm PageRank has
    # no harmful tie to walk along.
    offending = len(rfg) > 0
    harmful = offending and CO_OFFENDING in parameters.tie_weights
    parts = [
        part
        for part, weight in parameters.priority_weights.items()
        if weight > 0
        and G.number_of_nodes() > 0
        and (part not in _OFFENDING_PARTS or (harmful if part == "harm_pagerank" else offending))
    ]
    if not G.number_of_nodes():
        clock.lap("priority")
        return Ranking(_empty_people(), pd.DataFrame(), parts, exact, offending)
    measures = _network_scores(G, parameters, exact=exact, harm=harmful, clock=clock, given=given)
    weights = {part: parameters.priority_weights[part] for part in parts}
    network_parts = measures[[c for c in weights if c != "rfg" and c in measures]].drop(
        index=unranked, errors="ignore"
    )
    ranked = priority.offender_priority(rfg, network_parts, weights=weights)
    if "rfg" not in weights:
        ranked = ranked.drop(columns=[c for c in ("rfg", "rfg_part") if c in ranked])
    people = ranked.join(
        measures.drop(columns=[c for c in network_parts.columns if c in ranked]), how="outer"
    ).drop(index=unranked, errors="ignore")
    clock.lap("priority")
    return Ranking(people, measures, parts, exact, offending)


def profile_people(
    network: RunNetwork,
    ranked: pd.DataFrame,
    parameters: AnalysisParameters,
    clock: Clock,
    *,
    table_measures: TableMeasures | None = None,
) -> Profiles:
    """The profile stage: escalation (all history), network exposure and the victim-offender
    overlap, joined to the ``ranked`` people (a new table: ``ranked`` is left as it is), who
    stay in rank order. ``table_measures`` as :func:`rank_people` takes it."""
    table_measures = table_measures or _measures(network)
    tables, incidents, G, _events = network
    involvements = tables["involvements"]
    as_of = parameters.moment
    start, end = rolling_window(as_of, parameters.window_days)
    escalation = table_measures.escalation_profile(end=as_of)
    clock.lap("continuum")
    exposed = exposure.network_exposure(G, incidents, involvements, start=start, end=end)
    if incidents.empty:  # exposure to victims is undefined without incidents
        exposed = exposed.iloc[0:0]
    clock.lap("exposure")
    overlapping = table_measures.victim_offender_overlap(
        as_of=as_of, window_days=parameters.window_days, cut=parameters.overlap_cut
    )
    clock.lap("overlap")

    people = ranked
    if len(people):
        people = people.join(
            escalation[["escalated_to_knife_or_gun", "diversity_index", "harm_slope"]],
            how="left",
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
        # Each person's main ward and borough in the window (the list's place filters).
        people = people.join(
            table_measures.main_places(start=start, end=end),
            how="left",
        )
        if parameters.merged_clusters:  # which records each merged person stands for
            people = people.join(cluster_members(parameters.merged_clusters), how="left")
        people = (
            people.rename_axis("person_id")
            .sort_index()
            .sort_values(
                ["rank", "priority"], ascending=[True, False], na_position="last", kind="stable"
            )
        )
    clock.lap("people")
    return Profiles(people, escalation, exposed, overlapping)


def complete_run(
    network: RunNetwork,
    ranking: Ranking,
    profiles: Profiles,
    parameters: AnalysisParameters,
    clock: Clock,
    *,
    table_measures: TableMeasures | None = None,
) -> AnalysisResult:
    """The last stage: repeat and domestic victims, the harm of places at every level, and
    the run's summary; the result of the run, its ``timings`` those of ``clock``.
    ``table_measures`` as :func:`rank_people` takes it."""
    table_measures = table_measures or _measures(network)
    tables, _incidents, G, events = network
    as_of = parameters.moment
    start, end = rolling_window(as_of, parameters.window_days)
    victims = table_measures.repeat_victims(as_of=as_of, window_days=parameters.repeat_window_days)
    domestic = table_measures.domestic_repeats(end=as_of)
    clock.lap("victims")
    place_tables = {
        level: table_measures.place_harm(level=level, start=start, end=end)
        for level in get_args(PlaceLevel)
    }
    repeated = table_measures.repeat_locations(
        as_of=as_of, window_days=parameters.repeat_window_days
    )
    place_tables["location"]["repeat_incidents"] = (
        repeated["incidents"].reindex(place_tables["location"].index).astype("Int64")
    )
    clock.lap("places")
    summary = _summary(
        network, ranking, parameters, victims, domestic, repeated, profiles.escalation
    )
    clock.lap("assemble")
    return AnalysisResult(
        parameters=parameters,
        tables=dict(tables),
        graph=G,
        events=events,
        people=profiles.people,
        places=place_tables,
        repeat_victims=victims,
        domestic_repeats=domestic,
        exposure=profiles.exposure,
        overlap=profiles.overlap,
        escalation=profiles.escalation,
        summary=summary,
        timings=clock.timings,
    )


def _summary(
    network: RunNetwork,
    ranking: Ranking,
    parameters: AnalysisParameters,
    victims: pd.DataFrame,
    domestic: pd.DataFrame,
    repeated: pd.DataFrame,
    escalation: pd.DataFrame,
) -> dict[str, Any]:
    """What a run found, in counts, and a note when a part of it could not be measured."""
    incidents, G = network.incidents, network.graph
    start, end = rolling_window(parameters.moment, parameters.window_days)
    layers = list(parameters.tie_weights)
    summary: dict[str, Any] = {
        "incidents": len(incidents),
        "incidents_in_window": int(
            ((incidents["occurred_at"] >= start) & (incidents["occurred_at"] < end)).sum()
        ),
        "tie_layers": layers,
        "tie_weights": dict(parameters.tie_weights),
        "people_in_network": G.number_of_nodes(),
        "network_links": G.number_of_edges(),
        "co_offending_links": sum(
            1 for _, _, found in G.edges(data="layers") if CO_OFFENDING in found.split(",")
        ),
        "links_by_layer": {
            layer: sum(1 for _, _, found in G.edges(data="layers") if layer in found.split(","))
            for layer in layers
        },
        "priority_parts": ranking.parts,
        "betweenness": "exact"
        if ranking.exact
        else f"sampled from {parameters.betweenness_samples} sources",
        "communities": int(ranking.network["community"].nunique()) if len(ranking.network) else 0,
        "repeat_victims": len(victims),
        "repeat_locations": len(repeated),
        "domestic_repeat_pairs": len(domestic),
        "escalated_to_knife_or_gun": int(escalation["escalated_to_knife_or_gun"].sum())
        if len(escalation)
        else 0,
        "window": {"start": start.isoformat(), "end": end.isoformat()},
    }
    if not G.number_of_nodes():
        summary["note"] = (
            f"no one is tied in the chosen layers ({', '.join(layers)}): "
            "the person tables are empty; places are scored"
        )
    elif not ranking.offending:
        parts = ", ".join(ranking.parts)
        summary["note"] = f"no offender or suspect in the window: the priority uses {parts} only"
    return summary


def _measures(network: RunNetwork) -> TableMeasures:
    """The in-process engine's table measures on ``network``'s tables."""
    return InProcessMeasures(network.tables, network.incidents)


def _empty_people() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["rank", "priority", "community"], index=pd.Index([], name="person_id")
    )


def _network_scores(
    G: nx.Graph,
    parameters: AnalysisParameters,
    *,
    exact: bool,
    harm: bool,
    clock: Clock,
    given: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The network measures of every person in ``G``: degree, weighted degree, betweenness,
    PageRank, harm PageRank (when ``harm``: some tie is offending), eigenvector, k-core and
    community, those in ``given`` (degree, weighted degree, PageRank: the Spark engine's) taken
    from it. With ``parameters.weights == "none"`` every tie counts as one: the strength
    (``weight``) and cost (``distance``) of a tie are read by no measure, so weighted degree is
    the degree. Harm PageRank keeps its harm: harm is what it measures, not a tie's strength."""
    strength, cost = ("weight", "distance") if parameters.weights == "strength" else (None, None)
    # Measures computed elsewhere read the ties' strengths; unweighted, they are computed here.
    known = pd.DataFrame() if given is None or strength is None else given

    def measure(name: str, compute: Any) -> pd.Series:
        return known[name].rename(name) if name in known else compute()

    network = pd.DataFrame(
        {
            "degree": measure("degree", lambda: centrality.degree(G)),
            "weighted_degree": measure(
                "weighted_degree", lambda: centrality.degree(G, weight=strength)
            ),
            "betweenness": centrality.betweenness(
                G,
                weight=cost,
                k=None if exact else min(parameters.betweenness_samples, G.number_of_nodes()),
                seed=parameters.seed,
                engine=parameters.engine,
            ),
        }
    )
    clock.lap("betweenness")
    network["pagerank"] = measure("pagerank", lambda: centrality.pagerank(G, weight=strength))
    if harm:
        network = network.join(harm_pagerank(G)[["harm_pagerank"]])
    network["eigenvector"] = centrality.eigenvector(G, weight=strength, engine=parameters.engine)
    network["k_core"] = centrality.k_core(G, engine=parameters.engine)
    clock.lap("centrality")
    if parameters.engine == "networkx":  # the pure-networkx baseline has Louvain, not Leiden
        network["community"] = communities.louvain(
            G,
            resolution=parameters.resolution,
            seed=parameters.seed,
            weight=strength,
            engine="networkx",
        )
    else:
        # Two passes on large graphs: a converged Leiden costs many times more for a modularity
        # hardly higher (bench/bench_centrality.py measures both).
        network["community"] = communities.leiden(
            G,
            resolution=parameters.resolution,
            seed=parameters.seed,
            weight=strength,
            iterations=None if exact else 2,
        )
    clock.lap("communities")
    return network.sort_index()
