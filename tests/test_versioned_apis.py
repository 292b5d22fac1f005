"""The APIs only the versioned family has, end to end through the real server: résumés uploaded through
``v2/hireMediaUrl`` and attached with ``rest/attachments`` (limits, the In-ATS indicator, cascading deletes),
LinkedIn Hiring Assistant's evaluations (``POST /_mock/recruiter/evaluations``, the push, the finder under both
names, the 24-hour rules) and closed accounts (``POST /_mock/recruiter/members/{id}/close``,
``rest/atsPurgedExportedCandidates`` and its 30-day window)."""

from __future__ import annotations

import json

import pytest

from mock_server.domain.attachments import MAX_BYTES
from tests.conftest import DEMO_ORG, token_for
from tests.test_versioned import APPLICATION, LATEST, batch, key, statuses

MEDIA = {"fileName": "cv.pdf", "contentType": "application/pdf", "hiringContext": "urn:li:contract:2000",
         "usageParameters": {"recruiterSystemConnectResumeParameters": {}}}
APPLICATION_KEY = key(atsJobApplicationId="A1", integrationContext=DEMO_ORG)
ATTACHMENT = key(externalReferenceEntityId="A1", externalReferenceEntityType="APPLICATION", externalAttachmentId="R1",
                 attachmentType="RESUME", integrationContext=DEMO_ORG)
DAY_S = 24 * 3600
CANDIDATE = "urn:li:person:demo-candidate"


def media_url(http, customer, **fields) -> dict:
    reply = http.post("/v2/hireMediaUrl", json={**MEDIA, **fields},
                      headers={**customer, "Content-Type": "application/json"})
    assert reply.status_code == 201, reply.text
    assert reply.headers["X-RestLi-Id"] == reply.json()["media"]
    return reply.json()


def uploaded(http, customer, data=b"%PDF-1.4 resume", content_type="application/pdf") -> str:
    created = media_url(http, customer, contentType=content_type)
    reply = http.put(created["uploadUrl"], content=data, headers={"Content-Type": content_type})
    assert reply.status_code == 201, reply.text
    assert reply.json()["size"] == len(data)
    return created["media"]


def synced_application(http, customer, matching=True):
    """An application of a candidate matched to the demo candidate (who the indicator is shown for)."""
    candidate = key(externalCandidateId="C1", integrationContext=DEMO_ORG)
    batch(http, "PUT", "/rest/candidates", {candidate: {
        "firstName": "John", "emailAddresses": ["johndoe999986@outlook.com" if matching else "x@example.com"],
        "externalProfileUrl": "https://ats.example.com/c/1", "addresses": [], "phoneNumbers": [],
        "externalCreatedAt": 1, "externalLastModifiedAt": 1}}, customer)
    assert statuses(batch(http, "PUT", "/rest/atsApplications", {APPLICATION_KEY: APPLICATION}, customer)) == {
        APPLICATION_KEY: 204}


# ---- résumé upload --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fields, status, where", [
    ({"contentType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}, 422, "/contentType"),
    ({"hiringContext": "urn:li:organization:1000"}, 422, "/hiringContext"),
    ({"fileName": ""}, 422, "/fileName"),
    ({"blobTtl": {"duration": 1, "unit": "FORTNIGHT"}}, 422, "/blobTtl/unit"),
    ({"usageParameters": {}}, 422, "/usageParameters/recruiterSystemConnectResumeParameters"),
])
def test_hire_media_url_refuses_a_bad_request_naming_the_field(http, customer, fields, status, where):
    reply = http.post("/v2/hireMediaUrl", json={**MEDIA, **fields},
                      headers={**customer, "Content-Type": "application/json"})
    assert reply.status_code == status and f"ERROR :: {where} ::" in reply.json()["message"], reply.text


@pytest.mark.parametrize("contract", ["urn:li:contract:2001", "urn:li:contract:9999"])
def test_hire_media_url_for_another_customers_contract_is_linkedins_403(http, customer, contract):
    """The refusal every resource gives for a context the caller does not own (README "Access"), not a 403 of
    its own wording."""
    reply = http.post("/v2/hireMediaUrl", json={**MEDIA, "hiringContext": contract},
                      headers={**customer, "Content-Type": "application/json"})
    assert reply.status_code == 403, reply.text
    assert reply.json() == {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
                            "message": "Not enough permissions to access: hireMediaUrl.CREATE.NO_VERSION"}


@pytest.mark.parametrize("content_type", ["application/pdf", "application/msword", "text/plain"])
def test_each_documented_type_uploads(http, customer, content_type):
    assert uploaded(http, customer, content_type=content_type).startswith("urn:li:digitalmediaAsset:")


