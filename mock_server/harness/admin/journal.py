"""The request journal under ``/_mock/requests`` (see :mod:`mock_server.harness.journal` for an entry's shape).

==============================  ====================================================================
``GET    /_mock/requests``      ``?method=&path=&resource=&restliMethod=&status=&application=&since=``
                                ``&after=&limit=`` → one page ``{"count", "next", "requests": [entry,
                                ...]}``: the matching entries whose ``seq`` is above ``after`` (default 0),
                                oldest first, at most ``limit`` (default 100, at most 1000) and about
                                4 MiB of text; ``next`` is the ``after`` of the next page (null when no
                                later entry matches)
``DELETE /_mock/requests``      empty the journal (204)
``POST   /_mock/requests/wait`` ``{"filter": {criteria}, "count": N (1, at most 1000), "timeout": seconds
                                (10)}``: blocks until N journaled requests match → 200 ``{"count",
                                "requests", "next"}`` (``requests`` bounded like a page, ``next`` set when
                                it was cut); after the timeout 408 in the error envelope (``1 of 2 requests
                                matched {criteria as JSON} within 2.0 s``) plus ``filter``, ``count`` and
                                the ``requests`` that matched
==============================  ====================================================================

Criteria (:data:`mock_server.harness.criteria.REQUEST_CRITERIA`): ``path`` is a glob (``/v2/atsCandidates*``)
or a prefix, ``status`` an integer or a class (``4xx``), ``since`` epoch ms on the emulator's clock,
``application`` an application key or client id. ``/_mock/*`` requests are journaled only with
``settings.journal_admin``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_server.api.http import field, json_body, query_params, world
from mock_server.harness.admin.waiting import timed_out, unless_stopped, wait_timeout
from mock_server.harness.criteria import REQUEST_CRITERIA
from mock_server.harness.journal import DEFAULT_PAGE, MAX_PAGE, within_bytes
from mock_server.restli.errors import RestliError
from mock_server.restli.integers import NumberError, parse_int


def int_param(params: dict, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    """Query parameter ``name`` (removed from ``params``) as an integer from ``minimum`` to ``maximum``;
    ``default`` when absent; 400 ``ERROR :: /<name> :: …`` otherwise."""
    raw = params.pop(name, None)
    if raw is None:
        return default
    try:
        value = parse_int(raw, minimum=minimum)
    except NumberError as error:
        raise RestliError(400, f"ERROR :: /{name} :: {error}") from None
    if maximum is not None and value > maximum:
        raise RestliError(400, f"ERROR :: /{name} :: must be at most {maximum}")
    return value


async def list_requests(request: Request) -> JSONResponse:
    """One page of the journaled requests matching the query parameters."""
    emulator = world(request)
    params = query_params(request)
    limit = int_param(params, "limit", DEFAULT_PAGE, 1, MAX_PAGE)
    after = int_param(params, "after", 0, 0)
    page = emulator.journal.page(REQUEST_CRITERIA.parse(params, "/query"), after, limit)
    return JSONResponse({"count": len(page.entries), "next": page.next, "requests": page.entries})


async def clear_requests(request: Request) -> Response:
    """Empty the journal."""
    emulator = world(request)
    emulator.journal.clear()
    return Response(status_code=204)


async def wait_for_requests(request: Request) -> JSONResponse:
    """Block until enough journaled requests match, or answer 408 with those that did."""
    emulator = world(request)
    body = await json_body(request, allowed=("filter", "count", "timeout"))
    criteria = REQUEST_CRITERIA.parse(field(body, "filter", dict, required=False, default={}), "/filter")
    count = field(body, "count", int, required=False, default=1)
    if not 1 <= count <= MAX_PAGE:
        raise RestliError(400, f"ERROR :: /count :: must be from 1 to {MAX_PAGE}")
    timeout = wait_timeout(body)
    done, found = await unless_stopped(emulator, emulator.journal.wait(criteria, count, timeout))
    shown = within_bytes(found)
    if done:
        return JSONResponse({"count": len(found), "requests": shown,
                             "next": shown[-1]["seq"] if len(shown) < len(found) else None})
    return timed_out("request", criteria, timeout, "requests", shown, wanted=count, matched=len(found))
