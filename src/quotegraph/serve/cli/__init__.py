"""The command line, in one place: each command opens what it needs and makes one library call.

Commands import the heavy parts (spaCy, the gazetteer, Dask, the web stack) inside themselves, so
that `quotegraph --version` or `quotegraph quotes` never load them.
"""

from __future__ import annotations

import importlib
import traceback
from typing import Any

import click

from quotegraph.errors import QuotegraphError
from quotegraph.version import __version__

# Each command's module is imported when the command runs (or --help lists them), so that
# `quotegraph --version` loads nothing but click.
_COMMANDS = {
    "ingest": "ingest",
    "extract": "ingest",
    "evaluate": "ingest",
    "quotes": "quotes",
    "export": "quotes",
    "speakers": "quotes",
    "relays": "quotes",
    "checks": "quotes",
    "show": "quotes",
    "entities": "entities",
    "entity": "entities",
    "events": "events",
    "event": "events",
    "serve": "web",
    "batch": "batch",
    "load": "batch",
}

_BUG = (
    "This is a bug in quotegraph, not something you did wrong. Please report it with the traceback "
    "above and the command you ran."
)


class _Commands(click.Group):
    """The commands of ``_COMMANDS``, loaded when used. Library errors become one line and exit code 1;
    any other exception is a bug, shown with its traceback and a line saying so."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module = importlib.import_module(f"quotegraph.serve.cli.{_COMMANDS[cmd_name]}")
        command: click.Command = getattr(module, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QuotegraphError as exc:
            click.echo(click.style("error:", fg="red") + f" {exc}", err=True)
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception:
            traceback.print_exc()
            click.echo(_BUG, err=True)
            ctx.exit(1)


@click.group(cls=_Commands)
@click.version_option(__version__, prog_name="quotegraph")
def main() -> None:
    """quotegraph: who said what, about whom, where and when, from news articles."""


__all__ = ["main"]
