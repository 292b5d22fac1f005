"""The plugin's options (``--rsc-url``/``$RSC_MOCK_URL``, ``--rsc-no-reset``, ``--rsc-fixtures``,
``--rsc-isolation``) and its webhook receiver."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
import textwrap
import threading

import httpx
import pytest

from mock_server.config import bundled_fixtures_dir
from mock_server.testing.webhook import WebhookReceiver

EXTERNAL = textwrap.dedent('''
    def test_first(rsc_mock, rsc_client):
        assert rsc_mock.emulator is None  # external: not started in this process
        rsc_client.add_fault({"path": "/v2/marker"}, status=418)
        assert rsc_client.get("/v2/marker").status_code == 418

    def test_second_sees_the_first_without_reset(rsc_client):
        assert [f["match"] for f in rsc_client.faults()] == [{"path": "/v2/marker"}]
''')

FIXTURES = textwrap.dedent('''
    def test_started_on_the_given_fixtures(rsc_mock, rsc_client):
        assert rsc_mock.emulator is not None and str(rsc_mock.emulator.settings.fixtures) == FIXTURES
        assert rsc_client.customer_token()
''')


def run_pytest(directory, *args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=directory,
                          capture_output=True, text=True, timeout=300, env=env)


def test_external_server_by_option_and_no_reset(server, tmp_path):
    (tmp_path / "test_external.py").write_text(EXTERNAL)
    run = run_pytest(tmp_path, f"--rsc-url={server.url}", "--rsc-no-reset", "--rsc-isolation=none")
    assert run.returncode == 0, run.stdout + run.stderr
    marker = httpx.get(server.url + "/_mock/requests", params={"path": "/v2/marker"}).json()["requests"]
    httpx.post(server.url + "/_mock/reset")  # no fault rule of the run outlives this test
    assert [e["status"] for e in marker] == [418]  # the user's request reached this very server


def test_external_server_by_environment_is_reset_before_each_test(server, tmp_path):
    (tmp_path / "test_external.py").write_text(EXTERNAL)
    run = run_pytest(tmp_path, env={**os.environ, "RSC_MOCK_URL": server.url})
    assert run.returncode == 1 and "1 failed, 1 passed" in run.stdout  # the reset removed the first test's rule


def test_fixtures_option(tmp_path):
    fixtures = str(bundled_fixtures_dir())
    (tmp_path / "test_fixtures.py").write_text(f"FIXTURES = {fixtures!r}\n" + FIXTURES)
    run = run_pytest(tmp_path, f"--rsc-fixtures={fixtures}")
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_fixtures_option_that_is_no_fixture_directory_fails_in_one_line(tmp_path):
    (tmp_path / "test_fixtures.py").write_text("def test_a(rsc_mock):\n    pass\n")
    run = run_pytest(tmp_path, f"--rsc-fixtures={tmp_path / 'nowhere'}")
    assert run.returncode == 1
    assert f"rsc-mock: invalid fixtures:\n  {tmp_path / 'nowhere'}: not a directory" in run.stdout
    assert "During handling" not in run.stdout and "domain/fixtures.py" not in run.stdout, run.stdout


def test_a_fixtures_option_with_rsc_url_warns_it_is_not_used(server, tmp_path):
    (tmp_path / "test_fixtures.py").write_text("def test_a(rsc_mock):\n    pass\n")
    run = run_pytest(tmp_path, f"--rsc-url={server.url}", f"--rsc-fixtures={bundled_fixtures_dir()}")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"rsc-mock: --rsc-fixtures {bundled_fixtures_dir()} is not used with --rsc-url" in run.stdout


def test_webhook_receiver_records_waits_and_answers_with_its_status():
    with WebhookReceiver() as hook:
        assert httpx.post(hook.url + "/a?x=1", json={"n": 1}).status_code == 200
        hook.status = 503
        assert httpx.put(hook.url + "/b", content=b"raw").status_code == 503
        first, second = hook.wait(count=2, timeout=5)
        assert (first.method, first.path, first.query, first.json()) == ("POST", "/a", "x=1", {"n": 1})
        assert (second.method, second.body, second.headers["content-length"]) == ("PUT", b"raw", "3")
        [only] = hook.wait(predicate=lambda r: r.method == "PUT")
        assert only is second
        hook.clear()
        with pytest.raises(TimeoutError, match="0 of 1"):
            hook.wait(timeout=0.1)


def test_webhook_wait_wakes_when_a_request_arrives():
    with WebhookReceiver() as hook:
        sender = threading.Thread(target=lambda: httpx.post(hook.url + "/late", content=b"{}"))
        sender.start()
        [late] = hook.wait(count=1, timeout=30)
        sender.join()
        assert late.path == "/late"


def test_webhook_answers_linkedins_challenge_and_checks_signatures():
    with WebhookReceiver(client_secret="s3cret") as hook:
        reply = httpx.get(hook.url + "/cb", params={"challengeCode": "abc", "applicationId": "1"})
        expected = hmac.new(b"s3cret", b"abc", hashlib.sha256).hexdigest()
        assert reply.json() == {"challengeCode": "abc", "challengeResponse": expected}
        body = b'{"id":"n1"}'
        signature = hmac.new(b"s3cret", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
        httpx.post(hook.url + "/cb", content=body, headers={"X-LI-Signature": signature})
        httpx.post(hook.url + "/cb", content=body, headers={"X-LI-Signature": "0" * 64})
        good, bad = hook.wait(count=2, predicate=lambda r: r.method == "POST")
        assert good.signature_valid("s3cret") and not bad.signature_valid("s3cret")


ISOLATED = textwrap.dedent('''
    import httpx

    SEEN = []


    def test_first(rsc_mock, rsc_client):
        SEEN.append(rsc_mock.sandbox.id)
        assert rsc_mock.sandbox.id.startswith("sb") and rsc_mock.customer[0] == "demo-customer-" + rsc_mock.sandbox.id
        rsc_client.add_fault({"path": "/v2/marker"}, status=418)
        assert rsc_client.get("/v2/marker", token=rsc_client.customer_token()).status_code == 418
        if rsc_mock.emulator is not None:                     # in-process: the live world is the sandbox's
            assert rsc_mock.emulator.tag == rsc_mock.sandbox.id


    def test_second_has_a_fresh_sandbox_and_the_first_is_gone(rsc_mock, rsc_client):
        assert rsc_mock.sandbox.id != SEEN[0] and rsc_client.faults() == []
        assert httpx.get(rsc_mock.url + "/_mock/sandboxes/" + SEEN[0]).status_code == 404
''')


@pytest.mark.parametrize("where", ["external", "in-process"])
def test_isolation_test_gives_every_test_its_own_sandbox(server, tmp_path, where):
    (tmp_path / "test_isolated.py").write_text(ISOLATED)
    url = [f"--rsc-url={server.url}"] if where == "external" else []
    run = run_pytest(tmp_path, *url, "--rsc-isolation=test")
    assert run.returncode == 0, run.stdout + run.stderr
    if where == "external":
        assert [s["id"] for s in httpx.get(server.url + "/_mock/sandboxes").json()["sandboxes"]] == ["default"]
        assert httpx.get(server.url + "/_mock/faults").json()["faults"] == []


def test_a_test_id_of_any_characters_still_gets_its_sandbox(server, tmp_path):
    """``--rsc-isolation test`` labels each sandbox with the test's id, which holds a parameter's characters as they
    are when the project turns pytest's escaping off: the label sent is one printable line (the server refuses
    line breaks and control characters in a label)."""
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\ndisable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n")
    (tmp_path / "test_ids.py").write_text(textwrap.dedent('''
        import httpx
        import pytest


        @pytest.mark.parametrize("text", ["line\\nbreak", "nul\\x00", "tab\\tand\\u2028"])
        def test_labelled(text, rsc_mock):
            [mine] = [s for s in httpx.get(rsc_mock.url + "/_mock/sandboxes").json()["sandboxes"]
                      if s["id"] == rsc_mock.sandbox.id]
            assert text[:3] in mine["label"] and mine["label"].isprintable()
    '''))
    run = run_pytest(tmp_path, f"--rsc-url={server.url}", "--rsc-isolation=test")
    assert run.returncode == 0 and "3 passed" in run.stdout, run.stdout + run.stderr


WORKER = textwrap.dedent('''
    import httpx
    import pytest


    @pytest.mark.parametrize("n", range(4))
    def test_in_a_sandbox_of_this_worker(n, rsc_mock, rsc_client):
        listed = httpx.get(rsc_mock.url + "/_mock/sandboxes").json()["sandboxes"]
        mine = [s for s in listed if s["id"] == rsc_mock.sandbox.id]
        assert mine and mine[0]["label"].startswith("gw")
        assert rsc_client.freeze() == rsc_client.now()
''')


def test_worker_isolation_makes_a_sandbox_per_worker_and_deletes_it(server, tmp_path):
    (tmp_path / "test_worker.py").write_text(WORKER)
    run = run_pytest(tmp_path, f"--rsc-url={server.url}", "-n", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [s["id"] for s in httpx.get(server.url + "/_mock/sandboxes").json()["sandboxes"]] == ["default"]
    assert httpx.get(server.url + "/_mock/clock").json()["frozen"] is False  # the default world was not touched


def test_isolation_none_under_xdist_warns(server, tmp_path):
    (tmp_path / "test_shared.py").write_text("def test_a(rsc_mock):\n    pass\n\n\ndef test_b(rsc_mock):\n    pass\n")
    run = run_pytest(tmp_path, f"--rsc-url={server.url}", "-n", "2", "--rsc-isolation=none")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "shares the emulator's default world between xdist workers" in run.stdout


def test_a_server_without_room_fails_the_tests_saying_why(tmp_path):
    from mock_server.config import Settings
    from mock_server.testing.server import RunningServer

    (tmp_path / "test_full.py").write_text("def test_a(rsc_mock):\n    pass\n")
    with RunningServer(Settings(max_sandboxes=0)) as full:
        run = run_pytest(tmp_path, f"--rsc-url={full.url}")
    assert run.returncode == 1
    assert "rsc-mock: no sandbox for this session" in run.stdout and "holds its limit of 0 sandboxes" in run.stdout


QUIET = textwrap.dedent('''
    import time

    SEEN = []


    def test_first_uses_the_sandbox(rsc_mock, rsc_client):
        SEEN.append(rsc_mock.sandbox.id)
        rsc_client.freeze()


    def test_second_does_not_call_the_emulator_for_longer_than_its_ttl():
        time.sleep(5)


    def test_third_still_has_the_sessions_sandbox(rsc_mock, rsc_client):
        assert rsc_mock.sandbox.id == SEEN[0] and rsc_client.now()
''')


@pytest.mark.parametrize("isolation", ["worker", "test"])
def test_a_sandbox_outlives_its_idle_ttl_while_the_session_holds_it(tmp_path, isolation):
    """A server deleting sandboxes after 2 s without a request: the session's sandbox (or the test's, across a
    test that sleeps while holding it) is kept alive by the plugin, and deleted at the end."""
    from mock_server.config import Settings
    from mock_server.testing.server import RunningServer

    quiet = QUIET if isolation == "worker" else QUIET.replace(
        "def test_second_does_not_call_the_emulator_for_longer_than_its_ttl():",
        "def test_second_does_not_call_the_emulator_for_longer_than_its_ttl(rsc_client):").replace(
        "time.sleep(5)", "time.sleep(5)\n    assert rsc_client.now()").replace(
        "rsc_mock.sandbox.id == SEEN[0] and ", "")
    (tmp_path / "test_quiet.py").write_text(quiet)
    with RunningServer(Settings(sandbox_ttl=2)) as short:
        run = run_pytest(tmp_path, f"--rsc-url={short.url}", f"--rsc-isolation={isolation}")
        left = [s["id"] for s in httpx.get(short.url + "/_mock/sandboxes").json()["sandboxes"]]
    assert run.returncode == 0 and "3 passed" in run.stdout, run.stdout + run.stderr
    assert left == ["default"]


def test_webhook_headers_are_case_insensitive_as_sent_by_the_emulator(rsc_client, rsc_webhook):
    # the input that showed it: a real push notification, read as a user reads HTTP headers
    customer = rsc_client.customer_token()
    configured = rsc_client.put("/v2/atsIntegrations/integrationContext=urn:li:organization:1000&integrationType="
                                "ONE_CLICK_EXPORT&tenantType=RECRUITER&dataProvider=ATS/configurations?ids=CALLBACK_URL",
                                token=customer, headers={"X-RestLi-Method": "BATCH_UPDATE"},
                                json={"entities": {"CALLBACK_URL": {
                                    "configurationValue": {"string": rsc_webhook.url}}}})
    assert configured.status_code == 200, configured.text
    rsc_client.post("/_mock/recruiter/integrations", json={"integrationContext": "urn:li:organization:1000",
                                                           "integrationType": "PROFILE_PLUGIN", "enabled": False})
    [pushed] = rsc_webhook.wait(predicate=lambda r: r.method == "POST", timeout=20)
    signature = pushed.headers.get("X-LI-Signature")
    assert signature is not None and len(signature) == 64
    assert signature == pushed.headers["x-li-signature"] == pushed.headers.get("x-Li-SIGNATURE")
    assert pushed.headers["Content-Type"] == "application/json" and "content-type" in pushed.headers
    assert pushed.signature_valid("demo-customer-secret")


WORLD_TOKENS = textwrap.dedent('''
    import httpx
    import pytest

    def test_tokens_come_from_the_loaded_world(rsc_client):
        customer = rsc_client.customer_token()
        assert rsc_client.get("/v2/atsIntegrations", token=customer,
                              params={"q": "request", "requestId": "1"}).status_code == 200
        assert rsc_client.partner_token()
        member = rsc_client.get("/_mock/snapshot").json()["tables"]["members"]
        assert rsc_client.member_token("urn:li:person:" + next(iter(member.values()))["id"])
        assert rsc_client.customer_token("world-customer-1")  # the secret is looked up
''')

AMBIGUOUS = textwrap.dedent('''
    import httpx
    import pytest

    def test_several_customers_say_which(rsc_client):
        with pytest.raises(LookupError) as refused:
            rsc_client.customer_token()
        assert "world-customer-1, world-customer-2" in str(refused.value) and "client_id=" in str(refused.value)
        assert rsc_client.customer_token("world-customer-2")
        with pytest.raises(LookupError, match="no customer .child. application with client id 'nobody'"):
            rsc_client.customer_token("nobody")
        with pytest.raises(httpx.HTTPStatusError, match="answered 401: Client authentication failed"):
            rsc_client.customer_token("world-customer-2", "not-the-secret")
''')


def generated_world(tmp_path, customers: int):
    world = tmp_path / "my-world"
    made = subprocess.run([sys.executable, "-m", "mock_server", "fixtures", "generate", "--members", "12", "--seats",
                           "2", "--customers", str(customers), "-o", str(world)],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return world


def test_rsc_client_tokens_use_the_applications_of_rsc_fixtures(tmp_path):
    world = generated_world(tmp_path, customers=1)
    (tmp_path / "test_world.py").write_text(WORLD_TOKENS)
    run = run_pytest(tmp_path, f"--rsc-fixtures={world}")
    assert run.returncode == 0, run.stdout + run.stderr


def test_rsc_client_says_which_customers_a_world_has_when_it_cannot_choose(tmp_path):
    world = generated_world(tmp_path, customers=2)
    (tmp_path / "test_world.py").write_text(AMBIGUOUS)
    run = run_pytest(tmp_path, f"--rsc-fixtures={world}")
    assert run.returncode == 0, run.stdout + run.stderr
