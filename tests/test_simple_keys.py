"""Simple keys written back by the real server, in every place a reply carries a key and under both protocols.

Rest.li stringifies a simple key (a URN, ``CALLBACK_URL``, a note id) in headers and bodies —
``URIParamUtils.encodeKeyForHeader`` / ``encodeKeyForBody`` — whatever the protocol; only compound and complex
keys get the reduced encoding. So ``X-RestLi-Id`` of a provisioned application is
``urn:li:developerApplication:100``, never ``urn%3Ali%3A…``, and the same for BATCH_CREATE ids and the keys of
BATCH_GET / BATCH_UPDATE / BATCH_DELETE ``results``, ``statuses`` and ``errors``. In a URL (``Location``) the key
is %-encoded, and inside a 2.0 ``List(…)`` its colons must be (Rest.li's ``URIElementParser`` reads a raw ``:`` as
the object separator).
"""

from __future__ import annotations

import time
from urllib.parse import quote, unquote

import pytest

from tests.conftest import DEMO_ORG

PROTOCOLS = {1: {}, 2: {"X-RestLi-Protocol-Version": "2.0.0"}}
JSON = {"Content-Type": "application/json"}
DESCRIPTION = "A role for people who like building emulators of recruiting platforms, offline and faithful. " * 2
CANDIDATE_V1 = f"atsCandidateId=SK-1&dataProvider=ATS&integrationContext={DEMO_ORG}"
CANDIDATE_V2 = f"(atsCandidateId:SK-1,dataProvider:ATS,integrationContext:{quote(DEMO_ORG, safe='')})"
OCE_V1 = f"integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS"
OCE_V2 = (f"(dataProvider:ATS,integrationContext:{quote(DEMO_ORG, safe='')},integrationType:ONE_CLICK_EXPORT,"
          "tenantType:RECRUITER)")


def ids(protocol: int, *keys: str) -> str:
    """The ``ids`` query of simple keys, each %-encoded: 1.0 repeats ``ids=``, 2.0 writes ``List(…)``."""
    if protocol == 1:
        return "&".join(f"ids={quote(key, safe='')}" for key in keys)
    return "ids=List(" + ",".join(quote(key, safe="") for key in keys) + ")"


def job(external_id: str) -> dict:
    return {"integrationContext": DEMO_ORG, "externalJobPostingId": external_id, "title": "Engineer",
            "description": DESCRIPTION, "location": "San Francisco, CA", "availability": "PUBLIC",
            "state": "LISTED", "companyApplyUrl": "https://ats.example/jobs/1", "listedAt": int(time.time()) * 1000}


@pytest.mark.parametrize("protocol", [1, 2])
def test_created_application_id_is_raw_in_headers_and_body(http, partner, protocol):
    reply = http.post("/v2/provisionedApplications", headers={**partner, **JSON, **PROTOCOLS[protocol]},
                      json={"uniqueForeignId": f"sk-{protocol}", "name": "Demo ATS - SK", "description": "d"})
    assert reply.status_code == 201, reply.text
    urn = reply.json()["key"]
    assert urn.startswith("urn:li:developerApplication:")
    assert reply.headers["X-RestLi-Id"] == reply.headers["X-LinkedIn-Id"] == urn
    # Location is a URL: the key %-encoded as one path segment, and it reads back as the same URN
    location = reply.headers["Location"]
    assert location == "/v2/provisionedApplications/" + quote(urn, safe="")
    assert unquote(location.rsplit("/", 1)[1]) == urn
    # the id works as is in the next call, raw or %-encoded in the path
    for path_key in (urn, quote(urn, safe="")):
        patched = http.post(f"/v2/provisionedApplications/{path_key}", headers={**partner, **PROTOCOLS[protocol]},
                            json={"patch": {"$set": {"validJsSdkDomains": ["https://ats.example"]}}})
        assert patched.status_code == 204, patched.text
    # and the finder element names it the same way
    found = http.get(f"/v2/provisionedApplications?q=credentialsByUniqueForeignId&uniqueForeignId=sk-{protocol}",
                     headers={**partner, **PROTOCOLS[protocol]}).json()["elements"]
    assert [element["key"] for element in found] == [urn]


@pytest.mark.parametrize("protocol", [1, 2])
def test_job_task_ids_are_raw_from_create_to_status(http, customer, protocol):
    headers = {**customer, **PROTOCOLS[protocol]}
    created = http.post("/v2/simpleJobPostings", headers={**headers, **JSON, "X-RestLi-Method": "BATCH_CREATE"},
                        json={"elements": [job(f"SK-{protocol}-A"), job(f"SK-{protocol}-B")]})
    assert created.status_code == 200, created.text
    tasks = [element["id"] for element in created.json()["elements"]]
    assert all(task.startswith("urn:li:simpleJobPostingTask:") for task in tasks), tasks
    unknown = "urn:li:simpleJobPostingTask:00000000-0000-0000-0000-000000000000"
    polled = http.get(f"/v2/simpleJobPostingTasks?{ids(protocol, *tasks, unknown)}", headers=headers)
    assert polled.status_code == 200, polled.text
    body = polled.json()
    assert sorted(body["results"]) == sorted(tasks)  # raw URNs as map keys, as LinkedIn's sample shows
    assert all(body["results"][task]["id"] == task for task in tasks)
    assert list(body["errors"]) == [unknown] and body["statuses"] == {unknown: 404}


