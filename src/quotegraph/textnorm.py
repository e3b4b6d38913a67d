"""The one key names are compared on, wherever names are matched (speakers, places)."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"\W+")


def fold(text: str) -> str:
    """Lower case without accents, dots, apostrophes or other punctuation:
    "Nūristān" -> "nuristan", "U.S." -> "us", "Stéphane Dujarric" -> "stephane dujarric"."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace(".", "").replace("'", "").replace("’", "")
    return _NON_WORD.sub(" ", text).strip()


def similar_words(a: str, b: str) -> bool:
    """Equal, or one edit apart in a name of five letters or more (Massoud / Masoud)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    return _edit_distance(a, b) <= 1


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
