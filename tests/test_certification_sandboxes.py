"""Certification in sandboxes, over real HTTP: every ``/_mock/certification…`` route also answers at
``/_mock/sandboxes/{id}/certification…`` and with the ``X-RSC-Mock-Sandbox`` header, grading, describing and
running in that sandbox's world only; each world has its own guided runs (one world's run blocks no other);
the emulator's own runner plays in the sandbox it was started in; and the pytest plugin's
``rsc_certification`` and ``--rsc-certify`` grade the test's own sandbox under ``--rsc-url``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from examples.partner.server import start
from mock_server.certification import client
from mock_server.certification.cases import select
from mock_server.certification.routes import ROUTES
from mock_server.testing.server import RunningServer

REPO = Path(__file__).resolve().parents[1]
HEADER = "X-RSC-Mock-Sandbox"
# one request per certification route, with a body it accepts where it needs one
CALLS = {
    ("GET", "/certification"): None, ("GET", "/certification/cases"): None,
    ("GET", "/certification/customer"): None, ("POST", "/certification/grade"): {"case": "RSC-401"},
    ("POST", "/certification/runs"): {"runner": "client", "case": "RSC-505"}, ("GET", "/certification/runs"): None,
    ("GET", "/certification/runs/{run_id}"): None, ("PUT", "/certification/runs/{run_id}"): {"status": "finished"},
}


@pytest.fixture
def sandbox(server):
    """A sandbox of the session's server, deleted afterwards."""
    made = httpx.post(server.url + "/_mock/sandboxes", json={"label": "certification"}).json()
    yield made
    httpx.delete(f"{server.url}/_mock/sandboxes/{made['id']}")


def test_the_table_above_names_every_certification_route():
    assert {(method, route.path) for route in ROUTES for method in route.methods - {"HEAD"}} == set(CALLS)


@pytest.mark.parametrize("addressing", ["path", "header"])
def test_every_certification_route_serves_the_sandbox_it_names_and_only_it(server, sandbox, addressing):
    base = f"{server.url}/_mock/sandboxes/{sandbox['id']}" if addressing == "path" else server.url + "/_mock"
    headers = sandbox["header"] if addressing == "header" else {}
    run_id = None
    for (method, path), body in CALLS.items():
        if "{run_id}" in path:
            path = path.replace("{run_id}", run_id)
        reply = httpx.request(method, base + path, json=body, headers=headers, timeout=30)
        assert reply.status_code in (200, 202), (method, path, reply.text)
        if path == "/certification/runs" and method == "POST":
            run_id = reply.json()["id"]
    # the sandbox's run and grades are its own: the default world does not have it, and the sandbox lists it
    assert run_id not in [run["id"] for run in httpx.get(server.url + "/_mock/certification/runs").json()["runs"]]
    assert httpx.get(f"{server.url}/_mock/certification/runs/{run_id}").status_code == 404
    listed = httpx.get(base + "/certification/runs", headers=headers).json()["runs"]
    assert [run["id"] for run in listed] == [run_id] and listed[0]["status"] == "finished"


def test_an_unknown_sandbox_is_404_on_every_certification_route(server):
    for (method, path), body in CALLS.items():
        reply = httpx.request(method, f"{server.url}/_mock/sandboxes/sbnothere1{path.replace('{run_id}', 'x')}",
                              json=body)
        assert reply.status_code == 404 and "No sandbox 'sbnothere1'" in reply.json()["message"], (method, path)


def test_a_run_in_one_world_does_not_block_another(server, sandbox):
    mine = httpx.post(f"{server.url}/_mock/sandboxes/{sandbox['id']}/certification/runs",
                      json={"runner": "client", "module": 4})
    assert mine.status_code == 202
    again = httpx.post(f"{server.url}/_mock/sandboxes/{sandbox['id']}/certification/runs", json={"runner": "client"})
    assert again.status_code == 409 and mine.json()["id"] in again.json()["message"]
    other = httpx.post(server.url + "/_mock/certification/runs", json={"runner": "client", "module": 4})
    assert other.status_code == 202, other.text
    for path in (f"/_mock/sandboxes/{sandbox['id']}/certification/runs/{mine.json()['id']}",
                 f"/_mock/certification/runs/{other.json()['id']}"):
        assert httpx.put(server.url + path, json={"status": "finished"}).status_code == 200
    # a run id is found in its own world only
    assert httpx.get(f"{server.url}/_mock/certification/runs/{mine.json()['id']}").status_code == 404


