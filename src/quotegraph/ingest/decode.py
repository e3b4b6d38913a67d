"""Bytes to text: refuse what is not text, and decode what is, whatever its encoding.

Order: a byte-order mark, then a declared charset (HTTP header, HTML ``<meta>``), then strict UTF-8, then
charset-normalizer's best guess. Where Windows-1252 reads the bytes as cleanly as the guess,
Windows-1252 wins: short Western news text is often mistaken for a Central European code page,
which turns "à" into "ŕ" and breaks quotes and names.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from quotegraph import settings
from quotegraph.errors import InputError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_MAGIC = [
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"%PDF", "a PDF document"),
]
# Control bytes that never occur in text (tab, newline, form feed, carriage return and escape can).
_CONTROL = frozenset(set(range(32)) - {9, 10, 12, 13, 27})
SNIFF_BYTES = 8192
_MAX_CONTROL_RATIO = 0.05


def decode_bytes(data: bytes, *, source: str, declared: str | list[str | None] | None = None) -> str:
    """The text in ``data``; InputError (naming ``source``) when it is empty, binary or undecodable.

    ``declared`` is a charset (or charsets, the first that fits wins) the container names: an HTTP
    header, an HTML ``<meta charset>``; used when Python knows it and it decodes the bytes without
    error, and ignored otherwise.
    """
    limit = settings.get_int("max_file_bytes")
    if len(data) > limit:
        raise InputError(f"{source}: file too large ({len(data)} bytes, the limit is {limit})")
    if not data:
        raise InputError(f"{source}: file is empty")
    text = _text(data, source, declared if isinstance(declared, list) else [declared])
    if not text.strip():
        raise InputError(f"{source}: file is empty (only whitespace)")
    return text


def _text(data: bytes, source: str, declared: list[str | None]) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, source)
    refuse_binary(data, source)
    for candidate in [*map(_known, declared), "utf-8"]:
        if candidate is not None:
            try:
                return data.decode(candidate)
            except UnicodeDecodeError:
                pass
    return _decode(data, _guess(data, source), source)


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: cannot decode the text as {encoding} ({exc.reason})") from exc


def refuse_binary(data: bytes, source: str) -> None:
    """InputError when ``data`` (a file's start) is binary: a PNG or gzip file renamed .txt must
    fail clearly, not become an article of mojibake."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{source}: binary content, not text (looks like {kind})")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        raise InputError(f"{source}: binary content, not text (contains NUL bytes)")
    controls = sum(1 for byte in head if byte in _CONTROL)
    if controls > _MAX_CONTROL_RATIO * len(head):
        raise InputError(f"{source}: binary content, not text ({controls} control bytes)")


def _known(encoding: str | None) -> str | None:
    """A declared charset Python can decode, with Latin-1/ASCII read as Windows-1252 as browsers do."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding.strip()).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page that says UTF-16 without a byte-order mark is ASCII-compatible (WHATWG)
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _guess(data: bytes, source: str) -> str:
    best = from_bytes(data).best()
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos):
        return "cp1252"
    if best is None:
        raise InputError(f"{source}: cannot decode the text: not UTF-8 and no known encoding fits")
    return str(best.encoding)