def test_upload_limits(http, customer):
    created = media_url(http, customer)
    url = created["uploadUrl"]
    assert http.put(url, content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert http.put(url, content=b"", headers={"Content-Type": "application/pdf"}).status_code == 400
    too_big = http.put(url, content=b"x" * (MAX_BYTES + 1), headers={"Content-Type": "application/pdf"})
    assert too_big.status_code == 413 and "10 MB" in too_big.json()["message"]
    assert http.put(url, content=b"x" * MAX_BYTES, headers={"Content-Type": "application/pdf"}).status_code == 201
    assert http.put(url.rsplit("/", 1)[0] + "/1", content=b"x",
                    headers={"Content-Type": "application/pdf"}).status_code == 404


@pytest.mark.parametrize("verb", ["PUT", "POST"])
def test_an_upload_url_is_signed_and_single_use(http, customer, verb):
    url = media_url(http, customer)["uploadUrl"]
    path, _, signature = url.partition("?signature=")
    assert signature and len(signature) >= 32
    pdf = {"Content-Type": "application/pdf"}
    altered = signature[:-1] + ("y" if signature.endswith("x") else "x")  # always differs from the real one
    for unsigned in (path, f"{path}?signature=", f"{path}?signature={altered}"):
        reply = http.request(verb, unsigned, content=b"%PDF", headers=pdf)
        assert reply.status_code == 403 and "not signed" in reply.json()["message"], unsigned
    other = media_url(http, customer)["uploadUrl"]  # another media's signature does not open this one
    assert http.request(verb, path + "?" + other.partition("?")[2], content=b"%PDF", headers=pdf).status_code == 403
    first = http.request(verb, url, content=b"%PDF-1", headers=pdf)
    assert first.status_code == 201
    again = http.request(verb, url, content=b"%PDF-2", headers=pdf)
    assert again.status_code == 409 and "was used" in again.json()["message"]
    assert first.json()["size"] == 6  # the file the URL took is the first one
    short = media_url(http, customer, blobTtl={"duration": 10, "unit": "SECOND"})
    http.post("/_mock/clock", json={"advance": 11})
    assert http.put(short["uploadUrl"], content=b"x", headers={"Content-Type": "application/pdf"}).status_code == 410


# ---- attachments --------------------------------------------------------------------------------------------

def test_attached_resume_shows_in_the_indicator_and_goes_with_its_application(http, customer):
    media = uploaded(http, customer)
    assert statuses(batch(http, "PUT", "/rest/attachments", {ATTACHMENT: {"media": media}}, customer)) == {
        ATTACHMENT: 404}  # the application is not synced yet
    synced_application(http, customer)
    assert statuses(batch(http, "PUT", "/rest/attachments", {ATTACHMENT: {"media": media, "fileName": "Ada.pdf"}},
                          customer)) == {ATTACHMENT: 204}
    indicator = http.get("/_mock/recruiter/indicator", params={"seat": 3000, "member": CANDIDATE}).json()
    [candidate] = indicator["candidates"]
    [application] = candidate["applications"]
    assert application["attachments"] == [{"id": "R1", "attachmentType": "RESUME", "media": media,
                                           "fileName": "Ada.pdf", "contentType": "application/pdf", "size": 15}]
    assert application["evaluations"] == []
    evaluated = http.post("/_mock/recruiter/evaluations", json={"integrationContext": DEMO_ORG,
                                                                 "atsJobApplicationId": "A1"}).json()
    indicator = http.get("/_mock/recruiter/indicator", params={"seat": 3000, "member": CANDIDATE}).json()
    [evaluation] = indicator["candidates"][0]["applications"][0]["evaluations"]
    assert evaluation["evaluation"] == evaluated["evaluation"]["evaluation"]
    assert statuses(batch(http, "DELETE", "/rest/atsApplications", {APPLICATION_KEY: None}, customer)) == {
        APPLICATION_KEY: 204}
    assert statuses(batch(http, "DELETE", "/rest/attachments", {ATTACHMENT: None}, customer)) == {ATTACHMENT: 404}


def test_attachment_errors_per_key(http, customer, partner):
    synced_application(http, customer)
    not_uploaded = media_url(http, customer)["media"]
    reply = batch(http, "PUT", "/rest/attachments", {ATTACHMENT: {"media": not_uploaded}}, customer)
    assert statuses(reply) == {ATTACHMENT: 422} and "no file was uploaded" in reply.text
    reply = batch(http, "PUT", "/rest/attachments", {ATTACHMENT: {"media": "urn:li:digitalmediaAsset:1"}}, customer)
    assert statuses(reply) == {ATTACHMENT: 422} and "/media" in reply.text
    cover = key(externalReferenceEntityId="A1", externalReferenceEntityType="APPLICATION", externalAttachmentId="R2",
                attachmentType="COVER_LETTER", integrationContext=DEMO_ORG)
    candidate_ref = key(externalReferenceEntityId="A1", externalReferenceEntityType="CANDIDATE",
                        externalAttachmentId="R3", attachmentType="RESUME", integrationContext=DEMO_ORG)
    foreign = key(externalReferenceEntityId="A1", externalReferenceEntityType="APPLICATION", externalAttachmentId="R4",
                  attachmentType="RESUME", integrationContext="urn:li:organization:1001")
    media = uploaded(http, customer)
    reply = batch(http, "PUT", "/rest/attachments", {cover: {"media": media}, candidate_ref: {"media": media},
                                                     foreign: {"media": media}, ATTACHMENT: {"media": media}}, customer)
    assert statuses(reply) == {cover: 422, candidate_ref: 422, foreign: 403, ATTACHMENT: 204}
    assert "/attachmentType" in reply.json()["errors"][cover]["message"]
    assert "/externalReferenceEntityType" in reply.json()["errors"][candidate_ref]["message"]
    assert batch(http, "GET", "/rest/attachments", {ATTACHMENT: None}, customer).status_code == 405
    assert batch(http, "PUT", "/rest/attachments", {ATTACHMENT: {"media": media}}, customer,
                 version={**LATEST, "LinkedIn-Version": "202508"}).status_code == 404


# ---- LinkedIn Hiring Assistant evaluations -------------------------------------------------------------------

def configure_inbox(http, customer, server):
    configuration = key(integrationContext=DEMO_ORG, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER",
                        configurationKey="CALLBACK_URL")
    batch(http, "PUT", "/rest/integrationConfigurations",
          {configuration: {"configurationValue": {"string": f"{server.url}/_mock/inbox/liha"}}}, customer)


def test_evaluation_is_pushed_and_found_by_its_request_id(http, customer, server):
    configure_inbox(http, customer, server)
    synced_application(http, customer)
    evaluation = {"recommendation": "STRONG_FIT", "summary": "Ships things.",
                  "qualifications": [{"qualification": "Python", "assessment": "MEETS"}]}
    reply = http.post("/_mock/recruiter/evaluations", json={"integrationContext": DEMO_ORG,
                                                             "atsJobApplicationId": "A1", "evaluation": evaluation})
    assert reply.status_code == 201, reply.text
    notification = reply.json()["notification"]
    assert notification["type"] == "EXPORT_APPLICATION_EVALUATION"
    assert notification["expiresAt"] - notification["createdAt"] == DAY_S * 1000
    delivered = http.post("/_mock/notifications/wait", json={"filter": {"id": notification["id"]}, "timeout": 20})
    assert delivered.status_code == 200, delivered.text
    [pushed] = http.get("/_mock/inbox/liha").json()["requests"]
    assert json.loads(pushed["body"])["type"] == "EXPORT_APPLICATION_EVALUATION"
    for name in ("exportedApplicationEvaluations", "exportedApplicationEvaluation"):
        found = http.get(f"/rest/{name}", params={"q": "request", "requestId": notification["id"]},
                         headers={**customer, **LATEST}).json()["elements"]
        assert found == [{"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1", "atsJobPostingId": "JOB-1",
                          "atsCandidateId": "C1", "evaluation": evaluation,
                          "evaluatedAt": reply.json()["evaluation"]["evaluatedAt"]}]
    assert http.get("/rest/exportedApplicationEvaluations", params={"q": "request", "requestId": notification["id"]},
                    headers={**customer, **LATEST, "LinkedIn-Version": "202506"}).status_code == 404
    http.post("/_mock/clock", json={"advance": DAY_S})  # the requestId has expired
    customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
    expired = http.get("/rest/exportedApplicationEvaluations", params={"q": "request", "requestId": notification["id"]},
                       headers={**customer, **LATEST})
    assert expired.json()["elements"] == []


def test_an_application_is_evaluated_at_most_once_a_day(http, customer):
    synced_application(http, customer)
    body = {"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1"}
    assert http.post("/_mock/recruiter/evaluations", json=body).status_code == 201
    again = http.post("/_mock/recruiter/evaluations", json=body)
    assert again.status_code == 409 and int(again.headers["Retry-After"]) == DAY_S
    http.post("/_mock/clock", json={"advance": DAY_S})
    assert http.post("/_mock/recruiter/evaluations", json=body).status_code == 201


@pytest.mark.parametrize("body, status, where", [
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "NOPE"}, 404, "/atsJobApplicationId"),
    ({"integrationContext": "urn:li:organization:9", "atsJobApplicationId": "A1"}, 404, "/integrationContext"),
    ({"integrationContext": DEMO_ORG}, 400, "/atsJobApplicationId"),
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1", "evaluation": {"recommendation": "YES"}}, 400,
     "/evaluation/recommendation"),
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1", "evaluation": None}, 400, "/evaluation"),
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1", "evaluation": []}, 400, "/evaluation"),
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1", "evaluation": {}}, 400,
     "/evaluation/recommendation"),
    ({"integrationContext": "garbage", "atsJobApplicationId": "A1"}, 400, "/integrationContext"),
    ({"integrationContext": "urn:li:contract:2000", "atsJobApplicationId": "A1"}, 400, "/integrationContext"),
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1",
      "evaluation": {"recommendation": "GOOD_FIT", "qualifications": [{"qualification": "x"}]}}, 400,
     "/evaluation/qualifications/0/assessment"),
    ({"integrationContext": DEMO_ORG, "atsJobApplicationId": "A1", "score": 1}, 400, "/score"),
])
def test_evaluation_admin_errors_name_the_field(http, customer, body, status, where):
    synced_application(http, customer)
    reply = http.post("/_mock/recruiter/evaluations", json=body)
    assert reply.status_code == status and f"ERROR :: {where} ::" in reply.json()["message"], reply.text


def test_a_partner_token_may_not_read_evaluations(http, customer):
    synced_application(http, customer)
    notification = http.post("/_mock/recruiter/evaluations", json={
        "integrationContext": DEMO_ORG, "atsJobApplicationId": "A1"}).json()["notification"]
    other = {"Authorization": "Bearer " + token_for(http, "demo-partner", "demo-partner-secret")}
    assert http.get("/rest/exportedApplicationEvaluations", params={"q": "request", "requestId": notification["id"]},
                    headers={**other, **LATEST}).status_code == 403  # a partner token may not call it at all


# ---- closed accounts -------------------------------------------------------------------------------------------

def export_demo_candidate(http, customer):
    job = {"integrationContext": DEMO_ORG, "externalJobPostingId": "JOB-1", "title": "Engineer",
           "description": "A job. " * 20, "location": "San Francisco, CA", "availability": "PUBLIC",
           "state": "LISTED", "companyApplyUrl": "https://ats.example.com/jobs/1", "listedAt": 1}
    reply = http.post("/rest/simpleJobPostings", json={"elements": [job]},
                      headers={**customer, **LATEST, "X-RestLi-Method": "BATCH_CREATE"})
    assert reply.status_code == 200, reply.text
    exported = http.post("/_mock/recruiter/exports", json={"seat": 3000, "member": CANDIDATE,
                                                            "externalJobPostingId": "JOB-1"})
    assert exported.status_code == 201, exported.text
    return exported.json()["export"]


