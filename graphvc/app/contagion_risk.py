"""The person profile's contagion risk section: the risk, its parts and the backtest's verdict,
shown only for a person ``graphvc risk contagion`` scored."""

from __future__ import annotations

import streamlit as st

from graphvc.app import data
from graphvc.app.access import guarded
from graphvc.profile.contagion import contagion_facts, contagion_words

__all__ = ["contagion_section"]


def contagion_section(person_id: str) -> None:
    """The section for ``person_id``; nothing when no contagion risk was written on them."""
    settings = data.settings()
    facts = guarded(
        lambda: contagion_facts(
            data.driver(),
            person_id,
            runs_dir=settings.runs_dir,
            database=settings.neo4j_database,
        )
    )
    if facts is None:
        return
    with st.expander("Contagion risk", expanded=False, icon=":material/hub:"):
        for sentence in contagion_words(facts):
            st.markdown(sentence)
        st.caption(
            "A lead for an analyst to check, never a decision: a model's estimate from who was "
            "hurt near them in the network (docs: Methods, Contagion risk)."
        )
