"""Recruiter actions and views under /_mock/recruiter through the real server: One-Click Export (rules, errors,
the 300-per-seat monthly cap on the emulator's clock), the export job list and the In-ATS indicator filtered by
ACLs and viewer configurations, InMail, replies with stub profiles, prospect notes."""

from __future__ import annotations

import datetime
import re

import pytest

from mock_server.schemas import validation
from tests.conftest import DEMO_CONTRACT, DEMO_ORG
from tests.recruiting import (
    acl,
    attach_person,
    configure,
    enable,
    export,
    export_jobs,
    provision_customer,
    sync_application,
    sync_candidate,
    sync_job,
)

JANE = "urn:li:person:jane-doe"
RECRUITER, SOURCER = "urn:li:person:demo-recruiter", "urn:li:person:demo-sourcer"


def message(reply, status: int) -> str:
    """The error message of a reply that must have ``status``."""
    assert reply.status_code == status, reply.text
    assert reply.headers["X-RestLi-Error-Response"] == "true"
    return reply.json()["message"]


def retrieve(http, headers, resource: str, **params) -> list[dict]:
    """The elements of a retrieve finder (asserting 200)."""
    reply = http.get(f"/v2/{resource}", params=params, headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()["elements"]


@pytest.fixture
def secured(http, customer):
    """OPEN (not restricted), SECRET (restricted, ACL group G with demo-sourcer) and OLD (closed) jobs."""
    sync_job(http, customer, "OPEN")
    sync_job(http, customer, "SECRET", accessRestricted=True)
    sync_job(http, customer, "OLD")
    sync_job(http, customer, "OLD", state="CLOSED")
    acl(http, customer, "G", "SECRET", person=SOURCER)
    acl(http, customer, "OTHER", "OPEN", person=RECRUITER)  # RECRUITER's group is bound to another job only
    return customer


# ---- One-Click Export ------------------------------------------------------------------------------------

def test_export_creates_a_record_and_a_notification(http, customer):
    sync_job(http, customer, "JOB-1")
    reply = export(http, "urn:li:seat:3000", JANE, "JOB-1")
    assert reply.status_code == 201, reply.text
    record, notification = reply.json()["export"], reply.json()["notification"]
    assert record["seat"] == "urn:li:seat:3000" and record["exporter"] == RECRUITER
    assert record["integrationContext"] == DEMO_ORG and record["jobPosting"].startswith("urn:li:jobPosting:")
    assert record["candidate"] == {"person": JANE, "firstName": "Jane", "lastName": "Doe",
                                   "emailAddress": "jane.doe@example.com", "headline": "Senior Software Engineer",
                                   "location": "San Francisco, California",
                                   "profileUrl": "https://www.linkedin.com/in/jane-doe-demo"}
    assert notification["type"] == "EXPORT_CANDIDATE_PROFILE" and notification["exports"] == [record["id"]]
    assert notification["integrationContext"] == DEMO_ORG
    [element] = retrieve(http, customer, "exportedCandidates", q="request", requestId=notification["id"])
    assert validation.errors("exportedCandidate", element) == []
    assert element["externalJobPostingId"] == "JOB-1" and element["candidate"]["person"] == JANE
    rest = http.get("/rest/exportedCandidates", params={"q": "request", "requestId": notification["id"]},
                    headers={**customer, "LinkedIn-Version": "202604"})
    assert rest.json()["elements"] == [element]


@pytest.mark.parametrize("body, status, where", [
    ({"seat": "urn:li:seat:999", "member": JANE, "externalJobPostingId": "JOB-1"}, 404, "/seat"),
    ({"seat": "seat-1", "member": JANE, "externalJobPostingId": "JOB-1"}, 400, "/seat"),
    ({"seat": True, "member": JANE, "externalJobPostingId": "JOB-1"}, 400, "/seat"),
    ({"seat": 3003, "member": JANE, "externalJobPostingId": "JOB-1"}, 403, "/seat"),
    ({"seat": 3000, "member": "urn:li:person:nobody", "externalJobPostingId": "JOB-1"}, 404, "/member"),
    ({"seat": 3000, "member": "jane-doe", "externalJobPostingId": "JOB-1"}, 400, "/member"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "NOPE"}, 404, "/externalJobPostingId"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": ""}, 400, "/externalJobPostingId"),
    ({"seat": 3000, "member": JANE}, 400, "/externalJobPostingId"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "JOB-1", "job": "x"}, 400, "/job"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "JOB-1", "integrationContext": "urn:li:organization:1"},
     404, "/integrationContext"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "JOB-1", "integrationContext": "urn:li:organization:abc"},
     400, "/integrationContext"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "JOB-1", "integrationContext": DEMO_CONTRACT},
     400, "/integrationContext"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "JOB-1", "integrationContext": "foo"},
     400, "/integrationContext"),
    ({"seat": 3000, "member": JANE, "externalJobPostingId": "JOB-1", "integrationContext": 1000},
     400, "/integrationContext"),
])
def test_export_errors_name_the_field(http, customer, body, status, where):
    sync_job(http, customer, "JOB-1")
    assert message(http.post("/_mock/recruiter/exports", json=body), status).startswith(f"ERROR :: {where} ::")
    assert http.get("/_mock/notifications").json()["count"] == 0


