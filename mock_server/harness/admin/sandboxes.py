"""Sandboxes under ``/_mock/sandboxes``: isolated worlds on one server (see :mod:`mock_server.harness.sandboxes`).

======================================  ======================================================================
``POST   /_mock/sandboxes``             ``{"fixtures"?: a bundled world's name (default: the server's world),
                                        "label"?: text, "ttl"?: idle seconds (at most the server's)}`` → 201
                                        and the sandbox; 503 once the server holds its limit of sandboxes
``GET    /_mock/sandboxes``             ``{"count", "limit", "ttl", "fixtures": [bundled world names],
                                        "sandboxes": [sandbox, ...]}``, the default first
``GET    /_mock/sandboxes/{id}``        one sandbox (``default`` too); 404 naming an unknown id
``DELETE /_mock/sandboxes/{id}``        delete it, its outbox stopped (204); 404 unknown, 400 for ``default``
``ANY    /_mock/sandboxes/{id}/…``      every other ``/_mock`` endpoint, in that sandbox (as the
                                        ``X-RSC-Mock-Sandbox: <id>`` header does)
======================================  ======================================================================

A sandbox::

    {"id": "sb1a2b3c4d", "label", "fixtures": world name, "createdAt": epoch ms (real time),
     "idleTtl": seconds (null for the default), "idleFor": seconds since its last request,
     "partners": [application], "customers": [application],
     "header": {"X-RSC-Mock-Sandbox": id},
     "urls": {"base", "admin": base + /_mock/sandboxes/{id}, "token": base + /oauth/v2/accessToken,
              "inbox": admin + /inbox/ (the sandbox's own callback receiver)}}

where an application (one of the fixture world's, with its credentials as they stand now) is ``{"key", "name",
"uniqueForeignId"?, "credentials": {"client_id", "client_secret"}}`` — the credentials shape of LinkedIn's
provisionedApplications.
"""

from __future__ import annotations

import unicodedata

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_server.api.http import field, json_body
from mock_server.harness.addressing import SANDBOX_HEADER, SANDBOX_PATH
from mock_server.harness.sandboxes import Sandbox
from mock_server.restli.errors import RestliError, shown


def application_view(doc: dict) -> dict:
    """An application as a sandbox lists it: key, name, uniqueForeignId (customers) and credentials."""
    view = {"key": doc["key"], "name": doc["name"],
            "credentials": {"client_id": doc["clientId"], "client_secret": doc["clientSecret"]}}
    if doc.get("uniqueForeignId") is not None:
        view["uniqueForeignId"] = doc["uniqueForeignId"]
    return view


def sandbox_view(sandbox: Sandbox, base: str) -> dict:
    """The JSON of ``sandbox`` (see the module docstring) for a server reached at ``base`` (``scheme://host``)."""
    customers = sandbox.world.customers
    fixture_keys = [doc["key"] for doc in sandbox.world.fixture_data.get("applications", [])]
    applications = [doc for doc in map(customers.by_key, fixture_keys) if doc is not None]
    admin = base + SANDBOX_PATH + sandbox.id
    return {"id": sandbox.id, "label": sandbox.label, "fixtures": sandbox.fixtures, "createdAt": sandbox.created_at,
            "idleTtl": sandbox.ttl_s, "idleFor": round(sandbox.idle_s(), 3),
            "partners": [application_view(doc) for doc in applications if doc["kind"] == "parent"],
            "customers": [application_view(doc) for doc in applications if doc["kind"] == "child"],
            "header": {SANDBOX_HEADER: sandbox.id},
            "urls": {"base": base, "admin": admin, "token": base + "/oauth/v2/accessToken", "inbox": admin + "/inbox/"}}


def base_of(request: Request) -> str:
    """``scheme://host[:port]`` as the client reached the server."""
    return f"{request.url.scheme}://{request.url.netloc}"


async def create_sandbox(request: Request) -> JSONResponse:
    """Create a sandbox from a fixture world."""
    body = await json_body(request, allowed=("fixtures", "label", "ttl"))
    fixtures = field(body, "fixtures", str, required=False)
    label = field(body, "label", str, required=False)
    ttl = field(body, "ttl", int, required=False)
    if label is not None and len(label) > 200:
        raise RestliError(400, "ERROR :: /label :: at most 200 characters")
    odd = next((c for c in label or "" if unicodedata.category(c) in ("Cc", "Zl", "Zp")), None)
    if odd is not None:  # the label is written into the server's log line and `rsc-mock sandbox list`'s table
        raise RestliError(400, f"ERROR :: /label :: must not contain a line break or control character (found"
                               f" {shown(odd)})")
    sandbox = await request.app.state.sandboxes.create(fixtures, label, ttl)
    return JSONResponse(sandbox_view(sandbox, base_of(request)), status_code=201)


async def list_sandboxes(request: Request) -> JSONResponse:
    """Every sandbox, the default first."""
    sandboxes = request.app.state.sandboxes
    shown = [sandbox_view(sandbox, base_of(request)) for sandbox in sandboxes.all()]
    return JSONResponse({"count": len(shown), "limit": sandboxes.limit, "ttl": sandboxes.ttl_s,
                         "fixtures": sandboxes.worlds.names(), "sandboxes": shown})


async def get_sandbox(request: Request) -> JSONResponse:
    """One sandbox."""
    sandbox = request.app.state.sandboxes.get(request.path_params["sandbox"])
    return JSONResponse(sandbox_view(sandbox, base_of(request)))


async def delete_sandbox(request: Request) -> Response:
    """Delete a sandbox (not the default)."""
    await request.app.state.sandboxes.delete(request.path_params["sandbox"])
    return Response(status_code=204)
