"""Runs of watches: each due watch read-only, its new matches recorded as alerts.

A run reads through the query library's runner (:func:`graphvc.queries.run_stored_query`:
the parameters checked, the plan refused if it writes or could read a name, the rows read in
a read transaction with the settings' timeout) or, for an explorer view, through
:func:`graphvc.explore.ego_network`. Each row is named by its identity
(:func:`~graphvc.watches.model.row_identity`); a row whose identity the watch's last result
did not hold is a new match, recorded as an :class:`~graphvc.watches.model.Alert` by
:func:`graphvc.watches.writes.record_run` with the run's time, hash and identities, in one
transaction. A watch's first run records what it finds as the baseline and raises nothing:
a watch answers "tell me when this happens *again*", and what the analyst saw when saving it
is not news. Runs are idempotent: on unchanged data a run finds no identity it had not, and
an alert's id is derived from its watch and identity, so no match is alerted twice.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import neo4j

from graphvc.config import Settings
from graphvc.errors import GraphvcError
from graphvc.watches import writes
from graphvc.watches.delivery import deliver
from graphvc.watches.model import EXPLORER, Watch, WatchError, result_hash, row_identity
from graphvc.watches.store import _watches

__all__ = ["alert_id", "run_watch", "run_watches", "watch_rows"]

#: The longest summary an alert keeps of its row.
_SUMMARY_LENGTH = 300


def alert_id(watch: Watch, identity: list[str]) -> str:
    """The id of ``watch``'s alert on the row of ``identity``: the same match, the same id."""
    key = json.dumps([watch.owner, watch.name, identity])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def watch_rows(
    driver: neo4j.Driver, watch: Watch, *, timeout: float | None, database: str = "neo4j"
) -> list[dict[str, Any]]:
    """The rows ``watch``'s query returns now, read-only, as plain dictionaries."""
    if watch.query == EXPLORER:
        from graphvc.explore import ego_network

        network = ego_network(
            driver,
            str(watch.parameters["centre"]),
            hops=int(watch.parameters.get("hops", 2)),
            database=database,
            timeout=timeout,
        )
        # The view's nodes, named as a library query names them (person_id, incident_id...).
        return [
            {f"{str(label).lower()}_id": node_id, "hop": int(hop)}
            for label, node_id, hop in zip(
                network.nodes["label"], network.nodes["id"], network.nodes["hop"], strict=True
            )
        ]
    from graphvc.queries import run_stored_query

    frame = run_stored_query(
        driver, watch.query, watch.parameters, database=database, timeout=timeout
    )
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _named_ids(identity: Iterable[str]) -> list[str]:
    """The ids an identity names (the values of its id columns), without their columns."""
    named = []
    for part in identity:
        column, _, value = part.partition("=")
        if column == "id" or column.endswith(("_id", "_ids")):
            named.append(value)
    return named


def _summary(watch: Watch, row: Mapping[str, Any]) -> str:
    """One line on the row: the watch, then each column and its value."""
    parts = []
    for column, value in row.items():
        if value is None or (isinstance(value, float) and value != value):
            continue
        shown = value.isoformat() if hasattr(value, "isoformat") else value
        if isinstance(shown, float):
            shown = round(shown, 3)
        parts.append(f"{column} {shown}")
    text = f"{watch.name}: " + ", ".join(parts)
    return text if len(text) <= _SUMMARY_LENGTH else text[: _SUMMARY_LENGTH - 1] + "…"


