"""Push notifications through the real server and real HTTP receivers: the signed body, retries with backoff on
the emulator's clock, receivers that refuse, hang or redirect, redelivery, the wait endpoint, expiry of the
follow-up GETs, and the callback challenge handshake (spec README: "Push notification", "Callback
validation", "Unknown request ids")."""

from __future__ import annotations

import contextlib
import itertools
import json
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from mock_server.config import Settings
from mock_server.domain.recruiter.notifications import BACKOFF_S
from mock_server.schemas import validation
from mock_server.testing.server import RunningServer, free_port
from mock_server.testing.webhook import WebhookReceiver
from tests.conftest import DEMO_ORG, token_for
from tests.recruiting import (
    DEMO_SECRET,
    configure,
    delivered,
    enable,
    export,
    provision_customer,
    set_callback,
    signature_of,
    sync_job,
    wait_notification,
)

SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000


def toggle_indicator(http, enabled: bool, context: str = DEMO_ORG) -> dict:
    """Disable or enable IN_ATS_INDICATOR (a status change) and return the queued notification."""
    reply = enable(http, context, ["IN_ATS_INDICATOR"], enabled)
    assert reply.status_code == 200, reply.text
    return reply.json()["notification"]


@contextlib.contextmanager
def hanging_listener():
    """A TCP port that accepts connections (backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


@contextlib.contextmanager
def redirecting_listener(target: str):
    """An HTTP server answering every request with ``307 Location: target``."""
    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(307)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def test_signed_notification_is_delivered_and_resolves(http, customer):
    with WebhookReceiver() as hook:
        set_callback(http, customer, hook.url + "/linkedin")
        queued = toggle_indicator(http, False)
        [received] = hook.wait(count=1, timeout=10)
    assert received.method == "POST" and received.path == "/linkedin"
    assert received.headers["content-type"] == "application/json"
    assert received.headers["x-li-signature"] == signature_of(DEMO_SECRET, received.body)
    assert received.body == json.dumps({"id": queued["id"], "type": "INTEGRATION_STATUS_CHANGE",
                                        "expiresAt": queued["expiresAt"]}, separators=(",", ":")).encode()
    assert queued["id"].isdigit() and len(queued["id"]) >= 16
    assert validation.errors("pushNotification", received.json()) == []
    assert queued["expiresAt"] - queued["createdAt"] == SEVEN_DAYS_MS
    done = delivered(http, id=queued["id"])
    assert done["status"] == "delivered" and done["application"] == "urn:li:developerApplication:11"
    [attempt] = done["attempts"]
    assert attempt["attempt"] == 1 and attempt["status"] == 200 and attempt["reply"] == '{"received": true}'
    assert attempt["latencyMs"] >= 0 and attempt["startedAt"] >= queued["createdAt"]
    follow_up = http.get("/v2/atsIntegrations", params={"q": "request", "requestId": queued["id"]}, headers=customer)
    [integration] = follow_up.json()["elements"]
    assert integration["integrationType"] == "IN_ATS_INDICATOR" and "enabledAt" not in integration
    listed = http.get("/_mock/notifications", params={"type": "INTEGRATION_STATUS_CHANGE", "status": "delivered"})
    assert [n["id"] for n in listed.json()["notifications"]] == [queued["id"]]


def test_no_change_no_notification_and_action_errors(http):
    unchanged = enable(http, DEMO_ORG, ["ONE_CLICK_EXPORT"], True).json()
    assert unchanged["notification"] is None and unchanged["changed"] == []
    assert enable(http, "urn:li:organization:999999", ["ONE_CLICK_EXPORT"]).status_code == 404
    bad = enable(http, DEMO_ORG, ["NOT_A_TYPE"])
    assert bad.status_code == 400 and "/integrationTypes/0" in bad.json()["message"]
    csa = {"integrationContext": DEMO_ORG, "integrationType": "CSA_API", "enabled": True}
    assert http.post("/_mock/recruiter/integrations", json=csa).status_code == 404
    assert http.get("/_mock/notifications").json()["count"] == 0


def test_retries_follow_the_backoff_on_the_emulators_clock(http, customer):
    with WebhookReceiver(status=503) as hook:
        set_callback(http, customer, hook.url)
        http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
        queued = toggle_indicator(http, False)
        first = wait_notification(http, id=queued["id"], status="pending", attempts=1).json()["notification"]
        assert first["attempts"][0]["status"] == 503
        assert first["nextAttemptAt"] == first["attempts"][0]["startedAt"] + 1000
        # nothing happens while the clock stands still, however long we wait
        assert wait_notification(http, timeout=0.3, id=queued["id"], attempts=2, status="pending").status_code == 408
        http.post("/_mock/clock", json={"advance": 1}).raise_for_status()
        wait_notification(http, id=queued["id"], attempts=2, status="pending")
        hook.status = 200
        http.post("/_mock/clock", json={"advance": 2}).raise_for_status()
        done = delivered(http, id=queued["id"])
    started = [attempt["startedAt"] for attempt in done["attempts"]]
    assert [b - a for a, b in itertools.pairwise(started)] == [1000, 2000]
    assert [a.get("status") for a in done["attempts"]] == [503, 503, 200]
    assert len(hook.requests) == 3
    assert len({r.headers["x-li-signature"] for r in hook.requests}) == 1


def test_gives_up_after_six_retries_then_redelivers(http, customer):
    with WebhookReceiver(status=500) as hook:
        set_callback(http, customer, hook.url)
        http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
        queued = toggle_indicator(http, False)
        for attempts, wait_s in enumerate((1, 2, 4, 8, 16, 32), start=1):
            wait_notification(http, id=queued["id"], attempts=attempts, status="pending")
            http.post("/_mock/clock", json={"advance": wait_s}).raise_for_status()
        failed = wait_notification(http, id=queued["id"], status="failed").json()["notification"]
        assert len(failed["attempts"]) == 7 and failed["nextAttemptAt"] is None
        assert http.get("/_mock/notifications", params={"status": "failed"}).json()["count"] == 1
        hook.status = 200
        again = http.post(f"/_mock/notifications/{queued['id']}/redeliver")
        assert again.status_code == 200 and again.json()["round"] == 2
        done = delivered(http, id=queued["id"])
        assert len(hook.requests) == 8
    assert [a["round"] for a in done["attempts"]] == [1] * 7 + [2]
    assert done["attempts"][-1] == {**done["attempts"][-1], "attempt": 8, "status": 200}


def assert_whole_schedule_then_nothing(http, server, queued: dict, hook: WebhookReceiver) -> None:
    """Seven attempts 1, 2, 4, 8, 16 and 32 s apart on the frozen clock, the notification failed, and nothing
    scheduled any more however far the clock moves."""
    hook.wait(count=len(BACKOFF_S) + 1, timeout=30)
    failed = wait_notification(http, id=queued["id"], status="failed")
    assert failed.status_code == 200, failed.text
    doc = failed.json()["notification"]
    started = [attempt["startedAt"] for attempt in doc["attempts"]]
    assert [b - a for a, b in zip(started, started[1:], strict=False)] == [s * 1000 for s in BACKOFF_S]
    assert [attempt.get("status") for attempt in doc["attempts"]] == [500] * (len(BACKOFF_S) + 1)
    assert doc["nextAttemptAt"] is None and server.emulator.outbox.schedule.keys() == []
    http.post("/_mock/clock", json={"advance": 3600}).raise_for_status()
    assert wait_notification(http, timeout=0.5, id=queued["id"], attempts=len(BACKOFF_S) + 2).status_code == 408
    assert len(hook.requests) == len(BACKOFF_S) + 1


def test_the_whole_retry_schedule_when_the_receiver_moves_the_clock_before_answering(http, server, customer):
    """The receiver advances the clock by the next backoff the moment it has an attempt, before its 500: the
    clock has moved while the attempt still waits for its reply, and the retry is due from the attempt's start."""
    backoffs = list(BACKOFF_S)

    def advance_now(received) -> None:
        if backoffs:
            httpx.post(server.url + "/_mock/clock", json={"advance": backoffs.pop(0)}, timeout=10).raise_for_status()

    with WebhookReceiver(status=500, on_request=advance_now) as hook:
        set_callback(http, customer, hook.url)
        http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
        queued = toggle_indicator(http, False)
        assert_whole_schedule_then_nothing(http, server, queued, hook)


