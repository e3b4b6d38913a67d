"""Every query, written once for SQLite and PostgreSQL: the dialects (``sqlite.py``, ``postgres.py``)
only connect, run transactions and migration scripts, and say how full-text search is matched.

SQL here uses ``?`` placeholders (PostgreSQL's store turns them into ``%s``) and only what both
databases accept: ``ON CONFLICT ... DO NOTHING``, ``RETURNING``, ``"end"`` quoted (reserved in
PostgreSQL). Names are compared on folded keys computed in Python at insert (``name_keys``), so
no query calls a fold function per row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from quotegraph.errors import StoreError
from quotegraph.model import Article, CharSpan, DateMention, Entity, IngestFailure, Mention, Place, Quote
from quotegraph.store import entities
from quotegraph.store.base import (
    ArticleCopy,
    EntityDetail,
    EntityRow,
    FlaggedDateRow,
    PlaceRow,
    QuoteRow,
    RelayRow,
    SpeakerRow,
    TalksAboutRow,
)
from quotegraph.store.migrations import MIGRATIONS, Migration, Step, name_keys
from quotegraph.textnorm import fold

# In the order of QuoteRow's fields: _quote_row relies on it.
_QUOTE_COLUMNS = """
    q.id, a.id, a.external_id, a.title, a.url, a.published, q.text, q.start, q."end", q.kind, q.act,
    q.confidence, q.speaker_name,
    CASE WHEN q.speaker_start IS NULL THEN NULL
         ELSE substr(a.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) END,
    CASE WHEN q.cue_start IS NULL THEN NULL ELSE substr(a.text, q.cue_start + 1, q.cue_end - q.cue_start) END,
    q.nested_in, q.inferred,
    CASE WHEN q.topic_start IS NULL THEN NULL
         ELSE substr(a.text, q.topic_start + 1, q.topic_end - q.topic_start) END
