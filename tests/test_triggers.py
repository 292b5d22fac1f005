"""``rsc-mock trigger …`` and ``rsc-mock listen`` run as real subprocesses against a real server: each action
and its one-line summary (or JSON), the push notification followed attempt by attempt to a real receiver, and
the exit codes: 2 for usage errors, 1 for a refusal or an unreachable server, one line and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mock_server.testing.server import free_port
from mock_server.testing.webhook import WebhookReceiver
from tests.conftest import DEMO_ORG
from tests.recruiting import set_callback, sync_job, wait_notification

JANE = "urn:li:person:jane-doe"


def rsc_mock(*args: str, url: str | None) -> subprocess.CompletedProcess:
    """``rsc-mock <args> [--url url]``, finished."""
    return subprocess.run([sys.executable, "-m", "mock_server", *args, *(["--url", url] if url else [])],
                          capture_output=True, text=True, timeout=60, env=clean_env())


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "RSC_MOCK_URL"}


def one_line(result: subprocess.CompletedProcess) -> str:
    """The single line a command printed on stderr (asserting it is one, and no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


@pytest.fixture
def listener(server):
    """``rsc-mock listen --count 1`` on the server, started (its banner read) before the test acts."""
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "listen", "--url", server.url, "--count", "1",
                                "--interval", "0.1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=clean_env())
    try:
        assert process.stderr.readline().startswith(f"listening to the push notifications of {server.url}")
        yield process
    finally:
        process.kill()
        process.wait(10)


def test_trigger_export_and_listen_follow_the_notification_to_the_receiver(http, customer, server, listener):
    sync_job(http, customer, "JOB-CLI")
    with WebhookReceiver(status=500) as hook:
        set_callback(http, customer, hook.url + "/cb")
        http.post("/_mock/clock", json={"freeze": True}).raise_for_status()
        done = rsc_mock("trigger", "export", "--seat", "3000", "--member", JANE, "--job", "JOB-CLI", url=server.url)
        assert done.returncode == 0 and done.stderr == "", done.stderr
        [line] = done.stdout.splitlines()
        notification = line.rsplit("push notification ", 1)[1].split()[0]
        assert line.startswith(f"exported {JANE} to job JOB-CLI (urn:li:jobPosting:") and "as urn:li:person:" in line
        assert line.endswith(f"push notification {notification} (EXPORT_CANDIDATE_PROFILE) queued")
        assert wait_notification(http, id=notification, attempts=1, status="pending").status_code == 200
        hook.status = 200
        http.post("/_mock/clock", json={"advance": 1}).raise_for_status()
        out, err = listener.communicate(timeout=30)
    assert listener.returncode == 0, err
    events = [line.split(" ", 1)[1] for line in out.splitlines()]  # without the clock time
    assert len(events) == 4, out
    assert events[0] == (f"push {notification} EXPORT_CANDIDATE_PROFILE for {DEMO_ORG}"
                         " (application urn:li:developerApplication:11)")
    assert events[1].startswith(f"push {notification} attempt 1 to {hook.url}/cb: HTTP 500 in ")
    assert events[2].startswith(f"push {notification} attempt 2 to {hook.url}/cb: HTTP 200 in ")
    assert events[3] == f"push {notification} delivered"


def inmail(server, *extra: str) -> dict:
    sent = rsc_mock("trigger", "inmail", "--seat", "urn:li:seat:3000", "--member", JANE, "--subject", "Hello",
                    "--body", "A role for you?", "--json", *extra, url=server.url)
    assert sent.returncode == 0, sent.stderr
    return json.loads(sent.stdout)["event"]


def test_trigger_inmail_reply_and_note(server):
    event = inmail(server)
    assert event["direction"] == "SENT" and event["subject"] == "Hello" and event["prospect"] == JANE
    shared = rsc_mock("trigger", "reply", "--conversation", event["conversation"], "--body", "Sure, call me",
                      "--accept", "--share-contact-info", "--phone", "+1 555 0100", "--json", url=server.url)
    assert shared.returncode == 0, shared.stderr
    reply = json.loads(shared.stdout)
    assert reply["event"]["response"] == "ACCEPTED" and reply["mailStub"]["phoneNumber"] == "+1 555 0100"

    other = inmail(server)
    replied = rsc_mock("trigger", "reply", "--conversation", other["conversation"], "--body", "No thanks", "--decline",
                       url=server.url)
    assert replied.returncode == 0 and replied.stdout == f"reply received in conversation {other['conversation']}\n"
    sent = rsc_mock("trigger", "inmail", "--seat", "3000", "--member", JANE, "--body", "Hi", url=server.url)
    assert sent.stdout.startswith("InMail sent in conversation urn:li:"), sent.stdout

    noted = rsc_mock("trigger", "note", "--seat", "3000", "--member", JANE, "--note", "Strong Python",
                     "--visibility", "PRIVATE", url=server.url)
    assert noted.returncode == 0 and noted.stdout.startswith("PRIVATE prospect note "), noted.stderr
    assert noted.stdout.strip().endswith(f"written on {JANE}")
    assert any(doc["note"] == "Strong Python" and doc["visibility"] == "PRIVATE"
               for doc in server.emulator.interactions.notes("urn:li:contract:2000"))


def test_trigger_integration_disables_then_reports_nothing_changed(http, server):
    args = ("trigger", "integration", "--context", DEMO_ORG, "--type", "PROFILE_PLUGIN", "--type",
            "IN_ATS_INDICATOR", "--disable")
    first = rsc_mock(*args, url=server.url)
    assert first.returncode == 0, first.stderr
    line = first.stdout.strip()
    assert line.startswith(f"changed: PROFILE_PLUGIN of {DEMO_ORG}, IN_ATS_INDICATOR of {DEMO_ORG}; push"
                           " notification ") and line.endswith("(INTEGRATION_STATUS_CHANGE) queued"), line
    again = rsc_mock(*args, url=server.url)
    assert again.stdout.strip() == "nothing changed (already in that state): no push notification"
    states = http.get("/_mock/recruiter/indicator", params={"seat": "3000", "member": JANE}).json()
    assert DEMO_ORG in states["disabledIn"]


def test_listen_all_replays_what_happened_as_json_lines(http, server):
    queued = http.post("/_mock/recruiter/integrations", json={
        "integrationContext": DEMO_ORG, "integrationType": "PROFILE_PLUGIN", "enabled": False}).json()["notification"]
    assert wait_notification(http, id=queued["id"], attempts=1, status="pending").status_code == 200
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "listen", "--all", "--json", "--interval", "0.1",
                                "--url", server.url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=clean_env())
    try:
        first, second = (json.loads(process.stdout.readline()) for _ in range(2))
    finally:
        process.kill()
        process.wait(10)
    assert first == {"event": "queued", "notification": queued["id"], "type": "INTEGRATION_STATUS_CHANGE",
                     "at": queued["createdAt"]}
    assert second["event"] == "attempt" and second["attempt"]["attempt"] == 1
    assert "no CALLBACK_URL" in second["attempt"]["error"]


