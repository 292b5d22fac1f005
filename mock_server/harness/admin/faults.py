"""Fault rules under ``/_mock/faults`` (the rule format: :mod:`mock_server.harness.faults`).

===========================  ==========================================================================
``POST   /_mock/faults``     add a rule → 201 with the rule and its ``id``; 400 naming a bad field
``GET    /_mock/faults``     ``{"faults": [rule with "hits", "calls", "remaining"], ...}`` in match order
``DELETE /_mock/faults/{id}`` remove one rule (204; 404 when unknown)
``DELETE /_mock/faults``     remove every rule (204); ``POST /_mock/reset`` does too
===========================  ==========================================================================
"""

from __future__ import annotations

import json

from starlette.responses import JSONResponse, Response

from mock_server.api.http import json_body
from mock_server.harness.admin.basics import admin_endpoint
from mock_server.restli.errors import RestliError


@admin_endpoint
async def add_fault(request, world) -> JSONResponse:
    """Add a fault rule."""
    rule = world.faults.add(await json_body(request, required=True))
    return JSONResponse(rule.view(), status_code=201)


@admin_endpoint
async def list_faults(request, world) -> JSONResponse:
    """Every fault rule."""
    return JSONResponse({"faults": [rule.view() for rule in world.faults.all()]})


@admin_endpoint
async def delete_fault(request, world) -> Response:
    """Remove one fault rule."""
    rule_id = request.path_params["rule_id"]
    if not world.faults.remove(rule_id):
        raise RestliError(404, f"No fault rule {json.dumps(rule_id)}")
    return Response(status_code=204)


@admin_endpoint
async def clear_faults(request, world) -> Response:
    """Remove every fault rule."""
    world.faults.clear()
    return Response(status_code=204)
