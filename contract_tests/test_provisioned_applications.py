"""provisionedApplications (partner token): oauth-restli-onboarding.md §4.1; Postman "Module 1 › Provision
Customer (Child) Applications"."""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, collection, expect

PM = "Postman › Module 1 › Provision Customer (Child) Applications › "


def postman_body(unique_foreign_id: str) -> dict:
    """The body of Postman's "Provision Child Application"."""
    return {"description": f"TEST APP FOR {unique_foreign_id}", "name": f"Contract {unique_foreign_id}"[:50],
            "uniqueForeignId": unique_foreign_id,
            "oauth2AuthorizedCallbackUrls": ["https://app.getpostman.com/oauth2/callback"],
            "validJsSdkDomains": ["http://localhost:5000"]}


@pytest.fixture
def provisioning(target):
    """Allows cases that create child applications (always on the emulator)."""
    if not target.values.get("PROVISION"):
        pytest.skip("creates a new child application; set RSC_CONTRACT_PROVISION=1 to allow it")


@pytest.fixture(scope="module")
def child(target, api, partner, run_id):
    """A child application of the partner: newly provisioned when allowed, else the one named by
    RSC_CONTRACT_UNIQUE_FOREIGN_ID."""
    if target.values.get("PROVISION"):
        reply = api.post("/v2/provisionedApplications", json=postman_body(f"ct-{run_id}-child"), headers=partner)
        assert reply.status_code == 201, reply.text
        return reply.json()
    unique_foreign_id, = target.need("UNIQUE_FOREIGN_ID")
    reply = api.get("/v2/provisionedApplications", headers=partner,
                    params={"q": "credentialsByUniqueForeignId", "uniqueForeignId": unique_foreign_id})
    assert reply.status_code == 200 and reply.json()["elements"], reply.text
    return reply.json()["elements"][0]


@pytest.mark.case(PM + "Provision Child Application", "inferred")
def test_provision_child_application(api, partner, provisioning, run_id):
    """201 (inferred) with the application element (documented: LinkedIn's Java SDK) in the body."""
    unique_foreign_id = f"ct-{run_id}-create"
    body = expect(api.post("/v2/provisionedApplications", json=postman_body(unique_foreign_id), headers=partner),
                  201, {"$ref": "provisionedApplication.reply.json"})
    assert body["uniqueForeignId"] == unique_foreign_id


@pytest.mark.case("provisioning-api: a duplicate uniqueForeignId is a conflict", "inferred")
def test_duplicate_unique_foreign_id_is_a_conflict(api, partner, provisioning, run_id):
    body = postman_body(f"ct-{run_id}-twice")
    expect(api.post("/v2/provisionedApplications", json=body, headers=partner), 201)
    expect(api.post("/v2/provisionedApplications", json=body, headers=partner), 409, ERROR)


@pytest.mark.case(PM + "Update JavaScript SDK Domain for Child Application", "documented")
def test_update_js_sdk_domains(api, partner, child):
    patch = {"patch": {"$set": {"validJsSdkDomains": ["http://localhost:8000", "http://localhost:5000"]}}}
    reply = api.post(f"/v2/provisionedApplications/{child['key']}", json=patch, headers=partner)
    assert expect(reply, 204) is None


@pytest.mark.case(PM + "Update OAuth2.0 Authorized CallBack URL for Child Application", "documented")
def test_update_oauth_callback_urls(api, partner, child):
    patch = {"patch": {"$set": {"oauth2AuthorizedCallbackUrls": ["https://app.getpostman.com/oauth2/callback"]}}}
    reply = api.post(f"/v2/provisionedApplications/{child['key']}", json=patch, headers=partner)
    assert expect(reply, 204) is None


@pytest.mark.case(PM + "Get Child Application", "documented")
def test_get_child_application_by_unique_foreign_id(api, partner, child):
    reply = api.get(f"/v2/provisionedApplications?q=credentialsByUniqueForeignId"
                    f"&uniqueForeignId={child['uniqueForeignId']}", headers=partner)
    body = expect(reply, 200, collection("provisionedApplication.reply.json"))
    assert [element["key"] for element in body["elements"]] == [child["key"]]


@pytest.mark.case(PM + "Get Child Application (an unknown uniqueForeignId)", "inferred")
def test_unknown_unique_foreign_id_finds_nothing(api, partner, run_id):
    reply = api.get(f"/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=ct-{run_id}-none",
                    headers=partner)
    assert expect(reply, 200, collection("provisionedApplication.reply.json"))["elements"] == []


@pytest.mark.case(PM + "Get Child Application (with a customer token)", "inferred")
def test_customer_token_may_not_provision(api, customer):
    reply = api.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=x", headers=customer)
    expect(reply, 403, ERROR)


@pytest.mark.case(PM + "Get Child Application (no Authorization header)", "documented")
def test_missing_token_is_401(api):
    """error-handling page: 401 "Empty oauth2_access_token"."""
    expect(api.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=x"), 401, ERROR)
