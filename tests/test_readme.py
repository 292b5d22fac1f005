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
    assert "integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER\":{\"status\":204}" in result.stdout
    assert '"CALLBACK_URL":{"status":204}' in result.stdout
    assert '"inbox":"globex"' in result.stdout
    assert '"changed":[{' in result.stdout and '"enabledAt":' in result.stdout  # step 6: enabled in Recruiter


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


def test_the_job_posting_example_body_is_accepted_and_listed(server):
    import json

    import httpx

    section = README[README.index("## Posting a job"):README.index("## What is served")]
    [body] = re.findall(r"```json\n(.*?)```", section, flags=re.S)
    with httpx.Client(base_url=server.url) as http:
        token = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials", "client_id":
                                                         "demo-customer", "client_secret": "demo-customer-secret"})
        headers = {"Authorization": "Bearer " + token.json()["access_token"]}
        posted = http.post("/v2/simpleJobPostings", content=body, headers={
            **headers, "X-RestLi-Method": "BATCH_CREATE", "Content-Type": "application/json"})
        assert posted.status_code == 200, posted.text
        [element] = posted.json()["elements"]
        assert element["status"] == 202, element
        for expected in ("IN_PROGRESS", "SUCCEEDED"):
            task = http.get("/v2/simpleJobPostingTasks", params={"ids": element["id"]}, headers=headers)
            assert task.json()["results"][element["id"]]["status"] == expected, task.text
            jobs = http.get("/_mock/recruiter/seats/3000/export-jobs").json()["jobs"]
    assert [job["externalJobPostingId"] for job in jobs] == [json.loads(body)["elements"][0]["externalJobPostingId"]]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_job_posting_curl_commands_run(server, tmp_path):
    section = README[README.index("## Posting a job"):README.index("## What is served")]
    [body] = re.findall(r"```json\n(.*?)```", section, flags=re.S)
    [script] = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    quickstart = next(b for b in blocks() if "provisionedApplications" in b)
    json_function = next(line for line in quickstart.splitlines() if line.startswith("json()"))
    (tmp_path / "job.json").write_text(body)
    prelude = (f"B={server.url}\n{json_function}\nCUSTOMER=$(curl -s $B/oauth/v2/accessToken -d grant_type="
               "client_credentials -d client_id=demo-customer -d client_secret=demo-customer-secret"
               " | json '[\"access_token\"]')\n")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", prelude + script], capture_output=True, text=True,
                            timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"status":"IN_PROGRESS"' in result.stdout.replace(" ", ""), result.stdout


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_migration_example_runs(server, tmp_path):
    script = next(b for b in blocks() if "/rest/candidateNotes" in b)
    script = script.replace("B=http://127.0.0.1:8080", f"B={server.url}")
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"externalCreatedAt":1700000000000' in result.stdout
    assert '"status":204' in result.stdout
    assert result.stdout.rstrip().endswith('"message":"Resource atsCandidates does not exist"}')
