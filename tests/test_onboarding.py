"""Customer onboarding (RSC module 1) through the real server: provisioning, integrations, configurations,
access rules."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import DEMO_CONTRACT, DEMO_ORG, token_for

OCE = f"integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS"


def ids(index: int, context: str, integration_type: str) -> str:
    return (f"ids[{index}].integrationContext={context}&ids[{index}].integrationType={integration_type}"
            f"&ids[{index}].tenantType=RECRUITER&ids[{index}].dataProvider=ATS")


def provision(http, partner, unique_foreign_id="globex", name="Demo ATS - Globex"):
    return http.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": unique_foreign_id, "name": name, "description": "Globex",
        "validJsSdkDomains": ["http://localhost:5000"], "oauth2AuthorizedCallbackUrls": ["https://ats.example/cb"]})


def test_provision_create_returns_201_key_and_credentials(http, partner):
    reply = provision(http, partner)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["key"].startswith("urn:li:developerApplication:")
    assert reply.headers["X-RestLi-Id"] == body["key"]
    # LinkedIn's Java SDK Credentials model: JSON names client_id / client_secret
    assert set(body["credentials"]) == {"client_id", "client_secret"}
    # the new child can get a token and is a customer of its own
    child = token_for(http, body["credentials"]["client_id"], body["credentials"]["client_secret"])
    assert child


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/jsonx"])
def test_creating_a_child_application_needs_content_type_json(http, partner, content_type, server):
    """provisioning-api: "A header with 'Content-Type' set to application/json is required for creating a Child
    Application" (the 415 is the emulator's choice)."""
    body = b'{"uniqueForeignId": "ct", "name": "Demo ATS - CT", "description": "d"}'
    headers = {**partner, **({"Content-Type": content_type} if content_type else {})}
    reply = http.post("/v2/provisionedApplications", headers=headers, content=body)
    assert reply.status_code == 415, reply.text
    assert "application/json" in reply.json()["message"]
    assert "ct" not in [doc.get("uniqueForeignId") for doc in server.emulator.customers.children()]
    ok = http.post("/v2/provisionedApplications", content=body,
                   headers={**partner, "Content-Type": "application/json; charset=utf-8"})
    assert ok.status_code == 201, ok.text


def test_provision_conflict_and_validation(http, partner):
    assert provision(http, partner).status_code == 201
    dup = provision(http, partner)
    assert dup.status_code == 409
    long_name = provision(http, partner, "other", "x" * 51)
    assert long_name.status_code == 400 and "/name" in long_name.json()["message"]
    linkedin = provision(http, partner, "other2", "My LinkedIn ATS")
    assert linkedin.status_code == 400 and "LinkedIn" in linkedin.json()["message"]
    missing = http.post("/v2/provisionedApplications", headers=partner, json={"name": "A"})
    message = missing.json()["message"]
    assert missing.status_code == 400 and "/description" in message or "/uniqueForeignId" in message


def test_partial_update_with_raw_and_encoded_urn_and_finder(http, partner):
    key = provision(http, partner).json()["key"]
    patch = {"patch": {"$set": {"validJsSdkDomains": ["http://localhost:8000", "http://localhost:5000"]}}}
    assert http.post(f"/v2/provisionedApplications/{key}", headers=partner, json=patch).status_code == 204
    patch2 = {"patch": {"$set": {"oauth2AuthorizedCallbackUrls": ["https://ats.example/other"]}}}
    reply = http.post(f"/v2/provisionedApplications/{quote(key, safe='')}", headers=partner, json=patch2)
    assert reply.status_code == 204
    found = http.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=globex",
                     headers=partner)
    assert found.status_code == 200
    [element] = found.json()["elements"]
    assert element["validJsSdkDomains"] == ["http://localhost:8000", "http://localhost:5000"]
    assert element["oauth2AuthorizedCallbackUrls"] == ["https://ats.example/other"]
    none = http.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=nope", headers=partner)
    assert none.json()["elements"] == []
    bad = http.post(f"/v2/provisionedApplications/{key}", headers=partner, json={"patch": {"$set": {"key": "x"}}})
    assert bad.status_code == 400 and "/key" in bad.json()["message"]
    unknown = http.post("/v2/provisionedApplications/urn:li:developerApplication:999", headers=partner, json=patch)
    assert unknown.status_code == 404


def test_access_rules(http, partner, customer):
    denied = http.get("/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=acme",
                      headers=customer)
    assert denied.status_code == 403
    assert denied.json() == {"status": 403, "serviceErrorCode": 100,
                             "message": "Not enough permissions to access: provisionedApplications.FINDER"}
    parent_on_child = http.get(f"/v2/atsIntegrations?{ids(0, DEMO_ORG, 'ONE_CLICK_EXPORT')}", headers=partner)
    assert parent_on_child.status_code == 403
    # a second customer cannot touch Acme's contexts
    body = provision(http, partner).json()
    credentials = body["credentials"]
    other = {"Authorization": "Bearer " + token_for(http, credentials["client_id"], credentials["client_secret"])}
    reply = http.get(f"/v2/atsIntegrations?{ids(0, DEMO_ORG, 'ONE_CLICK_EXPORT')}", headers=other)
    assert reply.status_code == 200
    [error] = reply.json()["errors"].values()
    assert error["status"] == 403


