"""Search latency on a database of at least 200,000 quotes, SQLite and PostgreSQL side by side.

Build: the English dev texts (``../shared/data/dev/*.jsonl`` and the seed interview) are extracted
once with the real pipeline; copies are then stored under new ids, each with its copy number
appended to the text (a new content hash; every offset stays valid) and its own publication date
(copy k: 2016-01-01 plus k days), until the database holds ``--quotes`` quotes. Both databases are
filled through ``Store.add_article``, the path ingest takes.

Measure: for each query shape, ``--queries`` queries drawn from the stored quotes (two words of
one quote, its speaker's surname, a 30-day window), each timed as the wall time of
``Store.quotes(QuoteFilter(..., limit=50))`` -- what a search page or ``quotegraph quotes`` asks -- after a
warm-up round of other queries of the same shapes. Prints median and p95 per backend and the
ratio PostgreSQL/SQLite; the target is p95 under 100 ms for two words with a speaker filter.

PostgreSQL: ``--postgres URL`` or ``$QUOTEGRAPH_TEST_POSTGRES`` names a server on which the database
``quotegraph_search_bench`` is created afresh; ``./scripts/with_postgres.sh`` starts a throwaway one:

    ./scripts/with_postgres.sh .venv/bin/python benchmarks/search.py
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from quotegraph.evaluate import load_records
from quotegraph.model import Article
from quotegraph.nlp import load_pipeline
from quotegraph.pipeline import extract_many
from quotegraph.store import QuoteFilter, open_store
from quotegraph.store.sql import SqlStore

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "dev"
BENCH_DB = "quotegraph_search_bench"
FIRST_DAY = date(2016, 1, 1)
LIMIT = 50
TARGET_MS = 100.0
WORD = re.compile(r"[^\W\d_]{4,}")


# --- building ---------------------------------------------------------------------------------------


def dev_articles() -> list[Article]:
    """The English dev texts with their ids and dates, or exit saying where they were looked for."""
    paths = sorted(DEV.glob("*.jsonl")) + sorted(DEV.glob("*.json"))
    if not paths:
        sys.exit(
            f"benchmarks/search.py: no dev texts in {DEV} (a checkout of the shared folder beside this one)"
        )
    records = [r for p in paths for r in load_records(p) if r.get("language", "en") == "en" and r.get("text")]
    return [Article(text=r["text"], id=f"{r['id']}", published=r.get("published")) for r in records]


def copies(originals: list[Article], quotes_wanted: int) -> Iterator[Article]:
    """Copy k of every original, k = 1, 2, ..., until ``quotes_wanted`` quotes have been yielded."""
    total, k = 0, 0
    while total < quotes_wanted:
        k += 1
        published = (FIRST_DAY + timedelta(days=k)).isoformat()
        for article in originals:
            yield replace(
                article, text=f"{article.text}\n\nCopy {k}.", id=f"{article.id}#copy{k}", published=published
            )
            total += len(article.quotes)


def quote_count(store: SqlStore) -> int:
    return int(store.execute("SELECT count(*) FROM quotes")[0][0])


def fill(store: SqlStore, originals: list[Article], quotes_wanted: int) -> str:
    """Store copies until the database holds ``quotes_wanted`` quotes; how long it took."""
    start = time.perf_counter()
    stored = sum(store.add_article(article) for article in copies(originals, quotes_wanted))
    seconds = time.perf_counter() - start
    return f"{stored:,} articles, {quote_count(store):,} quotes in {seconds:.0f} s ({stored / seconds:.0f} articles/s)"


def fresh_postgres(server: str) -> str:
    """A new, empty benchmark database on the server (the previous one is dropped)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlsplit(server)._replace(path=f"/{BENCH_DB}").geturl()


# --- querying ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shape:
    name: str
    make: Callable[[random.Random, Article, int], dict[str, Any]]  # (rng, article, quote index) -> filters


def two_words(rng: random.Random, article: Article, n: int) -> str:
    words = sorted({w.lower() for w in WORD.findall(article.quotes[n].content.text(article.text))})
    return " ".join(rng.sample(words, 2))


def surname(article: Article, n: int) -> str:
    return (article.quotes[n].speaker or "").split()[-1]


def window(rng: random.Random, copies_made: int) -> dict[str, Any]:
    first = FIRST_DAY + timedelta(days=rng.randint(1, max(1, copies_made - 30)))
    return {"since": first.isoformat(), "until": (first + timedelta(days=30)).isoformat()}


def shapes(copies_made: int) -> list[Shape]:
    return [
        Shape(
            "two words + speaker",
            lambda rng, a, n: {"search": two_words(rng, a, n), "speaker": surname(a, n)},
        ),
        Shape("two words", lambda rng, a, n: {"search": two_words(rng, a, n)}),
        Shape("speaker", lambda rng, a, n: {"speaker": surname(a, n)}),
        Shape(
            "two words + 30 days",
            lambda rng, a, n: {"search": two_words(rng, a, n), **window(rng, copies_made)},
        ),
    ]


