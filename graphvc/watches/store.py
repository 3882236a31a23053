"""Watches and alerts saved, listed, read, removed and decided.

Every function takes a driver and never creates one. Values are checked here (a watch's
query and parameters by the query library's own checks) before
:mod:`graphvc.watches.writes`, the only module that writes ``Watch`` and ``Alert`` nodes,
is called; reads run in read transactions.
"""

from __future__ import annotations

from typing import Any

import neo4j

from graphvc.watches.model import Alert, Watch

__all__ = [
    "add_watch",
    "check_decision",
    "decide_alert",
    "get_alert",
    "get_watch",
    "list_alerts",
    "list_watches",
    "remove_watch",
]


def add_watch(
    driver: neo4j.Driver,
    *,
    owner: str,
    name: str,
    query: str,
    parameters: dict[str, Any],
    schedule: str = "daily",
    delivery: dict[str, Any] | None = None,
    database: str = "neo4j",
) -> Watch:
    """Save a watch; a :class:`WatchError` (or the library's ``QueryError``) when bad."""
    raise NotImplementedError


def list_watches(
    driver: neo4j.Driver, owner: str | None = None, *, database: str = "neo4j"
) -> list[Watch]:
    """Every watch (or ``owner``'s), by owner then name."""
    raise NotImplementedError


def get_watch(driver: neo4j.Driver, owner: str, name: str, *, database: str = "neo4j") -> Watch:
    """``owner``'s watch ``name``; a :class:`WatchError` when there is none."""
    raise NotImplementedError


def remove_watch(driver: neo4j.Driver, owner: str, name: str, *, database: str = "neo4j") -> None:
    """Remove ``owner``'s watch ``name`` (its alerts stay, for the record)."""
    raise NotImplementedError


def list_alerts(
    driver: neo4j.Driver, owner: str, status: str | None = None, *, database: str = "neo4j"
) -> list[Alert]:
    """``owner``'s alerts (of ``status`` only, if given), newest first."""
    raise NotImplementedError


def get_alert(driver: neo4j.Driver, alert_id: str, *, database: str = "neo4j") -> Alert:
    """The alert ``alert_id``; a :class:`WatchError` when there is none."""
    raise NotImplementedError


def check_decision(decision: str, by: str, reason: str | None) -> str | None:
    """The reason to record for ``decision``; a :class:`WatchError` when it is not allowed."""
    raise NotImplementedError


def decide_alert(
    driver: neo4j.Driver,
    *,
    alert_id: str,
    decision: str,
    by: str,
    reason: str | None,
    database: str = "neo4j",
) -> Alert:
    """Record ``by``'s ``decision`` (confirmed or dismissed, the latter with a reason)."""
    raise NotImplementedError
