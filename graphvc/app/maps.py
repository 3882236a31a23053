"""The app's maps: places on a WebGL map (pydeck), the city's outlines beneath them, a legend
beside every map, and the caption that says which geography it draws.

Every map says what its colours (and, where size encodes a value, its sizes) mean in a
legend drawn beside it (:func:`show_map`, :func:`show_picture`); a borough map names its
boroughs; labels never overlap: the largest places are named where there is room
(:func:`graphvc.reports.map_labels.spaced_labels`), the rest name themselves on hover.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import pandas as pd
import pydeck as pdk
import streamlit as st

from graphvc.app import data
from graphvc.app.access import guarded
from graphvc.app.widgets import PICTURE_CLASS
from graphvc.reports.map_labels import area_centre, spaced_labels

__all__ = [
    "HIGHLIGHT_COLOUR",
    "MAP_HEIGHT",
    "OUTLINE_SCALE",
    "OUTLINE_STYLES",
    "fitted_view",
    "geography_caption",
    "labels_layer",
    "legend_html",
    "place_legend",
    "place_map",
    "scale_colour",
    "show_map",
    "show_picture",
]

#: The colour of the places a map highlights (purple, apart from the amber-to-red scale).
HIGHLIGHT_COLOUR = (118, 42, 131, 230)
#: The outlines beneath a map, bottom first: level, line colour (RGBA) and width (pixels).
OUTLINE_STYLES = (("ward", [150, 150, 150, 120], 0.5), ("borough", [60, 60, 60, 220], 1.5))
#: How many of the graph's places missing from the installed outlines a caption names.
UNCOVERED_NAMED = 5
#: How tall a WebGL map is drawn (pixels), and the size its first view is fitted to: the
#: map takes the page's width but for its legend's column.
MAP_HEIGHT = 620
FITTED_PIXELS = (820, 560)
#: The share of the page's width a map takes beside its legend.
MAP_SHARE = (5, 1)
#: The colours of the smallest and largest value of :func:`graphvc.reports.charts.outline_map`.
OUTLINE_SCALE = ((213, 244, 0), (213, 94, 0))
#: The label colour on a map (dark grey).
LABEL_COLOUR = [40, 40, 40, 230]


def scale_colour(share: float) -> tuple[int, int, int]:
    """The amber-to-red colour of a value at ``share`` (0 to 1) of the largest shown.

    Examples
    --------
    >>> scale_colour(0.0), scale_colour(1.0)
    ((200, 180, 40), (200, 0, 40))
    """
    return (200, int(180 * (1 - min(max(share, 0.0), 1.0))), 40)


def _zoom(places: pd.DataFrame) -> float:
    """The zoom that fits ``places`` in :data:`FITTED_PIXELS` (Web Mercator: 256 pixels span
    360° at zoom 0; a degree of latitude in London draws 1.6 times a longitude's)."""
    width = max(float(places["longitude"].max() - places["longitude"].min()), 0.005)
    height = max(float(places["latitude"].max() - places["latitude"].min()), 0.003) * 1.6
    across, down = FITTED_PIXELS
    fit = min(math.log2(across * 360 / (256 * width)), math.log2(down * 360 / (256 * height)))
    return min(14.0, max(8.5, fit - 0.6))  # a margin for the tilt and the labels


def fitted_view(places: pd.DataFrame, *, pitch: float = 0) -> pdk.ViewState:
    """The view that fits the ``latitude``/``longitude`` of ``places`` (central London when
    there are none)."""
    centre, zoom = (51.5072, -0.1276), 9.5
    if len(places):
        centre = (float(places["latitude"].mean()), float(places["longitude"].mean()))
        zoom = _zoom(places)
    return pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom, pitch=pitch)


def _pixels(longitude: float, latitude: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixels of a point at ``zoom`` (origin anywhere: only distances count)."""
    scale = 256 * 2**zoom / 360
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2)))
    return longitude * scale, -y * scale


def _spaced(rows: pd.DataFrame, text: str, zoom: float, limit: int | None) -> pd.DataFrame:
    """The rows of ``rows`` (most important first) whose ``text`` labels do not overlap at
    ``zoom``, up to ``limit``."""
    points = [
        (*_pixels(float(x), float(y), zoom), str(t))
        for x, y, t in zip(rows["longitude"], rows["latitude"], rows[text], strict=True)
    ]
    return rows.iloc[spaced_labels(points, limit=limit)]


def _outline_layers(
    outlines: Mapping[str, Mapping[str, Any]] | None, zoom: float, named: bool
) -> list[pdk.Layer]:
    """The ward and borough outlines there are, as line layers (nothing to pick), and when
    ``named`` the boroughs' names at their centres where they do not overlap."""
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=dict(shape),
            stroked=True,
            filled=False,
            get_line_color=colour,
            line_width_min_pixels=width,
            pickable=False,
        )
        for level, colour, width in OUTLINE_STYLES
        if (shape := (outlines or {}).get(level))
    ]
    boroughs = (outlines or {}).get("borough")
    if named and boroughs:
        centres = [
            {"name": str(f["properties"].get("name", "")), "longitude": c[0], "latitude": c[1]}
            for f in boroughs.get("features", ())
            if (c := area_centre(f["geometry"]))
        ]
        if centres:
            shown = _spaced(pd.DataFrame(centres), "name", zoom, None)
            layers.append(_text_layer(shown, "name", colour=[90, 90, 90, 200], size=11))
    return layers


