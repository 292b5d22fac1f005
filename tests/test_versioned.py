"""The versioned family under ``/rest`` through the real server: the version table and what each version
serves, names no LinkedIn version serves, one world behind both families, per-version field names, and the
versioned-only APIs (attachments, exported application evaluations, purged exported candidates)."""

from __future__ import annotations

import httpx
import pytest

from mock_server.api import versions
from mock_server.config import Settings
from mock_server.restli.errors import RestliError
from mock_server.testing.server import RunningServer
from mock_server.testing.tunnel import tunnelled
from tests.conftest import DEMO_ORG, token_for

LATEST = {"LinkedIn-Version": "202604", "X-RestLi-Protocol-Version": "2.0.0"}
JSON = {"Content-Type": "application/json"}
ORG = "urn%3Ali%3Aorganization%3A1000"
CANDIDATE = {"firstName": "Ada", "emailAddresses": ["ada@example.com"], "externalProfileUrl": "https://a.example/1",
             "addresses": [], "phoneNumbers": [], "externalCreatedAt": 1000, "externalLastModifiedAt": 2000}
APPLICATION = {"atsCandidateId": "C1", "atsCreatedAt": 1, "atsLastModifiedAt": 1, "atsJobPostingId": "JOB-1",
               "atsJobPostingName": "Engineer", "candidateEmail": "ada@example.com", "firstName": "Ada",
               "lastName": "L"}


def key(**parts) -> str:
    """A protocol 2.0 key, parts sorted, URN colons encoded."""
    return "(" + ",".join(f"{k}:{v.replace(':', '%3A')}" for k, v in sorted(parts.items())) + ")"


def batch(http, method, path, keyed: dict, headers, version=LATEST, restli=None):
    extra = {"X-RestLi-Method": restli} if restli else {}
    body = {"entities": keyed} if method in ("PUT", "POST") else None
    return http.request(method, f"{path}?ids=List({','.join(keyed)})", json=body,
                        headers={**headers, **JSON, "X-RestLi-Protocol-Version": "2.0.0", **version, **extra})


def statuses(reply) -> dict:
    assert reply.status_code == 200, reply.text
    body = reply.json()
    return {**{k: v["status"] for k, v in body["results"].items()},
            **{k: v["status"] for k, v in body.get("errors", {}).items()}}


# ---- the version table ------------------------------------------------------------------------------------

def test_version_table_rows_and_sunsets():
    assert versions.LATEST.name == "202604" and versions.OLDEST.name == "202501"
    assert [v.name for v in versions.VERSIONS if v.source == versions.TVER] == [
        "202505", "202506", "202507", "202508", "202508.02", "202510", "202511", "202512", "202602", "202603"]
    for version in versions.VERSIONS:  # two years of support from each release
        assert version.sunset == version.released + 200
    assert "202509" not in versions.BY_NAME and "202601" not in versions.BY_NAME


@pytest.mark.parametrize("header, status", [
    (None, 400), ("", 400), ("2026-04", 400), ("202613", 400), ("20240101", 400),
    ("202601", 426), ("202509", 426), ("202401", 426), ("209901", 426), ("202604.01", 426),
])
def test_resolve_refuses(header, status):
    with pytest.raises(RestliError) as refused:
        versions.resolve(header, 202611)
    assert refused.value.status == status


def test_resolve_follows_the_clock_and_the_bounds():
    assert versions.resolve("202508.02", 202611).month == 202508
    with pytest.raises(RestliError):
        versions.resolve("202604", 202603)          # not released yet on that clock
    with pytest.raises(RestliError):
        versions.resolve("202501", 202701)          # sunset in January 2027
    with pytest.raises(RestliError):
        versions.resolve("202604", 202611, latest=202512)
    with pytest.raises(RestliError):
        versions.resolve("202505", 202611, oldest=202510)
    assert [v.name for v in versions.active(202611, oldest=202511, latest=202602)] == ["202511", "202512", "202602"]


def test_settings_bound_the_versions_served():
    with RunningServer(Settings(latest_version=202512, oldest_version=202510)) as server:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            token = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
            path = "/rest/mailStubs?q=contract&contract=urn:li:contract:2000"
            served = {v: http.get(path, headers={**token, "LinkedIn-Version": v}).status_code
                      for v in ("202508", "202510", "202512", "202602")}
    assert served == {"202508": 426, "202510": 200, "202512": 200, "202602": 426}


