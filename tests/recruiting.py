"""Helpers shared by the recruiter-side tests (notifications, recruiter actions, end to end): a partner's calls
through the public API and the recruiter actions of the admin API, all over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import time

from tests.conftest import DEMO_ORG, token_for

BATCH_CREATE = {"X-RestLi-Method": "batch_create"}
BATCH_UPDATE = {"X-RestLi-Method": "batch_update"}
BATCH_PARTIAL_UPDATE = {"X-RestLi-Method": "batch_partial_update"}
DESCRIPTION = "A role for people who like building emulators of recruiting platforms, offline and faithful. " * 2
DEMO_SECRET = "demo-customer-secret"


def integration_path(context: str, integration_type: str) -> str:
    """``atsIntegrations/{key}`` of an integration, protocol 1.0."""
    return (f"/v2/atsIntegrations/integrationContext={context}&integrationType={integration_type}"
            "&tenantType=RECRUITER&dataProvider=ATS")


def configure(http, headers, context: str, name: str, value: str, integration_type: str = "ONE_CLICK_EXPORT"):
    """Set one configuration (CALLBACK_URL, JOB_POSTING_VIEWERS, APPLICATION_VIEWERS); returns the reply."""
    return http.put(f"{integration_path(context, integration_type)}/configurations?ids={name}",
                    headers={**headers, **BATCH_UPDATE},
                    json={"entities": {name: {"configurationValue": {"string": value}}}})


def set_callback(http, headers, url: str, context: str = DEMO_ORG) -> None:
    """Register ``url`` as the customer's CALLBACK_URL, asserting it was accepted."""
    reply = configure(http, headers, context, "CALLBACK_URL", url)
    assert reply.status_code == 200 and reply.json()["results"]["CALLBACK_URL"]["status"] == 204, reply.text


def provision_customer(http, partner, unique_foreign_id: str) -> dict:
    """A new customer through provisionedApplications, pre-approved for every RSC integration and with them
    enabled: ``{"key", "clientId", "clientSecret", "headers", "org", "contract"}``."""
    created = http.post("/v2/provisionedApplications", headers=partner, json={
        "uniqueForeignId": unique_foreign_id, "name": f"Demo ATS - {unique_foreign_id}", "description": "test"})
    assert created.status_code == 201, created.text
    body = created.json()
    approved = http.post(f"/_mock/customers/{unique_foreign_id}/preapprove", json={}).json()["integrations"]
    org = next(i["integrationContext"] for i in approved if i["integrationType"] == "ONE_CLICK_EXPORT")
    contract = next(i["integrationContext"] for i in approved if i["integrationType"] == "CSA_API")
    for context, types in ((org, ["ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN"]), (contract, ["CSA_API"])):
        assert enable(http, context, types).status_code == 200
    credentials = body["credentials"]
    token = token_for(http, credentials["client_id"], credentials["client_secret"])
    return {"key": body["key"], "clientId": credentials["client_id"], "clientSecret": credentials["client_secret"],
            "headers": {"Authorization": f"Bearer {token}"}, "org": org, "contract": contract}


def enable(http, context: str, types, enabled: bool = True):
    """``POST /_mock/recruiter/integrations``."""
    return http.post("/_mock/recruiter/integrations", json={"integrationContext": context,
                                                             "integrationTypes": list(types), "enabled": enabled})


def wait_notification(http, timeout: float = 10, **wanted):
    """``POST /_mock/notifications/wait`` (reply unchecked)."""
    return http.post("/_mock/notifications/wait", json={"filter": wanted, "timeout": timeout}, timeout=timeout + 10)


def delivered(http, **wanted) -> dict:
    """The notification matching ``wanted`` once delivered (asserting it is)."""
    reply = wait_notification(http, **wanted)
    assert reply.status_code == 200, reply.text
    return reply.json()["notification"]


