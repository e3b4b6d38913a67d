"""store stage: the database behind one protocol, on SQLite or PostgreSQL."""

from __future__ import annotations

from quotegraph.store.base import (
    EntityDetail,
    EntityRow,
    EventDetail,
    EventRow,
    QuoteRow,
    RelayRow,
    SpeakerRow,
    Store,
)
from quotegraph.store.filters import EventFilter, QuoteFilter, parse_event_filter, parse_filter
from quotegraph.store.sqlite import SQLiteStore

__all__ = [
    "EntityDetail",
    "EntityRow",
    "EventDetail",
    "EventFilter",
    "EventRow",
    "QuoteFilter",
    "QuoteRow",
    "RelayRow",
    "SQLiteStore",
    "SpeakerRow",
    "Store",
    "open_store",
    "parse_event_filter",
    "parse_filter",
]


def open_store(db: str, *, create: bool = True, check: bool = False) -> Store:
    """The store for ``db``: a ``postgresql://`` (or ``postgres://``) URL, a SQLite file path or ``:memory:``.

    ``create=False`` refuses a SQLite file that does not exist (for reading: a mistyped path must not
    make an empty database) and reads one that cannot be written; ``check=True`` refuses a damaged
    database before a write run adds to it.
    """
    if db.startswith(("postgresql://", "postgres://")):
        from quotegraph.store.postgres import PostgresStore  # psycopg loads only for a server

        return PostgresStore(db)  # the server keeps its own files whole
    return SQLiteStore(db, create=create, check=check)
