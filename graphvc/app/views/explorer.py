"""Network explorer: the ego network of a person, incident, location, ward or borough."""

from datetime import datetime
from typing import NamedTuple

import pandas as pd
import streamlit as st

from graphvc import explore
from graphvc.app import data
from graphvc.app.access import (
    attempted,
    audited,
    audited_export,
    guarded,
    require_graph,
    require_page,
)
from graphvc.app.explorer_exports import export_buttons
from graphvc.app.explorer_leads import co_offender_section
from graphvc.app.explorer_links import follow_link, keep_link
from graphvc.app.explorer_time import period_control, period_note, time_section
from graphvc.app.network_view import SIZE_BY, chart_stats, legend_html, network_chart
from graphvc.app.run_picker import run_header
from graphvc.app.styling_editor import styling_rules
from graphvc.app.watch_this import watch_this
from graphvc.app.widgets import window
from graphvc.contract import CATEGORIES
from graphvc.explore import EgoNetwork
from graphvc.exports import exported_person_ids
from graphvc.files import csv_text
from graphvc.model import RELATIONSHIP_TYPES
from graphvc.styling import Styling
from graphvc.watches import EXPLORER

__all__ = ["main"]

Filters = tuple[tuple[str, ...], datetime | None, datetime | None, tuple[str, ...], tuple[str, ...]]


class Search(NamedTuple):
    """What the search form asks for: the centre, its reach, whom to connect it to, the
    filters and how to size people."""

    node_id: str
    hops: int
    connect_to: str
    filters: Filters
    size_by: str


@st.cache_data(ttl=300, show_spinner="Reading the network…")
def ego(node_id: str, hops: int, filters: Filters, expand: tuple[str, ...]) -> EgoNetwork:
    rel_types, start, end, categories, places = filters
    settings = data.settings()
    return explore.ego_network(
        data.driver(),
        node_id,
        hops=hops,
        rel_types=rel_types,
        start=start,
        end=end,
        categories=categories,
        boroughs=places,
        expand=expand,
        max_nodes=explore.MAX_NODES,
        database=settings.neo4j_database,
        timeout=settings.query_timeout,
    )


@st.cache_data(ttl=300, show_spinner="Searching for the shortest connection…")
def connection(a: str, b: str, filters: Filters) -> EgoNetwork:
    rel_types, start, end, categories, places = filters
    settings = data.settings()
    return explore.shortest_connection(
        data.driver(),
        a,
        b,
        rel_types=rel_types,
        start=start,
        end=end,
        categories=categories,
        boroughs=places,
        database=settings.neo4j_database,
        timeout=settings.query_timeout,
    )


@st.cache_data(ttl=300, show_spinner=False)
def details(element_id: str) -> pd.DataFrame:
    settings = data.settings()
    properties = explore.node_details(
        data.driver(),
        element_id,
        database=settings.neo4j_database,
        timeout=settings.query_timeout,
    )
    return pd.DataFrame({"property": list(properties), "value": map(str, properties.values())})


def recentre(node_id: str) -> None:
    st.session_state["node_id"] = node_id


def expand(element_id: str) -> None:
    st.session_state["expanded"] = [*st.session_state.get("expanded", []), element_id]


def filters_form(names: dict[str, str]) -> Filters:
    """The filters of the search form: roles and links to follow, a date window,
    categories and boroughs."""
    with st.expander("Filters: dates, categories, roles and links, boroughs"):
        left, right = st.columns(2)
        date_from = left.date_input("Incidents from", value=None, key="date_from")
        date_to = right.date_input("Incidents to (included)", value=None, key="date_to")
        categories = st.multiselect(
            "Continuum categories (all when empty)",
            CATEGORIES,
            key="categories",
            format_func=lambda c: c.replace("_", " "),
        )
        rel_types = st.multiselect(
            "Roles and links to follow",
            RELATIONSHIP_TYPES,
            default=RELATIONSHIP_TYPES,
            key="rel_types",
            format_func=lambda t: t.lower().replace("_", " "),
        )
        places = st.multiselect(
            "Boroughs (all when empty)",
            list(names),
            format_func=names.__getitem__,
            key="boroughs",
        )
    start, end = window(date_from, date_to)
    return tuple(rel_types), start, end, tuple(categories), tuple(places)


def search_form(names: dict[str, str]) -> Search:
    """The search form: what to explore, and how."""
    with st.form("search"):
        centre, reach, connect = st.columns([3, 2, 3])
        node_id = centre.text_input(
            "Person, incident or location id, or ward or borough code",
            key="node_id",
            placeholder="e.g. P1",
        ).strip()
        hops = reach.slider("Hops", 1, 3, key="hops")
        connect_to = connect.text_input(
            "Highlight the shortest connection to person",
            key="connect_to",
            placeholder="person id",
        ).strip()
        filters = filters_form(names)
        button, size = st.columns([1, 4], vertical_alignment="center")
        button.form_submit_button("Explore", type="primary", icon=":material/search:")
        size_by = size.radio(
            "Size people by",
            list(SIZE_BY),
            format_func=SIZE_BY.__getitem__,
            horizontal=True,
            key="size_by",
        )
    return Search(node_id, hops, connect_to, filters, str(size_by))