def test_the_whole_retry_schedule_when_the_test_moves_the_clock_as_soon_as_the_receiver_has_an_attempt(
        http, server, customer):
    """A partner's test: receiver answers 500, advance by the backoff as soon as ``wait()`` returns (the attempt
    may not have its reply recorded yet), expect the next attempt."""
    with WebhookReceiver(status=500) as hook:
        set_callback(http, customer, hook.url)
        http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
        queued = toggle_indicator(http, False)
        for attempt, wait_s in enumerate(BACKOFF_S, start=1):
            hook.wait(count=attempt, timeout=15)
            http.post("/_mock/clock", json={"advance": wait_s}).raise_for_status()
        assert_whole_schedule_then_nothing(http, server, queued, hook)


@pytest.mark.parametrize("kind", ["refuse", "hang", "redirect"])
def test_a_bad_receiver_logs_failed_attempts_while_others_are_delivered(http, partner, customer, kind):
    globex = provision_customer(http, partner, f"globex-{kind}")
    with WebhookReceiver() as good, contextlib.ExitStack() as stack:
        bad_url = {"refuse": lambda: f"http://127.0.0.1:{free_port()}/hook",
                   "hang": lambda: stack.enter_context(hanging_listener()),
                   "redirect": lambda: stack.enter_context(redirecting_listener(good.url + "/redirected"))}[kind]()
        set_callback(http, customer, bad_url)
        set_callback(http, globex["headers"], good.url + "/globex", context=globex["org"])
        stuck = toggle_indicator(http, False)
        other = toggle_indicator(http, False, context=globex["org"])
        done = delivered(http, id=other["id"])
        if kind == "hang":  # the hanging attempt (3 s) is still running: it held nothing up
            assert http.get(f"/_mock/notifications/{stuck['id']}").json()["attempts"] == []
        failed = wait_notification(http, id=stuck["id"], attempts=1, status="pending", timeout=15)
        assert failed.status_code == 200, failed.text
    [attempt] = failed.json()["notification"]["attempts"]
    assert done["attempts"][0]["status"] == 200
    assert {r.path for r in good.requests} == {"/globex"}  # a redirect is never followed
    [mine] = [r for r in good.requests if r.json()["id"] == other["id"]]
    assert mine.headers["x-li-signature"] == signature_of(globex["clientSecret"], mine.body)
    if kind == "redirect":
        assert attempt["status"] == 307 and "error" not in attempt
    elif kind == "hang":
        assert attempt["error"] == "no answer within 3 s" and "status" not in attempt
    else:
        assert "status" not in attempt and "Connect" in attempt["error"]


