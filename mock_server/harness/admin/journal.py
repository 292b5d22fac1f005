"""The request journal under ``/_mock/requests`` (see :mod:`mock_server.harness.journal` for an entry's shape).

==============================  ====================================================================
``GET    /_mock/requests``      ``?method=&path=&resource=&restliMethod=&status=&application=&since=&limit=``
                                → ``{"count", "requests": [entry, ...]}``, oldest first
``DELETE /_mock/requests``      empty the journal (204)
``POST   /_mock/requests/wait`` ``{"filter": {criteria}, "count": N (1), "timeout": seconds (10)}``: blocks until
                                N journaled requests match → 200 ``{"count", "requests"}``; after the timeout
                                408 in the error envelope (``1 of 2 requests matched {criteria as JSON}
                                within 2.0 s``) plus ``filter``, ``count`` and the ``requests`` that matched
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
from mock_server.harness.admin.waiting import timed_out, wait_timeout
from mock_server.harness.criteria import REQUEST_CRITERIA
from mock_server.restli.errors import RestliError
from mock_server.restli.integers import NumberError, parse_int


async def list_requests(request: Request) -> JSONResponse:
    """Journaled requests matching the query parameters."""
    emulator = world(request)
    params = query_params(request)
    given = params.pop("limit", None)
    try:
        limit = None if given is None else parse_int(given, minimum=1)
    except NumberError as error:
        raise RestliError(400, f"ERROR :: /limit :: {error}") from None
    found = emulator.journal.query(REQUEST_CRITERIA.parse(params, "/query"), limit)
    return JSONResponse({"count": len(found), "requests": found})


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
    if count < 1:
        raise RestliError(400, "ERROR :: /count :: must be at least 1")
    timeout = wait_timeout(body)
    done, found = await emulator.journal.wait(criteria, count, timeout)
    if done:
        return JSONResponse({"count": len(found), "requests": found})
    return timed_out("request", criteria, timeout, "requests", found, wanted=count, matched=len(found))
