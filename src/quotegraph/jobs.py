"""Whole runs that join the stages: files in, database out; or files in, quotes out for the scorer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from quotegraph.ingest import read_inputs
from quotegraph.model import Article, IngestFailure
from quotegraph.pipeline import extract_many
from quotegraph.store import Store


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0
    duplicates: int = 0
    failures: list[IngestFailure] = field(default_factory=list)


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    *,
    nlp: Language | None = None,
    on_article: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Read, extract and store every article under ``paths``; bad inputs are recorded, not raised.

    Content already in the store (same normalized-text hash) is skipped before parsing, so
    re-running an ingest is cheap and changes nothing.
    """
    summary = IngestSummary()
    seen: set[str] = set()

    def failed(failure: IngestFailure) -> None:
        summary.failures.append(failure)
        store.add_failure(failure)

    def new_articles() -> Iterator[Article]:
        for item in read_inputs(paths):
            if isinstance(item, IngestFailure):
                failed(item)
            elif item.content_hash in seen or store.has_article(item.content_hash):
                summary.duplicates += 1
            else:
                seen.add(item.content_hash)
                yield item

    for article in extract_many(new_articles(), nlp=nlp, on_failure=failed):
        if store.add_article(article):
            summary.stored += 1
        else:
            summary.duplicates += 1
        if on_article is not None:
            on_article(summary.stored + summary.duplicates)
    return summary


def extract_paths(
    paths: Iterable[str | Path], on_failure: Callable[[IngestFailure], None]
) -> Iterator[dict[str, Any]]:
    """Every record of every article under ``paths``, no database: one line per article in the
    shared scorers' formats (``Article.to_score_json``)."""

    def articles() -> Iterator[Article]:
        for item in read_inputs(paths):
            if isinstance(item, IngestFailure):
                on_failure(item)
            else:
                yield item

    for article in extract_many(articles(), on_failure=on_failure):
        yield article.to_score_json()


def predict(gold: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What extraction finds in the texts of gold records (``id``, ``text``, ``published``)."""
    articles = (Article(text=g["text"], id=g["id"], published=g.get("published")) for g in gold)
    return [a.to_score_json() for a in extract_many(articles, quotes_only=True)]