def test_sunset_follows_the_emulators_clock(http, customer):
    path = "/rest/mailStubs?q=contract&contract=urn:li:contract:2000"
    assert http.get(path, headers={**customer, "LinkedIn-Version": "202504"}).status_code == 200
    http.post("/_mock/clock", json={"set": 1_807_747_200_000})  # 2027-04-15: 202504 has been sunset
    customer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
    reply = http.get(path, headers={**customer, "LinkedIn-Version": "202504"})
    assert reply.status_code == 426 and reply.json()["message"] == "Requested version 202504 is not active"
    assert http.get(path, headers={**customer, "LinkedIn-Version": "202505"}).status_code == 200


# ---- what each version serves -----------------------------------------------------------------------------

def probe(resource) -> tuple[str, str, dict | None, dict]:
    """A request every resource parses: ``(verb, path and query, body, headers)``."""
    if resource.finders:
        return "GET", f"/rest/{resource.path}?q={sorted(resource.finders)[0]}&start=0", None, {}
    if "BATCH_CREATE" in resource.handlers:
        return "POST", f"/rest/{resource.path}", {"elements": []}, {"X-RestLi-Method": "BATCH_CREATE"}
    ids = key(**{part: "x" for part in resource.key_parts}) if resource.key_parts else "x"
    if "BATCH_GET" in resource.handlers:
        return "GET", f"/rest/{resource.path}?ids=List({ids})", None, {}
    if "CREATE" in resource.handlers:
        return "POST", f"/rest/{resource.path}", {}, {}
    return "DELETE", f"/rest/{resource.path}?ids=List({ids})", None, {}


def rest_resources(server):
    return sorted((path, resource) for (base, path), resource in server.app.state.dispatcher.resources.items()
                  if base == "rest")


def test_every_rest_resource_says_when_it_was_introduced(live_server):
    for path, resource in rest_resources(live_server):
        assert resource.policy.since in versions.BY_NAME, path


def test_each_rest_resource_is_absent_before_its_version_and_served_from_it(http, customer, server):
    checked = 0
    for path, resource in rest_resources(server):
        since = resource.policy.since
        verb, url, body, extra = probe(resource)
        served = http.request(verb, url, json=body, headers={**customer, **extra, "LinkedIn-Version": since,
                                                             "X-RestLi-Protocol-Version": "2.0.0"})
        assert served.status_code != 404 or "does not exist" not in served.text or path not in served.text, \
            (path, since, served.text)
        earlier = [v.name for v in versions.VERSIONS if v.month < int(since)]
        if earlier:
            absent = http.request(verb, url, json=body, headers={**customer, **extra, "LinkedIn-Version": earlier[-1],
                                                                 "X-RestLi-Protocol-Version": "2.0.0"})
            assert absent.status_code == 404, (path, earlier[-1], absent.text)
            assert absent.json()["message"] == f"Resource {path} does not exist"
            checked += 1
    assert checked >= 10


def test_v2_names_no_version_serves_answer_404_on_rest(http, customer, server):
    """Every resource served only under /v2 is an unknown resource under /rest, whatever the version."""
    resources = server.app.state.dispatcher.resources
    v2_only = sorted(path for (base, path) in resources if base == "v2" and ("rest", path) not in resources)
    assert {"atsCandidates", "atsCandidates/notes", "atsIntegrations", "atsIntegrations/configurations",
            "atsApplications/notes", "atsApplications/stages", "atsApplications/interviewFeedback", "atsEntityAcls",
            "atsEntityAclAssignees", "conversationEvents", "prospectNotes", "seats", "me",
            "provisionedApplications", "hireMediaUrl"} <= set(v2_only)
    for path in v2_only:
        names = path.split("/")
        url = f"/rest/{names[0]}" + (f"/x/{names[1]}" if len(names) > 1 else "") + "?q=any"
        reply = http.get(url, headers={**customer, **LATEST})
        assert reply.status_code == 404 and reply.json()["message"] == f"Resource {path} does not exist", path


# ---- one world behind both families -----------------------------------------------------------------------

REST_V2 = [  # (versioned path, versioned key, v2 path, v2 key or (parent key, child id), versioned entity, v2 entity)
    ("candidates", key(externalCandidateId="C1", integrationContext=DEMO_ORG),
     "atsCandidates", key(atsCandidateId="C1", dataProvider="ATS", integrationContext=DEMO_ORG),
     CANDIDATE, {**{k: v for k, v in CANDIDATE.items() if not k.startswith("external")},
                 "externalProfileUrl": CANDIDATE["externalProfileUrl"], "atsCreatedAt": 1000,
                 "atsLastModifiedAt": 2000}),
    ("atsApplications", key(atsJobApplicationId="A1", integrationContext=DEMO_ORG),
     "atsApplications", key(atsJobApplicationId="A1", dataProvider="ATS", integrationContext=DEMO_ORG),
     APPLICATION, APPLICATION),
]


