"""What a watch and an alert are: the two dataclasses, their value lists, and the rule that
names a result row (its identity), by which a run tells a new match from one seen before.

A row's identity is the ids it names: the values of its columns named ``id`` or ending in
``_id`` (``person_id``, ``victim_id``, ``incident_id``, ``place_id``...), a list column ending
in ``_ids`` counting each of its ids, as ``column=value`` pairs sorted by column. A row that
names no id is identified by all its values. Two rows with the same ids are the same match
even when their other columns (a count, a score, a date) changed: a watch on repeat pairs
alerts once on a new pair, not each time the pair offends again; a query that wants every
new incident to alert names the incident's id in its rows (as
``domestic_abuse_third_incident`` does).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from graphvc.errors import GraphvcError

__all__ = [
    "DECISIONS",
    "EXPLORER",
    "SCHEDULES",
    "STATUSES",
    "Alert",
    "Watch",
    "WatchError",
    "result_hash",
    "row_identity",
]

#: How often a watch is due, and the time between two runs of it.
SCHEDULES: dict[str, timedelta] = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
}
#: The query of a watch on an explorer view (a centre and hops) rather than a library query.
EXPLORER = "explorer"
#: An alert's status: new until an analyst decides it.
STATUSES: tuple[str, ...] = ("new", "confirmed", "dismissed")
#: What an analyst may decide of an alert.
DECISIONS: tuple[str, ...] = ("confirmed", "dismissed")


class WatchError(GraphvcError):
    """A watch or an alert cannot be saved, found, run or decided: a bad name, query,
    parameter, schedule, delivery or decision, or no such watch or alert."""


@dataclass(frozen=True)
class Watch:
    """A saved query (or explorer view) that ``graphvc watch run`` re-runs on its schedule.

    Identified by ``(owner, name)``. ``query`` is a library query's name or :data:`EXPLORER`
    (then ``parameters`` are ``{"centre": id, "hops": n}``). ``last_hash`` is the SHA-256 of
    the last result's row identities (:func:`result_hash`); ``delivery`` is ``None``,
    ``{"email": address}`` or ``{"webhook": url}``.
    """

    name: str
    owner: str
    query: str
    parameters: dict[str, Any]
    schedule: str
    created: datetime
    last_run: datetime | None
    last_hash: str | None
    delivery: dict[str, Any] | None

    def due(self, now: datetime) -> bool:
        """Whether the watch should run at ``now``: never run, or run a schedule ago.

        A minute's slack keeps a daily cron job from skipping a day because yesterday's run
        finished a few seconds after the hour.
        """
        if self.last_run is None:
            return True
        return now - self.last_run >= SCHEDULES[self.schedule] - timedelta(minutes=1)


@dataclass(frozen=True)
class Alert:
    """A new match of a watch: the ids its row names, found by a run, then decided."""

    id: str
    watch: str
    owner: str
    found_at: datetime
    ids: list[str]
    summary: str
    status: str
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


def _plain(value: Any) -> Any:
    """``value`` as JSON can hold it (dates as ISO text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else value


def row_identity(row: Mapping[str, Any]) -> list[str]:
    """The identity of a result row: ``column=id`` for each id it names (see the module).

    Examples
    --------
    >>> row_identity({"victim_id": "P4", "incident_id": "I9", "incidents": 3})
    ['incident_id=I9', 'victim_id=P4']
    >>> row_identity({"member_ids": ["P2", "P1"], "size": 2})
    ['member_ids=P1', 'member_ids=P2']
    >>> row_identity({"category": "knife_enabled", "n": 2})
    ['category=knife_enabled', 'n=2']
    """
    named: list[str] = []
    for column, value in row.items():
        if column == "id" or column.endswith("_id"):
            if value is not None:
                named.append(f"{column}={value}")
        elif column.endswith("_ids") and isinstance(value, (list, tuple)):
            named += [f"{column}={v}" for v in value if v is not None]
    if not named:
        named = [
            f"{column}={json.dumps(_plain(value), sort_keys=True)}".replace('"', "")
            for column, value in row.items()
        ]
    return sorted(set(named))


def result_hash(identities: Iterable[Iterable[str]]) -> str:
    """The SHA-256 of a result's row identities, in any order (the watch's ``last_hash``)."""
    keys = sorted(json.dumps(sorted(identity)) for identity in identities)
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()
