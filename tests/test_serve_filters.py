"""Every quote filter on every surface: `quotes` and `export` on the command line, GET /api/quotes and
the search page keep the same quotes as the store does with the same filter, and refuse a bad value
with the same message (a usage error on the command line, a 422 on the web)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from quotegraph.model import Article, Entity, Place, Quote
from quotegraph.serve.cli import main
from quotegraph.serve.web import create_app
from quotegraph.store import open_store, parse_filter
from test_store import TEXT, harbour_article, span_of, topic_article

ACTS_TEXT = "Ana Ruiz said the tram would stop. She wrote that the line was unsafe. She thought it absurd."


def acts_article() -> Article:
    quotes = [
        Quote(span_of(ACTS_TEXT, "the tram would stop"), "indirect", speaker="Ana Ruiz", act="speech"),
        Quote(span_of(ACTS_TEXT, "the line was unsafe"), "indirect", speaker="Ana Ruiz", act="writing"),
        Quote(span_of(ACTS_TEXT, "it absurd"), "indirect", speaker="Ana Ruiz", act="thought", confidence=0.7),
    ]
    return Article(text=ACTS_TEXT, id="acts", published="2024-08-01", quotes=quotes)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Articles written by hand: two harbour stories, one quote of each act, one whose topic names Doha."""
    path = str(tmp_path_factory.mktemp("filters") / "filters.db")
    with open_store(path) as store:
        store.add_article(harbour_article())
        store.add_article(
            harbour_article(text=TEXT + " Later.", article_id="harbour-2", published="2024-07-15")
        )
        store.add_article(acts_article())
        store.add_article(topic_article())
    return path


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as opened:
        yield opened


CASES = [
    ("speaker", "Doe"),
    ("speaker_id", "person:jane doe"),
    ("search", "pier"),
    ("about", "Lakeside Union"),
    ("place", "Doha"),
    ("place", "GB"),
    ("since", "2024-07"),
    ("until", "2024-05"),
    ("from_", "2023-05-02"),
    ("to", "2023-05-02"),
    ("min_confidence", "0.88"),
    ("kind", "direct"),
    ("acts", "writing,thought"),
    ("limit", "3"),
    ("offset", "2"),
]


def option(field: str) -> str:
    return "--" + field.rstrip("_").replace("_", "-")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(("field", "value"), CASES)
def test_every_filter_keeps_the_same_quotes_everywhere(
    db: str, client: TestClient, field: str, value: str
) -> None:
    with open_store(db) as store:
        everything = store.quotes()
        expected = store.quotes(parse_filter({field: value}))
    assert 0 < len(expected) < len(everything), "the case must narrow the list to be a test"
    ids = [q.quote_id for q in expected]

    code, output = cli("quotes", "--format", "json", option(field), value, "--db", db)
    assert code == 0, output
    assert [q["quote_id"] for q in json.loads(output)] == ids

    code, output = cli("export", "--format", "jsonl", option(field), value, "--db", db)
    assert code == 0, output
    assert [json.loads(line)["quote_id"] for line in output.splitlines()] == ids

    name = field.rstrip("_")
    response = client.get("/api/quotes", params={name: value})
    assert response.status_code == 200, response.text
    assert [q["quote_id"] for q in response.json()["items"]] == ids

    page = client.get("/search", params={name: value})
    assert page.status_code == 200
    shown = re.findall(r'href="/articles/([0-9a-f]+)#at-(\d+)"', page.text)
    assert shown == [(q.article_id, str(q.start)) for q in expected]


def test_repeated_acts_as_the_search_page_sends_them(client: TestClient) -> None:
    one = client.get("/api/quotes?acts=writing&acts=thought").json()
    other = client.get("/api/quotes?acts=thought,writing").json()
    assert one == other and {q["act"] for q in one["items"]} == {"writing", "thought"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("since", "yesterday", "'yesterday' is not a date"),
        ("until", "2016-13-99", "is not a date"),
        ("from_", "2024-02-30", "is not a date"),
        ("min_confidence", "2", "not between 0 and 1"),
        ("kind", "shouted", "not one of direct, indirect, mixed"),
        ("acts", "singing", "'singing' given"),
        ("offset", str(10**30), "whole number"),
        ("search", "tram\x00", "NUL character"),
    ],
)
def test_a_bad_value_is_refused_alike_everywhere(
    db: str, client: TestClient, field: str, value: str, message: str
) -> None:
    code, output = cli("quotes", option(field), value, "--db", db)
    assert code == 2 and f"Invalid value for '{option(field)}'" in output, output
    assert message in " ".join(output.split())
    name = field.rstrip("_")
    for url in ("/api/quotes", "/search"):
        response = client.get(url, params={name: value})
        assert response.status_code == 422, (url, response.text)
        assert f"{name}: " in html.unescape(response.text) and message in html.unescape(response.text)


