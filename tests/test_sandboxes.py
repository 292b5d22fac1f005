"""Sandboxes over real HTTP (issue 12): isolated worlds on one server — made, listed, described and deleted
through ``/_mock/sandboxes`` and ``rsc-mock sandbox``; each with its own store, tokens, clock, fault rules,
quotas, journal and outbox; addressed by every credential LinkedIn's hosts take (bearer token, client id in a
form, a Basic header, the consent page's query and form, a widget's api_key) and by the admin path or header;
refusing unknown ids, conflicting addresses, the default's deletion and more than the server's limit; deleted
after their idle TTL with their outbox stopped."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from mock_server.config import Settings
from mock_server.testing.server import RunningServer
from mock_server.testing.webhook import WebhookReceiver
from tests.access_log import access_lines
from tests.conftest import DEMO_ORG, token_for
from tests.recruiting import enable, provision_customer, set_callback

HEADER = "X-RSC-Mock-Sandbox"
ORIGIN = "http://localhost:8080"
REDIRECT = "http://localhost:8080/_mock/oauth/callback"


@pytest.fixture
def sandboxes(server):
    """``make(**body) -> sandbox JSON`` on the session's server; every sandbox made is deleted afterwards."""
    made = []

    def make(**body) -> dict:
        reply = httpx.post(server.url + "/_mock/sandboxes", json=body)
        assert reply.status_code == 201, reply.text
        made.append(reply.json()["id"])
        return reply.json()

    yield make
    for sandbox_id in made:
        httpx.delete(f"{server.url}/_mock/sandboxes/{sandbox_id}")


def client_of(server, sandbox: dict | None = None) -> httpx.Client:
    """An httpx client naming ``sandbox`` by header on every call (the default world without one)."""
    return httpx.Client(base_url=server.url, timeout=20, headers=sandbox["header"] if sandbox else {})


def customer_credentials(sandbox: dict) -> tuple[str, str]:
    found = sandbox["customers"][0]["credentials"]
    return found["client_id"], found["client_secret"]


def journal(server, sandbox_id: str) -> list[tuple[str, str, int]]:
    """``(method, path, status)`` of every request the sandbox journaled."""
    found = httpx.get(f"{server.url}/_mock/sandboxes/{sandbox_id}/requests").json()["requests"]
    return [(entry["method"], entry["path"], entry["status"]) for entry in found]


def error_of(reply: httpx.Response, status: int) -> str:
    """The message of a refusal in its route's error shape: LinkedIn's envelope, or OAuth's on ``/oauth/*``."""
    assert reply.status_code == status, reply.text
    body = reply.json()
    return body["message"] if "message" in body else body["error_description"]


# ---- the API -------------------------------------------------------------------------------------------------

def test_create_describe_list_and_delete(server, sandboxes):
    made = sandboxes(label="job 42")
    sandbox_id = made["id"]
    assert re.fullmatch(r"sb[a-z0-9]{8}", sandbox_id)
    assert made["label"] == "job 42" and made["fixtures"] == "demo" and made["idleTtl"] == 600
    assert made["header"] == {HEADER: sandbox_id}
    [partner], [customer] = made["partners"], made["customers"]
    assert partner["credentials"] == {"client_id": f"demo-partner-{sandbox_id}",
                                      "client_secret": f"demo-partner-secret-{sandbox_id}"}
    assert customer["credentials"]["client_id"] == f"demo-customer-{sandbox_id}"
    assert customer["uniqueForeignId"] == "acme" and customer["key"] == "urn:li:developerApplication:11"
    assert made["urls"] == {"base": server.url, "admin": f"{server.url}/_mock/sandboxes/{sandbox_id}",
                            "token": server.url + "/oauth/v2/accessToken",
                            "inbox": f"{server.url}/_mock/sandboxes/{sandbox_id}/inbox/"}
    described = httpx.get(made["urls"]["admin"]).json()
    assert {k: v for k, v in described.items() if k != "idleFor"} == {k: v for k, v in made.items() if k != "idleFor"}
    listed = httpx.get(server.url + "/_mock/sandboxes").json()
    assert listed["limit"] == 64 and listed["ttl"] == 600 and listed["fixtures"] == ["demo", "sample"]
    assert [s["id"] for s in listed["sandboxes"]] == ["default", sandbox_id] and listed["count"] == 2
    default = listed["sandboxes"][0]
    assert default["idleTtl"] is None and default["customers"][0]["credentials"] == {
        "client_id": "demo-customer", "client_secret": "demo-customer-secret"}
    assert httpx.delete(made["urls"]["admin"]).status_code == 204
    assert f"No sandbox '{sandbox_id}'" in error_of(httpx.get(made["urls"]["admin"]), 404)
    assert [s["id"] for s in httpx.get(server.url + "/_mock/sandboxes").json()["sandboxes"]] == ["default"]


