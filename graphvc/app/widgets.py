"""What pages draw with: tables a page at a time, sliders, a date window, SVG pictures, maps
with their geography caption, and a report's headlines."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pydeck as pdk
import streamlit as st

from graphvc import contract
from graphvc.app import data
from graphvc.app.access import audited, audited_export, guarded
from graphvc.app.ways_in import plain_config, selectable
from graphvc.display import plain_table
from graphvc.files import csv_text
from graphvc.reports import read_manifest

__all__ = [
    "HIGHLIGHT_COLOUR",
    "PAGE_ROWS",
    "RFG_PARTS",
    "download",
    "fitted_view",
    "geography_caption",
    "paged",
    "picture",
    "place_map",
    "plain",
    "report_headlines",
    "table",
    "top_slider",
    "window",
]

#: The colour of the places a map highlights (purple, apart from the amber-to-red scale).
HIGHLIGHT_COLOUR = (118, 42, 131, 230)
#: The parts of the RFG score (itself a part of the priority).
RFG_PARTS = ("recency_part", "frequency_part", "gravity_part")
#: The offender list's columns a report's headlines show, beside the priority's parts.
HEADLINE_COLUMNS = ("rank", "person_id", "priority", "listed_since", "review_by")
#: The most rows a table shows at once (:func:`paged`).
PAGE_ROWS = 1_000
#: The key figures of a report's headlines: their key in its manifest, and their title.
HEADLINE_FIGURES = {
    "incidents_in_window": "Incidents in the window",
    "people_in_network": "People in the network",
    "communities": "Communities",
    "repeat_victims": "Repeat victims",
    "domestic_repeat_pairs": "Domestic repeat pairs",
    "escalated_to_knife_or_gun": "Escalated to knife or gun",
}
#: The outlines beneath a map, bottom first: level, line colour (RGBA) and width (pixels).
OUTLINE_STYLES = (("ward", [150, 150, 150, 120], 0.5), ("borough", [60, 60, 60, 220], 1.5))
#: How many of the graph's places missing from the installed outlines a caption names.
UNCOVERED_NAMED = 5


def picture(svg: str) -> None:
    """An SVG picture of :mod:`graphvc.reports.charts` on the page, its tooltips live.

    Drawn as Markdown's raw HTML (in a ``div``, so no Markdown touches it): ``st.html``
    sanitises SVG away, and ``st.image`` would draw it without its tooltips. It shrinks to
    fit a narrow column.
    """
    fitted = svg.replace("<svg ", '<svg style="max-width: 100%; height: auto" ', 1)
    st.markdown(f'<div class="graphvc-picture">{fitted}</div>', unsafe_allow_html=True)


def plain(
    frame: pd.DataFrame,
    *,
    table: str | None = None,
    key: str | None = None,
    helps: Mapping[str, str] | None = None,
) -> None:
    """``frame`` as a plain-language table (:func:`graphvc.display.plain_table`: labels with
    units, formatted values, a named index as its first columns), each heading with its help
    (``helps`` adds texts by column name)."""
    shown = plain_table(frame, table=table)
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=plain_config(shown, frame, table=table, helps=helps),
        key=key,
    )


def table(
    frame: pd.DataFrame,
    *,
    empty: str,
    kind: str | None = None,
    id_column: str = "person_id",
    key: str | None = None,
) -> None:
    """``frame`` as a plain-language table, a page at a time (:func:`paged`, its page number
    keyed by ``empty``), or ``empty`` when it has no row. With a ``kind``, selecting a row
    opens its view (:func:`graphvc.app.ways_in.selectable`) for the id in ``id_column``."""
    if frame.empty:
        st.info(empty)
        return
    named = any(name is not None for name in frame.index.names)
    shown = paged(frame.reset_index() if named else frame, key=f"page:{empty}")
    if kind is None:
        plain(shown, key=key)
    else:
        selectable(shown, key=key or f"table:{empty}", kind=kind, id_column=id_column)


def download(
    frame: pd.DataFrame,
    *,
    name: str,
    what: Mapping[str, Any],
    person_columns: Sequence[str] = ("person_id",),
    label: str = "Download (CSV)",
) -> None:
    """A CSV download of exactly the rows of ``frame`` (a filtered list: the rows the page
    shows), audited as an export of the people its ``person_columns`` name when clicked.

    The file keeps the columns' machine names and full precision, as the reports' CSV files
    do: a download is read back by spreadsheets and scripts, which want the same header in
    every file and the numbers unrounded; the page shows the plain labels."""
    named = any(n is not None for n in frame.index.names)
    flat = frame.reset_index() if named else frame

    def people() -> list[str]:  # read when clicked: a list may hold half a million rows
        return sorted(
            {str(p) for c in person_columns if c in flat for p in flat[c].dropna().astype(str)}
        )

    st.download_button(
        label,
        audited_export(
            lambda: csv_text(flat, index=False),
            person_ids=people,
            what={**what, "file": name, "rows": len(flat)},
        ),
        name,
        "text/csv",
        key=f"download:{name}",
        on_click="ignore",
        help=f"The {len(flat):,} rows listed, with the columns' machine names and full "
        "precision (as the reports' CSV files).",
    )


def paged(frame: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """``frame``, or when it has more than :data:`PAGE_ROWS` rows one page of them, chosen
    by a page number (widget ``key``) and said in a caption: a browser given hundreds of
    thousands of rows takes seconds to draw the page."""
    if len(frame) <= PAGE_ROWS:
        return frame
    pages = math.ceil(len(frame) / PAGE_ROWS)
    number = int(st.number_input(f"Page (of {pages:,})", 1, pages, 1, key=key))
    first = (number - 1) * PAGE_ROWS
    shown = frame.iloc[first : first + PAGE_ROWS]
    st.caption(f"Rows {first + 1:,} to {first + len(shown):,} of {len(frame):,}.")
    return shown


def top_slider(label: str, available: int, default: int) -> int:
    """How many of ``available`` rows to show, chosen on a slider (no slider for one row)."""
    if available <= 1:
        return available
    return int(st.slider(label, 1, available, min(default, available)))


def window(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Calendar days picked on a page as ``[start, end)`` moments in the force's local time
    (:data:`graphvc.contract.LOCAL_TIME_ZONE`): ``end`` is included."""
    local = ZoneInfo(contract.LOCAL_TIME_ZONE)
    return (
        datetime.combine(start, time(), local) if start else None,
        datetime.combine(end + timedelta(days=1), time(), local) if end else None,
    )