@pytest.mark.parametrize("body, status, where", [
    ({"integrationContext": "foo", "integrationType": "PROFILE_PLUGIN"}, 400, "/integrationContext"),
    ({"integrationContext": "urn:li:organization:x1", "integrationType": "PROFILE_PLUGIN"}, 400, "/integrationContext"),
    ({"integrationContext": "urn:li:person:jane-doe", "integrationType": "PROFILE_PLUGIN"}, 400, "/integrationContext"),
    ({"integrationContext": "urn:li:organization:999999", "integrationType": "PROFILE_PLUGIN"}, 404,
     "/integrationContext"),
    ({"integrationContext": DEMO_ORG, "integrationType": "CSA_API"}, 404, "/integrationType"),
    ({"integrationContext": DEMO_ORG, "integrationTypes": ["PROFILE_PLUGIN", "CSA_API"]}, 404, "/integrationTypes/1"),
    ({"integrationContext": DEMO_ORG, "integrationTypes": ["PROFILE_PLUGIN", "PROFILE_PLUGIN", "CSA_API"]}, 404,
     "/integrationTypes/2"),
    ({"integrationContext": DEMO_ORG, "integrationTypes": ["PROFILE_PLUGIN", "NOPE"]}, 400, "/integrationTypes/1"),
])
def test_integration_status_errors_name_the_field(http, body, status, where):
    reply = http.post("/_mock/recruiter/integrations", json={**body, "enabled": False})
    assert message(reply, status).startswith(f"ERROR :: {where} ::")
    assert http.get("/_mock/notifications").json()["count"] == 0


def test_export_needs_a_listed_job_and_an_enabled_integration(http, secured):
    assert "CLOSED" in message(export(http, 3000, JANE, "OLD"), 409)
    assert "ACL" in message(export(http, 3000, JANE, "SECRET"), 403)
    assert export(http, 3001, JANE, "SECRET").status_code == 201
    assert enable(http, DEMO_ORG, ["ONE_CLICK_EXPORT"], False).status_code == 200
    assert "not enabled" in message(export(http, 3000, JANE, "OPEN"), 403)
    for bad in (b"", b"[]", b"{"):
        assert http.post("/_mock/recruiter/exports", content=bad).status_code == 400


def test_a_seat_exports_only_to_its_customers_jobs(http, partner, customer):
    globex = provision_customer(http, partner, "globex-jobs")
    sync_job(http, globex["headers"], "GLOBEX-1", context=globex["org"])
    assert message(export(http, 3000, JANE, "GLOBEX-1", integrationContext=globex["org"]), 403)
    assert export(http, 3000, JANE, "GLOBEX-1").status_code == 404
    assert "GLOBEX-1" not in export_jobs(http, 3000)


