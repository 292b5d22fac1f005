"""What the Middleware sync resources share: compound keys owned by a customer, upsert / read / delete of the
synced records, and their sub-resources (notes, stages, interview feedback) that live and die with them.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/sync-candidates ,
…/sync-applications, …/sync-candidate-notes, …/sync-application-notes, …/sync-application-interview-feedback,
…/sync-application-stages, …/recruiter-system-connect/rsc-data-deletion.

Keys
    ``{<id part>, "dataProvider": "ATS", "integrationContext": "urn:li:organization:<n>"}``. The newer
    ``/rest/atsApplications`` key has no ``dataProvider``; :func:`normalised` adds ``ATS`` so the store key
    (:func:`store_key`) does not depend on the base a record was written through.

Records (:class:`SyncedRecords`)
    One document per key: the synced fields under LinkedIn's names, the key parts, and ``syncedAt`` (the
    emulator's epoch ms of the last write). A BATCH_UPDATE entity is checked against the record's JSON
    Schema (per-entity 422 ``ERROR :: /<field> :: <reason>``), an entity of another customer's context is a
    per-entity 403, and every write of one call is one store transaction.

Sub-records (:class:`SyncedChildren`)
    ``{"parent": <parent store key>, "id": <simple key>, "integrationContext": …, <fields>, "syncedAt"}``
    under the store key ``canonical({"parent", "id"})``, indexed by ``parent``. Writing needs the parent
    record (request-level 404) of the caller's customer (request-level 403); reading or deleting under a
    missing parent reports each key as 404.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from mock_server.api.resources.common import (
    emulator,
    entity_context_error,
    per_entity,
    require_context,
)
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.resource import Call
from mock_server.schemas import validation

DATA_PROVIDER = "ATS"
INTERNAL = ("syncedAt",)


def normalised(key: dict) -> dict:
    """``key`` with ``dataProvider`` (``ATS`` when the key shape has none)."""
    return {**key, "dataProvider": key.get("dataProvider", DATA_PROVIDER)}


def store_key(key: dict) -> str:
    """The store key of a record, the same under ``/v2`` and ``/rest``."""
    return keycodec.canonical(normalised(key))


def key_error(key: dict, status: int = 422) -> RestliError | None:
    """The error of a key whose ``dataProvider`` is not ``ATS`` (``status`` 422 per entity, 400 in a path)."""
    provider = key.get("dataProvider", DATA_PROVIDER)
    if provider != DATA_PROVIDER:
        return field_error("dataProvider", f"\"{provider}\" is not an enum symbol (expected {DATA_PROVIDER})",
                           status)
    return None


def check_entity_key(call: Call, key: dict) -> None:
    """Per-entity checks of a batch key: the caller's context (403), ``dataProvider`` (422)."""
    error = entity_context_error(call, key["integrationContext"]) or key_error(key)
    if error is not None:
        raise error


def check_times(entity: dict) -> None:
    """422 when ``atsLastModifiedAt`` is before ``atsCreatedAt`` (both epoch ms; LinkedIn RSC release notes,
    Nov 2021)."""
    created, modified = entity.get("atsCreatedAt"), entity.get("atsLastModifiedAt")
    if isinstance(created, int) and isinstance(modified, int) and modified < created:
        raise field_error("atsLastModifiedAt", f"{modified} is before atsCreatedAt {created}; it must be equal"
                                               " to or later than atsCreatedAt")


def strip(doc: dict, names) -> dict:
    """``doc`` without the fields ``names``."""
    return {name: value for name, value in doc.items() if name not in names}


def described(key) -> str:
    """A key as messages show it (protocol 1.0 form)."""
    return keycodec.format_key(key, 1)


