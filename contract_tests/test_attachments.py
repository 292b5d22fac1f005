"""rest/attachments (customer token), new in the versioned family: RSC release notes (2026-03 view) —
BATCH_UPDATE, BATCH_DELETE, résumés synced for applications; key from withone.ai's copies ("Sync Attachments",
"Delete Attachments"). The file goes up first through v2/hireMediaUrl's signed URL (the CRM résumé page: PDF,
DOC or TXT, at most 10 MB); the attachment's value is inferred."""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, expect, expect_all
from contract_tests.versioned import RN, delete, key, put, rest_application

synced = rest_application

SOURCE = RN + "New APIs › Sync resumes as attachments for applications (attachments)"
UPLOAD = "crm-connect/sync-crm-candidate-resumes › POST v2/hireMediaUrl, then PUT the file"


def media_request(contract: str, **fields) -> dict:
    return {"fileName": "resume.txt", "contentType": "text/plain", "hiringContext": contract,
            "blobTtl": {"duration": 72, "unit": "HOUR"},
            "usageParameters": {"recruiterSystemConnectResumeParameters": {}}, **fields}


def upload(api, customer, contract) -> str:
    created = expect(api.post("/v2/hireMediaUrl", json=media_request(contract),
                              headers={**customer, "Content-Type": "application/json"}), 201,
                     {"$ref": "hireMediaUrl.json"})
    reply = api.put(created["uploadUrl"], content=b"A plain-text resume.", headers={"Content-Type": "text/plain"})
    assert reply.status_code in (200, 201), reply.text
    return created["media"]


@pytest.mark.case(UPLOAD + " — an unsupported content type", "documented")
def test_docx_is_not_a_supported_type(api, customer, contract):
    reply = api.post("/v2/hireMediaUrl", headers={**customer, "Content-Type": "application/json"}, json=media_request(
        contract, contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    assert 400 <= reply.status_code < 500


@pytest.mark.case(SOURCE + " — attach an uploaded résumé, then delete it", "inferred")
@pytest.mark.emulator_only("the upload URL and the attachment value are the emulator's inference")
def test_attach_and_delete(api, customer, contract, org, synced):
    application_id, _, call = synced
    media = upload(api, customer, contract)
    attachment = key(externalReferenceEntityId=application_id, externalReferenceEntityType="APPLICATION",
                     externalAttachmentId="CT-RESUME-1", attachmentType="RESUME", integrationContext=org)
    expect_all(put(api, "attachments", {attachment: {"media": media}}, call))
    expect_all(delete(api, "attachments", [attachment], call))


@pytest.mark.case(SOURCE + " — BATCH_GET is not a method of attachments", "inferred")
def test_attachments_cannot_be_read(api, org, synced):
    application_id, _, call = synced
    attachment = key(externalReferenceEntityId=application_id, externalReferenceEntityType="APPLICATION",
                     externalAttachmentId="CT-RESUME-1", attachmentType="RESUME", integrationContext=org)
    expect(api.get(f"/rest/attachments?ids=List({attachment})", headers=call), 405, ERROR)
