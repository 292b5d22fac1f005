"""atsApplications and its notes, interviewFeedback and stages (customer token): sync-and-retrieve.md §3 and §5;
Postman "Module 2 › Sync Job Applications / … Notes / … Interview Feedback / … Stages" and "Module 5 - Delete
Synced Data".

Every application a case syncs is deleted after it.
"""

from __future__ import annotations

import uuid

import pytest

from contract_tests.contract import (
    BATCH_STATUS,
    ERROR,
    expect,
    expect_all,
    ids_query,
    key_text,
    only_error,
)
from contract_tests.sync import (
    BATCH_UPDATE,
    application,
    application_key,
    note,
    now_ms,
    put_children,
    put_records,
)

PM = "Postman › Module 2 › "
DELETE = "Postman › Module 5 - Delete Synced Data › "
FEEDBACK = {"atsCreatedAt": 0, "evaluations": [{"attribute": "Verbal Communication", "result": "4/5"}],
            "feedback": "Great interview!", "interviewer": {"firstName": "Rita", "lastName": "Book"}}


@pytest.fixture
def synced(api, customer, org, run_id, cleanup):
    """An application synced with Postman's body (deleted after the case): its key."""
    key = application_key(org, f"CT-{run_id}-{uuid.uuid4().hex[:8]}")
    cleanup("/v2/atsApplications?" + ids_query(key), customer)
    entity = application(f"CT-{run_id}-CANDIDATE", f"CT-{run_id}-JOB")
    expect_all(put_records(api, customer, "atsApplications", {"a": (key, entity)}))
    return key


def sub(synced: dict, name: str) -> str:
    """The path of an application's sub-resource (parent key in protocol 1.0, as Postman writes it)."""
    return f"/v2/atsApplications/{key_text(synced)}/{name}"


def stages(*names: str) -> dict:
    """Stage entities ``STAGE001``… as Postman's "Sync Application Stages" sends them."""
    return {f"STAGE{n:03d}": {"atsCreatedAt": now_ms(), "stage": name} for n, name in enumerate(names, 1)}


@pytest.mark.case(PM + "Sync Job Applications › Sync Job Applications", "inferred")
def test_sync_application(synced):
    """The fixture sends Postman's request and expects 200 with 204 for the key."""


@pytest.mark.case(PM + "Sync  Job Application Notes › Sync Job Application Notes", "inferred")
def test_sync_application_note(api, customer, synced):
    expect_all(put_children(api, customer, sub(synced, "notes"),
                            {"APPL_NOTE_0001": note("Great resume, we should review.")}))


@pytest.mark.case(PM + "Sync Application Interview Feedback (sent without x-restli-method)", "inferred")
def test_sync_interview_feedback(api, customer, synced):
    feedback = {**FEEDBACK, "atsCreatedAt": now_ms()}
    expect_all(put_children(api, customer, sub(synced, "interviewFeedback"), {"APPL_INTERVIEW_0001": feedback},
                            method_header=False))


@pytest.mark.case(PM + "Sync Job Application Stages › Sync Application Stages", "inferred")
def test_sync_stages(api, customer, synced):
    reply = put_children(api, customer, sub(synced, "stages"), stages("New", "Phone Interview", "TPS"))
    assert len(expect_all(reply)["results"]) == 3


@pytest.mark.case(PM + 'Sync Application Stages (stage "Not Available")', "inferred")
def test_stage_not_available_is_a_per_entity_422(api, customer, synced):
    """sync-application-stages page: a stage must not be "Not Available"; the 422 entry is inferred."""
    reply = put_children(api, customer, sub(synced, "stages"), stages("Not Available"))
    error = only_error(expect(reply, 200, BATCH_STATUS))
    assert error["status"] == 422 and "/stage" in error["message"]


@pytest.mark.case(PM + "Sync Job Applications (missing atsCreatedAt)", "inferred")
def test_application_without_created_at_is_a_per_entity_422(api, customer, org, run_id, cleanup):
    key = application_key(org, f"CT-{run_id}-NO-CREATED")
    cleanup("/v2/atsApplications?" + ids_query(key), customer)
    entity = application("C", "J")
    del entity["atsCreatedAt"]
    error = only_error(expect(put_records(api, customer, "atsApplications", {"a": (key, entity)}), 200, BATCH_STATUS))
    assert error["status"] == 422 and "/atsCreatedAt" in error["message"]


@pytest.mark.case(DELETE + "Sync Job Application Notes - Delete, Sync Application Interview Feedback - Delete,"
                           " Sync Application Stages - Delete", "inferred")
def test_delete_notes_feedback_and_stages(api, customer, synced):
    expect_all(put_children(api, customer, sub(synced, "notes"), {"APPL_NOTE_0001": note("x")}))
    expect_all(put_children(api, customer, sub(synced, "interviewFeedback"),
                            {"APPL_INTERVIEW_0001": {**FEEDBACK, "atsCreatedAt": now_ms()}}))
    expect_all(put_children(api, customer, sub(synced, "stages"), stages("New", "Phone Interview", "TPS")))
    expect_all(api.delete(sub(synced, "notes") + "?ids=APPL_NOTE_0001", headers=customer))
    expect_all(api.delete(sub(synced, "interviewFeedback") + "?ids=APPL_INTERVIEW_0001", headers=customer))
    reply = api.delete(sub(synced, "stages") + "?ids=STAGE001&ids=STAGE002&ids=STAGE003", headers=customer)
    assert len(expect_all(reply)["results"]) == 3


@pytest.mark.case(DELETE + "Sync Job Applications - Delete", "inferred")
def test_delete_application(api, customer, synced):
    expect_all(api.delete("/v2/atsApplications?" + ids_query(synced), headers=customer))


@pytest.mark.case("sync-applications page (versioned): PUT /rest/atsApplications, key without dataProvider",
                  "inferred")
def test_versioned_application_key_without_data_provider(api, customer, org, run_id, target, cleanup):
    key = {"atsJobApplicationId": f"CT-{run_id}-REST", "integrationContext": org}
    headers = {**customer, "LinkedIn-Version": target.linkedin_version}
    cleanup("/v2/atsApplications?" + ids_query(application_key(org, key["atsJobApplicationId"])), customer)
    reply = api.put("/rest/atsApplications?" + ids_query(key),
                    json={"entities": {key_text(key): application("C", "J")}}, headers={**headers, **BATCH_UPDATE})
    expect_all(reply)


@pytest.mark.case("sync-applications page (versioned): /rest without the LinkedIn-Version header", "inferred")
def test_versioned_call_without_version_header_is_400(api, customer, org, run_id):
    key = {"atsJobApplicationId": f"CT-{run_id}-NO-VERSION", "integrationContext": org}
    reply = api.put("/rest/atsApplications?" + ids_query(key),
                    json={"entities": {key_text(key): application("C", "J")}}, headers={**customer, **BATCH_UPDATE})
    expect(reply, 400, ERROR)