def test_the_emulators_runner_plays_and_grades_in_the_sandbox_it_was_started_in(server, sandbox):
    partner = start(server.url, partner=tuple(sandbox["partners"][0]["credentials"].values()))
    try:
        started = httpx.post(f"{server.url}/_mock/sandboxes/{sandbox['id']}/certification/runs",
                             json={"partner": partner.hook_url, "module": 4, "hookTimeout": 30})
        assert started.status_code == 202, started.text
        path = f"{server.url}/_mock/sandboxes/{sandbox['id']}/certification/runs/{started.json()['id']}"
        deadline = time.monotonic() + 120
        while (record := httpx.get(path).json())["status"] == "running" and time.monotonic() < deadline:
            time.sleep(0.05)  # polls the emulator's background run
    finally:
        partner.stop()
    assert record["status"] == "finished", record
    assert [entry["result"]["status"] for entry in record["report"]["cases"]] == ["pass"] * 4
    # everything happened in the sandbox: the default world saw no call and grades nothing as passed
    assert httpx.get(server.url + "/_mock/requests").json()["count"] == 0
    default = client.passive(server.url, module=4)
    assert all(result.status != "pass" for result in default.results.values()), default.statuses()
    assert client.passive(server.url, module=4, sandbox=sandbox["id"]).passed


@pytest.mark.parametrize("body, message", [
    ({"hookTimeout": 0}, "0 is not a number of seconds from 0.1 to 300"),
    ({"hookTimeout": 301}, "301 is not a number of seconds from 0.1 to 300"),
    ({"hookTimeout": "5"}, '"5" is not of type'),
    ({"hookTimeout": True}, "true is not of type"),
])
def test_a_runs_hook_timeout_is_bounded_and_named(server, body, message):
    reply = httpx.post(server.url + "/_mock/certification/runs", json=body)
    assert reply.status_code == 400 and reply.json()["message"].startswith("ERROR :: /hookTimeout :: ")
    assert message in reply.json()["message"]


def test_a_guided_client_run_names_its_sandbox(server, sandbox):
    partner = start(server.url, partner=tuple(sandbox["partners"][0]["credentials"].values()))
    try:
        report = client.guided(server.url, select(None, "RSC-401"), partner=partner.hook_url, sandbox=sandbox["id"])
    finally:
        partner.stop()
    assert report.passed, report.statuses()
    assert httpx.get(server.url + "/_mock/requests").json()["count"] == 0



@pytest.mark.parametrize("sandbox_id", ["", ".", "..", "sb/../x", "sb x"])
def test_the_clients_refuse_a_sandbox_id_that_would_address_another_world(server, sandbox_id):
    """``client.passive`` / ``client.guided`` given an id that is no sandbox id (an empty one used to send no
    header: the default world's grades) raise ``ValueError`` before any request."""
    with pytest.raises(ValueError, match="is not a sandbox id"):
        client.passive(server.url, sandbox=sandbox_id)
    with pytest.raises(ValueError, match="is not a sandbox id"):
        client.guided(server.url, select(None, "RSC-401"), sandbox=sandbox_id)
    assert httpx.get(server.url + "/_mock/requests").json()["count"] == 0


PLUGIN_TESTS = '''
from examples.partner.server import start


def test_module_4_in_my_sandbox(rsc_mock, rsc_certification):
    assert rsc_mock.sandbox.id != "default"
    partner = start(rsc_mock.url, partner=rsc_mock.partner)
    try:
        report = rsc_certification.run(module=4, partner=partner.hook_url, quiet_s=0.2, hook_timeout_s=30)
    finally:
        partner.stop()
    assert report.passed, report.statuses()
    assert rsc_certification.report(case="RSC-401")["RSC-401"].status == "pass"


def test_nothing_certified_here(rsc_client):
    assert rsc_client.get("/_mock/health").status_code == 200
'''


def test_the_plugin_grades_the_tests_own_sandbox_under_rsc_url(tmp_path):
    (tmp_path / "test_partner.py").write_text(PLUGIN_TESTS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    with RunningServer() as server:
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2",
                              "--rsc-url", server.url, "--rsc-certify"],
                             cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        default_world = httpx.get(server.url + "/_mock/requests").json()["count"]
    summary = run.stdout.split("RSC certification", 1)[1]
    rows = {line.split("│")[1].strip(): line for line in summary.splitlines() if line.startswith("│ RSC-")}
    assert all("✔ pass" in rows[case] for case in ("RSC-401", "RSC-402", "RSC-403", "RSC-404")), summary
    assert default_world == 0  # nothing was played or graded in the server's own world
