"""The dashboard over real HTTP (the browser tests are in test_dashboard_browser.py): every page answers with a
strict Content-Security-Policy and no inline script; nothing the world holds is rendered as markup; every action
is the /_mock call it stands for and shows that call's refusal beside the field it names; search and paging
through the store's indexes; the journal ids of the requests that wrote a record; the live streams; the
notification signature check; the certification section."""

from __future__ import annotations

import hashlib
import hmac
import html
import re
import threading
import time
from urllib.parse import quote

import httpx
import pytest

from mock_server.dashboard import browse
from mock_server.dashboard.certification import layout
from mock_server.domain.synced import store_key
from tests.conftest import DEMO_CONTRACT, DEMO_ORG
from tests.recruiting import (
    BATCH_UPDATE,
    acl,
    enable,
    record_key,
    sync_application,
    sync_candidate,
    sync_job,
)

UI = "/_mock/ui"
REST = {"LinkedIn-Version": "202604", "X-RestLi-Protocol-Version": "2.0.0"}  # the versioned family
NAME_MARKUP = "<img src=x onerror=alert(1)>"
TEXT_MARKUP = '"><script>alert(2)</script><img src=x onerror=alert(3)>'
RAW_MARKUP = ("<img src=x onerror", "<script>alert")
SEAT = "urn:li:seat:3000"
MEMBER = "urn:li:person:demo-candidate"
PAGES = ("/", "/data", "/data?kind=jobs", "/data?kind=applications", "/data?kind=acls", "/data?kind=assignees",
         f"/console?seat={SEAT}", "/journal", "/outbox", "/faults", "/certification")


def page(http, path: str, status: int = 200) -> str:
    """A dashboard page's HTML, asserting its status and its security headers."""
    reply = http.get(UI + path)
    assert reply.status_code == status, reply.text[:3000]
    assert reply.headers["content-type"].startswith("text/html")
    policy = reply.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy and "unsafe" not in policy
    return reply.text


def no_markup(text: str) -> None:
    """Nothing of the hostile strings survives unescaped."""
    for raw in RAW_MARKUP:
        assert raw not in text


def error_beside(text: str, form: str, field: str) -> str:
    """The error message shown beside field ``field`` of form ``form`` (unescaped), asserting the field is
    marked invalid and points at it."""
    field_id = f"{form}-{field.replace('.', '-')}"
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', text, flags=re.S)
    assert match, f"no error beside {field_id}"
    assert re.search(rf'id="{re.escape(field_id)}"[^>]*aria-invalid="true"', text, flags=re.S) or \
        re.search(rf'id="{re.escape(field_id)}"[^>]*aria-describedby="[^"]*{re.escape(field_id)}-error', text,
                  flags=re.S), f"{field_id} is not marked invalid"
    return html.unescape(match.group(1))


# ---- pages, headers, escaping ---------------------------------------------------------------------------

def test_root_and_ui_redirect_to_the_dashboard(http):
    for path in ("/", UI):
        reply = http.get(path)
        assert reply.status_code == 307 and reply.headers["location"] == UI + "/"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_strict_policy_and_no_inline_script(http, path):
    text = page(http, path)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S)
    assert scripts and all('src="/_mock/ui/static/' in attributes and not body.strip() for attributes, body in scripts)
    assert not re.search(r"\son[a-z]+=", text)  # no inline event handler attribute anywhere
    assert "https://" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', text))  # nothing from a CDN


def test_static_files_are_vendored_with_their_licences(http):
    for name in ("htmx.min.js", "htmx-ext-sse.min.js", "htmx.LICENSE", "htmx-ext-sse.LICENSE", "dashboard.css",
                 "dashboard.js"):
        reply = http.get(f"{UI}/static/{name}")
        assert reply.status_code == 200 and reply.content, name
    assert b"htmx" in http.get(f"{UI}/static/htmx.min.js").content


