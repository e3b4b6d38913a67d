"""The embedded dialect: one SQLite file (or ``:memory:``), foreign keys on, FTS5 over quote text.

Only what is SQLite's own lives here: the connection and its pragmas, the ``date_in`` function,
``BEGIN IMMEDIATE``, FTS5 query quoting. Every query is in the store's role modules.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from quotegraph.errors import StoreError
from quotegraph.store.database import Database, SearchSql
from quotegraph.store.search import Search, fts5_query
from quotegraph.store.sql import SqlStore

__all__ = ["SQLiteDatabase", "SQLiteStore", "date_in"]

INTEGRITY_CHECK_SECONDS = (
    3.0  # quick_check reads about 100 MB a second here: a whole file of a few hundred MB
)


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
    """One SQLite file (or ``:memory:``); every write transaction takes the write lock up front.

    ``create=False`` (the read commands) refuses a file that does not exist, so a mistyped path
    finds nothing instead of making an empty database, and opens a database it cannot write
    read-only (on a read-only filesystem as immutable: nothing can change it there).
    """

    dialect = "sqlite"
    # sqlite3 decodes stored text as UTF-8 when it reads it: bytes that are not are a damaged file
    driver_errors = (sqlite3.Error, UnicodeDecodeError)

    def __init__(self, path: str, *, create: bool = True, check: bool = False) -> None:
        self.location = path
        target, uri = path, False
        in_memory = path in ("", ":memory:")
        if not in_memory:
            file = Path(path)
            if not create and not file.exists() and file.parent.is_dir():
                raise StoreError(
                    f"no database at {path!r}: check the path, or create one with "
                    f"`quotegraph ingest PATH --db {path}`"
                )
            problem = _unopenable(file)
            if problem is not None:
                raise StoreError(f"cannot open the database {path!r}: {problem}")
            self.read_only = _unwritable(file)
            if self.read_only is not None:
                if create:
                    raise StoreError(f"cannot write to the database {path!r}: {self.read_only}")
                target, uri = _read_only_uri(file), True
        try:
            self.conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False, uri=uri)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        try:
            if check:
                self.check_integrity()
            self.conn.create_function("date_in", 3, date_in, deterministic=True)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                self.conn.execute("PRAGMA busy_timeout = 10000")
            if not in_memory and self.read_only is None:
                self.conn.execute("PRAGMA journal_mode = WAL")
        except self.driver_errors as exc:
            self.conn.close()
            raise StoreError(f"cannot open the database {path!r}: {exc}") from exc
        except BaseException:
            self.conn.close()
            raise

    def check_integrity(self) -> None:
        """SQLite's quick_check, for at most a few seconds, first thing after connecting: a damaged file
        is refused before a write run adds to it. A file too big to check in that time is checked as
        far as it got."""
        if self.location in ("", ":memory:"):
            return
        deadline = time.monotonic() + INTEGRITY_CHECK_SECONDS
        self.conn.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        self.conn.text_factory = lambda raw: raw.decode(
            "utf-8", "replace"
        )  # its report may quote damaged bytes
        try:
            problems = [str(row[0]) for row in self.conn.execute("PRAGMA quick_check(10)")]
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                return
            problems = [str(exc)]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        except UnicodeDecodeError:  # SQLite's own message quoted damaged bytes of the schema
            problems = ["its schema holds bytes that are not text"]
        finally:
            self.conn.set_progress_handler(None, 0)
            self.conn.text_factory = str
        if problems != ["ok"]:
            more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
            raise StoreError(
                f"the database {self.location!r} is damaged: {problems[0]}{more}. Nothing was written to "
                f"it: restore it from a backup, or save what can still be read with "
                f"`sqlite3 {self.location} .recover | sqlite3 recovered.db`"
            )

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

    def search_sql(self, search: Search) -> SearchSql:
        """A join on the FTS5 index, whose ``rank`` (BM25, smaller for better matches) orders by relevance."""
        return SearchSql(
            "JOIN (SELECT rowid AS fts_id, rank AS fts_rank FROM quotes_fts WHERE quotes_fts MATCH ?) fts "
            "ON fts.fts_id = q.id",
            "",
            [fts5_query(search)],
            "-fts.fts_rank",
        )


class SQLiteStore(SqlStore):
    """A quotegraph database in one SQLite file; every article is written in one transaction."""

    def __init__(self, path: str, *, create: bool = True, check: bool = False) -> None:
        super().__init__(SQLiteDatabase(path, create=create, check=check))


def _unopenable(file: Path) -> str | None:
    """Why SQLite could not open this file at all, in words a user can act on."""
    if file.is_dir():
        return "it is a folder, not a database file"
    if not file.parent.is_dir():
        return f"the folder {str(file.parent)!r} does not exist"
    if file.exists() and not os.access(file, os.R_OK):
        return "no permission to read it"
    return None


def _unwritable(file: Path) -> str | None:
    """Why this database cannot be written, if it cannot: SQLite also writes its -wal and -shm files
    beside it."""
    folder = file.parent
    if read_only_filesystem(folder):
        return f"{str(folder)!r} is on a read-only filesystem"
    if not os.access(folder, os.W_OK):
        return f"no permission to write in the folder {str(folder)!r} (SQLite writes its -wal and -shm files there)"
    if file.exists() and not os.access(file, os.W_OK):
        return "no permission to write to it"
    return None


def _read_only_uri(file: Path) -> str:
    """The file opened read-only; on a read-only filesystem as immutable, since SQLite could not make
    the -shm file a WAL database is read through, and nothing can change the file there."""
    uri = f"file:{quote(str(file.resolve()))}?mode=ro"
    return uri + "&immutable=1" if read_only_filesystem(file.parent) else uri


def read_only_filesystem(folder: Path) -> bool:
    return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)


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