def test_a_sandbox_from_another_bundled_world(server, sandboxes):
    made = sandboxes(fixtures="sample")
    assert made["fixtures"] == "sample" and len(made["customers"]) > 1
    with client_of(server) as http:
        token = token_for(http, *customer_credentials(made))
        assert token.startswith("AQV" + made["id"])
        members = http.get("/_mock/health", headers=made["header"]).json()["tables"]["members"]
        assert members > http.get("/_mock/health").json()["tables"]["members"]


@pytest.mark.parametrize("body, message", [
    ({"fixtures": "nowhere"}, "ERROR :: /fixtures :: no fixture world 'nowhere' (known: demo, sample"),
    ({"fixtures": 3}, "ERROR :: /fixtures :: 3 is not of type str"),
    ({"ttl": 0}, "ERROR :: /ttl :: must be from 1 to 600 seconds"),
    ({"ttl": 601}, "ERROR :: /ttl :: must be from 1 to 600 seconds"),
    ({"ttl": "1"}, "ERROR :: /ttl :: \"1\" is not of type int"),
    ({"label": "x" * 201}, "ERROR :: /label :: at most 200 characters"),
    ({"label": "job 42\n2026-11-29 22:45:34,948 INFO rsc_mock.access: forged"},
     'ERROR :: /label :: must not contain a line break or control character (found "\\n")'),
    ({"label": "a\u0000b"}, 'control character (found "\\u0000")'),
    ({"label": "a\rb"}, 'control character (found "\\r")'),
    ({"label": "a\u2028b"}, 'control character (found "\u2028")'),
    ({"color": "red"}, "ERROR :: /color :: unknown field"),
])
def test_create_refuses_bad_bodies(server, body, message):
    assert message in error_of(httpx.post(server.url + "/_mock/sandboxes", json=body), 400)
    assert httpx.get(server.url + "/_mock/sandboxes").json()["count"] == 1


def test_the_default_cannot_be_deleted_and_unknown_ids_are_named(server):
    assert "cannot be deleted" in error_of(httpx.delete(server.url + "/_mock/sandboxes/default"), 400)
    assert "No sandbox 'sbnothere0'" in error_of(httpx.delete(server.url + "/_mock/sandboxes/sbnothere0"), 404)
    assert "No sandbox 'sbnothere0'" in error_of(httpx.get(server.url + "/_mock/sandboxes/sbnothere0"), 404)


# ---- isolation -----------------------------------------------------------------------------------------------

def test_each_sandbox_has_its_own_state_clock_faults_quotas_journal_and_tokens(server, sandboxes):
    a, b = sandboxes(), sandboxes()
    with client_of(server, a) as in_a, client_of(server, b) as in_b, client_of(server) as in_default:
        worlds = {"a": in_a, "b": in_b, "default": in_default}
        baseline = {name: world.get("/_mock/health").json()["tables"] for name, world in worlds.items()}
        partner = {"Authorization": "Bearer " + token_for(in_a, *a["partners"][0]["credentials"].values())}
        provision_customer(in_a, partner, "globex")                      # the store
        in_a.post("/_mock/clock", json={"advance": 7200}).raise_for_status()
        in_a.post("/_mock/faults", json={"match": {"path": "/v2/marker"}, "action": {"status": 418}})
        in_a.put("/_mock/quotas", json={"atsCandidates": 5}).raise_for_status()
        assert in_a.get("/v2/marker").status_code == 418
        for name in ("b", "default"):
            other = worlds[name]
            assert other.get("/_mock/health").json()["tables"] == baseline[name], name
            assert abs(other.get("/_mock/clock").json()["offsetMs"]) < 60_000, name
            assert other.get("/_mock/faults").json()["faults"] == [], name
            assert other.get("/_mock/quotas").json()["limits"]["atsCandidates"]["overridden"] is False, name
            assert other.get("/v2/marker").status_code == 404, name
        assert in_a.get("/_mock/health").json()["tables"]["applications"] == baseline["a"]["applications"] + 1
        assert in_a.get("/_mock/clock").json()["offsetMs"] >= 7_200_000
        # the journals: each world saw its own /v2/marker only
        assert [(e["path"], e["status"]) for e in in_a.get("/_mock/requests", params={"path": "/v2/marker"})
                .json()["requests"]] == [("/v2/marker", 418)]
        assert [e["status"] for e in in_b.get("/_mock/requests").json()["requests"]] == [404]
        # a reset of one world leaves the others alone
        in_b.post("/_mock/reset").raise_for_status()
        assert in_a.get("/_mock/faults").json()["faults"] != []


