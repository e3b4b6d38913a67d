"""The data model, defined once: every stage reads and writes these types.

Offsets are Python ``str`` indices into ``Article.text`` exactly as stored, so
``article.text[span.start:span.end]`` is always the words a record claims.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Literal, get_args

QuoteKind = Literal["direct", "indirect", "mixed"]
SpeechAct = Literal["speech", "writing", "thought"]
# What counts as a quote unless the user says otherwise: words said or written. Beliefs and intentions
# ("she believes ...", "they want ...") are kept as records of act "thought", shown where asked for and
# counted where a gold scheme counts them (PolNeAR does; most newsroom annotation does not).
DEFAULT_ACTS: tuple[SpeechAct, ...] = ("speech", "writing")
EntityKind = Literal["person", "org", "place", "group", "other"]
DateGranularity = Literal["day", "month", "year", "week", "range", "duration", "relative"]
PlaceKind = Literal["country", "region", "city", "landmark", "continent", "other"]
# PLOVER's event categories (manual 0.7b1), cooperative first
EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
# ACLED's event types and their sub-event types (ACLED Codebook, 2023)
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}  # fmt: skip
# whether the text says the event took place, is to take place, is denied, or is only possible
Modality = Literal["happened", "planned", "denied", "hypothetical"]
MODALITIES: tuple[Modality, ...] = get_args(Modality)


@dataclass(frozen=True, slots=True)
class CharSpan:
    """A half-open character range ``[start, end)`` into the article text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def text(self, source: str) -> str:
        return source[self.start : self.end]

    def as_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(slots=True)
class Mention:
    """A stretch of text that refers to an entity: a name, a description or a pronoun."""

    span: CharSpan
    text: str
    label: str  # spaCy NER label, or PRON / DESC for pronouns and descriptions
    entity: int | None = None  # index into Article.entities


@dataclass(slots=True)
class Entity:
    """A person, organization, group or place as one article refers to it."""

    name: str  # canonical name: the fullest proper name used in the article
    kind: EntityKind
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """One reported statement: its words, how it was reported, and by whom."""

    content: CharSpan
    kind: QuoteKind
    cue: CharSpan | None = None
    speaker_mention: CharSpan | None = None
    speaker: str | None = None  # canonical name of the resolved speaker
    speaker_entity: int | None = None  # index into Article.entities
    act: SpeechAct = "speech"
    confidence: float = 0.5
    nested_in: int | None = None  # index into Article.quotes of the enclosing quote
    inferred: bool = False  # speaker taken from a repetition elsewhere (pull quote)
    topic: CharSpan | None = None  # what the reporting clause says the words are about ("Regarding X, ...")

    def to_score_json(self) -> dict[str, object]:
        """The record in the format of the shared scorer (../shared/eval/score.py)."""
        out: dict[str, object] = {
            "content": self.content.as_list(),
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention.as_list() if self.speaker_mention else None,
            "cue": self.cue.as_list() if self.cue else None,
            "act": self.act,
            "confidence": round(self.confidence, 3),
        }
        if self.nested_in is not None:
            out["nested_in"] = self.nested_in
        if self.inferred:
            out["inferred"] = True
        if self.topic is not None:
            out["topic"] = self.topic.as_list()
        return out


@dataclass(slots=True)
class DateMention:
    """A temporal expression normalized against the article's publication date."""

    span: CharSpan
    text: str
    value: str | list[str]  # ISO 8601: "2023-05-01", "2023-05", "P20M"; a list for "May 1 and 2"
    granularity: DateGranularity
    anchor: str  # how the value was fixed: "absolute", "publication date", "date in the text", ...
    flag: str | None = None  # a consistency problem: "weekday mismatch: 2023-04-27 was a Thursday"

    def to_score_json(self) -> dict[str, object]:
        """The record as the shared gold files give dates (span, value, granularity), with its flag."""
        out: dict[str, object] = {
            "span": self.span.as_list(),
            "value": self.value,
            "granularity": self.granularity,
        }
        if self.flag is not None:
            out["flag"] = self.flag
        return out


@dataclass(slots=True)
class Place:
    """A place name resolved against an offline gazetteer."""

    span: CharSpan
    name: str  # as the gazetteer names it
    kind: PlaceKind
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    geonames_id: int | None = None
    demonym: bool = False  # named by its people ("Russian officials", "Sudanese"), not by its own name

    def to_score_json(self) -> dict[str, object]:
        """The record in the format of the shared place scorer (../shared/eval/score_places.py),
        with the gold files' descriptive fields."""
        out: dict[str, object] = {"span": self.span.as_list(), "lat": self.lat, "lon": self.lon, "name": self.name,
                                  "kind": self.kind, "country": self.country, "geonames_id": self.geonames_id}  # fmt: skip
        if self.demonym:
            out["demonym"] = True
        return out


