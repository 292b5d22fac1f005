"""Advisories: where LinkedIn accepts a call but advises against it, the emulator answers as LinkedIn does and
attaches an advisory to the journal entry, the log line and an ``X-RSC-Mock-Advisory`` header — one test per
advisory the emulator gives (every :data:`mock_server.advisories.KINDS`), and the three places it shows."""

from __future__ import annotations

import json
import time

import pytest

from mock_server import advisories
from mock_server.logs import JsonFormatter
from tests.access_log import access_lines
from tests.conftest import DEMO_CONTRACT, DEMO_ORG
from tests.recruiting import BATCH_CREATE, configure, sync_job
from tests.resource_calls import JOB

HOUR_MS = 3600 * 1000


def advised(reply) -> list[str]:
    """The advisory codes of a reply's ``X-RSC-Mock-Advisory`` headers."""
    return [value.split(":", 1)[0] for value in reply.headers.get_list(advisories.HEADER)]


def journaled(http, reply) -> list[dict]:
    """The advisories of the journal entry of ``reply`` (recorded once the reply has left: waited for)."""
    deadline = time.monotonic() + 5
    while True:
        found = [e for e in http.get("/_mock/requests").json()["requests"] if e["id"] == reply.headers["X-Request-Id"]]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    [entry] = found
    return entry["advisories"]


def token_in_url(http, customer):
    return http.post("/oauth/v2/accessToken?client_secret=demo-customer-secret",
                     data={"grant_type": "client_credentials", "client_id": "demo-customer"})


def inmail_window(http, customer):
    return http.get("/v2/conversationEvents", headers=customer, params={
        "q": "criteria", "viewer": "urn:li:seat:3000", "timeRange.start": 0, "timeRange.end": 12 * HOUR_MS + 1})


def notes_window(http, customer):
    return http.get("/v2/prospectNotes", headers=customer, params={
        "q": "criteria", "contract": DEMO_CONTRACT, "cutoffDate": 0, "beforeDate": 13 * HOUR_MS})


def stubs_without_owners(http, customer):
    return http.get("/v2/mailStubs", headers=customer, params={"q": "contract", "contract": DEMO_CONTRACT})


def seats_without_states(http, customer):
    return http.get("/v2/seatsV2", headers=customer, params={"q": "attributes", "contracts": DEMO_CONTRACT,
                                                              "start": 0})


def job_without_context(http, customer):
    element = {k: v for k, v in JOB.items() if k != "integrationContext"}
    return http.post("/v2/simpleJobPostings", headers={**customer, **BATCH_CREATE},
                     json={"elements": [{**element, "companyName": "Acme"}]})


def job_twice(http, customer):
    return http.post("/v2/simpleJobPostings", headers={**customer, **BATCH_CREATE}, json={"elements": [JOB, JOB]})


def local_callback(http, customer):
    return configure(http, customer, DEMO_ORG, "CALLBACK_URL", "http://127.0.0.1:9/hook")


CASES = {  # advisory code (and page) -> a call LinkedIn answers normally but advises against
    ("CLIENT_SECRET_IN_URL", "client-credentials-flow"): token_in_url,
    ("TIME_WINDOW_OVER_12_HOURS", "inmail-history"): inmail_window,
    ("TIME_WINDOW_OVER_12_HOURS", "prospect-notes"): notes_window,
    ("OWNERS_NOT_GIVEN", "inmail-stub-profiles"): stubs_without_owners,
    ("STATES_NOT_GIVEN", "recruiter-seatholders"): seats_without_states,
    ("INTEGRATION_CONTEXT_NOT_GIVEN", "job-posting-api-schema"): job_without_context,
    ("DUPLICATE_JOB_IN_BATCH", "create-jobs"): job_twice,
    ("LOCAL_CALLBACK_URL", "receive-push-events"): local_callback,
}


def test_every_advisory_kind_has_a_case():
    assert set(CASES) == {(kind.code, kind.source.rsplit("/", 1)[-1]) for kind in advisories.KINDS}


@pytest.mark.parametrize("code, page", sorted(CASES), ids=[f"{c}-{p}" for c, p in sorted(CASES)])
def test_advised_call_is_answered_as_linkedin_does_and_says_why(http, customer, code, page):
    reply = CASES[(code, page)](http, customer)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert not body.get("errors") and all(e.get("status", 200) < 400 for e in body.get("elements", [])), body
    assert advised(reply) == [code]
    [entry] = journaled(http, reply)
    assert entry["code"] == code and entry["source"].endswith(page)
    assert reply.headers[advisories.HEADER] == f"{code}: {entry['message']}"


def test_a_call_that_follows_the_recommendations_has_no_advisory(http, customer):
    calm = [http.get("/v2/conversationEvents", headers=customer, params={
                "q": "criteria", "viewer": "urn:li:seat:3000", "timeRange.start": 0, "timeRange.end": 12 * HOUR_MS}),
            http.get("/v2/mailStubs", headers=customer, params={"q": "contract", "contract": DEMO_CONTRACT,
                                                                 "owners": "urn:li:seat:3000"}),
            http.get("/v2/seatsV2", headers=customer, params={"q": "attributes", "contracts": DEMO_CONTRACT,
                                                               "states": "ACTIVE", "start": 0}),
            configure(http, customer, DEMO_ORG, "CALLBACK_URL", "https://ats.example.com/hooks/acme")]
    for reply in calm:
        assert reply.status_code == 200 and advised(reply) == [], reply.request.url
        assert journaled(http, reply) == []
    sync_job(http, customer, "CALM-1")


def test_advisories_are_in_the_log_line(http, customer):
    with access_lines() as lines:
        reply = stubs_without_owners(http, customer)
        [record] = lines.of(reply.headers["X-Request-Id"])
    assert record.getMessage().endswith(" advisories=OWNERS_NOT_GIVEN")
    line = json.loads(JsonFormatter().format(record))
    assert [item["code"] for item in line["advisories"]] == ["OWNERS_NOT_GIVEN"]
    assert line["advisories"][0]["source"].endswith("/inmail-stub-profiles")