def test_missing_callback_is_a_logged_failed_attempt(http):
    queued = toggle_indicator(http, False)
    notification = wait_notification(http, id=queued["id"], attempts=1, status="pending").json()["notification"]
    attempt = notification["attempts"][0]
    assert "no CALLBACK_URL" in attempt["error"] and attempt["url"] is None


def store_callback(server, url: str) -> None:
    """Put ``url`` as the demo customer's CALLBACK_URL straight into the store (no validation), as an old
    data directory or an imported snapshot may hold it."""
    integrations = server.emulator.integrations
    integration = integrations.get({"integrationContext": DEMO_ORG, "integrationType": "ONE_CLICK_EXPORT",
                                    "tenantType": "RECRUITER", "dataProvider": "ATS"})
    integrations.configurations.put(integrations.configuration_key(integration, "CALLBACK_URL"), {
        "integration": "", "integrationContext": DEMO_ORG, "integrationType": "ONE_CLICK_EXPORT",
        "configurationKey": "CALLBACK_URL", "configurationValue": {"string": url}})


@pytest.mark.parametrize("url", ["http://localhost:99999/x", "http://[::1", "notaurl"])
def test_a_callback_the_client_cannot_use_is_a_failed_attempt_on_the_backoff(http, server, url):
    store_callback(server, url)
    http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
    queued = toggle_indicator(http, False)
    reply = wait_notification(http, id=queued["id"], attempts=1, status="pending")
    assert reply.status_code == 200, reply.text
    first = reply.json()["notification"]
    [attempt] = first["attempts"]
    assert attempt["url"] == url and attempt["error"] and "status" not in attempt
    assert first["nextAttemptAt"] == attempt["startedAt"] + 1000
    # the clock stands still: no second attempt however long we wait (no retry loop)
    assert wait_notification(http, timeout=0.5, id=queued["id"], attempts=2).status_code == 408
    http.post("/_mock/clock", json={"advance": 1}).raise_for_status()
    second = wait_notification(http, id=queued["id"], attempts=2, status="pending").json()["notification"]
    assert second["nextAttemptAt"] == second["attempts"][1]["startedAt"] + 2000


def test_a_defect_in_an_attempt_is_a_failed_attempt_on_the_backoff(http, server):
    http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
    queued = toggle_indicator(http, False)
    wait_notification(http, id=queued["id"], attempts=1, status="pending").raise_for_status()
    outbox = server.emulator.outbox
    broken = {**outbox.get(queued["id"]), "expiresAt": "soon"}  # a document the delivery code cannot read
    outbox.table.put(queued["id"], broken)
    http.post("/_mock/clock", json={"advance": 1}).raise_for_status()
    reply = wait_notification(http, id=queued["id"], attempts=2, status="pending")
    assert reply.status_code == 200, reply.text
    doc = reply.json()["notification"]
    assert "TypeError" in doc["attempts"][1]["error"]
    assert doc["nextAttemptAt"] == doc["attempts"][1]["startedAt"] + 2000
    assert wait_notification(http, timeout=0.5, id=queued["id"], attempts=3).status_code == 408


