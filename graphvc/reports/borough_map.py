"""A borough's map for its tasking pack: the force's boroughs with this one filled, and the
borough's wards shaded by their crime harm in the last quarter.

Drawn as inline SVG by :mod:`graphvc.reports.charts` from the outlines of the graph's city
(:func:`graphvc.geography.map_geography`): the synthetic city's own outlines on synthetic
data, the installed London outlines (``graphvc/reference/outlines``) on real data, and a
sentence saying why there is no map when neither covers the borough.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from graphvc.reports import charts

__all__ = ["THIS_BOROUGH", "borough_map_section"]

#: The fill of the pack's own borough on the force's map (Okabe-Ito-like purple).
THIS_BOROUGH = (118, 42, 131)


def _inside(point: np.ndarray, ring: np.ndarray) -> bool:
    """Whether ``point`` (x, y) lies inside the polygon ``ring`` (even-odd ray casting)."""
    x, y = point
    xs, ys = ring[:, 0], ring[:, 1]
    xs2, ys2 = np.roll(xs, -1), np.roll(ys, -1)
    crosses = (ys > y) != (ys2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = xs + (y - ys) * (xs2 - xs) / (ys2 - ys)
    return bool(np.count_nonzero(crosses & (x < at)) % 2)


def _wards_within(wards: Mapping[str, Any] | None, borough: Mapping[str, Any]) -> set[str]:
    """The codes of the ``wards`` whose middle (the mean of their outer ring's corners) lies
    in one of ``borough``'s polygons: outlines do not say which borough a ward is in, and
    the graph's locations name only the wards where something happened."""
    rings = [np.asarray(ring, float)[:, :2] for f in borough["features"] for ring in _rings(f)]
    found = set()
    for feature in (wards or {}).get("features", []):
        outer = _rings(feature)[:1]
        if outer and any(
            _inside(np.asarray(outer[0], float)[:, :2].mean(axis=0), r) for r in rings
        ):
            found.add(str(feature["properties"].get("code")))
    return found


def _rings(feature: Mapping[str, Any]) -> list[Any]:
    """The outer rings of a feature's Polygon or MultiPolygon."""
    geometry = feature.get("geometry") or {}
    coordinates = geometry.get("coordinates", [])
    if geometry.get("type") == "Polygon":
        return list(coordinates[:1])
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in coordinates if polygon]
    return []


def _features(collection: Mapping[str, Any] | None, codes: set[str]) -> dict[str, Any]:
    """The features of ``collection`` whose code is one of ``codes``."""
    features = (collection or {}).get("features", [])
    return {"features": [f for f in features if str(f["properties"].get("code")) in codes]}


def borough_map_section(
    outlines: Mapping[str, Any] | None,
    locations: pd.DataFrame,
    borough: str,
    ward_harm: Mapping[str, float],
) -> str:
    """The pack's map (under an ``h3`` heading): two maps side by side, the force's boroughs (``borough``
    filled) and ``borough``'s wards shaded by ``ward_harm`` (by ward code), with a legend
    of the shading; or a sentence saying why not.

    ``outlines`` are GeoJSON FeatureCollections by level (``"borough"``, ``"ward"``, and
    ``"approximate"``), as :meth:`graphvc.geography.MapGeography.for_report` gives them;
    ``locations`` (the graph's) says which wards are in the borough.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 51]]]}
    >>> outlines = {"borough": {"features": [{"geometry": square,
    ...             "properties": {"code": "B1", "name": "One"}}]}, "ward": {"features": [
    ...             {"geometry": square, "properties": {"code": "W1", "name": "Ward"}}]}}
    >>> places = pd.DataFrame({"ward_code": ["W1"], "borough_code": ["B1"]})
    >>> page = borough_map_section(outlines, places, "B1", {"W1": 730.0})
    >>> page.count("<svg"), "Ward: 730" in page
    (3, True)
    >>> "no outlines" in borough_map_section(None, places, "B1", {})
    True
    """
    heading = "<h3>The borough on the map</h3>"
    shapes = outlines or {}
    boroughs = _features(shapes.get("borough"), {borough})
    if not boroughs["features"]:
        return heading + (
            '<p class="note">No map: no outlines of this borough are installed (real '
            "boroughs need the reference data: graphvc reference install).</p>"
        )
    located = locations[locations["borough_code"].astype(str) == borough]
    codes = set(located["ward_code"].dropna().astype(str))
    wards = _features(shapes.get("ward"), codes | _wards_within(shapes.get("ward"), boroughs))
    force = charts.state_map(
        shapes["borough"],
        {borough: "this borough"},
        {"this borough": THIS_BOROUGH},
        title="the force's boroughs, this one filled",
        width=300,
    )
    pictures = [force]
    top = max(ward_harm.values(), default=0.0)
    if wards["features"]:
        pictures.append(
            charts.outline_map(
                wards,
                {code: value for code, value in ward_harm.items() if value > 0},
                title="harm by ward, last quarter",
                lines=boroughs,
                width=420,
            )
        )
        pictures.append(charts.shade_legend(top, title="crime harm (days), last quarter"))
    approximate = " Outlines are approximate." if shapes.get("approximate") else ""
    return (
        heading
        + f'<div class="row">{"".join(pictures)}</div>'
        + '<p class="note">'
        + escape(
            "The force's boroughs, this one filled; then its wards shaded by their crime "
            "harm (Cambridge Crime Harm Index days) in the last quarter, darker for more "
            "(the legend beside them); white wards recorded none."
            + (" No ward outlines cover this borough." if not wards["features"] else "")
            + approximate
        )
        + "</p>"
    )