def test_integration_name_then_verify(http, customer):
    body = {"entities": {OCE: {"patch": {"$set": {"integrationName": "Acme One-Click Export"}}}}}
    reply = http.post(f"/v2/atsIntegrations?{ids(0, DEMO_ORG, 'ONE_CLICK_EXPORT')}",
                      headers={**customer, "x-restli-method": "batch_partial_update"}, json=body)
    assert reply.status_code == 200, reply.text
    canonical = f"dataProvider=ATS&integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER"
    assert reply.json() == {"results": {canonical: {"status": 204}}, "errors": {}}
    got = http.get(f"/v2/atsIntegrations?{ids(0, DEMO_ORG, 'ONE_CLICK_EXPORT')}&{ids(1, DEMO_CONTRACT, 'CSA_API')}",
                   headers=customer).json()
    assert got["statuses"] == {}  # Rest.li gives a BATCH_GET status to failed keys only
    assert got["results"][canonical]["integrationName"] == "Acme One-Click Export"
    assert "enabledAt" in got["results"][canonical] and "preApprovedAt" in got["results"][canonical]
    assert len(got["results"]) == 2


def test_integration_key_errors_are_per_entity(http, customer):
    wrong_kind = f"{ids(0, DEMO_CONTRACT, 'ONE_CLICK_EXPORT')}"
    reply = http.get(f"/v2/atsIntegrations?{wrong_kind}", headers=customer).json()
    [error] = reply["errors"].values()
    assert error["status"] == 400 and "organization" in error["message"]


def test_protocol_2_keys(http, customer):
    key2 = (f"(dataProvider:ATS,integrationContext:{quote(DEMO_ORG, safe='')},integrationType:ONE_CLICK_EXPORT,"
            "tenantType:RECRUITER)")
    reply = http.get(f"/v2/atsIntegrations?ids=List({key2})",
                     headers={**customer, "X-RestLi-Protocol-Version": "2.0.0"})
    assert reply.status_code == 200
    assert list(reply.json()["results"]) == ["(dataProvider:ATS,integrationContext:urn%3Ali%3Aorganization%3A1000,"
                                             "integrationType:ONE_CLICK_EXPORT,tenantType:RECRUITER)"]
    assert reply.headers["X-RestLi-Protocol-Version"] == "2.0.0"


def test_configurations_lifecycle(http, customer, server):
    base = f"/v2/atsIntegrations/{OCE}/configurations"
    put = {**customer, "x-restli-method": "batch_update"}
    url = server.url + "/_mock/inbox/acme"
    ok = http.put(f"{base}?ids=CALLBACK_URL&ids=JOB_POSTING_VIEWERS", headers=put, json={"entities": {
        "CALLBACK_URL": {"configurationValue": {"string": url}},
        "JOB_POSTING_VIEWERS": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}}}})
    assert ok.status_code == 200 and ok.json()["errors"] == {}, ok.text
    got = http.get(f"{base}?ids=CALLBACK_URL", headers=customer).json()
    assert got["results"]["CALLBACK_URL"] == {"configurationValue": {"string": url}}
    three = "ids=CALLBACK_URL&ids=APPLICATION_VIEWERS&ids=JOB_POSTING_VIEWERS"
    bad = http.put(f"{base}?{three}", headers=put, json={"entities": {
        "CALLBACK_URL": {"configurationValue": {"string": "http://ats.example.com/hook"}},
        "APPLICATION_VIEWERS": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}},
        "JOB_POSTING_VIEWERS": {"configurationValue": {"string": "SOME"}}}}).json()
    assert set(bad["errors"]) == {"CALLBACK_URL", "APPLICATION_VIEWERS", "JOB_POSTING_VIEWERS"}
    assert all(e["status"] == 400 for e in bad["errors"].values())
    # nothing of the failed batch was written
    kept = http.get(f"{base}?ids=CALLBACK_URL", headers=customer).json()["results"]["CALLBACK_URL"]
    assert kept["configurationValue"]["string"] == url
    deleted = http.delete(f"{base}?ids=JOB_POSTING_VIEWERS", headers=customer).json()
    assert deleted == {"results": {"JOB_POSTING_VIEWERS": {"status": 204}}, "errors": {}}
    again = http.get(f"{base}?ids=JOB_POSTING_VIEWERS", headers=customer).json()
    assert again["errors"]["JOB_POSTING_VIEWERS"]["status"] == 404


