"""``quotegraph serve``: the web pages and JSON API for one database, on this machine by default."""

from __future__ import annotations

from pathlib import Path

import click

from quotegraph.errors import QuotegraphError
from quotegraph.serve.common import db_option, user_errors


@click.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--ingest-token",
    envvar="QUOTEGRAPH_INGEST_TOKEN",
    help="Allow POST /api/articles with this token in the X-Ingest-Token header; read-only without it.",
)
@user_errors
def serve(db: str, host: str, port: int, ingest_token: str | None) -> None:
    """Serve the web pages and the JSON API (under /api) for a database."""
    # imported here so that other commands do not pay for loading the web stack
    import uvicorn

    from quotegraph.serve.web.app import create_app

    if "://" not in db and db != ":memory:" and not Path(db).is_file():
        raise click.ClickException(
            f"no database at {db!r}: create one with `quotegraph ingest PATH --db {db}`"
        )
    try:
        app = create_app(db, ingest_token=ingest_token)
    except QuotegraphError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"quotegraph on http://{host}:{port}/ ({db}, {'ingest on' if ingest_token else 'read-only'})")
    uvicorn.run(app, host=host, port=port, log_level="warning")