def test_admin_notification_endpoints_errors(http):
    assert http.get("/_mock/notifications/123").status_code == 404
    assert http.post("/_mock/notifications/123/redeliver").status_code == 404
    assert http.get("/_mock/notifications", params={"status": "lost"}).status_code == 400
    assert "/colour" in http.get("/_mock/notifications", params={"colour": "red"}).json()["message"]
    assert http.post("/_mock/notifications/wait", json={"timeout": -1}).status_code == 400
    assert http.post("/_mock/notifications/wait", json={"filter": {"type": "X"}}).status_code == 400
    assert http.post("/_mock/notifications/wait", json={"filter": []}).status_code == 400
    assert http.post("/_mock/notifications/wait", content=b"{").status_code == 400


def test_wait_times_out_with_what_exists(http):
    queued = toggle_indicator(http, False)  # no CALLBACK_URL: never delivered
    reply = wait_notification(http, timeout=0.2, type="INTEGRATION_STATUS_CHANGE")
    assert reply.status_code == 408
    assert [n["id"] for n in reply.json()["notifications"]] == [queued["id"]]


def test_follow_up_gets_resolve_until_expiry(http, customer, partner):
    sync_job(http, customer, "JOB-EXP")
    exported = export(http, 3000, "urn:li:person:jane-doe", "JOB-EXP")
    assert exported.status_code == 201, exported.text
    export_id = exported.json()["notification"]["id"]
    status_id = toggle_indicator(http, False)["id"]
    globex = provision_customer(http, partner, "globex-expiry")

    def resolved(resource, request_id, headers=None):  # a fresh token: the clock jumps a week
        headers = headers or {"Authorization": "Bearer " + token_for(http, "demo-customer", DEMO_SECRET)}
        reply = http.get(f"/v2/{resource}", params={"q": "request", "requestId": request_id}, headers=headers)
        assert reply.status_code == 200, reply.text
        return reply.json()["elements"]

    [candidate] = resolved("exportedCandidates", export_id)
    assert candidate["candidate"]["person"] == "urn:li:person:jane-doe"
    assert resolved("exportedCandidates", status_id) == []  # the other type's id
    assert resolved("atsIntegrations", export_id) == []
    assert resolved("exportedCandidates", export_id, globex["headers"]) == []  # another customer's id
    assert resolved("exportedCandidates", "999") == []
    assert http.get("/v2/exportedCandidates", params={"q": "request"}, headers=customer).status_code == 400
    http.post("/_mock/clock", json={"advance": 7 * 24 * 3600 - 60}).raise_for_status()
    assert len(resolved("exportedCandidates", export_id)) == 1 and len(resolved("atsIntegrations", status_id)) == 1
    http.post("/_mock/clock", json={"advance": 61}).raise_for_status()
    assert resolved("exportedCandidates", export_id) == [] and resolved("atsIntegrations", status_id) == []
    assert http.post(f"/_mock/notifications/{export_id}/redeliver").status_code == 409


# ---- challenge handshake ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def validating():
    """A second emulator with ``callback_validation`` on."""
    with RunningServer(Settings(callback_validation=True)) as running:
        yield running


@pytest.fixture
def strict(validating):
    """An httpx client on the validating emulator (reset) and the demo customer's headers."""
    with httpx.Client(base_url=validating.url, timeout=20) as client:
        client.post("/_mock/reset").raise_for_status()
        yield client, {"Authorization": "Bearer " + token_for(client, "demo-customer", DEMO_SECRET)}


def callback_result(reply) -> dict:
    assert reply.status_code == 200, reply.text
    body = reply.json()
    return body["errors"].get("CALLBACK_URL") or body["results"]["CALLBACK_URL"]


def test_challenge_answered_correctly_registers_the_callback(strict):
    client, headers = strict
    with WebhookReceiver(client_secret=DEMO_SECRET) as hook:
        reply = configure(client, headers, DEMO_ORG, "CALLBACK_URL", hook.url + "/cb")
        assert callback_result(reply) == {"status": 204}
        [challenge] = hook.requests
    assert challenge.method == "GET" and challenge.path == "/cb"
    query = httpx.QueryParams(challenge.query)
    assert uuid.UUID(query["challengeCode"]).version == 4 and query["applicationId"] == "11"


