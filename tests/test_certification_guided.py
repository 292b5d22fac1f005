"""Guided certification runs against real servers: the emulator, and the reference ATS of
``examples/partner`` (in a thread, on its own port) with each of its broken variants. ``rsc-mock certify``
runs as a child process where its command line, exit codes and files are under test."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from examples.partner.connector import Flaws
from examples.partner.server import start
from mock_server.certification import client
from mock_server.certification.cases import CASES, select
from mock_server.testing.server import free_port

REPO = Path(__file__).resolve().parents[1]
QUIET_S = 0.5  # the default: a loaded machine may pause the integration for a moment

# flaw -> {case that must fail: fragments its failure must name}
BROKEN = {
    "skip-closed-jobs": {"RSC-201": ["CLOSED jobs", "job JOB-"], "RSC-203": ["→ job JOB-"]},
    "ignore-acl-removals": {"RSC-403": ["urn:li:person:demo-sourcer", "from ACL GROUP-"]},
    "skip-signature-check": {"Test Case 6": ["fetched requestId", "X-LI-Signature"]},
    "no-cascade-deletes": {"RSC-502": ["applications APP-", "of the deleted candidate CAND-"]},
    "sync-before-enabled": {"RSC-101": ["BATCH_CREATE simpleJobPostings", "urn:li:organization:1000"]},
    "v2-only": {"RSC-505": ["Rest.li calls of the integration used /v2"]},
    "no-history": {"RSC-201": ["job JOB-"], "RSC-202": ["candidate CAND-"], "RSC-203": ["application APP-"]},
}


def certify(*args: str) -> subprocess.CompletedProcess:
    """``rsc-mock certify <args>`` as a child process."""
    return subprocess.run([sys.executable, "-m", "mock_server", "certify", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def reference(server):
    """The reference ATS connected to the (reset) emulator."""
    partner = start(server.url)
    yield partner
    partner.stop()


class Answering:
    """A real HTTP server answering every GET, POST and PUT with ``status``, a ``kind`` body ``body``, at
    ``url`` (its base URL + ``path``)."""

    def __init__(self, status: int, kind: str, body: bytes, path: str = "") -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def SilentHook() -> Answering:  # noqa: N802 - a kind of server
    """A partner whose certification hook answers every action with ``{}`` and does nothing: a partner that
    never reacts."""
    return Answering(200, "application/json", b"{}", "/certification")


@pytest.fixture
def silent():
    hook = SilentHook()
    yield hook
    hook.close()


def test_certify_run_passes_every_case_against_the_reference_integration(server, reference, tmp_path):
    files = {name: tmp_path / f"report.{name}" for name in ("json", "junit", "html")}
    run = certify("run", "--url", server.url, "--partner", reference.hook_url, "--quiet-seconds", str(QUIET_S),
                  *(arg for name, path in files.items() for arg in (f"--{name}", str(path))))
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(files["json"].read_text())
    failed = {entry["id"]: entry["result"]["summary"] for entry in report["cases"]
              if entry["result"]["status"] != "pass"}
    assert failed == {}
    assert report["mode"] == "guided" and report["summary"]["pass"] == len(CASES)
    for case in CASES:
        assert case.id in run.stdout and f"{case.id}" in run.stderr  # the table, and one progress line per case
    junitparser = pytest.importorskip("junitparser")
    xml = junitparser.JUnitXml.fromfile(str(files["junit"]))
    tests = [test for suite in xml for test in suite]
    assert len(tests) == len(CASES) and all(test.is_passed for test in tests)
    assert [test.name.split(" ")[0] for test in tests][:5] == ["RSC-101", "RSC-102", "RSC-103", "RSC-104", "RSC-105"]
    assert "RSC-505" in files["html"].read_text()
    [registered] = httpx.get(server.url + "/_mock/certification/runs").json()["runs"]
    assert registered["runner"] == "client" and registered["status"] == "finished"
    assert [item["status"] for item in registered["progress"]] == ["pass"] * len(CASES)
    passive = certify("report", "--url", server.url)  # what the run left passes the passive graders too
    assert passive.returncode == 0, passive.stdout + passive.stderr


@pytest.mark.parametrize("flaw", sorted(BROKEN))
def test_each_broken_variant_fails_exactly_its_cases_naming_the_entity(server, flaw):
    partner = start(server.url, flaws=Flaws.named([flaw]))
    try:
        report = client.guided(server.url, list(CASES), partner=partner.hook_url, quiet_s=QUIET_S)
    finally:
        partner.stop()
    failed = {case: result for case, result in report.results.items() if result.status != "pass"}
    assert set(failed) == set(BROKEN[flaw]), {case: result.summary for case, result in failed.items()}
    for case, fragments in BROKEN[flaw].items():
        result = failed[case]
        said = " ".join([result.summary, *result.missing])
        for fragment in fragments:
            assert fragment in said, f"{case}: {fragment!r} not in {said!r}"
        assert any(item.entities or item.requests for item in result.evidence if item.text in result.missing) or \
            result.awaiting, result


def test_a_partner_that_never_reacts_fails_at_the_deadline_with_what_was_awaited(server, silent, tmp_path):
    before = httpx.get(server.url + "/_mock/clock").json()["now"]
    began = time.monotonic()
    run = certify("run", "--url", server.url, "--partner", silent.url, "--module", "1", "--quiet-seconds", "0.1",
                  "--json", str(tmp_path / "report.json"))
    assert run.returncode == 1, run.stdout + run.stderr
    results = {entry["id"]: entry["result"] for entry in json.loads((tmp_path / "report.json").read_text())["cases"]}
    assert results["RSC-101"]["status"] == "fail"
    assert results["RSC-101"]["summary"].startswith(
        "the partner did not react within 10 min on the emulator's clock; awaited: the ATS to get a token with the"
        " customer's own credentials")
    assert "createJob without externalJobPostingId" in results["RSC-102"]["summary"]
    assert "Traceback" not in run.stderr
    moved = httpx.get(server.url + "/_mock/clock").json()["now"] - before
    assert moved >= 3 * 600_000 > (time.monotonic() - began) * 1000  # deadlines passed on the clock, not in sleeps


def test_a_hook_that_does_not_answer_fails_the_case_saying_so(server):
    port = free_port()
    report = client.guided(server.url, select(None, "RSC-102"), partner=f"http://127.0.0.1:{port}/hook",
                           quiet_s=QUIET_S)
    result = report["RSC-102"]
    assert result.status == "fail" and f"hook at http://127.0.0.1:{port}/hook did not answer" in result.summary


def test_without_a_hook_cases_that_need_the_ats_are_not_exercised(server, reference):
    report = client.guided(server.url, select(None, "RSC-401"), quiet_s=QUIET_S)
    assert report["RSC-401"].status == "not-yet-exercised"
    assert "run with --partner URL" in report["RSC-401"].summary


@pytest.mark.parametrize("args, message", [
    (("run", "--case", "RSC-999"), "--case RSC-999: no certification case 'RSC-999'"),
    (("report", "--module", "6"), "--module 6: module 6 does not exist"),
    (("run", "--case", "Test Case 9"), "judged by eye"),
    (("report", "--customer", "nobody", "--url", "{url}"), "no customer application with uniqueForeignId 'nobody'"),
    (("run", "--customer", "nobody", "--url", "{url}"), "no customer application with uniqueForeignId 'nobody'"),
    (("report", "--url", "{url}", "--json", "{missing}/report.json"), "--json {missing}/report.json: directory"),
    (("report", "--url", "{url}", "--html", "{tmp}"), "--html {tmp}: a directory"),
])
def test_certify_usage_errors_exit_2_with_one_line(server, tmp_path, args, message):
    values = {"url": server.url, "missing": tmp_path / "missing", "tmp": tmp_path}
    run = certify(*(arg.format(**values) for arg in args))
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("rsc-mock: "), run.stderr
    assert message.format(**values) in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("args", [("report", "--url", "http://127.0.0.1:{port}"),
                                  ("run", "--url", "http://127.0.0.1:{port}", "--case", "RSC-101")])
def test_an_unreachable_emulator_is_a_failure_in_one_line_and_a_traceback_with_debug(args):
    port = free_port()
    run = certify(*(arg.format(port=port) for arg in args))
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith(f"rsc-mock: certify: cannot reach the emulator at http://127.0.0.1:{port}")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    debug = certify(*(arg.format(port=port) for arg in args), "--debug")
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "Unreachable" in debug.stderr


def test_argparse_errors_exit_2():
    assert certify("run", "--module", "one").returncode == 2
    assert certify("report", "--module", "1", "--case", "RSC-101").returncode == 2


def test_a_run_while_another_is_running_is_refused(server, reference):
    claimed = httpx.post(server.url + "/_mock/certification/runs", json={"runner": "client", "module": 4})
    assert claimed.status_code == 202
    lease = f"{server.url}/_mock/certification/runs/{claimed.json()['id']}"
    try:
        run = certify("run", "--url", server.url, "--partner", reference.hook_url, "--case", "RSC-505")
        assert run.returncode == 1 and f"certification run {claimed.json()['id']} is still running" in run.stderr
        emulator_run = httpx.post(server.url + "/_mock/certification/runs", json={"partner": reference.hook_url})
        assert emulator_run.status_code == 409 and claimed.json()["id"] in emulator_run.json()["message"]
    finally:
        done = httpx.put(lease, json={"status": "finished"})
    assert done.json()["status"] == "finished"
    assert httpx.put(lease, json={"status": "running"}).status_code == 409


def test_the_emulator_runs_a_guided_run_itself(server, reference):
    started = httpx.post(server.url + "/_mock/certification/runs", json={"partner": reference.hook_url, "module": 4})
    assert started.status_code == 202 and started.json()["runner"] == "emulator"
    again = httpx.post(server.url + "/_mock/certification/runs", json={"partner": reference.hook_url, "module": 4})
    assert again.status_code == 409
    path = f"{server.url}/_mock/certification/runs/{started.json()['id']}"
    deadline = time.monotonic() + 120
    while (record := httpx.get(path).json())["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.05)  # the test polls the emulator's background run; the run itself never sleeps
    assert record["status"] == "finished", record
    assert [entry["result"]["status"] for entry in record["report"]["cases"]] == ["pass"] * 4
    assert [item["case"] for item in record["progress"]] == ["RSC-401", "RSC-402", "RSC-403", "RSC-404"]


def test_passive_report_after_a_guided_module_exits_1_until_everything_passes(server, reference):
    assert client.guided(server.url, select(4), partner=reference.hook_url, quiet_s=QUIET_S).passed
    run = certify("report", "--url", server.url, "--module", "4", "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout)["mode"] == "passive"
    run = certify("report", "--url", server.url)
    assert run.returncode == 1 and "RSC-401" in run.stdout


PLUGIN_TESTS = '''
from examples.partner.connector import Flaws
from examples.partner.server import start


def test_module_4_through_the_fixture(rsc_mock, rsc_certification):
    partner = start(rsc_mock.url, flaws=Flaws(v2_only=True))
    try:
        report = rsc_certification.run(module=4, partner=partner.hook_url, quiet_s=0.2)
    finally:
        partner.stop()
    assert report.passed, report.statuses()
    assert report["Test Case 14"].status == "pass"
    assert rsc_certification.report(case="RSC-401")["RSC-401"].status == "pass"


def test_something_else(rsc_client):
    assert rsc_client.get("/_mock/health").status_code == 200
'''


@pytest.mark.parametrize("workers", [[], ["-n", "2"]])
def test_pytest_fixture_and_the_session_summary(tmp_path, workers):
    (tmp_path / "test_partner.py").write_text(PLUGIN_TESTS)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rsc-certify", *workers],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    summary = run.stdout.split("RSC certification", 1)[1]
    rows = {line.split("│")[1].strip(): line for line in summary.splitlines() if line.startswith("│ RSC-")}
    assert {case.id for case in CASES if case.id.startswith("RSC-")} == set(rows)
    assert all("✔ pass" in rows[case] for case in ("RSC-401", "RSC-402", "RSC-403", "RSC-404")), summary
    assert "✘ fail" in rows["RSC-505"]  # the v2-only partner never calls /rest: the summary says so
    assert re.search(rf"{len(CASES)} cases: \d+ passed, 1 failed, \d+ not yet exercised", summary), summary


def test_runs_repeat_on_one_emulator_each_grading_only_its_own_run(server):
    """The reference twice on one emulator, then a flawed variant: 24/24, 24/24 and exactly the flaw's cases —
    each run grades what happened since it started, not what earlier runs left."""
    partner = start(server.url)
    try:
        for _ in range(2):
            report = client.guided(server.url, list(CASES), partner=partner.hook_url, quiet_s=QUIET_S)
            failed = {case: result.missing for case, result in report.results.items() if result.status != "pass"}
            assert len(report.results) == len(CASES) and failed == {}
    finally:
        partner.stop()
    flaw = "ignore-acl-removals"
    partner = start(server.url, flaws=Flaws.named([flaw]))
    try:
        report = client.guided(server.url, list(CASES), partner=partner.hook_url, quiet_s=QUIET_S)
    finally:
        partner.stop()
    failed = {case: result.summary for case, result in report.results.items() if result.status != "pass"}
    assert set(failed) == set(BROKEN[flaw]), failed


# Servers that are not an emulator: an HTML 404 page on every path, another API's JSON, an envelope naming no field
NOT_EMULATORS = {"html": (404, "text/html", b"<!DOCTYPE html><html><body><h1>Not Found</h1>\n</body></html>"),
                 "json": (200, "application/json", b'{"service": "something else", "ok": true}'),
                 "envelope": (404, "application/json", b'{"status": 404, "message": "Resource /_mock does not exist"}')}


@pytest.mark.parametrize("shape", ["html", "json", "envelope"])
@pytest.mark.parametrize("command", [("report",), ("run", "--case", "RSC-101"),
                                     ("report", "--customer", "acme"), ("run", "--customer", "acme")])
def test_a_url_that_is_not_an_emulator_is_a_failure_in_one_line(shape, command):
    other = Answering(*NOT_EMULATORS[shape])
    try:
        run = certify(*command, "--url", other.url)
    finally:
        other.close()
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith("rsc-mock: certify: ") and run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr and "<html" not in run.stderr.lower()
    if shape != "envelope":
        assert f"{other.url} does not answer as an rsc-mock emulator" in run.stderr


class HungHook:
    """A partner hook that accepts connections and never answers."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def hung():
    hook = HungHook()
    yield hook
    hook.close()


