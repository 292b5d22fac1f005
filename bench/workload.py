"""What the benchmarks send: a synced candidate in the shape of LinkedIn's Postman collection ("Sync
Candidates"), fixed but for its number. Imported as ``workload`` (the script's own folder is on ``sys.path``), so
a benchmark that runs another checkout's ``mock_server`` never puts this checkout's on the path."""

from __future__ import annotations

from typing import Any


def candidate(n: int) -> dict[str, Any]:
    """Candidate ``n`` (``cand<n>@bench.example``, ``doe<n>``, ``atsLastModifiedAt`` moving with ``n``)."""
    return {"addresses": [{"line1": "31 Spooner St", "city": "Quahog", "geographicArea": "RI",
                           "geographicAreaType": "STATE", "postalCode": "02802", "country": "us"}],
            "atsCreatedAt": 1_764_000_000_000, "atsLastModifiedAt": 1_764_000_000_000 + n,
            "currentCompanyName": "Candidate Test Company", "currentJobTitle": "Quality Assurance",
            "emailAddresses": [f"cand{n}@bench.example"], "externalProfileUrl": f"https://example.com/p-{n}",
            "firstName": "john", "lastName": f"doe{n}", "middleInitial": "L",
            "phoneNumbers": [{"number": "555-555-5555", "extension": "1234"}], "prefix": "Mr", "suffix": "Jr"}
