"""Application secrets as LinkedIn's application-secret management describes them, through the real server: a
rotation adds a second secret and both work; a third is refused until one is deleted; a deleted secret no longer
gets tokens and the tokens minted with it stop working (the deletion is the emulator's inferred endpoint)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import token_for

ACTION = {"X-RestLi-Method": "action", "X-RestLi-Protocol-Version": "2.0.0"}
ROLL = "/v2/developerApplicationsSecurity?action=rollDeveloperApplicationSecret"
DELETE = "/v2/developerApplicationsSecurity?action=deleteDeveloperApplicationSecret"
CHILD = "urn:li:developerApplication:11"
FINDER = "/v2/atsIntegrations?q=request&requestId=1"


def bearer(token: str) -> dict:
    return {"Authorization": "Bearer " + token}


def token_reply(http, client_id: str, secret: str):
    return http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials", "client_id": client_id,
                                                    "client_secret": secret})


# (whose secrets, the body naming them, its client id, its first secret, a call its token may make)
TARGETS = {
    "child": ({"childDeveloperApplication": CHILD}, "demo-customer", "demo-customer-secret", FINDER),
    "parent": ({}, "demo-partner", "demo-partner-secret",
               "/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=acme"),
}


@pytest.mark.parametrize("whose", sorted(TARGETS))
def test_rotate_then_delete_the_old_secret(http, partner, whose):
    body, client_id, first, call = TARGETS[whose]
    old_token = token_for(http, client_id, first)
    rolled = http.post(ROLL, headers={**partner, **ACTION}, json=body)
    assert rolled.status_code == 200, rolled.text
    second = rolled.json()["value"]["client_secret"]
    assert len(second) == 16 and second.isalnum() and second != first  # the page's sample: bFWEECAwQp1AT6rJ
    # both secrets are valid: the integration can switch without downtime
    new_token = token_for(http, client_id, second)
    assert token_for(http, client_id, first)
    assert http.get(call, headers=bearer(old_token)).status_code == 200
    # two secrets at most
    third = http.post(ROLL, headers={**partner, **ACTION}, json=body)
    assert third.status_code == 400 and "two client secrets" in third.json()["message"]
    # delete the old one (the partner's own token may have been minted with it: mint one with the new secret)
    manager = bearer(token_for(http, "demo-partner", second if whose == "parent" else "demo-partner-secret"))
    deleted = http.post(DELETE, headers={**manager, **ACTION}, json={**body, "client_secret": first})
    assert (deleted.status_code, deleted.json()) == (200, {"value": {}}), deleted.text
    refused = token_reply(http, client_id, first)
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    revoked = http.get(call, headers=bearer(old_token))
    assert revoked.status_code == 401 and revoked.json()["serviceErrorCode"] == 65602
    assert http.get(call, headers=bearer(new_token)).status_code == 200
    # the provisioning finder now shows the remaining secret
    found = http.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=acme",
                     headers=manager).json()["elements"]
    if whose == "child":
        assert found[0]["credentials"] == {"client_id": "demo-customer", "client_secret": second}
    # and a rotation is possible again
    assert http.post(ROLL, headers={**manager, **ACTION}, json=body).status_code == 200


def test_secret_management_errors(http, partner, customer):
    # a customer (child) token may not manage secrets: the parent's credentials do
    denied = http.post(ROLL, headers={**customer, **ACTION}, json={})
    assert denied.status_code == 403 and denied.json()["message"].startswith("Not enough permissions")
    for body, status, words in [
        ({"childDeveloperApplication": "urn:li:developerApplication:999"}, 404, "No child application"),
        ({"childDeveloperApplication": 5}, 400, "/childDeveloperApplication"),
        ({"colour": "red"}, 400, "/colour"),
    ]:
        reply = http.post(ROLL, headers={**partner, **ACTION}, json=body)
        assert (reply.status_code, words in reply.json()["message"]) == (status, True), reply.text
    for body, status, words in [
        ({"childDeveloperApplication": CHILD}, 400, "/client_secret"),
        ({"childDeveloperApplication": CHILD, "client_secret": "not-one-of-them"}, 400, "not a secret"),
        ({"childDeveloperApplication": CHILD, "client_secret": "demo-customer-secret"}, 400, "has one client secret"),
    ]:
        reply = http.post(DELETE, headers={**partner, **ACTION}, json=body)
        assert (reply.status_code, words in reply.json()["message"]) == (status, True), reply.text
    unknown = http.post("/v2/developerApplicationsSecurity?action=spin", headers={**partner, **ACTION}, json={})
    assert unknown.status_code == 400 and "rollDeveloperApplicationSecret" in unknown.json()["message"]
    assert token_for(http, "demo-customer", "demo-customer-secret")  # nothing changed


# Every place a developer application URN is given — the provisionedApplications key (raw, %-encoded, either
# protocol) and childDeveloperApplication in both actions: a value that is not one is a 400 naming it, never the
# 404 of a missing application, and nothing changes.
NOT_APPLICATION_URNS = ["garbage", "101", "urn:li:developerApplication:", "urn:li:developerApplication:abc",
                        "urn:li:organization:1000", "urn:li:developerApplication:99999999999999999999"]


@pytest.mark.parametrize("value", NOT_APPLICATION_URNS)
@pytest.mark.parametrize("action", [ROLL, DELETE])
def test_a_child_that_is_not_an_application_urn_is_a_bad_request(http, partner, action, value):
    secret = {"client_secret": "demo-customer-secret"} if action == DELETE else {}
    body = {"childDeveloperApplication": value, **secret}
    reply = http.post(action, headers={**partner, **ACTION}, json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["message"].startswith("ERROR :: /childDeveloperApplication :: ")
    assert token_for(http, "demo-customer", "demo-customer-secret")  # nothing changed


@pytest.mark.parametrize("value", NOT_APPLICATION_URNS)
@pytest.mark.parametrize("protocol", ["1.0.0", "2.0.0"])
def test_a_provisioned_application_key_that_is_not_an_application_urn_is_a_bad_request(http, partner, protocol,
                                                                                       value):
    patch = {"patch": {"$set": {"name": "Renamed"}}}
    for spelled in {value, quote(value, safe="")}:
        reply = http.post(f"/v2/provisionedApplications/{spelled}", json=patch,
                          headers={**partner, "X-RestLi-Protocol-Version": protocol})
        assert reply.status_code == 400, reply.text
        assert "developer application URN" in reply.json()["message"]
