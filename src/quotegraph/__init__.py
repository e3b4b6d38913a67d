"""quotegraph: who said what, about whom, where and when, from news articles.

>>> from quotegraph import extract
>>> article = extract('"We will not leave," said Amina Okafor.')
>>> [(q.speaker, article.text[q.content.start:q.content.end]) for q in article.quotes]
[('Amina Okafor', 'We will not leave')]
"""

from quotegraph.model import Article, CharSpan, Entity, IngestFailure, Mention, Quote
from quotegraph.pipeline import extract, extract_many
from quotegraph.store import open_store

__all__ = [
    "Article",
    "CharSpan",
    "Entity",
    "IngestFailure",
    "Mention",
    "Quote",
    "extract",
    "extract_many",
    "open_store",
]
