"""``rest/attachments``: résumés attached to synced applications (new in the versioned family; RSC release
notes, 2026-03 view: BATCH_UPDATE, BATCH_DELETE; "attachments … updated" in 202510, so served from 202510).

Key ``(externalReferenceEntityId, externalReferenceEntityType, externalAttachmentId, attachmentType,
integrationContext)`` (withone.ai's copy of LinkedIn's page), checked against ``schemas/attachment.key.json``:
``APPLICATION`` and ``RESUME`` only; the value ``{"media", "fileName"?}`` (``schemas/attachment.json``,
inferred) names a file uploaded through ``v2/hireMediaUrl``. Per key: 403 for another customer's context (or,
except on BATCH_DELETE, one without an enabled integration), 404
when the application is not synced, 422 for a bad key, body or media. The In-ATS indicator shows an
application's attachments; deleting the application deletes them. Storage:
:mod:`mock_server.domain.attachments`.
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import REST, caller, entity_context_error, per_entity, world_of
from mock_server.domain.attachments import attach, detach
from mock_server.domain.quotas import SYNC, Quota
from mock_server.domain.synced import APPLICATIONS, store_key
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call, Resource
from mock_server.schemas import validation

KEY_PARTS = ("externalReferenceEntityId", "externalReferenceEntityType", "externalAttachmentId", "attachmentType",
             "integrationContext")


def application_of(call: Call, key: dict) -> str:
    """The store key of the synced application an attachment key names; 403 / 422 / 404 per entity."""
    error = entity_context_error(call, key["integrationContext"])
    if error is not None:
        raise error
    validation.check("attachment.key", key)
    where = store_key({"atsJobApplicationId": key["externalReferenceEntityId"],
                       "integrationContext": key["integrationContext"]})
    if APPLICATIONS.table.of(world_of(call).store).get(where) is None:
        raise RestliError(404, f"atsApplication {key['externalReferenceEntityId']} of {key['integrationContext']}"
                               " does not exist: sync the application before its attachments", 404)
    return where


def batch_update(call: Call) -> dict:
    """BATCH_UPDATE: attach each uploaded résumé; 204 per key or its error."""
    world = world_of(call)

    def upsert(key: dict, entity: dict) -> int:
        parent = application_of(call, key)
        validation.check("attachment", entity)
        attach(world.store, world.clock.now_ms(), caller(call).application, parent, key, entity)
        return 204

    with world.store.transaction():
        return {canonical: per_entity(upsert)(key, entity) for canonical, key, entity in call.entities}


def batch_delete(call: Call) -> dict:
    """BATCH_DELETE: 204 per removed attachment, 422 for a malformed key, 404 when there was none."""
    world = world_of(call)

    def delete(key: dict) -> int:
        error = entity_context_error(call, key["integrationContext"])
        if error is not None:
            raise error
        validation.check("attachment.key", key)  # as BATCH_UPDATE: 422 for a key no attachment can have
        if not detach(world.store, key):
            raise RestliError(404, f"attachment {keycodec.format_key(key, 1)} does not exist", 404)
        return 204

    with world.store.transaction():
        return {canonical: per_entity(delete)(key) for canonical, key in call.keys}


RESOURCES = [(Resource(path="attachments", key_parts=KEY_PARTS,
                       handlers={"BATCH_UPDATE": batch_update, "BATCH_DELETE": batch_delete},
                       policy=Policy(quota=Quota(SYNC), since="202510", enabled_only=True)),
              REST)]  # no rest figure: v2's sync daily limit
