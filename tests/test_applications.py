"""atsApplications and its notes, interviewFeedback and stages through the real server: LinkedIn's Postman
requests (modules 2 and 5), full-replace updates, per-entity validation, cascading deletes, the /rest key."""

from __future__ import annotations

import time

from tests.conftest import DEMO_ORG
from tests.test_candidates import BATCH_UPDATE, candidate, ids, other_customer, statuses
from tests.test_candidates import key as candidate_key
from tests.test_candidates import put as put_candidates

APPLICATION_ID = "TEST_APPLICATION_ID_0001"
VERSION = {"LinkedIn-Version": "202604"}
REQUIRED = "field is required but not found and has no default value"


def key(application_id: str = APPLICATION_ID, context: str = DEMO_ORG) -> str:
    return f"atsJobApplicationId={application_id}&dataProvider=ATS&integrationContext={context}"


def rest_key(application_id: str = APPLICATION_ID, context: str = DEMO_ORG) -> str:
    return f"atsJobApplicationId={application_id}&integrationContext={context}"


def stamp() -> int:
    return int(time.time()) * 1000


def application(**fields) -> dict:
    """The Postman collection's "Sync Job Applications" entity."""
    entity = {"atsCandidateId": "TEST_CANDIDATE_ID_0001", "atsCreatedAt": stamp(), "atsLastModifiedAt": stamp(),
              "atsJobPostingId": "TEST_EXTERNAL_JOB_ID_0002", "atsJobPostingName": "Senior Software Engineer",
              "candidateEmail": "johndoe999986@outlook.com", "firstName": "John", "lastName": "Doe",
              "source": "Referral", "dispositionReason": ""}
    entity.update(fields)
    return {name: value for name, value in entity.items() if value is not None}


def put(http, headers, entities: dict, base="v2", extra=None):
    return http.put(f"/{base}/atsApplications?{ids(*entities)}",
                    headers={**headers, **BATCH_UPDATE, **(extra or {})}, json={"entities": entities})


def get(http, headers, *keys, base="v2", extra=None):
    return http.get(f"/{base}/atsApplications?{ids(*keys)}", headers={**headers, **(extra or {})})


def sub(name: str, ids_query: str, application_key: str = None, base="v2") -> str:
    return f"/{base}/atsApplications/{application_key or key()}/{name}?{ids_query}"


NOTE = {"note": "Great resume, we should review.", "author": {"firstName": "Rita", "lastName": "Book"}}
FEEDBACK = {"evaluations": [{"attribute": "Verbal Communication", "result": "4/5"}], "feedback": "Great interview!",
            "interviewer": {"firstName": "Rita", "lastName": "Book"}}
STAGES = {"STAGE001": "New", "STAGE002": "Phone Interview", "STAGE003": "TPS"}
STAGE_IDS = "ids=STAGE001&ids=STAGE002&ids=STAGE003"


def sync_children(http, headers, application_key=None):
    """The Postman collection's note, interview feedback (no X-RestLi-Method) and stages requests."""
    note = http.put(sub("notes", "ids=APPL_NOTE_0001", application_key), headers={**headers, **BATCH_UPDATE},
                    json={"entities": {"APPL_NOTE_0001": {"atsCreatedAt": stamp(), **NOTE}}})
    assert statuses(note) == {"APPL_NOTE_0001": 204}
    feedback = http.put(sub("interviewFeedback", "ids=APPL_INTERVIEW_0001", application_key),
                        headers={**headers, "Content-Type": "application/json"},
                        json={"entities": {"APPL_INTERVIEW_0001": {"atsCreatedAt": stamp(), **FEEDBACK}}})
    assert statuses(feedback) == {"APPL_INTERVIEW_0001": 204}
    stages = http.put(sub("stages", STAGE_IDS, application_key), headers={**headers, **BATCH_UPDATE},
                      json={"entities": {i: {"atsCreatedAt": stamp(), "stage": s} for i, s in STAGES.items()}})
    assert statuses(stages) == {i: 204 for i in STAGES}


