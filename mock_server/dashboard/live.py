"""The live parts of the dashboard as server-sent events (``text/event-stream``), which the vendored htmx SSE
extension swaps into the page:

* ``GET /_mock/ui/journal/stream?<journal filters>&after=<seq>``: an ``entries`` event with the table rows of
  the requests journaled since (newest first), as they are journaled; each event's ``id`` is the last journal
  ``seq`` seen, so a reconnecting browser (``Last-Event-ID``) misses nothing and gets nothing twice;
* ``GET /_mock/ui/outbox/stream?<outbox filters>``: an ``outbox`` event with the outbox table's rows at once,
  then again after every change of the outbox (an enqueue, an attempt, a redelivery).

Both wait on the emulator's own signals (:meth:`mock_server.harness.journal.RequestJournal.wait_after`,
:meth:`mock_server.domain.recruiter.notifications.Outbox.next_change`), never poll; a comment line every
:data:`HEARTBEAT_S` seconds keeps proxies from closing the connection. A stream ends after :data:`STREAM_S`
seconds and the browser reconnects :data:`RETRY_MS` ms later, so no stream holds a server's graceful shutdown
for longer than that.
"""

from __future__ import annotations

import time

from starlette.responses import PlainTextResponse, StreamingResponse

from mock_server.api.http import world
from mock_server.dashboard import journal_view, outbox_view
from mock_server.dashboard.render import fragment
from mock_server.restli.errors import RestliError
from mock_server.restli.integers import NumberError, parse_int

STREAM_S = 20.0
HEARTBEAT_S = 5.0
RETRY_MS = 500
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def event(name: str | None, data: str = "", event_id: str | None = None) -> str:
    """One SSE message: ``event:``, ``id:`` and one ``data:`` line per line of ``data``."""
    lines = [f"event: {name}"] if name else []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines += [f"data: {line}" for line in data.splitlines()] if data else []
    return "\n".join(lines) + "\n\n"


def start_seq(request) -> int:
    """Where a journal stream starts: the later of ``?after=`` and the ``Last-Event-ID`` header (0 when
    neither is a number)."""
    found = 0
    for text in (request.query_params.get("after"), request.headers.get("last-event-id")):
        try:
            found = max(found, parse_int(text or ""))
        except NumberError:
            continue
    return found


def refused(error: RestliError) -> PlainTextResponse:
    """The 400 of a stream asked with a bad filter (the admin API's message)."""
    return PlainTextResponse(error.message, status_code=400)


def streamed(events) -> StreamingResponse:
    """An event stream of the async iterator ``events``."""
    return StreamingResponse(events, media_type="text/event-stream", headers=HEADERS)


async def journal_events(emulator, given: dict, criteria: dict, seq: int):
    """The events of a journal stream from ``seq`` on (see the module docstring)."""
    yield f"retry: {RETRY_MS}\n\n"
    deadline = time.monotonic() + STREAM_S
    while (left := deadline - time.monotonic()) > 0:
        entries, last = journal_view.newer(emulator, criteria, seq)
        if entries:
            yield event("entries", fragment("journal_rows.html", entries=entries, filters=given), str(last))
        elif last != seq:
            yield event(None, event_id=str(last))
        seq = last
        if not await emulator.journal.wait_after(seq, min(HEARTBEAT_S, left)):
            yield ": keep-alive\n\n"


async def outbox_events(emulator, criteria: dict):
    """The events of an outbox stream (see the module docstring)."""
    def rows() -> str:
        """The ``outbox`` event with the table's rows as they are now."""
        shown = outbox_view.notifications(emulator, criteria)
        return event("outbox", fragment("outbox_rows.html", notifications=shown))

    yield f"retry: {RETRY_MS}\n\n"
    yield rows()
    deadline = time.monotonic() + STREAM_S
    while (left := deadline - time.monotonic()) > 0:
        yield rows() if await emulator.outbox.next_change(min(HEARTBEAT_S, left)) else ": keep-alive\n\n"


async def journal_stream(request) -> StreamingResponse | PlainTextResponse:
    """The live journal (see the module docstring); 400 for a bad filter."""
    try:
        given, criteria = journal_view.read_filters(request.query_params)
    except RestliError as error:
        return refused(error)
    return streamed(journal_events(world(request), given, criteria, start_seq(request)))


async def outbox_stream(request) -> StreamingResponse | PlainTextResponse:
    """The live outbox (see the module docstring); 400 for a bad filter."""
    try:
        _, criteria = outbox_view.read_filters(request.query_params)
    except RestliError as error:
        return refused(error)
    return streamed(outbox_events(world(request), criteria))
