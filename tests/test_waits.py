"""The admin API's two waits (``/_mock/requests/wait``, ``/_mock/notifications/wait``) time out in one shape: 408
in LinkedIn's error envelope with ``X-RestLi-Error-Response``, a message showing the criteria as JSON, and
``filter``, ``count`` and what the wait saw."""

from __future__ import annotations

import json

import pytest

from mock_server.testing.client import RscClient
from tests.conftest import DEMO_ORG
from tests.recruiting import enable

FINDER = "/v2/atsIntegrations?q=request&requestId=nothing"


def assert_timed_out(reply, message: str, criteria: dict, seen_key: str) -> list[dict]:
    """The one 408 shape; returns what the wait saw."""
    assert reply.status_code == 408, reply.text
    assert reply.headers["X-RestLi-Error-Response"] == "true"
    body = reply.json()
    assert set(body) == {"status", "serviceErrorCode", "message", "filter", "count", seen_key}
    assert body["status"] == body["serviceErrorCode"] == 408
    assert body["message"] == message and "'" not in body["message"]
    assert body["filter"] == criteria and body["count"] == len(body[seen_key])
    return body[seen_key]


def test_journal_wait_times_out_in_the_one_shape(http):
    reply = http.post("/_mock/requests/wait", json={"filter": {"path": "/v2/x"}, "timeout": 0.2})
    seen = assert_timed_out(reply, 'No request matched {"path": "/v2/x"} within 0.2 s', {"path": "/v2/x"},
                            "requests")
    assert seen == []


def test_journal_wait_for_several_says_how_many_matched(http, customer):
    http.get(FINDER, headers=customer)
    criteria = {"resource": "atsIntegrations", "status": "2xx"}
    reply = http.post("/_mock/requests/wait", json={"filter": criteria, "count": 2, "timeout": 1})
    seen = assert_timed_out(reply, f"1 of 2 requests matched {json.dumps(criteria, sort_keys=True)} within 1.0 s",
                            criteria, "requests")
    assert [entry["resource"] for entry in seen] == ["atsIntegrations"]


def test_notification_wait_times_out_in_the_one_shape(http):
    queued = enable(http, DEMO_ORG, ["IN_ATS_INDICATOR"], False).json()["notification"]  # no callback
    reply = http.post("/_mock/notifications/wait", json={"filter": {"type": "INTEGRATION_STATUS_CHANGE"},
                                                          "timeout": 0.2})
    criteria = {"status": "delivered", "type": "INTEGRATION_STATUS_CHANGE"}
    seen = assert_timed_out(reply, f"No notification matched {json.dumps(criteria, sort_keys=True)} within 0.2 s",
                            criteria, "notifications")
    assert [n["id"] for n in seen] == [queued["id"]]


@pytest.mark.parametrize("path, body", [("/_mock/requests/wait", {"timeout": 301}),
                                        ("/_mock/notifications/wait", {"timeout": 301}),
                                        ("/_mock/requests/wait", {"timeout": -1}),
                                        ("/_mock/notifications/wait", {"timeout": "soon"})])
def test_both_waits_take_the_same_timeout(http, path, body):
    reply = http.post(path, json=body)
    assert reply.status_code == 400 and reply.json()["message"].startswith("ERROR :: /timeout ::")


def test_the_client_raises_timeout_error_with_the_message(server):
    with RscClient(server.url) as client:
        with pytest.raises(TimeoutError, match=r'No request matched \{"path": "/v2/x"\} within 0\.1 s'):
            client.wait_for_requests(timeout=0.1, path="/v2/x")
        with pytest.raises(TimeoutError, match=r'No notification matched \{"id": "1", "status": "delivered"\}'):
            client.wait_for_notification({"id": "1"}, timeout=0.1)
