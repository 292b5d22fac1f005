"""rest/atsApplications and the top-level rest/applicationNotes, rest/applicationStage,
rest/applicationInterviewFeedbacks (customer token).

* rest/atsApplications keeps its name and atsJobApplicationId, without dataProvider (sync-applications, pt-br
  versioned copy);
* rest/applicationNotes (externalJobApplicationId, integrationContext, externalNoteId), rest/applicationStage
  (jobApplicationId, integrationContext, jobApplicationStageId), rest/applicationInterviewFeedbacks
  (jobApplicationId, integrationContext, interviewFeedbackId): withone.ai's copies of LinkedIn's pages; the
  feedback resource's name and 1,000,000/day limit are on sync-application-interview-feedback (en-us).
"""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, batch_get, expect, expect_all
from contract_tests.sync import application, now_ms
from contract_tests.versioned import WITHONE, delete, get, headers, key, put, rest_application

synced = rest_application

APPLICATIONS = batch_get("atsApplication.json")
CHILDREN = {  # versioned resource → (key parts, entity, reply schema, source)
    "applicationNotes": (("externalJobApplicationId", "externalNoteId"),
                         {"externalCreatedAt": 1484864187000, "note": "Great resume.",
                          "author": {"firstName": "Rita", "lastName": "Book"}}, "applicationNote.json",
                         WITHONE + "Sync Application Notes (PUT rest/applicationNotes)"),
    "applicationStage": (("jobApplicationId", "jobApplicationStageId"),
                         {"atsCreatedAt": 1484864187000, "stage": "Offer Extended"}, "applicationStage.json",
                         WITHONE + "Sync Application Stages (PUT rest/applicationStage)"),
    "applicationInterviewFeedbacks": (("jobApplicationId", "interviewFeedbackId"),
                                      {"atsCreatedAt": 1484864187000, "feedback": "Great interview!",
                                       "interviewType": "ONSITE",
                                       "evaluations": [{"attribute": "Verbal Communication", "result": "4/5"}],
                                       "interviewer": {"firstName": "Rita", "lastName": "Book"}},
                                      "applicationInterviewFeedback.json",
                                      WITHONE + "Sync Application Interview Feedbacks (PUT"
                                                " rest/applicationInterviewFeedbacks)"),
}


@pytest.mark.case("sync-applications (versioned copy) — PUT rest/atsApplications, read back", "inferred")
def test_versioned_application(api, synced):
    _, application_key, call = synced
    body = expect(get(api, "atsApplications", [application_key], call), 200, APPLICATIONS)
    assert list(body["results"]) == [application_key]


@pytest.mark.case("sync-applications (versioned copy) — key with dataProvider", "inferred")
def test_versioned_application_key_with_data_provider_is_400(api, customer, org, run_id, target):
    application_key = key(atsJobApplicationId=f"CT-{run_id}-DP", integrationContext=org, dataProvider="ATS")
    expect(put(api, "atsApplications", {application_key: application("C", "J")}, headers(customer, target)), 400,
           ERROR)


@pytest.mark.case(WITHONE + "Sync Application Notes / Stages / Interview Feedbacks (versioned top-level resources)",
                  "inferred")
@pytest.mark.parametrize("resource", sorted(CHILDREN))
def test_sync_read_and_delete_each_child(api, synced, org, resource):
    parts, entity, schema, _ = CHILDREN[resource]
    application_id, _, call = synced
    child_key = key(**{parts[0]: application_id, parts[1]: "CT_CHILD_0001", "integrationContext": org})
    expect_all(put(api, resource, {child_key: entity}, call))
    assert expect(get(api, resource, [child_key], call), 200, batch_get(schema))["results"][child_key] == entity
    expect_all(delete(api, resource, [child_key], call))


@pytest.mark.case(WITHONE + "Sync Application Stages — stage 'Not Available'", "inferred")
def test_stage_rules_carry_over(api, synced, org):
    application_id, _, call = synced
    stage_key = key(jobApplicationId=application_id, integrationContext=org, jobApplicationStageId="S1")
    body = expect(put(api, "applicationStage", {stage_key: {"atsCreatedAt": now_ms(), "stage": "Not Available"}},
                      call), 200)
    assert body["errors"][stage_key]["status"] == 422
