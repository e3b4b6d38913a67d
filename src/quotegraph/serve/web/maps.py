"""A world map drawn offline: countryinfo's country outlines projected to SVG paths, once per process."""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path

# Equirectangular, cropped to 84°N..60°S (no Antarctica): x = longitude, y = latitude, scaled.
WIDTH, NORTH, SOUTH = 960, 84.0, -60.0
SCALE = WIDTH / 360
HEIGHT = round((NORTH - SOUTH) * SCALE)


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
