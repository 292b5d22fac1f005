"""The profile widget reads and changes ``atsCandidates`` through the same domain functions as the API: a read
is what a BATCH_GET shows (the candidate as synced plus ``matchedMembers`` and ``manualMatchedMember``), link
and unlink are the "Attach Person URN" patch (``$set`` / ``$delete`` of ``manualMatchedMember``), so the store
effect and the rules (member must exist, a candidate without email keeps its person URN) are exactly the
API's. Callers check that the integration context is the widget customer's first.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates ; linking in
the widget = setting ``manualMatchedMember`` (spec sync-and-retrieve.md §7.1, [INFERRED]).
"""

from __future__ import annotations

from mock_server.domain.synced import CANDIDATES, SyncedRecords, attach_person


def candidate_key(ats_candidate_id: str, integration_context: str) -> dict:
    """The ``atsCandidates`` key of a widget's ``data-ats-candidate-id`` and ``data-integration-context``."""
    return {"atsCandidateId": ats_candidate_id, "dataProvider": "ATS", "integrationContext": integration_context}


def read(world, key: dict) -> dict | None:
    """The candidate as BATCH_GET returns it, or None when it has not been synced."""
    return SyncedRecords(world.store, world.clock, CANDIDATES).read(key)


def set_manual_match(world, key: dict, person: str | None) -> None:
    """Attach ``person`` (``urn:li:person:<id>``) as the candidate's ``manualMatchedMember``, or remove it when
    ``person`` is None, in one commit. Raises what the BATCH_PARTIAL_UPDATE reports per key (404, 422)."""
    patch = {"$set": {"manualMatchedMember": person}} if person else {"$delete": ["manualMatchedMember"]}
    with world.store.transaction():
        attach_person(world.store, world.clock.now_ms(), key, patch)
