"""The embedded store: one SQLite file (or ``:memory:``), foreign keys on, FTS5 over quote text."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from types import TracebackType

from quotegraph.errors import StoreError
from quotegraph.model import Article, Entity, IngestFailure, Mention, Quote, Span
from quotegraph.store.base import QuoteRow, RelayRow, SpeakerRow
from quotegraph.store.migrations import MIGRATIONS

_QUOTE_COLUMNS = """
    q.id, a.id, a.external_id, a.title, a.url, a.published, q.text, q.start, q.end, q.kind, q.act,
    q.confidence, q.speaker_name,
    CASE WHEN q.speaker_start IS NULL THEN NULL
         ELSE substr(a.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) END,
    CASE WHEN q.cue_start IS NULL THEN NULL ELSE substr(a.text, q.cue_start + 1, q.cue_end - q.cue_start) END,
    q.nested_in, q.inferred
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fts_query(words: str) -> str:
    """User words as an FTS5 query where every word must occur; no FTS syntax can leak through."""
    terms = [w.replace('"', '""') for w in words.split()]
    return " ".join(f'"{t}"' for t in terms if t.strip('"'))


class SQLiteStore:
    """A quotegraph database in one SQLite file; every article is written in one transaction."""

    def __init__(self, path: str) -> None:
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA busy_timeout = 10000")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        self.path = path

    # --- schema ------------------------------------------------------------------------------

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        latest = MIGRATIONS[-1].version
        if current > latest:
            raise StoreError(
                f"the database has schema version {current}, newer than this quotegraph knows ({latest}): "
                "upgrade quotegraph to open it"
            )
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(migration.sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (migration.version, migration.description, _now()),
                )
            except sqlite3.Error:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    # --- writing -----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        _check_offsets(article)
        digest = article.content_hash
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if self.has_article(digest):
                    self.conn.execute("ROLLBACK")
                    return False
                self._insert(article, digest)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"could not store article {article.id!r}: {exc}") from exc
        return True

    def _insert(self, article: Article, digest: str) -> None:
        c = self.conn
        c.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        entity_ids: list[int] = []
        for position, entity in enumerate(article.entities):
            cursor = c.execute(
                "INSERT INTO entities (article_id, position, name, kind) VALUES (?, ?, ?, ?)",
                (digest, position, entity.name, entity.kind),
            )
            entity_id = _rowid(cursor)
            entity_ids.append(entity_id)
            c.executemany(
                "INSERT OR IGNORE INTO entity_aliases VALUES (?, ?)", [(entity_id, a) for a in entity.aliases]
            )
        c.executemany(
            "INSERT INTO mentions (article_id, start, end, text, label, entity_id) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (digest, m.span.start, m.span.end, m.text, m.label, _lookup(entity_ids, m.entity))
                for m in article.mentions
            ],
        )
        quote_ids: list[int] = []
        for position, quote in enumerate(article.quotes):
            cursor = c.execute(
                "INSERT INTO quotes (article_id, position, start, end, text, kind, act, confidence, "
                "cue_start, cue_end, speaker_start, speaker_end, speaker_name, speaker_entity_id, inferred) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    digest,
                    position,
                    quote.content.start,
                    quote.content.end,
                    quote.content.text(article.text),
                    quote.kind,
                    quote.act,
                    quote.confidence,
                    *(_pair(quote.cue)),
                    *(_pair(quote.speaker_mention)),
                    quote.speaker,
                    _lookup(entity_ids, quote.speaker_entity),
                    int(quote.inferred),
                ),
            )
            quote_ids.append(_rowid(cursor))
        c.executemany(
            "UPDATE quotes SET nested_in = ? WHERE id = ?",
            [
                (_lookup(quote_ids, q.nested_in), quote_ids[n])
                for n, q in enumerate(article.quotes)
                if q.nested_in is not None
            ],
        )

    def add_failure(self, failure: IngestFailure) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO ingest_errors (source, reason, recorded_at) VALUES (?, ?, ?)",
            (failure.source, failure.reason, _now()),
        )

    # --- reading -----------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (content_hash,)).fetchone() is not None
        )

    def articles_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def failures(self) -> list[IngestFailure]:
        rows = self.conn.execute("SELECT source, reason FROM ingest_errors ORDER BY id").fetchall()
        return [IngestFailure(source, reason) for source, reason in rows]

    def quotes(
        self,
        *,
        speaker: str | None = None,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_confidence: float | None = None,
        limit: int | None = None,
    ) -> list[QuoteRow]:
        where: list[str] = []
        params: list[object] = []
        if speaker:
            where.append(
                "q.speaker_entity_id IN (SELECT e.id FROM entities e WHERE lower(e.name) = lower(?) "
                "OR lower(e.name) LIKE '% ' || lower(?) "
                "OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE))"
            )
            params += [speaker, speaker, speaker]
        if search:
            query = fts_query(search)
            if not query:
                return []
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(query)
        if since:
            where.append("a.published >= ?")
            params.append(since)
        if until:  # "2023-05" includes every day of May
            where.append("substr(a.published, 1, length(?)) <= ?")
            params += [until, until]
        if min_confidence is not None:
            where.append("q.confidence >= ?")
            params.append(min_confidence)
        sql = f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published DESC, a.id, q.position"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_quote_row(row) for row in self.conn.execute(sql, params)]

    def speakers(self) -> list[SpeakerRow]:
        rows = self.conn.execute(
            "SELECT e.name, min(e.kind), count(q.id), count(DISTINCT q.article_id) "
            "FROM quotes q JOIN entities e ON e.id = q.speaker_entity_id "
            "GROUP BY e.name COLLATE NOCASE ORDER BY count(q.id) DESC, e.name"
        ).fetchall()
        speakers = []
        for name, kind, quote_count, article_count in rows:
            aliases = [
                alias
                for (alias,) in self.conn.execute(
                    "SELECT DISTINCT al.alias FROM entity_aliases al JOIN entities e ON e.id = al.entity_id "
                    "WHERE e.name = ? COLLATE NOCASE ORDER BY al.alias",
                    (name,),
                )
            ]
            speakers.append(SpeakerRow(name, kind, aliases, quote_count, article_count))
        return speakers

    def relays(self) -> list[RelayRow]:
        rows = self.conn.execute(
            "SELECT outer_quote.speaker_name, inner_quote.speaker_name, count(*) FROM quotes inner_quote "
            "JOIN quotes outer_quote ON outer_quote.id = inner_quote.nested_in "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
        ).fetchall()
        return [RelayRow(relayer, source, count) for relayer, source, count in rows]

    def article(self, ref: str) -> Article | None:
        row = self.conn.execute(
            "SELECT id FROM articles WHERE id = ? OR external_id = ? ORDER BY id = ? DESC LIMIT 1",
            (ref, ref, ref),
        ).fetchone()
        if row is None and len(ref) >= 6:
            matches = self.conn.execute(
                "SELECT id FROM articles WHERE id LIKE ? || '%' LIMIT 2", (ref.lower(),)
            ).fetchall()
            row = matches[0] if len(matches) == 1 else None
        return self._load(row[0]) if row else None

    def _load(self, digest: str) -> Article:
        c = self.conn
        (external_id, title, url, published, language, author, site_name, source, text) = c.execute(
            "SELECT external_id, title, url, published, language, author, site_name, source, text "
            "FROM articles WHERE id = ?",
            (digest,),
        ).fetchone()
        entity_rows = c.execute(
            "SELECT id, name, kind FROM entities WHERE article_id = ? ORDER BY position", (digest,)
        ).fetchall()
        entity_index = {row[0]: n for n, row in enumerate(entity_rows)}
        entities = [
            Entity(
                name,
                kind,
                [
                    a
                    for (a,) in c.execute(
                        "SELECT alias FROM entity_aliases WHERE entity_id = ? ORDER BY alias", (i,)
                    )
                ],
            )
            for i, name, kind in entity_rows
        ]
        mentions = [
            Mention(Span(start, end), mention_text, label, entity_index.get(entity_id))
            for start, end, mention_text, label, entity_id in c.execute(
                "SELECT start, end, text, label, entity_id FROM mentions WHERE article_id = ? ORDER BY start",
                (digest,),
            )
        ]
        quote_rows = c.execute(
            "SELECT id, start, end, kind, act, confidence, cue_start, cue_end, speaker_start, speaker_end, "
            "speaker_name, speaker_entity_id, nested_in, inferred FROM quotes WHERE article_id = ? ORDER BY position",
            (digest,),
        ).fetchall()
        quote_index = {row[0]: n for n, row in enumerate(quote_rows)}
        quotes = [
            Quote(
                content=Span(start, end),
                kind=kind,
                cue=Span(cs, ce) if cs is not None else None,
                speaker_mention=Span(ss, se) if ss is not None else None,
                speaker=speaker,
                speaker_entity=entity_index.get(entity_id),
                act=act,
                confidence=confidence,
                nested_in=quote_index.get(nested),
                inferred=bool(inferred),
            )
            for (
                _,
                start,
                end,
                kind,
                act,
                confidence,
                cs,
                ce,
                ss,
                se,
                speaker,
                entity_id,
                nested,
                inferred,
            ) in quote_rows
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
        )

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines():
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _rowid(cursor: sqlite3.Cursor) -> int:
    if cursor.lastrowid is None:
        raise StoreError("the database returned no row id")
    return cursor.lastrowid


