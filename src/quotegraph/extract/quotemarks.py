"""Quotation marks in raw text, paired into quoted regions.

Works on characters, not tokens, and one paragraph at a time: a stray apostrophe or an
unbalanced mark in one paragraph (a headline, say) never shifts the pairs in the next.
A paragraph that opens a double quote and never closes it is the convention for a quote
that runs on into the next paragraph: the region then ends with the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark -> the closing marks that may end it.
_CURLY_PAIRS = {
    "“": "”",
    "«": "»",
    "„": "“”",
    "‘": "’",
    "‹": "›",
    "»": "«",  # Danish/German style, only reached when » opens
}
_DOUBLE_OPENERS = {"“", "«", "„", '"', "''", "``"}
_OPEN_CONTEXT = set(" \t\n([{—–-/:;,") | {""}
_PARAGRAPH = re.compile(r"[^\n]+")
# '' and `` (typewriter and PTB conventions), then every single-character mark.
_MARK = re.compile(r"''|``|[\"“”«»„‘’‹›']")


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """A quoted stretch: ``start``/``end`` bound the words inside the marks."""

    start: int
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when closed by the paragraph end
    double: bool  # double marks (or guillemets) rather than single ones

    @property
    def outer_end(self) -> int:
        return self.close_mark + 1 if self.close_mark is not None else self.end


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """All outermost quoted regions in ``text``, in order."""
    regions: list[QuoteRegion] = []
    for para in _PARAGRAPH.finditer(text):
        regions.extend(_paragraph_regions(text, para.start(), para.end()))
    return regions


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def _paragraph_regions(text: str, start: int, end: int) -> list[QuoteRegion]:
    stack: list[tuple[str, int, int]] = []  # (mark, mark offset, content start)
    found: list[QuoteRegion] = []

    def close(index: int, mark_at: int) -> None:
        mark, open_at, content_start = stack[index]
        del stack[index:]
        inner_start, inner_end = _strip(text, content_start, mark_at)
        if not stack and inner_start < inner_end:  # outermost regions only
            found.append(QuoteRegion(inner_start, inner_end, open_at, mark_at, mark in _DOUBLE_OPENERS))

    for m in _MARK.finditer(text, start, end):
        mark, at = m.group(), m.start()
        before = text[at - 1] if at > start else ""
        after = text[m.end()] if m.end() < end else ""
        opens_here = before in _OPEN_CONTEXT or before in _CURLY_PAIRS
        if mark in ('"', "''", "``"):
            pending = _find(stack, ('"', "''", "``"))
            if mark == "``" or (pending is None and opens_here and after.strip()):
                stack.append((mark, at, m.end()))
            elif pending is not None:
                close_at = at
                close(pending, close_at)
            # a straight mark that neither opens nor closes (between letters) is ignored
        elif mark == "'":
            pending = _find(stack, ("'",))
            if pending is not None and not _is_letter(after) and before.strip():
                close(pending, at)
            elif opens_here and _is_letter(after):
                stack.append((mark, at, m.end()))
        elif mark == "’":
            if _is_letter(after) and _is_letter(before):
                continue  # apostrophe: don’t, Clinton’s
            pending = _find(stack, ("‘",))
            if pending is not None:
                close(pending, at)
        else:
            # a mark that can end a pending opener closes it (» after «, “ after „); otherwise it may open
            pending = next(
                (i for i in range(len(stack) - 1, -1, -1) if mark in _CURLY_PAIRS.get(stack[i][0], "")), None
            )
            if pending is not None:
                close(pending, at)
            elif mark in _CURLY_PAIRS and (opens_here or mark not in ("»", "‘")):
                stack.append((mark, at, m.end()))
    # A double quote left open runs to the end of its paragraph (multi-paragraph quotation).
    if stack and stack[0][0] in _DOUBLE_OPENERS:
        mark, open_at, content_start = stack[0]
        content_end = len(text[:end].rstrip())
        if content_end - content_start > 1:
            found.append(QuoteRegion(content_start, content_end, open_at, None, True))
    return sorted(found, key=lambda r: r.start)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """The words inside the marks, without the spaces French typography puts inside « »."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _find(stack: list[tuple[str, int, int]], marks: tuple[str, ...]) -> int | None:
    for i in range(len(stack) - 1, -1, -1):
        if stack[i][0] in marks:
            return i
    return None
