"""Shared fixtures of the emulator's own tests: one real server per test session (per xdist worker), reset
before each test that uses it, and helpers to get tokens."""

from __future__ import annotations

import httpx
import pytest

from mock_server.testing.server import RunningServer

DEMO_ORG = "urn:li:organization:1000"
DEMO_CONTRACT = "urn:li:contract:2000"


@pytest.fixture(scope="session")
def live_server():
    """The real emulator on a free port for the whole session."""
    with RunningServer() as server:
        yield server


@pytest.fixture
def server(live_server):
    """The session's server, reset to the demo tenant."""
    httpx.post(live_server.url + "/_mock/reset").raise_for_status()
    return live_server


@pytest.fixture
def http(server):
    """An httpx client on the server's base URL."""
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def token_for(client: httpx.Client, client_id: str, secret: str) -> str:
    """A 2-legged token through the real token endpoint."""
    reply = client.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials", "client_id": client_id,
                                                       "client_secret": secret})
    reply.raise_for_status()
    return reply.json()["access_token"]


@pytest.fixture
def partner(http):
    """Authorization headers of the demo partner (parent) application."""
    return {"Authorization": "Bearer " + token_for(http, "demo-partner", "demo-partner-secret")}


@pytest.fixture
def customer(http):
    """Authorization headers of the demo customer (child) application."""
    return {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}


@pytest.fixture
def empty_store():
    """An empty in-memory Store, closed after the test."""
    from mock_server.store import Store

    with Store() as opened:
        yield opened
