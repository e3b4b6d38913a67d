"""Whole runs that join the stages: files in, database out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

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
