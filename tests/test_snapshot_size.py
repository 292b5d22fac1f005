"""An export is always importable back, over real HTTP: a long-running world whose snapshot is far over the
1 MiB request-body limit (its live tokens survive resets) is taken back by ``PUT /_mock/snapshot`` and by a
sandbox's ``PUT /_mock/sandboxes/{id}/snapshot``, which have a limit of their own
(``RSC_MOCK_MAX_SNAPSHOT_BYTES``, 1 GiB); every other route keeps the 1 MiB."""

from __future__ import annotations

import json

import httpx
import pytest

from mock_server.config import Settings
from mock_server.testing.server import RunningServer
from tests.conftest import token_for

MIB = 1 << 20


@pytest.fixture(scope="module")
def big():
    """A server whose world's export is over 1.5 MiB: the live tokens of many test runs, kept across resets."""
    with RunningServer() as server, httpx.Client(base_url=server.url, timeout=30) as http:
        tokens = [token_for(http, "demo-customer", "demo-customer-secret")]
        while len(http.get("/_mock/snapshot").content) < 1.5 * MIB:
            for _ in range(200):
                tokens.append(http.post("/_mock/tokens", json={"client_id": "demo-customer"}).json()["access_token"])
            http.post("/_mock/reset").raise_for_status()  # a reset keeps them, as a CI fleet's emulator does
        yield server, tokens


def introspect(http: httpx.Client, token: str) -> bool:
    reply = http.post("/oauth/v2/introspectToken", data={"client_id": "demo-customer", "token": token,
                                                          "client_secret": "demo-customer-secret"})
    return reply.json().get("active") is True


def test_a_worlds_own_export_is_importable_back_however_big(big):
    server, tokens = big
    with httpx.Client(base_url=server.url, timeout=60) as http:
        export = http.get("/_mock/snapshot")
        assert len(export.content) > 1.5 * MIB
        reply = http.put("/_mock/snapshot", content=export.content, headers={"Content-Type": "application/json"})
        assert reply.status_code == 200, reply.text[:300]
        assert reply.json()["tables"]["tokens"] >= len(tokens)
        assert http.get("/_mock/snapshot").json() == export.json()
        assert introspect(http, tokens[0]) and introspect(http, tokens[-1])


def test_a_sandbox_takes_the_big_export_too(big):
    server, _ = big
    with httpx.Client(base_url=server.url, timeout=60) as http:
        export = http.get("/_mock/snapshot").content
        sandbox = http.post("/_mock/sandboxes").json()
        try:
            reply = http.put(f"/_mock/sandboxes/{sandbox['id']}/snapshot", content=export,
                             headers={"Content-Type": "application/json"})
            assert reply.status_code == 200, reply.text[:300]
            again = http.get(f"/_mock/sandboxes/{sandbox['id']}/snapshot").content
            assert http.put(f"/_mock/sandboxes/{sandbox['id']}/snapshot", content=again).status_code == 200
        finally:
            http.delete(f"/_mock/sandboxes/{sandbox['id']}")


@pytest.mark.parametrize("method, path", [("POST", "/_mock/faults"), ("POST", "/_mock/tokens"),
                                          ("PUT", "/_mock/quotas"), ("POST", "/_mock/sandboxes"),
                                          ("POST", "/_mock/certification/grade")])
def test_every_other_admin_route_keeps_the_1_mib_limit(big, method, path):
    server, _ = big
    body = json.dumps({"pad": "x" * MIB}).encode()
    reply = httpx.request(method, server.url + path, content=body, timeout=30)
    assert reply.status_code == 413 and f"over the limit of {MIB} bytes" in reply.json()["message"]


def test_the_snapshot_limit_is_a_setting_of_its_own():
    with RunningServer(Settings(max_body_bytes=16 * 1024, max_snapshot_bytes=64 * 1024)) as server:
        export = httpx.get(server.url + "/_mock/snapshot").content
        assert httpx.put(server.url + "/_mock/snapshot", content=export).status_code == 200
        reply = httpx.put(server.url + "/_mock/snapshot", content=b" " * (64 * 1024 + 1))
        assert reply.status_code == 413 and "over the limit of 65536 bytes" in reply.json()["message"]
