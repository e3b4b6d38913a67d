"""Main-text extraction quality: token F1 against expected text, and the shared benchmark pages.

The benchmark (``html_extraction.py`` beside this file) and the regression gate in
``tests/test_ingest_html.py`` both read the pages through ``load_pages`` and score with
``token_scores``, so their figures are the same figures. Scoring, not reading: it lives with the
benchmarks, and pytest finds it through ``pythonpath`` in pyproject.toml.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.html

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class GoldPage:
    """One benchmark page: raw HTML bytes and the main text a good extractor returns."""

    name: str
    group: str  # "article-extraction-benchmark" or "mozilla-readability"
    html: bytes
    expected: str
    url: str | None = None


def tokens(text: str) -> Counter[str]:
    """Lowercase word tokens as a multiset: the unit the extraction benchmarks score in."""
    return Counter(_WORD.findall(text.lower()))


def token_scores(predicted: str, expected: str) -> Scores:
    """Precision, recall and F1 of the predicted tokens against the expected ones (multisets)."""
    pred, gold = tokens(predicted), tokens(expected)
    if not pred and not gold:
        return Scores(1.0, 1.0, 1.0)
    common = sum((pred & gold).values())
    precision = common / sum(pred.values()) if pred else 0.0
    recall = common / sum(gold.values()) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    return Scores(precision, recall, f1)


def html_text(html: str) -> str:
    """The visible text of an HTML fragment, with a space between elements so words never merge."""
    return " ".join(lxml.html.fromstring(html).itertext())


def load_pages(root: Path) -> Iterator[GoldPage]:
    """The pages under ``root`` (../shared/data/raw/html): 30 benchmark pages, then 10 readability ones."""
    aeb = root / "article-extraction-benchmark"
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        entry = truth[page_id]
        data = gzip.decompress((aeb / f"{page_id}.html.gz").read_bytes())
        yield GoldPage(page_id, aeb.name, data, entry["articleBody"], entry.get("url"))
    readability = root / "mozilla-readability"
    for folder in sorted(p for p in readability.iterdir() if p.is_dir()):
        expected = html_text((folder / "expected.html").read_text(encoding="utf-8"))
        yield GoldPage(folder.name, readability.name, (folder / "source.html").read_bytes(), expected)
