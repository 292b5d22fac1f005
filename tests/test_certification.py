"""The certification catalogue and passive grading (``/_mock/certification``), against the real server: every
case described with its source and provenance, the cases LinkedIn names but does not describe listed as such,
bad input refused with LinkedIn's envelope naming the field, and graders that judge a hand-made integration
from the journal and the state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from examples.partner.linkedin import LINKEDIN_VERSION, LinkedIn
from mock_server.certification import requests as journal
from mock_server.certification.cases import CASES, UNDESCRIBED, SelectionError, find, select
from mock_server.certification.model import STATUSES
from tests.conftest import DEMO_ORG

SOURCE = re.compile(r"^https://learn\.microsoft\.com/en-us/linkedin/talent/recruiter-system-connect/rsc-cert-module[1-5]")


def test_every_case_names_its_source_module_needs_and_provenance(http):
    catalogue = http.get("/_mock/certification/cases").json()
    ids = [case["id"] for case in catalogue["cases"]]
    assert len(ids) == len(set(ids)) == len(CASES)
    for case in catalogue["cases"]:
        assert SOURCE.match(case["source"]), case
        assert case["module"] in range(1, 6) and case["title"] and case["needs"]
        assert case["provenance"]["documented"], f"{case['id']} has no documented criterion"
        assert isinstance(case["provenance"]["inferred"], list)
    described = {"RSC-101", "RSC-102", "RSC-103", "RSC-104", "RSC-201", "RSC-202", "RSC-203", "RSC-401", "RSC-402",
                 "RSC-403", "RSC-404", "RSC-501", "RSC-502", "RSC-503", "RSC-504", "RSC-505", "Test Case 3",
                 "Test Case 4", "Test Case 5", "Test Case 6", "Test Case 7", "Test Case 8", "Test Case 10"}
    assert described <= set(ids)
    aliases = {alias for case in catalogue["cases"] for alias in case["aliases"]}
    assert {"Test Case 14", "Test Case 15", "Test Case 16", "Test Case 17", "Test Case 1", "Test Case 2"} <= aliases
    not_described = {item["id"]: item["reason"] for item in catalogue["notDescribed"]}
    assert {"RSC-106 …", "RSC-204 …", "RSC-301 …", "Test Case 11 …", "Test Case 9"} == set(not_described)
    assert all("not described in the public record" in reason for name, reason in not_described.items()
               if name != "Test Case 9")


@pytest.mark.parametrize("name, expected", [("RSC-401", "RSC-401"), ("rsc401", "RSC-401"), ("Test Case 14", "RSC-401"),
                                            ("test-case-6", "Test Case 6"), ("TEST CASE 2", "RSC-201")])
def test_cases_are_found_by_id_or_alias_in_any_spelling(name, expected):
    assert find(name).id == expected


@pytest.mark.parametrize("module, case, message", [
    (0, None, "module 0 does not exist: certification modules are 1 to 5"),
    (6, None, "module 6 does not exist"),
    (None, "RSC-999", "no certification case 'RSC-999'"),
    (None, "Test Case 9", "judged by eye"),
    (None, "RSC-204", "not described in the public record"),
    (4, "RSC-101", "RSC-101 is in module 1, not module 4"),
])
def test_selection_errors_say_what_exists(module, case, message):
    with pytest.raises(SelectionError, match=re.escape(message)):
        select(module, case)


@pytest.mark.parametrize("method, path, body, status, pointer", [
    ("GET", "/_mock/certification?case=RSC-999", None, 400, "/case"),
    ("GET", "/_mock/certification?module=9", None, 400, "/module"),
    ("GET", "/_mock/certification?module=one", None, 400, "/module"),
    ("GET", "/_mock/certification?since=yesterday", None, 400, "/since"),
    ("GET", "/_mock/certification?format=pdf", None, 400, "/format"),
    ("GET", "/_mock/certification?customer=nobody", None, 404, "/customer"),
    ("GET", "/_mock/certification?color=red", None, 400, "/color"),
    ("GET", "/_mock/certification/customer?customer=nobody", None, 404, "/customer"),
    ("POST", "/_mock/certification/grade", {"case": "RSC-0"}, 400, "/case"),
    ("POST", "/_mock/certification/grade", {}, 400, "/case"),
    ("POST", "/_mock/certification/grade", {"case": "RSC-101", "subject": []}, 400, "/subject"),
    ("POST", "/_mock/certification/grade", {"case": "RSC-101", "extra": 1}, 400, "/extra"),
    ("POST", "/_mock/certification/runs", {"module": 9}, 400, "/module"),
    ("POST", "/_mock/certification/runs", {"case": "nope"}, 400, "/case"),
    ("POST", "/_mock/certification/runs", {"partner": "ftp://x"}, 400, "/partner"),
    ("POST", "/_mock/certification/runs", {"runner": "robot"}, 400, "/runner"),
    ("GET", "/_mock/certification/runs/unknown", None, 404, "/id"),
    ("PUT", "/_mock/certification/runs/unknown", {"status": "finished"}, 404, "/id"),
])
def test_bad_input_gets_linkedins_envelope_naming_the_field(http, method, path, body, status, pointer):
    reply = http.request(method, path, json=body)
    assert reply.status_code == status, reply.text
    assert reply.headers["x-restli-error-response"] == "true"
    assert reply.json()["status"] == status and f"ERROR :: {pointer} ::" in reply.json()["message"]


def test_a_fresh_emulator_grades_every_case_and_fails_none(http):
    report = http.get("/_mock/certification").json()
    assert report["format"] == "rsc-mock-certification" and report["mode"] == "passive"
    assert report["customer"] == {"uniqueForeignId": "acme", "application": "urn:li:developerApplication:11"}
    assert [entry["id"] for entry in report["cases"]] == [case.id for case in CASES]
    assert {entry["result"]["status"] for entry in report["cases"]} <= set(STATUSES)
    failed = [entry["id"] for entry in report["cases"] if entry["result"]["status"] == "fail"]
    assert failed == [], "an integration that did nothing has failed nothing yet"
    assert report["summary"]["total"] == len(CASES) and report["notDescribed"] == [
        item.to_json() for item in UNDESCRIBED]


def test_reports_in_junit_and_html(http):
    junit = http.get("/_mock/certification", params={"module": 4, "format": "junit"})
    assert junit.headers["content-type"].startswith("application/xml")
    assert junit.text.count("<testcase ") == 4 and "rsc.certification.module4" in junit.text
    page = http.get("/_mock/certification", params={"case": "RSC-505", "format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "RSC-505" in page.text
    assert "<script" not in page.text and "http-equiv" not in page.text


# ---- passive grading of an integration written by hand ----------------------------------------------------

def ids_query(keys: list[dict]) -> str:
    return "&".join(f"ids[{index}].{name}={value}" for index, key in enumerate(keys) for name, value in key.items())


def candidate_key(candidate_id: str) -> dict:
    return {"atsCandidateId": candidate_id, "dataProvider": "ATS", "integrationContext": DEMO_ORG}


def sync_candidate(http, customer, candidate_id: str, email: str, created: int) -> None:
    key = candidate_key(candidate_id)
    entity = {"atsCreatedAt": created, "atsLastModifiedAt": created, "firstName": "Pat", "lastName": "Doe",
              "emailAddresses": [email], "addresses": [], "phoneNumbers": [],
              "externalProfileUrl": f"https://ats.example/{candidate_id}"}
    reply = http.put(f"/v2/atsCandidates?{ids_query([key])}", headers={**customer, "X-RestLi-Method": "BATCH_UPDATE"},
                     json={"entities": {"&".join(f"{k}={v}" for k, v in key.items()): entity}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text


def grade(http, case: str) -> dict:
    reply = http.get("/_mock/certification", params={"case": case})
    assert reply.status_code == 200, reply.text
    return reply.json()["cases"][0]["result"]


def test_rsc202_names_the_oldest_candidate_and_the_ones_never_read_back(http, customer):
    now = http.get("/_mock/clock").json()["now"]
    sync_candidate(http, customer, "CAND-OLD", "jane.doe@example.com", now - 800 * 86_400_000)
    sync_candidate(http, customer, "CAND-NEW", "nobody@ats.example", now - 400 * 86_400_000)
    result = grade(http, "RSC-202")
    assert result["status"] == "fail"
    assert any("never read back the LinkedIn match of 2 of the 2" in text and "CAND-OLD" in text
               for text in result["missing"]), result
    http.get(f"/v2/atsCandidates?{ids_query([candidate_key('CAND-OLD'), candidate_key('CAND-NEW')])}", headers=customer)
    result = grade(http, "RSC-202")
    history = [item for item in result["evidence"] if "oldest of the 2 synced candidates" in item["text"]]
    assert history and "candidate CAND-OLD" in history[0]["entities"] and "800 days old" in history[0]["text"]
    assert result["status"] == "pass", result


def test_rsc403_names_the_application_still_visible_after_an_assignee_was_removed_from_the_acl(http, customer):
    """An integration that removes the assignee from one ACL group but leaves the job in another group of
    the same person: the grader names the application and the seat."""
    now = http.get("/_mock/clock").json()["now"]
    job = {"integrationContext": DEMO_ORG, "externalJobPostingId": "JOB-SECRET", "title": "Secret role",
           "description": "x" * 120, "location": "Remote", "availability": "PRIVATE_TO_ATS_INTEGRATION",
           "state": "LISTED", "companyApplyUrl": "https://ats.example/jobs", "listedAt": now, "accessRestricted": True}
    assert http.post("/v2/simpleJobPostings", headers={**customer, "X-RestLi-Method": "BATCH_CREATE"},
                     json={"elements": [job]}).status_code == 200
    person = "urn:li:person:demo-sourcer"
    for group in ("G-1", "G-2"):
        acl = {"atsEntityAclId": group, "dataProvider": "ATS", "integrationContext": DEMO_ORG,
               "atsEntityType": "JOB_POSTING", "atsEntityId": "JOB-SECRET"}
        assignee = {**{k: v for k, v in acl.items() if k != "atsEntityId"}, "assignee": person}
        for resource, key in (("atsEntityAcls", acl), ("atsEntityAclAssignees", assignee)):
            reply = http.put(f"/v2/{resource}?{ids_query([key])}",
                             headers={**customer, "X-RestLi-Method": "BATCH_UPDATE"},
                             json={"entities": {"&".join(f"{k}={v}" for k, v in key.items()): {}}})
            assert reply.status_code == 200 and not reply.json()["errors"], reply.text
    sync_candidate(http, customer, "CAND-S", "jane.doe@example.com", now - 1000)
    application = {"atsCandidateId": "CAND-S", "atsCreatedAt": now - 1000, "atsLastModifiedAt": now - 1000,
                   "atsJobPostingId": "JOB-SECRET", "atsJobPostingName": "Secret role",
                   "candidateEmail": "jane.doe@example.com", "firstName": "Jane"}
    app_key = {"atsJobApplicationId": "APP-7", "dataProvider": "ATS", "integrationContext": DEMO_ORG}
    reply = http.put(f"/v2/atsApplications?{ids_query([app_key])}",
                     headers={**customer, "X-RestLi-Method": "BATCH_UPDATE"},
                     json={"entities": {"&".join(f"{k}={v}" for k, v in app_key.items()): application}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text
    assert grade(http, "RSC-403")["status"] == "not-yet-exercised"
    removed = {"atsEntityAclId": "G-1", "dataProvider": "ATS", "integrationContext": DEMO_ORG,
               "atsEntityType": "JOB_POSTING", "assignee": person}
    deleted = http.delete(f"/v2/atsEntityAclAssignees?{ids_query([removed])}", headers=customer)
    assert deleted.status_code == 200, deleted.text
    result = grade(http, "RSC-403")
    assert result["status"] == "fail"
    assert "job JOB-SECRET is still visible to seat 3001 after urn:li:person:demo-sourcer was removed from ACL G-1" \
           in result["missing"]
    assert "application APP-7 is still visible to seat 3001 after urn:li:person:demo-sourcer was removed from ACL G-1" \
           in result["missing"]
    [entry] = http.get("/_mock/requests", params={"resource": "atsEntityAclAssignees",
                                                  "restliMethod": "BATCH_DELETE"}).json()["requests"]
    assert any(entry["id"] in item["requests"] for item in result["evidence"])


def test_journal_keys_read_the_same_in_either_protocol():
    one = {"query": "ids[0].atsCandidateId=C-1&ids[0].dataProvider=ATS&ids[0].integrationContext=urn:li:organization:1",
           "path": "/v2/atsCandidates"}
    two = {"query": "ids=List((atsCandidateId:C-1,dataProvider:ATS,integrationContext:urn%3Ali%3Aorganization%3A1))",
           "path": "/v2/atsCandidates"}
    context = "integrationContext=urn:li:organization:1"
    rest = journal.normalised({"query": f"ids[0].atsJobApplicationId=A-1&ids[0].{context}",
                               "path": "/rest/atsApplications", "resource": "atsApplications"})
    candidates = journal.normalised({"query": f"ids[0].externalCandidateId=C-1&ids[0].{context}",
                                     "path": "/rest/candidates", "resource": "candidates"})
    assert journal.batch_keys(one, journal.CANDIDATE_KEY) == journal.batch_keys(two, journal.CANDIDATE_KEY)
    assert journal.batch_keys(rest, journal.APPLICATION_KEY) == [
        {"atsJobApplicationId": "A-1", "integrationContext": "urn:li:organization:1", "dataProvider": "ATS"}]
    assert candidates["resource"] == "atsCandidates" and candidates["versionedResource"] == "candidates"
    assert journal.batch_keys(candidates, journal.CANDIDATE_KEY) == journal.batch_keys(one, journal.CANDIDATE_KEY)
    assert journal.batch_keys({"query": "ids[0].bad", "path": "/v2/atsCandidates"}, journal.CANDIDATE_KEY) == []


def test_a_versioned_tunnelled_sync_is_graded_like_a_v2_one(http):
    """100 candidates on rest/candidates: the query of the batch is over LinkedIn's 4 KB (a plain URL is 414), so
    the reference connector's client tunnels it; the graders read the tunnelled, versioned calls as v2 ones."""
    api = LinkedIn(str(http.base_url), "demo-customer", "demo-customer-secret")
    now = http.get("/_mock/clock").json()["now"]
    keys = [{"externalCandidateId": f"CAND-{n:03d}", "integrationContext": DEMO_ORG} for n in range(100)]
    created = now - 800 * 86_400_000
    items = [(key, {"externalCreatedAt": created + n, "externalLastModifiedAt": created + n, "firstName": "Pat",
                    "lastName": f"Doe{n}", "emailAddresses": [f"pat{n}@ats.example" if n else "jane.doe@example.com"],
                    "addresses": [], "phoneNumbers": [], "externalProfileUrl": f"https://ats.example/{n}"})
             for n, key in enumerate(keys)]
    plain = http.put(f"/rest/candidates?{ids_query(keys)}", json={"entities": {}},
                     headers={"Authorization": f"Bearer {api.access_token()}", "LinkedIn-Version": LINKEDIN_VERSION,
                              "X-RestLi-Method": "BATCH_UPDATE"})
    assert plain.status_code == 414, plain.text
    assert api.batch_update("candidates", items, versioned=True) == {}
    assert len(api.batch_get("candidates", keys, versioned=True)) == 100
    api.close()
    tunnelled = http.get("/_mock/requests", params={"path": "/rest/candidates", "status": 200}).json()["requests"]
    assert len(tunnelled) == 2 and all(entry["request"]["headers"]["x-http-method-override"] in ("PUT", "GET")
                                       and not entry["query"] for entry in tunnelled)
    result = grade(http, "RSC-202")
    assert result["status"] == "pass", result
    texts = [item["text"] for item in result["evidence"]]
    assert any("read back the LinkedIn match of all 100 candidates" in text for text in texts), texts
    assert any("oldest of the 100 synced candidates is 800 days old (candidate CAND-000" in text
               for text in texts), texts
    versioned = grade(http, "RSC-505")
    assert versioned["status"] == "pass" and "LinkedIn-Version 202604 (candidates)" in versioned["evidence"][0]["text"]