def purge_list(http, customer, context=DEMO_ORG):
    return http.get("/rest/atsPurgedExportedCandidates", params={"q": "criteria", "integrationContext": context},
                    headers={**customer, **LATEST})


def test_closed_account_lists_its_exports_for_30_days(http, customer):
    record = export_demo_candidate(http, customer)
    assert purge_list(http, customer).json()["elements"] == []
    closed = http.post(f"/_mock/recruiter/members/{CANDIDATE}/close")
    assert closed.status_code == 200, closed.text
    entry = {"integrationContext": DEMO_ORG, "person": CANDIDATE, "externalJobPostingId": "JOB-1",
             "jobPosting": record["jobPosting"], "exportedAt": record["exportedAt"],
             "closedAt": closed.json()["closedAt"]}
    assert closed.json()["purged"] == [entry]
    assert purge_list(http, customer).json()["elements"] == [entry]
    assert http.post(f"/_mock/recruiter/members/{CANDIDATE}/close").status_code == 409
    again = http.post("/_mock/recruiter/exports", json={"seat": 3000, "member": CANDIDATE,
                                                         "externalJobPostingId": "JOB-1"})
    assert again.status_code == 409 and "/member" in again.json()["message"]
    http.post("/_mock/clock", json={"advance": 30 * DAY_S - 1})
    customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
    assert len(purge_list(http, customer).json()["elements"]) == 1
    http.post("/_mock/clock", json={"advance": 2})
    assert purge_list(http, customer).json()["elements"] == []


@pytest.mark.parametrize("member, status", [("urn:li:person:nobody", 404), ("nobody", 400)])
def test_closing_an_unknown_member(http, member, status):
    assert http.post(f"/_mock/recruiter/members/{member}/close").status_code == status


def test_purge_list_is_the_callers_own(http, customer):
    assert purge_list(http, customer, "urn:li:organization:1001").status_code == 403
    reply = http.get("/rest/atsPurgedExportedCandidates", params={"q": "criteria"}, headers={**customer, **LATEST})
    assert reply.status_code == 400 and "integrationContext" in reply.json()["message"]
