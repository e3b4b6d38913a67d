"""A quote as a record for people and other tools: the documented export fields, in order (README,
"Exports"), made by one function for `quotes --format json|csv`, `export` (JSONL, CSV, Parquet), the
API's items and `entity --format json`.

Field names are a published interface: add new ones at the end, never rename.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, TextIO

from quotegraph.model import QuoteKind, SpeechAct
from quotegraph.store import QuoteRow, Store
from quotegraph.store.base import EntityDetail, EntityLink, EntityRole, EntityRow


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


def record_dict(record: QuoteRecord) -> dict[str, Any]:
    """The record as JSON takes it, fields in the documented order."""
    return asdict(record)


def write_json(records: Iterable[QuoteRecord], out: TextIO) -> None:
    """One JSON array (what `quotes --format json` prints)."""
    out.write(json.dumps([record_dict(r) for r in records], ensure_ascii=False, indent=1) + "\n")


def write_jsonl(records: Iterable[QuoteRecord], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record_dict(record), ensure_ascii=False) + "\n")


def write_csv(records: Iterable[QuoteRecord], out: TextIO) -> None:
    """Aliases joined with "; ", booleans as true/false, missing values empty: flat cells for spreadsheets."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for record in records:
        writer.writerow(
            record_dict(record)
            | {"speaker_aliases": "; ".join(record.speaker_aliases), "inferred": str(record.inferred).lower()}
        )


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
