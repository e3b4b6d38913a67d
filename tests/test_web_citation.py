"""Citing a quote: one line to paste, and CSL-JSON that reference managers import, checked against the
shape the CSL-JSON schema requires (citation-style-language/schema, csl-data.json: an array of
objects with ``id`` and ``type`` from its list, no property outside its list, dates as ``date-parts``
of one or two arrays of one to three numbers, names as objects of name parts)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from quotegraph.serve.citation import csl_json, plain, spoken_date, when
from quotegraph.serve.records import QuoteRecord

# From csl-data.json: the item types, and the properties this project may write with their JSON types.
CSL_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
    "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
    "entry-encyclopedia", "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
    "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
    "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report",
    "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip
CSL_STRINGS = {"title", "container-title", "URL", "note", "language", "abstract", "publisher", "source"}
CSL_DATES = {"issued", "accessed"}
CSL_NAMES = {"author"}
DATE_KEYS = {"date-parts", "season", "circa", "literal", "raw", "edtf"}
NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"}


def check_csl(items: Any) -> None:
    """Fail unless ``items`` has the shape csl-data.json requires (for the properties above)."""
    assert isinstance(items, list) and items
    for item in items:
        assert isinstance(item, dict)
        assert {"id", "type"} <= set(item), "id and type are required"
        assert isinstance(item["id"], str | int) and item["type"] in CSL_TYPES
        extra = set(item) - {"id", "type"} - CSL_STRINGS - CSL_DATES - CSL_NAMES
        assert not extra, f"properties outside the schema's list: {extra}"
        for key in CSL_STRINGS & set(item):
            assert isinstance(item[key], str) and item[key], key
        for key in CSL_DATES & set(item):
            value = item[key]
            assert isinstance(value, dict) and set(value) <= DATE_KEYS, key
            parts = value["date-parts"]
            assert isinstance(parts, list) and 1 <= len(parts) <= 2
            for one in parts:
                assert isinstance(one, list) and 1 <= len(one) <= 3
                assert all(isinstance(p, int | str) and not isinstance(p, bool) for p in one)
        for key in CSL_NAMES & set(item):
            assert all(isinstance(n, dict) and set(n) <= NAME_KEYS for n in item[key])


def record(**changes: Any) -> QuoteRecord:
    values: dict[str, Any] = {
        "quote_id": 7, "text": "We will be back  here\nevery Saturday", "speaker": "Amina Okafor",
        "speaker_aliases": [], "kind": "direct", "act": "speech", "confidence": 0.9, "cue": "said",
        "speaker_mention": "Okafor", "article_id": "ab" * 32, "external_id": "/srv/in/tram.txt",
        "url": "https://news.example.org/tram", "title": "Hundreds march to save tram line",
        "published": "2024-03-09", "start": 10, "end": 46, "nested_in": None, "inferred": False,
        "topic": None, "outlet": "news.example.org", "published_inferred": None,
    }  # fmt: skip
    return QuoteRecord(**(values | changes))


ACCESSED = date(2025, 1, 31)
LINK = "http://127.0.0.1:8000/quotes/7"


def test_the_citation_names_who_what_where_and_when() -> None:
    line = plain(record(), link=LINK, accessed=ACCESSED)
    assert line == (
        "Amina Okafor: “We will be back here every Saturday”. In “Hundreds march to save tram line”, "
        "news.example.org, 9 March 2024, https://news.example.org/tram. Accessed 31 January 2025. "
        "Quote: http://127.0.0.1:8000/quotes/7"
    )
    assert "/srv/in" not in line  # never the file it was read from


def test_csl_json_has_the_schemas_shape_and_the_facts() -> None:
    [item] = csl_json(record(), link=LINK, accessed=ACCESSED)
    check_csl([item])
    assert item["type"] == "article-newspaper" and item["title"] == "Hundreds march to save tram line"
    assert item["container-title"] == "news.example.org" and item["URL"] == "https://news.example.org/tram"
    assert item["issued"] == {"date-parts": [[2024, 3, 9]]}
    assert item["accessed"] == {"date-parts": [[2025, 1, 31]]}
    assert "Amina Okafor" in item["note"] and "every Saturday" in item["note"] and LINK in item["note"]


def test_an_inferred_date_is_circa_and_said_so() -> None:
    inferred = record(published=None, published_inferred="2023-05", url=None, outlet=None, title=None)
    [item] = csl_json(inferred, link=LINK, accessed=ACCESSED)
    check_csl([item])
    assert item["issued"] == {"date-parts": [[2023, 5]], "circa": True}
    assert "URL" not in item and "container-title" not in item and item["title"] == "Article " + "ab" * 6
    assert "May 2023 (inferred from the text)" in plain(inferred, link=LINK, accessed=ACCESSED)
    [undated] = csl_json(record(published=None), link=LINK, accessed=ACCESSED)
    assert "issued" not in undated


@pytest.mark.parametrize(
    ("iso", "words"),
    [("2023-05-02", "2 May 2023"), ("2023-05", "May 2023"), ("2023", "2023"), ("XXXX-05", "XXXX-05")],
)
def test_dates_in_words(iso: str, words: str) -> None:
    assert spoken_date(iso) == words
    assert when(None, None) == "undated"


@pytest.mark.parametrize(
    "bad",
    [
        [{"type": "article"}],  # no id
        [{"id": 1, "type": "newspaper"}],  # not a type
        [{"id": 1, "type": "article", "quote": "x"}],  # not a property
        [{"id": 1, "type": "article", "issued": {"date-parts": [[2023], [2024], [2025]]}}],
        [{"id": 1, "type": "article", "issued": {"date-parts": [[2023, 5, 1, 2]]}}],
    ],
)
def test_the_check_can_fail(bad: Any) -> None:
    with pytest.raises(AssertionError):
        check_csl(bad)
