"""Server-rendered pages (Jinja2, autoescaped); each page's script, if any, is a static file.

Like the API's, the handlers are plain functions run in FastAPI's thread pool, each with a store of
its own; what sums up the whole database comes from the app's snapshot.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from quotegraph.errors import QuotegraphError
from quotegraph.model import DEFAULT_ACTS, Article
from quotegraph.serve import citation
from quotegraph.serve.web import maps
from quotegraph.serve.web.api import (
    DateCount,
    QuoteFilterQuery,
    QuoteId,
    Snippet,
    StoreDep,
    article_label,
    article_or_404,
    facets,
    quote_or_404,
    search,
    snapshot_of,
    snippet,
    speaker_detail,
)
from quotegraph.serve.web.state import Snapshot, StorePool
from quotegraph.store import QuoteFilter
from quotegraph.store.filters import QUOTE_KINDS, SORTS, SPEECH_ACTS

router = APIRouter(include_in_schema=False)
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True,  # article text, titles and names are untrusted
    undefined=jinja2.StrictUndefined,
)
_env.filters["path"] = lambda value: quote(str(value), safe="")
_env.filters["when"] = lambda row: citation.when(row.published, row.published_inferred)
_env.globals["query"] = lambda **values: urlencode({k: v for k, v in values.items() if v not in (None, "")})
templates = Jinja2Templates(env=_env)

SPEAKER_PAGE = 20  # quotes per page of a speaker
LATEST = 12  # articles on the home page, a quote from each
GRAPH_EDGES = 40  # edges drawn unless the page asks for more


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status, status=status, message=message)


def marked(text: str, shown: Snippet) -> Markup:
    """The snippet of ``text`` as HTML, the matched words in <mark>, escaped piece by piece."""
    out: list[str] = ["…" if shown.start else ""]
    position = shown.start
    for start, end in shown.marks:
        out += [escape(text[position:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        position = end
    out += [escape(text[position : shown.end]), "…" if shown.end < len(text) else ""]
    return Markup("").join(out)


_env.globals["marked"] = marked


def narrowed(params: list[tuple[str, str]], filters: dict[str, str]) -> str:
    """The query string of a search narrowed by a facet's filters: each of them replaces the value
    the search had under that name; the page starts again at the first."""
    kept = [(key, value) for key, value in params if key not in filters and key != "offset"]
    return urlencode(kept + list(filters.items()))


_env.globals["narrowed"] = narrowed


def warm(pool: StorePool, snapshot: Snapshot) -> None:
    """Fill the snapshot with what the home page sums up (a database error shows on the page itself)."""
    with pool.store() as store, contextlib.suppress(QuotegraphError):
        snapshot.get(store, "latest", lambda: store.latest(LATEST))
        snapshot.get(store, "speakers", store.speakers)
        snapshot.get(store, "articles", store.articles_count)


@router.get("/")
def home(request: Request, store: StoreDep) -> HTMLResponse:
    snapshot = snapshot_of(request)
    latest = snapshot.get(store, "latest", lambda: store.latest(LATEST))
    speakers = snapshot.get(store, "speakers", store.speakers)
    # Quoted in the most articles, so one long transcript does not fill the list with one person.
    widest = sorted(speakers, key=lambda s: (-s.article_count, -s.quote_count, s.name))[:12]
    hits = [
        (row, snippet(row.text, []), article_label(row.title, row.external_id, row.source, row.article_id))
        for row in latest
    ]
    return render(
        request,
        "home.html",
        hits=hits,
        speakers=widest,
        articles=snapshot.get(store, "articles", store.articles_count),
    )


@router.get("/search")
def search_page(
    request: Request, store: StoreDep, selected: QuoteFilterQuery, counts: bool = False
) -> HTMLResponse:
    """The results first: the page's script fetches the facet counts (a pass over every match) once
    the page is shown; without scripts, ``counts=true`` puts them in the page."""
    results = search(store, selected)
    # the query string of these filters without the page, for the pager's links and the facets
    params = [
        (key, value)
        for key, value in request.query_params.multi_items()
        if key not in ("offset", "limit") and value.strip()
    ]
    return render(
        request,
        "search.html",
        filter=selected,
        results=results,
        hits=zip(results.items, results.snippets, results.labels, strict=True),
        facets=facets(request, store, selected) if counts else None,
        params=[(key, value) for key, value in params if key != "counts"],
        kinds=QUOTE_KINDS,
        acts=SPEECH_ACTS,
        default_acts=DEFAULT_ACTS,
        sorts=SORTS,
    )


@router.get("/speakers/{name:path}")
def speaker(
    request: Request, store: StoreDep, name: str, offset: int = Query(0, ge=0, le=10**9)
) -> HTMLResponse:
    detail = speaker_detail(request, store, name)
    theirs = replace(detail.quote_filter(), limit=SPEAKER_PAGE, offset=offset)
    page = snapshot_of(request).get(store, ("page", theirs), lambda: search(store, theirs))
    dated = [c for c in detail.timeline if c.date]
    return render(
        request,
        "speaker.html",
        detail=detail,
        page=page,
        hits=list(zip(page.items, page.snippets, page.labels, strict=True)),
        bars=timeline_bars(dated),
        undated=sum(c.count for c in detail.timeline if not c.date),
        shown_name=name,
    )


@router.get("/articles/{ref:path}")
def article(request: Request, store: StoreDep, ref: str) -> HTMLResponse:
    found = article_or_404(store, ref)
    children: dict[int, list[int]] = defaultdict(list)
    for n, q in enumerate(found.quotes):
        if q.nested_in is not None:
            children[q.nested_in].append(n)
    given = found.id if found.id not in (found.source, found.content_hash) else None
    evidence = found.published_evidence.text(found.text) if found.published_evidence else None
    return render(
        request,
        "article.html",
        article=found,
        heading=article_label(found.title, found.id, found.source, found.content_hash),
        given=given,
        evidence=evidence,
        body=highlight(found),
        children=children,
        quote_ids=store.quote_ids(found.content_hash),
        event_ids=store.article_event_ids(found.content_hash),
    )


@router.get("/quotes/{quote_id}", name="quote_page")
def quote_page(request: Request, store: StoreDep, quote_id: QuoteId) -> HTMLResponse:
    record = quote_or_404(store, quote_id)
    link = str(request.url_for("quote_page", quote_id=quote_id))
    today = date.today()
    found = store.quote(quote_id)
    return render(
        request,
        "quote.html",
        q=record,
        heading=article_label(
            record.title, record.external_id, found.source if found else None, record.article_id
        ),
        plain=citation.plain(record, link=link, accessed=today),
        csl=citation.csl_json(record, link=link, accessed=today),
        link=link,
    )


@router.get("/graphs")
def graphs(
    request: Request, selected: QuoteFilterQuery, top: int = Query(GRAPH_EDGES, ge=5, le=200)
) -> HTMLResponse:
    """The graphs of the quotes of one speaker (whom they relay, whom they name) and of a period, the
    ``top`` heaviest edges; the page's script draws them from the API with the same filters."""
    shown = {"speaker": selected.speaker, "since": selected.since, "until": selected.until}
    return render(request, "graphs.html", shown=shown, top=top)


@router.get("/places")
def places(request: Request, store: StoreDep, selected: QuoteFilterQuery) -> HTMLResponse:
    """The places named in the period; those named by their people ("Russian officials") too with
    ``?demonyms=true``."""
    period = QuoteFilter(since=selected.since, until=selected.until, demonyms=selected.demonyms)
    found = [
        p
        for p in snapshot_of(request).get(store, ("places", period), lambda: store.places(period))
        if p.lat is not None and p.lon is not None
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
    return render(
        request,
        "places.html",
        outlines=maps.outlines(),
        width=maps.WIDTH,
        height=maps.HEIGHT,
        places=found,
        points=points,
        labels=maps.labels(points),
        lanes=lanes,
        ticks=scale.ticks(),
        period=period,
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
    """The article text as HTML: every quote a <mark>, cues, speaker mentions and the words of each
    event <span>s, and the speaker's name linked after each quote. Text is escaped piece by piece between offsets; spans
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
    for n, e in enumerate(article.events):
        tip = f"event: {e.type}{f', {e.acled}' if e.acled else ''}, {e.modality}"
        spans.append(
            (
                e.trigger.start,
                e.trigger.end,
                Markup('<span class="ev" data-ev="{}" title="{}">').format(n, tip),
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
