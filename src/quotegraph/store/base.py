"""What every store offers: the rows the read side returns and the Store protocol.

The SQLite and PostgreSQL stores implement it, so callers (CLI, web, jobs) depend on ``Store``
only, never on a database module.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from quotegraph.model import (
    Article,
    EntityKind,
    EventType,
    IngestFailure,
    Modality,
    PlaceKind,
    QuoteKind,
    SpeechAct,
)
from quotegraph.store.filters import NO_EVENT_FILTER, NO_FILTER, EventFilter, QuoteFilter


@dataclass(frozen=True, slots=True)
class ArticleCopy:
    """An article not processed because it repeats a stored one (``of``): where it ran and how alike."""

    of: str  # content hash of the stored article
    content_hash: str  # of this copy's own text
    id: str  # the caller's id for the copy (URL, JSONL id, file path)
    url: str | None
    title: str | None
    source: str | None
    published: str | None
    site_name: str | None
    exact: bool  # the same text as an article read before it
    similarity: float  # estimated Jaccard similarity of word 5-shingles to ``of`` (1.0: the same)


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One quote as users list it: the words, who said them, and where they stand in the source."""

    quote_id: int
    article_id: str  # content hash of the article text
    external_id: str  # the caller's id for the article (JSONL id, file path)
    title: str | None
    url: str | None
    published: str | None
    text: str  # article.text[start:end]
    start: int
    end: int
    kind: QuoteKind
    act: SpeechAct
    confidence: float
    speaker: str | None  # canonical name of the resolved speaker
    speaker_mention: str | None  # the words naming the speaker at this quote ("she", "the minister")
    cue: str | None  # the reporting verb or phrase ("said", "according to")
    nested_in: int | None  # quote_id of the enclosing quote
    inferred: bool
    topic: str | None  # what the reporting clause says the words are about ("the Doha meeting")
    outlet: str | None = None  # the article's site name, or its URL's host
    published_inferred: str | None = None  # read from the text when no full date was given
    source: str | None = None  # where the article was read from (a file path for files)


@dataclass(frozen=True, slots=True)
class FacetCount:
    """One value of a facet of a search (a speaker, an outlet, a year...), how many matching quotes
    have it, and the quote filters (by ``parse_filter`` name) that select it."""

    label: str
    count: int
    filters: dict[str, str]


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    """A speaker across all articles: for listing who is quoted, and how much."""

    name: str
    kind: EntityKind
    aliases: list[str]
    quote_count: int
    article_count: int


@dataclass(frozen=True, slots=True)
class RelayRow:
    """Who relayed whose words: a quote of ``source`` quoted inside a quote of ``relayer``."""

    relayer: str | None
    source: str | None
    count: int


@dataclass(frozen=True, slots=True)
class TalksAboutRow:
    """A person or organization named inside a speaker's quotes: who talks about whom, and how often."""

    speaker: str
    subject: str
    subject_kind: EntityKind
    count: int  # quotes of ``speaker`` whose words name ``subject``


