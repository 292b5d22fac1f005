"""rest/integrations and rest/integrationConfigurations (customer token): renamed in LinkedIn-Version 202602
(Talent release notes); rest/integrations: BATCH_PARTIAL_UPDATE, BATCH_GET, FINDER, dataProvider removed from
the key (RSC release notes, 2026-03 view); rest/integrationConfigurations: the name (customer configuration,
2026-03 view), key and methods inferred."""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, batch_get, collection, expect, expect_all
from contract_tests.versioned import RN, batch_url, get, headers, key, put

SOURCE = RN + "Manage ATS integration instances (v2/atsIntegrations → rest/integrations)"
INTEGRATIONS = batch_get("integration.json")


def integration(org: str) -> str:
    return key(integrationContext=org, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER")


@pytest.mark.case(SOURCE + " — BATCH_GET", "documented")
def test_read_integration_without_data_provider(api, customer, org, target):
    body = expect(get(api, "integrations", [integration(org)], headers(customer, target)), 200, INTEGRATIONS)
    assert "dataProvider" not in body["results"][integration(org)]


@pytest.mark.case(SOURCE + " — BATCH_PARTIAL_UPDATE of integrationName", "inferred")
def test_name_the_integration(api, customer, org, target):
    call = {**headers(customer, target), "X-RestLi-Method": "BATCH_PARTIAL_UPDATE"}
    patch = {"patch": {"$set": {"integrationName": "Contract test One-Click Export"}}}
    expect_all(api.post(batch_url("integrations", integration(org)), json={"entities": {integration(org): patch}},
                        headers=call))


@pytest.mark.case(SOURCE + " — FINDER q=request with an unknown id", "inferred")
def test_finder_with_unknown_request_id(api, customer, target):
    reply = api.get("/rest/integrations", params={"q": "request", "requestId": "0"}, headers=headers(customer, target))
    assert expect(reply, 200, collection("integration.json"))["elements"] == []


@pytest.mark.case(SOURCE + " — a key with dataProvider", "inferred")
def test_key_with_data_provider_is_400(api, customer, org, target):
    old = key(integrationContext=org, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER", dataProvider="ATS")
    expect(get(api, "integrations", [old], headers(customer, target)), 400, ERROR)


@pytest.mark.case("rsc-customer-configuration (2026-03 view) › rest/integrationConfigurations — CALLBACK_URL",
                  "inferred")
def test_configure_the_callback(api, customer, org, target):
    callback = target.need("CALLBACK_URL")[0] if not target.emulator else f"{target.url}/_mock/inbox/contract"
    configuration = key(integrationContext=org, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER",
                        configurationKey="CALLBACK_URL")
    call = headers(customer, target)
    expect_all(put(api, "integrationConfigurations",
                   {configuration: {"configurationValue": {"string": callback}}}, call))
    body = expect(get(api, "integrationConfigurations", [configuration], call), 200,
                  batch_get("integrationConfiguration.json"))
    assert body["results"][configuration]["configurationValue"]["string"] == callback


@pytest.mark.case("Talent release notes › 202602 integrations renamed — LinkedIn-Version 202512", "inferred")
def test_not_before_202602(api, customer, org, target):
    expect(get(api, "integrations", [integration(org)], headers(customer, target, "202512")), 404, ERROR)