def test_nothing_the_world_holds_is_rendered_as_markup(http, customer, partner):
    created = http.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": "markup", "name": NAME_MARKUP, "description": TEXT_MARKUP})
    assert created.status_code == 201, created.text
    sync_job(http, customer, "JOB-X", title=NAME_MARKUP)
    sync_candidate(http, customer, "CAND-X", firstName=NAME_MARKUP, emailAddresses=["x@example.com"])
    notes = http.put(f"/v2/atsCandidates/{record_key('atsCandidateId', 'CAND-X')}/notes?ids=N1",
                     headers={**customer, **BATCH_UPDATE}, json={"entities": {"N1": {
                         "atsCreatedAt": 1702693664000, "note": TEXT_MARKUP,
                         "author": {"firstName": "Rita", "lastName": "Book"}}}})
    assert notes.status_code == 200, notes.text
    sync_application(http, customer, "APP-X", "CAND-X", "JOB-X", lastName=NAME_MARKUP, stages=[TEXT_MARKUP])
    note = {"seat": SEAT, "member": MEMBER, "note": TEXT_MARKUP}
    assert http.post("/_mock/recruiter/notes", json=note).status_code == 201
    http.get("/v2/atsCandidates", params={"q": TEXT_MARKUP}, headers={**customer, "X-Markup": NAME_MARKUP})
    fault = {"match": {"path": "/v2/" + TEXT_MARKUP}, "action": {"status": 503}}
    assert http.post("/_mock/faults", json=fault).status_code == 201
    entry = http.get("/_mock/requests", params={"path": "/v2/atsCandidates", "method": "GET"}).json()["requests"][-1]

    candidate = store_key({"atsCandidateId": "CAND-X", "integrationContext": DEMO_ORG})
    application = store_key({"atsJobApplicationId": "APP-X", "integrationContext": DEMO_ORG})
    shown = {path: page(http, path) for path in (
        *PAGES, "/data?q=cand-x", f"/data/candidates/record?key={quote(candidate)}",
        f"/data/applications/record?key={quote(application)}", f"/journal/{entry['id']}",
        "/data?kind=jobs&q=job-x")}
    for text in shown.values():
        no_markup(text)
    escaped = html.escape(NAME_MARKUP, quote=False)
    assert escaped in shown["/"] and escaped in shown["/data?q=cand-x"] and escaped in shown["/data?kind=jobs&q=job-x"]
    assert html.escape("<script>alert(2)</script>", quote=False) in shown[f"/console?seat={SEAT}"]
    assert "&lt;script&gt;alert(2)" in shown[f"/data/candidates/record?key={quote(candidate)}"]
    assert "&lt;script&gt;alert(2)" in shown[f"/data/applications/record?key={quote(application)}"]
    assert escaped in shown[f"/journal/{entry['id']}"]
    assert "&lt;script&gt;alert(2)" in shown["/faults"]


# ---- actions are /_mock calls ------------------------------------------------------------------------------

