"""The store on both backends (SQLite in memory, a fresh PostgreSQL database: see conftest.py), with
articles built by hand (offsets from text.index)."""

from __future__ import annotations

import dataclasses
import multiprocessing

import pytest

import quotegraph.store.migrations as migrations_module
import quotegraph.store.writing as writing_module
from quotegraph.errors import StoreError
from quotegraph.model import Article, CharSpan, DateMention, Entity, IngestFailure, Mention, Place, Quote
from quotegraph.store import QuoteFilter, Store, open_store
from quotegraph.store.database import Database
from quotegraph.store.migrations import MIGRATIONS, Migration
from quotegraph.store.sql import SqlStore
from quotegraph.store.sqlite import SQLiteStore

TEXT = (
    "Jane Doe, the harbour master, said the new pier would open in June. "
    "“We have waited ten years for this,” she said. "
    "Councillor Omar Reyes quoted the mayor as saying: “Karin Holm said the budget is fixed.”"
)
TABLES = ("articles", "entities", "entity_aliases", "mentions", "quotes")


def span_of(text: str, words: str, start: int = 0) -> CharSpan:
    at = text.index(words, start)
    return CharSpan(at, at + len(words))


def harbour_article(
    text: str = TEXT, article_id: str = "harbour-1", published: str | None = "2024-05-02"
) -> Article:
    jane = Entity("Jane Doe", "person", ["harbour master", "Ms Doe"])
    omar = Entity("Omar Reyes", "person", ["Councillor Omar Reyes"])
    karin = Entity("Karin Holm", "person")
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
            span_of(text, "said", text.index("she")),
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
            act="speech",
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
            inferred=True,
        ),
    ]
    mentions = [
        Mention(span_of(text, "Jane Doe"), "Jane Doe", "PERSON", 0),
        Mention(span_of(text, "she"), "she", "PRON", 0),
        Mention(span_of(text, "the mayor"), "the mayor", "DESC"),
    ]
    return Article(
        text=text,
        id=article_id,
        title="Pier to open",
        url="https://example.org/pier",
        published=published,
        language="en",
        author="A. Reporter",
        site_name="Harbour News",
        source="harbour.jsonl",
        quotes=quotes,
        entities=[jane, omar, karin],
        mentions=mentions,
        places=[Place(span_of(text, "pier"), "Pier Head", "landmark", 53.4, -3.0, "GB", "England", 2640729)],
    )


def count_rows(store: SqlStore) -> dict[str, int]:
    tables = [*TABLES, "quotes_fts"] if isinstance(store, SQLiteStore) else TABLES
    return {t: store.execute(f"SELECT count(*) FROM {t}")[0][0] for t in tables}


def in_transaction(store: SqlStore) -> bool:
    if isinstance(store, SQLiteStore):
        return bool(store.conn.in_transaction)
    import psycopg

    return bool(store.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE)


# --- writing and reading back ---------------------------------------------------------------


def test_round_trip_returns_the_same_article(store: SqlStore) -> None:
    article = harbour_article()
    assert store.add_article(article)
    loaded = store.article("harbour-1")
    assert loaded == article  # text, metadata, quotes, mentions, entities with aliases in order
    assert store.has_article(article.content_hash)
    assert store.articles_count() == 1


def test_a_place_named_by_its_people_keeps_its_flag(store: SqlStore) -> None:
    text = "British divers reached the pier in Liverpool."
    britain = Place(
        span_of(text, "British"), "United Kingdom", "country", 54.0, -2.0, "GB", None, 2635167, demonym=True
    )
    liverpool = Place(span_of(text, "Liverpool"), "Liverpool", "city", 53.41, -2.98, "GB", "England", 2644210)
    assert store.add_article(Article(text, id="divers", places=[britain, liverpool]))
    loaded = store.article("divers")
    assert loaded is not None and [p.demonym for p in loaded.places] == [True, False]
    assert loaded.places == [britain, liverpool]


