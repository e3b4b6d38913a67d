"""JSON records: one article per object, one object per line of a JSONL file (plain or gzip).

A record has ``id`` and ``text`` or ``html``, and optional ``url``, ``title``, ``published``,
``language``. Each line stands alone: a bad line (invalid JSON, nested past the parser's depth,
a NUL byte, not UTF-8, over ``max_file_bytes``) is that line's failure, and the file goes on.
Lines are read at most ``max_file_bytes`` at a time, so neither a line without an end nor a
gzip bomb fills memory; only a broken gzip stream ends a file early.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from quotegraph import settings
from quotegraph.errors import InputError
from quotegraph.ingest.decode import SNIFF_BYTES, is_blank, refuse_binary, utf16_encoding
from quotegraph.ingest.failures import Item, failure
from quotegraph.ingest.html import RawHtml, html_to_article
from quotegraph.ingest.paths import open_regular
from quotegraph.model import Article, IngestFailure

# What a truncated or corrupt gzip stream raises part-way through.
BROKEN_STREAM = (OSError, EOFError, zlib.error)


def read_jsonl(path: Path, source: str, *, gzipped: bool) -> Iterator[Item | RawHtml]:
    """One Article per line (a RawHtml where only ``html`` holds the article), or the line's failure."""
    limit, number, records = settings.get_int("max_file_bytes"), 0, 0
    try:
        with open_regular(path) as raw, gzip.GzipFile(fileobj=raw) if gzipped else raw as lines:
            _refuse_whole_file(lines.read(SNIFF_BYTES), source)
            lines.seek(0)
            for number, line in enumerate(_bounded_lines(lines, limit), start=1):
                if line is not None and not line.strip():
                    continue
                records += 1
                where = f"{source}:{number}"
                if line is None:
                    yield IngestFailure(where, f"line too large (more than {limit} bytes)")
                elif b"\x00" in line:
                    yield IngestFailure(
                        where, f"binary data in the line (a NUL byte at column {line.index(0) + 1})"
                    )
                else:
                    yield _line_item(line, where)
    except InputError as exc:
        yield failure(source, exc)
        return
    except BROKEN_STREAM as exc:
        yield IngestFailure(
            f"{source}:{number + 1}", f"broken gzip stream, the rest of the file is lost ({exc})"
        )
        return
    if not records:
        yield IngestFailure(source, "file is empty (no JSON lines)")


def _refuse_whole_file(head: bytes, source: str) -> None:
    """InputError when the file as a whole is no JSONL: binary, or UTF-16 (JSON lines are UTF-8).
    A NUL byte is left to the line that holds it."""
    encoding = utf16_encoding(head)
    if encoding is not None:
        raise InputError(f"JSON lines must be UTF-8, and this file is {encoding.upper()}")
    refuse_binary(head, source, nul_is_binary=False)


def _bounded_lines(stream: BinaryIO | gzip.GzipFile, limit: int) -> Iterator[bytes | None]:
    """The stream's lines, with None for a line over ``limit`` bytes (skipped without holding it)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(limit + 1)
            yield None
        else:
            yield line


def _line_item(line: bytes, where: str) -> Item | RawHtml:
    """The line's Article, a RawHtml when the record's article is its ``html``, or the line's failure."""
    try:
        record = json_record(line)
        html = record.get("html")
        if record.get("text") is None and isinstance(html, str):
            return RawHtml(
                html,
                where,
                _record_id(record),
                _optional_str(record, "url"),
                title=_optional_str(record, "title"),
                published=_optional_str(record, "published"),
                language=_optional_str(record, "language"),
            )
        return article_from_record(record, where)
    except InputError as exc:
        return failure(where, exc)


def record_to_article(raw: bytes, where: str) -> Article:
    """One JSON record (a JSONL line, a POSTed body) as an Article, or InputError saying what is wrong."""
    return article_from_record(json_record(raw), where)


def json_record(raw: bytes) -> dict[str, Any]:
    """The JSON object in ``raw``, or InputError saying why it is not one."""
    try:
        record: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(f"the line is not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError("invalid JSON: nested deeper than the parser reads") from exc
    except ValueError as exc:  # the only other: an integer of more than 4,300 digits
        raise InputError("invalid JSON (a number of more than 4,300 digits)") from exc
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    return record


def article_from_record(record: dict[str, Any], where: str) -> Article:
    """A JSON object's article: ``id`` and ``text`` or ``html``, with optional metadata."""
    article_id = _record_id(record)
    url, title = _optional_str(record, "url"), _optional_str(record, "title")
    published, language = _optional_str(record, "published"), _optional_str(record, "language")
    text, html = _optional_str(record, "text"), _optional_str(record, "html")
    if text is not None:
        if is_blank(text):
            raise InputError("text is empty (only whitespace or invisible characters)")
        return Article(  # the text exactly as given: offsets are computed into it
            text=text,
            id=article_id,
            title=title,
            url=url,
            published=published,
            language=language,
            source=where,
        )
    if html is None:
        raise InputError("neither text nor html")
    article = html_to_article(html, source=where, url=url)
    article.id = article_id
    # The record's own metadata wins over what the page says.
    article.title = title or article.title
    article.published = published or article.published
    article.language = language or article.language
    return article


def _record_id(record: dict[str, Any]) -> str:
    article_id = record.get("id")
    if article_id is None or article_id == "":
        raise InputError("missing id")
    if isinstance(article_id, bool) or not isinstance(article_id, str | int):
        raise InputError(f"id must be a string or an integer, got {type(article_id).__name__}")
    return _checked("id", str(article_id))


def _optional_str(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, got {type(value).__name__}")
    return _checked(name, value)


def _checked(name: str, value: str) -> str:
    """A string field that can be stored: JSON allows "\\ud800", which no UTF-8 text holds, and
    "\\u0000", which PostgreSQL's text cannot hold."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{name} holds a lone surrogate (\\u{ord(value[exc.start]):04x})") from exc
    if "\x00" in value:
        raise InputError(f"{name} holds a NUL character (\\u0000)")
    return value