def test_provisioned_applications_of_a_sandbox_carry_its_tag(server, sandboxes):
    made = sandboxes()
    with client_of(server, made) as http:
        partner = {"Authorization": "Bearer " + token_for(http, *made["partners"][0]["credentials"].values())}
        globex = provision_customer(http, partner, "globex")
        assert globex["clientId"].endswith("-" + made["id"])
    with client_of(server) as anonymous:                                   # no header: the client id finds it
        token = token_for(anonymous, globex["clientId"], globex["clientSecret"])
        assert anonymous.get("/v2/atsIntegrations?q=request&requestId=x",
                             headers={"Authorization": "Bearer " + token}).status_code == 200
    assert journal(server, made["id"])[-2:] == [("POST", "/oauth/v2/accessToken", 200),
                                                ("GET", "/v2/atsIntegrations", 200)]


# ---- addressing: every credential form and every way of naming ----------------------------------------------

def test_every_credential_form_reaches_its_own_sandbox(server, sandboxes):
    """With no header at all, each kind of credential LinkedIn's hosts take lands in its sandbox."""
    made = sandboxes()
    client_id, secret = customer_credentials(made)
    with httpx.Client(base_url=server.url, timeout=20) as http:           # no sandbox header anywhere
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        token = http.post("/oauth/v2/accessToken", data=form).json()["access_token"]
        assert token.startswith("AQV" + made["id"]) and len(token) == 500
        basic = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials"}, auth=(client_id, secret))
        assert basic.status_code == 200
        postman = http.post("/oauth/v2/accessToken", content=str(httpx.QueryParams(form)),
                            headers={"Content-Type": "text/plain"})                   # as LinkedIn's Postman sends it
        assert postman.status_code == 200
        assert http.post("/oauth/v2/introspectToken", data={"client_id": client_id, "client_secret": secret,
                                                            "token": token}).json()["active"] is True
        bearer = {"Authorization": "Bearer " + token}
        assert http.get("/v2/atsIntegrations?q=request&requestId=x", headers=bearer).status_code == 200
        consent = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "r_liteprofile"}
        assert http.get("/oauth/v2/authorization", params=consent).status_code == 200
        allowed = http.post("/oauth/v2/authorization", data={**consent, "decision": "allow",
                                                             "member": "urn:li:person:jane-doe"})
        assert allowed.status_code == 302, allowed.text
        code = parse_qs(urlsplit(allowed.headers["location"]).query)["code"][0]
        exchanged = http.post("/oauth/v2/accessToken", data={"grant_type": "authorization_code", "code": code,
                                                             "redirect_uri": REDIRECT, "client_id": client_id,
                                                             "client_secret": secret})
        assert exchanged.status_code == 200 and exchanged.json()["access_token"].startswith("AQU" + made["id"])
        issued = http.post("/_widgets/frames", data={"api_key": client_id, "widget": "ATSIntegrationWidget"},
                           headers={"Origin": ORIGIN})
        assert issued.status_code == 200, issued.text
        frame = {"X-Widget-Token": issued.json()["token"]}  # the frame's calls carry no credentials but this
        assert http.get("/_widgets/configuration", params={"bundles": "RECRUITER_SYSTEM_CONNECT_COMPANY"},
                        headers=frame).status_code == 200
        assert http.post("/_widgets/configuration/signin", json={"identifier": "urn:li:person:demo-recruiter"},
                         headers=frame).status_code == 200
    assert journal(server, made["id"]) == [
        ("POST", "/oauth/v2/accessToken", 200), ("POST", "/oauth/v2/accessToken", 200),
        ("POST", "/oauth/v2/accessToken", 200), ("POST", "/oauth/v2/introspectToken", 200),
        ("GET", "/v2/atsIntegrations", 200), ("GET", "/oauth/v2/authorization", 200),
        ("POST", "/oauth/v2/authorization", 302), ("POST", "/oauth/v2/accessToken", 200),
        ("POST", "/_widgets/frames", 200), ("GET", "/_widgets/configuration", 200),
        ("POST", "/_widgets/configuration/signin", 200)]
    assert httpx.get(server.url + "/_mock/requests").json()["requests"] == []


def test_admin_calls_name_their_sandbox_by_path_or_header(server, sandboxes):
    made = sandboxes()
    by_path = httpx.post(f"{made['urls']['admin']}/clock", json={"advance": 3600}).json()
    by_header = httpx.get(server.url + "/_mock/clock", headers=made["header"]).json()
    assert by_path["offsetMs"] >= 3_600_000 and by_header["offsetMs"] >= 3_600_000
    assert httpx.get(server.url + "/_mock/clock", headers={HEADER: "default"}).json()["offsetMs"] < 60_000
    assert httpx.get(server.url + "/_mock/clock").json()["offsetMs"] < 60_000


