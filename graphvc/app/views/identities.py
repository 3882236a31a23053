"""Identities (analyst): the pairs of person records that may be one person, and the clusters
proposed and confirmed, side by side; the analyst compares a pair and confirms or rejects it.

``graphvc resolve`` proposes the pairs (``POSSIBLY_SAME_AS``, with its match probability and
the evidence weights of each comparison); nothing is merged until an analyst confirms a pair
here (``SAME_AS``), and a decision can be undone. Every decision and undo is in the audit
trail under the analyst's name; a run counts each confirmed cluster as one person
(``graphvc analyse --resolve confirmed``, the default).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphvc.app.access import audited, guarded, require_page
from graphvc.app.identity_panel import compare, decision_controls, read_candidates, read_clusters
from graphvc.app.ways_in import selectable
from graphvc.app.widgets import paged
from graphvc.display import plain_table
from graphvc.identity.comparison import confirmed_people, pair_label, proposed_clusters

__all__ = ["SHOWN", "main"]

#: Which pairs the list shows, by their decision.
SHOWN = ("Undecided", "Confirmed", "Rejected", "All")
#: The columns of the pairs' list, in order.
_LISTED = ["person_a", "person_b", "probability", "decision", "decided_by"]


def _chosen(candidates: pd.DataFrame, shown: str) -> pd.DataFrame:
    if shown == "Undecided":
        return candidates[candidates["decision"].isna()]
    if shown == "All":
        return candidates
    return candidates[candidates["decision"] == shown.lower()]


def clusters(candidates: pd.DataFrame, confirmed: list[list[str]]) -> None:
    """The clusters resolve proposed beside those the analysts confirmed; a confirmed row
    opens the person a run scores."""
    left, right = st.columns(2)
    with left:
        st.markdown("**Proposed clusters** (graphvc resolve)")
        proposed = proposed_clusters(candidates)
        if proposed.empty:
            st.caption("None proposed.")
        else:
            st.dataframe(plain_table(paged(proposed, key="proposed_page")), hide_index=True)
    with right:
        st.markdown("**Confirmed people** (counted as one by the analysis)")
        people = confirmed_people(confirmed)
        if people.empty:
            st.caption("None confirmed.")
        else:
            selectable(people, key="confirmed_people", kind="person", id_column="person_id")


def main() -> None:
    """The pairs and clusters, then the pair picked, compared and decided."""
    user = require_page("identities")
    st.title("Identities")
    st.caption(
        "Person records that may be the same person. Compare a pair, then confirm it (one "
        "person: the analysis counts them as one) or reject it (two people, with a reason). "
        "Nothing is merged without a decision, and every decision can be undone."
    )
    candidates = guarded(read_candidates)
    confirmed = guarded(read_clusters)
    listed = sorted({*candidates["person_a"], *candidates["person_b"]})
    audited("identities.view", person_ids=listed)
    undecided = int(candidates["decision"].isna().sum())
    one, two, three = st.columns(3)
    one.metric("Pairs to decide", f"{undecided:,}")
    two.metric("Pairs decided", f"{len(candidates) - undecided:,}")
    three.metric("Confirmed people", f"{len(confirmed):,}")
    shown = st.segmented_control("Pairs", SHOWN, default=SHOWN[0], key="identity_shown")
    pairs = _chosen(candidates, shown or SHOWN[0]).reset_index(drop=True)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Candidate pairs** ({len(pairs):,})")
        if pairs.empty:
            st.caption("No pair here: run graphvc resolve to propose some.")
        else:
            st.dataframe(plain_table(paged(pairs[_LISTED], key="pairs_page")), hide_index=True)
    with right:
        clusters(candidates, confirmed)
    if pairs.empty:
        return
    labels = [pair_label({str(k): v for k, v in row.items()}) for row in pairs.to_dict("records")]
    picked = st.selectbox(
        "Pair to compare", range(len(pairs)), format_func=labels.__getitem__, key="identity_pair"
    )
    pair = {str(k): v for k, v in pairs.iloc[int(picked or 0)].items()}
    with st.container(border=True):
        compare(pair)
        decision_controls(user, pair)


if __name__ == "__main__":
    main()
