"""An exported network as a picture: SVG (written here) and PNG (drawn with Pillow), both from
one seeded layout, so a network exported twice gives the same picture and the ANX chart
places its entities where the picture does.

No browser and no plotting library: an SVG is a few hundred lines of text, and Pillow (which
Streamlit already installs) draws the same lines, shapes and captions into a PNG.
"""

from __future__ import annotations

import io
from collections.abc import Hashable, Mapping
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx
from PIL import Image, ImageDraw, ImageFont

__all__ = ["LABEL_COLOURS", "LINK_COLOURS", "png_bytes", "positions", "svg_text"]

#: A node's fill by its label.
LABEL_COLOURS = {
    "Person": "#d62728",
    "Incident": "#f16913",
    "Location": "#31a354",
    "Ward": "#74c476",
    "Borough": "#a1d99b",
}
#: A link's colour by its type (others grey).
LINK_COLOURS = {
    "OFFENDER_IN": "#d62728",
    "SUSPECT_IN": "#ff7f0e",
    "VICTIM_IN": "#1f77b4",
    "WITNESS_IN": "#7f7f7f",
    "ASSOCIATE_OF": "#9467bd",
}
_WIDTH, _HEIGHT, _MARGIN, _RADIUS = 1200, 900, 60, 9


def positions(G: nx.Graph, *, seed: int = 0) -> dict[Hashable, tuple[float, float]]:
    """Each node's place, from -1 to 1 on both axes: a spring layout with ``seed`` (the same
    network and seed give the same places), links pulling by their ``weight``.

    >>> where = positions(nx.path_graph(3), seed=1)
    >>> where == positions(nx.path_graph(3), seed=1), all(-1 <= c <= 1 for p in where.values() for c in p)
    (True, True)
    """
    if G.number_of_nodes() == 0:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(sorted(G, key=str))
    for u, v, data in G.edges(data=True):
        weight = float(data.get("weight", 1.0))
        if not simple.has_edge(u, v) or simple[u][v]["weight"] < weight:
            simple.add_edge(u, v, weight=weight)
    placed = nx.spring_layout(simple, seed=seed, weight="weight")
    return {node: (float(x), float(y)) for node, (x, y) in placed.items()}


def _canvas(G: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    """Each node's place in pixels."""
    span_x, span_y = (_WIDTH - 2 * _MARGIN) / 2, (_HEIGHT - 2 * _MARGIN) / 2
    return {
        node: (_WIDTH / 2 + x * span_x, _HEIGHT / 2 - y * span_y)
        for node, (x, y) in positions(G, seed=seed).items()
    }


def _fill(data: Mapping[str, Any]) -> str:
    return LABEL_COLOURS.get(str(data.get("labels")), "#bbbbbb")


def svg_text(G: nx.Graph, *, seed: int = 0, title: str = "graphvc network") -> str:
    """The network as a standalone SVG: links coloured by type, people as circles, every other
    node as a square, each with its caption (``label``)."""
    where = _canvas(G, seed)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>',
    ]
    for u, v, data in G.edges(data=True):
        (x1, y1), (x2, y2) = where[u], where[v]
        colour = LINK_COLOURS.get(str(data.get("type")), "#bbbbbb")
        width = min(5.0, float(data.get("weight", 1.0)))
        lines.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
            f'stroke-width="{width:g}"><title>{escape(str(data.get("type")))}</title></line>'
        )
    for node, data in G.nodes(data=True):
        x, y = where[node]
        fill, caption = _fill(data), str(data.get("label", node))
        if data.get("labels") == "Person":
            shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_RADIUS}" '
        else:
            shape = (
                f'<rect x="{x - _RADIUS:.1f}" y="{y - _RADIUS:.1f}" '
                f'width="{2 * _RADIUS}" height="{2 * _RADIUS}" '
            )
        lines.append(
            f'<g data-id={quoteattr(str(node))}>{shape}fill="{fill}" stroke="#222222"/>'
            f'<text x="{x + _RADIUS + 3:.1f}" y="{y + 4:.1f}">{escape(caption)}</text></g>'
        )
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


def png_bytes(G: nx.Graph, *, seed: int = 0) -> bytes:
    """The picture of :func:`svg_text` as a PNG (Pillow; its own small font)."""
    where = _canvas(G, seed)
    image = Image.new("RGB", (_WIDTH, _HEIGHT), "#ffffff")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=12)
    for u, v, data in G.edges(data=True):
        colour = LINK_COLOURS.get(str(data.get("type")), "#bbbbbb")
        width = max(1, round(min(5.0, float(data.get("weight", 1.0)))))
        draw.line([where[u], where[v]], fill=colour, width=width)
    for node, data in G.nodes(data=True):
        x, y = where[node]
        box = (x - _RADIUS, y - _RADIUS, x + _RADIUS, y + _RADIUS)
        if data.get("labels") == "Person":
            draw.ellipse(box, fill=_fill(data), outline="#222222")
        else:
            draw.rectangle(box, fill=_fill(data), outline="#222222")
        draw.text((x + _RADIUS + 3, y - 6), str(data.get("label", node)), fill="#000000", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
