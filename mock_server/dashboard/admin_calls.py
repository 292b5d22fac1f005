"""The dashboard's actions are ``/_mock`` calls: each form is turned into the JSON body of an admin endpoint and
sent through the running app in-process (an ASGI call, no socket), so the page gets exactly the validation, the
effect and the error envelope a test script gets over HTTP.

:class:`AdminReply` is the outcome: status, parsed JSON body, and for a refusal the message of LinkedIn's error
envelope and the form field it names (``ERROR :: /<field> :: <reason>``).
"""

from __future__ import annotations

import dataclasses
import json
import re

import httpx
from starlette.requests import Request

from mock_server.dashboard.curl import curl_command

ADMIN_PREFIX = "/_mock"
FIELD_MESSAGE = re.compile(r"ERROR :: (/[^ ]*) :: ")


@dataclasses.dataclass
class AdminReply:
    """One admin call's outcome: ``method`` and ``path`` as called, ``body`` sent, reply ``status`` and
    ``data`` (parsed JSON, or the text when it is not JSON, None when empty)."""

    method: str
    path: str
    body: dict | str | None
    status: int
    data: object

    @property
    def ok(self) -> bool:
        """True for a 2xx reply."""
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        """The envelope's ``message`` of a refusal (empty for a success)."""
        if self.ok:
            return ""
        if isinstance(self.data, dict) and isinstance(self.data.get("message"), str):
            return self.data["message"]
        return f"HTTP {self.status}"

    @property
    def field(self) -> str:
        """The form field a refusal names: the JSON pointer of ``ERROR :: /a/b :: …`` as ``a.b`` without list
        indexes (``/integrationTypes/0`` → ``integrationTypes``); empty when the message names none."""
        match = FIELD_MESSAGE.search(self.message)
        if not match:
            return ""
        parts = [part for part in match.group(1).strip("/").split("/") if part and not part.isdigit()]
        return ".".join(parts)

    def curl(self, base_url: str) -> str:
        """The same call as a ``curl`` command against ``base_url``."""
        body = self.body if isinstance(self.body, str) or self.body is None else json.dumps(self.body)
        headers = {} if body is None else {"Content-Type": "application/json"}
        return curl_command(self.method, base_url.rstrip("/") + ADMIN_PREFIX + self.path, headers, body)


async def admin_call(request: Request, method: str, path: str, body: dict | str | None = None) -> AdminReply:
    """Call ``<method> /_mock<path>`` on the app serving ``request`` with ``body`` (a dict sent as JSON, or
    text sent as it is with a JSON content type, so the emulator judges malformed JSON itself); never raises
    for an HTTP status (the reply says it)."""
    transport = httpx.ASGITransport(app=request.app)
    content = body if isinstance(body, str) else None if body is None else json.dumps(body)
    headers = {} if content is None else {"Content-Type": "application/json"}
    async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.internal") as client:
        reply = await client.request(method, ADMIN_PREFIX + path, content=content, headers=headers)
    text = reply.text
    try:
        data = json.loads(text) if text.strip() else None
    except ValueError:
        data = text
    return AdminReply(method, path, body, reply.status_code, data)
