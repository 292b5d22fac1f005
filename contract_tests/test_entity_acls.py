"""rest/entityAcls and rest/entityAclAssignees (customer token): migrated to the versioned API in 202511
(Talent release notes); keys from withone.ai's copies ("Upsert Entity ACL", "Retrieve Entity ACLs"):
entityAclId, dataProvider, integrationContext, entityType (JOB_REQUISITION), entityId / assignee."""

from __future__ import annotations

import pytest

from contract_tests.contract import BATCH_STATUS, collection, expect, expect_all, only_error
from contract_tests.versioned import WITHONE, delete, headers, key, put


def acl(org: str, run_id: str) -> str:
    return key(entityAclId=f"CT-{run_id}-GROUP", dataProvider="ATS", integrationContext=org,
               entityType="JOB_REQUISITION", entityId=f"CT-{run_id}-JOB")


@pytest.mark.case(WITHONE + "Upsert Entity ACL, Retrieve Entity ACLs, delete", "inferred")
def test_acl_upsert_find_delete(api, customer, org, run_id, target, cleanup):
    call = headers(customer, target)
    cleanup(f"/rest/entityAcls?ids=List({acl(org, run_id)})", call)
    expect_all(put(api, "entityAcls", {acl(org, run_id): {}}, call))
    found = api.get("/rest/entityAcls", params={"q": "criteria", "integrationContext": org,
                                                "entityId": f"CT-{run_id}-JOB"}, headers=call)
    assert [e["entityAclId"] for e in expect(found, 200, collection("entityAcl.json"))["elements"]] == [
        f"CT-{run_id}-GROUP"]
    expect_all(delete(api, "entityAcls", [acl(org, run_id)], call))


@pytest.mark.case(WITHONE + "Upsert Entity ACL — a field in the body", "inferred")
def test_acl_body_must_be_empty(api, customer, org, run_id, target):
    error = only_error(expect(put(api, "entityAcls", {acl(org, run_id): {"name": "x"}}, headers(customer, target)),
                              200, BATCH_STATUS))
    assert error["status"] == 422


@pytest.mark.case("Talent release notes › 202511 entityAclAssignees (key inferred) — upsert, find, delete",
                  "inferred")
def test_assignee_upsert_find_delete(api, customer, org, run_id, person, target, cleanup):
    call = headers(customer, target)
    assignee = key(entityAclId=f"CT-{run_id}-GROUP", dataProvider="ATS", integrationContext=org,
                   entityType="JOB_REQUISITION", assignee=person)
    cleanup(f"/rest/entityAclAssignees?ids=List({assignee})", call)
    expect_all(put(api, "entityAclAssignees", {assignee: {}}, call))
    found = api.get("/rest/entityAclAssignees", params={"q": "criteria", "integrationContext": org,
                                                        "assignee": person}, headers=call)
    assert f"CT-{run_id}-GROUP" in [e["entityAclId"] for e in expect(
        found, 200, collection("entityAclAssignee.json"))["elements"]]
    expect_all(delete(api, "entityAclAssignees", [assignee], call))
