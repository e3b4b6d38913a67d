"""The gazetteer's index: place-name keys to entries, the look-up news names need, and the compact
arrays it is stored in on disk (``to_arrays`` / ``from_arrays``), read back in a fraction of a second.

An entry is made into a Python object only when a name that holds it is looked up, and once: the
same place is the same object wherever it is found, as the resolver compares entries by identity.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import get_args

import numpy as np

from quotegraph.model import PlaceKind
from quotegraph.textnorm import fold, skeleton

# Words after a name that say it is an administrative region ("Baghlan province", "Kent county").
DESIGNATORS = {"province", "district", "region", "county", "state", "governorate", "prefecture", "oblast"}
TOWN_WORDS = {"city", "town", "village"}  # "Kunduz city"
# What an airport's name ends in; news writes it in lower case after the short name ("Heathrow airport")
AIRPORT_WORDS = ("Airport", "Air Base", "Airfield", "Aerodrome")
# Added to log10(population): what a bare name most likely means before the article is read.
_KIND_PRIOR: dict[PlaceKind, float] = {
    "continent": 1.0, "country": 1.0, "other": 2.0, "region": -0.7, "city": 0.0, "landmark": 0.0,
}  # fmt: skip
_KINDS: tuple[PlaceKind, ...] = get_args(PlaceKind)
_NONE = -1  # a missing string or GeoNames id in the stored columns


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


@functools.lru_cache(maxsize=1 << 16)
def place_key(name: str) -> str:
    """A place name's key: the common name key (``textnorm.fold``) without a leading "the" ("the
    Netherlands" is filed under "netherlands"); kept for the names met most, as an article's
    names and the gazetteer's are folded again and again."""
    return fold(name).removeprefix("the ")


def consonants(key: str) -> str:
    """What transliterations and misspellings of a place name keep: its words' consonants (the
    name key's skeleton), without the article "the"."""
    return skeleton(" ".join(word for word in key.split() if word != "the"))


class Gazetteer:
    """Place-name key -> entries (most likely first), with a fallback over other spellings of
    countries and regions (``spellings``: consonants -> the keys of countries and first-level
    regions that have them)."""

    def __init__(
        self,
        names: Mapping[str, Sequence[Entry]],
        countries: Mapping[str, Entry],
        demonyms: Mapping[str, Entry],
        spellings: Mapping[str, Collection[str]],
    ) -> None:
        self.names = names
        self.countries = countries  # ISO code -> the country
        self.demonyms = demonyms  # key of "Afghan", "Russians", "European" -> the place its people are of
        self.spellings = spellings

    @functools.cached_property
    def demonym_starts(self) -> frozenset[str]:
        """The first words of the demonyms, to skip the words that start none."""
        return frozenset(demonym.partition(" ")[0] for demonym in self.demonyms)

    def lookup(self, name: str, *, fuzzy: bool = True) -> list[Entry]:
        """Exact match of the key, else the regions of that name for "Baghlan province" or "Andarab
        district" (the towns for "Kunduz city"), else the closest country or region name with the
        same consonants: "Nurestan" for "Nuristan", "Democratic Republic of Congo" for "... of the
        Congo", but not "Greenland" for "Greenlane", the United States for "Americas", or North
        Western for "North Eastern".
        """
        key = place_key(name)
        if not key:
            return []
        if key in self.names:
            return list(self.names[key])
        head, _, designator = key.rpartition(" ")
        kind = "city" if designator in TOWN_WORDS else "region" if designator in DESIGNATORS else None
        if kind is not None and (named := [e for e in self.names.get(head, ()) if e.kind == kind]):
            return named
        if len(key) < 6 or not fuzzy:
            return []
        spellings = sorted(self.spellings.get(consonants(key), ()))
        close = difflib.get_close_matches(key, spellings, n=1, cutoff=0.85)
        return list(self.names[close[0]]) if close else []


