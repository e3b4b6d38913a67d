"""`quotegraph batch` and `quotegraph load`: a corpus through Dask into Parquet shards, then into a database."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from quotegraph.batch import DEFAULT_SHARD_SIZE, LOCAL_WORKER_CONFIG
from quotegraph.serve.common import console, db_option, errors, user_errors
from quotegraph.store import open_store

if TYPE_CHECKING:  # Dask, datasketch and SciPy load when a batch runs, not for every command
    from distributed import Client

    from quotegraph.batch.runner import BatchSummary
    from quotegraph.batch.runner import Progress as BatchProgress


@contextmanager
def dask_client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a local cluster of single-threaded worker processes."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    n_workers = workers or len(os.sched_getaffinity(0))
    with (
        dask.config.set(LOCAL_WORKER_CONFIG),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=n_workers,
            threads_per_worker=1,  # spaCy is single-threaded: one process per core scales, threads do not
            processes=True,
            dashboard_address=":0",  # a free port: other runs on the machine may hold 8787
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out", required=True, type=click.Path(file_okay=False), help="Folder for the shards (resumable)."
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Local worker processes (default: one per usable core)."
)
@click.option(
    "--scheduler", help="Address of a running Dask scheduler (tcp://host:8786) instead of a local cluster."
)
@click.option(
    "--shard-size",
    type=click.IntRange(min=1),
    default=DEFAULT_SHARD_SIZE,
    show_default=True,
    help="Articles per shard.",
)
@click.option(
    "--near-duplicates/--exact-duplicates-only",
    default=True,
    show_default=True,
    help="Also link near-duplicates (MinHash/LSH, Jaccard >= 0.8) instead of processing each.",
)
@user_errors
def batch(
    inputs: Sequence[str],
    out: str,
    workers: int | None,
    scheduler: str | None,
    shard_size: int,
    near_duplicates: bool,
) -> None:
    """Process folders, .txt/.html, JSONL(.gz) and WARC(.gz) on Dask into Parquet shards in OUT."""
    from quotegraph.batch.runner import run_batch

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (a local cluster) or --scheduler (a running one), not both")
    started = time.perf_counter()
    with dask_client(workers, scheduler) as client, _progress() as progress:
        errors.print(f"Dask dashboard: {client.dashboard_link}", highlight=False)
        task = progress.add_task("batch", total=None, rate="", read="")

        def on_progress(p: BatchProgress) -> None:
            read = f"(reading: {p.read} read)" if p.total is None else ""
            rate = summary_rate(p.this_run, time.perf_counter() - started)
            progress.update(task, completed=p.processed, total=p.total, rate=rate, read=read)

        try:
            summary = run_batch(
                inputs,
                out,
                client,
                shard_size=shard_size,
                near_duplicates=near_duplicates,
                on_progress=on_progress,
            )
        except KeyboardInterrupt:
            errors.print("interrupted: finished shards are kept; run the same command again to resume")
            sys.exit(130)
    _print_summary(summary, out, time.perf_counter() - started)
    if summary.failed_shards or summary.read == 0:  # as ingest: nothing read is a failed run
        sys.exit(1)


def summary_rate(articles: int, seconds: float) -> str:
    return f"{articles / max(seconds, 1e-9):.1f} articles/s"


def _print_summary(s: BatchSummary, out: str, seconds: float) -> None:
    from quotegraph.batch.runner import FAILURES

    failed = (
        f", {s.input_failures} failed (reasons in {os.path.join(out, FAILURES)})" if s.input_failures else ""
    )
    console.print(
        f"read {s.read} article(s): {s.exact_copies} exact and {s.near_copies} near duplicate(s) "
        f"linked as copies{failed}",
        highlight=False,
    )
    console.print(
        f"processed {s.processed} article(s), {s.words:,} words, in {s.shards - s.shards_skipped} shard(s) "
        f"({s.shards_skipped} of {s.shards} finished before) in {seconds:.1f} s: "
        f"{summary_rate(s.processed, seconds)}, {s.words / max(seconds, 1e-9):,.0f} words/s",
        highlight=False,
    )
    for problem in s.failed_shards:
        console.print(
            f"  not finished: {problem} (run the same command again to retry)", highlight=False, markup=False
        )


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} articles"),
        TextColumn("{task.fields[rate]}"),
        TextColumn("{task.fields[read]}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
@user_errors
def load(folder: str, db: str) -> None:
    """Store the finished shards of a `quotegraph batch` run (again: nothing changes)."""
    from quotegraph.batch.load import load_batch

    started = time.perf_counter()
    with open_store(db) as store, _progress() as progress:
        task = progress.add_task("loading", total=None, rate="", read="")

        def advance(done: int) -> None:
            progress.update(task, completed=done, rate=summary_rate(done, time.perf_counter() - started))

        summary = load_batch(folder, store, on_article=advance)
    console.print(
        f"loaded {summary.shards} shard(s): stored {summary.stored} article(s), {summary.already_stored} "
        f"already stored, linked {summary.copies} new copies, {summary.failures} failure record(s) in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )
