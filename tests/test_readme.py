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


def test_the_authorization_url_shows_the_consent_page(server):
    import httpx

    [url] = re.findall(r"<(http://localhost:8080/oauth/v2/authorization\?[^>]+)>", README)
    page = httpx.get(server.url + url.removeprefix("http://localhost:8080"))  # the redirect URI stays as written
    assert page.status_code == 200 and "Sign in with LinkedIn" in page.text, page.text
