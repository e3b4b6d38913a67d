"""``quotegraph serve``: the web pages and JSON API for one database, on this machine by default."""

from __future__ import annotations

import click

from quotegraph import settings
from quotegraph.serve.cli.common import db_option


@click.command()
@db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every network)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name the server also answers to (it always answers to --host, to IP addresses and "
    "to localhost): requests naming any other host are refused, against DNS rebinding. Repeat for more.",
)
@click.option(
    "--ingest-token",
    default=lambda: settings.get("ingest_token") or None,
    show_default=f"${settings.SETTINGS['ingest_token'].env_var}",
    help=settings.SETTINGS["ingest_token"].help,
)
def serve(db: str, host: str, port: int, allowed_hosts: tuple[str, ...], ingest_token: str | None) -> None:
    """Serve the web pages and the JSON API (under /api) for a database."""
    # imported here so that other commands do not pay for loading the web stack
    import uvicorn

    from quotegraph.serve.web.app import create_app

    app = create_app(db, ingest_token=ingest_token, allowed_hosts=[host, *allowed_hosts])
    click.echo(f"quotegraph on http://{host}:{port}/ ({db}, {'ingest on' if ingest_token else 'read-only'})")
    # On SIGTERM or Ctrl-C, requests still running after SHUTDOWN_SECONDS are cut off: an ingest can
    # take minutes, and a server asked to stop must stop.
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=SHUTDOWN_SECONDS)


SHUTDOWN_SECONDS = 3
