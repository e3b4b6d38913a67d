"""POST /api/articles: an article whose analysis fails is answered 422 with its reason and recorded,
and the server goes on storing the next one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from spacy.tokens import Doc

from quotegraph import pipeline
from quotegraph.extract.dates import extract_dates
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
        return extract_dates(doc, published)

    def places(doc: Doc) -> Any:
        while f"{MARK} stalls" in doc.text:
            time.sleep(0.01)
        return resolve_places(doc)

    monkeypatch.setattr(pipeline, "extract_dates", dates)
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
