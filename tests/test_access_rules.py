"""Who may call what, tested as a class over every resource x method x base served (tests/resource_calls.py):
data of an integration only once the customer has enabled it (rsc-customer-configuration, step 5), RSC data
only with client-credentials tokens, and LinkedIn's 403 and version-error bodies."""

from __future__ import annotations

import httpx
import pytest

from mock_server.api.access import CUSTOMER, MEMBER, PARENT
from tests.conftest import DEMO_CONTRACT, DEMO_ORG, token_for
from tests.recruiting import enable, export, sync_job
from tests.resource_calls import LINKEDIN_VERSION, denials, request_for, send, served_calls

ORG_TYPES = ["ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN"]
INTEGRATION_DATA = {"atsCandidates", "atsCandidates/notes", "atsApplications", "atsApplications/notes",
                    "atsApplications/interviewFeedback", "atsApplications/stages", "atsEntityAcls",
                    "atsEntityAclAssignees", "simpleJobPostings", "seats", "seatsV2", "conversationEvents",
                    "mailStubs", "prospectNotes", "exportedCandidates",
                    # the versioned (/rest) names of the same data, and what only /rest has
                    "candidates", "candidateNotes", "applicationNotes", "applicationStage",
                    "applicationInterviewFeedbacks", "entityAcls", "entityAclAssignees", "attachments",
                    "exportedApplicationEvaluations", "exportedApplicationEvaluation"}
# onboarding (configuration steps 3 and 4 come before step 5), task status, the purge list a partner must act on
# even for a customer who left, and the résumé upload, which names no integration context (the attachment that
# uses it does)
OPEN_BEFORE_ENABLING = {"atsIntegrations", "atsIntegrations/configurations", "simpleJobPostingTasks", "integrations",
                        "integrationConfigurations", "atsPurgedExportedCandidates", "hireMediaUrl"}
EVALUATIONS = {"exportedApplicationEvaluations", "exportedApplicationEvaluation"}


def label(base: str, resource, method: str) -> str:
    """``<resource>.<METHOD>.<version>`` as LinkedIn writes it in a 403."""
    version = "NO_VERSION" if base == "v2" else LINKEDIN_VERSION + "01"
    return f"{resource.path.split('/')[0]}.{method.replace('FINDER ', 'FINDER-')}.{version}"


def set_all(http, enabled: bool) -> None:
    """Enable or disable every integration of the demo customer (the customer's admin in Recruiter)."""
    for context, types in ((DEMO_ORG, ORG_TYPES), (DEMO_CONTRACT, ["CSA_API"])):
        assert enable(http, context, types, enabled).status_code == 200


def test_the_classification_is_reviewed():
    """Every customer resource either holds integration data (needs an enabled integration) or belongs to the
    steps before enabling; a new resource must be put on one side."""
    customer = {r.path for _, r, _ in served_calls() if r.policy.audience == CUSTOMER}
    assert customer == INTEGRATION_DATA | OPEN_BEFORE_ENABLING
    assert {r.path for _, r, _ in served_calls() if r.policy.enabled_only} == INTEGRATION_DATA


def request_ids(http, customer) -> dict[str, str]:
    """Real request ids of the demo organization to resolve: an export's, and for the evaluation finders an
    evaluation's (an unknown id resolves to nothing, so names no context to refuse)."""
    sync_job(http, customer, "CLASS-J1")
    exported = export(http, 3000, "urn:li:person:demo-candidate", "CLASS-J1")
    assert exported.status_code == 201, exported.text
    applications = next(r for _, r, _ in served_calls() if r.path == "atsApplications")
    assert send(http, request_for("v2", applications, "BATCH_UPDATE"), customer).json()["errors"] == {}
    evaluated = http.post("/_mock/recruiter/evaluations", json={"integrationContext": DEMO_ORG,
                                                                 "atsJobApplicationId": "CLASS-A1"})
    assert evaluated.status_code == 201, evaluated.text
    return {"export": exported.json()["notification"]["id"], "evaluation": evaluated.json()["notification"]["id"]}


def request_id_for(resource, ids: dict[str, str]) -> str:
    return ids["evaluation"] if resource.path in EVALUATIONS else ids["export"]


def test_every_integration_resource_refuses_contexts_not_enabled(http, customer):
    ids = request_ids(http, customer)
    set_all(http, False)
    offenders = []
    for base, resource, method in served_calls():
        if resource.policy.audience != CUSTOMER:
            continue
        request = request_for(base, resource, method, requestId=request_id_for(resource, ids))
        refused = denials(send(http, request, customer))
        if resource.path in OPEN_BEFORE_ENABLING or method == "BATCH_DELETE":
            expected = []
        else:
            context = DEMO_CONTRACT if resource.path in {"seats", "seatsV2", "conversationEvents", "mailStubs",
                                                         "prospectNotes"} else DEMO_ORG
            expected = [{"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
                         "message": f"Not enough permissions to access: {label(base, resource, method)} (integration"
                                    f" not enabled: the customer has not enabled an integration of {context} in"
                                    " LinkedIn Recruiter)"}]
        if refused != expected:
            offenders.append((base, resource.path, method, refused))
    assert offenders == []

    set_all(http, True)
    still = [(base, resource.path, method) for base, resource, method in served_calls()
             if resource.policy.audience == CUSTOMER
             and denials(send(http, request_for(base, resource, method, requestId=request_id_for(resource, ids)),
                              customer))]
    assert still == []


def test_one_enabled_integration_opens_its_context(http, customer):
    """An organization's data flows while any of its RSC integrations is enabled (LinkedIn's customers enable
    RSC as a whole; which type gates which data is not documented)."""
    set_all(http, False)
    resource = next(r for _, r, _ in served_calls() if r.path == "atsCandidates")
    put = request_for("v2", resource, "BATCH_UPDATE")
    assert denials(send(http, put, customer))
    assert enable(http, DEMO_ORG, ["PROFILE_PLUGIN"]).status_code == 200
    assert denials(send(http, put, customer)) == []


