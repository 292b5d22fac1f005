"""The push-notification outbox under ``/_mock/notifications`` (see :mod:`mock_server.domain.recruiter.notifications`).

==========================================  =========================================================================
``GET  /_mock/notifications``               ``{"count", "notifications": [doc, ...]}`` oldest first; query filters
                                            as in the wait's ``filter`` (no default status)
``GET  /_mock/notifications/{id}``          one notification with its attempt log; 404 when unknown
``POST /_mock/notifications/{id}/redeliver``  a new round of attempts now → the notification; 409 while an attempt
                                            is in flight or after it expired
``POST /_mock/notifications/wait``          ``{"filter": {"id"?, "type"?, "application"?, "integrationContext"?,
                                            "status"? (default "delivered"), "attempts"? (at least n)},
                                            "timeout"?: seconds (default 10, at most 300)}`` → 200
                                            ``{"notification"}`` as soon as one matches; after the timeout 408
                                            in the error envelope (``No notification matched {criteria as JSON}
                                            within 2.0 s``) plus ``filter``, ``count`` and the ``notifications``
                                            matching the filter but its status and attempts
==========================================  =========================================================================

Filters are criteria of the harness's one filter language (:mod:`mock_server.harness.criteria`):
:data:`NOTIFICATION_CRITERIA`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.http import field, json_body, query_params, world
from mock_server.domain.recruiter.notifications import STATUSES, TYPES
from mock_server.harness.admin.waiting import timed_out, unless_stopped, wait_timeout
from mock_server.harness.criteria import AtLeast, Filter, Text

NOTIFICATION_CRITERIA = Filter(
    id=Text(),
    type=Text(choices=TYPES),
    application=Text(),                                  # the customer's application key
    integrationContext=Text(),
    status=Text(choices=STATUSES),
    attempts=AtLeast("attempts", "the least number of attempts made", count=True),
)
"""The criteria of a notification document (:mod:`mock_server.domain.recruiter.notifications`)."""


def selecting(criteria: dict) -> dict:
    """The keyword arguments of :meth:`~mock_server.domain.recruiter.notifications.Outbox.find` and ``wait``
    that select the notifications meeting ``criteria`` (checked :data:`NOTIFICATION_CRITERIA`): its equalities
    (looked up through the table's indexes) and ``where``, the whole test."""
    return {**NOTIFICATION_CRITERIA.equalities(criteria),
            "where": lambda doc: NOTIFICATION_CRITERIA.matches(doc, criteria)}


async def list_notifications(request: Request) -> JSONResponse:
    """Every notification matching the query filters, with its attempt log."""
    found = world(request).outbox.find(**selecting(NOTIFICATION_CRITERIA.parse(query_params(request), "")))
    return JSONResponse({"count": len(found), "notifications": found})


async def get_notification(request: Request) -> JSONResponse:
    """One notification."""
    emulator = world(request)
    return JSONResponse(emulator.outbox.get(request.path_params["notification_id"]))


async def redeliver(request: Request) -> JSONResponse:
    """Deliver a notification again (a new round of up to 7 attempts)."""
    emulator = world(request)
    return JSONResponse(emulator.outbox.redeliver(request.path_params["notification_id"]))


async def wait(request: Request) -> JSONResponse:
    """Block until a notification matches the filter (delivered unless the filter names a status)."""
    emulator = world(request)
    outbox = emulator.outbox
    body = await json_body(request, allowed=("filter", "timeout"))
    criteria = {"status": "delivered",
                **NOTIFICATION_CRITERIA.parse(field(body, "filter", dict, required=False, default={}), "/filter")}
    timeout = wait_timeout(body)
    found = await unless_stopped(emulator, outbox.wait(timeout, **selecting(criteria)))
    if found is not None:
        return JSONResponse({"notification": found})
    existing = outbox.find(**selecting({k: v for k, v in criteria.items() if k not in ("status", "attempts")}))
    return timed_out("notification", criteria, timeout, "notifications", existing)
