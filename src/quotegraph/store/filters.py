"""The quote and event filters: one object each, named like the command-line options, that every
surface builds alike.

``quotes`` and ``export`` on the command line, ``GET /api/quotes``, the search page and the exports
take the same filters under the same names (the option ``--min-confidence`` is the parameter
``min_confidence``; ``--from`` is ``from``, the field ``from_``). Every surface hands its values over
as text to ``parse_filter``, and ``QuoteFilter`` checks them, so ``--since yesterday`` and
``since=yesterday`` get the same message, and no value reaches the database that it cannot take.
``quotegraph events``, ``export --events``, ``GET /api/events`` and the events page do the same with
``EventFilter`` and ``parse_event_filter``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Literal, get_args

from quotegraph.errors import InvalidParameter
from quotegraph.model import (
    ACLED_TYPES,
    DEFAULT_ACTS,
    EVENT_TYPES,
    MODALITIES,
    Modality,
    QuoteKind,
    SpeechAct,
)

Sort = Literal["date", "oldest", "relevance"]
QUOTE_KINDS: tuple[QuoteKind, ...] = get_args(QuoteKind)
SORTS: tuple[Sort, ...] = get_args(Sort)
SPEECH_ACTS: tuple[SpeechAct, ...] = get_args(SpeechAct)
MAX_TEXT = 1000  # characters in a name or search: more is no name, and would only cost time
MAX_INTEGER = 2**63 - 1  # the largest limit or offset both databases take

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_INTEGER = re.compile(r"\d{1,19}")
_YES = {"true", "yes", "1", "on"}  # how a surface may write a flag that is set, and one that is not
_NO = {"false", "no", "0", "off"}

# What each filter does, for the command-line help and the API's schema alike.
HELP: dict[str, str] = {
    "speaker": "Speaker name or alias (a surname is enough).",
    "speaker_id": "The speaker's entity id across articles, as `entities --format json` gives it "
    "('person:ahmad massoud').",
    "search": 'Words that must all occur in the quote (full-text search): "a phrase" in quotes, OR between '
    "alternatives (Taliban OR Trump), a * for a prefix (talib*).",
    "about": "Quotes whose words (or topic: 'Regarding X, she said') mention this person, organization "
    "or place (by any of its names).",
    "place": "Quotes whose words or topic name this place (or a place in this two-letter country code).",
    "demonyms": "With place or about: also count a place named by its people ('Russian officials' for "
    "Russia, 'Iraqis' for Iraq); without it only the place's own names count.",
    "relayed_by": "Quotes that this speaker relays: words quoted inside their quotes (a speaker's name as stored).",
    "outlet": "Articles from this outlet: its site name, or the host of its URL without www. (example.org).",
    "since": "Articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).",
    "until": "Articles published on or before this date.",
    "from_": "Quotes whose words or topic mention a date on or after this.",
    "to": "Quotes whose words or topic mention a date on or before this.",
    "min_confidence": "Only quotes at least this confident (0 to 1).",
    "kind": "direct, indirect or mixed.",
    "acts": "Which acts, comma-separated: speech, writing, thought (beliefs and intentions); default "
    "speech,writing.",
    "event": "Quotes about this event (its id in `quotegraph events`): their words or topic name it, or "
    "its place, date or actors.",
    "sort": "date (newest article first, the default), oldest (oldest first) or relevance (best match "
    "to the search words first; by date without them).",
    "limit": "At most this many quotes.",
    "offset": "Skip this many quotes first (with limit: one page of a long list).",
}


@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """Which quotes to list: every filter given must hold. Checked when made (InvalidParameter)."""

    speaker: str | None = None
    speaker_id: str | None = None
    search: str | None = None
    about: str | None = None
    place: str | None = None
    demonyms: bool = False  # the place also where its people name it ("Russian officials")
    relayed_by: str | None = None  # quotes nested inside this speaker's quotes
    outlet: str | None = None  # the article's site name, or its URL's host
    since: str | None = None  # publication date of the article
    until: str | None = None
    from_: str | None = None  # a date the quote's words mention
    to: str | None = None
    min_confidence: float | None = None
    kind: QuoteKind | None = None
    acts: tuple[SpeechAct, ...] = DEFAULT_ACTS
    event: int | None = None  # an event's id: the quotes about it
    sort: Sort = "date"
    limit: int | None = None  # None: every match
    offset: int = 0

    def __post_init__(self) -> None:
        if self.event is not None and not 1 <= self.event <= MAX_INTEGER:
            raise InvalidParameter("event", f"{self.event} is not an event id (1 to {MAX_INTEGER})")
        for name in ("speaker", "speaker_id", "search", "about", "place", "relayed_by", "outlet"):
            _check_text(name, getattr(self, name))
        for name in ("since", "until", "from_", "to"):
            _check_date(name, getattr(self, name))
        _check_order("since", self.since, "until", self.until)
        _check_order("from_", self.from_, "to", self.to)
        if self.min_confidence is not None and not (
            math.isfinite(self.min_confidence) and 0 <= self.min_confidence <= 1
        ):
            raise InvalidParameter("min_confidence", f"{self.min_confidence} is not between 0 and 1")
        if self.kind is not None and self.kind not in QUOTE_KINDS:
            raise InvalidParameter("kind", f"{self.kind!r} is not one of {', '.join(QUOTE_KINDS)}")
        if self.sort not in SORTS:
            raise InvalidParameter("sort", f"{self.sort!r} is not one of {', '.join(SORTS)}")
        unknown = ", ".join(repr(act) for act in self.acts if act not in SPEECH_ACTS)
        if unknown or not self.acts:
            raise InvalidParameter(
                "acts", f"{unknown or 'nothing'} given: give one or more of {', '.join(SPEECH_ACTS)}"
            )
        _check_page(self.limit, self.offset)

    def page(self, limit: int | None, offset: int = 0) -> QuoteFilter:
        """The same filters, one page of the matches."""
        return replace(self, limit=limit, offset=offset)


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(QuoteFilter))


def parse_filter(values: Mapping[str, str | None], *, max_limit: int | None = None) -> QuoteFilter:
    """A filter from text values by field name, as every surface receives them; blank means not given.

    ``max_limit`` caps ``limit`` where a surface answers one page at a time (the API).
    """
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"not quote filters: {sorted(unknown)}")
    given = {name: value.strip() for name, value in values.items() if value is not None and value.strip()}
    typed: dict[str, object] = {
        name: value
        for name, value in given.items()
        if name not in ("min_confidence", "demonyms", "acts", "event", "limit", "offset")
    }
    if "demonyms" in given:
        if given["demonyms"].lower() not in _YES | _NO:
            raise InvalidParameter("demonyms", f"{given['demonyms']!r} is not true or false")
        typed["demonyms"] = given["demonyms"].lower() in _YES
    if "min_confidence" in given:
        try:
            typed["min_confidence"] = float(given["min_confidence"])
        except ValueError:
            raise InvalidParameter(
                "min_confidence", f"{given['min_confidence']!r} is not a number between 0 and 1"
            ) from None
    if "acts" in given:
        acts = [act.strip() for act in given["acts"].split(",") if act.strip()]
        typed["acts"] = tuple(act for act in SPEECH_ACTS if act in acts) + tuple(
            act for act in acts if act not in SPEECH_ACTS
        )
    _whole_numbers(given, typed, ("event", "limit", "offset"), max_limit, "quotes")
    return QuoteFilter(**typed)  # type: ignore[arg-type]


def _whole_numbers(
    given: dict[str, str], typed: dict[str, object], names: tuple[str, ...], max_limit: int | None, what: str
) -> None:
    """The whole-number values among ``names`` into ``typed``; ``limit`` no more than ``max_limit``."""
    for name in names:
        if name in given:
            if not _INTEGER.fullmatch(given[name]):
                raise InvalidParameter(name, f"{given[name]!r} is not a whole number from 0 to {MAX_INTEGER}")
            typed[name] = int(given[name])
    limit = typed.get("limit")
    if max_limit is not None and isinstance(limit, int) and limit > max_limit:
        raise InvalidParameter("limit", f"{limit} is more than the {max_limit} {what} one page holds")


def _check_page(limit: int | None, offset: int) -> None:
    if limit is not None and not 1 <= limit <= MAX_INTEGER:
        raise InvalidParameter("limit", f"{limit} is not between 1 and {MAX_INTEGER}")
    if not 0 <= offset <= MAX_INTEGER:
        raise InvalidParameter("offset", f"{offset} is not between 0 and {MAX_INTEGER}")


def _check_text(name: str, value: str | None) -> None:
    if value is None:
        return
    if "\x00" in value:
        raise InvalidParameter(name, "contains a NUL character")
    if len(value) > MAX_TEXT:
        raise InvalidParameter(name, f"is {len(value)} characters long, more than {MAX_TEXT}")


def _check_date(name: str, value: str | None) -> None:
    """A date as stored: YYYY, YYYY-MM or YYYY-MM-DD, and one the calendar has."""
    if value is None:
        return
    match = _DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        year, month, day = (int(part) if part else 1 for part in match.groups())
        date(year, month, day)
    except ValueError:
        raise InvalidParameter(
            name, f"{value!r} is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (2023, 2023-05, 2023-05-01)"
        ) from None


def _check_order(low_name: str, low: str | None, high_name: str, high: str | None) -> None:
    """The range's start is not after its end, compared at the coarser precision as the filter does."""
    if low is not None and high is not None:
        size = min(len(low), len(high))
        if low[:size] > high[:size]:
            raise InvalidParameter(
                low_name, f"{low} is after {high_name.rstrip('_')} {high}: no date is in that range"
            )


