"""The data model, defined once: every stage reads and writes these types.

Offsets are Python ``str`` indices into ``Article.text`` exactly as stored, so
``article.text[span.start:span.end]`` is always the words a record claims.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

QuoteKind = Literal["direct", "indirect", "mixed"]
SpeechAct = Literal["speech", "writing", "thought"]
# What counts as a quote unless the user says otherwise: words said or written. Beliefs and intentions
# ("she believes ...", "they want ...") are kept as records of act "thought", shown where asked for and
# counted where a gold scheme counts them (PolNeAR does; most newsroom annotation does not).
DEFAULT_ACTS: tuple[SpeechAct, ...] = ("speech", "writing")
EntityKind = Literal["person", "org", "place", "group", "other"]
DateGranularity = Literal["day", "month", "year", "week", "range", "duration", "relative"]
PlaceKind = Literal["country", "region", "city", "landmark", "continent", "other"]


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

    def __post_init__(self) -> None:
        if not self.id:
            self.id = self.content_hash

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


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
