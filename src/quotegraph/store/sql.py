"""The Store protocol on one database, for SQLite and PostgreSQL alike: each role in its own module.

Writing is ``writing.ArticleWriter`` (events and their links ``event_links``), reading articles
``articles.ArticleQueries``, quotes and what they add up to ``quotes.QuoteQueries``, entities and places
``entities.EntityQueries``, events ``events.EventQueries``, the user's corrections ``canonical`` and
``event_links``; the dialects (``sqlite.py``, ``postgres.py``) only connect.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from types import TracebackType
from typing import Any, Self

from quotegraph.errors import StoreError
from quotegraph.model import Article, IngestFailure
from quotegraph.store import canonical, event_links
from quotegraph.store.articles import ArticleQueries
from quotegraph.store.base import (
    ArticleCopy,
    EntityDetail,
    EntityRow,
    EventDetail,
    EventRow,
    FacetCount,
    FlaggedDateRow,
    PlaceRow,
    QuoteRow,
    RelayRow,
    SpeakerRow,
    TalksAboutRow,
)
from quotegraph.store.database import Database
from quotegraph.store.entities import EntityQueries
from quotegraph.store.events import EventQueries
from quotegraph.store.filters import NO_EVENT_FILTER, NO_FILTER, EventFilter, QuoteFilter
from quotegraph.store.migrations import migrate, schema_version
from quotegraph.store.quotes import QuoteQueries
from quotegraph.store.writing import ArticleWriter


class SqlStore:
    """A quotegraph database: brings its schema up to date when opened, then answers the Store protocol."""

    def __init__(self, db: Database) -> None:
        self.db = db
        refused: tuple[type[Exception], ...] = (StoreError, *db.driver_errors)
        try:
            migrate(db)
        except refused as exc:
            db.close()
            raise StoreError(f"cannot open the database {db.location!r}: {exc}") from exc
        except BaseException:
            db.close()
            raise
        self.writer = ArticleWriter(db)
        self.articles = ArticleQueries(db)
        self.quote_queries = QuoteQueries(db)
        self.entity_queries = EntityQueries(db, self.quote_queries)
        self.event_queries = EventQueries(db, self.quote_queries)

    @property
    def location(self) -> str:
        """The database as shown to users: a file path, or a URL without its password."""
        return self.db.location

    @property
    def conn(self) -> Any:
        return self.db.conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Run one ``?``-placeholder statement on the database (for migrations and tests)."""
        return self.db.execute(sql, params)

    def schema_version(self) -> int:
        return schema_version(self.db)

    # --- writing -------------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        return self.writer.add_article(article)

    def add_failure(self, failure: IngestFailure) -> None:
        self.writer.add_failure(failure)

    def add_copies(self, copies: Sequence[ArticleCopy]) -> int:
        return self.writer.add_copies(copies)

    def merge_entities(self, into: str, other: str) -> str:
        return canonical.merge(self.db, into, other)

    def split_entity(self, name: str, *, alias: str | None = None, article: str | None = None) -> str:
        return canonical.split(self.db, name, alias, article)

    # --- articles ------------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        return self.articles.has_article(content_hash)

    def article(self, ref: str) -> Article | None:
        return self.articles.article(ref)

    def articles_count(self) -> int:
        return self.articles.articles_count()

    def quote_ids(self, content_hash: str) -> list[int]:
        return self.articles.quote_ids(content_hash)

    def failures(self) -> list[IngestFailure]:
        return self.articles.failures()

    def copies(self, content_hash: str) -> list[ArticleCopy]:
        return self.articles.copies(content_hash)

    def flagged_dates(self) -> list[FlaggedDateRow]:
        return self.articles.flagged_dates()

    # --- quotes --------------------------------------------------------------------------------

    def quotes(self, selected: QuoteFilter = NO_FILTER) -> list[QuoteRow]:
        return self.quote_queries.quotes(selected)

    def count_quotes(self, selected: QuoteFilter = NO_FILTER) -> int:
        return self.quote_queries.count_quotes(selected)

    def page(self, selected: QuoteFilter) -> tuple[list[QuoteRow], int]:
        return self.quote_queries.page(selected)

    def facets(self, selected: QuoteFilter, *, top: int = 10) -> dict[str, list[FacetCount]]:
        return self.quote_queries.facets(selected, top=top)

    def speakers(self) -> list[SpeakerRow]:
        return self.quote_queries.speakers()

    def speaker_aliases(self, names: Collection[str] | None = None) -> dict[str, list[str]]:
        return self.quote_queries.speaker_aliases(names)

    def quote(self, quote_id: int) -> QuoteRow | None:
        return self.quote_queries.quote(quote_id)

    def relays(self, selected: QuoteFilter = NO_FILTER) -> list[RelayRow]:
        return self.quote_queries.relays(selected)

    def talks_about(self, selected: QuoteFilter = NO_FILTER) -> list[TalksAboutRow]:
        return self.quote_queries.talks_about(selected)

    def timeline(self, selected: QuoteFilter = NO_FILTER) -> list[tuple[str, int]]:
        return self.quote_queries.timeline(selected)

    def latest(self, articles: int) -> list[QuoteRow]:
        return self.quote_queries.latest(articles)

    def version(self) -> tuple[object, ...]:
        """Changes whenever an article, an entity link or a correction is stored (ids only grow): the
        newest quote, place, entity and decision ids, each read from its primary key."""
        return tuple(
            self.db.execute(
                "SELECT (SELECT max(id) FROM quotes), (SELECT max(id) FROM places), "
                "(SELECT max(id) FROM entities), (SELECT max(id) FROM entity_decisions)"
            )[0]
        )

    # --- entities and places -------------------------------------------------------------------

    def entities(
        self, *, kind: str | None = None, search: str | None = None, limit: int | None = 100
    ) -> list[EntityRow]:
        return self.entity_queries.entities(kind=kind, search=search, limit=limit)

    def entity(self, name: str, *, quotes: bool = True) -> EntityDetail | None:
        return self.entity_queries.entity(name, quotes=quotes)

    def lookup(self, name: str) -> list[EntityRow]:
        return self.entity_queries.lookup(name)

    def places(self, selected: QuoteFilter = NO_FILTER) -> list[PlaceRow]:
        return self.entity_queries.places(selected)

    # --- events --------------------------------------------------------------------------------

    def events(self, selected: EventFilter = NO_EVENT_FILTER) -> list[EventRow]:
        return self.event_queries.events(selected)

    def count_events(self, selected: EventFilter = NO_EVENT_FILTER) -> int:
        return self.event_queries.count_events(selected)

    def event(self, event_id: int) -> EventDetail | None:
        return self.event_queries.event(event_id)

    def article_event_ids(self, content_hash: str) -> list[int]:
        return self.event_queries.article_event_ids(content_hash)

    def merge_events(self, into: int, other: int) -> str:
        return event_links.merge(self.db, into, other)

    def split_event(self, event_id: int, article: str) -> str:
        return event_links.split(self.db, event_id, article)

    # --- lifetime ------------------------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
