"""Main-text extraction quality of ``html_bytes_to_article`` against trafilatura's defaults.

Runs on the 40 real news pages in ../shared/data/raw/html (30 from the article-extraction
benchmark with its ``articleBody`` ground truth, 10 mozilla-readability test pages with their
expected HTML, tags stripped) and prints token precision, recall and F1 (lowercase word tokens,
as multisets) per source and overall, for ours and for ``trafilatura.extract(html)`` with default
settings on the same pages, and the ratio of the two F1 figures. Exits with a message where the
pages are absent.

    .venv/bin/python benchmarks/html_extraction.py [--pages PATH] [--per-page]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import trafilatura

from html_pages import GoldPage, Scores, load_pages, token_scores
from quotegraph.errors import InputError
from quotegraph.ingest.html import html_bytes_to_article

PAGES = Path(__file__).resolve().parents[2] / "shared" / "data" / "raw" / "html"

Extractor = Callable[[GoldPage], str]


def ours(page: GoldPage) -> str:
    try:
        return html_bytes_to_article(page.html, source=page.name, url=page.url).text
    except InputError:
        return ""


def trafilatura_default(page: GoldPage) -> str:
    return trafilatura.extract(page.html, url=page.url) or ""


def mean_scores(scores: Sequence[Scores]) -> Scores:
    return Scores(
        statistics.mean(s.precision for s in scores),
        statistics.mean(s.recall for s in scores),
        statistics.mean(s.f1 for s in scores),
    )


def run(pages: Sequence[GoldPage], extractor: Extractor) -> tuple[dict[str, Scores], float]:
    """Scores per page name, and the seconds the extractor took over all pages."""
    started = time.perf_counter()
    texts = {page.name: extractor(page) for page in pages}
    elapsed = time.perf_counter() - started
    return {page.name: token_scores(texts[page.name], page.expected) for page in pages}, elapsed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=Path, default=PAGES, help="folder of the benchmark pages")
    parser.add_argument("--per-page", action="store_true", help="also print every page's F1")
    args = parser.parse_args(argv)
    if not (args.pages / "article-extraction-benchmark" / "ground-truth.json").is_file():
        print(f"benchmark pages not found under {args.pages}; nothing to measure", file=sys.stderr)
        return 1
    pages = list(load_pages(args.pages))
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"trafilatura {trafilatura.__version__}, {len(pages)} pages from {args.pages}\n")
    mine, mine_s = run(pages, ours)
    base, base_s = run(pages, trafilatura_default)
    groups = sorted({page.group for page in pages})
    print(f"{'pages':<30} {'n':>3}  {'ours P / R / F1':>22}  {'trafilatura P / R / F1':>22}  {'F1 ratio':>8}")
    for group, members in [(g, [p for p in pages if p.group == g]) for g in groups] + [("all", pages)]:
        a = mean_scores([mine[p.name] for p in members])
        b = mean_scores([base[p.name] for p in members])
        print(
            f"{group:<30} {len(members):>3}  {a.precision:.3f} / {a.recall:.3f} / {a.f1:.3f}"
            f"  {b.precision:.3f} / {b.recall:.3f} / {b.f1:.3f}  {a.f1 / b.f1:>8.3f}"
        )
    print(f"\ntime: ours {mine_s:.1f} s, trafilatura default {base_s:.1f} s")
    if args.per_page:
        print(f"\n{'page':<30} {'ours F1':>8} {'traf F1':>8}")
        for page in pages:
            print(f"{page.name[:30]:<30} {mine[page.name].f1:>8.3f} {base[page.name].f1:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
