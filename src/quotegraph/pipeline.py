"""parse -> extract -> resolve for articles, in batches through one loaded pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from quotegraph import settings
from quotegraph.extract.dates import extract_dates
from quotegraph.extract.quotes import extract_quotes
from quotegraph.model import Article, IngestFailure
from quotegraph.nlp import load_pipeline
from quotegraph.resolve.places import resolve_places, retag_places
from quotegraph.resolve.speakers import resolve_speakers


def annotate(article: Article, doc: Doc, *, quotes_only: bool = False) -> Article:
    """Fill an article's quotes, entities, mentions, dates and places from its parse; with
    ``quotes_only`` (scoring, the scorer's format) no dates or places, nor the gazetteer they load."""
    quotes, entities, mentions = resolve_speakers(doc, extract_quotes(doc))
    article.quotes, article.entities, article.mentions = quotes, entities, mentions
    if quotes_only:
        return article
    article.dates = extract_dates(doc, article.published)
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

    def parseable() -> Iterator[tuple[str, Article]]:
        for article in articles:
            if len(article.text) <= nlp.max_length:
                yield article.text, article
            elif on_failure is not None:
                reason = f"{len(article.text):,} characters, more than the parser takes ({nlp.max_length:,}): split it"
                on_failure(IngestFailure(article.source or article.id, reason))

    for doc, article in nlp.pipe(parseable(), as_tuples=True, batch_size=batch_size):
        yield annotate(article, doc, quotes_only=quotes_only)


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
