"""The harness's one filter language (mock_server.harness.criteria): each criterion kind on its own, then the
request journal and the notification outbox filtered over HTTP with it (list and wait)."""

from __future__ import annotations

import pytest

from mock_server.harness.criteria import (
    REQUEST_CRITERIA,
    AtLeast,
    Filter,
    HttpStatus,
    Pattern,
    Text,
)
from mock_server.restli.errors import RestliError
from tests.conftest import DEMO_ORG
from tests.recruiting import enable

FINDER = "/v2/atsIntegrations?q=request&requestId=nothing"
ENTRY = {"method": "GET", "path": "/v2/atsCandidates/1", "resource": "atsCandidates", "restliMethod": "GET",
         "status": 429, "application": "urn:li:developerApplication:11", "clientId": "demo-customer", "at": 1000}
KINDS = Filter(text=Text(), folded=Text(fold_case=True), choice=Text(choices=("A", "B")),
               either=Text(also=("other",)), path=Pattern(), status=HttpStatus(), least=AtLeast("n", "units"),
               many=AtLeast("items", "items", count=True))


@pytest.mark.parametrize("criteria, record, expected", [
    ({"text": "x"}, {"text": "x"}, True),
    ({"text": "x"}, {"text": "X"}, False),
    ({"text": "x"}, {}, False),
    ({"folded": "get"}, {"folded": "GET"}, True),
    ({"folded": "get"}, {}, False),
    ({"choice": "A"}, {"choice": "A"}, True),
    ({"either": "k"}, {"either": "j", "other": "k"}, True),
    ({"either": "k"}, {"either": "j", "other": "l"}, False),
    ({"path": "/v2/a"}, {"path": "/v2/ab"}, True),           # a prefix
    ({"path": "/v2/a*b"}, {"path": "/v2/axb"}, True),        # a glob
    ({"path": "/v2/a*b"}, {"path": "/v2/axbc"}, False),
    ({"path": "/v2/[xy]"}, {"path": "/v2/y"}, True),
    ({"status": 429}, {"status": 429}, True),
    ({"status": "4xx"}, {"status": 404}, True),
    ({"status": "4xx"}, {"status": 500}, False),
    ({"status": "5xx"}, {}, False),                           # no status (a dropped connection)
    ({"least": 5}, {"n": 5}, True),
    ({"least": 5}, {"n": 4}, False),
    ({"least": -1}, {}, True),
    ({"many": 2}, {"items": [1, 2]}, True),
    ({"many": 2}, {"items": [1]}, False),
    ({"text": "x", "least": 1}, {"text": "x", "n": 0}, False),  # every criterion must hold
    ({}, {}, True),
])
def test_each_kind_matches_as_documented(criteria, record, expected):
    assert KINDS.matches(record, KINDS.parse(criteria, "/filter")) is expected


@pytest.mark.parametrize("raw, parsed", [
    ({"status": "429"}, {"status": 429}),      # query parameters arrive as text
    ({"status": "4XX"}, {"status": "4xx"}),
    ({"least": "-7"}, {"least": -7}),
    ({"many": "3"}, {"many": 3}),
    ({"text": None, "least": 2}, {"least": 2}),  # null leaves a criterion out
    (None, {}),
])
def test_values_are_read_from_json_or_query_text(raw, parsed):
    assert KINDS.parse(raw, "/query") == parsed


@pytest.mark.parametrize("raw, where", [
    ({"text": ""}, "/filter/text"),
    ({"text": 3}, "/filter/text"),
    ({"folded": ["GET"]}, "/filter/folded"),
    ({"choice": "C"}, "/filter/choice"),
    ({"path": ""}, "/filter/path"),
    ({"status": 99}, "/filter/status"),
    ({"status": "6xx"}, "/filter/status"),
    ({"status": True}, "/filter/status"),
    ({"least": 1.5}, "/filter/least"),
    ({"least": "x"}, "/filter/least"),
    ({"many": True}, "/filter/many"),
    ({"colour": "red"}, "/filter/colour"),
    ([], "/filter"),
])
def test_bad_criteria_are_refused_naming_the_field(raw, where):
    with pytest.raises(RestliError) as refused:
        KINDS.parse(raw, "/filter")
    assert refused.value.status == 400 and refused.value.message.startswith(f"ERROR :: {where} ::")


def test_equalities_are_the_plain_equality_criteria():
    criteria = KINDS.parse({"text": "x", "folded": "y", "either": "z", "choice": "A", "least": 1}, "")
    assert KINDS.equalities(criteria) == {"text": "x", "choice": "A"}


def test_request_criteria_fit_a_journal_entry():
    wanted = REQUEST_CRITERIA.parse({"method": "get", "path": "/v2/ats*", "resource": "atsCandidates",
                                     "restliMethod": "get", "status": "4xx", "application": "demo-customer",
                                     "since": "1000"}, "/query")
    assert REQUEST_CRITERIA.matches(ENTRY, wanted)
    assert not REQUEST_CRITERIA.matches(ENTRY, {**wanted, "since": 1001})
    assert REQUEST_CRITERIA.matches(ENTRY, {"application": "urn:li:developerApplication:11"})


def test_journal_list_and_wait_filter_alike(http, customer):
    assert http.get(FINDER, headers=customer).status_code == 200
    assert http.get("/v2/atsIntegrations?q=nope", headers=customer).status_code == 400
    for criteria, count in (({"status": "2xx", "method": "get"}, 1), ({"status": "400"}, 1),
                            ({"application": "demo-customer", "path": "/v2/atsIntegrations*"}, 2),
                            ({"restliMethod": "finder", "resource": "atsIntegrations"}, 2), ({"since": "0"}, 3)):
        listed = http.get("/_mock/requests", params=criteria).json()
        assert listed["count"] == count, (criteria, listed)
        waited = http.post("/_mock/requests/wait", json={"filter": criteria, "count": count, "timeout": 5})
        assert waited.status_code == 200 and waited.json()["requests"] == listed["requests"], criteria
    for bad, where in (({"status": "6xx"}, "status"), ({"method": ""}, "method"), ({"colour": "red"}, "colour")):
        assert http.get("/_mock/requests", params=bad).json()["message"].startswith(f"ERROR :: /query/{where} ::")
        refused = http.post("/_mock/requests/wait", json={"filter": bad, "timeout": 0}).json()
        assert refused["message"].startswith(f"ERROR :: /filter/{where} ::")


def test_notification_list_and_wait_filter_alike(http):
    http.post("/_mock/clock", json={"freeze": True}).raise_for_status()  # no retry while the test looks
    queued = enable(http, DEMO_ORG, ["IN_ATS_INDICATOR"], False).json()["notification"]  # no callback: pending
    for criteria in ({"id": queued["id"]}, {"type": "INTEGRATION_STATUS_CHANGE", "status": "pending"},
                     {"application": queued["application"], "integrationContext": DEMO_ORG},
                     {"attempts": "1", "status": "pending"}):
        waited = http.post("/_mock/notifications/wait", json={"filter": {"status": "pending", **criteria},
                                                               "timeout": 5})
        assert waited.status_code == 200 and waited.json()["notification"]["id"] == queued["id"], criteria
        listed = http.get("/_mock/notifications", params=criteria).json()
        assert [n["id"] for n in listed["notifications"]] == [queued["id"]], criteria
    assert http.get("/_mock/notifications", params={"type": "EXPORT_CANDIDATE_PROFILE"}).json()["count"] == 0
    assert http.get("/_mock/notifications", params={"attempts": "2"}).json()["count"] == 0
    for bad, where in (({"status": "lost"}, "status"), ({"id": ""}, "id"), ({"attempts": "x"}, "attempts"),
                       ({"colour": "red"}, "colour")):
        assert http.get("/_mock/notifications", params=bad).json()["message"].startswith(f"ERROR :: /{where} ::")
        refused = http.post("/_mock/notifications/wait", json={"filter": bad, "timeout": 0}).json()
        assert refused["message"].startswith(f"ERROR :: /filter/{where} ::")

