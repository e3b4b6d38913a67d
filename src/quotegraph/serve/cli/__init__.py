"""The command line, in one place: each command opens what it needs and makes one library call.

Commands import the heavy parts (spaCy, the gazetteer, Dask, the web stack) inside themselves, so
that `quotegraph --version` or `quotegraph quotes` never load them.
"""

from __future__ import annotations

import traceback
from typing import Any

import click
from rich.markup import escape

from quotegraph.errors import QuotegraphError
from quotegraph.serve.cli import batch, entities, ingest, quotes, web
from quotegraph.serve.cli.common import stderr

_BUG = (
    "This is a bug in quotegraph, not something you did wrong. Please report it with the traceback "
    "above and the command you ran."
)


class _Commands(click.Group):
    """Library errors become one line and exit code 1; any other exception is a bug, shown with its
    traceback and a line saying so."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QuotegraphError as exc:
            stderr.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception:
            traceback.print_exc()
            stderr.print(_BUG, markup=False, highlight=False)
            ctx.exit(1)


@click.group(cls=_Commands)
@click.version_option(package_name="quotegraph")
def main() -> None:
    """quotegraph: who said what, about whom, where and when, from news articles."""


for command in (
    ingest.ingest,
    ingest.extract,
    ingest.evaluate,
    quotes.quotes,
    quotes.export,
    quotes.speakers,
    quotes.relays,
    quotes.checks,
    quotes.show,
    entities.entities,
    entities.entity,
    web.serve,
    batch.batch,
    batch.load,
):
    main.add_command(command)

__all__ = ["main"]
