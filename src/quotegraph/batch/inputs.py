"""Batch inputs: everything ``quotegraph ingest`` reads, plus JSONL.gz and WARC/WARC.gz archives.

Every input reads as ``quotegraph ingest`` reads it (the same record reader), except that HTML
(files, JSONL records with only ``html``, WARC responses) comes as a ``Page`` whose main text the
batch runner extracts on its workers. A WARC yields one page per HTML response (status 2xx,
``text/html`` or ``application/xhtml+xml``); other records (requests, metadata, images, redirects)
are not articles and are passed over. The charset comes from
the HTTP ``Content-Type`` header, else from the page's ``<meta charset>``, else from the bytes.
Everything streams; a bad record or line becomes an ``IngestFailure`` and the run goes on.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from quotegraph import settings
from quotegraph.errors import InputError

# ingest's own record reader and messages, so that a JSON line reads the same here as in ingest.
from quotegraph.ingest import (
    article_from_record,
    failure_reason,
    files_in,
    json_record,
    read_inputs,
    read_limited,
    record_to_article,
)
from quotegraph.ingest.files import SNIFF_BYTES, decode_bytes, refuse_binary
from quotegraph.ingest.html import html_bytes_to_article, html_to_article
from quotegraph.model import Article, IngestFailure

Item = Article | IngestFailure

_HTML_FILES = (".html", ".htm")
_JSONL, _JSONL_GZ = ".jsonl", ".jsonl.gz"
_WARC = (".warc", ".warc.gz")
SUPPORTED = (".txt", *_HTML_FILES, _JSONL, _JSONL_GZ, *_WARC)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# What a truncated or corrupt compressed stream raises part-way through.
_BROKEN_STREAM = (OSError, EOFError, zlib.error, ArchiveLoadFailed)
_CHUNK = 64 * 1024
_BAD_RECORD = (InputError, UnicodeError, etree.LxmlError)


@dataclass(frozen=True, slots=True)
class Page:
    """An HTML page whose main text is not extracted yet: the batch runner has that done on its
    workers, where the driver would do it one page at a time. A WARC response, an HTML file, or a
    JSON line whose article is in its ``html`` field (``record``)."""

    data: bytes
    where: str  # file@offset, file or file:line: the article's source, and the failure's
    url: str | None = None
    content_type: str | None = None  # the HTTP header, whose charset wins over the page's own
    record: bool = False  # data is a JSON record: ingest's record_to_article reads it


def page_to_item(page: Page) -> Item:
    try:
        if page.record:
            return record_to_article(page.data, page.where)
        return _response_to_article(page.data, page.where, page.url, page.content_type)
    except _BAD_RECORD as exc:
        return IngestFailure(page.where, failure_reason(exc, page.where))


def extract_pages(pages: list[Page]) -> list[Item]:
    """Main text of each page, in order (a task for a worker)."""
    return [page_to_item(page) for page in pages]


def read_batch_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Articles from files and folders (recursive, sorted, hidden entries skipped), lazily and in order."""
    for item in read_sources(paths):
        yield page_to_item(item) if isinstance(item, Page) else item


