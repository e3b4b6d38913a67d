"""Bytes to text: refuse what is not text, and decode what is, whatever its encoding.

Order: a byte-order mark; UTF-16 without one (told by the zero bytes of its ASCII characters); a
charset the container declares (an HTTP header, an HTML ``<meta>``) when it decodes the bytes;
strict UTF-8. Other bytes are a legacy code page, or UTF-8 with stretches in one (a file edited
by two programs): each reading is scored by how many of its words read as no language writes
(``_misread``), and the reading with the fewest wins, Windows-1252 on a tie. charset-normalizer's
guess is only the last candidate: its best guess took Norwegian Windows-1252 for Baltic
("Østfold" -> "Ųstfold"). Text that no reading makes clean is refused, never stored garbled.

The rule cannot tell apart code pages whose letters are all letters in Windows-1252 too (Baltic,
Turkish or Czech text whose every byte reads as a Western letter): those read as Windows-1252,
and need a declared charset or conversion to UTF-8.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass

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
# UTF-16 without a BOM: the zero half of ASCII characters (spaces at least) in one position of the
# byte pairs, and (almost) never in the other.
_UTF16_MIN_ZEROS, _UTF16_MAX_OTHER_ZEROS = 0.1, 0.01

# Single-byte code pages, in the order that breaks a tie: Western first (English and Western
# European news), then Central European, Baltic, Turkish, Cyrillic (two), Greek, Hebrew, Arabic;
# Latin-1 last, for the five bytes Windows-1252 leaves undefined.
_CODE_PAGES = (
    "cp1252",
    "cp1250",
    "cp1257",
    "cp1254",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1255",
    "cp1256",
    "latin-1",
)
_CODE_PAGE_NAMES = frozenset(codecs.lookup(page).name for page in _CODE_PAGES)
_SAMPLE_BYTES = 256 * 1024  # enough words to tell code pages apart; the whole file is decoded after
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_LETTERS = re.compile(r"[^\W\d_]+")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")
# Symbols that touch a word in ordinary text ("20°C", "Acme®", "m²"); others beside a letter, and
# any symbol between two letters, are a misread ("by³", "z³oty").
_SYMBOLS_BY_WORDS = frozenset("°©®™℠²³")
_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "HEBREW", "ARABIC", "THAI", "GEORGIAN"})
_CJK = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC", "HANGUL"})
# No candidate is the text's encoding when its best reading misreads more than a few words and
# more than a tenth of them, or more than half of them (a short run of binary is one long word).
_MAX_MISREAD_SHARE, _MAX_MISREAD_FEW = 0.1, 2


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
    if is_blank(text):
        raise InputError(f"{source}: file is empty (only whitespace or invisible characters)")
    return text


def is_blank(text: str) -> bool:
    """Nothing a reader can see: whitespace, controls, zero-width and other format characters,
    lone combining marks, filler characters."""
    return not any(
        unicodedata.category(c)[0] not in "CZM" and c not in "\u115f\u1160\u3164\uffa0\u2800" for c in text
    )


def _text(data: bytes, source: str, declared: list[str | None]) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding, source)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return _decode(data, utf16, source)
    refuse_binary(data, source)
    if b"\x00" in data:
        raise InputError(f"{source}: binary content, not text (a NUL byte at offset {data.index(0)})")
    for candidate in [*map(_known, declared), "utf-8"]:
        if candidate is not None:
            try:
                return data.decode(candidate)
            except UnicodeDecodeError:
                pass
    return _legacy(data, source)


def _decode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: cannot decode the text as {encoding} ({exc.reason})") from exc


def refuse_binary(data: bytes, source: str, *, nul_is_binary: bool = True) -> None:
    """InputError when ``data`` (a file's start) is binary: a PNG or gzip file renamed .txt must
    fail clearly, not become an article of mojibake. ``nul_is_binary`` False leaves NUL bytes to
    the caller (a JSONL reader refuses the lines that hold one, not the whole file)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{source}: binary content, not text (looks like {kind})")
    head = data[:SNIFF_BYTES]
    if nul_is_binary and b"\x00" in head:
        raise InputError(f"{source}: binary content, not text (contains NUL bytes)")
    controls = sum(1 for byte in head if byte in _CONTROL and byte)
    if controls > _MAX_CONTROL_RATIO * len(head):
        raise InputError(f"{source}: binary content, not text ({controls} control bytes)")


def utf16_encoding(data: bytes) -> str | None:
    """UTF-16 by its byte-order mark ("utf-16") or without one ("utf-16-le", "utf-16-be"); else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        return "utf-16"
    return _utf16_without_bom(data)


def _utf16_without_bom(data: bytes) -> str | None:
    """The byte order of UTF-16 text without a BOM, told by where its zero bytes are, when the
    bytes decode as UTF-16 into text without control characters; else None."""
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    pairs = len(head) // 2
    if pairs < 4 or len(data) % 2:
        return None
    first, second = head[0::2].count(0), head[1::2].count(0)
    for zeros, others, encoding in ((second, first, "utf-16-le"), (first, second, "utf-16-be")):
        if zeros >= _UTF16_MIN_ZEROS * pairs and others <= _UTF16_MAX_OTHER_ZEROS * pairs:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            controls = sum(1 for c in text[:SNIFF_BYTES] if ord(c) in _CONTROL)
            return encoding if controls <= _MAX_CONTROL_RATIO * min(len(text), SNIFF_BYTES) else None
    return None


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


@dataclass(frozen=True, slots=True)
class _Reading:
    name: str  # "cp1252", or "utf-8+cp1252" for UTF-8 with stretches in Windows-1252
    misread: int  # words that read as no language writes
    words: int  # words with a non-ASCII character


def _legacy(data: bytes, source: str) -> str:
    """Bytes that are not UTF-8, read with the candidate that misreads the fewest words (the
    earliest on a tie): UTF-8 with stretches in a code page first where the bytes hold UTF-8
    sequences, then the code pages alone, then charset-normalizer's guess."""
    sample = data[:_SAMPLE_BYTES]
    if len(data) > _SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n")]  # whole lines, no character cut in two
    mixed = [f"utf-8+{page}" for page in _CODE_PAGES] if _UTF8_SEQUENCE.search(data) else []
    readings = []
    for name in [*mixed, *_CODE_PAGES, None]:
        if name is None:  # charset-normalizer's guess, only where no code page here reads cleanly
            guess = from_bytes(sample).best()
            if guess is None or codecs.lookup(guess.encoding).name in _CODE_PAGE_NAMES:
                break
            name = guess.encoding
        text = _read_as(sample, name)
        if text is None:
            continue
        readings.append(_Reading(name, *_misread(text)))
        if readings[-1].misread == 0:
            break
    for best in sorted(readings, key=lambda r: r.misread):  # stable: the earliest on a tie
        if (
            best.misread > max(_MAX_MISREAD_FEW, _MAX_MISREAD_SHARE * best.words)
            or 2 * best.misread > best.words
        ):
            break
        text = _read_as(data, best.name)
        if text is not None:
            return text
    closest = min(readings, key=lambda r: r.misread, default=None)
    shown = f" (the closest, {closest.name}, misreads {closest.misread} word(s))" if closest else ""
    raise InputError(f"{source}: cannot decode the text: not UTF-8, and no code page reads it cleanly{shown}")


def _read_as(data: bytes, name: str) -> str | None:
    """The bytes read as ``name``; for "utf-8+PAGE", UTF-8 where the bytes are UTF-8 and PAGE for
    the bytes between; None when the bytes do not decode."""
    utf8, _, page = name.rpartition("+")
    try:
        if not utf8:
            return data.decode(page)
        return _ESCAPED_BYTES.sub(
            lambda run: bytes(ord(c) - 0xDC00 for c in run.group()).decode(page),
            data.decode("utf-8", "surrogateescape"),
        )
    except UnicodeDecodeError:
        return None


def _misread(text: str) -> tuple[int, int]:
    """How many words with a non-ASCII character read as no language writes, and how many there are."""
    words = [match.group() for match in _NON_ASCII_WORD.finditer(text)]
    return sum(1 for word in words if _reads_oddly(word)), len(words)


def _reads_oddly(word: str) -> bool:
    """A control or unassigned character; a symbol against a letter ("£ód", "z³oty"); sentence
    punctuation inside a word ("mo¿e"); letters of two scripts; three or more Latin letters of which
    none is ASCII ("Ïðèâåò", Cyrillic read as Western); a capital after a small letter ("пРИВЕТ",
    KOI8-R read as Windows-1251): what a text read in the wrong code page is full of."""
    is_letter = [c.isalpha() for c in word]
    scripts = set()
    for i, char in enumerate(word):
        if char.isascii() and not is_letter[i]:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cn", "Co", "Cs"):
            return True
        if category[0] == "L":
            scripts.add(_script(char))
            continue
        before = i > 0 and is_letter[i - 1]
        after = i + 1 < len(word) and is_letter[i + 1]
        if category[0] in "SN" and (
            (before and after) or ((before or after) and char not in _SYMBOLS_BY_WORDS)
        ):
            return True
        if category == "Po" and before and after and char != "·" and char < "\u3000":  # not CJK commas
            return True
    if len(scripts - {None}) > 1:
        return True
    for run in _LETTERS.findall(word):
        if run.isascii():
            continue
        if len(run) >= 3 and _script(run[0]) == "LATIN" and not any(c.isascii() for c in run):
            return True
        if any(a.islower() and b.isupper() for a, b in itertools.pairwise(run)):
            return True
    return False


def _script(letter: str) -> str | None:
    """The script a letter belongs to (Chinese, Japanese and Korean as one), None when not named."""
    if letter.isascii():
        return "LATIN"
    first = unicodedata.name(letter, "").split(" ")[0]
    return "CJK" if first in _CJK else first if first in _SCRIPTS else None
