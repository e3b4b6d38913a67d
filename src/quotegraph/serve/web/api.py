"""The JSON API: read-only queries on the store, paginated, plus ingest when a token is configured."""

from __future__ import annotations

import hmac
import inspect
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from quotegraph import settings
from quotegraph.model import Article, IngestFailure
from quotegraph.serve.records import (
    EntityRecord,
    EventDetailRecord,
    EventRecord,
    QuoteRecord,
    entity_record,
    event_detail_record,
    event_records,
    quote_records,
)
from quotegraph.store import EventFilter, QuoteFilter, Store, parse_event_filter, parse_filter
from quotegraph.store.base import (
    EntityRole,
    EntityRow,
    FlaggedDateRow,
    RelayRow,
    SpeakerRow,
    TalksAboutRow,
)
from quotegraph.store.filters import EVENT_FIELDS as EVENT_FILTER_FIELDS
from quotegraph.store.filters import EVENT_HELP as EVENT_FILTER_HELP
from quotegraph.store.filters import FIELDS as FILTER_FIELDS
from quotegraph.store.filters import HELP as FILTER_HELP
from quotegraph.store.filters import MAX_INTEGER
from quotegraph.textnorm import fold

router = APIRouter()
T = TypeVar("T")


MAX_PAGE = 500  # rows one API page holds
DEFAULT_PAGE = 20


def _quote_filter(**values: str | list[str] | None) -> QuoteFilter:
    """The quote filter from the query string, checked by ``parse_filter`` as the command line's is;
    ``acts`` may be given once comma-separated or repeated (the search page's checkboxes)."""
    given = {name: ",".join(value) if isinstance(value, list) else value for name, value in values.items()}
    if given["limit"] is None:
        given["limit"] = str(DEFAULT_PAGE)
    return parse_filter(given, max_limit=MAX_PAGE)


def _event_filter(**values: str | None) -> EventFilter:
    """The event filter from the query string, checked by ``parse_event_filter`` as the command line's is."""
    if values["limit"] is None:
        values["limit"] = str(DEFAULT_PAGE)
    return parse_event_filter(values, max_limit=MAX_PAGE)


def _query(fields: Sequence[str], help: Mapping[str, str], lists: Collection[str] = ()) -> inspect.Signature:
    """FastAPI reads a dependency's parameters from its signature: one per filter, named as on the
    command line without the dashes (``min_confidence``, ``from``), all text until the filter's
    parser checks them; those in ``lists`` may be repeated."""
    return inspect.Signature(
        [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=Query(None, alias=name.rstrip("_"), description=help[name]),
                annotation=list[str] | None if name in lists else str | None,
            )
            for name in fields
        ]
    )


_quote_filter.__signature__ = _query(FILTER_FIELDS, FILTER_HELP, ("acts",))  # type: ignore[attr-defined]
_event_filter.__signature__ = _query(EVENT_FILTER_FIELDS, EVENT_FILTER_HELP)  # type: ignore[attr-defined]
EventFilterQuery = Annotated[EventFilter, Depends(_event_filter)]
QuoteFilterQuery = Annotated[QuoteFilter, Depends(_quote_filter)]


class Paging(BaseModel):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=MAX_INTEGER)


@dataclass(frozen=True, slots=True)
class ResultPage(Generic[T]):
    """One page of a longer list: ``total`` counts the whole list."""

    total: int
    limit: int
    offset: int
    items: list[T]


@dataclass(frozen=True, slots=True)
class DateCount:
    date: str  # an article publication date as stored, or "" for undated articles
    count: int


@dataclass(frozen=True, slots=True)
class SpeakerDetail:
    speaker: SpeakerRow
    timeline: list[DateCount]  # quotes per article date, oldest first
    talks_about: list[TalksAboutRow]  # people and organizations named in their quotes
    relayed_by: list[RelayRow]  # speakers who quote this speaker's words
    relays: list[RelayRow]  # speakers whose words this speaker quotes
    roles: list[EntityRole]  # how articles describe them ("the trade minister"), dated
    quoted_about: int  # quotes by anyone that name them


@dataclass(frozen=True, slots=True)
class Ingested:
    id: str
    article_id: str  # content hash
    stored: bool  # False: the same content was already stored
    quotes: int


