"""LinkedIn's OAuth endpoints: ``POST /oauth/v2/accessToken`` and ``POST /oauth/v2/introspectToken``.

Errors use the OAuth shape ``{"error", "error_description"}`` (not Rest.li's): ``invalid_request`` 400 (a
parameter missing or given twice), ``invalid_client_id`` 400 ``The passed in client_id is invalid "<id>"``,
``invalid_client`` 401 ``Client authentication failed`` (wrong secret), ``unsupported_grant_type`` 400, and
the 3-legged ones of :mod:`mock_server.api.oauth.three_legged`. Every grant type the token endpoint takes
is one line of :data:`GRANTS`. A POST without ``Content-Length`` → 411.
The client may authenticate with form parameters or an HTTP Basic header (``client_id:client_secret``, each
form-urlencoded, RFC 6749 §2.3.1), as LinkedIn's Postman guide sends them.
Docs: client-credentials-flow, authorization-code-flow, programmatic-refresh-tokens, token-introspection and
postman-getting-started under https://learn.microsoft.com/en-us/linkedin/shared/authentication/ .
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.http import world
from mock_server.api.oauth.forms import (
    OAuthError,
    client_application,
    read_form,
    require,
)
from mock_server.api.oauth.three_legged import authorization_code, refresh_token


def client_credentials(world, form: dict[str, str]) -> dict:
    """2-legged token: ``{"access_token", "expires_in": 1800}``; 401 ``access_denied`` for an application
    LinkedIn has not granted the flow (fixture ``"clientCredentials": false``)."""
    application = client_application(world, form)
    if application.get("clientCredentials") is False:
        raise OAuthError("access_denied", "This application is not allowed to create application tokens", 401)
    token = world.tokens.issue(application["clientId"], application["key"], "2L", secret=form["client_secret"])
    return {"access_token": token.value, "expires_in": (token.expires_at - token.created_at) // 1000}


GRANTS = {  # grant_type -> handler (world, form) -> token reply
    "client_credentials": client_credentials,
    "authorization_code": authorization_code,
    "refresh_token": refresh_token,
}


async def access_token(request: Request) -> JSONResponse:
    """``POST /oauth/v2/accessToken``: dispatch on ``grant_type``."""
    served = world(request)
    try:
        form = await read_form(request)
        grant_type = require(form, "grant_type")
        handler = GRANTS.get(grant_type)
        if handler is None:
            raise OAuthError("unsupported_grant_type", f"The grant_type \"{grant_type}\" is not supported;"
                                                       f" use one of {', '.join(sorted(GRANTS))}")
        return JSONResponse(handler(served, form), headers={"Cache-Control": "no-store"})
    except OAuthError as error:
        return error.response()


async def introspect_token(request: Request) -> JSONResponse:
    """``POST /oauth/v2/introspectToken`` with ``client_id``, ``client_secret``, ``token``.

    200 ``{"active", "client_id", "authorized_at", "created_at", "status", "expires_at", "auth_type", "scope"?}``
    (times in epoch seconds); 200 ``{"active": false}`` for a valid token of another application
    (token-introspection page); 400 for an unknown client id or token, 401 for a wrong secret.
    """
    served = world(request)
    try:
        form = await read_form(request)
        application = client_application(served, form)
        token = served.tokens.find(require(form, "token"))
        if token is None:
            raise OAuthError("invalid_request", "The token is not valid", 400)
    except OAuthError as error:
        return error.response()
    if token.client_id != application["clientId"]:
        return JSONResponse({"active": False})
    status = served.tokens.status(token)
    body = {"active": status == "active", "client_id": token.client_id,
            "authorized_at": (token.granted_at or token.created_at) // 1000, "created_at": token.created_at // 1000,
            "status": status, "expires_at": token.expires_at // 1000, "auth_type": token.auth_type}
    if token.auth_type == "3L" and token.scope:
        body["scope"] = token.scope
    return JSONResponse(body)
