"""Every listing command prints a table that says how many rows it shows of how many, or the same rows
as JSON or CSV (--format table|json|csv)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.serve.cli import main
from quotegraph.store import open_store
from test_store_search import corpus_articles


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("formats") / "q.db")
    with open_store(path) as store:
        for article in corpus_articles():
            store.add_article(article)
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["quotes", "speakers", "relays", "checks", "entities"])
def test_json_and_csv_give_the_same_rows(db: str, command: str) -> None:
    rows = json.loads(run(command, "--db", db, "--format", "json"))
    table = list(csv.DictReader(io.StringIO(run(command, "--db", db, "--format", "csv"))))
    assert isinstance(rows, list) and len(table) == len(rows)
    if rows:
        assert list(table[0]) == list(rows[0])
        first = next(iter(rows[0]))
        assert [str(r[first]) for r in rows] == [t[first] for t in table]


def test_tables_say_how_many_they_show_of_how_many(db: str) -> None:
    assert run("quotes", "--db", db, "--limit", "2").rstrip().endswith("showing 2 of 6 quotes")
    assert run("quotes", "--db", db).rstrip().endswith("\n6 quotes")
    assert run("quotes", "--db", db, "--search", "trump").rstrip().endswith("\n1 quote")
    assert run("speakers", "--db", db).rstrip().endswith("\n3 speakers")
    assert run("entities", "--db", db, "--limit", "1").rstrip().endswith("showing 1 of 3 entities")
    assert run("checks", "--db", db).rstrip().endswith("\n0 date problems")


def test_csv_cells_are_flat(db: str) -> None:
    speakers = list(csv.DictReader(io.StringIO(run("speakers", "--db", db, "--format", "csv"))))
    assert {s["name"] for s in speakers} == {"Amina Rahimi", "Pedro Alvarez", "Lena Berg"}
    assert all("[" not in s["aliases"] for s in speakers)


def test_json_of_no_rows_is_an_empty_list(tmp_path: Path) -> None:
    empty = str(tmp_path / "empty.db")
    open_store(empty).close()
    assert json.loads(run("relays", "--db", empty, "--format", "json")) == []
    assert run("relays", "--db", empty, "--format", "csv") == ""
