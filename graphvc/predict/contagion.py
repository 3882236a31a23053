"""Contagion risk: gun and knife victimisation as a self-exciting process on the person network.

Green, Horel and Papachristos (2017) modelled gunshot victimisation in Chicago's co-offending
network as a Hawkes process: each person has a baseline rate, and a network neighbour's
victimisation raises it for a while, the boost decaying exponentially. Their headline figure
is the share of victimisations the fitted model attributes to contagion (63 % in Chicago).
This module fits the same kind of model to graphvc's data and scores each person's risk for
the next period.

The model. Person ``i`` of the person network ``G`` is victimised (or offends: ``outcome``)
at the rate, in events a day,

.. math::

    \\lambda_i(t) = \\mu + \\beta\\, n_i(t) + \\alpha \\sum_{j \\sim i} \\sum_{t_{jk} < t}
    \\omega\\, e^{-\\omega (t - t_{jk})}

where ``n_i(t)`` is the number of ``i``'s own events before ``t`` (the baseline from their
own history: a repeat victim's higher rate, Farrell & Pease), ``j ~ i`` are ``i``'s
neighbours in ``G`` and ``t_jk`` their events. ``alpha`` is the expected number of events a
neighbour's event triggers in each of its neighbours (a branching ratio per tie), ``1 /
omega`` the mean delay in days. The four parameters are fitted by maximum likelihood on the
events in ``[start, end)`` (L-BFGS-B with the exact gradient, from several seeded starts,
within :data:`BOUNDS`).

What the model simplifies: the network is taken as it stands at ``end`` (ties formed later
in the period count from its start, as in Green et al., who used the whole period's
network); a person outside the network is not scored; two events of one incident never
excite each other (a neighbour's event must be strictly earlier); and the score for the
next period counts the boost of events before ``end`` only (events during the period would
add more).

References
----------
.. [1] B. Green, T. Horel and A. V. Papachristos, "Modeling contagion through social
   networks to explain and predict gunshot violence in Chicago, 2006 to 2014", JAMA
   Internal Medicine 177(3):326-333, 2017. https://doi.org/10.1001/jamainternmed.2016.8245
.. [2] A. G. Hawkes, "Spectra of some self-exciting and mutually exciting point processes",
   Biometrika 58(1):83-90, 1971. https://doi.org/10.1093/biomet/58.1.83
.. [3] G. Farrell and K. Pease, "Once bitten, twice bitten: repeat victimisation and its
   implications for crime prevention", Home Office Crime Prevention Unit Paper 46, 1993.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import minimize

from graphvc.analysis.events import DateLike, person_incidents
from graphvc.analysis.projections import TIE_LAYERS, person_network
from graphvc.contract import PERPETRATOR_ROLES
from graphvc.errors import AnalysisError

__all__ = [
    "BOUNDS",
    "CONTAGION_CATEGORIES",
    "OUTCOMES",
    "ContagionFit",
    "contagion_events",
    "contagion_network",
    "contagion_risk",
    "contagion_scores",
    "fit_contagion",
]

#: The incident categories that count as an event (besides any incident flagged ``weapon``).
CONTAGION_CATEGORIES: tuple[str, ...] = ("gun_enabled", "knife_enabled")
#: What is modelled: being a victim, or offending (as offender or suspect).
OUTCOMES: dict[str, tuple[str, ...]] = {"victim": ("victim",), "offender": PERPETRATOR_ROLES}
#: The parameters' bounds (per day): a rate up to one event a day, a mean delay from 2.4 hours
#: to 27 years. The lower bounds are not 0 so that the fit can run on their logarithms.
BOUNDS: dict[str, tuple[float, float]] = {
    "mu": (1e-12, 1.0),
    "beta": (1e-12, 1.0),
    "alpha": (1e-12, 10.0),
    "omega": (1e-4, 10.0),
}
_NAMES = tuple(BOUNDS)
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class ContagionFit:
    """A fitted contagion model.

    Attributes
    ----------
    mu, beta, alpha, omega : float
        The fitted parameters (per day; see the module's docstring).
    contagion_share : float
        The share of the fitted period's events the model attributes to contagion: the sum
        over events of ``alpha``'s part of the rate at the event divided by the rate,
        over the number of events (Green et al.'s headline figure).
    log_likelihood : float
        At the fitted parameters.
    n_events, n_people : int
        The events fitted and the people of the network (the population at risk).
    start, end : pandas.Timestamp
        The fitted period ``[start, end)``.
    seed, starts : int
        The seed of the starting points and how many were tried.
    """

    mu: float
    beta: float
    alpha: float
    omega: float
    contagion_share: float
    log_likelihood: float
    n_events: int
    n_people: int
    start: pd.Timestamp
    end: pd.Timestamp
    seed: int
    starts: int

    def as_dict(self) -> dict[str, Any]:
        """The fit as plain JSON-ready values (dates as ISO text)."""
        found = asdict(self)
        found["start"], found["end"] = self.start.isoformat(), self.end.isoformat()
        return found


def contagion_events(
    incidents: pd.DataFrame,
    involvements: pd.DataFrame,
    *,
    outcome: str = "victim",
    start: DateLike | None = None,
    end: DateLike | None = None,
) -> pd.DataFrame:
    """The gun and knife events of each person: one row per (person, incident).

    An incident counts if its category is one of :data:`CONTAGION_CATEGORIES` or it is
    flagged ``weapon``; a person counts in it in the roles of ``outcome``
    (:data:`OUTCOMES`).

    Returns
    -------
    pandas.DataFrame
        ``person_id``, ``incident_id``, ``occurred_at``, sorted by time then person.

    Examples
    --------
    >>> incidents = pd.DataFrame({"incident_id": ["I1", "I2", "I3"],
    ...     "occurred_at": ["2024-01-05", "2024-02-01", "2024-03-01"],
    ...     "offence": ["personal_robbery"] * 3,
    ...     "category": ["knife_enabled", "personal_robbery", "personal_robbery"],
    ...     "weapon": [False, False, True]})
    >>> involvements = pd.DataFrame({"person_id": ["A", "B", "C", "D"],
    ...     "incident_id": ["I1", "I1", "I2", "I3"],
    ...     "role": ["victim", "offender", "victim", "victim"]})
    >>> contagion_events(incidents, involvements)["person_id"].tolist()
    ['A', 'D']
    >>> contagion_events(incidents, involvements, outcome="offender")["person_id"].tolist()
    ['B']
    """
    if outcome not in OUTCOMES:
        raise AnalysisError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    events = person_incidents(
        incidents, involvements, roles=OUTCOMES[outcome], start=start, end=end
    )
    weapon = (
        events["weapon"].astype("string").str.strip().str.lower().eq("true").fillna(False)
        if "weapon" in events
        else pd.Series(False, index=events.index)
    )
    chosen = events["category"].isin(CONTAGION_CATEGORIES) | weapon.astype(bool)
    found = events.loc[chosen, ["person_id", "incident_id", "occurred_at"]]
    return found.sort_values(["occurred_at", "person_id"], kind="stable", ignore_index=True)


def contagion_network(
    tables: Mapping[str, pd.DataFrame],
    *,
    end: DateLike | None,
    tie_weights: Mapping[str, float] | None = None,
) -> nx.Graph:
    """The person network the contagion runs on: :func:`person_network` of every tie layer
    (or ``tie_weights``'s) with co-offending from all history before ``end``."""
    return person_network(
        tables["incidents"],
        tables["involvements"],
        tables["associations"],
        tie_weights=tie_weights or dict.fromkeys(TIE_LAYERS, 1.0),
        end=end,
        locations=tables.get("locations"),
    )


@dataclass(frozen=True)
class _Data:
    """The arrays the likelihood reads, times in days since ``start``."""

    n_people: int
    span: float  # T, the length of the period
    time: np.ndarray  # per event
    prior: np.ndarray  # per event: the person's own events before it
    degree: np.ndarray  # per event: the person's degree
    pair_target: np.ndarray  # per (event, earlier event of a neighbour): the later event
    pair_gap: np.ndarray  # and the days between them


def _indexed(G: nx.Graph, events: pd.DataFrame) -> tuple[pd.Index, pd.DataFrame, np.ndarray]:
    """The people (sorted), the events of people in ``G`` with their ``person`` position,
    and the directed edges (both ways) as positions."""
    people = pd.Index(sorted(str(n) for n in G.nodes))
    found = events.assign(person=people.get_indexer(pd.Index(events["person_id"].astype(str))))
    found = found.loc[found["person"] >= 0].reset_index(drop=True)
    ends = np.array([(str(u), str(v)) for u, v in G.edges], dtype=object).reshape(-1, 2)
    a, b = people.get_indexer(pd.Index(ends[:, 0])), people.get_indexer(pd.Index(ends[:, 1]))
    return people, found, np.column_stack([np.concatenate([a, b]), np.concatenate([b, a])])


def _prepare(G: nx.Graph, events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> _Data:
    people, found, edges = _indexed(G, events)
    found = found.loc[(found["occurred_at"] >= start) & (found["occurred_at"] < end)]
    found = found.sort_values(["occurred_at", "person"], kind="stable", ignore_index=True)
    time = ((found["occurred_at"] - start) / _DAY).to_numpy(dtype=float)
    person = found["person"].to_numpy()
    degree = np.bincount(edges[:, 0], minlength=len(people)) if len(edges) else None
    ev = pd.DataFrame({"event": np.arange(len(found)), "person": person, "time": time})
    links = pd.DataFrame(edges, columns=["person", "neighbour"])
    targets = ev.merge(links, on="person")
    sources = ev.rename(columns={"person": "neighbour", "event": "source", "time": "then"})
    pairs = targets.merge(sources, on="neighbour")
    pairs = pairs.loc[pairs["then"] < pairs["time"]]
    return _Data(
        n_people=len(people),
        span=(end - start) / _DAY,
        time=time,
        prior=ev.groupby("person").cumcount().to_numpy(dtype=float),
        degree=np.zeros(len(time)) if degree is None else degree[person].astype(float),
        pair_target=pairs["event"].to_numpy(),
        pair_gap=(pairs["time"] - pairs["then"]).to_numpy(dtype=float),
    )


def _rates(theta: np.ndarray, data: _Data) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rate at each event, its neighbours' sum ``S`` and ``dS/domega``."""
    mu, beta, alpha, omega = theta
    decay = np.exp(-omega * data.pair_gap)
    n = len(data.time)
    excitation = np.bincount(data.pair_target, weights=omega * decay, minlength=n)
    slope = np.bincount(data.pair_target, weights=(1 - omega * data.pair_gap) * decay, minlength=n)
    return mu + beta * data.prior + alpha * excitation, excitation, slope


def _negative_log_likelihood(log_theta: np.ndarray, data: _Data) -> tuple[float, np.ndarray]:
    """Minus the log-likelihood and its gradient in the parameters' logarithms."""
    theta = np.exp(log_theta)
    mu, beta, alpha, omega = theta
    rate, excitation, slope = _rates(theta, data)
    left = data.span - data.time
    kept = np.exp(-omega * left)
    compensator = (
        mu * data.n_people * data.span
        + beta * left.sum()
        + alpha * (data.degree * (1 - kept)).sum()
    )
    value = np.log(rate).sum() - compensator
    gradient = np.array(
        [
            (1 / rate).sum() - data.n_people * data.span,
            (data.prior / rate).sum() - left.sum(),
            (excitation / rate).sum() - (data.degree * (1 - kept)).sum(),
            alpha * (slope / rate).sum() - alpha * (data.degree * left * kept).sum(),
        ]
    )
    return -value, -gradient * theta


def fit_contagion(
    G: nx.Graph,
    events: pd.DataFrame,
    *,
    start: DateLike,
    end: DateLike,
    seed: int = 0,
    starts: int = 4,
) -> ContagionFit:
    """Fit the contagion model (see the module's docstring) by maximum likelihood.

    Parameters
    ----------
    G : networkx.Graph
        The person network (:func:`contagion_network`); its nodes are the population.
    events : pandas.DataFrame
        ``person_id`` and ``occurred_at`` (:func:`contagion_events`); events of people
        outside ``G`` or outside ``[start, end)`` are left out.
    start, end : date-like
        The fitted period.
    seed, starts : int
        The first start is the no-contagion rate with a month's delay; the other
        ``starts - 1`` are drawn log-uniformly within :data:`BOUNDS` with ``seed``.

    Raises
    ------
    AnalysisError
        If there is no event to fit, or the period is empty.

    Examples
    --------
    Two people tied; B's events follow A's by a day or two:

    >>> G = nx.Graph([("A", "B")])
    >>> days = pd.to_datetime("2024-01-01") + pd.to_timedelta(
    ...     [0, 1, 100, 102, 200, 201, 300, 301], unit="D")
    >>> events = pd.DataFrame({"person_id": list("ABABABAB"), "occurred_at": days})
    >>> fit = fit_contagion(G, events, start="2024-01-01", end="2025-01-01")
    >>> fit.contagion_share > 0.4, 0.1 < fit.omega < 10
    (True, True)
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if not start < end:
        raise AnalysisError(f"the fitted period [{start.date()}, {end.date()}) is empty")
    if not G.number_of_nodes():
        raise AnalysisError(
            f"the person network before {end.date()} is empty: contagion needs people and "
            "their ties (police.uk data names none)"
        )
    data = _prepare(G, events, start, end)
    if not len(data.time):
        raise AnalysisError(
            f"no event to fit between {start.date()} and {end.date()} among the network's "
            f"{data.n_people} people"
        )
    low = np.log([BOUNDS[name][0] for name in _NAMES])
    high = np.log([BOUNDS[name][1] for name in _NAMES])
    rng = np.random.default_rng(seed)
    base = len(data.time) / (data.n_people * data.span)
    first = np.log([base, base / 10, 0.01, 1 / 30])
    candidates = [np.clip(first, low, high)] + [
        rng.uniform(np.maximum(low, np.log(1e-8)), high) for _ in range(max(starts, 1) - 1)
    ]
    best = None
    for x0 in candidates:
        result = minimize(
            _negative_log_likelihood,
            x0,
            args=(data,),
            jac=True,
            method="L-BFGS-B",
            bounds=list(zip(low, high, strict=True)),
        )
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    if best is None:
        raise AnalysisError("the contagion fit found no finite likelihood from any start")
    theta = np.exp(best.x)
    rate, excitation, _slope = _rates(theta, data)
    return ContagionFit(
        mu=float(theta[0]),
        beta=float(theta[1]),
        alpha=float(theta[2]),
        omega=float(theta[3]),
        contagion_share=float((theta[2] * excitation / rate).mean()),
        log_likelihood=float(-best.fun),
        n_events=len(data.time),
        n_people=data.n_people,
        start=start,
        end=end,
        seed=seed,
        starts=len(candidates),
    )


def contagion_scores(
    G: nx.Graph, events: pd.DataFrame, fit: ContagionFit, *, horizon_days: float = 90
) -> pd.DataFrame:
    """Each person's risk of an event in the ``horizon_days`` after ``fit.end``, with its parts.

    The expected number of events is ``baseline_part + neighbours_part``: the baseline
    ``(mu + beta * prior_events) * horizon_days`` and the neighbours' boost
    ``alpha * Σ_neighbours' events exp(-omega * age) * (1 - exp(-omega * horizon_days))``
    (``age`` in days at ``fit.end``); the risk is ``1 - exp(-expected)``, the chance of at
    least one event.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``person_id`` (everyone in ``G``), sorted by falling ``risk`` then id:
        ``risk``, ``expected_events``, ``baseline_part``, ``neighbours_part``,
        ``prior_events``, ``neighbour_events`` (the neighbours' events before ``fit.end``)
        and ``degree``.

    Examples
    --------
    >>> G = nx.Graph([("A", "B"), ("B", "C")])
    >>> events = pd.DataFrame({"person_id": ["A"],
    ...     "occurred_at": pd.to_datetime(["2024-12-31"])})
    >>> fit = ContagionFit(mu=0.001, beta=0.0, alpha=0.5, omega=0.1, contagion_share=0.0,
    ...     log_likelihood=0.0, n_events=1, n_people=3, start=pd.Timestamp("2024-01-01"),
    ...     end=pd.Timestamp("2025-01-01"), seed=0, starts=1)
    >>> scores = contagion_scores(G, events, fit, horizon_days=10)
    >>> scores.index.tolist()
    ['B', 'A', 'C']
    >>> round(float(scores.loc["B", "neighbours_part"]), 4), float(scores.loc["C", "baseline_part"])
    (0.286, 0.01)
    """
    if horizon_days <= 0:
        raise AnalysisError(f"horizon_days={horizon_days!r} must be positive")
    people, found, edges = _indexed(G, events)
    found = found.loc[(found["occurred_at"] >= fit.start) & (found["occurred_at"] < fit.end)]
    n = len(people)
    age = (fit.end - found["occurred_at"]).dt.total_seconds().to_numpy(dtype=float) / 86_400
    person = found["person"].to_numpy()
    prior = np.bincount(person, minlength=n).astype(float)
    boost = np.bincount(person, weights=np.exp(-fit.omega * age), minlength=n)
    # Each directed edge (person, neighbour) passes the neighbour's sum to the person.
    source, target = edges[:, 0].astype(np.int64), edges[:, 1].astype(np.int64)
    boost = np.bincount(source, weights=boost[target], minlength=n)
    neighbour_events = np.bincount(source, weights=prior[target], minlength=n)
    degree = np.bincount(source, minlength=n).astype(float)
    baseline = (fit.mu + fit.beta * prior) * horizon_days
    neighbours = fit.alpha * boost * (1 - np.exp(-fit.omega * horizon_days))
    expected = baseline + neighbours
    scores = pd.DataFrame(
        {
            "risk": 1 - np.exp(-expected),
            "expected_events": expected,
            "baseline_part": baseline,
            "neighbours_part": neighbours,
            "prior_events": prior.astype(int),
            "neighbour_events": neighbour_events.astype(int),
            "degree": degree.astype(int),
        },
        index=people.rename("person_id"),
    )
    order = np.lexsort((scores.index.to_numpy(), -scores["risk"].to_numpy()))
    return scores.iloc[order]


def contagion_risk(
    tables: Mapping[str, pd.DataFrame],
    *,
    as_of: DateLike,
    outcome: str = "victim",
    horizon_days: float = 90,
    seed: int = 0,
    tie_weights: Mapping[str, float] | None = None,
) -> tuple[ContagionFit, pd.DataFrame]:
    """Fit on everything before ``as_of`` and score the ``horizon_days`` after it.

    ``tables`` are the input contract's tables (:func:`graphvc.graph_tables.read_graph_tables`);
    the fitted period starts at the first incident. Returns the fit and
    :func:`contagion_scores`.
    """
    as_of = pd.Timestamp(as_of)
    events = contagion_events(
        tables["incidents"], tables["involvements"], outcome=outcome, end=as_of
    )
    occurred = pd.to_datetime(tables["incidents"]["occurred_at"], errors="coerce")
    first = occurred[occurred < as_of].min()
    if pd.isna(first):
        raise AnalysisError(f"no incident before {as_of.date()} to fit the contagion on")
    start = pd.Timestamp(first).tz_localize(None).normalize()
    G = contagion_network(tables, end=as_of, tie_weights=tie_weights)
    fit = fit_contagion(G, events, start=start, end=as_of, seed=seed)
    return fit, contagion_scores(G, events, fit, horizon_days=horizon_days)