def test_rsc105_judges_the_frames_in_js_asked_for_on_the_ats_page(http):
    """Without the ATS's origin, RSC-105 reads the widgets' frame-token requests naming the customer's api_key."""
    assert grade(http, "RSC-105")["status"] != "pass"

    def frame(origin):
        return http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": "HcmWidget"},
                         headers={"Origin": origin})

    assert frame("http://localhost:8080").status_code == 200
    result = grade(http, "RSC-105")
    assert result["status"] == "pass" and "1 widget calls" in result["evidence"][0]["text"], result
    assert frame("https://elsewhere.example").status_code == 403
    result = grade(http, "RSC-105")
    assert result["status"] == "fail" and "its origin is not in validJsSdkDomains" in result["missing"][0], result


def test_rsc505_fails_a_rest_call_with_a_version_linkedin_does_not_serve(http, customer):
    stale = http.get("/rest/exportedCandidates", params={"q": "request", "requestId": "1"},
                     headers={**customer, "LinkedIn-Version": "202001"})
    assert stale.status_code == 426, stale.text
    result = grade(http, "RSC-505")
    assert result["status"] == "fail"
    assert any("a LinkedIn-Version LinkedIn does not serve then (202001" in text for text in result["missing"]), result


def test_readme_links_every_case_to_its_source_and_names_every_flaw():
    from examples.partner.connector import Flaws

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Certify offline", 1)[1].split("\n## ", 1)[0]
    for case in CASES:
        assert f"[{case.id}]({case.source})" in section, case.id
    for item in UNDESCRIBED:
        assert f"[{item.id}]({item.source})" in section, item.id
    for field in Flaws.__dataclass_fields__:
        assert f"`{field.replace('_', '-')}`" in section, field
    assert "rsc-mock certify report --url" in section and "rsc-mock certify run --url" in section
