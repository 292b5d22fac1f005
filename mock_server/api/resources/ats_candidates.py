"""``atsCandidates`` and its sub-resource ``notes`` (RSC module 2 "Sync Candidates", module 5 deletion).

* BATCH_UPDATE (upsert) of candidates, checked against ``schemas/atsCandidate.json`` plus
  ``atsLastModifiedAt ≥ atsCreatedAt`` and ``emailAddresses`` required unless a person URN is attached
  (``manualMatchedMember``, which a later BATCH_UPDATE keeps unless it sets it);
* BATCH_GET: the candidate as synced plus ``matchedMembers`` (person URNs, :mod:`mock_server.domain.matching`) and
  ``manualMatchedMember`` when set;
* BATCH_PARTIAL_UPDATE ("Attach Person URN"): ``$set`` / ``$delete`` of ``manualMatchedMember`` only;
* BATCH_DELETE: the candidate and its notes;
* ``atsCandidates/{key}/notes``: BATCH_UPDATE / BATCH_GET / BATCH_DELETE (``schemas/atsNote.json``).

Table ``candidates``: ``{<candidate fields>, "atsCandidateId", "dataProvider", "integrationContext",
"manualMatchedMember"?, "syncedAt"}``; notes in ``candidateNotes`` (:mod:`mock_server.domain.synced`, which also
holds "Attach Person URN" as :func:`~mock_server.domain.synced.attach_person`).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates ,
…/sync-candidate-notes, …/recruiter-system-connect/rsc-data-deletion; required fields:
…/recruiter-system-connect/required-fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mock_server.api.gate import Policy
from mock_server.api.resources.batch import check_entity_key, child_handlers, record_handlers
from mock_server.api.resources.common import V2, per_entity, world_of
from mock_server.domain.quotas import SYNC_QUOTA
from mock_server.domain.synced import (
    CANDIDATE_NOTES,
    CANDIDATES,
    attach_person,
    check_member,
    check_times,
    described,
)
from mock_server.restli.errors import field_error
from mock_server.restli.patch import read_patch
from mock_server.restli.resource import Call, Resource
from mock_server.schemas import validation

KEY_PARTS = CANDIDATES.key_parts
REQUIRED = "field is required but not found and has no default value"
POLICY = Policy(quota=SYNC_QUOTA, enabled_only=True)  # each resource its own quota


def prepare(call: Call, key: dict, entity: dict, stored: Callable[[str], Any]) -> dict:
    """The fields to store for one BATCH_UPDATE entity (with the stored ``manualMatchedMember`` unless the entity
    sets it); raises its 422."""
    validation.check("atsCandidate", entity)
    check_times(entity)
    if "manualMatchedMember" in entity:
        check_member(world_of(call).store, entity["manualMatchedMember"])
    manual = entity["manualMatchedMember"] if "manualMatchedMember" in entity else stored("manualMatchedMember")
    if manual is None and not entity.get("emailAddresses"):
        reason = REQUIRED if "emailAddresses" not in entity else "must hold at least one email address"
        raise field_error("emailAddresses", f"{reason} (required unless a person URN is attached as"
                                            " manualMatchedMember)")
    return {**entity, "manualMatchedMember": manual} if manual else dict(entity)


def batch_partial_update(call: Call) -> dict:
    """BATCH_PARTIAL_UPDATE of ``manualMatchedMember``: 204 per key, or 400 (malformed patch), 403, 404, 422."""
    world = world_of(call)

    def attach(key: dict, body: dict) -> int:
        check_entity_key(call, key)
        attach_person(world.store, world.clock.now_ms(), key, read_patch(body, f"entity {described(key)}"))
        return 204

    with world.store.transaction():
        return {canonical: per_entity(attach)(key, body) for canonical, key, body in call.entities}


RESOURCES = [
    (Resource(path="atsCandidates", key_parts=KEY_PARTS,
              handlers={**record_handlers(CANDIDATES, prepare), "BATCH_PARTIAL_UPDATE": batch_partial_update},
              policy=POLICY), V2),
    (Resource(path="atsCandidates/notes", parent_key_parts=KEY_PARTS,
              handlers=child_handlers(CANDIDATES, CANDIDATE_NOTES), policy=POLICY), V2),
]