@pytest.mark.parametrize("lines, message", [
    (lambda sb: [""], "header names no sandbox (it is empty)"),
    (lambda sb: [","], "header names no sandbox (it is empty)"),
    (lambda sb: [sb + ","], "header names no sandbox (it is empty)"),
    (lambda sb: [sb, ""], "header names no sandbox (it is empty)"),
    (lambda sb: [sb, "default"], "header names 2 sandboxes ('{sb}', 'default'): a request is for one"),
    (lambda sb: ["default", sb], "header names 2 sandboxes ('default', '{sb}')"),
    (lambda sb: [sb + ", default"], "header names 2 sandboxes ('{sb}', 'default')"),
    (lambda sb: [sb, "sbother0000,default", "x", sb], "header names 4 sandboxes ('{sb}', 'sbother0000', 'default', …)"),
], ids=["empty", "comma", "trailing-comma", "second-empty", "then-default", "default-first", "comma-list", "many"])
def test_a_header_naming_no_sandbox_or_several_is_refused_on_every_kind_of_route(server, sandboxes, lines, message):
    """The ``X-RSC-Mock-Sandbox`` header names one sandbox or the request is refused (400): an empty one would
    have been the default world's, and of several lines (or a comma-separated line, as HTTP combines them) the
    last one won."""
    made = sandboxes()
    with client_of(server) as http:
        token = token_for(http, *customer_credentials(made))
    headers = [(HEADER, line) for line in lines(made["id"])]
    calls = [("GET", "/_mock/clock", [], None), ("GET", f"/_mock/sandboxes/{made['id']}/clock", [], None),
             ("GET", "/v2/atsIntegrations?q=request&requestId=x", [("Authorization", "Bearer " + token)], None),
             ("POST", "/oauth/v2/accessToken", [], dict(zip(("client_id", "client_secret"),
                                                            customer_credentials(made), strict=True),
                                                        grant_type="client_credentials"))]
    for method, path, more, form in calls:
        reply = httpx.request(method, server.url + path, headers=headers + more, data=form)
        assert message.format(sb=made["id"]) in error_of(reply, 400), path
    assert journal(server, made["id"]) == [("POST", "/oauth/v2/accessToken", 200)]
    assert httpx.get(server.url + "/_mock/requests").json()["requests"] == []


@pytest.mark.parametrize("lines", [lambda sb: [sb, sb], lambda sb: [f"{sb}, {sb}"]], ids=["repeated", "comma-repeated"])
def test_a_header_naming_one_sandbox_however_spelled_reaches_it(server, sandboxes, lines):
    made = sandboxes()
    headers = [(HEADER, line) for line in lines(made["id"])]
    assert httpx.post(server.url + "/_mock/clock", headers=headers, json={"advance": 3600}).status_code == 200
    assert httpx.get(made["urls"]["admin"] + "/clock").json()["offsetMs"] >= 3_600_000
    assert httpx.get(server.url + "/_mock/clock").json()["offsetMs"] < 60_000


def test_requests_without_credentials_or_with_unknown_ones_go_to_the_default(server, sandboxes):
    made = sandboxes()
    assert httpx.get(server.url + "/v2/atsIntegrations?q=request&requestId=x").status_code == 401
    assert httpx.get(server.url + "/v2/atsIntegrations?q=request&requestId=x",
                     headers={"Authorization": "Bearer AQV" + made["id"] + "x" * 487}).status_code == 401
    assert httpx.post(server.url + "/oauth/v2/accessToken", data={
        "grant_type": "client_credentials", "client_id": "nobody-" + made["id"], "client_secret": "s"}
    ).status_code == 400
    assert [e["status"] for e in httpx.get(server.url + "/_mock/requests").json()["requests"]] == [401, 401, 400]
    assert journal(server, made["id"]) == []
    # ... unless the request names the sandbox: then its own journal has the 401
    named = httpx.get(server.url + "/v2/atsIntegrations?q=request&requestId=x", headers=made["header"])
    assert named.status_code == 401
    assert journal(server, made["id"]) == [("GET", "/v2/atsIntegrations", 401)]


def test_a_sandbox_nobody_has_is_named_on_every_kind_of_route(server):
    calls = [("GET", "/_mock/clock", {HEADER: "sbgone0000"}), ("GET", "/_mock/sandboxes/sbgone0000/clock", {}),
             ("POST", "/_mock/sandboxes/sbgone0000/reset", {}), ("GET", "/v2/atsIntegrations", {HEADER: "sbgone0000"}),
             ("POST", "/oauth/v2/accessToken", {HEADER: "sbgone0000"}),
             ("GET", "/_widgets/configuration", {HEADER: "sbgone0000"})]
    for method, path, headers in calls:
        reply = httpx.request(method, server.url + path, headers=headers)
        assert "No sandbox 'sbgone0000'" in error_of(reply, 404), path
    assert httpx.get(server.url + "/_mock/requests").json()["requests"] == []


