"""A batch run: inputs and deduplication streamed in the driver, shards processed on Dask workers.

Layout of the output folder::

    manifest.json          the run's parameters, then (once every input is read) its counts
    inputs/NNNNN.parquet   the articles of shard NNNNN, text and metadata (staged by the driver)
    shards/NNNNN/          the processed shard (see shards.py), renamed into place when complete
    copies.parquet         duplicates not processed, each linked to the article that was
    failures.jsonl         inputs that could not be read, with the reason

Shards are consecutive runs of ``shard_size`` new articles in input order, so the same inputs give
the same shards. A shard whose folder exists is finished and never redone: after a crash or Ctrl-C
the same command loses only the shards in flight. The driver holds one shard of texts at a time
plus the deduplication index; a worker holds one shard.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, Future, WorkerPlugin, wait

from quotegraph import settings
from quotegraph.batch import DEFAULT_SHARD_SIZE
from quotegraph.batch.dedup import DEFAULT_THRESHOLD, Deduplicator
from quotegraph.batch.inputs import extracted_on_workers
from quotegraph.batch.shards import articles_table, read_articles, write_shard, write_table
from quotegraph.errors import QuotegraphError
from quotegraph.ingest import read_sources
from quotegraph.model import Article, IngestFailure
from quotegraph.nlp import load_pipeline
from quotegraph.pipeline import extract_many
from quotegraph.store.base import ArticleCopy

MANIFEST, COPIES, FAILURES = "manifest.json", "copies.parquet", "failures.jsonl"
_COPY_TYPES = {"exact": pa.bool_(), "similarity": pa.float64()}
COPIES_SCHEMA = pa.schema(
    [(name, _COPY_TYPES.get(name, pa.string())) for name in ArticleCopy.__dataclass_fields__]
)
_COPIES_PER_GROUP = 10_000


@dataclass(slots=True)
class BatchSummary:
    read: int = 0  # articles read from the inputs
    exact_copies: int = 0
    near_copies: int = 0
    input_failures: int = 0
    shards: int = 0
    shards_skipped: int = 0  # finished by an earlier run
    processed: int = 0  # articles processed by this run
    article_failures: int = 0  # of those, articles whose analysis failed (in their shard's failures)
    words: int = 0  # words of the articles processed by this run
    worker_seconds: float = 0.0  # time the workers spent on this run's shards, summed
    failed_shards: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What a worker hands back: plain values only, never an exception (Dask could hang for good on
    one it cannot serialize, as on a RecursionError's traceback)."""

    articles: int
    words: int
    failures: int  # articles whose analysis failed, recorded in the shard's failures table
    seconds: float  # on the worker, reading to writing: what the run spends beyond it is orchestration
    error: str | None = None  # why the shard could not be finished (it is retried by the next run)


class LoadPipeline(WorkerPlugin):
    """Loads the spaCy pipeline and the gazetteer once per worker, before its first shard."""

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        list(extract_many([Article(text="Warm-up in Paris, she said.")], nlp=load_pipeline(self.model)))


