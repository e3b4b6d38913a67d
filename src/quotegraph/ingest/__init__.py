"""Ingest: files and folders in, a stream of Articles (or the reason one could not be read) out.

The one reader every command uses (``ingest``, ``extract``, ``batch``, the API's POST):

- ``.txt``: plain text, in whatever encoding (``decode.py``); ``\\r\\n`` becomes ``\\n``;
- ``.html``/``.htm``: a web page's main text and metadata (``html.py``);
- ``.jsonl`` and ``.jsonl.gz``: one article per line with ``id`` and ``text`` or ``html``
  (optional ``url``, ``title``, ``published``, ``language``; ``records.py``);
- ``.warc`` and ``.warc.gz``: each HTML response with a 2xx status (``warc.py``);
- folders, recursively in name order (``paths.py``).

Everything is a generator, so a folder or an archive of millions of articles streams; a bad
input becomes an ``IngestFailure`` with its reason and the rest goes on. ``read_sources`` leaves
web pages as ``RawHtml``, for a caller that extracts their main text elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from quotegraph.ingest.decode import decode_bytes
from quotegraph.ingest.failures import BAD_INPUT, Item, failure
from quotegraph.ingest.headline import headline
from quotegraph.ingest.html import RawHtml, html_to_article, read_raw_html
from quotegraph.ingest.paths import (
    HTML,
    JSONL,
    JSONL_GZ,
    TEXT,
    WARC,
    WARC_GZ,
    input_files,
    kind_of,
    normal_suffix,
    open_regular,
    path_label,
    read_limited,
)
from quotegraph.ingest.records import read_jsonl, record_to_article
from quotegraph.ingest.warc import read_warc
from quotegraph.model import Article, IngestFailure

__all__ = [
    "Item",
    "RawHtml",
    "count_inputs",
    "html_to_article",
    "read_inputs",
    "read_page",
    "read_sources",
    "record_to_article",
]


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Articles from files and folders, lazily and in order; no exception escapes for bad input.

    Files of other types inside a folder are skipped silently (hidden entries too); named
    explicitly they yield an IngestFailure, as does a path that does not exist.
    """
    for item in read_sources(paths):
        yield read_page(item) if isinstance(item, RawHtml) else item


def count_inputs(paths: Iterable[str | Path]) -> int:
    """About how many items ``read_inputs`` will yield: one per file, one per line of a JSONL file.
    A total for progress bars, far cheaper than reading: JSONL lines are counted as newlines."""
    total = 0
    for found in input_files(paths):
        if isinstance(found, Path) and normal_suffix(kind_of(found) or "") == JSONL:
            total += _count_lines(found)
        else:
            total += 1
    return total


def _count_lines(path: Path) -> int:
    lines, last = 0, b"\n"
    try:
        with open_regular(path) as data:
            while block := data.read(1 << 20):
                lines, last = lines + block.count(b"\n"), block[-1:]
    except BAD_INPUT:
        return 1
    return lines + (last != b"\n")


def read_sources(paths: Iterable[str | Path]) -> Iterator[Item | RawHtml]:
    """As ``read_inputs``, but web pages come as RawHtml, their main text still to extract."""
    for found in input_files(paths):
        if isinstance(found, IngestFailure):
            yield found
        else:
            yield from _read_file(found)


def read_page(page: RawHtml) -> Item:
    """The page's Article, or its failure."""
    try:
        return read_raw_html(page)
    except BAD_INPUT as exc:
        return failure(page.source, exc)


def _read_file(path: Path) -> Iterator[Item | RawHtml]:
    source = path_label(path)
    suffix = normal_suffix(kind_of(path) or "")
    if suffix in (JSONL, JSONL_GZ):
        yield from read_jsonl(path, source, gzipped=suffix == JSONL_GZ)
    elif suffix in (WARC, WARC_GZ):
        yield from read_warc(path, source)
    else:
        try:
            data = read_limited(path)
            if suffix == TEXT:
                text = decode_bytes(data, source=source).replace("\r\n", "\n")
                yield Article(text=text, id=source, source=source, title=headline(text))
            elif suffix == HTML:
                yield RawHtml(data, source, source)
        except BAD_INPUT as exc:
            yield failure(source, exc)
