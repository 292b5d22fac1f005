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
"manualMatchedMember"?, "syncedAt"}``; notes in ``candidateNotes`` (see :mod:`mock_server.domain.synced`).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates ,
…/sync-candidate-notes, …/recruiter-system-connect/rsc-data-deletion; required fields:
…/recruiter-system-connect/required-fields.
"""

from __future__ import annotations

from mock_server.api.resources.common import BOTH, emulator, per_entity
from mock_server.domain.matching import MemberDirectory
from mock_server.domain.synced import (
    SyncedChildren,
    SyncedRecords,
    check_entity_key,
    check_times,
    described,
    store_key,
)
from mock_server.restli.errors import field_error
from mock_server.restli.patch import apply_patch, patched_fields, read_patch
from mock_server.restli.resource import Call, Resource
from mock_server.schemas import validation

KEY_PARTS = ("atsCandidateId", "dataProvider", "integrationContext")
PATCHABLE = ("manualMatchedMember",)
REQUIRED = "field is required but not found and has no default value"


def check_member(store, person) -> None:
    """422 unless ``person`` is a member URN of the fixtures."""
    if not MemberDirectory(store).exists(person):
        raise field_error("manualMatchedMember", f"{person} is not a LinkedIn member (expected the"
                                                 " urn:li:person:<id> of an existing member)")


def prepare(call: Call, key: dict, entity: dict, existing: dict | None) -> dict:
    """The fields to store for one BATCH_UPDATE entity; raises its 422."""
    validation.check("atsCandidate", entity)
    check_times(entity)
    if "manualMatchedMember" in entity:
        check_member(emulator(call).store, entity["manualMatchedMember"])
    manual = entity.get("manualMatchedMember", (existing or {}).get("manualMatchedMember"))
    if manual is None and not entity.get("emailAddresses"):
        reason = REQUIRED if "emailAddresses" not in entity else "must hold at least one email address"
        raise field_error("emailAddresses", f"{reason} (required unless a person URN is attached as"
                                            " manualMatchedMember)")
    return {**entity, "manualMatchedMember": manual} if manual else dict(entity)


def view(store, doc: dict) -> dict:
    """``matchedMembers`` of a stored candidate."""
    return {"matchedMembers": MemberDirectory(store).matches(doc.get("emailAddresses"), doc.get("linkedInProfileUrl"))}


CANDIDATES = SyncedRecords(label="atsCandidate", table_name="candidates", key_parts=KEY_PARTS, prepare=prepare,
                           view=view, children=("candidateNotes",))
NOTES = SyncedChildren(label="note", parent=CANDIDATES, table_name="candidateNotes", schema="atsNote")


def attach_person(store, now_ms: int, key: dict, patch: dict) -> None:
    """Apply an "Attach Person URN" patch (``$set`` / ``$delete`` of ``manualMatchedMember``) to the candidate
    of ``key`` — the BATCH_PARTIAL_UPDATE's effect, also used by the profile widget's link and unlink. Raises
    404 (never synced), 400 (malformed patch), 422 (another field, an unknown member, or removing the person
    URN of a candidate without an email address). The caller checks the customer's context."""
    table = CANDIDATES.table_of(store)
    where = store_key(key)
    doc = table.get(where)
    if doc is None:
        raise CANDIDATES.not_found(key)
    other = sorted(patched_fields(patch) - set(PATCHABLE))
    if other:
        raise field_error(other[0], "cannot be changed by a partial update (only manualMatchedMember can;"
                                    " send the whole candidate with BATCH_UPDATE)")
    updated = apply_patch(doc, patch)
    if "manualMatchedMember" in updated:
        check_member(store, updated["manualMatchedMember"])
    elif not updated.get("emailAddresses"):
        raise field_error("emailAddresses", "the candidate has no email address, so manualMatchedMember"
                                            " cannot be removed")
    table.put(where, {**updated, "syncedAt": now_ms})


def batch_partial_update(call: Call) -> dict:
    """BATCH_PARTIAL_UPDATE of ``manualMatchedMember``: 204 per key, or 400 (malformed patch), 403, 404, 422."""
    world = emulator(call)

    def attach(key: dict, body: dict) -> int:
        check_entity_key(call, key)
        attach_person(world.store, world.clock.now_ms(), key, read_patch(body, f"entity {described(key)}"))
        return 204

    with world.store.transaction():
        return {canonical: per_entity(attach)(key, body) for canonical, key, body in call.entities}


RESOURCES = [
    (Resource(path="atsCandidates", key_parts=KEY_PARTS,
              handlers={**CANDIDATES.handlers(), "BATCH_PARTIAL_UPDATE": batch_partial_update}), BOTH),
    (Resource(path="atsCandidates/notes", parent_key_parts=KEY_PARTS, handlers=NOTES.handlers()), BOTH),
]
