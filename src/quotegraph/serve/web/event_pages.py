"""The event pages: every event the filters keep, on a map and a timeline (/events), and one event
(/events/ID) with its sentence marked, its actors and place linked, every report and the quotes
about it. (The article page lists its events: pages.article.)"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from quotegraph.model import MODALITIES
from quotegraph.serve.records import event_records
from quotegraph.serve.web import maps
from quotegraph.serve.web.api import (
    DEFAULT_PAGE,
    DateCount,
    EventFilterQuery,
    EventId,
    StoreDep,
    article_label,
    event_or_404,
)
from quotegraph.serve.web.pages import render, timeline_bars
from quotegraph.store.base import EventReport, EventRow
from quotegraph.store.filters import EVENT_FIELDS, EVENT_TYPE_NAMES, EventFilter

router = APIRouter(include_in_schema=False)
MAPPED = 2000  # events drawn on the map and the timeline at most: the most recent ones


@router.get("/events")
def events_page(request: Request, store: StoreDep, selected: EventFilterQuery) -> HTMLResponse:
    everything = store.events(replace(selected, limit=MAPPED, offset=0))
    page = event_records(store.events(selected))
    places: Counter[tuple[str, float, float]] = Counter()
    for record in event_records(everything):
        if record.latitude is not None and record.longitude is not None:
            places[(record.location or "", record.latitude, record.longitude)] += 1
    top = max(places.values(), default=1)
    points = []
    for (name, lat, lon), count in places.items():
        x, y = maps.project(lat, lon)
        points.append({"name": name, "events": count, "x": x, "y": y, "r": 2.5 + 5 * math.sqrt(count / top)})
    days = Counter(_first_day(row) for row in everything)
    bars = timeline_bars([DateCount(day, n) for day, n in sorted(days.items()) if day])
    return render(
        request,
        "events.html",
        filter=selected,
        events=page,
        total=store.count_events(selected),
        limit=selected.limit or DEFAULT_PAGE,
        outlines=maps.outlines(),
        width=maps.WIDTH,
        height=maps.HEIGHT,
        points=points,
        labels=maps.labels(points),
        bars=bars,
        undated=days.get("", 0),
        mapped=len(everything),
        types=EVENT_TYPE_NAMES,
        modalities=MODALITIES,
        link=lambda **changes: _query(selected, changes),
    )


def _query(selected: EventFilter, changes: dict[str, object]) -> str:
    """The query string of these filters with ``changes`` (a place clicked on the map, a day on the
    timeline, the next page): the API's names, without the empty ones; a new selection starts at the
    first page."""
    values = {name: getattr(selected, name) for name in EVENT_FIELDS if name != "limit"}
    values = values | {"offset": 0} | changes
    given = {name.rstrip("_"): value for name, value in values.items() if value not in (None, "", 0)}
    return urlencode(given)


def _first_day(row: EventRow) -> str:
    if row.date is None:
        return ""
    return row.date if isinstance(row.date, str) else row.date[0]


@router.get("/events/{event_id}")
def event_page(request: Request, store: StoreDep, event_id: EventId) -> HTMLResponse:
    detail = event_or_404(store, event_id)
    row = detail.event
    reports = [
        {
            "report": r,
            "sentence": marked_sentence(r),
            "label": article_label(r.title, r.external_id, None, r.article_id),
        }
        for r in row.reports
    ]
    return render(
        request,
        "event.html",
        event=row,
        record=event_records([row])[0],
        reports=reports,
        statements=detail.statements,
    )


def marked_sentence(report: EventReport) -> Markup:
    """The report's sentence as HTML: the trigger a <mark>, the actors and places <span>s, escaped
    piece by piece between offsets (the spans of one event do not overlap)."""
    start = report.sentence_start
    text = report.sentence
    spans = [(report.trigger_start, report.trigger_end, "trigger")]
    spans += [(a.start, a.end, "actor") for a in (report.actor1, report.actor2) if a is not None]
    spans += [(p.start, p.end, "place") for p in report.places]
    out: list[str] = []
    position = 0
    for s, e, kind in sorted(spans):
        s, e = s - start, e - start
        if s < position or e > len(text) or s >= e:
            continue  # outside the sentence (an actor named earlier) or inside a span already marked
        tag = "mark" if kind == "trigger" else "span"
        out += [
            escape(text[position:s]),
            Markup(f'<{tag} class="{kind}">'),
            escape(text[s:e]),
            Markup(f"</{tag}>"),
        ]
        position = e
    out.append(escape(text[position:]))
    return Markup("").join(out)
