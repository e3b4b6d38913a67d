"""How the command line opens its database and reports trouble: read commands never create one, a
database that cannot be opened or written says why, a damaged one is refused before a write run, a
library error is one line and a bug is a traceback with a line saying so."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import quotegraph.store.sqlite as sqlite_module
from quotegraph.serve.cli import main
from quotegraph.store import SQLiteStore
from quotegraph.store.sql import SqlStore
from test_store import harbour_article

# Commands on a database that must already be there; DB marks where its path goes.
EXISTING_DB_COMMANDS = [
    ["quotes", "--db", "DB"],
    ["speakers", "--db", "DB"],
    ["entities", "--db", "DB"],
    ["entity", "Doe", "--db", "DB"],
    ["checks", "--db", "DB"],
    ["relays", "--db", "DB"],
    ["show", "harbour-1", "--db", "DB"],
    ["export", "--db", "DB"],
    ["serve", "--db", "DB"],
    ["entities", "--db", "DB", "merge", "Jane Doe", "Omar Reyes"],
]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_line(result: Result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.db"
    with SQLiteStore(str(path)) as store:
        store.add_article(harbour_article())
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", EXISTING_DB_COMMANDS, ids=" ".join)
def test_a_mistyped_database_is_refused_not_created(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "harbuor.db"
    result = run(*(str(missing) if word == "DB" else word for word in command))
    assert result.exit_code == 1, result.output
    assert f"no database at '{missing}'" in one_line(result)
    assert "Traceback" not in result.output
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    result = run("ingest", str(tmp_path), "--db", str(tmp_path / "no-such-folder" / "q.db"))
    assert result.exit_code == 1
    assert f"the folder '{tmp_path / 'no-such-folder'}' does not exist" in one_line(result)


def test_a_folder_is_no_database(tmp_path: Path) -> None:
    result = run("quotes", "--db", str(tmp_path))
    assert result.exit_code == 1 and "it is a folder, not a database file" in one_line(result)


def test_reading_works_on_a_read_only_filesystem_and_writing_says_why_not(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if the folder were mounted read-only: the file is read as immutable (SQLite could not make
    the -shm file it reads a WAL database through), nothing is written, and ingest says why it cannot."""
    before = digest(db)
    monkeypatch.setattr(sqlite_module, "read_only_filesystem", lambda folder: True)
    listed = run("quotes", "--db", str(db), "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert "We have waited ten years for this" in listed.output
    refused = run("ingest", str(db.parent), "--db", str(db))
    assert refused.exit_code == 1
    assert f"cannot write to the database '{db}': '{db.parent}' is on a read-only filesystem" in one_line(
        refused
    )
    assert digest(db) == before


def test_an_old_schema_on_a_read_only_filesystem_needs_write_access_once(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore(str(db)) as store:
        store.execute(
            "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"
        )
    monkeypatch.setattr(sqlite_module, "read_only_filesystem", lambda folder: True)
    result = run("quotes", "--db", str(db))
    assert result.exit_code == 1
    assert "needs write access" in one_line(result) and "read-only filesystem" in one_line(result)


def test_a_damaged_database_is_refused_before_a_write_run(db: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.db"
    shutil.copy(db, damaged)
    data = bytearray(damaged.read_bytes())
    page = 4096
    data[page + 8 : page + 64] = bytes(56)  # the second page's header and cell pointers wiped
    damaged.write_bytes(data)
    before = digest(damaged)
    article = tmp_path / "new.txt"
    article.write_text('"We will reopen the library," said Ana Ruiz.', encoding="utf-8")
    result = run("ingest", str(article), "--db", str(damaged))
    assert result.exit_code == 1, result.output
    assert f"the database '{damaged}' is damaged" in one_line(result) and "Nothing was written" in one_line(
        result
    )
    assert digest(damaged) == before
    merge = run("entities", "--db", str(damaged), "merge", "Jane Doe", "Omar Reyes")
    assert merge.exit_code == 1 and "is damaged" in one_line(merge)


def test_a_library_error_is_one_line(db: Path) -> None:
    result = run("show", "no-such-article", "--db", str(db))
    assert result.exit_code == 1
    assert (
        result.output.startswith("error: no article 'no-such-article'") and "Traceback" not in result.output
    )


def test_a_bug_shows_its_traceback_and_says_it_is_one(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: SqlStore) -> Any:
        raise RuntimeError("an invented bug")

    monkeypatch.setattr(SqlStore, "speakers", broken)
    result = run("speakers", "--db", str(db))
    assert result.exit_code == 1
    assert "Traceback" in result.output and "RuntimeError: an invented bug" in result.output
    assert "This is a bug in quotegraph" in result.output


def test_the_ingest_token_is_a_setting(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    monkeypatch.setenv("QUOTEGRAPH_INGEST_TOKEN", "from-the-environment")
    result = run("serve", "--db", str(db), "--port", "8123")
    assert result.exit_code == 0, result.output
    assert served["app"].state.ingest_token == "from-the-environment" and served["port"] == 8123
    assert "ingest on" in result.output
    monkeypatch.delenv("QUOTEGRAPH_INGEST_TOKEN")
    assert run("serve", "--db", str(db)).exit_code == 0
    assert served["app"].state.ingest_token is None


def test_the_db_setting_is_read_when_the_command_runs(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUOTEGRAPH_DB", str(db))
    result = run("quotes", "--format", "json")
    assert result.exit_code == 0 and "harbour-1" in result.output


# What only ingest, extract and evaluate need: reading the database and serving it load none of it.
HEAVY = ("spacy", "thinc", "quotegraph.nlp", "quotegraph.pipeline", "quotegraph.resolve.gazetteer", "scipy",
         "quotegraph.ingest", "trafilatura", "dask", "distributed", "pyarrow")  # fmt: skip

READ_AND_SERVE = """
import json, sys
from click.testing import CliRunner
from fastapi.testclient import TestClient
from quotegraph.serve.cli import main
from quotegraph.serve.web import create_app

db, commands, urls, heavy = json.loads(sys.argv[1])
for args in commands:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, (args, result.output)
with TestClient(create_app(db)) as client:
    for url in urls:
        assert client.get(url).status_code == 200, url
print(json.dumps(sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))))
"""


def test_reading_and_serving_load_neither_spacy_nor_the_gazetteer(db: Path) -> None:
    commands = [["--version"]] + [
        [*command, "--db", str(db)]
        for command in (
            ["quotes", "--limit", "5"],
            ["quotes", "--format", "json"],
            ["speakers"],
            ["entities"],
            ["entity", "Doe"],
            ["checks"],
            ["relays"],
            ["show", "harbour-1"],
        )
    ]
    urls = ["/", "/search?search=pier", "/api/quotes", "/places", "/graphs", "/speakers/Jane%20Doe",
            "/articles/harbour-1", "/api/entities/Doe", "/api/speakers"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", READ_AND_SERVE, json.dumps([str(db), commands, urls, HEAVY])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
