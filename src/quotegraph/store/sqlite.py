"""The embedded store: one SQLite file (or ``:memory:``), foreign keys on, FTS5 over quote text.

Everything SQLite-specific lives here and in ``migrations.py``: FTS5 query quoting, the ``fold``
function, ``BEGIN IMMEDIATE``. A PostgreSQL store implements the same ``Store`` protocol.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from quotegraph.errors import StoreError
from quotegraph.model import Article, DateMention, Entity, IngestFailure, Mention, Place, Quote, Span
from quotegraph.store.base import FlaggedDateRow, QuoteRow, RelayRow, SpeakerRow, TalksAboutRow
from quotegraph.store.migrations import MIGRATIONS, Migration

# In the order of QuoteRow's fields: _quote_row relies on it.
_QUOTE_COLUMNS = """
    q.id, a.id, a.external_id, a.title, a.url, a.published, q.text, q.start, q.end, q.kind, q.act,
    q.confidence, q.speaker_name,
    CASE WHEN q.speaker_start IS NULL THEN NULL
         ELSE substr(a.text, q.speaker_start + 1, q.speaker_end - q.speaker_start) END,
    CASE WHEN q.cue_start IS NULL THEN NULL ELSE substr(a.text, q.cue_start + 1, q.cue_end - q.cue_start) END,
    q.nested_in, q.inferred
"""

# A quote's speaker: its name, the surname alone, or an alias of its entity (all folded).
_SPEAKER_FILTER = r"""(
    fold(q.speaker_name) = ? OR fold(q.speaker_name) LIKE ? ESCAPE '\'
    OR q.speaker_entity_id IN (
        SELECT id FROM entities WHERE fold(name) = ? OR fold(name) LIKE ? ESCAPE '\'
        UNION SELECT entity_id FROM entity_aliases WHERE fold(alias) = ?
    )
)"""

_HASH_PREFIX = re.compile(r"[0-9a-f]{6,64}")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fold(text: str | None) -> str | None:
    """Case-insensitive key for any script: SQLite's lower() and NOCASE fold ASCII only."""
    return " ".join(text.casefold().split()) if text is not None else None


def fts_query(words: str) -> str:
    """User words as an FTS5 query where every word must occur; no FTS syntax can leak through.

    Each word becomes a quoted phrase (inner quotes doubled), so ``AND``, ``NEAR(``, ``*`` or a
    lone ``"`` are plain text; the tokenizer then drops punctuation inside the phrase.
    """
    terms = [w.replace('"', '""') for w in words.split()]
    return " ".join(f'"{t}"' for t in terms if t.strip('"'))


def date_in(value: str, low: str | None, high: str | None) -> bool:
    """Whether a stored date value (or any value of its JSON list) falls in ``[low, high]``.

    Each side is compared at the coarser precision, so "2023-05" lies in [2023-05-10, 2023-06-01]
    and "2023" in [2023-05, 2023-05]. Durations and unanchored values are in no range.
    """
    for one in json.loads(value) if value.startswith("[") else [value]:
        iso = _week_start(one) if "-W" in one else one
        if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", iso):
            continue
        if (low is None or iso[: len(low)] >= low[: len(iso)]) and (
            high is None or iso[: len(high)] <= high[: len(iso)]
        ):
            return True
    return False


