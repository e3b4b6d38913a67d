"""The command line: each command opens what it needs and makes one library call."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from quotegraph import evaluate as scoring
from quotegraph.batch.cli import batch, load
from quotegraph.errors import QuotegraphError
from quotegraph.ingest import read_inputs
from quotegraph.jobs import ingest_paths
from quotegraph.model import Article, IngestFailure
from quotegraph.pipeline import extract_many
from quotegraph.serve.common import F, console, db_option, errors, shorten, user_errors
from quotegraph.serve.entities_cli import entities, entity
from quotegraph.serve.export import export as export_to
from quotegraph.serve.web.command import serve
from quotegraph.store import QuoteRow, open_store


@click.group()
@click.version_option(package_name="quotegraph")
def main() -> None:
    """quotegraph: who said what, about whom, where and when, from news articles."""


main.add_command(entities)
main.add_command(entity)
main.add_command(serve)
main.add_command(batch)
main.add_command(load)


# --- ingest ------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@user_errors
def ingest(paths: Sequence[str], db: str) -> None:
    """Read articles (folders, .txt, .html, .jsonl(.gz), .warc(.gz)), extract quotes and store them."""
    started = time.perf_counter()
    with open_store(db) as store, _progress() as progress:
        task = progress.add_task("ingesting", total=None, rate="")

        def advance(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            progress.update(task, completed=done, rate=f"{rate:.1f} articles/s")

        summary = ingest_paths(paths, store, on_article=advance)
    elapsed = time.perf_counter() - started
    console.print(
        f"stored {summary.stored} article(s), skipped {summary.duplicates} duplicate(s), "
        f"failed {len(summary.failures)} in {elapsed:.1f} s",
        highlight=False,
    )
    for failure in summary.failures:
        console.print(f"  failed: {failure.source}: {failure.reason}", highlight=False, markup=False)
    if summary.stored + summary.duplicates == 0:
        sys.exit(1)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    )


# --- reading the database ----------------------------------------------------------------

_FILTERS = [
    click.option("--speaker", help="Speaker name or alias (a surname is enough)."),
    click.option("--search", help="Words that must all occur in the quote (full-text search)."),
    click.option(
        "--about",
        help="Quotes whose words (or topic: 'Regarding X, she said') mention this person, organization or "
        "place (by any of its names).",
    ),
    click.option("--since", help="Articles published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD)."),
    click.option("--until", help="Articles published on or before this date."),
    click.option(
        "--from", "mentions_from", help="Quotes whose words or topic mention a date on or after this."
    ),
    click.option("--to", "mentions_to", help="Quotes whose words or topic mention a date on or before this."),
    click.option(
        "--place",
        help="Quotes whose words or topic name this place (or a place in this two-letter country code).",
    ),
    click.option(
        "--min-confidence", type=click.FloatRange(0, 1), help="Only quotes at least this confident."
    ),
]


def _quote_filters(func: F) -> F:
    """The quote filters, the same for every command that selects quotes (quotes, export)."""
    for option in reversed(_FILTERS):
        func = option(func)
    return func


@main.command()
@_quote_filters
@click.option("--limit", type=int, help="At most this many quotes (table format shows 50 unless given).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@db_option
@user_errors
def quotes(
    speaker: str | None,
    search: str | None,
    about: str | None,
    since: str | None,
    until: str | None,
    mentions_from: str | None,
    mentions_to: str | None,
    place: str | None,
    min_confidence: float | None,
    limit: int | None,
    fmt: str,
    db: str,
) -> None:
    """List quotes with their speakers, newest articles first."""
    if fmt == "table" and limit is None:
        limit = 50
    with open_store(db) as store:
        rows = store.quotes(
            speaker=speaker,
            search=search,
            about=about,
            since=since,
            until=until,
            min_confidence=min_confidence,
            limit=limit,
            mentions_from=mentions_from,
            mentions_to=mentions_to,
            place=place,
        )
    if fmt == "json":
        click.echo(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(_csv([_row_json(r) for r in rows]), nl=False)
    else:
        table = Table("speaker", "quote", "kind", "article", show_lines=False)
        for r in rows:
            table.add_row(
                r.speaker or "[dim](unknown)[/dim]", shorten(r.text, 160), r.kind, r.title or r.external_id
            )
        console.print(table)


def _row_json(row: QuoteRow) -> dict[str, Any]:
    return asdict(row)


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return out.getvalue()


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "graphml"]),
    default="jsonl",
    show_default=True,
)
@click.option("--output", help="File to write; jsonl and csv go to standard output without it.")
@_quote_filters
@db_option
@user_errors
def export(fmt: str, output: str | None, db: str, **filters: Any) -> None:
    """Every matching quote as jsonl, csv or parquet, or the speaker network as graphml (for Gephi)."""
    with open_store(db) as store:
        export_to(store, fmt, output, **filters)


@main.command()
@db_option
@user_errors
def speakers(db: str) -> None:
    """Each speaker with aliases and number of quotes, most quoted first."""
    with open_store(db) as store:
        rows = store.speakers()
    table = Table("speaker", "kind", "quotes", "articles", "aliases")
    for r in rows:
        table.add_row(r.name, r.kind, str(r.quote_count), str(r.article_count), "; ".join(r.aliases))
    console.print(table)


@main.command()
@db_option
@user_errors
def relays(db: str) -> None:
    """Who relayed whose words: speakers quoted inside other speakers' quotes, with counts."""
    with open_store(db) as store:
        rows = store.relays()
    table = Table("relayed by", "words of", "quotes")
    for r in rows:
        table.add_row(r.relayer or "(unknown)", r.source or "(unknown)", str(r.count))
    console.print(table)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
