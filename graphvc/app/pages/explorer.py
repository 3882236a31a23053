"""Network explorer: the ego network of a person, incident, location, ward or borough."""

from datetime import datetime

import networkx as nx
import pandas as pd
import streamlit as st

from graphvc.app.common import (
    attempted,
    audited,
    audited_export,
    boroughs,
    driver,
    guarded,
    require_graph,
    require_page,
    run_header,
    settings,
    window,
)
from graphvc.app.network_view import SIZE_BY, legend_html, network_html
from graphvc.contract import CATEGORIES
from graphvc.explore import (
    MAX_NODES,
    EgoNetwork,
    combine,
    ego_network,
    network_graph,
    network_tables,
    node_details,
    shortest_connection,
)
from graphvc.files import csv_text
from graphvc.model import RELATIONSHIP_TYPES

require_page("explorer")

Filters = tuple[tuple[str, ...], datetime | None, datetime | None, tuple[str, ...], tuple[str, ...]]


@st.cache_data(ttl=300, show_spinner="Reading the network…")
def ego(node_id: str, hops: int, filters: Filters, expand: tuple[str, ...]) -> EgoNetwork:
    rel_types, start, end, categories, places = filters
    return ego_network(
        driver(), node_id, hops=hops, rel_types=rel_types, start=start, end=end,
        categories=categories, boroughs=places, expand=expand, max_nodes=MAX_NODES,
        database=settings().neo4j_database, timeout=settings().query_timeout,
    )  # fmt: skip


@st.cache_data(ttl=300, show_spinner="Searching for the shortest connection…")
def connection(a: str, b: str, filters: Filters) -> EgoNetwork:
    rel_types, start, end, categories, places = filters
    return shortest_connection(
        driver(), a, b, rel_types=rel_types, start=start, end=end, categories=categories,
        boroughs=places, database=settings().neo4j_database, timeout=settings().query_timeout,
    )  # fmt: skip


@st.cache_data(ttl=300, show_spinner=False)
def details(element_id: str) -> pd.DataFrame:
    properties = node_details(
        driver(), element_id, database=settings().neo4j_database, timeout=settings().query_timeout
    )
    return pd.DataFrame({"property": list(properties), "value": map(str, properties.values())})


def recentre(node_id: str) -> None:
    st.session_state["node_id"] = node_id


def expand(element_id: str) -> None:
    st.session_state["expanded"] = [*st.session_state.get("expanded", []), element_id]


st.title("Network explorer")
require_graph()
run_header()
names = boroughs()
with st.form("search"):
    centre, reach, connect = st.columns([3, 2, 3])
    node_id = centre.text_input(
        "Person, incident or location id, or ward or borough code", key="node_id",
        placeholder="e.g. P1",
    ).strip()  # fmt: skip
    hops = reach.slider("Hops", 1, 3, 2, key="hops")
    connect_to = connect.text_input(
        "Highlight the shortest connection to person", key="connect_to", placeholder="person id"
    ).strip()
    with st.expander("Filters: dates, categories, roles and links, boroughs"):
        left, right = st.columns(2)
        date_from = left.date_input("Incidents from", value=None, key="date_from")
        date_to = right.date_input("Incidents to (included)", value=None, key="date_to")
        categories = st.multiselect(
            "Continuum categories (all when empty)", CATEGORIES, key="categories",
            format_func=lambda c: c.replace("_", " "),
        )  # fmt: skip
        rel_types = st.multiselect(
            "Roles and links to follow", RELATIONSHIP_TYPES, default=RELATIONSHIP_TYPES,
            key="rel_types", format_func=lambda t: t.lower().replace("_", " "),
        )  # fmt: skip
        places = st.multiselect(
            "Boroughs (all when empty)", list(names), format_func=names.__getitem__,
            key="boroughs",
        )  # fmt: skip
    button, size = st.columns([1, 4], vertical_alignment="center")
    button.form_submit_button("Explore", type="primary", icon=":material/search:")
    size_by = size.radio(
        "Size people by", list(SIZE_BY), format_func=SIZE_BY.__getitem__, horizontal=True,
        key="size_by",
    )  # fmt: skip

if not node_id:
    st.info("Enter an id to explore its network.", icon=":material/search:")
    st.stop()
