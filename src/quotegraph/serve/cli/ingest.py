"""The commands that run the pipeline: ingest into a database, extract without one, evaluate."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from quotegraph.errors import InvalidParameter
from quotegraph.model import DEFAULT_ACTS, IngestFailure, SpeechAct
from quotegraph.serve.cli.common import db_option, for_writing, stderr, stdout, visible
from quotegraph.store import parse_filter
from quotegraph.store.filters import HELP as FILTER_HELP

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


def _acts_option(func: Callable[..., None]) -> Callable[..., None]:
    """``--acts``: which quotes count, as in the quote filters (speech and writing unless given)."""
    return click.option(
        "--acts",
        metavar="ACT[,ACT]",
        default=",".join(DEFAULT_ACTS),
        show_default=True,
        help=FILTER_HELP["acts"],
    )(func)


def _acts(text: str) -> tuple[SpeechAct, ...]:
    try:
        return parse_filter({"acts": text}).acts
    except InvalidParameter as exc:
        raise click.BadParameter(exc.message, param_hint="'--acts'") from exc


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@_acts_option
@debug_option
def extract(paths: Sequence[str], fmt: str, acts: str, debug: bool) -> None:
    """One JSON line per article: {"id", "quotes", "entities", "dates", "places", "events"} in the shared scorers' formats;
    only the quotes of the acts given."""
    from quotegraph.evaluate import keep_acts
    from quotegraph.jobs import extract_paths

    kept = _acts(acts)
    failures: list[IngestFailure] = []
    for record in extract_paths(paths, failures.append, debug=debug):
        click.echo(json.dumps(keep_acts([record], kept)[0], ensure_ascii=False))
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
@click.option(
    "--curve",
    is_flag=True,
    help="Print the precision of the quotes at each confidence, and the figures keeping those at or above it.",
)
@_acts_option
def evaluate(gold: str, pred: str | None, details: bool, curve: bool, acts: str) -> None:
    """Score extraction against a gold file, with the figures of ../shared/eval/score.py.

    Only quotes of the acts given count (speech and writing unless --acts says otherwise): score a
    scheme that counts beliefs and intentions, as PolNeAR does, with --acts speech,writing,thought."""
    from quotegraph import evaluate as scoring

    kept = _acts(acts)
    gold_records = scoring.load_records(gold)
    if pred:
        predictions = scoring.load_records(pred)
    else:
        from quotegraph.jobs import predict

        predictions = predict(gold_records)
    predictions = scoring.keep_acts(predictions, kept)
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
        click.echo(
            "confidence  quotes  quote_P  attributed_P   (the quotes at each confidence, how many are right)"
        )
        for level, count, quote_p, attributed_p in scoring.reliability(gold_records, predictions):
            click.echo(f"{level:10.2f}  {count:6d}  {quote_p:.4f}   {attributed_p:.4f}")
        click.echo("min_confidence  quote_P  quote_R  quote_F1  attributed_P  attributed_R  attributed_F1")
        for threshold, quote, attributed in scoring.confidence_curve(gold_records, predictions):
            click.echo(
                f"{threshold:14.2f}  {quote['precision']:.4f}   {quote['recall']:.4f}   {quote['f1']:.4f}    "
                f"{attributed['precision']:.4f}        {attributed['recall']:.4f}        {attributed['f1']:.4f}"
            )
