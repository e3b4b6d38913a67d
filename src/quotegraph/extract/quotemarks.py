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
# Closing mark -> the opening marks it may end.
_CLOSES = {close: tuple(o for o, closes in _CURLY_PAIRS.items() if close in closes) for close in "”“»«’›"}
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


class _OpenMarks:
    """The marks opened and not yet closed, innermost last, with where each kind of mark stands, so
    that finding the innermost open mark of a kind is no walk down the stack (a run of thousands of
    opening marks would make that quadratic)."""

    def __init__(self) -> None:
        self.stack: list[tuple[str, int, int]] = []  # (mark, mark offset, content start)
        self._where: dict[str, list[int]] = {}  # mark -> its positions in the stack

    def push(self, mark: str, at: int, content_start: int) -> None:
        self._where.setdefault(mark, []).append(len(self.stack))
        self.stack.append((mark, at, content_start))

    def innermost(self, marks: tuple[str, ...]) -> int | None:
        """The stack position of the innermost open mark among ``marks``."""
        return max((self._where[m][-1] for m in marks if self._where.get(m)), default=None)

    def cut(self, index: int) -> tuple[str, int, int]:
        """Close the mark at ``index`` and every mark opened inside it; the closed mark's entry."""
        closed = self.stack[index]
        while len(self.stack) > index:
            self._where[self.stack.pop()[0]].pop()
        return closed


def _paragraph_regions(text: str, start: int, end: int) -> list[QuoteRegion]:
    marks = _OpenMarks()
    stack = marks.stack
    found: list[QuoteRegion] = []

    def close(index: int, mark_at: int) -> None:
        mark, open_at, content_start = marks.cut(index)
        inner_start, inner_end = _strip(text, content_start, mark_at)
        if not stack and inner_start < inner_end:  # outermost regions only
            found.append(QuoteRegion(inner_start, inner_end, open_at, mark_at, mark in _DOUBLE_OPENERS))

    for m in _MARK.finditer(text, start, end):
        mark, at = m.group(), m.start()
        before = text[at - 1] if at > start else ""
        after = text[m.end()] if m.end() < end else ""
        opens_here = before in _OPEN_CONTEXT or before in _CURLY_PAIRS
        if mark in ('"', "''", "``"):
            pending = marks.innermost(('"', "''", "``"))
            if mark == "``" or (pending is None and opens_here and after.strip()):
                marks.push(mark, at, m.end())
            elif pending is not None:
                close_at = at
                close(pending, close_at)
            # a straight mark that neither opens nor closes (between letters) is ignored
        elif mark == "'":
            pending = marks.innermost(("'",))
            if pending is not None and not _is_letter(after) and before.strip():
                close(pending, at)
            elif opens_here and _is_letter(after):
                marks.push(mark, at, m.end())
        elif mark == "’":
            if _is_letter(after) and _is_letter(before):
                continue  # apostrophe: don’t, Clinton’s
            pending = marks.innermost(("‘",))
            if pending is not None:
                close(pending, at)
        else:
            # a mark that can end a pending opener closes it (» after «, “ after „); otherwise it may open
            pending = marks.innermost(_CLOSES.get(mark, ()))
            if pending is not None:
                close(pending, at)
            elif mark in _CURLY_PAIRS and (opens_here or mark not in ("»", "‘")):
                marks.push(mark, at, m.end())
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