def test_credentials_of_one_sandbox_named_with_another_are_refused(server, sandboxes):
    a, b = sandboxes(), sandboxes()
    with client_of(server) as http:
        token_a = token_for(http, *customer_credentials(a))
        token_default = token_for(http, "demo-customer", "demo-customer-secret")
    cases = [({"Authorization": "Bearer " + token_a, HEADER: b["id"]}, "GET", "/v2/atsIntegrations", None,
              f"names sandbox '{b['id']}' but the access token belongs to sandbox '{a['id']}'"),
             ({"Authorization": "Bearer " + token_default, HEADER: a["id"]}, "GET", "/v2/atsIntegrations", None,
              f"names sandbox '{a['id']}' but the access token belongs to sandbox 'default'"),
             ({HEADER: b["id"]}, "POST", "/oauth/v2/accessToken",
              dict(zip(("client_id", "client_secret"), customer_credentials(a), strict=True),
                   grant_type="client_credentials"),
              f"but the client id 'demo-customer-{a['id']}' belongs to sandbox '{a['id']}'"),
             ({HEADER: a["id"], "Origin": ORIGIN}, "POST", "/_widgets/frames",
              {"api_key": "demo-customer", "widget": "ATSIntegrationWidget"},
              "but the client id 'demo-customer' belongs to sandbox 'default'")]
    for headers, method, path, form, message in cases:
        reply = httpx.request(method, server.url + path, headers=headers, data=form)
        assert message in error_of(reply, 400), path
    assert "but the X-RSC-Mock-Sandbox header names" in error_of(
        httpx.get(f"{a['urls']['admin']}/clock", headers=b["header"]), 400)
    # the admin API names a sandbox: there, another sandbox's client id is just unknown
    minted = httpx.post(server.url + "/_mock/tokens", headers=b["header"],
                        json={"client_id": customer_credentials(a)[0], "member": "urn:li:person:jane-doe"})
    assert f'no application with client id "demo-customer-{a["id"]}"' in error_of(minted, 404)
    assert journal(server, a["id"]) == [("POST", "/oauth/v2/accessToken", 200)] and journal(server, b["id"]) == []


def test_the_log_line_names_the_sandbox(server, sandboxes):
    made = sandboxes()
    with access_lines() as lines:
        in_sandbox = httpx.get(made["urls"]["admin"] + "/clock").headers["X-Request-Id"]
        in_default = httpx.get(server.url + "/_mock/clock").headers["X-Request-Id"]
        [sandboxed] = [record.getMessage() for record in lines.of(in_sandbox)]
        [default] = [record.getMessage() for record in lines.of(in_default)]
    assert sandboxed.startswith("GET /_mock/sandboxes/") and sandboxed.endswith(f" sandbox={made['id']}")
    assert default.startswith("GET /_mock/clock ") and "sandbox=" not in default


def test_a_sandbox_answers_credentials_it_imported_when_named(server, sandboxes):
    """A snapshot of the default world imported into a sandbox brings the default's client ids: named by header,
    the sandbox answers them (it holds them), not a refusal."""
    made = sandboxes()
    snapshot = httpx.get(server.url + "/_mock/snapshot").json()
    assert httpx.put(made["urls"]["admin"] + "/snapshot", json=snapshot).status_code == 200
    with client_of(server, made) as http:
        token = token_for(http, "demo-customer", "demo-customer-secret")
    assert token.startswith("AQV" + made["id"])
    assert journal(server, made["id"]) == [("POST", "/oauth/v2/accessToken", 200)]


# ---- push notifications --------------------------------------------------------------------------------------

def test_push_notifications_go_to_the_sandboxes_own_callbacks(server, sandboxes):
    a, b = sandboxes(), sandboxes()
    with WebhookReceiver() as hook_a, WebhookReceiver() as hook_b:
        for made, hook in ((a, hook_a), (b, hook_b)):
            with client_of(server, made) as http:
                customer = {"Authorization": "Bearer " + token_for(http, *customer_credentials(made))}
                set_callback(http, customer, hook.url + "/" + made["id"])
        with client_of(server, a) as http:
            assert enable(http, DEMO_ORG, ["PROFILE_PLUGIN"], enabled=False).status_code == 200
        [pushed] = hook_a.wait(count=1, timeout=20)
        assert pushed.path == "/" + a["id"] and pushed.signature_valid(customer_credentials(a)[1])
        assert not pushed.signature_valid("demo-customer-secret")
        time.sleep(0.5)  # a stray delivery to B would have arrived by now (deliveries start at once)
        assert hook_b.requests == []