@dataclass(frozen=True, slots=True)
class FlaggedDateRow:
    """A date the text contradicts (wrong weekday, past tense after publication), with its sentence."""

    article_id: str  # content hash of the article text
    external_id: str
    title: str | None
    text: str  # the date as written
    value: str | list[str]
    flag: str
    sentence: str  # the stored text around the date, between sentence boundaries


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A place across all articles, for the map and the timeline of places."""

    name: str  # as the gazetteer names it
    kind: PlaceKind
    country: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    mentions: int
    articles: int
    first: str | None  # earliest and latest publication date of the articles naming it
    last: str | None


@dataclass(frozen=True, slots=True)
class EntityRow:
    """A person or organization resolved across articles, or a place the gazetteer resolved."""

    id: str  # stable handle: "person:ahmad massoud", or "place:<GeoNames id or name>"
    name: str
    kind: EntityKind
    aliases: list[str]  # other names: spelling variants, surnames, acronyms, short forms, words used
    article_count: int
    quote_count: int  # quotes by it (people and organizations)
    lat: float | None = None  # places only
    lon: float | None = None
    country: str | None = None
    feature: str | None = None  # a place's kind: country, region, city, landmark, continent


@dataclass(frozen=True, slots=True)
class EntityLink:
    """Why an article's entity was linked to a canonical entity: the evidence, or the user's decision."""

    article_id: str
    external_id: str
    title: str | None
    published: str | None
    name: str  # the entity's name in that article
    reason: str


@dataclass(frozen=True, slots=True)
class EntityRole:
    """A description an article gives a person ("the UN spokesperson"), dated by the article."""

    role: str
    article_id: str
    external_id: str
    title: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class EntityDetail:
    entity: EntityRow
    links: list[EntityLink]
    roles: list[EntityRole]
    quotes_by: list[QuoteRow]
    quotes_about: list[QuoteRow]


@dataclass(frozen=True, slots=True)
class EventActor:
    """Who acts in an event, or is acted on, as one report names them."""

    name: str  # the entity's name across articles where it is linked, else the article's name or words
    words: str  # the report's words for them
    entity_id: str | None  # the canonical entity ("org:taliban") where linked
    start: int  # the words' offsets in the report's article
    end: int


@dataclass(frozen=True, slots=True)
class EventPlace:
    name: str  # as the gazetteer names it
    words: str  # as the report writes it
    kind: PlaceKind
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-2
    start: int  # the words' offsets in the report's article
    end: int


@dataclass(frozen=True, slots=True)
class EventCount:
    """A number of people ("six fighters" 6), read as ACLED reads one, with its words."""

    value: int
    words: str


@dataclass(frozen=True, slots=True)
class EventReport:
    """One article's report of an event: its fields as that article gives them, and why it was linked."""

    report_id: int
    article_id: str  # content hash of the article text
    external_id: str
    title: str | None
    url: str | None
    published: str | None
    site_name: str | None
    type: EventType
    acled_event_type: str | None
    acled_sub_event_type: str | None
    trigger: str  # article text[trigger_start:trigger_end]
    trigger_start: int
    trigger_end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    actor1: EventActor | None
    actor2: EventActor | None
    places: list[EventPlace]
    date: str | list[str] | None  # ISO 8601, a list for "May 1 and 2"
    date_precision: str | None
    date_words: str | None  # None: the publication date stands in
    fatalities: EventCount | None
    injured: EventCount | None
    size: EventCount | None
    modality: Modality
    confidence: float
    reason: str  # why it is a report of this event: "first report", or the evidence


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event across articles: its record and every report of it, the earliest first.

    The record is the earliest report's, completed from the later ones: actors, places and a date of
    its own from the first report that gives them; counts the lowest any report gives (ACLED's rule
    for disputed figures); "happened" once any report says it happened; the highest confidence.
    """

    event_id: int
    type: EventType
    acled_event_type: str | None
    acled_sub_event_type: str | None
    actor1: EventActor | None
    actor2: EventActor | None
    places: list[EventPlace]
    date: str | list[str] | None
    date_precision: str | None
    fatalities: EventCount | None
    injured: EventCount | None
    size: EventCount | None
    modality: Modality
    confidence: float
    reports: list[EventReport]
    statements: int  # quotes about it


@dataclass(frozen=True, slots=True)
class StatementRow:
    """A quote about an event, and why it is."""

    quote: QuoteRow
    reason: str


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: EventRow
    statements: list[StatementRow]  # newest article first, as quotes are listed


class Store(Protocol):
    """The database behind quotegraph; every method raises StoreError when the database fails."""

    def add_article(self, article: Article) -> bool:
        """Store an article with its records in one transaction; False if its content is already stored."""

    def add_failure(self, failure: IngestFailure) -> None:
        """Record an input that could not be read; the same (source, reason) is kept once."""

    def has_article(self, content_hash: str) -> bool:
        """Whether this content is stored, so ingest can skip it before parsing."""

    def quotes(self, selected: QuoteFilter = NO_FILTER) -> list[QuoteRow]:
        """The quotes the filter keeps, newest article first (see ``QuoteFilter``): by speaker (name,
        surname, alias or entity id), words, publication dates, the dates, places, people and
        organizations their words or topic mention ("Regarding the Doha meeting, X said"), confidence,
        kind and speech act; ``limit`` and ``offset`` give one page of a long list."""

    def count_quotes(self, selected: QuoteFilter = NO_FILTER) -> int:
        """How many quotes the filter keeps, whatever its limit and offset: the total behind a page."""

    def page(self, selected: QuoteFilter) -> tuple[list[QuoteRow], int]:
        """``quotes(selected)`` and ``count_quotes(selected)`` at once, counted in the same pass."""

    def facets(self, selected: QuoteFilter, *, top: int = 10) -> dict[str, list[FacetCount]]:
        """What the quotes the filter keeps are made of: counts by speaker, outlet, year, kind and act
        (the ``top`` largest of each), each with the filters that narrow the search to it."""

    def places(self, selected: QuoteFilter = NO_FILTER) -> list[PlaceRow]:
        """Every place named, with coordinates and when articles named it, most articles first; only
        in the articles published between the filter's ``since`` and ``until``."""

    def speakers(self) -> list[SpeakerRow]:
        """Every speaker with aliases and counts, most quoted first."""

    def relays(self, selected: QuoteFilter = NO_FILTER) -> list[RelayRow]:
        """Pairs of (relaying speaker, quoted speaker) from nested quotes, most frequent first; of the
        relaying quotes the filter keeps."""

    def timeline(self, selected: QuoteFilter = NO_FILTER) -> list[tuple[str, int]]:
        """(publication date, quotes) of the dated quotes the filter keeps, oldest first."""

    def latest(self, articles: int) -> list[QuoteRow]:
        """The most confident quote of each of the newest ``articles`` articles with quotes."""

    def version(self) -> tuple[object, ...]:
        """A value that changes whenever data is stored or corrected, to know when what was read is stale."""

    def speaker_aliases(self, names: Collection[str] | None = None) -> dict[str, list[str]]:
        """Speaker name -> every alias stored for entities of that name (of ``names`` only, if given)."""

    def quote(self, quote_id: int) -> QuoteRow | None:
        """One quote by its id, for a permanent link."""

    def talks_about(self, selected: QuoteFilter = NO_FILTER) -> list[TalksAboutRow]:
        """(speaker, person or org named inside their quotes, quote count), most frequent first; of the
        quotes the filter keeps."""

    def flagged_dates(self) -> list[FlaggedDateRow]:
        """Every date with a consistency flag, in article and text order, for review."""

    def article(self, ref: str) -> Article | None:
        """An article with all its records, by content hash, unique hash prefix or external id."""

    def quote_ids(self, content_hash: str) -> list[int]:
        """The ids of an article's quotes, in the order of ``Article.quotes``."""

    def entities(
        self, *, kind: str | None = None, search: str | None = None, limit: int | None = 100
    ) -> list[EntityRow]:
        """Canonical people and organizations and the places named, most articles first;
        ``search`` keeps names (or aliases) holding every given word."""

    def entity(self, name: str, *, quotes: bool = True) -> EntityDetail | None:
        """One entity by any of its names: aliases, roles, the links and their reasons, quotes by and
        about (none without ``quotes``)."""

    def lookup(self, name: str) -> list[EntityRow]:
        """The people and organizations ``name`` may mean (any name, surname, spelling variant or id),
        most linked first: one to show, the others to offer."""

    def merge_entities(self, into: str, other: str) -> str:
        """Make ``other`` part of ``into`` (recorded, undone by ``split_entity``); a message saying what moved."""

    def split_entity(self, name: str, *, alias: str | None = None, article: str | None = None) -> str:
        """Move the article entities named ``alias``, or the one in ``article``, into an entity of their own."""

    def events(self, selected: EventFilter = NO_EVENT_FILTER) -> list[EventRow]:
        """Events across articles that the filter keeps (one of their reports matches), latest date first."""

    def count_events(self, selected: EventFilter = NO_EVENT_FILTER) -> int:
        """How many events the filter keeps, whatever its limit and offset."""

    def event(self, event_id: int) -> EventDetail | None:
        """One event with every report and the quotes about it."""

    def article_event_ids(self, content_hash: str) -> list[int]:
        """The event each of an article's events (in ``Article.events`` order) is a report of."""

    def merge_events(self, into: int, other: int) -> str:
        """Make event ``other`` part of ``into`` (recorded); a message saying what moved."""

    def split_event(self, event_id: int, article: str) -> str:
        """Make the event's report in ``article`` an event of its own (recorded); a message saying so."""

    def add_copies(self, copies: Sequence[ArticleCopy]) -> int:
        """Link copies to their stored articles (which must exist); how many were new."""

    def copies(self, content_hash: str) -> list[ArticleCopy]:
        """The copies linked to the article with this content hash, most similar first."""

    def articles_count(self) -> int: ...

    def failures(self) -> list[IngestFailure]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...
