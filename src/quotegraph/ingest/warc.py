"""WARC archives (plain or gzip): each HTML response is a page to read.

A response is an article when its HTTP status is 2xx and its type ``text/html`` or
``application/xhtml+xml``; other records (requests, metadata, images, redirects, errors) are
passed over. The charset comes from the HTTP ``Content-Type`` header, else the page's
``<meta charset>``, else the bytes. A record's body is read at most ``max_file_bytes`` deep
(decompressed), so a gzip bomb cannot fill memory. Damage is a failure at its offset, never a
silent skip: a record cut short, one without a WARC-Type or a valid Content-Length, one that does
not end where its length says (warcio reads on from the next record), an archive cut inside its
last gzip member; a record warcio cannot parse, or bytes after the last whole record, end the
file, and every page before is kept.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

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
_OFFSET = re.compile(r"Offset: (\d+)")
_HEADLESS = "broken WARC record: no WARC-Type, or no valid Content-Length, in its headers (cut short?)"
_UNFINISHED = "broken WARC record: the archive ends inside this record's gzip member (cut short)"
_MISPLACED = (
    "broken WARC record: the record before does not end where its Content-Length says (its page "
    "may be cut short or run on); reading went on from here"
)
# What warcio raises on a damaged record: its own error, a broken stream, and the errors of its
# header parsing on headers cut short or mangled (a response without a target URI: AttributeError).
_BROKEN_RECORD = (
    *BROKEN_STREAM,
    ArchiveLoadFailed,
    AttributeError,
    TypeError,
    ValueError,
    IndexError,
    KeyError,
)


def read_warc(path: Path, source: str) -> Iterator[RawHtml | IngestFailure]:
    """The HTML responses of a WARC, each a RawHtml whose id is its URL."""
    limit = settings.get_int("max_file_bytes")
    offset, last = 0, None
    try:
        stream = open_regular(path)
    except InputError as exc:
        yield failure(source, exc)
        return
    try:
        with stream:
            archive = _Archive(stream)
            while (record := archive.next()) is not None:
                yield from (IngestFailure(f"{source}@{at}", _MISPLACED) for at in archive.misplaced())
                if record.format != "warc":  # warcio reads other data as a legacy ARC record
                    raise InputError(f"not a WARC record (it reads as {record.format.upper()})")
                body = _body(record, limit) if _is_html_response(record) else None
                last = archive.offset()  # asked after the body: it reads to the end
                where = f"{source}@{last}"
                offset = archive.end()
                missing = getattr(record.raw_stream, "limit", 0)  # bytes it declares but the file lacks
                if not _whole_headers(record):
                    yield IngestFailure(where, _HEADLESS)
                elif missing:
                    yield IngestFailure(where, f"broken WARC record: cut short, {missing} byte(s) missing")
                elif body is not None:
                    yield _page(record, body, where)
            yield from (IngestFailure(f"{source}@{at}", _MISPLACED) for at in archive.misplaced())
            if last is not None and not _gzip_member_ends(stream, last):
                yield IngestFailure(f"{source}@{last}", _UNFINISHED)
            stream.seek(offset)
            if stream.read(SNIFF_BYTES).strip():  # blank lines after the last record are allowed
                size = path.stat().st_size
                yield IngestFailure(
                    f"{source}@{offset}",
                    f"broken WARC record: {size - offset} byte(s) at the end are not a whole record",
                )
    except (InputError, *BROKEN_STREAM) as exc:
        yield IngestFailure(f"{source}@{offset}", f"broken WARC record, the rest of the file is lost ({exc})")


class _Archive:
    """warcio's reader, with InputError for a record it cannot parse, and the offsets where a
    record did not end where its length said: warcio then reads on from the next line it
    recognises, and says so on standard error, which is kept off the user's terminal here."""

    def __init__(self, stream: BinaryIO) -> None:
        self._records = ArchiveIterator(stream)
        self._misplaced: list[str] = []

    def next(self) -> Any:
        return self._call(lambda: next(self._records, None))

    def offset(self) -> int:
        """Where the current record starts (asked after its body is read: it reads to its end)."""
        return int(self._call(self._records.get_record_offset))

    def end(self) -> int:
        return self.offset() + int(self._call(self._records.get_record_length))

    def misplaced(self) -> list[str]:
        """The offsets warcio found out of place since the last call."""
        found, self._misplaced = self._misplaced, []
        return found

    def _call(self, call: Callable[[], Any]) -> Any:
        with contextlib.redirect_stderr(io.StringIO()) as said:
            try:
                return call()
            except _BROKEN_RECORD as exc:
                raise InputError(f"{type(exc).__name__}: {exc}") from exc
            finally:
                self._misplaced += _OFFSET.findall(said.getvalue())


def _body(record: Any, limit: int) -> bytes:
    """A response's body, at most ``limit`` + 1 bytes (more is refused as too large)."""
    try:
        return _read_at_most(record.content_stream(), limit + 1)
    except _BROKEN_RECORD as exc:
        raise InputError(f"{type(exc).__name__}: {exc}") from exc


def _page(record: Any, body: bytes, where: str) -> RawHtml:
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    match = _CHARSET.search(record.http_headers.get_header("Content-Type") or "")
    return RawHtml(body, where, url or where, url, charset=match.group(1) if match else None)


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


def _gzip_member_ends(stream: BinaryIO, start: int) -> bool:
    """Whether the gzip member at ``start`` (a .warc.gz's last record) is whole up to its trailer,
    which warcio does not check: a file cut there loses the records after without an error. True
    for an uncompressed WARC."""
    stream.seek(start)
    if stream.read(2) != b"\x1f\x8b":
        return True
    stream.seek(start)
    member = zlib.decompressobj(31)
    try:
        while not member.eof:
            chunk = member.unconsumed_tail or stream.read(_CHUNK)
            if not chunk:
                return False
            member.decompress(chunk, _CHUNK)  # the output is not kept: at most a chunk at a time
    except zlib.error:
        return False
    return True


def _whole_headers(record: Any) -> bool:
    """A WARC-Type and a Content-Length of digits: warcio reads a record without them (headers cut
    short, a mangled length) as one of no type or no length, which would pass over it in silence."""
    length = record.rec_headers.get_header("Content-Length") or ""
    return record.rec_type is not None and length.strip().isdigit()


def _is_html_response(record: Any) -> bool:
    if getattr(record, "rec_type", None) != "response":
        return False
    http = getattr(record, "http_headers", None)
    if http is None or not str(http.get_statuscode() or "").startswith("2"):
        return False
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    return content_type in _HTML_TYPES