@pytest.mark.parametrize("args, message", [
    (("trigger", "export", "--seat", "999", "--member", JANE, "--job", "J"),
     "rsc-mock: POST /_mock/recruiter/exports answered 404: ERROR :: /seat :: no seat urn:li:seat:999"),
    (("trigger", "export", "--seat", "chair", "--member", JANE, "--job", "J"),
     'rsc-mock: POST /_mock/recruiter/exports answered 400: ERROR :: /seat :: "chair" is not a seat'),
    (("trigger", "note", "--seat", "3000", "--member", "jane", "--note", "n"),
     'rsc-mock: POST /_mock/recruiter/notes answered 400: ERROR :: /member :: "jane" is not a member'),
    (("trigger", "reply", "--conversation", "urn:li:conversation:nope", "--body", "b"),
     "rsc-mock: POST /_mock/recruiter/replies answered 404: ERROR :: /conversation ::"),
    (("trigger", "integration", "--context", "urn:li:organization:4242", "--type", "CSA_API", "--enable"),
     "rsc-mock: POST /_mock/recruiter/integrations answered 404: ERROR :: /integrationContext ::"),
])
def test_a_refused_trigger_exits_1_with_the_emulators_message(server, args, message):
    refused = rsc_mock(*args, url=server.url)
    assert refused.returncode == 1 and refused.stdout == ""
    assert one_line(refused).startswith(message)


@pytest.mark.parametrize("args", [
    ("trigger", "export", "--seat", "3000", "--member", JANE, "--job", "J"),
    ("trigger", "integration", "--context", DEMO_ORG, "--type", "CSA_API", "--enable"),
    ("listen",),
])
def test_an_unreachable_emulator_is_one_line_and_exit_1(args):
    url = f"http://127.0.0.1:{free_port()}"
    result = rsc_mock(*args, url=url)
    assert result.returncode == 1
    assert one_line(result) == (f"rsc-mock: cannot reach the emulator at {url} (connection refused): start it with"
                                " `rsc-mock serve` or pass --url")


