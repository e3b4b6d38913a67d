"""Events beyond the sentence: which quotes are about an event, and which reports are of one event.

Both rules read records only (spans, places, dates, entities), never the text again, and both say
why in words a user can check, stored with the link as entity links are.

**Statements about an event** (``statements``), within one article: a quote is about an event when
its words, or what its reporting clause says they are about ("Regarding the Doha meeting, ..."),

- hold one of the event's own words: its trigger or another mention of it ("this meeting", "the
  Doha meeting" after "a meeting in Doha"): the words name the event; or
- name two of its anchors, one of them its place or its own date: its place and its date, its place
  and one of its actors, or its date and one of its actors ("the Taliban [...] in Salang"). An actor
  alone is no anchor enough: a party to a war speaks of its enemy every day.

**One event, several reports** (``same_event``), across articles: two reports are of one event when

- they are of the same PLOVER category, and neither is denied nor hypothetical (a planned event and
  one that happened may be one: the meeting announced, then held);
- their dates agree: the days each covers overlap, each known to within a month; a report that gives
  no date of its own is dated by the week before its publication;
- nothing sets them apart: where both give places, one of each is the same place, or one lies in the
  region or country the other names; where both name people or organizations linked across
  articles, they share one;
- and something ties them: the same town or site (by name, or within ``NEAR_KM``), or an actor
  they share. A region or a country alone ties nothing: two clashes in one province in one week may
  be two.

Of several stored events that qualify, the one with most ties (an exact same day counts as one) is
chosen, the earliest on a tie.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from quotegraph.model import Article, CharSpan, Event, Place

REPORT_WINDOW = timedelta(days=7)  # an event dated by its report happened in the week before it
MAX_PERIOD = timedelta(days=31)  # a date vaguer than a month ("2023") cannot tie two reports
NEAR_KM = 50.0  # two towns or sites this close are one place for an event (a town and its outskirts)
MERGEABLE = frozenset({"happened", "planned"})
FIRST_REPORT = "first report"
_FINE = frozenset({"city", "landmark", "other"})  # a town, a site, a district: where an event is
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK = re.compile(r"(\d{4})-W(\d{2})(?:-(\d))?")


# --- dates -------------------------------------------------------------------------------------


def days_of(value: str | list[str] | None) -> tuple[date, date] | None:
    """The first and last day a date value covers ("2023-05": May 1 to 31; a list: from its first day
    to its last); None for what no calendar places (a weekday without its week, a duration)."""
    if value is None:
        return None
    ranges = [r for r in map(_days, value if isinstance(value, list) else [value]) if r is not None]
    if not ranges:
        return None
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _days(value: str) -> tuple[date, date] | None:
    try:
        if week := _WEEK.fullmatch(value):
            year, number, day = week.groups()
            if day:
                one = date.fromisocalendar(int(year), int(number), int(day))
                return one, one
            monday = date.fromisocalendar(int(year), int(number), 1)
            return monday, monday + timedelta(days=6)
        found = _ISO.fullmatch(value)
        if found is None:
            return None
        year, month, day = found.groups()
        if day:
            one = date(int(year), int(month), int(day))
            return one, one
        if month:
            first = date(int(year), int(month), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - timedelta(days=1)
        return date(int(year), 1, 1), date(int(year), 12, 31)
    except ValueError:
        return None


def date_label(value: str | list[str] | None) -> str:
    """A date value as people read it in a reason: "2023-05-01", "2023-05-01 and 2023-05-02"."""
    if value is None:
        return "undated"
    return value if isinstance(value, str) else " and ".join(value)


def stored_date(value: str | list[str] | None) -> str | None:
    """A date value as the store keeps it: ISO text, or a JSON list of them ("May 1 and 2")."""
    return value if value is None or isinstance(value, str) else json.dumps(value)


# --- statements about an event ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """Quote ``quote`` (an index into Article.quotes) is about event ``event`` (into Article.events)."""

    event: int
    quote: int
    reason: str


def statements(article: Article) -> list[Statement]:
    """Every (event, quote) pair of the article where the quote is about the event, and why."""
    found: list[Statement] = []
    for e, event in enumerate(article.events):
        for q, quote in enumerate(article.quotes):
            regions = [quote.content, *([quote.topic] if quote.topic is not None else [])]
            reason = _names_event(article.text, event, regions) or _anchors(article, event, regions)
            if reason is not None:
                found.append(Statement(e, q, reason))
    return found


def _inside(span: CharSpan, regions: list[CharSpan]) -> bool:
    return any(r.start <= span.start and span.end <= r.end for r in regions)


def _names_event(text: str, event: Event, regions: list[CharSpan]) -> str | None:
    for words in (event.trigger, *event.mentions):
        if _inside(words, regions):
            return f"its words name the event: '{words.text(text)}'"
    return None


def _anchors(article: Article, event: Event, regions: list[CharSpan]) -> str | None:
    """Its place, its own date and its actors as the quote's words name them; two, with a place or date."""
    text = article.text
    named: list[str] = []
    wanted = {(p.name, p.country) for p in event.places}
    place = next(
        (p for p in article.places if not p.demonym and (p.name, p.country) in wanted and _inside(p.span, regions)),
        None,
    )  # fmt: skip
    if place is not None:
        named.append(f"its place ('{place.span.text(text)}')")
    own = days_of(event.date) if event.date_span is not None else None
    when = next(
        (d for d in article.dates if own is not None and _inside(d.span, regions) and _overlap(days_of(d.value), own)),
        None,
    )  # fmt: skip
    if when is not None:
        named.append(f"its date ('{when.span.text(text)}')")
    if not named:
        return None
    actors = {p.entity for p in (event.actor1, event.actor2) if p is not None and p.entity is not None}
    who = next((m for m in article.mentions if m.entity in actors and _inside(m.span, regions)), None)
    if who is not None:
        named.append(f"its actor ('{who.span.text(text)}')")
    if len(named) < 2:
        return None
    return "its words name " + " and ".join(named)


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


