"""Network explorer: the ego network of a person, incident, location, ward or borough."""

import streamlit as st
from pyvis.network import Network

from app_pages.common import driver, guarded, settings
from graphvc.explore import EgoNetwork, ego_network
from graphvc.model import CATEGORIES

COLOURS = {
    "Person": "#1f77b4",
    "Incident": "#d62728",
    "Location": "#2ca02c",
    "Ward": "#9467bd",
    "Borough": "#8c564b",
}
ROLE_COLOURS = {
    "OFFENDER_IN": "#d62728",
    "SUSPECT_IN": "#ff7f0e",
    "VICTIM_IN": "#1f77b4",
    "WITNESS_IN": "#7f7f7f",
}
# Stop the physics once the layout has settled, so the picture holds still for reading.
FREEZE = "network.once('stabilizationIterationsDone', function () { network.setOptions({physics: false}); });"


def draw(network: EgoNetwork) -> str:
    view = Network(height="640px", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    for node in network.nodes.to_dict("records"):
        title = f"{node['label']} {node['id']}" + (
            f" · {node['category']}" if node.get("category") else ""
        )
        view.add_node(
            node["element_id"],
            label=str(node["id"]),
            title=title,
            color=COLOURS.get(node["label"], "#999999"),
            size=28 if node["hop"] == 0 else 14,
        )
    for edge in network.edges.to_dict("records"):
        view.add_edge(
            edge["source"],
            edge["target"],
            title=edge["type"],
            color=ROLE_COLOURS.get(edge["type"], "#bbbbbb"),
        )
    view.toggle_physics(True)
    html = view.generate_html()
    return html.replace("return network;", FREEZE + "\n        return network;", 1)


st.title("Network explorer")
with st.form("search"):
    node_id = st.text_input(
        "Person, incident or location id, or ward or borough code", key="node_id"
    )
    hops = st.slider("Hops", 1, 3, 2)
    categories = st.multiselect("Continuum categories (all when empty)", CATEGORIES)
    submitted = st.form_submit_button("Explore")

if not node_id:
    st.info("Enter an id to explore its network.")
    st.stop()

network = guarded(
    lambda: ego_network(
        driver(), node_id.strip(), hops=hops, categories=categories or None,
        database=settings().neo4j_database, timeout=settings().query_timeout,
    )
)  # fmt: skip
if network.truncated:
    st.warning(
        f"Showing the first {len(network.nodes):,} nodes: the node cap was reached. Narrow the filters."
    )
st.caption(
    f"{len(network.nodes):,} nodes, {len(network.edges):,} links within {hops} hops of {node_id}"
)
st.iframe(draw(network), height=660)
people = network.nodes[(network.nodes["label"] == "Person") & (network.nodes["hop"] > 0)]
st.subheader("People in this network")
st.dataframe(people[["id", "hop"]], hide_index=True, width="stretch")
