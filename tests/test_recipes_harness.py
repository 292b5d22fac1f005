"""The harness seams, proved over HTTP on a real server: errors are rendered in one place (the app's
``RestliError`` handler) for every admin and widget endpoint, and the README's recipes hold — a new admin
endpoint costs one function and one line in ``harness/admin/__init__.py``, a new fault type one class and one
entry in ``ACTIONS``."""

from __future__ import annotations

import httpx
import pytest

from mock_server.config import Settings
from mock_server.testing.server import RunningServer

PAGE = {"api_key": "demo-customer", "origin": "http://localhost:8080"}


@pytest.fixture(scope="module")
def admin_journaled():
    """A server that journals ``/_mock`` requests too (``journal_admin``)."""
    with RunningServer(Settings(journal_admin=True)) as server:
        yield server


def journaled(client: httpx.Client, reply: httpx.Response) -> dict:
    """The journal entry of ``reply`` (found by its request id)."""
    entries = client.get("/_mock/requests", params={"path": reply.request.url.path}).json()["requests"]
    [entry] = [e for e in entries if e["id"] == reply.headers["X-Request-Id"]]
    return entry


# One failing call per endpoint that raises RestliError (every admin module, every widget endpoint).
FAILING = [
    ("POST", "/_mock/tokens", {"json": {}}, 400),
    ("POST", "/_mock/tokens", {"json": {"client_id": "nobody"}}, 404),
    ("POST", "/_mock/customers/nobody/preapprove", {"json": {}}, 404),
    ("GET", "/_mock/inbox/x", {"params": {"challengeCode": "c"}}, 400),
    ("POST", "/_mock/clock", {"json": {}}, 400),
    ("POST", "/_mock/faults", {"content": b"{"}, 400),
    ("DELETE", "/_mock/faults/fault-0", {}, 404),
    ("GET", "/_mock/requests", {"params": {"limit": "0"}}, 400),
    ("POST", "/_mock/requests/wait", {"json": {"count": 0}}, 400),
    ("GET", "/_mock/notifications", {"params": {"status": "lost"}}, 400),
    ("POST", "/_mock/notifications/wait", {"json": {"timeout": -1}}, 400),
    ("GET", "/_mock/notifications/123", {}, 404),
    ("POST", "/_mock/notifications/123/redeliver", {}, 404),
    ("PUT", "/_mock/quotas", {"json": {"nope": 1}}, 400),
    ("POST", "/_mock/recruiter/integrations", {"json": {}}, 400),
    ("POST", "/_mock/recruiter/exports", {"json": {}}, 400),
    ("POST", "/_mock/recruiter/inmails", {"json": {}}, 400),
    ("POST", "/_mock/recruiter/replies", {"json": {}}, 400),
    ("POST", "/_mock/recruiter/notes", {"json": {}}, 400),
    ("DELETE", "/_mock/recruiter/notes/x", {}, 400),
    ("GET", "/_mock/recruiter/indicator", {}, 400),
    ("PUT", "/_mock/snapshot", {"json": {"format": "nope"}}, 400),
    ("GET", "/_widgets/frame/NoSuchWidget", {}, 404),
    ("GET", "/_widgets/configuration", {"params": {"origin": PAGE["origin"]}}, 401),
    ("POST", "/_widgets/configuration/signin", {"json": {**PAGE, "api_key": "nope"}}, 401),
    ("POST", "/_widgets/configuration/approve", {"json": PAGE}, 400),
    ("GET", "/_widgets/profile", {"params": PAGE}, 400),
    ("GET", "/_widgets/profile/members", {"params": {**PAGE, "api_key": "demo-partner"}}, 403),
    ("POST", "/_widgets/profile/link", {"json": PAGE}, 400),
    ("POST", "/_widgets/profile/unlink", {"json": {**PAGE, "origin": "https://evil.example"}}, 403),
]


@pytest.mark.parametrize("method, path, kwargs, status", FAILING, ids=[f"{m} {p} {s}" for m, p, _, s in FAILING])
def test_endpoint_errors_are_enveloped_once_and_journaled(admin_journaled, method, path, kwargs, status):
    with httpx.Client(base_url=admin_journaled.url, timeout=10) as client:
        reply = client.request(method, path, **kwargs)
        assert reply.status_code == status, reply.text
        assert reply.headers["X-RestLi-Error-Response"] == "true"
        body = reply.json()
        assert set(body) == {"status", "serviceErrorCode", "message"} and body["status"] == status
        assert body["message"]
        assert journaled(client, reply)["status"] == status


def test_restli_errors_still_echo_the_protocol_version(admin_journaled):
    """The dispatcher keeps its own catch: its error replies carry X-RestLi-Protocol-Version."""
    with httpx.Client(base_url=admin_journaled.url, timeout=10) as client:
        reply = client.get("/v2/atsIntegrations?q=nope", headers={"X-RestLi-Protocol-Version": "2.0.0"})
        assert reply.status_code == 400 and reply.headers["X-RestLi-Error-Response"] == "true"
        assert reply.headers["X-RestLi-Protocol-Version"] == "2.0.0"
        assert journaled(client, reply)["status"] == 400