# --- one event, several reports -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceFacts:
    name: str  # the gazetteer's
    kind: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What ``same_event`` compares of one article's report of an event."""

    type: str
    modality: str
    date: str | list[str] | None
    dated_by_report: bool  # no date of its own: its article's publication date stands in
    places: tuple[PlaceFacts, ...]
    actors: dict[str, str]  # key -> name shown: a canonical entity's id, else "kind:folded name"
    linked: frozenset[str]  # the keys that are people or organizations linked across articles


def place_facts(places: Iterable[Place]) -> tuple[PlaceFacts, ...]:
    return tuple(PlaceFacts(p.name, p.kind, p.lat, p.lon, p.country, p.admin1) for p in places)


@dataclass(frozen=True, slots=True)
class Match:
    score: int  # the ties found: more is a better match
    reason: str


def same_event(new: ReportFacts, known: ReportFacts) -> Match | None:
    """Whether two reports from two articles are of one event (see the module's rule), and why."""
    if new.type != known.type or new.modality not in MERGEABLE or known.modality not in MERGEABLE:
        return None
    ours, theirs = _period(new), _period(known)
    if ours is None or theirs is None or not _overlap(ours, theirs):
        return None
    where = _same_place(new.places, known.places)
    if where is False:
        return None
    if new.linked and known.linked and not new.linked & known.linked:
        return None
    ties: list[str] = []
    if isinstance(where, str):
        ties.append(where)
    shared = [new.actors[key] for key in new.actors if key in known.actors]
    if shared:
        ties.append("shared actor: " + ", ".join(shared))
    if not ties:
        return None
    same_day = ours == theirs and ours[0] == ours[1]  # a report's own date, to the day
    return Match(
        len(ties) + int(same_day),
        f"same event: {new.type}, dates agree ({_when(new)} / {_when(known)}), " + ", ".join(ties),
    )


def _period(facts: ReportFacts) -> tuple[date, date] | None:
    """The days the event may have happened on: its date's, or the week up to its report's."""
    days = days_of(facts.date)
    if days is None or days[1] - days[0] > MAX_PERIOD:
        return None
    return (days[0] - REPORT_WINDOW, days[1]) if facts.dated_by_report else days


def _when(facts: ReportFacts) -> str:
    return f"reported {date_label(facts.date)}" if facts.dated_by_report else date_label(facts.date)


def _same_place(ours: tuple[PlaceFacts, ...], theirs: tuple[PlaceFacts, ...]) -> str | bool | None:
    """A tie ("same place: Doha"), True where they only agree (a town and the region or country it is
    in), False where they name places apart, None where one gives none."""
    if not ours or not theirs:
        return None
    agree = False
    for a in ours:
        for b in theirs:
            if a.kind in _FINE and b.kind in _FINE:
                if a.name == b.name and a.country == b.country:
                    return f"same place: {a.name}"
                km = _km(a, b)
                if km is not None and km <= NEAR_KM:
                    return f"same place: {a.name} and {b.name}, {km:.0f} km apart"
            else:
                agree = agree or _within(a, b) or _within(b, a)
    return agree


def _within(a: PlaceFacts, b: PlaceFacts) -> bool:
    """Whether ``b`` may lie in ``a``: a continent holds anything, a country what is in it, a region
    what is in it (the gazetteer's first-level division)."""
    if a.kind == "continent" or a.country is None:
        return True
    if a.kind == "country":
        return a.country == b.country
    return a.kind == "region" and a.country == b.country and a.admin1 is not None and a.admin1 == b.admin1


def _km(a: PlaceFacts, b: PlaceFacts) -> float | None:
    """Great-circle distance (haversine, Earth radius 6371 km)."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
