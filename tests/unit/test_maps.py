"""The app's maps (graphvc.app.maps) and the SVG maps' labels: names that never overlap, the
largest first; a legend whose scale and sizes are the map's own."""

from __future__ import annotations

import json
import re

import pandas as pd

from graphvc.app.maps import _pixels, legend_html, place_legend, place_map
from graphvc.reports.charts import outline_map
from graphvc.reports.map_labels import CHARACTER_PIXELS, LINE_PIXELS


def _crowded() -> pd.DataFrame:
    """Twenty places 30 m apart along a street, harm 20 down to 1: their names collide."""
    return pd.DataFrame(
        {
            "location_id": [f"L{i}" for i in range(20)],
            "name": [f"On or near Long Street {i}" for i in range(20)],
            "harm": [float(20 - i) for i in range(20)],
            "latitude": [51.5] * 20,
            "longitude": [-0.1 + 0.0004 * i for i in range(20)],
        }
    )


def test_a_maps_labels_do_not_overlap_and_the_largest_comes_first() -> None:
    places = _crowded()
    deck = json.loads(
        place_map(places, value="harm", label="name", tooltip="{name}", radius=50).to_json()
    )
    labels = next(layer for layer in deck["layers"] if layer["@@type"] == "TextLayer")["data"]
    zoom = deck["initialViewState"]["zoom"]
    assert labels[0]["name"] == "On or near Long Street 0"  # the most harmful
    assert 1 <= len(labels) < 10  # the rest name themselves on hover
    boxes = []
    for row in labels:
        x, y = _pixels(row["longitude"], row["latitude"], zoom)
        half = len(row["_label"]) * CHARACTER_PIXELS / 2
        boxes.append((x - half, y, x + half, y + LINE_PIXELS))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_a_dot_maps_legend_has_its_scale_and_sizes() -> None:
    legend = place_legend(_crowded(), value="harm", title="Crime harm (days)", columns=False)
    assert re.findall(r"<span>([0-9.,]+)</span>", legend) == ["0", "20"]
    diameters = [float(d) for d in re.findall(r"width:([0-9.]+)px;height", legend)]
    assert diameters == [24.0, 12.0]  # a dot's area follows its value: a quarter, half as wide
    assert "Dot area follows it." in legend


def test_a_state_legend_names_every_colour() -> None:
    legend = legend_html("State", {"met": (26, 150, 65), "no data": (200, 200, 200)})
    assert re.findall(r"background:rgb\(([0-9,]+)\);[^>]*></span> ([a-z ]+)<", legend) == [
        ("26,150,65", "met"),
        ("200,200,200", "no data"),
    ]


def test_a_borough_map_names_its_boroughs_where_they_fit() -> None:
    def square(code: str, name: str, west: float, size: float) -> dict:
        south = 51.5 - size / 2  # every square centred on 51.5° N
        ring = [[west, south], [west + size, south], [west + size, south + size], [west, south]]
        return {
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"code": code, "name": name},
        }

    # Two wide boroughs, and a tiny one at the edge of the first whose long name would cover it.
    areas = {
        "features": [
            square("B1", "Northwick", 0.0, 1.0),
            square("B2", "Southmoor", 2.0, 1.0),
            square("B3", "Middlemarch-upon-Thames-and-Fenchurch", 0.95, 0.1),
        ]
    }
    svg = outline_map(areas, {"B1": 1.0, "B2": 2.0, "B3": 3.0}, title="harm", named=True)
    assert re.findall(r'class="area-name"[^>]*>([^<]+)<', svg) == ["Northwick", "Southmoor"]
    assert "Middlemarch-upon-Thames-and-Fenchurch: 3" in svg  # named on hover
    assert 'class="area-name"' not in outline_map(areas, {}, title="harm")
