"""The web app in process: JSON API pagination and filters, one error shape, security headers,
read-only without a token, ingest with one, and the pages rendering the examples."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quotegraph.jobs import ingest_paths
from quotegraph.serve.web import create_app
from quotegraph.serve.web.pages import highlight
from quotegraph.store import QuoteFilter, open_store
from quotegraph.store.base import PlaceRow
from quotegraph.store.sql import SqlStore
from test_store import TEXT, harbour_article

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "examples.db")
    with open_store(path) as store:
        assert ingest_paths([EXAMPLES], store).stored > 0
    return path


@pytest.fixture(scope="module")
def client(examples_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(examples_db)) as opened:
        yield opened


def get_json(client: TestClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def all_quotes(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    page = get_json(client, f"/api/quotes?limit=500&{query}")
    assert page["total"] == len(page["items"])
    return list(page["items"])


def assert_error(response: Any, status: int) -> str:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return str(body["error"]["message"])


# --- pagination and filters ------------------------------------------------------------------


def test_pages_of_quotes_add_up_to_the_whole_list(client: TestClient) -> None:
    everything = all_quotes(client)
    assert len(everything) > 20
    collected: list[dict[str, Any]] = []
    for offset in range(0, len(everything), 7):
        page = get_json(client, f"/api/quotes?limit=7&offset={offset}")
        assert page["total"] == len(everything) and page["offset"] == offset and page["limit"] == 7
        collected += page["items"]
    assert [q["quote_id"] for q in collected] == [q["quote_id"] for q in everything]
    assert get_json(client, f"/api/quotes?offset={len(everything)}")["items"] == []


def test_speakers_are_paginated_with_a_total(client: TestClient) -> None:
    first, second = (get_json(client, f"/api/speakers?limit=3&offset={o}") for o in (0, 3))
    assert first["total"] == second["total"] > 6
    assert {s["name"] for s in first["items"]}.isdisjoint(s["name"] for s in second["items"])


def test_filters_narrow_the_quotes_and_every_match_fits(client: TestClient) -> None:
    everything = all_quotes(client)
    direct = all_quotes(client, "kind=direct")
    assert 0 < len(direct) < len(everything) and all(q["kind"] == "direct" for q in direct)
    speaker = get_json(client, "/api/speakers?limit=1")["items"][0]["name"]
    theirs = all_quotes(client, f"speaker={speaker}")
    assert theirs and all(q["speaker"] == speaker for q in theirs)
    word = "tram"
    found = all_quotes(client, f"search={word}")
    assert found and all(word in q["text"].lower() for q in found)
    dates = sorted({q["published"] for q in everything if q["published"]})
    later = all_quotes(client, f"since={dates[-1]}")
    assert later and all(q["published"] >= dates[-1] for q in later)
    earlier = all_quotes(client, f"until={dates[0]}")
    assert earlier and all(q["published"] <= dates[0] for q in earlier)
    assert all_quotes(client, "kind=direct&search=&speaker=") == direct  # blank form fields are no filter
    subject = get_json(client, "/api/talks-about")["items"][0]
    about = all_quotes(client, f"about={subject['subject']}")
    assert subject["speaker"] in {q["speaker"] for q in about} and len(about) < len(everything)


def test_speaker_detail_has_its_relays_and_timeline(client: TestClient) -> None:
    relay = get_json(client, "/api/relays")["items"][0]
    detail = get_json(client, f"/api/speakers/{relay['source']}")
    assert relay["relayer"] in [r["relayer"] for r in detail["relayed_by"]]
    assert sum(d["count"] for d in detail["timeline"]) == detail["speaker"]["quote_count"]
    voss = all_quotes(client, f"about={relay['source']}")
    assert detail["quoted_about"] == len(voss) > 0 and isinstance(detail["roles"], list)


def test_article_keeps_offsets_into_its_text(client: TestClient) -> None:
    first = all_quotes(client)[0]
    article = get_json(client, f"/api/articles/{first['article_id'][:12]}")
    assert article["content_hash"] == first["article_id"]
    for q in article["quotes"]:
        assert q["content"]["start"] < q["content"]["end"] <= len(article["text"])


# --- errors and headers ------------------------------------------------------------------------


def test_every_error_has_one_shape(client: TestClient) -> None:
    assert "no article" in assert_error(client.get("/api/articles/nothing-like-this"), 404)
    assert "no speaker" in assert_error(client.get("/api/speakers/Nobody%20Atall"), 404)
    assert_error(client.get("/api/no-such-endpoint"), 404)
    assert "limit" in assert_error(client.get("/api/quotes?limit=0"), 422)
    assert "since" in assert_error(client.get("/api/quotes?since=yesterday"), 422)
    assert "kind" in assert_error(client.get("/api/quotes?kind=shouted"), 422)
    assert_error(client.delete("/api/quotes"), 405)


def test_a_database_failure_is_a_500_in_the_same_shape(tmp_path: Path, examples_db: str) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(Path(examples_db).read_bytes())
    with TestClient(create_app(str(broken)), raise_server_exceptions=False) as opened:
        with sqlite3.connect(broken) as conn:
            conn.execute("DROP TABLE quotes_fts")  # the full-text index is gone under the server's feet
        response = opened.get("/api/quotes?search=tram")
        assert_error(response, 500)
        assert "default-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "url", ["/", "/search?search=tram", "/api/quotes", "/static/style.css", "/api/nope", "/nope"]
)
def test_security_headers_on_every_response(client: TestClient, url: str) -> None:
    response = client.get(url)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


def test_schema_is_served_and_no_page_loads_from_elsewhere(client: TestClient) -> None:
    schema = get_json(client, "/openapi.json")
    assert "/api/quotes" in schema["paths"] and "/api/articles" in schema["paths"]
    assert client.get("/docs").status_code == 404  # Swagger UI would come from a CDN
    for url in ["/", "/search", "/graphs", "/places"]:
        page = client.get(url).text
        assert not re.search(r"""(src|href)="(https?:)?//""", page), url
        assert "<script>" not in page and " on" + "load=" not in page


