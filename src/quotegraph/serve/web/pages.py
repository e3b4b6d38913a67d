"""Server-rendered pages (Jinja2, autoescaped); each page's script, if any, is a static file."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from quotegraph.model import Article
from quotegraph.serve.web import maps
from quotegraph.serve.web.api import (
    DateCount,
    QuoteFilterQuery,
    article_or_404,
    search,
    speaker_detail,
    store_of,
)
from quotegraph.store import QuoteFilter
from quotegraph.store.filters import QUOTE_KINDS, SPEECH_ACTS
from quotegraph.textnorm import fold

router = APIRouter(include_in_schema=False)
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,  # article text, titles and names are untrusted
    undefined=jinja2.StrictUndefined,
)
_env.filters["path"] = lambda value: quote(str(value), safe="")
templates = Jinja2Templates(env=_env)


def _render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _render(request, "error.html", status, status=status, message=message)


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    store = store_of(request)
    return _render(
        request,
        "home.html",
        latest=store.quotes(QuoteFilter(limit=12)),
        speakers=store.speakers()[:12],
        articles=store.articles_count(),
    )


@router.get("/search")
async def search_page(request: Request, selected: QuoteFilterQuery) -> HTMLResponse:
    results = search(store_of(request), selected)
    # the query string of these filters without the page, for the pager's links
    params = [
        (key, value)
        for key, value in request.query_params.multi_items()
        if key not in ("offset", "limit") and value.strip()
    ]
    return _render(
        request,
        "search.html",
        filter=selected,
        results=results,
        params=params,
        kinds=QUOTE_KINDS,
        acts=SPEECH_ACTS,
    )


@router.get("/speakers/{name:path}")
async def speaker(request: Request, name: str) -> HTMLResponse:
    store = store_of(request)
    detail = speaker_detail(store, name)
    key = fold(detail.speaker.name)
    quotes = [q for q in store.quotes(QuoteFilter(speaker=name)) if fold(q.speaker or "") == key]
    by_date: dict[str, list[Any]] = defaultdict(list)
    for q in quotes:
        by_date[q.published or "undated"].append(q)
    return _render(
        request, "speaker.html", detail=detail, by_date=by_date, bars=timeline_bars(detail.timeline)
    )


@router.get("/articles/{ref:path}")
async def article(request: Request, ref: str) -> HTMLResponse:
    found = article_or_404(store_of(request), ref)
    children: dict[int, list[int]] = defaultdict(list)
    for n, q in enumerate(found.quotes):
        if q.nested_in is not None:
            children[q.nested_in].append(n)
    return _render(request, "article.html", article=found, body=highlight(found), children=children)


@router.get("/graphs")
async def graphs(request: Request) -> HTMLResponse:
    store = store_of(request)
    return _render(request, "graphs.html", relays=store.relays()[:100], talks=store.talks_about()[:100])


@router.get("/places")
async def places(request: Request, demonyms: bool = False) -> HTMLResponse:
    """The places named; those named by their people ("Russian officials") too with ``?demonyms=true``."""
    found = [
        p for p in store_of(request).places(demonyms=demonyms) if p.lat is not None and p.lon is not None
    ]
    top = max((p.articles for p in found), default=1)
    points = []
    for p in found:
        x, y = maps.project(p.lat or 0.0, p.lon or 0.0)
        points.append(
            {
                "name": p.name,
                "articles": p.articles,
                "x": x,
                "y": y,
                "r": 2.5 + 5 * math.sqrt(p.articles / top),
            }
        )
    dated = [p for p in found if p.first and p.last][:40]
    scale = TimeScale([d for p in dated for d in (p.first, p.last)], left=180, right=maps.WIDTH - 20)
    lanes = [
        {
            "name": p.name,
            "first": p.first,
            "last": p.last,
            "x": scale.x(p.first) - 4,
            "w": scale.x(p.last) - scale.x(p.first) + 8,
        }
        for p in dated
    ]
    return _render(
        request,
        "places.html",
        outlines=maps.outlines(),
        width=maps.WIDTH,
        height=maps.HEIGHT,
        places=found,
        demonyms=demonyms,
        points=points,
        lanes=lanes,
        ticks=scale.ticks(),
    )


class TimeScale:
    """Publication dates (partial ISO: "2024", "2024-05") to x positions between ``left`` and ``right``."""

    def __init__(self, dates: list[str | None], left: float, right: float) -> None:
        days = [d for d in map(_day, dates) if d is not None]
        self.first, self.last = min(days, default=date.today()), max(days, default=date.today())
        self.left, self.right = left, right

    def x(self, value: str | None) -> float:
        day = _day(value) or self.first
        span = (self.last - self.first).days
        if not span:
            return (self.left + self.right) / 2
        return round(self.left + (self.right - self.left) * (day - self.first).days / span, 1)

    def ticks(self) -> list[dict[str, Any]]:
        labels = sorted({self.first.isoformat(), self.last.isoformat()})
        return [{"x": self.x(label), "label": label} for label in labels]


def _day(value: str | None) -> date | None:
    """The first day a partial ISO date covers; None for anything else."""
    if value is None or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        return None
    year, month, day = [*map(int, value.split("-")), 1, 1][:3]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def timeline_bars(counts: list[DateCount], width: int = 640, height: int = 120) -> list[dict[str, Any]]:
    """One SVG bar per publication date, placed on a time axis and scaled to the busiest date."""
    dated = [c for c in counts if _day(c.date)]
    scale = TimeScale([c.date for c in dated], left=30, right=width - 30)
    top = max((c.count for c in dated), default=1)
    bars = []
    for c in dated:
        h = max(2.0, (height - 30) * c.count / top)
        bars.append(
            {
                "x": scale.x(c.date) - 5,
                "y": height - 18 - h,
                "w": 10,
                "h": h,
                "date": c.date,
                "count": c.count,
            }
        )
    return bars


def highlight(article: Article) -> Markup:
    """The article text as HTML: every quote a <mark>, cues and speaker mentions <span>s, and the
    speaker's name linked after each quote. Text is escaped piece by piece between offsets; spans
    that overlap without nesting are closed and reopened so the HTML stays well formed."""
    text = article.text
    spans: list[tuple[int, int, Markup]] = []  # start, end, opening tag
    labels: dict[int, list[Markup]] = defaultdict(list)
    for n, q in enumerate(article.quotes):
        tip = f"{q.kind} {q.act}, confidence {q.confidence:.2f}, {q.speaker or 'speaker unknown'}"
        spans.append(
            (
                q.content.start,
                q.content.end,
                Markup('<mark class="q {}" data-q="{}" data-start="{}" tabindex="0" title="{}">').format(
                    q.kind, n, q.content.start, tip
                ),
            )
        )
        if q.cue is not None:
            spans.append((q.cue.start, q.cue.end, Markup('<span class="cue" data-q="{}">').format(n)))
        if q.speaker_mention is not None:
            spans.append(
                (
                    q.speaker_mention.start,
                    q.speaker_mention.end,
                    Markup('<span class="who" data-q="{}">').format(n),
                )
            )
        if q.speaker:
            labels[q.content.end].append(
                Markup('<a class="label" data-q="{}" href="/speakers/{}">{}</a>').format(
                    n, quote(q.speaker, safe=""), q.speaker
                )
            )
    out: list[str] = []
    stack: list[int] = []  # indices into spans of the open tags, innermost last
    position = 0
    boundaries = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans} | set(labels))
    for b in boundaries:
        out.append(escape(text[position:b]))
        position = b
        ending = {i for i in stack if spans[i][1] == b}
        reopen: list[int] = []
        while ending:
            i = stack.pop()
            out.append(_close(spans[i][2]))
            if i in ending:
                ending.discard(i)
            else:
                reopen.append(i)
        for i in reversed(reopen):
            out.append(spans[i][2])
            stack.append(i)
        out.extend(labels.get(b, []))
        starting = [i for i, (s, e, _) in enumerate(spans) if s == b and e > b]
        for i in sorted(starting, key=lambda i: -spans[i][1]):  # outer (longer) spans first
            out.append(spans[i][2])
            stack.append(i)
    return Markup("").join(out)


def _close(tag: Markup) -> Markup:
    return Markup("</mark>") if tag.startswith("<mark") else Markup("</span>")
