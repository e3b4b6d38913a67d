"""Ingest: files and folders in, a stream of Articles (or the reason one could not be read) out.

``.txt`` is plain text, ``.html``/``.htm`` a web page, ``.jsonl`` one article per line with
``id`` and ``text`` or ``html`` (optional ``url``, ``title``, ``published``, ``language``).
Everything is a generator, so a folder or a JSONL file of millions of articles streams; a bad
input becomes an ``IngestFailure`` and the rest goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from quotegraph import settings
from quotegraph.errors import InputError
from quotegraph.ingest.files import SNIFF_BYTES, decode_bytes, refuse_binary
from quotegraph.ingest.html import html_bytes_to_article, html_to_article
from quotegraph.model import Article, IngestFailure

__all__ = ["count_inputs", "html_to_article", "read_inputs"]

_TEXT, _HTML, _JSONL = ".txt", (".html", ".htm"), ".jsonl"
_SUPPORTED = (_TEXT, *_HTML, _JSONL)
# What bad input can raise while it is read; anything else is a bug and should be seen.
_BAD_INPUT = (InputError, OSError, UnicodeError, etree.LxmlError)

Item = Article | IngestFailure


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Articles from files and folders (recursive, sorted, hidden entries skipped), lazily.

    Files of other types inside a folder are skipped silently; named explicitly they yield an
    IngestFailure, as does a path that does not exist. No exception escapes for bad input.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _read_folder(path)
        elif path.is_file():
            if path.suffix.lower() in _SUPPORTED:
                yield from _read_file(path)
            else:
                kind = path.suffix or "(no extension)"
                yield IngestFailure(
                    str(path), f"unsupported file type {kind}: expected one of {', '.join(_SUPPORTED)}"
                )
        elif path.exists():
            yield IngestFailure(str(path), "not a regular file or folder")
        else:
            yield IngestFailure(str(path), "no such file or folder")


def count_inputs(paths: Iterable[str | Path]) -> int:
    """About how many items ``read_inputs`` will yield: one per file, one per line of a JSONL file.
    A total for progress bars, far cheaper than reading: JSONL lines are counted as newlines."""
    total = 0
    for given in paths:
        path = Path(given)
        found = files_in(path, lambda entry: entry.suffix.lower() in _SUPPORTED) if path.is_dir() else [path]
        for entry in found:
            total += _count_lines(entry) if isinstance(entry, Path) and _is_jsonl(entry) else 1
    return total


def _is_jsonl(path: Path) -> bool:
    return path.suffix.lower() == _JSONL and path.is_file()


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as data:
            while block := data.read(1 << 20):
                lines, last = lines + block.count(b"\n"), block[-1:]
    except OSError:
        return 1
    return lines + (last != b"\n")


def files_in(folder: Path, wanted: Callable[[Path], bool]) -> Iterator[Path | IngestFailure]:
    """The wanted files under ``folder``, recursively in name order, skipping hidden entries and
    linked folders (which could loop); a folder that cannot be listed is a failure, not an end."""
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError as exc:
        yield IngestFailure(str(folder), f"cannot list the folder ({exc.strerror or exc})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from files_in(entry, wanted)
        elif entry.is_file() and wanted(entry):
            yield entry


def _read_folder(folder: Path) -> Iterator[Item]:
    for found in files_in(folder, lambda path: path.suffix.lower() in _SUPPORTED):
        if isinstance(found, IngestFailure):
            yield found
        else:
            yield from _read_file(found)


def _read_file(path: Path) -> Iterator[Item]:
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix == _JSONL:
            yield from _read_jsonl(path, source)
            return
        data = read_limited(path)
        if suffix == _TEXT:
            text = decode_bytes(data, source=source).replace("\r\n", "\n")
            yield Article(text=text, id=source, source=source)
        else:
            article = html_bytes_to_article(data, source=source)
            article.id = source
            yield article
    except _BAD_INPUT as exc:
        yield IngestFailure(source, failure_reason(exc, source))


def read_limited(path: Path) -> bytes:
    """A file's bytes; InputError before reading when it is larger than the ``max_file_bytes``
    setting, so a huge file never fills memory."""
    limit = settings.get_int("max_file_bytes")
    size = path.stat().st_size
    if size > limit:
        raise InputError(f"file too large ({size} bytes, the limit is {limit})")
    return path.read_bytes()


def _read_jsonl(path: Path, source: str) -> Iterator[Item]:
    """One Article per line; a bad line is a failure naming ``file:line``, and the file goes on."""
    limit = settings.get_int("max_file_bytes")
    records = 0
    with path.open("rb") as lines:
        refuse_binary(lines.read(SNIFF_BYTES), source)  # else every "line" of a gzip file fails alone
        lines.seek(0)
        for number, raw in enumerate(lines, start=1):
            where = f"{source}:{number}"
            if not raw.strip():
                continue
            records += 1
            if len(raw) > limit:
                yield IngestFailure(where, f"line too large ({len(raw)} bytes, the limit is {limit})")
                continue
            try:
                yield record_to_article(raw, where)
            except (InputError, UnicodeError, etree.LxmlError) as exc:
                yield IngestFailure(where, failure_reason(exc, where))
    if not records:
        yield IngestFailure(source, "file is empty (no JSON lines)")


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
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    return record


def article_from_record(record: dict[str, Any], where: str) -> Article:
    """A JSON object's article: ``id`` and ``text`` or ``html``, with optional metadata."""
    article_id = record.get("id")
    if article_id is None or article_id == "":
        raise InputError("missing id")
    if isinstance(article_id, bool) or not isinstance(article_id, str | int):
        raise InputError(f"id must be a string or an integer, got {type(article_id).__name__}")
    url, title = _optional_str(record, "url"), _optional_str(record, "title")
    published, language = _optional_str(record, "published"), _optional_str(record, "language")
    text, html = _optional_str(record, "text"), _optional_str(record, "html")
    if text is not None:
        if not text.strip():
            raise InputError("text is empty")
        return Article(  # the text exactly as given: offsets are computed into it
            text=text,
            id=str(article_id),
            title=title,
            url=url,
            published=published,
            language=language,
            source=where,
        )
    if html is None:
        raise InputError("neither text nor html")
    article = html_to_article(html, source=where, url=url)
    article.id = str(article_id)
    # The record's own metadata wins over what the page says.
    article.title = title or article.title
    article.published = published or article.published
    article.language = language or article.language
    return article


def _optional_str(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, got {type(value).__name__}")
    try:
        value.encode("utf-8")  # JSON allows "\ud800"; such text could never be stored or hashed
    except UnicodeEncodeError as exc:
        raise InputError(f"{name} holds a lone surrogate (\\u{ord(value[exc.start]):04x})") from exc
    return value


def failure_reason(exc: Exception, source: str) -> str:
    """The error's message without a leading ``source: ``, which IngestFailure.source already says."""
    message = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        message = f"cannot read the file ({exc.strerror})"
    return message.removeprefix(f"{source}: ")
