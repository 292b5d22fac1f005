"""rest/candidateNotes (customer token): a top-level resource keyed (externalCandidateId, integrationContext,
externalNoteId) (withone.ai's copy of "Sync Candidate Notes"); BATCH_UPDATE, BATCH_GET, BATCH_DELETE; body as
the v2 note with externalCreatedAt [INFERRED]."""

from __future__ import annotations

import pytest

from contract_tests.contract import BATCH_STATUS, batch_get, expect, expect_all, only_error
from contract_tests.sync import now_ms
from contract_tests.versioned import WITHONE, delete, get, headers, key, put, rest_candidate

synced = rest_candidate

SOURCE = WITHONE + "Sync Candidate Notes (PUT rest/candidateNotes)"
NOTES = batch_get("candidateNote.json")


def note_key(candidate_key: str, note_id: str) -> str:
    candidate_id = candidate_key.split("externalCandidateId:")[1].split(",")[0]
    context = candidate_key.split("integrationContext:")[1].rstrip(")")
    return f"(externalCandidateId:{candidate_id},externalNoteId:{note_id},integrationContext:{context})"


@pytest.mark.case(SOURCE, "inferred")
def test_sync_read_and_delete_a_note(api, synced):
    candidate_key, call = synced
    keyed = note_key(candidate_key, "CT_NOTE_0001")
    note = {"externalCreatedAt": now_ms(), "note": "A versioned note.", "author": {"firstName": "Rita",
                                                                                   "lastName": "Book"}}
    expect_all(put(api, "candidateNotes", {keyed: note}, call))
    assert expect(get(api, "candidateNotes", [keyed], call), 200, NOTES)["results"][keyed] == note
    expect_all(delete(api, "candidateNotes", [keyed], call))


@pytest.mark.case(SOURCE + " — note of a candidate never synced", "inferred")
def test_note_without_its_candidate_is_a_per_key_404(api, customer, org, run_id, target):
    keyed = key(externalCandidateId=f"CT-{run_id}-NONE", integrationContext=org, externalNoteId="N1")
    error = only_error(expect(put(api, "candidateNotes", {keyed: {"note": "x"}}, headers(customer, target)), 200,
                              BATCH_STATUS))
    assert error["status"] == 404
