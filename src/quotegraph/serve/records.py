"""A quote, and an event, as a record for people and other tools: the documented export fields, in
order (README, "Exports" and "Events"), each made by one function for the command line's json and csv,
`export` (JSONL, CSV, Parquet) and the API's items: quotes for `quotes`, `entity` and `GET /api/quotes`,
events for `events`, `event`, `export --events` and `GET /api/events`.

Field names are a published interface: add new ones at the end, never rename.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, TextIO

from quotegraph.model import EventType, Modality, QuoteKind, SpeechAct
from quotegraph.store import QuoteRow, Store
from quotegraph.store.base import (
    EntityDetail,
    EntityLink,
    EntityRole,
    EntityRow,
    EventDetail,
    EventReport,
    EventRow,
)
from quotegraph.store.keys import outlet_of


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """One quote: its words and where they stand in the stored article, who said them, how it was found."""

    quote_id: int
    text: str  # the article's text between start and end
    speaker: str | None
    speaker_aliases: list[str]  # every alias stored for entities with the speaker's name
    kind: QuoteKind
    act: SpeechAct
    confidence: float
    cue: str | None
    speaker_mention: str | None
    article_id: str  # content hash of the article text
    external_id: str
    url: str | None
    title: str | None
    published: str | None
    start: int
    end: int
    nested_in: int | None
    inferred: bool
    topic: str | None
    outlet: str | None  # the article's site name, or its URL's host
    published_inferred: str | None  # the publication date read from the text, when none was given


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(QuoteRecord))


def quote_records(store: Store, rows: Sequence[QuoteRow]) -> list[QuoteRecord]:
    """The records of ``rows``, with the aliases of their speakers from one look-up."""
    aliases = store.speaker_aliases({row.speaker for row in rows if row.speaker})
    return [
        QuoteRecord(
            quote_id=row.quote_id,
            text=row.text,
            speaker=row.speaker,
            speaker_aliases=aliases.get(row.speaker or "", []),
            kind=row.kind,
            act=row.act,
            confidence=row.confidence,
            cue=row.cue,
            speaker_mention=row.speaker_mention,
            article_id=row.article_id,
            external_id=row.external_id,
            url=row.url,
            title=row.title,
            published=row.published,
            start=row.start,
            end=row.end,
            nested_in=row.nested_in,
            inferred=row.inferred,
            topic=row.topic,
            outlet=row.outlet,
            published_inferred=row.published_inferred,
        )
        for row in rows
    ]


def record_dict(record: QuoteRecord | EventRecord) -> dict[str, Any]:
    """The record as JSON takes it, fields in the documented order."""
    return asdict(record)


def write_json(records: Iterable[QuoteRecord | EventRecord], out: TextIO) -> None:
    """One JSON array (what `quotes --format json` prints)."""
    out.write(json.dumps([record_dict(r) for r in records], ensure_ascii=False, indent=1) + "\n")


def write_jsonl(records: Iterable[QuoteRecord | EventRecord], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record_dict(record), ensure_ascii=False) + "\n")


def write_csv(
    records: Iterable[QuoteRecord | EventRecord], out: TextIO, fieldnames: Sequence[str] = FIELDS
) -> None:
    """Lists (aliases, places, sources) joined with "; ", booleans as true/false, missing values empty:
    flat cells for spreadsheets. ``fieldnames``: the records' fields (``EVENT_FIELDS`` for events)."""
    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    for record in records:
        writer.writerow({name: csv_cell(value) for name, value in record_dict(record).items()})


def csv_cell(value: object) -> object:
    """A value as one flat spreadsheet cell: a list joined with "; ", a boolean true/false, None empty."""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else value


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """One entity as `entity --format json` and ``GET /api/entities/NAME`` give it, quotes as records."""

    entity: EntityRow
    links: list[EntityLink]
    roles: list[EntityRole]
    quotes_by: list[QuoteRecord]
    quotes_about: list[QuoteRecord]
    others: list[EntityRow]  # who else the name asked for may mean ("Clinton": Bill beside Hillary)


def entity_record(store: Store, detail: EntityDetail, name: str) -> EntityRecord:
    """The record of the entity found for ``name``, with the others the name may mean."""
    return EntityRecord(
        detail.entity,
        detail.links,
        detail.roles,
        quote_records(store, detail.quotes_by),
        quote_records(store, detail.quotes_about),
        others_meant(store, detail.entity, name),
    )


