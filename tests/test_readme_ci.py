"""The README's GitHub Actions example, run for real against one emulator in a throwaway project: its pytest
command works as written (with pytest-xdist, which its install step brings because the command uses ``-n``),
and the README's advice for a project without pytest-xdist — leave ``-n`` out — works too, where ``-n 0``
would not (``-p no:xdist`` stands for a project that does not have it)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mock_server.testing.server import RunningServer

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
SUITE = '''
def test_a_token_and_a_fault(rsc_mock, rsc_client):
    rsc_client.add_fault({"path": "/v2/atsIntegrations"}, status=503, times=1)
    token = rsc_client.customer_token()
    assert rsc_client.get("/v2/atsIntegrations?q=request&requestId=x", token=token).status_code == 503
    assert rsc_client.get("/v2/atsIntegrations?q=request&requestId=x", token=token).status_code == 200


def test_the_clock(rsc_client):
    rsc_client.advance(3600)
    assert len(rsc_client.faults()) == 0
'''


def workflow_steps() -> list[str]:
    """The ``run`` lines of the README's workflow."""
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
               if b.startswith("# .github/workflows/test.yml")]
    return [step["run"] for step in yaml.safe_load(block)["jobs"]["test"]["steps"] if "run" in step]


def pytest_args(url: str) -> list[str]:
    """The README's pytest command's arguments, pointed at ``url``."""
    [command] = [run for run in workflow_steps() if run.startswith("python -m pytest")]
    return [arg.replace("http://localhost:8080", url) for arg in shlex.split(command)[3:]]


def run_pytest(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=project,
                          capture_output=True, text=True, timeout=300, env=env)


def test_the_install_step_brings_pytest_xdist_when_the_command_uses_n():
    [install] = [run for run in workflow_steps() if "pip install" in run]
    assert "-n" not in pytest_args("http://x") or "pytest-xdist" in install.split()


@pytest.fixture(scope="module")
def emulator():
    with RunningServer() as server:
        yield server


def test_the_readmes_ci_command_passes_against_one_emulator(tmp_path, emulator):
    (tmp_path / "test_suite.py").write_text(SUITE)
    run = run_pytest(tmp_path, *pytest_args(emulator.url))
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr


def test_without_pytest_xdist_leaving_n_out_works_and_n_0_does_not(tmp_path, emulator):
    (tmp_path / "test_suite.py").write_text(SUITE)
    without_n = [arg for arg in pytest_args(emulator.url) if arg not in ("-n", "4")]
    run = run_pytest(tmp_path, "-p", "no:xdist", *without_n)
    assert run.returncode == 0 and "2 passed" in run.stdout, run.stdout + run.stderr
    refused = run_pytest(tmp_path, "-p", "no:xdist", "-n", "0", *without_n)
    assert refused.returncode == 4 and "unrecognized arguments: -n" in refused.stderr
    assert "leave `-n 4` out" in README and "`-n 0` also needs pytest-xdist" in README
