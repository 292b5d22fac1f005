"""atsEntityAcls (customer token): sync-and-retrieve.md §4.1-§4.3; Postman "Module 4 - Define Permissions via
ACLs › Sync ACLs". Every ACL a case syncs is deleted after it."""

from __future__ import annotations

import pytest

from contract_tests.contract import (
    BATCH_STATUS,
    ERROR,
    collection,
    expect,
    expect_all,
    ids_query,
    key_text,
    only_error,
)

PM = "Postman › Module 4 - Define Permissions via ACLs › Sync ACLs › "
BATCH_UPDATE = {"x-restli-method": "batch_update", "Content-Type": "application/json"}
ACLS = collection("atsEntityAcl.json")


def acl(org: str, group: str, job: str, entity_type: str = "JOB_POSTING") -> dict:
    """An ACL key, parts in the order of Postman's URL."""
    return {"atsEntityAclId": group, "dataProvider": "ATS", "integrationContext": org, "atsEntityType": entity_type,
            "atsEntityId": job}


def body_key(key: dict) -> str:
    """The key as Postman's body writes it: another part order than the URL."""
    order = ("dataProvider", "integrationContext", "atsEntityType", "atsEntityId", "atsEntityAclId")
    return key_text({part: key[part] for part in order})


def upsert(api, customer, key: dict, entity: dict | None = None):
    """Postman's "Upsert Entity ACL" for ``key`` (body ``{}`` unless ``entity``)."""
    return api.put("/v2/atsEntityAcls?" + ids_query(key), json={"entities": {body_key(key): entity or {}}},
                   headers={**customer, **BATCH_UPDATE})


@pytest.fixture
def job(run_id) -> str:
    """The externalJobPostingId the ACLs of a case secure."""
    return f"CT-{run_id}-ACL-JOB"


@pytest.fixture
def synced(api, customer, org, job, cleanup) -> dict:
    """The ACL TEST_JOBS on ``job``, synced (deleted after the case)."""
    key = acl(org, "TEST_JOBS", job)
    cleanup("/v2/atsEntityAcls?" + ids_query(key), customer)
    expect_all(upsert(api, customer, key))
    return key


@pytest.mark.case(PM + "Upsert Entity ACL", "inferred")
def test_upsert_entity_acl(synced):
    """The fixture sends Postman's request (body key parts in another order) and expects 204 for the key."""


@pytest.mark.case(PM + "Retrieve Entity ACL", "inferred")
def test_retrieve_entity_acl(api, customer, synced, org, job):
    reply = api.get(f"/v2/atsEntityAcls?atsEntityId={job}&atsEntityType=JOB_POSTING&dataProvider=ATS"
                    f"&integrationContext={org}&q=criteria&start=0&count=100", headers=customer)
    body = expect(reply, 200, ACLS)
    assert [element["atsEntityAclId"] for element in body["elements"]] == ["TEST_JOBS"]


@pytest.mark.case(PM + "Delete Entity ACL", "inferred")
def test_delete_entity_acl(api, customer, synced, org, job):
    expect_all(api.delete("/v2/atsEntityAcls?" + ids_query(synced), headers=customer))
    reply = api.get(f"/v2/atsEntityAcls?q=criteria&atsEntityId={job}&atsEntityType=JOB_POSTING&dataProvider=ATS"
                    f"&integrationContext={org}", headers=customer)
    assert expect(reply, 200, ACLS)["elements"] == []


@pytest.mark.case(PM + "Delete Entity ACL (a key never synced)", "inferred")
def test_delete_unknown_acl_is_a_404_entry(api, customer, org, job):
    reply = api.delete("/v2/atsEntityAcls?" + ids_query(acl(org, "NEVER_SYNCED", job)), headers=customer)
    assert only_error(expect(reply, 200, BATCH_STATUS))["status"] == 404


@pytest.mark.case(PM + "Upsert Entity ACL (a field in the body)", "inferred")
def test_non_empty_body_is_a_per_entity_422(api, customer, org, job, cleanup):
    key = acl(org, "TEST_BODY", job)
    cleanup("/v2/atsEntityAcls?" + ids_query(key), customer)
    error = only_error(expect(upsert(api, customer, key, {"accessRestricted": True}), 200, BATCH_STATUS))
    assert error["status"] == 422 and "/accessRestricted" in error["message"]


@pytest.mark.case(PM + "Upsert Entity ACL (atsEntityType other than JOB_POSTING)", "inferred")
def test_only_job_postings_can_be_secured(api, customer, org, job, cleanup):
    """sync-acls page: only job postings are securable; the 422 entry is inferred."""
    key = acl(org, "TEST_TYPE", job, entity_type="CANDIDATE")
    cleanup("/v2/atsEntityAcls?" + ids_query(key), customer)
    error = only_error(expect(upsert(api, customer, key), 200, BATCH_STATUS))
    assert error["status"] == 422 and "/atsEntityType" in error["message"]


@pytest.mark.case(PM + "Retrieve Entity ACL (without integrationContext)", "inferred")
def test_finder_without_context_is_400(api, customer, job):
    expect(api.get(f"/v2/atsEntityAcls?q=criteria&atsEntityId={job}&atsEntityType=JOB_POSTING&dataProvider=ATS",
                   headers=customer), 400, ERROR)
