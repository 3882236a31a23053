"""Dangerous people: the offender priority list, every part of each score, and who is on it."""

import streamlit as st

from graphvc.app import page
from graphvc.app.common import (
    LISTED,
    RFG_PARTS,
    audited,
    guarded,
    list_proportionality,
    picture,
    require_page,
    run_table,
    stored_run,
    top_slider,
)
from graphvc.reports.charts import bar_chart, stacked_bars

require_page("people")

RAW = ["recency_days", "frequency", "gravity", "betweenness", "harm_pagerank", "degree"]
CONTEXT = ["community", "escalated_to_knife_or_gun", "exposure_victims_1", "overlap_class"]

st.title("Dangerous people")
run = stored_run()
if run.ranked == 0:
    st.info(
        "No one is in the network of the chosen tie layers and nobody offended in this "
        "window: run the analysis with more layers, a wider window or another date."
    )
    st.stop()
weights = dict(run.parameters["priority_weights"])
top = top_slider("People on the list", run.ranked, LISTED)
listed = guarded(lambda: run_table(run.id, "people", rows=top))
priority_parts = [f"{name}_part" for name in weights if f"{name}_part" in listed]
st.markdown(
    "**Priority** = the sum of its weighted parts: recency–frequency–gravity (RFG) of "
    "offending and the network measures, each scaled to the highest; weights "
    + ", ".join(f"{name} {weight:g}" for name, weight in weights.items())
    + ". **RFG** = the sum of its recency, frequency and gravity (harm) parts."
)
columns = ["rank", "priority", *priority_parts, "rfg", *RFG_PARTS, *RAW, *CONTEXT]
st.dataframe(
    listed[[c for c in columns if c in listed]].reset_index(),
    hide_index=True,
    width="stretch",
    column_config={
        "priority": st.column_config.ProgressColumn(
            "priority", min_value=0.0, max_value=1.0, format="%.3f"
        )
    },
)
picture(
    stacked_bars(
        listed.index.astype(str).tolist(),
        {part: listed[part].astype(float).tolist() for part in priority_parts},
        title="priority, part by part",
    )
)

st.subheader("One person's score, part by part")
person = st.selectbox("Person", listed.index.tolist(), key="person")
audited(
    "person.score_card", person_ids=[str(person)], what={"rank": int(listed.loc[person, "rank"])}
)
row = listed.loc[person]
parts = st.columns(len(priority_parts) + 1)
parts[0].metric("priority", f"{row['priority']:.3f}", help=f"rank {int(row['rank'])}")
for column, part in zip(parts[1:], priority_parts, strict=True):
    name = part.removesuffix("_part")
    column.metric(
        part,
        f"{row[part]:.3f}",
        help=f"{name} = {row[name]:.4g}, scaled {row.get(f'{name}_score', float('nan')):.3f}",
    )
rfg = st.columns(4)
rfg[0].metric("rfg", f"{row['rfg']:.3f}")
for column, part, raw in zip(
    rfg[1:], RFG_PARTS, ["recency_days", "frequency", "gravity"], strict=True
):
    column.metric(part, f"{row[part]:.3f}", help=f"{raw} = {row[raw]:.4g}")
if st.button(f"Open {person} in the network explorer", icon=":material/hub:"):
    st.session_state["node_id"] = person
    st.switch_page(page("explorer"))

st.subheader("Proportionality of the list")
table = guarded(lambda: list_proportionality(run.id, tuple(listed.index)))
st.caption(
    f"The {len(listed)} people listed beside the {run.ranked:,} people scored. Ratio = share "
    "of the list / share of those scored: 1 is proportionate, 2 twice the group's share. "
    "A list drawn from police data can over-represent groups; read ratios far from 1 with care."
)
st.dataframe(
    table, hide_index=True, width="stretch",
    column_config={"ratio": st.column_config.NumberColumn(format="%.2f")},
)  # fmt: skip
picture(
    bar_chart(
        (table["attribute"] + " " + table["value"].astype(str)).tolist(),
        table["ratio"].astype(float).fillna(0.0).tolist(),
        title="share of the list / share of those scored",
    )
)
