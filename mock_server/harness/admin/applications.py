"""``GET /_mock/applications``: the applications of the emulator's world with their credentials, so a test
client finds the partner and customer applications of any fixture world (the start-up banner prints the same
credentials).

Reply: ``{"applications": [{"key", "kind": "parent" | "child", "clientId", "clientSecret", "name",
"uniqueForeignId"?, "organizations"?, "contracts"?, "fixture": bool}]}``, in key order; ``fixture`` is true for
the applications of the loaded fixture world and false for those provisioned since (``provisionedApplications``).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.http import world

SHOWN = ("key", "kind", "clientId", "clientSecret", "name", "uniqueForeignId", "organizations", "contracts")


async def list_applications(request: Request) -> JSONResponse:
    """Every application in the store, fixture applications marked."""
    emulator = world(request)
    fixture_keys = {doc["key"] for doc in emulator.fixture_data.get("applications", [])}
    shown = [{**{name: doc[name] for name in SHOWN if doc.get(name) is not None}, "fixture": key in fixture_keys}
             for key, doc in sorted(emulator.customers.table.items())]
    return JSONResponse({"applications": shown})
