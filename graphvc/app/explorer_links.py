"""The explorer's address: ``/explorer?centre=<id>&hops=<n>`` opens it on a node, and the
address follows each search, so that a reload shows the same network and the address can be
sent to a colleague (who sees it only if their roles open the explorer)."""

from __future__ import annotations

import streamlit as st

__all__ = ["follow_link", "keep_link"]

#: The search form's widgets (their session keys), and the link last followed or kept.
CENTRE, HOPS, LINKED = "node_id", "hops", "linked"


def follow_link() -> None:
    """Centre the explorer on ``?centre=<id>&hops=<n>`` (a link from another page or a
    colleague) when the link is new, before the search form is drawn; hops other than 1, 2
    or 3 leave the form's (2 at first)."""
    st.session_state.setdefault(HOPS, 2)
    linked = (st.query_params.get("centre", "").strip(), st.query_params.get("hops", ""))
    if not linked[0] or st.session_state.get(LINKED) == linked:
        return
    st.session_state[CENTRE] = linked[0]
    if linked[1] in {"1", "2", "3"}:
        st.session_state[HOPS] = int(linked[1])
    st.session_state[LINKED] = linked


def keep_link(centre: str, hops: int) -> None:
    """The address says what is explored, and is not followed again."""
    linked = (centre, str(hops))
    st.query_params.update({"centre": linked[0], "hops": linked[1]})
    st.session_state[LINKED] = linked