def test_quote_rows_point_into_the_stored_text(store: SqlStore) -> None:
    article = harbour_article()
    store.add_article(article)
    rows = store.quotes()
    assert [r.text for r in rows] == [q.content.text(TEXT) for q in article.quotes]
    for row in rows:
        assert TEXT[row.start : row.end] == row.text
        assert row.article_id == article.content_hash and row.external_id == "harbour-1"
    second, outer, inner = rows[1], rows[2], rows[3]
    assert (second.speaker, second.speaker_mention, second.cue) == ("Jane Doe", "she", "said")
    assert inner.nested_in == outer.quote_id and outer.nested_in is None
    assert inner.inferred and not outer.inferred
    assert (outer.kind, outer.act, outer.confidence) == ("direct", "speech", 0.85)


def test_article_found_by_hash_or_unique_prefix(store: SqlStore) -> None:
    article = harbour_article()
    store.add_article(article)
    for ref in (article.content_hash, article.content_hash[:6], article.content_hash[:10].upper()):
        found = store.article(ref)
        assert found is not None and found.id == "harbour-1"
    assert store.article(article.content_hash[:5]) is None  # too short to be a reference
    assert store.article("%%%%%%") is None
    assert store.article("no-such-article") is None


def test_ambiguous_hash_prefix_finds_nothing(store: SqlStore) -> None:
    for digest in ("abcdef01" + "0" * 56, "abcdef02" + "0" * 56):
        store.execute(
            "INSERT INTO articles (id, external_id, text, ingested_at) VALUES (?, ?, 'x', 'now')",
            (digest, digest),
        )
    assert store.article("abcdef") is None
    found = store.article("abcdef02")
    assert found is not None and found.id.startswith("abcdef02")


def test_reused_external_id_finds_the_newest(store: SqlStore) -> None:
    store.add_article(harbour_article())
    store.add_article(harbour_article(text=TEXT + " Updated."))
    found = store.article("harbour-1")
    assert found is not None and found.text.endswith("Updated.")


def test_same_content_is_stored_once(store: SqlStore) -> None:
    assert store.add_article(harbour_article())
    before = count_rows(store)
    assert not store.add_article(harbour_article(article_id="a-copy-under-another-id"))
    # whitespace differences do not make new content
    assert not store.add_article(
        harbour_article(text=TEXT.replace(" the new pier", "  the new pier"), article_id="x")
    )
    assert count_rows(store) == before
    assert store.articles_count() == 1


def test_failures_recorded_once(store: SqlStore) -> None:
    failure = IngestFailure("broken.html", "no main text")
    store.add_failure(failure)
    store.add_failure(failure)
    store.add_failure(IngestFailure("broken.html", "not UTF-8"))
    store.add_failure(IngestFailure("empty.txt", "empty file"))
    assert store.failures() == [
        failure,
        IngestFailure("broken.html", "not UTF-8"),
        IngestFailure("empty.txt", "empty file"),
    ]


# --- all or nothing ---------------------------------------------------------------------------


def test_a_dangling_nested_index_leaves_no_rows(store: SqlStore) -> None:
    article = harbour_article()
    article.quotes[3].nested_in = 99  # fails after every other row of the article is written
    with pytest.raises(StoreError, match="entry 99"):
        store.add_article(article)
    assert not any(count_rows(store).values())
    assert store.add_article(harbour_article())  # the store is usable afterwards


