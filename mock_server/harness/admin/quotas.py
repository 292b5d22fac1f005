"""Daily call quotas under ``/_mock/quotas``: read the limits and today's usage, or change limits for a test.

=====================  ================================================================================
``GET  /_mock/quotas``  ``{"now", "day", "resetsAt", "limits": {resource: {"group", "callsPerDay",
                        "overridden"}}, "usage": [{"application", "group", "used"}]}`` — ``now`` and
                        ``resetsAt`` (the next midnight UTC) in epoch ms on the emulator's clock, ``day`` the
                        UTC date ``YYYY-MM-DD`` the usage counts belong to
``PUT  /_mock/quotas``  ``{"<resource path>": <calls per day> | null, ...}``: set each limit (``null``
                        restores LinkedIn's number); all or nothing; answers like ``GET``
=====================  ================================================================================

``POST /_mock/reset`` clears every override and count. Each resource declares its limit (its
:class:`~mock_server.api.gate.Policy`; LinkedIn's numbers in :mod:`mock_server.domain.quotas`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.gate import declared_quotas
from mock_server.api.http import json_body, world
from mock_server.domain.quotas import DAY_MS
from mock_server.restli.errors import RestliError

if TYPE_CHECKING:
    from mock_server.emulator import Emulator
    from mock_server.restli.dispatch import Dispatcher


def quota_view(emulator: Emulator, served: Dispatcher) -> dict:
    """The ``GET /_mock/quotas`` document for ``emulator`` serving the resources of ``served``, whose quotas
    each resource declares."""
    quotas = emulator.quotas
    declared = declared_quotas(served.resources.values())
    now = emulator.clock.now_ms()
    today = now // DAY_MS
    limits = {}
    for resource in sorted(set(declared) | set(quotas.limits)):
        found = quotas.limit_of(resource, declared.get(resource))
        if found is not None:
            limits[resource] = {"group": found[0], "callsPerDay": found[1], "overridden": resource in quotas.limits}
    usage = [{"application": row["application"], "group": row["group"], "used": row["used"]}
             for row in quotas.usage() if row["day"] == today]
    day = datetime.datetime.fromtimestamp(today * DAY_MS / 1000, datetime.timezone.utc).date().isoformat()
    return {"now": now, "day": day, "resetsAt": (today + 1) * DAY_MS, "limits": limits, "usage": usage}


def read_limits(served: Dispatcher, body: dict) -> dict[str, int | None]:
    """The ``{resource: limit or None}`` of a ``PUT`` body; 400 naming the first bad entry (a resource
    ``served`` does not serve, or a limit that is not a whole number ≥ 0 or null)."""
    known = {path for _, path in served.resources}
    if not body:
        raise RestliError(400, 'Send {"<resource path>": <calls per day> | null, ...}')
    for resource, limit in body.items():
        if resource not in known:
            raise RestliError(400, f"ERROR :: /{resource} :: unknown resource (known: {', '.join(sorted(known))})")
        if limit is not None and (type(limit) is not int or limit < 0):
            raise RestliError(400, f"ERROR :: /{resource} :: the limit must be a whole number of calls per day"
                                   " (0 or more) or null to restore LinkedIn's limit")
    return body


async def get_quotas(request: Request) -> JSONResponse:
    """Limits per resource and today's usage per application and quota group."""
    return JSONResponse(quota_view(world(request), request.app.state.dispatcher))


async def put_quotas(request: Request) -> JSONResponse:
    """Set (or with null restore) daily limits, then answer like ``GET``."""
    emulator, served = world(request), request.app.state.dispatcher
    for resource, limit in read_limits(served, await json_body(request, required=True)).items():
        emulator.quotas.set_limit(resource, limit)
    return JSONResponse(quota_view(emulator, served))