REFUSALS = [
    # (action, form, the /_mock call it stands for, the field the refusal names ("" for the form))
    ("export", {"seat": SEAT, "member": "urn:li:person:nobody", "externalJobPostingId": "J"},
     ("POST", "/recruiter/exports", {"seat": SEAT, "member": "urn:li:person:nobody", "externalJobPostingId": "J"}),
     "member"),
    ("export", {"seat": SEAT, "member": MEMBER, "externalJobPostingId": "NO-SUCH-JOB"},
     ("POST", "/recruiter/exports", {"seat": SEAT, "member": MEMBER, "externalJobPostingId": "NO-SUCH-JOB"}),
     "externalJobPostingId"),
    ("inmail", {"seat": SEAT, "member": MEMBER, "body": ""},
     ("POST", "/recruiter/inmails", {"seat": SEAT, "member": MEMBER}), "body"),
    ("note", {"seat": SEAT, "member": MEMBER, "note": "n", "visibility": "SECRET"},
     ("POST", "/recruiter/notes", {"seat": SEAT, "member": MEMBER, "note": "n", "visibility": "SECRET"}),
     "visibility"),
    ("reply", {"seat": SEAT, "conversation": "urn:li:messagingThread:nope", "body": "hi"},
     ("POST", "/recruiter/replies", {"conversation": "urn:li:messagingThread:nope", "body": "hi",
                                     "shareContactInfo": False}), "conversation"),
    ("note-delete", {"seat": SEAT, "id": "987654"}, ("DELETE", "/recruiter/notes/987654", None), ""),
    ("integrations", {"seat": SEAT, "integrationContext": "urn:li:organization:424242",
                      "integrationType": "ONE_CLICK_EXPORT", "enabled": "false"},
     ("POST", "/recruiter/integrations", {"integrationContext": "urn:li:organization:424242",
                                          "integrationType": "ONE_CLICK_EXPORT", "enabled": False}), ""),
    ("clock", {"op": "advance", "advance": "soon"}, ("POST", "/clock", {"advance": "soon"}), "advance"),
    ("clock", {"op": "set", "set": "9999-01-01T00:00"}, ("POST", "/clock", {"set": 253370764800000}), "set"),
    ("preapprove", {"uniqueForeignId": "nobody"}, ("POST", "/customers/nobody/preapprove", {}), ""),
    ("fault-add", {"action.status": "99"}, ("POST", "/faults", {"action": {"status": 99}}), "action.status"),
    ("fault-add", {"match.status": "x", "action.drop": "on", "action.status": "500"},
     ("POST", "/faults", {"action": {"status": 500, "drop": True}}), "action"),
    ("fault-add", {"rule": "{not json"}, ("POST", "/faults", "{not json"), ""),
    ("fault-delete", {"id": "no-such-rule"}, ("DELETE", "/faults/no-such-rule", None), ""),
    ("quotas", {"atsCandidates.notes": "-5"}, ("PUT", "/quotas", {"atsCandidates/notes": -5}), "atsCandidates.notes"),
    ("quotas", {}, ("PUT", "/quotas", {}), ""),
    ("redeliver", {"id": "123"}, ("POST", "/notifications/123/redeliver", None), ""),
]


@pytest.mark.parametrize("action,form,call,field", REFUSALS,
                         ids=[f"{case[0]}-{case[3] or 'form'}" for case in REFUSALS])
def test_a_refused_action_is_its_mock_call_refused_beside_the_field(http, action, form, call, field):
    shown = http.post(f"{UI}/actions/{action}", data=form)
    method, path, body = call
    direct = http.request(method, "/_mock" + path, **({"content": body, "headers": {"Content-Type": "application/json"}}
                                                        if isinstance(body, str) else {"json": body}))
    assert direct.status_code >= 400, direct.text
    assert shown.status_code == direct.status_code, shown.text[:3000]
    message = direct.json()["message"]
    if field:
        assert error_beside(shown.text, action, field) == message
    else:
        assert re.search(r'<p class="error" role="alert">' + re.escape(html.escape(message)), shown.text) or \
            message in html.unescape(shown.text.split('role="status"')[1]), "the message is not shown for the form"
    assert "Refused: HTTP" in shown.text


def test_actions_change_the_world_as_their_mock_calls_do(http, customer):
    sync_job(http, customer, "JOB-1", title="Platform engineer")
    exported = http.post(f"{UI}/actions/export", data={"seat": SEAT, "member": MEMBER, "externalJobPostingId": "JOB-1"})
    assert exported.status_code == 200 and "Done: HTTP 201" in exported.text
    exports = http.get("/_mock/notifications", params={"type": "EXPORT_CANDIDATE_PROFILE"}).json()
    [notification] = exports["notifications"]
    assert http.post(f"{UI}/actions/redeliver", data={"id": notification["id"]}).status_code in (200, 409)

    inmail = http.post(f"{UI}/actions/inmail", data={"seat": SEAT, "member": MEMBER, "subject": "Hi", "body": "Hello"})
    assert inmail.status_code == 200
    conversation = re.search(r'<option value="(urn:li:messagingThread:[^"]+)"', inmail.text).group(1)
    replied = http.post(f"{UI}/actions/reply", data={"seat": SEAT, "conversation": conversation, "body": "Yes",
                                                     "response": "ACCEPTED", "shareContactInfo": "on"})
    assert replied.status_code == 200, replied.text[:2000]
    stubs = http.get("/_mock/snapshot").json()["tables"]["mailStubs"]
    assert any(stub.get("conversation") == conversation for stub in stubs.values())

    written = http.post(f"{UI}/actions/note", data={"seat": SEAT, "member": MEMBER, "note": "Call back",
                                                    "visibility": "PRIVATE"})
    assert written.status_code == 200
    notes = http.get("/_mock/snapshot").json()["tables"]["prospectNotes"].values()
    note = max((n for n in notes if n["note"] == "Call back"), key=lambda n: n["id"])
    assert note["visibility"] == "PRIVATE" and note["active"]
    assert http.post(f"{UI}/actions/note-delete", data={"seat": SEAT, "id": str(note["id"])}).status_code == 200
    assert not http.get("/_mock/snapshot").json()["tables"]["prospectNotes"][str(note["id"])]["active"]

    disabled = http.post(f"{UI}/actions/integrations", data={"seat": SEAT, "integrationContext": DEMO_ORG,
                                                             "integrationType": "IN_ATS_INDICATOR", "enabled": "false"})
    assert disabled.status_code == 200
    changes = http.get("/_mock/notifications", params={"type": "INTEGRATION_STATUS_CHANGE"}).json()["notifications"]
    assert len(changes) == 1 and changes[0]["integrationContext"] == DEMO_ORG