def read_sources(paths: Iterable[str | Path]) -> Iterator[Item | Page]:
    """As ``read_batch_inputs``, but HTML comes as Pages, its main text still to extract."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _read_folder(path)
        elif path.is_file() and _suffix(path) is None:
            kind = path.suffix or "(no extension)"
            yield IngestFailure(
                str(path), f"unsupported file type {kind}: expected one of {', '.join(SUPPORTED)}"
            )
        else:  # a file, or a path that does not exist: ingest words the failure
            yield from _read_file(path)


def _suffix(path: Path) -> str | None:
    name = path.name.lower()
    return next((s for s in sorted(SUPPORTED, key=len, reverse=True) if name.endswith(s)), None)


def _read_folder(folder: Path) -> Iterator[Item | Page]:
    for found in files_in(folder, lambda path: _suffix(path) is not None):
        if isinstance(found, IngestFailure):
            yield found
        else:
            yield from _read_file(found)


def _read_file(path: Path) -> Iterator[Item | Page]:
    suffix = _suffix(path)
    if suffix in _WARC:
        yield from _read_warc(path)
    elif suffix in (_JSONL, _JSONL_GZ):
        yield from _read_jsonl(path)
    elif suffix in _HTML_FILES:
        try:  # read here, extracted on a worker; the same Article as ingest makes (id: the path)
            yield Page(read_limited(path), str(path))
        except (InputError, OSError) as exc:
            yield IngestFailure(str(path), failure_reason(exc, str(path)))
    else:
        yield from read_inputs([path])


def _read_jsonl(path: Path) -> Iterator[Item | Page]:
    """One article per line of a JSONL file, plain or gzip-compressed; a bad line fails alone, a
    broken stream ends the file. A record with ``html`` and no ``text`` is left as a Page."""
    source, limit, number, records = str(path), settings.get_int("max_file_bytes"), 0, 0
    try:
        with gzip.open(path, "rb") if _suffix(path) == _JSONL_GZ else path.open("rb") as lines:
            refuse_binary(lines.read(SNIFF_BYTES), source)
            lines.seek(0)
            for number, raw in enumerate(_bounded_lines(lines, limit), start=1):
                where = f"{source}:{number}"
                if raw is None:
                    yield IngestFailure(where, f"line too large (more than {limit} bytes)")
                elif raw.strip():
                    yield _record_item(raw, where)
                records += raw is None or bool(raw.strip())
        if not records:
            yield IngestFailure(source, "file is empty (no JSON lines)")
    except InputError as exc:
        yield IngestFailure(source, failure_reason(exc, source))
    except _BROKEN_STREAM as exc:
        yield IngestFailure(
            f"{source}:{number + 1}", f"broken gzip stream, the rest of the file is lost ({exc})"
        )


def _record_item(raw: bytes, where: str) -> Item | Page:
    """An Article from a JSON line's ``text``, or a Page when only its ``html`` holds the article
    (ingest's record reader reads both, and words every failure)."""
    try:
        record = json_record(raw)
        if record.get("text") is None and isinstance(record.get("html"), str):
            return Page(raw, where, record=True)
        return article_from_record(record, where)
    except _BAD_RECORD as exc:
        return IngestFailure(where, failure_reason(exc, where))


def _bounded_lines(stream: io.BufferedIOBase, limit: int) -> Iterator[bytes | None]:
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


def _read_warc(path: Path) -> Iterator[Item | Page]:
    """The HTML responses of a WARC (plain or gzip).

    A record cut short fails alone; a record that cannot be parsed, or bytes left over after the
    last record (warcio drops a truncated last record silently), end the file with a failure at
    that offset.
    """
    source = str(path)
    limit = settings.get_int("max_file_bytes")
    offset = 0
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.format != "warc":  # warcio reads other data as a legacy ARC record
                    raise InputError(f"not a WARC record (it reads as {record.format.upper()})")
                if _is_html_response(record):
                    data = _read_at_most(record.content_stream(), limit + 1)
                    missing = record.raw_stream.limit  # bytes the record declares but the file lacks
                    where = (
                        f"{source}@{records.get_record_offset()}"  # asked after the read: it reads to the end
                    )
                    url = record.rec_headers.get_header("WARC-Target-URI") or None
                    if missing and len(data) <= limit:
                        yield IngestFailure(
                            where, f"broken WARC record: cut short, {missing} byte(s) missing"
                        )
                    else:
                        yield Page(data, where, url, record.http_headers.get_header("Content-Type"))
                offset = records.get_record_offset() + records.get_record_length()
            stream.seek(offset)
            if stream.read(SNIFF_BYTES).strip():  # blank lines after the last record are allowed
                size = path.stat().st_size
                yield IngestFailure(
                    f"{source}@{offset}",
                    f"broken WARC record: {size - offset} byte(s) at the end are not a whole record",
                )
    except (*_BROKEN_STREAM, InputError) as exc:
        yield IngestFailure(f"{source}@{offset}", f"broken WARC record, the rest of the file is lost ({exc})")


def _read_at_most(stream: io.BufferedIOBase, size: int) -> bytes:
    """Up to ``size`` bytes; in chunks, because warcio's decoding streams may return less than asked (or nothing)."""
    chunks, total = [], 0
    while total < size:
        chunk = stream.read(min(_CHUNK, size - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _is_html_response(record: object) -> bool:
    if getattr(record, "rec_type", None) != "response":
        return False
    http = getattr(record, "http_headers", None)
    if http is None or not str(http.get_statuscode() or "").startswith("2"):
        return False
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return content_type in _HTML_TYPES


def _response_to_article(data: bytes, where: str, url: str | None, content_type: str | None) -> Article:
    """The page as an Article with the URL as its id; a charset in the HTTP header wins over the page's."""
    match = _CHARSET.search(content_type or "")
    if match:
        article = html_to_article(
            decode_bytes(data, source=where, declared=match.group(1)), source=where, url=url
        )
    else:
        article = html_bytes_to_article(data, source=where, url=url)
    article.url = url or article.url
    article.id = url or where
    return article
