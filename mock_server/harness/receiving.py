"""How every request's body is received, whatever the route: one size limit, one deadline, and a client that
hangs up told apart from a defect.

:class:`BodyGuardMiddleware` sits inside the journal's middleware (so what it refuses is journaled) and outside
the fault rules:

* **size** — a body over ``settings.max_body_bytes`` (1 MiB) is refused with 413 on every route: at once when
  ``Content-Length`` says so (the body is never read), else as soon as the bytes read pass the limit
  (:class:`BodyTooLarge`, raised from ``receive``). Two routes have a larger limit of their own
  (:func:`body_limit`): the résumé upload (``/media/upload/…``: 10 MB,
  :data:`mock_server.domain.attachments.MAX_BYTES`) and the snapshot import (``PUT /_mock/snapshot``:
  ``settings.max_snapshot_bytes``, 1 GiB, so that an export is importable back);
* **headers** — headers over 64 KiB in all are refused with 431 before anything else
  (:func:`~mock_server.restli.limits.check_header_size`), in the route's style too;
* **time** — the whole body must arrive within ``settings.body_timeout`` seconds of the request's head, else
  408 (:class:`BodyTimeout`), and the connection is closed (``Connection: close``). After a 413 the connection
  stays open: the server reads what the client still sends and drops it, so the client reads the 413 rather
  than a reset connection;
* **hang-ups** — a client that closes the connection before its body is complete raises
  :class:`ClientClosed` from ``receive``: its journal entry has status **499** ("client closed request", nginx's
  convention; no reply reaches the client) and it logs one access line, never an error.

The refusals are :class:`~mock_server.restli.errors.RestliError`\\ s, so the Rest.li dispatcher renders them as
it renders its own errors and every other route through the app's exception handler, each in the route's own
shape (:mod:`mock_server.api.error_styles`). Once the body is complete, ``receive`` is passed through untouched.
"""

from __future__ import annotations

import asyncio
import re
import time

from starlette.datastructures import Headers

from mock_server.api.error_styles import error_reply
from mock_server.api.resources.hire_media_url import UPLOAD_PATH
from mock_server.domain.attachments import MAX_BYTES as UPLOAD_MAX_BYTES
from mock_server.restli.errors import RestliError
from mock_server.restli.limits import check_header_size

CLIENT_CLOSED = 499
# A snapshot import takes back what GET /_mock/snapshot exported: a long-running world's state (its tokens,
# outbox and synced records) is far over the API's 1 MiB, so the route has a limit of its own
# (settings.max_snapshot_bytes, 1 GiB).
SNAPSHOT_PATH = re.compile(r"/_mock(/sandboxes/[^/]+)?/snapshot/?")
CLOSE = {"Connection": "close"}


class BodyTooLarge(RestliError):
    """413: the request body is over ``limit`` bytes."""

    def __init__(self, limit: int, declared: int | None = None) -> None:
        size = f"of {declared} bytes " if declared is not None else ""
        megabytes = f" ({limit >> 20} MB)" if limit % (1 << 20) == 0 else ""
        super().__init__(413, f"Request body {size}is over the limit of {limit} bytes{megabytes}")


class BodyTimeout(RestliError):
    """408: the request body did not arrive within ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"The request body did not arrive within {seconds:g} s", headers=CLOSE)


class ClientClosed(RestliError):
    """499: the client closed the connection before sending its whole body (nothing can be answered)."""

    def __init__(self) -> None:
        super().__init__(CLIENT_CLOSED, "Client closed request before sending its whole body")


def body_limit(path: str, settings) -> int:
    """The largest body (bytes) a request to ``path`` may send: ``settings.max_body_bytes``, or, whichever is
    larger, for a résumé upload (``/media/upload/…``) the résumé limit of 10 MB and for a snapshot import
    (``/_mock/snapshot``, ``/_mock/sandboxes/{id}/snapshot``) ``settings.max_snapshot_bytes`` (1 GiB)."""
    if path.startswith(UPLOAD_PATH):
        return max(UPLOAD_MAX_BYTES, settings.max_body_bytes)
    if SNAPSHOT_PATH.fullmatch(path):
        return max(settings.max_snapshot_bytes, settings.max_body_bytes)
    return settings.max_body_bytes


def declared_length(headers: Headers) -> int | None:
    """The request's ``Content-Length`` as an int, or None when it is absent or not a plain number (the server
    then frames the body itself and the bytes read are counted instead)."""
    value = headers.get("content-length", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


class GuardedReceive:
    """An ASGI ``receive`` that enforces the size ``limit`` (bytes) and the ``deadline`` (``time.monotonic()``
    seconds) until the body is complete, and raises :class:`ClientClosed` on a hang-up before that."""

    def __init__(self, receive, limit: int, timeout_s: float) -> None:
        self._receive = receive
        self.limit = limit
        self.timeout_s = timeout_s
        self.deadline = time.monotonic() + timeout_s
        self.size = 0
        self.complete = False

    async def __call__(self) -> dict:
        if self.complete:
            return await self._receive()
        try:
            message = await asyncio.wait_for(self._receive(), max(0.0, self.deadline - time.monotonic()))
        except asyncio.TimeoutError:
            raise BodyTimeout(self.timeout_s) from None
        if message["type"] == "http.disconnect":
            raise ClientClosed()
        if message["type"] == "http.request":
            self.size += len(message.get("body", b""))
            if self.size > self.limit:
                raise BodyTooLarge(self.limit)
            self.complete = not message.get("more_body", False)
        return message


class BodyGuardMiddleware:
    """Applies the size limit, the body deadline and hang-up detection of the module docstring to every HTTP
    request; ``settings`` is the emulator's :class:`~mock_server.config.Settings`."""

    def __init__(self, app, settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"], self.settings)
        headers = Headers(scope=scope)
        declared = declared_length(headers)
        try:
            check_header_size(scope["headers"])
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit, declared)
        except RestliError as refusal:
            await error_reply(scope["path"], headers, refusal)(scope, receive, send)
            return
        started = False

        async def watched_send(message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, GuardedReceive(receive, limit, self.settings.body_timeout), watched_send)
        except (BodyTooLarge, BodyTimeout, ClientClosed) as refusal:  # raised outside the app's handlers
            if started:  # (a fault action draining the body)
                raise
            await error_reply(scope["path"], headers, refusal)(scope, receive, send)
