"""`quotegraph events` and `quotegraph event`: who did what to whom, where and when, across articles,
with the quotes about each; `events merge` and `events split` correct the linking."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click
from rich.table import Table

from quotegraph.errors import QuotegraphError
from quotegraph.serve.cli.common import (
    UNKNOWN,
    Cell,
    db_option,
    event_filter,
    event_filter_options,
    for_reading,
    for_writing,
    format_option,
    isolated,
    showing,
    stdout,
)
from quotegraph.serve.records import EVENT_FIELDS as RECORD_FIELDS
from quotegraph.serve.records import event_detail_record, event_records, outlet, write_csv, write_json
from quotegraph.store.base import EventActor, EventRow


@click.group(invoke_without_command=True)
@event_filter_options()
@format_option
@db_option
@click.pass_context
def events(ctx: click.Context, /, fmt: str, db: str, **filters: str | None) -> None:
    """Events across articles, latest date first (the table shows 50 unless --limit is given): type
    (PLOVER, and ACLED's where one applies), actors, place, date, counts, modality, reports, quotes
    about it. `quotegraph event ID` shows one; `quotes --event ID` lists what was said about it.

    Correct the linking of reports with `events merge` and `events split`.
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    if fmt == "table" and filters["limit"] is None:
        filters["limit"] = "50"
    selected = event_filter(filters)
    with for_reading(db) as store:
        rows = store.events(selected)
        total = store.count_events(selected) if fmt == "table" else len(rows)
    if fmt == "json":
        write_json(event_records(rows), sys.stdout)
    elif fmt == "csv":
        write_csv(event_records(rows), sys.stdout, RECORD_FIELDS)
    else:
        table = Table()
        for header in ("id", "date", "type", "who", "whom", "where", "modality", "reports", "quotes"):
            table.add_column(header, no_wrap=header in ("id", "date", "type", "modality"))
        for row in rows:
            acled = row.acled_sub_event_type or row.acled_event_type
            table.add_row(
                str(row.event_id),
                _date(row),
                row.type + (f"\n{acled}" if acled else ""),
                _actor(row.actor1),
                _actor(row.actor2),
                Cell(", ".join(p.name for p in row.places)),
                row.modality,
                str(len(row.reports)),
                str(row.statements),
            )
        stdout.print(table)
        stdout.print(showing(len(rows), total, "event"), highlight=False)


def _date(row: EventRow) -> str:
    if row.date is None:
        return ""
    return row.date if isinstance(row.date, str) else f"{row.date[0]}/{row.date[-1]}"


def _type(row: EventRow) -> str:
    acled = row.acled_sub_event_type or row.acled_event_type
    return f"{row.type} ({acled})" if acled else row.type


def _actor(actor: EventActor | None) -> Cell:
    return Cell(actor.name if actor else None, 40)


@events.command()
@click.argument("into", type=click.IntRange(min=1))
@click.argument("other", type=click.IntRange(min=1))
@click.pass_obj
def merge(db: str, into: int, other: int) -> None:
    """Make event OTHER part of event INTO: its reports and the quotes about it move."""
    with for_writing(db, create=False) as store:
        click.echo(store.merge_events(into, other))


@events.command()
@click.argument("event_id", type=click.IntRange(min=1))
@click.option(
    "--article", "article_ref", required=True, help="The report to move out: its article (id or hash prefix)."
)
@click.pass_obj
def split(db: str, event_id: int, article_ref: str) -> None:
    """Undo a wrong link: the event's report in ARTICLE becomes an event of its own."""
    with for_writing(db, create=False) as store:
        click.echo(store.split_event(event_id, article_ref))


@click.command()
@click.argument("event_id", type=click.IntRange(min=1))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
def event(event_id: int, fmt: str, db: str) -> None:
    """One event: its record, every report (the earliest first) and why it was linked, the quotes about it."""
    with for_reading(db) as store:
        detail = store.event(event_id)
        if detail is None:
            raise QuotegraphError(f"no event {event_id} in {db}: `quotegraph events` lists them")
        record = event_detail_record(store, detail)
    if fmt == "json":
        click.echo(json.dumps(asdict(record), ensure_ascii=False, indent=1))
        return
    row, first = detail.event, detail.event.reports[0]
    heading = isolated(f"event {row.event_id}, {_type(row)}: {first.sentence}")
    heading.stylize("bold")
    stdout.print(heading)
    facts = [
        ("who", row.actor1.name if row.actor1 else None),
        ("whom", row.actor2.name if row.actor2 else None),
        ("where", "; ".join(p.name + (f" ({p.country})" if p.country else "") for p in row.places)),
        ("when", _date(row) + (f" ({row.date_precision})" if row.date_precision else "")),
        ("killed", f"{row.fatalities.value} ({row.fatalities.words})" if row.fatalities else None),
        ("injured", f"{row.injured.value} ({row.injured.words})" if row.injured else None),
        ("people", f"{row.size.value} ({row.size.words})" if row.size else None),
        ("modality", f"{row.modality}, confidence {row.confidence}"),
    ]
    for label, value in facts:
        if value:
            stdout.print(f"{label}: ", isolated(value), sep="", highlight=False)
    table = Table("date", "article", "outlet", "words", "linked because")
    for report in row.reports:
        table.add_row(
            report.published or "",
            Cell(report.title or report.external_id),
            Cell(outlet(report)),
            Cell(report.trigger, 40),
            Cell(report.reason),
        )
    stdout.print(table)
    stdout.print(f"[bold]quotes about it[/bold] ({len(detail.statements)})")
    quotes = Table("speaker", "quote", "why")
    for statement in detail.statements[:50]:
        quote = statement.quote
        quotes.add_row(
            Cell(quote.speaker) if quote.speaker else UNKNOWN, Cell(quote.text, 160), Cell(statement.reason)
        )
    stdout.print(quotes)
