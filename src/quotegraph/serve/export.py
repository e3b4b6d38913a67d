"""Exports for other tools: quotes and events as JSONL, CSV or Parquet (the records of serve/records.py),
events in ACLED's column layout, the speaker network as GraphML."""

from __future__ import annotations

import csv
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

from quotegraph.errors import QuotegraphError
from quotegraph.resolve.events import days_of
from quotegraph.serve.records import (
    EVENT_FIELDS,
    FIELDS,
    EventRecord,
    QuoteRecord,
    event_records,
    quote_records,
    record_dict,
    write_csv,
    write_jsonl,
)
from quotegraph.store.base import Store
from quotegraph.store.filters import NO_FILTER, EventFilter, QuoteFilter

# The types of the exported fields (serve/records.py names them, in order), so DuckDB, pandas and
# Spark need no guessing; published stays text because dates may be partial ("2023-05").
_PARQUET_TYPES = {
    "quote_id": pa.int64(),
    "text": pa.string(),
    "speaker": pa.string(),
    "speaker_aliases": pa.list_(pa.string()),
    "kind": pa.string(),
    "act": pa.string(),
    "confidence": pa.float64(),
    "cue": pa.string(),
    "speaker_mention": pa.string(),
    "article_id": pa.string(),
    "external_id": pa.string(),
    "url": pa.string(),
    "title": pa.string(),
    "published": pa.string(),
    "start": pa.int64(),
    "end": pa.int64(),
    "nested_in": pa.int64(),
    "inferred": pa.bool_(),
    "topic": pa.string(),
    "outlet": pa.string(),
    "published_inferred": pa.string(),
}
PARQUET_SCHEMA = pa.schema([(name, _PARQUET_TYPES[name]) for name in FIELDS])

_EVENT_PARQUET_TYPES = {
    "event_id": pa.int64(),
    "places": pa.list_(pa.string()),
    "latitude": pa.float64(),
    "longitude": pa.float64(),
    "fatalities": pa.int64(),
    "injured": pa.int64(),
    "size": pa.int64(),
    "confidence": pa.float64(),
    "start": pa.int64(),
    "end": pa.int64(),
    "sources": pa.list_(pa.string()),
    "outlets": pa.list_(pa.string()),
    "statements": pa.int64(),
}  # every other field is text
EVENT_PARQUET_SCHEMA = pa.schema(
    [(name, _EVENT_PARQUET_TYPES.get(name, pa.string())) for name in EVENT_FIELDS]
)

# ACLED's columns, in the order of its exports, for the fields quotegraph has.
ACLED_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "latitude",
                 "longitude", "geo_precision", "source", "notes", "fatalities")  # fmt: skip
# ACLED's geo_precision: 1 the town or site itself, 2 a part of a region near a town, 3 a region or larger
_GEO_PRECISION = {"city": 1, "landmark": 1, "other": 2, "region": 3, "country": 3, "continent": 3}

GRAPHML = "http://graphml.graphdrawing.org/xmlns"


def write_parquet(records: list[QuoteRecord], path: str) -> None:
    pq.write_table(pa.Table.from_pylist([record_dict(r) for r in records], schema=PARQUET_SCHEMA), path)


def write_acled_csv(store: Store, selected: EventFilter, out: TextIO) -> int:
    """The events ACLED would code (those with an ACLED type that happened) in its column layout; how
    many rows. A date known to the month or week is given as its first day, as a spreadsheet reads a
    date; fatalities 0 where no report gives a toll, as ACLED codes it."""
    writer = csv.writer(out)
    writer.writerow(ACLED_COLUMNS)
    rows = 0
    for event in store.events(selected):
        if event.acled_event_type is None or event.modality != "happened":
            continue
        record = event_records([event])[0]
        days = days_of(event.date)
        place = event.places[0] if event.places else None
        writer.writerow(
            [
                days[0].isoformat() if days else "",
                record.event_type,
                record.sub_event_type or "",
                record.actor1 or "",
                record.actor2 or "",
                record.location or "",
                "" if record.latitude is None else record.latitude,
                "" if record.longitude is None else record.longitude,
                _GEO_PRECISION.get(place.kind, 3) if place else "",
                "; ".join(dict.fromkeys(record.outlets)),
                record.sentence,
                record.fatalities or 0,
            ]
        )
        rows += 1
    return rows


