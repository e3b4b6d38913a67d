"""The JSON API: read-only queries on the store, paginated, plus ingest when a token is configured.

Handlers are plain functions (FastAPI runs them in its thread pool), each with a store of its own
from the app's pool (``StoreDep``); what sums up the whole database is read through the app's
``Snapshot``, once per change of the data.
"""

from __future__ import annotations

import hmac
import inspect
import io
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from quotegraph import settings
from quotegraph.model import Article, IngestFailure
from quotegraph.serve import citation
from quotegraph.serve.records import (
    EntityRecord,
    EventDetailRecord,
    EventRecord,
    QuoteRecord,
    entity_record,
    event_detail_record,
    event_records,
    quote_records,
    write_csv,
    write_jsonl,
)
from quotegraph.serve.web.state import Snapshot, StorePool
from quotegraph.store import EventFilter, QuoteFilter, Store, parse_event_filter, parse_filter
from quotegraph.store.base import (
    EntityRole,
    EntityRow,
    EventDetail,
    FacetCount,
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
from quotegraph.store.search import marks, parse_search
from quotegraph.textnorm import fold

router = APIRouter()
T = TypeVar("T")


MAX_PAGE = 500  # rows one API page holds
DEFAULT_PAGE = 20
SNIPPET_CHARS = 280  # a longer quote is shown as this much around its first matched word
DOWNLOAD_BATCH = 1000  # quotes read at a time while a download streams


def _store(request: Request) -> Iterator[Store]:
    pool: StorePool = request.app.state.pool
    with pool.store() as store:
        yield store


StoreDep = Annotated[Store, Depends(_store)]


def snapshot_of(request: Request) -> Snapshot:
    found: Snapshot = request.app.state.snapshot
    return found


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
class Snippet:
    """What of a quote a list of results shows: ``text[start:end]`` of the record, with the ranges
    the search words matched (``marks``, offsets into the record's text)."""

    start: int
    end: int
    marks: list[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class QuotePage:
    """A page of quotes (``items`` as in Exports) with the snippet of each to show."""

    total: int
    limit: int
    offset: int
    items: list[QuoteRecord]
    snippets: list[Snippet]
    labels: list[str]  # how pages name each item's article (article_label)


@dataclass(frozen=True, slots=True)
class DateCount:
    date: str  # an article publication date as stored, or "" for undated articles
    count: int


@dataclass(frozen=True, slots=True)
class SpeakerDetail:
    speaker: SpeakerRow
    id: str | None  # the entity across articles (the speaker_id filter); None for a group speaker
    timeline: list[DateCount]  # quotes per article date, oldest first; undated last as ""
    talks_about: list[TalksAboutRow]  # people and organizations named in their quotes
    relayed_by: list[RelayRow]  # speakers who quote this speaker's words
    relays: list[RelayRow]  # speakers whose words this speaker quotes
    roles: list[EntityRole]  # how articles describe them ("the trade minister"), dated
    quoted_about: int | None  # quotes by anyone that name them (the API counts them; pages link to them)
    others: list[EntityRow]  # other people or organizations the name given may mean

    def quote_filter(self) -> QuoteFilter:
        """The filter of this speaker's quotes."""
        if self.id is not None:
            return QuoteFilter(speaker_id=self.id)
        return QuoteFilter(speaker=self.speaker.name)


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


def search(store: Store, selected: QuoteFilter) -> QuotePage:
    """One page of quotes in the filter's order, with the count of every match and the snippet of each."""
    limit = selected.limit or DEFAULT_PAGE
    rows, total = store.page(selected)
    records = quote_records(store, rows)
    words = parse_search(selected.search) if selected.search else None
    snippets = [snippet(r.text, marks(words, r.text) if words else []) for r in records]
    labels = [article_label(r.title, r.external_id, r.source, r.article_id) for r in rows]
    return QuotePage(total, limit, selected.offset, records, snippets, labels)


def article_label(title: str | None, external_id: str, source: str | None, article_id: str) -> str:
    """How pages name an article: its headline, else the id it was given; never a file path (an id
    that is where the article was read from): then its content hash."""
    if title and title.strip():
        return title
    if external_id and external_id != source and external_id != article_id:
        return external_id
    return f"article {article_id[:12]}"


def snippet(text: str, found: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> Snippet:
    """The whole of a short quote; of a long one, ``width`` characters from a little before its first
    match (or from its start), cut at spaces."""
    if len(text) <= width:
        return Snippet(0, len(text), found)
    start = max(0, (found[0][0] if found else 0) - width // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    return Snippet(start, end, [(s, e) for s, e in found if s >= start and e <= end])


def facets(request: Request, store: Store, selected: QuoteFilter) -> dict[str, list[FacetCount]]:
    """The facet counts of a search, whatever its page or order, once per filter until the data changes."""
    whole = replace(selected, limit=None, offset=0, sort="date")
    return snapshot_of(request).get(store, ("facets", whole), lambda: store.facets(whole))


def speaker_detail(request: Request, store: Store, name: str) -> SpeakerDetail:
    """One speaker by any name the lookup knows (``Store.lookup``: a surname, a spelling variant, an
    alias), the first it offers; a speaker not linked across articles (a group) by its name."""
    snapshot = snapshot_of(request)
    # of the entities the name may mean, the most quoted (this is a speaker's page); ties in the lookup's order
    found = sorted(
        snapshot.get(store, ("lookup", fold(name)), lambda: store.lookup(name)), key=lambda e: -e.quote_count
    )
    if found:
        entity = found[0]
        return snapshot.get(
            store, ("speaker", entity.id), lambda: _entity_speaker(request, store, entity, found[1:])
        )
    key = fold(name)
    speakers = snapshot.get(store, "speakers", store.speakers)
    group = next((s for s in speakers if fold(s.name) == key), None)
    if group is None:
        raise HTTPException(404, f"no speaker {name!r}")
    return snapshot.get(store, ("group", key), lambda: _details(request, store, group, None, [], []))


def _entity_speaker(
    request: Request, store: Store, entity: EntityRow, others: list[EntityRow]
) -> SpeakerDetail:
    row = SpeakerRow(entity.name, entity.kind, entity.aliases, entity.quote_count, entity.article_count)
    detail = store.entity(entity.id, quotes=False)
    return _details(request, store, row, entity.id, detail.roles if detail else [], others)


def _details(
    request: Request,
    store: Store,
    row: SpeakerRow,
    entity_id: str | None,
    roles: list[EntityRole],
    others: list[EntityRow],
) -> SpeakerDetail:
    theirs = QuoteFilter(speaker_id=entity_id) if entity_id else QuoteFilter(speaker=row.name)
    dated = [DateCount(day, n) for day, n in store.timeline(theirs)]
    undated = store.count_quotes(theirs) - sum(d.count for d in dated)
    names = {fold(n) for n in [row.name, *row.aliases]}
    relays = snapshot_of(request).get(store, "relays", store.relays)
    return SpeakerDetail(
        speaker=row,
        id=entity_id,
        timeline=dated + ([DateCount("", undated)] if undated else []),
        talks_about=store.talks_about(theirs),
        relayed_by=[r for r in relays if fold(r.source or "") in names],
        relays=store.relays(theirs),
        roles=roles,
        quoted_about=None,
        others=others,
    )


def article_or_404(store: Store, ref: str) -> Article:
    article = store.article(ref)
    if article is None:
        raise HTTPException(404, f"no article {ref!r}: give its id or the start of its content hash")
    return article


def quote_or_404(store: Store, quote_id: int) -> QuoteRecord:
    found = store.quote(quote_id)
    if found is None:
        raise HTTPException(404, f"no quote {quote_id}")
    return quote_records(store, [found])[0]


QuoteId = Annotated[int, Path(ge=1, le=MAX_INTEGER)]


@router.get("/quotes")
def quotes(store: StoreDep, selected: QuoteFilterQuery) -> QuotePage:
    """Quotes matching every filter given, newest article first unless ``sort`` says otherwise
    (``limit`` up to 500), each with the snippet to show: its matched words' offsets."""
    return search(store, selected)


@router.get("/quotes/facets")
def quote_facets(
    request: Request, store: StoreDep, selected: QuoteFilterQuery
) -> dict[str, list[FacetCount]]:
    """How the quotes matching the filters divide by speaker, outlet, year, kind and act (the largest
    ten of each), each with the filters that select it."""
    return facets(request, store, selected)


@router.get("/quotes/download")
def download(
    request: Request, selected: QuoteFilterQuery, format: Literal["csv", "jsonl"] = "csv"
) -> StreamingResponse:
    """Every quote matching the filters (no limit), as CSV or JSONL with the export fields."""
    everything = selected.page(None, 0)
    pool: StorePool = request.app.state.pool
    write = write_csv if format == "csv" else write_jsonl

    def stream() -> Iterator[str]:
        with pool.store() as store:  # held while the response streams, not only while the handler runs
            offset, header = 0, True
            while True:
                rows = store.quotes(everything.page(DOWNLOAD_BATCH, offset))
                chunk = io.StringIO()
                write(quote_records(store, rows), chunk)
                text = chunk.getvalue()
                if format == "csv" and not header:
                    text = text.split("\n", 1)[1]  # one header line for the whole file
                if rows or header:
                    yield text
                header = False
                if len(rows) < DOWNLOAD_BATCH:
                    return
                offset += DOWNLOAD_BATCH

    name = f"quotes.{format}"
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson; charset=utf-8"
    return StreamingResponse(
        stream(), media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/quotes/{quote_id}")
def quote(store: StoreDep, quote_id: QuoteId) -> QuoteRecord:
    """One quote by its ``quote_id``: a permanent address for it."""
    return quote_or_404(store, quote_id)


@router.get("/quotes/{quote_id}/csl")
def quote_csl(request: Request, store: StoreDep, quote_id: QuoteId) -> JSONResponse:
    """The quote's article as CSL-JSON (a list of one item, for Zotero and other reference managers),
    the speaker and words in ``note``, accessed today."""
    record = quote_or_404(store, quote_id)
    link = str(request.url_for("quote_page", quote_id=quote_id))
    item = citation.csl_json(record, link=link, accessed=date.today())
    return JSONResponse(item, media_type="application/vnd.citationstyles.csl+json")


@router.get("/speakers")
def speakers(request: Request, store: StoreDep, paging: Annotated[Paging, Query()]) -> ResultPage[SpeakerRow]:
    """Speakers with aliases and counts, most quoted first."""
    return page_of(snapshot_of(request).get(store, "speakers", store.speakers), paging)


@router.get("/speakers/{name:path}")
def speaker(request: Request, store: StoreDep, name: str) -> SpeakerDetail:
    """One speaker by any of their names: aliases, quotes per date, whom they talk about, who relays
    them and whom they relay, how many quotes name them, and who else the name may mean."""
    detail = speaker_detail(request, store, name)
    about = QuoteFilter(about=detail.speaker.name)
    counted = snapshot_of(request).get(store, ("about", about), lambda: store.count_quotes(about))
    return replace(detail, quoted_about=counted)


@router.get("/entities")
def entities(
    store: StoreDep,
    paging: Annotated[Paging, Query()],
    kind: Annotated[str | None, Query(pattern="^(person|org|place)$")] = None,
    search: Annotated[str | None, Query(description="Words of a name or alias.")] = None,
    demonyms: Annotated[
        bool, Query(description=FILTER_HELP["demonyms"].replace("With place or about", "Places"))
    ] = False,
) -> ResultPage[EntityRow]:
    """People and organizations resolved across articles, and places with coordinates, most articles first."""
    return page_of(store.entities(kind=kind, search=search, limit=None, demonyms=demonyms), paging)


@router.get("/entities/{name:path}")
def entity(store: StoreDep, name: str) -> EntityRecord:
    """One entity by any of its names: aliases, dated roles, every linked article and why, quotes by and about."""
    found = store.entity(name)
    if found is None:
        raise HTTPException(404, f"no entity {name!r}")
    return entity_record(store, found, name)


@router.get("/articles/{ref:path}")
def article(store: StoreDep, ref: str) -> dict[str, Any]:
    """An article's stored text and every record with its character offsets into that text."""
    found = article_or_404(store, ref)
    return asdict(found) | {"content_hash": found.content_hash}


@router.get("/events")
def events(store: StoreDep, selected: EventFilterQuery) -> ResultPage[EventRecord]:
    """Events across articles matching every filter given, latest date first (``limit`` up to 500)."""
    rows = event_records(store.events(selected))
    return ResultPage(store.count_events(selected), selected.limit or DEFAULT_PAGE, selected.offset, rows)


def event_or_404(store: Store, event_id: int) -> EventDetail:
    found = store.event(event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    return found


EventId = Annotated[int, Path(ge=1, le=MAX_INTEGER)]


@router.get("/events/{event_id}")
def event(store: StoreDep, event_id: EventId) -> EventDetailRecord:
    """One event by its ``event_id``: the record, every report (the earliest first) with why it was
    linked, and the quotes about it with the reason for each."""
    return event_detail_record(store, event_or_404(store, event_id))


@router.get("/relays")
def relays(
    request: Request, store: StoreDep, selected: QuoteFilterQuery, paging: Annotated[Paging, Query()]
) -> ResultPage[RelayRow]:
    """Who relays whose words (a quote inside another speaker's quote), most frequent first; the quote
    filters select the relaying quotes (``since``/``until`` for a period)."""
    whole = selected.page(None, 0)
    return page_of(snapshot_of(request).get(store, ("relays", whole), lambda: store.relays(whole)), paging)


@router.get("/talks-about")
def talks_about(
    request: Request, store: StoreDep, selected: QuoteFilterQuery, paging: Annotated[Paging, Query()]
) -> ResultPage[TalksAboutRow]:
    """Who names whom inside their quotes, most frequent first, among the quotes the filters keep."""
    whole = selected.page(None, 0)
    return page_of(
        snapshot_of(request).get(store, ("talks", whole), lambda: store.talks_about(whole)), paging
    )


@router.get("/checks")
def checks(store: StoreDep, paging: Annotated[Paging, Query()]) -> ResultPage[FlaggedDateRow]:
    """Dates the text contradicts, with their sentences."""
    return page_of(store.flagged_dates(), paging)


async def _body(request: Request) -> bytes:
    return await request.body()


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
def ingest(
    request: Request,
    store: StoreDep,
    response: Response,
    body: Annotated[bytes, Depends(_body)],
    x_ingest_token: Annotated[str | None, Header()] = None,
) -> Ingested:
    """Extract and store one article, given as a JSON object like a line of JSONL input
    (``id``, ``text`` or ``html``, optional ``url``, ``title``, ``published``, ``language``, ``site_name``).

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
    limit = settings.get_int("max_file_bytes")
    if len(body) > limit:
        raise HTTPException(413, f"the article is {len(body)} bytes, more than the limit of {limit}")
    from quotegraph.ingest import record_to_article  # the readers and spaCy load on the first ingest only

    article = record_to_article(body, "POST /api/articles")
    annotated = _extract(article)  # a plain def: FastAPI runs it in its thread pool
    if isinstance(annotated, IngestFailure):
        store.add_failure(IngestFailure(f"POST /api/articles: id {article.id}", annotated.reason))
        raise HTTPException(422, f"the article could not be analysed: {_public(annotated.reason)}")
    stored = store.add_article(annotated)
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