def signature_of(secret: str, body: bytes) -> str:
    """X-LI-Signature computed here, independently of the emulator: hex HMAC-SHA256 of "hmacsha256=" + body."""
    return hmac.new(secret.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()


def sync_job(http, headers, external_id: str, context: str = DEMO_ORG, **fields) -> dict:
    """Post a LISTED job through simpleJobPostings and poll its task until it succeeded; returns the task."""
    element = {"integrationContext": context, "externalJobPostingId": external_id, "title": f"Job {external_id}",
               "description": DESCRIPTION, "location": "San Francisco, CA",
               "availability": "PRIVATE_TO_ATS_INTEGRATION", "state": "LISTED",
               "companyApplyUrl": "https://ats.example/jobs", "listedAt": int(time.time()) * 1000, **fields}
    reply = http.post("/v2/simpleJobPostings", headers={**headers, **BATCH_CREATE}, json={"elements": [element]})
    assert reply.status_code == 200, reply.text
    [created] = reply.json()["elements"]
    assert created["status"] == 202, created
    for _ in range(2):
        task = http.get("/v2/simpleJobPostingTasks", params={"ids": created["id"]}, headers=headers).json()
    result = task["results"][created["id"]]
    assert result["status"] == "SUCCEEDED", result
    return result


def record_key(id_part: str, record_id: str, context: str = DEMO_ORG) -> str:
    """A sync record's key, protocol 1.0 (``atsCandidateId=…&dataProvider=ATS&integrationContext=…``)."""
    return f"{id_part}={record_id}&dataProvider=ATS&integrationContext={context}"


def batch_ids(id_part: str, record_id: str, context: str = DEMO_ORG) -> str:
    """``ids[0].…`` query of one sync record."""
    return f"ids[0].{id_part}={record_id}&ids[0].dataProvider=ATS&ids[0].integrationContext={context}"


def sync_candidate(http, headers, candidate_id: str, context: str = DEMO_ORG, **fields) -> None:
    """Upsert one candidate through atsCandidates."""
    entity = {"addresses": [], "phoneNumbers": [], "atsCreatedAt": 1702693664000, "atsLastModifiedAt": 1702693664000,
              "externalProfileUrl": f"https://ats.example/c/{candidate_id}", "firstName": "Cand",
              "lastName": candidate_id, **fields}
    reply = http.put(f"/v2/atsCandidates?{batch_ids('atsCandidateId', candidate_id, context)}",
                     headers={**headers, **BATCH_UPDATE},
                     json={"entities": {record_key("atsCandidateId", candidate_id, context): entity}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text


def attach_person(http, headers, candidate_id: str, person: str, context: str = DEMO_ORG) -> None:
    """"One Click Export - Attach Person URN": ``$set`` manualMatchedMember."""
    reply = http.post(f"/v2/atsCandidates?{batch_ids('atsCandidateId', candidate_id, context)}",
                      headers={**headers, **BATCH_PARTIAL_UPDATE},
                      json={"entities": {record_key("atsCandidateId", candidate_id, context):
                                         {"patch": {"$set": {"manualMatchedMember": person}}}}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text


def sync_application(http, headers, application_id: str, candidate_id: str, job_id: str, context: str = DEMO_ORG,
                     stages=(), **fields) -> None:
    """Upsert one application through atsApplications, then its ``stages`` (list of stage names)."""
    entity = {"atsCandidateId": candidate_id, "atsCreatedAt": 1702693664000, "atsLastModifiedAt": 1702693664000,
              "atsJobPostingId": job_id, "atsJobPostingName": f"Job {job_id}", "candidateEmail": "cand@example.com",
              "firstName": "Cand", "lastName": candidate_id, **fields}
    key = record_key("atsJobApplicationId", application_id, context)
    reply = http.put(f"/v2/atsApplications?{batch_ids('atsJobApplicationId', application_id, context)}",
                     headers={**headers, **BATCH_UPDATE}, json={"entities": {key: entity}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text
    if stages:
        entities = {f"STAGE{index}": {"atsCreatedAt": 1702693664000 + index, "stage": stage}
                    for index, stage in enumerate(stages)}
        reply = http.put(f"/v2/atsApplications/{key}/stages?" + "&".join(f"ids={name}" for name in entities),
                         headers={**headers, **BATCH_UPDATE}, json={"entities": entities})
        assert reply.status_code == 200 and not reply.json()["errors"], reply.text


def acl(http, headers, group: str, job_id: str, person: str | None = None, context: str = DEMO_ORG) -> None:
    """Bind ACL group ``group`` to job ``job_id`` and, when given, make ``person`` an assignee of it."""
    acl_key = (f"atsEntityAclId={group}&dataProvider=ATS&integrationContext={context}&atsEntityType=JOB_POSTING"
               f"&atsEntityId={job_id}")
    reply = http.put("/v2/atsEntityAcls?" + "&".join(f"ids[0].{part}" for part in acl_key.split("&")),
                     headers={**headers, **BATCH_UPDATE}, json={"entities": {acl_key: {}}})
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text
    if person:
        assignee_key = (f"atsEntityAclId={group}&dataProvider=ATS&integrationContext={context}"
                        f"&atsEntityType=JOB_POSTING&assignee={person}")
        reply = http.put("/v2/atsEntityAclAssignees?" + "&".join(f"ids[0].{part}" for part in assignee_key.split("&")),
                         headers={**headers, **BATCH_UPDATE}, json={"entities": {assignee_key: {}}})
        assert reply.status_code == 200 and not reply.json()["errors"], reply.text


def export(http, seat, member: str, job_id: str, **extra):
    """``POST /_mock/recruiter/exports`` (reply unchecked)."""
    return http.post("/_mock/recruiter/exports", json={"seat": seat, "member": member, "externalJobPostingId": job_id,
                                                        **extra})


def export_jobs(http, seat) -> list[str]:
    """The externalJobPostingIds in a seat's One-Click Export job list."""
    reply = http.get(f"/_mock/recruiter/seats/{seat}/export-jobs")
    assert reply.status_code == 200, reply.text
    return [job["externalJobPostingId"] for job in reply.json()["jobs"]]
