"""The test harness's ASGI middleware, outermost in the app (see :class:`HarnessedStarlette`):

* :class:`RecordingMiddleware` first finds the sandbox serving the request (its
  :class:`~mock_server.harness.addressing.Address`, placed by
  :meth:`~mock_server.harness.sandboxes.Sandboxes.place`) and puts its world in the scope for
  :func:`~mock_server.api.http.world` (or, when the request names no sandbox there is, the refusal that endpoint
  raises). Then it gives each request an id (sent back as ``X-Request-Id`` and ``X-LI-UUID``), records request
  and reply in the sandbox's journal and logs one line per request (``/_mock/*`` only when
  ``settings.journal_admin``; nothing journaled for a refused sandbox); the request's advisories
  (:mod:`mock_server.advisories`) go to the reply, the journal entry and the log line. The entry is recorded
  before the reply's last bytes are sent, so a client that has its whole reply always finds it journaled. An
  entry is bounded — bodies up to 64 KiB each, the query string up to 8 KiB, each header value up to 1 KiB and
  all headers of one side up to 8 KiB — and masked (:mod:`mock_server.harness.masking`) before anything can show
  it.
* :class:`~mock_server.harness.receiving.BodyGuardMiddleware`, inside it: the body size limit, the body
  deadline and hang-ups (journaled with status 499).
* :class:`FaultMiddleware`, inside that, applies the sandbox's fault rules, so the journal sees faulted replies
  too.
* :class:`NamedWorldGuard` wraps the ``/_mock`` admin routes: a request naming a sandbox that does not exist (or
  two different ones) is refused there, also by the endpoints that read no world (the certification catalogue,
  the OpenAPI document, the fidelity ledger), as every other route refuses it.

A dropped connection closes the socket without a reply: the transport behind uvicorn's ``send`` is closed
(with another ASGI server, the middleware raises ``ConnectionAbortedError`` and the server decides).
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

from starlette.applications import Starlette

from mock_server.advisories import advisories_of, header_lines
from mock_server.api.http import WORLD_KEY
from mock_server.harness.addressing import ADMIN_PREFIX, read_address
from mock_server.harness.fault_actions import Exchange
from mock_server.harness.masking import mask_text, masked_headers
from mock_server.harness.receiving import BodyGuardMiddleware
from mock_server.harness.request_info import describe
from mock_server.logs import log_request
from mock_server.restli.errors import RestliError

BODY_LIMIT = 64 * 1024
QUERY_LIMIT = 8 * 1024
HEADER_VALUE_LIMIT = 1024
HEADERS_LIMIT = 8 * 1024
INFO_KEY = "rsc_mock.request"
FAULT_KEY = "rsc_mock.fault"
SERVER_SEND_KEY = "rsc_mock.server_send"


class NamedWorldGuard:
    """ASGI middleware for a table of admin routes: raises the refusal :class:`RecordingMiddleware` put in the
    scope (404 for a sandbox id nobody has, 400 for two different ones) before any endpoint runs, so every
    ``/_mock`` route answers an unknown sandbox alike, whether or not it reads a world."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        refusal = scope.get(WORLD_KEY)
        if scope["type"] == "http" and isinstance(refusal, RestliError):
            raise refusal
        await self.app(scope, receive, send)


class BodyCapture:
    """The first ``limit`` bytes of a body that passes by in chunks, and its full size."""

    def __init__(self, limit: int = BODY_LIMIT) -> None:
        self.limit = limit
        self.kept = bytearray()
        self.size = 0

    def add(self, chunk: bytes) -> None:
        """Count ``chunk`` and keep what fits under the limit."""
        self.size += len(chunk)
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]

    def view(self, headers: dict[str, str]) -> dict:
        """``{"headers", "headersTruncated", "body": text, "bodyBytes", "bodyTruncated"}``: the (masked)
        ``headers`` bounded by :func:`bounded_headers`, the body kept as text with its secrets masked."""
        shown, cut = bounded_headers(headers)
        return {"headers": shown, "headersTruncated": cut, "body": mask_text(self.kept.decode("utf-8", "replace")),
                "bodyBytes": self.size, "bodyTruncated": self.size > self.limit}


def bounded_headers(headers: dict[str, str]) -> tuple[dict[str, str], bool]:
    """``(headers kept, whether any was cut)``: each value cut at :data:`HEADER_VALUE_LIMIT` characters, and the
    headers after the first :data:`HEADERS_LIMIT` characters (names and values) left out."""
    kept: dict[str, str] = {}
    used, cut = 0, False
    for name, value in headers.items():
        if len(value) > HEADER_VALUE_LIMIT:
            value, cut = value[:HEADER_VALUE_LIMIT], True
        used += len(name) + len(value)
        if used > HEADERS_LIMIT:
            return kept, True
        kept[name] = value
    return kept, cut


