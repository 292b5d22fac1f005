"""One well-formed request for every resource x method x base the emulator serves, built from the registered
resources (their key parts, finders and methods), so access rules can be tested as a class: a new resource or
method is covered the day it is registered, or the catalogue names what it lacks.

:func:`served_calls` yields ``(base, resource, method)`` for everything served; :func:`request_for` builds the
request (verb, URL, headers, JSON body) with the demo tenant's contexts; :func:`denials` reads every 403 out of
a reply, whole or per entity.
"""

from __future__ import annotations

import dataclasses
import time
from urllib.parse import quote

from mock_server.api.resources import all_resources
from tests.conftest import DEMO_CONTRACT, DEMO_ORG

SEAT = "urn:li:seat:3000"
MEMBER = "urn:li:person:demo-recruiter"
PART_VALUES = {"atsCandidateId": "CLASS-C1", "atsJobApplicationId": "CLASS-A1", "dataProvider": "ATS",
               "integrationContext": DEMO_ORG, "atsEntityAclId": "CLASS-G1", "atsEntityType": "JOB_POSTING",
               "atsEntityId": "CLASS-J1", "assignee": MEMBER, "integrationType": "ONE_CLICK_EXPORT",
               "tenantType": "RECRUITER",
               # the versioned (/rest) key parts
               "externalCandidateId": "CLASS-C1", "externalJobApplicationId": "CLASS-A1",
               "jobApplicationId": "CLASS-A1", "externalNoteId": "N1", "jobApplicationStageId": "S1",
               "interviewFeedbackId": "F1", "entityAclId": "CLASS-G1", "entityType": "JOB_REQUISITION",
               "entityId": "CLASS-J1", "configurationKey": "JOB_POSTING_VIEWERS",
               "externalReferenceEntityId": "CLASS-A1", "externalReferenceEntityType": "APPLICATION",
               "externalAttachmentId": "R1", "attachmentType": "RESUME"}
SIMPLE_IDS = {"atsCandidates/notes": "N1", "atsApplications/notes": "N1", "atsApplications/interviewFeedback": "F1",
              "atsApplications/stages": "S1", "atsIntegrations/configurations": "JOB_POSTING_VIEWERS",
              "simpleJobPostingTasks": "urn:li:simpleJobPostingTask:00000000-0000-0000-0000-000000000000"}
