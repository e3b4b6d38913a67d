"""What reading yields, and the one wording of why an input could not be read."""

from __future__ import annotations

from lxml import etree

from quotegraph.errors import InputError
from quotegraph.ingest.paths import printable
from quotegraph.model import Article, IngestFailure

Item = Article | IngestFailure
# What bad input can raise while it is read; anything else is a bug and should be seen.
BAD_INPUT = (InputError, OSError, UnicodeError, etree.LxmlError)


def failure(source: str, exc: Exception) -> IngestFailure:
    """The failure of ``source`` for ``exc``, worded by ``failure_reason``."""
    return IngestFailure(source, failure_reason(exc, source))


def failure_reason(exc: Exception, source: str) -> str:
    """The error's message without a leading ``source: ``, which IngestFailure.source already says."""
    message = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        message = f"cannot read the file ({exc.strerror})"
    return printable(message.removeprefix(f"{source}: "))
