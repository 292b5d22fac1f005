"""atsEntityAcls and atsEntityAclAssignees (RSC module 4) over HTTP, starting with LinkedIn's own Postman
requests, and the ACL lookups the Recruiter side uses (mock_server.domain.acls)."""

from __future__ import annotations

import pytest

from mock_server.domain.acls import (
    acl_groups_of,
    acl_table,
    acls_of_job,
    assignee_table,
)

ORG = "urn:li:organization:1000"
JOB = "TEST_EXTERNAL_JOB_ID_0002"
PERSON = "urn:li:person:demo-recruiter"
OTHER_PERSON = "urn:li:person:jane-doe"
BATCH_UPDATE = {"x-restli-method": "batch_update", "Content-Type": "application/json"}


def acl_key_v1(group: str, job: str = JOB, context: str = ORG) -> str:
    """An ACL key in 1.0 form, parts sorted as the emulator's replies show them."""
    return (f"atsEntityAclId={group}&atsEntityId={job}&atsEntityType=JOB_POSTING&dataProvider=ATS"
            f"&integrationContext={context}")


def acl_ids(*groups: str, job: str = JOB, context: str = ORG, entity_type: str = "JOB_POSTING") -> str:
    """The ``ids[i].*`` query of ACL keys."""
    return "&".join(f"ids[{i}].atsEntityAclId={g}&ids[{i}].dataProvider=ATS&ids[{i}].integrationContext={context}"
                    f"&ids[{i}].atsEntityType={entity_type}&ids[{i}].atsEntityId={job}" for i, g in enumerate(groups))


def assignee_key_v1(group: str, person: str = PERSON, context: str = ORG) -> str:
    """An assignee key in 1.0 form, parts sorted."""
    return (f"assignee={person}&atsEntityAclId={group}&atsEntityType=JOB_POSTING&dataProvider=ATS"
            f"&integrationContext={context}")


def assignee_ids(*groups: str, person: str = PERSON, context: str = ORG) -> str:
    """The ``ids[i].*`` query of assignee keys."""
    return "&".join(f"ids[{i}].atsEntityAclId={g}&ids[{i}].integrationContext={context}&ids[{i}].dataProvider=ATS"
                    f"&ids[{i}].assignee={person}&ids[{i}].atsEntityType=JOB_POSTING" for i, g in enumerate(groups))


def put_acls(http, customer, *groups, **kwargs):
    body = {"entities": {acl_key_v1(g, kwargs.get("job", JOB), kwargs.get("context", ORG)): {} for g in groups}}
    return http.put("/v2/atsEntityAcls?" + acl_ids(*groups, **kwargs), json=body, headers={**customer, **BATCH_UPDATE})


def put_assignees(http, customer, *groups, person=PERSON):
    body = {"entities": {assignee_key_v1(g, person): {} for g in groups}}
    return http.put("/v2/atsEntityAclAssignees?" + assignee_ids(*groups, person=person), json=body,
                    headers={**customer, **BATCH_UPDATE})


# ---- LinkedIn's Postman requests, verbatim (org_id 1000, person_id demo-recruiter) ------------------------

def test_postman_module_4_entity_acls(http, customer):
    upsert = http.put(
        "/v2/atsEntityAcls?ids[0].atsEntityAclId=TEST_JOBS&ids[0].dataProvider=ATS"
        "&ids[0].integrationContext=urn:li:organization:1000&ids[0].atsEntityType=JOB_POSTING"
        "&ids[0].atsEntityId=TEST_EXTERNAL_JOB_ID_0002",
        content=b'{\n  "entities": {\n  \t\t"dataProvider=ATS&integrationContext=urn:li:organization:1000'
                b'&atsEntityType=JOB_POSTING&atsEntityId=TEST_EXTERNAL_JOB_ID_0002&atsEntityAclId=TEST_JOBS": {}\n'
                b'      }\n}',
        headers={**customer, "x-restli-method": "batch_update", "Content-Type": "application/json"})
    assert upsert.status_code == 200, upsert.text
    assert upsert.json() == {"results": {acl_key_v1("TEST_JOBS"): {"status": 204}}, "errors": {}}

    found = http.get("/v2/atsEntityAcls?atsEntityId=TEST_EXTERNAL_JOB_ID_0002&atsEntityType=JOB_POSTING"
                     "&dataProvider=ATS&integrationContext=urn:li:organization:1000&q=criteria&start=0&count=100",
                     headers=customer)
    assert found.status_code == 200, found.text
    assert found.json()["elements"] == [{"atsEntityAclId": "TEST_JOBS", "atsEntityId": JOB,
                                         "atsEntityType": "JOB_POSTING", "dataProvider": "ATS",
                                         "integrationContext": ORG}]
    assert found.json()["paging"] == {"start": 0, "count": 100, "total": 1, "links": []}

    deleted = http.delete("/v2/atsEntityAcls?ids[0].atsEntityAclId=TEST_JOBS&ids[0].dataProvider=ATS"
                          "&ids[0].integrationContext=urn:li:organization:1000"
                          "&ids[0].atsEntityId=TEST_EXTERNAL_JOB_ID_0002&ids[0].atsEntityType=JOB_POSTING",
                          headers=customer)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"results": {acl_key_v1("TEST_JOBS"): {"status": 204}}, "errors": {}}
    again = http.get(f"/v2/atsEntityAcls?q=criteria&integrationContext={ORG}&atsEntityId={JOB}", headers=customer)
    assert again.json()["elements"] == []