@dataclasses.dataclass
class SyncedRecords:
    """A top-level sync resource's records in table ``table``.

    ``key_parts`` are the stored key's parts (with ``dataProvider``); ``prepare(call, key, entity, existing)``
    validates one BATCH_UPDATE entity (raising its per-entity error) and returns the fields to store;
    ``view(store, doc)`` adds what a BATCH_GET shows beyond the stored fields; ``children`` are the tables
    of the sub-records deleted with a record.
    """

    label: str
    table_name: str
    key_parts: tuple[str, ...]
    prepare: Callable[[Call, dict, dict, dict | None], dict]
    view: Callable[[object, dict], dict] | None = None
    children: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ("integrationContext",)

    def table(self, call: Call):
        """The store table of the records."""
        return self.table_of(emulator(call).store)

    def table_of(self, store):
        """The records' table in ``store``."""
        return store.table(self.table_name, indexes=self.indexes)

    def not_found(self, key: dict) -> RestliError:
        """The 404 of a record that does not exist."""
        return RestliError(404, f"{self.label} {described(key)} does not exist", 404)

    def shown(self, store, doc: dict) -> dict:
        """What a BATCH_GET returns for a stored document."""
        public = strip(doc, self.key_parts + INTERNAL)
        return {**public, **self.view(store, doc)} if self.view else public

    def get(self, store, key: dict) -> dict | None:
        """The record of ``key`` as a BATCH_GET shows it, or None when it was never synced (no access check:
        callers check the customer's context)."""
        doc = self.table_of(store).get(store_key(key))
        return None if doc is None else self.shown(store, doc)

    def batch_update(self, call: Call) -> dict:
        """BATCH_UPDATE (upsert): 204 per key, or its 403 / 422 in ``errors``."""
        world = emulator(call)
        table = self.table(call)

        def upsert(key: dict, entity: dict) -> int:
            check_entity_key(call, key)
            where = store_key(key)
            fields = self.prepare(call, key, entity, table.get(where))
            table.put(where, {**fields, **normalised(key), "syncedAt": world.clock.now_ms()})
            return 204

        with world.store.transaction():
            return {canonical: per_entity(upsert)(key, entity) for canonical, key, entity in call.entities}

    def batch_get(self, call: Call) -> dict:
        """BATCH_GET: each record as :meth:`shown`, or its 403 / 404 in ``errors``."""
        store = emulator(call).store

        def read(key: dict) -> dict:
            check_entity_key(call, key)
            found = self.get(store, key)
            if found is None:
                raise self.not_found(key)
            return found

        return {canonical: per_entity(read)(key) for canonical, key in call.keys}

    def batch_delete(self, call: Call) -> dict:
        """BATCH_DELETE: removes each record with its sub-records; 204 per key, or 403 / 404."""
        world = emulator(call)
        table = self.table(call)

        def delete(key: dict) -> int:
            check_entity_key(call, key)
            where = store_key(key)
            if not table.delete(where):
                raise self.not_found(key)
            for child in self.children:
                rows = world.store.table(child, indexes=("parent",))
                rows.delete_many([row_key for row_key, _ in rows.find(parent=where)])
            return 204

        with world.store.transaction():
            return {canonical: per_entity(delete)(key) for canonical, key in call.keys}

    def handlers(self) -> dict:
        """BATCH_UPDATE, BATCH_GET and BATCH_DELETE."""
        return {"BATCH_UPDATE": self.batch_update, "BATCH_GET": self.batch_get, "BATCH_DELETE": self.batch_delete}


@dataclasses.dataclass
class SyncedChildren:
    """A sub-resource (``<parent>/{key}/<name>?ids=<id>``) of ``parent`` stored in table ``table_name``,
    entities checked against schema ``schema``."""

    label: str
    parent: SyncedRecords
    table_name: str
    schema: str

    def table(self, call: Call):
        """The store table of the sub-records."""
        return emulator(call).store.table(self.table_name, indexes=("parent",))

    def parent_key(self, call: Call, must_exist: bool) -> tuple[str, dict | None]:
        """``(parent store key, parent document or None)`` for the key in the path; request-level 403 for
        another customer's context, 400 for a bad ``dataProvider``, 404 for a missing parent when
        ``must_exist``."""
        key = call.parent_key
        require_context(call, key["integrationContext"])
        error = key_error(key, 400)
        if error is not None:
            raise error
        where = store_key(key)
        doc = self.parent.table(call).get(where)
        if doc is None and must_exist:
            raise self.parent.not_found(key)
        return where, doc

    def missing(self, call: Call, child: str) -> RestliError:
        """The 404 of a sub-record that does not exist."""
        return RestliError(404, f"{self.label} {child} of {self.parent.label} {described(call.parent_key)}"
                                " does not exist", 404)

    def batch_update(self, call: Call) -> dict:
        """BATCH_UPDATE (upsert) of sub-records; 204 per key or its 422."""
        world = emulator(call)
        parent, doc = self.parent_key(call, must_exist=True)
        table = self.table(call)

        def upsert(child: str, entity: dict) -> int:
            validation.check(self.schema, entity)
            table.put(keycodec.canonical({"parent": parent, "id": child}),
                      {**entity, "parent": parent, "id": child, "integrationContext": doc["integrationContext"],
                       "syncedAt": world.clock.now_ms()})
            return 204

        with world.store.transaction():
            return {canonical: per_entity(upsert)(child, entity) for canonical, child, entity in call.entities}

    def batch_get(self, call: Call) -> dict:
        """BATCH_GET: each sub-record's fields, or 404 in ``errors``."""
        parent, _ = self.parent_key(call, must_exist=False)
        table = self.table(call)
        found = {}
        for canonical, child in call.keys:
            doc = table.get(keycodec.canonical({"parent": parent, "id": child}))
            found[canonical] = (strip(doc, ("parent", "id", "integrationContext") + INTERNAL) if doc
                                else self.missing(call, child))
        return found

    def batch_delete(self, call: Call) -> dict:
        """BATCH_DELETE: 204 per removed sub-record, 404 in ``errors`` when it did not exist."""
        world = emulator(call)
        parent, _ = self.parent_key(call, must_exist=False)
        table = self.table(call)
        with world.store.transaction():
            removed = table.delete_many([keycodec.canonical({"parent": parent, "id": child})
                                         for _, child in call.keys])
        return {canonical: 204 if gone else self.missing(call, child)
                for (canonical, child), gone in zip(call.keys, removed)}

    def handlers(self) -> dict:
        """BATCH_UPDATE, BATCH_GET and BATCH_DELETE."""
        return {"BATCH_UPDATE": self.batch_update, "BATCH_GET": self.batch_get, "BATCH_DELETE": self.batch_delete}