def test_the_sandboxes_own_inbox_answers_its_callback_challenge():
    with RunningServer(Settings(callback_validation=True)) as running:
        made = httpx.post(running.url + "/_mock/sandboxes").json()
        with client_of(running, made) as http:
            customer = {"Authorization": "Bearer " + token_for(http, *customer_credentials(made))}
            set_callback(http, customer, made["urls"]["inbox"] + "hooks")   # the challenge is answered
            assert enable(http, DEMO_ORG, ["PROFILE_PLUGIN"], enabled=False).status_code == 200
            assert http.post("/_mock/notifications/wait", json={"timeout": 20}).status_code == 200
            received = http.get("/_mock/inbox/hooks").json()
        assert [r["method"] for r in received["requests"]] == ["GET", "POST"]
        assert httpx.get(running.url + "/_mock/inbox/hooks").json()["count"] == 0


# ---- limits and lifetime -------------------------------------------------------------------------------------

def test_the_limit_ttl_sweep_and_outbox_stop():
    with RunningServer(Settings(max_sandboxes=2, sandbox_ttl=30)) as running:
        create = running.url + "/_mock/sandboxes"
        first = httpx.post(create, json={"ttl": 2}).json()
        second = httpx.post(create).json()
        full = httpx.post(create)
        assert "holds its limit of 2 sandboxes (RSC_MOCK_MAX_SANDBOXES)" in error_of(full, 503)
        # a request in flight keeps an idle sandbox alive past its TTL (describing it does not count as use)
        held = httpx.post(f"{first['urls']['admin']}/requests/wait", json={"timeout": 4}, timeout=20)
        assert held.status_code == 408 and httpx.get(first["urls"]["admin"]).status_code == 200
        world = running.app.state.sandboxes.get(first["id"]).world
        deadline = time.monotonic() + 15
        while httpx.get(first["urls"]["admin"]).status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "No sandbox" in error_of(httpx.get(first["urls"]["admin"]), 404)
        with pytest.raises(RuntimeError, match="closed"):                       # its store is closed
            world.store.reset()
        assert httpx.post(create).status_code == 201                           # room again
        # the TTL is real time: ten days on the sandbox's own clock do not expire it
        httpx.post(second["urls"]["admin"] + "/clock", json={"advance": 10 * 86400}).raise_for_status()
        time.sleep(1.5)                                                        # a sweep ran meanwhile
        assert httpx.get(second["urls"]["admin"]).status_code == 200


def test_deleting_a_sandbox_stops_its_deliveries(server, sandboxes):
    made = sandboxes()
    with WebhookReceiver(status=503) as hook:
        with client_of(server, made) as http:
            customer = {"Authorization": "Bearer " + token_for(http, *customer_credentials(made))}
            set_callback(http, customer, hook.url)
            assert enable(http, DEMO_ORG, ["PROFILE_PLUGIN"], enabled=False).status_code == 200
            hook.wait(count=1, timeout=20)
            assert httpx.delete(made["urls"]["admin"]).status_code == 204
        time.sleep(2.5)  # the retries after 1 s and 2 s would have come by now
        assert len(hook.requests) == 1


# ---- the command line ----------------------------------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess:
    """``rsc-mock ARGS`` in a new process."""
    return subprocess.run([sys.executable, "-m", "mock_server", *args], capture_output=True, text=True, timeout=60)


def rsc_mock(*args: str) -> subprocess.CompletedProcess:
    """``rsc-mock sandbox ARGS``."""
    return cli("sandbox", *args)


@pytest.mark.parametrize("kind, body", [("requests", {"filter": {"path": "/v2/never"}, "timeout": 60}),
                                        ("notifications", {"filter": {"type": "EXPORT_CANDIDATE_PROFILE"},
                                                           "timeout": 60})])
def test_a_wait_of_a_sandbox_deleted_meanwhile_ends_naming_it(server, sandboxes, kind, body):
    """A request or notification wait in flight when its sandbox is deleted ends with the 404 a later call of
    the sandbox gets, not a 408 at its timeout saying nothing matched."""
    made = sandboxes()
    replies = []
    waiting = threading.Thread(target=lambda: replies.append(
        httpx.post(f"{made['urls']['admin']}/{kind}/wait", json=body, timeout=90)))
    waiting.start()
    described = f"{server.url}/_mock/sandboxes/{made['id']}"
    deadline = time.monotonic() + 30
    while httpx.get(described).json()["idleFor"] != 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # idleFor is 0 while a request of the sandbox is in flight: the wait
    assert httpx.delete(described).status_code == 204
    waiting.join(90)
    assert f"No sandbox '{made['id']}': it was deleted while this wait ran" in error_of(replies[0], 404)


