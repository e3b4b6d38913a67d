"""quotegraph: who said what, about whom, where and when, from news articles.

>>> from quotegraph import extract
>>> article = extract('"We will not leave," said Amina Okafor.')
>>> [(q.speaker, article.text[q.content.start:q.content.end]) for q in article.quotes]
[('Amina Okafor', 'We will not leave')]

``extract`` and ``extract_many`` load spaCy and the gazetteer when first called, ``open_store`` the
store when first used: importing quotegraph (or any of its modules, as the command line does)
loads none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The stage package goes first: importing it later would set the name ``extract`` here to it,
# over the function below.
import quotegraph.extract  # noqa: F401
from quotegraph.model import Article, CharSpan, Entity, IngestFailure, Mention, Quote
from quotegraph.version import __version__

if TYPE_CHECKING:
    from quotegraph.pipeline import extract, extract_many
    from quotegraph.store import open_store
else:

    def extract(*args: Any, **kwargs: Any) -> Article:
        from quotegraph.pipeline import extract as run

        return run(*args, **kwargs)

    def extract_many(*args: Any, **kwargs: Any) -> Any:
        from quotegraph.pipeline import extract_many as run

        return run(*args, **kwargs)

    extract.__doc__ = "Annotate one article's text (see ``quotegraph.pipeline.extract``)."
    extract_many.__doc__ = "Annotate a stream of articles (see ``quotegraph.pipeline.extract_many``)."


__all__ = [
    "Article",
    "CharSpan",
    "Entity",
    "IngestFailure",
    "Mention",
    "Quote",
    "__version__",
    "extract",
    "extract_many",
    "open_store",
]


def __getattr__(name: str) -> Any:
    if name == "open_store":
        return importlib.import_module("quotegraph.store").open_store
    raise AttributeError(f"module 'quotegraph' has no attribute {name!r}")