def draw(
    search: Search, network: EgoNetwork, path: EgoNetwork | None, shown: EgoNetwork, note: str
) -> Styling:
    """Say what the network holds (and what of it is ``shown``, as ``note`` says), and draw
    ``shown`` with the shortest connection when found; returns the styling rules drawn with."""
    if network.truncated:
        st.warning(
            f"This network reached the cap of {explore.MAX_NODES:,} nodes, so it is cut short: "
            "only the nodes found first are shown. Narrow it with fewer hops, a date window, "
            "categories, roles or boroughs.",
            icon=":material/content_cut:",
        )
    expanded = len(st.session_state["expanded"])
    hops = search.hops
    st.caption(
        f"{len(network.nodes):,} nodes and {len(network.edges):,} links within {hops} "
        f"hop{'s' * (hops > 1)} of {search.node_id}"
        + (f", with {expanded} node{'s' * (expanded > 1)} expanded" if expanded else "")
        + note
    )
    if path is not None:
        steps = " → ".join(path.nodes["id"].astype(str))
        st.success(
            f"Shortest connection ({len(path.edges)} links): {steps}", icon=":material/route:"
        )
    styling = styling_rules()
    chart = network_chart(shown, size_by=search.size_by, path=path, styling=styling)
    st.iframe(chart.html, height=700)
    st.html(legend_html(chart.legend))
    st.caption(chart_stats(shown, hops=hops, cap=explore.MAX_NODES))
    if shown.nodes[list(SIZE_BY)].isna().all().all():
        st.caption("No scores are written back yet (`graphvc analyse`): people have one size.")
    return styling


def node_details(shown: EgoNetwork, node_id: str) -> None:
    """One node's properties, with buttons to re-centre on it or expand it."""
    st.subheader("Node details")
    choices = {f"{n.label} {n.id}": n for n in shown.nodes.itertuples(index=False)}
    chosen = choices[st.selectbox("Node", list(choices), key="detail")]
    left, right = st.columns(2)
    left.button(
        f"Re-centre on {chosen.id}",
        on_click=recentre,
        args=(str(chosen.id),),
        disabled=str(chosen.id) == node_id,
        icon=":material/center_focus_strong:",
    )
    right.button(
        f"Expand {chosen.id} here",
        on_click=expand,
        args=(str(chosen.element_id),),
        disabled=str(chosen.element_id) in st.session_state["expanded"],
        icon=":material/add_circle:",
    )
    if chosen.label == "Person":
        audited("explorer.details", person_ids=[str(chosen.id)], what={"centre": node_id})
    properties = attempted(lambda: details(str(chosen.element_id)))
    if properties is not None:
        st.dataframe(properties, hide_index=True, width="stretch")


def downloads(shown: EgoNetwork, node_id: str) -> None:
    """The network shown, as CSV tables of nodes and links and in the export formats, each
    audited."""
    st.subheader("Download this network")
    nodes, edges = explore.ego_network_tables(shown)
    listed = exported_person_ids(shown)
    offered = [
        ("Nodes (CSV)", lambda: csv_text(nodes, index=False), f"{node_id}-nodes.csv", "text/csv"),
        ("Links (CSV)", lambda: csv_text(edges, index=False), f"{node_id}-links.csv", "text/csv"),
    ]
    for column, (title, make, name, mime) in zip(st.columns(2), offered, strict=True):
        exported = audited_export(
            make, person_ids=listed, what={"file": name, "centre": node_id, "nodes": len(nodes)}
        )
        column.download_button(title, exported, name, mime, on_click="ignore")
    export_buttons(shown, node_id, listed)


def main() -> None:
    """Search (or follow a link), draw the network in the period chosen, its timeline and time
    wheel, then one node's details, its people and its downloads."""
    user = require_page("explorer")
    st.title("Network explorer")
    require_graph()
    run_header()
    follow_link()
    search = search_form(guarded(data.boroughs))
    node_id, rel_types = search.node_id, search.filters[0]
    if not node_id:
        st.info("Enter an id to explore its network.", icon=":material/search:")
        st.stop()
    keep_link(node_id, search.hops)
    if not rel_types:
        st.warning("Choose at least one role or link to follow.")
        st.stop()
    if st.session_state.get("expanded_around") != node_id:
        st.session_state["expanded_around"] = node_id
        st.session_state["expanded"] = []
    expanded = tuple(st.session_state["expanded"])
    network = guarded(lambda: ego(node_id, search.hops, search.filters, expanded))
    centre_is_person = (network.nodes["id"] == node_id) & (network.nodes["label"] == "Person")
    audited(
        "explorer.centre",
        person_ids=[node_id] if centre_is_person.any() else [],
        what={"centre": node_id, "hops": search.hops, "nodes": len(network.nodes)},
    )
    path = None
    if search.connect_to:
        path = attempted(lambda: connection(node_id, search.connect_to, search.filters))
    whole = explore.combine(network, path) if path is not None else network
    view = period_control(whole)
    shown = view.shown(whole)
    styling = draw(search, network, path, shown, period_note(whole, shown, view))
    watch_this(
        user,
        query=EXPLORER,
        parameters={"centre": node_id, "hops": search.hops},
        what=f"the network within {search.hops} hops of {node_id}",
    )
    time_section(whole, shown, view, on_pick=recentre, styling=styling)
    details_column, people_column = st.columns(2)
    with details_column:
        node_details(shown, node_id)
    with people_column:
        st.subheader("People in this network")
        people = shown.nodes[(shown.nodes["label"] == "Person") & (shown.nodes["id"] != node_id)]
        st.dataframe(
            people[["id", "hop", *SIZE_BY]].sort_values(["hop", "id"]),
            hide_index=True,
            width="stretch",
        )
    co_offender_section(network, node_id, search.filters[1], search.filters[2])
    downloads(shown, node_id)


if __name__ == "__main__":
    main()
