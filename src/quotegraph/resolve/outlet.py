"""Where an article's outlet is: the country of its address's domain (".co.uk", ".ca") and the places
its address and name are named for ("winnipeg.ctvnews.ca", "seattletimes.com", "timesofmalta.com",
"The Dallas Morning News"). A local paper's story is read near home before abroad, as its readers
read it (``places.resolve_places``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from quotegraph.resolve.gazetteer import Entry, Gazetteer, load_gazetteer, place_key

# Country-code domains that sites use for their letters, not their country (".tv", ".io", ".fm")
_GENERIC_CODES = {"tv", "io", "co", "me", "fm", "ai", "ws", "cc", "ly", "to", "gg", "nu", "eu", "su"}
# Second-level labels under a country's domain: "bbc.co.uk", "illawarramercury.com.au"
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "news", "info"}
_SHORTEST = 4  # letters of a place name inside a domain's word: "sun" of "thesun" names no place
# Words that say where, not which place ("eastoregonian" is no paper of a region called East)
_COMPASS = {"north", "south", "east", "west", "central", "northern", "southern", "eastern", "western"}
# A town a name in an address can be: big enough to have a paper named for it, bigger where the
# name is only part of a word of the address ("eagletribune" is no paper of Eagle, Idaho)
_PAPER_TOWN = 15_000
_PAPER_TOWN_IN_WORD = 50_000
_CAPITALIZED = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")


@dataclass(frozen=True, slots=True)
class Outlet:
    """What an article says of where it was published: its address and its site's name."""

    url: str | None = None
    site_name: str | None = None


@dataclass(frozen=True, slots=True)
class OutletHome:
    """The country of an outlet's domain, and the places its address or name are named for (each a
    reading: "bangordailynews.com" is Bangor, Maine or Bangor in Wales until the article says)."""

    country: str | None
    places: tuple[Entry, ...]

    @property
    def countries(self) -> set[str]:
        return {c for c in (self.country, *(e.country for e in self.places)) if c}


def outlet_home(outlet: Outlet) -> OutletHome:
    """The outlet's country and places, from its address's host and its name."""
    return _home(_host(outlet.url), outlet.site_name or "")


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    except ValueError:  # a malformed address names no place
        return ""


@functools.lru_cache(maxsize=1024)
def _home(host: str, site_name: str) -> OutletHome:
    """Read once per host and site name: a corpus comes from a few outlets."""
    gaz = load_gazetteer()
    labels = host.split(".") if host else []
    country = None
    if len(labels) >= 2:
        code = labels[-1]
        labels = labels[:-1]
        if labels and len(labels) >= 2 and labels[-1] in _SECOND_LEVEL:
            labels = labels[:-1]
        code = "GB" if code == "uk" else code.upper()
        if len(code) == 2 and code.lower() not in _GENERIC_CODES and code in gaz.countries:
            country = code
    found: list[Entry] = []
    for label in labels:
        for word in label.split("-"):
            found += _named_in_word(gaz, word)
    for name in _CAPITALIZED.findall(site_name):
        words = name.split()
        for size in range(min(3, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                found += _readings(gaz, place_key(" ".join(words[start : start + size])), _PAPER_TOWN)
    if country is not None and any(e.country == country for e in found):
        found = [e for e in found if e.country == country]
    return OutletHome(country, tuple(dict.fromkeys(found)))


def _named_in_word(gaz: Gazetteer, word: str) -> list[Entry]:
    """The places a word of an address starts or ends with, the longest first ("seattle" of
    "seattletimes", "malta" of "timesofmalta", "new york" of "newyorkpost"), or the word itself."""
    for size in range(len(word), _SHORTEST - 1, -1):
        town = _PAPER_TOWN if size == len(word) else _PAPER_TOWN_IN_WORD
        for part in (word[:size], word[len(word) - size :]):
            for key in _spaced(part):
                if readings := _readings(gaz, key, town):
                    return readings
    return []


def _spaced(part: str) -> list[str]:
    """The part as one word or two ("sandiego" may be "san diego")."""
    return [part, *(f"{part[:i]} {part[i:]}" for i in range(2, len(part) - 1))]


def _readings(gaz: Gazetteer, key: str, town: int) -> list[Entry]:
    """What a name in an outlet's address or name can be: a country, a state, a county or a town of
    ``town`` people or more, each by its own name ("washington" of Washington, D.C.); a
    people's country ("irish")."""
    if len(key.replace(" ", "")) < _SHORTEST or key in _COMPASS:
        return []
    if key in gaz.demonyms and gaz.demonyms[key].kind == "country":
        return [gaz.demonyms[key]]
    return [
        e
        for e in gaz.names.get(key, ())
        if ((own := place_key(e.name)) == key or own.startswith(f"{key} "))
        and (e.kind == "country" or (e.kind in ("city", "region") and e.population >= town))
    ]
