"""Admin basics under ``/_mock``.

=======================================  ============================================================
``GET  /_mock/health``                   ``{"status": "ok", "version", "now", "tables": {name: rows}}``
``POST /_mock/reset``                    back to the fixtures (store, clock, quotas, journal, faults)
``POST /_mock/tokens``                   ``{"client_id", "member"?, "scope"?, "expires_in"?}`` → a token
``DELETE /_mock/tokens/{token}``         revoke a token (a member removing the application's access):
                                         ``{"status": "revoked", "auth_type", "application"}``; API calls
                                         with it get 401 (serviceErrorCode 65602); 404 for an unknown token
``POST /_mock/customers/{ufid}/preapprove``  ``{"integrationTypes"?: [...]}`` → pre-approved integrations
``GET/POST/DELETE /_mock/clock``         see :mod:`mock_server.harness.admin.clock`
``ANY  /_mock/inbox/{name}``             a callback receiver; ``GET`` lists what it received, ``GET
                                         ?challengeCode=…&applicationId=…`` answers LinkedIn's challenge
=======================================  ============================================================
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mock_server import __version__
from mock_server.api.http import field, json_body, world
from mock_server.api.oauth.three_legged import SCOPES, scopes_of
from mock_server.domain.integrations import RSC_TYPES
from mock_server.domain.recruiter.actors import person_reference
from mock_server.domain.recruiter.notifications import answer_challenge
from mock_server.domain.tokens import REFRESH_TTL_S
from mock_server.restli.errors import RestliError, shown


async def health(request: Request) -> Response:
    """Liveness and a summary of the state."""
    emulator = world(request)
    return JSONResponse({"status": "ok", "version": __version__, "now": emulator.clock.now_ms(),
                         "tables": emulator.store.counts()})


async def reset(request: Request) -> Response:
    """Reset everything to the fixtures."""
    emulator = world(request)
    emulator.reset()
    return JSONResponse({"status": "reset", "now": emulator.clock.now_ms()})


def check_scope(scope: str) -> None:
    """400 naming ``/scope`` unless ``scope`` lists (space- or comma-separated) only permissions the consent page
    grants (:data:`mock_server.api.oauth.three_legged.SCOPES`), at least one."""
    scopes = scopes_of(scope)
    if not scopes:
        raise RestliError(400, "ERROR :: /scope :: must not be empty")
    unknown = [name for name in scopes if name not in SCOPES]
    if unknown:
        raise RestliError(400, f"ERROR :: /scope :: {shown(unknown[0])} is not a permission LinkedIn knows"
                               f" (known: {', '.join(SCOPES)})")


async def mint_token(request: Request) -> Response:
    """Mint a token for tests: 2-legged, or 3-legged for ``member`` (an ``urn:li:person:`` of the fixtures)."""
    emulator = world(request)
    body = await json_body(request, required=True, allowed=("client_id", "member", "scope", "expires_in"))
    client_id = field(body, "client_id", str)
    member = field(body, "member", str, required=False)
    scope = field(body, "scope", str, required=False)
    expires_in = field(body, "expires_in", int, required=False)
    application = emulator.customers.by_client_id(client_id)
    if application is None:
        raise RestliError(404, f"ERROR :: /client_id :: no application with client id {shown(client_id)}")
    if member is not None:
        person_reference(member)  # 400 for another shape, as in every admin body naming a member
    if member is not None and emulator.interactions.closed(member):
        raise RestliError(409, f"ERROR :: /member :: {shown(member)} closed the LinkedIn account and cannot sign in")
    if member is not None and emulator.interactions.member(member) is None:
        raise RestliError(404, f"ERROR :: /member :: no fixture member {shown(member)}"
                               " (expected urn:li:person:<id>)")
    if scope is not None:
        check_scope(scope)
    if expires_in is not None and not 0 < expires_in <= REFRESH_TTL_S:
        raise RestliError(400, f"ERROR :: /expires_in :: must be from 1 to {REFRESH_TTL_S} seconds (365 days, the"
                               " longest life of a LinkedIn token)")
    token = emulator.tokens.issue(client_id, application["key"], "3L" if member else "2L", member=member,
                               scope=scope or ("r_liteprofile" if member else None), ttl_s=expires_in,
                               granted_at=emulator.clock.now_ms() if member else None,
                               secret=application["clientSecret"])
    reply = {"access_token": token.value, "expires_in": (token.expires_at - token.created_at) // 1000,
             "auth_type": token.auth_type, "application": application["key"]}
    if member:
        reply.update(member=member, scope=token.scope)
    return JSONResponse(reply)


async def revoke_token(request: Request) -> Response:
    """Revoke a token, as a member does by removing an application's access (LinkedIn answers later calls with
    401, error-handling page)."""
    token = world(request).tokens.revoke(request.path_params["token"])
    if token is None:
        raise RestliError(404, "ERROR :: /token :: no such token")
    return JSONResponse({"status": "revoked", "auth_type": token.auth_type, "application": token.application})


async def preapprove(request: Request) -> Response:
    """What a customer's Recruiter admin does in the configuration widget: pre-approve integrations."""
    emulator = world(request)
    unique_foreign_id = request.path_params["unique_foreign_id"]
    body = await json_body(request, allowed=("integrationTypes",))
    types = field(body, "integrationTypes", list, required=False, default=list(RSC_TYPES))
    unknown = [t for t in types if t not in RSC_TYPES]
    if unknown or not types:
        raise RestliError(400, f"ERROR :: /integrationTypes :: expected a non-empty list of {', '.join(RSC_TYPES)}"
                               + (f"; unknown: {', '.join(map(str, unknown))}" if unknown else ""))
    matches = [doc for doc in emulator.customers.children() if doc.get("uniqueForeignId") == unique_foreign_id]
    if not matches:
        raise RestliError(404, f"No customer application with uniqueForeignId {shown(unique_foreign_id)}")
    with emulator.store.transaction():
        approved = emulator.integrations.preapprove(matches[0], types, emulator.clock.now_ms())
    return JSONResponse({"application": matches[0]["key"], "integrations": approved})


async def inbox_receive(request: Request) -> Response:
    """Record whatever is sent to ``/_mock/inbox/{name}`` and answer 200 (``GET`` lists instead)."""
    emulator = world(request)
    name = request.path_params["name"]
    if request.method == "GET" and "challengeCode" not in request.query_params:
        received = emulator.inboxes.received(name)
        return JSONResponse({"inbox": name, "count": len(received), "requests": received})
    if request.method == "DELETE":
        emulator.inboxes.clear(name)
        return Response(status_code=204)
    emulator.inboxes.record(name, request.method, request.url.path, request.url.query, dict(request.headers),
                            await request.body(), emulator.clock.now_ms())
    if request.method == "GET":  # LinkedIn's callback challenge (the only GET that gets here)
        return JSONResponse(answer_challenge(emulator.customers, request.query_params))
    return JSONResponse({"received": True})
