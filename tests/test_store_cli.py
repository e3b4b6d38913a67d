"""``--db postgresql://...`` on the command line: examples/ ingested into PostgreSQL and into SQLite,
and every read command must print the same thing from both."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def cli() -> click.Group:
    from quotegraph.serve.cli import main

    return main


def run(cli: click.Group, *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result


def test_examples_in_postgresql_read_back_as_in_sqlite(
    cli: click.Group, postgres_url: str, tmp_path: Path
) -> None:
    sqlite_db = str(tmp_path / "examples.db")
    for db in (sqlite_db, postgres_url):
        assert "stored" in run(cli, "ingest", str(EXAMPLES), "--db", db).output
    assert "stored 0 article(s)" in run(cli, "ingest", str(EXAMPLES), "--db", postgres_url).output

    quotes = json.loads(run(cli, "quotes", "--format", "json", "--db", postgres_url).stdout)
    assert len(quotes) > 10 and "Amina Okafor" in {q["speaker"] for q in quotes}
    okafor = quotes[[q["speaker"] for q in quotes].index("Amina Okafor")]
    for args in (
        ["quotes", "--format", "json"],
        ["quotes", "--speaker", "okafor", "--search", "tram", "--format", "json"],
        ["quotes", "--since", "2024-01", "--min-confidence", "0.8", "--limit", "5"],
        ["speakers"],
        ["relays"],
        ["checks", "--format", "json"],
        ["show", okafor["article_id"][:8]],
        ["export", "--format", "jsonl"],
    ):
        on_sqlite, on_postgres = (run(cli, *args, "--db", db).stdout for db in (sqlite_db, postgres_url))
        assert on_postgres == on_sqlite, args
        assert on_postgres.strip(), args


def test_unreachable_server_is_a_clear_error(cli: click.Group) -> None:
    result = CliRunner().invoke(cli, ["quotes", "--db", "postgresql://nobody:secret@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot open the database 'postgresql://nobody:***@127.0.0.1:1/none'" in result.output
    assert "secret" not in result.output