def test_cli_creates_lists_and_deletes(server):
    import json

    created = rsc_mock("create", "--url", server.url, "--label", "cli job")
    assert created.returncode == 0, created.stderr
    made = json.loads(created.stdout)
    assert made["label"] == "cli job" and made["customers"][0]["credentials"]["client_id"].endswith(made["id"])
    listed = rsc_mock("list", "--url", server.url)
    assert listed.returncode == 0 and made["id"] in listed.stdout and "cli job" in listed.stdout
    assert "1 of at most 64 sandboxes besides the default" in listed.stdout
    deleted = rsc_mock("delete", made["id"], "--url", server.url)
    assert deleted.returncode == 0 and deleted.stdout.strip() == f"deleted {made['id']}"
    again = rsc_mock("delete", made["id"], "--url", server.url)
    assert again.returncode == 1 and f"No sandbox '{made['id']}'" in again.stderr
    refused = rsc_mock("create", "--url", server.url, "--fixtures", "nowhere")
    assert refused.returncode == 1 and "no fixture world 'nowhere'" in refused.stderr


def test_calls_without_credentials_reach_the_sandbox_their_url_or_frame_token_names(server, sandboxes):
    """A résumé upload URL and a widget frame's data calls carry no credentials: each names its sandbox."""
    from tests.test_versioned_apis import MEDIA

    made, other = sandboxes(), sandboxes()
    with httpx.Client(base_url=server.url, timeout=20) as http:           # no sandbox header anywhere
        bearer = {"Authorization": "Bearer " + token_for(http, *customer_credentials(made))}
        created = http.post("/v2/hireMediaUrl", json=MEDIA, headers=bearer)
        assert created.status_code == 201, created.text
        url = created.json()["uploadUrl"]
        assert f"/media/upload/{made['id']}/" in url
        pdf = {"Content-Type": "application/pdf"}
        assert http.put(url.replace(made["id"], other["id"]), content=b"%PDF-1.4", headers=pdf).status_code == 404
        assert http.put(url.replace(f"{made['id']}/", ""), content=b"%PDF-1.4", headers=pdf).status_code == 404
        assert http.put(url, content=b"%PDF-1.4", headers=pdf).status_code == 201
        issued = http.post("/_widgets/frames", data={"api_key": customer_credentials(made)[0],
                                                     "widget": "ATSIntegrationWidget"}, headers={"Origin": ORIGIN})
        frame = {"X-Widget-Token": issued.json()["token"]}
        assert http.get("/_widgets/configuration", params={"bundles": "RECRUITER_SYSTEM_CONNECT_COMPANY"},
                        headers=frame).status_code == 200
        assert "names sandbox" in error_of(http.get("/_widgets/configuration", headers={**frame, **other["header"]}),
                                           400)
    assert journal(server, made["id"]) == [
        ("POST", "/oauth/v2/accessToken", 200), ("POST", "/v2/hireMediaUrl", 201),
        ("PUT", urlsplit(url).path, 201), ("POST", "/_widgets/frames", 200), ("GET", "/_widgets/configuration", 200)]
    assert journal(server, other["id"]) == [("PUT", urlsplit(url).path.replace(made["id"], other["id"]), 404)]


def test_a_call_with_two_frame_tokens_is_served_in_the_world_of_the_one_it_uses(server, sandboxes):
    """Of a repeated header the routes read the first (starlette's ``headers.get``) and so does the addressing:
    with the frame tokens of sandbox A and of the default world, A's token was checked but the call placed in the
    world of the last one, so A's frame read (and could write) the default world."""
    made = sandboxes()
    bundles = {"bundles": "RECRUITER_SYSTEM_CONNECT_COMPANY"}
    with httpx.Client(base_url=server.url, timeout=20) as http:
        partner = {"Authorization": "Bearer " + token_for(http, *made["partners"][0]["credentials"].values())}
        renamed = http.post("/v2/provisionedApplications/" + made["customers"][0]["key"], headers=partner,
                            json={"patch": {"$set": {"name": "Acme in a sandbox"}}})
        assert renamed.status_code == 204, renamed.text
        tokens = {}
        for world, api_key in ((made["id"], customer_credentials(made)[0]), ("default", "demo-customer")):
            issued = http.post("/_widgets/frames", data={"api_key": api_key, "widget": "ATSIntegrationWidget"},
                               headers={"Origin": ORIGIN})
            assert issued.status_code == 200, issued.text
            tokens[world] = issued.json()["token"]
        alone = {world: http.get("/_widgets/configuration", params=bundles, headers={"X-Widget-Token": token})
                 for world, token in tokens.items()}
        assert [alone[world].json()["customer"] for world in tokens] == ["Acme in a sandbox", "Demo ATS - Acme"]
        both = {first: http.get("/_widgets/configuration", params=bundles,
                                headers=[("X-Widget-Token", tokens[first]), ("X-Widget-Token", tokens[second])])
                for first, second in ((made["id"], "default"), ("default", made["id"]))}
        for world, reply in both.items():
            assert reply.status_code == 200 and reply.json() == alone[world].json(), world
        default_ids = {entry["id"] for entry in http.get("/_mock/requests").json()["requests"]}
        sandbox_ids = {entry["id"] for entry in http.get(made["urls"]["admin"] + "/requests").json()["requests"]}
    for world, ids in ((made["id"], sandbox_ids), ("default", default_ids)):
        assert {alone[world].headers["X-Request-Id"], both[world].headers["X-Request-Id"]} <= ids, world