@pytest.mark.parametrize("args, says", [
    (("trigger",), "the following arguments are required: action"),
    (("trigger", "export", "--member", JANE, "--job", "J"), "the following arguments are required: --seat"),
    (("trigger", "integration", "--context", DEMO_ORG, "--type", "NOPE", "--enable"), "invalid choice: 'NOPE'"),
    (("trigger", "integration", "--context", DEMO_ORG, "--type", "CSA_API"), "one of the arguments --enable"),
    (("trigger", "integration", "--context", DEMO_ORG, "--type", "CSA_API", "--enable", "--disable"),
     "not allowed with argument"),
    (("trigger", "reply", "--conversation", "c", "--body", "b", "--accept", "--decline"), "not allowed with"),
    (("trigger", "teleport"), "invalid choice: 'teleport'"),
    (("listen", "--count", "0"), "argument --count: 0 is not a count (1 or more)"),
    *((("listen", "--interval", value), f"{value} is not a number of seconds from 0.001 to 3600")
      for value in ("nan", "inf", "1e308", "0", "-1", "3601")),
    (("listen", "--interval", "soon"), "'soon' is not a number of seconds"),
    *((("serve", option, value), f"{value} is not a number of seconds from")
      for option in ("--job-task-delay", "--header-timeout", "--body-timeout") for value in ("nan", "inf", "1e308")),
])
def test_usage_errors_exit_2_with_one_line(args, says):
    result = rsc_mock(*args, url=None)
    assert result.returncode == 2 and says in one_line(result), result.stderr
    assert one_line(result).startswith("rsc-mock")


def test_the_url_comes_from_rsc_mock_url(server):
    result = subprocess.run([sys.executable, "-m", "mock_server", "trigger", "integration", "--context", DEMO_ORG,
                             "--type", "CSA_API", "--enable"], capture_output=True, text=True, timeout=60,
                            env={**clean_env(), "RSC_MOCK_URL": server.url})
    assert result.returncode == 1 and "answered 404: ERROR :: /integrationType" in one_line(result)


def test_the_readmes_trigger_commands_are_valid():
    import re
    import shlex
    from pathlib import Path

    from mock_server.cli import build_parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("### From the command line: `rsc-mock trigger`"):]
    [block] = re.findall(r"```bash\n(.*?)```", section, flags=re.S)[:1]
    commands = [shlex.split(line.split("  #")[0].rstrip(" &"))[1:] for line in block.splitlines()]
    assert {c[0] if c[0] == "listen" else c[1] for c in commands} == {"listen", "export", "inmail", "reply", "note",
                                                                      "integration"}
    for argv in commands:
        build_parser().parse_args([arg.replace("$CONVERSATION", "urn:li:conversation:1") for arg in argv])


def test_trigger_and_listen_act_in_the_sandbox_they_name(http, server):
    sandbox = http.post("/_mock/sandboxes").json()
    try:
        args = ("trigger", "integration", "--context", DEMO_ORG, "--type", "PROFILE_PLUGIN", "--disable")
        done = rsc_mock(*args, "--sandbox", sandbox["id"], url=server.url)
        assert done.returncode == 0 and done.stdout.startswith("changed: PROFILE_PLUGIN"), done.stderr
        mine = http.get(f"/_mock/sandboxes/{sandbox['id']}/notifications").json()["notifications"]
        assert [doc["type"] for doc in mine] == ["INTEGRATION_STATUS_CHANGE"]
        assert http.get("/_mock/notifications").json()["notifications"] == []  # the default world saw nothing
        process = subprocess.Popen([sys.executable, "-m", "mock_server", "listen", "--all", "--json", "--interval",
                                    "0.1", "--url", server.url, "--sandbox", sandbox["id"]], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=clean_env())
        try:
            first = json.loads(process.stdout.readline())
        finally:
            process.kill()
            process.wait(10)
        assert first["event"] == "queued" and first["notification"] == mine[0]["id"]
        unknown = rsc_mock(*args, "--sandbox", "sbnothere1", url=server.url)
        assert unknown.returncode == 1 and "No sandbox 'sbnothere1'" in one_line(unknown)
    finally:
        http.delete(f"/_mock/sandboxes/{sandbox['id']}")
