"""What LinkedIn's OAuth endpoints share: reading the urlencoded form of a request, the OAuth error reply
``{"error", "error_description"}`` (not Rest.li's envelope), and client authentication by ``client_id`` and
``client_secret`` in the form, the query string (with an advisory) or an HTTP Basic header (RFC 6749 §2.3.1, as
LinkedIn's Postman guide sends them).

Docs: https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow and
…/authorization-code-flow.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.advisories import CLIENT_SECRET_IN_URL, advise
from mock_server.domain.customers import secrets_of


class OAuthError(Exception):
    """An OAuth error reply: ``error`` code, ``description`` and HTTP ``status``."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status

    def response(self) -> JSONResponse:
        """The ``{"error", "error_description"}`` reply."""
        return JSONResponse({"error": self.error, "error_description": self.description}, status_code=self.status,
                            headers={"Cache-Control": "no-store"})


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded form of a token request, whatever its Content-Type says (LinkedIn's own Postman
    collection sends ``text/plain`` with a urlencoded body), the parameters of its query string — LinkedIn
    takes those too, but asks that the client secret never travel in the URL, so a ``client_secret`` there
    gets an advisory (:data:`mock_server.advisories.CLIENT_SECRET_IN_URL`) — and the client credentials of an
    HTTP Basic ``Authorization`` header. A parameter given twice (in any two of those places, or two Basic headers) →
    ``invalid_request``; a POST without ``Content-Length`` → 411."""
    if request.method == "POST" and "content-length" not in request.headers:
        raise OAuthError("invalid_request", "Length Required: a POST request must carry a Content-Length header",
                         411)
    body = (await request.body()).decode("utf-8", errors="replace")
    in_url = parse_qsl(request.url.query, keep_blank_values=True)
    form = single_valued([*in_url, *parse_qsl(body.strip(), keep_blank_values=True),
                          *(pair for header in request.headers.getlist("authorization")
                            for pair in basic_credentials(header))])
    if any(name == "client_secret" for name, _ in in_url):
        advise(request.scope, CLIENT_SECRET_IN_URL(f"{request.url.path} was called with client_secret in the URL"))
    return form


def single_valued(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """``pairs`` (name, value) as a dict; ``invalid_request`` naming a parameter given more than once ("Request
    and response parameters MUST NOT be included more than once", RFC 6749 §3.1)."""
    params: dict[str, str] = {}
    for name, value in pairs:
        if name in params:
            raise OAuthError("invalid_request", f"The parameter \"{name}\" is given more than once")
        params[name] = value
    return params


def basic_credentials(header: str | None) -> list[tuple[str, str]]:
    """``[("client_id", …), ("client_secret", …)]`` from ``Authorization: Basic base64(id:secret)`` (each part
    form-urlencoded, RFC 6749 §2.3.1); ``[]`` without a Basic header; ``invalid_request`` when malformed."""
    scheme, _, encoded = (header or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return []
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_request",
                         "The Authorization header is not Basic base64(client_id:client_secret)") from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_request", "The Authorization header is not Basic base64(client_id:client_secret)")
    return [("client_id", unquote_plus(client_id)), ("client_secret", unquote_plus(secret))]


def require(form: dict[str, str], name: str) -> str:
    """``form[name]``, or ``invalid_request`` ``A required parameter "<name>" is missing``."""
    value = form.get(name, "")
    if not value:
        raise OAuthError("invalid_request", f"A required parameter \"{name}\" is missing")
    return value


def client_application(world, form: dict[str, str]) -> dict:
    """The application whose ``client_id``/``client_secret`` the form carries (either of its secrets):
    ``invalid_client_id`` 400 for an unknown client id, ``invalid_client`` 401 for a wrong secret."""
    client_id = require(form, "client_id")
    secret = require(form, "client_secret")
    application = world.customers.by_client_id(client_id)
    if application is None:
        raise OAuthError("invalid_client_id", f"The passed in client_id is invalid \"{client_id}\"", 400)
    if secret not in secrets_of(application):
        raise OAuthError("invalid_client", "Client authentication failed", 401)
    return application