@user_errors
def checks(fmt: str, db: str) -> None:
    """Dates the text contradicts (a weekday that does not fit, a day the month does not have, the past
    tense after publication)."""
    with open_store(db) as store:
        rows = store.flagged_dates()
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))
        return
    table = Table("article", "date", "value", "problem", "sentence")
    for r in rows:
        value = r.value if isinstance(r.value, str) else ", ".join(r.value)
        table.add_row(r.title or r.external_id, r.text, value, r.flag, shorten(r.sentence, 200))
    console.print(table)


@main.command()
@click.argument("article_ref")
@db_option
@user_errors
def show(article_ref: str, db: str) -> None:
    """Print an article with each quote highlighted and its speaker named."""
    with open_store(db) as store:
        article = store.article(article_ref)
    if article is None:
        raise QuotegraphError(f"no article {article_ref!r} in {db}: give its id or the start of its hash")
    console.print(
        f"[bold]{article.title or article.id}[/bold]  {article.published or ''}  {article.url or ''}"
    )
    console.print(render_highlighted(article))


_STYLES = {"direct": "bold yellow", "mixed": "yellow", "indirect": "cyan"}


def render_highlighted(article: Article) -> Text:
    """The article text with quote contents styled by kind and ``[speaker]`` after each quote."""
    text = Text(article.text)
    notes: list[tuple[int, str]] = []
    for n, quote in enumerate(article.quotes):
        text.stylize(_STYLES[quote.kind], quote.content.start, quote.content.end)
        if quote.speaker_mention is not None:
            text.stylize("underline", quote.speaker_mention.start, quote.speaker_mention.end)
        label = quote.speaker or "unknown speaker"
        nested = f", inside quote {quote.nested_in + 1}" if quote.nested_in is not None else ""
        notes.append((quote.content.end, f" [{n + 1}: {label}{nested}]"))
    for offset, note in sorted(notes, reverse=True):
        text = text[:offset] + Text(note, style="bold magenta") + text[offset:]
    return text


# --- extraction without a database ---------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@user_errors
def extract(paths: Sequence[str], fmt: str) -> None:
    """One JSON line per article: {"id", "quotes": [...]} in the shared scorer's format."""
    failures: list[IngestFailure] = []
    articles = _articles_only(read_inputs(paths), failures)
    for article in extract_many(articles, on_failure=failures.append, quotes_only=True):
        click.echo(json.dumps(article_json(article), ensure_ascii=False))
    for failure in failures:
        errors.print(f"failed: {failure.source}: {failure.reason}", markup=False, highlight=False)


def article_json(article: Article) -> dict[str, Any]:
    return {"id": article.id, "quotes": [q.to_score_json() for q in article.quotes]}


def _articles_only(
    items: Iterator[Article | IngestFailure], failures: list[IngestFailure]
) -> Iterator[Article]:
    for item in items:
        if isinstance(item, IngestFailure):
            failures.append(item)
        else:
            yield item


@main.command(name="evaluate")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--pred", type=click.Path(exists=True, dir_okay=False), help="Score this prediction file instead."
)
@click.option("--details", is_flag=True, help="List misses, false alarms and wrong speakers.")
@click.option("--curve", is_flag=True, help="Print precision/recall at each confidence threshold.")
@user_errors
def evaluate_command(gold: str, pred: str | None, details: bool, curve: bool) -> None:
    """Score extraction against a gold file, with the figures of ../shared/eval/score.py."""
    gold_records = scoring.load_records(gold)
    if pred:
        predictions = scoring.load_records(pred)
    else:
        articles = (Article(text=g["text"], id=g["id"], published=g.get("published")) for g in gold_records)
        predictions = [article_json(a) for a in extract_many(articles, quotes_only=True)]
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