def page_of(items: list[T], paging: Paging) -> ResultPage[T]:
    return ResultPage(
        len(items), paging.limit, paging.offset, items[paging.offset : paging.offset + paging.limit]
    )


def search(store: Store, selected: QuoteFilter) -> ResultPage[QuoteRecord]:
    """One page of quotes, newest article first, with the count of every match."""
    limit = selected.limit or DEFAULT_PAGE
    records = quote_records(store, store.quotes(selected))
    return ResultPage(store.count_quotes(selected), limit, selected.offset, records)


def speaker_detail(store: Store, name: str) -> SpeakerDetail:
    key = fold(name)
    found = next((s for s in store.speakers() if fold(s.name) == key), None)
    if found is None:
        raise HTTPException(404, f"no speaker {name!r}")
    entity = store.entity(found.name)  # the same person across articles, with the roles they are given
    by = (
        entity.quotes_by
        if entity
        else [r for r in store.quotes(QuoteFilter(speaker=name)) if fold(r.speaker or "") == key]
    )
    dates = Counter(r.published or "" for r in by)
    return SpeakerDetail(
        speaker=found,
        timeline=[DateCount(d, n) for d, n in sorted(dates.items())],
        talks_about=[t for t in store.talks_about() if fold(t.speaker) == key],
        relayed_by=[r for r in store.relays() if fold(r.source or "") == key],
        relays=[r for r in store.relays() if fold(r.relayer or "") == key],
        roles=entity.roles if entity else [],
        quoted_about=store.count_quotes(QuoteFilter(about=found.name)),
    )


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def article_or_404(store: Store, ref: str) -> Article:
    article = store.article(ref)
    if article is None:
        raise HTTPException(404, f"no article {ref!r}: give its id or the start of its content hash")
    return article


@router.get("/quotes")
async def quotes(request: Request, selected: QuoteFilterQuery) -> ResultPage[QuoteRecord]:
    """Quotes matching every filter given, newest article first (``limit`` up to 500)."""
    return search(store_of(request), selected)


@router.get("/quotes/{quote_id}")
async def quote(request: Request, quote_id: Annotated[int, Path(ge=1, le=MAX_INTEGER)]) -> QuoteRecord:
    """One quote by its ``quote_id``: a permanent address for it."""
    store = store_of(request)
    found = store.quote(quote_id)
    if found is None:
        raise HTTPException(404, f"no quote {quote_id}")
    return quote_records(store, [found])[0]


@router.get("/speakers")
async def speakers(request: Request, paging: Annotated[Paging, Query()]) -> ResultPage[SpeakerRow]:
    """Speakers with aliases and counts, most quoted first."""
    return page_of(store_of(request).speakers(), paging)


@router.get("/speakers/{name:path}")
async def speaker(request: Request, name: str) -> SpeakerDetail:
    """One speaker: aliases, quotes per date, whom they talk about, who relays them and whom they relay."""
    return speaker_detail(store_of(request), name)


@router.get("/entities")
async def entities(
    request: Request,
    paging: Annotated[Paging, Query()],
    kind: Annotated[str | None, Query(pattern="^(person|org|place)$")] = None,
    search: Annotated[str | None, Query(description="Words of a name or alias.")] = None,
) -> ResultPage[EntityRow]:
    """People and organizations resolved across articles, and places with coordinates, most articles first."""
    return page_of(store_of(request).entities(kind=kind, search=search, limit=None), paging)


@router.get("/entities/{name:path}")
async def entity(request: Request, name: str) -> EntityRecord:
    """One entity by any of its names: aliases, dated roles, every linked article and why, quotes by and about."""
    store = store_of(request)
    found = store.entity(name)
    if found is None:
        raise HTTPException(404, f"no entity {name!r}")
    return entity_record(store, found)


@router.get("/articles/{ref:path}")
async def article(request: Request, ref: str) -> dict[str, Any]:
    """An article's stored text and every record with its character offsets into that text."""
    found = article_or_404(store_of(request), ref)
    return asdict(found) | {"content_hash": found.content_hash}