def test_any_error_mid_article_rolls_back(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    real_pair = writing_module._pair

    def failing_pair(span: CharSpan | None) -> tuple[int | None, int | None]:
        nonlocal calls
        calls += 1
        if calls == 5:  # the third quote's cue
            raise RuntimeError("disk on fire")
        return real_pair(span)

    monkeypatch.setattr(writing_module, "_pair", failing_pair)
    with pytest.raises(RuntimeError, match="disk on fire"):  # a bug shows as itself, not as a StoreError
        store.add_article(harbour_article())
    assert calls == 5
    assert not any(count_rows(store).values())
    assert not in_transaction(store)


def test_offsets_outside_the_text_are_refused(store: SqlStore) -> None:
    article = harbour_article()
    article.mentions[0] = Mention(CharSpan(0, len(TEXT) + 5), "Jane Doe", "PERSON", 0)
    with pytest.raises(StoreError, match="outside"):
        store.add_article(article)
    assert store.articles_count() == 0


def test_foreign_keys_are_enforced(store: SqlStore) -> None:
    with pytest.raises(StoreError, match=r"(?i)foreign key"):
        store.execute(
            "INSERT INTO entities (article_id, position, name, kind) VALUES ('none', 0, 'X', 'person')"
        )


# --- querying -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speaker", "expected"),
    [
        ("Jane Doe", 2),
        ("doe", 2),
        ("  JANE   doe ", 2),
        ("harbour master", 2),
        ("MS DOE", 2),
        ("Reyes", 1),
        ("Holm", 1),
        ("Karin", 0),  # a first name alone is not enough
        ("Nobody", 0),
        ("%", 0),  # LIKE wildcards are plain characters
        ("_oe", 0),
    ],
)
def test_speaker_filter_by_name_surname_or_alias(store: SqlStore, speaker: str, expected: int) -> None:
    store.add_article(harbour_article())
    assert len(store.quotes(QuoteFilter(speaker=speaker))) == expected


def test_speaker_filter_without_entity_and_beyond_ascii(store: SqlStore) -> None:
    text = "Ahmad Massoud said the talks had failed. Zoë Ölund said nothing had been agreed."
    article = Article(
        text=text,
        id="talks",
        entities=[Entity("Zoë Ölund", "person")],
        quotes=[
            Quote(span_of(text, "the talks had failed"), "indirect", speaker="Ahmad Massoud"),
            Quote(
                span_of(text, "nothing had been agreed"), "indirect", speaker="Zoë Ölund", speaker_entity=0
            ),
        ],
    )
    store.add_article(article)
    assert [r.text for r in store.quotes(QuoteFilter(speaker="massoud"))] == ["the talks had failed"]
    assert [r.text for r in store.quotes(QuoteFilter(speaker="ÖLUND"))] == ["nothing had been agreed"]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("pier June", 1),
        ("PIER", 1),
        ("waited years", 1),
        ("pier budget", 0),  # every word must match
        ('"unbalanced', 0),
        ('pier" OR "budget', 3),  # OR between two terms: the quote of the pier and the two of the budget
        ("AND OR NOT", 0),  # AND is implied, OR with nothing before it joins nothing: 'not' is left
        ("pier AND", 1),
        ("pier OR budget fixed", 2),  # OR binds tighter: (pier or budget) and fixed
        ("or budget", 0),  # only OR in capitals is the operator: 'or' is a word, and no quote holds it
        ("NEAR(pier", 0),  # FTS5's syntax is plain text: 'near' and 'pier' must occur
        ("NEAR(pier June, 5)", 0),
        ("text:budget", 0),  # no column filter: the phrase 'text budget'
        ("^budget", 2),
        ("-budget", 2),
        ("budget*", 2),
        ("budg*", 2),  # a prefix
        ("budg", 0),  # no prefix without its star
        ('"budget is fixed"', 2),  # a phrase
        ('"fixed budget"', 0),  # its words, but not one after the other
        ('"the budg"*', 2),  # a phrase whose last word is a prefix
        ("((", 0),
        ("*", 0),
        ("  ", 0),
        ("", 0),
    ],
)
def test_full_text_search_takes_any_user_input(store: SqlStore, words: str, expected: int) -> None:
    store.add_article(harbour_article())
    assert len(store.quotes(QuoteFilter(search=words))) == expected


def test_full_text_search_ignores_diacritics(store: SqlStore) -> None:
    text = "The chef said the café would reopen."
    store.add_article(Article(text=text, quotes=[Quote(span_of(text, "the café would reopen"), "indirect")]))
    assert len(store.quotes(QuoteFilter(search="cafe"))) == 1
    assert len(store.quotes(QuoteFilter(search="CAFÉ reopen"))) == 1