def test_callback_url_unique_across_customers(http, partner, customer, server):
    base = f"/v2/atsIntegrations/{OCE}/configurations?ids=CALLBACK_URL"
    body = {"entities": {"CALLBACK_URL": {"configurationValue": {"string": "https://ats.example.com/hooks/acme"}}}}
    assert http.put(base, headers={**customer, "x-restli-method": "batch_update"}, json=body).json()["errors"] == {}
    created = provision(http, partner).json()
    credentials = created["credentials"]
    other = {"Authorization": "Bearer " + token_for(http, credentials["client_id"], credentials["client_secret"])}
    assert http.post("/_mock/customers/globex/preapprove", json={}).status_code == 200
    [org] = server.emulator.customers.by_key(created["key"])["organizations"]
    other_base = (f"/v2/atsIntegrations/integrationContext={org}&integrationType=ONE_CLICK_EXPORT"
                  "&tenantType=RECRUITER&dataProvider=ATS/configurations?ids=CALLBACK_URL")
    reply = http.put(other_base, headers={**other, "x-restli-method": "batch_update"}, json=body).json()
    assert reply["errors"]["CALLBACK_URL"]["status"] == 409


@pytest.mark.parametrize("url, reason", [
    ("http://[::1", "not a valid URL"),
    ("https://[zz]/", "not a valid URL"),
    ("http://localhost:99999/x", "port"),
    ("http://localhost:-1/", "port"),
    ("http://localhost:0/", "port"),
    ("http://localhost:8080/hook\r\nX-Injected: 1", "whitespace or control"),
    ("http://localhost:8080/hook\x00", "whitespace or control"),
    ("https://exa mple.com/", "whitespace or control"),
    ("https://" + "a" * 300 + ".example/", "host"),
    ("https://" + "a" * 70000 + ".example/", "2048"),
    ("https://ats.example/" + "p" * 2100, "2048"),
    ("ftp://localhost/hook", "https"),
    ("https:///no-host", "host"),
    ("http://ats.example.com/hook", "https"),
])
def test_malformed_callback_urls_are_refused_per_entity(http, customer, url, reason):
    base = f"/v2/atsIntegrations/{OCE}/configurations"
    entities = {"CALLBACK_URL": {"configurationValue": {"string": url}},
                "JOB_POSTING_VIEWERS": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}}}
    reply = http.put(f"{base}?ids=CALLBACK_URL&ids=JOB_POSTING_VIEWERS",
                     headers={**customer, "x-restli-method": "batch_update"}, json={"entities": entities})
    assert reply.status_code == 200, reply.text
    error = reply.json()["errors"]["CALLBACK_URL"]
    assert error["status"] == 400 and error["message"].startswith("ERROR :: /configurationValue/string :: ")
    assert reason in error["message"], error["message"]
    assert reply.json()["results"] == {"JOB_POSTING_VIEWERS": {"status": 204}}  # the other entity still applies
    assert "CALLBACK_URL" in http.get(f"{base}?ids=CALLBACK_URL", headers=customer).json()["errors"]


@pytest.mark.parametrize("url", ["https://ats.example.com:443/hooks/acme", "http://127.0.0.1:65535/x",
                                 "http://[::1]:8080/hook", "HTTP://LOCALHOST:8080/up",
                                 "http://[::ffff:127.0.0.1]:8080/", "https://\u00e9.example/cb"])
def test_well_formed_callback_urls_are_accepted(http, customer, url):
    reply = http.put(f"/v2/atsIntegrations/{OCE}/configurations?ids=CALLBACK_URL",
                     headers={**customer, "x-restli-method": "batch_update"},
                     json={"entities": {"CALLBACK_URL": {"configurationValue": {"string": url}}}})
    assert reply.json()["results"] == {"CALLBACK_URL": {"status": 204}}, reply.text


def test_preapprove_refuses_unknown_fields_and_changes_nothing(http, partner, server):
    assert provision(http, partner).status_code == 201
    reply = http.post("/_mock/customers/globex/preapprove", json={"integrationType": ["ONE_CLICK_EXPORT"]})
    assert reply.status_code == 400 and reply.json()["message"].startswith("ERROR :: /integrationType ::"), reply.text
    assert server.emulator.integrations.table.find(integrationContext="urn:li:organization:1001") == []
    assert http.post("/_mock/customers/globex/preapprove", json={"integrationTypes": ["CSA_API"]}).status_code == 200


def test_versioned_base_requires_linkedin_version(http, customer):
    path = "/rest/integrations?ids=List((integrationContext:urn%3Ali%3Aorganization%3A1000," \
           "integrationType:ONE_CLICK_EXPORT,tenantType:RECRUITER))"
    headers = {**customer, "X-RestLi-Protocol-Version": "2.0.0"}
    assert http.get(path, headers=headers).status_code == 400
    for version in ("209901", "202001", "202601", "202604.01"):  # not in LinkedIn's version table
        assert http.get(path, headers={**headers, "LinkedIn-Version": version}).status_code == 426
    for version in ("202602", "202604"):
        assert http.get(path, headers={**headers, "LinkedIn-Version": version}).status_code == 200
    assert http.get(path, headers={**headers, "LinkedIn-Version": "202512"}).status_code == 404  # renamed in 202602
    assert http.get(f"/rest/atsIntegrations?{ids(0, DEMO_ORG, 'ONE_CLICK_EXPORT')}",
                    headers={**headers, "LinkedIn-Version": "202604"}).status_code == 404


def test_unknown_request_id_gives_empty_elements(http, customer):
    reply = http.get("/v2/atsIntegrations?q=request&requestId=nope", headers=customer)
    assert reply.status_code == 200 and reply.json()["elements"] == []
