"""Résumés synced as attachments of applications (``rest/attachments``), uploaded first through a signed URL
(``v2/hireMediaUrl``).

Upload (https://learn.microsoft.com/en-us/linkedin/talent/crm-connect/sync-crm-candidate-resumes, the one page
that documents LinkedIn's résumé upload; its limits are applied to RSC's attachments [INFERRED]): the partner
asks ``POST v2/hireMediaUrl`` for an upload URL (body ``fileName``, ``contentType`` — ``application/pdf``,
``application/msword`` or ``text/plain`` —, ``hiringContext`` the customer's contract URN, ``blobTtl``,
``usageParameters.recruiterSystemConnectResumeParameters``), then PUTs the file there: at most 10 MB, of the
declared type. Table ``media`` (key = media id)::

    {"id", "urn": "urn:li:digitalmediaAsset:<id>", "application": the customer's application key,
     "hiringContext", "fileName", "contentType", "createdAt", "expiresAt" (createdAt + blobTtl, epoch ms),
     "signature": the secret the upload URL carries, "size"?, "sha256"?, "uploadedAt"?}

The upload URL is signed and single-use, like the pre-signed upload URLs LinkedIn's media APIs hand out
[INFERRED: LinkedIn does not document reuse]: it carries the media's random ``signature`` (without it, or with
another, 403), and once a file was stored through it the URL is spent (409; ask ``hireMediaUrl`` for a new one).
A refused upload (wrong type, too large, empty) does not spend it.

Attach (RSC release notes 2026-03 view: BATCH_UPDATE, BATCH_DELETE; key from withone.ai's copy of the page):
key ``(externalReferenceEntityId, externalReferenceEntityType=APPLICATION, externalAttachmentId,
attachmentType=RESUME, integrationContext)``; value ``{"media": <media URN>, "fileName"?}`` [INFERRED]. The
application must be synced, the media uploaded by the same customer. Table ``attachments`` (key = the canonical
versioned key), indexed by ``parent`` (the application's store key) so an application's delete removes them::

    {"parent", "id": externalAttachmentId, "attachmentType", "integrationContext", "media", "fileName",
     "contentType", "size", "syncedAt"}
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from mock_server.domain.clock import LATEST_MS
from mock_server.domain.counters import Counters
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, field_error, shown
from mock_server.store import Store, Table
from mock_server.store.spec import TableSpec

MEDIA = TableSpec("media")
ATTACHMENTS = TableSpec("attachments", ("parent",))
TABLES = (MEDIA, ATTACHMENTS)
MEDIA_URN = "urn:li:digitalmediaAsset:"
FIRST_MEDIA_ID = 5100000000000000001
CONTENT_TYPES = {"application/pdf": "PDF", "application/msword": "DOC", "text/plain": "TXT"}
MAX_BYTES = 10 * 1024 * 1024
TTL_UNITS_MS = {"MILLISECOND": 1, "SECOND": 1000, "MINUTE": 60_000, "HOUR": 3_600_000, "DAY": 86_400_000,
                "WEEK": 7 * 86_400_000, "MONTH": 30 * 86_400_000, "YEAR": 365 * 86_400_000}
DEFAULT_TTL_MS = 72 * 3_600_000  # withone.ai's example blobTtl: 72 HOUR


def media_table(store: Store) -> Table:
    """The ``media`` table."""
    return MEDIA.of(store)


def attachments_table(store: Store) -> Table:
    """The ``attachments`` table, indexed by the owning application's store key."""
    return ATTACHMENTS.of(store)


