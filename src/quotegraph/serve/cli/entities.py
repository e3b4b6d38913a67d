"""`quotegraph entities` and `quotegraph entity`: people and organizations across articles, and places;
`entities merge` and `entities split` correct them."""

from __future__ import annotations

import json
from dataclasses import asdict

import click
from rich.table import Table
from rich.text import Text

from quotegraph.errors import QuotegraphError
from quotegraph.serve.cli.common import (
    UNKNOWN,
    Cell,
    db_option,
    for_reading,
    for_writing,
    format_option,
    isolated,
    print_rows,
    showing,
    stdout,
)
from quotegraph.serve.records import entity_record, others_meant
from quotegraph.store import QuoteRow
from quotegraph.store.filters import HELP as FILTER_HELP

_OTHERS_SHOWN = 5  # who else a name may mean, at most, on the terminal ("N more" after)


@click.group(invoke_without_command=True)
@click.option("--type", "kind", type=click.Choice(["person", "org", "place"]), help="Only this kind.")
@click.option("--search", help="Names containing these words (any alias counts).")
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many entities.")
@click.option(
    "--demonyms", is_flag=True, help=FILTER_HELP["demonyms"].replace("With place or about", "Places")
)
@format_option
@db_option
@click.pass_context
def entities(
    ctx: click.Context, kind: str | None, search: str | None, limit: int, demonyms: bool, fmt: str, db: str
) -> None:
    """People and organizations resolved across articles, and the places named (with coordinates).

    Correct the resolution with `entities merge` and `entities split`.
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = db
        return
    with for_reading(db) as store:
        rows = store.entities(kind=kind, search=search, limit=limit, demonyms=demonyms)
        total = (
            len(store.entities(kind=kind, search=search, limit=None, demonyms=demonyms))
            if fmt == "table"
            else 0
        )
    if fmt != "table":
        print_rows(rows, fmt, Table, "entity")
        return
    table = Table("entity", "kind", "articles", "quotes by", "aliases / coordinates")
    for r in rows:
        where = (
            f"{r.lat:.4f}, {r.lon:.4f} ({r.country or '?'})"
            if r.lat is not None and r.lon is not None
            else ""
        )
        table.add_row(
            Cell(r.name),
            r.kind,
            str(r.article_count),
            str(r.quote_count),
            Cell(where or "; ".join(r.aliases)),
        )
    stdout.print(table)
    stdout.print(showing(len(rows), total, "entity", "entities"), highlight=False)


@entities.command()
@click.argument("into")
@click.argument("other")
@click.pass_obj
def merge(db: str, into: str, other: str) -> None:
    """Make OTHER the same entity as INTO: every article linked to OTHER moves, its names become aliases."""
    with for_writing(db, create=False) as store:
        click.echo(store.merge_entities(into, other))


@entities.command()
@click.argument("name")
@click.option("--alias", help="Move out the article entities named this (a name or alias of NAME).")
@click.option("--article", "article_ref", help="Move out NAME's entity in this article (id or hash prefix).")
@click.pass_obj
def split(db: str, name: str, alias: str | None, article_ref: str | None) -> None:
    """Undo a wrong link: part of NAME becomes an entity of its own (give --alias or --article)."""
    if (alias is None) == (article_ref is None):
        raise QuotegraphError("give exactly one of --alias or --article")
    with for_writing(db, create=False) as store:
        click.echo(store.split_entity(name, alias=alias, article=article_ref))


@click.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@db_option
def entity(name: str, fmt: str, db: str) -> None:
    """One entity: aliases, roles with their dates, articles (and why each was linked), quotes by and about."""
    with for_reading(db) as store:
        detail = store.entity(name)
        if detail is None:
            raise QuotegraphError(
                f"no entity {name!r} in {db}: `quotegraph entities --search WORDS` lists names"
            )
        if fmt == "json":
            click.echo(json.dumps(asdict(entity_record(store, detail, name)), ensure_ascii=False, indent=1))
            return
        others = others_meant(store, detail.entity, name)
    row = detail.entity
    title = isolated(row.name)
    title.stylize("bold")
    stdout.print(Text.assemble(title, f" ({row.kind})  id {row.id}"), highlight=False)
    if row.lat is not None and row.lon is not None:
        stdout.print(f"at {row.lat:.4f}, {row.lon:.4f} ({row.country or '?'})", highlight=False)
    if row.aliases:
        stdout.print(Text.assemble("also called: ", isolated("; ".join(row.aliases))), highlight=False)
    if others:  # "Clinton": the most linked is shown, the others named with their counts
        meant = [
            f"{o.name} ({o.kind}, {_count(o.article_count, 'article')}, {_count(o.quote_count, 'quote')})"
            for o in others[:_OTHERS_SHOWN]
        ]
        more = f"; {len(others) - _OTHERS_SHOWN} more" if len(others) > _OTHERS_SHOWN else ""
        stdout.print(
            Text.assemble(f"{name!r} may also mean: ", isolated("; ".join(meant)), more), highlight=False
        )
    for role in detail.roles:  # the narrator's words, dated: no alias, no claim of the tool's own
        stdout.print(
            Text.assemble(
                "described as ",
                isolated(role.role),
                f" ({role.published or 'undated'}, ",
                isolated(role.title or role.external_id),
                ")",
            ),
            highlight=False,
        )
    if detail.links:
        table = Table("article", "date", "named", "linked because")
        for link in detail.links:
            table.add_row(
                Cell(link.title or link.external_id),
                link.published or "",
                Cell(link.name),
                Cell(link.reason),
            )
        stdout.print(table)
    for heading, quotes in (("quotes by", detail.quotes_by), ("quotes about", detail.quotes_about)):
        stdout.print(f"[bold]{heading}[/bold] ({len(quotes)})")
        _print_quotes(quotes)


def _print_quotes(rows: list[QuoteRow]) -> None:
    table = Table("speaker", "quote", "date")
    for r in rows[:50]:
        table.add_row(Cell(r.speaker) if r.speaker else UNKNOWN, Cell(r.text, 160), r.published or "")
    stdout.print(table)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
