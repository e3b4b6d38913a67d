"""What every command shares: the two consoles, the --db option and the way it is opened, the quote
and event filter options, and tables that fit the terminal."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, TypeVar

import click
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from quotegraph import settings
from quotegraph.errors import InvalidParameter
from quotegraph.model import MODALITIES
from quotegraph.serve.records import csv_cell
from quotegraph.store import EventFilter, QuoteFilter, Store, open_store, parse_event_filter, parse_filter
from quotegraph.store.filters import EVENT_FIELDS as EVENT_FILTER_FIELDS
from quotegraph.store.filters import EVENT_HELP as EVENT_FILTER_HELP
from quotegraph.store.filters import FIELDS as QUOTE_FILTER_FIELDS
from quotegraph.store.filters import HELP as FILTER_HELP
from quotegraph.store.filters import QUOTE_KINDS, SORTS

F = TypeVar("F", bound=Callable[..., Any])
stdout = Console()  # results
stderr = Console(stderr=True)  # progress, messages and errors


def db_option(func: F) -> F:
    """``--db``, defaulting to the ``db`` setting as it is when the command runs."""
    return click.option(
        "--db",
        default=lambda: settings.get("db"),
        show_default=f"{settings.SETTINGS['db'].default}, or ${settings.SETTINGS['db'].env_var}",
        help=settings.SETTINGS["db"].help,
    )(func)


def for_reading(db: str) -> Store:
    """The database a read command asks for; one that does not exist is an error, never created."""
    return open_store(db, create=False)


def for_writing(db: str, *, create: bool = True) -> Store:
    """The database a write run adds to, created when missing (if ``create``); a damaged one is
    refused before anything is written."""
    return open_store(db, create=create, check=True)


def option_name(field: str) -> str:
    """A quote filter's option: ``--min-confidence`` for ``min_confidence``, ``--from`` for ``from_``."""
    return "--" + field.rstrip("_").replace("_", "-")


_METAVARS = {
    "since": "DATE",
    "until": "DATE",
    "from_": "DATE",
    "to": "DATE",
    "min_confidence": "X",
    "kind": "|".join(QUOTE_KINDS),
    "acts": "ACT[,ACT]",
    "event": "ID",
    "type": "TYPE",
    "modality": "|".join(MODALITIES),
    "sort": "|".join(SORTS),
    "limit": "N",
    "offset": "N",
}


# Filters that are set or not: a flag on the command line ("--demonyms"), "true" or "false" elsewhere
_FLAGS = {"demonyms"}


def quote_filter_options(func: F) -> F:
    """The quote filters, named and explained once (``store.filters``), as options of every command
    that selects quotes; the command receives them as text (a flag as set or not) and calls
    ``quote_filter``."""
    for name in reversed(QUOTE_FILTER_FIELDS):
        if name in _FLAGS:
            func = click.option(option_name(name), name, is_flag=True, help=FILTER_HELP[name])(func)
        else:
            func = click.option(
                option_name(name), name, metavar=_METAVARS.get(name, "TEXT"), help=FILTER_HELP[name]
            )(func)
    return func


def quote_filter(values: Mapping[str, str | bool | None]) -> QuoteFilter:
    """The filter from a command's options; a bad value is a usage error naming its option."""
    try:
        return parse_filter({name: _as_text(values[name]) for name in QUOTE_FILTER_FIELDS})
    except InvalidParameter as exc:
        raise click.BadParameter(exc.message, param_hint=f"'{option_name(exc.parameter)}'") from exc


def event_filter_options(*names: str) -> Callable[[F], F]:
    """The event filters (``store.filters``) as options, all of them or only ``names``; the command
    receives them as text and calls ``event_filter``."""

    def add(func: F) -> F:
        for name in reversed(names or EVENT_FILTER_FIELDS):
            func = click.option(
                option_name(name), name, metavar=_METAVARS.get(name, "TEXT"), help=EVENT_FILTER_HELP[name]
            )(func)
        return func

    return add


def event_filter(values: Mapping[str, str | bool | None]) -> EventFilter:
    """The event filter from a command's options; a bad value is a usage error naming its option."""
    try:
        return parse_event_filter({name: _as_text(values.get(name)) for name in EVENT_FILTER_FIELDS})
    except InvalidParameter as exc:
        raise click.BadParameter(exc.message, param_hint=f"'{option_name(exc.parameter)}'") from exc


def _as_text(value: str | bool | None) -> str | None:
    """An option's value as every surface hands it over: a flag as "true" where it is set."""
    if isinstance(value, bool):
        return "true" if value else None
    return value


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# Control characters but tab and line feed (C0, DEL, C1), as their Unicode pictures or U+FFFD.
_VISIBLE = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {0x7F: 0x2421}
_VISIBLE |= {c: 0xFFFD for c in range(0x80, 0xA0)}
ISOLATE, END_ISOLATE = "\u2068", "\u2069"  # FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
UNKNOWN = Text("(unknown)", style="dim")  # no speaker, no source


def visible(text: str) -> str:
    """``text`` with its control characters shown, never sent: an escape sequence in an article
    would otherwise move the cursor or recolour the terminal. One character for one, so offsets
    into the text still hold."""
    return text.translate(_VISIBLE)


def isolated(text: str | None) -> Text:
    """Untrusted text (article words, names, titles) printed inline: its control characters visible,
    no rich markup read in it ("[bold]" stays as written), and its bidirectional text isolated, so
    that a right-to-left override inside it cannot reverse what is printed after it."""
    return Text(ISOLATE + visible(text or "") + END_ISOLATE)


class Cell:
    """Untrusted text in a table cell: as ``isolated``, but isolated line by line as the table wraps
    it. A terminal reads each line on its own, so an override left open at the end of a line of one
    cell would reverse the cells after it on that line."""

    def __init__(self, text: str | None, width: int | None = None) -> None:
        value = "" if text is None else shorten(text, width) if width else text
        self.text = Text(visible(value))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.text.wrap(console, options.max_width)
        yield Text("\n").join(Text.assemble(ISOLATE, line, END_ISOLATE) for line in lines)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


def format_option(func: F) -> F:
    """``--format table|json|csv`` for a command that lists rows."""
    return click.option(
        "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
    )(func)


def print_rows(rows: Sequence[Any], fmt: str, table: Callable[[], Table], noun: str) -> None:
    """Rows (dataclasses) as a table with a count under it, as a JSON array of objects, or as CSV with
    one column per field (lists joined with "; ", booleans true/false, missing values empty)."""
    if fmt == "json":
        click.echo(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))
    elif fmt == "csv":
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            values = {key: csv_cell(value) for key, value in asdict(row).items()}
            if writer is None:
                writer = csv.DictWriter(sys.stdout, fieldnames=list(values))
                writer.writeheader()
            writer.writerow(values)
    else:
        stdout.print(table())
        stdout.print(showing(len(rows), len(rows), noun), highlight=False)


def showing(shown: int, total: int, noun: str, plural: str | None = None) -> str:
    """The line under a table: "3 speakers", or "showing 50 of 3,958 quotes" when it shows a part."""
    named = noun if total == 1 else plural or f"{noun}s"
    return f"showing {shown:,} of {total:,} {named}" if shown < total else f"{total:,} {named}"