def labels_layer(
    rows: pd.DataFrame, text: str, *, zoom: float, limit: int | None = None
) -> pdk.Layer:
    """The ``text`` labels of ``rows`` (``longitude``, ``latitude``; most important first)
    that do not overlap at ``zoom``, up to ``limit``, as a text layer."""
    return _text_layer(_spaced(rows, text, zoom, limit), text)


def _text_layer(
    rows: pd.DataFrame, text: str, *, colour: list[int] = LABEL_COLOUR, size: int = 12
) -> pdk.Layer:
    return pdk.Layer(
        "TextLayer",
        data=rows,
        get_position=["longitude", "latitude"],
        get_text=text,
        get_size=size,
        get_color=colour,
        get_alignment_baseline="'top'",
        outline_width=2,
        outline_color=[255, 255, 255, 255],
        font_settings={"sdf": True},
    )


def place_map(
    places: pd.DataFrame,
    *,
    value: str,
    label: str,
    tooltip: str,
    radius: float,
    columns: bool = True,
    labelled: int = 10,
    outlines: Mapping[str, Mapping[str, Any]] | None = None,
    highlight: str | None = None,
) -> pdk.Deck:
    """Places at ``latitude``/``longitude`` drawn by ``value``: columns whose height and colour
    follow it, or (``columns=False``, for many small places) dots whose area does; the places
    true in the boolean column ``highlight`` are drawn in :data:`HIGHLIGHT_COLOUR` instead. Up
    to ``labelled`` of the places with the largest values are named by their ``label``
    column, where the names do not overlap at the first view (the others name themselves in
    the ``tooltip``). Beneath them, the ward and borough ``outlines`` (GeoJSON by level, from
    :func:`graphvc.app.data.map_outlines`), the boroughs named, so a reader can tell one
    borough from another without a tile server; no base map is fetched. Its legend is
    :func:`place_legend`."""
    shown = places.dropna(subset=["latitude", "longitude"]).sort_values(value, ascending=False)
    largest = float(shown[value].max()) if len(shown) else 0.0
    share = shown[value] / largest if largest > 0 else shown[value] * 0.0
    colours: list[Any] = [(*scale_colour(h), 200) for h in share]
    if highlight is not None:
        colours = [
            HIGHLIGHT_COLOUR if marked else colour
            for marked, colour in zip(shown[highlight], colours, strict=True)
        ]
    shown = shown.assign(
        _share=share, _radius=radius * share.clip(lower=0.02) ** 0.5, _colour=colours
    )
    view = fitted_view(shown, pitch=45 if columns else 0)
    common = {
        "data": shown,
        "get_position": ["longitude", "latitude"],
        "get_fill_color": "_colour",
        "pickable": True,
        "auto_highlight": True,
    }
    if columns:
        places_layer = pdk.Layer(
            "ColumnLayer",
            get_elevation="_share",
            elevation_scale=radius * 8,
            radius=radius,
            **common,
        )
    else:
        places_layer = pdk.Layer(
            "ScatterplotLayer", get_radius="_radius", radius_min_pixels=2, opacity=0.8, **common
        )
    named = shown.assign(_label=shown[label].astype(str))
    return pdk.Deck(
        layers=[
            *_outline_layers(outlines, view.zoom, named=True),
            places_layer,
            labels_layer(named, "_label", zoom=view.zoom, limit=labelled),
        ],
        initial_view_state=view,
        map_style=None,
        map_provider=None,
        tooltip={"text": tooltip},
    )


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def legend_html(
    title: str,
    swatches: Mapping[str, tuple[int, ...]] | None = None,
    *,
    scale: tuple[float, float] | None = None,
    scale_ends: tuple[tuple[int, ...], tuple[int, ...]] = (scale_colour(0.0), scale_colour(1.0)),
    sizes: Sequence[tuple[str, float]] = (),
    note: str = "",
) -> str:
    """A map's legend as HTML: its ``title``; coloured squares named by state (``swatches``);
    a colour bar from ``scale``'s low to high value (in the colours ``scale_ends``, amber
    to red unless given); circles of the ``sizes`` given
    (label, diameter in pixels) where size encodes a value; and a ``note``.

    Examples
    --------
    >>> html = legend_html("harm (days)", scale=(0, 730), sizes=[("730", 24.0)])
    >>> "graphvc-legend" in html, "730" in html, "harm (days)" in html
    (True, True, True)
    """
    parts = [f"<strong>{escape(title)}</strong>"]
    for name, colour in (swatches or {}).items():
        rgb = ",".join(str(c) for c in colour[:3])
        parts.append(
            f'<div><span style="display:inline-block;width:1em;height:1em;'
            f'background:rgb({rgb});border:1px solid #888;vertical-align:middle"></span> '
            f"{escape(name)}</div>"
        )
    if scale is not None:
        low, high = (f"rgb({','.join(map(str, end[:3]))})" for end in scale_ends)
        parts.append(
            f'<div style="height:0.8em;width:100%;max-width:10em;'
            f'background:linear-gradient(to right,{low},{high});border:1px solid #888"></div>'
            f'<div style="display:flex;justify-content:space-between;max-width:10em">'
            f"<span>{_number(scale[0])}</span><span>{_number(scale[1])}</span></div>"
        )
    for name, diameter in sizes:
        parts.append(
            f'<div><span style="display:inline-block;width:{diameter:.0f}px;'
            f"height:{diameter:.0f}px;border-radius:50%;background:rgb(200,90,40);"
            f'opacity:0.8;vertical-align:middle"></span> {escape(name)}</div>'
        )
    if note:
        parts.append(f'<div style="color:#666">{escape(note)}</div>')
    return (
        '<div class="graphvc-legend" role="note" aria-label="legend" '
        'style="font-size:0.85em;line-height:1.6">' + "".join(parts) + "</div>"
    )


