"""What the admin API's two waits share (``POST /_mock/requests/wait``, ``POST /_mock/notifications/wait``): the
``timeout`` they take and the one shape of their 408 reply when it runs out."""

from __future__ import annotations

import json

from starlette.responses import JSONResponse

from mock_server.api.http import field
from mock_server.restli.errors import RestliError
from mock_server.restli.render import ERROR_HEADER

DEFAULT_WAIT_S = 10
MAX_WAIT_S = 300


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
