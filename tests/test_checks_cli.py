"""Dates in the store and on the command line: round-trip, ``flagged_dates``, ``checks``, ``quotes --from/--to``.

The store tests build articles by hand (offsets from ``text.index``); the CLI tests ingest a text
written for this file through the whole pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quotegraph.model import Article, CharSpan, DateMention, Quote
from quotegraph.serve.cli import main
from quotegraph.store import QuoteFilter, SQLiteStore
from quotegraph.store.articles import sentence
from quotegraph.store.sqlite import date_in

TEXT = (
    "The ferry sank on Friday, March 9, officials said. "
    'Captain Ines Falk said: "We saw the storm coming on March 7 and 8."\n'
    "The port reopened in 2021."
)


def span_of(words: str) -> CharSpan:
    at = TEXT.index(words)
    return CharSpan(at, at + len(words))


def ferry_article() -> Article:
    return Article(
        text=TEXT,
        id="ferry-1",
        title="Ferry",
        published="2023-04-02",
        quotes=[Quote(span_of("We saw the storm coming on March 7 and 8."), "direct", speaker="Ines Falk")],
        dates=[
            DateMention(
                span_of("Friday, March 9"),
                "Friday, March 9",
                "2023-03-09",
                "day",
                "publication date",
                "weekday mismatch: 2023-03-09 was a Thursday",
            ),
            DateMention(
                span_of("March 7 and 8"),
                "March 7 and 8",
                ["2023-03-07", "2023-03-08"],
                "day",
                "publication date",
            ),
            DateMention(span_of("2021"), "2021", "2021", "year", "absolute"),
        ],
    )


@pytest.fixture
def store() -> SQLiteStore:
    return SQLiteStore(":memory:")


def test_dates_round_trip(store: SQLiteStore) -> None:
    article = ferry_article()
    assert store.add_article(article)
    loaded = store.article("ferry-1")
    assert loaded is not None
    assert loaded.dates == article.dates


def test_dates_go_with_their_article(store: SQLiteStore) -> None:
    store.add_article(ferry_article())
    store.conn.execute("DELETE FROM articles")
    assert store.conn.execute("SELECT count(*) FROM dates").fetchone()[0] == 0


def test_flagged_dates_carry_their_sentence(store: SQLiteStore) -> None:
    store.add_article(ferry_article())
    rows = store.flagged_dates()
    assert [(r.external_id, r.text, r.value, r.flag) for r in rows] == [
        ("ferry-1", "Friday, March 9", "2023-03-09", "weekday mismatch: 2023-03-09 was a Thursday")
    ]
    assert rows[0].sentence == "The ferry sank on Friday, March 9, officials said."


def test_sentence_stops_at_line_breaks_and_full_stops() -> None:
    at = TEXT.index("2021")
    assert sentence(TEXT, at, at + 4) == "The port reopened in 2021."
    at = TEXT.index("storm")
    assert sentence(TEXT, at, at + 5) == 'Captain Ines Falk said: "We saw the storm coming on March 7 and 8."'


@pytest.mark.parametrize(
    ("value", "low", "high", "inside"),
    [
        ("2023-03-09", "2023-03-01", "2023-03-31", True),
        ("2023-03-09", "2023-03-10", None, False),
        ('["2023-03-07", "2023-03-08"]', "2023-03-08", "2023-03-08", True),
        ('["2023-03-07", "2023-03-08"]', "2023-03-09", None, False),
        ("2023-03", "2023-03-15", "2023-04-01", True),
        ("2021", None, "2020-12-31", False),
        ("2023-W10", "2023-03-06", "2023-03-06", True),
        ("2023-W18-6", "2023-05-01", "2023-05-01", True),  # a day of a week counts from its Monday
        ("2021-W53", "2022-01-03", "2022-01-03", True),  # 2021 has 52 weeks: PostgreSQL's reading
        ("XXXX-WXX-6", "2022-11", None, False),  # "on Saturday", no date known: in no range
        ('["XXXX-WXX-6", "2022-11-05"]', "2022-11", None, True),
        ("XXXX-11-05", None, None, False),
        ("P20M", None, None, False),
    ],
)
def test_date_in_compares_at_the_coarser_precision(
    value: str, low: str | None, high: str | None, inside: bool
) -> None:
    assert date_in(value, low, high) is inside


def test_quotes_by_mentioned_date(store: SQLiteStore) -> None:
    store.add_article(ferry_article())
    assert len(store.quotes(QuoteFilter(from_="2023-03-08", to="2023-03-31"))) == 1
    assert store.quotes(QuoteFilter(from_="2023-03-09")) == []
    assert store.quotes(QuoteFilter(to="2021")) == []  # 2021 is outside the quote's words


# --- the command line, through the whole pipeline ------------------------------------------

ARTICLE = (
    'Mayor Lena Ortiz said: "The bridge was closed in March 2022 after the flood." '
    'Engineer Tomas Berg said: "We first warned the council in October 2019." '
    "The council met on Sunday, April 4 to discuss repairs."
)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("checks")
    source = folder / "bridge.jsonl"
    record = {"id": "bridge-1", "title": "Bridge", "published": "2023-05-10", "text": ARTICLE}
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    path = str(folder / "checks.db")
    result = run("ingest", str(source), "--db", path)
    assert result.exit_code == 0, result.output
    return path


def test_checks_lists_the_weekday_mismatch(db: str) -> None:
    result = run("checks", "--db", db, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["text"], r["value"], r["flag"]) for r in rows] == [
        ("Sunday, April 4", "2023-04-04", "weekday mismatch: 2023-04-04 was a Tuesday")
    ]
    assert rows[0]["sentence"] == "The council met on Sunday, April 4 to discuss repairs."


def test_checks_table_shows_the_flag(db: str) -> None:
    result = run("checks", "--db", db)
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.replace("│", " ").split())  # the table wraps long cells
    assert "Sunday, April 4" in words and "2023-04-04" in words and "weekday" in words


def test_quotes_from_to_keep_quotes_mentioning_dates_in_range(db: str) -> None:
    def speakers(*args: str) -> list[str]:
        result = run("quotes", "--db", db, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return sorted(r["speaker"] for r in json.loads(result.output))

    assert speakers() == ["Lena Ortiz", "Tomas Berg"]
    assert speakers("--from", "2022-01-01", "--to", "2022-12-31") == ["Lena Ortiz"]
    assert speakers("--to", "2020") == ["Tomas Berg"]
    assert speakers("--from", "2024") == []


def test_checks_on_a_database_without_flags_lists_nothing(tmp_path: Path) -> None:
    SQLiteStore(str(tmp_path / "empty.db")).close()
    result = run("checks", "--db", str(tmp_path / "empty.db"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