def test_three_hundred_exports_per_seat_per_calendar_month(http, customer):
    sync_job(http, customer, "JOB-CAP")
    end_of_march = int(datetime.datetime(2031, 3, 31, 23, 0, tzinfo=datetime.timezone.utc).timestamp() * 1000)
    http.post("/_mock/clock", json={"set": end_of_march}).raise_for_status()
    http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
    for _ in range(300):
        assert export(http, 3000, JANE, "JOB-CAP").status_code == 201
    over = export(http, 3000, JANE, "JOB-CAP")
    assert "300" in message(over, 429) and over.headers["Retry-After"] == "3600"
    assert export(http, 3001, JANE, "JOB-CAP").status_code == 201  # the cap is per seat
    http.post("/_mock/clock", json={"advance": 3600}).raise_for_status()  # April 1st, 00:00 UTC
    assert export(http, 3000, JANE, "JOB-CAP").status_code == 201


# ---- what a recruiter sees ------------------------------------------------------------------------------

def test_export_job_list_follows_acls_and_the_viewer_configuration(http, secured):
    assert export_jobs(http, 3000) == ["OPEN"]
    assert export_jobs(http, "urn:li:seat:3001") == ["OPEN", "SECRET"]
    listed = http.get("/_mock/recruiter/seats/3001/export-jobs").json()
    assert listed["holder"] == SOURCER and listed["application"] == "urn:li:developerApplication:11"
    assert listed["jobs"][1]["accessRestricted"] is True and listed["count"] == 2
    ok = configure(http, secured, DEMO_ORG, "JOB_POSTING_VIEWERS", "ALL_PRODUCT_USERS")
    assert ok.json()["results"]["JOB_POSTING_VIEWERS"]["status"] == 204
    assert export_jobs(http, 3000) == ["OPEN", "SECRET"]
    assert message(http.get("/_mock/recruiter/seats/999/export-jobs"), 404).startswith("ERROR :: /seat ::")
    assert http.get("/_mock/recruiter/seats/abc/export-jobs").status_code == 400


def test_removing_an_assignee_hides_the_job_again(http, secured):
    assignee = (f"ids[0].atsEntityAclId=G&ids[0].dataProvider=ATS&ids[0].integrationContext={DEMO_ORG}"
                f"&ids[0].atsEntityType=JOB_POSTING&ids[0].assignee={SOURCER}")
    assert http.delete(f"/v2/atsEntityAclAssignees?{assignee}", headers=secured).status_code == 200
    assert export_jobs(http, 3001) == ["OPEN"]
    acl(http, secured, "G", "SECRET", person=SOURCER)
    assert export_jobs(http, 3001) == ["OPEN", "SECRET"]


def indicator(http, seat, member=JANE) -> dict:
    reply = http.get("/_mock/recruiter/indicator", params={"seat": seat, "member": member})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_indicator_shows_matched_candidates_with_visible_applications(http, secured):
    sync_candidate(http, secured, "C-JANE", emailAddresses=["Jane.Doe@example.com"])
    sync_candidate(http, secured, "C-OTHER", emailAddresses=["someone@example.com"])
    sync_candidate(http, secured, "C-LINKED", emailAddresses=["elsewhere@example.com"])
    attach_person(http, secured, "C-LINKED", "urn:li:person:demo-candidate")  # matched by hand only
    sync_application(http, secured, "A-OPEN", "C-JANE", "OPEN", stages=["Phone Screen", "Onsite"])
    sync_application(http, secured, "A-SECRET", "C-JANE", "SECRET")
    note_key = f"atsCandidateId=C-JANE&dataProvider=ATS&integrationContext={DEMO_ORG}"
    http.put(f"/v2/atsCandidates/{note_key}/notes?ids=N1", headers={**secured, "X-RestLi-Method": "batch_update"},
             json={"entities": {"N1": {"note": "Strong", "atsCreatedAt": 1}}}).raise_for_status()

    seen = indicator(http, 3000)
    assert seen["member"] == JANE and seen["disabledIn"] == []
    [candidate] = seen["candidates"]  # C-OTHER and C-LINKED are not Jane
    assert candidate["atsCandidateId"] == "C-JANE" and candidate["matchedMembers"] == [JANE]
    assert [note["note"] for note in candidate["notes"]] == ["Strong"]
    [application] = candidate["applications"]
    assert application["atsJobApplicationId"] == "A-OPEN"
    assert [stage["stage"] for stage in application["stages"]] == ["Phone Screen", "Onsite"]
    assert application["notes"] == [] and application["interviewFeedback"] == []
    assert {a["atsJobApplicationId"] for a in indicator(http, 3001)["candidates"][0]["applications"]} == {
        "A-OPEN", "A-SECRET"}
    configure(http, secured, DEMO_ORG, "APPLICATION_VIEWERS", "ALL_PRODUCT_USERS",
              "IN_ATS_INDICATOR").raise_for_status()
    assert len(indicator(http, 3000)["candidates"][0]["applications"]) == 2
    assert [c["atsCandidateId"] for c in indicator(http, 3000, "urn:li:person:demo-candidate")["candidates"]] == [
        "C-LINKED"]
    assert enable(http, DEMO_ORG, ["IN_ATS_INDICATOR"], False).status_code == 200
    hidden = indicator(http, 3000)
    assert hidden["candidates"] == [] and hidden["disabledIn"] == [DEMO_ORG]


