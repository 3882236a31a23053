"""What changed since the previous report: who entered or left the list, who moved."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CHANGES", "comparable", "rank_changes", "read_list"]

#: The kinds of change, in the order of ``changes.csv``.
CHANGES = ("entered", "up", "down", "unchanged", "left")


def rank_changes(
    current: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    ranking: pd.Series | None = None,
) -> pd.DataFrame:
    """How the list changed since the previous report.

    Parameters
    ----------
    current, previous : pandas.DataFrame
        The lists (``person_id``, ``rank``, ``priority``) of this report and the previous
        one; ``previous`` is ``None`` for a first report (the table is then empty).
    ranking : pandas.Series, optional
        Everyone's rank now (by ``person_id``), to show where those who left stand now.

    Returns
    -------
    pandas.DataFrame
        One row per person on either list: ``person_id``, ``change`` (``entered`` the
        list, moved ``up`` or ``down``, ``unchanged``, or ``left`` it), ``rank`` (now;
        empty for someone no longer scored), ``previous_rank``, ``places_moved``
        (previous rank − rank: positive is up) and ``priority``, ``previous_priority``.
        Sorted by change (in :data:`CHANGES` order), then rank, then person.

    Examples
    --------
    >>> now = pd.DataFrame({"person_id": ["A", "C", "B"], "rank": [1, 2, 3],
    ...                     "priority": [0.9, 0.8, 0.7]})
    >>> before = pd.DataFrame({"person_id": ["B", "A", "D"], "rank": [1, 2, 3],
    ...                        "priority": [0.9, 0.8, 0.6]})
    >>> changes = rank_changes(now, before, ranking=pd.Series({"A": 1, "C": 2, "B": 3, "D": 7}))
    >>> changes["person_id"].tolist(), changes["change"].tolist()
    (['C', 'A', 'B', 'D'], ['entered', 'up', 'down', 'left'])
    >>> changes["places_moved"].tolist()
    [<NA>, 1, -2, -4]
    """
    columns = [
        "person_id",
        "change",
        "rank",
        "previous_rank",
        "places_moved",
        "priority",
        "previous_priority",
    ]
    if previous is None:
        types = dict.fromkeys(columns, "Int64") | {
            "person_id": "string",
            "change": "string",
            "priority": "float64",
            "previous_priority": "float64",
        }
        return pd.DataFrame({c: pd.Series(dtype=types[c]) for c in columns})
    now = current.set_index(current["person_id"].astype("string"))[["rank", "priority"]]
    before = previous.set_index(previous["person_id"].astype("string"))[["rank", "priority"]]
    table = now.join(before.add_prefix("previous_"), how="outer")
    table.index.name = "person_id"
    change = np.select(
        [
            table["previous_rank"].isna(),
            table["rank"].isna(),
            table["previous_rank"] > table["rank"],
            table["previous_rank"] < table["rank"],
        ],
        ["entered", "left", "up", "down"],
        "unchanged",
    )
    if ranking is not None:
        left = change == "left"
        ranks = pd.Series(ranking, dtype="Int64").reindex(table.index[left])
        table.loc[left, "rank"] = ranks.to_numpy()
    table["rank"] = table["rank"].astype("Int64")
    table["previous_rank"] = table["previous_rank"].astype("Int64")
    table["change"] = change
    table["places_moved"] = table["previous_rank"] - table["rank"]
    order = table["change"].map({c: i for i, c in enumerate(CHANGES)})
    table = table.assign(_order=order, _rank=table["rank"].fillna(table["previous_rank"]))
    table = table.reset_index().sort_values(["_order", "_rank", "person_id"], kind="stable")
    table["person_id"] = table["person_id"].astype("string")
    table["change"] = table["change"].astype("string")
    return table[columns].reset_index(drop=True)


def comparable(
    report: str, key_id: str | None, pseudonymised: bool
) -> Callable[[Mapping[str, Any]], bool]:
    """Whether a previous report names people the way this one does."""

    def check(previous: Mapping[str, Any]) -> bool:
        return (
            previous.get("report") == report
            and bool(previous.get("parameters", {}).get("pseudonymised")) == pseudonymised
            and previous.get("pseudonym_key_id") == key_id
        )

    return check


def read_list(report: Path) -> pd.DataFrame:
    """The list (``person_id``, ``rank``, ``priority``) of an earlier report."""
    return pd.read_csv(
        report / "offenders.csv",
        usecols=["person_id", "rank", "priority"],
        dtype={"person_id": "string"},
    )
