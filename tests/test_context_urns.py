"""A malformed integration context is a bad request naming the field, never a 403, on every resource that
takes one: in a key, a parent key, a finder parameter or a job body (every resource x method x base built by
:mod:`tests.resource_calls`, so a resource registered later is covered too)."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_CONTRACT
from tests.resource_calls import JOB, request_for, send, served_calls

MALFORMED = ["garbage", "urn:li:organization:abc", "urn:li:person:1000", "urn:li:organization:"]


def takes_context(resource, method: str) -> bool:
    """True when the request :func:`request_for` builds for ``method`` names ``integrationContext``."""
    parts = (*(resource.key_parts or ()), *(resource.parent_key_parts or ()))
    if method.startswith("FINDER"):
        return request_for("v2", resource, method).url.count("integrationContext=") > 0
    return "integrationContext" in parts and (method.startswith("BATCH_") or bool(resource.parent_key_parts))


CALLS = [(base, resource, method) for base, resource, method in served_calls() if takes_context(resource, method)]


def errors_of(reply) -> list[dict]:
    """The error of a refused request, or each error of a batch reply."""
    body = reply.json()
    if reply.status_code >= 400:
        return [body]
    return list(body.get("errors", {}).values()) + [element["error"] for element in body.get("elements", [])
                                                      if "error" in element]


def test_the_class_is_not_empty():
    paths = {resource.path for _, resource, _ in CALLS}
    assert {"atsCandidates", "atsCandidates/notes", "atsIntegrations", "atsIntegrations/configurations",
            "atsEntityAcls", "candidates", "integrations", "integrationConfigurations", "entityAcls",
            "applicationInterviewFeedbacks", "attachments", "atsPurgedExportedCandidates"} <= paths


@pytest.mark.parametrize("value", MALFORMED)
def test_every_resource_answers_400_naming_integration_context(http, customer, value):
    wrong = []
    for base, resource, method in CALLS:
        reply = send(http, request_for(base, resource, method, integrationContext=value), customer)
        found = errors_of(reply)
        if not found or any(error["status"] != 400 or "/integrationContext ::" not in error["message"]
                            for error in found):
            wrong.append((base, resource.path, method, reply.status_code, reply.text[:200]))
    assert wrong == []


@pytest.mark.parametrize("field", ["integrationContext", "company"])
def test_a_job_with_a_malformed_context_names_the_field(http, customer, field):
    job = {**JOB, field: "garbage"}
    if field == "company":
        del job["integrationContext"]
    reply = http.post("/v2/simpleJobPostings", json={"elements": [job]},
                      headers={**customer, "X-RestLi-Method": "BATCH_CREATE"})
    [element] = reply.json()["elements"]
    assert element["status"] in (400, 422) and f"/{field} ::" in element["error"]["message"]


def test_a_well_formed_foreign_context_is_still_403(http, customer):
    candidates = next(resource for _, resource, _ in CALLS if resource.path == "atsCandidates")
    reply = send(http, request_for("v2", candidates, "BATCH_GET", integrationContext="urn:li:organization:9"),
                 customer)
    assert [error["status"] for error in errors_of(reply)] == [403]


# Records that belong to an organization (every context-taking resource but the integrations and their
# configurations, whose CSA_API integration takes the contract): the customer's own contract is refused too.
INTEGRATION_RESOURCES = ("atsIntegrations", "atsIntegrations/configurations", "integrations",
                         "integrationConfigurations")
ORGANIZATION_CALLS = [call for call in CALLS if call[1].path not in INTEGRATION_RESOURCES]


def test_the_organization_class_is_not_empty():
    paths = {resource.path for _, resource, _ in ORGANIZATION_CALLS}
    assert {"atsCandidates", "atsCandidates/notes", "atsApplications/stages", "atsEntityAclAssignees", "candidates",
            "applicationStage", "entityAcls", "attachments", "atsPurgedExportedCandidates"} <= paths


def test_every_organization_resource_refuses_the_customers_own_contract(http, customer):
    """sync-candidates and its sibling pages key every record by ``urn:li:organization:<id>``: a contract URN
    — even the caller's own, whose CSA_API integration is enabled — is refused (422 per entity, 400 in a path or
    a finder parameter), never stored or answered as an empty page."""
    wrong = []
    for base, resource, method in ORGANIZATION_CALLS:
        reply = send(http, request_for(base, resource, method, integrationContext=DEMO_CONTRACT), customer)
        found = errors_of(reply)
        if not found or any(error["status"] not in (400, 422) or "integrationContext" not in error["message"]
                            for error in found):
            wrong.append((base, resource.path, method, reply.status_code, reply.text[:200]))
    assert wrong == []
    # the integrations themselves still take it: CSA_API is the contract's
    integrations = next(resource for _, resource, _ in CALLS if resource.path == "atsIntegrations")
    reply = send(http, request_for("v2", integrations, "BATCH_GET", integrationContext=DEMO_CONTRACT,
                                   integrationType="CSA_API"), customer)
    assert reply.status_code == 200 and not reply.json()["errors"], reply.text
