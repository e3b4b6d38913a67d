"""A quote as a citation: one line to paste into a story or a fact-check, and CSL-JSON, the format
Zotero and other reference managers import (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).

The citation names the article the words were published in, never a file path: the headline, the
outlet, the publication date (marked when it was inferred from the text), the original URL, the date
accessed, and the quote's permanent address here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from quotegraph.serve.records import QuoteRecord

_MONTHS = ("January February March April May June July August September October November December").split()


def when(published: str | None, inferred: str | None) -> str:
    """The publication date in words: "12 May 2023", "May 2023", "May 2023 (inferred from the text)"."""
    if published:
        return spoken_date(published)
    if inferred:
        return f"{spoken_date(inferred)} (inferred from the text)"
    return "undated"


def spoken_date(iso: str) -> str:
    parts = [int(p) for p in re.findall(r"\d+", iso)[:3]]
    if len(parts) >= 2 and 1 <= parts[1] <= 12:
        month = _MONTHS[parts[1] - 1]
        return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
    return iso


def plain(record: QuoteRecord, *, link: str, accessed: date) -> str:
    """One line: who said what, where and when it was published, and where to find it again."""
    who = record.speaker or "Unnamed speaker"
    words = " ".join(record.text.split())
    where = ", ".join(
        part
        for part in (
            f"“{record.title}”" if record.title else None,
            record.outlet,
            when(record.published, record.published_inferred),
            record.url,
        )
        if part
    )
    return f"{who}: “{words}”. In {where}. Accessed {spoken_date(accessed.isoformat())}. Quote: {link}"


def csl_json(record: QuoteRecord, *, link: str, accessed: date) -> list[dict[str, Any]]:
    """The article as a CSL-JSON item list (one item), the quote and its speaker in ``note``.

    An inferred publication date is given with ``circa``, so a reference manager shows it as
    approximate; the quote's address here goes in ``note`` beside the words.
    """
    item: dict[str, Any] = {
        "id": f"quotegraph-quote-{record.quote_id}",
        "type": "article-newspaper",
        "title": record.title or f"Article {record.article_id[:12]}",
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "note": f"{record.speaker or 'Unnamed speaker'}: “{' '.join(record.text.split())}” (quote: {link})",
    }
    if record.outlet:
        item["container-title"] = record.outlet
    if record.url:
        item["URL"] = record.url
    issued = _date_parts(record.published or record.published_inferred)
    if issued is not None:
        item["issued"] = {"date-parts": [issued]} | ({} if record.published else {"circa": True})
    return [item]


def _date_parts(iso: str | None) -> list[int] | None:
    """[year, month, day] as far as the date goes; None for no date or a value that is not one."""
    if iso is None or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", iso):
        return None
    return [int(part) for part in iso.split("-")]
