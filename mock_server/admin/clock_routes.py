"""The emulator's clock under ``/_mock/clock`` (see :mod:`mock_server.clock`).

=======================  ===========================================================================
``GET    /_mock/clock``  ``{"now": epoch ms, "offsetMs": ms ahead of real time, "frozen": bool}``
``POST   /_mock/clock``  one of ``{"advance": seconds}`` (may be negative), ``{"set": epoch ms}``,
                         ``{"freeze": true}``, ``{"freeze": false}``; answers like ``GET``
``DELETE /_mock/clock``  back to real time (no offset, not frozen); answers like ``GET``
=======================  ===========================================================================

Everything time-dependent reads this clock: token expiry, quotas, job-posting tasks, notification retries.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.routing import Route

from mock_server.admin.http import field, json_body
from mock_server.admin.routes import admin_endpoint
from mock_server.restli.errors import RestliError

OPERATIONS = ("advance", "set", "freeze")
MAX_EPOCH_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z: the clock must stay a calendar date


def in_range(epoch_ms, name: str):
    """``epoch_ms`` when it is a date from 1970 to 9999, else 400 naming ``name``."""
    if not 0 <= epoch_ms <= MAX_EPOCH_MS:
        raise RestliError(400, f"ERROR :: /{name} :: the clock would leave the years 1970 to 9999")
    return epoch_ms


@admin_endpoint
async def get_clock(request, world) -> JSONResponse:
    """The clock's state."""
    return JSONResponse(world.clock.state())


@admin_endpoint
async def move_clock(request, world) -> JSONResponse:
    """Advance, set, freeze or unfreeze the clock (exactly one operation per call)."""
    body = await json_body(request, required=True)
    given = [name for name in body if name in OPERATIONS]
    unknown = sorted(set(body) - set(OPERATIONS))
    if unknown:
        raise RestliError(400, f"ERROR :: /{unknown[0]} :: unknown operation (give one of advance, set, freeze)")
    if len(given) != 1:
        raise RestliError(400, "Give exactly one of {\"advance\": seconds}, {\"set\": epoch ms}, {\"freeze\": bool}")
    if "advance" in body:
        seconds = field(body, "advance", (int, float))
        in_range(world.clock.now_ms() + seconds * 1000, "advance")
        world.clock.advance(seconds)
    elif "set" in body:
        world.clock.set_ms(in_range(field(body, "set", int), "set"))
    elif field(body, "freeze", bool):
        world.clock.freeze()
    else:
        world.clock.unfreeze()
    return JSONResponse(world.clock.state())


@admin_endpoint
async def real_time(request, world) -> JSONResponse:
    """Back to real time."""
    world.clock.reset()
    return JSONResponse(world.clock.state())


ROUTES = [
    Route("/_mock/clock", get_clock, methods=["GET"]),
    Route("/_mock/clock", move_clock, methods=["POST"]),
    Route("/_mock/clock", real_time, methods=["DELETE"]),
]
