"""Small charts as inline SVG text, for pages that must open without a network.

Each function takes plain numbers and returns one ``<svg>`` element as a string: no
scripts, no fonts or images to fetch, and the same text for the same input (coordinates
are rounded to 0.1 px), so a report page is byte-for-byte reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from html import escape
from typing import Any

import numpy as np

from graphvc.reports.map_labels import area_centre, spaced_labels

__all__ = [
    "PALETTE",
    "bar_chart",
    "control_chart",
    "dot_map",
    "histogram",
    "line_chart",
    "outline_map",
    "shade_legend",
    "stacked_bars",
    "state_map",
]

#: Okabe & Ito's colour-blind-safe palette, then two greys.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#999999",
    "#666666",
)

_LABEL_WIDTH = 200
_ROW = 22
_FONT = 'font-family="sans-serif" font-size="12"'


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    return (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="{escape(title)}" {_FONT}><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> str:
    inner = f"<title>{escape(tip)}</title>" if tip else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}">{inner}</rect>'


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def bar_chart(
    labels: Sequence[str], values: Sequence[float], *, title: str, width: int = 640
) -> str:
    """Horizontal bars, one per label, longest for the largest value.

    Examples
    --------
    >>> svg = bar_chart(["Camden", "Hackney"], [274.0, 100.0], title="Harm")
    >>> svg.startswith("<svg") and svg.count("<rect") == 2 and "Camden" in svg
    True
    """
    top = max([*values, 0.0]) or 1.0
    plot = width - _LABEL_WIDTH - 70
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 10 + i * _ROW
        body.append(_text(_LABEL_WIDTH - 6, y + 14, label[:32], "end"))
        body.append(
            _rect(
                _LABEL_WIDTH,
                y + 3,
                plot * value / top,
                _ROW - 6,
                PALETTE[0],
                f"{label}: {value:,.6g}",
            )
        )
        body.append(_text(_LABEL_WIDTH + plot * value / top + 4, y + 14, _number(value)))
    return _svg(width, 20 + len(labels) * _ROW, body, title)


def stacked_bars(
    labels: Sequence[str],
    parts: Mapping[str, Sequence[float]],
    *,
    title: str,
    width: int = 640,
) -> str:
    """Horizontal bars split into their parts (e.g. a score and the terms that sum to it).

    Examples
    --------
    >>> svg = stacked_bars(["A", "B"], {"rfg": [0.3, 0.2], "betweenness": [0.5, 0.0]}, title="Score")
    >>> svg.count("<rect")  # four part bars and two legend keys
    6
    """
    names = list(parts)
    totals = np.sum([list(parts[name]) for name in names], axis=0) if names else np.zeros(0)
    top = float(max([*totals, 0.0])) or 1.0
    plot = width - _LABEL_WIDTH - 70
    body = []
    for k, name in enumerate(names):
        body.append(_rect(_LABEL_WIDTH + k * 130, 4, 10, 10, PALETTE[k % len(PALETTE)]))
        body.append(_text(_LABEL_WIDTH + k * 130 + 14, 13, name))
    for i, label in enumerate(labels):
        y = 24 + i * _ROW
        body.append(_text(_LABEL_WIDTH - 6, y + 14, label[:32], "end"))
        x = float(_LABEL_WIDTH)
        for k, name in enumerate(names):
            value = float(parts[name][i])
            body.append(
                _rect(
                    x,
                    y + 3,
                    plot * value / top,
                    _ROW - 6,
                    PALETTE[k % len(PALETTE)],
                    f"{label} {name}: {_number(value)}",
                )
            )
            x += plot * value / top
        body.append(_text(x + 4, y + 14, f"{totals[i]:.3g}"))
    return _svg(width, 34 + len(labels) * _ROW, body, title)


def histogram(values: Sequence[float], *, title: str, bins: int = 20, width: int = 300) -> str:
    """Columns counting ``values`` in ``bins`` equal bins between their least and largest.

    Examples
    --------
    >>> svg = histogram([0.1, 0.2, 0.2, 0.9], title="priority", bins=4)
    >>> svg.count("<rect")
    4
    """
    finite = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    height, plot_h = 150, 110
    body = [_text(4, 14, title)]
    if len(finite) == 0:
        body.append(_text(width / 2, 80, "no values", "middle"))
        return _svg(width, height, body, title)
    low, high = float(finite.min()), float(finite.max())
    counts, edges = np.histogram(finite, bins=bins, range=(low, high if high > low else low + 1))
    tallest = max(int(counts.max()), 1)
    column = (width - 20) / bins
    for i, count in enumerate(counts):
        h = plot_h * count / tallest
        body.append(
            _rect(
                10 + i * column,
                20 + plot_h - h,
                column - 1,
                h,
                PALETTE[0],
                f"{edges[i]:.3g}–{edges[i + 1]:.3g}: {count}",
            )
        )
    body.append(_text(10, height - 4, f"{low:.3g}"))
    body.append(_text(width - 10, height - 4, f"{high:.3g}", "end"))
    body.append(_text(width - 10, 14, f"{len(finite):,} people; tallest {tallest:,}", "end"))
    return _svg(width, height, body, title)


def line_chart(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    width: int = 720,
) -> str:
    """One line per series over the same x positions, with a legend.

    Examples
    --------
    >>> svg = line_chart(["2024-01", "2024-02"], {"knife": [1, 3], "gun": [0, 1]}, title="Trend")
    >>> svg.count("<polyline")
    2
    """
    height, left, top_y, plot_h = 260, 50, 20, 170
    plot_w = width - left - 170
    top = max([max(values, default=0) for values in series.values()] + [0]) or 1
    step = plot_w / max(len(x_labels) - 1, 1)
    body = [
        f'<line x1="{left}" y1="{top_y + plot_h}" x2="{left + plot_w:.1f}" y2="{top_y + plot_h}" stroke="#999"/>',
        _text(left - 4, top_y + 4, _number(top), "end"),
        _text(left - 4, top_y + plot_h + 4, "0", "end"),
    ]
    every = max(1, len(x_labels) // 8)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            body.append(_text(left + i * step, top_y + plot_h + 18, label, "middle"))
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        points = " ".join(
            f"{left + i * step:.1f},{top_y + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(values)
        )
        body.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"><title>{escape(name)}</title></polyline>'
        )
        body.append(_rect(width - 160, top_y + k * 18, 10, 10, colour))
        body.append(_text(width - 146, top_y + k * 18 + 9, name))
    return _svg(width, height, body, title)


def _rings(geometry: Mapping[str, Any]) -> list[list[list[float]]]:
    """The outer and inner rings of a GeoJSON Polygon or MultiPolygon."""
    coordinates = geometry.get("coordinates", [])
    if geometry.get("type") == "Polygon":
        return list(coordinates)
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    return []


def outline_map(
    areas: Mapping[str, Any],
    values: Mapping[str, float],
    *,
    title: str,
    lines: Mapping[str, Any] | None = None,
    width: int = 640,
    marked: Collection[str] = (),
    marked_fill: str = "rgb(118,42,131)",
    named: bool = False,
) -> str:
    """Areas (a GeoJSON FeatureCollection whose features carry ``code`` and ``name``) shaded
    by ``values`` (by code; areas without a value are left white; the ``marked`` codes filled
    with ``marked_fill`` instead), with thin ``lines`` (another
    FeatureCollection, e.g. wards) drawn over them. Longitude is scaled by the cosine of the
    mean latitude, so shapes keep their proportions; no tiles or scripts are needed. When
    ``named``, each area is named at its centre where the name does not cover another's
    (:func:`graphvc.reports.map_labels.spaced_labels`; every area names itself on hover).

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 52], [0, 51]]]}
    >>> areas = {"features": [{"geometry": square, "properties": {"code": "B1", "name": "One"}}]}
    >>> svg = outline_map(areas, {"B1": 10.0}, title="harm")
    >>> svg.count("<path"), "One: 10" in svg
    (1, True)
    """
    top = max(values.values(), default=0.0)

    def shade(code: str) -> tuple[str, str | None]:
        value = values.get(code)
        if value is None:
            return "#ffffff", None
        if code in marked:
            return marked_fill, _number(value)
        return _shade(value / top if top > 0 else 0.0), _number(value)

    return _outlines(areas, shade, title=title, lines=lines, width=width, named=named)


def _shade(share: float) -> str:
    """The fill of an area carrying ``share`` of the largest value: amber to deep orange."""
    return f"rgb(213,{int(94 + 150 * (1 - share))},0)"


def shade_legend(top: float, *, title: str, steps: int = 5) -> str:
    """The legend of :func:`outline_map`'s shading: ``steps`` swatches from none to ``top``.

    Examples
    --------
    >>> svg = shade_legend(730.0, title="harm")
    >>> svg.count("<rect"), ">730<" in svg, ">none<" in svg
    (6, True, True)
    """
    body = [
        _text(0, 14, title),
        '<rect x="0.5" y="22.5" width="27" height="15" fill="#ffffff" stroke="#999"/>',
        _text(34, 35, "none"),
    ]
    for step in range(steps):
        share = (step + 1) / steps
        y = 22 + (step + 1) * 20
        body += [_rect(0, y, 28, 16, _shade(share)), _text(34, y + 13, _number(top * share))]
    return _svg(180, 22 + (steps + 1) * 20 + 4, body, title)


def state_map(
    areas: Mapping[str, Any],
    states: Mapping[str, str],
    colours: Mapping[str, tuple[int, int, int]],
    *,
    title: str,
    lines: Mapping[str, Any] | None = None,
    width: int = 640,
    named: bool = False,
) -> str:
    """Areas (as in :func:`outline_map`, ``named`` too) filled by their state: ``states`` maps
    an area's code to a state, ``colours`` a state to its colour; an area without a state is
    left white.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 52], [0, 51]]]}
    >>> areas = {"features": [{"geometry": square, "properties": {"code": "B1", "name": "One"}}]}
    >>> svg = state_map(areas, {"B1": "met"}, {"met": (26, 150, 65)}, title="knife crime")
    >>> 'fill="rgb(26,150,65)"' in svg, "One: met" in svg
    (True, True)
    """

    def fill(code: str) -> tuple[str, str | None]:
        state = states.get(code)
        if state is None:
            return "#ffffff", None
        red, green, blue = colours[state]
        return f"rgb({red},{green},{blue})", state

    return _outlines(areas, fill, title=title, lines=lines, width=width, named=named)


def dot_map(
    areas: Mapping[str, Any],
    places: Sequence[tuple[float, float, float, str]],
    *,
    title: str,
    lines: Mapping[str, Any] | None = None,
    width: int = 640,
    labelled: int = 10,
) -> str:
    """``places`` (longitude, latitude, value, label) as dots over the outlines of ``areas``
    and ``lines`` (as in :func:`outline_map`, unfilled): each dot's area and colour follow its
    value (amber to red), up to ``labelled`` of the largest are named (those whose names would
    cover another's are not), and each names itself and its value in its tip.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 52], [0, 51]]]}
    >>> areas = {"features": [{"geometry": square, "properties": {"code": "B1", "name": "One"}}]}
    >>> svg = dot_map(areas, [(0.5, 51.5, 730.0, "L1"), (0.2, 51.2, 274.0, "L3")], title="harm")
    >>> svg.count("<circle"), "L1: 730" in svg, 'r="12.0"' in svg
    (2, True, True)
    """
    ordered = sorted(places, key=lambda place: -place[2])
    return _outlines(
        areas,
        lambda code: ("none", None),
        title=title,
        lines=lines,
        width=width,
        dots=ordered,
        labelled=labelled,
    )


def _outlines(
    areas: Mapping[str, Any],
    fill: Callable[[str], tuple[str, str | None]],
    *,
    title: str,
    lines: Mapping[str, Any] | None,
    width: int,
    dots: Sequence[tuple[float, float, float, str]] = (),
    labelled: int = 0,
    radius: float = 12.0,
    named: bool = False,
) -> str:
    """The areas filled by ``fill`` (an area's code -> its colour and what its tooltip says
    after its name, if anything), ``lines`` over them, then ``dots`` (longitude, latitude,
    value, label; largest first), the first ``labelled`` named; see :func:`outline_map` and
    :func:`dot_map`."""
    features = list(areas.get("features", []))
    extra = list((lines or {}).get("features", []))
    points = np.array(
        [p[:2] for f in features + extra for ring in _rings(f["geometry"]) for p in ring], float
    )
    if not len(points):
        return _svg(width, 40, [_text(8, 24, "no outlines to draw")], title)
    scale_x = float(np.cos(np.radians(points[:, 1].mean())))
    west, south = points[:, 0].min(), points[:, 1].min()
    span_x = max((points[:, 0].max() - west) * scale_x, 1e-9)
    span_y = max(points[:, 1].max() - south, 1e-9)
    pixels = (width - 20) / span_x
    height = span_y * pixels + 20

    def path(geometry: Mapping[str, Any]) -> str:
        return "".join(
            "M"
            + "L".join(
                f"{10 + (x - west) * scale_x * pixels:.1f},{height - 10 - (y - south) * pixels:.1f}"
                for x, y, *_ in ring
            )
            + "Z"
            for ring in _rings(geometry)
        )

    body = []
    for feature in features:
        code = str(feature["properties"].get("code", ""))
        name = str(feature["properties"].get("name", code))
        colour, said = fill(code)
        tip = f"{name}: {said}" if said is not None else name
        body.append(
            f'<path d="{path(feature["geometry"])}" fill="{colour}" fill-opacity="0.85" '
            f'stroke="#333" stroke-width="1"><title>{escape(tip)}</title></path>'
        )
    body += [
        f'<path d="{path(f["geometry"])}" fill="none" stroke="#999" stroke-width="0.4"/>'
        for f in extra
    ]

    def pixel(x: float, y: float) -> tuple[float, float]:
        return 10 + (x - west) * scale_x * pixels, height - 10 - (y - south) * pixels

    top = max([value for *_, value, _ in dots] + [0.0]) or 1.0
    placed = [(*pixel(x, y), label[:32]) for x, y, _, label in dots]
    for x, y, value, label in dots:
        share = max(value / top, 0.0)
        cx, cy = pixel(x, y)
        body.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{max(radius * share**0.5, 2.0):.1f}" '
            f'fill="rgb(200,{int(180 * (1 - share))},40)" fill-opacity="0.8" stroke="#fff">'
            f"<title>{escape(label)}: {_number(value)}</title></circle>"
        )
    halo = ' stroke="#fff" stroke-width="3" paint-order="stroke"'
    names = [
        (*pixel(*centre), str(f["properties"].get("name", "")))
        for f in features
        if named and (centre := area_centre(f["geometry"]))
    ]
    taken = spaced_labels([(x + 4, y - 4, t) for x, y, t in placed], limit=labelled, anchor="start")
    body += [_text(placed[i][0] + 4, placed[i][1] - 4, placed[i][2], extra=halo) for i in taken]
    shown = [names[i] for i in spaced_labels(names)]
    body += [
        _text(x, y + 4, text, "middle", extra=' class="area-name"' + halo) for x, y, text in shown
    ]
    return _svg(width, height, body, title)


def control_chart(
    x_labels: Sequence[str],
    values: Sequence[float],
    *,
    centre: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    flagged: Sequence[bool],
    split: int,
    title: str,
    width: int = 720,
) -> str:
    """A control chart: the series as a line, the centre line solid and the limits dashed,
    flagged points in orange and a grey rule where the baseline (the first ``split`` points)
    ends.

    Examples
    --------
    >>> svg = control_chart(["2024-01", "2024-02", "2024-03"], [10, 12, 30], centre=[11] * 3,
    ...                     lower=[1] * 3, upper=[21] * 3, flagged=[False, False, True], split=2,
    ...                     title="robbery")
    >>> svg.count("<polyline"), svg.count('fill="#D55E00"')
    (4, 1)
    """
    height, left, top_y, plot_h = 220, 50, 20, 160
    plot_w = width - left - 20
    finite = [v for v in [*values, *upper] if np.isfinite(v)]
    top = max([*finite, 1.0]) * 1.05
    step = plot_w / max(len(x_labels) - 1, 1)

    def y(v: float) -> float:
        return top_y + plot_h - plot_h * v / top

    def line(series: Sequence[float], colour: str, dash: str = "", name: str = "") -> str:
        points = " ".join(
            f"{left + i * step:.1f},{y(v):.1f}" for i, v in enumerate(series) if np.isfinite(v)
        )
        style = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{style}>'
            f"<title>{escape(name)}</title></polyline>"
        )

    body = [
        f'<line x1="{left}" y1="{top_y + plot_h}" x2="{left + plot_w:.1f}" y2="{top_y + plot_h}" stroke="#999"/>',
        _text(left - 4, top_y + 4, _number(top), "end"),
        _text(left - 4, top_y + plot_h + 4, "0", "end"),
        line(upper, PALETTE[8], "4 3", "upper limit"),
        line(lower, PALETTE[8], "4 3", "lower limit"),
        line(centre, PALETTE[9], "", "centre line"),
        line(values, PALETTE[0], "", title),
    ]
    if 0 < split < len(x_labels):
        x = left + (split - 0.5) * step
        body.append(
            f'<line x1="{x:.1f}" y1="{top_y}" x2="{x:.1f}" y2="{top_y + plot_h}" stroke="#ccc"/>'
        )
        body.append(_text(x + 4, top_y + 10, "target period"))
    every = max(1, len(x_labels) // 8)
    for i, (label, value, flag) in enumerate(zip(x_labels, values, flagged, strict=True)):
        if i % every == 0:
            body.append(_text(left + i * step, top_y + plot_h + 18, label, "middle"))
        if np.isfinite(value):
            colour = PALETTE[3] if flag else PALETTE[0]
            body.append(
                f'<circle cx="{left + i * step:.1f}" cy="{y(value):.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(label)}: {value:.4g}</title></circle>"
            )
    return _svg(width, height, body, title)
