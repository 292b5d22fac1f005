"""atsCandidates and atsCandidates/{key}/notes (customer token): sync-and-retrieve.md §2 and §5; Postman
"Module 2 › Sync Candidates", "Sync Candidate Notes" and "Module 5 - Delete Synced Data".

Every candidate a case syncs is deleted after it.
"""

from __future__ import annotations

import uuid

import pytest

from contract_tests.contract import (
    BATCH_STATUS,
    ERROR,
    batch_get,
    expect,
    expect_all,
    ids_query,
    key_text,
    only_error,
)
from contract_tests.sync import (
    BATCH_UPDATE,
    candidate,
    candidate_key,
    note,
    put_children,
    put_records,
)

PM = "Postman › Module 2 › Sync Candidates › "
DELETE = "Postman › Module 5 - Delete Synced Data › "
CANDIDATES = batch_get("atsCandidate.reply.json")


@pytest.fixture
def synced(api, customer, org, run_id, cleanup):
    """A candidate synced with Postman's body (deleted after the case): its key."""
    key = candidate_key(org, f"CT-{run_id}-{uuid.uuid4().hex[:8]}")
    cleanup("/v2/atsCandidates?" + ids_query(key), customer)
    expect_all(put_records(api, customer, "atsCandidates", {"c": (key, candidate())}))
    return key


def read(api, customer, key: dict) -> dict:
    """BATCH_GET of one candidate, checked against the reply schema."""
    return expect(api.get("/v2/atsCandidates?" + ids_query(key), headers=customer), 200, CANDIDATES)


@pytest.mark.case(PM + "Sync Candidates", "inferred")
def test_sync_candidate(synced):
    """The fixture sends Postman's request and expects 200 with 204 for the key."""


@pytest.mark.case(PM + "Sync Candidates - Retrieve Candidate Matches", "inferred")
def test_retrieve_candidate_matches(api, customer, synced):
    body = read(api, customer, synced)
    assert body["errors"] == {} and len(body["results"]) == 1


@pytest.mark.case(PM + "Sync Candidates - Retrieve Candidate Matches (a fixture member's email)", "inferred")
@pytest.mark.emulator_only("the match depends on the emulator's fixture members")
def test_candidate_matches_member_by_email(api, customer, synced):
    result, = read(api, customer, synced)["results"].values()
    assert "urn:li:person:demo-candidate" in result["matchedMembers"]


@pytest.mark.case(PM + "One Click Export - Attach Person URN", "inferred")
def test_attach_person_urn(api, customer, synced, person):
    body = {"entities": {key_text(synced): {"patch": {"$set": {"manualMatchedMember": person}}}}}
    expect_all(api.post("/v2/atsCandidates?" + ids_query(synced), json=body,
                        headers={**customer, "Content-Type": "application/json",
                                 "x-restli-method": "batch_partial_update"}))
    result, = read(api, customer, synced)["results"].values()
    assert result["manualMatchedMember"] == person


@pytest.mark.case(PM + "Sync Candidates (invalid fields)", "inferred")
@pytest.mark.parametrize("fields, field", [
    ({"atsCreatedAt": 0}, "atsCreatedAt"),                                   # must be > 0
    ({"atsCreatedAt": 1702693664000, "atsLastModifiedAt": 1702693600000}, "atsLastModifiedAt"),
    ({"emailAddresses": ["not-an-email"]}, "emailAddresses"),
])
def test_invalid_candidate_is_a_per_entity_422(api, customer, org, run_id, cleanup, fields, field):
    """Rules from the sync-candidates page and release notes; the 422 entry naming the field is inferred."""
    key = candidate_key(org, f"CT-{run_id}-INVALID-{field}")
    cleanup("/v2/atsCandidates?" + ids_query(key), customer)
    error = only_error(expect(put_records(api, customer, "atsCandidates", {"c": (key, candidate(**fields))}),
                              200, BATCH_STATUS))
    assert error["status"] == 422 and f"/{field}" in error["message"]


@pytest.mark.case("Postman › Module 2 › Sync Candidate Notes › Sync Candidate Notes", "inferred")
def test_sync_candidate_note(api, customer, synced):
    notes = f"/v2/atsCandidates/{key_text(synced)}/notes"
    expect_all(put_children(api, customer, notes, {"CT_NOTE_0001": note("This is a candidate note.")}))


@pytest.mark.case(DELETE + "Sync Candidate Notes - Delete Note", "inferred")
def test_delete_candidate_note(api, customer, synced):
    notes = f"/v2/atsCandidates/{key_text(synced)}/notes"
    expect_all(put_children(api, customer, notes, {"CT_NOTE_0001": note("To be deleted.")}))
    expect_all(api.delete(f"{notes}?ids=CT_NOTE_0001", headers=customer))


@pytest.mark.case(DELETE + "Sync Candidates - Delete", "inferred")
def test_delete_candidate(api, customer, synced):
    expect_all(api.delete("/v2/atsCandidates?" + ids_query(synced), headers=customer))
    assert only_error(read(api, customer, synced))["status"] == 404


@pytest.mark.case(PM + "Sync Candidates (101 candidates in one call)", "inferred")
def test_more_than_100_candidates_is_400(api, customer, org, run_id):
    """sync-candidates page: at most 100 records per batch call; the 400 is the emulator's decision. 101 keys do
    not fit LinkedIn's 4 KB query (414, query-tunneling page), so the call travels tunnelled."""
    records = {str(n): (candidate_key(org, f"CT-{run_id}-MANY-{n}"), candidate()) for n in range(101)}
    expect(put_records(api, customer, "atsCandidates", records, tunnel=True), 400, ERROR)


@pytest.mark.case(PM + "Sync Candidates (body key not among the ids)", "inferred")
def test_body_key_not_in_ids_is_400(api, customer, org, run_id):
    key, other = candidate_key(org, f"CT-{run_id}-URL"), candidate_key(org, f"CT-{run_id}-BODY")
    reply = api.put("/v2/atsCandidates?" + ids_query(key), json={"entities": {key_text(other): candidate()}},
                    headers={**customer, **BATCH_UPDATE})
    expect(reply, 400, ERROR)
