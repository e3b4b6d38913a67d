"""Search as a journalist types it: phrases, OR, prefixes, sorted by date or relevance, with facet
counts and an outlet filter, the same quotes on SQLite and PostgreSQL; and the matched words found
again in a quote for highlighting."""

from __future__ import annotations

import pytest

from quotegraph.model import Article, CharSpan, Entity, Quote
from quotegraph.store import QuoteFilter, Store, open_store, parse_filter
from quotegraph.store.keys import outlet_of
from quotegraph.store.search import Term, marks, parse_search
from quotegraph.store.sql import SqlStore

# Invented articles: (id, outlet URL, site name, published, [(speaker, words)])
CORPUS = [
    ("a1", "https://www.kabulwire.example/a1", None, "2021-08-20", [
        ("Amina Rahimi", "The Taliban took the valley road before dawn."),
        ("Amina Rahimi", "Talibans and militias alike were at the checkpoint."),
    ]),
    ("a2", "https://news.example.org/a2", "The Daily Example", "2022-03-01", [
        ("Pedro Alvarez", "Trump said nothing about the valley, nothing at all."),
        ("Amina Rahimi", "The talks with the Taliban will resume in Doha."),
    ]),
    ("a3", None, None, None, [
        ("Pedro Alvarez", "Nobody at the café expected the talks to fail."),
        ("Lena Berg", "Taliban Taliban Taliban: the word was on every radio."),
    ]),
]  # fmt: skip


def corpus_articles() -> list[Article]:
    articles = []
    for article_id, url, site, published, said in CORPUS:
        text = ""
        quotes = []
        entities: list[Entity] = []
        for speaker, words in said:
            if speaker not in [e.name for e in entities]:
                entities.append(Entity(speaker, "person"))
            start = len(text) + len(speaker) + len(' said: "')
            text += f'{speaker} said: "{words}"\n\n'
            quotes.append(
                Quote(
                    CharSpan(start, start + len(words)),
                    "direct",
                    speaker=speaker,
                    speaker_entity=[e.name for e in entities].index(speaker),
                    speaker_mention=CharSpan(start - len(speaker) - len(' said: "'), start - len(' said: "')),
                )
            )
        articles.append(
            Article(
                text,
                id=article_id,
                url=url,
                site_name=site,
                published=published,
                quotes=quotes,
                entities=entities,
            )
        )
    return articles


@pytest.fixture
def filled(store: SqlStore) -> SqlStore:
    for article in corpus_articles():
        store.add_article(article)
    return store


def texts(store: Store, **filters: object) -> list[str]:
    return [row.text for row in store.quotes(QuoteFilter(**filters))]  # type: ignore[arg-type]


QUERIES = {
    "taliban": 3,  # one word; 'Talibans' is another word
    "talib*": 4,  # a prefix: Taliban and Talibans
    "Taliban OR Trump": 4,
    "taliban OR trump valley": 2,  # OR binds tighter: (taliban or trump) and valley
    '"the valley road"': 1,
    '"valley the"': 0,
    '"the tal"*': 3,  # a phrase whose last word is a prefix: 'the talks' twice, 'The Taliban' once
    "CAFE": 1,  # accents and case dropped
    "nothing": 1,
}


@pytest.mark.parametrize(("words", "expected"), list(QUERIES.items()))
def test_phrases_or_and_prefixes(filled: SqlStore, words: str, expected: int) -> None:
    found = texts(filled, search=words)
    assert len(found) == expected == filled.count_quotes(QuoteFilter(search=words))
    search = parse_search(words)
    assert search is not None
    assert all(marks(search, text) for text in found)  # every quote found shows what matched it


def test_both_databases_give_the_same_quotes(postgres_url: str) -> None:
    with open_store(":memory:") as lite, open_store(postgres_url) as server:
        for article in corpus_articles():
            lite.add_article(article)
            server.add_article(article)
        for words in QUERIES:
            for sort in ("date", "oldest"):
                assert texts(lite, search=words, sort=sort) == texts(server, search=words, sort=sort), words
            assert sorted(texts(lite, search=words, sort="relevance")) == sorted(
                texts(server, search=words, sort="relevance")
            )
            assert lite.facets(QuoteFilter(search=words)) == server.facets(QuoteFilter(search=words))