if not rel_types:
    st.warning("Choose at least one role or link to follow.")
    st.stop()
if st.session_state.get("expanded_around") != node_id:
    st.session_state["expanded_around"] = node_id
    st.session_state["expanded"] = []

start, end = window(date_from, date_to)
filters: Filters = (tuple(rel_types), start, end, tuple(categories), tuple(places))
network = guarded(lambda: ego(node_id, hops, filters, tuple(st.session_state["expanded"])))
centre_is_person = (network.nodes["id"] == node_id) & (network.nodes["label"] == "Person")
audited("explorer.centre", person_ids=[node_id] if centre_is_person.any() else [],
        what={"centre": node_id, "hops": hops, "nodes": len(network.nodes)})  # fmt: skip
path = attempted(lambda: connection(node_id, connect_to, filters)) if connect_to else None
shown = combine(network, path) if path is not None else network

if network.truncated:
    st.warning(
        f"This network reached the cap of {MAX_NODES:,} nodes, so it is cut short: only the "
        "nodes found first are shown. Narrow it with fewer hops, a date window, categories, "
        "roles or boroughs.",
        icon=":material/content_cut:",
    )
expanded = len(st.session_state["expanded"])
st.caption(
    f"{len(network.nodes):,} nodes and {len(network.edges):,} links within {hops} "
    f"hop{'s' * (hops > 1)} of {node_id}"
    + (f", with {expanded} node{'s' * (expanded > 1)} expanded" if expanded else "")
)
if path is not None:
    steps = " → ".join(path.nodes["id"].astype(str))
    st.success(f"Shortest connection ({len(path.edges)} links): {steps}", icon=":material/route:")
st.iframe(network_html(shown, size_by=size_by, path=path), height=700)
st.html(legend_html())
if shown.nodes[list(SIZE_BY)].isna().all().all():
    st.caption("No scores are written back yet (`graphvc analyse`): people have one size.")

details_column, people_column = st.columns(2)
with details_column:
    st.subheader("Node details")
    choices = {f"{n.label} {n.id}": n for n in shown.nodes.itertuples(index=False)}
    chosen = choices[st.selectbox("Node", list(choices), key="detail")]
    left, right = st.columns(2)
    left.button(
        f"Re-centre on {chosen.id}", on_click=recentre, args=(str(chosen.id),),
        disabled=str(chosen.id) == node_id, icon=":material/center_focus_strong:",
    )  # fmt: skip
    right.button(
        f"Expand {chosen.id} here", on_click=expand, args=(str(chosen.element_id),),
        disabled=str(chosen.element_id) in st.session_state["expanded"],
        icon=":material/add_circle:",
    )  # fmt: skip
    if chosen.label == "Person":
        audited("explorer.details", person_ids=[str(chosen.id)], what={"centre": node_id})
    properties = attempted(lambda: details(str(chosen.element_id)))
    if properties is not None:
        st.dataframe(properties, hide_index=True, width="stretch")
with people_column:
    st.subheader("People in this network")
    people = shown.nodes[(shown.nodes["label"] == "Person") & (shown.nodes["id"] != node_id)]
    st.dataframe(
        people[["id", "hop", *SIZE_BY]].sort_values(["hop", "id"]),
        hide_index=True,
        width="stretch",
    )

st.subheader("Download this network")
nodes, edges = network_tables(shown)
listed = shown.nodes.loc[shown.nodes["label"] == "Person", "id"].astype(str).tolist()
left, middle, right = st.columns(3)
for column, (title, make, name, mime) in zip(
    (left, middle, right),
    [
        ("Nodes (CSV)", lambda: csv_text(nodes, index=False), f"{node_id}-nodes.csv", "text/csv"),
        ("Links (CSV)", lambda: csv_text(edges, index=False), f"{node_id}-links.csv", "text/csv"),
        ("Network (GraphML)", lambda: "\n".join(nx.generate_graphml(network_graph(shown))),
         f"{node_id}.graphml", "application/graphml+xml"),
    ],
    strict=True,
):  # fmt: skip
    data = audited_export(
        make, person_ids=listed, what={"file": name, "centre": node_id, "nodes": len(nodes)}
    )
    column.download_button(title, data, name, mime, on_click="ignore")
