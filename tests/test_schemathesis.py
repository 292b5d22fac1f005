"""schemathesis over the emulator's own OpenAPI document, against a dedicated running server: whatever it
generates (valid and invalid, coverage and fuzzing phases), no reply is a 5xx, and every reply has a
documented status, content type and body shape. The admin API (``/_mock``) is left out: fuzzing it would
reset the world, move the clock and add fault rules under the fuzzer's feet."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from mock_server.testing.server import RunningServer
from tests.conftest import token_for

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
RUNNER = "from schemathesis.cli import schemathesis; schemathesis()"


@pytest.fixture(scope="module")
def fuzzed_server():
    """A server of its own: the fuzzer's writes must not leak into other tests."""
    with RunningServer() as server:
        yield server


def schemathesis(server, token: str, workdir, *selection: str) -> subprocess.CompletedProcess:
    """The schemathesis CLI in ``workdir`` (where it keeps its cache), against ``server`` with ``token``."""
    command = [sys.executable, "-c", RUNNER, "run", server.url + "/_mock/openapi.json", "--url", server.url,
               "-H", f"Authorization: Bearer {token}", "--checks", CHECKS, "--phases", "coverage,fuzzing",
               "--max-examples", "5", "--seed", "1", "--workers", "1", "--generation-database", "none",
               "--no-color", "--request-timeout", "20", *selection]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=workdir)


def test_no_server_errors_and_conforming_replies_as_a_customer(fuzzed_server, tmp_path):
    with httpx.Client(base_url=fuzzed_server.url) as http:
        token = token_for(http, "demo-customer", "demo-customer-secret")
    run = schemathesis(fuzzed_server, token, tmp_path, "--exclude-path-regex", "^/_mock|^/v2/provisionedApplications")
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    assert "Tested:" in run.stdout and "passed" in run.stdout


def test_no_server_errors_and_conforming_replies_as_the_partner(fuzzed_server, tmp_path):
    with httpx.Client(base_url=fuzzed_server.url) as http:
        token = token_for(http, "demo-partner", "demo-partner-secret")
    run = schemathesis(fuzzed_server, token, tmp_path, "--include-path-regex", "^/v2/provisionedApplications")
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