def new_media(store: Store, counters: Counters, now_ms: int, application: dict[str, Any],
              request: dict[str, Any]) -> dict[str, Any]:
    """A media to upload for customer ``application`` (child application document), from a checked
    ``hireMediaUrl`` request. 403 naming ``/hiringContext`` when the contract is not the customer's; 422
    naming ``/blobTtl/duration`` when the URL would expire after the emulator clock's limit
    (:data:`~mock_server.domain.clock.LATEST_MS`, 4000-01-01)."""
    if request["hiringContext"] not in application.get("contracts", []):
        raise RestliError(403, f"ERROR :: /hiringContext :: {request['hiringContext']} is not a contract of this"
                               " customer")
    ttl = request.get("blobTtl")
    lifetime = ttl["duration"] * TTL_UNITS_MS[ttl["unit"]] if ttl else DEFAULT_TTL_MS
    if ttl and now_ms + lifetime > LATEST_MS:
        raise field_error("blobTtl/duration", f"{ttl['duration']} {ttl['unit']} would expire after 4000-01-01"
                                              f" (epoch ms {LATEST_MS}), the latest instant the emulator keeps")
    number = str(counters.next_number("media", FIRST_MEDIA_ID))
    doc = {"id": number, "urn": MEDIA_URN + number, "application": application["key"],
           "hiringContext": request["hiringContext"], "fileName": request["fileName"],
           "contentType": request["contentType"], "createdAt": now_ms, "expiresAt": now_ms + lifetime,
           "signature": secrets.token_urlsafe(24)}
    media_table(store).put(number, doc)
    return doc


def upload(store: Store, now_ms: int, media_id: str, signature: str | None, content_type: str | None,
           data: bytes) -> dict[str, Any]:
    """Store the upload of ``data`` for media ``media_id`` through a URL signed with ``signature``: 404 for an
    unknown media, 403 for a missing or wrong signature, 409 when the URL was used already, 410 once it
    expired, 415 when ``content_type`` is not the declared one, 400 for an empty file, 413 above
    :data:`MAX_BYTES`. Returns the media document."""
    table = media_table(store)
    doc = table.get(media_id)
    if doc is None:
        raise RestliError(404, f"No upload URL {media_id}")
    if not hmac.compare_digest((signature or "").encode(), doc["signature"].encode()):
        raise RestliError(403, f"The upload URL of {doc['urn']} is not signed: use the uploadUrl hireMediaUrl"
                               " answered, with its signature")
    if "uploadedAt" in doc:
        raise RestliError(409, f"The upload URL of {doc['urn']} was used at {doc['uploadedAt']} (epoch ms): an"
                               " upload URL takes one file; ask v2/hireMediaUrl for a new one")
    if now_ms >= doc["expiresAt"]:
        raise RestliError(410, f"The upload URL of {doc['urn']} expired at {doc['expiresAt']} (epoch ms)")
    declared = doc["contentType"]
    if (content_type or "").split(";")[0].strip().lower() != declared:
        raise RestliError(415, f"Content-Type {shown(content_type)} is not the declared {declared}")
    if not data:
        raise RestliError(400, "The uploaded file is empty")
    if len(data) > MAX_BYTES:
        raise RestliError(413, f"The file has {len(data)} bytes; résumés may have at most {MAX_BYTES} (10 MB)")
    doc = {**doc, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "uploadedAt": now_ms}
    table.put(media_id, doc)
    return doc


def attach(store: Store, now_ms: int, application: dict[str, Any], parent: str, key: dict[str, Any],
           entity: dict[str, Any]) -> None:
    """Attach media ``entity["media"]`` to the synced application whose store key is ``parent``, under the
    versioned ``key``; raises the per-entity 422 for a media that is unknown, another customer's, or not
    uploaded. ``application`` is the caller's child application document."""
    urn = entity["media"]
    doc = media_table(store).get(urn[len(MEDIA_URN):]) if urn.startswith(MEDIA_URN) else None
    if doc is None or doc["application"] != application["key"]:
        raise field_error("media", f"{urn} is not a media of this customer (ask v2/hireMediaUrl for one)")
    if "uploadedAt" not in doc:
        raise field_error("media", f"no file was uploaded for {urn} (PUT the file to its uploadUrl first)")
    attachments_table(store).put(keycodec.canonical(key), {
        "parent": parent, "id": key["externalAttachmentId"], "attachmentType": key["attachmentType"],
        "integrationContext": key["integrationContext"], "media": urn,
        "fileName": entity.get("fileName", doc["fileName"]), "contentType": doc["contentType"],
        "size": doc["size"], "syncedAt": now_ms})


def detach(store: Store, key: dict[str, Any]) -> bool:
    """Remove the attachment of versioned ``key``; False when there was none."""
    return attachments_table(store).delete(keycodec.canonical(key))
