"""The harness seams, proved over HTTP on a real server: errors are rendered in one place (the app's
``RestliError`` handler) for every admin and widget endpoint, and the README's recipes hold — a new admin
endpoint costs one function and one line in ``harness/admin/__init__.py``, a new fault type one class and one
entry in ``ACTIONS``."""

from __future__ import annotations

import dataclasses
import json
from typing import ClassVar

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_server.api.http import world
from mock_server.config import Settings
from mock_server.harness import admin, fault_actions
from mock_server.harness.fault_actions import Action, Exchange, number
from mock_server.restli.errors import RestliError, field_error
from mock_server.testing.client import RscClient
from mock_server.testing.server import RunningServer

PAGE_ORIGIN = "http://localhost:8080"
PROVISIONED = "/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=globex"


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
    ("POST", "/_widgets/frames", {"data": {"api_key": "demo-customer", "widget": "HcmWidget"}}, 403),
    ("POST", "/_widgets/frames", {"data": {"widget": "Other"}, "headers": {"Origin": PAGE_ORIGIN}}, 400),
    ("GET", "/_widgets/configuration", {}, 401),
    ("POST", "/_widgets/configuration/signin", {"json": {}, "headers": {"X-Widget-Token": "forged"}}, 401),
    ("POST", "/_widgets/configuration/approve", {"json": {}}, 401),
    ("GET", "/_widgets/profile", {"headers": {"X-Widget-Token": "x.y"}}, 401),
    ("GET", "/_widgets/profile/members", {}, 401),
    ("POST", "/_widgets/profile/link", {"json": {}}, 401),
    ("POST", "/_widgets/profile/unlink", {"json": {}}, 401),
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


# ---- recipe: a new admin endpoint is one function and one line in harness/admin/__init__.py ROUTES ----------

async def table_rows(request: Request) -> Response:
    """A throwaway admin endpoint: the number of rows of the table ``?name=`` (404 naming it when unknown)."""
    name = request.query_params.get("name", "")
    counts = world(request).store.counts()
    if name not in counts:
        raise RestliError(404, f"ERROR :: /name :: no table {name!r}")
    return JSONResponse({"table": name, "rows": counts[name]})


def test_a_new_admin_endpoint_is_one_function_and_one_line(monkeypatch):
    monkeypatch.setattr(admin, "ROUTES", [*admin.ROUTES, Route("/table-rows", table_rows, methods=["GET"])])
    with RunningServer(Settings(journal_admin=True)) as server, httpx.Client(base_url=server.url) as client:
        found = client.get("/_mock/table-rows", params={"name": "applications"})
        assert found.status_code == 200 and found.json()["rows"] >= 2, found.text
        refused = client.get("/_mock/table-rows", params={"name": "nope"})
        assert refused.status_code == 404 and refused.headers["X-RestLi-Error-Response"] == "true"
        assert refused.json() == {"status": 404, "serviceErrorCode": 404,
                                  "message": "ERROR :: /name :: no table 'nope'"}
        assert journaled(client, refused)["status"] == 404
        documented = client.get("/_mock/openapi.json").json()["paths"]["/_mock/table-rows"]["get"]
        assert "throwaway admin endpoint" in documented["description"]


# ---- recipe: a new fault type is one class plus one entry in ACTIONS ------------------------------------------

@dataclasses.dataclass(frozen=True)
class Truncate(Action):
    """Answer 200 with a JSON body cut after ``keep`` bytes (a malformed reply)."""

    fields: ClassVar[tuple[str, ...]] = ("truncate",)
    terminal: ClassVar[bool] = True
    keep: int

    @classmethod
    def parse(cls, action: dict) -> Truncate | None:
        if action.get("truncate") is None:
            return None
        return cls(number(action["truncate"], "action/truncate", 1, 100, integer=True))

    def view(self) -> dict:
        return {"truncate": self.keep}

    async def apply(self, exchange: Exchange) -> None:
        body = json.dumps({"elements": [{"id": 1, "name": "cut short"}]}).encode()
        await exchange.reply(Response(body[:self.keep], media_type="application/json"))


@dataclasses.dataclass(frozen=True)
class Stamp(Action):
    """Add ``X-Fault-Stamp: <value>`` to whatever answers (a non-terminal action wrapping ``send``)."""

    fields: ClassVar[tuple[str, ...]] = ("stamp",)
    value: str

    @classmethod
    def parse(cls, action: dict) -> Stamp | None:
        if action.get("stamp") is None:
            return None
        if not isinstance(action["stamp"], str) or not action["stamp"].isascii():
            raise field_error("action/stamp", "must be ASCII text", 400)
        return cls(action["stamp"])

    def view(self) -> dict:
        return {"stamp": self.value}

    async def apply(self, exchange: Exchange) -> None:
        send = exchange.send

        async def stamped(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"x-fault-stamp", self.value.encode())]}
            await send(message)
        exchange.send = stamped


@pytest.fixture
def new_fault_types(monkeypatch):
    """ACTIONS with the two throwaway fault types added (the one line a new type costs)."""
    monkeypatch.setattr(fault_actions, "ACTIONS", (*fault_actions.ACTIONS, Truncate, Stamp))


def test_a_new_terminal_fault_type_is_one_class(new_fault_types, server, partner):
    with RscClient(server.url) as client:
        rule = client.add_fault({"resource": "provisionedApplications"}, truncate=12, times=1)
        assert rule["action"] == {"truncate": 12} and client.faults()[0]["action"] == {"truncate": 12}
        reply = client.get(PROVISIONED, headers=partner)
        assert reply.status_code == 200 and reply.content == b'{"elements":'
        with pytest.raises(json.JSONDecodeError):
            reply.json()
        [entry] = client.requests(resource="provisionedApplications")
        assert entry["fault"] == rule["id"] and entry["status"] == 200 and not entry["dropped"]
        assert client.get(PROVISIONED, headers=partner).json()["elements"] is not None  # times: 1 used up
        refused = client.http.post("/_mock/faults", json={"action": {"truncate": 101}})
        assert refused.status_code == 400 and refused.json()["message"].startswith("ERROR :: /action/truncate ::")
        both = client.http.post("/_mock/faults", json={"action": {"truncate": 5, "drop": True}})
        assert both.json()["message"] == ("ERROR :: /action :: give one of status, drop, quota or truncate, not"
                                          " drop and truncate")


def test_a_new_non_terminal_fault_type_is_one_class(new_fault_types, server, partner):
    with RscClient(server.url) as client:
        client.add_fault({"resource": "provisionedApplications"}, stamp="first", times=1)
        stamped = client.get(PROVISIONED, headers=partner)
        assert stamped.status_code == 200 and stamped.headers["X-Fault-Stamp"] == "first"  # the emulator answered
        assert "elements" in stamped.json()
        client.add_fault({"resource": "provisionedApplications"}, stamp="second", status=503, times=1)
        failed = client.get(PROVISIONED, headers=partner)
        assert failed.status_code == 503 and failed.headers["X-Fault-Stamp"] == "second"
        assert failed.json()["status"] == 503
        assert "X-Fault-Stamp" not in client.get(PROVISIONED, headers=partner).headers
        unknown = client.http.post("/_mock/faults", json={"action": {"stamp": "x", "sparkle": True}})
        assert unknown.json()["message"] == ("ERROR :: /action/sparkle :: unknown action field (known: status, body,"
                                             " headers, delay, drop, quota, truncate, stamp)")
