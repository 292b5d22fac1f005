"""Admin basics under ``/_mock``.

=======================================  ============================================================
``GET  /_mock/health``                   ``{"status": "ok", "version", "now", "tables": {name: rows}}``
``POST /_mock/reset``                    back to the fixtures (store, clock, quotas, journal, faults)
``POST /_mock/tokens``                   ``{"client_id", "member"?, "scope"?, "expires_in"?}`` → a token
``POST /_mock/customers/{ufid}/preapprove``  ``{"integrationTypes"?: [...]}`` → pre-approved integrations
``GET/POST/DELETE /_mock/clock``         see :mod:`mock_server.harness.admin.clock`
``ANY  /_mock/inbox/{name}``             a callback receiver; ``GET`` lists what it received, ``GET
                                         ?challengeCode=…&applicationId=…`` answers LinkedIn's challenge
=======================================  ============================================================
"""

from __future__ import annotations

import base64
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_server import __version__
from mock_server.api.http import field, json_body
from mock_server.domain.integrations import RSC_TYPES
from mock_server.domain.recruiter.notifications import answer_challenge
from mock_server.domain.tokens import REFRESH_TTL_S
from mock_server.restli.errors import RestliError
from mock_server.restli.render import error_response

INBOX = "inbox"


def admin_endpoint(handler):
    """Wrap an admin handler so a :class:`RestliError` becomes LinkedIn's error envelope."""
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, request.app.state.emulator)
        except RestliError as error:
            return error_response(error)
    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


@admin_endpoint
async def health(request: Request, world) -> Response:
    """Liveness and a summary of the state."""
    return JSONResponse({"status": "ok", "version": __version__, "now": world.clock.now_ms(),
                         "tables": world.store.counts()})


@admin_endpoint
async def reset(request: Request, world) -> Response:
    """Reset everything to the fixtures."""
    world.reset()
    return JSONResponse({"status": "reset", "now": world.clock.now_ms()})


@admin_endpoint
async def mint_token(request: Request, world) -> Response:
    """Mint a token for tests: 2-legged, or 3-legged for ``member`` (an ``urn:li:person:`` of the fixtures)."""
    body = await json_body(request, required=True, allowed=("client_id", "member", "scope", "expires_in"))
    client_id = field(body, "client_id", str)
    member = field(body, "member", str, required=False)
    scope = field(body, "scope", str, required=False)
    expires_in = field(body, "expires_in", int, required=False)
    application = world.customers.by_client_id(client_id)
    if application is None:
        raise RestliError(404, f"ERROR :: /client_id :: no application with client id {json.dumps(client_id)}")
    if member is not None and world.interactions.member(member) is None:
        raise RestliError(404, f"ERROR :: /member :: no fixture member {json.dumps(member)} (expected urn:li:person:<id>)")
    if expires_in is not None and not 0 < expires_in <= REFRESH_TTL_S:
        raise RestliError(400, f"ERROR :: /expires_in :: must be from 1 to {REFRESH_TTL_S} seconds (365 days, the"
                               " longest life of a LinkedIn token)")
    token = world.tokens.issue(client_id, application["key"], "3L" if member else "2L", member=member,
                               scope=scope or ("r_liteprofile" if member else None), ttl_s=expires_in,
                               granted_at=world.clock.now_ms() if member else None)
    reply = {"access_token": token.value, "expires_in": (token.expires_at - token.created_at) // 1000,
             "auth_type": token.auth_type, "application": application["key"]}
    if member:
        reply.update(member=member, scope=token.scope)
    return JSONResponse(reply)


@admin_endpoint
async def preapprove(request: Request, world) -> Response:
    """What a customer's Recruiter admin does in the configuration widget: pre-approve integrations."""
    unique_foreign_id = request.path_params["unique_foreign_id"]
    body = await json_body(request, allowed=("integrationTypes",))
    types = field(body, "integrationTypes", list, required=False, default=list(RSC_TYPES))
    unknown = [t for t in types if t not in RSC_TYPES]
    if unknown or not types:
        raise RestliError(400, f"ERROR :: /integrationTypes :: expected a non-empty list of {', '.join(RSC_TYPES)}"
                               + (f"; unknown: {', '.join(map(str, unknown))}" if unknown else ""))
    matches = [doc for doc in world.customers.children() if doc.get("uniqueForeignId") == unique_foreign_id]
    if not matches:
        raise RestliError(404, f"No customer application with uniqueForeignId {json.dumps(unique_foreign_id)}")
    with world.store.transaction():
        approved = world.integrations.preapprove(matches[0], types, world.clock.now_ms())
    return JSONResponse({"application": matches[0]["key"], "integrations": approved})


@admin_endpoint
async def inbox_receive(request: Request, world) -> Response:
    """Record whatever is sent to ``/_mock/inbox/{name}`` and answer 200 (``GET`` lists instead)."""
    name = request.path_params["name"]
    inbox = world.store.table(INBOX, indexes=("inbox",))
    if request.method == "GET" and "challengeCode" not in request.query_params:
        received = [doc for _, doc in inbox.find(inbox=name)]
        return JSONResponse({"inbox": name, "count": len(received), "requests": received})
    if request.method == "DELETE":
        for key, _ in inbox.find(inbox=name):
            inbox.delete(key)
        return Response(status_code=204)
    body = await request.body()
    entry = {"inbox": name, "method": request.method, "path": request.url.path, "query": request.url.query,
             "headers": dict(request.headers), "receivedAt": world.clock.now_ms()}
    try:
        entry["body"] = body.decode("utf-8")
    except UnicodeDecodeError:
        entry["bodyBase64"] = base64.b64encode(body).decode()
    inbox.put(f"{name}/{world.customers.next_number('inbox', 1):09d}", entry)
    if request.method == "GET":  # LinkedIn's callback challenge (the only GET that gets here)
        return JSONResponse(answer_challenge(world.customers, request.query_params))
    return JSONResponse({"received": True})