NO_FILTER = QuoteFilter()  # every quote, every field at its default


# --- events ------------------------------------------------------------------------------------

# What ``--type`` takes: a PLOVER category, an ACLED event type or an ACLED sub-event type.
EVENT_TYPE_NAMES: tuple[str, ...] = (
    *EVENT_TYPES,
    *ACLED_TYPES,
    *dict.fromkeys(sub for subs in ACLED_TYPES.values() for sub in subs),
)
_TYPE_SPELLING = {name.casefold(): name for name in EVENT_TYPE_NAMES}

EVENT_HELP: dict[str, str] = {
    "type": "A PLOVER category (ASSAULT, PROTEST, CONSULT, ...), an ACLED event type (Battles, Protests, ...) "
    "or sub-event type (Armed clash, Peaceful protest, ...); any case.",
    "actor": "Events whose actor 1 or actor 2 is this person, organization or group (any of its names).",
    "place": "Events at this place (its name, the words used, or a two-letter country code).",
    "from_": "Events dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD; a month or year counts when it "
    "overlaps).",
    "to": "Events dated on or before this.",
    "modality": "happened, planned, denied or hypothetical.",
    "limit": "At most this many events.",
    "offset": "Skip this many events first (with limit: one page of a long list).",
}


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to list: every filter given must hold for one of an event's reports. Checked when
    made (InvalidParameter); ``type`` is kept in its canonical spelling ("armed clash" -> "Armed clash")."""

    type: str | None = None
    actor: str | None = None
    place: str | None = None
    from_: str | None = None  # the event's date
    to: str | None = None
    modality: Modality | None = None
    limit: int | None = None  # None: every match
    offset: int = 0

    def __post_init__(self) -> None:
        if self.type is not None:
            spelled = _TYPE_SPELLING.get(" ".join(self.type.split()).casefold())
            if spelled is None:
                raise InvalidParameter(
                    "type",
                    f"{self.type!r} is no PLOVER category ({', '.join(EVENT_TYPES)}) nor ACLED event type "
                    f"({', '.join(ACLED_TYPES)}) or sub-event type",
                )
            object.__setattr__(self, "type", spelled)
        for name in ("actor", "place"):
            _check_text(name, getattr(self, name))
        for name in ("from_", "to"):
            _check_date(name, getattr(self, name))
        _check_order("from_", self.from_, "to", self.to)
        if self.modality is not None and self.modality not in MODALITIES:
            raise InvalidParameter("modality", f"{self.modality!r} is not one of {', '.join(MODALITIES)}")
        _check_page(self.limit, self.offset)

    def page(self, limit: int | None, offset: int = 0) -> EventFilter:
        """The same filters, one page of the matches."""
        return replace(self, limit=limit, offset=offset)


EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(EventFilter))


def parse_event_filter(values: Mapping[str, str | None], *, max_limit: int | None = None) -> EventFilter:
    """An event filter from text values by field name, as every surface receives them (see ``parse_filter``)."""
    unknown = set(values) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event filters: {sorted(unknown)}")
    given = {name: value.strip() for name, value in values.items() if value is not None and value.strip()}
    typed: dict[str, object] = {
        name: value for name, value in given.items() if name not in ("limit", "offset")
    }
    _whole_numbers(given, typed, ("limit", "offset"), max_limit, "events")
    return EventFilter(**typed)  # type: ignore[arg-type]


NO_EVENT_FILTER = EventFilter()