def place_legend(
    places: pd.DataFrame,
    *,
    value: str,
    title: str,
    columns: bool = True,
    highlighted: str | None = None,
) -> str:
    """The legend of :func:`place_map` of ``places``: the colour scale of ``value`` (its
    ``title``, with its unit), the size of the dots (``columns=False``: a dot's area follows
    the value) or the columns' height, and the ``highlighted`` places' colour, named."""
    values = places[value].dropna()
    top = float(values.max()) if len(values) else 0.0
    sizes = []
    if not columns and top > 0:
        sizes = [(_number(top * share), 24 * share**0.5) for share in (1.0, 0.25)]
    note = "Column height and colour follow the value." if columns else "Dot area follows it."
    swatches = {highlighted: HIGHLIGHT_COLOUR} if highlighted else None
    return legend_html(title, swatches, scale=(0.0, top), sizes=sizes, note=note)


def show_map(deck: pdk.Deck, legend: str, *, height: int = MAP_HEIGHT) -> None:
    """A WebGL map as wide as the page allows, its ``legend`` (:func:`legend_html`) beside
    it."""
    drawn, key = st.columns(MAP_SHARE)
    with drawn:
        st.pydeck_chart(deck, height=height, width="stretch")
    key.markdown(legend, unsafe_allow_html=True)


def show_picture(svg: str, legend: str) -> None:
    """An SVG map (:mod:`graphvc.reports.charts`) as wide as the page allows, its ``legend``
    beside it; its tooltips live."""
    fitted = svg.replace("<svg ", '<svg style="width: 100%; height: auto" ', 1)
    drawn, key = st.columns(MAP_SHARE)
    drawn.markdown(f'<div class="{PICTURE_CLASS}">{fitted}</div>', unsafe_allow_html=True)
    key.markdown(legend, unsafe_allow_html=True)


def geography_caption(level: str = "borough", uncovered: Sequence[str] = ()) -> None:
    """Say which city the maps show, and how their outlines were made; and, when the
    installed outlines do not draw some of the graph's places (the ``uncovered`` codes of
    ``level``, from :meth:`graphvc.geography.MapGeography.uncovered`), what is installed,
    which of the graph's places it lacks, and that the map draws them at their coordinates."""
    city = guarded(data.map_outlines)
    if not city.outlines:
        how = "no outlines installed (graphvc data install adds London's)"
    elif uncovered:
        installed = ", ".join(
            _counted(len(shape.get("features", ())), name) for name, shape in city.outlines.items()
        )
        shown = ", ".join(uncovered[:UNCOVERED_NAMED])
        if len(uncovered) > UNCOVERED_NAMED:
            shown += f" and {len(uncovered) - UNCOVERED_NAMED:,} more"
        how = (
            f"the installed outlines ({installed}) do not draw the graph's "
            f"{_counted(len(uncovered), level)} {shown}, so the map shows its places at their "
            "coordinates instead"
        )
    elif city.approximate:
        how = "outlines approximate: Voronoi cells of the LSOA centroids, by ward and borough"
    else:
        how = "outlines generated with the city"
    st.caption(f"Geography: {city.name}; {how}.")


def _counted(count: int, level: str) -> str:
    """``count`` places of ``level``: ``"1 ward"``, ``"33 boroughs"``."""
    return f"{count:,} {level}" + ("" if count == 1 else "s")
