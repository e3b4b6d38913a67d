"""Articles to Parquet tables and back, one folder per shard, written whole or not at all.

A shard folder holds ``articles``, ``quotes``, ``entities``, ``mentions``, ``dates``, ``places``,
``events`` and ``failures`` (``.parquet``). Every record table starts with ``article_id`` (the content hash) and keeps
its records in article order, so indexes between records (``Quote.speaker_entity``, ``nested_in``,
``Mention.entity``) stay valid. Spans become ``<field>_start``/``<field>_end`` columns. A folder is
written under a temporary name and renamed into place, so a folder with the final name is complete.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from quotegraph.model import (
    Article,
    CharSpan,
    Count,
    DateMention,
    Entity,
    Event,
    IngestFailure,
    Mention,
    Participant,
    Place,
    Quote,
)

Row = dict[str, Any]

_STR, _INT, _FLOAT, _BOOL = pa.string(), pa.int64(), pa.float64(), pa.bool_()
_KEY = [("article_id", _STR)]


def _spans(*names: str) -> list[tuple[str, pa.DataType]]:
    return [(f"{name}_{end}", _INT) for name in names for end in ("start", "end")]


_ARTICLE_META = ("id", "title", "url", "published", "language", "author", "site_name", "source")
ARTICLES = pa.schema([*_KEY, ("text", _STR), *[(name, _STR) for name in _ARTICLE_META]])
# Column order follows the dataclass fields; each record class maps to one table.
_RECORDS: dict[str, tuple[type, pa.Schema]] = {
    "quotes": (
        Quote,
        pa.schema(
            [
                *_KEY,
                *_spans("content"),
                ("kind", _STR),
                *_spans("cue", "speaker_mention"),
                ("speaker", _STR),
                ("speaker_entity", _INT),
                ("act", _STR),
                ("confidence", _FLOAT),
                ("nested_in", _INT),
                ("inferred", _BOOL),
                *_spans("topic"),
            ]
        ),
    ),
    "entities": (Entity, pa.schema([*_KEY, ("name", _STR), ("kind", _STR), ("aliases", pa.list_(_STR))])),
    "mentions": (
        Mention,
        pa.schema([*_KEY, *_spans("span"), ("text", _STR), ("label", _STR), ("entity", _INT)]),
    ),
    "dates": (
        DateMention,
        pa.schema(
            [
                *_KEY,
                *_spans("span"),
                ("text", _STR),
                ("value", _STR),  # a single ISO value; null when the date is a list ("May 1 and 2")
                ("value_list", pa.list_(_STR)),
                ("granularity", _STR),
                ("anchor", _STR),
                ("flag", _STR),
            ]
        ),
    ),
    "places": (
        Place,
        pa.schema(
            [
                *_KEY,
                *_spans("span"),
                ("name", _STR),
                ("kind", _STR),
                ("lat", _FLOAT),
                ("lon", _FLOAT),
                ("country", _STR),
                ("admin1", _STR),
                ("geonames_id", _INT),
                ("demonym", _BOOL),
            ]
        ),
    ),
}
# An event's places are indexes into its article's places; its actors and counts keep their spans.
_ACTORS = ("actor1", "actor2")
_COUNTS = ("fatalities", "injured", "size")
EVENTS = pa.schema(
    [
        *_KEY,
        *_spans("trigger", "sentence"),
        ("type", _STR),
        ("acled_event_type", _STR),
        ("acled_sub_event_type", _STR),
        *[c for a in _ACTORS for c in (*_spans(a), (f"{a}_name", _STR), (f"{a}_entity", _INT))],
        ("places", pa.list_(_INT)),
        ("date", _STR),
        ("date_list", pa.list_(_STR)),
        ("date_precision", _STR),
        *_spans("date_span"),
        *[c for n in _COUNTS for c in ((n, _INT), *_spans(f"{n}_words"))],
        ("modality", _STR),
        ("confidence", _FLOAT),
        ("mentions_start", pa.list_(_INT)),
        ("mentions_end", pa.list_(_INT)),
    ]
)
FAILURES = pa.schema([("source", _STR), ("reason", _STR)])
TABLES = ("articles", *_RECORDS, "events", "failures")


# --- writing ------------------------------------------------------------------------------------


def articles_table(articles: Iterable[Article]) -> pa.Table:
    """The articles' text and metadata (no records): also the format of a shard's input."""
    rows = [
        {"article_id": a.content_hash, "text": a.text, **{n: getattr(a, n) for n in _ARTICLE_META}}
        for a in articles
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLES)


def write_table(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name, then rename it: the final name is always whole."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, partial)
    os.replace(partial, path)


def write_shard(articles: list[Article], failures: list[IngestFailure], folder: Path) -> bool:
    """Every table of the shard into ``folder``, atomically; False when the folder was already there."""
    partial = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.tmp")
    partial.mkdir(parents=True)
    try:
        pq.write_table(articles_table(articles), partial / "articles.parquet")
        keyed = [(a.content_hash, a) for a in articles]  # hashing a text costs more than its records' rows
        for name, (_, schema) in _RECORDS.items():
            rows = [_row(record, key=key) for key, a in keyed for record in getattr(a, name)]
            pq.write_table(pa.Table.from_pylist(rows, schema=schema), partial / f"{name}.parquet")
        events = [_event_row(e, a, key) for key, a in keyed for e in a.events]
        pq.write_table(pa.Table.from_pylist(events, schema=EVENTS), partial / "events.parquet")
        failed = [{"source": f.source, "reason": f.reason} for f in failures]
        pq.write_table(pa.Table.from_pylist(failed, schema=FAILURES), partial / "failures.parquet")
        if folder.exists():
            return False
        os.rename(partial, folder)  # atomic on one file system; fails if another writer got there first
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if folder.is_dir():  # ENOTEMPTY: the same shard was finished meanwhile
            return False
        raise exc
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _row(record: Any, key: str) -> Row:
    row: Row = {"article_id": key}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.name in _SPAN_FIELDS:
            row[f"{f.name}_start"], row[f"{f.name}_end"] = (value.start, value.end) if value else (None, None)
        elif isinstance(record, DateMention) and f.name == "value":
            row["value"], row["value_list"] = (None, value) if isinstance(value, list) else (value, None)
        else:
            row[f.name] = value
    return row


_SPAN_FIELDS = frozenset({"content", "cue", "speaker_mention", "span", "topic"})


def _ends(row: Row, name: str, span: CharSpan | None) -> None:
    row[f"{name}_start"], row[f"{name}_end"] = (span.start, span.end) if span else (None, None)


def _event_row(event: Event, article: Article, key: str) -> Row:
    row: Row = {
        "article_id": key,
        "type": event.type,
        "modality": event.modality,
        "confidence": event.confidence,
    }
    _ends(row, "trigger", event.trigger)
    _ends(row, "sentence", event.sentence)
    row["acled_event_type"], row["acled_sub_event_type"] = event.acled_event_type, event.acled_sub_event_type
    for name in _ACTORS:
        actor: Participant | None = getattr(event, name)
        _ends(row, name, actor.span if actor else None)
        row[f"{name}_name"], row[f"{name}_entity"] = (actor.name, actor.entity) if actor else (None, None)
    row["places"] = [next(i for i, p in enumerate(article.places) if p is place) for place in event.places]
    dated = event.date
    row["date"], row["date_list"] = (None, dated) if isinstance(dated, list) else (dated, None)
    row["date_precision"] = event.date_precision
    _ends(row, "date_span", event.date_span)
    for name in _COUNTS:
        count: Count | None = getattr(event, name)
        row[name] = count.value if count else None
        _ends(row, f"{name}_words", count.span if count else None)
    row["mentions_start"] = [m.start for m in event.mentions]
    row["mentions_end"] = [m.end for m in event.mentions]
    return row


# --- reading ------------------------------------------------------------------------------------


def read_articles(path: Path) -> list[Article]:
    """The articles of an ``articles`` table (text and metadata only)."""
    return [
        Article(text=row["text"], **{n: row[n] for n in _ARTICLE_META})
        for row in pq.read_table(path, schema=ARTICLES).to_pylist()
    ]


def read_shard(folder: Path) -> Iterator[Article]:
    """The shard's articles with all their records, equal to the Articles that were written."""
    records: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for name, (cls, schema) in _RECORDS.items():
        for row in pq.read_table(folder / f"{name}.parquet", schema=schema).to_pylist():
            records[row.pop("article_id")][name].append(_record(cls, row))
    events: dict[str, list[Row]] = defaultdict(list)
    if (folder / "events.parquet").is_file():  # shards written before events were extracted have none
        for row in pq.read_table(folder / "events.parquet", schema=EVENTS).to_pylist():
            events[row["article_id"]].append(row)
    for article in read_articles(folder / "articles.parquet"):
        for name, found in records.get(article.content_hash, {}).items():
            setattr(article, name, found)
        article.events = [_event(row, article.places) for row in events.get(article.content_hash, [])]
        yield article


