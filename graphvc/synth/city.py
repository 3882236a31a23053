"""A synthetic city, invented from a seed, that needs no data at all.

About 500 small areas in 60 wards in 8 boroughs, with boundaries, placed over the North Sea:
a :class:`~graphvc.synth.geography.Geography` like London's, for tests and the demo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_array
from scipy.sparse.csgraph import dijkstra

from graphvc.synth.geography import FAMILIES, Geography

__all__ = ["synthetic_city"]


#: Over the North Sea, about 80 km off Scarborough: inside the box of UK coordinates that the
#: loaders accept, yet where no town is, so a map can never pass it off as a real one.
CITY_CENTRE = (54.2, 1.0)
CITY_RADIUS_KM = 10.0
N_AREAS, N_WARDS, N_BOROUGHS = 500, 60, 8
KM_PER_DEGREE = 111.32
#: Town centres beside the main one: they draw people and crime.
N_TOWN_CENTRES = 3
_Peaks = tuple[float, float, float, float]
#: (floor, width of the central bell in km, width of a town's, height of a town's) of where
#: people live (suburbs too) and of where public life is (mostly the centres), relative to
#: the central peak.
DENSITY: _Peaks = (0.15, 4.0, 1.5, 0.4)
BUSYNESS: _Peaks = (0.1, 2.0, 0.8, 0.5)
#: The outline is simplified by this much before it clips the areas, so that every level keeps
#: its exact nesting (simplifying wards and boroughs one by one would open gaps between them).
OUTLINE_TOLERANCE_KM = 0.05
#: Areas are no nearer to each other than this share of the spacing their density implies, so
#: that no cell is a sliver, and no nearer the outline than half that.
MIN_SPACING = 0.6
#: Rounds of moving the seeds of wards and boroughs towards the middle of their regions.
PARTITION_ROUNDS = 10
#: Coordinates are rounded to 1e-6 degrees (about 0.1 m), enough for any map.
DECIMALS = 6
#: (exponent on how busy an area is, spread of its own lognormal factor) by family: robbery
#: crowds into busy centres more than violence; weapons crime is patchier.
FAMILY_SHAPES = {"violence": (0.8, 0.3), "robbery": (1.2, 0.5), "weapons": (0.8, 0.7)}
#: Spread of the lognormal factor shared by an area's families: some areas are just rougher.
AREA_SPREAD = 0.5

CODE_PREFIXES = {"area": "Z01", "ward": "Z05", "borough": "Z09"}
NAME_STARTS = (
    "al",
    "ash",
    "bar",
    "bel",
    "bram",
    "brook",
    "cal",
    "carr",
    "cor",
    "dal",
    "dun",
    "el",
    "fal",
    "fen",
    "gar",
    "hal",
    "hart",
    "hol",
    "kel",
    "lan",
    "lin",
    "mar",
    "mel",
    "mor",
    "nor",
    "oak",
    "pen",
    "quen",
    "ral",
    "ros",
    "sal",
    "sel",
    "tam",
    "ter",
    "thorn",
    "wal",
    "wel",
    "win",
    "yar",
    "east",
    "west",
    "mid",
)
NAME_MIDDLES = ("", "", "", "row", "ing", "en", "er", "le", "ow", "a", "i", "der", "ris")
NAME_ENDINGS = (
    "ford",
    "ley",
    "ham",
    "ton",
    "wick",
    "bury",
    "field",
    "worth",
    "stead",
    "mouth",
    "by",
    "den",
    "combe",
    "thorpe",
    "well",
    "hurst",
    "mere",
    "wood",
    "gate",
    "bridge",
    "stow",
)
WARD_QUALIFIERS = (
    "Vale",
    "Green",
    "Park",
    "Hill",
    "Common",
    "Cross",
    "Heath",
    "Rise",
    "Fields",
    "Town",
    "Central",
    "North",
    "South",
    "East",
    "West",
    "Village",
    "Marsh",
    "End",
)
#: Share of ward names with a qualifier ("Eastley Vale"); the rest are one word ("Marrowford").
QUALIFIED_WARDS = 0.5


def synthetic_city(seed: int = 0) -> Geography:
    """An invented city, the same for the same seed, that needs no data at all.

    About 20 km across, with ``N_AREAS`` small areas in ``N_WARDS`` wards in ``N_BOROUGHS``
    boroughs. Its codes can never be taken for real ONS codes: they start with ``Z``
    (boroughs ``Z09000001``..., wards ``Z05000001``..., small areas ``Z01000001``...),
    numbered from the centre out. Names are invented from syllables (``"Marrowford"``,
    ``"Eastley Vale"``); small areas are named like LSOAs (``"Marrowford 003B"``). Any
    likeness to a real place is chance.

    Each small area's point is like a population-weighted centroid: points crowd into the
    centre and a few town centres, and the area is that point's Voronoi cell, clipped to an
    irregular outline of the city, so denser areas are smaller. Wards are unions of adjacent
    areas and boroughs unions of adjacent wards, grown from compact seeds, so they nest
    exactly; their boundaries are in :attr:`Geography.outlines`. Crime is heavy-tailed, as
    it is in real cities: every area has a lognormal roughness of its own, and busier areas
    (the centre and town centres) see more, robbery most of all, so that a few areas carry
    much of the crime.

    The city lies over the North Sea, around latitude 54.2 and longitude 1.0: inside the
    box of UK coordinates that the loaders accept, but where no town is, so that on a tile
    map it can never be mistaken for a real one.

    Parameters
    ----------
    seed : int
        Seed of the random generator (``numpy.random.default_rng``), at least 0.

    Returns
    -------
    Geography
        Named ``"Synthetic city (seed <seed>)"``, with ward and borough outlines.

    Examples
    --------
    >>> city = synthetic_city(7)
    >>> city.name, len(city.areas), city.areas["ward_code"].nunique()
    ('Synthetic city (seed 7)', 500, 60)
    >>> city.areas[["code", "ward_code", "borough_code"]].iloc[0].tolist()
    ['Z01000001', 'Z05000001', 'Z09000001']
    >>> len(city.outlines["borough"]["features"])
    8
    """
    rng = np.random.default_rng(seed)
    outline = _outline(rng)
    town_centres = _town_centres(rng)
    points = _area_points(rng, outline, town_centres)
    cells = _cells(points, outline)
    neighbours = _neighbours(cells)
    ward = _partition(rng, points, np.ones(len(points)), neighbours, N_WARDS)
    ward_points = _means(points, ward, N_WARDS)
    ward_sizes = np.bincount(ward, minlength=N_WARDS).astype(float)
    borough_of_ward = _partition(
        rng, ward_points, ward_sizes, _coarsen(neighbours, ward), N_BOROUGHS
    )
    borough = borough_of_ward[ward]
    ward, borough = _number_from_the_centre(points, ward, borough)
    order = np.lexsort((points[:, 0], -points[:, 1], ward))  # by ward, north to south
    points, ward, borough = points[order], ward[order], borough[order]
    cells = cells[order]
    busy = _peaks(points, town_centres, BUSYNESS)

    borough_names, ward_names = _names(rng, N_BOROUGHS, N_WARDS)
    codes = {
        level: _codes(CODE_PREFIXES[level], n)
        for level, n in (("area", N_AREAS), ("ward", N_WARDS), ("borough", N_BOROUGHS))
    }
    latitude, longitude = _to_degrees(points).T
    areas = pd.DataFrame(
        {
            "code": codes["area"],
            "name": _area_names(ward, borough, np.array(borough_names)),
            "ward_code": codes["ward"][ward],
            "ward_name": np.array(ward_names)[ward],
            "borough_code": codes["borough"][borough],
            "borough_name": np.array(borough_names)[borough],
            "latitude": latitude.round(DECIMALS),
            "longitude": longitude.round(DECIMALS),
        }
    )
    outlines = {
        "ward": _feature_collection(cells, ward, codes["ward"], ward_names),
        "borough": _feature_collection(cells, borough, codes["borough"], borough_names),
    }
    return Geography(f"Synthetic city (seed {seed})", areas, _weights(rng, busy), outlines)


def _outline(rng: np.random.Generator) -> shapely.Polygon:
    """An irregular blob around the origin (km): a circle bent by a few random harmonics."""
    angle = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    harmonics = np.arange(2, 9)
    # At most a third of the radius in all, so the outline stays beyond two thirds of it.
    amplitude = rng.uniform(0.3, 1.0, len(harmonics)) * 0.08 / np.sqrt(harmonics - 1)
    phase = rng.uniform(0, 2 * np.pi, len(harmonics))
    radius = CITY_RADIUS_KM * (
        1 + (amplitude * np.cos(np.outer(angle, harmonics) + phase)).sum(axis=1)
    )
    ring = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return shapely.simplify(shapely.Polygon(ring), OUTLINE_TOLERANCE_KM)


def _town_centres(rng: np.random.Generator) -> np.ndarray:
    """Points (km) for the town centres beside the main one, about half way to the edge."""
    angle = rng.uniform(0, 2 * np.pi) + 2 * np.pi * np.arange(N_TOWN_CENTRES) / N_TOWN_CENTRES
    distance = rng.uniform(0.4, 0.6, N_TOWN_CENTRES) * CITY_RADIUS_KM
    return np.column_stack([distance * np.sin(angle), distance * np.cos(angle)])


def _peaks(xy: np.ndarray, town_centres: np.ndarray, peaks: _Peaks) -> np.ndarray:
    """A surface over points (km): a floor, a bell over the centre and one over each town."""
    floor, core_km, town_km, town_height = peaks
    core = np.exp(-((np.hypot(*xy.T) / core_km) ** 2))
    towns = np.exp(-((np.linalg.norm(xy[:, None] - town_centres, axis=2) / town_km) ** 2))
    return floor + core + town_height * towns.sum(axis=1)


def _area_points(
    rng: np.random.Generator, outline: shapely.Polygon, town_centres: np.ndarray
) -> np.ndarray:
    """``N_AREAS`` points (km) spread like population, by dart throwing.

    A candidate is drawn in proportion to the density and kept unless an earlier point is
    nearer than ``MIN_SPACING`` times the spacing that the density implies there, so that
    areas hold about the same number of people, as LSOAs do.
    """
    xmin, ymin, xmax, ymax = outline.bounds
    sample = rng.uniform((xmin, ymin), (xmax, ymax), (20_000, 2))
    sample = sample[shapely.contains_xy(outline, sample[:, 0], sample[:, 1])]
    density = _peaks(sample, town_centres, DENSITY)
    peak = density.max()
    km2_per_area = outline.area * density.mean() / N_AREAS
    inner = outline.buffer(-MIN_SPACING * np.sqrt(km2_per_area / peak) / 2)
    points = np.empty((N_AREAS, 2))
    n = 0
    while n < N_AREAS:
        candidates = rng.uniform((xmin, ymin), (xmax, ymax), (1024, 2))
        local = _peaks(candidates, town_centres, DENSITY)
        kept = (rng.random(len(candidates)) * peak < local) & shapely.contains_xy(
            inner, candidates[:, 0], candidates[:, 1]
        )
        for point, rho in zip(candidates[kept], local[kept], strict=True):
            spacing = MIN_SPACING * np.sqrt(km2_per_area / rho)
            if n == 0 or np.hypot(*(points[:n] - point).T).min() >= spacing:
                points[n] = point
                n += 1
                if n == N_AREAS:
                    break
    return points


def _cells(points: np.ndarray, outline: shapely.Polygon) -> np.ndarray:
    """Each point's Voronoi cell clipped to the outline, snapped so that neighbours share edges.

    Where a concave stretch of the outline cuts a cell in two, the cell keeps the piece with
    its point.
    """
    diagram = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=outline.envelope)
    pieces = shapely.get_parts(diagram)
    # Voronoi cells come in no particular order: match each point to the cell that holds it.
    cell_of_point = np.empty(len(points), dtype=np.int64)
    point_index, cell_index = shapely.STRtree(pieces).query(
        shapely.points(points), predicate="within"
    )
    cell_of_point[point_index] = cell_index
    clipped = shapely.intersection(pieces[cell_of_point], outline)
    cells = np.empty(len(points), dtype=object)
    for i, cell in enumerate(clipped):
        parts = shapely.get_parts(cell)
        cells[i] = parts[shapely.contains_xy(parts, *points[i])][0]
    # Snapping to a 1 cm grid makes the corners two clipped cells share identical.
    return shapely.set_precision(cells, 1e-5)


def _neighbours(cells: np.ndarray) -> np.ndarray:
    """Pairs (i, j), i < j, of cells that share an edge (not just a corner)."""
    first, second = shapely.STRtree(cells).query(cells, predicate="intersects")
    pairs = first < second
    first, second = first[pairs], second[pairs]
    shared = shapely.length(shapely.intersection(cells[first], cells[second]))
    return np.column_stack([first, second])[shared > 1e-3]


def _coarsen(neighbours: np.ndarray, label: np.ndarray) -> np.ndarray:
    """The pairs of labels whose members are neighbours."""
    pairs = np.sort(label[neighbours], axis=1)
    return np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


def _partition(
    rng: np.random.Generator, points: np.ndarray, mass: np.ndarray, neighbours: np.ndarray, k: int
) -> np.ndarray:
    """Split connected units into ``k`` connected, compact regions of similar mass.

    Seeds are placed as k-means would on a graph: every unit joins the seed fewest steps away
    along shared edges, then each seed moves to the unit nearest its region's centre of mass,
    a few times over. Then regions grow again from the seeds, the lightest region that can
    grow taking next the free neighbouring unit nearest its seed, so that each stays
    connected and none is left tiny.

    Returns the region (``0 .. k-1``) of each unit.
    """
    n = len(points)
    length = np.hypot(*(points[neighbours[:, 0]] - points[neighbours[:, 1]]).T)
    # A step counts one, whatever its length, so that dense parts make no smaller regions;
    # a thousandth of its length breaks ties between paths.
    steps = 1 + 1e-3 * length / length.max()
    graph = coo_array((steps, (neighbours[:, 0], neighbours[:, 1])), shape=(n, n)).tocsr()
    seeds = rng.choice(n, size=k, replace=False, p=mass / mass.sum())
    for _ in range(PARTITION_ROUNDS):
        region = dijkstra(graph, directed=False, indices=seeds).argmin(axis=0)
        centre = _means(points * mass[:, None], region, k) / _means(mass[:, None], region, k)
        away = np.linalg.norm(points - centre[region], axis=1)
        seeds = np.array(
            [np.flatnonzero(region == r)[away[region == r].argmin()] for r in range(k)]
        )

    adjacent: list[set[int]] = [set() for _ in range(n)]
    for a, b in neighbours.tolist():
        adjacent[a].add(b)
        adjacent[b].add(a)
    region = np.full(n, -1)
    region[seeds] = np.arange(k)
    weight = mass[seeds].astype(float)
    frontier = [adjacent[seed] - set(seeds.tolist()) for seed in seeds.tolist()]
    for _ in range(n - k):
        growing = min((r for r in range(k) if frontier[r]), key=lambda r: weight[r])
        candidates = sorted(frontier[growing])
        unit = candidates[
            np.linalg.norm(points[candidates] - points[seeds[growing]], axis=1).argmin()
        ]
        region[unit] = growing
        weight[growing] += mass[unit]
        for r in range(k):
            frontier[r].discard(unit)
        frontier[growing] |= {u for u in adjacent[unit] if region[u] < 0}
    return region


def _means(values: np.ndarray, label: np.ndarray, k: int) -> np.ndarray:
    """Mean of the rows of ``values`` by label ``0 .. k-1``."""
    sums = np.zeros((k, values.shape[1]))
    np.add.at(sums, label, values)
    return sums / np.bincount(label, minlength=k)[:, None]


def _number_from_the_centre(
    points: np.ndarray, ward: np.ndarray, borough: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Renumber boroughs from the centre out, and wards by borough, then from its centre out."""
    borough_distance = np.hypot(*_means(points, borough, N_BOROUGHS).T)
    borough = np.argsort(np.argsort(borough_distance))[borough]
    ward_centre = _means(points, ward, N_WARDS)
    ward_borough = np.zeros(N_WARDS, dtype=np.int64)
    ward_borough[ward] = borough
    from_borough_centre = np.linalg.norm(
        ward_centre - _means(points, borough, N_BOROUGHS)[ward_borough], axis=1
    )
    ward = np.argsort(np.lexsort((from_borough_centre, ward_borough)))[ward]
    return ward, borough