def run_watch(
    driver: neo4j.Driver,
    watch: Watch,
    previous: Iterable[str],
    *,
    now: datetime,
    timeout: float | None = None,
    database: str = "neo4j",
) -> dict[str, Any]:
    """Run ``watch`` once, record its new matches; its line of the run's summary.

    ``previous`` are the row identities of its last result (JSON lists). The line is
    ``{"name", "owner", "rows", "new", "alerts", "ids", "seconds"}``: ``alerts`` the ids of
    the alerts created, the ``ids`` they name (for the audit trail), and how long the run and
    its record took.
    """
    started = time.perf_counter()
    rows = watch_rows(driver, watch, timeout=timeout, database=database)
    identities = [row_identity(row) for row in rows]
    keys = [json.dumps(identity) for identity in identities]
    seen, baseline = set(previous), watch.last_run is None
    fresh: dict[str, dict[str, Any]] = {}
    for key, identity, row in zip(keys, identities, rows, strict=True):
        if baseline or key in seen or key in fresh:
            continue
        fresh[key] = {
            "id": alert_id(watch, identity),
            "identity": key,
            "ids": _named_ids(identity),
            "summary": _summary(watch, row),
        }
    created = writes.record_run(
        driver,
        owner=watch.owner,
        name=watch.name,
        ran_at=now,
        result_hash=result_hash(identities),
        identities=sorted(set(keys)),
        alerts=list(fresh.values()),
        database=database,
    )
    recorded = set(created)
    made = [alert for alert in fresh.values() if alert["id"] in recorded]
    return {
        "name": watch.name,
        "owner": watch.owner,
        "rows": len(rows),
        "new": len(made),
        "alerts": [alert["id"] for alert in made],
        "ids": sorted({i for alert in made for i in alert["ids"]}),
        "seconds": round(time.perf_counter() - started, 3),
    }


def run_watches(
    driver: neo4j.Driver,
    *,
    names: Iterable[str] | None = None,
    owner: str | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
    database: str | None = None,
) -> dict[str, Any]:
    """Run the due watches (or those ``names``, due or not) and record their new matches.

    Parameters
    ----------
    driver : neo4j.Driver
    names : iterable of str, optional
        Run these watches (of ``owner``, or of whoever has one of that name) whatever their
        schedule. Default: every watch (of ``owner``, if given) that is due at ``now``.
    owner : str, optional
        Only this owner's watches.
    now : datetime, optional
        The time of the run (default: now, UTC): which watches are due, and the alerts' time.
    settings : Settings, optional
        The query timeout, the database and the delivery of new alerts (e-mail, webhook).
        Without settings nothing is delivered.

    Returns
    -------
    dict
        ``{"ran": n, "new_alerts": n, "watches": [{"name", "owner", "rows", "new", ...}]}``,
        one line per watch run, with the alerts' ids (``alerts``), the ids they name
        (``ids``), and, for a watch that delivers, ``delivery`` (``sent``, ``off`` or why
        it failed).

    Raises
    ------
    WatchError
        A name no watch has. A watch whose query fails is reported in its line (``error``)
        and the others still run.
    """
    now = now or datetime.now(UTC)
    database = database or (settings.neo4j_database if settings else "neo4j")
    timeout = settings.query_timeout if settings else None
    found = _watches(driver, owner, None, database)
    if names is not None:
        wanted = list(dict.fromkeys(names))
        chosen = [(w, ids) for w, ids in found if w.name in wanted]
        missing = sorted(set(wanted) - {w.name for w, _ in chosen})
        if missing:
            whose = f"{owner!r} has" if owner else "there is"
            raise WatchError(f"{whose} no watch named {missing[0]!r}")
    else:
        chosen = [(w, ids) for w, ids in found if w.due(now)]
    lines = []
    for watch, previous in chosen:
        try:
            line = run_watch(driver, watch, previous, now=now, timeout=timeout, database=database)
        except GraphvcError as e:  # one watch's failure does not stop the others
            line = {"name": watch.name, "owner": watch.owner, "rows": 0, "new": 0}
            line |= {"alerts": [], "ids": [], "error": str(e)}
        if watch.delivery and line["new"]:
            line["delivery"] = deliver(watch, line, settings)
        lines.append(line)
    return {
        "ran": len(lines),
        "new_alerts": sum(line["new"] for line in lines),
        "watches": lines,
    }