@pytest.mark.parametrize("protocol", [1, 2])
def test_configuration_keys_are_raw_in_every_batch_reply(http, customer, protocol):
    headers = {**customer, **PROTOCOLS[protocol]}
    url = f"/v2/atsIntegrations/{OCE_V1 if protocol == 1 else OCE_V2}/configurations?" + ids(
        protocol, "CALLBACK_URL", "JOB_POSTING_VIEWERS")
    entities = {"CALLBACK_URL": {"configurationValue": {"string": "https://ats.example/li/acme"}},
                "JOB_POSTING_VIEWERS": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}}}
    put = http.put(url, headers={**headers, "X-RestLi-Method": "BATCH_UPDATE"}, json={"entities": entities})
    assert put.json() == {"results": {"CALLBACK_URL": {"status": 204}, "JOB_POSTING_VIEWERS": {"status": 204}},
                          "errors": {}}, put.text
    got = http.get(url, headers=headers).json()
    assert set(got["results"]) == {"CALLBACK_URL", "JOB_POSTING_VIEWERS"} and got["statuses"] == {}
    deleted = http.delete(url, headers=headers).json()
    assert deleted == {"results": {"CALLBACK_URL": {"status": 204}, "JOB_POSTING_VIEWERS": {"status": 204}},
                       "errors": {}}


@pytest.mark.parametrize("protocol", [1, 2])
def test_note_ids_with_rest_li_characters_are_raw(http, customer, protocol):
    """A partner's note id may hold ``: , ( )``: the reply keys are still the id as sent, under both protocols."""
    headers = {**customer, **PROTOCOLS[protocol]}
    stamp = int(time.time()) * 1000
    candidate = {"addresses": [], "phoneNumbers": [], "atsCreatedAt": stamp, "atsLastModifiedAt": stamp,
                 "emailAddresses": ["sk@example.com"], "externalProfileUrl": "https://ats.example/c/SK-1",
                 "firstName": "Sam", "lastName": "Key"}
    synced = http.put("/v2/atsCandidates?ids[0].atsCandidateId=SK-1&ids[0].dataProvider=ATS"
                      f"&ids[0].integrationContext={DEMO_ORG}", headers={**customer, "X-RestLi-Method": "BATCH_UPDATE"},
                      json={"entities": {CANDIDATE_V1: candidate}})
    assert synced.status_code == 200, synced.text
    note_id = "note:1,(x)"
    parent = CANDIDATE_V2 if protocol == 2 else CANDIDATE_V1
    url = f"/v2/atsCandidates/{parent}/notes?{ids(protocol, note_id)}"
    note = {"atsCreatedAt": stamp, "note": "A note.", "author": {"firstName": "Rita", "lastName": "Book"}}
    put = http.put(url, headers={**headers, "X-RestLi-Method": "BATCH_UPDATE"}, json={"entities": {note_id: note}})
    assert put.json() == {"results": {note_id: {"status": 204}}, "errors": {}}, put.text
    got = http.get(url, headers=headers).json()
    assert list(got["results"]) == [note_id] and got["results"][note_id]["note"] == "A note."
    assert http.delete(url, headers=headers).json() == {"results": {note_id: {"status": 204}}, "errors": {}}


def test_raw_colons_inside_a_2_0_list_are_refused_as_rest_li_does(http, customer):
    """``ids=List(urn:li:…)`` does not parse in Rest.li 2.0 (``:`` is the object separator); the same ids
    %-encoded, or repeated ``ids=urn:li:…`` (1.0 style), work."""
    created = http.post("/v2/simpleJobPostings", headers={**customer, **JSON, "X-RestLi-Method": "BATCH_CREATE"},
                        json={"elements": [job("SK-LIST")]})
    [task] = [element["id"] for element in created.json()["elements"]]
    v2 = {**customer, **PROTOCOLS[2]}
    raw = http.get(f"/v2/simpleJobPostingTasks?ids=List({task})", headers=v2)
    assert raw.status_code == 400
    assert "Malformed ids parameter" in raw.json()["message"] and "%3A" in raw.json()["message"]
    assert raw.headers["X-RestLi-Error-Response"] == "true"
    encoded = http.get(f"/v2/simpleJobPostingTasks?ids=List({quote(task, safe='')})", headers=v2)
    assert list(encoded.json()["results"]) == [task]
    repeated = http.get(f"/v2/simpleJobPostingTasks?ids={task}", headers=v2)
    assert list(repeated.json()["results"]) == [task]