def read_failures(folder: Path) -> list[IngestFailure]:
    return [IngestFailure(**row) for row in pq.read_table(folder / "failures.parquet").to_pylist()]


def _span(row: Row, name: str) -> CharSpan | None:
    start, end = row[f"{name}_start"], row[f"{name}_end"]
    return None if start is None else CharSpan(start, end)


def _event(row: Row, places: list[Place]) -> Event:
    actors = {
        name: Participant(span, row[f"{name}_name"], row[f"{name}_entity"])
        for name in _ACTORS
        if (span := _span(row, name)) is not None
    }
    counts = {
        name: Count(row[name], span) for name in _COUNTS if (span := _span(row, f"{name}_words")) is not None
    }
    trigger, sentence = _span(row, "trigger"), _span(row, "sentence")
    assert trigger is not None and sentence is not None
    return Event(
        trigger=trigger,
        sentence=sentence,
        type=row["type"],
        acled_event_type=row["acled_event_type"],
        acled_sub_event_type=row["acled_sub_event_type"],
        actor1=actors.get("actor1"),
        actor2=actors.get("actor2"),
        places=[places[i] for i in row["places"]],
        date=row["date"] if row["date_list"] is None else row["date_list"],
        date_precision=row["date_precision"],
        date_span=_span(row, "date_span"),
        fatalities=counts.get("fatalities"),
        injured=counts.get("injured"),
        size=counts.get("size"),
        modality=row["modality"],
        confidence=row["confidence"],
        mentions=[CharSpan(s, e) for s, e in zip(row["mentions_start"], row["mentions_end"], strict=True)],
    )


def _record(cls: type, row: Row) -> Any:
    values: Row = {}
    for f in fields(cls):
        if f.name in _SPAN_FIELDS:
            start, end = row[f"{f.name}_start"], row[f"{f.name}_end"]
            values[f.name] = None if start is None else CharSpan(start, end)
        elif cls is DateMention and f.name == "value":
            values["value"] = row["value"] if row["value_list"] is None else row["value_list"]
        else:
            values[f.name] = row[f.name]
    return cls(**values)
