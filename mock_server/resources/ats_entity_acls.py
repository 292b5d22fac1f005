"""``atsEntityAcls`` (job ↔ ATS security group) and ``atsEntityAclAssignees`` (group ↔ LinkedIn member),
RSC module 4.

Both resources take, per entity:

* BATCH_UPDATE (upsert) with an empty body ``{}`` — a field in it → per-entity 422 naming the field;
* BATCH_DELETE — 204, or a 404 entry for a key that was never synced;
* FINDER ``q=criteria`` — ACLs by ``integrationContext`` (required), ``atsEntityId``, ``atsEntityType``,
  ``dataProvider``; assignees by ``integrationContext`` and ``assignee`` (required), ``dataProvider``,
  ``atsEntityType``, ``atsEntityAclId``.

Per-entity rules: the key parts must be valid (``dataProvider`` ATS, ``atsEntityType`` JOB_POSTING, an
organization URN owned by the caller — else 403), an assignee must be a LinkedIn member of the fixtures, and a
member may hold at most 10 ACL groups per integration context (422 beyond). An ACL may name a job that is not
synced yet (LinkedIn's docs do not tie the two; emulator decision).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-acls and the RSC Postman
collection, "Module 4 - Define Permissions via ACLs".
"""

from __future__ import annotations

from mock_server import validation
from mock_server.acls import (ACL_KEY, ASSIGNEE_KEY, JOB_POSTING, MAX_ACLS_PER_ASSIGNEE, acl_groups_of, acl_table,
                              assignee_table)
from mock_server.resources.common import BOTH, emulator, entity_context_error, per_entity, require_context
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.resource import Call, Finder, Resource

QUERY_ENUMS = {"dataProvider": ("ATS",), "atsEntityType": (JOB_POSTING,)}


def check_entity(call: Call, schema: str, key: dict, body: dict) -> None:
    """Raise the per-entity error of an upsert: 422 for a bad key part or a non-empty body, 403 for a context
    the caller does not own."""
    validation.check(schema, key)
    validation.check("atsEntityAcl.body", body)
    error = entity_context_error(call, key["integrationContext"])
    if error is not None:
        raise error


def check_assignee(call: Call, key: dict) -> None:
    """422 unless ``key["assignee"]`` is a fixture member with room for the key's group (at most
    :data:`MAX_ACLS_PER_ASSIGNEE` distinct groups per member and context)."""
    store = emulator(call).store
    person, context = key["assignee"], key["integrationContext"]
    if store.table("members").get(person) is None:
        raise field_error("assignee", f"{person} is not a LinkedIn member (the emulator knows the members of its"
                                      " fixtures, members.json)")
    groups = acl_groups_of(store, context, person)
    if key["atsEntityAclId"] not in groups and len(groups) >= MAX_ACLS_PER_ASSIGNEE:
        raise field_error("atsEntityAclId", f"{person} already has {len(groups)} ACLs in {context}; LinkedIn"
                                            f" allows at most {MAX_ACLS_PER_ASSIGNEE} ACLs per user")


def batch_update_of(table_of, schema: str, extra_check=None):
    """A BATCH_UPDATE handler upserting each valid entity (its key parts as the document) into
    ``table_of(store)``; 204 or the entity's error per key, all in one commit."""
    def batch_update(call: Call) -> dict:
        world = emulator(call)
        table = table_of(world.store)

        def upsert(canonical: str, key: dict, body: dict) -> int:
            check_entity(call, schema, key, body)
            if extra_check is not None:
                extra_check(call, key)
            table.put(canonical, key)
            return 204

        with world.store.transaction():
            return {canonical: per_entity(upsert)(canonical, key, body) for canonical, key, body in call.entities}
    return batch_update


def batch_delete_of(table_of, what: str):
    """A BATCH_DELETE handler for ``table_of(store)``: 204 per removed key, 404 when absent, 403 for a
    context the caller does not own."""
    def batch_delete(call: Call) -> dict:
        world = emulator(call)
        table = table_of(world.store)

        def delete(canonical: str, key: dict) -> int:
            error = entity_context_error(call, key["integrationContext"])
            if error is not None:
                raise error
            if not table.delete(canonical):
                raise RestliError(404, f"No {what} {keycodec.format_key(key, call.protocol)}", 404)
            return 204

        with world.store.transaction():
            return {canonical: per_entity(delete)(canonical, key) for canonical, key in call.keys}
    return batch_delete


def criteria_of(table_of, required: tuple[str, ...], optional: tuple[str, ...]):
    """A ``q=criteria`` finder over ``table_of(store)``: equality on the ``required`` and the given ``optional``
    parameters; 400 for a missing required one or a value outside its enum, 403 for a foreign context."""
    def criteria(call: Call) -> list[dict]:
        equals = {name: call.query.require(name) for name in required}
        for name in optional:
            value = call.query.get(name)
            if value:
                equals[name] = value
        for name, allowed in QUERY_ENUMS.items():
            if name in equals and equals[name] not in allowed:
                raise RestliError(400, f"Query parameter '{name}' must be one of {', '.join(allowed)},"
                                       f" got {equals[name]!r}")
        require_context(call, equals["integrationContext"])
        return [doc for _, doc in table_of(emulator(call).store).find(**equals)]
    return criteria


RESOURCES = [
    (Resource(path="atsEntityAcls", key_parts=ACL_KEY,
              handlers={"BATCH_UPDATE": batch_update_of(acl_table, "atsEntityAcl"),
                        "BATCH_DELETE": batch_delete_of(acl_table, "atsEntityAcl")},
              finders={"criteria": Finder(criteria_of(acl_table, ("integrationContext",),
                                                      ("atsEntityId", "atsEntityType", "dataProvider")))}), BOTH),
    (Resource(path="atsEntityAclAssignees", key_parts=ASSIGNEE_KEY,
              handlers={"BATCH_UPDATE": batch_update_of(assignee_table, "atsEntityAclAssignee", check_assignee),
                        "BATCH_DELETE": batch_delete_of(assignee_table, "atsEntityAclAssignee")},
              finders={"criteria": Finder(criteria_of(assignee_table, ("integrationContext", "assignee"),
                                                      ("dataProvider", "atsEntityType", "atsEntityAclId")))}),
     BOTH),
]