def sample_queries(
    originals: list[Article], shape: Shape, count: int, rng: random.Random
) -> list[dict[str, Any]]:
    """Queries built from quotes with a named speaker and at least two words of four letters."""
    usable = [
        (a, n)
        for a in originals
        for n, q in enumerate(a.quotes)
        if q.speaker and len({w.lower() for w in WORD.findall(q.content.text(a.text))}) >= 2
    ]
    return [shape.make(rng, *rng.choice(usable)) for _ in range(count)]


@dataclass(slots=True)
class Latency:
    ms: list[float] = field(default_factory=list)
    rows: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.ms, n=20)[-1]


def time_queries(store: SqlStore, queries: list[dict[str, Any]]) -> Latency:
    latency = Latency()
    for filters in queries:
        start = time.perf_counter()
        latency.rows += len(store.quotes(QuoteFilter(**filters, limit=LIMIT)))
        latency.ms.append((time.perf_counter() - start) * 1000)
    return latency


# --- main -------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quotes", type=int, default=200_000, help="quotes in each database (default 200000)"
    )
    parser.add_argument("--queries", type=int, default=200, help="timed queries per shape (default 200)")
    parser.add_argument("--postgres", default=os.environ.get("QUOTEGRAPH_TEST_POSTGRES"), help="server URL")
    parser.add_argument(
        "--workdir", type=Path, help="keep the SQLite database here (default: a temporary folder)"
    )
    parser.add_argument("--seed", type=int, default=4, help="random seed for the queries")
    args = parser.parse_args()
    print("$ " + shlex.join(["python", *sys.argv]))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    if not args.postgres:
        print(
            "PostgreSQL: no server (give --postgres URL or run through ./scripts/with_postgres.sh): SQLite only"
        )

    start = time.perf_counter()
    originals = list(extract_many(dev_articles(), nlp=load_pipeline()))
    per_pass = sum(len(a.quotes) for a in originals)
    copies_made = -(-args.quotes // per_pass)
    print(
        f"dev texts: {len(originals)} articles, {per_pass:,} quotes, extracted once in "
        f"{time.perf_counter() - start:.0f} s; {copies_made} copies each for >= {args.quotes:,} quotes"
    )

    with tempfile.TemporaryDirectory(prefix="quotegraph-search-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        sqlite_path = workdir / "search.db"
        sqlite_path.unlink(missing_ok=True)
        backends = {"SQLite": str(sqlite_path)}
        if args.postgres:
            backends["PostgreSQL"] = fresh_postgres(args.postgres)
        stores: dict[str, SqlStore] = {}
        for name, db in backends.items():
            store = open_store(db)
            assert isinstance(store, SqlStore)
            stores[name] = store
            print(f"{name} load: {fill(store, originals, args.quotes)}")
        versions = [f"SQLite {sqlite3.sqlite_version}"]
        if "PostgreSQL" in stores:
            stores["PostgreSQL"].execute("ANALYZE")  # what autovacuum does soon after a bulk load
            versions.append(str(stores["PostgreSQL"].execute("SHOW server_version")[0][0]).split()[0])
        print(f"versions: {', '.join(versions)}; each query: Store.quotes(QuoteFilter(..., limit={LIMIT}))")

        rng = random.Random(args.seed)
        print(f"\n{'shape':<22} {'backend':<11} {'median ms':>10} {'p95 ms':>8} {'rows/query':>11}")
        results: dict[tuple[str, str], Latency] = {}
        for shape in shapes(copies_made):
            warmup = sample_queries(originals, shape, args.queries // 4, rng)
            timed = sample_queries(originals, shape, args.queries, rng)
            for name, store in stores.items():
                time_queries(store, warmup)
                result = results[shape.name, name] = time_queries(store, timed)
                print(
                    f"{shape.name:<22} {name:<11} {result.median:>10.1f} {result.p95:>8.1f} "
                    f"{result.rows / len(timed):>11.1f}"
                )
        for store in stores.values():
            store.close()

    if "PostgreSQL" in stores:
        print("\nratio PostgreSQL/SQLite (median, p95):")
        for shape in shapes(copies_made):
            pg, lite = results[shape.name, "PostgreSQL"], results[shape.name, "SQLite"]
            print(f"  {shape.name:<22} {pg.median / lite.median:.2f}  {pg.p95 / lite.p95:.2f}")
    target = shapes(copies_made)[0].name
    for name in stores:
        p95 = results[target, name].p95
        verdict = "met" if p95 < TARGET_MS else "MISSED"
        print(f"target p95 < {TARGET_MS:.0f} ms for {target!r} on {name}: {p95:.1f} ms, {verdict}")


if __name__ == "__main__":
    main()