def process_shard(source: str, folder: str, model: str, batch_size: int, debug: bool = False) -> ShardResult:
    """On a worker: the pipeline over one staged shard, written to ``folder``; a finished folder is kept.

    An article whose analysis fails is recorded in the shard's failures (with ``debug``, with its
    traceback) and the shard goes on; what stops the shard itself comes back as ``error``."""
    started, target = time.perf_counter(), Path(folder)
    if target.is_dir():
        return ShardResult(0, 0, 0, 0.0)
    try:
        _release_free_memory()
        articles = read_articles(Path(source))
        failures: list[IngestFailure] = []
        done = list(
            extract_many(
                articles,
                nlp=load_pipeline(model),
                batch_size=batch_size,
                on_failure=failures.append,
                debug=debug,
            )
        )
        write_shard(done, failures, target)
    except Exception as exc:  # handed back as text: see ShardResult
        return ShardResult(0, 0, 0, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")
    words = sum(len(a.text.split()) for a in done)
    return ShardResult(len(done), words, len(failures), time.perf_counter() - started)


def _release_free_memory() -> None:
    """Hand the memory the last shard freed back to the system, which Arrow's allocator and glibc
    keep otherwise, so a worker's peak does not creep up shard after shard: local workers run without
    Dask's low trim threshold, which made every parse batch slower (``LOCAL_WORKER_CONFIG``)."""
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


@dataclass(frozen=True, slots=True)
class Progress:
    read: int  # articles read so far (all of them once reading is over)
    total: int | None  # articles to process, once every input is read
    processed: int  # articles in finished shards, by this run and earlier ones
    this_run: int  # articles processed by this run (for its rate)


def run_batch(
    paths: Iterable[str | Path],
    out: str | Path,
    client: Client,
    *,
    shard_size: int = DEFAULT_SHARD_SIZE,
    near_duplicates: bool = True,
    on_progress: Callable[[Progress], None] | None = None,
    debug: bool = False,
) -> BatchSummary:
    """Read, deduplicate and shard the inputs, and process every unfinished shard on ``client``'s
    workers; with ``debug``, an article whose analysis fails is recorded with its traceback."""
    out = Path(out)
    params: dict[str, Any] = {
        "inputs": [str(p) for p in paths],  # as given: file paths become article ids, as in ingest
        "shard_size": shard_size,
        "near_duplicate_threshold": DEFAULT_THRESHOLD if near_duplicates else None,
        "model": settings.get("model"),
    }
    manifest = _start(out, params)
    client.register_plugin(LoadPipeline(params["model"]), name="quotegraph-pipeline")
    run = _Run(out, client, params["model"], on_progress, debug)
    if "counts" in manifest:  # every input was read by an earlier run: only unfinished shards remain
        for key in ("read", "exact_copies", "near_copies", "input_failures"):
            setattr(run.summary, key, manifest["counts"][key])
        run.total = sum(manifest["counts"]["shard_sizes"])
        for number, size in enumerate(manifest["counts"]["shard_sizes"]):
            run.submit(number, size)
    else:
        sizes = []
        for number, size in _stage(
            extracted_on_workers(read_sources(params["inputs"]), client),
            out,
            shard_size,
            near_duplicates,
            run.summary,
        ):
            sizes.append(size)
            run.submit(number, size)
            run.collect()
        counts = {
            k: getattr(run.summary, k) for k in ("read", "exact_copies", "near_copies", "input_failures")
        }
        _write_json(out / MANIFEST, {**params, "counts": {**counts, "shard_sizes": sizes}})
        run.total = sum(sizes)
    run.report()
    while run.pending:
        wait(list(run.pending), return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
        run.collect()
    return run.summary


@dataclass(slots=True)
class _Run:
    """The shards submitted and what came back."""

    out: Path
    client: Client
    model: str
    on_progress: Callable[[Progress], None] | None
    debug: bool
    summary: BatchSummary = field(default_factory=BatchSummary)
    pending: dict[Future[ShardResult], str] = field(default_factory=dict)
    total: int | None = None
    processed: int = 0  # including shards finished by earlier runs

    def submit(self, number: int, size: int) -> None:
        name = f"{number:05d}"
        self.summary.shards += 1
        folder = self.out / "shards" / name
        if folder.is_dir():
            self.summary.shards_skipped += 1
            self.processed += size
            return
        source = self.out / "inputs" / f"{name}.parquet"
        batch_size = settings.get_int("batch_size")
        # A key of its own per run: a shared cluster must not hand back an earlier run's result.
        key = f"quotegraph-shard-{name}-{uuid.uuid4().hex}"
        future = self.client.submit(
            process_shard, str(source), str(folder), self.model, batch_size, self.debug, key=key
        )
        self.pending[future] = name

    def collect(self) -> None:
        """Count the shards finished since the last call (without waiting for any)."""
        for future in [f for f in self.pending if f.done()]:  # type: ignore[no-untyped-call]
            name = self.pending.pop(future)
            try:
                result: ShardResult = future.result()
            except Exception as exc:  # a worker died: the shard is retried next run
                result = ShardResult(0, 0, 0, 0.0, f"{type(exc).__name__}: {exc}")
            if result.error is not None:
                self.summary.failed_shards.append(f"shard {name}: {result.error}")
                continue
            self.summary.processed += result.articles
            self.summary.article_failures += result.failures
            self.summary.words += result.words
            self.summary.worker_seconds += result.seconds
            self.processed += result.articles + result.failures
            self.report()

    def report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(Progress(self.summary.read, self.total, self.processed, self.summary.processed))


def _start(out: Path, params: dict[str, Any]) -> dict[str, Any]:
    """The folder's manifest, new or from an earlier run with the same parameters; partial files removed."""
    manifest_path = out / MANIFEST
    if manifest_path.is_file():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        changed = [k for k, v in params.items() if manifest.get(k) != v]
        if changed:
            raise QuotegraphError(
                f"{out} holds a batch run with other {', '.join(changed)}: use a new --out folder "
                f"(or the same inputs and options to resume it)"
            )
    else:
        manifest = dict(params)
        out.mkdir(parents=True, exist_ok=True)
        _write_json(manifest_path, manifest)
    for folder in ("inputs", "shards"):
        (out / folder).mkdir(exist_ok=True)
        for partial in (out / folder).glob(".*.tmp"):  # left by a run that was killed while writing
            shutil.rmtree(partial) if partial.is_dir() else partial.unlink()
    return manifest


def _stage(
    items: Iterator[Article | IngestFailure], out: Path, shard_size: int, near: bool, summary: BatchSummary
) -> Iterator[tuple[int, int]]:
    """Deduplicate the stream and write each full shard of new articles; yields (shard number, size)."""
    dedup = Deduplicator(DEFAULT_THRESHOLD if near else None)
    batch: list[Article] = []
    number = 0
    copies_path, failures_path = out / f".{COPIES}.tmp", out / f".{FAILURES}.tmp"
    with (
        pq.ParquetWriter(copies_path, COPIES_SCHEMA) as copies,
        failures_path.open("w", encoding="utf-8") as failed,
    ):
        found: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, IngestFailure):
                summary.input_failures += 1
                failed.write(json.dumps(asdict(item), ensure_ascii=False) + "\n")
                continue
            summary.read += 1
            copy = dedup.copy_of(item)
            if copy is not None:
                summary.exact_copies += copy.similarity == 1.0
                summary.near_copies += copy.similarity < 1.0
                found.append(asdict(copy))
                if len(found) >= _COPIES_PER_GROUP:
                    copies.write_table(pa.Table.from_pylist(found, schema=COPIES_SCHEMA))
                    found.clear()
                continue
            batch.append(item)
            if len(batch) == shard_size:
                write_table(articles_table(batch), out / "inputs" / f"{number:05d}.parquet")
                yield number, len(batch)
                batch, number = [], number + 1
        if batch:
            write_table(articles_table(batch), out / "inputs" / f"{number:05d}.parquet")
            yield number, len(batch)
        copies.write_table(pa.Table.from_pylist(found, schema=COPIES_SCHEMA))
    os.replace(copies_path, out / COPIES)
    os.replace(failures_path, out / FAILURES)


def _write_json(path: Path, value: dict[str, Any]) -> None:
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
