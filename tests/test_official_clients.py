"""LinkedIn's official API clients run the versioned (``/rest``) flow against the emulator with nothing but
``https://api.linkedin.com`` pointed at it — their own key encoding, headers (``X-RestLi-Protocol-Version:
2.0.0``, ``X-RestLi-Method``, ``LinkedIn-Version``), bodies and reply parsing.

* Python: PyPI ``linkedin-api-client`` (``RestliClient``, ``version_string="202604"``), in-process; the
  session's transport for ``https://api.linkedin.com`` forwards to the emulator.
* JavaScript: npm ``linkedin-api-client`` (``RestliClient``, ``versionString``) under node, installed into a
  temporary directory (or taken from ``RSC_JS_CLIENT_DIR``, where ``.ci/run`` installs it); an axios request
  interceptor forwards ``https://api.linkedin.com`` to the emulator. Skipped with the reason when npm cannot
  install it, unless ``RSC_REQUIRE_JS_CLIENT=1`` (CI), then a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_ORG, token_for

JS_PACKAGE = "linkedin-api-client@0.3.0"
VERSION = "202604"
API = "https://api.linkedin.com"
CANDIDATE = {"firstName": "Ada", "lastName": "Lovelace", "emailAddresses": ["ada@example.com"],
             "externalProfileUrl": "https://ats.example.com/c/ada", "addresses": [], "phoneNumbers": [],
             "externalCreatedAt": 1_700_000_000_000, "externalLastModifiedAt": 1_700_000_001_000}
NOTE = {"externalCreatedAt": 1_700_000_002_000, "note": "Met at the meetup."}


def python_client(base_url: str):
    """A ``RestliClient`` whose ``https://api.linkedin.com`` is the emulator at ``base_url``."""
    requests = pytest.importorskip("requests")
    restli = pytest.importorskip("linkedin_api.clients.restli.client")

    class ToEmulator(requests.adapters.HTTPAdapter):
        """What a hosts entry does: the same request, sent to the emulator."""

        def send(self, request, **kwargs):
            request.url = base_url + request.url[len(API):]
            return super().send(request, **kwargs)

    client = restli.RestliClient()
    client.session.mount(API, ToEmulator())
    return client


def test_python_client_runs_the_rest_flow(http, server):
    client = python_client(server.url)
    token = token_for(http, "demo-customer", "demo-customer-secret")
    call = {"access_token": token, "version_string": VERSION}
    candidate_id = {"externalCandidateId": "PY-1", "integrationContext": DEMO_ORG}

    updated = client.batch_update(resource_path="/candidates", ids=[candidate_id], entities=[CANDIDATE], **call)
    assert updated.status_code == 200 and [r.status for r in updated.results.values()] == [204], updated.response.text
    read = client.batch_get(resource_path="/candidates", ids=[candidate_id], **call)
    assert read.status_code == 200
    [found] = read.results.values()
    assert {name: found[name] for name in CANDIDATE} == CANDIDATE
    v2 = http.get("/v2/atsCandidates", params={"ids[0].atsCandidateId": "PY-1", "ids[0].dataProvider": "ATS",
                                                "ids[0].integrationContext": DEMO_ORG},
                  headers={"Authorization": "Bearer " + token})
    [same] = v2.json()["results"].values()
    assert same["atsCreatedAt"] == CANDIDATE["externalCreatedAt"] and same["firstName"] == "Ada"

    note_id = {**candidate_id, "externalNoteId": "PY-N1"}
    noted = client.batch_update(resource_path="/candidateNotes", ids=[note_id], entities=[NOTE], **call)
    assert [r.status for r in noted.results.values()] == [204], noted.response.text

    # (BATCH_PARTIAL_UPDATE is left to the JavaScript client: linkedin-api-client 0.3.0 for Python maps ids to
    # patches with dict(zip(ids, …)), a TypeError for compound keys before anything is sent.)
    integration = {"integrationContext": DEMO_ORG, "integrationType": "ONE_CLICK_EXPORT", "tenantType": "RECRUITER"}
    [shown] = client.batch_get(resource_path="/integrations", ids=[integration], **call).results.values()
    assert shown["integrationName"] == "Acme One-Click Export" and "dataProvider" not in shown

    acl = {"entityAclId": "PY-G", "dataProvider": "ATS", "integrationContext": DEMO_ORG,
           "entityType": "JOB_REQUISITION", "entityId": "PY-JOB"}
    assert client.batch_update(resource_path="/entityAcls", ids=[acl], entities=[{}], **call).status_code == 200
    found = client.finder(resource_path="/entityAcls", finder_name="criteria",
                          query_params={"integrationContext": DEMO_ORG}, **call)
    assert found.elements == [acl]
    nothing = client.finder(resource_path="/exportedCandidates", finder_name="request",
                            query_params={"requestId": "unknown"}, **call)
    assert nothing.status_code == 200 and nothing.elements == []

    deleted = client.batch_delete(resource_path="/candidates", ids=[candidate_id], **call)
    assert [r.status for r in deleted.results.values()] == [204]
    [error] = client.batch_get(resource_path="/candidates", ids=[candidate_id], **call).errors.values()
    assert error["status"] == 404
    old = client.batch_get(resource_path="/candidates", ids=[candidate_id], access_token=token,
                           version_string="202511")
    assert old.status_code == 404  # rest/candidates is not part of 202511


