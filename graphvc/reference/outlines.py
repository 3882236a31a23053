"""Approximate ward and borough outlines, derived from the LSOA centroids at install time."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
import shapely

from graphvc.contract import EARTH_RADIUS_M
from graphvc.errors import InputError

__all__ = [
    "OUTLINE_LEVELS",
    "OUTLINE_MARGIN_M",
    "OUTLINE_TOLERANCE_M",
    "derive_outlines",
    "outline_path",
]

#: The outline files derived at install time: level -> (code column, name column) of the lookup.
OUTLINE_LEVELS = {"ward": ("WD19CD", "WD19NM"), "borough": ("LAD19CD", "LAD19NM")}
#: How far the outlines reach beyond the outermost centroids: about half the spacing of
#: London's LSOA centroids, so that the outermost LSOAs get cells of a plausible size.
OUTLINE_MARGIN_M = 400.0
#: Simplification (Visvalingam-Whyatt, in metres), small beside a ward, keeps the files small.
OUTLINE_TOLERANCE_M = 30.0
#: Coordinates are written to 5 decimal places of a degree (about a metre).
_GRID_DEGREES = 1e-5


def derive_outlines(
    lookup: pd.DataFrame,
    centroids: pd.DataFrame,
    *,
    margin_m: float = OUTLINE_MARGIN_M,
    tolerance_m: float = OUTLINE_TOLERANCE_M,
) -> dict[str, dict[str, Any]]:
    """Approximate ward and borough outlines from LSOA centroids, as GeoJSON.

    The outlines are **approximate**, not the official boundaries: each LSOA is given the
    Voronoi cell of its population-weighted centroid, clipped to the convex hull of all the
    centroids widened by ``margin_m``; the cells are merged by ward (``WD19CD``) and by
    borough (``LAD19CD``) and simplified. Good enough to shade a map; never use them to
    assign a point to an area. The work is done in metres, in an equirectangular projection
    centred on the centroids' mean (a linear map, so areas keep their proportions), then
    brought back to WGS84 longitude and latitude.

    Parameters
    ----------
    lookup : pandas.DataFrame
        ``LSOA11CD``, ``WD19CD``, ``WD19NM``, ``LAD19CD``, ``LAD19NM``: one row per LSOA.
    centroids : pandas.DataFrame
        ``LSOA11CD``, ``lat``, ``lon`` (degrees), covering every LSOA of ``lookup``.
    margin_m : float
        How far beyond the hull of the centroids the outlines reach, in metres.
    tolerance_m : float
        Simplification tolerance in metres (0 keeps every vertex).

    Returns
    -------
    dict
        ``{"ward": FeatureCollection, "borough": FeatureCollection}``; one feature per code,
        sorted by code, with properties ``code``, ``name`` and ``approximate`` (true).

    Raises
    ------
    InputError
        If an LSOA has no centroid, or two LSOAs share one.

    References
    ----------
    .. [1] Okabe, A., Boots, B., Sugihara, K. and Chiu, S. N. (2000). *Spatial Tessellations:
       Concepts and Applications of Voronoi Diagrams*, 2nd ed. Wiley. doi:10.1002/9780470317013

    Examples
    --------
    Four centroids on a square, the western pair in one ward: the wards split the square
    down the middle.

    >>> lookup = pd.DataFrame({
    ...     "LSOA11CD": ["E01000001", "E01000002", "E01000003", "E01000004"],
    ...     "WD19CD": ["E05000001", "E05000001", "E05000002", "E05000002"],
    ...     "WD19NM": ["West", "West", "East", "East"],
    ...     "LAD19CD": ["E09000001"] * 4, "LAD19NM": ["Town"] * 4})
    >>> centroids = pd.DataFrame({"LSOA11CD": lookup["LSOA11CD"],
    ...     "lat": [51.50, 51.51, 51.50, 51.51], "lon": [-0.10, -0.10, -0.08, -0.08]})
    >>> found = derive_outlines(lookup, centroids)
    >>> [f["properties"]["name"] for f in found["ward"]["features"]]
    ['West', 'East']
    >>> len(found["borough"]["features"]), found["borough"]["features"][0]["properties"]["code"]
    (1, 'E09000001')
    """
    places = lookup.merge(centroids[["LSOA11CD", "lat", "lon"]], on="LSOA11CD", how="left")
    if places["lat"].isna().any():
        lsoa = places.loc[places["lat"].isna(), "LSOA11CD"].iloc[0]
        raise InputError(f"LSOA {lsoa!r} has no centroid: outlines need one for every LSOA")
    shared = places.duplicated(["lat", "lon"], keep=False)
    if shared.any():
        first, second = places.loc[shared, "LSOA11CD"].iloc[:2]
        raise InputError(
            f"LSOAs {first!r} and {second!r} share a centroid: outlines need distinct points"
        )
    lat0, lon0 = float(places["lat"].mean()), float(places["lon"].mean())
    # Metres per degree east and north, near the centre.
    scale = np.array([math.cos(math.radians(lat0)), 1.0]) * EARTH_RADIUS_M * math.pi / 180
    origin = np.array([lon0, lat0])
    xy = (places[["lon", "lat"]].to_numpy(dtype=float) - origin) * scale
    points = shapely.multipoints(xy)
    clip = shapely.convex_hull(points).buffer(margin_m)
    cells = shapely.get_parts(shapely.voronoi_polygons(points, extend_to=clip, ordered=True))
    cells = shapely.intersection(cells, clip)
    collections = {}
    for level, (code_column, name_column) in OUTLINE_LEVELS.items():
        groups = dict(sorted(places.groupby(code_column).indices.items()))
        merged = np.array([shapely.union_all(cells[rows]) for rows in groups.values()])
        # Simplifying the areas as one coverage keeps neighbours' shared edges identical.
        simplified = shapely.coverage_simplify(merged, tolerance_m) if tolerance_m else merged
        lonlat = shapely.transform(simplified, lambda coords: coords / scale + origin)
        shapes = shapely.set_precision(lonlat, _GRID_DEGREES)
        collections[level] = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "code": code,
                        "name": places[name_column].iloc[rows[0]],
                        "approximate": True,
                    },
                    "geometry": json.loads(shapely.to_geojson(shape)),
                }
                for (code, rows), shape in zip(groups.items(), shapes, strict=True)
            ],
        }
    return collections


def outline_path(level: str) -> str:
    """Where the outlines of ``level`` lie, relative to ``GRAPHVC_HOME/reference``."""
    return f"outlines/{level}.geojson"