FINDER_PARAMS = {
    ("provisionedApplications", "credentialsByUniqueForeignId"): {"uniqueForeignId": "acme"},
    ("atsIntegrations", "request"): {"requestId": "1"},
    ("atsEntityAcls", "criteria"): {"integrationContext": DEMO_ORG},
    ("atsEntityAclAssignees", "criteria"): {"integrationContext": DEMO_ORG, "assignee": MEMBER},
    ("seats", "seatsByAttributes"): {"contracts": DEMO_CONTRACT},
    ("seatsV2", "attributes"): {"contracts": DEMO_CONTRACT, "start": "0"},
    ("conversationEvents", "criteria"): {"viewer": SEAT},
    ("mailStubs", "contract"): {"contract": DEMO_CONTRACT, "owners": SEAT},
    ("prospectNotes", "criteria"): {"contract": DEMO_CONTRACT},
    ("exportedCandidates", "request"): {"requestId": "1"},  # the test gives a real one where it matters
    ("exportedApplicationEvaluations", "request"): {"requestId": "1"},
    ("exportedApplicationEvaluation", "request"): {"requestId": "1"},
    ("integrations", "request"): {"requestId": "1"},
    ("entityAcls", "criteria"): {"integrationContext": DEMO_ORG},
    ("entityAclAssignees", "criteria"): {"integrationContext": DEMO_ORG, "assignee": MEMBER},
    ("atsPurgedExportedCandidates", "criteria"): {"integrationContext": DEMO_ORG},
}
NOW_MS = int(time.time()) * 1000
LINKEDIN_VERSION = "202604"  # the latest Talent version LinkedIn's pages name (retrieve-exported-candidates, 2026-04)
ENTITIES = {  # a valid body entity per resource, where the method sends one
    "atsCandidates": {"addresses": [], "phoneNumbers": [], "atsCreatedAt": NOW_MS, "atsLastModifiedAt": NOW_MS,
                      "externalProfileUrl": "https://ats.example/c/1", "firstName": "Ada", "lastName": "Class",
                      "emailAddresses": ["ada.class@example.com"]},
    "atsCandidates/notes": {"note": "a note", "atsCreatedAt": NOW_MS},
    "atsApplications": {"atsCandidateId": "CLASS-C1", "atsCreatedAt": NOW_MS, "atsLastModifiedAt": NOW_MS,
                        "atsJobPostingId": "CLASS-J1", "atsJobPostingName": "Class job",
                        "candidateEmail": "ada.class@example.com", "firstName": "Ada", "lastName": "Class"},
    "atsApplications/notes": {"note": "a note", "atsCreatedAt": NOW_MS},
    "atsApplications/interviewFeedback": {"interviewType": "PHONE_SCREEN"},
    "atsApplications/stages": {"stage": "Screening", "atsCreatedAt": NOW_MS},
    "atsEntityAcls": {},
    "atsEntityAclAssignees": {},
    "atsIntegrations/configurations": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}},
    # the versioned (/rest) resources, in the names of LINKEDIN_VERSION (rest/atsApplications takes the v2 body)
    "candidates": {"addresses": [], "phoneNumbers": [], "externalCreatedAt": NOW_MS, "externalLastModifiedAt": NOW_MS,
                   "externalProfileUrl": "https://ats.example/c/1", "firstName": "Ada", "lastName": "Class",
                   "emailAddresses": ["ada.class@example.com"]},
    "candidateNotes": {"note": "a note", "externalCreatedAt": NOW_MS},
    "applicationNotes": {"note": "a note", "externalCreatedAt": NOW_MS},
    "applicationStage": {"stage": "Screening", "atsCreatedAt": NOW_MS},
    "applicationInterviewFeedbacks": {"interviewType": "PHONE_SCREEN"},
    "entityAcls": {},
    "entityAclAssignees": {},
    "integrationConfigurations": {"configurationValue": {"string": "ALL_PRODUCT_USERS"}},
    "attachments": {"media": "urn:li:digitalmediaAsset:1", "fileName": "cv.pdf"},
}
PATCHES = {"atsCandidates": {"$set": {"manualMatchedMember": "urn:li:person:demo-candidate"}},
           "atsIntegrations": {"$set": {"integrationName": "Acme One-Click Export"}},
           "integrations": {"$set": {"integrationName": "Acme One-Click Export"}},
           "provisionedApplications": {"$set": {"validJsSdkDomains": ["https://ats.example"]}}}
JOB = {"integrationContext": DEMO_ORG, "externalJobPostingId": "CLASS-J1", "title": "Class job",
       "description": "A role for people who like building emulators of recruiting platforms, offline and faithful. "
                      * 2, "location": "San Francisco, CA", "availability": "PRIVATE_TO_ATS_INTEGRATION",
       "state": "LISTED", "companyApplyUrl": "https://ats.example/jobs", "listedAt": NOW_MS}
CREATED = {"provisionedApplications": {"uniqueForeignId": "class-provisioned", "name": "Class ATS - Class",
                                       "description": "class"},
           "hireMediaUrl": {"fileName": "cv.pdf", "contentType": "application/pdf", "hiringContext": DEMO_CONTRACT,
                            "usageParameters": {"recruiterSystemConnectResumeParameters": {}}}}
ACTIONS = {"developerApplicationsSecurity": ("rollDeveloperApplicationSecret", {})}


@dataclasses.dataclass
class Request:
    """One request: ``verb``, ``url`` (path and query), ``headers`` and ``body`` (JSON-able or None)."""

    verb: str
    url: str
    headers: dict
    body: object = None


def served_calls():
    """``(base, resource, method)`` for every resource x method x base served; a FINDER per finder name
    (``method`` is ``FINDER <name>``)."""
    for resource, bases in all_resources():
        methods = [m for m in resource.methods if m != "FINDER"] + [f"FINDER {f}" for f in sorted(resource.finders)]
        for base in bases:
            for method in methods:
                yield base, resource, method


