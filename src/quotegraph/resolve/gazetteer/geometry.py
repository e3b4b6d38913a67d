"""Hand-written geometry of the gazetteer: where a country, a region or a county is placed.

A country is at the geographic centre of its main landmass (countryinfo's outline), a first-level
region at the centre of the land nearest its towns, a county or district at the middle of its towns.
Grid cells of ``_CELL_DEGREES`` stand for land; points are compared as vectors on the unit sphere.
"""

from __future__ import annotations

import ast
import math
from collections import defaultdict
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

# The side of the grid cells that a region's land is counted in (about 28 km at the equator).
_CELL_DEGREES = 0.25
_STRAY_CHORD = 1000 / 6371.0  # 1,000 km as a chord of the unit sphere (``_among_their_own``)


def middle(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The middle (lat, lon) of a place's towns (lat, lon, population)."""
    return _midrange([p[0] for p in points]), _midrange([p[1] for p in points])


def _midrange(values: list[float]) -> float:
    """The middle of the 1st-99th percentile range: a region's centre, robust to outlying towns."""
    ordered = sorted(values)
    k = len(ordered) // 100
    return (ordered[k] + ordered[-1 - k]) / 2


Polygon = list[list[tuple[float, float]]]  # an outer ring (lon, lat) then its holes


def outline(info: dict[str, Any]) -> list[Polygon]:
    """A country's outline from countryinfo's GeoJSON, as polygons; none where it has no outline."""
    try:
        shape = info.get("geoJSON") or {}
        features = (ast.literal_eval(shape) if isinstance(shape, str) else shape).get("features", [])
        polygons = []
        for feature in features:
            geometry = feature["geometry"]
            parts = (
                geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            )
            polygons += [[[(float(x), float(y)) for x, y in ring] for ring in part] for part in parts]
        return polygons
    except (ValueError, SyntaxError, KeyError, TypeError):
        return []


def country_centre(info: dict[str, Any], polygons: list[Polygon]) -> tuple[float, float] | None:
    """The geographic centre of the country's main landmass: the area-weighted mean, on the sphere,
    of the grid cells inside its largest polygon, where that polygon is most of its land (the
    contiguous United States, mainland Russia). An archipelago such as Indonesia, whose largest
    island is under half of it, keeps countryinfo's ``latlng`` (Borneo's centre is not Indonesia's),
    as does a country too small for the grid.
    """
    given = info.get("latlng") or []
    latlng = (float(given[0]), float(given[1])) if len(given) == 2 else None
    areas = []  # (land area in square degrees of latitude, polygon)
    for polygon in polygons:
        ring = polygon[0]
        area = lat = 0.0
        for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
            cross = x0 * y1 - x1 * y0
            area, lat = area + cross, lat + (y0 + y1) * cross
        if area:
            areas.append((abs(area) * math.cos(math.radians(lat / (3 * area))), polygon))
    if not areas:
        return latlng
    land, largest = max(areas, key=lambda shape: shape[0])
    cell_lat, cell_lon = _cells([largest])
    if land < sum(shape[0] for shape in areas) / 2 or not len(cell_lat):
        return latlng
    return direction(_cell_areas(cell_lat, cell_lon).sum(axis=0))


def on_land(polygons: list[Polygon], point: tuple[float, float]) -> tuple[float, float]:
    """``point`` if it lies in the country, else the middle of the country's nearest grid cell: the
    centre of a crescent can fall outside it (Croatia's in Bosnia)."""
    if not polygons:
        return point
    lat, lon = point
    _, at = _edge_crossings([np.asarray(ring) for polygon in polygons for ring in polygon], np.array([lat]))
    if np.count_nonzero(at < lon) % 2 == 1:  # even-odd rule
        return point
    cell_lat, cell_lon = _cells(polygons)
    if not len(cell_lat):
        return point
    nearest = int(
        np.argmin(
            np.linalg.norm(
                unit_vectors(cell_lat, cell_lon) - unit_vectors(np.array([lat]), np.array([lon])), axis=1
            )
        )
    )
    return float(cell_lat[nearest]), float(cell_lon[nearest])


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, so that straight-line nearness is great-circle nearness."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _cell_areas(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Grid cells as vectors toward them as long as their area (a cell narrows with latitude): their
    sum points at the centre of the land they cover."""
    weighted: np.ndarray = unit_vectors(lat, lon) * np.cos(np.radians(lat))[:, None]
    return weighted


def direction(vector: np.ndarray) -> tuple[float, float]:
    """The (lat, lon) a vector from the earth's centre points at."""
    x, y, z = vector
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _cells(polygons: list[Polygon]) -> tuple[np.ndarray, np.ndarray]:
    """The centres (lat, lon) of the grid cells that lie inside a country's outline.

    Even-odd rule over all its rings at once (a country's polygons do not overlap; holes are rings):
    a cell is inside when an odd number of ring edges cross its row to its left.
    """
    if not polygons:
        return np.empty(0), np.empty(0)
    rings = [np.asarray(ring) for polygon in polygons for ring in polygon]
    every = np.concatenate(rings)
    step = _CELL_DEGREES
    xs = np.arange(math.floor(every[:, 0].min() / step) * step + step / 2, every[:, 0].max(), step)
    ys = np.arange(math.floor(every[:, 1].min() / step) * step + step / 2, every[:, 1].max(), step)
    rows, at = _edge_crossings(rings, ys)
    width = 1000.0  # more than the 360 degrees of longitude a row spans: a row's keys stay apart
    crossings = np.sort(rows * width + at + 180)
    grid_row, grid_col = np.divmod(np.arange(len(ys) * len(xs)), len(xs))
    keys = grid_row * width + xs[grid_col] + 180
    left = np.searchsorted(crossings, keys) - np.searchsorted(crossings, grid_row * width)
    inside = left % 2 == 1
    return ys[grid_row[inside]], xs[grid_col[inside]]


def _edge_crossings(rings: list[np.ndarray], ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the rings' edges cross each latitude in ``ys``: the row index and the longitude of every
    crossing."""
    rows, at = [], []
    for ring in rings:
        x0, y0 = ring[:, 0], ring[:, 1]
        x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
        row, edge = np.nonzero((y0[None, :] > ys[:, None]) != (y1[None, :] > ys[:, None]))
        rows.append(row)
        at.append(x0[edge] + (ys[row] - y0[edge]) * (x1[edge] - x0[edge]) / (y1[edge] - y0[edge]))
    return np.concatenate(rows), np.concatenate(at)


def region_centres(
    outlines: dict[str, list[Polygon]], towns: dict[tuple[str, str], list[tuple[float, float, int]]]
) -> dict[tuple[str, str], tuple[float, float]]:
    """Each first-level region's geographic centre: the area-weighted mean of the land cells whose
    nearest town of that country lies in it (the country's outline cut up around its towns).

    The middle of a region's towns leans toward where people live (southern Ontario, the Queensland
    coast); a region's centre is a matter of its land, and its towns say which land is its.
    """
    by_country: dict[str, list[str]] = defaultdict(list)
    for cc, admin1 in towns:
        by_country[cc].append(admin1)
    centres = {}
    for cc, regions in by_country.items():
        lat, lon = _cells(outlines.get(cc, []))
        if not len(lat):
            continue
        town_region = np.array([i for i, admin1 in enumerate(regions) for _ in towns[(cc, admin1)]])
        town_lat, town_lon = (
            np.array([p[k] for admin1 in regions for p in towns[(cc, admin1)]]) for k in (0, 1)
        )
        placed = _among_their_own(unit_vectors(town_lat, town_lon), town_region)
        town_region = town_region[placed]
        _, nearest = cKDTree(unit_vectors(town_lat[placed], town_lon[placed])).query(unit_vectors(lat, lon))
        sums = np.zeros((len(regions), 3))
        np.add.at(sums, town_region[nearest], _cell_areas(lat, lon))
        for i in np.flatnonzero(np.abs(sums).sum(axis=1)):
            centres[(cc, regions[i])] = direction(sums[i])
    return centres


def _among_their_own(points: np.ndarray, region: np.ndarray, k: int = 10) -> np.ndarray:
    """Which towns to let claim land for their region: not the few GeoNames files under a faraway
    one by mistake (Tibetan villages under "Hebei", Xinjiang's under "Heilongjiang", which would
    otherwise claim the empty land around them). Such a town has fewer than half of its ``k``
    nearest towns in its region, and is over 1,000 km from every town of its region that has
    more (Alice Springs has few Northern Territory towns around it, but within reach of them)."""
    if len(points) <= k:
        return np.ones(len(points), dtype=bool)
    _, neighbours = cKDTree(points).query(points, k + 1)  # the first is the town itself
    isolated = (region[neighbours[:, 1:]] == region[:, None]).sum(axis=1) < k // 2
    stray = np.zeros(len(points), dtype=bool)
    for r in np.unique(region[isolated]):
        settled = points[(region == r) & ~isolated]
        alone = np.flatnonzero((region == r) & isolated)
        if len(settled):
            distance, _ = cKDTree(settled).query(points[alone])
            stray[alone] = distance > _STRAY_CHORD
    return ~stray
