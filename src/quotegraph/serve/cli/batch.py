"""`quotegraph batch` and `quotegraph load`: a corpus through Dask into Parquet shards, then into a database."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from quotegraph.batch import DEFAULT_SHARD_SIZE
from quotegraph.serve.cli.common import db_option, for_writing, stderr, stdout

if TYPE_CHECKING:  # Dask, datasketch and SciPy load when a batch runs, not for every command
    from quotegraph.batch.runner import BatchSummary
    from quotegraph.batch.runner import Progress as BatchProgress


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
    "--dashboard",
    default="127.0.0.1:0",
    show_default=True,
    help="Address of the local cluster's dashboard (host:port; port 0 is a free one).",
)
@click.option(
    "--near-duplicates/--exact-duplicates-only",
    default=True,
    show_default=True,
    help="Also link near-duplicates (MinHash/LSH, Jaccard >= 0.8) instead of processing each.",
)
@click.option("--debug", is_flag=True, help="Record the traceback with each article whose analysis failed.")
def batch(
    inputs: Sequence[str],
    out: str,
    workers: int | None,
    scheduler: str | None,
    shard_size: int,
    dashboard: str,
    near_duplicates: bool,
    debug: bool,
) -> None:
    """Process folders, .txt/.html, JSONL(.gz) and WARC(.gz) on Dask into Parquet shards in OUT."""
    from quotegraph.batch.cluster import dask_client
    from quotegraph.batch.runner import run_batch

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (a local cluster) or --scheduler (a running one), not both")
    started = time.perf_counter()
    with dask_client(workers, scheduler, dashboard=dashboard) as client, _progress() as progress:
        stderr.print(f"Dask dashboard: {client.dashboard_link}", highlight=False)
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
                debug=debug,
            )
        except KeyboardInterrupt:
            stderr.print("interrupted: finished shards are kept; run the same command again to resume")
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
    stdout.print(
        f"read {s.read} article(s): {s.exact_copies} exact and {s.near_copies} near duplicate(s) "
        f"linked as copies{failed}",
        highlight=False,
    )
    stdout.print(
        f"processed {s.processed} article(s), {s.words:,} words, in {s.shards - s.shards_skipped} shard(s) "
        f"({s.shards_skipped} of {s.shards} finished before) in {seconds:.1f} s: "
        f"{summary_rate(s.processed, seconds)}, {s.words / max(seconds, 1e-9):,.0f} words/s",
        highlight=False,
    )
    if s.article_failures:
        stdout.print(
            f"  {s.article_failures} article(s) could not be analysed (reasons in "
            f"{os.path.join(out, 'shards', '*', 'failures.parquet')}; `quotegraph load` records them)",
            highlight=False,
            markup=False,
        )
    for problem in s.failed_shards:
        stdout.print(
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
        console=stderr,
        transient=True,
    )


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
def load(folder: str, db: str) -> None:
    """Store the finished shards of a `quotegraph batch` run (again: nothing changes)."""
    from quotegraph.batch.load import load_batch

    started = time.perf_counter()
    with for_writing(db) as store, _progress() as progress:
        task = progress.add_task("loading", total=None, rate="", read="")

        def advance(done: int) -> None:
            progress.update(task, completed=done, rate=summary_rate(done, time.perf_counter() - started))

        summary = load_batch(folder, store, on_article=advance)
    stdout.print(
        f"loaded {summary.shards} shard(s): stored {summary.stored} article(s), {summary.already_stored} "
        f"already stored, linked {summary.copies} new copies, {summary.failures} failure record(s) in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )
