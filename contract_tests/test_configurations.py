"""atsIntegrations/{key}/configurations (customer token): oauth-restli-onboarding.md §4.4; Postman "Module 1 ›
Sync Integration Configurations (Mandatory)".

Against a real server these cases rewrite the customer's CALLBACK_URL (to RSC_CONTRACT_CALLBACK_URL) and set
then delete the viewer configurations: run them on a sandbox customer.
"""

from __future__ import annotations

import pytest

from contract_tests.contract import (
    BATCH_STATUS,
    batch_get,
    expect,
    expect_all,
    key_text,
    only_error,
)

PM = "Postman › Module 1 › Sync Integration Configurations (Mandatory) › "
BATCH_UPDATE = {"x-restli-method": "batch_update", "Content-Type": "application/json"}


def configurations(context: str, integration_type: str) -> str:
    """The path of an integration's configurations (key in the path, protocol 1.0, as Postman writes it)."""
    key = {"integrationContext": context, "integrationType": integration_type, "tenantType": "RECRUITER",
           "dataProvider": "ATS"}
    return f"/v2/atsIntegrations/{key_text(key)}/configurations"


def put_value(api, customer, path: str, name: str, value: str):
    """Postman's BATCH_UPDATE of one configuration key."""
    return api.put(f"{path}?ids={name}", json={"entities": {name: {"configurationValue": {"string": value}}}},
                   headers={**customer, **BATCH_UPDATE})


@pytest.fixture
def callback_url(target, run_id) -> str:
    """The CALLBACK_URL to register: the emulator's own inbox, or RSC_CONTRACT_CALLBACK_URL."""
    if target.emulator:
        return f"{target.url}/_mock/inbox/contract-{run_id}"
    return target.need("CALLBACK_URL")[0]


@pytest.mark.case(PM + "Sync Integration Configuration - Callback URL (Mandatory)", "inferred")
def test_sync_callback_url(api, customer, org, callback_url):
    expect_all(put_value(api, customer, configurations(org, "ONE_CLICK_EXPORT"), "CALLBACK_URL", callback_url))


@pytest.mark.case(PM + "Verify Customer Integrations - Configs", "inferred")
def test_verify_callback_url(api, customer, org, callback_url):
    path = configurations(org, "ONE_CLICK_EXPORT")
    expect_all(put_value(api, customer, path, "CALLBACK_URL", callback_url))
    body = expect(api.get(f"{path}?ids=CALLBACK_URL", headers=customer), 200,
                  batch_get("atsIntegrationConfiguration.json"))
    assert [doc["configurationValue"]["string"] for doc in body["results"].values()] == [callback_url]


@pytest.mark.case(PM + "Sync Integration Configuration - Job Posting Viewers (Optional), then"
                       " Delete Integration Configuration - Job Posting Viewers", "inferred")
def test_job_posting_viewers(api, customer, org):
    path = configurations(org, "ONE_CLICK_EXPORT")
    expect_all(put_value(api, customer, path, "JOB_POSTING_VIEWERS", "ALL_PRODUCT_USERS"))
    expect_all(api.delete(f"{path}?ids=JOB_POSTING_VIEWERS", headers=customer))


@pytest.mark.case(PM + "Sync Integration Configuration - Application Viewers (Optional), then"
                       " Delete Integration Configuration - Application Viewers", "inferred")
def test_application_viewers(api, customer, org):
    path = configurations(org, "IN_ATS_INDICATOR")
    expect_all(put_value(api, customer, path, "APPLICATION_VIEWERS", "ALL_PRODUCT_USERS"))
    expect_all(api.delete(f"{path}?ids=APPLICATION_VIEWERS", headers=customer))


@pytest.mark.case(PM + "Sync Integration Configuration - Job Posting Viewers (a value other than"
                       " ALL_PRODUCT_USERS)", "inferred")
def test_viewer_value_other_than_all_product_users_is_refused(api, customer, org):
    """integration-types page: ALL_PRODUCT_USERS is the only valid value; the 400 is inferred."""
    reply = put_value(api, customer, configurations(org, "ONE_CLICK_EXPORT"), "JOB_POSTING_VIEWERS", "EVERYONE")
    assert only_error(expect(reply, 200, BATCH_STATUS))["status"] == 400
