"""What every request passes before the app sees it: a Host the server answers to, a body it can hold.

- Host: a page on another site can make a browser send requests to a server on 127.0.0.1 through a
  name of its own that it points at 127.0.0.1 (DNS rebinding); the browser then sends that name as
  the Host header. A request whose Host is not an address, ``localhost``, the name the server
  listens on or one it was given (``serve --allowed-host``) is refused with 421.
- Body: a body larger than the ``max_file_bytes`` setting is refused with 413 as soon as that is
  known: from its Content-Length before a byte of it is read, or, streamed in chunks, once the
  bytes read pass the limit (the app is told the client left, and its answer is replaced).
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from quotegraph import settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    # No inline script or style anywhere, no other origin: article text is untrusted, and an injected
    # <script> or on*= attribute that slipped past escaping would still not run.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class RequestGuard:
    """ASGI middleware, outermost: checks the Host header (unless ``hosts`` is None) and the body size."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str] | None) -> None:
        self.app = app
        self.hosts = None if hosts is None else {_host_name(h) for h in hosts} | {"localhost"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if self.hosts is not None and not self._allowed(headers.get("host", "")):
            await _refuse(
                send, 421, "this server does not answer to that host name (see serve --allowed-host)"
            )
            return
        limit = settings.get_int("max_file_bytes")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _refuse(send, 413, _too_large(limit))
            return
        received = 0
        refused = False  # the body passed the limit: whatever the app answers, the answer is 413

        async def limited() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                refused = True  # the app reads no more of it: to the app, the client has gone
                return {"type": "http.disconnect"}
            return message

        answered = False

        async def sending(message: Message) -> None:
            nonlocal answered
            if not refused:
                await send(message)
            elif not answered:
                answered = True
                await _refuse(send, 413, _too_large(limit))

        await self.app(scope, limited, sending)
        if refused and not answered:
            await _refuse(send, 413, _too_large(limit))

    def _allowed(self, host: str) -> bool:
        name = _host_name(host)
        if self.hosts is None or name in self.hosts:
            return True
        try:
            ipaddress.ip_address(name)  # an address names no one else's site: no rebinding through it
        except ValueError:
            return False
        return True


def _too_large(limit: int) -> str:
    return f"the request body is larger than the limit of {limit:,} bytes (the max_file_bytes setting)"


def _host_name(host: str) -> str:
    """``example.org`` from ``Example.org:8000``, ``::1`` from ``[::1]:8000``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


async def _refuse(send: Send, status: int, message: str) -> None:
    """The one error shape (``{"error": {"status", "message"}}``), sent before the app runs; the
    connection is closed, since any body left unread cannot be skipped."""
    body = json.dumps({"error": {"status": status, "message": message}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
