"""What every store offers: the rows the read side returns and the Store protocol.

The SQLite store implements it now; a PostgreSQL store will implement the same protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from quotegraph.model import Article, IngestFailure


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One quote as users list it: the words, who said them, and where they stand in the source."""

    quote_id: int
    article_id: str  # content hash of the article text
    external_id: str
    title: str | None
    url: str | None
    published: str | None
    text: str  # article.text[start:end]
    start: int
    end: int
    kind: str
    act: str
    confidence: float
    speaker: str | None
    speaker_mention: str | None
    cue: str | None
    nested_in: int | None  # quote_id of the enclosing quote
    inferred: bool


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    name: str
    kind: str
    aliases: list[str]
    quote_count: int
    article_count: int


@dataclass(frozen=True, slots=True)
class RelayRow:
    """Who relayed whose words: a quote of ``source`` quoted inside a quote of ``relayer``."""

    relayer: str | None
    source: str | None
    count: int


class Store(Protocol):
    def add_article(self, article: Article) -> bool:
        """Store an article with its records in one transaction; False if its content is already stored."""

    def add_failure(self, failure: IngestFailure) -> None: ...

    def has_article(self, content_hash: str) -> bool: ...

    def quotes(
        self,
        *,
        speaker: str | None = None,
        search: str | None = None,
        since: str | None = None,
        until: str | None = None,
        min_confidence: float | None = None,
        limit: int | None = None,
    ) -> list[QuoteRow]: ...

    def speakers(self) -> list[SpeakerRow]: ...

    def relays(self) -> list[RelayRow]: ...

    def article(self, ref: str) -> Article | None: ...

    def articles_count(self) -> int: ...

    def failures(self) -> list[IngestFailure]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...