"""

# A quote's speaker: its name, its last words (surname), or an alias of its entity, on indexed keys.
# Parameters: key, surname, "% key" (LIKE), key, surname, "% key", key.
_SPEAKER_FILTER = r"""(
    q.speaker_key = ? OR (q.speaker_surname = ? AND q.speaker_key LIKE ? ESCAPE '\')
    OR q.speaker_entity_id IN (
        SELECT id FROM entities WHERE name_key = ? OR (surname_key = ? AND name_key LIKE ? ESCAPE '\')
        UNION SELECT entity_id FROM entity_aliases WHERE alias_key = ?
    )
)"""

_HASH_PREFIX = re.compile(r"[0-9a-f]{6,64}")


def _other_than(name: str, names: set[str], aliases: dict[str, list[str]]) -> list[str]:
    """The names and aliases of a speaker's article entities, except its canonical name in any case."""
    others = names | {alias for n in names for alias in aliases.get(n, [])}
    return sorted(other for other in others if fold(other) != fold(name))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlStore:
    """The Store protocol on a DB-API connection; a dialect subclass connects and fills the hooks."""

    conn: Any  # sqlite3.Connection or psycopg.Connection: both offer execute() and cursor()
    path: str  # the database as shown in messages (no password)
    _errors: tuple[type[Exception], ...]  # the driver's error classes
    _search_vector: str | None = None  # SQL for a quote's search column from _search_words, if it has one

    # --- dialect hooks -----------------------------------------------------------------------

    def _transaction(self) -> AbstractContextManager[None]:
        """Commit on success, roll back on any error: never a half-written change."""
        raise NotImplementedError

    def _run_script(self, sql: str) -> None:
        """Run a migration's SQL (several statements, no parameters) inside the open transaction."""
        raise NotImplementedError

    def _search_filter(self, words: str) -> tuple[str, list[object]] | None:
        """A WHERE clause on ``q`` keeping quotes holding every word, or None when no word is left."""
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        """The statement in the driver's placeholder style (SQLite's own ``?`` here)."""
        return sql

    def _search_words(self, text: str) -> str:
        """A quote's words as its search column takes them (only where ``_search_vector`` is set)."""
        return text

    def _lock_schema(self) -> None:
        """Serialize migrations between processes where the transaction alone does not."""

    def _step(self, migration: Migration) -> Step:
        return migration.change

    # --- running SQL -------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Run one ``?``-placeholder statement; its rows (none for a statement returning nothing).

        Database errors become StoreError so the CLI can report them plainly.
        """
        try:
            cursor = self.conn.execute(self._sql(sql), params)
            return cursor.fetchall() if cursor.description is not None else []
        except self._errors as exc:
            raise StoreError(f"database error in {self.path!r}: {exc}") from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        try:
            self.conn.cursor().executemany(self._sql(sql), rows)
        except self._errors as exc:
            raise StoreError(f"database error in {self.path!r}: {exc}") from exc

    # --- schema ------------------------------------------------------------------------------

    def _open(self) -> None:
        """Bring the schema up to date; on any failure close the connection and say which database."""
        try:
            self._migrate()
        except Exception as exc:
            self.conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the database {self.path!r}: {exc}") from exc

    def _migrate(self) -> None:
        """Apply pending migrations in order, each in its own transaction with its version row."""
        with self._transaction():
            self._lock_schema()
            self.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
        latest = MIGRATIONS[-1].version
        current = self.schema_version()
        if current > latest:
            raise StoreError(
                f"the database {self.path!r} has schema version {current}, newer than this quotegraph "
                f"knows ({latest}): upgrade quotegraph to open it"
            )
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            with self._transaction():
                self._lock_schema()
                # another process may have applied it while we waited for the lock
                if self.schema_version() < migration.version:
                    step = self._step(migration)
                    if callable(step):
                        step(self)
                    else:
                        self._run_script(step)
                    self.execute(
                        "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        (migration.version, migration.description, _now()),
                    )

    def schema_version(self) -> int:
        return int(self.execute("SELECT max(version) FROM schema_migrations")[0][0] or 0)

    # --- writing -----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """The article row goes first with ON CONFLICT DO NOTHING: of two writers storing the same
        content at once, one inserts and the other waits for it, then finds the row and stops."""
        digest = article.content_hash
        try:
            _check_offsets(article)
            with self._transaction():
                inserted = self.execute(
                    "INSERT INTO articles (id, external_id, title, url, published, language, author, "
                    "site_name, source, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
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
                        _now(),
                    ),
                )
                if inserted:
                    self._insert_records(article, digest)
        except Exception as exc:
            raise StoreError(f"could not store article {article.id!r}: {exc}") from exc
        return bool(inserted)

    def _insert_records(self, article: Article, digest: str) -> None:
        entity_ids: list[int] = []
        for position, entity in enumerate(article.entities):
            entity_id = self._insert_id(
                "INSERT INTO entities (article_id, position, name, kind, name_key, surname_key) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (digest, position, entity.name, entity.kind, *name_keys(entity.name)),
            )
            entity_ids.append(entity_id)
            self.executemany(
                "INSERT INTO entity_aliases (entity_id, alias, alias_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(entity_id, alias, fold(alias)) for alias in entity.aliases],
            )
            entities.link_entity(self, entity_id, entity)
        self.executemany(
            'INSERT INTO mentions (article_id, start, "end", text, label, entity_id) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (digest, m.span.start, m.span.end, m.text, m.label, _lookup(entity_ids, m.entity))
                for m in article.mentions
            ],
        )
        search_column, search_value = (
            (", search", ", " + self._search_vector) if self._search_vector else ("", "")
        )
        quote_ids: list[int] = []
        for position, quote in enumerate(article.quotes):
            words = quote.content.text(article.text)
            quote_ids.append(
                self._insert_id(
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
                        *((self._search_words(words),) if search_column else ()),
                    ),
                )
            )
        self.executemany(
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
        self.executemany(
            'INSERT INTO places (article_id, start, "end", name, kind, lat, lon, country, admin1, geonames_id, '
            "name_key, words_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                )
                for p in article.places
            ],
        )
        # nesting can point forward, so it is filled in once every quote has its id
        self.executemany(
            "UPDATE quotes SET nested_in = ? WHERE id = ?",
            [
                (_lookup(quote_ids, q.nested_in), quote_ids[n])
                for n, q in enumerate(article.quotes)
                if q.nested_in is not None
            ],
        )

    def _insert_id(self, sql: str, params: Sequence[object]) -> int:
        rows = self.execute(sql, params)
        if not rows:
            raise StoreError("the database returned no row id")
        return int(rows[0][0])

    def add_failure(self, failure: IngestFailure) -> None:
        self.execute(
            "INSERT INTO ingest_errors (source, reason, recorded_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (failure.source, failure.reason, _now()),
        )

    def add_copies(self, copies: Sequence[ArticleCopy]) -> int:
        before = self._copies_count()
        with self._transaction():
            self.executemany(
                "INSERT INTO article_copies (article_id, content_hash, external_id, url, title, source, "
                "published, site_name, exact, similarity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [_copy_row(c) for c in copies],
            )
        return self._copies_count() - before

    def _copies_count(self) -> int:
        return int(self.execute("SELECT count(*) FROM article_copies")[0][0])

    # --- reading -----------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        return bool(self.execute("SELECT 1 FROM articles WHERE id = ?", (content_hash,)))

    def copies(self, content_hash: str) -> list[ArticleCopy]:
        rows = self.execute(
            "SELECT article_id, content_hash, external_id, url, title, source, published, site_name, exact, "
            "similarity FROM article_copies WHERE article_id = ? ORDER BY similarity DESC, external_id",
            (content_hash,),
        )
        return [
            ArticleCopy(of, digest, ext, url, title, source, published, site, bool(exact), similarity)
            for of, digest, ext, url, title, source, published, site, exact, similarity in rows
        ]

    def articles_count(self) -> int:
        return int(self.execute("SELECT count(*) FROM articles")[0][0])

    def failures(self) -> list[IngestFailure]:
        rows = self.execute("SELECT source, reason FROM ingest_errors ORDER BY id")
        return [IngestFailure(source, reason) for source, reason in rows]

    def quotes(
        self, *, limit: int | None = None, offset: int | None = None, **filters: Any
    ) -> list[QuoteRow]:
        """See ``Store.quotes``: the filters are ``_quote_where``'s keywords."""
        clause = self._quote_where(**filters)
        if clause is None:
            return []
        where, params = clause
        order = " ORDER BY a.published IS NULL, a.published DESC, a.id, q.position"
        source = "FROM quotes q JOIN articles a ON a.id = q.article_id"
        if limit is None:  # SQLite takes OFFSET only after a LIMIT and PostgreSQL no LIMIT -1: skip here
            rows = self.execute(f"SELECT {_QUOTE_COLUMNS} {source}{where}{order}", params)
            return [_quote_row(row) for row in rows[offset or 0 :]]
        # A page: the ids first, sorted on narrow rows, then the full rows (article text included) of those only
        ids = [
            row[0]
            for row in self.execute(
                f"SELECT q.id {source}{where}{order} LIMIT ? OFFSET ?", [*params, limit, offset or 0]
            )
        ]
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        rows = self.execute(f"SELECT {_QUOTE_COLUMNS} {source} WHERE q.id IN ({marks}){order}", ids)
        return [_quote_row(row) for row in rows]

    def count_quotes(self, **filters: Any) -> int:
        """How many quotes ``quotes(**filters)`` lists without a limit: the total behind a page."""
        clause = self._quote_where(**filters)
        if clause is None:
            return 0
        where, params = clause
        sql = f"SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id{where}"
        return int(self.execute(sql, params)[0][0])

    def _quote_where(
        self,
        *,
        speaker: str | None = None,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_confidence: float | None = None,
        mentions_from: str | None = None,
        mentions_to: str | None = None,
        place: str | None = None,
        kind: str | None = None,
        about: str | None = None,
        entity_id: str | None = None,
    ) -> tuple[str, list[object]] | None:
        """The WHERE clause (with a leading space, or empty) and its parameters for the quote
        filters; None when nothing can match (a speaker or search of punctuation only)."""
        where: list[str] = []
        params: list[object] = []
        if speaker:
            key, surname = name_keys(speaker)
            if not key:
                return None
            pattern = "% " + _like_escape(key)
            where.append(_SPEAKER_FILTER)
            params += [key, surname, pattern, key, surname, pattern, key]
        if search is not None:
            match = self._search_filter(search)
            if match is None:
                return None
            where.append(match[0])
            params += match[1]
        if since:  # "2023-05-01" >= "2023-05": plain string order works for partial dates
            where.append("a.published >= ?")
            params.append(since)
        if until:  # compare only as many characters as given, so "2023-05" includes every day of May
            where.append("substr(a.published, 1, ?) <= ?")
            params += [len(until), until]
        if min_confidence is not None:
            where.append("q.confidence >= ?")
            params.append(min_confidence)
        if mentions_from or mentions_to:
            where.append(
                f"EXISTS (SELECT 1 FROM dates d WHERE d.article_id = q.article_id AND {entities.about_quote('d')} "
                "AND date_in(d.value, ?, ?))"
            )
            params += [mentions_from or None, mentions_to or None]
        if (
            place
        ):  # named inside the quote's words: by the gazetteer's name, the words used, or ISO country code
            where.append(
                f"EXISTS (SELECT 1 FROM places p WHERE p.article_id = q.article_id AND {entities.about_quote('p')} "
                "AND (p.name_key = ? OR p.words_key = ? OR p.country = ?))"
            )
            params += [fold(place), fold(place), place.upper() if len(place) == 2 else None]
        if kind:
            where.append("q.kind = ?")
            params.append(kind)
        if about:
            clause, values = entities.about_filter(self, about)
            where.append(clause)
            params += values
        if entity_id:  # quotes by a canonical entity, in whichever article and under whichever name
            where.append("q.speaker_entity_id IN (SELECT entity_id FROM entity_links WHERE canonical_id = ?)")
            params.append(entity_id)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def places(self) -> list[PlaceRow]:
        rows = self.execute(
            "SELECT min(p.name), min(p.kind), p.country, avg(p.lat), avg(p.lon), count(*), "
            "count(DISTINCT p.article_id), min(a.published), max(a.published) "
            "FROM places p JOIN articles a ON a.id = p.article_id "
            "GROUP BY p.name_key, p.country ORDER BY 7 DESC, 6 DESC, 1"
        )
        return [PlaceRow(*row) for row in rows]

    # --- entities across articles (store/entities.py) ----------------------------------------

    def entities(
        self, *, kind: str | None = None, search: str | None = None, limit: int | None = 100
    ) -> list[EntityRow]:
        return entities.list_entities(self, kind, search, limit)

    def entity(self, name: str) -> EntityDetail | None:
        return entities.entity_detail(self, name)

    def merge_entities(self, into: str, other: str) -> str:
        return entities.merge(self, into, other)

    def split_entity(self, name: str, *, alias: str | None = None, article: str | None = None) -> str:
        return entities.split(self, name, alias, article)

    def speakers(self) -> list[SpeakerRow]:
        """Speakers as canonical entities across articles (Massoud and Masoud in two articles are one
        row); a speaker of a kind not linked across articles (a group) by its folded name."""
        speaker_of = (
            "FROM quotes q JOIN entities e ON e.id = q.speaker_entity_id "
            "LEFT JOIN entity_links l ON l.entity_id = e.id LEFT JOIN canonical_entities c ON c.id = l.canonical_id"
        )
        rows = self.execute(
            "SELECT coalesce(l.canonical_id, e.name_key), min(coalesce(c.name, e.name)), "
            f"min(coalesce(c.kind, e.kind)), count(q.id), count(DISTINCT q.article_id) {speaker_of} "
            "GROUP BY 1 ORDER BY 4 DESC, 2"
        )
        names: dict[str, set[str]] = {}
        for key, name in self.execute(
            f"SELECT DISTINCT coalesce(l.canonical_id, e.name_key), e.name {speaker_of}"
        ):
            names.setdefault(key, set()).add(name)
        aliases = self.speaker_aliases()
        return [
            SpeakerRow(
                name, kind, _other_than(name, names.get(key, set()), aliases), quote_count, article_count
            )
            for key, name, kind, quote_count, article_count in rows
        ]

    def relays(self) -> list[RelayRow]:
        rows = self.execute(
            "SELECT outer_quote.speaker_name, inner_quote.speaker_name, count(*) FROM quotes inner_quote "
            "JOIN quotes outer_quote ON outer_quote.id = inner_quote.nested_in "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1 NULLS FIRST, 2 NULLS FIRST"
        )
        return [RelayRow(relayer, source, count) for relayer, source, count in rows]

    def speaker_aliases(self) -> dict[str, list[str]]:
        aliases: dict[str, list[str]] = {}
        for name, alias in self.execute(
            "SELECT DISTINCT e.name, al.alias FROM entity_aliases al "
            "JOIN entities e ON e.id = al.entity_id ORDER BY 1, 2"
        ):
            aliases.setdefault(name, []).append(alias)
        return aliases

    def talks_about(self) -> list[TalksAboutRow]:
        """Mentions of a person or org other than the speaker inside the quote's words or its topic."""
        rows = self.execute(
            "SELECT min(s.name), min(e.name), min(e.kind), count(DISTINCT q.id) FROM quotes q "
            "JOIN entities s ON s.id = q.speaker_entity_id "
            f"JOIN mentions m ON m.article_id = q.article_id AND {entities.about_quote('m')} "
            "JOIN entities e ON e.id = m.entity_id "
            "WHERE e.kind IN ('person', 'org') AND e.name_key != s.name_key "
            "GROUP BY s.name_key, e.name_key ORDER BY 4 DESC, 1, 2"
        )
        return [TalksAboutRow(*row) for row in rows]

    def flagged_dates(self) -> list[FlaggedDateRow]:
        rows = self.execute(
            'SELECT a.id, a.external_id, a.title, a.text, d.start, d."end", d.text, d.value, d.flag '
            "FROM dates d JOIN articles a ON a.id = d.article_id WHERE d.flag IS NOT NULL "
            "ORDER BY a.published IS NULL, a.published DESC, a.id, d.start"
        )
        return [
            FlaggedDateRow(
                digest, external_id, title, words, _load_value(value), flag, sentence(text, start, end)
            )
            for digest, external_id, title, text, start, end, words, value, flag in rows
        ]

    def article(self, ref: str) -> Article | None:
        """By content hash, external id (the newest if re-used), or a unique hash prefix."""
        ref = ref.strip()
        rows = self.execute(
            "SELECT id FROM articles WHERE id = ? OR external_id = ? "
            "ORDER BY id = ? DESC, ingested_at DESC, rowid DESC LIMIT 1",
            (ref, ref, ref),
        )
        prefix = ref.lower()
        if not rows and _HASH_PREFIX.fullmatch(prefix):
            # a range on the primary key: hex digits all sort below "g"
            rows = self.execute(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
            )
            rows = rows if len(rows) == 1 else []
        return self._load(rows[0][0]) if rows else None

    def _load(self, digest: str) -> Article:
        (external_id, title, url, published, language, author, site_name, source, text) = self.execute(
            "SELECT external_id, title, url, published, language, author, site_name, source, text "
            "FROM articles WHERE id = ?",
            (digest,),
        )[0]
        entity_rows = self.execute(
            "SELECT id, name, kind FROM entities WHERE article_id = ? ORDER BY position", (digest,)
        )
        entity_index = {row[0]: n for n, row in enumerate(entity_rows)}
        aliases: dict[int, list[str]] = {}
        for entity_id, alias in self.execute(
            "SELECT al.entity_id, al.alias FROM entity_aliases al JOIN entities e ON e.id = al.entity_id "
            "WHERE e.article_id = ? ORDER BY al.rowid",
            (digest,),
        ):
            aliases.setdefault(entity_id, []).append(alias)
        entities = [Entity(name, kind, aliases.get(i, [])) for i, name, kind in entity_rows]
        mentions = [
            Mention(CharSpan(start, end), mention_text, label, entity_index.get(entity_id))
            for start, end, mention_text, label, entity_id in self.execute(
                'SELECT start, "end", text, label, entity_id FROM mentions WHERE article_id = ? ORDER BY id',
                (digest,),
            )
        ]
        quote_rows = self.execute(
            'SELECT id, start, "end", kind, act, confidence, cue_start, cue_end, speaker_start, speaker_end, '
            "speaker_name, speaker_entity_id, nested_in, inferred, topic_start, topic_end FROM quotes "
            "WHERE article_id = ? ORDER BY position",
            (digest,),
        )
        quote_index = {row[0]: n for n, row in enumerate(quote_rows)}
        quotes = [
            Quote(
                content=CharSpan(start, end),
                kind=kind,
                cue=CharSpan(cue_start, cue_end) if cue_start is not None else None,
                speaker_mention=CharSpan(speaker_start, speaker_end) if speaker_start is not None else None,
                speaker=speaker,
                speaker_entity=entity_index.get(entity_id),
                act=act,
                confidence=confidence,
                nested_in=quote_index.get(nested),
                inferred=bool(inferred),
                topic=CharSpan(topic_start, topic_end) if topic_start is not None else None,
            )
            for (
                _,
                start,
                end,
                kind,
                act,
                confidence,
                cue_start,
                cue_end,
                speaker_start,
                speaker_end,
                speaker,
                entity_id,
                nested,
                inferred,
                topic_start,
                topic_end,
            ) in quote_rows
        ]
        dates = [
            DateMention(CharSpan(start, end), words, _load_value(value), granularity, anchor, flag)
            for start, end, words, value, granularity, anchor, flag in self.execute(
                'SELECT start, "end", text, value, granularity, anchor, flag FROM dates '
                "WHERE article_id = ? ORDER BY id",
                (digest,),
            )
        ]
        places = [
            Place(CharSpan(start, end), name, kind, lat, lon, country, admin1, geonames_id)
            for start, end, name, kind, lat, lon, country, admin1, geonames_id in self.execute(
                'SELECT start, "end", name, kind, lat, lon, country, admin1, geonames_id FROM places '
                "WHERE article_id = ? ORDER BY id",
                (digest,),
            )
        ]
        return Article(
            text=text,
            id=external_id,
            title=title,
            url=url,
            published=published,
            language=language,
            author=author,
            site_name=site_name,
            source=source,
            quotes=quotes,
            mentions=mentions,
            entities=entities,
            dates=dates,
            places=places,
        )

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


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
    for span in spans:
        if not 0 <= span.start <= span.end <= length:
            raise StoreError(f"span [{span.start}, {span.end}) is outside its text of {length} characters")


def _quote_row(row: Sequence[Any]) -> QuoteRow:
    values = list(row)
    values[-2] = bool(values[-2])  # inferred is stored as 0 or 1
    return QuoteRow(*values)


def _date_value(value: str | list[str]) -> str:
    """A list of dates ("May 1 and 2") is stored as JSON text, a single one as itself."""
    return value if isinstance(value, str) else json.dumps(value)


def _load_value(value: str) -> str | list[str]:
    return list(json.loads(value)) if value.startswith("[") else value


_SENTENCE_END = re.compile(r"""[.!?]["'”’]?(?= )|\n""")


def sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``[start, end)``: out to the nearest ". " (a closing quote may follow the
    period) or line break on each side."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[left : right.end() if right else len(text)].strip()