def _codes(prefix: str, n: int) -> np.ndarray:
    return np.array([f"{prefix}{number:06d}" for number in range(1, n + 1)])


def _names(rng: np.random.Generator, n_boroughs: int, n_wards: int) -> tuple[list[str], list[str]]:
    """Distinct invented names: one word for boroughs, sometimes two for wards."""
    taken: set[str] = set()

    def word() -> str:
        while True:
            name = "".join(
                rng.choice(syllables) for syllables in (NAME_STARTS, NAME_MIDDLES, NAME_ENDINGS)
            ).capitalize()
            if name not in taken:
                taken.add(name)
                return name

    boroughs = [word() for _ in range(n_boroughs)]
    wards = []
    for _ in range(n_wards):
        name = word()
        if rng.random() < QUALIFIED_WARDS:
            name = f"{name} {rng.choice(WARD_QUALIFIERS)}"
        wards.append(name)
    return boroughs, wards


def _area_names(ward: np.ndarray, borough: np.ndarray, borough_names: np.ndarray) -> np.ndarray:
    """LSOA-style names: the borough, the ward's number in it, a letter for the area in the ward.

    ``ward`` and ``borough`` are sorted by ward, and wards numbered by borough.
    """
    ward_start = np.searchsorted(ward, ward)
    first_ward_of_borough = ward[np.searchsorted(borough, borough)]
    names = []
    for position, (w, b) in enumerate(zip(ward.tolist(), borough.tolist(), strict=True)):
        letters = _letters(position - int(ward_start[position]))
        names.append(
            f"{borough_names[b]} {w - int(first_ward_of_borough[position]) + 1:03d}{letters}"
        )
    return np.array(names)


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as spreadsheet columns go."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _weights(rng: np.random.Generator, busy: np.ndarray) -> np.ndarray:
    """Family weights: busyness to a power by family, times lognormal roughness."""
    rough = rng.lognormal(0.0, AREA_SPREAD, len(busy))
    return np.array(
        [
            busy**power * rough * rng.lognormal(0.0, spread, len(busy))
            for power, spread in (FAMILY_SHAPES[family] for family in FAMILIES)
        ]
    )


def _to_degrees(xy: np.ndarray) -> np.ndarray:
    """Kilometres east and north of the city centre -> (latitude, longitude)."""
    latitude0, longitude0 = CITY_CENTRE
    latitude = latitude0 + xy[:, 1] / KM_PER_DEGREE
    longitude = longitude0 + xy[:, 0] / (KM_PER_DEGREE * np.cos(np.radians(latitude0)))
    return np.column_stack([latitude, longitude])


def _feature_collection(
    cells: np.ndarray, label: np.ndarray, codes: np.ndarray, names: Sequence[str]
) -> dict[str, Any]:
    """The union of the cells of each label, as GeoJSON in degrees."""
    features = []
    for index, (code, name) in enumerate(zip(codes.tolist(), names, strict=True)):
        region = shapely.coverage_union_all(cells[label == index])
        in_degrees = shapely.transform(region, lambda xy: _to_degrees(xy)[:, ::-1].round(DECIMALS))
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": name},
                "geometry": shapely.geometry.mapping(in_degrees),
            }
        )
    return {"type": "FeatureCollection", "features": features}