def test_sorted_by_date_oldest_or_relevance(filled: SqlStore) -> None:
    newest = texts(filled, search="taliban")
    assert newest[0].startswith("The talks with the Taliban")  # 2022 before 2021, undated last
    assert newest[-1].startswith("Taliban Taliban Taliban")
    oldest = texts(filled, search="taliban", sort="oldest")
    assert oldest[0].startswith("The Taliban took") and oldest[-1] == newest[-1]
    ranked = texts(filled, search="taliban", sort="relevance")
    assert ranked[0].startswith("Taliban Taliban Taliban")  # three times in a short quote
    assert sorted(ranked) == sorted(newest)
    assert texts(filled, sort="relevance") == texts(filled)  # without words: by date


def test_facets_count_the_matches_and_say_how_to_narrow_to_them(filled: SqlStore) -> None:
    facets = filled.facets(QuoteFilter(search="talib*"))
    speakers = {f.label: f.count for f in facets["speaker"]}
    assert speakers == {"Amina Rahimi": 3, "Lena Berg": 1}
    assert [(f.label, f.count) for f in facets["year"]] == [("2022", 1), ("2021", 2)]
    assert {f.label: f.count for f in facets["outlet"]} == {"kabulwire.example": 2, "The Daily Example": 1}
    assert [(f.label, f.count) for f in facets["kind"]] == [("direct", 4)]
    assert [(f.label, f.count) for f in facets["act"]] == [("speech", 4)]
    for name, values in facets.items():
        for value in values:  # each facet's filters select exactly its count of the matches
            narrowed = parse_filter({"search": "talib*", **value.filters})
            assert filled.count_quotes(narrowed) == value.count, (name, value)
    assert filled.facets(QuoteFilter(search="..."))["speaker"] == []


def test_outlet_is_the_site_name_or_the_host(filled: SqlStore) -> None:
    assert len(texts(filled, outlet="kabulwire.example")) == 2
    assert len(texts(filled, outlet="The Daily Example")) == 2
    assert outlet_of(None, "https://WWW.Example.org:8080/x?y") == "example.org"
    assert outlet_of("  Le  Monde ", "https://lemonde.fr/") == "Le Monde"
    assert outlet_of(None, "not a url") is None and outlet_of(None, "http://[::1") is None


@pytest.mark.parametrize(
    ("typed", "groups"),
    [
        ("Taliban Massoud OR Masoud", [[("taliban",)], [("massoud",), ("masoud",)]]),
        ('"the Taliban" talib*', [[("the", "taliban")], [("talib",)]]),
        ("OR Trump OR", [[("trump",)]]),
        ("9,000 passengers", [[("9", "000")], [("passengers",)]]),
        ("Élise AND ÉLISE", [[("elise",)], [("elise",)]]),
        ('( ) * -- " "', None),
    ],
)
def test_what_the_search_reads(typed: str, groups: list[list[tuple[str, ...]]] | None) -> None:
    search = parse_search(typed)
    if groups is None:
        assert search is None
    else:
        assert search is not None
        assert [[term.words for term in group] for group in search.groups] == groups
    assert parse_search("talib*") is not None and parse_search("talib*").terms() == [Term(("talib",), True)]  # type: ignore[union-attr]


def test_marks_are_the_matched_words_in_the_quote() -> None:
    text = "Talibans met the Taliban's envoy at the café; the taliban-run radio said so."
    search = parse_search('talib* OR "cafe" envoy')
    assert search is not None
    assert [text[s:e] for s, e in marks(search, text)] == ["Talibans", "Taliban", "envoy", "café", "taliban"]
    phrase = parse_search('"the taliban"')
    assert phrase is not None
    assert [text[s:e] for s, e in marks(phrase, text)] == ["the Taliban", "the taliban"]


def test_a_page_and_its_total_come_together(filled: SqlStore) -> None:
    for filters in (
        {},
        {"search": "talib*"},
        {"search": "talib*", "sort": "relevance"},
        {"speaker": "Rahimi"},
    ):
        everything = filled.quotes(QuoteFilter(**filters))  # type: ignore[arg-type]
        for offset in (0, 2, 3, 10):
            rows, total = filled.page(QuoteFilter(**filters, limit=2, offset=offset))  # type: ignore[arg-type]
            assert rows == everything[offset : offset + 2] and total == len(everything)
