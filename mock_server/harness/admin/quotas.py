"""Call and record quotas under ``/_mock/quotas``: read the limits and the current usage, or change limits for a
test.

=====================  ================================================================================
``GET  /_mock/quotas``  ``{"now", "day", "resetsAt", "minuteResetsAt", "limits": {resource: {"group",
                        "callsPerDay", "recordsPerMinute", "perMember", "overridden"}}, "usage":
                        [{"application", "group", "used"}], "minuteUsage": [{"application", "resource",
                        "member"?, "records"}]}`` — ``now``, ``resetsAt`` (the next midnight UTC) and
                        ``minuteResetsAt`` (the next minute) in epoch ms on the emulator's clock, ``day`` the
                        UTC date ``YYYY-MM-DD`` the usage counts belong to; ``recordsPerMinute`` is null where
                        LinkedIn sets no per-minute limit, ``perMember`` true where it counts per member
``PUT  /_mock/quotas``  ``{"<resource path>": <calls per day> | null | {"callsPerDay"?: n | null,
                        "recordsPerMinute"?: n | null}, ...}``: set each limit (``null`` restores LinkedIn's
                        number); all or nothing; answers like ``GET``
=====================  ================================================================================

``POST /_mock/reset`` clears every override and count. Each resource declares its limits (its
:class:`~mock_server.api.gate.Policy`; LinkedIn's numbers in :mod:`mock_server.domain.quotas`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.gate import declared_quotas
from mock_server.api.http import json_body, world
from mock_server.domain.quotas import DAY_MS, MINUTE_MS
from mock_server.restli.errors import RestliError

if TYPE_CHECKING:
    from mock_server.emulator import Emulator
    from mock_server.restli.dispatch import Dispatcher

LIMIT_FIELDS = ("callsPerDay", "recordsPerMinute")


def quota_view(emulator: Emulator, served: Dispatcher) -> dict:
    """The ``GET /_mock/quotas`` document for ``emulator`` serving the resources of ``served``, whose quotas
    each resource declares."""
    quotas = emulator.quotas
    declared = declared_quotas(served.resources.values())
    now = emulator.clock.now_ms()
    today = now // DAY_MS
    limits = {}
    for resource in sorted(set(declared) | set(quotas.limits) | set(quotas.minute_limits)):
        quota = declared.get(resource)
        found = quotas.limit_of(resource, quota)
        per_minute = quotas.minute_limit_of(resource, quota)
        if found is not None or per_minute is not None:
            limits[resource] = {"group": found[0] if found else resource, "callsPerDay": found[1] if found else None,
                                "recordsPerMinute": per_minute, "perMember": bool(quota and quota.per_member),
                                "overridden": resource in quotas.limits or resource in quotas.minute_limits}
    usage = [{"application": row["application"], "group": row["group"], "used": row["used"]}
             for row in quotas.usage() if row["day"] == today]
    day = datetime.datetime.fromtimestamp(today * DAY_MS / 1000, datetime.timezone.utc).date().isoformat()
    return {"now": now, "day": day, "resetsAt": (today + 1) * DAY_MS,
            "minuteResetsAt": (now // MINUTE_MS + 1) * MINUTE_MS, "limits": limits, "usage": usage,
            "minuteUsage": quotas.minute_usage()}


def limit_value(value, resource: str, name: str) -> int | None:
    """``value`` when it is a whole number ≥ 0 or null; else 400 naming ``/<resource>/<name>``."""
    if value is not None and (type(value) is not int or value < 0):
        raise RestliError(400, f"ERROR :: /{resource}{name} :: the limit must be a whole number (0 or more) or"
                               " null to restore LinkedIn's limit")
    return value


def read_limits(served: Dispatcher, body: dict) -> dict[str, dict[str, int | None]]:
    """The ``{resource: {"callsPerDay"?: limit or None, "recordsPerMinute"?: limit or None}}`` of a ``PUT``
    body (a bare number or null stands for ``callsPerDay``); 400 naming the first bad entry (a resource
    ``served`` does not serve, an unknown field, or a limit that is not a whole number ≥ 0 or null)."""
    known = {path for _, path in served.resources}
    if not body:
        raise RestliError(400, 'Send {"<resource path>": <calls per day> | null | {"callsPerDay"?, '
                               '"recordsPerMinute"?}, ...}')
    limits = {}
    for resource, value in body.items():
        if resource not in known:
            raise RestliError(400, f"ERROR :: /{resource} :: unknown resource (known: {', '.join(sorted(known))})")
        if not isinstance(value, dict):
            limits[resource] = {"callsPerDay": limit_value(value, resource, "")}
            continue
        unknown = sorted(set(value) - set(LIMIT_FIELDS))
        if unknown or not value:
            raise RestliError(400, f"ERROR :: /{resource}{'/' + unknown[0] if unknown else ''} :: give callsPerDay"
                                   " and/or recordsPerMinute")
        limits[resource] = {name: limit_value(limit, resource, "/" + name) for name, limit in value.items()}
    return limits


async def get_quotas(request: Request) -> JSONResponse:
    """Limits per resource and the current usage per application, quota group and member."""
    return JSONResponse(quota_view(world(request), request.app.state.dispatcher))


async def put_quotas(request: Request) -> JSONResponse:
    """Set (or with null restore) daily and per-minute limits, then answer like ``GET``."""
    emulator, served = world(request), request.app.state.dispatcher
    for resource, limits in read_limits(served, await json_body(request, required=True)).items():
        if "callsPerDay" in limits:
            emulator.quotas.set_limit(resource, limits["callsPerDay"])
        if "recordsPerMinute" in limits:
            emulator.quotas.set_minute_limit(resource, limits["recordsPerMinute"])
    return JSONResponse(quota_view(emulator, served))
