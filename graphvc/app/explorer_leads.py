"""The explorer's "Likely co-offenders": for the centred person or incident, the people a
random walk with restart on the person network reaches most
(:func:`graphvc.predict.co_offender_reads.co_offender_leads`), each with the path that leads
to them and a way in to their profile; a lead for an analyst to check, never a decision.
Listing them is audited as a lookup of every person named.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from graphvc.app import data
from graphvc.app.access import audited, guarded
from graphvc.app.ways_in import selectable
from graphvc.explore import EgoNetwork
from graphvc.predict.co_offender_reads import MAX_PEOPLE, Leads, co_offender_leads
from graphvc.predict.co_offenders import LEAD_NOTE

__all__ = ["co_offender_section", "leads_table"]

#: The labels of the centres the walk can start from.
_SEEDED = ("Person", "Incident")
_HELPS = {
    "rank": "1 = the person the walk reaches most",
    "walk_share": "the share of its steps a walk from the seeds, going back to them at "
    "random, spends at this person",
    "path": "the strongest route from a seed to this person (few steps along strong ties: "
    "shared incidents and associations)",
}


@st.cache_data(ttl=300, show_spinner="Walking the network for likely co-offenders…")
def _leads(node_id: str, start: datetime | None, end: datetime | None) -> Leads:
    settings = data.settings()
    return co_offender_leads(
        data.driver(),
        node_id,
        start=start,
        end=end,
        database=settings.neo4j_database,
        timeout=settings.query_timeout,
    )


def leads_table(leads: pd.DataFrame) -> pd.DataFrame:
    """The leads as the page shows them: rank, person, share of the walk and path as text.

    Examples
    --------
    >>> leads = pd.DataFrame({"person_id": ["P6"], "score": [0.2123], "path": [["P2", "P1", "P6"]]})
    >>> leads_table(leads).to_dict("records")
    [{'rank': 1, 'person_id': 'P6', 'walk_share': '21.2%', 'path': 'P2 → P1 → P6'}]
    """
    return pd.DataFrame(
        {
            "rank": range(1, len(leads) + 1),
            "person_id": leads["person_id"].astype(str),
            "walk_share": [f"{score:.1%}" for score in leads["score"]],
            "path": [" → ".join(map(str, path)) for path in leads["path"]],
        }
    )


def co_offender_section(
    network: EgoNetwork, node_id: str, start: datetime | None, end: datetime | None
) -> None:
    """The "Likely co-offenders" action for the centre of ``network``, when it is a person or
    an incident, in the explorer's date window."""
    centre = network.nodes.loc[network.nodes["id"] == node_id, "label"]
    if centre.empty or centre.iloc[0] not in _SEEDED:
        return
    st.subheader("Likely co-offenders")
    st.caption(
        "A random walk with restart on the network of shared offending and associations "
        f"({'this person' if centre.iloc[0] == 'Person' else 'its known offenders and suspects'} "
        "as the start). " + LEAD_NOTE
    )
    key = f"leads_for_{node_id}"
    if not st.session_state.get(key):
        st.button(
            f"Find likely co-offenders of {node_id}",
            on_click=lambda: st.session_state.update({key: True}),
            icon=":material/person_search:",
        )
        return
    found = guarded(lambda: _leads(node_id, start, end))
    audited(
        "explorer.co_offenders",
        person_ids=[*found.seeds, *found.leads["person_id"].astype(str)],
        what={"centre": node_id, "seeds": found.seeds, "leads": len(found.leads)},
    )
    if found.truncated:
        st.warning(
            f"The walk ran on the {MAX_PEOPLE:,} people nearest the start, not all the "
            "network: people further out are not listed.",
            icon=":material/content_cut:",
        )
    if found.leads.empty:
        st.info(
            "The network's ties lead nowhere from here: no likely co-offenders.",
            icon=":material/info:",
        )
        return
    selectable(
        leads_table(found.leads),
        key=f"co_offender_leads_{node_id}",
        kind="person",
        id_column="person_id",
        helps=_HELPS,
    )
    st.caption(
        f"Started from {', '.join(found.seeds)}; the walk ran on {found.people:,} people "
        "within three steps. How well this ranking found real co-offenders in the past: "
        "`graphvc backtest co-offenders`."
    )