def test_a_customer_pre_approved_but_not_enabled_cannot_sync_or_retrieve(http, partner):
    """The ledger's probe: provision, pre-approve, then sync and retrieve before enabling → 403; after the
    customer enables its integrations in Recruiter → accepted."""
    created = http.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": "globex-x", "name": "Demo ATS - Globex", "description": "Globex"})
    credentials = created.json()["credentials"]
    approved = http.post("/_mock/customers/globex-x/preapprove", json={}).json()["integrations"]
    org = next(i["integrationContext"] for i in approved if i["integrationType"] == "ONE_CLICK_EXPORT")
    contract = next(i["integrationContext"] for i in approved if i["integrationType"] == "CSA_API")
    headers = {"Authorization": "Bearer " + token_for(http, credentials["client_id"], credentials["client_secret"])}
    candidates = next(r for _, r, _ in served_calls() if r.path == "atsCandidates")
    notes = next(r for _, r, _ in served_calls() if r.path == "prospectNotes")
    put = request_for("v2", candidates, "BATCH_UPDATE", integrationContext=org)
    get = request_for("v2", notes, "FINDER criteria", contract=contract)
    [refused] = send(http, put, headers).json()["errors"].values()
    assert refused["status"] == 403 and "not enabled" in refused["message"]
    assert send(http, get, headers).status_code == 403
    assert enable(http, org, ORG_TYPES).status_code == 200 and enable(http, contract, ["CSA_API"]).status_code == 200
    assert send(http, put, headers).json()["errors"] == {}
    assert send(http, get, headers).status_code == 200


def test_member_and_partner_tokens_get_linkedins_403_on_every_customer_resource(http, partner, customer):
    member = {"Authorization": "Bearer " + http.post("/_mock/tokens", json={
        "client_id": "demo-customer", "member": "urn:li:person:demo-recruiter"}).json()["access_token"]}
    offenders = []
    for base, resource, method in served_calls():
        audience = resource.policy.audience
        wrong = {CUSTOMER: (member, partner), PARENT: (member, customer), MEMBER: (customer, partner)}[audience]
        expected = {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
                    "message": f"Not enough permissions to access: {label(base, resource, method)}"}
        for auth in wrong:
            reply = send(http, request_for(base, resource, method), auth)
            if reply.status_code != 403 or reply.json() != expected:
                offenders.append((base, resource.path, method, reply.status_code, reply.text[:200]))
    assert offenders == []


def test_version_errors_carry_linkedins_codes(http, customer):
    path = "/rest/exportedCandidates?q=request&requestId=1"
    missing = http.get(path, headers=customer)
    assert missing.status_code == 400
    assert missing.json() == {"status": 400, "serviceErrorCode": 400, "code": "VERSION_MISSING", "message":
                              "A version must be present. Please specify a version by adding the LinkedIn-Version"
                              " header."}
    for header, written in (("202301", "20230101"), ("202301.03", "20230103"), ("209912", "20991201")):
        old = http.get(path, headers={**customer, "LinkedIn-Version": header})
        assert old.status_code == 426, header
        assert old.json() == {"status": 426, "serviceErrorCode": 426, "code": "NONEXISTENT_VERSION",
                              "message": f"Requested version {written} is not active"}
    assert http.get(path, headers={**customer, "LinkedIn-Version": LINKEDIN_VERSION}).status_code == 200


def test_a_revoked_token_is_401_65602(http, customer):
    token = customer["Authorization"].split()[1]
    assert http.get("/v2/atsIntegrations?q=request&requestId=1", headers=customer).status_code == 200
    revoked = http.delete(f"/_mock/tokens/{token}")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    reply = http.get("/v2/atsIntegrations?q=request&requestId=1", headers=customer)
    assert reply.status_code == 401
    assert reply.json() == {"status": 401, "serviceErrorCode": 65602,
                            "message": "The token used in the request has been revoked by the user"}
    introspected = http.post("/oauth/v2/introspectToken", data={"client_id": "demo-customer", "token": token,
                                                               "client_secret": "demo-customer-secret"}).json()
    assert introspected["active"] is False and introspected["status"] == "revoked"
    assert http.delete("/_mock/tokens/nope").status_code == 404


@pytest.fixture
def no_client_credentials(tmp_path):
    """A server whose demo partner application LinkedIn has not granted the client-credentials flow."""
    import json
    import shutil

    from mock_server.config import Settings, bundled_fixtures_dir
    from mock_server.testing.server import RunningServer

    world = tmp_path / "world"
    shutil.copytree(bundled_fixtures_dir(), world)
    applications = json.loads((world / "applications.json").read_text())
    for application in applications:
        if application["clientId"] == "demo-partner":
            application["clientCredentials"] = False
    (world / "applications.json").write_text(json.dumps(applications))
    with RunningServer(Settings(fixtures=world)) as running:
        yield running


def test_an_application_without_the_client_credentials_flow_gets_access_denied(no_client_credentials):
    form = {"grant_type": "client_credentials", "client_id": "demo-partner", "client_secret": "demo-partner-secret"}
    reply = httpx.post(no_client_credentials.url + "/oauth/v2/accessToken", data=form)
    assert reply.status_code == 401
    assert reply.json() == {"error": "access_denied",
                            "error_description": "This application is not allowed to create application tokens"}
    customer = {**form, "client_id": "demo-customer", "client_secret": "demo-customer-secret"}
    assert httpx.post(no_client_credentials.url + "/oauth/v2/accessToken", data=customer).status_code == 200