@router.get("/events")
async def events(request: Request, selected: EventFilterQuery) -> ResultPage[EventRecord]:
    """Events across articles matching every filter given, latest date first (``limit`` up to 500)."""
    store = store_of(request)
    rows = event_records(store.events(selected))
    return ResultPage(store.count_events(selected), selected.limit or DEFAULT_PAGE, selected.offset, rows)


@router.get("/events/{event_id}")
async def event(request: Request, event_id: Annotated[int, Path(ge=1, le=MAX_INTEGER)]) -> EventDetailRecord:
    """One event by its ``event_id``: the record, every report (the earliest first) with why it was
    linked, and the quotes about it with the reason for each."""
    store = store_of(request)
    found = store.event(event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    return event_detail_record(store, found)


@router.get("/relays")
async def relays(request: Request, paging: Annotated[Paging, Query()]) -> ResultPage[RelayRow]:
    """Who relays whose words (a quote inside another speaker's quote), most frequent first."""
    return page_of(store_of(request).relays(), paging)


@router.get("/talks-about")
async def talks_about(request: Request, paging: Annotated[Paging, Query()]) -> ResultPage[TalksAboutRow]:
    """Who names whom inside their quotes, most frequent first."""
    return page_of(store_of(request).talks_about(), paging)


@router.get("/checks")
async def checks(request: Request, paging: Annotated[Paging, Query()]) -> ResultPage[FlaggedDateRow]:
    """Dates the text contradicts, with their sentences."""
    return page_of(store_of(request).flagged_dates(), paging)


# The body is read raw (its size is checked while it streams, its JSON by the readers), so its
# schema is declared here for clients and for fuzzing: a JSON object like a line of JSONL input.
_ARTICLE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": ["string", "integer"]},
                    **{
                        name: {"type": "string"}
                        for name in ("text", "html", "url", "title", "published", "language")
                    },
                },
            }
        }
    },
}


@router.post("/articles", status_code=201, openapi_extra={"requestBody": _ARTICLE_BODY})
async def ingest(
    request: Request, response: Response, x_ingest_token: Annotated[str | None, Header()] = None
) -> Ingested:
    """Extract and store one article, given as a JSON object like a line of JSONL input
    (``id``, ``text`` or ``html``, optional ``url``, ``title``, ``published``, ``language``).

    Needs the server's ingest token in the ``X-Ingest-Token`` header; without one configured the
    API is read-only.
    """
    token: str | None = request.app.state.ingest_token
    if token is None:
        raise HTTPException(403, "the API is read-only: start the server with --ingest-token to allow ingest")
    if not x_ingest_token:
        raise HTTPException(401, "missing X-Ingest-Token header")
    if not hmac.compare_digest(x_ingest_token.encode(), token.encode()):
        raise HTTPException(403, "wrong ingest token")
    body = await request.body()
    limit = settings.get_int("max_file_bytes")
    if len(body) > limit:
        raise HTTPException(413, f"the article is {len(body)} bytes, more than the limit of {limit}")
    from quotegraph.ingest import record_to_article  # the readers and spaCy load on the first ingest only

    article = record_to_article(body, "POST /api/articles")
    annotated = await run_in_threadpool(_extract, article)
    if isinstance(annotated, IngestFailure):
        store_of(request).add_failure(IngestFailure(f"POST /api/articles: id {article.id}", annotated.reason))
        raise HTTPException(422, f"the article could not be analysed: {_public(annotated.reason)}")
    stored = store_of(request).add_article(annotated)
    if not stored:
        response.status_code = 200
    return Ingested(annotated.id, annotated.content_hash, stored, len(annotated.quotes))


def _public(reason: str) -> str:
    """A failure's reason as a client may read it: a limit as it is, an error by its type alone (its
    message may name this server's files); the whole reason is in the recorded failures."""
    what, _, detail = reason.partition(": ")
    if what != "analysis failed":
        return reason
    return f"analysis failed ({detail.partition(':')[0]}); the server's recorded failures say why"


def _extract(article: Article) -> Article | IngestFailure:
    """The article through the pipeline, or why it could not be analysed (an error, a limit)."""
    from quotegraph.pipeline import extract_many

    failures: list[IngestFailure] = []
    done = list(extract_many([article], on_failure=failures.append))
    return done[0] if done else failures[0]