def test_postman_module2_and_module5_application_requests(http, customer):
    assert statuses(put(http, customer, {key(): application()})) == {key(): 204}
    sync_children(http, customer)
    found = get(http, customer, key()).json()["results"][key()]
    assert found == application(atsCreatedAt=found["atsCreatedAt"], atsLastModifiedAt=found["atsLastModifiedAt"])
    stages = http.get(sub("stages", STAGE_IDS), headers=customer).json()["results"]
    assert {i: s["stage"] for i, s in stages.items()} == STAGES
    # Module 5, in the collection's order: the application first, then its notes, feedback and stages
    assert statuses(http.delete(f"/v2/atsApplications?{ids(key())}", headers=customer)) == {key(): 204}
    assert statuses(http.delete(sub("notes", "ids=APPL_NOTE_0001"), headers=customer)) == {"APPL_NOTE_0001": 404}
    assert statuses(http.delete(sub("interviewFeedback", "ids=APPL_INTERVIEW_0001"), headers=customer)) == {
        "APPL_INTERVIEW_0001": 404}
    assert statuses(http.delete(sub("stages", STAGE_IDS), headers=customer)) == {i: 404 for i in STAGES}


def test_deleting_sub_records_one_by_one(http, customer):
    put(http, customer, {key(): application()})
    sync_children(http, customer)
    assert statuses(http.delete(sub("notes", "ids=APPL_NOTE_0001"), headers=customer)) == {"APPL_NOTE_0001": 204}
    assert statuses(http.delete(sub("interviewFeedback", "ids=APPL_INTERVIEW_0001"), headers=customer)) == {
        "APPL_INTERVIEW_0001": 204}
    assert statuses(http.delete(sub("stages", "ids=STAGE002"), headers=customer)) == {"STAGE002": 204}
    left = http.get(sub("stages", STAGE_IDS), headers=customer).json()
    assert sorted(left["results"]) == ["STAGE001", "STAGE003"] and left["errors"]["STAGE002"]["status"] == 404
    assert statuses(http.delete(f"/v2/atsApplications?{ids(key())}", headers=customer)) == {key(): 204}
    put(http, customer, {key(): application()})  # the same key again starts with no stages
    assert http.get(sub("stages", STAGE_IDS), headers=customer).json()["results"] == {}


def test_update_replaces_the_whole_application(http, customer):
    put(http, customer, {key(): application(source="Referral", accessRestricted=True)})
    put(http, customer, {key(): application(source=None, dispositionReason=None, firstName="Johnny")})
    found = get(http, customer, key()).json()["results"][key()]
    assert found["firstName"] == "Johnny"
    assert "source" not in found and "dispositionReason" not in found and "accessRestricted" not in found


def test_per_entity_validation(http, customer):
    entities = {
        key("A1"): application(atsCreatedAt=0),
        key("A2"): application(atsCreatedAt=1_700_000_000_000, atsLastModifiedAt=1_600_000_000_000),
        key("A3"): application(candidateEmail="johndoe.example.com"),
        key("A4"): application(atsJobPostingId=""),
        key("A5"): application(firstName=None),
        key("A6"): application(atsJobPostingName=7),
        key("A7"): application(),
        key("A8", context="urn:li:organization:5"): application(),
    }
    reply = put(http, customer, entities)
    assert statuses(reply) == {**{k: 422 for k in entities}, key("A7"): 204, key("A8", "urn:li:organization:5"): 403}
    errors = reply.json()["errors"]
    assert errors[key("A1")]["message"].startswith("ERROR :: /atsCreatedAt :: ")
    assert errors[key("A2")]["message"].startswith("ERROR :: /atsLastModifiedAt :: ")
    assert errors[key("A3")]["message"].startswith("ERROR :: /candidateEmail :: ")
    assert errors[key("A4")]["message"] == "ERROR :: /atsJobPostingId :: must not be empty"
    assert errors[key("A5")]["message"] == f"ERROR :: /firstName :: {REQUIRED}"
    assert errors[key("A6")]["message"] == "ERROR :: /atsJobPostingName :: 7 cannot be coerced to String"
    assert get(http, customer, key("A1")).json()["errors"][key("A1")]["status"] == 404


