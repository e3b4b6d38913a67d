"""The one key names are compared on, wherever names are matched (speakers, places), and the one
shape of a wire dateline, which both the quote and the place stages read."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"\W+")
_SOFT_AFTER_FIRST = re.compile(r"(?<=\w)[aeiouyhw]")
_REPEATS = re.compile(r"(\w)\1+")
# A wire dateline: "WASHINGTON (AP) — ", "BEIRUT, Oct 3 (Reuters) - ", "WASHINGTON—", "(NEW YORK) — "
_DATELINE = re.compile(
    r"(?P<open>\()?(?P<place>[A-Z][A-Z.'’ ]*[A-Z.])(?(open)\))"
    r"(?:,\s+[A-Z0-9][^\n—–(]{0,40}?)?(?:\s*\((?P<agency>[^)\n]{1,40})\))?"
    r"(?:(?P<dash>\s*[—–]|\s+-{1,2})|(?(agency)|(?!)))\s*"  # a dash, or an agency without one
)


def fold(text: str) -> str:
    """Lower case without accents, dots, apostrophes or other punctuation:
    "Nūristān" -> "nuristan", "U.S." -> "us", "Stéphane Dujarric" -> "stephane dujarric"."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace(".", "").replace("'", "").replace("’", "")
    return _NON_WORD.sub(" ", text).strip()


def skeleton(key: str) -> str:
    """A spelling-blind index key for variant look-ups: each word's first letter, then its other
    letters without vowels, h, w and repeats, where transliterations differ most ("ahmad massoud",
    "ahmad masoud" -> "amd msd"; "nuristan", "nurestan" -> "nrstn"). Candidates found by it are
    then confirmed by the caller (people: ``resolve.canonical.is_variant``; places: similarity)."""
    return " ".join(
        word[0] + _REPEATS.sub(r"\1", _SOFT_AFTER_FIRST.sub("", word))[1:] for word in key.split()
    )


def similar_words(a: str, b: str) -> bool:
    """Equal, or one edit apart in a name of five letters or more (Massoud / Masoud)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    return _one_edit_apart(a, b)


def _one_edit_apart(a: str, b: str) -> bool:
    """One substitution, insertion or deletion turns ``a`` into ``b`` (lengths differ by <= 1)."""
    if len(a) > len(b):
        a, b = b, a
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) == len(b):
        return a[first + 1 :] == b[first + 1 :]
    return a[first:] == b[first + 1 :]


def dateline_at(text: str, start: int, end: int | None = None) -> re.Match[str] | None:
    """The wire dateline at ``start``, whose place is the town the story was filed from. It opens a
    line or a sentence, or names its agency ("Associated Press WASHINGTON (AP) —"): "the UK — and
    France" is no dateline. Its dash may be lost where it opens a sentence and names its agency
    ("WASHINGTON (AP) The Senate", as pages whose dashes were mangled print it)."""
    if start and text[start - 1] == "(":  # "(NEW YORK) —": the place of a bracketed dateline
        start -= 1
    match = _DATELINE.match(text, start, len(text) if end is None else end)
    if match is None:
        return None
    before = text[text.rfind("\n", 0, start) + 1 : start].rstrip()
    opens = not before or before[-1] in ".!?:"
    return match if opens or (match["agency"] and match["dash"]) else None
