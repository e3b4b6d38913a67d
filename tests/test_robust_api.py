"""POST /api/articles: an article whose analysis fails is answered 422 with its reason and recorded,
and the server goes on storing the next one."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from spacy.tokens import Doc

from quotegraph import pipeline
from quotegraph.extract.dates import read_dates
from quotegraph.jobs import ingest_paths
from quotegraph.resolve.outlet import Outlet
from quotegraph.resolve.places import resolve_places
from quotegraph.serve.web import create_app
from quotegraph.store import open_store

TOKEN = "test-token-0123456789"
MARK = "Quillfeather"


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, str]]:
    def dates(doc: Doc, published: str | None) -> Any:
        if f"{MARK} raises" in doc.text:
            raise KeyError("no such calendar")
        return read_dates(doc, published)

    def places(doc: Doc, outlet: Outlet | None = None) -> Any:
        while f"{MARK} stalls" in doc.text:
            time.sleep(0.01)
        return resolve_places(doc, outlet)

    monkeypatch.setattr(pipeline, "read_dates", dates)
    monkeypatch.setattr(pipeline, "resolve_places", places)
    monkeypatch.setenv("QUOTEGRAPH_ARTICLE_SECONDS", "3")
    db = str(tmp_path / "api.db")
    with TestClient(create_app(db, ingest_token=TOKEN)) as opened:
        yield opened, db


def post(client: TestClient, article_id: str, text: str) -> Any:
    return client.post(
        "/api/articles", json={"id": article_id, "text": text}, headers={"X-Ingest-Token": TOKEN}
    )


def test_a_failing_article_is_a_422_with_its_reason_and_the_next_is_stored(
    served: tuple[TestClient, str],
) -> None:
    client, db = served
    raised = post(client, "a1", f"“We will stay,” said Ada {MARK} raises.")
    assert raised.status_code == 422
    assert raised.json()["error"]["message"] == (  # the type only: a message may name the server's files
        "the article could not be analysed: analysis failed (KeyError); the server's recorded failures say why"
    )
    stalled = post(client, "a2", f"“We will stay,” said Ada {MARK} stalls.")
    assert stalled.status_code == 422
    assert "analysis stopped after 3 s (the article_seconds setting)" in stalled.json()["error"]["message"]
    fine = post(client, "a3", "“We will stay,” said Ada Lindqvist.")
    assert fine.status_code == 201, fine.text
    with open_store(db) as store:
        assert store.articles_count() == 1
        assert [f.source for f in store.failures()] == [
            "POST /api/articles: id a1",
            "POST /api/articles: id a2",
        ]


# --- every endpoint and parameter with hostile values: never a 500, never a path or SQL shown -------

HOSTILE = [
    "",
    " ",
    "%00",
    "a%00b",
    "%FF%FE",  # not UTF-8
    "%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "'",
    '"',
    "' OR 1=1 --",
    '"unterminated',
    "*",
    "NEAR(",
    "a AND",
    "-",
    "^",
    "()",
    "1" + "0" * 30,
    "-1",
    "0",
    "1e309",
    "nan",
    "inf",
    "9223372036854775808",
    "2016-13-99",
    "0000-00-00",
    "9999-99",
    "../../../etc/passwd",
    "%2e%2e%2f%2e%2e%2f",
    "\u202eevil",
    "<script>alert(1)</script>",
    "x" * 5000,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "person,org,place,x",
]
# What a response must never show: a file of the server, SQL, a driver's or Python's error text.
LEAKS = (
    "/tmp/",
    ".db",
    "/work/",
    "site-packages",
    "select *",
    " from quotes",
    " where ",
    "sqlite3",
    "psycopg",
    "traceback (",
)


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("hostile")
    line = {
        "id": "a1",
        "text": "“We will stay,” Ada Lindqvist said in Oslo on May 3, 2023.",
        "published": "2023-05-04",
    }
    (folder / "a.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")  # an id that is no path
    with open_store(str(folder / "q.db")) as store:
        ingest_paths([folder / "a.jsonl"], store)
    with TestClient(create_app(str(folder / "q.db")), raise_server_exceptions=False) as opened:
        yield opened


def requests_to_try(client: TestClient) -> Iterator[str]:
    """Each GET endpoint of the schema with each parameter set to each hostile value, and the pages."""
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        names = [(p["name"], p["in"]) for p in get.get("parameters", [])]
        path_params = [n for n, where in names if where == "path"]
        queries = [n for n, where in names if where == "query"]
        for value in HOSTILE:
            route = path
            for name in path_params:
                route = route.replace(f"{{{name}}}", value or "x")
            yield route
            for name in queries:
                yield f"{route}?{name}={value}"
    for page in ("/", "/search", "/graphs", "/places", "/speakers/{v}", "/articles/{v}"):
        for value in HOSTILE:
            yield (
                page.replace("{v}", value or "x")
                + f"?search={value}&since={value}&offset={value}&acts={value}"
            )


def test_no_parameter_value_gets_a_500_or_shows_a_path(hostile_client: TestClient) -> None:
    failures = []
    tried = 0
    for url in requests_to_try(hostile_client):
        tried += 1
        response = hostile_client.get(url)
        shown = response.text.lower()
        if response.status_code >= 500 or any(leak in shown for leak in LEAKS):
            failures.append((url[:120], response.status_code, response.text[:200]))
        elif response.status_code >= 400 and response.headers["content-type"] == "application/json":
            assert set(response.json()) == {"error"}, url
    assert tried > 600
    assert failures == []


def test_a_body_nested_deeper_than_the_parser_reads_is_a_422(served: tuple[TestClient, str]) -> None:
    client, _ = served
    deep = b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/api/articles", content=deep, headers={"X-Ingest-Token": TOKEN})
    assert response.status_code == 422, response.text