def v2_headers(customer):
    return {**customer, "X-RestLi-Protocol-Version": "2.0.0"}


@pytest.mark.parametrize("rest_path, rest_key, v2_path, v2_key, rest_entity, v2_entity", REST_V2,
                         ids=[case[0] for case in REST_V2])
def test_written_through_one_family_read_through_the_other(http, customer, rest_path, rest_key, v2_path, v2_key,
                                                          rest_entity, v2_entity):
    assert statuses(batch(http, "PUT", f"/rest/{rest_path}", {rest_key: rest_entity}, customer)) == {rest_key: 204}
    read = http.get(f"/v2/{v2_path}?ids=List({v2_key})", headers=v2_headers(customer)).json()["results"][v2_key]
    assert {name: read[name] for name in v2_entity} == v2_entity
    assert statuses(batch(http, "DELETE", f"/v2/{v2_path}", {v2_key: None}, customer, version={})) == {v2_key: 204}
    gone = http.get(f"/rest/{rest_path}?ids=List({rest_key})", headers={**customer, **LATEST}).json()
    assert gone["errors"][rest_key]["status"] == 404
    assert statuses(batch(http, "PUT", f"/v2/{v2_path}", {v2_key: v2_entity}, customer, version={})) == {v2_key: 204}
    read = http.get(f"/rest/{rest_path}?ids=List({rest_key})", headers={**customer, **LATEST}).json()["results"]
    assert {name: read[rest_key][name] for name in rest_entity} == rest_entity


SUB_RESOURCES = [  # (versioned path, key parts of the parent and child, v2 sub-resource, entity in each family)
    ("candidateNotes", {"externalCandidateId": "C1", "externalNoteId": "N1"}, "atsCandidates", "notes",
     {"externalCreatedAt": 5, "note": "hi"}, {"atsCreatedAt": 5, "note": "hi"}),
    ("applicationNotes", {"externalJobApplicationId": "A1", "externalNoteId": "N1"}, "atsApplications", "notes",
     {"externalCreatedAt": 5, "note": "hi"}, {"atsCreatedAt": 5, "note": "hi"}),
    ("applicationStage", {"jobApplicationId": "A1", "jobApplicationStageId": "S1"}, "atsApplications", "stages",
     {"atsCreatedAt": 5, "stage": "Onsite"}, {"atsCreatedAt": 5, "stage": "Onsite"}),
    ("applicationInterviewFeedbacks", {"jobApplicationId": "A1", "interviewFeedbackId": "F1"}, "atsApplications",
     "interviewFeedback", {"feedback": "good", "interviewType": "ONSITE"},
     {"feedback": "good", "interviewType": "ONSITE"}),
]


@pytest.mark.parametrize("rest_path, parts, parent, child, rest_entity, v2_entity", SUB_RESOURCES,
                         ids=[case[0] for case in SUB_RESOURCES])
def test_top_level_versioned_resources_are_the_v2_sub_resources(http, customer, rest_path, parts, parent, child,
                                                               rest_entity, v2_entity):
    parent_id, child_id = list(parts.values())
    v2_parent = key(**{"atsCandidateId" if parent == "atsCandidates" else "atsJobApplicationId": parent_id,
                       "dataProvider": "ATS", "integrationContext": DEMO_ORG})
    rest_key = key(**parts, integrationContext=DEMO_ORG)
    refused = batch(http, "PUT", f"/rest/{rest_path}", {rest_key: rest_entity}, customer)
    assert statuses(refused)[rest_key] == 404  # per key: the parent is not synced yet
    assert "does not exist" in refused.json()["errors"][rest_key]["message"]
    record = CANDIDATE if parent == "atsCandidates" else APPLICATION
    parent_key = (key(externalCandidateId=parent_id, integrationContext=DEMO_ORG) if parent == "atsCandidates"
                  else key(atsJobApplicationId=parent_id, integrationContext=DEMO_ORG))
    parent_path = "candidates" if parent == "atsCandidates" else "atsApplications"
    assert statuses(batch(http, "PUT", f"/rest/{parent_path}", {parent_key: record}, customer)) == {parent_key: 204}
    assert statuses(batch(http, "PUT", f"/rest/{rest_path}", {rest_key: rest_entity}, customer)) == {rest_key: 204}
    v2 = http.get(f"/v2/{parent}/{v2_parent}/{child}?ids={child_id}", headers=v2_headers(customer)).json()
    assert v2["results"][child_id] == v2_entity
    rest = http.get(f"/rest/{rest_path}?ids=List({rest_key})", headers={**customer, **LATEST}).json()
    assert rest["results"][rest_key] == rest_entity
    assert statuses(batch(http, "DELETE", f"/rest/{rest_path}", {rest_key: None}, customer)) == {rest_key: 204}
    v2 = http.get(f"/v2/{parent}/{v2_parent}/{child}?ids={child_id}", headers=v2_headers(customer)).json()
    assert v2["errors"][child_id]["status"] == 404