def test_an_application_flagged_access_restricted_needs_an_acl(http, customer):
    sync_job(http, customer, "PLAIN")
    sync_candidate(http, customer, "C1", emailAddresses=["jane.doe@example.com"])
    sync_application(http, customer, "A1", "C1", "PLAIN", accessRestricted=True)
    assert indicator(http, 3000)["candidates"][0]["applications"] == []
    acl(http, customer, "G", "PLAIN", person=RECRUITER)
    assert len(indicator(http, 3000)["candidates"][0]["applications"]) == 1


@pytest.mark.parametrize("params, status, where", [
    ({"member": JANE}, 400, "/seat"),
    ({"seat": "3000"}, 400, "/member"),
    ({"seat": "3000", "member": "urn:li:person:nobody"}, 404, "/member"),
    ({"seat": "3000", "member": "nobody"}, 400, "/member"),
    ({"seat": "4000", "member": JANE}, 404, "/seat"),
])
def test_indicator_errors(http, params, status, where):
    reply = http.get("/_mock/recruiter/indicator", params=params)
    assert message(reply, status).startswith(f"ERROR :: {where} ::")


# ---- InMail, replies, notes ----------------------------------------------------------------------------

def test_inmail_and_reply_show_in_conversation_events_and_mail_stubs(http, customer):
    now = http.get("/_mock/clock").json()["now"]
    sent = http.post("/_mock/recruiter/inmails", json={"seat": 3000, "member": JANE, "subject": "Hi",
                                                        "body": "Interested in a new role?"})
    assert sent.status_code == 201, sent.text
    event = sent.json()["event"]
    assert event["direction"] == "SENT" and event["sender"] == "urn:li:seat:3000" and event["recipients"] == [JANE]
    quiet = http.post("/_mock/recruiter/replies", json={"conversation": event["conversation"], "body": "No thanks",
                                                        "response": "DECLINED"})
    assert quiet.status_code == 201 and quiet.json()["mailStub"] is None
    http.post("/_mock/clock", json={"advance": 60}).raise_for_status()  # the member thinks again
    shared = http.post("/_mock/recruiter/replies", json={"conversation": event["conversation"].rsplit(":", 1)[1],
                                                         "body": "Call me", "shareContactInfo": True,
                                                         "phoneNumber": "+1 555 0100"})
    assert shared.status_code == 201, shared.text
    stub = shared.json()["mailStub"]
    assert stub["emailAddress"] == "jane.doe@example.com" and stub["phoneNumber"] == "+1 555 0100"
    assert stub["owner"] == "urn:li:seat:3000" and stub["conversation"] == event["conversation"]
    assert shared.json()["event"]["response"] == "ACCEPTED" and shared.json()["event"]["sender"] == JANE
    events = retrieve(http, customer, "conversationEvents", q="criteria", viewer="urn:li:seat:3000",
                      **{"timeRange.start": now, "timeRange.end": now + 3600_000})
    assert [(e["direction"], e["body"]) for e in events if e["conversation"] == event["conversation"]] == [
        ("SENT", "Interested in a new role?"), ("RECEIVED", "No thanks"), ("RECEIVED", "Call me")]
    stubs = retrieve(http, customer, "mailStubs", q="contract", contract=DEMO_CONTRACT, owners="urn:li:seat:3000",
                     createdDateStart=now)
    assert [s["id"] for s in stubs] == [stub["id"]]


