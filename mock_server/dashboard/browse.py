"""The data browser's reads: synced jobs, candidates, applications, ACLs and ACL assignees, paged and
searchable, and one record in detail (with what hangs off it and the requests that wrote it).

Lists are answered from the store's keys and indexes; only the documents of the page shown are read:

* no search: every key of the table (or of one integration context, through its index), newest first;
* a search with ``@``: the e-mail address, whole and case-insensitive (applications' ``candidateEmail``;
  any of candidates' ``emailAddresses``);
* any other search: a case-insensitive prefix of an identifier field (``atsCandidateId``, …) or of a name
  field (``firstName``, ``lastName``, a job's ``title``); two or more words match the first and the last name.

Both are binary searches in the sorted distinct values of the field (:mod:`mock_server.dashboard.search_index`),
then index lookups: no record is read to search.

Search results come in key order. Every field searched or filtered is indexed by the table's owner (its
``TableSpec`` in :mod:`mock_server.domain`), so the store keeps the indexes up to date on every write.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from mock_server.dashboard import provenance
from mock_server.dashboard.search_index import keys_equal, keys_starting
from mock_server.domain.acls import ACL_RECORDS, ASSIGNEE_RECORDS, acls_of_job
from mock_server.domain.jobs import JOBS, job_key
from mock_server.domain.matching import MemberDirectory
from mock_server.domain.recruiter.views import application_view, children_of
from mock_server.domain.synced import APPLICATIONS, CANDIDATE_NOTES, CANDIDATES, INTERNAL, store_key, strip
from mock_server.store.spec import TableSpec

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
APPLICATION_PARTS = {"notes": "Notes", "stages": "Stages", "interviewFeedback": "Interview feedback",
                     "attachments": "Attachments", "evaluations": "Evaluations"}  # application_view's lists


@dataclasses.dataclass(frozen=True)
class Kind:
    """One browsable kind of record: its table (``spec``, whose indexes cover every field searched), the
    ``id_fields`` and ``name_fields`` searched by prefix, the ``email_field`` searched whole, the ``columns``
    of its list (``(heading, field)``), the ``key_parts`` of its store key and the Rest.li ``resource`` whose
    journaled writes made it (None: jobs, see :func:`mock_server.dashboard.provenance.job_writers`)."""

    name: str
    label: str
    spec: TableSpec
    id_fields: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    key_parts: tuple[str, ...]
    resource: str | None
    name_fields: tuple[str, ...] = ()
    email_field: str | None = None


KINDS = {kind.name: kind for kind in (
    Kind("jobs", "Jobs", JOBS,
         id_fields=("externalJobPostingId",), name_fields=("title",),
         columns=(("External id", "externalJobPostingId"), ("Title", "title"), ("State", "state"),
                  ("Availability", "availability"), ("Context", "integrationContext")),
         key_parts=("externalJobPostingId", "integrationContext"), resource=None),
    Kind("candidates", "Candidates", CANDIDATES.table,
         id_fields=("atsCandidateId",), name_fields=("firstName", "lastName"), email_field="emailAddresses",
         columns=(("Candidate id", "atsCandidateId"), ("First name", "firstName"), ("Last name", "lastName"),
                  ("E-mail", "emailAddresses"), ("Context", "integrationContext")),
         key_parts=CANDIDATES.key_parts, resource="atsCandidates"),
    Kind("applications", "Applications", APPLICATIONS.table,
         id_fields=("atsJobApplicationId", "atsCandidateId", "atsJobPostingId"), name_fields=("firstName", "lastName"),
         email_field="candidateEmail",
         columns=(("Application id", "atsJobApplicationId"), ("Candidate id", "atsCandidateId"),
                  ("Job id", "atsJobPostingId"), ("Name", "lastName"), ("Context", "integrationContext")),
         key_parts=APPLICATIONS.key_parts, resource="atsApplications"),
    Kind("acls", "ACLs", ACL_RECORDS.table,
         id_fields=("atsEntityAclId", "atsEntityId"),
         columns=(("ACL group", "atsEntityAclId"), ("Entity type", "atsEntityType"), ("Job id", "atsEntityId"),
                  ("Context", "integrationContext")),
         key_parts=ACL_RECORDS.key_parts, resource=ACL_RECORDS.table.name),
    Kind("assignees", "ACL assignees", ASSIGNEE_RECORDS.table,
         id_fields=("atsEntityAclId", "assignee"),
         columns=(("ACL group", "atsEntityAclId"), ("Assignee", "assignee"), ("Entity type", "atsEntityType"),
                  ("Context", "integrationContext")),
         key_parts=ASSIGNEE_RECORDS.key_parts, resource=ASSIGNEE_RECORDS.table.name),
)}


@dataclasses.dataclass
class Listing:
    """One page of a list: ``rows`` (documents plus ``_key``, their store key), out of ``total`` matches,
    starting at ``offset``, ``size`` per page."""

    rows: list[dict]
    total: int
    offset: int
    size: int

    @property
    def previous(self) -> int | None:
        """Offset of the previous page, or None on the first."""
        return max(0, self.offset - self.size) if self.offset > 0 else None

    @property
    def next(self) -> int | None:
        """Offset of the next page, or None on the last."""
        return self.offset + self.size if self.offset + self.size < self.total else None


def _text_keys(kind: Kind, table, words: list[str]) -> set[str]:
    text = " ".join(words)
    found: set[str] = set()
    for name in (*kind.id_fields, *kind.name_fields):
        found |= keys_starting(table, name, text)
    if len(words) > 1 and len(kind.name_fields) > 1:
        first = keys_starting(table, kind.name_fields[0], words[0])
        found |= first & keys_starting(table, kind.name_fields[-1], words[-1])
    return found


def search_keys(world, kind: Kind, search: str = "", context: str = "") -> list[str]:
    """The store keys of ``kind`` matching ``search`` (see the module docstring) within integration
    ``context`` (empty: every context): newest first without a search, in key order with one."""
    table = kind.spec.of(world.store)
    words = search.lower().split()
    if not words:
        keys = table.find_keys(integrationContext=context) if context else table.keys()
        return keys[::-1]
    if "@" in search and kind.email_field:
        found = keys_equal(table, kind.email_field, " ".join(words))
    else:
        found = _text_keys(kind, table, words)
    if context and found:
        found &= set(table.find_keys(integrationContext=context))
    return sorted(found)


def listing(world, kind: Kind, search: str = "", context: str = "", offset: int = 0,
            size: int = PAGE_SIZE) -> Listing:
    """The page of ``kind`` at ``offset`` (``size`` rows, at most :data:`MAX_PAGE_SIZE`) of the records
    matching ``search`` in ``context``; candidates' rows carry ``matchedMembers``."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    keys = search_keys(world, kind, search, context)
    offset = max(0, min(offset, max(0, len(keys) - 1)))
    table = kind.spec.of(world.store)
    rows = []
    directory = MemberDirectory(world.store)
    for key in keys[offset:offset + size]:
        doc = table.get(key)
        if doc is None:
            continue
        if kind.name == "candidates":
            doc["matchedMembers"] = directory.matches(doc.get("emailAddresses"), doc.get("linkedInProfileUrl"))
        rows.append({**doc, "_key": key})
    return Listing(rows, len(keys), offset, size)