def _week_start(value: str) -> str:
    """The Monday of an ISO week ("2023-W18"), so weeks compare like days."""
    year, week = value.split("-W")
    return date.fromisocalendar(int(year), int(week[:2]), 1).isoformat()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SQLiteStore:
    """A quotegraph database in one SQLite file; every article is written in one transaction."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        try:
            self.conn.create_function("fold", 1, fold, deterministic=True)
            self.conn.create_function("date_in", 3, date_in, deterministic=True)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path not in ("", ":memory:"):
                self.conn.execute("PRAGMA busy_timeout = 10000")
                self.conn.execute("PRAGMA journal_mode = WAL")
            self._migrate()
        except Exception as exc:
            self.conn.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc

    # --- schema ------------------------------------------------------------------------------

    def _migrate(self) -> None:
        """Apply pending migrations in order, each in its own transaction with its version row."""
        self.conn.execute(
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
                # another process may have applied it while we waited for the write lock
                if self.schema_version() < migration.version:
                    _apply(self.conn, migration)
                    self.conn.execute(
                        "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        (migration.version, migration.description, _now()),
                    )

    def schema_version(self) -> int:
        return int(self._rows("SELECT max(version) FROM schema_migrations")[0][0] or 0)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Take the write lock up front and roll back on any error: never a half-written change."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Run a query; database errors become StoreError so the CLI can report them plainly."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"database error in {self.path!r}: {exc}") from exc

    # --- writing -----------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        digest = article.content_hash
        try:
            _check_offsets(article)
            with self._transaction():
                if self.has_article(digest):
                    return False
                self._insert(article, digest)
        except Exception as exc:
            raise StoreError(f"could not store article {article.id!r}: {exc}") from exc
        return True

    def _insert(self, article: Article, digest: str) -> None:
        c = self.conn
        c.execute(
            "INSERT INTO articles (id, external_id, title, url, published, language, author, site_name, "
            "source, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
                [(entity_id, alias) for alias in entity.aliases],
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
                    *_pair(quote.cue),
                    *_pair(quote.speaker_mention),
                    quote.speaker,
                    _lookup(entity_ids, quote.speaker_entity),
                    int(quote.inferred),
                ),
            )
            quote_ids.append(_rowid(cursor))
        c.executemany(
            "INSERT INTO dates (article_id, start, end, text, value, granularity, anchor, flag) "
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
        c.executemany(
            "INSERT INTO places (article_id, start, end, name, kind, lat, lon, country, admin1, geonames_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                )
                for p in article.places
            ],
        )
        # nesting can point forward, so it is filled in once every quote has its id
        c.executemany(
            "UPDATE quotes SET nested_in = ? WHERE id = ?",
            [
                (_lookup(quote_ids, q.nested_in), quote_ids[n])
                for n, q in enumerate(article.quotes)
                if q.nested_in is not None
            ],
        )

    def add_failure(self, failure: IngestFailure) -> None:
        self._rows(
            "INSERT OR IGNORE INTO ingest_errors (source, reason, recorded_at) VALUES (?, ?, ?)",
            (failure.source, failure.reason, _now()),
        )

    # --- reading -----------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        return bool(self._rows("SELECT 1 FROM articles WHERE id = ?", (content_hash,)))

    def articles_count(self) -> int:
        return int(self._rows("SELECT count(*) FROM articles")[0][0])

    def failures(self) -> list[IngestFailure]:
        rows = self._rows("SELECT source, reason FROM ingest_errors ORDER BY id")
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
        mentions_from: str | None = None,
        mentions_to: str | None = None,
        place: str | None = None,
    ) -> list[QuoteRow]:
        where: list[str] = []
        params: list[object] = []
        if speaker:
            key = fold(speaker)
            surname = "% " + _like_escape(key or "")
            where.append(_SPEAKER_FILTER)
            params += [key, surname, key, surname, key]
        if search is not None:
            query = fts_query(search)
            if not query:
                return []
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(query)
        if since:  # "2023-05-01" >= "2023-05": plain string order works for partial dates
            where.append("a.published >= ?")
            params.append(since)
        if until:  # compare only as many characters as given, so "2023-05" includes every day of May
            where.append("substr(a.published, 1, length(?)) <= ?")
            params += [until, until]
        if min_confidence is not None:
            where.append("q.confidence >= ?")
            params.append(min_confidence)
        if mentions_from or mentions_to:
            where.append(
                "EXISTS (SELECT 1 FROM dates d WHERE d.article_id = q.article_id AND d.start >= q.start "
                "AND d.end <= q.end AND date_in(d.value, ?, ?))"
            )
            params += [mentions_from or None, mentions_to or None]
        if (
            place
        ):  # named inside the quote's words: by the gazetteer's name, the words used, or ISO country code
            where.append(
                "EXISTS (SELECT 1 FROM places p WHERE p.article_id = q.article_id AND p.start >= q.start "
                "AND p.end <= q.end AND (fold(p.name) = ? OR fold(substr(a.text, p.start + 1, p.end - p.start)) = ? "
                "OR p.country = ?))"
            )
            params += [fold(place), fold(place), place.upper() if len(place) == 2 else None]
        sql = f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.published IS NULL, a.published DESC, a.id, q.position"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_quote_row(row) for row in self._rows(sql, params)]

    def speakers(self) -> list[SpeakerRow]:
        """Speakers merged by case-insensitive name across articles (cross-article resolution comes later)."""
        rows = self._rows(
            "SELECT fold(e.name), min(e.name), min(e.kind), count(q.id), count(DISTINCT q.article_id) "
            "FROM quotes q JOIN entities e ON e.id = q.speaker_entity_id "
            "GROUP BY fold(e.name) ORDER BY 4 DESC, 2"
        )
        aliases: dict[str | None, set[str]] = {}
        for name, names_aliases in self.speaker_aliases().items():
            aliases.setdefault(fold(name), set()).update(names_aliases)
        return [
            SpeakerRow(name, kind, sorted(aliases.get(key, ())), quote_count, article_count)
            for key, name, kind, quote_count, article_count in rows
        ]

    def relays(self) -> list[RelayRow]:
        rows = self._rows(
            "SELECT outer_quote.speaker_name, inner_quote.speaker_name, count(*) FROM quotes inner_quote "
            "JOIN quotes outer_quote ON outer_quote.id = inner_quote.nested_in "
            "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2"
        )
        return [RelayRow(relayer, source, count) for relayer, source, count in rows]

    def speaker_aliases(self) -> dict[str, list[str]]:
        aliases: dict[str, list[str]] = {}
        for name, alias in self._rows(
            "SELECT DISTINCT e.name, al.alias FROM entity_aliases al "
            "JOIN entities e ON e.id = al.entity_id ORDER BY 1, 2"
        ):
            aliases.setdefault(name, []).append(alias)
        return aliases

    def talks_about(self) -> list[TalksAboutRow]:
        """Mentions whose span lies inside the quote span, of a person or org other than the speaker."""
        rows = self._rows(
            "SELECT min(s.name), min(e.name), min(e.kind), count(DISTINCT q.id) FROM quotes q "
            "JOIN entities s ON s.id = q.speaker_entity_id "
            "JOIN mentions m ON m.article_id = q.article_id AND m.start >= q.start AND m.end <= q.end "
            "JOIN entities e ON e.id = m.entity_id "
            "WHERE e.kind IN ('person', 'org') AND fold(e.name) != fold(s.name) "
            "GROUP BY fold(s.name), fold(e.name) ORDER BY 4 DESC, 1, 2"
        )
        return [TalksAboutRow(*row) for row in rows]

    def flagged_dates(self) -> list[FlaggedDateRow]:
        rows = self._rows(
            "SELECT a.id, a.external_id, a.title, a.text, d.start, d.end, d.text, d.value, d.flag "
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
        rows = self._rows(
            "SELECT id FROM articles WHERE id = ? OR external_id = ? "
            "ORDER BY id = ? DESC, ingested_at DESC, rowid DESC LIMIT 1",
            (ref, ref, ref),
        )
        prefix = ref.lower()
        if not rows and _HASH_PREFIX.fullmatch(prefix):
            # a range on the primary key: hex digits all sort below "g"
            rows = self._rows(
                "SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g")
            )
            rows = rows if len(rows) == 1 else []
        return self._load(rows[0][0]) if rows else None

    def _load(self, digest: str) -> Article:
        (external_id, title, url, published, language, author, site_name, source, text) = self._rows(
            "SELECT external_id, title, url, published, language, author, site_name, source, text "
            "FROM articles WHERE id = ?",
            (digest,),
        )[0]
        entity_rows = self._rows(
            "SELECT id, name, kind FROM entities WHERE article_id = ? ORDER BY position", (digest,)
        )
        entity_index = {row[0]: n for n, row in enumerate(entity_rows)}
        aliases: dict[int, list[str]] = {}
        for entity_id, alias in self._rows(
            "SELECT al.entity_id, al.alias FROM entity_aliases al JOIN entities e ON e.id = al.entity_id "
            "WHERE e.article_id = ? ORDER BY al.rowid",
            (digest,),
        ):
            aliases.setdefault(entity_id, []).append(alias)
        entities = [Entity(name, kind, aliases.get(i, [])) for i, name, kind in entity_rows]
        mentions = [
            Mention(Span(start, end), mention_text, label, entity_index.get(entity_id))
            for start, end, mention_text, label, entity_id in self._rows(
                "SELECT start, end, text, label, entity_id FROM mentions WHERE article_id = ? ORDER BY id",
                (digest,),
            )
        ]
        quote_rows = self._rows(
            "SELECT id, start, end, kind, act, confidence, cue_start, cue_end, speaker_start, speaker_end, "
            "speaker_name, speaker_entity_id, nested_in, inferred FROM quotes WHERE article_id = ? "
            "ORDER BY position",
            (digest,),
        )
        quote_index = {row[0]: n for n, row in enumerate(quote_rows)}
        quotes = [
            Quote(
                content=Span(start, end),
                kind=kind,
                cue=Span(cue_start, cue_end) if cue_start is not None else None,
                speaker_mention=Span(speaker_start, speaker_end) if speaker_start is not None else None,
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
                cue_start,
                cue_end,
                speaker_start,
                speaker_end,
                speaker,
                entity_id,
                nested,
                inferred,
            ) in quote_rows
        ]
        dates = [
            DateMention(Span(start, end), words, _load_value(value), granularity, anchor, flag)
            for start, end, words, value, granularity, anchor, flag in self._rows(
                "SELECT start, end, text, value, granularity, anchor, flag FROM dates "
                "WHERE article_id = ? ORDER BY id",
                (digest,),
            )
        ]
        places = [
            Place(Span(start, end), name, kind, lat, lon, country, admin1, geonames_id)
            for start, end, name, kind, lat, lon, country, admin1, geonames_id in self._rows(
                "SELECT start, end, name, kind, lat, lon, country, admin1, geonames_id FROM places "
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

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def _apply(conn: sqlite3.Connection, migration: Migration) -> None:
    if callable(migration.change):
        migration.change(conn)
        return
    for statement in _statements(migration.change):
        conn.execute(statement)


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies (which contain ';') whole.

    executescript() would do the splitting but commits first, taking the step out of its transaction.
    """
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
    """The row id for a list index in the article; a dangling index is a bug, never stored."""
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
    spans += [d.span for d in article.dates] + [p.span for p in article.places]
    spans += [s for q in article.quotes for s in (q.cue, q.speaker_mention) if s is not None]
    for span in spans:
        if not 0 <= span.start <= span.end <= length:
            raise StoreError(f"span [{span.start}, {span.end}) is outside its text of {length} characters")


def _quote_row(row: Sequence[Any]) -> QuoteRow:
    values = list(row)
    values[-1] = bool(values[-1])  # SQLite has no booleans: inferred comes back as 0 or 1
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
