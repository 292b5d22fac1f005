"""Fault rules under ``/_mock/faults`` (the rule format: :mod:`mock_server.harness.faults`).

===========================  ==========================================================================
``POST   /_mock/faults``     add a rule → 201 with the rule and its ``id``; 400 naming a bad field
``GET    /_mock/faults``     ``{"faults": [rule with "hits", "calls", "remaining"], ...}`` in match order
``DELETE /_mock/faults/{id}`` remove one rule (204; 404 when unknown)
``DELETE /_mock/faults``     remove every rule (204); ``POST /_mock/reset`` does too
===========================  ==========================================================================
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_server.api.http import json_body, world
from mock_server.restli.errors import RestliError, shown


async def add_fault(request: Request) -> JSONResponse:
    """Add a fault rule."""
    emulator = world(request)
    rule = emulator.faults.add(await json_body(request, required=True))
    return JSONResponse(rule.view(), status_code=201)


async def list_faults(request: Request) -> JSONResponse:
    """Every fault rule."""
    emulator = world(request)
    return JSONResponse({"faults": [rule.view() for rule in emulator.faults.all()]})


async def delete_fault(request: Request) -> Response:
    """Remove one fault rule."""
    emulator = world(request)
    rule_id = request.path_params["rule_id"]
    if not emulator.faults.remove(rule_id):
        raise RestliError(404, f"No fault rule {shown(rule_id)}")
    return Response(status_code=204)


async def clear_faults(request: Request) -> Response:
    """Remove every fault rule."""
    emulator = world(request)
    emulator.faults.clear()
    return Response(status_code=204)