def to_arrays(gaz: Gazetteer) -> dict[str, np.ndarray]:
    """The gazetteer as flat arrays, read back without a Python object per name: each key as a
    64-bit hash (``key_hash``, sorted) beside its UTF-8 text, and its entries as a run of entry
    numbers (``starts`` into ``members``); every distinct entry once, as columns whose strings are
    numbers into a table of strings; the small tables as JSON."""
    number: dict[Entry, int] = {}
    for entries in [*gaz.names.values(), gaz.countries.values(), gaz.demonyms.values()]:
        for entry in entries:
            number.setdefault(entry, len(number))
    strings: dict[str | None, int] = {None: _NONE}
    for entry in number:
        for text in (entry.name, entry.country, entry.admin1, entry.admin2):
            strings.setdefault(text, len(strings) - 1)
    keys = sorted(gaz.names, key=_key_hash)
    small = {
        "countries": {code: number[entry] for code, entry in gaz.countries.items()},
        "demonyms": {demonym: number[entry] for demonym, entry in gaz.demonyms.items()},
        "spellings": {sound: sorted(found) for sound, found in gaz.spellings.items()},
    }
    entries = list(number)
    return {
        "key_hash": np.array([_key_hash(key) for key in keys], dtype=np.uint64),
        **_text("key", keys),
        "starts": np.cumsum([0, *(len(gaz.names[key]) for key in keys)], dtype=np.int64),
        "members": np.array([number[e] for key in keys for e in gaz.names[key]], dtype=np.int32),
        **_text("string", [text for text in strings if text is not None]),
        **{
            column: np.array([strings[getattr(e, column)] for e in entries], dtype=np.int32)
            for column in ("name", "country", "admin1", "admin2")
        },
        "kind": np.array([_KINDS.index(e.kind) for e in entries], dtype=np.uint8),
        "lat": np.array([e.lat for e in entries], dtype=np.float64),
        "lon": np.array([e.lon for e in entries], dtype=np.float64),
        "geonames_id": np.array([_NONE if e.geonames_id is None else e.geonames_id for e in entries], dtype=np.int64),
        "population": np.array([e.population for e in entries], dtype=np.int64),
        "capital": np.array([e.capital for e in entries], dtype=np.bool_),
        "small": np.frombuffer(json.dumps(small).encode(), dtype=np.uint8),
    }  # fmt: skip


def from_arrays(arrays: Mapping[str, np.ndarray]) -> Gazetteer:
    """The gazetteer ``to_arrays`` stored; the arrays may be views of a memory-mapped file."""
    names = _StoredNames(arrays)
    small = json.loads(arrays["small"].tobytes())
    countries = {code: names.entry(number) for code, number in small["countries"].items()}
    demonyms = {demonym: names.entry(number) for demonym, number in small["demonyms"].items()}
    return Gazetteer(names, countries, demonyms, small["spellings"])


class _StoredNames(Mapping[str, Sequence[Entry]]):
    """The key -> entries mapping over stored arrays: a key is found by binary search on its hash,
    then compared whole; entries are made when first looked up, and kept."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self._arrays = arrays
        self._hashes = arrays["key_hash"]
        self._made: dict[int, Entry] = {}
        self._position = functools.lru_cache(maxsize=1 << 16)(self._find)

    def _find(self, key: str) -> int | None:
        """The key's position among the stored keys, or None."""
        wanted, hashes = _key_hash(key), self._hashes
        n = int(np.searchsorted(hashes, np.uint64(wanted)))
        while n < len(hashes) and int(hashes[n]) == wanted:
            if _text_at(self._arrays, "key", n) == key:
                return n
            n += 1  # another key with the same hash
        return None

    def entry(self, number: int) -> Entry:
        """The entry with this number, the same object each time."""
        made = self._made.get(number)
        if made is None:
            a = self._arrays
            made = self._made[number] = Entry(
                self._string(a["name"][number]) or "", _KINDS[a["kind"][number]],
                float(a["lat"][number]), float(a["lon"][number]),
                self._string(a["country"][number]), self._string(a["admin1"][number]),
                None if (gid := int(a["geonames_id"][number])) == _NONE else gid,
                int(a["population"][number]), bool(a["capital"][number]), self._string(a["admin2"][number]),
            )  # fmt: skip
        return made

    def _string(self, number: int) -> str | None:
        return None if number == _NONE else _text_at(self._arrays, "string", int(number))

    def __getitem__(self, key: str) -> list[Entry]:
        n = self._position(key)
        if n is None:
            raise KeyError(key)
        starts = self._arrays["starts"]
        return [self.entry(m) for m in self._arrays["members"][starts[n] : starts[n + 1]].tolist()]

    def get(self, key: str, default: Sequence[Entry] = ()) -> Sequence[Entry]:  # type: ignore[override]
        return default if self._position(key) is None else self[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._position(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (_text_at(self._arrays, "key", n) for n in range(len(self)))

    def __len__(self) -> int:
        return len(self._hashes)


def _key_hash(key: str) -> int:
    """A hash of a key that every process computes alike (``hash`` differs between processes)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


def _text(name: str, strings: list[str]) -> dict[str, np.ndarray]:
    """Strings as one UTF-8 array ``<name>_text`` and where each starts in it, ``<name>_starts``."""
    encoded = [s.encode() for s in strings]
    return {
        f"{name}_text": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        f"{name}_starts": np.cumsum([0, *map(len, encoded)], dtype=np.int64),
    }


def _text_at(arrays: Mapping[str, np.ndarray], name: str, n: int) -> str:
    starts = arrays[f"{name}_starts"]
    return arrays[f"{name}_text"][starts[n] : starts[n + 1]].tobytes().decode()
