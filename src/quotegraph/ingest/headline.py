"""The headline of a plain-text article: its first line, when that line stands alone as a title.

Text files saved from news sites and wires usually open with the headline on a line of its own,
then a blank line or the body. The line is taken as the title when it is short (at most 25 words
and 200 characters), is followed by more text, and is not a byline ("By Jane Doe"); otherwise the
article has no title, and pages name it by its id or content hash. The text itself is never changed.
"""

from __future__ import annotations

import re

MAX_WORDS = 25
MAX_CHARS = 200
_BYLINE = re.compile(r"by\s+\S", re.IGNORECASE)


def headline(text: str) -> str | None:
    """The first non-blank line of ``text`` when it is a headline; a headline the text repeats on
    the next line (a common copy-and-paste slip) is the same one title."""
    lines = [line.strip() for line in text.splitlines()]
    filled = [n for n, line in enumerate(lines) if line]
    if len(filled) < 2:
        return None
    first = lines[filled[0]]
    if len(first) > MAX_CHARS or len(first.split()) > MAX_WORDS or _BYLINE.match(first):
        return None
    return " ".join(first.split())
