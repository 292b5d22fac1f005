"""atsIntegrations (customer token): oauth-restli-onboarding.md §4.3; Postman "Module 1 › Configure Customer
Middleware Integrations › Update Customer's ATSIntegration (Mandatory)"."""

from __future__ import annotations

import pytest

from contract_tests.contract import (
    ERROR,
    batch_get,
    bearer,
    collection,
    expect,
    expect_all,
    ids_query,
    key_text,
)

PM = "Postman › Module 1 › Update Customer's ATSIntegration (Mandatory) › "
ORG_TYPES = ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN")


def integration(context: str, integration_type: str) -> dict:
    """An atsIntegration key, parts in the Postman collection's order."""
    return {"integrationContext": context, "integrationType": integration_type, "tenantType": "RECRUITER",
            "dataProvider": "ATS"}


def name_it(api, headers, key: dict, name: str):
    """Postman's BATCH_PARTIAL_UPDATE of ``integrationName``."""
    return api.post("/v2/atsIntegrations?" + ids_query(key),
                    json={"entities": {key_text(key): {"patch": {"$set": {"integrationName": name}}}}},
                    headers={**headers, "x-restli-method": "batch_partial_update", "Content-Type": "application/json"})


@pytest.mark.case(PM + "Update Customer ATSIntegration - ONE_CLICK_EXPORT / IN_ATS_INDICATOR / PROFILE_PLUGIN",
                  "inferred")
@pytest.mark.parametrize("integration_type", ORG_TYPES)
def test_name_organization_integration(api, customer, org, integration_type):
    key = integration(org, integration_type)
    expect_all(name_it(api, customer, key, f"Contract LinkedIn Recruiter {integration_type} Integration"))


@pytest.mark.case(PM + "Update Customer ATSIntegration - CSA_API", "inferred")
def test_name_contract_integration(api, customer, contract):
    expect_all(name_it(api, customer, integration(contract, "CSA_API"), "Contract LinkedIn Recruiter CSA_API"))


@pytest.mark.case(PM + "Verify Customer's  ATSIntegrations", "documented")
def test_verify_customer_integrations(api, customer, org, contract):
    keys = [integration(org, "IN_ATS_INDICATOR"), integration(org, "PROFILE_PLUGIN"),
            integration(org, "ONE_CLICK_EXPORT"), integration(contract, "CSA_API")]
    for key in keys:
        name_it(api, customer, key, f"Contract {key['integrationType']}")
    body = expect(api.get("/v2/atsIntegrations?" + ids_query(*keys), headers=customer), 200,
                  batch_get("atsIntegration.reply.json"))
    assert body["errors"] == {}
    found = {(doc["integrationContext"], doc["integrationType"]): doc for doc in body["results"].values()}
    assert set(found) == {(key["integrationContext"], key["integrationType"]) for key in keys}
    assert all(doc["integrationName"] == f"Contract {doc['integrationType']}" for doc in found.values())


@pytest.mark.case("Postman › Module 1 › GET Notification Type INTEGRATION_STATUS_CHANGE (unknown requestId)",
                  "inferred")
def test_unknown_request_id_finds_nothing(api, customer, run_id):
    reply = api.get(f"/v2/atsIntegrations?q=request&requestId=ct-{run_id}-unknown", headers=customer)
    assert expect(reply, 200, collection("atsIntegration.reply.json"))["elements"] == []


@pytest.mark.case(PM + "Update Customer ATSIntegration - ONE_CLICK_EXPORT (with a partner token)", "inferred")
def test_partner_token_may_not_name_integrations(api, partner, org):
    expect(name_it(api, partner, integration(org, "ONE_CLICK_EXPORT"), "x"), 403, ERROR)


@pytest.mark.case(PM + "Update Customer ATSIntegration - ONE_CLICK_EXPORT (a newly pre-approved customer)",
                  "inferred")
def test_new_customer_names_its_integration_after_preapproval(api, admin, target, partner, run_id):
    """A new customer's integrations exist once its Recruiter admin pre-approves them (the emulator's
    ``/_mock/customers/{uniqueForeignId}/preapprove`` stands in for the configuration widget)."""
    unique_foreign_id = f"ct-{run_id}-preapproved"
    created = api.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": unique_foreign_id, "name": "Contract preapproval", "description": "contract test"})
    assert created.status_code == 201, created.text
    approved = admin.post(f"/_mock/customers/{unique_foreign_id}/preapprove",
                          json={"integrationTypes": ["ONE_CLICK_EXPORT"]})
    assert approved.status_code == 200, approved.text
    credentials = created.json()["credentials"]
    headers = bearer(target, credentials["client_id"], credentials["client_secret"])
    context = approved.json()["integrations"][0]["integrationContext"]
    expect_all(name_it(api, headers, integration(context, "ONE_CLICK_EXPORT"), "Contract new customer"))
