"""WARC archives (plain or gzip): each HTML response is a page to read.

A response is an article when its HTTP status is 2xx and its type ``text/html`` or
``application/xhtml+xml``; other records (requests, metadata, images, redirects, errors) are
passed over. The charset comes from the HTTP ``Content-Type`` header, else the page's
``<meta charset>``, else the bytes. A record's body is read at most ``max_file_bytes`` deep
(decompressed), so a gzip bomb cannot fill memory. A record cut short fails alone; a record
that cannot be parsed, or bytes after the last whole record, end the file with a failure at that
offset.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from quotegraph import settings
from quotegraph.errors import InputError
from quotegraph.ingest.decode import SNIFF_BYTES
from quotegraph.ingest.failures import failure
from quotegraph.ingest.html import RawHtml
from quotegraph.ingest.paths import open_regular
from quotegraph.ingest.records import BROKEN_STREAM
from quotegraph.model import IngestFailure

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHUNK = 64 * 1024


def read_warc(path: Path, source: str) -> Iterator[RawHtml | IngestFailure]:
    """The HTML responses of a WARC, each a RawHtml whose id is its URL."""
    limit = settings.get_int("max_file_bytes")
    offset = 0
    try:
        stream = open_regular(path)
    except InputError as exc:
        yield failure(source, exc)
        return
    try:
        with stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.format != "warc":  # warcio reads other data as a legacy ARC record
                    raise InputError(f"not a WARC record (it reads as {record.format.upper()})")
                if _is_html_response(record):
                    yield _page(record, records, source, limit)
                offset = records.get_record_offset() + records.get_record_length()
            stream.seek(offset)
            if stream.read(SNIFF_BYTES).strip():  # blank lines after the last record are allowed
                size = path.stat().st_size
                yield IngestFailure(
                    f"{source}@{offset}",
                    f"broken WARC record: {size - offset} byte(s) at the end are not a whole record",
                )
    except (InputError, ArchiveLoadFailed, *BROKEN_STREAM) as exc:
        yield IngestFailure(f"{source}@{offset}", f"broken WARC record, the rest of the file is lost ({exc})")


def _page(record: Any, records: Any, source: str, limit: int) -> RawHtml | IngestFailure:
    """The response's page, or a failure when its body is cut short."""
    data = _read_at_most(record.content_stream(), limit + 1)
    missing = record.raw_stream.limit  # bytes the record declares but the file lacks
    where = f"{source}@{records.get_record_offset()}"  # asked after the read: it reads to the end
    if missing and len(data) <= limit:
        return IngestFailure(where, f"broken WARC record: cut short, {missing} byte(s) missing")
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    match = _CHARSET.search(record.http_headers.get_header("Content-Type") or "")
    return RawHtml(data, where, url or where, url, charset=match.group(1) if match else None)


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


def _is_html_response(record: Any) -> bool:
    if getattr(record, "rec_type", None) != "response":
        return False
    http = getattr(record, "http_headers", None)
    if http is None or not str(http.get_statuscode() or "").startswith("2"):
        return False
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return content_type in _HTML_TYPES
