"""What every command module shares: the consoles, the --db option, and plain error reporting."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
from rich.console import Console

from quotegraph import settings
from quotegraph.errors import QuotegraphError

F = TypeVar("F", bound=Callable[..., Any])
console = Console()
errors = Console(stderr=True)


def user_errors(func: F) -> F:
    """Library errors become a one-line message and exit code 1, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QuotegraphError as exc:
            errors.print(f"[red]error:[/red] {exc}")
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def db_option(func: F) -> F:
    return click.option(
        "--db", default=settings.get("db"), show_default=True, help=settings.SETTINGS["db"].help
    )(func)


def shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
