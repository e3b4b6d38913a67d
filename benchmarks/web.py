"""Web pages under load: 8 concurrent clients on 127.0.0.1 against `quotegraph serve`, on a database of
at least 200,000 quotes, SQLite and PostgreSQL; p50/p95/p99 per page (home, search, speaker, article).

Build (once per --workdir; reused when it is there): the English dev texts (``../shared/data/dev``) are
extracted once with the real pipeline (cached in the workdir, never in the repository), then stored as
copies until the database holds ``--quotes`` quotes, as benchmarks/search.py does: copy k of each text
has "Copy k." appended (a new content hash, every offset valid), its own publication date (2016-01-01
plus k days) and one of 24 invented outlets, so facets, dates and pages spread as in a real archive.

Load: the server runs in a process of its own (`quotegraph serve`, one uvicorn worker, as a user
starts it); 8 client threads share a queue of ``--requests`` requests per page kind, drawn with a seed:
the home page; a search for one or two words of a stored quote (a third of them with a phrase, an OR
or a prefix) sorted by date or relevance; a speaker page by a name of one of the 300 most quoted
speakers (a surname half the time), on a page of quotes 1-3; an article by its content hash. A first
pass of the same kinds of requests (and the facet counts a search page's script then asks
for, /api/quotes/facets, timed as a fifth kind) (other draws) warms the server; its figures are printed too (cold:
every aggregate computed for the first time). Each request must answer 200. The machine's load
average is printed before and after each run: this is a shared 2-core machine.

    ./scripts/with_postgres.sh .venv/bin/python benchmarks/web.py --workdir /tmp/qg-web
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import pickle
import platform
import queue
import random
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quotegraph.model import Article
from quotegraph.store import open_store
from quotegraph.store.sql import SqlStore
from search import FIRST_DAY, dev_articles

BENCH_DB = "quotegraph_web_bench"
CLIENTS = 8
TARGET_MS = 300.0
KINDS = ("home", "search", "speaker", "article", "facets")  # facets: what a search page's script fetches
OUTLETS = [f"{name}.example" for name in (
    "dailyledger", "northstar", "thecapital", "metroherald", "coastalpost", "valleytimes", "citywire",
    "nationalreview", "morningbrief", "eveningstandard", "globalnews", "theobserver", "frontpage",
    "riverside", "plainsdealer", "harbourgazette", "summitnews", "lakeside", "thetribune", "courier",
    "dispatch", "sentinel", "chronicle", "inquirer",
)]  # fmt: skip
WORD = re.compile(r"[^\W\d_]{4,}")


# --- building ---------------------------------------------------------------------------------------


def originals(workdir: Path) -> list[Article]:
    """The dev texts through the pipeline, extracted once and kept in the workdir."""
    cache = workdir / "extracted.pickle"
    if cache.exists():
        found: list[Article] = pickle.loads(cache.read_bytes())
        for article in found:
            for record in [
                article,
                *article.quotes,
                *article.mentions,
                *article.entities,
                *article.dates,
                *article.places,
            ]:
                _fill_new_fields(record)
        return found
    from quotegraph.nlp import load_pipeline
    from quotegraph.pipeline import extract_many

    start = time.perf_counter()
    extracted = list(extract_many(dev_articles(), nlp=load_pipeline()))
    cache.write_bytes(pickle.dumps(extracted))
    print(f"extracted {len(extracted)} dev texts in {time.perf_counter() - start:.0f} s")
    return extracted


def _fill_new_fields(record: object) -> None:
    """A record pickled before the data model gained a field gets that field's default."""
    for field in dataclasses.fields(record):  # type: ignore[arg-type]
        if not hasattr(record, field.name):
            if field.default is not dataclasses.MISSING:
                setattr(record, field.name, field.default)
            elif field.default_factory is not dataclasses.MISSING:
                setattr(record, field.name, field.default_factory())


def copies(texts: list[Article], quotes_wanted: int) -> list[Article]:
    made, total, k = [], 0, 0
    while total < quotes_wanted:
        k += 1
        for n, article in enumerate(texts):
            outlet = OUTLETS[(n + k) % len(OUTLETS)]
            made.append(
                replace(
                    article,
                    text=f"{article.text}\n\nCopy {k}.",
                    id=f"{article.id}#copy{k}",
                    published=(FIRST_DAY + timedelta(days=k)).isoformat(),
                    url=f"https://www.{outlet}/{k}/{n}",
                    site_name=None,
                )
            )
            total += len(article.quotes)
    return made


def build(db: str, texts: list[Article], quotes_wanted: int) -> None:
    with open_store(db) as store:
        assert isinstance(store, SqlStore)
        have = int(store.execute("SELECT count(*) FROM quotes")[0][0])
        if have >= quotes_wanted:
            print(f"{db}: {have:,} quotes already")
            return
        start = time.perf_counter()
        stored = sum(store.add_article(a) for a in copies(texts, quotes_wanted))
        if store.db.dialect == "postgresql":
            store.execute("VACUUM ANALYZE")  # as autovacuum leaves a table after a bulk load
        have = int(store.execute("SELECT count(*) FROM quotes")[0][0])
        print(f"{db}: stored {stored:,} articles, {have:,} quotes in {time.perf_counter() - start:.0f} s")


# --- requests ---------------------------------------------------------------------------------------


def request_pool(db: str, texts: list[Article]) -> dict[str, list[str]]:
    """What the clients may ask for, read from the database: speakers, article hashes, quote words."""
    with open_store(db, create=False) as store:
        assert isinstance(store, SqlStore)
        speakers = [row.name for row in store.speakers()[:300] if row.kind in ("person", "org")]
        hashes = [row[0] for row in store.execute("SELECT id FROM articles ORDER BY id")]
    words = [
        sorted({w.lower() for w in WORD.findall(q.content.text(a.text))}) for a in texts for q in a.quotes
    ]
    return {"speakers": speakers, "hashes": hashes, "words": [w for w in words if len(w) >= 2]}


