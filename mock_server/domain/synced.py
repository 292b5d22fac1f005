"""Synced ATS records: candidates and applications, keyed by a customer's integration context, and their
sub-records (notes, stages, interview feedback) that live and die with them. What is stored under which key, and
the rules that hold whichever API writes them; the Rest.li handlers over these records (caller checks, batch
envelopes) are :mod:`mock_server.api.resources.batch`.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates ,
…/sync-applications, …/sync-candidate-notes, …/sync-application-notes, …/sync-application-interview-feedback,
…/sync-application-stages, …/recruiter-system-connect/rsc-data-deletion.

Keys
    ``{<id part>, "dataProvider": "ATS", "integrationContext": "urn:li:organization:<n>"}``. The newer
    ``/rest/atsApplications`` key has no ``dataProvider``; :func:`normalised` adds ``ATS`` so the store key
    (:func:`store_key`) does not depend on the base a record was written through.

Records (:class:`RecordKind`, :class:`SyncedRecords`)
    One document per key: the synced fields under LinkedIn's names, the key parts, and ``syncedAt`` (the
    emulator's epoch ms of the last write). Deleting a record deletes its sub-records.

    * ``candidates`` (:data:`CANDIDATES`): ``{<candidate fields>, "atsCandidateId", "dataProvider",
      "integrationContext", "manualMatchedMember"?, "syncedAt"}``, indexed by integrationContext; shown with
      ``matchedMembers`` (:mod:`mock_server.domain.matching`; members who closed the account left out);
    * ``atsApplications`` (:data:`APPLICATIONS`; ``applications`` holds the developer applications):
      ``{<application fields>, "atsJobApplicationId", "dataProvider", "integrationContext", "syncedAt"}``,
      indexed by integrationContext, atsCandidateId and atsJobPostingId (and the fields the dashboard searches,
      :data:`SEARCHED_APPLICATION_FIELDS`).

Sub-records (:class:`ChildKind`, :class:`SyncedChildren`)
    ``{"parent": <parent store key>, "id": <simple key>, "integrationContext": …, <fields>, "syncedAt"}``
    under the store key ``canonical({"parent", "id"})``, indexed by ``parent``: ``candidateNotes``
    (:data:`CANDIDATE_NOTES`), ``applicationNotes``, ``applicationInterviewFeedback`` and
    ``applicationStages`` (:data:`CHILDREN`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Container, Sequence
from typing import Any

from mock_server.domain.attachments import ATTACHMENTS
from mock_server.domain.clock import Clock
from mock_server.domain.matching import MemberDirectory
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.patch import apply_patch, patched_fields
from mock_server.store import Store
from mock_server.store.spec import TableSpec

DATA_PROVIDER = "ATS"
CONTRACT_PREFIX = "urn:li:contract:"
INTERNAL = ("syncedAt",)
CHILD_FIELDS = ("parent", "id", "integrationContext")
PATCHABLE = ("manualMatchedMember",)


def normalised(key: dict[str, Any]) -> dict[str, Any]:
    """``key`` with ``dataProvider`` (``ATS`` when the key shape has none)."""
    return {**key, "dataProvider": key.get("dataProvider", DATA_PROVIDER)}


def store_key(key: dict[str, Any]) -> str:
    """The store key of a record, the same under ``/v2`` and ``/rest``: a key read from a request that names
    its ``dataProvider`` carries it (:class:`~mock_server.restli.keys.CompoundKey`), so it is not encoded again."""
    return keycodec.canonical(key if "dataProvider" in key else normalised(key))


def child_key(parent: str, child: str) -> str:
    """The store key of sub-record ``child`` of the record stored under ``parent``."""
    return keycodec.canonical({"parent": parent, "id": child})


def key_error(key: dict[str, Any], status: int = 422) -> RestliError | None:
    """The error of a key whose ``dataProvider`` is not ``ATS``, or whose ``integrationContext`` is a contract:
    synced records belong to an organization (``urn:li:organization:<id>``, sync-candidates and its sibling
    pages; the contract URN is the retrieve APIs' and CSA_API's), as the ACL and job schemas already say.
    ``status`` 422 per entity, 400 in a path; the key's context is checked for shape and ownership first."""
    provider = key.get("dataProvider", DATA_PROVIDER)
    if provider != DATA_PROVIDER:
        return field_error("dataProvider", f"\"{provider}\" is not an enum symbol (expected {DATA_PROVIDER})",
                           status)
    if str(key.get("integrationContext", "")).startswith(CONTRACT_PREFIX):
        return field_error("integrationContext", "must be an organization URN (urn:li:organization:<id>), not the"
                                                 f" contract {key['integrationContext']}: synced records belong to"
                                                 " an organization", status)
    return None


def check_times(entity: dict[str, Any]) -> None:
    """422 when ``atsLastModifiedAt`` is before ``atsCreatedAt`` (both epoch ms; LinkedIn RSC release notes,
    Nov 2021)."""
    created, modified = entity.get("atsCreatedAt"), entity.get("atsLastModifiedAt")
    if isinstance(created, int) and isinstance(modified, int) and modified < created:
        raise field_error("atsLastModifiedAt", f"{modified} is before atsCreatedAt {created}; it must be equal"
                                               " to or later than atsCreatedAt")