def write_graphml(store: Store, path: str) -> None:
    """Speakers (and the people and organizations they name) as nodes; "relays" and "talks_about" edges."""
    root = ET.Element("graphml", xmlns=GRAPHML)
    for key, owner, name, kind in (
        ("label", "node", "label", "string"),
        ("kind", "node", "kind", "string"),
        ("quotes", "node", "quotes", "int"),
        ("type", "edge", "type", "string"),
        ("weight", "edge", "weight", "int"),
    ):
        ET.SubElement(root, "key", {"id": key, "for": owner, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id="quotegraph", edgedefault="directed")
    edges = [
        (r.relayer, r.source, "other", "relays", r.count) for r in store.relays() if r.relayer and r.source
    ]
    edges += [(t.speaker, t.subject, t.subject_kind, "talks_about", t.count) for t in store.talks_about()]
    # speakers first; an edge end that is not one (a person named, a speaker with no entity) follows
    named: list[tuple[str, str, int]] = [(s.name, s.kind, s.quote_count) for s in store.speakers()]
    for source, target, target_kind, _, _ in edges:
        named += [(source, "other", 0), (target, target_kind, 0)]
    # folded name -> node id: speakers are merged case-insensitively, as in the store
    nodes: dict[str, str] = {}
    for name, kind, quotes in named:
        if _fold(name) not in nodes:
            nodes[_fold(name)] = f"n{len(nodes)}"
            _data(ET.SubElement(graph, "node", id=nodes[_fold(name)]), label=name, kind=kind, quotes=quotes)
    for n, (source, target, _, edge_type, count) in enumerate(edges):
        edge = ET.SubElement(
            graph, "edge", id=f"e{n}", source=nodes[_fold(source)], target=nodes[_fold(target)]
        )
        _data(edge, type=edge_type, weight=count)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _data(element: ET.Element, **values: object) -> None:
    for key, value in values.items():
        ET.SubElement(element, "data", key=key).text = str(value)


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def export(store: Store, fmt: str, output: str | None, selected: QuoteFilter = NO_FILTER) -> None:
    """Every quote the filter keeps (all of them unless it has a limit) as jsonl or csv (to ``output``
    or standard output) or parquet; or the whole speaker network as graphml. Parquet and graphml
    need a file."""
    if fmt == "graphml":
        if selected != NO_FILTER:
            raise QuotegraphError("graphml exports the whole network: quote filters do not apply to it")
        write_graphml(store, _file(fmt, output))
        return
    records = quote_records(store, store.quotes(selected))
    write = write_jsonl if fmt == "jsonl" else write_csv
    if fmt == "parquet":
        write_parquet(records, _file(fmt, output))
    elif output is None:
        write(records, sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as stream:
            write(records, stream)


def _file(fmt: str, output: str | None) -> str:
    if output is None:
        raise QuotegraphError(f"--format {fmt} writes a file: give --output FILE")
    return output


def export_events(store: Store, fmt: str, output: str | None, selected: EventFilter) -> None:
    """Every event the filter keeps as jsonl, csv or parquet (the event records), or acled-csv; to
    ``output``, or standard output for the text formats."""
    if fmt == "parquet":
        records = [record_dict(r) for r in event_records(store.events(selected))]
        pq.write_table(pa.Table.from_pylist(records, schema=EVENT_PARQUET_SCHEMA), _file(fmt, output))
        return
    writers: dict[str, Callable[[TextIO], object]] = {
        "jsonl": lambda out: write_jsonl(_events(store, selected), out),
        "csv": lambda out: write_csv(_events(store, selected), out, EVENT_FIELDS),
        "acled-csv": lambda out: write_acled_csv(store, selected, out),
    }
    if fmt not in writers:
        raise QuotegraphError(f"events are exported as jsonl, csv, parquet or acled-csv, not {fmt}")
    if output is None:
        writers[fmt](sys.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as stream:
            writers[fmt](stream)


def _events(store: Store, selected: EventFilter) -> Iterable[EventRecord]:
    return event_records(store.events(selected))
