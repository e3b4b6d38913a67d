"""The commands that run the pipeline: ingest into a database, extract without one, evaluate."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from quotegraph.model import IngestFailure
from quotegraph.serve.cli.common import db_option, for_writing, stderr, stdout, visible

debug_option = click.option(
    "--debug", is_flag=True, help="Give the traceback with each article whose analysis failed."
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@debug_option
def ingest(paths: Sequence[str], db: str, debug: bool) -> None:
    """Read articles (folders, .txt, .html, .jsonl(.gz), .warc(.gz)), extract quotes and store them."""
    from quotegraph.jobs import IngestSummary, ingest_paths  # spaCy and the gazetteer load here

    started = time.perf_counter()
    summary, interrupted = IngestSummary(), False
    with for_writing(db) as store, _progress() as progress:
        task = progress.add_task("ingesting", total=None, rate="")

        def advance(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            progress.update(task, completed=done, total=total, rate=f"{rate:.1f} articles/s")

        try:
            ingest_paths(paths, store, on_progress=advance, debug=debug, summary=summary)
        except KeyboardInterrupt:  # every article counted is stored: say so, and how to finish
            interrupted = True
    elapsed = time.perf_counter() - started
    stdout.print(
        f"stored {summary.stored} article(s), skipped {summary.duplicates} duplicate(s), "
        f"failed {len(summary.failures)} in {elapsed:.1f} s",
        highlight=False,
    )
    for failure in summary.failures:
        stdout.print(
            f"  failed: {visible(failure.source)}: {visible(failure.reason)}", highlight=False, markup=False
        )
    if interrupted:
        stderr.print(
            "interrupted: the articles counted above are stored; run the same command again to finish"
        )
        sys.exit(130)
    if summary.stored + summary.duplicates == 0:
        sys.exit(1)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles {task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=stderr,
        transient=True,
    )


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@debug_option
def extract(paths: Sequence[str], fmt: str, debug: bool) -> None:
    """One JSON line per article: {"id", "quotes", "entities", "dates", "places", "events"} in the shared scorers' formats."""
    from quotegraph.jobs import extract_paths

    failures: list[IngestFailure] = []
    for record in extract_paths(paths, failures.append, debug=debug):
        click.echo(json.dumps(record, ensure_ascii=False))
    for failure in failures:
        stderr.print(
            f"failed: {visible(failure.source)}: {visible(failure.reason)}", markup=False, highlight=False
        )


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--pred", type=click.Path(exists=True, dir_okay=False), help="Score this prediction file instead."
)
@click.option("--details", is_flag=True, help="List misses, false alarms and wrong speakers.")
@click.option("--curve", is_flag=True, help="Print precision/recall at each confidence threshold.")
def evaluate(gold: str, pred: str | None, details: bool, curve: bool) -> None:
    """Score extraction against a gold file, with the figures of ../shared/eval/score.py."""
    from quotegraph import evaluate as scoring

    gold_records = scoring.load_records(gold)
    if pred:
        predictions = scoring.load_records(pred)
    else:
        from quotegraph.jobs import predict

        predictions = predict(gold_records)
    figures = scoring.score(gold_records, predictions)
    found = figures.pop("details")
    if details:
        figures["details"] = found
    for key, value in figures.items():
        click.echo(f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}")
    click.echo(
        f"attributed-quote F1: {figures['attributed']['f1']:.4f}  resolved-speaker F1: {figures['resolved']['f1']:.4f}"
    )
    if curve:
        click.echo("min_confidence  quote_P  quote_R  quote_F1  attributed_P  attributed_R  attributed_F1")
        for threshold, quote, attributed in scoring.confidence_curve(gold_records, predictions):
            click.echo(
                f"{threshold:14.2f}  {quote['precision']:.4f}   {quote['recall']:.4f}   {quote['f1']:.4f}    "
                f"{attributed['precision']:.4f}        {attributed['recall']:.4f}        {attributed['f1']:.4f}"
            )
