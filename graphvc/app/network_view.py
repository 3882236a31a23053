"""How the explorer draws a network: a pyvis picture styled by rules, laid out once, and its
legend and stats. Not a page: the explorer and the benchmark use it.

The look comes from styling rules (:mod:`graphvc.styling`; the shipped default is
``graphvc/data/styling.toml``). The layout is computed here, seeded, before the page is sent
(a Kamada-Kawai layout of igraph), so the browser draws the picture at once with its physics
off: it holds still, and the same network re-opens the same.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import igraph as ig
import numpy as np
import pandas as pd
from pyvis.network import Network

from graphvc.explore import EgoNetwork
from graphvc.model import RELATIONSHIP_ROLES
from graphvc.styling import LegendEntry, Styling, apply_styling, icon_uri, load_styling

__all__ = [
    "SIZE_BY",
    "Chart",
    "chart_records",
    "chart_stats",
    "layout",
    "legend_html",
    "network_chart",
    "network_html",
]

#: What a person's size can show, as (written-back score property, what it means).
SIZE_BY = {
    "score_priority": "offender priority",
    "score_betweenness": "betweenness (brokerage)",
}
#: A person's roles in the incidents shown, the most telling first.
ROLE_ORDER = ("offender", "suspect", "victim", "witness")
#: Pixels a link is long in the layout, at most and at least. vis-network fits the chart to
#: its frame, zooming in no further than 1: a small network gets long links, room for its
#: labels at full size; a large one short links, so that the zoom that fits it keeps labels
#: readable (about 11 px for 72 nodes) before the threshold hides them.
EDGE_PIXELS = (110, 200)


@dataclass(frozen=True)
class Chart:
    """A drawn network: the self-contained HTML page, its legend and node positions."""

    html: str
    legend: list[LegendEntry]
    positions: dict[str, tuple[int, int]]


def _person_roles(network: EgoNetwork) -> dict[str, str]:
    """Each person's role key from the role relationships shown."""
    roles: dict[str, set[str]] = {}
    for source, _, kind in network.edges.itertuples(index=False, name=None):
        if kind in RELATIONSHIP_ROLES:
            roles.setdefault(str(source), set()).add(RELATIONSHIP_ROLES[kind])
    keys = {}
    for person, held in roles.items():
        if held & {"offender", "suspect"} and "victim" in held:
            keys[person] = "victim-offender"
        else:
            keys[person] = next(k for k in ROLE_ORDER if k in held)
    return keys


def _number(value: object) -> float | None:
    if value is None or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def _date(value: Any) -> str | None:
    """A date-time (Neo4j's, Python's, pandas' or ISO text) as YYYY-MM-DD."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return None


def _short(identifier: Any) -> str:
    """An id short enough for a label: police.uk's crime ids are 64 hex digits, so a long id
    shows its first 8 characters (the hover text gives it whole)."""
    text = str(identifier)
    return text if len(text) <= 12 else text[:8] + "…"


def chart_records(
    network: EgoNetwork,
    path: EgoNetwork | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes and links of ``network`` as records of the properties styling rules read
    (:data:`graphvc.styling.NODE_PROPERTIES`, :data:`~graphvc.styling.LINK_PROPERTIES`).

    A node's ``role`` is a person's role in the incidents shown (``"victim-offender"``,
    ``"offender"``, ``"suspect"``, ``"victim"``, ``"witness"``, or ``"no incident shown"``);
    ``centre`` is true for hop 0; ``on_path`` marks the nodes and links of ``path``;
    ``caption`` is how a person is named (their entry in ``names``, e.g. a pseudonym, else
    their id), a place's name or id, an incident's id (shortened past 12 characters);
    ``date`` an incident's day.
    """
    roles = _person_roles(network)
    marked = set(path.nodes["element_id"]) if path is not None else set()
    marked_links = set(path.edges.itertuples(index=False, name=None)) if path is not None else set()
    nodes: list[dict[str, Any]] = []
    for node in network.nodes.to_dict("records"):
        element_id, label = str(node["element_id"]), node["label"]
        if label == "Person":
            caption = (names or {}).get(str(node["id"]), str(node["id"]))
        else:
            caption = (
                str(node.get("name") or node["id"]) if label != "Incident" else _short(node["id"])
            )
        category, rank = node.get("category"), _number(node.get("score_priority_rank"))
        nodes.append(
            {str(k): v for k, v in node.items()}
            | {
                "role": roles.get(element_id, "no incident shown") if label == "Person" else None,
                "centre": node.get("hop") == 0,
                "on_path": element_id in marked,
                "caption": str(caption),
                # Stored as a float (ranks share a column with scores): a rank reads whole.
                "score_priority_rank": None if rank is None else int(rank),
                "date": _date(node.get("occurred_at")),
                "category_name": category.replace("_", " ") if isinstance(category, str) else None,
            }
        )
    links: list[dict[str, Any]] = [
        {str(k): v for k, v in edge.items()}
        | {"on_path": (edge["source"], edge["target"], edge["type"]) in marked_links}
        for edge in network.edges.to_dict("records")
    ]
    return nodes, links


def layout(network: EgoNetwork, *, seed: int = 7) -> dict[str, tuple[int, int]]:
    """Positions of the nodes in pixels: a Kamada-Kawai layout of the network's links [1]_,
    started from positions drawn with ``seed``.

    The same network and seed give the same positions, whatever the order its nodes and
    links came in. igraph's Kamada-Kawai is deterministic once started (its
    Fruchterman-Reingold draws from a process-wide random generator) and lays out the
    500-node cap in about 0.3 s; networkx's spring layout took 12 s there.

    References
    ----------
    .. [1] Kamada, T., & Kawai, S. (1989). An algorithm for drawing general undirected
       graphs. *Information Processing Letters*, 31(1), 7-15.
       doi:10.1016/0020-0190(89)90102-6
    """
    names = sorted(network.nodes["element_id"].astype(str))
    if not names:
        return {}
    index = {name: i for i, name in enumerate(names)}
    pairs = {tuple(sorted((index[str(s)], index[str(t)]))) for s, t, _ in network.edges.to_numpy()}
    G = ig.Graph(n=len(names), edges=sorted(p for p in pairs if p[0] != p[1]))
    start = np.random.default_rng(seed).uniform(-1, 1, (len(names), 2)).tolist()
    # 50 sweeps a node (igraph's default) is slow at the cap; 10 already converge there.
    coords = G.layout_kamada_kawai(seed=start, maxiter=min(50 * len(names), 5_000)).coords
    shortest, longest = EDGE_PIXELS
    unit = min(max(600 / math.sqrt(len(names)), shortest), longest)
    # Whole pixels: what vis-network reports back (getPositions) for a node left in place.
    return {
        name: (round(x * unit), round(y * unit)) for name, (x, y) in zip(names, coords, strict=True)
    }


def _title(node: Mapping[str, Any]) -> str:
    """The hover text of a node: what it is, then what is known of it."""
    label = node["label"]
    details = [f"{label} {node['caption'] if label == 'Person' else node['id']}"]
    if label == "Person":
        details.append(str(node["role"]))
        if (rank := _number(node.get("score_priority_rank"))) is not None:
            details.append(f"priority rank {rank:,.0f}")
        details += [
            f"{meaning} {value:.3g}"
            for key, meaning in SIZE_BY.items()
            if (value := _number(node.get(key))) is not None
        ]
    elif label == "Incident":
        details += [str(node.get("category")), *([node["date"]] if node["date"] else [])]
        if (harm := _number(node.get("harm"))) is not None:
            details.append(f"harm {harm:,.0f} days")
    elif node.get("name"):
        details.append(str(node["name"]))
    return " · ".join(details)


def _options(styling: Styling) -> dict[str, Any]:
    """vis-network options: no physics (the layout is computed here), labels of the rules'
    size on a white halo, hidden when zoomed out below the threshold."""
    chart = styling.chart
    return {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {
            "font": {"size": chart.font_size, "strokeWidth": 4, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": chart.hide_labels_below}},
        },
        "edges": {
            "smooth": False,
            "font": {"size": max(chart.font_size - 4, 8), "strokeWidth": 3},
            "scaling": {"label": {"drawThreshold": chart.hide_labels_below}},
        },
    }


def network_chart(
    network: EgoNetwork,
    *,
    size_by: str = "score_priority",
    path: EgoNetwork | None = None,
    styling: Styling | None = None,
    names: Mapping[str, str] | None = None,
    height: int = 640,
) -> Chart:
    """The network as a self-contained pyvis page (vis.js inlined, no CDN), styled by
    ``styling`` (default: the shipped rules), laid out by :func:`layout`.

    Every node carries ``ref``, its graphvc id (for a person, their entry in ``names`` when
    given), besides vis-network's ``id`` (the internal element id). ``size_by`` is the score a
    rule's ``size_by = "chosen"`` sizes by; ``path`` a shortest connection drawn within the
    network (``on_path`` in the rules).
    """
    styling = styling or load_styling()
    nodes, links = chart_records(network, path, names)
    styled = apply_styling(styling, nodes, links, size_by=size_by)
    positions = layout(network, seed=styling.chart.layout_seed)
    view = Network(height=f"{height}px", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    for node, drawn in zip(nodes, styled.nodes, strict=True):
        element_id = str(node["element_id"])
        x, y = positions[element_id]
        ref = node["caption"] if node["label"] == "Person" else str(node["id"])
        view.add_node(element_id, **drawn, ref=ref, title=_title(node), x=x, y=y, physics=False)
    for link, drawn in zip(links, styled.links, strict=True):
        view.add_edge(link["source"], link["target"], title=link["type"], **drawn)
    view.options = _options(styling)
    return Chart(view.generate_html(), styled.legend, positions)


def network_html(
    network: EgoNetwork,
    *,
    size_by: str = "score_priority",
    path: EgoNetwork | None = None,
    styling: Styling | None = None,
    height: int = 640,
) -> str:
    """The HTML page of :func:`network_chart`."""
    return network_chart(network, size_by=size_by, path=path, styling=styling, height=height).html


def _swatch(style: Mapping[str, Any], kind: str) -> str:
    colour = style.get("colour", "#cccccc" if kind == "nodes" else "#bbbbbb")
    if kind == "links":
        line = "dashed" if style.get("dashes") else "solid"
        width = min(int(style.get("width", 1)) + 2, 6)
        return (
            f'<span style="width:18px;border-top:{width}px {line} {colour};'
            'display:inline-block;margin-right:5px"></span>'
        )
    if "icon" in style:
        return (
            f'<img src="{icon_uri(style["icon"], colour)}" width="14" height="14" '
            'style="margin-right:5px" alt="">'
        )
    radius = "50%" if style.get("shape", "dot") == "dot" else "2px"
    border = style.get("border_colour", "#222222")
    border_width = min(int(style.get("border_width", 1)), 4)
    return (
        f'<span style="width:12px;height:12px;background:{colour};border-radius:{radius};'
        f'display:inline-block;margin-right:5px;border:{border_width}px solid {border}"></span>'
    )


def legend_html(entries: list[LegendEntry]) -> str:
    """The legend drawn from the styling rules' ``entries``, each with the number of the
    chart's nodes or links it matches, as HTML for ``st.html``."""
    groups: dict[str, list[str]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(
            # What the chart does not hold is greyed: the legend still shows every rule.
            '<span class="legend-entry" style="display:inline-flex;align-items:center;'
            f'margin:0 14px 4px 0;opacity:{1 if entry.count else 0.45}">'
            f"{_swatch(entry.style, entry.kind)}"
            f"{html.escape(entry.text)} ({entry.count:,})</span>"
        )
    return "".join(
        f'<div style="font-size:0.85rem;margin-bottom:4px"><b>{html.escape(group)}</b>: '
        f"{''.join(items)}</div>"
        for group, items in groups.items()
    )


def chart_stats(network: EgoNetwork, *, hops: int, cap: int) -> str:
    """What the chart shows: its nodes by label, its links, and what the node cap cut.

    Expansion adds a hop's nodes in the order found until ``cap``; so when the network is
    cut, its farthest hop is partial and the hops beyond it were not reached.

    Examples
    --------
    >>> nodes = pd.DataFrame({"label": ["Person", "Incident", "Person"], "hop": [0, 1, 2]})
    >>> edges = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"], "type": ["X", "Y"]})
    >>> chart_stats(EgoNetwork(nodes, edges, truncated=True), hops=3, cap=3)
    'Chart: 3 nodes (2 people, 1 incident), 2 links. Cut at the 3-node cap: hop 2 is partial (only the nodes found first); hop 3 was not reached.'
    """
    plural = {"Person": "people", "Incident": "incidents", "Location": "locations"}
    counts = network.nodes["label"].astype(str).value_counts()
    parts = [
        f"{n:,} {label.lower() if n == 1 else plural.get(label, label.lower() + 's')}"
        for label, n in zip(counts.index.astype(str), counts.to_numpy(), strict=True)
    ]
    text = (
        f"Chart: {len(network.nodes):,} nodes ({', '.join(parts)}), {len(network.edges):,} links."
    )
    if not network.truncated:
        return text + f" Nothing cut: the network is under the {cap:,}-node cap."
    reached = int(pd.to_numeric(network.nodes["hop"], errors="coerce").max())
    missing = list(range(reached + 1, hops + 1))
    beyond = (
        f"; hop{'s' * (len(missing) > 1)} {', '.join(map(str, missing))} "
        f"{'were' if len(missing) > 1 else 'was'} not reached"
        if missing
        else ""
    )
    return (
        text + f" Cut at the {cap:,}-node cap: hop {reached} is partial "
        f"(only the nodes found first){beyond}."
    )
