"""``atsEntityAcls`` (job ↔ ATS security group) and ``atsEntityAclAssignees`` (group ↔ LinkedIn member),
RSC module 4.

Both resources take, per entity:

* BATCH_UPDATE (upsert) with an empty body ``{}`` — a field in it → per-entity 422 naming the field;
* BATCH_DELETE — 204, or a 404 entry for a key that was never synced;
* FINDER ``q=criteria`` — ACLs by ``integrationContext`` (required), ``atsEntityId``, ``atsEntityType``,
  ``dataProvider``; assignees by ``integrationContext`` and ``assignee`` (required), ``dataProvider``,
  ``atsEntityType``, ``atsEntityAclId``. Elements are the key parts.

Per-entity rules: the key parts must be valid (``dataProvider`` ATS, ``atsEntityType`` JOB_POSTING, an
organization URN owned by the caller — else 403), an assignee must be a LinkedIn member of the fixtures, and a
member may hold at most 10 ACL groups per integration context (422 beyond). An ACL may name a job that is not
synced yet (LinkedIn's docs do not tie the two; emulator decision). Storage: :mod:`mock_server.domain.acls`.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-acls and the RSC Postman
collection, "Module 4 - Define Permissions via ACLs".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mock_server.api.gate import Policy
from mock_server.api.resources.batch import record_handlers, records_of
from mock_server.api.resources.common import V2, require_organization, world_of
from mock_server.domain.acls import (
    ACL_RECORDS,
    ASSIGNEE_RECORDS,
    JOB_POSTING,
    MAX_ACLS_PER_ASSIGNEE,
    acl_groups_of,
)
from mock_server.domain.matching import MemberDirectory
from mock_server.domain.quotas import SYNC_QUOTA
from mock_server.domain.synced import RecordKind
from mock_server.restli.errors import RestliError, field_error, shown
from mock_server.restli.resource import Call, Finder, Resource
from mock_server.schemas import validation

QUERY_ENUMS = {"dataProvider": ("ATS",), "atsEntityType": (JOB_POSTING,)}
# Finder parameters of a URN type: the shape of the key part of the same name (schemas/atsEntityAclAssignee.json).
QUERY_URNS = {"assignee": (re.compile(r"urn:li:person:[^:]+"), "a person URN (urn:li:person:<id>)")}


def prepare_acl(call: Call, key: dict, entity: dict, stored: Callable[[str], Any]) -> dict:
    """Check one ACL upsert (422 for a bad key part or a non-empty body); nothing to store beyond the key."""
    validation.check("atsEntityAcl", key)
    validation.check("atsEntityAcl.body", entity)
    return {}


def prepare_assignee(call: Call, key: dict, entity: dict, stored: Callable[[str], Any]) -> dict:
    """Check one assignee upsert: the key and body as for an ACL, then 422 unless ``assignee`` is a fixture
    member with room for the key's group (at most :data:`MAX_ACLS_PER_ASSIGNEE` groups per context)."""
    validation.check("atsEntityAclAssignee", key)
    validation.check("atsEntityAcl.body", entity)
    store = world_of(call).store
    person, context = key["assignee"], key["integrationContext"]
    if not MemberDirectory(store).exists(person):
        raise field_error("assignee", f"{person} is not a LinkedIn member (the emulator knows the members of its"
                                      " fixtures, members.json)")
    groups = acl_groups_of(store, context, person)
    if key["atsEntityAclId"] not in groups and len(groups) >= MAX_ACLS_PER_ASSIGNEE:
        raise field_error("atsEntityAclId", f"{person} already has {len(groups)} ACLs in {context}; LinkedIn"
                                            f" allows at most {MAX_ACLS_PER_ASSIGNEE} ACLs per user")
    return {}


def criteria_of(kind: RecordKind, required: tuple[str, ...], optional: tuple[str, ...]):
    """A ``q=criteria`` finder over the records of ``kind``: equality on the ``required`` and the given
    ``optional`` parameters; 400 for a missing required one, a value outside its enum or a malformed URN
    (:data:`QUERY_URNS`: the key part's shape, so ``assignee=garbage`` is refused here as in BATCH_UPDATE) or a
    contract ``integrationContext``, 403 for a foreign context."""
    def criteria(call: Call) -> list[dict]:
        equals = {name: call.query.require(name) for name in required}
        for name in optional:
            value = call.query.get(name)
            if value:
                equals[name] = value
        for name, allowed in QUERY_ENUMS.items():
            if name in equals and equals[name] not in allowed:
                raise RestliError(400, f"Query parameter '{name}' must be one of {', '.join(allowed)},"
                                       f" got {shown(equals[name])}")
        for name, (pattern, what) in QUERY_URNS.items():
            if name in equals and not pattern.fullmatch(equals[name]):
                raise RestliError(400, f"Query parameter '{name}' must be {what}, got {shown(equals[name])}")
        require_organization(call, equals["integrationContext"])
        return records_of(call, kind).find(**equals)
    return criteria


def batch_handlers(kind: RecordKind, prepare) -> dict:
    """BATCH_UPDATE and BATCH_DELETE over the records of ``kind``."""
    handlers = record_handlers(kind, prepare)
    return {"BATCH_UPDATE": handlers["BATCH_UPDATE"], "BATCH_DELETE": handlers["BATCH_DELETE"]}


ACL_HANDLERS = batch_handlers(ACL_RECORDS, prepare_acl)
ASSIGNEE_HANDLERS = batch_handlers(ASSIGNEE_RECORDS, prepare_assignee)
ACL_CRITERIA = criteria_of(ACL_RECORDS, ("integrationContext",), ("atsEntityId", "atsEntityType", "dataProvider"))
ASSIGNEE_CRITERIA = criteria_of(ASSIGNEE_RECORDS, ("integrationContext", "assignee"),
                                ("dataProvider", "atsEntityType", "atsEntityAclId"))


def resource(path: str, kind: RecordKind, handlers: dict, finder) -> Resource:
    """Resource ``path`` over the records of ``kind``: ``handlers`` and the ``criteria`` finder."""
    return Resource(path=path, key_parts=kind.key_parts, handlers=handlers, finders={"criteria": Finder(finder)},
                    policy=Policy(quota=SYNC_QUOTA, enabled_only=True))


RESOURCES = [
    (resource("atsEntityAcls", ACL_RECORDS, ACL_HANDLERS, ACL_CRITERIA), V2),
    (resource("atsEntityAclAssignees", ASSIGNEE_RECORDS, ASSIGNEE_HANDLERS, ASSIGNEE_CRITERIA), V2),
]
