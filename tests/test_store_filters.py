"""The quote filter: text values from any surface checked once, the store applying every field on both
backends (the surfaces themselves are in test_serve_filters.py)."""

from __future__ import annotations

import pytest

from quotegraph.errors import InvalidParameter
from quotegraph.model import Article, Quote
from quotegraph.store import QuoteFilter, parse_filter
from quotegraph.store.filters import MAX_INTEGER, SPEECH_ACTS
from quotegraph.store.sql import SqlStore
from test_store import span_of


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, QuoteFilter()),
        ({"speaker": "  Okafor ", "search": "", "about": "   "}, QuoteFilter(speaker="Okafor")),
        (
            {"since": "2023", "until": "2023-05", "from_": "2024-02-29"},
            QuoteFilter(since="2023", until="2023-05", from_="2024-02-29"),
        ),
        ({"since": "2024-05-10", "until": "2024-05"}, QuoteFilter(since="2024-05-10", until="2024-05")),
        ({"min_confidence": "0.8", "kind": "direct"}, QuoteFilter(min_confidence=0.8, kind="direct")),
        ({"acts": "writing, speech"}, QuoteFilter(acts=("speech", "writing"))),
        ({"limit": "5", "offset": "10"}, QuoteFilter(limit=5, offset=10)),
        (
            {"limit": str(MAX_INTEGER), "offset": str(MAX_INTEGER)},
            QuoteFilter(limit=MAX_INTEGER, offset=MAX_INTEGER),
        ),
        ({"speaker_id": "person:ahmad massoud"}, QuoteFilter(speaker_id="person:ahmad massoud")),
        ({"place": "Russia", "demonyms": "true"}, QuoteFilter(place="Russia", demonyms=True)),
        ({"place": "Russia", "demonyms": "No"}, QuoteFilter(place="Russia")),
    ],
)
def test_text_values_become_a_filter(values: dict[str, str | None], expected: QuoteFilter) -> None:
    assert parse_filter(values) == expected


@pytest.mark.parametrize(
    ("values", "parameter", "message"),
    [
        ({"since": "yesterday"}, "since", "'yesterday' is not a date"),
        ({"until": "2016-13-45"}, "until", "not a date"),
        ({"from_": "2023-02-30"}, "from_", "not a date"),
        ({"to": "0000"}, "to", "not a date"),
        ({"to": "2023-5"}, "to", "not a date"),
        ({"since": "2024-06", "until": "2024-05-31"}, "since", "after until"),
        ({"from_": "2024", "to": "2023-12"}, "from_", "after to"),
        ({"min_confidence": "high"}, "min_confidence", "not a number"),
        ({"min_confidence": "1.5"}, "min_confidence", "between 0 and 1"),
        ({"min_confidence": "nan"}, "min_confidence", "between 0 and 1"),
        ({"kind": "shouted"}, "kind", "direct, indirect, mixed"),
        ({"acts": "speech,shouting"}, "acts", "speech, writing, thought"),
        ({"acts": ",,"}, "acts", "nothing given"),
        ({"limit": "0"}, "limit", "between 1"),
        ({"limit": "-1"}, "limit", "whole number"),
        ({"limit": "1e3"}, "limit", "whole number"),
        ({"limit": "5_000"}, "limit", "whole number"),
        ({"offset": "1" + "0" * 30}, "offset", "whole number"),  # no OverflowError in the database
        ({"offset": "9223372036854775808"}, "offset", "between 0 and"),
        ({"search": "tram\x00"}, "search", "NUL"),
        ({"speaker": "x" * 1001}, "speaker", "more than 1000"),
        ({"demonyms": "maybe"}, "demonyms", "not true or false"),
    ],
)
def test_bad_values_name_their_parameter(values: dict[str, str | None], parameter: str, message: str) -> None:
    with pytest.raises(InvalidParameter, match=message) as caught:
        parse_filter(values)
    assert caught.value.parameter == parameter
    assert str(caught.value).startswith(parameter.rstrip("_") + ": ")


def test_the_dataclass_checks_what_python_callers_give() -> None:
    with pytest.raises(InvalidParameter, match="not a date"):
        QuoteFilter(since="last week")
    with pytest.raises(InvalidParameter, match="acts"):
        QuoteFilter(acts=())


def test_a_surface_may_cap_the_page() -> None:
    assert parse_filter({"limit": "500"}, max_limit=500).limit == 500
    with pytest.raises(InvalidParameter, match="more than the 500"):
        parse_filter({"limit": "501"}, max_limit=500)


def test_unknown_names_are_a_bug_not_a_filter() -> None:
    with pytest.raises(ValueError, match="not quote filters"):
        parse_filter({"q": "tram"})


def test_speech_acts_filter_on_both_backends(store: SqlStore) -> None:
    text = "Ana Ruiz said the tram would stop. She wrote that the line was unsafe. She thought it absurd."
    quotes = [
        Quote(span_of(text, "the tram would stop"), "indirect", act="speech"),
        Quote(span_of(text, "the line was unsafe"), "indirect", act="writing"),
        Quote(span_of(text, "it absurd"), "indirect", act="thought"),
    ]
    store.add_article(Article(text=text, quotes=quotes))
    assert [r.act for r in store.quotes()] == ["speech", "writing"]  # beliefs and intentions when asked
    assert [r.act for r in store.quotes(QuoteFilter(acts=SPEECH_ACTS))] == list(SPEECH_ACTS)
    assert [r.act for r in store.quotes(QuoteFilter(acts=("thought",)))] == ["thought"]
    assert store.count_quotes(QuoteFilter(acts=("writing",), limit=1)) == 1


def test_huge_offsets_and_nul_free_text_reach_the_database_safely(store: SqlStore) -> None:
    text = "Ana Ruiz said the tram would stop."
    store.add_article(Article(text=text, quotes=[Quote(span_of(text, "the tram would stop"), "indirect")]))
    assert store.quotes(QuoteFilter(limit=MAX_INTEGER, offset=MAX_INTEGER)) == []
    assert store.quotes(QuoteFilter(offset=MAX_INTEGER)) == []
    assert len(store.quotes(QuoteFilter(search="tram", limit=MAX_INTEGER))) == 1
