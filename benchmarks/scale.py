"""Batch processing at scale: `quotegraph batch` on Dask against spaCy alone, measured in one run.

Parts (``--parts``, all by default):

  ratio    end-to-end batch on 1 worker (read JSONL, deduplicate, stage, parse + extract, write Parquet)
           against ``nlp.pipe`` alone on the same texts in this process; words/s ratio (target >= 0.8)
  scaling  the same batch on 2 workers (or each of ``--workers``) against 1: efficiency = (t1 / tN) / N
           (target on this 2-core machine, N = 2: >= 85%)
  driver   the driver alone (read, deduplicate, stage) on the same corpus: articles/s one driver can feed
  memory   peak RSS of each worker (fresh workers) at each ``--sizes`` corpus size (target: equal within 10%)
  warc     a WARC.gz of ``--warc-pages`` real pages under new URLs (benchmarks/build_warc.py), end to end

The corpus is real news text: the 840 PolNeAR train articles (../shared/data/raw/polnear/train/text),
cycled beyond that with throughput.py's ``build_corpus`` (each copy ends "Copy N."), so the memory part
runs with ``near_duplicates=False`` (the cycled copies are near-duplicates by design). Warm clusters:
workers load the pipeline before any timing. The load average is printed beside every figure,
because the 2-core machine is shared.

    .venv/bin/python benchmarks/scale.py [--articles 400] [--repeat 2] [--workers 1,2] [--sizes 1000,20000]
        [--warc-pages 10000]
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import dask
from distributed import Client, LocalCluster

from build_warc import build_warc
from quotegraph import settings
from quotegraph.batch import DEFAULT_SHARD_SIZE, LOCAL_WORKER_CONFIG
from quotegraph.batch.runner import BatchSummary, LoadPipeline, _stage, run_batch
from quotegraph.ingest import read_inputs
from throughput import SHARED, Corpus, Timing, build_corpus, code_version, load_warm, machine, time_parse

POLNEAR_TRAIN = SHARED / "data" / "raw" / "polnear" / "train" / "text"


def polnear_corpus(n: int) -> Corpus:
    paths = sorted(POLNEAR_TRAIN.glob("*.txt"))
    if not paths:
        sys.exit(f"benchmarks/scale.py: shared data not found: {POLNEAR_TRAIN}")
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "published": None} for p in paths]
    return build_corpus({"PolNeAR train": records}, n)


def cycled(corpus: Corpus) -> bool:
    """Beyond the distinct texts the corpus repeats them ("Copy N."), and near-duplicate detection
    would rightly drop the copies: such a corpus is deduplicated by exact duplicates only."""
    return len(corpus.texts) > len(list(POLNEAR_TRAIN.glob("*.txt")))


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min {five:.2f})"


def cluster(workers: int) -> tuple[LocalCluster, Client]:
    local = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    client = Client(local)  # type: ignore[no-untyped-call]
    client.register_plugin(
        LoadPipeline(settings.get("model")), name="quotegraph-pipeline"
    )  # warm before timing
    return local, client


def worker_peak_mib() -> float:
    """Run on each worker: its process's peak RSS (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_batch(
    client: Client, source: Path, out: Path, shard_size: int, *, near: bool = True
) -> tuple[float, BatchSummary]:
    start = time.perf_counter()
    summary = run_batch([source], out, client, shard_size=shard_size, near_duplicates=near)
    seconds = time.perf_counter() - start
    if summary.failed_shards:
        sys.exit(f"benchmarks/scale.py: shards failed: {summary.failed_shards}")
    return seconds, summary


