"""Certification case RSC-505, the migration path: one partner flow written once and run against ``/v2`` and
against ``/rest`` (``LinkedIn-Version: 202604``) through a small per-family adapter, giving the same world.

The flow: onboarding (provision a child application, name the One-Click Export integration, register the
callback), a job, two candidates with a note, an application with a note, stages and interview feedback, an ACL
group with an assignee, a One-Click Export with its push notification and follow-up GET, then the deletes of
module 5. Each family runs on a freshly reset emulator whose clock is frozen at the same instant, and the two
worlds are compared table by table, entity by entity, before and after the deletes; each family also reads back
what it wrote through its own API.
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import DEMO_CONTRACT, DEMO_ORG, token_for

FROZEN_MS = 1_790_000_000_000
JSON = {"Content-Type": "application/json"}
COMPARED = ("integrations", "configurations", "jobs", "candidates", "candidateNotes", "atsApplications",
            "applicationNotes", "applicationStages", "applicationInterviewFeedback", "atsEntityAcls",
            "atsEntityAclAssignees", "exports", "notifications", "applications")
RANDOM = ("clientId", "clientSecret", "attempts")
DESCRIPTION = "A job synced by the migration flow. " * 5


class V2:
    """The unversioned family: ``/v2`` names, keys with ``dataProvider``, ``ats…`` fields, sub-resources."""

    name = "v2"
    version: dict = {}

    @staticmethod
    def key(**parts) -> str:
        """A protocol 2.0 compound key, parts sorted."""
        return "(" + ",".join(f"{k}:{v.replace(':', '%3A')}" for k, v in sorted(parts.items())) + ")"

    def headers(self, token: str) -> dict:
        return {"Authorization": "Bearer " + token, "X-RestLi-Protocol-Version": "2.0.0", **self.version}

    def integration(self, integration_type: str) -> tuple[str, str]:
        """``(resource path, key)`` of an integration."""
        return "/v2/atsIntegrations", self.key(integrationContext=DEMO_ORG, integrationType=integration_type,
                                              tenantType="RECRUITER", dataProvider="ATS")

    def configuration(self, integration_type: str, name: str) -> tuple[str, str]:
        path, key = self.integration(integration_type)
        return f"{path}/{key}/configurations", name

    def candidate(self, candidate_id: str) -> tuple[str, str]:
        return "/v2/atsCandidates", self.key(atsCandidateId=candidate_id, dataProvider="ATS",
                                             integrationContext=DEMO_ORG)

    def candidate_note(self, candidate_id: str, note_id: str) -> tuple[str, str]:
        path, key = self.candidate(candidate_id)
        return f"{path}/{key}/notes", note_id

    def application(self, application_id: str) -> tuple[str, str]:
        return "/v2/atsApplications", self.key(atsJobApplicationId=application_id, dataProvider="ATS",
                                               integrationContext=DEMO_ORG)

    def application_child(self, kind: str, application_id: str, child_id: str) -> tuple[str, str]:
        path, key = self.application(application_id)
        return f"{path}/{key}/{kind}", child_id

    def acl(self, group: str, job: str) -> tuple[str, str]:
        return "/v2/atsEntityAcls", self.key(atsEntityAclId=group, dataProvider="ATS", integrationContext=DEMO_ORG,
                                             atsEntityType="JOB_POSTING", atsEntityId=job)

    def assignee(self, group: str, person: str) -> tuple[str, str]:
        return "/v2/atsEntityAclAssignees", self.key(atsEntityAclId=group, dataProvider="ATS",
                                                     integrationContext=DEMO_ORG, atsEntityType="JOB_POSTING",
                                                     assignee=person)

    def fields(self, entity: dict) -> dict:
        """A logical entity (``createdAt``/``modifiedAt``) in this family's field names."""
        names = {"createdAt": "atsCreatedAt", "modifiedAt": "atsLastModifiedAt"}
        return {names.get(name, name): value for name, value in entity.items()}

    def read_fields(self, entity: dict) -> dict:
        names = {"atsCreatedAt": "createdAt", "atsLastModifiedAt": "modifiedAt"}
        return {names.get(name, name): value for name, value in entity.items()}

    def exported(self) -> str:
        return "/v2/exportedCandidates"

    def jobs(self) -> str:
        return "/v2/simpleJobPostings"


