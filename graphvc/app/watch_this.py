"""The app's watches: "Watch this" on a query's result or an explorer view, and the two
writes the app makes besides the analysis run, each through :mod:`graphvc.watches`: saving
a watch (:func:`save_watch`) and deciding an alert (:func:`decide`).

Only an analyst writes. A page draws the control for an analyst only, and each write
checks the signed-in user's roles again itself, so a specialist or a reader who reaches
it another way is refused (:class:`graphvc.errors.AccessError`) before anything is
recorded or written. A write is recorded in the audit trail before it is made: one that
cannot be audited is not made (:func:`graphvc.app.access.audited` fails closed).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import streamlit as st

from graphvc.app import data
from graphvc.app.access import attempted, audited, current_user
from graphvc.auth import User
from graphvc.errors import AccessError
from graphvc.queries import persons_among
from graphvc.watches import SCHEDULES, Alert, Watch, add_watch, decide_alert

__all__ = [
    "AUDIT_ACTIONS",
    "WRITER",
    "decide",
    "may_write",
    "save_watch",
    "suggested_name",
    "watch_this",
]

#: The role that saves watches and decides alerts.
WRITER = "analyst"
#: The audit trail's action for each decision on an alert.
AUDIT_ACTIONS = {"confirmed": "alert.confirm", "dismissed": "alert.dismiss"}


def may_write(user: User | None) -> bool:
    """True when ``user`` may save watches and decide alerts: an analyst.

    >>> may_write(User("a", frozenset({"analyst"}))), may_write(User("s", frozenset({"specialist"})))
    (True, False)
    >>> may_write(None)
    False
    """
    return user is not None and WRITER in user.roles


def _writer() -> User:
    """The signed-in user, when an analyst; otherwise :class:`AccessError`."""
    user = current_user()
    if user is None or not may_write(user):
        who = "nobody is signed in" if user is None else f"{user.name} is not an analyst"
        raise AccessError(f"only an analyst may save a watch or decide an alert: {who}")
    return user


def suggested_name(query: str, parameters: Mapping[str, Any]) -> str:
    """A name for a watch of ``query`` with ``parameters``: the query and the values given,
    in at most 64 letters, digits, ``_``, ``.`` and ``-`` (the names a watch may have).

    >>> suggested_name("co_offenders", {"person_id": "P1", "hops": 2})
    'co_offenders-P1-2'
    >>> suggested_name("explorer", {"centre": "E09000001", "hops": 2})
    'explorer-E09000001-2'
    >>> suggested_name("near_repeats", {"location_id": "L 1", "start": None})
    'near_repeats-L-1'
    """
    values = [str(v) for v in parameters.values() if v is not None and v != []]
    words = re.sub(r"[^A-Za-z0-9_.-]+", "-", "-".join([query, *values])).strip("-.")
    return words[:64]


def save_watch(
    *, name: str, query: str, parameters: Mapping[str, Any], schedule: str = "daily"
) -> Watch:
    """Save a watch of the signed-in analyst (its owner: their audit name) on library query
    ``query`` with ``parameters`` (or :data:`~graphvc.watches.EXPLORER` with its centre and
    hops), audited
    first. Raises :class:`AccessError` for any other user, and the library's error for a bad
    name, query or parameters."""
    user = _writer()
    values = dict(parameters)
    audited(
        "watch.add",
        person_ids=persons_among(
            data.driver(), values.values(), database=data.settings().neo4j_database
        ),
        what={"name": name, "query": query, "parameters": values, "schedule": schedule},
        once=False,
    )
    return add_watch(
        data.driver(),
        owner=user.name,
        name=name,
        query=query,
        parameters=values,
        schedule=schedule,
        database=data.settings().neo4j_database,
    )


def decide(alert: Alert, decision: str, reason: str | None) -> Alert:
    """Record the signed-in analyst's ``decision`` ("confirmed", with the case note as
    ``reason``, or "dismissed", with its reason) on ``alert``, audited first with the people
    it names. Raises :class:`AccessError` for any other user."""
    user = _writer()
    if decision not in AUDIT_ACTIONS:
        raise ValueError(f"decision {decision!r} must be one of {', '.join(AUDIT_ACTIONS)}")
    named = persons_among(data.driver(), alert.ids, database=data.settings().neo4j_database)
    audited(
        AUDIT_ACTIONS[decision],
        person_ids=named,
        what={"alert": alert.id, "watch": alert.watch, "decision": decision, "reason": reason},
        once=False,  # a write is recorded each time it is made
    )
    return decide_alert(
        data.driver(),
        alert_id=alert.id,
        decision=decision,
        by=user.name,
        reason=reason,
        database=data.settings().neo4j_database,
    )


def watch_this(user: User, *, query: str, parameters: Mapping[str, Any], what: str) -> None:
    """The "Watch this" control for ``user`` when an analyst (nothing for anyone else): save
    ``query`` with ``parameters`` as a watch, named and scheduled in a small form; ``what``
    says in words what is watched."""
    if not may_write(user):
        return
    suggested = suggested_name(query, parameters)
    key = f"watch_this_{suggested}"
    with st.expander("Watch this", icon=":material/visibility:"):
        st.caption(
            f"Save {what} as a watch: `graphvc watch run` runs it on its schedule and each new "
            "row it finds becomes an alert on your Alerts page."
        )
        with st.form(key):
            name = st.text_input(
                "Watch name",
                value=suggested,
                key=f"{key}_name",
                help="1 to 64 letters, digits, _, . or -, starting with a letter or digit.",
            ).strip()
            schedule = st.selectbox("How often", list(SCHEDULES), index=1, key=f"{key}_schedule")
            if not st.form_submit_button("Save the watch", icon=":material/add_alert:"):
                return
        if not name:
            st.error("Give the watch a name.")
            return
        saved = attempted(
            lambda: save_watch(
                name=name, query=query, parameters=parameters, schedule=str(schedule)
            )
        )
        if saved is not None:
            st.success(
                f"Watching {saved.name} ({saved.schedule}): its alerts appear on the Alerts page.",
                icon=":material/notifications_active:",
            )