def writers(world, kind: Kind, doc: dict) -> list[dict]:
    """The journaled requests that wrote ``doc`` (see :mod:`mock_server.dashboard.provenance`)."""
    if kind.resource is None:
        return provenance.job_writers(world, doc)
    return provenance.record_writers(world, kind.resource, kind.key_parts, doc)


def detail(world, kind: Kind, key: str) -> dict | None:
    """One record of ``kind`` by store key, or None: ``{"key", "doc" (as stored, bookkeeping included),
    "fields" (without key parts and bookkeeping), "related": {label: [rows]}, "links": {label: (kind, key)},
    "writers"}`` — candidates with ``matchedMembers``, their notes and applications; applications with their
    notes, stages and interview feedback; jobs with their ACL groups and applications."""
    doc = kind.spec.of(world.store).get(key)
    if doc is None:
        return None
    found: dict[str, Any] = {"key": key, "doc": doc, "fields": strip(doc, (*kind.key_parts, *INTERNAL)),
                             "related": {}, "links": {}, "writers": writers(world, kind, doc)}
    context: Any = doc.get("integrationContext")
    if kind.name == "candidates":
        found["fields"]["matchedMembers"] = MemberDirectory(world.store).matches(
            doc.get("emailAddresses"), doc.get("linkedInProfileUrl"))
        found["related"]["Notes"] = children_of(world, CANDIDATE_NOTES, key)
        found["related"]["Applications"] = related(world, "applications", integrationContext=context,
                                                    atsCandidateId=doc.get("atsCandidateId"))
    elif kind.name == "applications":
        shown = application_view(world, doc, key)
        for name, label in APPLICATION_PARTS.items():
            found["related"][label] = shown[name]
        candidate = store_key({"atsCandidateId": doc.get("atsCandidateId", ""), "integrationContext": context})
        found["links"]["Candidate"] = ("candidates", candidate)
        found["links"]["Job"] = ("jobs", job_key(context, doc.get("atsJobPostingId", "")))
    elif kind.name == "jobs":
        job = doc.get("externalJobPostingId")
        groups = acls_of_job(world.store, context, job) if isinstance(context, str) and isinstance(job, str) else ()
        found["related"]["ACL groups"] = [{"atsEntityAclId": group} for group in sorted(groups)]
        found["related"]["Applications"] = related(world, "applications", integrationContext=context,
                                                   atsJobPostingId=job)
    return found


def text(*values: object) -> bool:
    """True when every one of ``values`` is a string (a stored record's field that can be looked up; a
    hand-edited data directory can hold anything)."""
    return all(isinstance(value, str) for value in values)


def related(world, kind_name: str, limit: int = PAGE_SIZE, **equals) -> list[dict]:
    """Up to ``limit`` records of kind ``kind_name`` whose fields equal ``equals`` (through the indexes),
    each with its ``_key``; none when a value is not a string."""
    if not text(*equals.values()):
        return []
    kind = KINDS[kind_name]
    table = kind.spec.of(world.store)
    return [{**doc, "_key": key} for key in table.find_keys(**equals)[:limit] if (doc := table.get(key))]
