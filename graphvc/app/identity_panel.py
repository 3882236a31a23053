"""What the identities page and the person profile share: the cached read of candidate pairs
and decisions, one pair compared and decided, and a person's duplicates on their profile.

Every decision and undo goes through :func:`graphvc.identity.decide_pair` /
:func:`graphvc.identity.undo_decision` with the app's audit folder, so each is in the audit
trail under the signed-in user before it is written (and not written when it cannot be).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from graphvc.app import data, page
from graphvc.app.access import guarded
from graphvc.app.ways_in import open_person, plain_config, selectable
from graphvc.auth import User
from graphvc.display import plain_table
from graphvc.identity import candidate_pairs, confirmed_clusters, decide_pair, undo_decision
from graphvc.identity.comparison import compared_fields, evidence_weights, person_pairs

__all__ = ["decision_controls", "identity_section", "read_candidates", "read_clusters"]


@st.cache_data(ttl=30, show_spinner=False)
def read_candidates() -> pd.DataFrame:
    """Every candidate pair and decision (:func:`graphvc.identity.candidate_pairs`)."""
    return candidate_pairs(data.driver(), database=data.settings().neo4j_database)


@st.cache_data(ttl=30, show_spinner=False)
def read_clusters() -> list[list[str]]:
    """The confirmed clusters (:func:`graphvc.identity.confirmed_clusters`)."""
    return confirmed_clusters(data.driver(), database=data.settings().neo4j_database)


def _decided() -> None:
    """Forget the cached reads: the next draw shows the decision just written."""
    read_candidates.clear()
    read_clusters.clear()


def _plain(frame: pd.DataFrame) -> None:
    shown = plain_table(frame)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=plain_config(shown, frame))


def compare(pair: Mapping[str, Any]) -> None:
    """The two records' fields side by side, and the evidence weights of the proposal."""
    a, b = str(pair["person_a"]), str(pair["person_b"])
    fields = compared_fields(pair).rename(columns={"record_a": a, "record_b": b})
    st.markdown("**The fields compared**")
    _plain(fields.rename(columns={"field": "Field", "agreed": "Agreed"}))
    weights = evidence_weights(pair.get("evidence"))
    if weights.empty:
        st.caption("graphvc resolve has not proposed this pair: no evidence weights.")
    else:
        st.markdown(
            f"**Evidence** (match probability {float(pair['probability']):.1%}, "
            f"model {pair.get('model') or 'unnamed'})"
        )
        _plain(weights)
    left, right = st.columns(2)
    if left.button(f"Open {a}'s profile", key=f"identity_open_a_{a}_{b}"):
        open_person(a)
    if right.button(f"Open {b}'s profile", key=f"identity_open_b_{a}_{b}"):
        open_person(b)


def decision_controls(user: User, pair: Mapping[str, Any]) -> None:
    """Confirm, reject (with a reason) or undo the decision on ``pair``, as ``user``."""
    a, b = str(pair["person_a"]), str(pair["person_b"])
    settings = data.settings()
    trail, database = settings.audit_dir, settings.neo4j_database
    decision = pair.get("decision")
    if isinstance(decision, str):
        when = pair.get("decided_at")
        st.info(
            f"{decision.capitalize()} by {pair.get('decided_by')} at {when:%d %b %Y %H:%M}"
            + (f": {pair['reason']}" if isinstance(pair.get("reason"), str) else "."),
            icon=":material/gavel:",
        )
        if st.button("Undo this decision", key="identity_undo", icon=":material/undo:"):
            guarded(
                lambda: undo_decision(
                    data.driver(), a, b, user.name, audit_dir=trail, database=database
                )
            )
            _decided()
            st.rerun()
        return
    reason = st.text_input(
        "Reason (needed to reject)",
        key="identity_reason",
        placeholder="e.g. twins: same date of birth, different PNC ids",
    )
    left, right = st.columns(2)
    if left.button("Confirm: one person", key="identity_confirm", type="primary"):
        guarded(
            lambda: decide_pair(
                data.driver(), a, b, "confirmed", user.name, audit_dir=trail, database=database
            )
        )
        _decided()
        st.rerun()
    if right.button("Reject: two people", key="identity_reject"):
        guarded(
            lambda: decide_pair(
                data.driver(),
                a,
                b,
                "rejected",
                user.name,
                reason,
                audit_dir=trail,
                database=database,
            )
        )
        _decided()
        st.rerun()


def identity_section(person_id: str) -> None:
    """A person's candidate duplicates and the decisions on them, for their profile; each
    row opens the other record's profile."""
    pairs = person_pairs(guarded(read_candidates), person_id)
    st.markdown(f"**Possible duplicate records** ({len(pairs):,})")
    if pairs.empty:
        st.caption("None proposed or decided.")
        return
    selectable(pairs, key=f"profile_identities_{person_id}", kind="person", id_column="person_id")
    if st.button(
        "Decide on the identities page",
        key=f"profile_identities_open_{person_id}",
        icon=":material/join:",
    ):
        st.switch_page(page("identities"))
