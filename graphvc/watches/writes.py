"""Every write of ``Watch`` and ``Alert`` nodes: the only module that writes them.

Besides the analysis run, these are graphvc's only writes from the command line's watch
commands and the app's Alerts page; everything else about watches reads. Each function runs
one statement of ``cypher/watches/`` in one write transaction, with every value a
``$parameter``, and touches only ``Watch`` and ``Alert`` nodes and their ``RAISED``
relationships. The values are checked by :mod:`graphvc.watches.store` and
:mod:`graphvc.watches.run` before they come here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import neo4j

from graphvc.db import read_cypher, run_query
from graphvc.watches.model import WatchError

__all__ = ["decide_alert", "delete_watch", "record_run", "save_watch"]


def save_watch(
    driver: neo4j.Driver,
    *,
    owner: str,
    name: str,
    query: str,
    parameters: Mapping[str, Any],
    schedule: str,
    delivery: Mapping[str, Any] | None,
    created: datetime,
    database: str = "neo4j",
) -> None:
    """Create ``owner``'s watch ``name``; a :class:`WatchError` when it exists already."""
    frame = run_query(
        driver,
        read_cypher("watches/save_watch"),
        {
            "owner": owner,
            "name": name,
            "query": query,
            "parameters": json.dumps(dict(parameters), sort_keys=True),
            "schedule": schedule,
            "delivery": None if delivery is None else json.dumps(dict(delivery), sort_keys=True),
            "created": created.isoformat(),
        },
        database=database,
        write=True,
    )
    if not bool(frame.at[0, "created"]):
        raise WatchError(
            f"{owner!r} already has a watch named {name!r}: remove it first or choose another name"
        )


def delete_watch(driver: neo4j.Driver, *, owner: str, name: str, database: str = "neo4j") -> bool:
    """Delete ``owner``'s watch ``name`` (its alerts stay); whether there was one."""
    frame = run_query(
        driver,
        read_cypher("watches/delete_watch"),
        {"owner": owner, "name": name},
        database=database,
        write=True,
    )
    return int(frame["removed"].iloc[0]) > 0


def record_run(
    driver: neo4j.Driver,
    *,
    owner: str,
    name: str,
    ran_at: datetime,
    result_hash: str,
    identities: Sequence[str],
    alerts: Sequence[Mapping[str, Any]],
    database: str = "neo4j",
) -> list[str]:
    """Record a run of ``owner``'s watch ``name`` and create the ``alerts`` not yet created.

    ``identities`` are the result's row identities (each a JSON list); each alert a mapping
    ``{id, identity, ids, summary}``. Returns the ids of the alerts created: an alert whose id
    exists already (its match was alerted before) is left as it is, so a run repeated after a
    crash raises nothing twice.
    """
    frame = run_query(
        driver,
        read_cypher("watches/record_run"),
        {
            "owner": owner,
            "name": name,
            "ran_at": ran_at.isoformat(),
            "hash": result_hash,
            "identities": list(identities),
            "alerts": [dict(alert) for alert in alerts],
        },
        database=database,
        write=True,
    )
    if frame.empty:
        raise WatchError(f"{owner!r} has no watch named {name!r} (removed during its run?)")
    created: list[Any] = list(frame["created"].iloc[0])
    return [str(alert_id) for alert_id in created]


def decide_alert(
    driver: neo4j.Driver,
    *,
    alert_id: str,
    decision: str,
    by: str,
    at: datetime,
    reason: str | None,
    database: str = "neo4j",
) -> None:
    """Record ``by``'s ``decision`` on alert ``alert_id`` at ``at``, kept in its history."""
    entry = {"decision": decision, "by": by, "at": at.isoformat(), "reason": reason}
    frame = run_query(
        driver,
        read_cypher("watches/decide_alert"),
        {
            "id": alert_id,
            "decision": decision,
            "by": by,
            "at": at.isoformat(),
            "reason": reason,
            "entry": json.dumps(entry, sort_keys=True),
        },
        database=database,
        write=True,
    )
    if frame.empty:
        raise WatchError(f"no alert has the id {alert_id!r}")
