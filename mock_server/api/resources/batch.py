"""Rest.li batch handlers over the synced records of :mod:`mock_server.domain.synced` (candidates, applications,
ACLs) and their sub-records: read the call, check the caller, call the records, shape the batch reply.

Records (:func:`record_handlers`)
    BATCH_UPDATE (upsert): each entity goes through the resource's ``prepare(call, key, entity, stored)``,
    which validates it (raising its per-entity error, e.g. 422 ``ERROR :: /<field> :: <reason>``) and returns
    the fields to store; ``stored(name)`` is field ``name`` of the record as stored (None when never synced or
    without it), read only when asked for. BATCH_GET: each record as the domain shows it; BATCH_DELETE: the
    record with its sub-records. An entity of another customer's context is a per-entity 403, a
    ``dataProvider`` other than ATS a per-entity 422, a record never synced a per-entity 404; every write of one
    call is one store transaction.

Sub-records (:func:`child_handlers`, ``<parent>/{key}/<name>?ids=<id>``)
    Writing needs the parent record (request-level 404) of the caller's customer (request-level 403, 400 for a
    bad ``dataProvider`` in the path); entities are checked against the kind's schema (per-entity 422);
    reading or deleting under a missing parent reports each key as 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

from mock_server.api.resources.common import (
    entity_context_error,
    per_entity,
    require_context,
    world_of,
)
from mock_server.domain.synced import (
    ChildKind,
    RecordKind,
    SyncedChildren,
    SyncedRecords,
    described,
    key_error,
    store_key,
)
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call
from mock_server.schemas import validation

Prepare = Callable[[Call, dict, dict, Callable[[str], Any]], dict]
Handler = Callable[[Call], dict]


def records_of(call: Call, kind: RecordKind) -> SyncedRecords:
    """The records of ``kind`` in the world serving ``call``."""
    world = world_of(call)
    return SyncedRecords(world.store, world.clock, kind)


def check_entity_key(call: Call, key: dict) -> None:
    """Per-entity checks of a batch key: the caller's context (403), ``dataProvider`` (422)."""
    error = entity_context_error(call, key["integrationContext"]) or key_error(key)
    if error is not None:
        raise error


def batch_update(kind: RecordKind, prepare: Prepare) -> Handler:
    """BATCH_UPDATE (upsert) of ``kind``: 204 per key, or its 403 / 422 in ``errors``; a ``batched`` kind stores
    every accepted record in one write."""
    def handler(call: Call) -> dict:
        records = records_of(call, kind)
        accepted: list[tuple[dict, dict, str]] = []

        def upsert(key: dict, entity: dict) -> int:
            check_entity_key(call, key)
            where = store_key(key)
            fields = prepare(call, key, entity, lambda name: records.stored_field(key, name, where))
            if kind.batched:
                accepted.append((key, fields, where))
            else:
                records.upsert(key, fields, where)
            return 204

        with records.store.transaction():
            result = {canonical: per_entity(upsert)(key, entity) for canonical, key, entity in call.entities}
            records.upsert_many(accepted)
        return result
    return handler


def batch_get(kind: RecordKind) -> Handler:
    """BATCH_GET of ``kind``: each record as the domain shows it, or its 403 / 404 in ``errors``."""
    def handler(call: Call) -> dict:
        records = records_of(call, kind)

        def read(key: dict) -> dict:
            check_entity_key(call, key)
            found = records.read(key)
            if found is None:
                raise kind.not_found(key)
            return found

        return {canonical: per_entity(read)(key) for canonical, key in call.keys}
    return handler


def batch_delete(kind: RecordKind) -> Handler:
    """BATCH_DELETE of ``kind``: removes each record with its sub-records; 204 per key, or 403 / 404."""
    def handler(call: Call) -> dict:
        records = records_of(call, kind)

        def delete(key: dict) -> int:
            check_entity_key(call, key)
            records.delete(key)
            return 204

        with records.store.transaction():
            return {canonical: per_entity(delete)(key) for canonical, key in call.keys}
    return handler


def record_handlers(kind: RecordKind, prepare: Prepare) -> dict[str, Handler]:
    """BATCH_UPDATE, BATCH_GET and BATCH_DELETE of ``kind``."""
    return {"BATCH_UPDATE": batch_update(kind, prepare), "BATCH_GET": batch_get(kind),
            "BATCH_DELETE": batch_delete(kind)}


# ---- sub-records -----------------------------------------------------------------------------------------

@overload
def parent_of(call: Call, parent: RecordKind, must_exist: Literal[True]) -> tuple[str, dict[str, Any]]: ...
@overload
def parent_of(call: Call, parent: RecordKind, must_exist: bool) -> tuple[str, dict[str, Any] | None]: ...


def parent_of(call: Call, parent: RecordKind, must_exist: bool) -> tuple[str, dict[str, Any] | None]:
    """``(parent store key, parent document or None)`` for the key in the path; request-level 403 for another
    customer's context, 400 for a bad ``dataProvider``, 404 for a missing parent when ``must_exist``."""
    key = call.parent_key
    require_context(call, key["integrationContext"])
    error = key_error(key, 400)
    if error is not None:
        raise error
    doc = records_of(call, parent).current(key)
    if doc is None and must_exist:
        raise parent.not_found(key)
    return store_key(key), doc


def child_missing(call: Call, parent: RecordKind, kind: ChildKind, child: str) -> RestliError:
    """The 404 of a sub-record that does not exist."""
    return RestliError(404, f"{kind.label} {child} of {parent.label} {described(call.parent_key)} does not exist",
                       404)


def child_handlers(parent: RecordKind, kind: ChildKind) -> dict[str, Handler]:
    """BATCH_UPDATE, BATCH_GET and BATCH_DELETE of the ``kind`` sub-records of ``parent`` records."""
    def children(call: Call) -> SyncedChildren:
        world = world_of(call)
        return SyncedChildren(world.store, world.clock, kind)

    def update(call: Call) -> dict:
        """Upsert of sub-records; 204 per key or its 422."""
        where, doc = parent_of(call, parent, must_exist=True)
        rows = children(call)

        def upsert(child: str, entity: dict) -> int:
            validation.check(kind.schema, entity)
            rows.upsert(where, doc["integrationContext"], child, entity)
            return 204

        with world_of(call).store.transaction():
            return {canonical: per_entity(upsert)(child, entity) for canonical, child, entity in call.entities}

    def get(call: Call) -> dict:
        """Each sub-record's fields, or 404 in ``errors``."""
        where, _ = parent_of(call, parent, must_exist=False)
        rows = children(call)
        found = {}
        for canonical, child in call.keys:
            doc = rows.read(where, child)
            found[canonical] = doc if doc is not None else child_missing(call, parent, kind, child)
        return found

    def delete(call: Call) -> dict:
        """204 per removed sub-record, 404 in ``errors`` when it did not exist."""
        where, _ = parent_of(call, parent, must_exist=False)
        rows = children(call)
        with world_of(call).store.transaction():
            removed = rows.delete(where, [child for _, child in call.keys])
        return {canonical: 204 if gone else child_missing(call, parent, kind, child)
                for (canonical, child), gone in zip(call.keys, removed, strict=True)}

    return {"BATCH_UPDATE": update, "BATCH_GET": get, "BATCH_DELETE": delete}
