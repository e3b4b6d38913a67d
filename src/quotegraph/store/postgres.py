"""The server dialect: PostgreSQL through psycopg 3, one connection in autocommit mode with explicit
transactions, full-text search on a tsvector column with a GIN index.

Only what is PostgreSQL's own lives here: the connection, ``%s`` placeholders, an advisory lock
that serializes migrations between processes, and tsquery building. Every query is in the store's
role modules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from quotegraph.errors import StoreError
from quotegraph.store.database import Database
from quotegraph.store.sql import SqlStore

# Any constant both processes agree on: pg_advisory_xact_lock takes a 64-bit key.
_SCHEMA_LOCK = 0x7175_6F74_6567_7261


_SEPARATORS = re.compile(r"[\W_]+")


def search_words(text: str) -> str:
    """Text as SQLite's FTS5 tokenizer (unicode61, remove_diacritics 2) splits it: lower case, no
    accents, letters and digits only; stored quotes and queries both pass through it."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _SEPARATORS.sub(" ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip()


def ts_query(words: str) -> str:
    """User words as a tsquery where every word must occur, split as the stored vectors are.

    A word that splits into several tokens ("9,000", "text:budget") must match them in sequence,
    as a phrase (as in FTS5); tokens hold only letters and digits, so no tsquery syntax can leak through.
    """
    phrases = [" <-> ".join(f"'{t}'" for t in search_words(word).split()) for word in words.split()]
    return " & ".join(p for p in phrases if p)


def _redact(url: str) -> str:
    """The URL as shown in messages: without its password."""
    return re.sub(r"^(\w+://[^:/@]*):[^@]*@", r"\1:***@", url)


class PostgresDatabase(Database):
    """A database on a PostgreSQL server (``postgresql://user@host:port/db``), in autocommit mode with
    explicit transactions."""

    dialect = "postgresql"
    driver_errors = (psycopg.Error,)
    search_vector = "to_tsvector('simple', ?)"

    def __init__(self, url: str) -> None:
        self.location = _redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the database {self.location!r}: {exc}") from exc

    def placeholders(self, sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def lock_schema(self) -> None:
        self.lock(_SCHEMA_LOCK)

    def lock(self, key: int) -> None:
        self.execute("SELECT pg_advisory_xact_lock(?)", (key,))

    def run_script(self, sql: str) -> None:
        try:
            self.conn.execute(sql)  # no parameters: psycopg sends the statements as one script
        except psycopg.Error as exc:
            raise self.failure(exc) from exc

    def has_table(self, name: str) -> bool:
        return self.execute("SELECT to_regclass(?) IS NOT NULL", (name,)) == [(True,)]

    def search_words(self, text: str) -> str:
        return search_words(text)

    def search_filter(self, words: str) -> tuple[str, list[object]] | None:
        query = ts_query(words)
        if not query:
            return None
        return "q.search @@ to_tsquery('simple', ?)", [query]


class PostgresStore(SqlStore):
    """A quotegraph database on a PostgreSQL server."""

    def __init__(self, url: str) -> None:
        super().__init__(PostgresDatabase(url))
