"""The commands that read the database: quotes and what they add up to, one article, exports."""

from __future__ import annotations

import sys
from collections import defaultdict

import click
from rich.table import Table
from rich.text import Text

from quotegraph.errors import QuotegraphError
from quotegraph.model import Article
from quotegraph.serve.cli.common import (
    END_ISOLATE,
    ISOLATE,
    UNKNOWN,
    Cell,
    db_option,
    event_filter,
    event_filter_options,
    for_reading,
    format_option,
    isolated,
    option_name,
    print_rows,
    quote_filter,
    quote_filter_options,
    showing,
    stdout,
    visible,
)
from quotegraph.serve.records import quote_records, write_csv, write_json
from quotegraph.store.filters import EVENT_FIELDS as EVENT_FILTER_FIELDS
from quotegraph.store.filters import FIELDS as QUOTE_FILTER_FIELDS


@click.command()
@quote_filter_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@db_option
def quotes(fmt: str, db: str, **filters: str | bool | None) -> None:
    """List quotes with their speakers, newest articles first (the table shows 50 unless --limit is given)."""
    if fmt == "table" and filters["limit"] is None:
        filters["limit"] = "50"
    selected = quote_filter(filters)
    with for_reading(db) as store:
        rows = store.quotes(selected)
        records = quote_records(store, rows) if fmt != "table" else []
        total = store.count_quotes(selected) if fmt == "table" else 0
    if fmt == "json":
        write_json(records, sys.stdout)
    elif fmt == "csv":
        write_csv(records, sys.stdout)
    else:
        table = Table("speaker", "quote", "kind", "article", show_lines=False)
        for r in rows:
            table.add_row(
                Cell(r.speaker) if r.speaker else UNKNOWN,
                Cell(r.text, 160),
                r.kind,
                Cell(r.title or r.external_id),
            )
        stdout.print(table)
        stdout.print(showing(len(rows), total, "quote"), highlight=False)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "graphml", "acled-csv"]),
    default="jsonl",
    show_default=True,
    help="acled-csv: events in ACLED's columns (with --events).",
)
@click.option("--output", help="File to write; jsonl and csv go to standard output without it.")
@click.option(
    "--events",
    "of_events",
    is_flag=True,
    help="Export events, not quotes: --type, --actor, --place, --from, --to, --modality, --limit and "
    "--offset select them.",
)
@quote_filter_options
@event_filter_options("type", "actor", "modality")
@db_option
def export(fmt: str, output: str | None, of_events: bool, db: str, **filters: str | bool | None) -> None:
    """Every matching quote as jsonl, csv or parquet, or the speaker network as graphml (for Gephi);
    with --events, every matching event as jsonl, csv, parquet or acled-csv."""
    from quotegraph.serve.export import export as export_to  # pyarrow loads for exports only
    from quotegraph.serve.export import export_events

    given = {name for name, value in filters.items() if value not in (None, False)}  # False: a flag not set
    other = given - set(EVENT_FILTER_FIELDS if of_events else QUOTE_FILTER_FIELDS)
    if other:
        what = "quotes, not events" if of_events else "events: add --events"
        verb = "selects" if len(other) == 1 else "select"
        raise click.UsageError(f"{', '.join(sorted(map(option_name, other)))} {verb} {what}")
    if of_events:
        selected_events = event_filter(filters)
        with for_reading(db) as store:
            export_events(store, fmt, output, selected_events)
        return
    if fmt == "acled-csv":
        raise click.UsageError("--format acled-csv exports events: add --events")
    selected = quote_filter(filters)
    with for_reading(db) as store:
        export_to(store, fmt, output, selected)


@click.command()
@format_option
@db_option
def speakers(fmt: str, db: str) -> None:
    """Each speaker with aliases and number of quotes, most quoted first."""
    with for_reading(db) as store:
        rows = store.speakers()

    def table() -> Table:
        shown = Table("speaker", "kind", "quotes", "articles", "aliases")
        for r in rows:
            shown.add_row(
                Cell(r.name), r.kind, str(r.quote_count), str(r.article_count), Cell("; ".join(r.aliases))
            )
        return shown

    print_rows(rows, fmt, table, "speaker")


@click.command()
@format_option
@db_option
def relays(fmt: str, db: str) -> None:
    """Who relayed whose words: speakers quoted inside other speakers' quotes, with counts."""
    with for_reading(db) as store:
        rows = store.relays()

    def table() -> Table:
        shown = Table("relayed by", "words of", "quotes")
        for r in rows:
            shown.add_row(
                Cell(r.relayer) if r.relayer else UNKNOWN,
                Cell(r.source) if r.source else UNKNOWN,
                str(r.count),
            )
        return shown

    print_rows(rows, fmt, table, "relay")


@click.command()
@format_option
@db_option
def checks(fmt: str, db: str) -> None:
    """Dates the text contradicts (a weekday that does not fit, a day the month does not have, the past
    tense after publication)."""
    with for_reading(db) as store:
        rows = store.flagged_dates()

    def table() -> Table:
        shown = Table("article", "date", "value", "problem", "sentence")
        for r in rows:
            value = r.value if isinstance(r.value, str) else ", ".join(r.value)
            shown.add_row(
                Cell(r.title or r.external_id), Cell(r.text), Cell(value), Cell(r.flag), Cell(r.sentence, 200)
            )
        return shown

    print_rows(rows, fmt, table, "date problem")


@click.command()
@click.argument("article_ref")
@db_option
def show(article_ref: str, db: str) -> None:
    """Print an article with each quote highlighted and its speaker named."""
    with for_reading(db) as store:
        article = store.article(article_ref)
    if article is None:
        raise QuotegraphError(f"no article {article_ref!r} in {db}: give its id or the start of its hash")
    # the headline once: not again above a text that opens with it
    heading = "" if article.title and article.text.lstrip().startswith(article.title) else article.title
    published = article.published or (
        f"{article.published_inferred} (inferred from the text)" if article.published_inferred else None
    )
    parts = [isolated(part) for part in (heading, published, article.url) if part]
    if parts:
        header = Text("  ").join(parts)
        header.stylize("bold")
        stdout.print(header)
    stdout.print(render_highlighted(article))


_STYLES = {"direct": "bold yellow", "mixed": "yellow", "indirect": "cyan"}


def render_highlighted(article: Article) -> Text:
    """The article text with quote contents styled by kind and ``[speaker]`` after each quote; each
    quote and each note isolated (see ``isolated``), the text's control characters made visible."""
    text = Text(visible(article.text))
    inserted: dict[int, tuple[list[Text], list[Text]]] = defaultdict(lambda: ([], []))  # ends, starts
    for n, quote in enumerate(article.quotes):
        text.stylize(_STYLES[quote.kind], quote.content.start, quote.content.end)
        if quote.speaker_mention is not None:
            text.stylize("underline", quote.speaker_mention.start, quote.speaker_mention.end)
        label = quote.speaker or "unknown speaker"
        nested = f", inside quote {quote.nested_in + 1}" if quote.nested_in is not None else ""
        note = Text.assemble(f" [{n + 1}: ", isolated(label), f"{nested}]")
        note.stylize("bold magenta")
        inserted[quote.content.start][1].append(Text(ISOLATE))
        inserted[quote.content.end][0][:0] = [Text(END_ISOLATE), note]  # inner quotes close first
    for offset in sorted(inserted, reverse=True):
        ends, starts = inserted[offset]
        text = text[:offset] + Text.assemble(*ends, *starts) + text[offset:]
    return text
