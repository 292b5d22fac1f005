"""Per-minute record limits on top of the daily quotas, on the emulator's clock: 10,000 records per application
per minute on the sync resources (sync-candidates and its siblings), 12 records per member per minute on
conversationEvents (inmail-history); the shared 100,000/day of the prospect-interaction APIs."""

from __future__ import annotations

from urllib.parse import urlencode

from mock_server.domain.quotas import MINUTE_MS
from tests.conftest import DEMO_ORG

APPLICATION_MINUTE = "Resource level throttle APPLICATION MINUTE limit for calls to this resource is reached."
MEMBER_MINUTE = "Resource level throttle MEMBER MINUTE limit for calls to this resource is reached."


def start_of_minute(server, second: int = 0) -> None:
    """Freeze the emulator's clock ``second`` seconds into a fresh minute."""
    clock = server.emulator.clock
    clock.freeze()
    clock.set_ms((clock.now_ms() // MINUTE_MS + 1) * MINUTE_MS + second * 1000)


def batch_get_100(http, customer, first: int):
    """A BATCH_GET of 100 candidate keys, tunnelled (POST + X-HTTP-Method-Override: GET) as LinkedIn's clients
    send a query this long."""
    query = urlencode([(f"ids[{n}].{part}", value) for n in range(100) for part, value in (
        ("atsCandidateId", f"M{first + n}"), ("dataProvider", "ATS"), ("integrationContext", DEMO_ORG))])
    return http.post("/v2/atsCandidates", content=query,
                     headers={**customer, "X-HTTP-Method-Override": "GET",
                              "Content-Type": "application/x-www-form-urlencoded"})


def test_sync_resources_take_10000_records_a_minute(http, customer, server):
    start_of_minute(server, second=10)
    for call in range(100):  # 100 calls x 100 records = LinkedIn's 10,000
        assert batch_get_100(http, customer, call * 100).status_code == 200, call
    throttled = batch_get_100(http, customer, 0)
    assert throttled.status_code == 429
    assert throttled.json() == {"status": 429, "serviceErrorCode": 429, "message": APPLICATION_MINUTE}
    assert throttled.headers["Retry-After"] == "50"
    assert http.get(f"/v2/atsEntityAcls?q=criteria&integrationContext={DEMO_ORG}", headers=customer).status_code \
        == 200  # another resource counts its own records
    usage = http.get("/_mock/quotas").json()
    assert {"application": "urn:li:developerApplication:11", "resource": "atsCandidates", "records": 10_000} \
        in usage["minuteUsage"]
    server.emulator.clock.advance(50)
    assert batch_get_100(http, customer, 0).status_code == 200


def test_records_per_minute_are_configurable_and_counted_in_records(http, customer, server):
    start_of_minute(server)
    reply = http.put("/_mock/quotas", json={"atsCandidates": {"recordsPerMinute": 150}})
    assert reply.status_code == 200
    assert reply.json()["limits"]["atsCandidates"] == {"group": "atsCandidates", "callsPerDay": 100_000,
                                                       "recordsPerMinute": 150, "perMember": False,
                                                       "overridden": True}
    assert batch_get_100(http, customer, 0).status_code == 200   # 100
    assert batch_get_100(http, customer, 100).status_code == 200  # 200: below 150 when it started
    assert batch_get_100(http, customer, 200).status_code == 429
    assert http.put("/_mock/quotas", json={"atsCandidates": {"recordsPerMinute": None}}).json()["limits"][
        "atsCandidates"]["recordsPerMinute"] == 10_000
    for body in ({"atsCandidates": {"recordsPerMinute": -1}}, {"atsCandidates": {"perMinute": 1}},
                 {"atsCandidates": {}}, {"atsCandidates": {"recordsPerMinute": "5"}}):
        assert http.put("/_mock/quotas", json=body).status_code == 400, body


def inmail(http, seat: int, member: str, number: int) -> None:
    reply = http.post("/_mock/recruiter/inmails", json={"seat": seat, "member": member, "subject": f"Hello {number}",
                                                        "body": "Would you like to talk about a role?"})
    assert reply.status_code == 201, reply.text


def test_inmail_history_takes_12_records_per_member_a_minute(http, customer, server):
    for number in range(13):
        inmail(http, 3000, "urn:li:person:jane-doe", number)
    start_of_minute(server, second=30)
    page = {"q": "criteria", "viewer": "urn:li:seat:3000", "count": 12}
    first = http.get("/v2/conversationEvents", params=page, headers=customer)
    assert first.status_code == 200 and len(first.json()["elements"]) == 12
    throttled = http.get("/v2/conversationEvents", params=page, headers=customer)
    assert throttled.status_code == 429
    assert throttled.json()["message"] == MEMBER_MINUTE and throttled.headers["Retry-After"] == "30"
    other_member = http.get("/v2/conversationEvents", params={**page, "viewer": "urn:li:seat:3001"}, headers=customer)
    assert other_member.status_code == 200  # the limit is per member (the viewer seat's holder)
    limits = http.get("/_mock/quotas").json()["limits"]["conversationEvents"]
    assert limits["recordsPerMinute"] == 12 and limits["perMember"] is True
    server.emulator.clock.advance(30)
    assert http.get("/v2/conversationEvents", params=page, headers=customer).status_code == 200


def test_seats_inmail_history_stub_profiles_and_prospect_notes_share_one_daily_quota(http, customer):
    quotas = http.get("/_mock/quotas").json()["limits"]
    groups = {name: quotas[name]["group"] for name in ("seats", "seatsV2", "conversationEvents", "mailStubs",
                                                       "prospectNotes")}
    assert set(groups.values()) == {"prospectInteractions"}
    assert {quotas[name]["callsPerDay"] for name in groups} == {100_000}
    http.get("/v2/conversationEvents", params={"q": "criteria", "viewer": "urn:li:seat:3000"}, headers=customer)
    http.get("/v2/prospectNotes", params={"q": "criteria", "contract": "urn:li:contract:2000"}, headers=customer)
    usage = {row["group"]: row["used"] for row in http.get("/_mock/quotas").json()["usage"]}
    assert usage["prospectInteractions"] == 2


def test_one_minute_limit_for_every_resource_from_settings_and_the_command_line():
    from mock_server.cli import build_parser, settings_of
    from mock_server.config import settings_from_env
    from mock_server.domain.quotas import INMAIL_HISTORY, SYNC_QUOTA, Quotas

    args = build_parser().parse_args(["serve", "--minute-quota", "7"])
    assert settings_of(args).minute_quota == 7
    assert settings_from_env({"RSC_MOCK_MINUTE_QUOTA": "9"}).minute_quota == 9
    quotas = Quotas(clock=None, minute_override_all=7)
    assert quotas.minute_limit_of("atsCandidates", SYNC_QUOTA) == 7
    assert quotas.minute_limit_of("conversationEvents", INMAIL_HISTORY) == 7
    assert Quotas(clock=None).minute_limit_of("atsCandidates", SYNC_QUOTA) == 10_000
