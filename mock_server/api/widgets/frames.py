"""Widget frames and the tokens that bind them to the page that created them.

Who may see a customer's widget data is decided once, when in.js creates a frame, from what the browser
itself vouches for — never from values any page can read (a customer's ``api_key`` is in its pages' source,
its ``validJsSdkDomains`` are public):

1. in.js ``POST``\\ s ``/_widgets/frames`` (a CORS "simple" request: urlencoded ``api_key`` and ``widget``). The
   browser sets the ``Origin`` header to the page's real origin; it must be one of the ``validJsSdkDomains`` of
   the customer application whose client id is ``api_key`` (:func:`~.access.widget_application`). The reply
   is a **frame token** (``Access-Control-Allow-Origin`` is that origin, so only that page can read it).
2. in.js puts the token in the frame's URL; the frame page is served with ``Content-Security-Policy:
   frame-ancestors <that origin>``, so the browser renders it only inside a page of that origin.
3. The frame sends the token in ``X-Widget-Token`` on every data call; :func:`frame_application` checks it
   (signature, the widget it was issued for), that the call comes from the frame itself (``Origin``, when sent,
   is the emulator's own; ``Sec-Fetch-Site``, when sent, is ``same-origin``) and that the origin is still
   allowed. The application comes from the token: ``api_key``/``origin`` parameters are ignored.

A token is ``<payload>.<signature>``: base64url JSON ``{"application", "origin", "widget", "nonce"}`` and its
HMAC-SHA256 under a key drawn when the app is created, so tokens live as long as the server process (a frame
outlives a ``POST /_mock/reset``; a restart asks the page to reload). Tokens are not stored anywhere.

This is a browser's model of trust, as LinkedIn's own widgets have: a client outside a browser can set any
``Origin`` it likes, as it could against LinkedIn.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import secrets

from starlette.requests import Request

from mock_server.api.widgets.access import widget_application
from mock_server.restli.errors import RestliError

TOKEN_HEADER = "x-widget-token"


@dataclasses.dataclass(frozen=True)
class FrameGrant:
    """What a frame token says: the customer ``application`` key, the page ``origin`` it was issued to, the
    ``widget`` (``ATSIntegrationWidget`` or ``HcmWidget``) and the ``sandbox`` whose world issued it (its id,
    :mod:`mock_server.harness.sandboxes`; empty for the default world)."""

    application: str
    origin: str
    widget: str
    sandbox: str = ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FrameTokens:
    """Issues and reads frame tokens under one signing ``key`` (32 random bytes by default)."""

    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or secrets.token_bytes(32)

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self.key, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, grant: FrameGrant) -> str:
        """A fresh token for ``grant`` (a new nonce each time: one token per frame)."""
        payload = _b64(json.dumps({**dataclasses.asdict(grant), "nonce": secrets.token_hex(8)}).encode())
        return f"{payload}.{self._sign(payload)}"

    def read(self, token: str) -> FrameGrant | None:
        """The grant of a token this server issued, or None for anything else (forged, altered, malformed)."""
        payload, _, signature = token.partition(".")
        if not payload or not payload.isascii() or not hmac.compare_digest(signature.encode(),
                                                                           self._sign(payload).encode()):
            return None
        try:
            doc = json.loads(_unb64(payload))
            return FrameGrant(doc["application"], doc["origin"], doc["widget"], doc.get("sandbox", ""))
        except (ValueError, KeyError, TypeError):
            return None


def token_sandbox(token: str) -> str | None:
    """The sandbox id a frame token names, read without checking its signature (so that the harness can place
    the call in that sandbox's world, where :func:`frame_application` checks the token); None when it names
    none (the default world's) or is malformed."""
    try:
        doc = json.loads(_unb64(token.partition(".")[0]))
    except ValueError:
        return None
    sandbox = doc.get("sandbox") if isinstance(doc, dict) else None
    return sandbox if isinstance(sandbox, str) and sandbox else None


def own_origin(request: Request) -> str:
    """The origin the emulator is being called on (``scheme://host[:port]``): the frames' origin."""
    return f"{request.url.scheme}://{request.url.netloc}"


def frame_application(request: Request, tokens: FrameTokens, customers, widget: str) -> dict:
    """The customer application behind a widget data call from a frame of ``widget`` (see the module docstring).

    Raises :class:`RestliError` 401 when the ``X-Widget-Token`` header is missing or is not a token of this
    server, or its application no longer exists; 403 when the token is another widget's, the call does not come
    from the frame's own origin, or the page's origin is no longer in the application's ``validJsSdkDomains``.
    """
    token = request.headers.get(TOKEN_HEADER, "").strip()
    if not token:
        raise RestliError(401, "This widget call has no frame token (X-Widget-Token): widget data is served only to"
                               " the frames in.js creates, each with its own token")
    grant = tokens.read(token)
    if grant is None:
        raise RestliError(401, "The widget frame token is not valid: reload the page so that in.js creates the"
                               " frame again")
    if grant.widget != widget:
        raise RestliError(403, f"The frame token is for an {grant.widget} frame; this call belongs to {widget}")
    origin, site = request.headers.get("origin"), request.headers.get("sec-fetch-site")
    if (origin is not None and origin != own_origin(request)) or (site is not None and site != "same-origin"):
        raise RestliError(403, f"Widget data is served only to the widget's own frame on {own_origin(request)}"
                               f" (this call came from {origin or f'a {site} page'})")
    application = customers.by_key(grant.application)
    if application is None:
        raise RestliError(401, f"The application {grant.application} of this frame no longer exists")
    return widget_application(customers, application["clientId"], grant.origin)