def fitted_view(places: pd.DataFrame, *, pitch: float = 0) -> pdk.ViewState:
    """The view that fits the ``latitude``/``longitude`` of ``places`` (central London when
    there are none)."""
    centre, zoom = (51.5072, -0.1276), 9.5
    if len(places):
        centre = (float(places["latitude"].mean()), float(places["longitude"].mean()))
        # The zoom that fits the places in about 500 x 380 pixels (Web Mercator: 256 pixels
        # span 360° at zoom 0; a degree of latitude in London draws 1.6 times a longitude's).
        width = max(float(places["longitude"].max() - places["longitude"].min()), 0.005)
        height = max(float(places["latitude"].max() - places["latitude"].min()), 0.003) * 1.6
        fit = min(math.log2(500 * 360 / (256 * width)), math.log2(380 * 360 / (256 * height)))
        zoom = min(14.0, max(8.5, fit - 0.9))  # a margin for the tilt and the labels
    return pdk.ViewState(latitude=centre[0], longitude=centre[1], zoom=zoom, pitch=pitch)


def _colours(shown: pd.DataFrame, share: pd.Series, highlight: str | None) -> list[Any]:
    """Each place's colour: amber to red by its ``share`` of the largest value, or
    :data:`HIGHLIGHT_COLOUR` where the boolean column ``highlight`` is true."""
    colours: list[Any] = [(200, int(180 * (1 - h)), 40, 200) for h in share]
    if highlight is None:
        return colours
    return [
        HIGHLIGHT_COLOUR if marked else colour
        for marked, colour in zip(shown[highlight], colours, strict=True)
    ]


def _outline_layers(outlines: Mapping[str, Mapping[str, Any]] | None) -> list[pdk.Layer]:
    """The ward and borough outlines there are, as line layers (nothing to pick)."""
    return [
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


def place_map(
    places: pd.DataFrame,
    *,
    value: str,
    label: str,
    tooltip: str,
    radius: float,
    columns: bool = True,
    labelled: int = 40,
    outlines: Mapping[str, Mapping[str, Any]] | None = None,
    highlight: str | None = None,
) -> pdk.Deck:
    """Places at ``latitude``/``longitude`` drawn by ``value``: columns whose height and colour
    follow it, or (``columns=False``, for many small places) dots whose area does; the places
    true in the boolean column ``highlight`` are drawn in :data:`HIGHLIGHT_COLOUR` instead. The
    ``labelled`` places with the largest values are named by their ``label`` column. Beneath
    them, the ward and borough ``outlines`` (GeoJSON by level, from
    :func:`graphvc.app.data.map_outlines`) so a reader can tell one borough from another
    without a tile server; no base map is fetched."""
    shown = places.dropna(subset=["latitude", "longitude"]).sort_values(value, ascending=False)
    largest = float(shown[value].max()) if len(shown) else 0.0
    share = shown[value] / largest if largest > 0 else shown[value] * 0.0
    shown = shown.assign(
        _share=share,
        _radius=radius * share.clip(lower=0.02) ** 0.5,
        _colour=_colours(shown, share, highlight),
    )
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
    labels = pdk.Layer(
        "TextLayer",
        data=shown.head(labelled),
        get_position=["longitude", "latitude"],
        get_text=label,
        get_size=12,
        get_color=[40, 40, 40, 220],
        get_alignment_baseline="'top'",
    )
    return pdk.Deck(
        layers=[*_outline_layers(outlines), places_layer, labels],
        initial_view_state=fitted_view(shown, pitch=45 if columns else 0),
        map_style=None,
        map_provider=None,
        tooltip={"text": tooltip},
    )


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


def report_headlines(report: pd.Series) -> None:
    """A report's key figures and the head of its offender list."""
    manifest = guarded(lambda: read_manifest(Path(report["path"])))
    summary = manifest.get("data", {}).get("analysis", {})
    columns = st.columns(len(HEADLINE_FIGURES))
    for column, (key, title) in zip(columns, HEADLINE_FIGURES.items(), strict=True):
        column.metric(title, f"{summary[key]:,}" if isinstance(summary.get(key), int) else "–")
    offenders = Path(report["path"]) / "offenders.csv"
    if offenders.is_file():
        # The head of the list, not all its forty columns: who, their priority and its parts.
        top = pd.read_csv(
            offenders,
            dtype={"person_id": "string"},
            nrows=5,
            usecols=lambda c: c in HEADLINE_COLUMNS or (c.endswith("_part") and c not in RFG_PARTS),
        )
        audited(
            "report.view",
            person_ids=top["person_id"].dropna(),
            what={"report": str(report["path"]), "file": offenders.name, "rows": len(top)},
        )
        pseudonymised = report.get("pseudonymised")
        if pd.notna(pseudonymised) and bool(pseudonymised):  # pseudonyms open no profile
            plain(top)
        else:
            selectable(top, key="headlines", kind="person", id_column="person_id")