@pytest.mark.parametrize("receiver, reason", [
    ("no-secret", "did not echo the challengeCode"),
    ("wrong-secret", "wrong challengeResponse"),
    ("error", "answered HTTP 500"),
    ("refuse", "failed: ConnectError"),
])
def test_challenge_failures_refuse_the_configuration(strict, receiver, reason):
    client, headers = strict
    secret = {"wrong-secret": "not-the-secret"}.get(receiver)
    with WebhookReceiver(client_secret=secret, status=500 if receiver == "error" else 200) as hook:
        url = f"http://127.0.0.1:{free_port()}/cb" if receiver == "refuse" else hook.url + "/cb"
        error = callback_result(configure(client, headers, DEMO_ORG, "CALLBACK_URL", url))
    assert error["status"] == 400
    assert "CALLBACK_URL validation failed" in error["message"] and reason in error["message"]
    assert error["message"].startswith("ERROR :: /configurationValue/string ::")
    got = client.get(f"/v2/atsIntegrations/integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT"
                     "&tenantType=RECRUITER&dataProvider=ATS/configurations?ids=CALLBACK_URL", headers=headers)
    assert "CALLBACK_URL" in got.json()["errors"]


def test_the_emulators_own_inbox_passes_the_challenge(strict, validating):
    client, headers = strict
    inbox = validating.url + "/_mock/inbox/postman"
    assert callback_result(configure(client, headers, DEMO_ORG, "CALLBACK_URL", inbox)) == {"status": 204}
    params = {"challengeCode": "abc", "applicationId": "424242"}
    assert client.get("/_mock/inbox/postman", params=params).status_code == 404
    assert client.get("/_mock/inbox/postman", params={"challengeCode": "abc"}).status_code == 400


def test_without_the_flag_no_challenge_is_sent(http, customer):
    with WebhookReceiver() as hook:
        set_callback(http, customer, hook.url)
        assert hook.requests == []
    set_callback(http, customer, f"http://127.0.0.1:{free_port()}/nobody-listens")


@pytest.mark.parametrize("json_lines", [False, True], ids=["text", "json"])
def test_every_delivery_attempt_is_in_the_server_log(tmp_path, json_lines):
    from mock_server.testing.server import serve_process

    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log, WebhookReceiver(status=500) as hook:
        process = serve_process(*(["--log-json"] if json_lines else []), port=port, stderr=log)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
                customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", DEMO_SECRET)}
                http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
                refused = f"http://127.0.0.1:{free_port()}/hook"
                set_callback(http, customer, refused)
                queued = toggle_indicator(http, False)
                assert wait_notification(http, id=queued["id"], attempts=1, status="pending").status_code == 200
                set_callback(http, customer, hook.url + "/hook")
                http.post("/_mock/clock", json={"advance": 1}).raise_for_status()
                second = wait_notification(http, id=queued["id"], attempts=2, status="pending").json()["notification"]
                hook.status = 200
                http.post("/_mock/clock", json={"advance": 2}).raise_for_status()
                delivered(http, id=queued["id"])
        finally:
            process.terminate()
            process.wait(10)
    assert second["attempts"][1]["status"] == 500 and "error" not in second["attempts"][1]
    text = log_path.read_text()
    assert "HTTP Request:" not in text  # the HTTP client's own line, without the notification id, is gone
    if json_lines:
        lines = [json.loads(line) for line in text.splitlines() if '"notification"' in line]
        assert [(line["attempt"], line.get("status"), line["outcome"], line["level"]) for line in lines] == [
            (1, None, "retrying", "WARNING"), (2, 500, "retrying", "WARNING"), (3, 200, "delivered", "INFO")]
        assert lines[0]["url"] == refused and "Connect" in lines[0]["error"]
        assert lines[0]["notification"] == queued["id"]
        return
    lines = [line.split(": ", 1)[1] for line in text.splitlines() if "rsc_mock.notifications" in line]
    prefix = f"push {queued['id']} INTEGRATION_STATUS_CHANGE attempt"
    assert len(lines) == 3, text
    assert lines[0].startswith(f"{prefix} 1 to {refused}: ConnectError")
    assert lines[0].endswith("next attempt in 1 s")
    assert lines[1].startswith(f"{prefix} 2 to {hook.url}/hook: HTTP 500 in ")
    assert lines[1].endswith("next attempt in 2 s")
    assert lines[2].startswith(f"{prefix} 3 to {hook.url}/hook: HTTP 200 in ") and lines[2].endswith("; delivered")
    assert "WARNING rsc_mock.notifications" in text and "INFO rsc_mock.notifications" in text
