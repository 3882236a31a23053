"""Who may see what, and the record of what they saw: the current user, the gates every page
passes first (its role, a graph to show), the audit trail of views and exports, and how a
page shows a graphvc error (fail closed: the page stops)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import streamlit as st

from graphvc import audit
from graphvc.app import data
from graphvc.auth import User, local_user, user_from_claims
from graphvc.errors import GraphvcError

__all__ = [
    "attempted",
    "audited",
    "audited_export",
    "current_user",
    "guarded",
    "require_graph",
    "require_page",
]

T = TypeVar("T")


def current_user() -> User | None:
    """Who uses this session: the signed-in user (``None`` before sign-in), or, without
    sign-in (``GRAPHVC_AUTH=none``), the operating-system user serving the app."""
    configured = data.settings()
    if configured.sign_in == "none":
        return local_user(audit.system_user(), configured.local_roles)
    if not st.user.is_logged_in:
        return None
    return user_from_claims(
        st.user.to_dict(),
        roles_claim=configured.roles_claim,
        role_map=configured.role_map,
        teams_claim=configured.teams_claim,
        user_claim=configured.user_claim,
    )


def require_page(name: str) -> User:
    """The user, when their roles open page ``name``; otherwise say so and stop the page.

    Every page calls this first, before it reads anything: the router shows only the pages a
    user's roles open, and this keeps a page shut even when reached another way.
    """
    user = current_user()
    if user is None or not user.may_open(name):
        who = "nobody is signed in" if user is None else f"{user.name} may not open it"
        st.error(f"This page is closed: {who}.", icon=":material/lock:")
        if user is None:  # a shared link followed signed out: a way in, not a dead end
            st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
        raise AssertionError("unreachable")  # st.stop() raises
    return user


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; on a graphvc error show its message on the page and stop the page."""
    try:
        return action()
    except GraphvcError as e:
        st.error(str(e), icon=":material/error:")
        st.stop()
        raise  # st.stop() raises; this line only satisfies type checkers


def attempted(action: Callable[[], T]) -> T | None:
    """Run ``action``; on a graphvc error show its message and carry on with ``None``."""
    try:
        return action()
    except GraphvcError as e:
        st.error(str(e), icon=":material/error:")
        return None


def require_graph() -> dict[str, int]:
    """The graph's counts; on an empty graph, say so and stop the page."""
    counts = guarded(data.counts)
    if counts["Incident"] == 0 and counts["Person"] == 0:
        st.info(
            "The graph is empty: load a folder with `graphvc load DIR`, or run `make demo` for "
            "a synthetic London.",
            icon=":material/info:",
        )
        st.stop()
    return counts


def _client() -> str:
    """From where: the app and the client's address (Streamlit gives none for a client on
    this machine)."""
    address = st.context.ip_address
    return f"app:{address}" if address else "app:localhost"


def audited(
    action: str,
    *,
    person_ids: Iterable[str] = (),
    what: Mapping[str, Any] | None = None,
    once: bool = True,
) -> None:
    """Record what the page is about to show in the audit trail, under the signed-in user,
    once per session for the same event (each time when not ``once``: a write); when the
    event cannot be written, say so and stop the page (fail closed)."""
    people = sorted({str(p) for p in person_ids})
    key = json.dumps([action, people, dict(what or {})], sort_keys=True, default=str)
    seen: set[str] = st.session_state.setdefault("_audited", set())
    if once and key in seen:
        return
    user = current_user()
    name = user.name if user else "anonymous"
    folder = data.settings().audit_dir
    guarded(
        lambda: audit.record(
            folder, action, user=name, person_ids=people, what=what, source=_client()
        )
    )
    seen.add(key)


def audited_export(
    make: Callable[[], bytes | str],
    *,
    person_ids: Callable[[], Iterable[str]] | Iterable[str] = (),
    what: Mapping[str, Any],
) -> Callable[[], bytes | str]:
    """The data of a download button, made only when the user clicks it, after the export is
    recorded in the audit trail (``person_ids`` may be a function, called then); when the
    event cannot be written the download fails instead (fail closed)."""
    user = current_user()
    name = user.name if user else "anonymous"
    folder, source = data.settings().audit_dir, _client()

    def exported() -> bytes | str:
        people = person_ids() if callable(person_ids) else person_ids
        audit.record(folder, "export", user=name, person_ids=people, what=what, source=source)
        return make()

    return exported