def test_the_api_caps_a_page_at_500(client: TestClient) -> None:
    response = client.get("/api/quotes?limit=501")
    assert response.status_code == 422 and "more than the 500" in response.json()["error"]["message"]


@pytest.mark.parametrize(("given", "acts"), [(None, {"speech", "writing"}), ("speech,writing,thought", None)])
def test_thought_is_shown_only_when_asked_for(
    db: str, client: TestClient, given: str | None, acts: set[str] | None
) -> None:
    """A belief ("She thought it absurd") is kept but left out of every list unless --acts asks for it."""
    with open_store(db) as store:
        every_act = {q.act for q in store.quotes(parse_filter({"acts": "speech,writing,thought"}))}
    expected = acts or every_act
    assert "thought" in every_act
    option_args = ["--acts", given] if given else []
    code, output = cli("quotes", "--format", "json", *option_args, "--db", db)
    assert code == 0 and {q["act"] for q in json.loads(output)} == expected, output
    code, output = cli("export", "--format", "jsonl", *option_args, "--db", db)
    assert code == 0 and {json.loads(line)["act"] for line in output.splitlines()} == expected, output
    params = {"acts": given} if given else {}
    assert {q["act"] for q in client.get("/api/quotes", params=params).json()["items"]} == expected
    page = client.get("/search", params={"search": "absurd", **params}).text
    assert ("#at-" in page) == ("thought" in expected)


def test_the_speaker_counts_leave_out_beliefs(tmp_path: Path) -> None:
    article = acts_article()
    article.entities = [Entity("Ana Ruiz", "person")]
    for quote in article.quotes:
        quote.speaker_entity = 0
    with open_store(str(tmp_path / "acts.db")) as store:
        store.add_article(article)
        assert [(s.name, s.quote_count) for s in store.speakers()] == [
            ("Ana Ruiz", 2)
        ]  # not what she thought


PEOPLE_TEXT = "Lena Fischer said Russian officials would visit. Omar Reyes said talks in Russia had stalled."


def peoples_article() -> Article:
    """Two quotes: one names Russia by its people ("Russian officials"), one by its name."""
    text = PEOPLE_TEXT
    russia = {"name": "Russia", "kind": "country", "lat": 61.5, "lon": 98.0, "country": "RU"}
    return Article(
        text=text,
        id="peoples",
        published="2024-09-01",
        quotes=[
            Quote(span_of(text, "Russian officials would visit"), "indirect", speaker="Lena Fischer"),
            Quote(span_of(text, "talks in Russia had stalled"), "indirect", speaker="Omar Reyes"),
        ],
        places=[
            Place(span_of(text, "Russian"), **russia, demonym=True),  # type: ignore[arg-type]
            Place(span_of(text, "Russia", text.index("in Russia")), **russia),  # type: ignore[arg-type]
        ],
    )


def test_a_place_named_by_its_people_counts_only_when_asked(tmp_path: Path) -> None:
    """`--place` and `--about` count "Russian officials" as Russia only with `--demonyms`
    (`demonyms=true` in the API), and `entities --type place` counts the article's demonym only then."""
    db = str(tmp_path / "peoples.db")
    with open_store(db) as store:
        store.add_article(peoples_article())
    for flag, speakers in (([], ["Omar Reyes"]), (["--demonyms"], ["Lena Fischer", "Omar Reyes"])):
        for filter_option in ("--place", "--about"):
            code, output = cli("quotes", "--format", "json", filter_option, "Russia", *flag, "--db", db)
            assert code == 0, output
            assert sorted(q["speaker"] for q in json.loads(output)) == speakers
        code, output = cli("entities", "--type", "place", "--format", "json", *flag, "--db", db)
        assert code == 0, output
        [russia] = json.loads(output)
        assert ("Russian" in russia["aliases"]) == bool(flag)
    with TestClient(create_app(db)) as client:
        for value, count in (("false", 1), ("true", 2)):
            response = client.get("/api/quotes", params={"place": "Russia", "demonyms": value})
            assert response.status_code == 200 and response.json()["total"] == count
        assert client.get("/api/quotes", params={"place": "Russia", "demonyms": "maybe"}).status_code == 422
        page = client.get("/places")
        assert page.status_code == 200 and '<input type="checkbox" name="demonyms" value="true">' in page.text
        counted = client.get("/places", params={"demonyms": "true"}).text
        assert 'name="demonyms" value="true" checked' in counted and "demonyms=true" in counted
