"""A world map drawn offline: countryinfo's country outlines projected to SVG paths, once per process."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

# Equirectangular, cropped to 84°N..60°S (no Antarctica): x = longitude, y = latitude, scaled.
WIDTH, NORTH, SOUTH = 960, 84.0, -60.0
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)


LABEL_PLACES = 30  # the places with the biggest dots get a name on the map, where it fits
_CHAR_WIDTH, _LINE = 5.4, 10  # in map units, for the map's 9-unit labels


def labels(points: list[dict[str, Any]], most: int = LABEL_PLACES) -> list[dict[str, Any]]:
    """Names beside the biggest dots (the places named in the most articles, or with the most
    events), right of the dot or else left of it, none over another name or another place's dot: a place whose name has no free room gets
    none (its dot keeps its tooltip)."""
    taken: list[tuple[float, float, float, float]] = [
        (p["x"] - p["r"], p["y"] - p["r"], p["x"] + p["r"], p["y"] + p["r"]) for p in points
    ]
    placed = []
    for p in sorted(points, key=lambda p: -p["r"])[:most]:
        width = len(p["name"]) * _CHAR_WIDTH
        for anchor, left in (("start", p["x"] + p["r"] + 2), ("end", p["x"] - p["r"] - 2 - width)):
            box = (left, p["y"] - _LINE / 2, left + width, p["y"] + _LINE / 2)
            own = (p["x"] - p["r"], p["y"] - p["r"], p["x"] + p["r"], p["y"] + p["r"])
            if box[0] >= 0 and box[2] <= WIDTH and not any(_overlap(box, t) for t in taken if t != own):
                taken.append(box)
                x = box[0] if anchor == "start" else box[2]
                placed.append(
                    {"name": p["name"], "x": round(x, 1), "y": round(p["y"] + 3, 1), "anchor": anchor}
                )
                break
    return placed


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def project(lat: float, lon: float) -> tuple[float, float]:
    return round((lon + 180) * SCALE, 1), round((NORTH - lat) * SCALE, 1)


@functools.cache
def outlines() -> list[tuple[str, str]]:
    """(country name, SVG path) for every country countryinfo draws; about 10,000 points in all."""
    shapes = []
    for path in sorted((_countryinfo() / "data").glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        shape = info.get("geoJSON")
        if not isinstance(shape, dict):
            continue
        rings = []
        for feature in shape.get("features", []):
            geometry = feature["geometry"]
            polygons = (
                geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            )
            for polygon in polygons:
                for ring in polygon:
                    points = [project(lat, lon) for lon, lat in ring]
                    rings.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
        if rings:
            shapes.append((str(info.get("name", path.stem)), "".join(rings)))
    return shapes


def _countryinfo() -> Path:
    """countryinfo's folder, found without importing it (nor the gazetteer, which reads it too)."""
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("countryinfo is not installed")
    return Path(next(iter(spec.submodule_search_locations)))