def test_hook_timeout_shortens_the_wait_for_a_hung_hook(server, hung):
    began = time.monotonic()
    run = certify("run", "--url", server.url, "--partner", hung.url, "--case", "RSC-102", "--hook-timeout", "0.5",
                  "--format", "json")
    assert run.returncode == 1, run.stdout + run.stderr
    [case] = json.loads(run.stdout)["cases"]
    assert case["result"]["status"] == "fail" and "did not answer" in case["result"]["summary"]
    assert "ReadTimeout" in case["result"]["summary"]
    assert time.monotonic() - began < 60  # the default hook timeout alone would take 60 s for the first step


@pytest.mark.parametrize("value", ["0", "0.05", "301", "nan", "inf", "soon"])
def test_hook_timeout_out_of_range_is_a_usage_error(value):
    run = certify("run", "--hook-timeout", value)
    assert run.returncode == 2 and "argument --hook-timeout" in run.stderr, run.stderr


def test_ctrl_c_during_a_run_records_it_as_interrupted(server, hung):
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "certify", "run", "--url", server.url,
                                "--partner", hung.url, "--case", "RSC-102"], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the run is registered and its case has started
            runs = httpx.get(server.url + "/_mock/certification/runs").json()["runs"]
            if runs and runs[-1]["status"] == "running" and runs[-1]["progress"]:
                run_id = runs[-1]["id"]
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    record = httpx.get(f"{server.url}/_mock/certification/runs/{run_id}").json()
    assert record["status"] == "interrupted", record
    assert record["error"] == "interrupted (Ctrl-C) during RSC-102" and "KeyboardInterrupt" not in str(record)
    after = httpx.post(server.url + "/_mock/certification/runs", json={"runner": "client"})  # no longer in the way
    assert after.status_code == 202
    httpx.put(f"{server.url}/_mock/certification/runs/{after.json()['id']}", json={"status": "finished"})
