"""What a request says about the sandbox it is for (:mod:`mock_server.harness.sandboxes`), read from its ASGI
scope before anything answers it: an :class:`Address`.

* Admin calls (``/_mock/*``) name their sandbox: by the path ``/_mock/sandboxes/{id}/…`` or by the
  ``X-RSC-Mock-Sandbox`` header; their bodies are never read here.
* Calls to LinkedIn's hosts carry credentials, and credentials belong to one sandbox: the bearer token of
  ``Authorization``, else a client id — HTTP Basic credentials, the ``client_id`` of the query (the consent page)
  or of the urlencoded form of a ``/oauth/*`` POST, the ``api_key`` of a widget call's query or JSON body
  (``/_widgets/*``). They may name a sandbox by the header too (the pytest plugin's client always does).
* Two kinds of call carry no credentials but name their world: a widget frame's data call by its
  ``X-Widget-Token`` (:func:`~mock_server.api.widgets.frames.token_sandbox`) and a résumé upload by its URL
  ``/media/upload/{sandbox}/{id}`` (the one ``v2/hireMediaUrl`` handed out).

Reading a form or JSON body consumes it, so :func:`read_address` hands back a ``receive`` that replays what it
read. Bodies over :data:`BODY_LIMIT` are not read (a form or widget call is far smaller).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import dataclasses
import json
from urllib.parse import parse_qs, unquote_plus

from mock_server.api.resources.hire_media_url import UPLOAD_PATH
from mock_server.api.widgets.frames import TOKEN_HEADER, token_sandbox

SANDBOX_HEADER = "X-RSC-Mock-Sandbox"
SANDBOX_PATH = "/_mock/sandboxes/"
ADMIN_PREFIX = "/_mock"
BODY_LIMIT = 64 * 1024
FORM_PATHS = ("/oauth/", "/_widgets/frames")
JSON_PATHS = ("/_widgets/",)


@dataclasses.dataclass
class Address:
    """The sandbox a request names (``path``: from ``/_mock/sandboxes/{id}/…``, ``/media/upload/{id}/…`` or a
    widget frame token; ``header``: from
    ``X-RSC-Mock-Sandbox``) and the credentials it carries (``token``: a bearer token; ``client_id``: an
    application's client id); each ``None`` when absent."""

    path: str | None = None
    header: str | None = None
    token: str | None = None
    client_id: str | None = None
    header_values: tuple[str, ...] = ()
    """Every id the header lines carried, each line split at commas (how HTTP combines repeated lines, RFC 9110
    §5.3), in order: ``header`` is their one value; empty ones or several different ones make it ``None`` and
    the request is refused (:meth:`~mock_server.harness.sandboxes.Sandboxes.place`)."""


async def read_address(scope: dict, receive, max_body_bytes: int, body_timeout_s: float):
    """``(Address, receive)`` of the HTTP request ``scope``; the ``receive`` returned replays the body messages
    read to find a client id (``receive`` itself when none were read). A body declared over :data:`BODY_LIMIT`
    or the server's ``max_body_bytes`` is not read, and one is read for at most ``body_timeout_s`` seconds: the
    body guard inside (:mod:`mock_server.harness.receiving`) then refuses the request in its own words."""
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):  # the first of a repeated header, as the routes read it
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    path = scope.get("path", "/")
    address = header_address(scope)
    if path.startswith(ADMIN_PREFIX):
        named, slash, _ = path.removeprefix(SANDBOX_PATH).partition("/")
        if path.startswith(SANDBOX_PATH) and slash and named:
            address.path = named
        return address, receive
    if path.startswith(UPLOAD_PATH):
        named, slash, _ = path.removeprefix(UPLOAD_PATH).partition("/")
        address.path = named if slash and named else None
    frame_token = headers.get(TOKEN_HEADER, "").strip()
    if frame_token:
        address.path = token_sandbox(frame_token)
    scheme, _, credentials = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        address.token = credentials.strip()
        return address, receive
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    address.client_id = (basic_client_id(scheme, credentials) or first(query, "client_id")
                         or first(query, "api_key"))
    declared = headers.get("content-length", "0").strip()
    small = not declared.isdigit() or int(declared) <= min(BODY_LIMIT, max_body_bytes)
    if (address.client_id is None and small and scope.get("method") == "POST"
            and path.startswith(FORM_PATHS + JSON_PATHS)):
        body, receive = await read_body(receive, body_timeout_s)
        address.client_id = body_client_id(path, body)
    return address, receive


def header_address(scope: dict) -> Address:
    """The :class:`Address` the ``X-RSC-Mock-Sandbox`` header lines of ``scope`` make: ``header`` the sandbox id
    when every line names the same one, ``header_values`` all the ids they carried (none: no header)."""
    named = SANDBOX_HEADER.lower().encode("latin-1")
    values = tuple(part.strip() for name, value in scope.get("headers", []) if name.lower() == named
                   for part in value.decode("latin-1").split(","))
    distinct = set(values)
    one = distinct.pop() if len(distinct) == 1 and "" not in distinct else None
    return Address(header=one, header_values=values)


def first(values: dict[str, list[str]], name: str) -> str | None:
    """The first non-empty value of ``name`` in a parsed query or form."""
    found = [value for value in values.get(name, []) if value.strip()]
    return found[0].strip() if found else None


def basic_client_id(scheme: str, credentials: str) -> str | None:
    """The client id of ``Authorization: Basic base64(client_id:secret)`` (form-urlencoded, RFC 6749 §2.3.1);
    None for another scheme or a malformed header (the token endpoint refuses it itself)."""
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, colon, _ = decoded.partition(":")
    if not colon or not client_id:
        return None
    return unquote_plus(client_id)


def body_client_id(path: str, body: bytes | None) -> str | None:
    """The ``client_id`` of a ``/oauth/*`` form, the ``api_key`` of the ``/_widgets/frames`` form or of another
    ``/_widgets/*`` JSON body; None when
    there is none or the body cannot be read as one."""
    if not body:
        return None
    text = body.decode("utf-8", errors="replace")
    if path.startswith(FORM_PATHS):
        return first(parse_qs(text), "api_key" if path.startswith("/_widgets/") else "client_id")
    try:
        document = json.loads(text)
    except ValueError:
        return None
    api_key = document.get("api_key") if isinstance(document, dict) else None
    if not isinstance(api_key, str) or not api_key.strip():
        return None
    return api_key.strip()


async def read_body(receive, timeout_s: float):
    """``(body, replaying receive)``: the whole request body when it is at most :data:`BODY_LIMIT` bytes and
    arrives within ``timeout_s`` seconds (else ``None``), and a ``receive`` that hands out the messages read
    before asking ``receive`` for more."""
    messages: list[dict] = []
    size, complete = 0, False
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        try:
            message = await asyncio.wait_for(receive(), max(0.0, deadline - asyncio.get_running_loop().time()))
        except asyncio.TimeoutError:
            break
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if size > BODY_LIMIT:
            break
        if not message.get("more_body", False):
            complete = True
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request") if complete else None

    async def replay():
        return messages.pop(0) if messages else await receive()

    return body, replay