def draw(kind: str, pool: dict[str, list[str]], rng: random.Random) -> str:
    if kind == "home":
        return "/"
    if kind == "article":
        return "/articles/" + rng.choice(pool["hashes"])
    if kind == "speaker":
        name = rng.choice(pool["speakers"])
        if rng.random() < 0.5 and " " in name:
            name = name.split()[-1]
        offset = rng.choice([0, 0, 20, 40])
        return f"/speakers/{quote(name, safe='')}" + (f"?offset={offset}" if offset else "")
    if kind == "facets":
        return "/api/quotes/facets?" + draw("search", pool, rng).split("?", 1)[1]
    words = rng.choice(pool["words"])
    a, b = rng.sample(words, 2)
    shape = rng.randrange(6)
    search = [a, f"{a} {b}", f'"{a} {b}"', f"{a} OR {b}", f"{a[:4]}*", f"{a} {b}"][shape]
    sort = "relevance" if rng.random() < 0.3 else "date"
    return "/search?" + urlencode({"search": search, "sort": sort})


def load(base: str, urls: list[tuple[str, str]]) -> dict[str, list[float]]:
    """Each URL once, by CLIENTS threads at a time; milliseconds per page kind."""
    todo: queue.Queue[tuple[str, str]] = queue.Queue()
    for item in urls:
        todo.put(item)
    times: dict[str, list[float]] = defaultdict(list)
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120) as http:
            while True:
                try:
                    kind, url = todo.get_nowait()
                except queue.Empty:
                    return
                start = time.perf_counter()
                response = http.get(url)
                ms = (time.perf_counter() - start) * 1000
                with lock:
                    times[kind].append(ms)
                    if response.status_code != 200:
                        failures.append(f"{response.status_code} {url}")

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        sys.exit(f"{len(failures)} requests failed, e.g. {failures[:3]}")
    return times


def percentiles(ms: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return statistics.median(ms), cuts[94], cuts[98]


def serve(db: str) -> tuple[subprocess.Popen[bytes], str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    quotegraph = Path(sys.executable).parent / "quotegraph"
    server = subprocess.Popen(
        [str(quotegraph), "serve", "--db", db, "--port", str(port)], stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(base + "/static/style.css", timeout=2)
            return server, base
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                sys.exit(f"the server for {db} did not start")
            time.sleep(0.2)


def postgres_database(server: str) -> str:
    """The benchmark's database on the server, created when missing (kept between runs, like the SQLite file)."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)).fetchall():
            admin.execute(f"CREATE DATABASE {BENCH_DB}")
    return urlsplit(server)._replace(path=f"/{BENCH_DB}").geturl()


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run(
    name: str, db: str, pool: dict[str, list[str]], requests: int, seed: int
) -> dict[str, tuple[float, float, float]]:
    server, base = serve(db)
    try:
        rng = random.Random(seed)
        warm = [(kind, draw(kind, pool, rng)) for kind in KINDS for _ in range(requests)]
        timed = [(kind, draw(kind, pool, rng)) for kind in KINDS for _ in range(requests)]
        rng.shuffle(warm)
        rng.shuffle(timed)
        print(f"\n{name}: load average before {loadavg()}")
        start = time.perf_counter()
        cold = load(base, warm)
        print(f"  first pass ({len(warm)} requests, {time.perf_counter() - start:.0f} s; caches filling):")
        for kind in KINDS:
            p50, p95, p99 = percentiles(cold[kind])
            print(f"    {kind:<8} p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms")
        start = time.perf_counter()
        times = load(base, timed)
        seconds = time.perf_counter() - start
        print(f"  timed pass ({len(timed)} requests, {seconds:.0f} s, {len(timed) / seconds:.1f} requests/s), "
              f"load average after {loadavg()}:")  # fmt: skip
        figures = {}
        for kind in KINDS:
            figures[kind] = percentiles(times[kind])
            p50, p95, p99 = figures[kind]
            verdict = "met" if p95 < TARGET_MS else "MISSED"
            print(
                f"    {kind:<8} p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms  (p95 < {TARGET_MS:.0f}: {verdict})"
            )
        return figures
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--workdir", type=Path, required=True, help="where the databases and the extracted texts are kept"
    )
    parser.add_argument(
        "--quotes", type=int, default=200_000, help="quotes in each database (default 200000)"
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="timed requests per page kind (default 200)"
    )
    parser.add_argument("--postgres", default=os.environ.get("QUOTEGRAPH_TEST_POSTGRES"), help="server URL")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one backend only")
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    print("$ " + shlex.join(["python", *sys.argv]))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{CLIENTS} clients on 127.0.0.1")  # fmt: skip
    args.workdir.mkdir(parents=True, exist_ok=True)
    texts = originals(args.workdir)
    backends: dict[str, str] = {}
    if args.only != "postgresql":
        backends["SQLite"] = str(args.workdir / "web.db")
    if args.only != "sqlite":
        if args.postgres:
            backends["PostgreSQL"] = postgres_database(args.postgres)
        else:
            print("PostgreSQL: no server (give --postgres URL or run through ./scripts/with_postgres.sh)")
    for db in backends.values():
        build(db, texts, args.quotes)
    pool = request_pool(next(iter(backends.values())), texts)
    for name, db in backends.items():
        run(name, db, pool, args.requests, args.seed)


if __name__ == "__main__":
    main()