def test_postman_module_4_assignees_protocol_2_header_with_1_0_ids(http, customer):
    upsert = http.put(
        "/v2/atsEntityAclAssignees?ids[0].atsEntityAclId=TEST_JOBS"
        "&ids[0].integrationContext=urn:li:organization:1000&ids[0].dataProvider=ATS"
        "&ids[0].assignee=urn:li:person:demo-recruiter&ids[0].atsEntityType=JOB_POSTING",
        content=b'{\n  "entities": {\n    "dataProvider=ATS&integrationContext=urn:li:organization:1000'
                b'&atsEntityType=JOB_POSTING&atsEntityAclId=TEST_JOBS&assignee=urn:li:person:demo-recruiter": {}\n'
                b'  }\n}',
        headers={**customer, "x-restli-method": "batch_update", "Content-Type": "application/json",
                 "X-RestLi-Protocol-Version": "2.0.0"})
    assert upsert.status_code == 200, upsert.text
    assert upsert.headers["X-RestLi-Protocol-Version"] == "2.0.0"
    key_v2 = ("(assignee:urn%3Ali%3Aperson%3Ademo-recruiter,atsEntityAclId:TEST_JOBS,atsEntityType:JOB_POSTING,"
              "dataProvider:ATS,integrationContext:urn%3Ali%3Aorganization%3A1000)")
    assert upsert.json() == {"results": {key_v2: {"status": 204}}, "errors": {}}

    found = http.get("/v2/atsEntityAclAssignees?q=criteria&assignee=urn:li:person:demo-recruiter&dataProvider=ATS"
                     "&integrationContext=urn:li:organization:1000", headers=customer)
    assert found.status_code == 200, found.text
    assert found.json()["elements"] == [{"assignee": PERSON, "atsEntityAclId": "TEST_JOBS",
                                         "atsEntityType": "JOB_POSTING", "dataProvider": "ATS",
                                         "integrationContext": ORG}]

    deleted = http.delete("/v2/atsEntityAclAssignees?ids[0].atsEntityAclId=TEST_JOBS&ids[0].dataProvider=ATS"
                          "&ids[0].integrationContext=urn:li:organization:1000"
                          "&ids[0].assignee=urn:li:person:demo-recruiter&ids[0].atsEntityType=JOB_POSTING",
                          headers=customer)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"results": {assignee_key_v1("TEST_JOBS"): {"status": 204}}, "errors": {}}


# ---- per-entity rules ------------------------------------------------------------------------------------

def test_non_empty_body_is_a_422_naming_the_field_and_the_rest_of_the_batch_applies(http, customer, server):
    body = {"entities": {acl_key_v1("G1"): {"jobTitle": "x"}, acl_key_v1("G2"): {}}}
    reply = http.put("/v2/atsEntityAcls?" + acl_ids("G1", "G2"), json=body, headers={**customer, **BATCH_UPDATE})
    assert reply.status_code == 200
    error = reply.json()["errors"][acl_key_v1("G1")]
    assert error["status"] == 422 and error["message"].startswith("ERROR :: /jobTitle :: unrecognized field")
    assert reply.json()["results"] == {acl_key_v1("G2"): {"status": 204}}
    assert acls_of_job(server.emulator.store, ORG, JOB) == {"G2"}


