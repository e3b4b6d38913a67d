"""parse -> extract -> resolve for articles, in batches through one loaded pipeline.

Articles are parsed inside spaCy memory zones of ``ZONE_ARTICLES`` articles: a zone frees the
strings and lexemes its texts added to the vocabulary when it closes (otherwise every new name,
number and typo stays for the life of the process, and a worker's memory grows with the corpus it
has read); the lemma cache is emptied with it, so zones are not made smaller. The articles keep
plain values only, so nothing refers to a zone after it.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from quotegraph import settings
from quotegraph.errors import AnalysisError
from quotegraph.extract.dates import read_dates
from quotegraph.extract.events import extract_events
from quotegraph.extract.quotes import extract_quotes
from quotegraph.model import Article, IngestFailure
from quotegraph.nlp import load_pipeline
from quotegraph.nlp.bounds import parse
from quotegraph.resolve.places import resolve_places, retag_places
from quotegraph.resolve.speakers import resolve_speakers
from quotegraph.timelimit import TimeLimitExceeded, time_limit

logger = logging.getLogger(__name__)
ZONE_ARTICLES = 256  # parsed inside one spaCy memory zone
# A memory zone frees every string added while it is open, by whichever thread: one zone at a time.
_zone_lock = threading.Lock()
_warmed: set[tuple[int, bool]] = set()  # (id of the pipeline, quotes only) run through once
_WARM_UP_TEXT = "Warm-up in Paris on Monday, she said."
_MESSAGE_CHARS = 300


def annotate(article: Article, doc: Doc, *, quotes_only: bool = False) -> Article:
    """Fill an article's quotes, entities, mentions, dates, places and events from its parse; with
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
    article.events = extract_events(
        doc,
        mentions=article.mentions,
        entities=article.entities,
        places=article.places,
        dates=article.dates,
        quoted=[q.content for q in article.quotes if q.kind == "direct"],
        published=article.published,
    )
    return article


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one article may ask of the pipeline (the settings of the same names)."""

    max_article_chars: int
    parse_piece_chars: int
    article_seconds: float

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            *(
                settings.get_int(name)
                for name in ("max_article_chars", "parse_piece_chars", "article_seconds")
            )
        )


def extract_many(
    articles: Iterable[Article],
    *,
    nlp: Language | None = None,
    batch_size: int | None = None,
    on_failure: Callable[[IngestFailure], None] | None = None,
    quotes_only: bool = False,
    debug: bool = False,
) -> Iterator[Article]:
    """Annotate a stream of articles, parsing them with ``nlp.pipe`` in batches, and yield each as
    soon as it is done (so a caller can store it before the next batch is parsed).

    One article never stops the others: an exception in its analysis, a text longer than the
    ``max_article_chars`` setting or an analysis longer than ``article_seconds`` is given to
    ``on_failure`` as that article's IngestFailure (the exception's type and message, and with
    ``debug`` its traceback; logged as a warning when there is no ``on_failure``), and the stream
    goes on. A batch the parser fails on is parsed again article by article, so only the article
    at fault is lost.
    """
    nlp = nlp or load_pipeline()
    batch_size = batch_size or settings.get_int("batch_size")
    limits = Limits.from_settings()
    report = on_failure or _log_failure
    _warm_up(nlp, quotes_only=quotes_only)
    batches = _batches(articles, batch_size, limits, report)
    while True:
        in_zone = 0
        with _zone_lock, nlp.memory_zone():
            for batch in batches:
                for done in _analyse(nlp, batch, limits, quotes_only=quotes_only, debug=debug):
                    if isinstance(done, IngestFailure):
                        report(done)
                    else:
                        yield done
                in_zone += len(batch)
                if in_zone >= ZONE_ARTICLES:
                    break
            else:
                return


def _batches(
    articles: Iterable[Article], batch_size: int, limits: Limits, report: Callable[[IngestFailure], None]
) -> Iterator[list[Article]]:
    """The articles to parse together: at most ``batch_size``, and at most a parse piece of text
    between them (the parser's memory grows with the text it holds); a longer article alone."""
    batch: list[Article] = []
    chars = 0
    for article in articles:
        size = len(article.text)
        if size > limits.max_article_chars:
            report(
                IngestFailure(
                    article.source or article.id,
                    f"{size:,} characters, more than the limit of {limits.max_article_chars:,} "
                    f"(the max_article_chars setting): split the text, or raise the limit",
                )
            )
            continue
        if batch and (len(batch) == batch_size or chars + size > limits.parse_piece_chars):
            yield batch
            batch, chars = [], 0
        batch.append(article)
        chars += size
    if batch:
        yield batch


def _analyse(
    nlp: Language, batch: list[Article], limits: Limits, *, quotes_only: bool, debug: bool
) -> Iterator[Article | IngestFailure]:
    """Each article of the batch annotated, or its failure. Only work that is thrown away on
    failure runs under the time limit (see quotegraph.timelimit)."""
    docs: list[Doc | None] = [None] * len(batch)
    if len(batch) > 1:
        try:
            with time_limit(limits.article_seconds):
                parsed = list(nlp.pipe([a.text for a in batch], batch_size=len(batch)))
            if len(parsed) == len(batch):
                docs = list(parsed)
        except Exception:  # whichever article is at fault fails alone below
            pass
    for article, doc in zip(batch, docs, strict=True):
        try:
            with time_limit(limits.article_seconds):
                if doc is None:
                    doc = parse(nlp, article.text, piece_chars=limits.parse_piece_chars)
                annotate(article, doc, quotes_only=quotes_only)
        except Exception as exc:  # one article's failure, recorded; the run goes on
            yield IngestFailure(article.source or article.id, _reason(exc, limits, debug=debug))
        else:
            yield article


def _reason(exc: Exception, limits: Limits, *, debug: bool) -> str:
    if isinstance(exc, TimeLimitExceeded):
        reason = (
            f"analysis stopped after {limits.article_seconds:g} s (the article_seconds setting): "
            f"split the text, or raise the limit"
        )
    else:
        message = " ".join(str(exc).split())
        message = message if len(message) <= _MESSAGE_CHARS else message[: _MESSAGE_CHARS - 1] + "…"
        reason = f"analysis failed: {type(exc).__name__}" + (f": {message}" if message else "")
    if debug:
        reason += "\n" + "".join(traceback.format_exception(exc)).rstrip()
    return reason


def _log_failure(failure: IngestFailure) -> None:
    logger.warning("%s: %s", failure.source, failure.reason)


def _warm_up(nlp: Language, *, quotes_only: bool) -> None:
    """Run one short text through every stage before the first article, outside any time limit,
    so that what the stages load on first use (lexicons, the place gazetteer) is never cut off
    half-way by an article's limit."""
    key = (id(nlp), quotes_only)
    if key in _warmed:
        return
    with _zone_lock, nlp.memory_zone():
        annotate(Article(text=_WARM_UP_TEXT), nlp(_WARM_UP_TEXT), quotes_only=quotes_only)
    _warmed.add(key)


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
    failures: list[IngestFailure] = []
    for done in list(extract_many([article], nlp=nlp, on_failure=failures.append)):
        return done
    raise AnalysisError(failures[0].reason)
