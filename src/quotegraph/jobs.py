"""Whole runs that join the stages: files in, database out; or files in, quotes out for the scorer."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from quotegraph.ingest import count_inputs, read_inputs
from quotegraph.model import Article, IngestFailure
from quotegraph.pipeline import extract_many
from quotegraph.store import Store


@dataclass(slots=True)
class IngestSummary:
    stored: int = 0
    duplicates: int = 0
    failures: list[IngestFailure] = field(default_factory=list)

    @property
    def done(self) -> int:
        """Inputs dealt with: stored, skipped as duplicates, or failed."""
        return self.stored + self.duplicates + len(self.failures)


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    *,
    nlp: Language | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    debug: bool = False,
    summary: IngestSummary | None = None,
) -> IngestSummary:
    """Read, extract and store every article under ``paths``; bad inputs and articles whose analysis
    fails are recorded with the reason (with ``debug``, the traceback), not raised.

    Each article is stored in a transaction of its own as soon as it is analysed, so Ctrl-C or a
    crash loses only the batch being parsed; ``summary``, when given, is filled in as the run goes,
    so a caller that stops it still has the counts. Content already in the store (same
    normalized-text hash) is skipped before parsing, so re-running an ingest is cheap and changes
    nothing. ``on_progress(done, total)`` follows ``summary.done`` against the inputs counted
    beforehand (``count_inputs``).
    """
    paths = list(paths)
    summary = summary if summary is not None else IngestSummary()
    seen: set[str] = set()
    total = count_inputs(paths) if on_progress is not None else 0

    def progress() -> None:
        if on_progress is not None:
            on_progress(summary.done, max(total, summary.done))

    def failed(failure: IngestFailure) -> None:
        summary.failures.append(failure)
        store.add_failure(failure)
        progress()

    def new_articles() -> Iterator[Article]:
        for item in read_inputs(paths):
            if isinstance(item, IngestFailure):
                failed(item)
            elif item.content_hash in seen or store.has_article(item.content_hash):
                summary.duplicates += 1
                progress()
            else:
                seen.add(item.content_hash)
                yield item

    for article in extract_many(new_articles(), nlp=nlp, on_failure=failed, debug=debug):
        try:
            added = store.add_article(article)
        except KeyboardInterrupt:  # Ctrl-C as its transaction committed: count it if it is stored
            summary.stored += store.has_article(article.content_hash)
            raise
        if added:
            summary.stored += 1
        else:
            summary.duplicates += 1
        progress()
    return summary


def extract_paths(
    paths: Iterable[str | Path], on_failure: Callable[[IngestFailure], None], *, debug: bool = False
) -> Iterator[dict[str, Any]]:
    """Every record of every article under ``paths``, no database: one line per article in the
    shared scorers' formats (``Article.to_score_json``), as each is done; an input that cannot be
    read or analysed goes to ``on_failure``."""

    def articles() -> Iterator[Article]:
        for item in read_inputs(paths):
            if isinstance(item, IngestFailure):
                on_failure(item)
            else:
                yield item

    for article in extract_many(articles(), on_failure=on_failure, debug=debug):
        yield article.to_score_json()


def predict(gold: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What extraction finds in the texts of gold records (``id``, ``text``, ``published``)."""
    articles = (Article(text=g["text"], id=g["id"], published=g.get("published")) for g in gold)
    return [a.to_score_json() for a in extract_many(articles, quotes_only=True)]