def test_only_job_postings_can_be_secured(http, customer):
    body = {"entities": {acl_key_v1("G1").replace("JOB_POSTING", "CANDIDATE"): {}}}
    reply = http.put("/v2/atsEntityAcls?" + acl_ids("G1", entity_type="CANDIDATE"), json=body,
                     headers={**customer, **BATCH_UPDATE})
    assert reply.status_code == 200
    (error,) = reply.json()["errors"].values()
    assert error["status"] == 422
    assert error["message"] == 'ERROR :: /atsEntityType :: "CANDIDATE" is not an enum symbol'


def test_bad_data_provider_and_context_kind_are_422(http, customer):
    key = acl_key_v1("G1").replace("dataProvider=ATS", "dataProvider=CRM")
    ids = acl_ids("G1").replace("dataProvider=ATS", "dataProvider=CRM")
    reply = http.put("/v2/atsEntityAcls?" + ids, json={"entities": {key: {}}}, headers={**customer, **BATCH_UPDATE})
    message = list(reply.json()["errors"].values())[0]["message"]
    assert message.startswith('ERROR :: /dataProvider :: "CRM" is not an enum symbol')
    reply = put_acls(http, customer, "G1", context="urn:li:contract:2000")
    message = list(reply.json()["errors"].values())[0]["message"]
    assert message.startswith("ERROR :: /integrationContext :: must be an organization URN")


def test_foreign_context_is_a_per_entity_403(http, customer):
    reply = put_acls(http, customer, "G1", context="urn:li:organization:9999")
    (error,) = reply.json()["errors"].values()
    assert error == {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
                     "message": "Not enough permissions to access: atsEntityAcls.BATCH_UPDATE.NO_VERSION"}


def test_assignee_must_be_a_known_member(http, customer):
    reply = put_assignees(http, customer, "G1", person="urn:li:person:nobody-here")
    (error,) = reply.json()["errors"].values()
    assert error["status"] == 422
    assert error["message"].startswith("ERROR :: /assignee :: urn:li:person:nobody-here is not a LinkedIn member")
    reply = put_assignees(http, customer, "G1", person="urn:li:organization:1")
    assert list(reply.json()["errors"].values())[0]["message"].startswith("ERROR :: /assignee :: must be a person URN")


def test_at_most_ten_acls_per_assignee_and_context(http, customer, server):
    groups = [f"G{i:02d}" for i in range(11)]
    reply = put_assignees(http, customer, *groups)
    assert reply.status_code == 200
    assert sorted(reply.json()["results"]) == sorted(assignee_key_v1(g) for g in groups[:10])
    error = reply.json()["errors"][assignee_key_v1("G10")]
    assert error["status"] == 422
    assert "at most 10 ACLs per user" in error["message"] and error["message"].startswith("ERROR :: /atsEntityAclId")
    assert put_assignees(http, customer, "G00").json()["errors"] == {}  # re-assigning a held group is fine
    assert put_assignees(http, customer, "G00", person=OTHER_PERSON).json()["errors"] == {}  # limit is per user
    http.delete("/v2/atsEntityAclAssignees?" + assignee_ids("G03"), headers=customer).raise_for_status()
    assert put_assignees(http, customer, "G10").json()["errors"] == {}
    assert len(acl_groups_of(server.emulator.store, ORG, PERSON)) == 10


def test_delete_of_unknown_key_is_a_404_entry(http, customer):
    put_acls(http, customer, "G1").raise_for_status()
    reply = http.delete("/v2/atsEntityAcls?" + acl_ids("G1", "NEVER"), headers=customer)
    assert reply.status_code == 200
    assert reply.json()["results"] == {acl_key_v1("G1"): {"status": 204}}
    assert reply.json()["errors"][acl_key_v1("NEVER")]["status"] == 404


def test_assignee_finder_filters_by_group_and_pages(http, customer):
    put_assignees(http, customer, "A", "B", "C").raise_for_status()
    base = f"/v2/atsEntityAclAssignees?q=criteria&assignee={PERSON}&integrationContext={ORG}"
    assert [e["atsEntityAclId"] for e in http.get(base, headers=customer).json()["elements"]] == ["A", "B", "C"]
    only_b = http.get(base + "&atsEntityAclId=B", headers=customer).json()["elements"]
    assert [e["atsEntityAclId"] for e in only_b] == ["B"]
    page = http.get(base + "&start=1&count=1", headers=customer).json()
    assert [e["atsEntityAclId"] for e in page["elements"]] == ["B"] and page["paging"]["total"] == 3


