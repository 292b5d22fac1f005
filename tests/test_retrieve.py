"""The Recruiter prospect-interaction retrieve APIs (RSC module 3) on the demo tenant, through the real server:
seats, seatsV2, conversationEvents, mailStubs, prospectNotes, and the collection's own module 3 requests."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from mock_server.schemas import validation
from tests.conftest import DEMO_CONTRACT, token_for

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "fixtures" / "demo"
COLLECTION = Path(os.environ.get("RSC_POSTMAN_COLLECTION",
                                 ROOT.parent / "shared" / "reference" / "rsc.postman_collection.json"))
HOUR = 3600 * 1000
V2 = {"X-RestLi-Protocol-Version": "2.0.0"}


def demo(kind: str) -> list[dict]:
    return json.loads((DEMO / f"{kind}.json").read_text())


def seat_events(seat: str) -> list[dict]:
    """Every InMail event of ``seat`` in the demo fixtures, oldest first."""
    return sorted((e for c in demo("conversations") if c["seat"] == seat for e in c["events"]),
                  key=lambda e: (e["createdAt"], e["id"]))


def get(http, headers, path, **params):
    return http.get(path, headers=headers, params=params)


def elements(reply) -> list[dict]:
    assert reply.status_code == 200, reply.text
    return reply.json()["elements"]


def found_ids(http, headers, path, **params) -> list:
    """The ids of what a finder returns (one page of up to 100)."""
    return [e["id"] for e in elements(get(http, headers, path, count=100, **params))]


def assert_400(reply, mentioned: str) -> None:
    assert reply.status_code == 400, reply.text
    assert mentioned in reply.json()["message"]
    assert reply.headers["X-LinkedIn-Error-Response"] == "true"


def assert_403(reply, resource: str) -> None:
    assert reply.status_code == 403, reply.text
    assert reply.json() == {"status": 403, "serviceErrorCode": 100,
                            "message": f"Not enough permissions to access: {resource}.FINDER"}


@pytest.fixture
def other_customer(http, partner, server):
    """Authorization headers and contract URN of a second customer, provisioned by the demo partner."""
    reply = http.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": "globex", "name": "Demo ATS - Globex", "description": "Globex"})
    assert reply.status_code == 201, reply.text
    body = reply.json()
    token = token_for(http, body["credentials"]["client_id"], body["credentials"]["client_secret"])
    return {"Authorization": "Bearer " + token}, server.emulator.customers.by_key(body["key"])["contracts"][0]


# ---- seats -------------------------------------------------------------------------------------------------


def test_legacy_seats_as_postman_calls_them(http, customer):
    reply = get(http, customer, "/v2/seats", q="seatsByAttributes", fields="id", active="true", count=100, start=0,
                contracts=DEMO_CONTRACT)
    assert elements(reply) == [{"id": 3000}, {"id": 3001}, {"id": 3002}]
    assert reply.json()["paging"] == {"start": 0, "count": 100, "total": 3, "links": []}
    inactive = elements(get(http, customer, "/v2/seats", q="seatsByAttributes", active="false",
                            contracts=DEMO_CONTRACT))
    assert [(s["id"], s["active"], s["member"]) for s in inactive] == [
        (3003, False, "urn:li:person:demo-former-recruiter")]
    every = elements(get(http, customer, "/v2/seats", q="seatsByAttributes", contracts=DEMO_CONTRACT))
    assert [s["id"] for s in every] == [3000, 3001, 3002, 3003]
    assert all(validation.errors("seat", s) == [] for s in every)


def test_seat_paging_caps_and_required_contracts(http, customer):
    page = get(http, customer, "/v2/seats", q="seatsByAttributes", contracts=DEMO_CONTRACT, start=1, count=2)
    assert [s["id"] for s in elements(page)] == [3001, 3002]
    rels = {link["rel"]: link["href"] for link in page.json()["paging"]["links"]}
    assert set(rels) == {"prev", "next"} and "start=3" in rels["next"] and "contracts=" in rels["next"]
    assert_400(get(http, customer, "/v2/seats", q="seatsByAttributes", contracts=DEMO_CONTRACT, count=101), "count")
    assert_400(get(http, customer, "/v2/seats", q="seatsByAttributes"), "contracts")
    assert_400(get(http, customer, "/v2/seats", q="seatsByAttributes", contracts="urn:li:organization:1000"),
               "contracts")
    assert_400(get(http, customer, "/v2/seats", q="seatsByAttributes", contracts=DEMO_CONTRACT, active="yes"), "active")


def test_seats_v2_requires_start_and_filters_states(http, customer):
    assert_400(get(http, customer, "/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT), "start")
    every = elements(get(http, customer, "/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, start=0))
    assert [(s["id"], s["state"]) for s in every] == [(3000, "ACTIVE"), (3001, "ACTIVE"), (3002, "ACTIVE"),
                                                       (3003, "INACTIVE")]
    assert every[0] == {"id": 3000, "contract": DEMO_CONTRACT, "member": "urn:li:person:demo-recruiter",
                        "state": "ACTIVE", "firstName": "Riley", "lastName": "Recruiter"}
    assert all(validation.errors("seatV2", s) == [] for s in every)
    active = elements(get(http, customer, "/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, states="ACTIVE",
                          start=0))
    assert [s["id"] for s in active] == [3000, 3001, 3002]
    both = http.get("/v2/seatsV2?q=attributes&contracts=List(urn%3Ali%3Acontract%3A2000)&states=List(INACTIVE,PARKED)"
                    "&start=0", headers={**customer, **V2})
    assert [s["id"] for s in elements(both)] == [3003]
    assert_400(get(http, customer, "/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, states="GONE", start=0),
               "states")
    assert elements(get(http, customer, "/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, start=4)) == []


def test_seats_of_another_customer_are_forbidden(http, customer, other_customer):
    other, theirs = other_customer
    assert_403(get(http, other, "/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, start=0), "seatsV2")
    assert_403(get(http, other, "/v2/seats", q="seatsByAttributes", contracts=DEMO_CONTRACT), "seats")
    assert_403(get(http, customer, "/v2/seats", q="seatsByAttributes", contracts=theirs), "seats")
    assert elements(get(http, other, "/v2/seatsV2", q="attributes", contracts=theirs, start=0)) == []


# ---- conversationEvents ------------------------------------------------------------------------------------


def test_conversation_events_whole_history_in_order(http, customer):
    expected = seat_events("urn:li:seat:3000")
    assert expected, "the demo tenant has InMail for seat 3000"
    found = elements(get(http, customer, "/v2/conversationEvents", q="criteria", viewer="urn:li:seat:3000", count=100))
    assert [e["id"] for e in found] == [e["id"] for e in expected]
    assert all(validation.errors("conversationEvent", e) == [] for e in found)
    for event in found:
        assert event["viewer"] == "urn:li:seat:3000" and event["contract"] == DEMO_CONTRACT
        if event["direction"] == "SENT":
            assert event["sender"] == "urn:li:seat:3000" and event["recipients"] == [event["prospect"]]
        else:
            assert event["sender"] == event["prospect"] and event["recipients"] == ["urn:li:seat:3000"]
    assert any("subject" in e for e in found)


def test_conversation_time_range_edges(http, customer):
    event = seat_events("urn:li:seat:3001")[0]
    t = event["createdAt"]

    def window(**bounds):
        params = {f"timeRange.{k}": v for k, v in bounds.items()}
        return found_ids(http, customer, "/v2/conversationEvents", q="criteria", viewer="urn:li:seat:3001", **params)

    assert event["id"] in window(start=t, end=t + 1)          # start inclusive
    assert event["id"] not in window(start=t - 1, end=t)      # end exclusive
    assert event["id"] not in window(start=t + 1, end=t + 2)
    assert event["id"] in window(start=t - 12 * HOUR + 1, end=t + 1)  # exactly 12 hours is allowed
    assert event["id"] in window(start=t)
    assert event["id"] not in window(end=t)
    assert window(start=t, end=t) == []                       # an empty range is not an error
    v2 = http.get(f"/v2/conversationEvents?q=criteria&viewer=urn%3Ali%3Aseat%3A3001&timeRange=(start:{t},end:{t + 1})",
                  headers={**customer, **V2})
    assert [e["id"] for e in elements(v2)] == [event["id"]]


def test_conversation_bad_input(http, customer, other_customer):
    base = {"q": "criteria", "viewer": "urn:li:seat:3000"}
    assert_400(get(http, customer, "/v2/conversationEvents", q="criteria"), "viewer")
    assert_400(get(http, customer, "/v2/conversationEvents", q="criteria", viewer="urn:li:person:demo-recruiter"),
               "viewer")
    assert_400(get(http, customer, "/v2/conversationEvents", q="criteria", viewer="urn:li:seat:9"), "does not exist")
    over = {"timeRange.start": 0, "timeRange.end": 12 * HOUR + 1}
    assert_400(get(http, customer, "/v2/conversationEvents", **base, **over), "12 hours")
    reversed_ = get(http, customer, "/v2/conversationEvents", **base, **{"timeRange.start": 2, "timeRange.end": 1})
    assert_400(reversed_, "timeRange.start")
    assert_400(get(http, customer, "/v2/conversationEvents", **base, **{"timeRange.start": "yesterday"}),
               "timeRange.start")
    assert_400(get(http, customer, "/v2/conversationEvents", **base, **{"timeRange.middle": 5}), "timeRange.middle")
    assert_403(get(http, other_customer[0], "/v2/conversationEvents", **base), "conversationEvents")


# ---- mailStubs -----------------------------------------------------------------------------------------------


def test_mail_stubs_created_date_edges_and_owners(http, customer):
    stub = demo("mailStubs")[0]
    c = stub["created"]

    def window(**params):
        return found_ids(http, customer, "/v2/mailStubs", q="contract", contract=DEMO_CONTRACT, **params)

    assert len(window()) == len(demo("mailStubs"))
    assert stub["id"] in window(createdDateStart=c, createdDateEnd=c + 1)   # start inclusive
    assert stub["id"] not in window(createdDateStart=c - 1, createdDateEnd=c)  # end exclusive
    assert stub["id"] not in window(createdDateStart=c + 1)
    assert stub["id"] in window(owners=stub["owner"])
    others = [f"urn:li:seat:{n}" for n in (3000, 3001, 3002, 3003) if f"urn:li:seat:{n}" != stub["owner"]]
    assert stub["id"] not in window(owners=others)
    found = elements(get(http, customer, "/v2/mailStubs", q="contract", contract=DEMO_CONTRACT))
    assert all(validation.errors("mailStub", s) == [] and isinstance(s["emailAddress"], str) for s in found)
    assert [s["created"] for s in found] == sorted(s["created"] for s in found)


def test_mail_stubs_search_cap_and_bad_input(http, customer, other_customer):
    base = {"q": "contract", "contract": DEMO_CONTRACT}
    assert elements(get(http, customer, "/v2/mailStubs", **base, start=19950, count=50)) == []
    assert elements(get(http, customer, "/v2/mailStubs", **base, start=20000, count=0)) == []
    assert_400(get(http, customer, "/v2/mailStubs", **base, start=19951, count=50), "20000")
    assert_400(get(http, customer, "/v2/mailStubs", **base, start=20000, count=10), "20000")
    assert_400(get(http, customer, "/v2/mailStubs", q="contract"), "contract")
    assert_400(get(http, customer, "/v2/mailStubs", **base, createdDateStart=5, createdDateEnd=4), "createdDateStart")
    assert_400(get(http, customer, "/v2/mailStubs", **base, owners="urn:li:seat:12345"), "owners")
    assert_400(get(http, customer, "/v2/mailStubs", **base, owners="3000"), "owners")
    assert_403(get(http, other_customer[0], "/v2/mailStubs", **base), "mailStubs")


# ---- prospectNotes -------------------------------------------------------------------------------------------


def test_prospect_notes_cutoff_exclusive_before_inclusive(http, customer):
    note = demo("prospectNotes")[3]
    m = note["lastModified"]

    def window(**params):
        return found_ids(http, customer, "/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT, **params)

    assert note["id"] in window(cutoffDate=m - 1, beforeDate=m)       # beforeDate inclusive
    assert note["id"] not in window(cutoffDate=m, beforeDate=m + 5)   # cutoffDate exclusive
    assert note["id"] not in window(beforeDate=m - 1)
    assert note["id"] in window(cutoffDate=m - 1)
    assert window(cutoffDate=m, beforeDate=m) == []
    assert note["id"] in window(owners=note["owner"])
    every = elements(get(http, customer, "/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT, count=100))
    assert len(every) == len(demo("prospectNotes"))
    assert any(n["active"] is False for n in every), "deleted notes are listed with active: false"
    assert all(validation.errors("prospectNote", n) == [] for n in every)


def test_prospect_notes_paging_and_bad_input(http, customer, other_customer):
    base = {"q": "criteria", "contract": DEMO_CONTRACT}
    assert len(elements(get(http, customer, "/v2/prospectNotes", **base, count=100))) == len(demo("prospectNotes"))
    assert len(elements(get(http, customer, "/v2/prospectNotes", **base))) == 10
    assert_400(get(http, customer, "/v2/prospectNotes", **base, count=101), "count")
    assert_400(get(http, customer, "/v2/prospectNotes", **base, cutoffDate=10, beforeDate=9), "cutoffDate")
    assert_400(get(http, customer, "/v2/prospectNotes", **base, beforeDate=-1), "beforeDate")
    assert_400(get(http, customer, "/v2/prospectNotes", q="criteria"), "contract")
    assert_403(get(http, other_customer[0], "/v2/prospectNotes", **base), "prospectNotes")


def test_note_written_then_deleted_is_seen_by_a_poller(http, customer, server):
    world = server.emulator.interactions
    now = server.emulator.clock.freeze()
    seat = world.seat("urn:li:seat:3000")
    note = world.write_note(seat, "urn:li:person:jane-doe", "Great call today", "PUBLIC", now)
    assert note["id"] > max(n["id"] for n in demo("prospectNotes"))
    server.emulator.clock.advance(60)
    world.delete_note(note["id"], now + 60_000)
    seen = elements(get(http, customer, "/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT,
                        cutoffDate=now, beforeDate=now + 60_000))
    assert [(n["id"], n["active"], n["lastModified"]) for n in seen] == [(note["id"], False, now + 60_000)]


# ---- the versioned base and LinkedIn's own requests -----------------------------------------------------------


def test_rest_base_serves_the_same_finders(http, customer):
    reply = http.get("/rest/seatsV2", params={"q": "attributes", "contracts": DEMO_CONTRACT, "start": 0},
                     headers={**customer, "LinkedIn-Version": "202512"})
    assert len(elements(reply)) == 4
    for path in ("/rest/seats", "/rest/conversationEvents", "/rest/prospectNotes", "/rest/me"):  # v2 only
        assert http.get(path, headers={**customer, "LinkedIn-Version": "202604"}).status_code == 404


def module3_requests() -> list[tuple[str, str]]:
    """``(name, raw URL)`` of the collection's retrieve-prospect-interaction requests and the /v2/me request."""
    collection = json.loads(COLLECTION.read_text())
    found = []

    def walk(items, inside):
        for item in items:
            if "item" in item:
                walk(item["item"], inside or item["name"] == "Retrieve Recruiter Prospect Interactions")
            elif inside or item["name"].startswith("GET Person ID"):
                found.append((item["name"], item["request"]["url"]["raw"]))
    walk(collection["item"], False)
    return found


