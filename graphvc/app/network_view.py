"""How the explorer draws a network: a pyvis picture coloured by role and continuum category,
people sized by their score, and its legend. Not a page: the explorer and the benchmark use it.
"""

from __future__ import annotations

import math

from pyvis.network import Network

from graphvc.contract import CATEGORIES
from graphvc.explore import EgoNetwork
from graphvc.model import ROLE_RELATIONSHIPS

__all__ = ["SIZE_BY", "legend_html", "network_html"]

#: What a person's size can show, as (written-back score property, what it means).
SIZE_BY = {
    "score_priority": "offender priority",
    "score_betweenness": "betweenness (brokerage)",
}
ROLE_COLOURS = {
    "OFFENDER_IN": "#d62728",
    "SUSPECT_IN": "#ff7f0e",
    "VICTIM_IN": "#1f77b4",
    "WITNESS_IN": "#7f7f7f",
}
#: A person's colour: their roles in the incidents shown, the most telling first.
PERSON_COLOURS = {
    "victim-offender": "#9467bd",
    "offender": ROLE_COLOURS["OFFENDER_IN"],
    "suspect": ROLE_COLOURS["SUSPECT_IN"],
    "victim": ROLE_COLOURS["VICTIM_IN"],
    "witness": ROLE_COLOURS["WITNESS_IN"],
    "no incident shown": "#9ecae1",
}
CATEGORY_COLOURS = dict(
    zip(
        CATEGORIES,
        ("#67000d", "#cb181d", "#f16913", "#fdae6b", "#6a51a3", "#dd3497", "#ae017e", "#969696"),
        strict=True,
    )
)
PLACE_COLOURS = {"Location": "#31a354", "Ward": "#74c476", "Borough": "#a1d99b"}
SHAPES = {
    "Person": "dot",
    "Incident": "square",
    "Location": "triangle",
    "Ward": "diamond",
    "Borough": "star",
}
EDGE_COLOURS = ROLE_COLOURS | {"ASSOCIATE_OF": "#9467bd"}
HIGHLIGHT = "#ffbf00"
# Stop the physics once the layout has settled, so the picture holds still for reading.
FREEZE = (
    "network.once('stabilizationIterationsDone', function () "
    "{ network.setOptions({physics: false}); });"
)


def _person_roles(network: EgoNetwork) -> dict[str, str]:
    """Each person's colour key from the role relationships shown."""
    roles: dict[str, set[str]] = {}
    names = {rel: role for role, rel in ROLE_RELATIONSHIPS.items()}
    for source, _, kind in network.edges.itertuples(index=False, name=None):
        if kind in names:
            roles.setdefault(str(source), set()).add(names[kind])
    keys = {}
    for person, held in roles.items():
        perpetrator = held & {"offender", "suspect"}
        if perpetrator and "victim" in held:
            keys[person] = "victim-offender"
        else:
            keys[person] = next(
                k for k in ("offender", "suspect", "victim", "witness") if k in held
            )
    return keys


def _number(value: object) -> float | None:
    if value is None or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def network_html(
    network: EgoNetwork,
    *,
    size_by: str = "score_priority",
    path: EgoNetwork | None = None,
    height: int = 640,
) -> str:
    """The network as a self-contained pyvis HTML page (vis.js inlined, no CDN).

    People are dots coloured by their role (:data:`PERSON_COLOURS`) and sized by
    ``size_by`` where scores were written back; incidents are squares coloured by
    category; places are green triangles (locations), diamonds (wards) and stars
    (boroughs). Edges take their role's colour. The centre (hop 0) has a thick border, and
    the nodes and edges of ``path`` (a shortest connection drawn within the network) are
    amber.
    """
    view = Network(height=f"{height}px", width="100%", cdn_resources="in_line", bgcolor="#ffffff")
    roles = _person_roles(network)
    people = network.nodes[network.nodes["label"] == "Person"]
    scores = [s for s in map(_number, people.get(size_by, [])) if s is not None]
    largest = max(scores, default=0.0)
    marked = set(path.nodes["element_id"]) if path is not None else set()
    marked_edges = set(path.edges.itertuples(index=False, name=None)) if path is not None else set()
    for node in network.nodes.to_dict("records"):
        label, element_id = node["label"], str(node["element_id"])
        details = [f"{label} {node['id']}"]
        if label == "Person":
            role = roles.get(element_id, "no incident shown")
            colour = PERSON_COLOURS[role]
            score = _number(node.get(size_by))
            size = 10 + 30 * score / largest if score is not None and largest > 0 else 14
            details.append(role)
            details += [
                f"{meaning} {value:.3g}"
                for key, meaning in SIZE_BY.items()
                if (value := _number(node.get(key))) is not None
            ]
        elif label == "Incident":
            colour = CATEGORY_COLOURS.get(str(node.get("category")), "#cccccc")
            size = 12
            details.append(str(node.get("category")))
            if (harm := _number(node.get("harm"))) is not None:
                details.append(f"harm {harm:,.0f} days")
        else:
            colour, size = PLACE_COLOURS.get(label, "#cccccc"), 12
            if node.get("name"):
                details.append(str(node["name"]))
        border = HIGHLIGHT if element_id in marked else "#222222"
        view.add_node(
            element_id,
            label=str(node["id"]),
            title=" · ".join(details),
            shape=SHAPES.get(label, "dot"),
            color={"background": colour, "border": border},
            borderWidth=5 if element_id in marked else (4 if node["hop"] == 0 else 1),
            size=size,
        )
    for edge in network.edges.to_dict("records"):
        on_path = (edge["source"], edge["target"], edge["type"]) in marked_edges
        view.add_edge(
            edge["source"],
            edge["target"],
            title=edge["type"],
            color=HIGHLIGHT if on_path else EDGE_COLOURS.get(edge["type"], "#bbbbbb"),
            width=5 if on_path else 1,
            dashes=edge["type"] == "ASSOCIATE_OF",
        )
    view.toggle_physics(True)
    html = view.generate_html()
    return html.replace("return network;", FREEZE + "\n        return network;", 1)


def _swatch(colour: str, shape: str, text: str) -> str:
    radius = "50%" if shape == "dot" else "2px"
    return (
        f'<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        f'<span style="width:12px;height:12px;background:{colour};border-radius:{radius};'
        f'display:inline-block;margin-right:5px;border:1px solid #222"></span>{text}</span>'
    )


def legend_html() -> str:
    """The legend of :func:`network_html`, as HTML for ``st.html``."""
    rows = {
        "People (dots, sized by score)": [
            _swatch(c, "dot", role) for role, c in PERSON_COLOURS.items()
        ],
        "Incidents (squares)": [
            _swatch(c, "square", category.replace("_", " "))
            for category, c in CATEGORY_COLOURS.items()
        ],
        "Places": [
            _swatch(PLACE_COLOURS[label], "square", f"{label.lower()} ({SHAPES[label]})")
            for label in PLACE_COLOURS
        ],
        "Links": [
            _swatch(c, "square", rel.lower().replace("_", " ")) for rel, c in EDGE_COLOURS.items()
        ]
        + [_swatch(HIGHLIGHT, "square", "shortest connection")],
    }
    return "".join(
        f'<div style="font-size:0.85rem;margin-bottom:4px"><b>{title}</b>: {"".join(items)}</div>'
        for title, items in rows.items()
    )