# --- ingest --------------------------------------------------------------------------------------

ARTICLE = {
    "id": "web-ingest-1",
    "title": "Harbour board delays the dredging",
    "published": "2024-06-02",
    "text": 'The harbour board delayed the dredging again. "We cannot wait another winter," said '
    "Marta Ilves, who runs the ferry company.\n",
}


def test_read_only_without_a_token(client: TestClient) -> None:
    response = client.post("/api/articles", json=ARTICLE, headers={"X-Ingest-Token": TOKEN})
    assert "read-only" in assert_error(response, 403)


def test_ingest_needs_the_right_token_then_stores_once(tmp_path: Path, examples_db: str) -> None:
    copy = tmp_path / "ingest.db"
    copy.write_bytes(Path(examples_db).read_bytes())
    with TestClient(create_app(str(copy), ingest_token=TOKEN)) as opened:
        assert_error(opened.post("/api/articles", json=ARTICLE), 401)
        assert_error(opened.post("/api/articles", json=ARTICLE, headers={"X-Ingest-Token": "wrong"}), 403)
        before = get_json(opened, "/api/quotes?limit=1")["total"]
        good = {"X-Ingest-Token": TOKEN}
        response = opened.post("/api/articles", json=ARTICLE, headers=good)
        assert response.status_code == 201, response.text
        stored = response.json()
        assert stored["stored"] and stored["id"] == ARTICLE["id"] and stored["quotes"] >= 1
        assert get_json(opened, "/api/quotes?limit=1")["total"] == before + stored["quotes"]
        mine = all_quotes(opened, "speaker=Ilves")
        assert len(mine) == 1 and mine[0]["text"].startswith("We cannot wait another winter")
        again = opened.post("/api/articles", json=ARTICLE, headers=good)
        assert again.status_code == 200 and again.json()["stored"] is False
        assert "missing id" in assert_error(
            opened.post("/api/articles", json={"text": "x"}, headers=good), 422
        )
        not_json = opened.post("/api/articles", content=b"{not json", headers=good)
        assert "invalid JSON" in assert_error(not_json, 422)


# --- pages ---------------------------------------------------------------------------------------


