"""What the admin API's two waits share (``POST /_mock/requests/wait``, ``POST /_mock/notifications/wait``): the
``timeout`` they take, the one shape of their 408 reply when it runs out, and their end when the world they wait
in stops (its sandbox deleted)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from typing import TypeVar

from starlette.responses import JSONResponse

from mock_server.api.http import field
from mock_server.restli.errors import RestliError
from mock_server.restli.render import ERROR_HEADER

DEFAULT_WAIT_S = 10
MAX_WAIT_S = 300
T = TypeVar("T")


def wait_timeout(body: dict) -> float:
    """The wait body's ``timeout`` in seconds (default 10, from 0 to 300); 400 naming ``/timeout`` otherwise."""
    timeout = field(body, "timeout", (int, float), required=False, default=DEFAULT_WAIT_S)
    if not 0 <= timeout <= MAX_WAIT_S:
        raise RestliError(400, f"ERROR :: /timeout :: must be from 0 to {MAX_WAIT_S} seconds")
    return timeout


def timed_out(noun: str, criteria: dict, timeout: float, seen_key: str, seen: list[dict], wanted: int = 1,
              matched: int = 0) -> JSONResponse:
    """The 408 of a wait for ``wanted`` ``noun``\\ s matching ``criteria`` that ran out after ``timeout`` seconds
    with ``matched`` of them: LinkedIn's error envelope (``X-RestLi-Error-Response: true``) whose message shows
    the criteria as JSON — ``No request matched {"path": "/v2/x"} within 2.0 s``, or ``1 of 2 requests matched
    … within 0.5 s`` when several were wanted — plus ``filter`` (the criteria), ``count`` and ``seen_key``: the
    ``seen`` records the wait reports."""
    got = "No" if wanted == 1 else f"{matched} of {wanted}"
    message = (f"{got} {noun if wanted == 1 else noun + 's'} matched {json.dumps(criteria, sort_keys=True)}"
               f" within {float(timeout)} s")
    body = {**RestliError(408, message).body(), "filter": criteria, "count": len(seen), seen_key: seen}
    return JSONResponse(body, status_code=408, headers={ERROR_HEADER: "true"})


async def unless_stopped(emulator, waiting: Awaitable[T]) -> T:
    """What ``waiting`` gives, unless ``emulator`` (the world the wait is in) stops first — its sandbox deleted
    while the wait ran: then the wait is cancelled and 404 names the sandbox, as any later call of it is answered,
    rather than a 408 at the timeout saying nothing matched (503 when the default world stops: the server is
    shutting down)."""
    task, stopped = asyncio.ensure_future(waiting), asyncio.ensure_future(emulator.stopped.wait())
    try:
        done, _ = await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        if not task.done():
            task.cancel()
    if task in done:
        return task.result()
    if not emulator.tag:
        raise RestliError(503, "The emulator is shutting down: this wait ended with it")
    raise RestliError(404, f"No sandbox {emulator.tag!r}: it was deleted while this wait ran")
