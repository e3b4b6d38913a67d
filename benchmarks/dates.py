"""Date normalization of ``extract_dates`` on the dev texts, next to dateparser alone on the same entities.

The texts are the seed and PolNeAR dev, each read against its own publication date. For every DATE
entity the pipeline finds, ``extract_dates`` (our grammar, falling back on dateparser) and the
baseline (the entity's words given to dateparser alone: English, the publication date as its
relative base, past dates preferred) each give a value or none. Prints how many entities each
normalizes, how often the two agree where both give a day, month or year, the ratio of the two
coverages, the milliseconds per article, the seed's gold dates found, and the expressions that stay
unnormalized most often. ``--sample N`` also prints N normalized expressions picked at random (``--seed``) with their sentences, for checking by hand. Exits with a message where ../shared is absent.

    .venv/bin/python benchmarks/dates.py [--sample N]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dateparser.date import DateDataParser  # type: ignore[import-untyped]

from quotegraph.extract.dates import extract_dates
from quotegraph.model import DateMention
from quotegraph.nlp import load_pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "data" / "dev"


def dev_articles() -> list[dict[str, Any]]:
    """The seed and PolNeAR dev articles: id, text and publication date."""
    seed = json.loads((DEV / "seed.gold.json").read_text(encoding="utf-8"))
    polnear = [
        json.loads(line)
        for line in (DEV / "polnear.dev.gold.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [seed, *polnear]


def dateparser_value(parser: DateDataParser, words: str) -> str | None:
    """The baseline: dateparser's reading of the entity's words, at the precision it reports."""
    data = parser.get_date_data(words)
    if data.date_obj is None:
        return None
    return str(data.date_obj.date().isoformat()[: {"day": 10, "month": 7}.get(data.period, 4)])


def agree(ours: DateMention, theirs: str) -> bool:
    """The same day, month or year; other kinds of value (ranges, weeks, durations) are not compared."""
    return (
        isinstance(ours.value, str) and ours.granularity in ("day", "month", "year") and ours.value == theirs
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=0, help="print this many normalized expressions to check")
    ap.add_argument("--seed", type=int, default=0, help="which random sample --sample prints")
    args = ap.parse_args()
    if not DEV.is_dir():
        sys.exit(f"no dev data at {DEV}: this benchmark needs ../shared")
    print(
        "$",
        " ".join(["python", *sys.argv]),
        f"| {platform.processor() or platform.machine()}, Python {platform.python_version()}",
    )
    articles = dev_articles()
    nlp = load_pipeline()
    counts: Counter[str] = Counter()
    unnormalized: Counter[str] = Counter()
    ours_ms, theirs_ms = [], []
    normalized: list[tuple[str, DateMention, str]] = []  # (article id, mention, sentence)
    seed_found = 0
    for article, doc in zip(articles, nlp.pipe(a["text"] for a in articles), strict=True):
        published = str(article["published"])
        base = date.fromisoformat(published[:7] + "-15" if len(published) == 7 else published[:10])
        parser = DateDataParser(
            languages=["en"],
            settings={
                "RELATIVE_BASE": datetime.combine(base, datetime.min.time()),
                "PREFER_DATES_FROM": "past",
            },
        )
        t0 = time.perf_counter()
        mentions = extract_dates(doc, published)
        t1 = time.perf_counter()
        entities = [ent for ent in doc.ents if ent.label_ == "DATE"]
        baseline = [dateparser_value(parser, ent.text) for ent in entities]
        t2 = time.perf_counter()
        ours_ms.append(1000 * (t1 - t0))
        theirs_ms.append(1000 * (t2 - t1))
        for ent, theirs in zip(entities, baseline, strict=True):
            ours = [m for m in mentions if m.span.start < ent.end_char and ent.start_char < m.span.end]
            counts["entities"] += 1
            counts["extract_dates"] += bool(ours)
            counts["dateparser"] += theirs is not None
            if ours and theirs is not None:
                counts["both"] += 1
                counts["agree"] += agree(ours[0], theirs)
            if not ours:
                unnormalized[" ".join(ent.text.lower().split())] += 1
        normalized += [(article["id"], m, doc.char_span(m.span.start, m.span.end, alignment_mode="expand").sent.text)
                       for m in mentions]  # fmt: skip
        if article is articles[0]:
            gold = {(tuple(d["span"]), json.dumps(d["value"])) for d in article.get("dates", [])}
            seed_found = len(gold & {((m.span.start, m.span.end), json.dumps(m.value)) for m in mentions})
            counts["seed gold"] = len(gold)
    n = counts["entities"]
    print(f"{len(articles)} articles (seed + PolNeAR dev), {n} DATE entities")
    for label in ("extract_dates", "dateparser"):
        print(f"  {label:14} normalizes {counts[label]:4d} ({counts[label] / n:.1%})")
    print(f"  both give a value for {counts['both']}; the same day, month or year for {counts['agree']}")
    print(
        f"  coverage ratio extract_dates / dateparser: {counts['extract_dates'] / counts['dateparser']:.3f}"
    )
    print(
        f"  ms per article: extract_dates {statistics.fmean(ours_ms):.2f}, dateparser {statistics.fmean(theirs_ms):.2f}"
    )
    print(f"  seed gold dates found with their gold value: {seed_found} of {counts['seed gold']}")
    print("  left unnormalized most often:", ", ".join(f"{w!r} {c}" for w, c in unnormalized.most_common(25)))
    for article_id, m, sentence in random.Random(args.seed).sample(
        normalized, min(args.sample, len(normalized))
    ):
        print(
            f"\n[{article_id}] {m.text!r} -> {m.value} ({m.granularity}, {m.anchor}{', ' + m.flag if m.flag else ''})"
        )
        print("   ", " ".join(sentence.split())[:300])


if __name__ == "__main__":
    main()