def test_pages_render(client: TestClient) -> None:
    speaker = get_json(client, "/api/speakers?limit=1")["items"][0]["name"]
    article = all_quotes(client)[0]["article_id"]
    for url in [
        "/",
        "/search?search=tram&kind=direct",
        f"/speakers/{speaker}",
        f"/articles/{article}",
        "/graphs",
        "/places",
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/html"), url
    assert speaker in client.get("/").text
    missing = client.get("/articles/no-such-article")
    assert missing.status_code == 404 and "no article" in missing.text


def test_search_page_counts_what_the_api_counts(client: TestClient) -> None:
    total = get_json(client, "/api/quotes?search=said&limit=1")["total"]
    page = client.get("/search?search=said").text
    assert f'<p id="count" class="count-line">{total} quote' in page


def test_highlighted_text_is_the_article_text_with_a_mark_per_quote(examples_db: str) -> None:
    with open_store(examples_db) as store:
        articles = [store.article(q.article_id) for q in store.quotes()]
    for article in {a.content_hash: a for a in articles if a is not None}.values():
        body = str(highlight(article))
        assert len(re.findall(r"<mark ", body)) >= len(article.quotes)
        assert body.count("<mark") == body.count("</mark>") and body.count("<span") == body.count("</span>")
        without_labels = re.sub(r'<a class="label"[^>]*>.*?</a>', "", body)
        assert html.unescape(re.sub(r"<[^>]+>", "", without_labels)) == article.text


def test_posted_markup_is_escaped_in_the_highlighted_text(examples_db: str) -> None:
    with open_store(examples_db) as store:
        article = store.article(all_article_ids(examples_db)[0])
    assert article is not None
    article.text += '<script>alert(1)</script> "x" & <img src=x onerror=alert(1)>'  # offsets unchanged
    body = str(highlight(article))
    assert "<script>" not in body and "<img" not in body and "&lt;script&gt;" in body


def all_article_ids(examples_db: str) -> list[str]:
    with sqlite3.connect(examples_db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]


# --- the store queries behind the pages (SQLite and PostgreSQL) -------------------------------------


def test_quote_pages_counts_and_kind_in_the_store(store: SqlStore) -> None:
    store.add_article(harbour_article())
    store.add_article(harbour_article(TEXT + " The vote is on Friday.", "harbour-2", "2024-06-01"))
    everything = store.quotes()
    assert store.count_quotes() == len(everything) == 8
    pages = [store.quotes(QuoteFilter(limit=3, offset=offset)) for offset in range(0, 8, 3)]
    assert [q.quote_id for page in pages for q in page] == [q.quote_id for q in everything]
    assert store.quotes(QuoteFilter(offset=5)) == everything[5:]
    direct = store.quotes(QuoteFilter(kind="direct"))
    assert direct == [q for q in everything if q.kind == "direct"] and len(direct) == 4
    assert store.count_quotes(QuoteFilter(kind="direct", speaker="Doe", since="2024-06")) == 1
    assert store.count_quotes(QuoteFilter(search="...")) == 0  # nothing searchable: no match, no error


def test_places_summary_spans_the_articles_naming_them(store: SqlStore) -> None:
    assert store.places() == []
    store.add_article(harbour_article())
    store.add_article(harbour_article(TEXT + " The vote is on Friday.", "harbour-2", "2024-06-01"))
    assert store.places() == [
        PlaceRow("Pier Head", "landmark", "GB", 53.4, -3.0, 2, 2, "2024-05-02", "2024-06-01")
    ]


def test_entities_across_articles_and_their_reasons(client: TestClient) -> None:
    people = get_json(client, "/api/entities?kind=person&limit=500")
    assert people["total"] == len(people["items"]) > 0
    assert {e["kind"] for e in people["items"]} == {"person"}
    voss = get_json(client, "/api/entities?search=voss")["items"]
    assert [e["name"] for e in voss] == ["Daniel Voss"]
    detail = get_json(client, "/api/entities/Voss")
    assert detail["entity"]["name"] == "Daniel Voss"
    assert detail["links"] and all(link["reason"] for link in detail["links"])
    assert all(q["speaker"] == "Daniel Voss" for q in detail["quotes_by"])
    assert "no entity" in assert_error(client.get("/api/entities/Nobody%20Atall"), 404)
    assert_error(client.get("/api/entities?kind=planet"), 422)


# --- issue 21: provenance, a page per quote, lookup by any name, caches that follow writes -----------


def test_a_speaker_page_takes_any_name_and_pages_their_quotes(client: TestClient) -> None:
    by_surname = get_json(client, "/api/speakers/Okafor")
    assert by_surname == get_json(client, "/api/speakers/Amina%20Okafor")
    assert by_surname["speaker"]["name"] == "Amina Okafor" and by_surname["id"] == "person:amina okafor"
    assert sum(d["count"] for d in by_surname["timeline"]) == by_surname["speaker"]["quote_count"] == 4
    page = client.get("/speakers/Okafor").text
    assert "Amina Okafor" in page and '<svg class="timeline"' not in page  # her article is undated
    assert "undated articles: no timeline" in page


def test_the_home_page_shows_one_quote_per_article(client: TestClient) -> None:
    page = client.get("/").text
    sources = re.findall(r'class="source" href="/articles/([0-9a-f]{64})#', page)
    assert len(sources) == len(set(sources)) >= 5


def test_pages_never_name_an_article_by_its_file_path(client: TestClient) -> None:
    for quote in all_quotes(client):
        for url in (f"/articles/{quote['article_id']}", f"/quotes/{quote['quote_id']}"):
            page = client.get(url).text
            assert "examples/" not in page and str(EXAMPLES) not in page, url
    assert "examples/" not in client.get("/search?search=the").text


def test_every_quote_has_a_page_and_a_citation(client: TestClient) -> None:
    quote = all_quotes(client, "search=tram")[0]
    page = client.get(f"/quotes/{quote['quote_id']}").text
    assert (
        html.escape(quote["text"], quote=False) in page
        and "Hundreds march to save Riverside tram line" in page
    )
    csl = client.get(f"/api/quotes/{quote['quote_id']}/csl")
    assert csl.status_code == 200 and csl.headers["content-type"].startswith(
        "application/vnd.citationstyles.csl+json"
    )
    [item] = csl.json()
    assert item["title"] == "Hundreds march to save Riverside tram line" and "Amina Okafor" in item["note"]
    assert_error(client.get("/api/quotes/999999/csl"), 404)
    assert client.get("/quotes/999999").status_code == 404


def test_search_pages_carry_snippets_facets_and_downloads(client: TestClient) -> None:
    page = get_json(client, "/api/quotes?search=tram%20OR%20pier&sort=relevance")
    assert page["total"] == len(page["items"]) == len(page["snippets"]) == len(page["labels"]) >= 2
    for item, snippet in zip(page["items"], page["snippets"], strict=True):
        marked = {item["text"][s:e].lower() for s, e in snippet["marks"]}
        assert marked and marked <= {"tram", "pier"}
    facets = get_json(client, "/api/quotes/facets?search=tram%20OR%20pier")
    assert sum(f["count"] for f in facets["kind"]) == page["total"]
    jsonl = client.get("/api/quotes/download?search=tram%20OR%20pier&format=jsonl")
    assert "attachment" in jsonl.headers["content-disposition"]
    assert [json.loads(line)["quote_id"] for line in jsonl.text.splitlines()] == [
        q["quote_id"] for q in all_quotes(client, "search=tram%20OR%20pier")
    ]
    assert "sort" in assert_error(client.get("/api/quotes?sort=loudest"), 422)


def test_cached_sums_follow_an_ingest(tmp_path: Path, examples_db: str) -> None:
    copy = tmp_path / "cache.db"
    copy.write_bytes(Path(examples_db).read_bytes())
    with TestClient(create_app(str(copy), ingest_token=TOKEN)) as opened:
        before = get_json(opened, "/api/speakers?limit=500")["total"]
        assert_error(opened.get("/api/speakers/Ilves"), 404)
        posted = opened.post("/api/articles", json=ARTICLE, headers={"X-Ingest-Token": TOKEN})
        assert posted.status_code == 201, posted.text
        assert get_json(opened, "/api/speakers?limit=500")["total"] == before + 1
        assert get_json(opened, "/api/speakers/Ilves")["speaker"]["name"] == "Marta Ilves"


def test_the_search_page_puts_facet_counts_in_the_page_when_asked(client: TestClient) -> None:
    assert 'data-facet="speaker"' not in client.get("/search?search=tram").text  # its script fetches them
    page = client.get("/search?search=tram&counts=true").text
    assert 'data-facet="speaker"' in page and "Amina Okafor" in page
    assert "counts=true&amp;" not in page.split('id="pager"')[1]  # the pager and the facets leave it out
