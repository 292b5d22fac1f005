"""atsEntityAclAssignees (customer token): sync-and-retrieve.md §4.4-§4.6; Postman "Module 4 - Define
Permissions via ACLs › Sync ACL Assignees". Every assignment a case syncs is deleted after it."""

from __future__ import annotations

import pytest

from contract_tests.contract import (
    BATCH_STATUS,
    collection,
    expect,
    expect_all,
    ids_query,
    key_text,
    only_error,
)

PM = "Postman › Module 4 - Define Permissions via ACLs › Sync ACL Assignees › "
ASSIGNEES = collection("atsEntityAclAssignee.json")


def assignment(org: str, group: str, person: str) -> dict:
    """An assignee key, parts in the order of Postman's URL."""
    return {"atsEntityAclId": group, "integrationContext": org, "dataProvider": "ATS", "assignee": person,
            "atsEntityType": "JOB_POSTING"}


def body_key(key: dict) -> str:
    """The key as Postman's body writes it: another part order than the URL."""
    order = ("dataProvider", "integrationContext", "atsEntityType", "atsEntityAclId", "assignee")
    return key_text({part: key[part] for part in order})


def upsert(api, customer, *keys: dict):
    """Postman's "Upsert Entity ACL Assignees": protocol 2.0 header, 1.0 ``ids[0].`` syntax."""
    return api.put("/v2/atsEntityAclAssignees?" + ids_query(*keys),
                   json={"entities": {body_key(key): {} for key in keys}},
                   headers={**customer, "x-restli-method": "batch_update", "Content-Type": "application/json",
                            "X-RestLi-Protocol-Version": "2.0.0"})


@pytest.fixture
def group(run_id) -> str:
    """The ACL group a case assigns."""
    return f"CT_{run_id}_GROUP"


@pytest.fixture
def synced(api, customer, org, group, person, cleanup) -> dict:
    """``person`` assigned to ``group`` (deleted after the case)."""
    key = assignment(org, group, person)
    cleanup("/v2/atsEntityAclAssignees?" + ids_query(key), customer)
    expect_all(upsert(api, customer, key))
    return key


@pytest.mark.case(PM + "Upsert Entity ACL Assignees", "inferred")
def test_upsert_entity_acl_assignee(synced):
    """The fixture sends Postman's request and expects 204 for the key."""


@pytest.mark.case(PM + "Retrieve Entity ACL Assignees", "inferred")
def test_retrieve_entity_acl_assignees(api, customer, synced, org, person, group):
    reply = api.get(f"/v2/atsEntityAclAssignees?q=criteria&assignee={person}&dataProvider=ATS"
                    f"&integrationContext={org}", headers=customer)
    body = expect(reply, 200, ASSIGNEES)
    assert group in [element["atsEntityAclId"] for element in body["elements"]]


@pytest.mark.case(PM + "Delete Entity ACL Assignees", "inferred")
def test_delete_entity_acl_assignee(api, customer, synced, org, person, group):
    expect_all(api.delete("/v2/atsEntityAclAssignees?" + ids_query(synced), headers=customer))
    reply = api.get(f"/v2/atsEntityAclAssignees?q=criteria&assignee={person}&dataProvider=ATS"
                    f"&integrationContext={org}&atsEntityAclId={group}", headers=customer)
    assert expect(reply, 200, ASSIGNEES)["elements"] == []


@pytest.mark.case(PM + "Upsert Entity ACL Assignees (an assignee that is not a member)", "inferred")
def test_unknown_member_is_a_per_entity_422(api, customer, org, group, run_id):
    reply = upsert(api, customer, assignment(org, group, f"urn:li:person:ct-{run_id}-nobody"))
    error = only_error(expect(reply, 200, BATCH_STATUS))
    assert error["status"] == 422 and "/assignee" in error["message"]


@pytest.mark.case(PM + "Upsert Entity ACL Assignees (an 11th ACL for one user)", "inferred")
def test_eleventh_acl_of_a_user_is_a_per_entity_422(api, customer, org, person, run_id, cleanup):
    """sync-acls page: "do not assign more than 10 ACLs per user"; enforcing it with a 422 is inferred.
    Assumes ``person`` holds no other ACL in the context."""
    keys = [assignment(org, f"CT_{run_id}_LIMIT_{n:02d}", person) for n in range(11)]
    cleanup("/v2/atsEntityAclAssignees?" + ids_query(*keys), customer)
    body = expect(upsert(api, customer, *keys), 200, BATCH_STATUS)
    assert len(body["results"]) == 10
    error = only_error(body)
    assert error["status"] == 422 and "10" in error["message"]
