"""The embedded dialect: one SQLite file (or ``:memory:``), foreign keys on, FTS5 over quote text.

Only what is SQLite's own lives here: the connection and its pragmas, the ``date_in`` function,
``BEGIN IMMEDIATE``, FTS5 query quoting. Every query is in the store's role modules.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from quotegraph.errors import StoreError
from quotegraph.store.database import Database
from quotegraph.store.sql import SqlStore

__all__ = ["SQLiteDatabase", "SQLiteStore", "date_in", "fts_query"]


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
    PostgreSQL has the same rule as a PL/pgSQL function (migration 2).
    """
    for one in json.loads(value) if value.startswith("[") else [value]:
        iso = _week_start(one) if _WEEK.match(one) else one
        if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", iso):
            continue
        if (low is None or iso[: len(low)] >= low[: len(iso)]) and (
            high is None or iso[: len(high)] <= high[: len(iso)]
        ):
            return True
    return False


# An ISO week of a known year ("2023-W18", "2023-W18-6"); a weekday named without its date is
# stored as "XXXX-WXX-6" and is in no range.
_WEEK = re.compile(r"(?!0000)\d{4}-W(0[1-9]|[1-4]\d|5[0-3])($|-)")


def _week_start(value: str) -> str:
    """The Monday of an ISO week ("2023-W18"), so weeks compare like days; week 53 of a year that has
    52 is the Monday after its week 52, as PostgreSQL's ``to_date(..., 'IYYY-IW')`` reads it."""
    first = date.fromisocalendar(int(value[:4]), 1, 1)
    return (first + timedelta(weeks=int(value[6:8]) - 1)).isoformat()


class SQLiteDatabase(Database):
    """One SQLite file (or ``:memory:``); every write transaction takes the write lock up front."""

    dialect = "sqlite"
    driver_errors = (sqlite3.Error,)

    def __init__(self, path: str) -> None:
        self.location = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        try:
            self.conn.create_function("date_in", 3, date_in, deterministic=True)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if path not in ("", ":memory:"):
                self.conn.execute("PRAGMA busy_timeout = 10000")
                self.conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as exc:
            self.conn.close()
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Take the write lock up front, so that two writers queue instead of failing at commit."""
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def run_script(self, sql: str) -> None:
        for statement in _statements(sql):
            self.execute(statement)

    def has_table(self, name: str) -> bool:
        return bool(self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))

    def search_filter(self, words: str) -> tuple[str, list[object]] | None:
        query = fts_query(words)
        if not query:
            return None
        return "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", [query]


class SQLiteStore(SqlStore):
    """A quotegraph database in one SQLite file; every article is written in one transaction."""

    def __init__(self, path: str) -> None:
        super().__init__(SQLiteDatabase(path))


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
