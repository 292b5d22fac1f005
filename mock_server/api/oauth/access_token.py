"""LinkedIn's OAuth endpoints: ``POST /oauth/v2/accessToken`` and ``POST /oauth/v2/introspectToken``.

Errors use the OAuth shape ``{"error", "error_description"}`` (not Rest.li's): ``invalid_request`` 400,
``unsupported_grant_type`` 400, ``invalid_client`` 401, ``invalid_grant`` 400.
Docs: client-credentials-flow, authorization-code-flow, programmatic-refresh-tokens and token-introspection
under https://learn.microsoft.com/en-us/linkedin/shared/authentication/ .
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

GRANT_HANDLERS: dict = {}


class OAuthError(Exception):
    """An OAuth error reply: ``error`` code, ``description`` and HTTP ``status``."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self) -> JSONResponse:
        """The ``{"error", "error_description"}`` reply."""
        return JSONResponse({"error": self.error, "error_description": self.description}, status_code=self.status,
                            headers={"Cache-Control": "no-store"})


def grant(name: str):
    """Register a handler ``(emulator, form) -> dict`` for ``grant_type=name``."""
    def register(handler):
        GRANT_HANDLERS[name] = handler
        return handler
    return register


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded form of a token request, whatever its Content-Type says (LinkedIn's own Postman
    collection sends ``text/plain`` with a urlencoded body). A parameter given twice → ``invalid_request``."""
    body = (await request.body()).decode("utf-8", errors="replace")
    if request.url.query and not body.strip():
        raise OAuthError("invalid_request", "Client credentials must be sent in the request body as a"
                                            " x-www-form-urlencoded form, not in the URL")
    form: dict[str, str] = {}
    for name, value in parse_qsl(body.strip(), keep_blank_values=True):
        if name in form:
            raise OAuthError("invalid_request", f"The parameter \"{name}\" is given more than once")
        form[name] = value
    return form


def require(form: dict[str, str], name: str) -> str:
    """``form[name]``, or ``invalid_request`` ``A required parameter "<name>" is missing``."""
    value = form.get(name, "")
    if not value:
        raise OAuthError("invalid_request", f"A required parameter \"{name}\" is missing")
    return value


def client_application(emulator, form: dict[str, str]) -> dict:
    """The application whose ``client_id``/``client_secret`` the form carries; ``invalid_client`` 401 if wrong."""
    client_id = require(form, "client_id")
    secret = require(form, "client_secret")
    application = emulator.customers.by_client_id(client_id)
    if application is None or application["clientSecret"] != secret:
        raise OAuthError("invalid_client", "Client authentication failed", 401)
    return application


@grant("client_credentials")
def client_credentials(emulator, form: dict[str, str]) -> dict:
    """2-legged token: ``{"access_token", "expires_in": 1800}``."""
    application = client_application(emulator, form)
    token = emulator.tokens.issue(application["clientId"], application["key"], "2L")
    return {"access_token": token.value, "expires_in": (token.expires_at - token.created_at) // 1000}


async def access_token(request: Request) -> JSONResponse:
    """``POST /oauth/v2/accessToken``: dispatch on ``grant_type``."""
    emulator = request.app.state.emulator
    try:
        form = await read_form(request)
        grant_type = require(form, "grant_type")
        handler = GRANT_HANDLERS.get(grant_type)
        if handler is None:
            raise OAuthError("unsupported_grant_type", f"The grant_type \"{grant_type}\" is not supported;"
                                                       f" use one of {', '.join(sorted(GRANT_HANDLERS))}")
        return JSONResponse(handler(emulator, form), headers={"Cache-Control": "no-store"})
    except OAuthError as error:
        return error.response()


async def introspect_token(request: Request) -> JSONResponse:
    """``POST /oauth/v2/introspectToken`` with ``client_id``, ``client_secret``, ``token``.

    200 ``{"active", "client_id", "authorized_at", "created_at", "status", "expires_at", "auth_type", "scope"?}``
    (times in epoch seconds); 400 for an unknown client id or token, 401 for a wrong secret.
    """
    emulator = request.app.state.emulator
    try:
        form = await read_form(request)
        client_id = require(form, "client_id")
        secret = require(form, "client_secret")
        value = require(form, "token")
        application = emulator.customers.by_client_id(client_id)
        if application is None:
            raise OAuthError("invalid_request", "Unknown client_id", 400)
        if application["clientSecret"] != secret:
            raise OAuthError("invalid_client", "Client authentication failed", 401)
        token = emulator.tokens.find(value)
        if token is None or token.client_id != client_id:
            raise OAuthError("invalid_request", "The token is not valid for this client", 400)
    except OAuthError as error:
        return error.response()
    status = emulator.tokens.status(token)
    body = {"active": status == "active", "client_id": token.client_id,
            "authorized_at": (token.granted_at or token.created_at) // 1000, "created_at": token.created_at // 1000,
            "status": status, "expires_at": token.expires_at // 1000, "auth_type": token.auth_type}
    if token.auth_type == "3L" and token.scope:
        body["scope"] = token.scope
    return JSONResponse(body)
