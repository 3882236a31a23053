"""What a run depends on: :class:`AnalysisParameters`, the only defaults, recorded with every
run and report.

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

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from graphvc.analysis.events import rolling_window
from graphvc.analysis.projections import TIE_LAYERS
from graphvc.errors import AnalysisError, ConfigError

__all__ = [
    "DEFAULT_REPEAT_WINDOW_DAYS",
    "DEFAULT_TIE_WEIGHTS",
    "DEFAULT_WINDOW_DAYS",
    "RESOLVE_CHOICES",
    "WEIGHTINGS",
    "AnalysisParameters",
    "choose_ties",
    "parse_as_of",
]

#: The look-back of the network and offending scores (two years).
DEFAULT_WINDOW_DAYS = 730
#: The look-back of repeat victimisation (one year).
DEFAULT_REPEAT_WINDOW_DAYS = 365
#: The tie layers of the person network and their weights, by default every layer at 1: a
#: shared incident counts as much as one association of strength 1 (see
#: :func:`graphvc.analysis.projections.person_network`).
DEFAULT_TIE_WEIGHTS: Mapping[str, float] = dict.fromkeys(TIE_LAYERS, 1.0)
#: How the network measures read a tie's strength (``--weights``): ``"strength"`` (the
#: default) as a strength, more shared incidents or a stronger association bringing two
#: people closer; ``"none"`` not at all, every tie counting as one, as i2 does with its link
#: weightings switched off.
WEIGHTINGS = ("strength", "none")
#: What a run does with the analysts' identity decisions (``analyse --resolve``): count each
#: confirmed cluster as one person, or ignore the decisions.
RESOLVE_CHOICES = ("confirmed", "none")


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
    (:func:`graphvc.graph_tables.default_as_of`), resolved by
    :func:`graphvc.runs.obtain_run`.
    ``tie_weights`` are the tie layers of the person network and their weights
    (:func:`choose_ties`; default :data:`DEFAULT_TIE_WEIGHTS`). The near-repeat (Knox) bands
    are in metres and days; police.uk gives only the month, so on its data the same-month
    band ``[0, 1)`` and the next-month band ``[15, 32)`` (28 to 31 days) are the ones that
    mean something.
    ``weights`` is how the network measures read the ties' strengths (:data:`WEIGHTINGS`):
    ``"none"`` measures the network as unweighted.
    ``resolve`` "confirmed" counts each cluster of ``clusters`` (the confirmed identities,
    :func:`graphvc.identity.confirmed_clusters`) as one person, its lowest id
    (:func:`graphvc.identity.merge_people`); "none" ignores them. Like ``as_of``,
    ``clusters`` None is resolved from the graph by :func:`graphvc.runs.obtain_run` (a run
    analysed from tables in hand merges no one unless given them); the run records how many
    clusters it merged and a digest of them, so a run stored before a decision is not reused
    after it.
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
    weights: str = "strength"
    resolve: str = "confirmed"
    clusters: tuple[tuple[str, ...], ...] | None = None
    #: Where the run is computed: ``"inprocess"`` or ``"spark"`` (:mod:`graphvc.spark`). Not
    #: in :meth:`as_dict`, so not part of the run's identity: both engines give the same run.
    compute_engine: str = "inprocess"

    def __post_init__(self) -> None:
        if self.weights not in WEIGHTINGS:
            raise ConfigError(f"--weights {self.weights!r} is not one of {', '.join(WEIGHTINGS)}")
        if self.resolve not in RESOLVE_CHOICES:
            raise ConfigError(
                f"--resolve {self.resolve!r} must be one of {', '.join(RESOLVE_CHOICES)}"
            )
        if self.clusters is not None:
            object.__setattr__(self, "clusters", _sorted_clusters(self.clusters))
        if self.compute_engine not in ("inprocess", "spark"):
            raise ConfigError(f"engine {self.compute_engine!r} is not inprocess or spark")
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
            "weights": self.weights,
            "near_repeat_metres": list(self.near_repeat_metres),
            "near_repeat_days": list(self.near_repeat_days),
            "near_repeat_simulations": self.near_repeat_simulations,
            "resolve": self.resolve,
            "identities": self._identities(),
            "windows": self.windows(),
        }

    @property
    def merged_clusters(self) -> tuple[tuple[str, ...], ...]:
        """The clusters the run counts as one person each: ``clusters`` when ``resolve`` is
        "confirmed" (none before they are read), else none."""
        return (self.clusters or ()) if self.resolve == "confirmed" else ()

    def _identities(self) -> dict[str, Any]:
        """How many clusters and records the run merged, and a digest of which."""
        merged = self.merged_clusters
        text = json.dumps([list(c) for c in merged])
        return {
            "clusters": len(merged),
            "records": sum(len(c) for c in merged),
            "digest": hashlib.sha256(text.encode()).hexdigest()[:16],
        }


def _sorted_clusters(clusters: Iterable[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """``clusters`` as sorted tuples of sorted ids, clusters of one record left out.

    >>> _sorted_clusters([["P9", "P2"], ["P1"], ("P3", "P1")])
    (('P1', 'P3'), ('P2', 'P9'))
    """
    return tuple(
        sorted(tuple(sorted({str(m) for m in c})) for c in clusters if len({*map(str, c)}) >= 2)
    )


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