def test_clock_faults_and_quota_actions(http):
    before = http.get("/_mock/clock").json()
    assert http.post(f"{UI}/actions/clock", data={"op": "advance", "advance": "3600"}).status_code == 200
    assert http.get("/_mock/clock").json()["offsetMs"] >= before["offsetMs"] + 3_599_000
    assert http.post(f"{UI}/actions/clock", data={"op": "freeze"}).status_code == 200
    assert http.get("/_mock/clock").json()["frozen"] is True
    assert http.post(f"{UI}/actions/clock", data={"op": "set", "set": "2030-01-02T03:04:05"}).status_code == 200
    assert http.get("/_mock/clock").json()["now"] == 1893553445000
    assert http.post(f"{UI}/actions/clock", data={"op": "realtime"}).status_code == 200
    assert http.get("/_mock/clock").json()["frozen"] is False

    added = http.post(f"{UI}/actions/fault-add", data={"match.resource": "atsCandidates", "action.status": "503",
                                                       "action.body": '{"oops": true}', "times": "2"})
    assert added.status_code == 200, added.text[:2000]
    [rule] = http.get("/_mock/faults").json()["faults"]
    assert rule["match"] == {"resource": "atsCandidates"} and rule["action"]["body"] == {"oops": True}
    assert rule["times"] == 2
    raw = http.post(f"{UI}/actions/fault-add", data={"rule": '{"action": {"delay": 0.01}}'})
    assert raw.status_code == 200 and len(http.get("/_mock/faults").json()["faults"]) == 2
    assert http.post(f"{UI}/actions/fault-delete", data={"id": rule["id"]}).status_code == 200
    assert http.post(f"{UI}/actions/fault-clear").status_code == 200
    assert http.get("/_mock/faults").json()["faults"] == []

    assert http.post(f"{UI}/actions/quotas", data={"atsCandidates.notes": "7"}).status_code == 200
    limits = http.get("/_mock/quotas").json()["limits"]
    assert limits["atsCandidates/notes"] == {"group": "atsCandidates/notes", "callsPerDay": 7, "overridden": True}
    assert not limits["atsCandidates"]["overridden"]  # unchanged fields are not sent
    assert http.post(f"{UI}/actions/quotas", data={"restore.atsCandidates.notes": "on"}).status_code == 200
    assert not http.get("/_mock/quotas").json()["limits"]["atsCandidates/notes"]["overridden"]


def test_unknown_action_is_404(http):
    assert http.post(f"{UI}/actions/nothing").status_code == 404


# ---- data browser -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", browse.KINDS.values(), ids=browse.KINDS)
def test_every_field_the_browser_searches_or_filters_is_indexed_by_its_owner(kind):
    searched = {*kind.id_fields, *kind.name_fields, kind.email_field or "integrationContext", "integrationContext"}
    assert searched <= set(kind.spec.indexes), kind.name