def part_ratio_and_scaling(corpus: Corpus, tmp: Path, repeat: int, workers: Sequence[int]) -> None:
    """Parse alone, then the batch on each cluster size in ``workers`` (1 first), round after round."""
    batch_size = settings.get_int("batch_size")
    source = corpus.write_jsonl(tmp / "corpus.jsonl")
    # 8 shards per worker of the largest cluster: the last shard leaves a worker idle for half a shard
    # on average, which a real run of hundreds of shards never sees (with 4 per worker, that tail
    # alone cost 2 workers about 10% here).
    shard_size = max(1, len(corpus.texts) // (8 * max(workers)))
    nlp = load_warm(settings.get("model"), corpus.texts, batch_size).nlp
    parse = Timing("(a) parse alone: nlp.pipe, 1 process", len(corpus.texts), corpus.words)
    runs: dict[int, list[float]] = {n: [] for n in workers}
    words: dict[int, int] = {}
    near = not cycled(corpus)
    clusters = {n: cluster(n) for n in workers}
    print(f"\nshard size {shard_size}, near duplicates {near}; clusters started and warm ({load()})")
    try:
        for r in range(repeat):
            time_parse(nlp, corpus, batch_size, parse)
            print(f"  round {r + 1}: parse alone {parse.seconds[-1]:.1f} s ({load()})", flush=True)
            for n, (_, client) in clusters.items():
                seconds, summary = timed_batch(client, source, tmp / f"run-{n}-{r}", shard_size, near=near)
                runs[n].append(seconds)
                words[n] = summary.words
                print(
                    f"  round {r + 1}: batch on {n} worker(s) {seconds:.1f} s: processed {summary.processed} "
                    f"of {summary.read} read ({summary.exact_copies} exact, {summary.near_copies} near copies); "
                    f"workers busy {summary.worker_seconds:.1f} s ({load()})",
                    flush=True,
                )
    finally:
        for local, client in clusters.values():
            client.close()  # type: ignore[no-untyped-call]
            local.close()
    one = statistics.median(runs[1])
    print(f"\nratio (median of {repeat}):")
    print(f"  {parse.label:<44} {parse.words_per_s:>8,.0f} words/s {parse.articles_per_s:>7.2f} articles/s")
    for n in workers:
        seconds = statistics.median(runs[n])
        label = f"batch end to end, {n} worker{'s' if n > 1 else ''}"
        print(
            f"  {label:<44} {words[n] / seconds:>8,.0f} words/s {len(corpus.texts) / seconds:>7.2f} articles/s"
        )
        if n == 1:
            print(
                f"    words/s ratio to parse alone: {words[1] / one / parse.words_per_s:.3f} (target >= 0.8)"
            )
        else:
            print(
                f"    scaling 1 -> {n} workers: speed-up {one / seconds:.2f}, efficiency {one / seconds / n:.0%}"
            )


def part_driver(corpus: Corpus, tmp: Path) -> None:
    """The driver's share alone (read the JSONL, deduplicate, stage the shards): the rate at which one
    driver can feed a cluster, whatever its size."""
    source = corpus.write_jsonl(tmp / "driver.jsonl")
    near = not cycled(corpus)
    out = tmp / "driver"
    (out / "inputs").mkdir(parents=True)
    summary = BatchSummary()
    start = time.perf_counter()
    shards = len(list(_stage(read_inputs([source]), out, DEFAULT_SHARD_SIZE, near, summary)))
    seconds = time.perf_counter() - start
    print(
        f"\ndriver alone: read {summary.read} articles, deduplicated ({'near and exact' if near else 'exact only'}), "
        f"staged {shards} shards in {seconds:.1f} s: {summary.read / seconds:,.0f} articles/s, "
        f"{corpus.words / seconds:,.0f} words/s ({load()})"
    )


def part_memory(sizes: Sequence[int], tmp: Path) -> None:
    print("\nmemory: peak RSS per worker, 2 fresh workers per size, exact duplicates only")
    for size in sizes:
        corpus = polnear_corpus(size)
        source = corpus.write_jsonl(tmp / f"memory-{size}.jsonl")
        local, client = cluster(2)
        try:
            warm = client.run(worker_peak_mib)
            seconds, summary = timed_batch(client, source, tmp / f"memory-{size}", 500, near=False)
            peaks = client.run(worker_peak_mib)
        finally:
            client.close()  # type: ignore[no-untyped-call]
            local.close()
        print(
            f"  {size:>6} articles ({corpus.words:,} words): processed {summary.processed} in {seconds:.0f} s "
            f"({summary.processed / seconds:.1f} articles/s); worker peak RSS "
            f"{', '.join(f'{v:,.0f}' for v in peaks.values())} MiB (after warm-up "
            f"{', '.join(f'{v:,.0f}' for v in warm.values())} MiB) ({load()})"
        )


def part_warc(pages: int, tmp: Path) -> None:
    start = time.perf_counter()
    path = build_warc(tmp / "mirror.warc.gz", pages)
    print(
        f"\nwarc: {pages} pages, {path.stat().st_size / 1024 / 1024:.1f} MiB, built in {time.perf_counter() - start:.0f} s"
    )
    local, client = cluster(2)
    try:
        seconds, s = timed_batch(client, path, tmp / "warc", 500)
    finally:
        client.close()  # type: ignore[no-untyped-call]
        local.close()
    print(
        f"  end to end on 2 workers: {seconds:.0f} s, {pages / seconds:.1f} pages/s; read {s.read} articles, "
        f"{s.input_failures} failed; processed {s.processed}; linked {s.exact_copies} exact and "
        f"{s.near_copies} near copies ({load()})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=400, help="corpus for ratio and scaling (default 400)"
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="rounds of ratio and scaling; the median is shown"
    )
    parser.add_argument("--sizes", default="1000,20000", help="corpus sizes for the memory part")
    parser.add_argument("--warc-pages", type=int, default=10_000)
    parser.add_argument("--parts", default="ratio,scaling,driver,memory,warc")
    parser.add_argument(
        "--workers", default="1,2", help="cluster sizes for the scaling part (default 1,2; 1 is always run)"
    )
    args = parser.parse_args(argv)
    # The baseline runs under the environment Dask gives its workers (single-threaded BLAS, and the
    # malloc settings `quotegraph batch` gives local workers): one core against one core.
    dask.config.set(LOCAL_WORKER_CONFIG)
    worker_env = {
        k: str(v) for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items() if v is not None
    }
    if any(os.environ.get(k) != v for k, v in worker_env.items()):
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**os.environ, **worker_env})
    logging.getLogger("distributed").setLevel(logging.ERROR)  # the in-process scheduler logs every worker
    parts = set(args.parts.split(","))
    print("quotegraph scale benchmark")
    print(f"command: {shlex.join(sys.orig_argv)}")
    print(f"machine: {machine()}")
    print(f"code: {code_version()}")
    print(f"model {settings.get('model')}, batch size {settings.get_int('batch_size')}; {load()}")
    print(f"environment of this process and of the workers: {worker_env}")
    with tempfile.TemporaryDirectory(prefix="quotegraph-scale-") as folder:
        tmp = Path(folder)
        if parts & {"ratio", "scaling", "driver"}:
            corpus = polnear_corpus(args.articles)
            print(f"corpus: {len(corpus.texts)} PolNeAR train articles, {corpus.words:,} words")
            sizes = sorted({1, *(int(n) for n in args.workers.split(","))}) if "scaling" in parts else [1]
            if parts & {"ratio", "scaling"}:
                part_ratio_and_scaling(corpus, tmp, args.repeat, sizes)
            if "driver" in parts:
                part_driver(corpus, tmp)
        if "memory" in parts:
            part_memory([int(n) for n in args.sizes.split(",")], tmp)
        if "warc" in parts:
            part_warc(args.warc_pages, tmp)
    print(f"\n{load()}")


if __name__ == "__main__":
    main()
