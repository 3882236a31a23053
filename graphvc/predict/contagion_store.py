"""Keeping the contagion risk: on the people's nodes, and the last fit and backtest as files.

``graphvc risk contagion`` writes each scored person's risk as ``score_contagion_risk`` with
its parts (``contagion_baseline_part``, ``contagion_neighbours_part``: expected events in the
scored period) and ``contagion_as_of``, stamped ``contagion_scored_at``; people an earlier
scoring named and this one did not lose theirs. It is not an analysis run's score: its
lifecycle is the command's, so ``graphvc analyse``'s clearing and withdrawal
(``cypher/analysis/clear_scores.cypher``, ``withdraw_scores.cypher``, which name the
properties of :data:`graphvc.scores.PERSON_SCORES`) deliberately leave it alone.

The last fit (``risk.json``) and the last backtest (``backtest.json``) are kept as JSON in
``<runs_dir>/contagion/``, beside the stored runs, for the person profile to show.
"""

from __future__ import annotations

import json
import math
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import neo4j
import pandas as pd

from graphvc.db import read_cypher, run_query, run_write

__all__ = [
    "CONTAGION_FOLDER",
    "read_contagion_risks",
    "read_person_contagion",
    "read_saved",
    "save",
    "write_contagion_risk",
]

#: The folder under ``runs_dir`` holding ``risk.json`` and ``backtest.json``.
CONTAGION_FOLDER = "contagion"


def _number(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def write_contagion_risk(
    driver: neo4j.Driver,
    scores: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    database: str = "neo4j",
    batch_size: int = 20_000,
) -> int:
    """Write ``scores`` (:func:`graphvc.predict.contagion.contagion_scores`) onto the people's
    nodes, then clear the risk of people an earlier scoring named and this one did not.

    Returns the number of people written (people of ``scores`` absent from the graph, as
    none are when the scores came from it, are skipped).
    """
    run_at = datetime.now(UTC).isoformat()
    rows = [
        {
            "id": str(person),
            "risk": _number(row.risk),
            "baseline": _number(row.baseline_part),
            "neighbours": _number(row.neighbours_part),
        }
        for person, row in zip(scores.index, scores.itertuples(index=False), strict=True)
    ]
    counters = run_write(
        driver,
        read_cypher("analysis/write_contagion_risk"),
        rows,
        parameters={"as_of": as_of.date().isoformat(), "run_at": run_at},
        database=database,
        batch_size=batch_size,
    )
    run_query(
        driver,
        read_cypher("analysis/clear_contagion_risk"),
        {"run_at": run_at},
        database=database,
        write=True,
    )
    return counters.get("properties_set", 0) // 5


def read_contagion_risks(driver: neo4j.Driver, *, database: str = "neo4j") -> pd.Series:
    """Everyone's ``score_contagion_risk``, by person id (empty when none was written)."""
    found = run_query(driver, read_cypher("analysis/contagion_risks"), database=database)
    if found.empty:
        return pd.Series(dtype=float, name="contagion_risk")
    return found.set_index("person_id")["risk"].astype(float).rename("contagion_risk")


def read_person_contagion(
    driver: neo4j.Driver, person_id: str, *, database: str = "neo4j"
) -> dict[str, Any] | None:
    """The contagion risk written on ``person_id`` (``risk``, ``baseline``, ``neighbours``,
    ``as_of``), or None when none was."""
    found = run_query(
        driver,
        read_cypher("analysis/person_contagion_risk"),
        {"person_id": person_id},
        database=database,
    )
    return None if found.empty else {str(k): v for k, v in found.iloc[0].items()}


def save(runs_dir: Path, name: str, found: dict[str, Any]) -> Path:
    """Keep ``found`` as ``<runs_dir>/contagion/<name>.json`` (written aside, then renamed,
    so a reader never sees half a file)."""
    folder = runs_dir / CONTAGION_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    partial = folder / f".{name}.json.partial"
    partial.write_text(json.dumps(found, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def read_saved(runs_dir: Path, name: str) -> dict[str, Any] | None:
    """What :func:`save` kept as ``name``, or None when nothing (or nothing readable) was."""
    path = runs_dir / CONTAGION_FOLDER / f"{name}.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
