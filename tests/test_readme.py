"""The README stays true: its first two commands are the ones CI and the docs use, and its curl quickstart
runs against a real server."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_install_and_test_commands_that_ci_runs():
    first = blocks()[0].strip().splitlines()
    assert len(first) == 2
    assert "pip install -e" in first[0] and "rsc-mock serve" in first[0]
    assert first[1].startswith("python3 -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert first[1] in ci.replace(" -p no:cacheprovider", "")


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_quickstart_runs(server, tmp_path):
    script = next(b for b in blocks() if "provisionedApplications" in b)
    script = script.replace("B=http://127.0.0.1:8080", f"B={server.url}").replace("/tmp/", "./")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER\": {\"status\": 204}" in result.stdout
    assert '"CALLBACK_URL": {"status": 204}' in result.stdout
    assert '"inbox":"globex"' in result.stdout


def test_configuration_table_lists_every_setting():
    import dataclasses

    from mock_server.config import ENV_PREFIX, Settings

    for field in dataclasses.fields(Settings):
        assert f"`{ENV_PREFIX}{field.name.upper()}`" in README, field.name


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_migration_example_runs(server, tmp_path):
    script = next(b for b in blocks() if "/rest/candidateNotes" in b)
    script = script.replace("B=http://127.0.0.1:8080", f"B={server.url}")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"externalCreatedAt": 1700000000000' in result.stdout
    assert '"status": 204' in result.stdout
    assert result.stdout.rstrip().endswith('"message": "Resource atsCandidates does not exist"}')
