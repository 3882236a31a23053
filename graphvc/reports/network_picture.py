"""The co-offending picture of a report: a network as inline SVG, each connected component in
its own cell, the same text for the same network and seed (see :mod:`graphvc.reports.charts`)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

import networkx as nx
import numpy as np

from graphvc.reports.charts import PALETTE, _svg, _text

__all__ = ["network_picture"]


def _packed_layout(
    G: nx.Graph, seed: int, width: float
) -> tuple[dict[object, tuple[float, float]], float]:
    """Each connected component laid out on its own (force-directed, seeded) in a square cell
    of a grid, largest first: far more legible than one layout that flings the components
    apart and crushes each of them. Returns the positions and the drawing's height."""
    order = {node: i for i, node in enumerate(G.nodes)}
    components = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(G)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    columns = max(min(int(np.ceil(np.sqrt(len(components)))), int(width // 110)), 1)
    cell = width / columns
    margin = 22.0
    place: dict[object, tuple[float, float]] = {}
    for i, members in enumerate(components):
        left, top = (i % columns) * cell, (i // columns) * cell
        if len(members) == 1:
            place[members[0]] = (left + cell / 2, top + cell / 2)
            continue
        layout = nx.spring_layout(G.subgraph(members), seed=seed, weight=None)
        xy = np.array([layout[node] for node in members])
        low, span = xy.min(axis=0), np.ptp(xy, axis=0).max() or 1.0
        for node, (x, y) in zip(members, xy, strict=True):
            place[node] = (
                left + margin + (cell - 2 * margin) * (x - low[0]) / span,
                top + margin + (cell - 2 * margin) * (y - low[1]) / span,
            )
    return place, cell * int(np.ceil(len(components) / columns))


def network_picture(
    G: nx.Graph,
    *,
    labels: Mapping[object, str],
    tips: Mapping[object, str],
    sizes: Mapping[object, float],
    groups: Mapping[object, int],
    title: str,
    seed: int = 0,
    width: int = 720,
) -> str:
    """A drawing of ``G``: each connected component in its own cell, laid out by force
    (seeded); edges as wide as their ``incidents``, nodes sized by ``sizes`` (0 to 1) and
    coloured by ``groups``.

    Examples
    --------
    >>> G = nx.Graph([("A", "B")])
    >>> svg = network_picture(G, labels={"A": "1", "B": "2"}, tips={"A": "a", "B": "b"},
    ...                       sizes={"A": 1.0, "B": 0.5}, groups={"A": 0, "B": 0}, title="core")
    >>> svg.count("<circle"), svg.count("<line")
    (2, 1)
    """
    if G.number_of_nodes() == 0:
        return _svg(
            width, 60, [_text(width / 2, 35, "no co-offending among these people", "middle")], title
        )
    place, height = _packed_layout(G, seed, width)
    body = []
    for a, b, data in G.edges(data=True):
        (x1, y1), (x2, y2) = place[a], place[b]
        body.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" '
            f'stroke-width="{min(1 + data.get("incidents", 1), 8):.0f}"/>'
        )
    for node in G.nodes:
        x, y = place[node]
        radius = 7 + 9 * max(min(sizes.get(node, 0.0), 1.0), 0.0)
        colour = PALETTE[groups.get(node, 0) % len(PALETTE)]
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" stroke="#fff">'
            f"<title>{escape(tips.get(node, ''))}</title></circle>"
        )
        body.append(
            _text(
                x,
                y + 4,
                labels.get(node, ""),
                "middle",
                ' font-weight="bold" stroke="#fff" stroke-width="3" paint-order="stroke"',
            )
        )
    return _svg(width, height, body, title)
