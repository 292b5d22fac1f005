"""What LinkedIn's OAuth endpoints share: reading the urlencoded form of a request, the OAuth error reply
``{"error", "error_description"}`` (not Rest.li's envelope), and client authentication by ``client_id`` and
``client_secret``.

Docs: https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow and
…/authorization-code-flow.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.advisories import CLIENT_SECRET_IN_URL, advise


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
    collection sends ``text/plain`` with a urlencoded body), and the parameters of its query string: LinkedIn
    takes those too, but asks that the client secret never travel in the URL, so a ``client_secret`` there
    gets an advisory (:data:`mock_server.advisories.CLIENT_SECRET_IN_URL`). A parameter given twice, in either
    place → ``invalid_request``."""
    body = (await request.body()).decode("utf-8", errors="replace")
    in_url = parse_qsl(request.url.query, keep_blank_values=True)
    form: dict[str, str] = {}
    for name, value in [*in_url, *parse_qsl(body.strip(), keep_blank_values=True)]:
        if name in form:
            raise OAuthError("invalid_request", f"The parameter \"{name}\" is given more than once")
        form[name] = value
    if any(name == "client_secret" for name, _ in in_url):
        advise(request.scope, CLIENT_SECRET_IN_URL(f"{request.url.path} was called with client_secret in the URL"))
    return form


def require(form: dict[str, str], name: str) -> str:
    """``form[name]``, or ``invalid_request`` ``A required parameter "<name>" is missing``."""
    value = form.get(name, "")
    if not value:
        raise OAuthError("invalid_request", f"A required parameter \"{name}\" is missing")
    return value


def client_application(world, form: dict[str, str]) -> dict:
    """The application whose ``client_id``/``client_secret`` the form carries; ``invalid_client`` 401 if wrong."""
    client_id = require(form, "client_id")
    secret = require(form, "client_secret")
    application = world.customers.by_client_id(client_id)
    if application is None or application["clientSecret"] != secret:
        raise OAuthError("invalid_client", "Client authentication failed", 401)
    return application