@pytest.mark.parametrize(
    ("words", "expected"),
    [("mayor", 1), ("mayor’s", 1), ("mayor's office", 1), ("mayors", 0), ("CAFE terrace", 1), ("s", 1)],
)
def test_search_splits_words_at_apostrophes(store: SqlStore, words: str, expected: int) -> None:
    """The same words match on both backends: apostrophes and other punctuation separate words."""
    text = "A spokesperson said the mayor’s office and the café’s terrace would reopen."
    store.add_article(
        Article(
            text=text,
            quotes=[
                Quote(span_of(text, "the mayor’s office and the café’s terrace would reopen"), "indirect")
            ],
        )
    )
    assert len(store.quotes(QuoteFilter(search=words))) == expected


def test_date_filters_and_limit(store: SqlStore) -> None:
    store.add_article(harbour_article())
    store.add_article(harbour_article(text=TEXT + " Later.", article_id="harbour-2", published="2024-07-15"))
    store.add_article(harbour_article(text=TEXT + " Month.", article_id="harbour-3", published="2024-06"))
    store.add_article(harbour_article(text=TEXT + " Undated.", article_id="undated", published=None))
    assert {r.external_id for r in store.quotes(QuoteFilter(since="2024-06"))} == {"harbour-2", "harbour-3"}
    assert {r.external_id for r in store.quotes(QuoteFilter(until="2024-05"))} == {
        "harbour-1"
    }  # the whole of May
    assert {r.external_id for r in store.quotes(QuoteFilter(until="2024-06-10"))} == {
        "harbour-1",
        "harbour-3",
    }
    assert len(store.quotes(QuoteFilter(since="2024-05-01", until="2024-07-15"))) == 12
    assert len(store.quotes(QuoteFilter(since="2024-07-16"))) == 0
    newest = store.quotes(QuoteFilter(limit=5))
    assert [r.external_id for r in newest] == ["harbour-2"] * 4 + ["harbour-3"]
    assert [r.start for r in newest[:4]] == sorted(r.start for r in newest[:4])  # article order within one
    assert store.quotes()[-1].external_id == "undated"  # undated articles come last


def test_min_confidence(store: SqlStore) -> None:
    store.add_article(harbour_article())
    assert len(store.quotes(QuoteFilter(min_confidence=0.86))) == 3


def test_filters_combine(store: SqlStore) -> None:
    store.add_article(harbour_article())
    store.add_article(harbour_article(text=TEXT + " Later.", article_id="harbour-2", published="2024-07-15"))
    rows = store.quotes(QuoteFilter(speaker="Doe", search="waited", since="2024-07"))
    assert [(r.external_id, r.speaker_mention) for r in rows] == [("harbour-2", "she")]


def test_speakers_merge_across_articles_and_relays(store: SqlStore) -> None:
    store.add_article(harbour_article())
    second = harbour_article(text=TEXT + " More.", article_id="harbour-2")
    second.entities[0] = Entity("jane doe", "person", ["Jane"])  # same name, other case and alias
    store.add_article(second)
    speakers = store.speakers()
    assert [s.name for s in speakers] == ["Jane Doe", "Karin Holm", "Omar Reyes"]  # most quoted first
    jane = speakers[0]
    assert (jane.kind, jane.quote_count, jane.article_count) == ("person", 4, 2)
    assert jane.aliases == ["Jane", "Ms Doe"]  # "harbour master" describes her: a role, no name
    assert (speakers[1].quote_count, speakers[1].article_count, speakers[1].aliases) == (2, 2, [])
    assert [(r.relayer, r.source, r.count) for r in store.relays()] == [("Omar Reyes", "Karin Holm", 2)]


