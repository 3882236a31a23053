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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, NamedTuple

import neo4j
import networkx as nx
import pandas as pd

from graphvc.analysis import centrality, communities, continuum, exposure, overlap, places, priority
from graphvc.analysis import repeat_victims as repeats
from graphvc.analysis.events import harm_once, incident_harm, person_incidents, rolling_window
from graphvc.analysis.harm import harm_pagerank
from graphvc.analysis.projections import CO_OFFENDING, TIE_LAYERS, person_network
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError, ConfigError
from graphvc.graph_tables import canonical, default_as_of, read_graph_tables

__all__ = [
    "DEFAULT_REPEAT_WINDOW_DAYS",
    "DEFAULT_TIE_WEIGHTS",
    "DEFAULT_WINDOW_DAYS",
    "EXACT_BETWEENNESS_LIMIT",
    "AnalysisParameters",
    "AnalysisResult",
    "RunNetwork",
    "analyse",
    "choose_ties",
    "parse_as_of",
    "read_run_input",
    "run_analysis",
    "run_network",
]

#: The look-back of the network and offending scores (two years).
DEFAULT_WINDOW_DAYS = 730
#: The look-back of repeat victimisation (one year).
DEFAULT_REPEAT_WINDOW_DAYS = 365
#: Above this many people in the network, betweenness is sampled.
EXACT_BETWEENNESS_LIMIT = 20_000
#: The tie layers of the person network and their weights, by default every layer at 1: a
#: shared incident counts as much as one association of strength 1 (see
#: :func:`graphvc.analysis.projections.person_network`).
DEFAULT_TIE_WEIGHTS: Mapping[str, float] = dict.fromkeys(TIE_LAYERS, 1.0)
#: The parts of the priority that need offending (incidents with an offender or suspect).
_OFFENDING_PARTS = ("rfg", "harm_pagerank")


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
    ``tie_weights`` are the tie layers of the person network and their weights
    (:func:`choose_ties`; default :data:`DEFAULT_TIE_WEIGHTS`). The near-repeat (Knox) bands
    are in metres and days; police.uk gives only the month, so on its data the same-month
    band ``[0, 1)`` and the next-month band ``[15, 32)`` (28 to 31 days) are the ones that
    mean something.
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
    tie_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TIE_WEIGHTS))
    near_repeat_metres: tuple[float, ...] = (0, 100, 200, 400)
    near_repeat_days: tuple[float, ...] = (0, 1, 8, 15, 32, 63)
    near_repeat_simulations: int = 99

    def __post_init__(self) -> None:
        for name in ("window_days", "repeat_window_days"):
            value = getattr(self, name)
            if not (isinstance(value, int) and value >= 1):
                raise ConfigError(f"{name}={value!r} must be a whole number of days, at least 1")
        object.__setattr__(self, "tie_weights", choose_ties(self.tie_weights, self.tie_weights))

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
            "ties": list(self.tie_weights),
            "tie_weights": dict(self.tie_weights),
            "near_repeat_metres": list(self.near_repeat_metres),
            "near_repeat_days": list(self.near_repeat_days),
            "near_repeat_simulations": self.near_repeat_simulations,
            "windows": self.windows(),
        }


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


def _timed(timings: dict[str, float], name: str, started: float) -> float:
    now = time.perf_counter()
    timings[name] = round(now - started, 3)
    return now


