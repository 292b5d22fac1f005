"""GET /_mock/snapshot then PUT of the very same document restores the state, whatever the emulator itself stored:
a member closed through the recruiter admin (``closedAt``) and a job whose extra fields hold integers beyond 64
bits (simpleJobPostings keeps unknown fields). Both used to be refused with 400."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx

from mock_server.cli import main
from mock_server.config import Settings
from mock_server.testing.server import RunningServer
from tests.conftest import token_for

JOB = {"integrationContext": "urn:li:organization:1000", "externalJobPostingId": "JOB-BIG",
       "title": "Senior Software Engineer", "location": "San Francisco, CA", "availability": "PUBLIC",
       "state": "LISTED", "listedAt": 1767225600000, "companyApplyUrl": "https://ats.acme.example/jobs/JOB-BIG",
       "description": "Build the services our recruiters rely on every day: Python, HTTP APIs and the data behind"
                      " them, in a small team that ships weekly.",
       "extraBig": 123456789012345678901234567890, "nested": {"n": [2**64, -(2**63) - 1]}}


def test_snapshot_of_closed_member_and_big_job_integers_imports_back(http, customer):
    posted = http.post("/v2/simpleJobPostings", headers={**customer, "X-RestLi-Method": "BATCH_CREATE"},
                       json={"elements": [JOB]})
    assert posted.status_code == 200, posted.text
    closed = http.post("/_mock/recruiter/members/urn:li:person:demo-candidate/close")
    assert closed.status_code == 200, closed.text
    exported = http.get("/_mock/snapshot")
    document = json.loads(exported.text)
    (job,) = [doc for doc in document["tables"]["jobs"].values() if doc["externalJobPostingId"] == "JOB-BIG"]
    assert job["extraBig"] == JOB["extraBig"] and job["nested"] == JOB["nested"]
    assert "closedAt" in document["tables"]["members"]["urn:li:person:demo-candidate"]
    imported = http.put("/_mock/snapshot", content=exported.content, headers={"Content-Type": "application/json"})
    assert imported.status_code == 200, imported.text
    assert json.loads(http.get("/_mock/snapshot").text) == document


def test_snapshot_import_still_refuses_an_unknown_member_field(http):
    document = http.get("/_mock/snapshot").json()
    document["tables"]["members"]["urn:li:person:demo-candidate"]["closedAt"] = "yesterday"
    refused = http.put("/_mock/snapshot", json=document)
    assert refused.status_code == 400
    assert "/closedAt" in refused.json()["message"]


ORG = "urn%3Ali%3Aorganization%3A1000"
KEY = f"(atsCandidateId:MATCH-1,dataProvider:ATS,integrationContext:{ORG})"


def matched(http, customer) -> list[str]:
    reply = http.get(f"/v2/atsCandidates?ids=List({KEY})&fields=matchedMembers",
                     headers={**customer, "X-RestLi-Protocol-Version": "2.0.0"})
    assert reply.status_code == 200, reply.text
    (shown,) = reply.json()["results"].values()
    return shown["matchedMembers"]


def test_members_edited_in_an_imported_snapshot_are_matched_as_edited(http, customer):
    """A snapshot carries memberIdentifiers computed from the members it was exported with: after an import whose
    members were edited (an email moved to another member, a profile URL changed), a candidate's matchedMembers
    follow the members imported, not the identifiers the file carried (it kept the old matches)."""
    document = http.get("/_mock/snapshot").json()
    members = document["tables"]["members"]
    first, second, third = [urn for urn in members if urn.startswith("urn:li:person:m")][:3]
    candidate = {"firstName": "Ada", "emailAddresses": members[first]["emailAddresses"][:1],
                 "linkedInProfileUrl": members[second]["profileUrl"], "externalProfileUrl": "https://ats.example.com/c/1",
                 "addresses": [], "phoneNumbers": [], "atsCreatedAt": 1700000000000, "atsLastModifiedAt": 1700000000000}
    put = http.put(f"/v2/atsCandidates?ids=List({KEY})", json={"entities": {KEY: candidate}},
                   headers={**customer, "X-RestLi-Protocol-Version": "2.0.0"})
    assert put.status_code == 200, put.text
    assert matched(http, customer) == [first, second]
    document = http.get("/_mock/snapshot").json()
    assert document["tables"]["memberIdentifiers"]  # the exported, derived index
    members = document["tables"]["members"]
    members[third]["emailAddresses"] = members[first]["emailAddresses"][:1]
    members[first]["emailAddresses"] = ["someone.else@example.com"]
    members[second]["profileUrl"] = "https://www.linkedin.com/in/someone-else"
    assert http.put("/_mock/snapshot", json=document).status_code == 200
    assert matched(http, customer) == [third]


def test_offline_import_refuses_what_the_http_import_refuses(http, tmp_path):
    """``rsc-mock snapshot import --data-dir`` read the file with json.loads: a lone surrogate (``\\ud800``) was
    stored, and every reply showing it failed (GET /_mock/snapshot answered 500). It is refused as PUT
    /_mock/snapshot refuses it, and no directory is created."""
    text = http.get("/_mock/snapshot").text.replace('"firstName":"Riley"', '"firstName":"x\\ud800y"', 1)
    assert "\\ud800" in text
    source = tmp_path / "snapshot.json"
    source.write_text(text, encoding="utf-8")
    refused = http.put("/_mock/snapshot", content=text.encode(), headers={"Content-Type": "application/json"})
    assert refused.status_code == 400 and "lone surrogate" in refused.json()["message"]
    assert main(["snapshot", "import", str(source), "--data-dir", str(tmp_path / "data")]) == 1
    assert not (tmp_path / "data").exists()


def test_a_fixture_member_may_be_closed_from_the_start(tmp_path):
    """``closedAt`` in a fixture member (what a snapshot of a closed member carries): the member is closed from the
    start, so a candidate with the member's e-mail is matched to nobody."""
    world = tmp_path / "world"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "demo", world)
    members = json.loads((world / "members.json").read_text(encoding="utf-8"))
    (candidate,) = [member for member in members if member["id"] == "demo-candidate"]
    candidate["closedAt"] = 1700000000000
    (world / "members.json").write_text(json.dumps(members), encoding="utf-8")
    with RunningServer(Settings(fixtures=world)) as server, httpx.Client(base_url=server.url) as http:
        customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
        entity = {"firstName": "John", "emailAddresses": candidate["emailAddresses"], "addresses": [],
                  "phoneNumbers": [], "externalProfileUrl": "https://ats.example.com/c/1",
                  "atsCreatedAt": 1700000000000, "atsLastModifiedAt": 1700000000000}
        put = http.put(f"/v2/atsCandidates?ids=List({KEY})", json={"entities": {KEY: entity}},
                       headers={**customer, "X-RestLi-Protocol-Version": "2.0.0"})
        assert put.status_code == 200, put.text
        assert matched(http, customer) == []
