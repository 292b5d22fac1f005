"""A member who closed the LinkedIn account, as a class: every served call that shows member data (v2 and /rest)
shows the member before the close (through the admin API) and leaves the member out after it; the member can no
longer sign in, and the member's tokens and codes stop working (emulator decisions table, "A closed member's
data" and "A closed member signing in")."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import DEMO_ORG
from tests.test_versioned import LATEST, batch, key
from tests.test_versioned_apis import export_demo_candidate, purge_list, synced_application

CANDIDATE = "urn:li:person:demo-candidate"
CONTRACT = {"contract": "urn:li:contract:2000"}
V2_KEY = key(atsCandidateId="C1", dataProvider="ATS", integrationContext=DEMO_ORG)
REST_KEY = key(externalCandidateId="C1", integrationContext=DEMO_ORG)
V2 = {"X-RestLi-Protocol-Version": "2.0.0"}
CALLBACK = "http://localhost:8080/_mock/oauth/callback"  # a redirect URL of the demo customer (never followed)
SECRET = "demo-customer-secret"


def people(value) -> set[str]:
    """Every person URN anywhere in a JSON value or text."""
    return set(re.findall(r"urn:li:person:[A-Za-z0-9_-]+", value if isinstance(value, str) else repr(value)))


def ok(reply):
    assert reply.status_code == 200, reply.text
    return reply


SHOWN = {
    "v2/exportedCandidates": lambda http, customer, world: ok(http.get(
        "/v2/exportedCandidates", params={"q": "request", "requestId": world["request"]}, headers=customer)).json(),
    "rest/exportedCandidates": lambda http, customer, world: ok(http.get(
        "/rest/exportedCandidates", params={"q": "request", "requestId": world["request"]},
        headers={**customer, **LATEST})).json(),
    "v2/conversationEvents": lambda http, customer, world: ok(http.get(
        "/v2/conversationEvents", params={"q": "criteria", "viewer": "urn:li:seat:3000"}, headers=customer)).json(),
    "v2/mailStubs": lambda http, customer, world: ok(http.get(
        "/v2/mailStubs", params={"q": "contract", **CONTRACT, "owners": "urn:li:seat:3000", "count": 100},
        headers=customer)).json(),
    "v2/prospectNotes": lambda http, customer, world: ok(http.get(
        "/v2/prospectNotes", params={"q": "criteria", **CONTRACT, "count": 100}, headers=customer)).json(),
    "v2/atsCandidates matchedMembers": lambda http, customer, world: ok(http.get(
        f"/v2/atsCandidates?ids=List({V2_KEY})", headers={**customer, **V2})).json(),
    "v2/atsCandidates manualMatchedMember": lambda http, customer, world: ok(http.get(
        f"/v2/atsCandidates?ids=List({V2_KEY})&fields=manualMatchedMember", headers={**customer, **V2})).json(),
    "rest/candidates matchedMembers": lambda http, customer, world: ok(http.get(
        f"/rest/candidates?ids=List({REST_KEY})", headers={**customer, **LATEST})).json(),
    "profile widget search": lambda http, customer, world: ok(http.get(
        "/_widgets/profile/members", params={"q": "doe", "integrationContext": DEMO_ORG},
        headers={"X-Widget-Token": world["widget"]})).json(),
    "3-legged consent page": lambda http, customer, world: ok(http.get(
        "/oauth/v2/authorization", params=authorize(http, q="john doe"))).text,
}


def authorize(http, **changes) -> dict:
    return {"response_type": "code", "client_id": "demo-customer", "scope": "r_liteprofile", "state": "s",
            "redirect_uri": CALLBACK, **changes}


def demo_world(http, customer) -> dict:
    """The demo customer's world with the demo candidate in every served call: an export, an InMail answered
    with contact details (conversationEvents, mailStubs), a note, a synced candidate matched automatically and
    attached manually, a profile widget's frame token."""
    export_demo_candidate(http, customer)
    [notification] = [n for n in ok(http.get("/_mock/notifications")).json()["notifications"]
                      if n["type"] == "EXPORT_CANDIDATE_PROFILE"]
    inmail = http.post("/_mock/recruiter/inmails", json={"seat": 3000, "member": CANDIDATE, "body": "Hi"}).json()
    assert http.post("/_mock/recruiter/replies", json={"conversation": inmail["event"]["conversation"], "body": "Yes",
                                                       "response": "ACCEPTED", "shareContactInfo": True}).is_success
    assert http.post("/_mock/recruiter/notes", json={"seat": 3000, "member": CANDIDATE, "note": "Strong"}).is_success
    synced_application(http, customer)
    attach = batch(http, "POST", "/v2/atsCandidates", {V2_KEY: {"patch": {"$set": {"manualMatchedMember": CANDIDATE}}}},
                   customer, version={}, restli="BATCH_PARTIAL_UPDATE")
    assert attach.json()["results"][V2_KEY]["status"] == 204, attach.text
    frame = http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": "HcmWidget"},
                      headers={"Origin": "http://localhost:8080"})
    return {"request": notification["id"], "conversation": inmail["event"]["conversation"],
            "widget": frame.json()["token"]}


