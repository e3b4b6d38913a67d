"""parse -> extract -> resolve for articles, in batches through one loaded pipeline."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from quotegraph import settings
from quotegraph.extract.dates import read_dates
from quotegraph.extract.quotes import extract_quotes
from quotegraph.model import Article, IngestFailure
from quotegraph.nlp import load_pipeline
from quotegraph.resolve.places import resolve_places, retag_places
from quotegraph.resolve.speakers import resolve_speakers

# Articles parsed inside one spaCy memory zone (see ``_annotate_in_zone``).
ZONE_ARTICLES = 256
# A memory zone frees every string added while it is open, by whichever thread: one zone at a time.
_zone_lock = threading.Lock()


def annotate(article: Article, doc: Doc, *, quotes_only: bool = False) -> Article:
    """Fill an article's quotes, entities, mentions, dates and places from its parse; with
    ``quotes_only`` (scoring, the scorer's format) no dates or places, nor the gazetteer they load."""
    quotes, entities, mentions = resolve_speakers(doc, extract_quotes(doc))
    article.quotes, article.entities, article.mentions = quotes, entities, mentions
    if quotes_only:
        return article
    dates = read_dates(doc, article.published)
    article.dates, article.published_inferred, article.published_evidence = (
        dates.mentions,
        dates.inferred,
        dates.evidence,
    )
    article.places = resolve_places(doc)
    retag_places(article.entities, article.mentions, article.places)
    return article


def extract_many(
    articles: Iterable[Article],
    *,
    nlp: Language | None = None,
    batch_size: int | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
    quotes_only: bool = False,
) -> Iterator[Article]:
    """Annotate a stream of articles, parsing them with ``nlp.pipe`` in batches.

    A text longer than the parser accepts (``nlp.max_length`` characters) is reported to
    ``on_failure`` and skipped, so one huge file never stops a run.
    """
    nlp = nlp or load_pipeline()
    batch_size = batch_size or settings.get_int("batch_size")

    def parseable() -> Iterator[Article]:
        for article in articles:
            if len(article.text) <= nlp.max_length:
                yield article
            elif on_failure is not None:
                reason = f"{len(article.text):,} characters, more than the parser takes ({nlp.max_length:,}): split it"
                on_failure(IngestFailure(article.source or article.id, reason))

    todo = parseable()
    while chunk := list(itertools.islice(todo, ZONE_ARTICLES)):
        yield from _annotate_in_zone(nlp, chunk, batch_size=batch_size, quotes_only=quotes_only)


def _annotate_in_zone(
    nlp: Language, articles: list[Article], *, batch_size: int, quotes_only: bool
) -> list[Article]:
    """Parse and annotate inside a spaCy memory zone, which frees the strings and lexemes these
    texts added to the vocabulary when it closes: otherwise every new name, number and typo stays
    for the life of the process, and a worker's memory grows with the corpus it has read. The
    articles keep plain values only, so nothing refers to the zone after it."""
    with _zone_lock, nlp.memory_zone():
        pairs = nlp.pipe(
            ((article.text, article) for article in articles), as_tuples=True, batch_size=batch_size
        )
        return [annotate(article, doc, quotes_only=quotes_only) for doc, article in pairs]


def extract(
    text: str,
    *,
    published: str | None = None,
    id: str = "",
    title: str | None = None,
    url: str | None = None,
    nlp: Language | None = None,
) -> Article:
    """Who said what in one text: an Article with its quotes, speakers (entities) and mentions."""
    article = Article(text=text, id=id, title=title, url=url, published=published)
    return next(extract_many([article], nlp=nlp))