@pytest.mark.parametrize("path, body, status, where", [
    ("inmails", {"seat": 3000, "member": JANE}, 400, "/body"),
    ("inmails", {"seat": 3000, "member": JANE, "body": "  "}, 400, "/body"),
    ("inmails", {"seat": 3003, "member": JANE, "body": "x"}, 403, "/seat"),
    ("inmails", {"seat": 3000, "member": "urn:li:person:ghost", "body": "x"}, 404, "/member"),
    ("inmails", {"seat": 3000, "member": JANE, "body": "x", "cc": []}, 400, "/cc"),
    ("replies", {"conversation": "urn:li:messagingThread:nope", "body": "x"}, 404, "/conversation"),
    ("replies", {"conversation": "x", "body": "x", "response": "MAYBE"}, 400, "/response"),
    ("replies", {"conversation": "x", "body": "x", "shareContactInfo": "yes"}, 400, "/shareContactInfo"),
    ("notes", {"seat": 3000, "member": JANE}, 400, "/note"),
    ("notes", {"seat": 3000, "member": JANE, "note": "x", "visibility": "SECRET"}, 400, "/visibility"),
    ("notes", {"seat": "urn:li:seat:77", "member": JANE, "note": "x"}, 404, "/seat"),
    ("notes", {"seat": "urn:li:seat:3000\n", "member": JANE, "note": "x"}, 400, "/seat"),
    ("notes", {"seat": "3000\n", "member": JANE, "note": "x"}, 400, "/seat"),
    ("notes", {"seat": "urn:li:seat:²", "member": JANE, "note": "x"}, 400, "/seat"),
    ("notes", {"seat": 3000, "member": JANE + "\n", "note": "x"}, 400, "/member"),
])
def test_interaction_errors_name_the_field(http, path, body, status, where):
    assert message(http.post(f"/_mock/recruiter/{path}", json=body), status).startswith(f"ERROR :: {where} ::")


def test_sharing_contact_details_with_a_declined_answer_is_refused(http):
    event = http.post("/_mock/recruiter/inmails", json={"seat": 3000, "member": JANE, "body": "Hi"}).json()["event"]
    reply = http.post("/_mock/recruiter/replies", json={"conversation": event["conversation"], "body": "no",
                                                        "response": "DECLINED", "shareContactInfo": True})
    assert message(reply, 400).startswith("ERROR :: /response ::")


def test_prospect_notes_write_and_delete(http, customer):
    now = http.get("/_mock/clock").json()["now"]
    written = http.post("/_mock/recruiter/notes", json={"seat": 3001, "member": JANE, "note": "Great fit"})
    assert written.status_code == 201, written.text
    note = written.json()["note"]
    assert note["active"] is True and note["visibility"] == "PUBLIC" and note["owner"] == "urn:li:seat:3001"
    http.post("/_mock/clock", json={"advance": 60}).raise_for_status()
    deleted = http.delete(f"/_mock/recruiter/notes/{note['id']}")
    assert deleted.status_code == 200 and deleted.json()["note"]["active"] is False
    assert deleted.json()["note"]["lastModified"] >= note["lastModified"] + 60_000
    found = retrieve(http, customer, "prospectNotes", q="criteria", contract=DEMO_CONTRACT, owners="urn:li:seat:3001",
                     cutoffDate=now - 1)
    assert [(n["id"], n["active"]) for n in found] == [(note["id"], False)]
    assert http.delete(f"/_mock/recruiter/notes/{note['id']}").status_code == 409
    assert message(http.delete("/_mock/recruiter/notes/987654"), 404).startswith("ERROR :: /id ::")
    assert http.delete("/_mock/recruiter/notes/abc").status_code == 400