def test_search_by_id_name_and_email_through_the_indexes(http, customer, server):
    world = server.emulator
    people = [("alpha-1", "Ada", "Lovelace", ["ada@lovelace.example"]),
              ("alpha-2", "Alan", "Turing", ["alan@turing.example"]),
              ("beta-1", "Grace", "Hopper", ["grace@navy.example", "GH@Other.example"])]
    for candidate_id, first, last, emails in people:
        sync_candidate(http, customer, candidate_id, firstName=first, lastName=last, emailAddresses=emails)
    kind = browse.KINDS["candidates"]

    def ids(search, context=""):
        return [row["atsCandidateId"] for row in browse.listing(world, kind, search, context).rows]

    assert ids("alpha") == ["alpha-1", "alpha-2"] and ids("ALPHA-2") == ["alpha-2"]
    assert ids("lov") == ["alpha-1"] and ids("ada lov") == ["alpha-1"] and ids("a") == ["alpha-1", "alpha-2"]
    assert ids("gh@other.EXAMPLE") == ["beta-1"] and ids("grace@navy") == []  # an address is matched whole
    assert ids("alpha", DEMO_ORG) == ["alpha-1", "alpha-2"] and ids("alpha", "urn:li:organization:9") == []
    assert ids("") == ["beta-1", "alpha-2", "alpha-1"]  # newest first
    assert ids("zzz") == []
    text = page(http, "/data?kind=candidates&q=ada+lov")
    assert "alpha-1" in text and "alpha-2" not in text and "1–1 of 1" in text


def test_paging_and_application_search(http, customer, server):
    for index in range(60):
        sync_candidate(http, customer, f"page-{index:03d}", emailAddresses=[f"p{index}@example.com"])
    kind = browse.KINDS["candidates"]
    first = browse.listing(server.emulator, kind, "page")
    assert first.total == 60 and len(first.rows) == 50 and first.next == 50 and first.previous is None
    last = browse.listing(server.emulator, kind, "page", offset=50)
    assert [row["atsCandidateId"] for row in last.rows] == [f"page-{index:03d}" for index in range(50, 60)]
    assert last.next is None and last.previous == 0
    text = page(http, "/data?kind=candidates&q=page&offset=50")
    assert "51–60 of 60" in text and 'rel="prev"' in text and 'rel="next"' not in text

    sync_application(http, customer, "APP-1", "page-001", "JOB-9", candidateEmail="Someone@Example.com",
                     firstName="Sam", lastName="Someone")
    applications = browse.KINDS["applications"]
    for search in ("app-1", "page-001", "job-9", "someone@example.COM", "sam some"):
        assert [row["atsJobApplicationId"] for row in browse.listing(server.emulator, applications, search).rows] == \
            ["APP-1"], search