def test_keys_under_several_parents_in_one_call(http, customer):
    for candidate_id in ("C1", "C2"):
        parent = key(externalCandidateId=candidate_id, integrationContext=DEMO_ORG)
        batch(http, "PUT", "/rest/candidates", {parent: CANDIDATE}, customer)
    notes = {key(externalCandidateId=c, integrationContext=DEMO_ORG, externalNoteId=n): {"note": n}
             for c, n in (("C1", "N1"), ("C2", "N2"), ("C3", "N3"))}
    assert list(statuses(batch(http, "PUT", "/rest/candidateNotes", notes, customer)).values()) == [204, 204, 404]


def test_integrations_and_configurations_without_data_provider(http, customer, server):
    integration = key(integrationContext=DEMO_ORG, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER")
    named = batch(http, "POST", "/rest/integrations", {integration: {"patch": {"$set": {"integrationName": "R"}}}},
                  customer, restli="BATCH_PARTIAL_UPDATE")
    assert statuses(named) == {integration: 204}
    shown = http.get(f"/rest/integrations?ids=List({integration})", headers={**customer, **LATEST}).json()
    named_integration = shown["results"][integration]
    assert named_integration["integrationName"] == "R" and "dataProvider" not in named_integration
    with_provider = key(integrationContext=DEMO_ORG, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER",
                        dataProvider="ATS")
    assert http.get(f"/rest/integrations?ids=List({with_provider})", headers={**customer, **LATEST}).status_code == 400
    configuration = key(integrationContext=DEMO_ORG, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER",
                        configurationKey="JOB_POSTING_VIEWERS")
    put = batch(http, "PUT", "/rest/integrationConfigurations",
                {configuration: {"configurationValue": {"string": "ALL_PRODUCT_USERS"}}}, customer)
    assert statuses(put) == {configuration: 204}
    value = server.emulator.integrations.configuration_value(DEMO_ORG, "ONE_CLICK_EXPORT", "JOB_POSTING_VIEWERS")
    assert value == "ALL_PRODUCT_USERS"
    wrong = key(integrationContext=DEMO_ORG, integrationType="IN_ATS_INDICATOR", tenantType="RECRUITER",
                configurationKey="JOB_POSTING_VIEWERS")
    reply = batch(http, "PUT", "/rest/integrationConfigurations",
                  {wrong: {"configurationValue": {"string": "ALL_PRODUCT_USERS"}}}, customer)
    assert statuses(reply) == {wrong: 400} and "dataProvider" not in reply.text


def test_acls_speak_job_requisitions(http, customer):
    acl = key(entityAclId="G1", dataProvider="ATS", integrationContext=DEMO_ORG, entityType="JOB_REQUISITION",
              entityId="J1")
    assert statuses(batch(http, "PUT", "/rest/entityAcls", {acl: {}}, customer)) == {acl: 204}
    v2 = http.get(f"/v2/atsEntityAcls?q=criteria&integrationContext={ORG}", headers=customer).json()["elements"]
    assert v2 == [{"atsEntityAclId": "G1", "dataProvider": "ATS", "integrationContext": DEMO_ORG,
                   "atsEntityType": "JOB_POSTING", "atsEntityId": "J1"}]
    found = http.get(f"/rest/entityAcls?q=criteria&integrationContext={ORG}&entityId=J1&entityType=JOB_REQUISITION",
                     headers={**customer, **LATEST}).json()["elements"]
    assert found == [{"entityAclId": "G1", "dataProvider": "ATS", "integrationContext": DEMO_ORG,
                      "entityType": "JOB_REQUISITION", "entityId": "J1"}]
    v2_type = key(entityAclId="G1", dataProvider="ATS", integrationContext=DEMO_ORG, entityType="JOB_POSTING",
                  entityId="J1")
    refused = batch(http, "PUT", "/rest/entityAcls", {v2_type: {}}, customer)
    assert statuses(refused) == {v2_type: 422} and "/entityType" in refused.text
    assignee = key(entityAclId="G1", dataProvider="ATS", integrationContext=DEMO_ORG, entityType="JOB_REQUISITION",
                   assignee="urn:li:person:nobody")
    refused = batch(http, "PUT", "/rest/entityAclAssignees", {assignee: {}}, customer)
    assert statuses(refused) == {assignee: 422} and "/assignee" in refused.text


# ---- names per version --------------------------------------------------------------------------------------

CANDIDATE_KEY = key(externalCandidateId="C1", integrationContext=DEMO_ORG)


def test_candidate_timestamps_carry_their_v2_names_before_202602(http, customer):
    v202512 = {**LATEST, "LinkedIn-Version": "202512"}
    old = {**{k: v for k, v in CANDIDATE.items() if not k.endswith("At")}, "atsCreatedAt": 7, "atsLastModifiedAt": 8}
    assert statuses(batch(http, "PUT", "/rest/candidates", {CANDIDATE_KEY: old}, customer, version=v202512)) == {
        CANDIDATE_KEY: 204}
    shown_old = http.get(f"/rest/candidates?ids=List({CANDIDATE_KEY})", headers={**customer, **v202512}).json()
    shown_new = http.get(f"/rest/candidates?ids=List({CANDIDATE_KEY})", headers={**customer, **LATEST}).json()
    old_fields, new_fields = shown_old["results"][CANDIDATE_KEY], shown_new["results"][CANDIDATE_KEY]
    assert (old_fields["atsCreatedAt"], old_fields["atsLastModifiedAt"]) == (7, 8)
    assert "externalCreatedAt" not in old_fields and "atsCreatedAt" not in new_fields
    assert (new_fields["externalCreatedAt"], new_fields["externalLastModifiedAt"]) == (7, 8)


@pytest.mark.parametrize("version, sent, field", [
    ("202512", "externalCreatedAt", "/externalCreatedAt"),   # introduced in 202602
    ("202604", "atsCreatedAt", "/atsCreatedAt"),             # renamed in 202602
])
def test_a_name_the_version_does_not_have_is_a_422_naming_it(http, customer, version, sent, field):
    entity = {**{k: v for k, v in CANDIDATE.items() if not k.endswith("At")}, sent: 1,
              ("atsLastModifiedAt" if version == "202512" else "externalLastModifiedAt"): 2}
    reply = batch(http, "PUT", "/rest/candidates", {CANDIDATE_KEY: entity}, customer,
                  version={**LATEST, "LinkedIn-Version": version})
    error = reply.json()["errors"][CANDIDATE_KEY]
    assert error["status"] == 422 and error["message"].startswith(f"ERROR :: {field} ::"), error


@pytest.mark.parametrize("version, created, modified", [("202512", "atsCreatedAt", "atsLastModifiedAt"),
                                                        ("202602", "externalCreatedAt", "externalLastModifiedAt")])
def test_rule_errors_name_the_fields_of_the_requested_version(http, customer, version, created, modified):
    entity = {**{k: v for k, v in CANDIDATE.items() if not k.endswith("At")}, created: 9, modified: 3}
    reply = batch(http, "PUT", "/rest/candidates", {CANDIDATE_KEY: entity}, customer,
                  version={**LATEST, "LinkedIn-Version": version})
    error = reply.json()["errors"][CANDIDATE_KEY]
    assert error["message"] == (f"ERROR :: /{modified} :: 3 is before {created} 9; it must be equal to or later than"
                                f" {created}")


def test_missing_candidate_is_reported_in_the_versioned_key(http, customer):
    reply = http.get(f"/rest/candidates?ids=List({CANDIDATE_KEY})", headers={**customer, **LATEST}).json()
    assert reply["errors"][CANDIDATE_KEY]["message"] == (
        f"candidate externalCandidateId=C1&integrationContext={DEMO_ORG} does not exist")


def test_stage_value_may_repeat_its_context(http, customer):
    application = key(atsJobApplicationId="A1", integrationContext=DEMO_ORG)
    batch(http, "PUT", "/rest/atsApplications", {application: APPLICATION}, customer)
    stage = key(jobApplicationId="A1", integrationContext=DEMO_ORG, jobApplicationStageId="S1")
    same = {"atsCreatedAt": 1, "stage": "New", "integrationContext": DEMO_ORG}
    assert statuses(batch(http, "PUT", "/rest/applicationStage", {stage: same}, customer)) == {stage: 204}
    other = {**same, "integrationContext": "urn:li:organization:1001"}
    reply = batch(http, "PUT", "/rest/applicationStage", {stage: other}, customer)
    assert statuses(reply) == {stage: 422} and "/integrationContext" in reply.text


def test_journal_names_the_versioned_resources(http, customer):
    http.get(f"/rest/candidates?ids=List({CANDIDATE_KEY})", headers={**customer, **LATEST})
    http.get(f"/rest/entityAcls?q=criteria&integrationContext={ORG}", headers={**customer, **LATEST})
    journal = http.get("/_mock/requests", params={"path": "/rest/"}).json()["requests"]
    assert [(r["resource"], r["restliMethod"]) for r in journal] == [("candidates", "BATCH_GET"),
                                                                     ("entityAcls", "FINDER")]


def test_openapi_documents_the_versioned_family(http):
    doc = http.get("/_mock/openapi.json").json()
    for path in ("/rest/candidates", "/rest/candidateNotes", "/rest/integrations", "/rest/integrationConfigurations",
                 "/rest/applicationInterviewFeedbacks", "/rest/attachments", "/rest/exportedApplicationEvaluations",
                 "/rest/atsPurgedExportedCandidates", "/v2/hireMediaUrl"):
        assert path in doc["paths"], path
    assert "/rest/atsCandidates" not in doc["paths"]
    put = doc["paths"]["/rest/candidates"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"]["properties"]["entities"][
        "additionalProperties"] == {"$ref": "#/components/schemas/candidate"}
    version = next(p for p in put["parameters"] if p["name"] == "LinkedIn-Version")
    assert version["schema"]["enum"][0] == "202512" and version["schema"]["enum"][-1] == "202604"
    assert "202511" not in version["schema"]["enum"]


def test_versioned_throttles(http, customer):
    limits = http.get("/_mock/quotas").json()["limits"]
    documented = {"integrations": 5_000, "integrationConfigurations": 5_000, "applicationInterviewFeedbacks": 1_000_000,
                  "exportedCandidates": 100_000, "atsPurgedExportedCandidates": 100_000,
                  "exportedApplicationEvaluations": 100_000, "exportedApplicationEvaluation": 100_000}
    assert {name: limits[name]["callsPerDay"] for name in documented} == documented
    http.put("/_mock/quotas", json={"integrations": 1})
    integration = key(integrationContext=DEMO_ORG, integrationType="ONE_CLICK_EXPORT", tenantType="RECRUITER")
    url = f"/rest/integrations?ids=List({integration})"
    assert http.get(url, headers={**customer, **LATEST}).status_code == 200
    assert http.get(url, headers={**customer, **LATEST}).status_code == 429


def test_at_most_100_entities_per_call(http, customer):
    keyed = {key(externalCandidateId=f"C{n}", integrationContext=DEMO_ORG): CANDIDATE for n in range(101)}
    # 101 keys are over LinkedIn's 4 KB query limit, so the batch is tunnelled, as a partner must send it
    extra, content = tunnelled("PUT", f"ids=List({','.join(keyed)})", {"entities": keyed})
    reply = http.post("/rest/candidates", content=content,
                      headers={**customer, **extra, "X-RestLi-Protocol-Version": "2.0.0", **LATEST})
    assert reply.status_code == 400, reply.text
    assert "100" in reply.json()["message"]


def test_candidate_notes_delete_by_query_tunnelling(http, customer):
    batch(http, "PUT", "/rest/candidates", {CANDIDATE_KEY: CANDIDATE}, customer)
    note = key(externalCandidateId="C1", integrationContext=DEMO_ORG, externalNoteId="N1")
    batch(http, "PUT", "/rest/candidateNotes", {note: {"note": "x"}}, customer)
    reply = http.post("/rest/candidateNotes", content=f"ids=List({note})",
                      headers={**customer, **LATEST, "X-HTTP-Method-Override": "DELETE",
                               "Content-Type": "application/x-www-form-urlencoded"})
    assert statuses(reply) == {note: 204}
