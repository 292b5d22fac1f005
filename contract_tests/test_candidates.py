"""rest/candidates (customer token): the versioned candidates — RSC release notes (2026-03 view): BATCH_UPDATE,
BATCH_GET, BATCH_DELETE; key (externalCandidateId, integrationContext), no dataProvider; atsCreatedAt →
externalCreatedAt, atsLastModifiedAt → externalLastModifiedAt (LinkedIn-Version 202602 on). Every candidate a
case syncs is deleted after it."""

from __future__ import annotations

import pytest

from contract_tests.contract import BATCH_STATUS, ERROR, batch_get, expect, expect_all, only_error
from contract_tests.sync import now_ms
from contract_tests.versioned import RN, WITHONE, delete, get, headers, key, put, rest_candidate, versioned_candidate

SOURCE = RN + "Sync and manage ATS candidates (v2/atsCandidates → rest/candidates)"
CANDIDATES = batch_get("candidate.reply.json")
synced = rest_candidate


@pytest.mark.case(SOURCE + " — BATCH_UPDATE", "inferred")
def test_sync_versioned_candidate(synced):
    """The fixture sends the versioned request and expects 200 with 204 for the key."""


@pytest.mark.case(SOURCE + " — BATCH_GET shows the renamed fields", "documented")
def test_read_back_with_renamed_fields(api, synced):
    candidate_key, call = synced
    body = expect(get(api, "candidates", [candidate_key], call), 200, CANDIDATES)
    assert list(body["results"]) == [candidate_key]


@pytest.mark.case(SOURCE + " — a v2 field name is refused", "inferred")
def test_v2_field_name_is_a_per_entity_422(api, customer, org, run_id, target):
    candidate_key = key(externalCandidateId=f"CT-{run_id}-V2NAME", integrationContext=org)
    entity = {**versioned_candidate(), "atsCreatedAt": now_ms()}
    error = only_error(expect(put(api, "candidates", {candidate_key: entity}, headers(customer, target)), 200,
                              BATCH_STATUS))
    assert error["status"] == 422 and "/atsCreatedAt" in error["message"]


@pytest.mark.case(SOURCE + " — key with dataProvider", "inferred")
def test_key_with_data_provider_is_400(api, customer, org, run_id, target):
    candidate_key = key(externalCandidateId=f"CT-{run_id}-DP", integrationContext=org, dataProvider="ATS")
    expect(put(api, "candidates", {candidate_key: versioned_candidate()}, headers(customer, target)), 400, ERROR)


@pytest.mark.case(WITHONE + "Sync Candidates — a path key instead of ids", "inferred")
def test_path_key_is_refused(api, customer, org, run_id, target):
    candidate_key = key(externalCandidateId=f"CT-{run_id}-PATH", integrationContext=org)
    reply = api.put(f"/rest/candidates/{candidate_key}", json=versioned_candidate(), headers=headers(customer, target))
    assert reply.status_code in (400, 405), reply.text


@pytest.mark.case(SOURCE + " — BATCH_DELETE", "inferred")
def test_delete_versioned_candidate(api, synced):
    candidate_key, call = synced
    expect_all(delete(api, "candidates", [candidate_key], call))
    assert only_error(expect(get(api, "candidates", [candidate_key], call), 200, CANDIDATES))["status"] == 404


@pytest.mark.case("Talent release notes › 202602 breaking changes to candidates — rest/atsCandidates", "inferred")
def test_v2_resource_name_is_404_on_rest(api, customer, org, run_id, target):
    v2_key = key(atsCandidateId=f"CT-{run_id}-OLD", dataProvider="ATS", integrationContext=org)
    expect(api.get(f"/rest/atsCandidates?ids=List({v2_key})", headers=headers(customer, target)), 404, ERROR)