class Rest(V2):
    """The versioned family (LinkedIn-Version 202604): its own names, keys and ``external…`` fields."""

    name = "rest"
    version = {"LinkedIn-Version": "202604"}

    def integration(self, integration_type):
        return "/rest/integrations", self.key(integrationContext=DEMO_ORG, integrationType=integration_type,
                                              tenantType="RECRUITER")

    def configuration(self, integration_type, name):
        return "/rest/integrationConfigurations", self.key(
            integrationContext=DEMO_ORG, integrationType=integration_type, tenantType="RECRUITER",
            configurationKey=name)

    def candidate(self, candidate_id):
        return "/rest/candidates", self.key(externalCandidateId=candidate_id, integrationContext=DEMO_ORG)

    def candidate_note(self, candidate_id, note_id):
        return "/rest/candidateNotes", self.key(externalCandidateId=candidate_id, integrationContext=DEMO_ORG,
                                                externalNoteId=note_id)

    def application(self, application_id):
        return "/rest/atsApplications", self.key(atsJobApplicationId=application_id, integrationContext=DEMO_ORG)

    def application_child(self, kind, application_id, child_id):
        if kind == "notes":
            return "/rest/applicationNotes", self.key(externalJobApplicationId=application_id,
                                                      integrationContext=DEMO_ORG, externalNoteId=child_id)
        if kind == "stages":
            return "/rest/applicationStage", self.key(jobApplicationId=application_id, integrationContext=DEMO_ORG,
                                                      jobApplicationStageId=child_id)
        return "/rest/applicationInterviewFeedbacks", self.key(jobApplicationId=application_id,
                                                               integrationContext=DEMO_ORG,
                                                               interviewFeedbackId=child_id)

    def acl(self, group, job):
        return "/rest/entityAcls", self.key(entityAclId=group, dataProvider="ATS", integrationContext=DEMO_ORG,
                                            entityType="JOB_REQUISITION", entityId=job)

    def assignee(self, group, person):
        return "/rest/entityAclAssignees", self.key(entityAclId=group, dataProvider="ATS",
                                                    integrationContext=DEMO_ORG, entityType="JOB_REQUISITION",
                                                    assignee=person)

    def fields(self, entity):
        names = {"createdAt": "externalCreatedAt", "modifiedAt": "externalLastModifiedAt"}
        return {names.get(name, name): value for name, value in entity.items()}

    def read_fields(self, entity):
        names = {"externalCreatedAt": "createdAt", "externalLastModifiedAt": "modifiedAt"}
        return {names.get(name, name): value for name, value in entity.items()}

    def exported(self):
        return "/rest/exportedCandidates"

    def jobs(self):
        return "/rest/simpleJobPostings"


# ---- the flow, written once ------------------------------------------------------------------------------

CANDIDATES = {
    "CAND-1": {"firstName": "John", "lastName": "Doe", "emailAddresses": ["johndoe999986@outlook.com"],
               "externalProfileUrl": "https://ats.example.com/c/1", "addresses": [], "phoneNumbers": [],
               "createdAt": FROZEN_MS - 5000, "modifiedAt": FROZEN_MS - 1000},
    "CAND-2": {"firstName": "Ann", "lastName": "Lee", "emailAddresses": ["ann.lee@example.com"],
               "externalProfileUrl": "https://ats.example.com/c/2", "addresses": [], "phoneNumbers": [],
               "createdAt": FROZEN_MS - 4000, "modifiedAt": FROZEN_MS - 4000},
}
APPLICATION = {"atsCandidateId": "CAND-1", "atsCreatedAt": FROZEN_MS - 3000, "atsLastModifiedAt": FROZEN_MS - 3000,
               "atsJobPostingId": "MIG-JOB-1", "atsJobPostingName": "Migration Engineer",
               "candidateEmail": "johndoe999986@outlook.com", "firstName": "John", "lastName": "Doe"}
NOTE = {"createdAt": FROZEN_MS - 2000, "note": "Strong profile.", "author": {"firstName": "Rita", "lastName": "Book"}}
STAGES = {"ST-1": {"atsCreatedAt": FROZEN_MS - 2000, "stage": "Phone Screen"},
          "ST-2": {"atsCreatedAt": FROZEN_MS - 1000, "stage": "Onsite"}}
FEEDBACK = {"atsCreatedAt": FROZEN_MS - 1500, "interviewType": "PHONE_SCREEN", "feedback": "Clear communicator.",
            "interviewer": {"firstName": "Rita", "lastName": "Book"}}