def close(http):
    reply = http.post(f"/_mock/recruiter/members/{CANDIDATE}/close")
    assert reply.status_code == 200, reply.text
    return reply.json()


@pytest.mark.parametrize("call", sorted(SHOWN))
def test_a_closed_member_is_shown_by_no_served_call(http, customer, call):
    world = demo_world(http, customer)
    assert CANDIDATE in people(SHOWN[call](http, customer, world))
    close(http)
    assert CANDIDATE not in people(SHOWN[call](http, customer, world))
    assert people(purge_list(http, customer).json()["elements"]) == {CANDIDATE}


def consent(http, member: str):
    page = ok(http.get("/oauth/v2/authorization", params=authorize(http)))
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    return http.post("/oauth/v2/authorization", data={**form, "member": member, "decision": "allow"})


def exchange(http, code: str):
    return http.post("/oauth/v2/accessToken", data={
        "grant_type": "authorization_code", "code": code, "client_id": "demo-customer",
        "client_secret": SECRET, "redirect_uri": CALLBACK})


def code_of(reply) -> str:
    assert reply.status_code in (302, 303), reply.text
    return parse_qs(urlsplit(reply.headers["location"]).query)["code"][0]


def test_a_closed_member_cannot_sign_in_and_loses_its_tokens(http):
    granted = exchange(http, code_of(consent(http, CANDIDATE)))
    assert granted.status_code == 200, granted.text
    tokens = granted.json()
    unused = code_of(consent(http, CANDIDATE))
    me = {"Authorization": "Bearer " + tokens["access_token"], **V2}
    assert ok(http.get("/v2/me", headers=me)).json()["id"] == "demo-candidate"
    close(http)
    revoked = http.get("/v2/me", headers=me)
    assert (revoked.status_code, revoked.json()["serviceErrorCode"]) == (401, 65602)
    refreshed = http.post("/oauth/v2/accessToken", data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "demo-customer",
        "client_secret": SECRET})
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_request"
    assert exchange(http, unused).status_code == 401
    refused = consent(http, CANDIDATE)
    assert refused.status_code == 400 and "closed the LinkedIn account" in refused.text
    minted = http.post("/_mock/tokens", json={"client_id": "demo-customer", "member": CANDIDATE})
    assert minted.status_code == 409 and "/member" in minted.json()["message"]


@pytest.mark.parametrize("path, body", [
    ("/_mock/recruiter/inmails", {"seat": 3000, "member": CANDIDATE, "body": "Hi"}),
    ("/_mock/recruiter/notes", {"seat": 3000, "member": CANDIDATE, "note": "Strong"}),
    ("/_mock/recruiter/exports", {"seat": 3000, "member": CANDIDATE, "externalJobPostingId": "JOB-1"}),
])
def test_no_one_acts_on_a_closed_member(http, customer, path, body):
    export_demo_candidate(http, customer)
    close(http)
    reply = http.post(path, json=body)
    assert reply.status_code == 409 and "closed the LinkedIn account" in reply.json()["message"], reply.text


def test_a_closed_member_cannot_reply_or_be_attached(http, customer):
    world = demo_world(http, customer)
    close(http)
    reply = http.post("/_mock/recruiter/replies", json={"conversation": world["conversation"], "body": "Again"})
    assert reply.status_code == 409, reply.text
    attach = batch(http, "POST", "/v2/atsCandidates", {V2_KEY: {"patch": {"$set": {"manualMatchedMember": CANDIDATE}}}},
                   customer, version={}, restli="BATCH_PARTIAL_UPDATE")
    assert attach.json()["errors"], attach.text
    assert [error["status"] for error in attach.json()["errors"].values()] == [422], attach.text
