"""The server dialect: PostgreSQL through psycopg 3, one connection in autocommit mode with explicit
transactions, full-text search on a tsvector column with a GIN index.

Only what is PostgreSQL's own lives here: the connection, ``%s`` placeholders, an advisory lock
that serializes migrations between processes, and tsquery building. Every query is in the store's
role modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from quotegraph.errors import StoreError
from quotegraph.store.database import Database, SearchSql
from quotegraph.store.search import Search, search_words, ts_query
from quotegraph.store.sql import SqlStore

# Any constant both processes agree on: pg_advisory_xact_lock takes a 64-bit key.
_SCHEMA_LOCK = 0x7175_6F74_6567_7261


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

    def in_rows(self, column: str, query: str) -> str:
        """The query as an array computed once, so the planner reads ``column``'s table through its
        index first: as a semi-join, in a statement joining more tables than ``join_collapse_limit``
        (a speaker's relays and subjects), it was joined last, after every quote was read."""
        return f"{column} = ANY(ARRAY({query}))"

    def search_sql(self, search: Search) -> SearchSql:
        """The GIN-indexed tsvector column; ``ts_rank`` orders by relevance."""
        query = ts_query(search)
        return SearchSql(
            "",
            "q.search @@ to_tsquery('simple', ?)",
            [query],
            "ts_rank(q.search, to_tsquery('simple', ?))",
            [query],
        )


class PostgresStore(SqlStore):
    """A quotegraph database on a PostgreSQL server."""

    def __init__(self, url: str) -> None:
        super().__init__(PostgresDatabase(url))
