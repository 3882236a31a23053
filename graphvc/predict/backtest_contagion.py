"""The contagion backtest: fit before a date, predict the months after, compare with baselines.

The model (:mod:`graphvc.predict.contagion`) is fitted on everything before ``train_until``
and scores the network's people for the ``test_months`` after it. So do three baselines an
analyst already has, on the same people: the count of their prior gun and knife events
(``prior_count``), their number of ties (``degree``) and their RFG offending score
(``rfg``, :func:`graphvc.analysis.priority.rfg_scores`). Each is scored on who then had an
event: the share of them in the top 1 % and 5 % of scores, and the ROC AUC.

When the model wins. What an analyst acts on is the top of a list, so the deciding measure is
the hit rate of the top 5 % (:data:`DECIDING`). The contagion model costs more to explain than
a count, so it is said to win only if it beats the best baseline on that measure by a margin
the data could not produce by chance: the 95 % interval of the difference (a stratified
paired bootstrap over people, :func:`graphvc.predict.risk_metrics.paired_difference`) lies
above 0. Otherwise the winner is the best baseline, even where the model is a little ahead:
a tie goes to the simpler list.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from graphvc.analysis.events import DateLike
from graphvc.analysis.priority import rfg_scores
from graphvc.analysis.proportionality import proportionality
from graphvc.errors import AnalysisError
from graphvc.predict.contagion import (
    contagion_events,
    contagion_network,
    contagion_scores,
    fit_contagion,
)
from graphvc.predict.risk_metrics import hit_rate, paired_difference, roc_auc

__all__ = ["BASELINES", "DECIDING", "backtest_contagion", "risk_list_proportionality", "verdict"]

#: The baselines, each a column of the scored people, in the order they are reported.
BASELINES: tuple[str, ...] = ("prior_count", "degree", "rfg")
#: The top shares whose hit rate is reported.
_TOPS = {"hit_rate_1pct": 0.01, "hit_rate_5pct": 0.05}
#: The measure that decides the winner: the share of the period's victims in the top 5 %,
#: the list an analyst can act on (the AUC weighs the whole ranking, most of which no one
#: acts on, and is reported beside it).
DECIDING = "hit_rate_5pct"


def _or_lowest(value: float) -> float:
    return -np.inf if np.isnan(value) else value


def _first_day(incidents: pd.DataFrame, before: pd.Timestamp) -> pd.Timestamp:
    occurred = pd.to_datetime(incidents["occurred_at"], errors="coerce")
    if occurred.dt.tz is not None:
        occurred = occurred.dt.tz_localize(None)
    first = occurred[occurred < before].min()
    if pd.isna(first):
        raise AnalysisError(f"no incident before {before.date()} to fit the contagion on")
    return pd.Timestamp(first).normalize()


def backtest_contagion(
    tables: Mapping[str, pd.DataFrame],
    *,
    train_until: DateLike,
    test_months: int,
    outcome: str = "victim",
    seed: int = 0,
    samples: int = 200,
) -> dict[str, Any]:
    """Fit before ``train_until``, score the ``test_months`` after it, beside the baselines.

    Returns
    -------
    dict
        ``method`` ("contagion"), ``train_until``, ``test_months``, ``results`` (one row per
        method, the model first: ``name``, ``hit_rate_1pct``, ``hit_rate_5pct``, ``auc``),
        ``winner`` (see the module's docstring; None when no one scored had an event in
        the test months), ``margin`` (the model's lead over the best baseline on
        :data:`DECIDING`: ``metric``, ``baseline``, ``difference``, ``low``, ``high``),
        ``population`` (the people scored), ``victims`` (of them, those with an event in the
        test period), ``victims_outside`` (events' people outside the network: missed by
        every method), ``fit`` (:meth:`ContagionFit.as_dict`) and ``verdict``, a sentence.

    Raises
    ------
    AnalysisError
        If ``test_months`` is not positive, or as :func:`fit_contagion`.
    """
    if test_months < 1:
        raise AnalysisError(f"test_months={test_months!r} must be at least 1")
    until = pd.Timestamp(train_until)
    test_end = until + pd.DateOffset(months=test_months)
    incidents, involvements = tables["incidents"], tables["involvements"]
    events = contagion_events(incidents, involvements, outcome=outcome, end=until)
    G = contagion_network(tables, end=until)
    fit = fit_contagion(G, events, start=_first_day(incidents, until), end=until, seed=seed)
    horizon = (test_end - until) / pd.Timedelta(days=1)
    scored = contagion_scores(G, events, fit, horizon_days=horizon)
    later = contagion_events(incidents, involvements, outcome=outcome, start=until, end=test_end)
    hurt = set(later["person_id"].astype(str))
    labels = scored.index.isin(list(hurt))
    rfg = rfg_scores(incidents, involvements, as_of=until)["rfg"]
    methods = {
        "contagion": scored["risk"].to_numpy(),
        "prior_count": scored["prior_events"].to_numpy(dtype=float),
        "degree": scored["degree"].to_numpy(dtype=float),
        "rfg": rfg.reindex(scored.index).fillna(0.0).to_numpy(dtype=float),
    }
    results: list[dict[str, Any]] = [
        {"name": name, **{k: hit_rate(s, labels, share) for k, share in _TOPS.items()}}
        | {"auc": roc_auc(s, labels)}
        for name, s in methods.items()
    ]
    best = max(results[1:], key=lambda row: _or_lowest(float(row[DECIDING])))
    difference, low, high = paired_difference(
        lambda s, y: hit_rate(s, y, _TOPS[DECIDING]),
        methods["contagion"],
        methods[best["name"]],
        labels,
        samples=samples,
        seed=seed,
    )
    # With no one hurt in the test months there is nothing to rank: no winner.
    winner = None if not labels.any() else "contagion" if low > 0 else best["name"]
    found: dict[str, Any] = {
        "method": "contagion",
        "train_until": until.date().isoformat(),
        "test_months": test_months,
        "outcome": outcome,
        "results": results,
        "winner": winner,
        "margin": {
            "metric": DECIDING,
            "baseline": best["name"],
            "difference": difference,
            "low": low,
            "high": high,
        },
        "population": len(scored),
        "victims": int(labels.sum()),
        "victims_outside": len(hurt - set(scored.index)),
        "fit": fit.as_dict(),
    }
    found["verdict"] = verdict(found)
    return found


def verdict(backtest: Mapping[str, Any]) -> str:
    """The backtest's answer in one plain sentence.

    Examples
    --------
    >>> print(verdict({"winner": "prior_count", "test_months": 6, "victims": 40,
    ...     "margin": {"baseline": "prior_count", "difference": 0.025, "low": -0.05,
    ...     "high": 0.1}}))
    The contagion model did not beat prior_count: it found 2.5 points more of the period's victims in its top 5 % (95% interval -5.0 to 10.0), within chance, so prior_count wins (40 victims in the 6 months tested).
    """
    margin = backtest["margin"]
    if backtest["winner"] is None:
        return (
            f"No one scored had an event in the {backtest['test_months']} months tested: "
            "the backtest cannot tell which method is better."
        )
    lead = (
        f"{100 * abs(margin['difference']):.1f} points "
        f"{'more' if margin['difference'] > 0 else 'fewer'} of the period's victims in its "
        f"top 5 % (95% interval {100 * margin['low']:.1f} to {100 * margin['high']:.1f})"
    )
    period = f"({backtest['victims']} victims in the {backtest['test_months']} months tested)"
    if backtest["winner"] == "contagion":
        return (
            f"The contagion model wins: it found {lead} than the best baseline, "
            f"{margin['baseline']} {period}."
        )
    chance = ", within chance," if margin["difference"] > 0 else ","
    return (
        f"The contagion model did not beat {margin['baseline']}: it found {lead}"
        f"{chance} so {backtest['winner']} wins {period}."
    )


def risk_list_proportionality(
    scores: pd.DataFrame, persons: pd.DataFrame, *, share: float = 0.05
) -> pd.DataFrame:
    """The make-up (age band, sex, ethnicity) of the top ``share`` of a risk list beside the
    make-up of everyone it scored (:func:`graphvc.analysis.proportionality.proportionality`).

    ``scores`` is :func:`~graphvc.predict.contagion.contagion_scores` (sorted by risk);
    people scored but absent from ``persons`` (a network read from associations alone) are
    left out of both.
    """
    known = scores.index[scores.index.isin(persons["person_id"].astype(str))]
    size = int(np.ceil(share * len(known)))
    return proportionality(list(known[:size]), persons, population=known)
