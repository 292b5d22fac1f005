"""What the contract cases of the versioned family (``/rest``) share: protocol 2.0 keys, the
``LinkedIn-Version`` headers and batch calls, as LinkedIn's official clients send them.

Sources of the requests (spec ``versioned-rest.md``): RSC release notes (2026-03 view, "APIs migrated from v2 to
REST" and "New APIs"), the sync pages' versioned throttle rows, and withone.ai's copies of LinkedIn's versioned
pages (which send ``X-Restli-Protocol-Version: 2.0.0`` and 2.0 tuple keys).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

from contract_tests.contract import expect_all
from contract_tests.sync import application, candidate

RN = "RSC release notes (2026-03 view) › "
WITHONE = "withone.ai copy of LinkedIn's page › "


def key(**parts) -> str:
    """A protocol 2.0 compound key, parts sorted by name, values %-encoded where Rest.li 2.0 requires it."""
    return "(" + ",".join(f"{name}:{quote(str(value), safe='')}" for name, value in sorted(parts.items())) + ")"


def headers(customer: dict, target, version: str | None = None) -> dict:
    """The customer's headers for a versioned call (``version``: the target's LinkedIn-Version by default)."""
    return {**customer, "LinkedIn-Version": version or target.linkedin_version, "X-RestLi-Protocol-Version": "2.0.0",
            "Content-Type": "application/json"}


def batch_url(resource: str, *keys: str) -> str:
    """``/rest/<resource>?ids=List(k1,k2)``."""
    return f"/rest/{resource}?ids=List({','.join(keys)})"


def put(api, resource: str, entities: dict, call_headers: dict):
    """BATCH_UPDATE of ``{key: entity}`` on ``/rest/<resource>`` (the method inferred from PUT + ids)."""
    return api.put(batch_url(resource, *entities), json={"entities": entities}, headers=call_headers)


def get(api, resource: str, keys, call_headers: dict):
    """BATCH_GET of ``keys``."""
    return api.get(batch_url(resource, *keys), headers=call_headers)


def delete(api, resource: str, keys, call_headers: dict):
    """BATCH_DELETE of ``keys``."""
    return api.delete(batch_url(resource, *keys), headers=call_headers)


def versioned_candidate(**fields) -> dict:
    """Postman's "Sync Candidates" entity with the versioned timestamp names."""
    entity = candidate(**fields)
    entity["externalCreatedAt"] = entity.pop("atsCreatedAt")
    entity["externalLastModifiedAt"] = entity.pop("atsLastModifiedAt")
    return entity


@pytest.fixture
def rest_candidate(api, customer, org, run_id, target, cleanup) -> tuple[str, dict]:
    """A candidate synced through rest/candidates (deleted after the case): ``(key, headers)``."""
    candidate_key = key(externalCandidateId=f"CT-{run_id}-{uuid.uuid4().hex[:6]}", integrationContext=org)
    call = headers(customer, target)
    cleanup(batch_url("candidates", candidate_key), call)
    expect_all(put(api, "candidates", {candidate_key: versioned_candidate()}, call))
    return candidate_key, call


@pytest.fixture
def rest_application(api, customer, org, run_id, target, cleanup) -> tuple[str, str, dict]:
    """An application synced through rest/atsApplications (deleted after the case): ``(application id, key,
    headers)``."""
    application_id = f"CT-{run_id}-{uuid.uuid4().hex[:6]}"
    application_key = key(atsJobApplicationId=application_id, integrationContext=org)
    call = headers(customer, target)
    cleanup(batch_url("atsApplications", application_key), call)
    expect_all(put(api, "atsApplications", {application_key: application("C", "J")}, call))
    return application_id, application_key, call