def batch(http, method: str, path: str, keyed: dict, headers: dict, restli: str | None = None) -> dict:
    """A batch call on ``{key: entity or None}``; asserts every key got its 2xx and returns the reply body."""
    ids = ",".join(keyed)
    extra = {"X-RestLi-Method": restli} if restli else {}
    body = {"entities": keyed} if method == "PUT" or restli else None
    http_method = "POST" if restli == "BATCH_PARTIAL_UPDATE" else method
    reply = http.request(http_method, f"{path}?ids=List({ids})", json=body, headers={**headers, **JSON, **extra})
    assert reply.status_code == 200, reply.text
    assert reply.json()["errors"] == {}, reply.text
    return reply.json()


def put(http, family, located: tuple[str, str], entity: dict, headers: dict) -> None:
    path, key = located
    batch(http, "PUT", path, {key: entity}, headers)


def get_one(http, located: tuple[str, str], headers: dict) -> dict:
    path, key = located
    reply = http.get(f"{path}?ids=List({key})", headers=headers)
    assert reply.status_code == 200, reply.text
    return reply.json()["results"][key]


def delete(http, located: tuple[str, str], headers: dict) -> None:
    path, key = located
    batch(http, "DELETE", path, {key: None}, headers)


def snapshot(server) -> dict:
    """The compared tables: ``{table: {key: document}}``."""
    store = server.emulator.store
    return {name: dict(store.table(name).items()) for name in COMPARED}


def run_flow(http, server, family) -> tuple[dict, dict]:
    """The partner flow through ``family``; the worlds after the syncs and after the deletes."""
    assert http.post("/_mock/clock", json={"freeze": True}).status_code == 200
    assert http.post("/_mock/clock", json={"set": FROZEN_MS}).status_code == 200  # frozen: exactly this instant
    partner = {"Authorization": "Bearer " + token_for(http, "demo-partner", "demo-partner-secret")}
    provisioned = http.post("/v2/provisionedApplications", headers={**partner, **JSON}, json={
        "uniqueForeignId": "migration-co", "name": "Demo ATS - Migration Co", "description": "Migration Co",
        "validJsSdkDomains": ["http://localhost:5000"]})
    assert provisioned.status_code == 201, provisioned.text
    customer = family.headers(token_for(http, "demo-customer", "demo-customer-secret"))

    # onboarding: name the integration, register the callback
    path, key = family.integration("ONE_CLICK_EXPORT")
    batch(http, "POST", path, {key: {"patch": {"$set": {"integrationName": "Migration One-Click Export"}}}},
          customer, restli="BATCH_PARTIAL_UPDATE")
    inbox = f"{server.url}/_mock/inbox/migration"
    put(http, family, family.configuration("ONE_CLICK_EXPORT", "CALLBACK_URL"),
        {"configurationValue": {"string": inbox}}, customer)
    assert get_one(http, family.integration("ONE_CLICK_EXPORT"), customer)["integrationName"] == \
        "Migration One-Click Export"

    # a job
    job = {"integrationContext": DEMO_ORG, "externalJobPostingId": "MIG-JOB-1", "title": "Migration Engineer",
           "description": DESCRIPTION, "location": "San Francisco, CA", "availability": "PUBLIC", "state": "LISTED",
           "companyApplyUrl": "https://ats.example.com/jobs/1", "listedAt": FROZEN_MS - 60_000}
    reply = http.post(family.jobs(), json={"elements": [job]},
                      headers={**customer, **JSON, "X-RestLi-Method": "BATCH_CREATE"})
    assert reply.status_code == 200 and reply.json()["elements"][0]["status"] == 202, reply.text

    # candidates, a candidate note, read back in the family's names
    for candidate_id, candidate in CANDIDATES.items():
        put(http, family, family.candidate(candidate_id), family.fields(candidate), customer)
    put(http, family, family.candidate_note("CAND-1", "CN-1"), family.fields(NOTE), customer)
    for candidate_id, candidate in CANDIDATES.items():
        shown = family.read_fields(get_one(http, family.candidate(candidate_id), customer))
        assert {name: shown[name] for name in candidate} == candidate
    assert family.read_fields(get_one(http, family.candidate_note("CAND-1", "CN-1"), customer)) == NOTE

    # an application with a note, stages and interview feedback
    put(http, family, family.application("APP-1"), APPLICATION, customer)
    put(http, family, family.application_child("notes", "APP-1", "AN-1"), family.fields(NOTE), customer)
    for stage_id, stage in STAGES.items():
        put(http, family, family.application_child("stages", "APP-1", stage_id), stage, customer)
    put(http, family, family.application_child("interviewFeedback", "APP-1", "FB-1"), FEEDBACK, customer)
    assert get_one(http, family.application("APP-1"), customer) == APPLICATION
    assert get_one(http, family.application_child("stages", "APP-1", "ST-2"), customer) == STAGES["ST-2"]
    assert get_one(http, family.application_child("interviewFeedback", "APP-1", "FB-1"), customer) == FEEDBACK

    # ACLs
    put(http, family, family.acl("HIRING-TEAM", "MIG-JOB-1"), {}, customer)
    put(http, family, family.assignee("HIRING-TEAM", "urn:li:person:demo-recruiter"), {}, customer)

    # One-Click Export, its push and the follow-up GET
    exported = http.post("/_mock/recruiter/exports", json={"seat": 3000, "member": "urn:li:person:demo-candidate",
                                                            "externalJobPostingId": "MIG-JOB-1"})
    assert exported.status_code == 201, exported.text
    pushed = http.post("/_mock/notifications/wait", json={"filter": {"status": "delivered"}, "timeout": 20})
    assert pushed.status_code == 200, pushed.text
    [received] = http.get("/_mock/inbox/migration").json()["requests"]
    request_id = json.loads(received["body"])["id"]
    follow_up = http.get(family.exported(), params={"q": "request", "requestId": request_id}, headers=customer)
    assert follow_up.status_code == 200, follow_up.text
    [element] = follow_up.json()["elements"]
    assert element["candidate"]["person"] == "urn:li:person:demo-candidate"
    assert element["externalJobPostingId"] == "MIG-JOB-1"
    synced = snapshot(server)

    # module 5: deletes
    delete(http, family.application_child("stages", "APP-1", "ST-1"), customer)
    delete(http, family.application_child("notes", "APP-1", "AN-1"), customer)
    delete(http, family.candidate_note("CAND-1", "CN-1"), customer)
    delete(http, family.application("APP-1"), customer)
    delete(http, family.candidate("CAND-2"), customer)
    delete(http, family.assignee("HIRING-TEAM", "urn:li:person:demo-recruiter"), customer)
    delete(http, family.acl("HIRING-TEAM", "MIG-JOB-1"), customer)
    path, key = family.candidate("CAND-2")
    assert http.get(f"{path}?ids=List({key})", headers=customer).json()["errors"][key]["status"] == 404
    return synced, snapshot(server)


