"""The push-notification outbox under ``/_mock/notifications`` (see :mod:`mock_server.domain.recruiter.notifications`).

==========================================  =========================================================================
``GET  /_mock/notifications``               ``{"count", "notifications": [doc, ...]}`` oldest first; query filters
                                            ``type``, ``application``, ``integrationContext``, ``status``
``GET  /_mock/notifications/{id}``          one notification with its attempt log; 404 when unknown
``POST /_mock/notifications/{id}/redeliver``  a new round of attempts now → the notification; 409 while an attempt
                                            is in flight or after it expired
``POST /_mock/notifications/wait``          ``{"filter": {"id"?, "type"?, "application"?, "integrationContext"?,
                                            "status"? (default "delivered"), "attempts"? (at least n)},
                                            "timeout"?: seconds (default 10, at most 300)}`` → 200
                                            ``{"notification"}`` as soon as one matches; 408 with
                                            ``"notifications"`` (those matching the filter but its status and
                                            attempts) when the timeout passes
==========================================  =========================================================================
"""

from __future__ import annotations

import json

from starlette.responses import JSONResponse

from mock_server.api.http import field, json_body, query_params
from mock_server.domain.recruiter.notifications import STATUSES, TYPES
from mock_server.harness.admin.basics import admin_endpoint
from mock_server.restli.errors import RestliError
from mock_server.restli.integers import numeric

FILTERS = {"id": str, "type": str, "application": str, "integrationContext": str, "status": str, "attempts": int}
ENUMS = {"type": TYPES, "status": STATUSES}
MAX_WAIT_S = 300


def read_filter(values: dict, where: str) -> dict:
    """The notification filter in ``values`` (query parameters or the wait body's ``filter``); 400 naming the
    field for an unknown name, a wrong type or a value outside its enum."""
    wanted = {}
    for name, value in values.items():
        kind = FILTERS.get(name)
        if kind is None:
            raise RestliError(400, f"ERROR :: {where}{name} :: unknown filter (known: {', '.join(FILTERS)})")
        if kind is int:
            value = numeric(value)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise RestliError(400, f"ERROR :: {where}{name} :: expected a {kind.__name__}")
        if name in ENUMS and value not in ENUMS[name]:
            raise RestliError(400, f"ERROR :: {where}{name} :: {json.dumps(value)} is not one of {', '.join(ENUMS[name])}")
        wanted[name] = value
    return wanted


@admin_endpoint
async def list_notifications(request, world) -> JSONResponse:
    """Every notification matching the query filters, with its attempt log."""
    found = world.outbox.find(**read_filter(query_params(request), "/"))
    return JSONResponse({"count": len(found), "notifications": found})


@admin_endpoint
async def get_notification(request, world) -> JSONResponse:
    """One notification."""
    return JSONResponse(world.outbox.get(request.path_params["notification_id"]))


@admin_endpoint
async def redeliver(request, world) -> JSONResponse:
    """Deliver a notification again (a new round of up to 7 attempts)."""
    return JSONResponse(world.outbox.redeliver(request.path_params["notification_id"]))


@admin_endpoint
async def wait(request, world) -> JSONResponse:
    """Block until a notification matches the filter (delivered unless the filter names a status)."""
    body = await json_body(request, allowed=("filter", "timeout"))
    wanted = {"status": "delivered", **read_filter(field(body, "filter", dict, required=False, default={}),
                                                   "/filter/")}
    timeout = field(body, "timeout", (int, float), required=False, default=10)
    if not 0 <= timeout <= MAX_WAIT_S:
        raise RestliError(400, f"ERROR :: /timeout :: must be between 0 and {MAX_WAIT_S} seconds")
    found = await world.outbox.wait(wanted, timeout)
    if found is not None:
        return JSONResponse({"notification": found})
    existing = world.outbox.find(**{k: v for k, v in wanted.items() if k not in ("status", "attempts")})
    return JSONResponse({"status": 408, "serviceErrorCode": 408, "filter": wanted, "notifications": existing,
                         "message": f"No notification matched {wanted} within {timeout} s"}, status_code=408)