def test_stage_and_feedback_rules(http, customer):
    put(http, customer, {key(): application()})
    reply = http.put(sub("stages", "ids=S1&ids=S2&ids=S3&ids=S4&ids=S5"), headers={**customer, **BATCH_UPDATE},
                     json={"entities": {"S1": {"atsCreatedAt": stamp(), "stage": "Not Available"},
                                        "S2": {"atsCreatedAt": stamp(), "stage": ""},
                                        "S3": {"atsCreatedAt": 0, "stage": "Hired"},
                                        "S4": {"stage": "Hired"},
                                        "S5": {"atsCreatedAt": stamp(), "stage": "Offer Extended"}}})
    assert statuses(reply) == {"S1": 422, "S2": 422, "S3": 422, "S4": 422, "S5": 204}
    errors = reply.json()["errors"]
    assert errors["S1"]["message"].startswith('ERROR :: /stage :: must not be "Not Available"')
    assert errors["S4"]["message"] == f"ERROR :: /atsCreatedAt :: {REQUIRED}"
    feedback = http.put(sub("interviewFeedback", "ids=F1&ids=F2"), headers=customer, json={"entities": {
        "F1": {**FEEDBACK, "interviewType": "PHONE_SCREEN"}, "F2": {**FEEDBACK, "interviewType": "LUNCH"}}})
    assert statuses(feedback) == {"F1": 204, "F2": 422}
    assert feedback.json()["errors"]["F2"]["message"] == 'ERROR :: /interviewType :: "LUNCH" is not an enum symbol'
    unknown = http.put(sub("notes", "ids=N1"), headers={**customer, **BATCH_UPDATE},
                       json={"entities": {"N1": {**NOTE, "mood": "happy"}}})
    assert statuses(unknown) == {"N1": 422}


def test_sub_resources_need_the_callers_existing_application(http, customer, partner):
    body = {"entities": {"N1": NOTE}}
    assert http.put(sub("notes", "ids=N1"), headers={**customer, **BATCH_UPDATE}, json=body).status_code == 404
    put(http, customer, {key(): application()})
    other = other_customer(http, partner)
    assert http.put(sub("stages", "ids=S1"), headers={**other, **BATCH_UPDATE},
                    json={"entities": {"S1": {"atsCreatedAt": 1, "stage": "New"}}}).status_code == 403
    assert http.delete(sub("notes", "ids=N1"), headers=other).status_code == 403
    assert get(http, other, key()).json()["errors"][key()]["status"] == 403


def test_rest_key_has_no_data_provider_and_shares_the_records(http, customer):
    assert put(http, customer, {rest_key(): application()}, base="rest").status_code == 400  # no version
    assert statuses(put(http, customer, {rest_key(): application(source="Website")}, base="rest",
                        extra=VERSION)) == {rest_key(): 204}
    assert get(http, customer, key()).json()["results"][key()]["source"] == "Website"
    assert put(http, customer, {key(): application()}, base="rest", extra=VERSION).status_code == 400
    sync_children(http, customer)
    assert http.get(sub("stages", STAGE_IDS, rest_key(), base="rest"), headers={**customer, **VERSION}
                    ).status_code == 404  # the versioned stages are rest/applicationStage
    deleted = http.delete(f"/rest/atsApplications?{ids(rest_key())}", headers={**customer, **VERSION})
    assert statuses(deleted) == {rest_key(): 204}
    assert get(http, customer, key()).json()["errors"][key()]["status"] == 404


def test_deleting_a_candidate_keeps_its_applications(http, customer):
    put_candidates(http, customer, {candidate_key(): candidate()})
    put(http, customer, {key(): application()})
    assert statuses(http.delete(f"/v2/atsCandidates?{ids(candidate_key())}", headers=customer)) == {
        candidate_key(): 204}
    assert key() in get(http, customer, key()).json()["results"]


def test_sync_resources_are_charged_to_their_daily_quota(http, customer, server):
    server.emulator.quotas.set_limit("atsApplications/stages", 1)
    stage = {"entities": {"S1": {"atsCreatedAt": stamp(), "stage": "New"}}}
    put(http, customer, {key(): application()})
    assert http.put(sub("stages", "ids=S1"), headers={**customer, **BATCH_UPDATE}, json=stage).status_code == 200
    over = http.put(sub("stages", "ids=S1"), headers={**customer, **BATCH_UPDATE}, json=stage)
    assert over.status_code == 429 and "Retry-After" in over.headers
    assert put(http, customer, {key(): application()}).status_code == 200  # another resource, another quota