def _lookup(ids: list[int], index: int | None) -> int | None:
    if index is None:
        return None
    if not 0 <= index < len(ids):
        raise StoreError(f"a record points at entry {index}, which the article does not have")
    return ids[index]


def _pair(span: Span | None) -> tuple[int | None, int | None]:
    return (span.start, span.end) if span is not None else (None, None)


def _check_offsets(article: Article) -> None:
    """Every offset must lie inside the text: a record that does not is a bug, never stored."""
    length = len(article.text)
    spans = [q.content for q in article.quotes] + [m.span for m in article.mentions]
    spans += [s for q in article.quotes for s in (q.cue, q.speaker_mention) if s is not None]
    for span in spans:
        if span.end > length:
            raise StoreError(f"article {article.id!r}: span [{span.start}, {span.end}) is outside its text")


def _quote_row(row: tuple[object, ...]) -> QuoteRow:
    (
        qid,
        aid,
        ext,
        title,
        url,
        published,
        text,
        start,
        end,
        kind,
        act,
        conf,
        speaker,
        mention,
        cue,
        nested,
        inf,
    ) = row
    return QuoteRow(
        quote_id=int(str(qid)),
        article_id=str(aid),
        external_id=str(ext),
        title=title if isinstance(title, str) else None,
        url=url if isinstance(url, str) else None,
        published=published if isinstance(published, str) else None,
        text=str(text),
        start=int(str(start)),
        end=int(str(end)),
        kind=str(kind),
        act=str(act),
        confidence=float(str(conf)),
        speaker=speaker if isinstance(speaker, str) else None,
        speaker_mention=mention if isinstance(mention, str) else None,
        cue=cue if isinstance(cue, str) else None,
        nested_in=int(str(nested)) if nested is not None else None,
        inferred=bool(inf),
    )
