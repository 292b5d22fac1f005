"""Candidates and applications the contract cases sync, in the Postman collection's shapes, and the calls that
send them. Times are epoch milliseconds (``{{$timestamp}}000`` in Postman)."""

from __future__ import annotations

import time

from contract_tests.contract import ids_query, key_text
from mock_server.testing.tunnel import tunnelled

BATCH_UPDATE = {"x-restli-method": "batch_update", "Content-Type": "application/json"}


def now_ms() -> int:
    """The current second in epoch milliseconds, as Postman's ``{{$timestamp}}000``."""
    return int(time.time()) * 1000


def candidate_key(org: str, candidate_id: str) -> dict:
    """A candidate key, parts in the Postman collection's order."""
    return {"atsCandidateId": candidate_id, "dataProvider": "ATS", "integrationContext": org}


def application_key(org: str, application_id: str) -> dict:
    """An application key, parts in the Postman collection's order."""
    return {"atsJobApplicationId": application_id, "dataProvider": "ATS", "integrationContext": org}


def candidate(email: str = "johndoe999986@outlook.com", **fields) -> dict:
    """A candidate with every field of Postman's "Sync Candidates"; ``fields`` override."""
    return {"addresses": [{"line1": "31 Spooner St", "city": "Quahog", "geographicArea": "RI",
                           "geographicAreaType": "STATE", "postalCode": "02802", "country": "us"}],
            "atsCreatedAt": now_ms(), "atsLastModifiedAt": now_ms(), "currentCompanyName": "Candidate Test Company",
            "currentJobTitle": "Quality Assurance", "emailAddresses": [email],
            "externalProfileUrl": "https://example.com/p-griffin", "firstName": "john", "lastName": "doe",
            "middleInitial": "L", "phoneNumbers": [{"number": "555-555-5555", "extension": "1234"}],
            "prefix": "Mr", "suffix": "Jr", **fields}


def application(candidate_id: str, job_id: str, **fields) -> dict:
    """An application with every field of Postman's "Sync Job Applications"; ``fields`` override."""
    return {"atsCandidateId": candidate_id, "atsCreatedAt": now_ms(), "atsLastModifiedAt": now_ms(),
            "atsJobPostingId": job_id, "atsJobPostingName": "Senior Software Engineer",
            "candidateEmail": "johndoe999986@outlook.com", "firstName": "John", "lastName": "Doe",
            "source": "Referral", "dispositionReason": "", **fields}


def note(text: str) -> dict:
    """A note as Postman's "Sync Candidate Notes" / "Sync Job Application Notes" send it."""
    return {"atsCreatedAt": now_ms(), "note": text, "author": {"firstName": "Rita", "lastName": "Book"}}


def put_records(api, headers, resource: str, records: dict[str, tuple[dict, dict]], tunnel: bool = False):
    """BATCH_UPDATE of top-level records ``{label: (key, entity)}`` on ``/v2/<resource>``; with ``tunnel`` as
    LinkedIn's query tunnelling sends it (for a query over 4 KB)."""
    keys = [key for key, _ in records.values()]
    body = {"entities": {key_text(key): entity for key, entity in records.values()}}
    if tunnel:
        extra, content = tunnelled("PUT", ids_query(*keys), body)
        return api.post(f"/v2/{resource}", content=content, headers={**headers, **BATCH_UPDATE, **extra})
    return api.put(f"/v2/{resource}?" + ids_query(*keys), json=body, headers={**headers, **BATCH_UPDATE})


def put_children(api, headers, path: str, children: dict[str, dict], method_header: bool = True):
    """BATCH_UPDATE of sub-records ``{id: entity}`` at ``path`` (``…/<parent key>/notes``)."""
    extra = BATCH_UPDATE if method_header else {"Content-Type": "application/json"}
    return api.put(path + "?" + "&".join(f"ids={child}" for child in children), json={"entities": children},
                   headers={**headers, **extra})