@dataclass(slots=True)
class Participant:
    """An event's actor: the words that name it and the article entity they resolve to."""

    span: CharSpan
    name: str  # the entity's canonical name, else the words without their determiner
    entity: int | None = None  # index into Article.entities


@dataclass(slots=True)
class Count:
    """A number of people read as ACLED reads one ("six fighters" 6, "dozens" 12), with its words."""

    value: int
    span: CharSpan


@dataclass(slots=True)
class Event:
    """Who did what to whom, where and when: one event, coded in PLOVER and, where one applies, ACLED.

    ``mentions`` are the other words in the article for the same event ("this meeting" after "a
    meeting in Doha"); ``date_span`` is None when the date is the publication's, the text giving none.
    """

    trigger: CharSpan
    sentence: CharSpan
    type: EventType
    acled_event_type: str | None = None  # "Battles"
    acled_sub_event_type: str | None = None  # "Armed clash"
    actor1: Participant | None = None
    actor2: Participant | None = None
    places: list[Place] = field(default_factory=list)
    date: str | list[str] | None = None  # ISO 8601, as DateMention.value
    date_precision: DateGranularity | None = None
    date_span: CharSpan | None = None
    fatalities: Count | None = None
    injured: Count | None = None
    size: Count | None = None  # people taking part: a crowd, those arrested or displaced
    modality: Modality = "happened"
    confidence: float = 0.5
    mentions: list[CharSpan] = field(default_factory=list)

    @property
    def acled(self) -> str | None:
        """ACLED's label as "Event type / Sub-event type"."""
        if self.acled_event_type is None:
            return None
        return (
            f"{self.acled_event_type} / {self.acled_sub_event_type}"
            if self.acled_sub_event_type
            else self.acled_event_type
        )

    def spans(self) -> list[CharSpan]:
        """Every span the event holds: its words and sentence, its actors', places', date's and counts'."""
        held = [self.trigger, self.sentence, *self.mentions, *(p.span for p in self.places)]
        held += [x.span for x in (self.actor1, self.actor2, self.fatalities, self.injured, self.size) if x]
        return held + ([self.date_span] if self.date_span is not None else [])

    def to_score_json(self, text: str) -> dict[str, object]:
        """The record in the format of the shared scorer (../shared/eval/score_events.py); ``text``
        is the article's, for the places as written."""

        def actor(p: Participant | None) -> tuple[str | None, list[int] | None]:
            return (p.name, p.span.as_list()) if p is not None else (None, None)

        def count(c: Count | None) -> int | None:
            return c.value if c is not None else None

        actor1, actor1_span = actor(self.actor1)
        actor2, actor2_span = actor(self.actor2)
        return {
            "type": self.type,
            "acled": self.acled,
            "trigger": self.trigger.as_list(),
            "sentence": self.sentence.as_list(),
            "actor1": actor1,
            "actor1_span": actor1_span,
            "actor2": actor2,
            "actor2_span": actor2_span,
            "place": [
                {
                    "name": p.span.text(text),
                    "gazetteer": p.name,
                    "lat": p.lat,
                    "lon": p.lon,
                    "country": p.country,
                }
                for p in self.places
            ]
            or None,
            "date": self.date,
            "date_precision": self.date_precision,
            "fatalities": count(self.fatalities),
            "injured": count(self.injured),
            "size": count(self.size),
            "modality": self.modality,
            "confidence": round(self.confidence, 3),
            "mentions": [m.as_list() for m in self.mentions],
        }


@dataclass(slots=True)
class Article:
    """An article's text and metadata; the extraction results are filled in by the pipeline."""

    text: str
    id: str = ""  # the caller's id (JSONL ``id``, file path); defaults to the content hash
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or partial date ("2023-05")
    language: str | None = None
    author: str | None = None
    site_name: str | None = None
    source: str | None = None  # where it was read from (file path, WARC record, ...)
    quotes: list[Quote] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Without a (full) publication date, the one the dates stage reads from the text: the latest
    # month or day told in the past tense ("I interviewed him in May 2023"), and those words.
    published_inferred: str | None = None
    published_evidence: CharSpan | None = None

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.content_hash

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def to_score_json(self) -> dict[str, object]:
        """Every record of the article in the shared scorers' formats (../shared/eval/score.py for
        quotes, score_places.py for places) and the gold files' (entities as name -> kind, dates)."""
        return {
            "id": self.id,
            "quotes": [q.to_score_json() for q in self.quotes],
            "entities": {e.name: e.kind for e in self.entities},
            "dates": [d.to_score_json() for d in self.dates],
            "places": [p.to_score_json() for p in self.places],
            "events": [e.to_score_json(self.text) for e in self.events],
        }


def normalize_for_hash(text: str) -> str:
    """Unicode NFC, whitespace runs collapsed: the same article re-saved hashes the same."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def content_hash(text: str) -> str:
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """An input that could not become an article, and why (shown to the user, stored in ingest_errors)."""

    source: str
    reason: str