class RecordingMiddleware:
    """Request id, journal entry and log line for every HTTP request (see the module docstring)."""

    def __init__(self, app, sandboxes) -> None:
        self.app = app
        self.sandboxes = sandboxes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.sandboxes.default.world.settings
        address, receive = await read_address(scope, receive, settings.max_body_bytes, settings.body_timeout)
        try:
            sandbox = self.sandboxes.place(address)
        except RestliError as refusal:
            sandbox, scope[WORLD_KEY] = None, refusal
        else:
            scope[WORLD_KEY] = sandbox.world
            sandbox.enter()
        try:
            await self._record(scope, receive, send, sandbox)
        finally:
            if sandbox is not None:
                sandbox.leave()

    async def _record(self, scope, receive, send, sandbox) -> None:
        world = (sandbox or self.sandboxes.default).world
        info = describe(scope, world)
        scope[INFO_KEY], scope[SERVER_SEND_KEY] = info, send
        arrived, started = world.clock.now_ms(), time.perf_counter()
        request_body, response_body = BodyCapture(), BodyCapture()
        reply: dict = {"status": None, "headers": {}}
        request_id = info.id.encode()
        advisories = advisories_of(scope)
        recorded = False

        def record() -> None:
            nonlocal recorded
            if recorded:
                return
            recorded = True
            entry = self._entry(world, info, arrived, started, scope, reply, request_body, response_body)
            if sandbox is not None and (not info.path.startswith(ADMIN_PREFIX) or world.settings.journal_admin):
                world.journal.record(entry)
            log_request(entry, sandbox.id if sandbox is not None and sandbox is not self.sandboxes.default else None)

        async def recording_receive():
            message = await receive()
            if message["type"] == "http.request":
                request_body.add(message.get("body", b""))
            return message

        async def recording_send(message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"x-request-id", request_id), (b"x-li-uuid", request_id),
                           *header_lines(advisories)]
                message = {**message, "headers": headers}
                reply["status"], reply["headers"] = message["status"], masked_headers(headers)
            elif message["type"] == "http.response.body":
                response_body.add(message.get("body", b""))
                if not message.get("more_body", False):
                    record()  # before the last bytes go out: a client holding the reply finds it journaled
            await send(message)

        try:
            await self.app(scope, recording_receive, recording_send)
        except Exception:
            reply["status"] = reply["status"] or 500
            raise
        finally:
            record()

    def _entry(self, world, info, arrived, started, scope, reply, request_body, response_body) -> dict:
        if info.application is None and info.path.startswith("/oauth/"):
            self._token_caller(world, info, request_body)
        fault: Exchange | None = scope.get(FAULT_KEY)
        return {"id": info.id, "at": arrived, **info.fields(), "query": mask_text(info.query[:QUERY_LIMIT]),
                "queryTruncated": len(info.query) > QUERY_LIMIT,
                "status": reply["status"], "latencyMs": round((time.perf_counter() - started) * 1000, 2),
                "fault": fault.rule if fault else None, "dropped": bool(fault and fault.dropped),
                "advisories": [item.to_dict() for item in advisories_of(scope)],
                "request": request_body.view(info.headers), "response": response_body.view(reply["headers"])}

    def _token_caller(self, world, info, request_body: BodyCapture) -> None:
        """The application of an OAuth request: the ``client_id`` of its form."""
        client_id = parse_qs(request_body.kept.decode("utf-8", errors="replace")).get("client_id", [None])[0]
        application = world.customers.by_client_id(client_id) if client_id else None
        if application is not None:
            info.application, info.client_id = application["key"], client_id


class FaultMiddleware:
    """Applies the :mod:`mock_server.harness.faults` rules of the request's sandbox (the world
    :class:`RecordingMiddleware` placed in the scope) to every request outside ``/_mock``: the deciding rule's
    actions (:mod:`mock_server.harness.fault_actions`) in order, then the app unless an action answered. A
    request refused a sandbox is never faulted."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        world = scope.get(WORLD_KEY)
        if (scope["type"] != "http" or isinstance(world, RestliError) or not world.faults
                or scope["path"].startswith(ADMIN_PREFIX)):  # no rules: no fault work at all
            await self.app(scope, receive, send)
            return
        decision = world.faults.decide(scope[INFO_KEY].fields())
        if decision is None:
            await self.app(scope, receive, send)
            return
        exchange = Exchange(scope, receive, send, scope.get(SERVER_SEND_KEY, send), decision.rule)
        scope[FAULT_KEY] = exchange
        for action in decision.actions:
            await action.apply(exchange)
        if not exchange.answered:
            await self.app(scope, exchange.receive, exchange.send)


class HarnessedStarlette(Starlette):
    """Starlette with the harness middleware outside everything else (even Starlette's error handler), so
    500s are journaled and a dropped connection reaches the server's transport. Needs ``app.state.sandboxes``
    (:class:`~mock_server.harness.sandboxes.Sandboxes`)."""

    def build_middleware_stack(self):
        """Starlette's stack wrapped in :class:`FaultMiddleware`,
        :class:`~mock_server.harness.receiving.BodyGuardMiddleware` and :class:`RecordingMiddleware`."""
        faulted = FaultMiddleware(super().build_middleware_stack())
        return RecordingMiddleware(BodyGuardMiddleware(faulted, self.state.emulator.settings), self.state.sandboxes)