def others_meant(store: Store, shown: EntityRow, name: str) -> list[EntityRow]:
    """The people and organizations other than ``shown`` that ``name`` may mean, as ``Store.lookup``
    offers them (a surname two people share, a spelling variant)."""
    return [row for row in store.lookup(name) if row.id != shown.id]


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event across articles: who did what to whom, where and when, and where it was reported."""

    event_id: int
    type: EventType  # PLOVER category
    event_type: str | None  # ACLED's
    sub_event_type: str | None
    actor1: str | None
    actor1_id: str | None  # the canonical entity, where the actor is linked across articles
    actor2: str | None
    actor2_id: str | None
    location: str | None  # the first place, as the gazetteer names it
    latitude: float | None
    longitude: float | None
    country: str | None  # ISO 3166-1 alpha-2
    places: list[str]  # every place, as the gazetteer names them
    date: str | None  # ISO 8601; several dates as the interval from the first to the last
    date_precision: str | None
    fatalities: int | None
    injured: int | None
    size: int | None
    modality: Modality
    confidence: float
    trigger: str  # the earliest report's words for it
    sentence: str
    article_id: str  # the earliest report's article (content hash)
    external_id: str
    url: str | None
    title: str | None
    published: str | None
    start: int  # the trigger's offsets in that article's text
    end: int
    sources: list[str]  # every report's article (content hash), the earliest first
    outlets: list[str]  # who published each of them, in the same order
    statements: int  # quotes about it


EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(EventRecord))


def event_records(rows: Sequence[EventRow]) -> list[EventRecord]:
    return [_event_record(row) for row in rows]


def _event_record(row: EventRow) -> EventRecord:
    first = row.reports[0]
    place = row.places[0] if row.places else None
    return EventRecord(
        event_id=row.event_id,
        type=row.type,
        event_type=row.acled_event_type,
        sub_event_type=row.acled_sub_event_type,
        actor1=row.actor1.name if row.actor1 else None,
        actor1_id=row.actor1.entity_id if row.actor1 else None,
        actor2=row.actor2.name if row.actor2 else None,
        actor2_id=row.actor2.entity_id if row.actor2 else None,
        location=place.name if place else None,
        latitude=place.lat if place else None,
        longitude=place.lon if place else None,
        country=place.country if place else None,
        places=[p.name for p in row.places],
        date=row.date if not isinstance(row.date, list) else f"{row.date[0]}/{row.date[-1]}",
        date_precision=row.date_precision,
        fatalities=row.fatalities.value if row.fatalities else None,
        injured=row.injured.value if row.injured else None,
        size=row.size.value if row.size else None,
        modality=row.modality,
        confidence=row.confidence,
        trigger=first.trigger,
        sentence=first.sentence,
        article_id=first.article_id,
        external_id=first.external_id,
        url=first.url,
        title=first.title,
        published=first.published,
        start=first.trigger_start,
        end=first.trigger_end,
        sources=[r.article_id for r in row.reports],
        outlets=[outlet(r) for r in row.reports],
        statements=row.statements,
    )


def outlet(report: EventReport) -> str:
    """Who published a report: its outlet as quotes give it (site name, else URL host), else its
    title or id."""
    return outlet_of(report.site_name, report.url) or report.title or report.external_id


@dataclass(frozen=True, slots=True)
class StatementRecord:
    """A quote about an event, and why it is."""

    reason: str
    quote: QuoteRecord


@dataclass(frozen=True, slots=True)
class EventDetailRecord:
    """One event as `event --format json` and ``GET /api/events/ID`` give it: the record, every report
    with its own fields and the evidence that links it, and the quotes about it."""

    event: EventRecord
    reports: list[EventReport]
    statements: list[StatementRecord]


def event_detail_record(store: Store, detail: EventDetail) -> EventDetailRecord:
    quotes = quote_records(store, [s.quote for s in detail.statements])
    return EventDetailRecord(
        _event_record(detail.event),
        detail.event.reports,
        [StatementRecord(s.reason, q) for s, q in zip(detail.statements, quotes, strict=True)],
    )
