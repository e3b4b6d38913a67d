"""One database connection and its dialect: what every part of the store runs its SQL through.

SQL in the store uses ``?`` placeholders and only what SQLite and PostgreSQL both accept
(``ON CONFLICT ... DO NOTHING``, ``RETURNING``, ``"end"`` quoted); a dialect (``sqlite.py``,
``postgres.py``) connects, turns placeholders into its own, runs transactions and migration
scripts, and says how full-text search is matched. Nothing here knows a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from quotegraph.errors import StoreError
from quotegraph.store.search import Search

Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True, slots=True)
class SearchSql:
    """How a dialect matches a search on quote ``q``: a join and a condition (either may be empty),
    their parameters in that order, and an expression that is larger for a more relevant quote."""

    join: str
    where: str
    params: list[object]
    score: str
    score_params: list[object] = field(default_factory=list)


class Database:
    """A DB-API connection behind ``?``-placeholder statements; driver errors become StoreError."""

    dialect: ClassVar[Dialect]
    conn: Any  # sqlite3.Connection or psycopg.Connection: both offer execute() and cursor()
    location: str  # the database as shown to users: a file path, or a URL without its password
    driver_errors: tuple[type[Exception], ...]  # what the driver raises when the database fails
    search_vector: str | None = None  # SQL computing a quote's search column from search_words(), if any
    read_only: str | None = None  # why this database is open read-only, if it is

    # --- what a dialect provides ---------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        """Commit on success, roll back on any error: never a half-written change."""
        raise NotImplementedError

    def run_script(self, sql: str) -> None:
        """Run a migration's SQL (several statements, no parameters) inside the open transaction."""
        raise NotImplementedError

    def has_table(self, name: str) -> bool:
        raise NotImplementedError

    def search_sql(self, search: Search) -> SearchSql:
        """The SQL keeping the quotes ``search`` matches, and ranking them by relevance."""
        raise NotImplementedError

    def in_rows(self, column: str, query: str) -> str:
        """SQL: ``column`` is one of the values the one-column ``query`` gives."""
        return f"{column} IN ({query})"

    def placeholders(self, sql: str) -> str:
        """The statement in the driver's placeholder style (SQLite's own ``?`` here)."""
        return sql

    def search_words(self, text: str) -> str:
        """A quote's words as its search column takes them (only where ``search_vector`` is set)."""
        return text

    def lock_schema(self) -> None:
        """Serialize migrations between processes where the transaction alone does not."""

    def lock(self, key: int) -> None:
        """Hold a lock named ``key`` until the transaction ends, where the transaction alone does not
        serialize writers (SQLite's write transactions already run one at a time)."""

    # --- running SQL ---------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Run one ``?``-placeholder statement; its rows (none for a statement returning nothing)."""
        try:
            cursor = self.conn.execute(self.placeholders(sql), params)
            return cursor.fetchall() if cursor.description is not None else []
        except self.driver_errors as exc:
            raise self.failure(exc) from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        if not rows:
            return
        try:
            self.conn.cursor().executemany(self.placeholders(sql), rows)
        except self.driver_errors as exc:
            raise self.failure(exc) from exc

    def insert_id(self, sql: str, params: Sequence[object]) -> int:
        """Run an INSERT ... RETURNING id and give the id."""
        rows = self.execute(sql, params)
        if not rows:
            raise StoreError("the database returned no row id")
        return int(rows[0][0])

    def failure(self, exc: Exception) -> StoreError:
        return StoreError(f"database error in {self.location!r}: {exc}")

    def close(self) -> None:
        self.conn.close()