JS_FLOW = """
const { RestliClient } = require('linkedin-api-client');
const [base, token, org] = process.argv.slice(2);
const client = new RestliClient();
client.axiosInstance.interceptors.request.use((config) => {   // api.linkedin.com → the emulator
  config.url = config.url.replace('https://api.linkedin.com', base);
  return config;
});
const call = { accessToken: token, versionString: '202604' };
(async () => {
  const ids = [{ externalCandidateId: 'JS-1', integrationContext: org }];
  const candidate = { firstName: 'Grace', lastName: 'Hopper', emailAddresses: ['grace@example.com'],
    externalProfileUrl: 'https://ats.example.com/c/grace', addresses: [], phoneNumbers: [],
    externalCreatedAt: 1700000000000, externalLastModifiedAt: 1700000000000 };
  const out = {};
  out.update = (await client.batchUpdate({ resourcePath: '/candidates', ids, entities: [candidate], ...call })).data;
  out.get = (await client.batchGet({ resourcePath: '/candidates', ids, ...call })).data;
  const stage = [{ jobApplicationId: 'JS-APP', integrationContext: org, jobApplicationStageId: 'JS-S1' }];
  const application = [{ atsJobApplicationId: 'JS-APP', integrationContext: org }];
  out.application = (await client.batchUpdate({ resourcePath: '/atsApplications', ids: application, entities: [{
    atsCandidateId: 'JS-1', atsCreatedAt: 1700000000000, atsLastModifiedAt: 1700000000000,
    atsJobPostingId: 'JS-JOB', atsJobPostingName: 'Engineer', candidateEmail: 'grace@example.com',
    firstName: 'Grace', lastName: 'Hopper' }], ...call })).data;
  out.stage = (await client.batchUpdate({ resourcePath: '/applicationStage', ids: stage,
    entities: [{ atsCreatedAt: 1700000000000, stage: 'Onsite', integrationContext: org }], ...call })).data;
  const integration = [{ integrationContext: org, integrationType: 'ONE_CLICK_EXPORT', tenantType: 'RECRUITER' }];
  out.named = (await client.batchPartialUpdate({ resourcePath: '/integrations', ids: integration,
    patchSetObjects: [{ integrationName: 'JS client' }], ...call })).data;
  out.integration = (await client.batchGet({ resourcePath: '/integrations', ids: integration, ...call })).data;
  out.integrations = (await client.finder({ resourcePath: '/integrations', finderName: 'request',
    queryParams: { requestId: 'unknown' }, ...call })).data;
  out.delete = (await client.batchDelete({ resourcePath: '/candidates', ids, ...call })).data;
  try {
    await client.batchGet({ resourcePath: '/candidates', ids, accessToken: token, versionString: '202511' });
    out.old = 'served';
  } catch (error) { out.old = error.response.status; }
  console.log(JSON.stringify(out));
})().catch((error) => {
  console.error(error.response ? JSON.stringify(error.response.data) : error);
  process.exit(1);
});
"""


def js_client_dir(tmp_path_factory) -> Path:
    """A directory whose ``node_modules`` holds the npm client: ``RSC_JS_CLIENT_DIR`` or a fresh install."""
    given = os.environ.get("RSC_JS_CLIENT_DIR")
    if given and (Path(given) / "node_modules" / "linkedin-api-client").is_dir():
        return Path(given)
    problem = None
    if shutil.which("node") is None or shutil.which("npm") is None:
        problem = "node or npm is not installed"
    else:
        directory = tmp_path_factory.mktemp("js-client")
        try:
            installed = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(directory),
                                        JS_PACKAGE], capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            installed = None
        if installed is not None and installed.returncode == 0:
            return directory
        problem = f"npm could not install {JS_PACKAGE}: " + (installed.stderr[-500:] if installed else "timed out")
    if os.environ.get("RSC_REQUIRE_JS_CLIENT") == "1":
        pytest.fail(problem + " and RSC_REQUIRE_JS_CLIENT=1")
    pytest.skip(problem)


def test_javascript_client_runs_the_rest_flow(http, server, tmp_path_factory):
    directory = js_client_dir(tmp_path_factory)
    script = directory / "flow.js"
    script.write_text(JS_FLOW)
    token = token_for(http, "demo-customer", "demo-customer-secret")
    ran = subprocess.run(["node", str(script), server.url, token, DEMO_ORG], capture_output=True, text=True,
                         timeout=120, cwd=directory)
    assert ran.returncode == 0, ran.stderr
    out = json.loads(ran.stdout)
    assert [r["status"] for r in out["update"]["results"].values()] == [204]
    [found] = out["get"]["results"].values()
    assert found["firstName"] == "Grace" and found["externalCreatedAt"] == 1700000000000
    assert [r["status"] for r in out["application"]["results"].values()] == [204]
    assert [r["status"] for r in out["stage"]["results"].values()] == [204], out["stage"]
    assert [r["status"] for r in out["named"]["results"].values()] == [204], out["named"]
    [integration] = out["integration"]["results"].values()
    assert integration["integrationName"] == "JS client" and "dataProvider" not in integration
    assert out["integrations"]["elements"] == []
    assert [r["status"] for r in out["delete"]["results"].values()] == [204]
    assert out["old"] == 404
    stage = http.get(f"/v2/atsApplications/atsJobApplicationId=JS-APP&dataProvider=ATS&integrationContext={DEMO_ORG}"
                     "/stages?ids=JS-S1", headers={"Authorization": "Bearer " + token})
    assert stage.json()["results"]["JS-S1"]["stage"] == "Onsite"