@pytest.mark.parametrize("query, status", [
    ("q=criteria&atsEntityId=J", 400),                                    # integrationContext is required
    (f"q=criteria&integrationContext={ORG}&atsEntityType=CANDIDATE", 400),
    ("q=criteria&integrationContext=urn:li:organization:9999", 403),
])
def test_acl_finder_errors(http, customer, query, status):
    reply = http.get("/v2/atsEntityAcls?" + query, headers=customer)
    assert reply.status_code == status, reply.text
    assert reply.headers["X-LinkedIn-Error-Response"] == "true"


def test_assignee_finder_requires_the_assignee(http, customer):
    reply = http.get(f"/v2/atsEntityAclAssignees?q=criteria&integrationContext={ORG}", headers=customer)
    assert reply.status_code == 400 and "assignee" in reply.json()["message"]


@pytest.mark.parametrize("assignee", ["garbage", "urn:li:person:", "urn:li:seat:3000", "3000", "urn:li:person:a:b"])
@pytest.mark.parametrize("path", ["/v2/atsEntityAclAssignees", "/rest/entityAclAssignees"])
@pytest.mark.parametrize("protocol", ["1.0.0", "2.0.0"])
def test_assignee_finder_refuses_an_assignee_that_is_not_a_person_urn(http, customer, path, protocol, assignee):
    """The finder takes the shape its key part has (BATCH_UPDATE answers 422 for such an assignee): a malformed
    one is a 400 naming the parameter, not an empty page."""
    headers = {**customer, "X-RestLi-Protocol-Version": protocol, "LinkedIn-Version": "202604"}
    reply = http.get(path, params={"q": "criteria", "integrationContext": ORG, "assignee": assignee}, headers=headers)
    assert reply.status_code == 400, reply.text
    assert reply.json()["message"].startswith("Query parameter 'assignee' must be a person URN"), reply.text
    known = http.get(path, params={"q": "criteria", "integrationContext": ORG, "assignee": "urn:li:person:ghost"},
                     headers=headers)
    assert known.status_code == 200 and known.json()["elements"] == []  # well-formed, unknown: no element


def test_protocol_2_keys_and_no_v2_names_on_the_rest_base(http, customer):
    key = f"(atsEntityAclId:G1,atsEntityId:{JOB},atsEntityType:JOB_POSTING,dataProvider:ATS," \
          "integrationContext:urn%3Ali%3Aorganization%3A1000)"
    headers = {**customer, **BATCH_UPDATE, "X-RestLi-Protocol-Version": "2.0.0"}
    reply = http.put(f"/v2/atsEntityAcls?ids=List({key})", json={"entities": {key: {}}}, headers=headers)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"results": {key: {"status": 204}}, "errors": {}}
    for resource in ("atsEntityAcls", "atsEntityAclAssignees"):  # the versioned names: rest/entityAcls, …
        reply = http.put(f"/rest/{resource}?ids=List({key})", json={"entities": {key: {}}},
                         headers={**headers, "LinkedIn-Version": "202604"})
        assert reply.status_code == 404 and reply.json()["message"] == f"Resource {resource} does not exist"


def test_partner_token_is_refused(http, partner):
    reply = http.get(f"/v2/atsEntityAcls?q=criteria&integrationContext={ORG}", headers=partner)
    assert reply.status_code == 403


# ---- what the Recruiter side reads ----------------------------------------------------------------------

def test_recruiter_side_lookups(http, customer, server):
    put_acls(http, customer, "SECURE", "HIRING_TEAM").raise_for_status()
    put_acls(http, customer, "SECURE", job="OTHER_JOB").raise_for_status()
    put_assignees(http, customer, "HIRING_TEAM").raise_for_status()
    store = server.emulator.store
    assert acls_of_job(store, ORG, JOB) == {"SECURE", "HIRING_TEAM"}
    assert acls_of_job(store, ORG, "OTHER_JOB") == {"SECURE"}
    assert acls_of_job(store, ORG, "UNKNOWN") == set()
    assert acl_groups_of(store, ORG, PERSON) == {"HIRING_TEAM"}
    assert acl_groups_of(store, ORG, OTHER_PERSON) == set()
    assert acl_groups_of(store, "urn:li:organization:9999", PERSON) == set()
    assert {"integrationContext", "atsEntityId"} <= set(acl_table(store).indexes)
    assert {"integrationContext", "assignee"} <= set(assignee_table(store).indexes)
