"""Fault rules through the real server: status replies, quotas, dropped connections, delays, matching,
probability with a seed, and the rules' admin API."""

from __future__ import annotations

import json

import httpx
import pytest

FINDER = "/v2/atsIntegrations?q=request&requestId=nothing"
OCE_IDS = ("ids=List((integrationContext:urn%3Ali%3Aorganization%3A1000,integrationType:ONE_CLICK_EXPORT,"
           "tenantType:RECRUITER,dataProvider:ATS))")


def add(http, rule) -> dict:
    reply = http.post("/_mock/faults", json=rule)
    assert reply.status_code == 201, reply.text
    return reply.json()


def test_status_action_answers_in_linkedins_envelope_then_runs_out(http, customer):
    rule = add(http, {"match": {"resource": "atsIntegrations"}, "action": {"status": 503}, "times": 1})
    assert rule["id"] and rule["remaining"] == 1
    failed = http.get(FINDER, headers=customer)
    assert failed.status_code == 503
    assert failed.json() == {"status": 503, "serviceErrorCode": 503, "message": "Service Unavailable"}
    assert failed.headers["X-RestLi-Error-Response"] == "true" and failed.headers["X-Request-Id"]
    assert http.get(FINDER, headers=customer).status_code == 200
    entries = http.get("/_mock/requests", params={"resource": "atsIntegrations"}).json()["requests"]
    assert [(e["status"], e["fault"]) for e in entries] == [(503, rule["id"]), (200, None)]
    [listed] = http.get("/_mock/faults").json()["faults"]
    assert listed["hits"] == 1 and listed["remaining"] == 0


def test_status_action_with_custom_body_and_headers(http, customer):
    add(http, {"match": {"path": "/v2/atsIntegrations"},
               "action": {"status": 500, "body": {"oops": True}, "headers": {"X-Custom": "yes"}}})
    reply = http.get(FINDER, headers=customer)
    assert reply.status_code == 500 and reply.json() == {"oops": True} and reply.headers["X-Custom"] == "yes"
    add(http, {"match": {"path": "/v2/provisionedApplications"}, "action": {"status": 502, "body": "bad gateway"}})
    text = http.get("/v2/provisionedApplications?q=x")
    assert text.status_code == 502 and text.text == "bad gateway"


def test_quota_action_answers_429_with_retry_after_after_n_calls(http, customer):
    add(http, {"match": {"resource": "atsIntegrations"}, "action": {"quota": {"after": 2, "retryAfter": 7}}})
    assert [http.get(FINDER, headers=customer).status_code for _ in range(2)] == [200, 200]
    throttled = http.get(FINDER, headers=customer)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert throttled.json()["status"] == 429 and "throttle" in throttled.json()["message"]
    assert http.get(FINDER, headers=customer).status_code == 429


def test_drop_closes_the_connection_without_a_reply(http, server, customer):
    rule = add(http, {"match": {"method": "GET", "resource": "atsIntegrations"}, "action": {"drop": True},
                      "times": 1})
    with httpx.Client(base_url=server.url) as fresh, pytest.raises(httpx.RemoteProtocolError):
        fresh.get(FINDER, headers=customer)
    assert http.get(FINDER, headers=customer).status_code == 200
    entries = http.get("/_mock/requests", params={"resource": "atsIntegrations"}).json()["requests"]
    assert [(e["status"], e["dropped"], e["fault"]) for e in entries] == [(None, True, rule["id"]), (200, False, None)]


def test_delay_then_normal_reply_and_delay_then_status(http, customer):
    add(http, {"match": {"restliMethod": "FINDER"}, "action": {"delay": 0.3}, "times": 1})
    assert http.get(FINDER, headers=customer).status_code == 200
    add(http, {"match": {"restliMethod": "FINDER"}, "action": {"delay": 0.1, "status": 504}, "times": 1})
    assert http.get(FINDER, headers=customer).status_code == 504
    delayed, timed_out = http.get("/_mock/requests", params={"resource": "atsIntegrations"}).json()["requests"]
    assert delayed["status"] == 200 and delayed["fault"] and delayed["latencyMs"] >= 300
    assert timed_out["status"] == 504 and timed_out["latencyMs"] >= 100


def test_match_on_restli_method_application_and_method(http, customer, partner):
    add(http, {"match": {"restliMethod": "BATCH_GET", "application": "demo-customer"}, "action": {"status": 500}})
    add(http, {"match": {"method": "POST", "application": "urn:li:developerApplication:1"},
               "action": {"status": 418}})
    assert http.get(FINDER, headers=customer).status_code == 200
    assert http.get("/v2/atsIntegrations?" + OCE_IDS, headers=customer).status_code == 500
    assert http.get("/v2/atsIntegrations?" + OCE_IDS, headers=partner).status_code == 403  # not the customer
    assert http.post("/v2/provisionedApplications", headers=partner, json={}).status_code == 418
    assert http.post("/v2/provisionedApplications", headers=customer, json={}).status_code == 403


def test_admin_api_is_never_faulted(http):
    add(http, {"match": {"path": "/"}, "action": {"status": 500}})
    assert http.get("/_mock/health").status_code == 200
    assert http.get("/oauth/v2/accessToken").status_code == 500  # everything else is


