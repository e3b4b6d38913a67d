"""The SQLite store on an in-memory database, with articles built by hand (offsets from text.index)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from quotegraph.errors import StoreError
from quotegraph.model import Article, Entity, IngestFailure, Mention, Quote, Span
from quotegraph.store import SQLiteStore, open_store
from quotegraph.store.migrations import MIGRATIONS

TEXT = (
    "Jane Doe, the harbour master, said the new pier would open in June. "
    "“We have waited ten years for this,” she said. "
    "Councillor Omar Reyes quoted the mayor as saying: “Karin Holm said the budget is fixed.”"
)


def span_of(text: str, words: str, start: int = 0) -> Span:
    at = text.index(words, start)
    return Span(at, at + len(words))


def harbour_article(
    text: str = TEXT, article_id: str = "harbour-1", published: str | None = "2024-05-02"
) -> Article:
    jane, omar, karin = (
        Entity("Jane Doe", "person", ["harbour master"]),
        Entity("Omar Reyes", "person"),
        Entity("Karin Holm", "person"),
    )
    outer = span_of(text, "Karin Holm said the budget is fixed.")
    quotes = [
        Quote(
            span_of(text, "the new pier would open in June"),
            "indirect",
            span_of(text, "said"),
            span_of(text, "Jane Doe"),
            "Jane Doe",
            0,
            confidence=0.9,
        ),
        Quote(
            span_of(text, "We have waited ten years for this"),
            "direct",
            span_of(text, "said", 80),
            span_of(text, "she"),
            "Jane Doe",
            0,
            confidence=0.9,
        ),
        Quote(
            outer,
            "direct",
            span_of(text, "quoted"),
            span_of(text, "Councillor Omar Reyes"),
            "Omar Reyes",
            1,
            confidence=0.85,
        ),
        Quote(
            span_of(text, "the budget is fixed"),
            "indirect",
            span_of(text, "said", outer.start),
            span_of(text, "Karin Holm"),
            "Karin Holm",
            2,
            confidence=0.9,
            nested_in=2,
        ),
    ]
    mentions = [Mention(span_of(text, "Jane Doe"), "Jane Doe", "PERSON", 0)]
    return Article(
        text=text,
        id=article_id,
        published=published,
        title="Pier to open",
        quotes=quotes,
        entities=[jane, omar, karin],
        mentions=mentions,
    )


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    with SQLiteStore(":memory:") as s:
        yield s


def test_round_trip_keeps_text_offsets_and_nesting(store: SQLiteStore) -> None:
    article = harbour_article()
    assert store.add_article(article)
    loaded = store.article("harbour-1")
    assert loaded is not None
    assert loaded.text == article.text
    assert [(q.content, q.kind, q.speaker, q.nested_in) for q in loaded.quotes] == [
        (q.content, q.kind, q.speaker, q.nested_in) for q in article.quotes
    ]
    assert loaded.entities[0].aliases == ["harbour master"]
    for row in store.quotes():
        assert article.text[row.start : row.end] == row.text


def test_article_found_by_hash_prefix(store: SQLiteStore) -> None:
    article = harbour_article()
    store.add_article(article)
    loaded = store.article(article.content_hash[:8])
    assert loaded is not None and loaded.id == "harbour-1"
    assert store.article("no-such-article") is None


def test_same_content_is_stored_once(store: SQLiteStore) -> None:
    assert store.add_article(harbour_article())
    assert not store.add_article(harbour_article(article_id="a-copy-under-another-id"))
    # whitespace differences do not make new content
    assert not store.add_article(
        harbour_article(text=TEXT.replace(" the new pier", "  the new pier"), article_id="x")
    )
    assert store.articles_count() == 1
    assert len(store.quotes()) == 4


def test_failures_recorded_once(store: SQLiteStore) -> None:
    failure = IngestFailure("broken.html", "no main text")
    store.add_failure(failure)
    store.add_failure(failure)
    store.add_failure(IngestFailure("empty.txt", "empty file"))
    assert store.failures() == [failure, IngestFailure("empty.txt", "empty file")]


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [("Jane Doe", 2), ("doe", 2), ("harbour master", 2), ("Reyes", 1), ("Karin", 0), ("Nobody", 0)],
)
def test_speaker_filter_by_name_surname_or_alias(store: SQLiteStore, speaker: str, expected: int) -> None:
    store.add_article(harbour_article())
    assert len(store.quotes(speaker=speaker)) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("pier June", 1),
        ("PIER", 1),
        ("waited years", 1),
        ("pier budget", 0),
        ('"unbalanced', 0),
        ("AND OR NOT", 0),
        ("NEAR(pier", 0),
        ("budget*", 2),  # the star is no operator here: it is dropped like other punctuation
        ("  ", 0),
    ],
)
def test_full_text_search_takes_any_user_input(store: SQLiteStore, words: str, expected: int) -> None:
    store.add_article(harbour_article())
    assert len(store.quotes(search=words)) == expected


def test_date_filters_and_limit(store: SQLiteStore) -> None:
    store.add_article(harbour_article())
    store.add_article(harbour_article(text=TEXT + " Later.", article_id="harbour-2", published="2024-07-15"))
    assert len(store.quotes(since="2024-06")) == 4
    assert len(store.quotes(until="2024-05")) == 4  # the whole month of May
    assert len(store.quotes(since="2024-05-01", until="2024-07-15")) == 8
    newest = store.quotes(limit=1)
    assert len(newest) == 1 and newest[0].external_id == "harbour-2"


def test_min_confidence(store: SQLiteStore) -> None:
    store.add_article(harbour_article())
    assert len(store.quotes(min_confidence=0.86)) == 3


def test_speakers_merge_across_articles_and_relays(store: SQLiteStore) -> None:
    store.add_article(harbour_article())
    store.add_article(harbour_article(text=TEXT + " More.", article_id="harbour-2"))
    speakers = {s.name: s for s in store.speakers()}
    assert speakers["Jane Doe"].quote_count == 4
    assert speakers["Jane Doe"].article_count == 2
    assert speakers["Jane Doe"].aliases == ["harbour master"]
    assert [(r.relayer, r.source, r.count) for r in store.relays()] == [("Omar Reyes", "Karin Holm", 2)]


def test_migration_recorded_and_newer_schema_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "q.db")
    with SQLiteStore(path) as s:
        assert s.schema_version() == MIGRATIONS[-1].version
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from the future', 'now')", (MIGRATIONS[-1].version + 1,)
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(path)


def test_foreign_keys_are_on(store: SQLiteStore) -> None:
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_broken_article_leaves_no_rows(store: SQLiteStore) -> None:
    article = harbour_article()
    article.quotes[3].nested_in = 99  # points at a quote the article does not have
    with pytest.raises(StoreError):
        store.add_article(article)
    assert store.articles_count() == 0
    for table in ("entities", "mentions", "quotes", "quotes_fts"):
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_offsets_outside_the_text_are_refused(store: SQLiteStore) -> None:
    article = harbour_article()
    article.quotes[0].content = Span(0, len(TEXT) + 5)
    with pytest.raises(StoreError, match="outside"):
        store.add_article(article)
    assert store.articles_count() == 0


def test_open_store_refuses_postgres_for_now() -> None:
    with pytest.raises(StoreError, match="PostgreSQL"):
        open_store("postgresql://localhost/quotes")
