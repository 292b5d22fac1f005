"""Each route's own error shape, for errors that do not come from the route's own handling: a body over the
size limit (413), a body that does not arrive in time (408), an error raised past a handler. LinkedIn's hosts
answer in three shapes:

* the OAuth endpoints ``/oauth/v2/accessToken`` and ``/oauth/v2/introspectToken``: ``{"error",
  "error_description"}`` (``server_error`` for a 5xx, ``invalid_request`` otherwise; RFC 6749 §5.2);
* the pages a browser shows — the consent page ``/oauth/v2/authorization``, the widget frames
  ``/_widgets/frame/…``, ``/examples/…``, and the emulator's own dashboard ``/_mock/ui`` (its forms post to
  pages) — an HTML page saying what went wrong, with nothing to load (``Content-Security-Policy: default-src
  'none'``: as strict as the dashboard's own pages, and still shown inside a partner's widget frame);
* everything else (``/v2``, ``/rest``, the widgets' data endpoints, ``/_mock``): LinkedIn's error envelope
  ``{"status", "serviceErrorCode", "message"}`` with ``X-RestLi-Error-Response: true``, and under ``/v2`` and
  ``/rest`` the request's ``X-RestLi-Protocol-Version`` echoed (``1.0.0`` when it sent none), as the Rest.li
  dispatcher answers.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling and
https://learn.microsoft.com/en-us/linkedin/shared/authentication/client-credentials-flow (OAuth errors).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from starlette.responses import HTMLResponse, JSONResponse, Response

from mock_server.restli.errors import RestliError
from mock_server.restli.headers import echoed
from mock_server.restli.render import error_response

OAUTH_JSON_PATHS = ("/oauth/v2/accessToken", "/oauth/v2/introspectToken")
HTML_PREFIXES = ("/oauth/v2/authorization", "/_widgets/frame/", "/examples/", "/_mock/ui")
RESTLI_PREFIXES = ("/v2/", "/rest/")
HTML_HEADERS = {"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff"}
OAUTH = "oauth"
HTML = "html"
RESTLI = "restli"
ENVELOPE = "envelope"


def style_of(path: str) -> str:
    """The error shape of ``path``: :data:`OAUTH`, :data:`HTML`, :data:`RESTLI` or :data:`ENVELOPE`."""
    if path in OAUTH_JSON_PATHS:
        return OAUTH
    if path.startswith(HTML_PREFIXES):
        return HTML
    return RESTLI if path.startswith(RESTLI_PREFIXES) else ENVELOPE


def error_reply(path: str, headers: Mapping[str, str], error: RestliError) -> Response:
    """``error`` as the route at ``path`` answers errors (see the module docstring); ``headers`` are the
    request's (lower-case names). The error's own headers (e.g. ``Connection: close``) are added."""
    style = style_of(path)
    if style == OAUTH:
        body = {"error": "server_error" if error.status >= 500 else "invalid_request",
                "error_description": error.message}
        return JSONResponse(body, status_code=error.status, headers={"Cache-Control": "no-store", **error.headers})
    if style == HTML:
        page = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>LinkedIn: error"
                f" {error.status}</title></head><body><h1>Something went wrong</h1><p>{html.escape(error.message)}"
                "</p></body></html>")
        return HTMLResponse(page, status_code=error.status, headers={**HTML_HEADERS, **error.headers})
    echo = echoed(headers.get("x-restli-protocol-version")) if style == RESTLI else None
    return error_response(error, echo)
