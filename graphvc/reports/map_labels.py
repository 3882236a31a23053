"""Where a map's labels go: the first ones that do not overlap, and an area's centre.

A map names its most important places (the largest values first); a label that would cover
one already placed is left out, and its place says its name on hover instead. Both the SVG
maps (:mod:`graphvc.reports.charts`) and the app's WebGL maps (:mod:`graphvc.app.maps`)
place their labels with :func:`spaced_labels`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["CHARACTER_PIXELS", "LINE_PIXELS", "area_centre", "spaced_labels"]

#: About how wide a character of a 12-pixel sans-serif label is, and how tall a line.
CHARACTER_PIXELS = 6.6
LINE_PIXELS = 14.0


def spaced_labels(
    points: Sequence[tuple[float, float, str]],
    *,
    limit: int | None = None,
    anchor: str = "middle",
) -> list[int]:
    """The indices of the labels to draw: ``points`` (x and y in pixels, the label's text)
    taken in order (most important first), each kept when its box does not overlap a box
    kept before it, until ``limit`` are kept. ``anchor`` is where the box sits on its
    point: ``"middle"`` (centred) or ``"start"`` (to the right of it).

    Examples
    --------
    Two long names at almost the same place, and a third far away: the second is left out.

    >>> spaced_labels([(100, 100, "Camden"), (104, 102, "Islington"), (300, 100, "Bexley")])
    [0, 2]
    >>> spaced_labels([(100, 100, "Camden"), (300, 100, "Bexley")], limit=1)
    [0]
    """
    kept: list[int] = []
    boxes: list[tuple[float, float, float, float]] = []
    for index, (x, y, text) in enumerate(points):
        if limit is not None and len(kept) >= limit:
            break
        width = len(text) * CHARACTER_PIXELS
        left = x - width / 2 if anchor == "middle" else x
        box = (left, y - LINE_PIXELS / 2, left + width, y + LINE_PIXELS / 2)
        if any(_overlap(box, other) for other in boxes):
            continue
        kept.append(index)
        boxes.append(box)
    return kept


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def area_centre(geometry: Mapping[str, Any]) -> tuple[float, float] | None:
    """Where to name an area: the centre of the bounding box of the largest outer ring of a
    GeoJSON Polygon or MultiPolygon (longitude, latitude), or None for another geometry.

    Examples
    --------
    >>> area_centre({"type": "Polygon", "coordinates": [[[0, 50], [2, 50], [2, 52], [0, 50]]]})
    (1.0, 51.0)
    """
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        rings = [coordinates[0]] if coordinates else []
    elif geometry.get("type") == "MultiPolygon":
        rings = [polygon[0] for polygon in coordinates if polygon]
    else:
        return None
    if not rings:
        return None

    def extent(ring: Sequence[Sequence[float]]) -> float:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return (max(xs) - min(xs)) * (max(ys) - min(ys))

    ring = max(rings, key=extent)
    xs, ys = [float(p[0]) for p in ring], [float(p[1]) for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
