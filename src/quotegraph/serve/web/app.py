"""One FastAPI app: the JSON API under /api and the server-rendered pages, on one store.

Handlers are plain functions that FastAPI runs in its thread pool, each with a store of its own from
the app's pool (``state.StorePool``), so database work never blocks the event loop and no connection
is shared between threads; sums over the whole database are kept until the data changes
(``state.Snapshot``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from quotegraph.errors import InputError, InvalidParameter, QuotegraphError
from quotegraph.serve.web import api, event_pages, pages
from quotegraph.serve.web.guard import SECURITY_HEADERS, RequestGuard
from quotegraph.serve.web.state import Snapshot, StorePool

STATIC = Path(__file__).resolve().parent / "static"
logger = logging.getLogger(__name__)


def create_app(
    db: str, *, ingest_token: str | None = None, allowed_hosts: Iterable[str] | None = None
) -> FastAPI:
    """The app for database ``db``; POST /api/articles is enabled only when ``ingest_token`` is set.

    Read-only, the database must exist (a mistyped path is an error, not an empty site); with ingest
    on, it is created when missing and refused when damaged, as for any write run. Requests pass the
    guard first (``guard.py``): the body's size, and with ``allowed_hosts`` (``serve`` gives the
    host it listens on) the Host header.
    """
    pool = StorePool(db, writing=bool(ingest_token))
    snapshot = Snapshot()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # The home page's sums, computed as the server starts rather than by its first visitor.
        threading.Thread(target=pages.warm, args=(pool, snapshot), daemon=True).start()
        yield
        pool.close()

    # /docs would load Swagger UI from a CDN: the schema stays at /openapi.json, the viewer is off.
    app = FastAPI(
        title="quotegraph",
        summary="Who said what: quotes, speakers, relays and places from news articles.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.snapshot = snapshot
    app.state.ingest_token = ingest_token or None
    app.middleware("http")(_secure)
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(QuotegraphError, _quotegraph_error)  # type: ignore[arg-type]
    app.add_exception_handler(ClientDisconnect, _client_left)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    app.include_router(event_pages.router)
    app.add_middleware(RequestGuard, hosts=allowed_hosts)  # added last: the first to see a request
    return app


async def _secure(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    return response


def error_response(request: Request, status: int, message: str) -> Response:
    """The one error shape: ``{"error": {"status", "message"}}`` for the API, a page for a browser."""
    if request.url.path.startswith("/api") or request.url.path == "/openapi.json":
        response: Response = JSONResponse({"error": {"status": status, "message": message}}, status)
    else:
        response = pages.error_page(request, status, message)
    response.headers.update(SECURITY_HEADERS)  # a 500 is answered outside the middleware
    return response


async def _http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return error_response(request, exc.status_code, message)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return error_response(request, 422, problems)


async def _quotegraph_error(request: Request, exc: QuotegraphError) -> Response:
    """A bad parameter or posted input is the caller's to fix (422); anything else (the database) is
    ours: a 500 whose message names no file, URL or SQL (the server log has them)."""
    if isinstance(exc, InputError | InvalidParameter):
        return error_response(request, 422, str(exc))
    return await _server_error(request, exc)


async def _client_left(request: Request, exc: ClientDisconnect) -> Response:
    """The client went (or the guard cut its body off, and answers it itself): nothing to log."""
    return Response(status_code=400)


async def _server_error(request: Request, exc: Exception) -> Response:
    logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, f"internal error ({type(exc).__name__}): see the server log")
