"""The pytest plugin as a user meets it: a throwaway project (one test file in a temporary directory, no
conftest, no configuration) that only has the package installed tests a small partner client with the
``rsc_mock`` fixtures — a webhook wait, a 429 retry, a token expiry via the clock — plainly and under
``pytest -n 2``; and a CI fleet: a suite whose every test uses fault rules, the clock, resets and waits, run ten
times with ``pytest -n 4 --rsc-url`` against one ``rsc-mock serve``, two runs at a time, each worker in its own
sandbox."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import httpx
import pytest

from mock_server.testing.server import free_port, serve_process

USER_TESTS = textwrap.dedent('''
    """A partner's own tests of its LinkedIn RSC client, against rsc-mock through its pytest plugin."""

    import hashlib
    import hmac
    import time

    import httpx

    ORG = "urn:li:organization:1000"
    INTEGRATION = ("integrationContext=" + ORG + "&integrationType=ONE_CLICK_EXPORT"
                   "&tenantType=RECRUITER&dataProvider=ATS")


    class RscClient:
        """The code under test: a customer-side client that renews expired tokens and honours Retry-After."""

        def __init__(self, base_url, client_id, client_secret):
            self.http = httpx.Client(base_url=base_url, timeout=10)
            self.client_id, self.client_secret = client_id, client_secret
            self.token = None

        def _token(self):
            reply = self.http.post("/oauth/v2/accessToken", data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret})
            reply.raise_for_status()
            return reply.json()["access_token"]

        def call(self, method, path, **kwargs):
            for _ in range(5):
                self.token = self.token or self._token()
                headers = {"Authorization": "Bearer " + self.token, **kwargs.pop("headers", {})}
                reply = self.http.request(method, path, headers=headers, **kwargs)
                if reply.status_code == 401 and reply.json().get("serviceErrorCode") == 65601:
                    self.token = None  # expired: get a new one and try again
                elif reply.status_code == 429:
                    time.sleep(float(reply.headers.get("Retry-After", "1")))
                else:
                    return reply
            return reply

        def set_callback(self, url):
            return self.call("PUT", "/v2/atsIntegrations/" + INTEGRATION + "/configurations?ids=CALLBACK_URL",
                             headers={"X-RestLi-Method": "BATCH_UPDATE"},
                             json={"entities": {"CALLBACK_URL": {"configurationValue": {"string": url}}}})

        def integration_status_change(self, request_id):
            return self.call("GET", "/v2/atsIntegrations?q=request&requestId=" + request_id).json()["elements"]


    def make_client(rsc_mock):
        return RscClient(rsc_mock.url, *rsc_mock.customer)


    def test_webhook_receives_a_signed_notification_the_client_resolves(rsc_mock, rsc_client, rsc_webhook):
        client = make_client(rsc_mock)
        assert client.set_callback(rsc_webhook.url + "/linkedin").status_code == 200
        # a recruiter admin turns an integration off inside LinkedIn
        rsc_client.post("/_mock/recruiter/integrations", json={
            "integrationContext": ORG, "integrationTypes": ["PROFILE_PLUGIN"], "enabled": False}).raise_for_status()
        [pushed] = rsc_webhook.wait(count=1, timeout=20, predicate=lambda r: r.method == "POST")
        assert pushed.path == "/linkedin" and pushed.signature_valid(rsc_mock.customer[1])
        body = pushed.json()
        assert body["type"] == "INTEGRATION_STATUS_CHANGE"
        assert rsc_client.wait_for_notification({"id": body["id"]}, timeout=20)["status"] == "delivered"
        [changed] = client.integration_status_change(body["id"])
        assert changed["integrationType"] == "PROFILE_PLUGIN"


    def test_client_retries_after_429(rsc_mock, rsc_client):
        rule = rsc_client.add_fault({"resource": "atsIntegrations", "restliMethod": "FINDER"},
                                    quota={"after": 1, "retryAfter": 1}, times=1)
        client = make_client(rsc_mock)
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=a").status_code == 200
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=b").status_code == 200
        calls = rsc_client.requests(resource="atsIntegrations")
        assert [c["status"] for c in calls] == [200, 429, 200]
        assert calls[1]["fault"] == rule["id"] and calls[1]["response"]["headers"]["retry-after"] == "1"


    def test_client_renews_a_token_that_expired_on_the_emulators_clock(rsc_mock, rsc_client):
        client = make_client(rsc_mock)
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=a").status_code == 200
        first = client.token
        rsc_client.advance(1801)
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=a").status_code == 200
        assert client.token != first
        statuses = [(c["path"], c["status"]) for c in rsc_client.requests()]
        assert statuses[-3:] == [("/v2/atsIntegrations", 401), ("/oauth/v2/accessToken", 200),
                                 ("/v2/atsIntegrations", 200)]


    def test_each_test_starts_from_a_reset_emulator(rsc_client):
        assert rsc_client.requests() == [] and rsc_client.faults() == []
        assert abs(rsc_client.clock()["offsetMs"]) < 60_000