def key_text(parts: tuple[str, ...], values: dict) -> str:
    """A compound key in protocol 1.0: ``a=x&b=y``."""
    return "&".join(f"{part}={values[part]}" for part in parts)


def request_for(base: str, resource, method: str, **overrides) -> Request:
    """A well-formed request for ``method`` (``FINDER <name>`` for a finder) on ``resource`` under ``base``,
    naming the demo tenant's contexts; ``overrides`` replace key-part values and finder parameters."""
    values = {**PART_VALUES, **overrides}
    headers = {"LinkedIn-Version": LINKEDIN_VERSION} if base == "rest" else {}
    top, _, child = resource.path.partition("/")
    path = f"/{base}/{top}"
    if child:
        path += "/" + quote(key_text(resource.parent_key_parts, values), safe="=&:") + "/" + child
    ids = ""
    if method in ("BATCH_GET", "BATCH_UPDATE", "BATCH_PARTIAL_UPDATE", "BATCH_DELETE"):
        if resource.key_parts:
            ids = "&".join(f"ids[0].{part}={quote(str(values[part]), safe=':')}" for part in resource.key_parts)
            entity_key = key_text(resource.key_parts, values)
        else:
            entity_key = SIMPLE_IDS[resource.path]
            ids = f"ids={quote(entity_key, safe=':')}"
    if method.startswith("FINDER"):
        finder = method.split()[1]
        params = {"q": finder, **FINDER_PARAMS[(resource.path, finder)]}
        params.update({name: value for name, value in overrides.items() if name in params})
        return Request("GET", path + "?" + "&".join(f"{k}={quote(str(v), safe=':')}" for k, v in params.items()),
                       headers)
    if method == "BATCH_GET":
        return Request("GET", f"{path}?{ids}", headers)
    if method == "BATCH_DELETE":
        return Request("DELETE", f"{path}?{ids}", headers)
    if method == "BATCH_UPDATE":
        return Request("PUT", f"{path}?{ids}", {**headers, "X-RestLi-Method": "BATCH_UPDATE"},
                       {"entities": {entity_key: ENTITIES[resource.path]}})
    if method == "BATCH_PARTIAL_UPDATE":
        return Request("POST", f"{path}?{ids}", {**headers, "X-RestLi-Method": "BATCH_PARTIAL_UPDATE"},
                       {"entities": {entity_key: {"patch": PATCHES[resource.path]}}})
    if method == "BATCH_CREATE":
        return Request("POST", path, {**headers, "X-RestLi-Method": "BATCH_CREATE"}, {"elements": [JOB]})
    if method == "CREATE":
        return Request("POST", path, {**headers, "Content-Type": "application/json"}, CREATED[resource.path])
    if method == "ACTION":
        action, body = ACTIONS[resource.path]
        return Request("POST", f"{path}?action={action}", {**headers, "Content-Type": "application/json"}, body)
    if method == "PARTIAL_UPDATE":
        return Request("POST", f"{path}/{quote('urn:li:developerApplication:11', safe='')}", headers,
                       {"patch": PATCHES[resource.path]})
    if method == "GET":
        return Request("GET", path, headers)
    raise AssertionError(f"no request for {method} on {resource.path}: add it to tests/resource_calls.py")


def send(http, request: Request, auth: dict):
    """Send ``request`` with ``auth`` headers through the httpx client ``http``."""
    return http.request(request.verb, request.url, headers={**request.headers, **auth}, json=request.body)


def denials(reply) -> list[dict]:
    """Every 403 in ``reply``: the reply itself, or entities of a batch reply (``errors``, ``elements``)."""
    body = reply.json() if reply.content else {}
    if reply.status_code == 403:
        return [body]
    found = [error for error in body.get("errors", {}).values() if error.get("status") == 403]
    return found + [element["error"] for element in body.get("elements", [])
                    if isinstance(element, dict) and element.get("status") == 403 and "error" in element]
