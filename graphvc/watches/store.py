"""Watches and alerts saved, listed, read, removed and decided.

Every function takes a driver and never creates one. Values are checked here (a watch's
query and parameters by the query library's own checks) before
:mod:`graphvc.watches.writes`, the only module that writes ``Watch`` and ``Alert`` nodes,
is called; reads run in read transactions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import neo4j

from graphvc.db import read_cypher, run_query
from graphvc.watches import writes
from graphvc.watches.model import DECISIONS, EXPLORER, SCHEDULES, STATUSES, Alert, Watch, WatchError

__all__ = [
    "add_watch",
    "alert_history",
    "check_decision",
    "check_watch",
    "decide_alert",
    "get_alert",
    "get_watch",
    "list_alerts",
    "list_watches",
    "remove_watch",
]

_WATCH_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")


def _check_delivery(delivery: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``delivery`` as saved: None, ``{"email": address}`` or ``{"webhook": url}``."""
    if delivery is None or not dict(delivery):
        return None
    if len(delivery) != 1 or next(iter(delivery)) not in ("email", "webhook"):
        raise WatchError(
            f"delivery {dict(delivery)!r} must be {{'email': address}} or {{'webhook': url}}"
        )
    ((kind, target),) = delivery.items()
    if kind == "email" and not (isinstance(target, str) and _EMAIL.fullmatch(target)):
        raise WatchError(f"delivery e-mail {target!r} is not an e-mail address")
    if kind == "webhook":
        parts = urlsplit(target) if isinstance(target, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
            raise WatchError(f"delivery webhook {target!r} is not an http(s) URL")
    return {kind: target}


def _check_explorer(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """An explorer view's parameters: ``centre`` (an id) and ``hops`` (1 to 3)."""
    if set(parameters) - {"centre", "hops"} or "centre" not in parameters:
        raise WatchError(
            f"an explorer watch takes parameters centre (an id) and hops (1-3), not "
            f"{sorted(parameters)}"
        )
    centre, hops = parameters["centre"], parameters.get("hops", 2)
    if not isinstance(centre, str) or not centre.strip():
        raise WatchError(f"explorer watch parameter centre = {centre!r} is not an id")
    try:
        hops = int(hops)
    except (TypeError, ValueError):
        raise WatchError(f"explorer watch parameter hops = {hops!r} is not 1, 2 or 3") from None
    if not 1 <= hops <= 3:
        raise WatchError(f"explorer watch parameter hops = {hops!r} is not 1, 2 or 3")
    return {"centre": centre.strip(), "hops": hops}


def check_watch(query: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters to save for a watch on ``query``: the given ones, checked and converted
    by the query library (:func:`graphvc.queries.check_parameters`); the others are left to
    the query's defaults at each run. A ``QueryError`` when the query is not a library
    query that reads, or a parameter is bad."""
    from graphvc.queries import check_parameters, load_query

    if query == EXPLORER:
        return _check_explorer(parameters)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", query):
        raise WatchError(f"{query!r} is not the name of a library query (nor {EXPLORER!r})")
    stored = load_query(query)
    if stored.mode != "read":
        raise WatchError(f"query {query!r} writes (mode {stored.mode!r}): a watch only reads")
    checked = check_parameters(stored, parameters)
    return {name: checked[name] for name in parameters if parameters[name] is not None}


def add_watch(
    driver: neo4j.Driver,
    *,
    owner: str,
    name: str,
    query: str,
    parameters: Mapping[str, Any],
    schedule: str = "daily",
    delivery: Mapping[str, Any] | None = None,
    database: str = "neo4j",
) -> Watch:
    """Save ``owner``'s watch ``name`` on library query ``query`` (or an explorer view).

    Parameters
    ----------
    driver : neo4j.Driver
    owner : str
        Who the watch and its alerts belong to.
    name : str
        Letters, digits, ``_``, ``.`` and ``-``, at most 64; unique per owner.
    query : str
        A library query's name, or ``"explorer"`` with parameters ``{"centre": id, "hops": n}``.
    parameters : mapping
        The query's parameter values, checked as ``graphvc query run`` checks them.
    schedule : str
        ``hourly``, ``daily`` or ``weekly``: how often ``graphvc watch run --all`` runs it.
    delivery : mapping, optional
        ``{"email": address}`` or ``{"webhook": url}``: where new alerts are also sent, when
        the settings allow it (:mod:`graphvc.watches.delivery`).

    Raises
    ------
    WatchError
        A bad owner, name, schedule or delivery, or a watch of that name exists already.
    QueryError
        An unknown query or a bad parameter value.
    """
    if not isinstance(owner, str) or not owner.strip():
        raise WatchError(f"a watch needs an owner, not {owner!r}")
    if not isinstance(name, str) or not _WATCH_NAME.fullmatch(name):
        raise WatchError(
            f"watch name {name!r} must be 1-64 letters, digits, _, . or -, starting with a "
            "letter or digit"
        )
    if schedule not in SCHEDULES:
        raise WatchError(f"schedule {schedule!r} is not one of {', '.join(SCHEDULES)}")
    checked = check_watch(query, parameters)
    saved_delivery = _check_delivery(delivery)
    created = datetime.now(UTC).replace(microsecond=0)
    writes.save_watch(
        driver,
        owner=owner,
        name=name,
        query=query,
        parameters=checked,
        schedule=schedule,
        delivery=saved_delivery,
        created=created,
        database=database,
    )
    return Watch(name, owner, query, checked, schedule, created, None, None, saved_delivery)


def _native(value: Any) -> Any:
    """A Neo4j temporal value as Python's; missing values (None, NaN, NaT) as None."""
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        return to_native()
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


def _watches(
    driver: neo4j.Driver, owner: str | None, name: str | None, database: str
) -> list[tuple[Watch, list[str]]]:
    """The watches asked for, each with its last result's row identities."""
    frame = run_query(
        driver, read_cypher("watches/watches"), {"owner": owner, "name": name}, database=database
    )
    found = []
    for row in frame.to_dict(orient="records"):
        delivery = _native(row["delivery"])
        watch = Watch(
            name=str(row["name"]),
            owner=str(row["owner"]),
            query=str(row["query"]),
            parameters=json.loads(row["parameters"]),
            schedule=str(row["schedule"]),
            created=_native(row["created"]),
            last_run=_native(row["last_run"]),
            last_hash=_native(row["last_hash"]),
            delivery=json.loads(delivery) if delivery else None,
        )
        found.append((watch, [str(i) for i in (_native(row["last_ids"]) or [])]))
    return found


def list_watches(
    driver: neo4j.Driver, owner: str | None = None, *, database: str = "neo4j"
) -> list[Watch]:
    """Every watch (or ``owner``'s), by owner then name."""
    return [watch for watch, _ in _watches(driver, owner, None, database)]


def get_watch(driver: neo4j.Driver, owner: str, name: str, *, database: str = "neo4j") -> Watch:
    """``owner``'s watch ``name``; a :class:`WatchError` when there is none."""
    found = _watches(driver, owner, name, database)
    if not found:
        raise WatchError(f"{owner!r} has no watch named {name!r}")
    return found[0][0]


def remove_watch(driver: neo4j.Driver, owner: str, name: str, *, database: str = "neo4j") -> None:
    """Remove ``owner``'s watch ``name`` (its alerts stay, for the record of what was found
    and decided); a :class:`WatchError` when there is none."""
    if not writes.delete_watch(driver, owner=owner, name=name, database=database):
        raise WatchError(f"{owner!r} has no watch named {name!r}")


def _alerts(
    driver: neo4j.Driver,
    database: str,
    *,
    alert_id: str | None = None,
    owner: str | None = None,
    status: str | None = None,
) -> list[Alert]:
    frame = run_query(
        driver,
        read_cypher("watches/alerts"),
        {"id": alert_id, "owner": owner, "status": status},
        database=database,
    )
    return [
        Alert(
            id=str(row["id"]),
            watch=str(row["watch"]),
            owner=str(row["owner"]),
            found_at=_native(row["found_at"]),
            ids=[str(i) for i in (_native(row["ids"]) or [])],
            summary=str(row["summary"]),
            status=str(row["status"]),
            decided_by=_native(row["decided_by"]),
            decided_at=_native(row["decided_at"]),
            reason=_native(row["reason"]),
        )
        for row in frame.to_dict(orient="records")
    ]


def list_alerts(
    driver: neo4j.Driver, owner: str, status: str | None = None, *, database: str = "neo4j"
) -> list[Alert]:
    """``owner``'s alerts (of ``status`` only, if given), newest first."""
    if status is not None and status not in STATUSES:
        raise WatchError(f"alert status {status!r} is not one of {', '.join(STATUSES)}")
    return _alerts(driver, database, owner=owner, status=status)


def get_alert(driver: neo4j.Driver, alert_id: str, *, database: str = "neo4j") -> Alert:
    """The alert ``alert_id``; a :class:`WatchError` when there is none."""
    found = _alerts(driver, database, alert_id=alert_id)
    if not found:
        raise WatchError(f"no alert has the id {alert_id!r}")
    return found[0]


def alert_history(
    driver: neo4j.Driver, alert_id: str, *, database: str = "neo4j"
) -> list[dict[str, Any]]:
    """Every decision taken on alert ``alert_id``, oldest first: ``decision``, ``by``, ``at``
    (ISO text) and ``reason``."""
    frame = run_query(
        driver,
        read_cypher("watches/alerts"),
        {"id": alert_id, "owner": None, "status": None},
        database=database,
    )
    if frame.empty:
        raise WatchError(f"no alert has the id {alert_id!r}")
    return [json.loads(entry) for entry in (_native(frame.at[0, "decisions"]) or [])]


def check_decision(decision: str, by: str, reason: str | None) -> str | None:
    """The reason to record with ``decision`` (stripped; None when blank); a
    :class:`WatchError` in one line when the decision is not confirmed or dismissed, no one
    decides, or a dismissal gives no reason.

    Examples
    --------
    >>> check_decision("dismissed", "analyst1", "  already known to MARAC ")
    'already known to MARAC'
    >>> check_decision("dismissed", "analyst1", " ")
    Traceback (most recent call last):
    ...
    graphvc.watches.model.WatchError: dismissing an alert needs a reason
    """
    if decision not in DECISIONS:
        raise WatchError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    if not isinstance(by, str) or not by.strip():
        raise WatchError(f"a decision needs who took it, not {by!r}")
    reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
    if decision == "dismissed" and reason is None:
        raise WatchError("dismissing an alert needs a reason")
    return reason


def decide_alert(
    driver: neo4j.Driver,
    *,
    alert_id: str,
    decision: str,
    by: str,
    reason: str | None,
    database: str = "neo4j",
) -> Alert:
    """Record ``by``'s ``decision`` on alert ``alert_id`` and return the alert as it now is.

    ``decision`` is ``confirmed`` (open a case) or ``dismissed`` (``reason`` required). A
    later decision replaces the alert's status, by, at and reason; every decision stays in its
    history (:func:`alert_history`). The caller audits the decision (the command line with
    :func:`graphvc.audit.record`, the app with its access helper) before calling.

    Raises
    ------
    WatchError
        A bad decision, no ``by``, a dismissal without a reason, or no such alert.
    """
    reason = check_decision(decision, by, reason)
    writes.decide_alert(
        driver,
        alert_id=alert_id,
        decision=decision,
        by=by.strip(),
        at=datetime.now(UTC),
        reason=reason,
        database=database,
    )
    return get_alert(driver, alert_id, database=database)