@pytest.mark.skipif(not COLLECTION.exists(), reason="LinkedIn's Postman collection is not beside the checkout")
def test_postman_module3_retrieve_requests(http, customer, server):
    requests = module3_requests()
    assert len(requests) == 5
    variables = {"contract_id": "2000", "Epoch in milliseconds": str(server.emulator.clock.now_ms()),
                 "Enter_ID_Value_Present_In_Response_of_Retrieve_Recruiter_Seatholders_API": "3000"}
    member = http.post("/_mock/tokens", json={"client_id": "demo-customer", "member": "urn:li:person:demo-recruiter",
                                              "scope": "r_liteprofile"}).json()["access_token"]
    for name, raw in requests:
        url = re.sub(r"\{\{([^}]+)\}\}", lambda m: variables[m.group(1)], raw).replace("https://api.linkedin.com", "")
        headers = {"Authorization": "Bearer " + member} if name.startswith("GET Person ID") else customer
        reply = http.get(url, headers=headers)
        assert reply.status_code == 200, (name, reply.text)
        body = reply.json()
        if name.startswith("GET Person ID"):
            assert body == {"id": "demo-recruiter"}
        elif name == "Retrieve Recruiter Seatholders":
            assert [e["id"] for e in body["elements"]] == [3000, 3001, 3002]
        else:  # both bounds are "now": an empty window, not an error
            assert body["elements"] == [] and body["paging"]["total"] == 0


def test_demo_windows_are_relative_to_a_fixed_epoch():
    """The demo's interactions span 90 days before 2026-01-01; clients compute windows from the data."""
    epoch = 1767225600000
    times = [e["createdAt"] for c in demo("conversations") for e in c["events"]]
    times += [s["created"] for s in demo("mailStubs")] + [n["lastModified"] for n in demo("prospectNotes")]
    assert epoch - 90 * 24 * HOUR <= min(times) and max(times) < epoch
