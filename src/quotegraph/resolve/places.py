"""Place names resolved against an offline gazetteer, disambiguated by the article's own context."""

from __future__ import annotations

import bisect
import enum
import functools
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from spacy.strings import get_string_id
from spacy.symbols import NOUN, PROPN, VERB  # type: ignore[import-not-found]  # a compiled module without stubs
from spacy.tokens import Doc, Span

from quotegraph.model import CharSpan, Entity, Mention, Place, PlaceKind
from quotegraph.nlp import doc_text
from quotegraph.resolve.gazetteer import (
    AIRPORT_WORDS,
    DESIGNATORS,
    TOWN_WORDS,
    Entry,
    Gazetteer,
    load_gazetteer,
    place_key,
)
from quotegraph.resolve.outlet import Outlet, OutletHome, outlet_home
from quotegraph.textnorm import dateline_at

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_OUTSIDE = 2  # spaCy's ENT_IOB value of a token outside every entity
# The small model sometimes tags a province ORG or DATE ("Ghor", "Nuristan."), a town PERSON or NORP
# ("Tunis"): such a name is kept when it is exactly a country or region's name, or any place's where
# it stands where places do (``_Surroundings.stands``), in a country that a place-tagged entity also
# points to.
# "": proper names the recognizer left untagged; a product, event or work named for a place ("in
# Winnipeg" tagged PRODUCT, "the Vietnam war") is read as an organization's name is
_OTHER_LABELS = {"ORG", "PERSON", "DATE", "NORP", "", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
_PLACE_PREPOSITIONS = {"in", "near", "outside"}
# Between a name and the place that holds it ("Pandi, Bulacan", "Warwick in Queensland")
_BEFORE_CONTAINER = re.compile(r",\s+|\s+in\s+")
# Names that say where in a country, not which country ("the South", "the West Coast")
_DIRECTIONS = {
    f"{part}{suffix}"
    for part in ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
    for suffix in ("", "ern", " coast")
} | {"north east", "north west", "south east", "south west", "central", "centre", "center", "midwest"}
# and common nouns used as names, which name a place the reader is taken to know ("the Gulf", "the Valley")
_DIRECTIONS |= {"gulf", "valley", "coast", "bay", "delta", "cape", "peninsula", "islands", "strip", "basin"}
_NOT_PLACES = {"earth", "world", "moon"}  # Earth, Texas is not "Earth's climate"
# A town read from a name tagged as an organization must be this big (GeoNames' own line for a
# town's other names in cities5000): "Republicans in Congress" is not Congress, Arizona
_NOTABLE_TOWN = 15_000
# A city that an organization's name names whatever the article says ("Toronto Police"); smaller
# towns there are more often a family's or a patron's name ("Lincoln Center")
_NAMESAKE_CITY = 1_000_000
# Words that end a name in lower case too: "Heathrow airport", "Bagram air base"
_AIRPORT_ENDS = [name.lower() for name in AIRPORT_WORDS]
_NAME_ENDS = {word for name in _AIRPORT_ENDS for word in name.split()}
_END_IDS = {get_string_id(word) for word in _NAME_ENDS}  # as a Doc's ``LOWER`` array holds them
_PLACE_WORDS = DESIGNATORS | TOWN_WORDS | {end for end in _AIRPORT_ENDS if " " not in end}
_BROAD: set[PlaceKind] = {"country", "region", "continent", "other"}
_SPLIT = re.compile(r",\s+|\s+and\s+|\s+[-–—]\s+")  # "Doha, Qatar", "Central Africa - Nigeria"
# Between a region and a place in it: "the Hunan city of Yueyang", "the Kent town of Dover"
_UNIT_OF_PLACE = re.compile(
    r"\s+(?:city|town|village|port|capital|county|district|province)\s+of\s+(?:the\s+)?"
)
# What an administrative name is preceded by when it is written out: "the City of Santa Ana"
_UNIT_OF = re.compile(
    r"(?:city|town|village|borough|township|county|state|province|region) of ", re.IGNORECASE
)
_MAX_CANDIDATES = 25
_NEAR_KM = 400.0
_NEXT_TOWN_KM = 50.0  # a neighbouring town's distance: "labs in Pirbright" after Guildford
# At most this many words after an entity (linked by these words), or before it, may complete a
# place's name
_LONGEST_TAIL = 4
# Words in the longest names an organization's name ends with: "the Democratic Republic of the Congo"
_LONGEST_COUNTRY_NAME = 6
_LONGEST_HEAD = 2
_NAME_LINKS = {"and", "of", "the", "de", "del", "la", "do", "da", "dos", "das", "du", "di", "upon"}
_LINK_IDS = {get_string_id(word) for word in _NAME_LINKS} | _END_IDS
_THE, _STATE = get_string_id("the"), get_string_id("state")
# The legal form that closes a company's name, not the name it is known by ("HSBC Bank Malta plc")
_LEGAL_FORMS = (
    "plc",
    "ltd",
    "limited",
    "inc",
    "llc",
    "llp",
    "corp",
    "pty",
    "pvt",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
)
# Nouns of what lies between two countries or binds them ("the Syrian-Turkish border")
_BETWEEN_TWO = {"border", "borders", "frontier", "relations", "ties", "talks", "war", "conflict", "summit",
                "agreement", "deal", "treaty", "alliance", "cooperation", "partnership", "dialogue"}  # fmt: skip
# Currencies that amounts name with their country before them ("11 billion US dollars")
_CURRENCIES = ("dollar", "dollars", "pound", "pounds", "rupee", "rupees", "peso", "pesos", "franc", "francs",
               "shilling", "shillings", "dinar", "dinars", "riyal", "riyals", "yuan", "yen", "won")  # fmt: skip
_CURRENCY_IDS = {get_string_id(word) for word in _CURRENCIES}
_LEGAL_FORM_IDS = {get_string_id(form + dot) for form in _LEGAL_FORMS for dot in ("", ".")}
_LIST_SEPARATORS = {",", "and", ", and", "or", ", or", "and in", "or in", ", and in"}
# Nouns that say which kind of place the names after them are
_KIND_NOUNS = {
    "state": "region", "states": "region", "province": "region", "provinces": "region",
    "country": "country", "countries": "country", "nation": "country", "nations": "country",
    "city": "city", "cities": "city", "town": "city", "towns": "city", "village": "city", "villages": "city",
    "county": "district", "counties": "district", "district": "district", "districts": "district",
}  # fmt: skip
_KIND_NOUN = re.compile(
    r"\b(?P<noun>" + "|".join(_KIND_NOUNS) + r")\s+(?:of|such\s+as|like|including|as)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Nouns after a name that make it a place's ("Glasgow area", "Nelson residents", "the Gabon border"), or
# a place's branch of a service ("a Durban court", "the Nelson office"); a person's is "Smith's office"
_PLACE_NOUNS_AFTER = (
    "area", "areas", "resident", "residents", "native", "natives", "border", "borders", "outskirts", "suburb",
    "suburbs", "countryside", "coast", "neighbourhood", "neighbourhoods", "neighborhood", "neighborhoods",
    "region", "city", "town", "village", "district", "county", "province", "state",
    "mayor", "police", "court", "hospital", "laboratory", "station", "office",
)  # fmt: skip
_PLACE_NOUN_AFTER = re.compile(r"\s+(?:" + "|".join(_PLACE_NOUNS_AFTER) + r")\b")
# The same as spaCy's ids of lower-case words, for a name the tagger did not call a proper noun
# ("Heze city", "Esperance residents")
_PLACE_NOUN_IDS = np.array(sorted(get_string_id(word) for word in _PLACE_NOUNS_AFTER), dtype=np.uint64)
# Nouns before "of" that make the name after it a place's ("the mayor of Dogubayazit", "the island of
# Bohol", "residents of Kibera")
_PLACE_NOUN_OF = re.compile(
    r"\b(?:mayor|governor|island|area|outskirts|suburbs|streets|residents|inhabitants|people|capital)"
    r"\s+of\s+(?:the\s+)?$"
)
# The same nouns, singular, right after a name ("New York state")
_KIND_WORD_AFTER = re.compile(r"\s(?P<noun>state|province|county|district|city|town|village)\b")
# What it costs a town to be called by another of its names (a factor of about 30 in population)
_OTHER_NAME_COST = 1.5
_EARTH_KM = 6371.0
_CELL_CHORD = 2 * math.sin(_NEAR_KM / _EARTH_KM / 2)  # ``_NEAR_KM`` as a chord of the unit sphere
_KM_PER_DEGREE = _EARTH_KM * math.pi / 180


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    key: str
    candidates: list[Entry]
    tagged_place: bool
    bonus: dict[int, float] = field(default_factory=dict)  # candidate index -> context bonus
    allowed: set[int] | None = None  # the only candidates the words around it leave (``_restrict_*``)
    said: bool = False  # a noun or a dateline says its kind, whatever the name means elsewhere
    in_organization: bool = False  # part of an organization's name: no context for the other places
    names_country: bool | None = None  # whether a reading is a country (``other_name``), once known
    container_at: int | None = None  # where the place said to hold it starts ("Pandi, Bulacan")
    # an organization's name after "in": a small town only where a place named near it says so
    small_town_if_near: bool = False

    def eligible(self) -> list[int]:
        return sorted(self.allowed) if self.allowed is not None else list(range(len(self.candidates)))

    def candidates_left(self) -> list[Entry]:
        return [self.candidates[i] for i in self.eligible()]

    def narrow(self, keep: set[int], *, said: bool = False) -> None:
        """Leave only the candidates ``keep`` where it leaves any; ``said``: the words around the
        mention state its kind."""
        if keep:
            self.allowed, self.said = keep, self.said or said

    def top(self) -> Entry:
        """The eligible candidate the name and its neighbouring words favour, before the article."""
        return self.candidates[max(self.eligible(), key=self.local_score)]

    def local_score(self, i: int) -> float:
        """The candidate's prior plus what the neighbouring words say ("Doha, Qatar"), less where the
        name is only another name of the place (``_by_other_name``)."""
        cand = self.candidates[i]
        return cand.prior - _OTHER_NAME_COST * self.other_name(cand) + self.bonus.get(i, 0.0)

    def other_name(self, cand: Entry) -> bool:
        """Whether the name is only another name of ``cand`` (``_by_other_name``)."""
        if self.names_country is None:
            self.names_country = any(c.kind == "country" for c in self.candidates)
        return _by_other_name(cand, self.key, names_country=self.names_country)


def _by_other_name(entry: Entry, key: str, *, names_country: bool = False) -> bool:
    """Whether ``key`` is only another name of the place: of a town, a name its own does not start
    with (Salisbury was Harare's; "Washington" is short for "Washington, D.C.", so not another
    name), or a country's name that is not the town's whole name ("Mexico" is the country, not
    Mexico City); of a county, its name without "County" ("Franklin", "Toronto")."""
    own, key = place_key(entry.name), key if entry.kind == "landmark" else _served(key)
    short = not own.startswith(key) or (names_country and own != key)
    return (entry.kind == "city" and short) or (entry.district and own != key)


def _served(key: str) -> str:
    """The place an airport's name names ("cairo" of "cairo airport"); other names as they are."""
    return next((key.removesuffix(f" {end}") for end in _AIRPORT_ENDS if key.endswith(f" {end}")), key)


def resolve_places(doc: Doc, outlet: Outlet | None = None) -> list[Place]:
    """Every place named in ``doc`` placed on the map, one sense per name within an article, and the
    places its peoples are of (flagged ``demonym``), in the order of the text; ``outlet``, where the
    article was published, is where its names are read first when the text does not say."""
    gaz = load_gazetteer()
    text = doc_text(doc)
    home = outlet_home(outlet) if outlet is not None else OutletHome(None, ())
    ents = list(doc.ents)
    mentions = _mentions(doc, text, ents, gaz, home)
    named = _named_places(ents, text, gaz, mentions, home) if mentions else []
    return sorted(named + _demonyms(doc, gaz, named), key=lambda p: p.span.start)


def _named_places(
    ents: list[Span], text: str, gaz: Gazetteer, mentions: list[_Mention], outlet: OutletHome
) -> list[Place]:
    """The places of the mentions, each read in the light of the article's others."""
    _bonus_for_adjacent(text, mentions)
    runs = _runs(text, mentions)
    _restrict_named_kinds(text, runs)
    _restrict_datelines(text, mentions)
    _restrict_lists(text, runs)
    local = _outlet_state(outlet, mentions)
    home = _home_state([m for m in mentions if not m.in_organization]) or local
    mentions = _organizations_near_home(mentions, home)
    if not mentions:
        return []
    chosen = [m.top() for m in mentions]
    breaks = [newline.start() for newline in re.finditer("\n", text)]
    paragraph = [bisect.bisect(breaks, m.start) for m in mentions]  # a state is context in its paragraph
    # the countries of the peoples it names ("British officers", "the Kenyan ministry") are context too
    peoples = Counter(
        country
        for e in ents
        if e.label_ == "NORP"
        and (k := place_key(text[e.start_char : e.end_char])) in gaz.demonyms
        and (country := gaz.demonyms[k].country)
    ) + Counter(_outlet_countries(outlet, mentions))
    context = _Context(
        [(m, c, p) for m, c, p in zip(mentions, chosen, paragraph, strict=True) if not m.in_organization],
        peoples,
        home,
        [e for e in outlet.places if (e.country, e.admin1) == local],
    )
    best: dict[str, tuple[float, Entry]] = {}
    own: list[Entry] = []  # each mention's best among its own eligible senses
    for m, p in zip(mentions, paragraph, strict=True):
        scored = [
            (m.local_score(i) + context.score(m, m.candidates[i], p), m.candidates[i]) for i in m.eligible()
        ]
        top = max(scored, key=lambda pair: pair[0])
        own.append(top[1])
        if m.key not in best or top[0] > best[m.key][0]:
            best[m.key] = top
    # one sense per name, unless the words around a mention rule that sense out ("WASHINGTON (AP) —"
    # is the town in an article about the state)
    senses = [
        mine if m.said and best[m.key][1] not in m.candidates_left() else best[m.key][1]
        for m, mine in zip(mentions, own, strict=True)
    ]
    countries = _KeysOf()
    for m, e in zip(mentions, senses, strict=True):
        if e.country:
            countries.add(e.country, m.key)
    return [
        _place(m, e)
        for m, e in zip(mentions, senses, strict=True)
        if (m.said or not _stray_village(e, countries, m.key))
        and not (
            m.small_town_if_near and _small_town(e) and not context.near_elsewhere(e, m.key, _NEXT_TOWN_KM)
        )
    ]


class _KeysOf:
    """The names (keys) of the article's mentions that point to each value: a country, a state, a
    place; so that "the article's other names" is answered for any name without going through them."""

    def __init__(self) -> None:
        self.keys: dict[object, set[str]] = {}

    def add(self, value: object, key: str) -> None:
        self.keys.setdefault(value, set()).add(key)

    def named_by_other(self, value: object, key: str) -> bool:
        """Whether a name other than ``key`` points to ``value``."""
        keys = self.keys.get(value, ())
        return len(keys) > 1 or (len(keys) == 1 and key not in keys)


class _Context:
    """What the article's other names (outside organizations' names) say about a candidate, counted
    once per article, so that scoring every mention costs as much as the article is long: the
    countries its places lie in (and the peoples it names), the states and provinces named in each
    paragraph, the states that towns lie in, its states of each country, and places nearby (found
    through a grid of cells on the sphere as wide as ``_NEAR_KM``), the outlet's place among them."""

    def __init__(
        self,
        named: list[tuple[_Mention, Entry, int]],
        peoples: Counter[str],
        home: tuple[str, str] | None,
        outlet: list[Entry],
    ) -> None:
        self.peoples = peoples
        self.home = home
        self.countries: Counter[str] = Counter()  # mentions per country
        self.by_key: dict[str, Counter[str]] = {}  # the same, for each name
        self.first: dict[str, list[tuple[int, str]]] = {}  # country -> where its first two names come
        self.regions: dict[int, _KeysOf] = {}  # paragraph -> (country, state) of the regions named in it
        self.towns = _KeysOf()  # (country, state) of the towns named
        self.states = _KeysOf()  # the state entries named
        self.cells: dict[tuple[int, int, int], _KeysOf] = {}  # grid cell -> towns, regions, landmarks
        for n, (m, c, p) in enumerate(named):
            if c.country:
                self.countries[c.country] += 1
                self.by_key.setdefault(m.key, Counter())[c.country] += 1
                firsts = self.first.setdefault(c.country, [])
                if len(firsts) < 2 and all(key != m.key for _, key in firsts):
                    firsts.append((n, m.key))
            if c.kind == "region":
                self.regions.setdefault(p, _KeysOf()).add((c.country, c.admin1), m.key)
            if c.kind == "city":
                self.towns.add((c.country, c.admin1), m.key)
            if _is_state(c):
                self.states.add(c, m.key)
            if c.kind in ("city", "region", "landmark"):
                self.cells.setdefault(_cell(c), _KeysOf()).add(c, m.key)
        for c in outlet:  # the outlet's own town is near its namesakes: under no name of the article
            self.cells.setdefault(_cell(c), _KeysOf()).add(c, "")
        self.state_countries = Counter(cast(Entry, e).country for e in self.states.keys)
        self.states_of_one: dict[str, Counter[str | None]] = {}  # name -> countries of states only it names
        for e, keys in self.states.keys.items():
            if len(keys) == 1:
                self.states_of_one.setdefault(next(iter(keys)), Counter())[cast(Entry, e).country] += 1
        self._country_counts: dict[str, Counter[str]] = {}

    def score(self, m: _Mention, cand: Entry, paragraph: int) -> float:
        """Agreement with the rest of the article: its countries (those of its places, and of the
        peoples it names: "British officers"), the regions named in the same paragraph (or, for a
        region, the towns named in it: "Paris" is not Paris, Tennessee because the article names
        Tennessee elsewhere), places nearby, and for a state or province the article's other states
        of that country (an article that names Alabama, Iowa and Texas means the state by "Georgia")."""
        score, key = 0.0, m.key
        if _is_state(cand) and self._states_elsewhere(cand.country, key) >= 2:
            score += 1.0
        countries = self._countries_elsewhere(key)
        if cand.country and countries[cand.country]:
            score += 1.0 + 0.5 * (cand.country == countries.most_common(1)[0][0])
        area = (cand.country, cand.admin1)
        regions = self.regions.get(paragraph)
        # towns, not landmarks, say which state a name is: "JFK airport in New York" is the city
        if cand.admin1 and (
            (regions is not None and regions.named_by_other(area, key))
            or (cand.kind == "region" and self.towns.named_by_other(area, key))
        ):
            score += 2.0
        if cand.kind not in _BROAD and self.near_elsewhere(cand, key):
            score += 1.0
        if area == self.home and _local(cand) and not m.other_name(cand):
            score += 2.0
        return score

    def _countries_elsewhere(self, key: str) -> Counter[str]:
        """The countries of the places other names point to, each as often as they are named, in
        the order they are first named, then those of the peoples named (as ``Counter`` adds)."""
        if key not in self._country_counts:
            own = self.by_key.get(key, Counter())
            order = sorted(
                (next(n for n, k in self.first[country] if k != key), country)
                for country in self.countries
                if self.countries[country] > own[country]
            )
            elsewhere = Counter({country: self.countries[country] - own[country] for _, country in order})
            self._country_counts[key] = elsewhere + self.peoples
        return self._country_counts[key]

    def _states_elsewhere(self, country: str | None, key: str) -> int:
        """How many states of ``country`` names other than ``key`` point to."""
        return self.state_countries[country] - self.states_of_one.get(key, Counter())[country]

    def near_elsewhere(self, cand: Entry, key: str, within: float = _NEAR_KM) -> bool:
        """Whether another name points to a town, region or landmark near ``cand`` (``within`` km,
        at most ``_NEAR_KM``)."""
        x, y, z = _cell(cand)
        for cell in itertools.product((x - 1, x, x + 1), (y - 1, y, y + 1), (z - 1, z, z + 1)):
            found = self.cells.get(cell)
            if found is not None and any(
                c is not cand and found.named_by_other(c, key) and _near(cand, cast(Entry, c), within)
                for c in found.keys
            ):
                return True
        return False


def _outlet_state(outlet: OutletHome, mentions: list[_Mention]) -> tuple[str, str] | None:
    """The state or province of the outlet's place ("winnipeg.ctvnews.ca"), where the article names
    a place that can be in it: of several readings ("bangordailynews.com"), the one that the most
    names can be in."""
    areas: dict[tuple[str | None, str | None], tuple[str, str]] = {
        (e.country, e.admin1): (e.country, e.admin1) for e in outlet.places if e.country and e.admin1
    }
    support: Counter[tuple[str, str]] = Counter()
    for m in mentions:
        support.update({area for c in m.candidates if (area := areas.get((c.country, c.admin1)))})
    ranked = support.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _outlet_countries(outlet: OutletHome, mentions: list[_Mention]) -> set[str]:
    """The country of the outlet's domain, and that of its place where the article names a place
    that can be in it."""
    state = _outlet_state(outlet, mentions)
    return {c for c in (outlet.country, state[0] if state else None) if c}


def _home_state(mentions: list[_Mention]) -> tuple[str, str] | None:
    """The state or province a story is set in, where its names say so: the one that holds a reading
    of more of its names than any other, and of two at least ("Macon" and "Dublin" are both towns of
    Georgia; "Laurens County", "Dublin" and "Georgia" all Georgia's). Its towns and counties are
    read there before their namesakes abroad, as a local paper's reader reads them (Dublin, Georgia,
    not Ireland's capital; Paris, Texas in a Texas story); only towns of some size count, so "Paris,
    London and Berlin" are no state's, however many villages share their names, and only by their
    own names ("Mexico" is Mexico City's other name, not a reading of it)."""
    holding: Counter[tuple[str, str]] = Counter()
    readings = {
        m.key: {
            (c.country, c.admin1) for c in m.candidates_left() if _local(c) and not _by_other_name(c, m.key)
        }
        for m in mentions
    }
    for areas in readings.values():
        holding.update((country, state) for country, state in areas if country and state)
    ranked = holding.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _local(entry: Entry) -> bool:
    """A place a state's own name can mean: the state, one of its counties, or a town of some size."""
    return entry.kind == "region" or (entry.kind == "city" and entry.population >= _NOTABLE_TOWN)


def _cell(entry: Entry) -> tuple[int, int, int]:
    """The grid cell of a place on the unit sphere: two places ``_NEAR_KM`` apart are in the same or
    neighbouring cells (the chord between them is shorter than a cell's side)."""
    phi, lam = math.radians(entry.lat), math.radians(entry.lon)
    point = (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
    x, y, z = (math.floor(v / _CELL_CHORD) for v in point)
    return x, y, z


def _demonyms(doc: Doc, gaz: Gazetteer, named: list[Place]) -> list[Place]:
    """The countries and continents whose peoples the article names, as mentions of them:
    "Russian officials", "Sudanese", "European leaders", and inside organizations' names ("the
    Syrian Observatory for Human Rights"). Not a language ("in Russian", "speaks French"), not a
    person's name ("Michael English"), not inside a building's name ("the Russian Embassy" is in
    Tokyo), and not a people named by two ("African Americans",
    "Mexican-American voters": the second's own people). Up to three words ("South Korean", "Latin
    American"), at the place of the country or continent."""
    taken = [(p.span.start, p.span.end) for p in named]
    found: list[Place] = []
    end = 0  # where the last demonym found ends
    for n in np.flatnonzero(np.isin(doc.to_array("LOWER"), _demonym_start_ids(gaz))).tolist():
        token = doc[n]
        if n < end or not token.text[:1].isupper() or token.ent_type_ in ("PERSON", "LANGUAGE", "FAC"):
            continue
        match = next(
            (
                (doc[n : n + size], gaz.demonyms[key])
                for size in (3, 2, 1)
                if n + size <= len(doc)
                and all(t.is_alpha for t in doc[n : n + size])  # words only: "Emirati," is "Emirati"
                and (key := place_key(doc[n : n + size].text)) in gaz.demonyms
            ),
            None,
        )
        if match is None:
            continue
        words, entry = match
        end = words.end
        if (
            _in_taken(taken, words.start_char, words.end_char)
            or _joined_to_demonym(doc, words, gaz)
            or _a_language(words)
        ):
            continue
        found.append(
            Place(CharSpan(words.start_char, words.end_char), entry.name, entry.kind, entry.lat, entry.lon,
                  entry.country, entry.admin1, entry.geonames_id, demonym=True)
        )  # fmt: skip
    return found


@functools.cache
def _demonym_start_ids(gaz: Gazetteer) -> np.ndarray:
    """The words that start a demonym as spaCy's ids of lower-case words (a Doc's ``LOWER``), so
    that an article's words are compared with them in one array operation."""
    return np.array(sorted(get_string_id(word) for word in gaz.demonym_starts), dtype=np.uint64)


def _in_taken(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps one of the sorted spans ``taken``."""
    at = bisect.bisect_left(taken, (end, end))
    return at > 0 and taken[at - 1][1] > start


def _joined_to_demonym(doc: Doc, words: Span, gaz: Gazetteer) -> bool:
    """A people named by two demonyms, with or without a hyphen ("African Americans", "Irish-American"),
    but not two peoples' countries joined by a hyphen before what lies between them or binds them
    ("the Syrian-Turkish border", "Russian-Chinese talks")."""
    hyphen_after = words.end + 1 < len(doc) and doc[words.end].text == "-"
    hyphen_before = words.start >= 2 and doc[words.start - 1].text == "-"
    pair_end = words.end + 2 if hyphen_after else words.end
    if (hyphen_after or hyphen_before) and pair_end < len(doc) and doc[pair_end].lower_ in _BETWEEN_TWO:
        return False
    after = doc[words.end + 1] if hyphen_after else (doc[words.end] if words.end < len(doc) else None)
    before = doc[words.start - 2] if hyphen_before else (doc[words.start - 1] if words.start >= 1 else None)
    return any(
        t is not None and place_key(t.text) in gaz.demonyms and t.text[:1].isupper() for t in (before, after)
    )


def _a_language(words: Span) -> bool:
    """A demonym that stands for a language: a singular noun after "in", "into" or "from", or what
    is spoken, written or translated ("in Russian", "speaks French", "translated from Arabic")."""
    root = words.root
    if root.ent_type_ == "LANGUAGE" or root.tag_ in ("NNS", "NNPS") or root.dep_ in ("amod", "compound"):
        return root.ent_type_ == "LANGUAGE"
    return (root.dep_ == "pobj" and root.head.lower_ in ("in", "into", "from")) or (
        root.dep_ == "dobj"
        and root.head.lemma_ in ("speak", "write", "translate", "learn", "teach", "understand")
    )


def _small_town(entry: Entry) -> bool:
    return entry.kind == "city" and entry.population < _NOTABLE_TOWN


def _stray_village(entry: Entry, countries: _KeysOf, key: str) -> bool:
    """A village abroad is no reading of a name: a town under ``_NOTABLE_TOWN`` people in a country
    none of the article's other places is in, where they are in others ("Croft, Yorkshire" among
    English counties is not Yorkshire, Virginia, the only Yorkshire the gazetteer has). The peoples
    it names do not count: "American tourists were kidnapped in" a village abroad."""
    return (
        entry.kind == "city"
        and entry.population < _NOTABLE_TOWN
        and any(countries.named_by_other(country, key) for country in countries.keys)
        and not countries.named_by_other(entry.country, key)
    )


def _mentions(doc: Doc, text: str, ents: list[Span], gaz: Gazetteer, outlet: OutletHome) -> list[_Mention]:
    """Place-like entities, split where the model merged "Doha, Qatar", each with its candidates."""
    around = _Surroundings(doc, text, ents)
    found = around.found
    people = _people(text, ents, gaz)
    for ent in sorted([*ents, *_unlabelled_names(doc)], key=lambda span: span.start):
        if ent.label_ == "MONEY":
            found += _named_in_currency(around, ent, gaz)
            continue
        designated = _designated_end(doc, ent, gaz)
        if ent.label_ not in _PLACE_LABELS and ent.label_ not in _OTHER_LABELS and designated is None:
            continue
        stands = _Stands.NOWHERE if ent.label_ in _PLACE_LABELS else around.stands(ent)
        ent_key = place_key(text[ent.start_char : ent.end_char])  # ``Span.text`` makes every Token
        if ent_key in people and designated is None and stands in (_Stands.NOWHERE, _Stands.ORIGIN):
            continue
        if stands is _Stands.NOWHERE and ent_key in around.placed:
            stands = _Stands.NAMED_ELSEWHERE  # one sense per article: "Nelson" after "in Nelson"
        name_start, name_end = _longest_name(around, ent, gaz)
        if designated is not None and name_end == ent.end_char:
            name_end = designated
        if found and name_start < found[-1].end:
            continue  # taken into the name before it ("Trinidad and Tobago")
        before = len(found)
        for start, end in _parts(text, name_start, name_end, gaz):
            key = place_key(text[start:end])
            if key in _NOT_PLACES or not text[start].isupper():
                continue  # a place's name is capitalized: "don’t" holds no "NT"
            if key in gaz.demonyms and ent.label_ not in _PLACE_LABELS:
                continue  # "Afghan" is the country's people (``_demonyms``), not a town called Afghan
            candidates, tagged = _candidates(ent, key, gaz, designated is not None, stands)
            candidates = _as_written(text[start:end], key, candidates, _abbreviated(text, start, end))
            if candidates:
                found.append(_Mention(start, end, key, candidates[:_MAX_CANDIDATES], tagged))
                found[-1].small_town_if_near = ent.label_ == "ORG" and stands in _STANDS_AS_ORGANIZATION
        if stands is _Stands.HELD and len(found) == before + 1:
            found[-1].container_at = around.container_at(ent)
        if ent.label_ == "ORG" and len(found) == before:
            found += _named_in_organization(around, ent, gaz)
    _keep_held(found)
    countries = (
        {c.country for m in found if m.tagged_place and not m.in_organization for c in m.candidates[:3]}
        | _outlet_countries(outlet, found)
        | _peoples_countries(text, ents, gaz)
    )
    for m in found:
        if not m.tagged_place:
            m.candidates = [c for c in m.candidates if c.country in countries or c.country is None]
    return [m for m in found if m.candidates]


def _peoples_countries(text: str, ents: list[Span], gaz: Gazetteer) -> set[str | None]:
    """The countries of the peoples the article names ("the central Philippine island of Bohol")."""
    return {
        demonym.country
        for e in ents
        if e.label_ == "NORP" and (demonym := gaz.demonyms.get(place_key(text[e.start_char : e.end_char])))
    }


def _keep_held(found: list[_Mention]) -> None:
    """A name read as a place because a place that holds it follows ("Pandi, Bulacan", "Warwick in
    Queensland") keeps only the readings that place holds, and none where no such place follows."""
    starts = {m.start: m for m in found}
    for m in found:
        if m.container_at is None:
            continue
        big = starts.get(m.container_at)
        held = [c for c in m.candidates if big is not None and any(_contains(b, c) for b in big.candidates)]
        m.candidates = held or [c for c in m.candidates if _named_anywhere(c, m.key)]


def _unlabelled_names(doc: Doc) -> list[Span]:
    """Runs of proper nouns the recognizer tagged as nothing ("Nigeria reported ...", "(DRC)"), and of
    capitalized words the tagger did not call proper nouns before a noun that makes them a place's
    ("Heze city", "Esperance residents"): read
    as the names tagged as organizations are, a place only where it stands as places do, or when it
    is exactly a country's or a region's name (``_candidates``)."""
    if not len(doc):
        return []
    iob, pos, title, lower = doc.to_array(["ENT_IOB", "POS", "IS_TITLE", "LOWER"]).T
    before_place_noun = (  # a noun or a verb by the tagger ("Many residents" is no name), not "City police"
        np.append(np.isin(lower[1:], _PLACE_NOUN_IDS), False)
        & np.isin(pos, (NOUN, VERB))
        & ~np.isin(lower, _PLACE_NOUN_IDS)
    )
    runs: list[Span] = []
    start = end = -1
    for i in np.flatnonzero(
        (iob == _OUTSIDE) & ((pos == PROPN) | (title.astype(bool) & before_place_noun))
    ).tolist():
        if not doc[i].text[:1].isupper():
            continue
        if i != end:
            if start >= 0:
                runs.append(Span(doc, start, end, label=""))
            start = i
        end = i + 1
    if start >= 0:
        runs.append(Span(doc, start, end, label=""))
    return runs


def _named_in_organization(around: _Surroundings, ent: Span, gaz: Gazetteer) -> list[_Mention]:
    """The places an organization is named for, at either edge of its name ("the U.S. Food and Drug
    Administration", "California Department of Public Health", "Central Bank of Malta", "Air
    Zimbabwe"), its end read before the company's legal form ("SME Mauritius Limited"). Such a name
    is no context for the article's other places ("Voice of America" is not about America), and
    where the article also names the place outside an organization, that sense is its."""
    first = ent.start + (around.lowers[ent.start] == _THE)
    last = ent.end
    while last - first > 1 and around.lowers[last - 1] in _LEGAL_FORM_IDS:
        last -= 1
    found: list[_Mention] = []
    for edge in ("start", "end"):
        for n in range(min(_LONGEST_COUNTRY_NAME, last - first - (last == ent.end)), 0, -1):
            start, end = (first, first + n) if edge == "start" else (last - n, last)
            if found and around.starts[start] < found[0].end:
                continue  # the name at its start takes these words
            name = around.words(start, end)
            key = place_key(name)
            state = end < ent.end and around.lowers[end] == _STATE
            candidates = _organization_place(gaz, key, state=state)
            if name[0].isupper() and candidates:
                found.append(
                    _Mention(
                        around.starts[start],
                        around.ends[end - 1],
                        key,
                        candidates[:_MAX_CANDIDATES],
                        tagged_place=candidates[0].kind == "country",
                        in_organization=True,
                    )
                )
                break
    return found


def _named_in_currency(around: _Surroundings, ent: Span, gaz: Gazetteer) -> list[_Mention]:
    """The country an amount's currency is named for ("11 billion US dollars", "500 Hong Kong
    dollars"): a place the article names, but, as in an organization's name, no context for the
    others (an amount in US dollars is no sign the story is in the United States)."""
    for at in range(ent.start + 1, ent.end):
        if around.lowers[at] not in _CURRENCY_IDS:
            continue
        for start in range(max(ent.start, at - 2), at):
            name = around.words(start, at)
            key = place_key(name)
            countries = [e for e in gaz.names.get(key, []) if e.kind == "country"]
            if name[0].isupper() and countries:
                end = around.ends[at - 1]
                return [_Mention(around.starts[start], end, key, countries, True, in_organization=True)]
    return []


def _organization_place(gaz: Gazetteer, key: str, *, state: bool) -> list[Entry]:
    """What a name in an organization's name can be: a country, a state or province by its own name
    or its code ("FrontCounter BC"), a county by its whole name ("Lamar County Commissioners"), a
    capital or a city of a million people ("Toronto Police") anywhere, and a town of some size
    ("Slidell Police") only in the story's home state (``_organizations_near_home``): elsewhere a
    smaller town is more often a family's or a patron's name ("Lincoln Center", "Nelson Mandela
    Foundation"). A name that is a city's and a state's is the city's unless "State" follows it:
    "The New York Times", but "Washington State University"."""
    found = [
        e
        for e in gaz.names.get(key, [])
        if _named_for_anywhere(e, key)
        or (_local(e) and not _by_other_name(e, key) and (len(key) > 2 or _is_state(e)))
    ]
    if state:
        return [e for e in found if e.kind != "city"]
    if any(e.kind == "city" for e in found):
        return [e for e in found if e.kind != "region"]
    return found


def _named_for_anywhere(entry: Entry, key: str) -> bool:
    """A place an organization's name names wherever the story is set: a country, a state or
    province by its own name, a capital, a city of a million."""
    return (
        entry.kind == "country"
        or (_is_state(entry) and len(key) > 2 and not _by_other_name(entry, key))
        or (
            entry.kind == "city"
            and (entry.capital or entry.population >= _NAMESAKE_CITY)
            and not _by_other_name(entry, key)
        )
    )


def _organizations_near_home(mentions: list[_Mention], home: tuple[str, str] | None) -> list[_Mention]:
    """The places in organizations' names that the story's geography allows: a town, county or
    state code only in the home state (``_organization_place``), or where the article also names
    that place outside an organization."""
    outside = {m.key for m in mentions if not m.in_organization}
    kept = []
    for m in mentions:
        if m.in_organization and m.key not in outside:
            keep = {
                i
                for i in m.eligible()
                if _named_for_anywhere(c := m.candidates[i], m.key)
                or (home is not None and (c.country, c.admin1) == home)
            }
            if not keep:
                continue
            m.narrow(keep)
        kept.append(m)
    return kept


def _as_written(name: str, key: str, candidates: list[Entry], abbreviated: bool) -> list[Entry]:
    """The readings a short name's case allows: written in capitals it is an acronym or a code, not
    a town of that name ("UN" is not Un, India; "NATO" not Nato in the Philippines); in lower case
    without a full stop it is no code ("I’d" is not Idaho)."""
    if len(key) > 4:
        return candidates
    if name.isupper():
        return [c for c in candidates if place_key(c.name) != key or c.kind != "city"]
    if len(key) <= 3 and not abbreviated:
        return [c for c in candidates if place_key(c.name) == key]
    return candidates


def _abbreviated(text: str, start: int, end: int) -> bool:
    """Whether a short name is written as an abbreviation with a full stop ("Va.", "W.Va.")."""
    return text[start:end].endswith(".") or text.startswith(".", end)


def _people(text: str, ents: list[Span], gaz: Gazetteer) -> set[str]:
    """The name keys of the people the article names in full, and their surnames: a surname alone
    later on is the person, whatever the recognizer tags it ("Machado was" after "Alicia Machado").
    A "person" whose whole name is a place's is not counted (the model tags "Tamil Nadu" PERSON),
    nor a last word that names a country or a state ("Henry Lazenby US-based")."""
    people = set()
    for ent in ents:
        if ent.label_ != "PERSON" or len(ent) < 2:
            continue
        if (key := place_key(text[ent.start_char : ent.end_char])) in gaz.names:
            continue
        people.add(key)
        surname = place_key(ent[-1].text)
        if not any(e.kind in _BROAD and not e.district for e in gaz.names.get(surname, [])):
            people.add(surname)
    return people


def _designated_end(doc: Doc, ent: Span, gaz: Gazetteer) -> int | None:
    """Where "Herat province" or "Musa Qala district" ends, when the recognizer did not call the
    name a place ("Herat" NORP, "Musa Qala" PERSON) but the word after it says what it is."""
    if ent.label_ in _PLACE_LABELS or ent.label_ == "DATE" or ent.end >= len(doc):
        return None
    word = doc[ent.end]
    if word.lower_ not in _PLACE_WORDS or not gaz.lookup(f"{ent.text} {word.text}"):
        return None
    return word.idx + len(word)


def _candidates(
    ent: Span, key: str, gaz: Gazetteer, designated: bool, stands: _Stands
) -> tuple[list[Entry], bool]:
    """A name's readings, and whether it counts as a place the article names.

    - Tagged as a place: any reading, fuzzy included; a building only by its own name.
    - Opening a wire dateline: its exact readings, and it counts as named ("WINNIPEG —" tagged as
      an organization is the town the story was filed from).
    - Standing where places do (``_Surroundings.stands``), or after "from": its exact readings; a
      country then counts as named ("from Mali and Burkina Faso"). A name tagged as an organization
      is a small town there only where the article names a place near it ("labs in Pirbright" near
      Guildford; "Republicans in Congress" is not Congress, Arizona): ``small_town_if_near``.
    - Else: only the countries, the continents, the unions and regions made of countries ("the
      EU" tagged as an organization, "Southeast Asia"), and the regions called by their own name,
      never by a two-letter code ("Ghor" tagged as an organization; not Franklin County for
      "Franklin", nor Virginia for "the VA").
    - A name ending in "Airport" or "Air Base", whatever its tag, is an airport of that name or what
      the name before it means ("Bali airport" in Indonesia, not the airport of Bali, Cameroon).
    - A bare direction ("the South", "Western", "the West Coast") is only a region, and counts only
      in a country the article's other places point to: Cameroon has a region called South, and the
      American South is not it, nor is Western Australia or New Zealand's West Coast the American one.
    """
    if key in _DIRECTIONS:  # a state or province, never a county: "the Gulf" is not Gulf County, Florida
        return [e for e in gaz.lookup(key) if e.kind == "region" and not e.district], False
    if (served := _served(key)) != key:
        airports = [e for e in gaz.names.get(key, []) if e.kind == "landmark"]
        return airports + [e for e in gaz.lookup(served, fuzzy=False) if e not in airports], True
    if ent.label_ == "FAC":  # the Capitol is not a "Capital" region, the White House not Casablanca
        return [e for e in gaz.lookup(key, fuzzy=False) if not _by_other_name(e, key)], True
    if ent.label_ in _PLACE_LABELS or designated:
        return gaz.lookup(key), True
    if stands is _Stands.DATELINE:
        return list(gaz.names.get(key, [])), True
    if stands is not _Stands.NOWHERE and ent.label_ != "DATE":  # "in August" is a month
        candidates = list(gaz.names.get(key, []))
        return candidates, bool(candidates) and candidates[0].kind == "country"
    return [e for e in gaz.names.get(key, []) if _named_anywhere(e, key)], False


def _named_anywhere(entry: Entry, key: str) -> bool:
    """A reading a name has whatever the words around it: a country, a continent, a union or region
    of countries, a region called by its own name and not by a code ("Ghor", not "VA")."""
    return entry.kind in ("country", "continent", "other") or (
        entry.kind == "region" and len(key) > 2 and not _by_other_name(entry, key)
    )


class _Stands(enum.Enum):
    """Where a name the recognizer did not call a place stands, and so how surely it is one."""

    NOWHERE = 0
    WHERE_PLACES_GO = 1  # after "in", in a list of places
    DATELINE = 5  # opening a wire dateline: the town the story was filed from, "BEIRUT (AP) —"
    ORIGIN = 6  # after "from", where a person comes from, unless it is a person's name ("a statement from Chambers")
    HELD = 2  # before a place that holds it: "Pandi, Bulacan", "Warwick in Queensland"
    CALLED = 3  # after a noun that says it is a place: "the village of Ciocile"
    NAMED_ELSEWHERE = 4  # the recognizer calls the same name a place elsewhere in the article


# Where an organization's name may be a town's only if a place named near it says so
_STANDS_AS_ORGANIZATION = {_Stands.WHERE_PLACES_GO, _Stands.ORIGIN}


@dataclass(slots=True)
class _Surroundings:
    """What decides whether a name the recognizer did not call a place stands where places do: the
    words around it, the places found before it, and the names it calls places in the article."""

    doc: Doc
    text: str
    ents: list[Span]  # the recognizer's entities, made once (``Doc.ents`` makes them on each use)
    found: list[_Mention] = field(default_factory=list)
    placed: set[str] = field(init=False)
    # each word's first and last character, whether it is title case, its lower case (spaCy's ids)
    # and whether a space follows it: read from arrays, not by making a Token per word per question
    starts: list[int] = field(init=False)
    ends: list[int] = field(init=False)
    titles: list[bool] = field(init=False)
    lowers: list[int] = field(init=False)
    spaced: list[bool] = field(init=False)

    def __post_init__(self) -> None:
        """The word arrays, and the names the recognizer calls places at least as often as people,
        counting a person's first name as a person ("Samos", not "Tyler" where "Tyler Perry" is named)."""
        words = self.doc.to_array(["IDX", "LENGTH", "IS_TITLE", "LOWER", "SPACY"]).reshape(-1, 5)
        self.starts = words[:, 0].tolist()
        self.ends = (words[:, 0] + words[:, 1]).tolist()
        self.titles = words[:, 2].astype(bool).tolist()
        self.lowers = words[:, 3].tolist()
        self.spaced = words[:, 4].astype(bool).tolist()
        votes: Counter[str] = Counter()
        for e in self.ents:
            if e.label_ in ("GPE", "LOC", "PERSON"):
                key = place_key(self.text[e.start_char : e.end_char])
                votes[key] += 1 if e.label_ != "PERSON" else -1
                if e.label_ == "PERSON" and len(e) > 1:
                    votes[place_key(e[0].text)] -= 1
        self.placed = {key for key, vote in votes.items() if vote >= 0}

    def words(self, start: int, end: int) -> str:
        """The text of the words ``start`` to ``end`` (token numbers), as ``doc[start:end].text``."""
        return self.text[self.starts[start] : self.ends[end - 1]]

    def stands(self, ent: Span) -> _Stands:
        """Joined by "and" or "or" to a place ("Lagos and Abuja"), or ending a list of them
        ("Zambia, Malawi, and Mozambique"), after "in" or "near" ("survivors in Antakya"), opening a
        wire dateline; after "from" ("militias from Misrata"); before a place that can hold it; after
        a noun that calls it a place ("the town of", "the mayor of"), or before one that makes it a
        place's ("the Glasgow area", "a Durban court")."""
        if _opens_dateline(self.text, ent.start_char, ent.end_char):
            return _Stands.DATELINE  # "RALEIGH, N.C. (AP) —"
        before = max(0, ent.start_char - 40)
        called = _KIND_NOUN.search(self.text, before, ent.start_char) or _PLACE_NOUN_OF.search(
            self.text, before, ent.start_char
        )
        if called or _PLACE_NOUN_AFTER.match(self.text, ent.end_char):
            return _Stands.CALLED
        root = ent.root
        after = root.head.lower_ if root.dep_ == "pobj" and not any(t.tag_ == "POS" for t in ent) else None
        if after in _PLACE_PREPOSITIONS or self._listed(ent):
            return _Stands.WHERE_PLACES_GO
        if after == "from":
            return _Stands.ORIGIN
        return _Stands.HELD if self.container_at(ent) is not None else _Stands.NOWHERE

    def container_at(self, ent: Span) -> int | None:
        """Where the place-tagged name right after ", " or " in " starts, if one does."""
        between = _BEFORE_CONTAINER.match(self.text, ent.end_char)
        if between is None:
            return None
        after = self.doc.char_span(between.end(), between.end() + 1, alignment_mode="expand")
        if after is None or after[0].ent_iob_ != "B" or after[0].ent_type_ not in _PLACE_LABELS:
            return None
        return after[0].idx

    def _listed(self, ent: Span) -> bool:
        """Joined to a place in the parse, or on the surface: by "and" or "or", or by a comma to the
        place found just before it where the list goes on after it."""
        doc = self.doc
        root = ent.root
        joined = [root.head] if root.dep_ == "conj" else []
        joined += [t for t in root.children if t.dep_ == "conj"]
        if ent.start >= 2 and doc[ent.start - 1].lower_ in ("and", "or"):
            joined.append(doc[ent.start - 2])
        if ent.end + 1 < len(doc) and doc[ent.end].lower_ in ("and", "or"):
            joined.append(doc[ent.end + 1])
        if any(t.ent_type_ in _PLACE_LABELS for t in joined):
            return True
        if not self.found or self.found[-1].in_organization:
            return False
        between = self.text[self.found[-1].end : ent.start_char].strip()
        goes_on = ent.end < len(doc) and doc[ent.end].lower_ in (",", "and", "or")
        return between in (", and", ", or", "and", "or") or (between == "," and goes_on)


def _longest_name(around: _Surroundings, ent: Span, gaz: Gazetteer) -> tuple[int, int]:
    """Where the place's name starts and ends: the entity's edges, or further where the recognizer
    cut a gazetteer name short ("U.S." of "U.S. Virgin Islands", "Trinidad" of "Trinidad and
    Tobago", "Beida" of "Goz Beida"); the longest such name wins."""
    titles, lowers = around.titles, around.lowers
    heads = 0  # capitalized words just before the entity
    while heads < _LONGEST_HEAD and ent.start - heads > 0 and titles[ent.start - heads - 1]:
        heads += 1
    tails = 0  # capitalized words, words that link names, or words joined to it, just after it
    while (
        tails < _LONGEST_TAIL
        and ent.end + tails < len(titles)
        and (
            titles[ent.end + tails]
            or lowers[ent.end + tails] in _LINK_IDS
            or not around.spaced[ent.end + tails - 1]  # "Mazar" of "Mazar-i-Sharif"
        )
    ):
        tails += 1
    spans = [
        (b, a)
        for b in range(heads + 1)
        for a in range(tails + 1)
        if (b or a) and (not a or titles[ent.end + a - 1] or lowers[ent.end + a - 1] in _END_IDS)
    ]
    for before, after in sorted(spans, key=lambda ba: -(ba[0] + ba[1])):
        start, end = ent.start - before, ent.end + after
        if place_key(around.words(start, end)) in gaz.names:
            return around.starts[start], around.ends[end - 1]
    return ent.start_char, ent.end_char


def _parts(text: str, start: int, end: int, gaz: Gazetteer) -> list[tuple[int, int]]:
    """The entity's span without a leading "the" or a glued period, or its parts that are places."""
    if text[start:end].lower().startswith("the "):
        start += 4
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    if text[start:end].endswith(".") and "." not in text[start : end - 1]:
        end -= 1  # "Nuristan." at a sentence end, but "U.S." stays
    if place_key(text[start:end]) not in gaz.names and (unit := _UNIT_OF.match(text, start, end)):
        start = unit.end()  # "the City of Santa Ana", but "the Republic of Ireland" is a name
    whole = text[start:end]
    if place_key(whole) in gaz.names or not _SPLIT.search(whole):
        return [(start, end)]
    parts, pos = [], start
    for piece in [*_SPLIT.split(whole)]:
        s = text.index(piece, pos)
        pos = s + len(piece)
        if place_key(piece) in gaz.names:
            parts.append((s, pos))
    return parts


def _bonus_for_adjacent(text: str, mentions: list[_Mention]) -> None:
    """ "Doha, Qatar" and "Paris, Texas": a place followed by the region or country that contains it;
    "the Hunan city of Yueyang", "the Kent town of Dover": a region and the town in it."""
    for x, y in itertools.pairwise(mentions):
        between = text[x.end : y.start]
        if between.strip() == ",":
            small_one, big_one = x, y
        elif _UNIT_OF_PLACE.fullmatch(between):
            small_one, big_one = y, x
        else:
            continue
        for i, small in enumerate(small_one.candidates):
            for j, big in enumerate(big_one.candidates):
                if small is not big and _contains(big, small):
                    small_one.bonus[i] = big_one.bonus[j] = 4.0


def _restrict_lists(text: str, runs: list[list[_Mention]]) -> None:
    """An enumeration of three places or more ("Wisconsin, Michigan, Oregon and Ohio"), or of two
    joined by "and" or "or" ("in Wales and in England"), lists places of one kind in one country,
    and the list decides an item's sense before the rest of the article does (otherwise the other
    states listed are context for a town of the same name in one of them). Where every item can be
    read as one sense (``_sense``), each takes the one most items have on their own, if most do
    ("Paris, London and Berlin" are not the three towns of the United States with those names, nor
    is Toronto in "New York and Toronto" the one in Ohio; Oregon is the state among states, not
    Oregon, Ohio)."""
    for run in runs:
        if len(run) < 2 or (len(run) == 2 and text[run[0].end : run[1].start].strip() == ","):
            continue  # "Paris, Texas" is a town and its state, not a list
        senses = [{_sense(m.candidates[i]) for i in m.eligible()} for m in run]
        votes = Counter(_sense(m.top()) for m in run)
        ranked = sorted(set.intersection(*senses), key=lambda sense: (-votes[sense], str(sense)))
        if not ranked or 2 * votes[ranked[0]] <= len(run):
            continue  # no sense that every item can have and most have on their own
        for m in run:
            m.narrow({i for i in m.eligible() if _sense(m.candidates[i]) == ranked[0]})


def _runs(text: str, mentions: list[_Mention]) -> list[list[_Mention]]:
    """The mentions in runs of one or more joined by commas, "and" or "or"."""
    runs: list[list[_Mention]] = [[mentions[0]]]
    for x, y in itertools.pairwise(mentions):
        if text[x.end : y.start].strip() in _LIST_SEPARATORS:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _restrict_named_kinds(text: str, runs: list[list[_Mention]]) -> None:
    """A noun before the names says what they are: "states such as California or Washington", "the
    state of Washington", "countries like Georgia", "the city of Mosul"; so does a lower-case noun
    right after a name: "a Washington state farm", "New York state", "Kunduz city" (but "a U.S.
    city" is one in the country). Each name keeps the senses of that kind, where it has any."""
    for run in runs:
        before = _KIND_NOUN.search(text, max(0, run[0].start - 40), run[0].start)
        for m in run:
            after = _KIND_WORD_AFTER.match(text, m.end)
            if after and after["noun"] in TOWN_WORDS and any(c.kind == "country" for c in m.candidates):
                after = None  # "a U.S. city" is a city in the country
            if after and _UNIT_OF_PLACE.match(text, m.end):
                after = None  # "the Hunan city of Yueyang": the city is Yueyang, in Hunan
            said = after or before
            if said is None:
                continue
            wanted = _KIND_NOUNS[said["noun"].lower()]
            m.narrow({i for i in m.eligible() if _kind_of(m.candidates[i]) == wanted}, said=True)


def _restrict_datelines(text: str, mentions: list[_Mention]) -> None:
    """The place of a wire dateline ("WASHINGTON (AP) —", "RALEIGH, N.C. (AP) -") is the town the
    story was filed from, not a state or county of that name."""
    for m in mentions:
        if not _opens_dateline(text, m.start, m.end):
            continue
        m.narrow({i for i in m.eligible() if m.candidates[i].kind == "city"}, said=True)


def _opens_dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at ``start:end`` is the place of a wire dateline."""
    dateline = dateline_at(text, start)
    return dateline is not None and dateline.end("place") == end


def _kind_of(entry: Entry) -> str:
    """The kind a noun can name: a state or province apart from a county or district."""
    return "district" if entry.district else entry.kind


def _sense(entry: Entry) -> tuple[str, str | None, bool]:
    """What the items of one enumeration share: a kind, a country (but countries listed are
    countries, each its own: "Egypt and Niger" is not Niger State of Nigeria), and for regions the
    level (states with states, counties with counties)."""
    return entry.kind, None if entry.kind == "country" else entry.country, entry.district


def _is_state(entry: Entry) -> bool:
    """A first-level region: a state, a province."""
    return entry.kind == "region" and not entry.district


def _contains(big: Entry, small: Entry) -> bool:
    """Whether ``small`` lies in ``big``: a town or region in a country, a town or county in a state,
    a town in a county (its own county: Ipswich, Massachusetts is in Essex County, not in Suffolk County);
    a town whose county the gazetteer does not know is taken to be in any county of its state."""
    if big.kind == "country":
        return small.country == big.country and small.kind != "country"
    return (
        big.kind == "region"
        and (small.kind != "region" or (small.district and not big.district))
        and (small.country, small.admin1) == (big.country, big.admin1)
        and (not big.district or small.admin2 in (None, big.admin2))
    )


def _near(a: Entry, b: Entry, within: float = _NEAR_KM) -> bool:
    """Within ``within`` km; most pairs are ruled out by latitude alone (a degree is 111.2 km or more
    of great circle), before the trigonometry."""
    return abs(a.lat - b.lat) * _KM_PER_DEGREE < within and _km(a, b) < within


def _km(a: Entry, b: Entry) -> float:
    return great_circle_km((a.lat, a.lon), (b.lat, b.lon))


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km between two (lat, lon) points."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _place(m: _Mention, e: Entry) -> Place:
    return Place(CharSpan(m.start, m.end), e.name, e.kind, e.lat, e.lon, e.country, e.admin1, e.geonames_id)


def retag_places(entities: list[Entity], mentions: list[Mention], places: list[Place]) -> None:
    """An organization or person all of whose names the gazetteer placed is a place: the small
    model tags provinces as organizations ("Ghor") and towns as people ("survivors in Antakya"),
    and resolve_places accepts such a name only where it stands as places do and the article's
    other places agree."""
    placed = {(p.span.start, p.span.end) for p in places}
    names: dict[int, list[CharSpan]] = {}
    for m in mentions:
        if m.entity is not None and m.label not in ("PRON", "DESC"):
            names.setdefault(m.entity, []).append(m.span)
    for index, entity in enumerate(entities):
        if entity.kind not in ("org", "person"):
            continue
        if index in names and all((span.start, span.end) in placed for span in names[index]):
            entity.kind = "place"