def strip(doc: dict[str, Any], names: Container[str]) -> dict[str, Any]:
    """``doc`` without the fields ``names``."""
    return {name: value for name, value in doc.items() if name not in names}


def described(key: keycodec.Key) -> str:
    """A key as messages show it (protocol 1.0 form)."""
    return keycodec.format_key(key, 1)


@dataclasses.dataclass(frozen=True)
class ChildKind:
    """A kind of sub-record: its ``label`` in messages, its table, and the JSON Schema of its entities."""

    label: str
    table: TableSpec
    schema: str


@dataclasses.dataclass(frozen=True)
class RecordKind:
    """A kind of synced record: its ``label`` in messages, its table, the stored key's parts (with
    ``dataProvider``), the kinds of sub-records deleted with a record, and ``view(store, doc)``: the stored
    fields ``doc`` as a read shows them. ``batched``: a BATCH_UPDATE may store all its records at once, after every
    entity is checked, because no check reads records of this kind (False: each record is stored before the
    next entity is checked, which may count it)."""

    label: str
    table: TableSpec
    key_parts: tuple[str, ...]
    children: tuple[ChildKind, ...] = ()
    view: Callable[[Store, dict[str, Any]], dict[str, Any]] | None = None
    batched: bool = False

    def not_found(self, key: dict[str, Any]) -> RestliError:
        """The 404 of a record that does not exist."""
        return RestliError(404, f"{self.label} {described(key)} does not exist", 404)


class SyncedRecords:
    """The records of one :class:`RecordKind` in ``store``; ``clock`` stamps ``syncedAt``. Callers check the
    customer's context."""

    def __init__(self, store: Store, clock: Clock, kind: RecordKind) -> None:
        self.store, self.clock, self.kind = store, clock, kind
        self.rows = kind.table.of(store)
        self.hidden = frozenset(kind.key_parts + INTERNAL)  # the fields a read leaves out

    def current(self, key: dict[str, Any], where: str | None = None) -> dict[str, Any] | None:
        """The stored document of ``key`` (stored under ``where`` when the caller knows it), or None when it was
        never synced."""
        return self.rows.get(where or store_key(key))

    def stored_field(self, key: dict[str, Any], name: str, where: str | None = None) -> Any:
        """Field ``name`` of the stored document of ``key`` (stored under ``where`` when the caller knows it); None
        when it was never synced or lacks the field. Parses the document only when it may hold the field
        (:meth:`~mock_server.store.table.Table.field`)."""
        return self.rows.field(where or store_key(key), name)

    def shown(self, doc: dict[str, Any]) -> dict[str, Any]:
        """A stored document as a read shows it: without the key parts and ``syncedAt``, through the kind's view.
        ``doc`` is a fresh copy the caller hands over (what the store's reads give): it is changed in place."""
        for name in self.hidden:
            doc.pop(name, None)
        return self.kind.view(self.store, doc) if self.kind.view else doc

    def read(self, key: dict[str, Any]) -> dict[str, Any] | None:
        """The record of ``key`` as :meth:`shown`, or None when it was never synced."""
        doc = self.current(key)
        return None if doc is None else self.shown(doc)

    def find(self, **equals: Any) -> list[dict[str, Any]]:
        """Every record whose (indexed) fields equal ``equals``, as stored minus ``syncedAt``, in sync order."""
        return [strip(doc, INTERNAL) for _, doc in self.rows.find(**equals)]

    def upsert(self, key: dict[str, Any], fields: dict[str, Any], where: str | None = None) -> None:
        """Store ``fields`` as the record of ``key`` (replacing what was there; under ``where`` when the caller
        knows it), stamped ``syncedAt`` now."""
        self.upsert_many([(key, fields, where)])

    def upsert_many(self, records: Sequence[tuple[dict[str, Any], dict[str, Any], str | None]]) -> None:
        """:meth:`upsert` of every ``(key, fields, where)``, as one write of the store (one commit unless inside a
        transaction; each index updated once)."""
        now = self.clock.now_ms()
        self.rows.put_many([(where or store_key(key), {**fields, **normalised(key), "syncedAt": now})
                            for key, fields, where in records])

    def delete(self, key: dict[str, Any]) -> None:
        """Remove the record of ``key`` and its sub-records; 404 (:meth:`RecordKind.not_found`) when it was
        never synced."""
        where = store_key(key)
        if not self.rows.delete(where):
            raise self.kind.not_found(key)
        for child in self.kind.children:
            rows = child.table.of(self.store)
            rows.delete_many([row_key for row_key, _ in rows.find(parent=where)])