def choose_ties(
    ties: Iterable[str] | None = None, tie_weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The tie layers ``ties`` (None: every layer) with their weights: the defaults
    (:data:`DEFAULT_TIE_WEIGHTS`) unless ``tie_weights`` sets one, in :data:`TIE_LAYERS` order.

    Raises :class:`ConfigError` for no layer, an unknown layer, a weight for a layer not
    chosen, or a weight that is not a positive number.

    Examples
    --------
    >>> choose_ties(["gang", "co-offending"], {"gang": 2})
    {'co-offending': 1.0, 'gang': 2.0}
    >>> choose_ties(["gang"], {"family": 2})
    Traceback (most recent call last):
    ...
    graphvc.errors.ConfigError: --tie-weight family=... names a layer not chosen in --ties (gang)
    """
    chosen = list(TIE_LAYERS if ties is None else ties)
    tie_weights = dict(tie_weights or {})
    if not chosen:
        raise ConfigError(f"--ties is empty: choose at least one of {', '.join(TIE_LAYERS)}")
    for layer in [*chosen, *tie_weights]:
        if layer not in TIE_LAYERS:
            raise ConfigError(f"tie layer {layer!r} is not one of {', '.join(TIE_LAYERS)}")
    unused = [layer for layer in tie_weights if layer not in chosen]
    if unused:
        raise ConfigError(
            f"--tie-weight {unused[0]}=... names a layer not chosen in --ties ({', '.join(chosen)})"
        )
    weights = {layer: float(DEFAULT_TIE_WEIGHTS[layer]) for layer in chosen}
    for layer, weight in tie_weights.items():
        if not (isinstance(weight, int | float) and 0 < weight < float("inf")):
            raise ConfigError(f"--tie-weight {layer}={weight!r} must be a number above 0")
        weights[layer] = float(weight)
    return {layer: weights[layer] for layer in TIE_LAYERS if layer in weights}


def _empty_people() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["rank", "priority", "community"], index=pd.Index([], name="person_id")
    )


class RunNetwork(NamedTuple):
    """What every measure of a run starts from (:func:`run_network`)."""

    tables: dict[str, pd.DataFrame]
    incidents: pd.DataFrame
    graph: nx.Graph
    events: pd.DataFrame


def run_network(tables: Mapping[str, pd.DataFrame], parameters: AnalysisParameters) -> RunNetwork:
    """The contract's ``tables`` in canonical order, the incidents with dates parsed and
    harm filled (once, not again by every measure), the person network of the network
    window and its perpetrators' incidents (``events``).

    Raises :class:`AnalysisError` when the tables hold neither incidents nor associations.
    """
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
        incidents, involvements, tables["associations"], tie_weights=parameters.tie_weights,
        start=start, end=end, locations=tables["locations"],
    )  # fmt: skip
    events = person_incidents(
        incidents, involvements, roles=PERPETRATOR_ROLES, start=start, end=end
    )
    return RunNetwork(tables, incidents, G, events)


def analyse(
    tables: Mapping[str, pd.DataFrame],
    parameters: AnalysisParameters,
    *,
    on_ranked: Callable[[pd.DataFrame], None] | None = None,
    on_people: Callable[[pd.DataFrame], None] | None = None,
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

    ``on_ranked``, when given, is called with a copy of the people as soon as they are ranked
    (their priority, its parts and the network measures final; escalation, exposure and
    overlap not yet joined), and ``on_people`` with the final ``people`` table as soon as it
    is (before the victims and places are scored), so a caller can write them back meanwhile
    (:func:`graphvc.stored_runs.analyse_and_record`); neither may change the table.

    Every measure reads the incidents with their harm filled once (:func:`harm_once`), not
    once each: at 1,000,000 incidents each fill took 0.4-1.0 s, and a run made 19 (now 4).

    Raises :class:`AnalysisError` when the graph holds neither incidents nor associations.
    """
    with harm_once():
        return _analysed(tables, parameters, on_ranked=on_ranked, on_people=on_people)


def _analysed(
    tables: Mapping[str, pd.DataFrame],
    parameters: AnalysisParameters,
    *,
    on_ranked: Callable[[pd.DataFrame], None] | None,
    on_people: Callable[[pd.DataFrame], None] | None,
) -> AnalysisResult:
    """:func:`analyse`, within its :func:`harm_once` block."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    as_of = parameters.moment
    tables, incidents, G, events = run_network(tables, parameters)
    involvements = tables["involvements"]
    locations = tables["locations"]
    start, end = rolling_window(as_of, parameters.window_days)
    # Victims keep their place in the network (for others' scores) but are never scored.
    unranked = overlap.absolute_victims(incidents, involvements, end=as_of)
    clock = _timed(timings, "person_network", clock)

    exact = G.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT
    rfg = priority.rfg_scores(
        incidents, involvements, as_of=as_of, window_days=parameters.window_days
    )
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
    if G.number_of_nodes():
        network = _network_scores(G, parameters, exact=exact, harm=harmful, timings=timings)
        clock = time.perf_counter()
        weights = {part: parameters.priority_weights[part] for part in parts}
        network_parts = network[[c for c in weights if c != "rfg" and c in network]].drop(
            index=unranked, errors="ignore"
        )
        ranked = priority.offender_priority(rfg, network_parts, weights=weights)
        if "rfg" not in weights:
            ranked = ranked.drop(columns=[c for c in ("rfg", "rfg_part") if c in ranked])
        people = ranked.join(
            network.drop(columns=[c for c in network_parts.columns if c in ranked]), how="outer"
        ).drop(index=unranked, errors="ignore")
    else:
        network, people = pd.DataFrame(), _empty_people()
    clock = _timed(timings, "priority", clock)
    if on_ranked is not None:
        on_ranked(people.copy())

    escalation = continuum.escalation_profile(incidents, involvements, end=as_of)
    clock = _timed(timings, "continuum", clock)
    exposed = exposure.network_exposure(G, incidents, involvements, start=start, end=end)
    if incidents.empty:  # exposure to victims is undefined without incidents
        exposed = exposed.iloc[0:0]
    clock = _timed(timings, "exposure", clock)
    overlapping = overlap.victim_offender_overlap(
        incidents,
        involvements,
        as_of=as_of,
        window_days=parameters.window_days,
        cut=parameters.overlap_cut,
    )
    clock = _timed(timings, "overlap", clock)

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
        people.index.name = "person_id"
        people = people.sort_index().sort_values(
            ["rank", "priority"], ascending=[True, False], na_position="last", kind="stable"
        )
    clock = _timed(timings, "people", clock)
    if on_people is not None:
        on_people(people)

    victims = repeats.repeat_victims(
        incidents, involvements, as_of=as_of, window_days=parameters.repeat_window_days
    )
    domestic = repeats.domestic_repeats(incidents, involvements, end=as_of)
    clock = _timed(timings, "victims", clock)
    place_tables = {
        level: places.place_harm(incidents, locations, level=level, start=start, end=end)
        for level in ("location", "ward", "borough")
    }
    repeated = places.repeat_locations(
        incidents, locations, as_of=as_of, window_days=parameters.repeat_window_days
    )
    place_tables["location"]["repeat_incidents"] = (
        repeated["incidents"].reindex(place_tables["location"].index).astype("Int64")
    )
    clock = _timed(timings, "places", clock)

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
        "priority_parts": parts,
        "betweenness": "exact"
        if exact
        else f"sampled from {parameters.betweenness_samples} sources",
        "communities": int(network["community"].nunique()) if len(network) else 0,
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
    elif not offending:
        summary["note"] = (
            f"no offender or suspect in the window: the priority uses {', '.join(parts)} only"
        )
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


def _network_scores(
    G: nx.Graph, parameters: AnalysisParameters, *, exact: bool, harm: bool,
    timings: dict[str, float],
) -> pd.DataFrame:  # fmt: skip
    """The network measures of every person in ``G``: degree, weighted degree, betweenness,
    PageRank, harm PageRank (when ``harm``: some tie is offending), eigenvector, k-core and
    community."""
    clock = time.perf_counter()
    network = pd.DataFrame(
        {
            "degree": centrality.degree(G),
            "weighted_degree": centrality.degree(G, weight="weight"),
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
    network["pagerank"] = centrality.pagerank(G, weight="weight")
    if harm:
        network = network.join(harm_pagerank(G)[["harm_pagerank"]])
    network["eigenvector"] = centrality.eigenvector(G, weight="weight", engine=parameters.engine)
    network["k_core"] = centrality.k_core(G, engine=parameters.engine)
    clock = _timed(timings, "centrality", clock)
    if parameters.engine == "networkx":  # the pure-networkx baseline has Louvain, not Leiden
        network["community"] = communities.louvain(
            G,
            resolution=parameters.resolution,
            seed=parameters.seed,
            weight="weight",
            engine="networkx",
        )
    else:
        # Two passes on large graphs: ten times faster, modularity within 0.3% (bench_centrality).
        network["community"] = communities.leiden(
            G, resolution=parameters.resolution, seed=parameters.seed, weight="weight",
            iterations=None if exact else 2,
        )  # fmt: skip
    _timed(timings, "communities", clock)
    return network.sort_index()


def _widest(windows: Iterable[Mapping[str, str | None]]) -> tuple[datetime | None, datetime]:
    """The window holding every one of ``windows`` (a start None is open)."""
    bounds = list(windows)
    start = None
    if all(window["start"] is not None for window in bounds):
        start = min(pd.Timestamp(str(window["start"])) for window in bounds).to_pydatetime()
    end = max(pd.Timestamp(str(window["end"])) for window in bounds).to_pydatetime()
    return start, end


def run_analysis(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    database: str = "neo4j",
    on_ranked: Callable[[pd.DataFrame], None] | None = None,
    on_people: Callable[[pd.DataFrame], None] | None = None,
) -> AnalysisResult:
    """Read the graph and analyse it: the run the CLI, the app and the reports share.

    ``parameters.as_of`` None is resolved to :func:`graphvc.graph_tables.default_as_of`.
    Only the incidents of the widest window (:meth:`AnalysisParameters.windows`, all history
    before ``as_of`` by default) and their involvements are read: every measure gives what it
    gives on the whole graph, while ``summary["incidents"]`` and the run's ``tables`` leave
    out incidents on or after ``as_of``. The time spent reading is in
    ``timings["read_graph"]``. ``on_ranked`` and ``on_people`` are as in :func:`analyse`.
    """
    started = time.perf_counter()
    parameters, tables = read_run_input(driver, parameters, database=database)
    read = round(time.perf_counter() - started, 3)
    result = analyse(tables, parameters, on_ranked=on_ranked, on_people=on_people)
    result.timings = {"read_graph": read, **result.timings}
    return result


def read_run_input(
    driver: neo4j.Driver,
    parameters: AnalysisParameters | None = None,
    *,
    database: str = "neo4j",
) -> tuple[AnalysisParameters, dict[str, pd.DataFrame]]:
    """What :func:`run_analysis` analyses: ``parameters`` with ``as_of`` resolved, and the
    graph's tables of the widest window."""
    parameters = parameters or AnalysisParameters()
    if parameters.as_of is None:
        parameters = replace(parameters, as_of=default_as_of(driver, database=database))
    start, end = _widest(parameters.windows().values())
    return parameters, read_graph_tables(driver, start=start, end=end, database=database)
