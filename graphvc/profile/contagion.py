"""A person's contagion risk in words: its parts and the last backtest's verdict.

The risk, its parts and its date are read from the person's node (written by
``graphvc risk contagion``, :mod:`graphvc.predict.contagion_store`); the fit and the backtest
from the files kept beside the stored runs. A profile shows them only when a risk was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import neo4j

from graphvc.predict.contagion_store import read_person_contagion, read_saved

__all__ = ["contagion_facts", "contagion_words"]


def contagion_facts(
    driver: neo4j.Driver, person_id: str, *, runs_dir: Path, database: str = "neo4j"
) -> dict[str, Any] | None:
    """The person's contagion risk (``risk``, ``baseline``, ``neighbours``, ``as_of``) with the
    last fit (``fit``: what ``risk.json`` keeps) and backtest (``backtest``), or None when no
    risk was written on them."""
    risk = read_person_contagion(driver, person_id, database=database)
    if risk is None:
        return None
    return risk | {
        "fit": read_saved(runs_dir, "risk"),
        "backtest": read_saved(runs_dir, "backtest"),
    }


def contagion_words(facts: dict[str, Any]) -> list[str]:
    """Sentences for :func:`contagion_facts`: the risk, its two parts, the backtest's verdict.

    Examples
    --------
    >>> words = contagion_words({"risk": 0.1175, "baseline": 0.025, "neighbours": 0.1,
    ...     "as_of": "2026-01-01", "fit": {"horizon_days": 90, "outcome": "victim"},
    ...     "backtest": None})
    >>> print(words[0])
    Contagion risk 11.8 %: the chance of at least one gun or knife victimisation in the 90 days from 2026-01-01.
    >>> print(words[1])
    Expected events 0.125: 0.025 from the baseline and their own history, 0.100 from network neighbours' recent victimisations (80 % of it).
    >>> print(words[2])
    No backtest is stored: run graphvc backtest contagion before relying on this risk.
    """
    fit = facts.get("fit") or {}
    days = fit.get("horizon_days")
    event = "offence" if fit.get("outcome") == "offender" else "victimisation"
    period = f"in the {days} days from {facts['as_of']}" if days else f"from {facts['as_of']}"
    baseline, neighbours = float(facts["baseline"]), float(facts["neighbours"])
    expected = baseline + neighbours
    share = f" ({100 * neighbours / expected:.0f} % of it)" if expected > 0 else ""
    words = [
        f"Contagion risk {100 * float(facts['risk']):.1f} %: the chance of at least one gun or "
        f"knife {event} {period}.",
        f"Expected events {expected:.3f}: {baseline:.3f} from the baseline and their own "
        f"history, {neighbours:.3f} from network neighbours' recent {event}s{share}.",
    ]
    backtest = facts.get("backtest")
    if backtest:
        words.append(
            f"Last backtest (trained until {backtest['train_until']}, "
            f"{backtest['test_months']} months tested): {backtest['verdict']}"
        )
    else:
        words.append(
            "No backtest is stored: run graphvc backtest contagion before relying on this risk."
        )
    return words
