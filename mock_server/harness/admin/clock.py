"""The emulator's clock under ``/_mock/clock`` (see :mod:`mock_server.domain.clock`).

=======================  ===========================================================================
``GET    /_mock/clock``  ``{"now": epoch ms, "offsetMs": ms ahead of real time, "frozen": bool}``
``POST   /_mock/clock``  one of ``{"advance": seconds}`` (may be negative), ``{"set": epoch ms}``,
                         ``{"freeze": true}``, ``{"freeze": false}``; answers like ``GET``. The clock
                         stays from 1970-01-01 to 4000-01-01: 400 naming the operation otherwise
``DELETE /_mock/clock``  back to real time (no offset, not frozen); answers like ``GET``
=======================  ===========================================================================

Everything time-dependent reads this clock: token expiry, quotas, job-posting tasks, notification retries.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.http import field, json_body, world
from mock_server.domain.clock import ClockRangeError
from mock_server.restli.errors import RestliError

OPERATIONS = ("advance", "set", "freeze")


async def get_clock(request: Request) -> JSONResponse:
    """The clock's state."""
    emulator = world(request)
    return JSONResponse(emulator.clock.state())


async def move_clock(request: Request) -> JSONResponse:
    """Advance, set, freeze or unfreeze the clock (exactly one operation per call)."""
    emulator = world(request)
    body = await json_body(request, required=True)
    given = [name for name in body if name in OPERATIONS]
    unknown = sorted(set(body) - set(OPERATIONS))
    if unknown:
        raise RestliError(400, f"ERROR :: /{unknown[0]} :: unknown operation (give one of advance, set, freeze)")
    if len(given) != 1:
        raise RestliError(400, "Give exactly one of {\"advance\": seconds}, {\"set\": epoch ms}, {\"freeze\": bool}")
    operation = given[0]
    try:
        if operation == "advance":
            emulator.clock.advance(field(body, "advance", (int, float)))
        elif operation == "set":
            emulator.clock.set_ms(field(body, "set", int))
        elif field(body, "freeze", bool):
            emulator.clock.freeze()
        else:
            emulator.clock.unfreeze()
    except ClockRangeError as error:
        raise RestliError(400, f"ERROR :: /{operation} :: {error}") from None
    return JSONResponse(emulator.clock.state())


async def real_time(request: Request) -> JSONResponse:
    """Back to real time."""
    emulator = world(request)
    emulator.clock.reset()
    return JSONResponse(emulator.clock.state())
