"""store stage: the database behind one protocol (SQLite now; PostgreSQL later)."""

from __future__ import annotations

from quotegraph.errors import StoreError
from quotegraph.store.base import QuoteRow, RelayRow, SpeakerRow, Store
from quotegraph.store.sqlite import SQLiteStore

__all__ = ["QuoteRow", "RelayRow", "SQLiteStore", "SpeakerRow", "Store", "open_store"]


def open_store(db: str) -> Store:
    """The store for ``db``: a SQLite file path or ``:memory:``."""
    if db.startswith(("postgresql://", "postgres://")):
        raise StoreError("PostgreSQL support is not built yet: use a SQLite file path for --db")
    return SQLiteStore(db)
