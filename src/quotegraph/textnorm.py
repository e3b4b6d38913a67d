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