''')


FLEET_TESTS = USER_TESTS + textwrap.dedent('''

    import pytest


    @pytest.mark.parametrize("n", range(8))
    def test_faults_clock_reset_and_waits_stay_in_this_world(n, rsc_mock, rsc_client, rsc_webhook):
        """Every step would break if another worker's rules, clock or reset reached this world."""
        client = make_client(rsc_mock)
        at = 1_900_000_000_000 + n * 86_400_000            # this test's own instant, frozen
        rsc_client.freeze()
        rsc_client.set_time(at)
        rule = rsc_client.add_fault({"resource": "atsIntegrations", "restliMethod": "FINDER"}, status=503, times=1)
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=n%d" % n).status_code == 503
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=n%d" % n).status_code == 200
        seen = rsc_client.wait_for_requests(count=2, timeout=20, resource="atsIntegrations")
        assert [(e["status"], e["fault"], e["at"]) for e in seen] == [(503, rule["id"], at), (200, None, at)]
        assert [r["id"] for r in rsc_client.faults()] == [rule["id"]] and rsc_client.now() == at
        if n % 2 == 0:                                      # a push notification reaches this test's webhook only
            assert client.set_callback(rsc_webhook.url + "/n%d" % n).status_code == 200
            rsc_client.post("/_mock/recruiter/integrations", json={
                "integrationContext": ORG, "integrationTypes": ["PROFILE_PLUGIN"], "enabled": False,
            }).raise_for_status()
            [pushed] = rsc_webhook.wait(count=1, timeout=20, predicate=lambda r: r.method == "POST")
            assert pushed.path == "/n%d" % n and pushed.signature_valid(rsc_mock.customer[1])
            assert rsc_client.wait_for_notification({"id": pushed.json()["id"]}, timeout=20)["status"] == "delivered"
        rsc_client.reset()                                  # this world only: back to its fixtures
        assert rsc_client.faults() == [] and rsc_client.requests() == []
        assert abs(rsc_client.clock()["offsetMs"]) < 60_000 and not rsc_client.clock()["frozen"]
        client.token = None
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=a").status_code == 200
        first = client.token
        rsc_client.advance(1801 + n)                        # the token expires on this world's clock only
        assert client.call("GET", "/v2/atsIntegrations?q=request&requestId=a").status_code == 200
        assert client.token != first
        seen = rsc_client.wait_for_requests(count=5, timeout=20)
        assert [(e["path"], e["status"]) for e in seen] == [
            ("/oauth/v2/accessToken", 200), ("/v2/atsIntegrations", 200), ("/v2/atsIntegrations", 401),
            ("/oauth/v2/accessToken", 200), ("/v2/atsIntegrations", 200)]
''')


# The throwaway project has only rsc-mock installed: this checkout's other pytest plugins (schemathesis, hypothesis,
# benchmark, ...) stay out of its runs, which would otherwise spend seconds of CPU importing them in every worker.
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:schemathesis", "-p",
          "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:anyio", "-p", "no:faker"]


@pytest.fixture(scope="module")
def throwaway(tmp_path_factory):
    """The throwaway project: one test file, nothing else."""
    project = tmp_path_factory.mktemp("throwaway")
    (project / "test_partner_client.py").write_text(USER_TESTS)
    return project


@pytest.mark.parametrize("extra", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_throwaway_project_passes(throwaway, extra):
    run = subprocess.run([*PYTEST, *extra], cwd=throwaway, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-4000:]
    assert "4 passed" in run.stdout


def test_a_fleet_of_runs_shares_one_emulator(tmp_path):
    """Ten runs of ``pytest -n 4 --rsc-url`` (two at a time, so two jobs' workers meet on the server too), every
    test setting its own clock, fault rule and callback, resetting and waiting: no failure, and every sandbox
    deleted afterwards with the server's own world untouched."""
    (tmp_path / "test_fleet.py").write_text(FLEET_TESTS)
    port = free_port()
    server = serve_process("--log-level", "warning", port=port)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(5):
            runs = [subprocess.Popen([*PYTEST, "-n", "4", f"--rsc-url={url}"], cwd=tmp_path, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
                    for _ in range(2)]
            for run in runs:
                output = run.communicate(timeout=300)[0]
                assert run.returncode == 0, output[-8000:]
                assert "12 passed" in output, output[-8000:]
        listed = httpx.get(url + "/_mock/sandboxes").json()
        assert [s["id"] for s in listed["sandboxes"]] == ["default"]
        assert httpx.get(url + "/_mock/requests").json()["count"] == 0
    finally:
        server.terminate()
        server.wait(10)