def test_relays_and_talks_about_join_canonical_entities_and_never_one_to_itself(store: SqlStore) -> None:
    store.add_article(harbour_article())
    second = harbour_article(text=TEXT + " More.", article_id="harbour-2")
    second.entities[1] = Entity("Omar T. Reyes", "person")  # with a middle initial: one canonical entity
    second.quotes[2] = dataclasses.replace(second.quotes[2], speaker="Omar T. Reyes")
    store.add_article(second)
    third = harbour_article(text=TEXT + " Again.", article_id="harbour-3")
    third.quotes[3] = dataclasses.replace(third.quotes[3], speaker="Omar Reyes", speaker_entity=1)
    # inside his own quote, a name the article left apart from him that is his across articles
    third.entities.append(Entity("Omar T. Reyes", "person"))
    third.mentions.append(Mention(span_of(third.text, "the budget"), "the budget", "PERSON", 3))
    third.mentions.append(Mention(span_of(third.text, "Karin Holm"), "Karin Holm", "PERSON", 2))
    store.add_article(third)
    assert [(r.relayer, r.source, r.count) for r in store.relays()] == [("Omar Reyes", "Karin Holm", 2)]
    talks = {(t.speaker, t.subject): t.count for t in store.talks_about()}
    assert talks == {("Omar Reyes", "Karin Holm"): 1}


def test_empty_store_answers_empty(store: SqlStore) -> None:
    assert store.quotes() == [] and store.speakers() == [] and store.relays() == []
    assert store.failures() == [] and store.articles_count() == 0
    assert store.article("harbour-1") is None


# --- opening and migrating --------------------------------------------------------------------


def test_migrations_are_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_database_keeps_data_across_opens(db: str) -> None:
    with open_store(db) as s:
        s.add_article(harbour_article())
    with open_store(db) as s:
        assert s.articles_count() == 1 and len(s.quotes(QuoteFilter(speaker="Doe"))) == 2


def test_migration_recorded_and_newer_schema_refused(db: str) -> None:
    with open_store(db) as s:
        assert isinstance(s, SqlStore)
        assert s.schema_version() == MIGRATIONS[-1].version
        recorded = s.execute("SELECT version, description FROM schema_migrations ORDER BY version")
        assert [tuple(row) for row in recorded] == [(m.version, m.description) for m in MIGRATIONS]
        s.execute(
            "INSERT INTO schema_migrations VALUES (?, 'from the future', 'now')",
            (MIGRATIONS[-1].version + 1,),
        )
    with pytest.raises(StoreError, match="newer than this quotegraph knows"):
        open_store(db)


def add_note_column(store: Database) -> None:
    store.execute("ALTER TABLE articles ADD COLUMN note TEXT")


