"""Writing articles: each with all its records in one transaction, its entities and events linked across
articles."""

from __future__ import annotations

import json
from collections.abc import Sequence

from quotegraph.errors import StoreError
from quotegraph.model import Article, CharSpan, IngestFailure
from quotegraph.store.base import ArticleCopy
from quotegraph.store.canonical import link_entity, now
from quotegraph.store.database import Database
from quotegraph.store.event_links import add_events
from quotegraph.store.keys import name_keys, outlet_of
from quotegraph.textnorm import fold


class ArticleWriter:
    """Stores articles, failures and copies; an article is stored once, whole or not at all."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add_article(self, article: Article) -> bool:
        """The article row goes first with ON CONFLICT DO NOTHING: of two writers storing the same
        content at once, one inserts and the other waits for it, then finds the row and stops."""
        digest = article.content_hash
        try:
            _check_offsets(article)
            with self.db.transaction():
                inserted = self.db.execute(
                    "INSERT INTO articles (id, external_id, title, url, published, language, author, "
                    "site_name, source, text, ingested_at, outlet, published_inferred, "
                    "published_evidence_start, published_evidence_end) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING RETURNING id",
                    (
                        digest,
                        article.id,
                        article.title,
                        article.url,
                        article.published,
                        article.language,
                        article.author,
                        article.site_name,
                        article.source,
                        article.text,
                        now(),
                        outlet_of(article.site_name, article.url),
                        article.published_inferred,
                        *_pair(article.published_evidence),
                    ),
                )
                if inserted:
                    self._insert_records(article, digest)
        except StoreError as exc:  # the database refused it; anything else is a bug and shows as one
            raise StoreError(f"could not store article {article.id!r}: {exc}") from exc
        return bool(inserted)

    def _insert_records(self, article: Article, digest: str) -> None:
        entity_ids: list[int] = []
        roles: dict[int, list[str]] = {}
        for mention in article.mentions:
            if mention.label == "ROLE" and mention.entity is not None:
                roles.setdefault(mention.entity, []).append(mention.text)
        for position, entity in enumerate(article.entities):
            entity_id = self.db.insert_id(
                "INSERT INTO entities (article_id, position, name, kind, name_key, surname_key) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (digest, position, entity.name, entity.kind, *name_keys(entity.name)),
            )
            entity_ids.append(entity_id)
            self.db.executemany(
                "INSERT INTO entity_aliases (entity_id, alias, alias_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(entity_id, alias, fold(alias)) for alias in entity.aliases],
            )
            link_entity(self.db, entity_id, entity, roles.get(position, []))
        self.db.executemany(
            'INSERT INTO mentions (article_id, start, "end", text, label, entity_id) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (digest, m.span.start, m.span.end, m.text, m.label, _lookup(entity_ids, m.entity))
                for m in article.mentions
            ],
        )
        search_column, search_value = (
            (", search", ", " + self.db.search_vector) if self.db.search_vector else ("", "")
        )
        quote_ids: list[int] = []
        for position, quote in enumerate(article.quotes):
            words = quote.content.text(article.text)
            quote_ids.append(
                self.db.insert_id(
                    'INSERT INTO quotes (article_id, position, start, "end", text, kind, act, confidence, '
                    "cue_start, cue_end, speaker_start, speaker_end, speaker_name, speaker_entity_id, inferred, "
                    f"speaker_key, speaker_surname, topic_start, topic_end{search_column}) "
                    f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?{search_value}) RETURNING id",
                    (
                        digest,
                        position,
                        quote.content.start,
                        quote.content.end,
                        words,
                        quote.kind,
                        quote.act,
                        quote.confidence,
                        *_pair(quote.cue),
                        *_pair(quote.speaker_mention),
                        quote.speaker,
                        _lookup(entity_ids, quote.speaker_entity),
                        int(quote.inferred),
                        *name_keys(quote.speaker),
                        *_pair(quote.topic),
                        *((self.db.search_words(words),) if search_column else ()),
                    ),
                )
            )
        self.db.executemany(
            'INSERT INTO dates (article_id, start, "end", text, value, granularity, anchor, flag) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    digest,
                    d.span.start,
                    d.span.end,
                    d.text,
                    _date_value(d.value),
                    d.granularity,
                    d.anchor,
                    d.flag,
                )
                for d in article.dates
            ],
        )
        self.db.executemany(
            'INSERT INTO places (article_id, start, "end", name, kind, lat, lon, country, admin1, geonames_id, '
            "name_key, words_key, demonym) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    digest,
                    p.span.start,
                    p.span.end,
                    p.name,
                    p.kind,
                    p.lat,
                    p.lon,
                    p.country,
                    p.admin1,
                    p.geonames_id,
                    fold(p.name),
                    fold(article.text[p.span.start : p.span.end]),
                    int(p.demonym),
                )
                for p in article.places
            ],
        )
        # nesting can point forward, so it is filled in once every quote has its id
        self.db.executemany(
            "UPDATE quotes SET nested_in = ? WHERE id = ?",
            [
                (_lookup(quote_ids, q.nested_in), quote_ids[n])
                for n, q in enumerate(article.quotes)
                if q.nested_in is not None
            ],
        )
        place_ids = [
            row[0]
            for row in self.db.execute("SELECT id FROM places WHERE article_id = ? ORDER BY id", (digest,))
        ]
        add_events(self.db, article, digest, entity_ids, quote_ids, place_ids)

    def add_failure(self, failure: IngestFailure) -> None:
        self.db.execute(
            "INSERT INTO ingest_errors (source, reason, recorded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (failure.source, failure.reason, now()),
        )

    def add_copies(self, copies: Sequence[ArticleCopy]) -> int:
        before = self._copies_count()
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO article_copies (article_id, content_hash, external_id, url, title, source, "
                "published, site_name, exact, similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [_copy_row(c) for c in copies],
            )
        return self._copies_count() - before

    def _copies_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM article_copies")[0][0])


def _lookup(ids: list[int], index: int | None) -> int | None:
    """The row id for a list index in the article; a dangling index is a bug, never stored."""
    if index is None:
        return None
    if not 0 <= index < len(ids):
        raise StoreError(f"a record points at entry {index}, which the article does not have")
    return ids[index]


def _copy_row(c: ArticleCopy) -> tuple[object, ...]:
    return (
        c.of,
        c.content_hash,
        c.id,
        c.url,
        c.title,
        c.source,
        c.published,
        c.site_name,
        int(c.exact),
        c.similarity,
    )


def _pair(span: CharSpan | None) -> tuple[int | None, int | None]:
    return (span.start, span.end) if span is not None else (None, None)


def _check_offsets(article: Article) -> None:
    """Every offset must lie inside the text: a record that does not is a bug, never stored."""
    length = len(article.text)
    spans = [q.content for q in article.quotes] + [m.span for m in article.mentions]
    spans += [d.span for d in article.dates] + [p.span for p in article.places]
    spans += [s for q in article.quotes for s in (q.cue, q.speaker_mention, q.topic) if s is not None]
    spans += [s for e in article.events for s in e.spans()]
    for span in spans:
        if not 0 <= span.start <= span.end <= length:
            raise StoreError(f"span [{span.start}, {span.end}) is outside its text of {length} characters")


def _date_value(value: str | list[str]) -> str:
    """A list of dates ("May 1 and 2") is stored as JSON text, a single one as itself."""
    return value if isinstance(value, str) else json.dumps(value)