def test_records_show_what_hangs_off_them_and_the_requests_that_wrote_them(http, customer, server):
    job = sync_job(http, customer, "JOB-P", title="Provenance")
    sync_candidate(http, customer, "CAND-P", emailAddresses=["johndoe999986@outlook.com"])
    first = http.get("/_mock/requests", params={"resource": "atsCandidates", "method": "PUT"}).json()["requests"][-1]
    rest_key = "(externalCandidateId:CAND-P,integrationContext:urn%3Ali%3Aorganization%3A1000)"
    rest = http.put(f"/rest/candidates?ids=List({rest_key})", headers={**customer, **REST},
                    json={"entities": {rest_key: {"firstName": "Cand", "lastName": "CAND-P", "addresses": [],
                                                  "phoneNumbers": [], "externalProfileUrl": "https://ats.example/c/P",
                                                  "emailAddresses": ["johndoe999986@outlook.com"],
                                                  "externalCreatedAt": 1702693664000,
                                                  "externalLastModifiedAt": 1702693664000}}})
    assert rest.status_code == 200 and not rest.json()["errors"], rest.text
    patched = http.post("/v2/atsCandidates?ids=List((atsCandidateId:CAND-P,dataProvider:ATS,"
                        "integrationContext:urn%3Ali%3Aorganization%3A1000))",
                        headers={**customer, "X-RestLi-Method": "BATCH_PARTIAL_UPDATE",
                                 "X-RestLi-Protocol-Version": "2.0.0"},
                        json={"entities": {"(atsCandidateId:CAND-P,dataProvider:ATS,integrationContext:urn%3Ali%3A"
                                           "organization%3A1000)": {"patch": {"$set": {"manualMatchedMember":
                                                                                        MEMBER}}}}})
    assert patched.status_code == 200 and not patched.json()["errors"], patched.text
    noted = http.put(f"/v2/atsCandidates/{record_key('atsCandidateId', 'CAND-P')}/notes?ids=N1",
                     headers={**customer, **BATCH_UPDATE},
                     json={"entities": {"N1": {"atsCreatedAt": 1702693664000, "note": "Strong candidate",
                                               "author": {"firstName": "Rita", "lastName": "Book"}}}})
    rest_note_key = ("(externalCandidateId:CAND-P,externalNoteId:N2,"
                     "integrationContext:urn%3Ali%3Aorganization%3A1000)")
    rest_noted = http.put(f"/rest/candidateNotes?ids=List({rest_note_key})", headers={**customer, **REST},
                          json={"entities": {rest_note_key: {"externalCreatedAt": 1702693665000, "note": "Second"}}})
    assert rest_noted.status_code == 200 and not rest_noted.json()["errors"], rest_noted.text
    refused = http.put(f"/v2/atsCandidates?ids[0].atsCandidateId=CAND-P&ids[0].dataProvider=ATS"
                       f"&ids[0].integrationContext={DEMO_ORG}", headers={**customer, **BATCH_UPDATE},
                       json={"entities": {record_key("atsCandidateId", "CAND-P"): {"firstName": 7}}})
    assert refused.status_code == 200 and refused.json()["errors"]  # a per-entity 422: it wrote nothing
    # another record: not one of CAND-P's writers
    sync_candidate(http, customer, "CAND-P2", emailAddresses=["p2@example.com"])
    sync_application(http, customer, "APP-P", "CAND-P", "JOB-P", stages=["SCREEN", "OFFER"])
    journaled(http, resource="atsApplications/stages")

    world = server.emulator
    key = store_key({"atsCandidateId": "CAND-P", "integrationContext": DEMO_ORG})
    record = browse.detail(world, browse.KINDS["candidates"], key)
    assert [(w["id"], w["wrote"]) for w in record["writers"]] == [
        (rest_noted.headers["x-request-id"], "candidateNotes"), (noted.headers["x-request-id"], "notes"),
        (patched.headers["x-request-id"], "itself"), (rest.headers["x-request-id"], "itself"),
        (first["id"], "itself")]
    assert record["fields"]["matchedMembers"] == [MEMBER] and record["fields"]["manualMatchedMember"] == MEMBER
    assert [note["note"] for note in record["related"]["Notes"]] == ["Strong candidate", "Second"]
    assert [row["atsJobApplicationId"] for row in record["related"]["Applications"]] == ["APP-P"]
    text = page(http, f"/data/candidates/record?key={quote(key)}")
    assert all(w["id"] in text for w in record["writers"]) and refused.headers["x-request-id"] not in text

    application = browse.detail(world, browse.KINDS["applications"],
                                store_key({"atsJobApplicationId": "APP-P", "integrationContext": DEMO_ORG}))
    assert [stage["stage"] for stage in application["related"]["Stages"]] == ["SCREEN", "OFFER"]
    assert [w["wrote"] for w in application["writers"]] == ["stages", "itself"]
    assert application["links"]["Candidate"] == ("candidates", key)

    job_record = browse.detail(world, browse.KINDS["jobs"], job_key_of("JOB-P"))
    posted = http.get("/_mock/requests", params={"resource": "simpleJobPostings"}).json()["requests"]
    assert [w["id"] for w in job_record["writers"]] == [posted[-1]["id"]] and job["status"] == "SUCCEEDED"
    assert [row["atsJobApplicationId"] for row in job_record["related"]["Applications"]] == ["APP-P"]

    acl(http, customer, "GROUP-1", "JOB-P")
    acl_key = ("(dataProvider:ATS,entityAclId:GROUP-1,entityId:JOB-P,entityType:JOB_REQUISITION,"
               "integrationContext:urn%3Ali%3Aorganization%3A1000)")  # the same ACL, versioned names and values
    reply = http.put(f"/rest/entityAcls?ids=List({acl_key})", headers={**customer, **REST},
                     json={"entities": {acl_key: {}}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text
    journaled(http, resource="entityAcls")
    acls = browse.listing(world, browse.KINDS["acls"], "group-1")
    [row] = acls.rows
    writers = browse.detail(world, browse.KINDS["acls"], row["_key"])["writers"]
    assert [(w["restliMethod"], w["path"]) for w in writers] == [("BATCH_UPDATE", "/rest/entityAcls"),
                                                                 ("BATCH_UPDATE", "/v2/atsEntityAcls")]
    assert browse.detail(world, browse.KINDS["jobs"], job_key_of("JOB-P"))["related"]["ACL groups"] == \
        [{"atsEntityAclId": "GROUP-1"}]
    assert page(http, "/data/candidates/record?key=nothing", 404)
    assert page(http, "/data/nothing/record?key=x", 404)


def journaled(http, count: int = 1, **wanted) -> list[dict]:
    """Wait until ``count`` journaled requests match ``wanted`` (the journal records a request just after its
    reply has left, so a test reading the emulator directly waits for it)."""
    reply = http.post("/_mock/requests/wait", json={"filter": wanted, "count": count, "timeout": 10})
    assert reply.status_code == 200, reply.text
    return reply.json()["requests"]


def job_key_of(external_id: str) -> str:
    from mock_server.domain.jobs import job_key
    return job_key(DEMO_ORG, external_id)


# ---- overview, console, outbox, journal, certification ----------------------------------------------------

def test_overview_shows_customers_integrations_callback_counts_quotas_and_clock(http, customer):
    sync_candidate(http, customer, "CAND-O", emailAddresses=["o@example.com"])
    enable(http, DEMO_CONTRACT, ["CSA_API"], enabled=False)
    text = page(http, "/")
    assert "Demo ATS - Acme" in text and "CSA_API: pre-approved" in text and "ONE_CLICK_EXPORT: enabled" in text
    assert re.search(r"candidates&amp;context=urn%3Ali%3Aorganization%3A1000\">1</a>", text)
    assert "Quotas used today" in text and "atsCandidates" in text and "real time" in text


def test_console_shows_the_export_drop_down_as_the_seat_sees_it(http, customer):
    sync_job(http, customer, "OPEN-1", title="Open role")
    sync_job(http, customer, "SECRET-1", title="Restricted role", accessRestricted=True)
    text = page(http, f"/console?seat={SEAT}&member={MEMBER}")
    assert "Open role — OPEN-1" in text and "SECRET-1" not in text
    seat_answer = http.get(f"/_mock/recruiter/seats/{SEAT}/export-jobs").json()
    assert [job["externalJobPostingId"] for job in seat_answer["jobs"]] == ["OPEN-1"]
    assert "Not in the ATS" in text
    unknown = page(http, "/console?seat=777")
    assert "no seat urn:li:seat:777" in unknown
    bad_member = page(http, f"/console?seat={SEAT}&member=urn:li:person:nobody")
    assert "ERROR :: /member :: no LinkedIn member urn:li:person:nobody" in html.unescape(bad_member)


def test_notification_page_shows_attempts_and_checks_a_signature(http):
    enable(http, DEMO_ORG, ["IN_ATS_INDICATOR"], enabled=False)
    [doc] = http.get("/_mock/notifications").json()["notifications"]
    body = f'{{"id":"{doc["id"]}","type":"INTEGRATION_STATUS_CHANGE","expiresAt":{doc["expiresAt"]:d}}}'.encode()
    expected = hmac.new(b"demo-customer-secret", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    text = html.unescape(page(http, f"/outbox/{doc['id']}?signature={expected.upper()}"))
    assert expected in text and body.decode() in text and "Valid: it is" in text
    assert "Not valid" in page(http, f"/outbox/{doc['id']}?signature={'0' * 64}")
    assert doc["id"] in page(http, "/outbox?type=INTEGRATION_STATUS_CHANGE")
    assert "is not one of" in html.unescape(page(http, "/outbox?status=lost", 400))
    assert "No notification with id" in page(http, "/outbox/42", 404)


def test_journal_page_entry_and_curl(http, customer):
    http.get("/v2/atsCandidates", params={"ids": "x"}, headers=customer)
    [entry] = http.get("/_mock/requests", params={"path": "/v2/atsCandidates"}).json()["requests"]
    listing = page(http, "/journal?path=/v2/atsCandidates")
    assert entry["id"] in listing and f'after={entry["seq"]}' in listing
    text = html.unescape(page(http, f"/journal/{entry['id']}"))
    assert "curl -X GET 'http://127.0.0.1:" in text and '"Authorization: Bearer $RSC_TOKEN"' in text
    assert "No fault rule" in text
    bad = html.unescape(page(http, "/journal?status=teapot", 400))
    assert "ERROR :: /query/status" in bad and 'aria-invalid="true"' in bad
    assert page(http, "/journal/not-an-id", 404)


def sse_events(response, wanted: int) -> list[dict]:
    """The first ``wanted`` SSE events (``{"event", "id", "data"}``) of a streaming reply (comments and
    ``retry:`` lines skipped)."""
    events, current, data = [], {}, []
    for line in response.iter_lines():
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name in ("event", "id"):
            current[name] = value
        elif line == "" and (data or "event" in current):
            events.append({**current, "data": "\n".join(data)})
            current, data = {}, []
            if len(events) == wanted:
                break
    return events


def test_journal_stream_sends_new_entries_once_and_resumes_from_the_last_event_id(server, customer):
    with httpx.Client(base_url=server.url, timeout=15) as http:
        baseline = http.get("/_mock/requests").json()["requests"]
        after = baseline[-1]["seq"] if baseline else 0

        def later():
            time.sleep(0.5)
            http.get("/v2/atsCandidates", params={"ids": "late"}, headers=customer)

        writer = threading.Thread(target=later)
        writer.start()
        with http.stream("GET", f"{UI}/journal/stream", params={"path": "/v2/atsCandidates", "after": after}) as reply:
            assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/event-stream")
            [first] = sse_events(reply, 1)
        writer.join()
        assert first["event"] == "entries" and "/v2/atsCandidates" in first["data"] and "<tr" in first["data"]
        seq = int(first["id"])
        http.get("/v2/me", headers=customer)  # does not match the filter, moves the journal on
        http.get("/v2/atsCandidates", params={"ids": "next"}, headers=customer)
        with http.stream("GET", f"{UI}/journal/stream", params={"path": "/v2/atsCandidates"},
                         headers={"Last-Event-ID": str(seq)}) as reply:
            [resumed] = sse_events(reply, 1)
        assert "ids=next" in resumed["data"] and "ids=late" not in resumed["data"]
        assert http.get(f"{UI}/journal/stream", params={"status": "nope"}).status_code == 400


def test_outbox_stream_sends_the_outbox_now_and_after_each_change(server):
    with httpx.Client(base_url=server.url, timeout=15) as http:
        def later():
            time.sleep(0.5)
            enable(http, DEMO_ORG, ["PROFILE_PLUGIN"], enabled=False)

        writer = threading.Thread(target=later)
        writer.start()
        with http.stream("GET", f"{UI}/outbox/stream") as reply:
            now, changed = sse_events(reply, 2)
        writer.join()  # its reply may still be on the way: the outbox changed before the call answered
        assert now["event"] == changed["event"] == "outbox"
        assert "No notification yet" in now["data"] and "INTEGRATION_STATUS_CHANGE" in changed["data"]


def test_certification_section_renders_the_report_or_says_there_is_none(http):
    served = http.get("/_mock/certification")
    text = page(http, "/certification")
    if served.status_code == 404:
        assert "no certification checks yet" in text
    else:
        report = served.json()
        for name in layout(report)["facts"]:
            assert html.escape(str(name), quote=False) in text


def test_certification_layout_reads_any_report():
    report = {"status": "failed", "passed": 3, "checks": [{"id": "RSC-101", "result": "passed", "detail": {"x": 1}},
                                                          {"id": "RSC-102", "result": "failed", "why": "no callback"}],
              "notes": ["a", "b"]}
    shown = layout(report)
    assert shown["facts"] == {"status": "failed", "passed": 3}
    assert shown["tables"]["checks"]["columns"] == ["id", "result", "why"]
    assert shown["other"] == {"notes": ["a", "b"]}
    assert layout([1, 2]) == {"facts": {}, "tables": {}, "other": {"report": [1, 2]}}