@pytest.mark.parametrize("note_id", ["%C2%B2", "9" * 5000, "1" * 19, "-1"])
def test_a_malformed_note_id_is_400(http, note_id):
    assert message(http.delete(f"/_mock/recruiter/notes/{note_id}"), 400).startswith("ERROR :: /id ::")


@pytest.mark.parametrize("path, text", [("notes", "note"), ("inmails", "body")])
def test_a_lone_surrogate_is_refused_and_nothing_breaks(http, customer, path, text):
    body = f'{{"seat": 3000, "member": "{JANE}", "{text}": "x\\ud800"}}'.encode()
    reply = http.post(f"/_mock/recruiter/{path}", content=body, headers={"Content-Type": "application/json"})
    assert message(reply, 400) == f"Malformed JSON in the request body: /{text} holds a lone surrogate (U+D800)"
    assert retrieve(http, customer, "prospectNotes", q="criteria", contract=DEMO_CONTRACT, count=100)
    assert http.get("/_mock/snapshot").status_code == 200


# ---- messages spell the values they echo as JSON --------------------------------------------------------

NO_JOB = {"seat": 3000, "member": JANE, "externalJobPostingId": "NO-SUCH-JOB"}
JSON_SPELLING = [  # (method, path, body, the value as the message must show it)
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "seat": True}, "true"),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "seat": False}, "false"),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "seat": 1.5}, "1.5"),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "seat": "chair"}, '"chair"'),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "seat": {"id": 3000}}, '{"id": 3000}'),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "member": "jane"}, '"jane"'),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "member": True}, "true"),
    ("POST", "/_mock/recruiter/exports", {**NO_JOB, "integrationContext": "urn:li:contract:2000"},
     '"urn:li:contract:2000"'),
    ("POST", "/_mock/recruiter/exports", NO_JOB, '"NO-SUCH-JOB"'),
    ("POST", "/_mock/recruiter/inmails", {"seat": [3000], "member": JANE, "body": "Hi"}, "[3000]"),
    ("POST", "/_mock/recruiter/notes", {"seat": 3000, "member": "x", "note": "n"}, '"x"'),
    ("POST", "/_mock/recruiter/notes", {"seat": 3000, "member": JANE, "note": "n", "visibility": "SECRET"},
     '"SECRET"'),
    ("POST", "/_mock/recruiter/replies", {"conversation": "c", "body": "b", "response": "MAYBE"}, '"MAYBE"'),
    ("POST", "/_mock/recruiter/integrations", {"integrationContext": DEMO_ORG, "integrationTypes": [True],
                                               "enabled": True}, "true"),
    ("POST", "/_mock/recruiter/integrations", {"integrationContext": "org-1", "integrationType": "CSA_API",
                                               "enabled": True}, '"org-1"'),
    ("POST", "/_mock/recruiter/integrations", {"integrationContext": DEMO_ORG, "integrationType": "CSA_API",
                                               "enabled": None}, "field is required"),
    ("POST", "/_mock/tokens", {"client_id": "nobody"}, '"nobody"'),
    ("POST", "/_mock/tokens", {"client_id": "demo-customer", "member": "urn:li:person:ghost"},
     '"urn:li:person:ghost"'),
    ("POST", "/_mock/customers/nobody/preapprove", {}, '"nobody"'),
    ("GET", "/_mock/notifications?status=lost", None, '"lost"'),
    ("GET", "/_mock/notifications/123", None, '"123"'),
    ("DELETE", "/_mock/faults/rule-9", None, '"rule-9"'),
]


@pytest.mark.parametrize("method, path, body, shown", JSON_SPELLING,
                         ids=[f"{i:02d}-{c[1].rsplit('/', 1)[-1]}" for i, c in enumerate(JSON_SPELLING)])
def test_admin_field_messages_spell_values_as_json(http, method, path, body, shown):
    reply = http.request(method, path, json=body)
    assert 400 <= reply.status_code < 500, reply.text
    said = reply.json()["message"]
    assert shown in said, said
    assert not re.search(r"\b(True|False|None)\b|'", said), said  # no Python spelling of the value
