"""The two end-to-end flows of issue 4's "Done when", through the public APIs and the admin actions only, with a
real HTTP receiver that checks X-LI-Signature itself:

(a) One-Click Export: a partner syncs a job, a recruiter exports a member to it, the signed notification arrives,
    the partner reads exportedCandidates, syncs the candidate, attaches the person URN and syncs the application,
    and the In-ATS indicator then shows the candidate with the application;
(b) InMail: a recruiter InMails a member, the member replies sharing contact details, and the stub profile is in
    mailStubs inside the right time window and not outside it.
"""

from __future__ import annotations

import hashlib
import hmac

from mock_server.testing.webhook import WebhookReceiver
from tests.conftest import DEMO_CONTRACT, DEMO_ORG
from tests.recruiting import (
    attach_person,
    batch_ids,
    set_callback,
    sync_application,
    sync_candidate,
    sync_job,
)

SECRET = "demo-customer-secret"  # the demo customer application's clientSecret
SEAT = "urn:li:seat:3000"


def test_one_click_export_end_to_end(http, customer):
    with WebhookReceiver() as hook:
        set_callback(http, customer, hook.url + "/linkedin/push")
        sync_job(http, customer, "E2E-JOB-1", title="Staff Engineer")
        jobs = http.get("/_mock/recruiter/seats/3000/export-jobs").json()["jobs"]
        assert "E2E-JOB-1" in [job["externalJobPostingId"] for job in jobs]

        exported = http.post("/_mock/recruiter/exports", json={
            "seat": SEAT, "member": "urn:li:person:demo-candidate", "externalJobPostingId": "E2E-JOB-1"})
        assert exported.status_code == 201, exported.text

        [push] = hook.wait(count=1, timeout=10)
    expected = hmac.new(SECRET.encode(), b"hmacsha256=" + push.body, hashlib.sha256).hexdigest()
    assert push.method == "POST" and push.path == "/linkedin/push"
    assert push.headers["x-li-signature"] == expected
    notification = push.json()
    assert set(notification) == {"id", "type", "expiresAt"} and notification["type"] == "EXPORT_CANDIDATE_PROFILE"

    reply = http.get("/v2/exportedCandidates", params={"q": "request", "requestId": notification["id"]},
                     headers=customer)
    assert reply.status_code == 200, reply.text
    [element] = reply.json()["elements"]
    assert element["integrationContext"] == DEMO_ORG  # the partner checks the notification is this customer's
    assert element["externalJobPostingId"] == "E2E-JOB-1"
    candidate = element["candidate"]
    person = candidate["person"]
    assert person == "urn:li:person:demo-candidate" and candidate["emailAddress"] == "johndoe999986@outlook.com"

    sync_candidate(http, customer, "E2E-CAND-1", firstName=candidate["firstName"], lastName=candidate["lastName"],
                   emailAddresses=[candidate["emailAddress"]])
    attach_person(http, customer, "E2E-CAND-1", person)
    sync_application(http, customer, "E2E-APP-1", "E2E-CAND-1", "E2E-JOB-1", candidateEmail=candidate["emailAddress"],
                     firstName=candidate["firstName"], lastName=candidate["lastName"],
                     stages=["Exported from LinkedIn"])
    stored = http.get(f"/v2/atsCandidates?{batch_ids('atsCandidateId', 'E2E-CAND-1')}", headers=customer).json()
    assert [c["manualMatchedMember"] for c in stored["results"].values()] == [person]

    view = http.get("/_mock/recruiter/indicator", params={"seat": SEAT, "member": person})
    assert view.status_code == 200, view.text
    [shown] = view.json()["candidates"]
    assert shown["atsCandidateId"] == "E2E-CAND-1" and shown["manualMatchedMember"] == person
    [application] = shown["applications"]
    assert application["atsJobApplicationId"] == "E2E-APP-1" and application["atsJobPostingId"] == "E2E-JOB-1"
    assert [stage["stage"] for stage in application["stages"]] == ["Exported from LinkedIn"]
    assert http.get(f"/_mock/notifications/{notification['id']}").json()["status"] == "delivered"


def test_inmail_reply_with_contact_details_appears_in_mail_stubs(http, customer):
    http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
    sent = http.post("/_mock/recruiter/inmails", json={"seat": SEAT, "member": "urn:li:person:jane-doe",
                                                        "subject": "A role at Acme", "body": "Would you talk?"})
    assert sent.status_code == 201, sent.text
    conversation = sent.json()["event"]["conversation"]
    http.post("/_mock/clock", json={"advance": 600}).raise_for_status()  # the reply comes 10 minutes later
    replied = http.post("/_mock/recruiter/replies", json={"conversation": conversation, "body": "Sure, call me",
                                                          "shareContactInfo": True, "phoneNumber": "+1 555 0199"})
    assert replied.status_code == 201, replied.text
    created = replied.json()["mailStub"]["created"]
    assert created == http.get("/_mock/clock").json()["now"]

    def stubs(start: int, end: int) -> list[dict]:
        reply = http.get("/v2/mailStubs", headers=customer, params={
            "q": "contract", "contract": DEMO_CONTRACT, "owners": SEAT, "createdDateStart": start,
            "createdDateEnd": end, "start": 0, "count": 50})
        assert reply.status_code == 200, reply.text
        return [s for s in reply.json()["elements"] if s.get("conversation") == conversation]

    [stub] = stubs(created, created + 1)  # createdDateStart is inclusive
    assert stub["member"] == "urn:li:person:jane-doe" and stub["owner"] == SEAT
    assert stub["emailAddress"] == "jane.doe@example.com" and stub["phoneNumber"] == "+1 555 0199"
    assert stubs(created - 3600_000, created) == []  # createdDateEnd is exclusive
    assert stubs(created + 1, created + 3600_000) == []
    assert len(stubs(created - 3600_000, created + 3600_000)) == 1

    events = http.get("/v2/conversationEvents", headers=customer, params={
        "q": "criteria", "viewer": SEAT, "timeRange.start": created - 3600_000, "timeRange.end": created + 1}).json()
    mine = [(e["direction"], e["body"]) for e in events["elements"] if e["conversation"] == conversation]
    assert mine == [("SENT", "Would you talk?"), ("RECEIVED", "Sure, call me")]
