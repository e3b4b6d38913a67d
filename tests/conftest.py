"""Fixtures shared by the store tests: the same test runs on SQLite and on a real PostgreSQL server.

The server comes from ``QUOTEGRAPH_TEST_POSTGRES`` (``scripts/with_postgres.sh`` starts a throwaway
one and sets it; ``make test`` does both). Without it the PostgreSQL cases skip and say why, except
under CI, where they fail: CI must run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from quotegraph.store.sql import SqlStore
from quotegraph.store.sqlite import SQLiteStore

POSTGRES = os.environ.get("QUOTEGRAPH_TEST_POSTGRES", "")
BACKENDS = ["sqlite", "postgresql"]


def require_postgres() -> str:
    """The test server's URL, or skip (fail under CI) saying how to get one."""
    if not POSTGRES:
        why = (
            "no PostgreSQL server: QUOTEGRAPH_TEST_POSTGRES is unset "
            "(run the tests through ./scripts/with_postgres.sh, as `make test` does)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests, but there is {why}")
        pytest.skip(why)
    return POSTGRES


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty database on the test server for this test alone, dropped afterwards."""
    import psycopg

    server = require_postgres()
    name = f"qg_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database location that can be opened several times: a SQLite file or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "q.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[SqlStore]:
    """An open, empty store: SQLite in memory, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        with SQLiteStore(":memory:") as opened:
            yield opened
    else:
        from quotegraph.store.postgres import PostgresStore

        with PostgresStore(request.getfixturevalue("postgres_url")) as server:
            yield server