class SyncedChildren:
    """The sub-records of one :class:`ChildKind` in ``store``, addressed by their parent's store key and their
    own id; ``clock`` stamps ``syncedAt``. Callers check the parent and the customer's context."""

    def __init__(self, store: Store, clock: Clock, kind: ChildKind) -> None:
        self.clock, self.kind = clock, kind
        self.rows = kind.table.of(store)

    def read(self, parent: str, child: str) -> dict[str, Any] | None:
        """Sub-record ``child`` of ``parent`` as synced (its fields only), or None."""
        doc = self.rows.get(child_key(parent, child))
        return None if doc is None else strip(doc, CHILD_FIELDS + INTERNAL)

    def of_parent(self, parent: str) -> list[dict[str, Any]]:
        """Every sub-record of ``parent`` as synced, with its ``id``, oldest first (``atsCreatedAt``, then id)."""
        shown = [{"id": doc["id"], **strip(doc, CHILD_FIELDS + INTERNAL)}
                 for _, doc in self.rows.find(parent=parent)]
        return sorted(shown, key=lambda doc: (doc.get("atsCreatedAt", 0), doc["id"]))

    def upsert(self, parent: str, context: str, child: str, entity: dict[str, Any]) -> None:
        """Store ``entity`` as sub-record ``child`` of ``parent`` (whose integration context is ``context``)."""
        self.rows.put(child_key(parent, child), {**entity, "parent": parent, "id": child, "integrationContext": context,
                                                 "syncedAt": self.clock.now_ms()})

    def delete(self, parent: str, children: list[str]) -> list[bool]:
        """Remove sub-records ``children`` of ``parent``; per child, whether it existed."""
        return self.rows.delete_many([child_key(parent, child) for child in children])


# ---- candidates ----------------------------------------------------------------------------------------

def candidate_view(store: Store, doc: dict[str, Any]) -> dict[str, Any]:
    """A candidate as a read shows it: ``doc`` (its stored fields, a fresh copy: changed in place) plus
    ``"matchedMembers": [person URN]`` (automatic matches on email / profile URL), without a
    ``manualMatchedMember`` who has since closed the LinkedIn account (:class:`MemberDirectory` leaves closed
    members out of both)."""
    directory = MemberDirectory(store)
    if "manualMatchedMember" in doc and not directory.exists(doc["manualMatchedMember"]):
        del doc["manualMatchedMember"]
    doc["matchedMembers"] = directory.matches(doc.get("emailAddresses"), doc.get("linkedInProfileUrl"))
    return doc


CANDIDATE_NOTES = ChildKind("note", TableSpec("candidateNotes", ("parent",)), "atsNote")
SEARCHED_CANDIDATE_FIELDS = ("atsCandidateId", "firstName", "lastName", "emailAddresses")
"""Indexed for the dashboard's data browser, whose search reads only indexes (:mod:`mock_server.dashboard.browse`)."""
CANDIDATES = RecordKind("atsCandidate", TableSpec("candidates", ("integrationContext", *SEARCHED_CANDIDATE_FIELDS)),
                        ("atsCandidateId", "dataProvider", "integrationContext"), (CANDIDATE_NOTES,),
                        view=candidate_view, batched=True)


def check_member(store: Store, person: object) -> None:
    """422 unless ``person`` is a member URN of the fixtures."""
    if not MemberDirectory(store).exists(person):
        raise field_error("manualMatchedMember", f"{person} is not a LinkedIn member (expected the"
                                                 " urn:li:person:<id> of an existing member)")


def attach_person(store: Store, now_ms: int, key: dict[str, Any], patch: dict[str, Any]) -> None:
    """Apply an "Attach Person URN" patch (``$set`` / ``$delete`` of ``manualMatchedMember``) to the candidate
    of ``key`` — the atsCandidates partial update's effect, also used by the profile widget's link and unlink.
    Raises 404 (never synced), 422 (another field, an unknown member, or removing the person URN of a
    candidate without an email address). Code calling it checks the customer's context first."""
    table = CANDIDATES.table.of(store)
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


# ---- applications --------------------------------------------------------------------------------------

CHILDREN = {  # sub-resource name (and field of the In-ATS indicator's view) -> kind
    "notes": ChildKind("note", TableSpec("applicationNotes", ("parent",)), "atsNote"),
    "interviewFeedback": ChildKind("interview feedback", TableSpec("applicationInterviewFeedback", ("parent",)),
                                   "atsInterviewFeedback"),
    "stages": ChildKind("stage", TableSpec("applicationStages", ("parent",)), "atsApplicationStage"),
}
ATTACHMENT = ChildKind("attachment", ATTACHMENTS, "attachment")  # rest/attachments (mock_server.domain.attachments)
SEARCHED_APPLICATION_FIELDS = ("atsJobApplicationId", "firstName", "lastName", "candidateEmail")
"""Indexed for the dashboard's data browser, as :data:`SEARCHED_CANDIDATE_FIELDS`."""
APPLICATIONS = RecordKind("atsApplication",
                          TableSpec("atsApplications", ("integrationContext", "atsCandidateId", "atsJobPostingId",
                                                        *SEARCHED_APPLICATION_FIELDS)),
                          ("atsJobApplicationId", "dataProvider", "integrationContext"),
                          (*CHILDREN.values(), ATTACHMENT), batched=True)

TABLES = (CANDIDATES.table, CANDIDATE_NOTES.table, APPLICATIONS.table, *(kind.table for kind in CHILDREN.values()))
