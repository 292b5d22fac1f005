"""rest/atsPurgedExportedCandidates (customer token): the exported candidates of closed LinkedIn accounts,
polled at least once every 30 days (RSC release notes, July 2023; retrieve-exported-candidates, 2026-04 view:
100,000 calls/day). The finder (q=criteria&integrationContext=…) and the elements are inferred."""

from __future__ import annotations

import pytest

from contract_tests.contract import ERROR, collection, expect
from contract_tests.versioned import headers

SOURCE = "retrieve-exported-candidates (2026-04 view) › rest/atsPurgedExportedCandidates"
ELEMENTS = collection("atsPurgedExportedCandidate.json")


@pytest.mark.case(SOURCE + " — the customer's purge list", "inferred")
def test_purge_list(api, customer, org, target):
    expect(api.get("/rest/atsPurgedExportedCandidates", params={"q": "criteria", "integrationContext": org},
                   headers=headers(customer, target)), 200, ELEMENTS)


@pytest.mark.case(SOURCE + " — without integrationContext", "inferred")
def test_context_is_required(api, customer, target):
    expect(api.get("/rest/atsPurgedExportedCandidates", params={"q": "criteria"}, headers=headers(customer, target)),
           400, ERROR)


@pytest.mark.case(SOURCE + " — a closed account's export", "inferred")
def test_closed_account_is_listed(api, admin, customer, org, target):
    job = {"integrationContext": org, "externalJobPostingId": "CT-PURGE-JOB", "title": "Engineer",
           "description": "A job for the purge case. " * 5, "location": "San Francisco, CA", "availability": "PUBLIC",
           "state": "LISTED", "companyApplyUrl": "https://ats.example.com/jobs/purge", "listedAt": 1}
    admin.post("/rest/simpleJobPostings", json={"elements": [job]},
               headers={**headers(customer, target), "X-RestLi-Method": "BATCH_CREATE"})
    member = "urn:li:person:mej23dp01"  # a fixture member no other case exports
    assert admin.post("/_mock/recruiter/exports", json={"seat": 3000, "member": member,
                                                         "externalJobPostingId": "CT-PURGE-JOB"}).status_code == 201
    assert admin.post(f"/_mock/recruiter/members/{member}/close").status_code == 200
    reply = api.get("/rest/atsPurgedExportedCandidates", params={"q": "criteria", "integrationContext": org},
                    headers=headers(customer, target))
    assert member in [e["person"] for e in expect(reply, 200, ELEMENTS)["elements"]]