def normalised(world: dict) -> dict:
    """A world without what differs by chance between two runs: the provisioned application's generated
    credentials and the notifications' delivery attempts (real-time latencies inside a frozen clock)."""
    shown = {}
    for table, documents in world.items():
        shown[table] = {}
        for key, doc in documents.items():
            doc = {name: value for name, value in doc.items() if name not in RANDOM}
            shown[table][key] = doc
    return shown


@pytest.fixture(scope="module")
def worlds(live_server):
    """Both families' worlds ``{family: (after syncs, after deletes)}``, each on a reset, frozen emulator."""
    found = {}
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        for family in (V2(), Rest()):
            assert http.post("/_mock/reset").status_code == 200
            found[family.name] = run_flow(http, live_server, family)
        http.post("/_mock/reset")
    return found


@pytest.mark.parametrize("stage", [0, 1], ids=["after-syncs", "after-deletes"])
@pytest.mark.parametrize("table", COMPARED)
def test_both_families_give_the_same_world(worlds, table, stage):
    v2, rest = (normalised(worlds[name][stage])[table] for name in ("v2", "rest"))
    assert sorted(v2) == sorted(rest), f"{table}: different entities"
    for key in v2:
        assert v2[key] == rest[key], f"{table} {key}"


def test_the_flow_synced_something_in_every_compared_table(worlds):
    synced, deleted = worlds["rest"]
    for table in COMPARED:
        assert synced[table], table
    assert not deleted["atsEntityAcls"] and not deleted["applicationStages"].get("ST-1")
    assert DEMO_CONTRACT  # the seat's contract owns the export (fixture)