def test_pending_migrations_applied_on_open(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(db).close()
    version = MIGRATIONS[-1].version
    newer = [
        *MIGRATIONS,
        Migration(
            version + 1, "a table", "CREATE TABLE extra (x INTEGER);\nCREATE INDEX extra_x ON extra (x);"
        ),
        Migration(version + 2, "a column", add_note_column),
    ]
    monkeypatch.setattr(migrations_module, "MIGRATIONS", newer)
    with open_store(db) as s:
        assert isinstance(s, SqlStore)
        assert s.schema_version() == version + 2
        s.execute("INSERT INTO extra VALUES (1)")
        assert s.execute("SELECT count(note) FROM articles") == [(0,)]


def test_failed_migration_changes_nothing(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(db).close()
    version = MIGRATIONS[-1].version
    broken = Migration(version + 1, "broken", "CREATE TABLE half (x INTEGER);\nNOT SQL AT ALL;")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(StoreError, match="cannot open"):
        open_store(db)
    monkeypatch.undo()
    with open_store(db) as s:
        assert isinstance(s, SqlStore)
        assert s.schema_version() == version
        with pytest.raises(StoreError, match="half"):
            s.execute("SELECT x FROM half")


def test_migration_applied_meanwhile_by_another_process_is_skipped(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(db).close()
    real_version = migrations_module.schema_version
    calls = 0

    def stale_first_read(database: Database) -> int:
        nonlocal calls
        calls += 1
        return 0 if calls == 1 else real_version(database)  # as if read just before another process migrated

    monkeypatch.setattr(migrations_module, "schema_version", stale_first_read)
    with open_store(db) as s:
        assert isinstance(s, SqlStore)
        assert calls > 1 and real_version(s.db) == MIGRATIONS[-1].version


def test_name_keys_are_backfilled_by_migration_4(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows stored by a quotegraph before the folded keys existed are found by speaker and place."""
    text = "Zoë Ölund said the port of Göteborg would close."
    monkeypatch.setattr(migrations_module, "MIGRATIONS", MIGRATIONS[:3])
    with open_store(db) as old:
        assert isinstance(old, SqlStore)
        vector = ("", "") if isinstance(old, SQLiteStore) else (", search", ", to_tsvector('simple', 'x')")
        old.execute(
            "INSERT INTO articles (id, external_id, text, ingested_at) VALUES ('h', 'old', ?, 'now')", [text]
        )
        old.execute(
            "INSERT INTO entities (id, article_id, position, name, kind) VALUES (7, 'h', 0, 'Zoë Ölund', 'person')"
        )
        old.execute("INSERT INTO entity_aliases (entity_id, alias) VALUES (7, 'Ms Ölund')")
        old.execute(
            'INSERT INTO quotes (article_id, position, start, "end", text, kind, act, confidence, speaker_name, '
            f"speaker_entity_id{vector[0]}) VALUES ('h', 0, 15, 47, ?, 'indirect', 'speech', 0.9, 'Zoë Ölund', 7"
            f"{vector[1]})",
            [text[15:47]],
        )
        old.execute(
            "INSERT INTO places (article_id, start, \"end\", name, kind) VALUES ('h', 27, 35, 'Gothenburg', 'city')"
        )
    monkeypatch.undo()
    with open_store(db) as s:
        assert isinstance(s, SqlStore)
        assert s.execute("SELECT speaker_key, speaker_surname FROM quotes") == [("zoe olund", "olund")]
        for speaker in ("Zoë Ölund", "zoe olund", "ÖLUND", "Ms Olund"):
            assert [r.text for r in s.quotes(QuoteFilter(speaker=speaker))] == [
                "the port of Göteborg would close"
            ], speaker
        assert (
            len(s.quotes(QuoteFilter(place="goteborg")))
            == len(s.quotes(QuoteFilter(place="Gothenburg")))
            == 1
        )


def test_two_writers_at_once_store_every_article_exactly_once(db: str) -> None:
    """Two processes store overlapping sets of articles at the same moment: none lost, none twice."""
    open_store(db).close()  # migrated once, so both writers race on articles only
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(2) as pool:
        stored = pool.starmap(store_range, [(db, 0, 60), (db, 30, 90)])
    assert sum(stored) == 90  # every article reported stored by exactly one writer
    with open_store(db) as s:
        assert isinstance(s, SqlStore)
        assert s.articles_count() == 90
        per_article = s.execute("SELECT article_id, count(*) FROM quotes GROUP BY article_id")
        assert len(per_article) == 90 and {count for _, count in per_article} == {4}
        assert len(s.quotes(QuoteFilter(search="waited years"))) == 90


def store_range(db: str, first: int, last: int) -> int:
    """In a child process: store articles ``first..last-1`` (each distinct content), count those stored."""
    with open_store(db) as s:
        return sum(
            s.add_article(harbour_article(text=f"{TEXT} Copy {n}.", article_id=f"copy-{n}"))
            for n in range(first, last)
        )


def test_open_store_gives_a_store() -> None:
    with open_store(":memory:") as s:
        typed: Store = s
        assert typed.add_article(harbour_article())
        assert typed.articles_count() == 1


@pytest.mark.parametrize(
    ("place", "expected"),
    [("Pier Head", 1), ("pier head", 1), ("pier", 1), ("GB", 1), ("gb", 1), ("FR", 0), ("Paris", 0)],
)
def test_place_filter_keeps_quotes_naming_the_place(store: SqlStore, place: str, expected: int) -> None:
    store.add_article(harbour_article())
    rows = store.quotes(QuoteFilter(place=place))
    assert len(rows) == expected
    assert all("pier" in row.text for row in rows)


def topic_article() -> Article:
    """A quote whose reporting clause names what it is about: a place, an organization, a date."""
    text = (
        "Regarding the Lakeside Union's offer at the Doha talks on May 2, Lena Fischer said: “It is a trap.”"
    )
    topic = span_of(text, "the Lakeside Union's offer at the Doha talks on May 2")
    return Article(
        text=text,
        id="topic-1",
        published="2023-05-01",
        entities=[Entity("Lena Fischer", "person"), Entity("Lakeside Union", "org")],
        mentions=[
            Mention(span_of(text, "Lena Fischer"), "Lena Fischer", "PERSON", 0),
            Mention(span_of(text, "Lakeside Union"), "Lakeside Union", "ORG", 1),
        ],
        quotes=[
            Quote(
                span_of(text, "It is a trap."),
                "direct",
                span_of(text, "said"),
                span_of(text, "Lena Fischer"),
                "Lena Fischer",
                0,
                confidence=0.9,
                topic=topic,
            )
        ],
        places=[
            Place(span_of(text, "Doha"), "Doha", "city", 25.29, 51.53, "QA", "Baladiyat ad Dawhah", 290030)
        ],
        dates=[DateMention(span_of(text, "May 2"), "May 2", "2023-05-02", "day", "publication date")],
    )


def test_a_quote_is_about_what_its_reporting_clause_names(store: SqlStore) -> None:
    """ "Regarding X, she said: ..." is about X though the quoted words do not name it: the place,
    entity and date filters look inside the topic as well as the words, and the topic comes back."""
    article = topic_article()
    topic = article.quotes[0].topic
    assert store.add_article(article)
    assert [r.text for r in store.quotes(QuoteFilter(place="Doha"))] == ["It is a trap."]
    assert len(store.quotes(QuoteFilter(about="Lakeside Union"))) == 1
    assert (
        store.quotes(QuoteFilter(about="Lena Fischer")) == []
    )  # the speaker is not what her words are about
    assert len(store.quotes(QuoteFilter(from_="2023-05-02", to="2023-05-02"))) == 1
    assert store.quotes(QuoteFilter(from_="2023-06-01")) == []
    stored = store.article("topic-1")
    assert stored is not None and stored.quotes[0].topic == topic


def test_mentioned_dates_without_a_year_are_in_no_range(store: SqlStore) -> None:
    """A weekday named without its date is stored as "XXXX-WXX-6"; the date filter skips it on both
    backends (it used to fail the whole query: `quotes --from 2022-11` on the demo database)."""
    text = "Ana Ruiz said the ferry would sail on Saturday, or on 5 November 2022, or in week 53 of 2021."
    quote = span_of(text, "the ferry would sail on Saturday, or on 5 November 2022, or in week 53 of 2021")
    dates = [
        DateMention(span_of(text, "Saturday"), "Saturday", "XXXX-WXX-6", "day", "unanchored"),
        DateMention(span_of(text, "5 November 2022"), "5 November 2022", "2022-11-05", "day", "explicit"),
        DateMention(span_of(text, "week 53 of 2021"), "week 53 of 2021", "2021-W53", "week", "explicit"),
    ]
    store.add_article(Article(text=text, quotes=[Quote(quote, "indirect")], dates=dates))
    assert len(store.quotes(QuoteFilter(from_="2022-11"))) == 1
    assert store.quotes(QuoteFilter(from_="2022-12")) == []
    assert len(store.quotes(QuoteFilter(from_="2022-01-03", to="2022-01-03"))) == 1  # week 53: Jan 3
    assert store.quotes(QuoteFilter(from_="2021-12-28", to="2022-01-02")) == []
