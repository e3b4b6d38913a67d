"""What only the SQLite dialect does: a WAL file database, refusing files that are not databases,
and keeping the released migrations 1-3 as they were (databases made with them exist)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from quotegraph.errors import StoreError
from quotegraph.store.migrations import MIGRATIONS
from quotegraph.store.sqlite import SQLiteStore


def test_file_database_uses_wal_and_enforces_foreign_keys(tmp_path: Path) -> None:
    with SQLiteStore(str(tmp_path / "q.db")) as s:
        assert s.execute("PRAGMA journal_mode") == [("wal",)]
        assert s.execute("PRAGMA foreign_keys") == [(1,)]


@pytest.mark.parametrize("bad", ["missing-dir/q.db", "not-a-db.txt"])
def test_unopenable_database_raises_store_error(tmp_path: Path, bad: str) -> None:
    (tmp_path / "not-a-db.txt").write_text("this is not a database, just words " * 100)
    with pytest.raises(StoreError, match="cannot open"):
        SQLiteStore(str(tmp_path / bad))


def test_released_migrations_are_unchanged() -> None:
    """The SQL of migrations 1-3 as released: editing it would leave existing databases behind."""
    digests = [hashlib.sha256(str(m.change).encode()).hexdigest()[:16] for m in MIGRATIONS[:3]]
    assert digests == RELEASED


RELEASED = ["e561c6e4122b8279", "992e5becd22f659e", "cc7bb853cd32413e"]  # sha256 of each migration's SQL