@pytest.mark.parametrize("where", ["path", "header", "both"])
def test_a_huge_sandbox_id_is_cut_short_in_the_refusal(server, where):
    huge = "sb" + "x" * 6000
    path = f"/_mock/sandboxes/{huge}/clock" if where in ("path", "both") else "/_mock/clock"
    headers = {HEADER: huge + ("y" if where == "both" else "")} if where in ("header", "both") else {}
    reply = httpx.get(server.url + path, headers=headers)
    assert reply.status_code == (400 if where == "both" else 404)
    message = reply.json()["message"]
    assert len(message) < 400 and "sbxxxxxxxx" in message and "…" in message


def test_cli_snapshots_export_and_import_a_sandbox(server, sandboxes, tmp_path):
    """``rsc-mock snapshot export|import --url U --sandbox ID``: the sandbox's own world, not the default's; an
    unknown sandbox is named (exit 1); ``--sandbox`` with ``--data-dir`` is a usage error (exit 2)."""
    import json

    made = sandboxes()
    with client_of(server, made) as in_made:
        partner = {"Authorization": "Bearer " + token_for(in_made, *made["partners"][0]["credentials"].values())}
        provision_customer(in_made, partner, "globex-424242")
    target = str(tmp_path / "sandbox.json")
    snapshot = cli("snapshot", "export", "--url", server.url, "--sandbox", made["id"], "-o", target)
    assert snapshot.returncode == 0, snapshot.stderr
    exported = (tmp_path / "sandbox.json").read_text()
    assert "globex-424242" in exported
    with httpx.Client(base_url=server.url, timeout=20) as http:
        assert "globex-424242" not in http.get("/_mock/snapshot").text  # the default world has no such customer
        http.post(f"/_mock/sandboxes/{made['id']}/reset").raise_for_status()
        assert "globex-424242" not in http.get(f"/_mock/sandboxes/{made['id']}/snapshot").text
    imported = cli("snapshot", "import", str(tmp_path / "sandbox.json"), "--url", server.url, "--sandbox", made["id"])
    assert imported.returncode == 0, imported.stderr
    with httpx.Client(base_url=server.url, timeout=20) as http:
        back = json.loads(http.get(f"/_mock/sandboxes/{made['id']}/snapshot").text)["tables"]
        assert back["applications"] == json.loads(exported)["tables"]["applications"]
        assert "globex-424242" in json.dumps(back["applications"])
        assert "globex-424242" not in http.get("/_mock/snapshot").text
    unknown = cli("snapshot", "export", "--url", server.url, "--sandbox", "nosuch")
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1
    assert "No sandbox 'nosuch'" in unknown.stderr and '"status"' not in unknown.stderr  # the message, not the JSON
    for flags in (("snapshot", "export"), ("snapshot", "import", target), ("trigger", "integration", "--context",
                  "urn:li:organization:1", "--type", "PROFILE_PLUGIN", "--enable"), ("sandbox", "delete"),
                  ("certify", "report")):
        for bad in ("", ".", "..", "a/b", "%2e%2e"):  # an unset $SB in a CI script, or a path to another world
            option = ("--sandbox",) if flags[0] != "sandbox" else ()
            refused = cli(*flags, "--url", server.url, *option, bad)
            assert refused.returncode == 2 and "is not a sandbox id" in refused.stderr, (flags, bad, refused.stderr)
            assert refused.stderr.count("\n") <= 2, refused.stderr
    offline = cli("snapshot", "export", "--data-dir", str(tmp_path / "data"), "--sandbox", made["id"])
    assert offline.returncode == 2 and "--sandbox" in offline.stderr