def test_probability_with_a_seed_is_reproducible(http, customer):
    def pattern() -> list[int]:
        http.post("/_mock/reset")
        add(http, {"match": {"resource": "atsIntegrations"}, "action": {"status": 503}, "probability": 0.5,
                   "seed": 42})
        return [http.get(FINDER, headers=customer).status_code for _ in range(16)]

    first = pattern()
    assert first == pattern()
    assert set(first) == {200, 503}


def test_list_delete_clear_and_reset(http, customer):
    one = add(http, {"action": {"status": 500}})
    two = add(http, {"match": {"resource": "atsCandidates"}, "action": {"delay": 1}})
    assert [r["id"] for r in http.get("/_mock/faults").json()["faults"]] == [one["id"], two["id"]]
    assert http.delete(f"/_mock/faults/{one['id']}").status_code == 204
    assert http.delete(f"/_mock/faults/{one['id']}").status_code == 404
    assert http.get(FINDER, headers=customer).status_code == 200
    assert http.delete("/_mock/faults").status_code == 204
    assert http.get("/_mock/faults").json()["faults"] == []
    add(http, {"action": {"status": 500}})
    http.post("/_mock/reset")
    assert http.get("/_mock/faults").json()["faults"] == []


@pytest.mark.parametrize("rule, field", [
    ({}, "/action"),
    ({"action": {}}, "/action"),
    ({"action": {"status": 99}}, "/action/status"),
    ({"action": {"status": 100}}, "/action/status"),
    ({"action": {"status": 101}}, "/action/status"),
    ({"action": {"status": 199}}, "/action/status"),
    ({"action": {"status": 500, "headers": []}}, "/action/headers"),
    ({"action": {"status": 500, "headers": "X-A: 1"}}, "/action/headers"),
    ({"action": {"status": 200, "headers": {"X-A": "\u20ac"}}}, "/action/headers/X-A"),
    ({"action": {"status": 200, "headers": {"Bad Name": "x"}}}, "/action/headers/Bad Name"),
    ({"action": {"status": 200, "headers": {"": "x"}}}, "/action/headers/"),
    ({"action": {"status": 200, "headers": {"X-B": "a\r\nInjected: 1"}}}, "/action/headers/X-B"),
    ({"action": {"status": 200, "headers": {"X-B": "a\u0000b"}}}, "/action/headers/X-B"),
    ({"action": {"status": 200, "headers": {"Content-Length": "5"}}}, "/action/headers/Content-Length"),
    ({"action": {"status": 200, "headers": {"transfer-encoding": "chunked"}}}, "/action/headers/transfer-encoding"),
    ({"action": {"status": 200, "headers": {"Connection": "close"}}}, "/action/headers/Connection"),
    ({"action": {"status": 204, "body": {"a": 1}}}, "/action/body"),
    ({"action": {"status": 304, "body": ""}}, "/action/body"),
    ({"action": {"status": 500, "drop": True}}, "/action"),
    ({"action": {"drop": "yes"}}, "/action/drop"),
    ({"action": {"delay": -1}}, "/action/delay"),
    ({"action": {"quota": {"after": -1}}}, "/action/quota/after"),
    ({"action": {"quota": {"calls": 3}}}, "/action/quota"),
    ({"action": {"body": "x"}}, "/action"),
    ({"action": {"status": 500, "headers": {"X": 1}}}, "/action/headers/X"),
    ({"action": {"status": 500, "explode": True}}, "/action/explode"),
    ({"action": {"status": 500}, "times": 0}, "/times"),
    ({"action": {"status": 500}, "probability": 2}, "/probability"),
    ({"action": {"status": 500}, "match": {"colour": "red"}}, "/match/colour"),
    ({"action": {"status": 500}, "match": {"path": 3}}, "/match/path"),
    ({"action": {"status": 500}, "when": "now"}, "/when"),
])
def test_bad_rules_are_refused_naming_the_field(http, rule, field):
    reply = http.post("/_mock/faults", content=json.dumps(rule), headers={"Content-Type": "application/json"})
    assert reply.status_code == 400, reply.text
    assert f"ERROR :: {field} ::" in reply.json()["message"]
    assert http.get("/_mock/faults").json()["faults"] == []


@pytest.mark.parametrize("action", [
    {"status": 200}, {"status": 204}, {"status": 304}, {"status": 304, "headers": {"ETag": "\"v1\""}}, {"status": 599},
    {"status": 200, "body": [1, "two", None]}, {"status": 200, "body": 0}, {"status": 200, "body": False},
    {"status": 503, "headers": {"Retry-After": "5", "X-Plain": "cafe au lait", "x!#$%&'*+.^_`|~": "ok"}},
])
def test_every_accepted_status_action_is_a_valid_reply(http, server, customer, action):
    add(http, {"match": {"resource": "atsIntegrations"}, "action": action, "times": 1})
    with httpx.Client(base_url=server.url) as fresh:  # a new connection: a broken reply cannot poison `http`
        reply = fresh.get(FINDER, headers=customer)
        assert reply.status_code == action["status"]
        for name, value in action.get("headers", {}).items():
            assert reply.headers[name] == value
        assert fresh.get(FINDER, headers=customer).status_code == 200  # the connection is still usable
    if action["status"] >= 400 and "body" not in action:
        assert reply.json()["status"] == action["status"]
    assert http.get("/_mock/health").status_code == 200
