"""The whole state as one JSON document, the OpenAPI document of the API, and the fidelity ledger.

=========================  ================================================================================
``GET /_mock/snapshot``    ``{"format": "rsc-mock-snapshot", "version": 1, "tables": {table: {key: doc}}}``:
                           every table of the store (applications, integrations, tokens, synced entities,
                           the notification outbox, …)
``PUT /_mock/snapshot``    replace the whole state with such a document → ``{"status": "imported",
                           "tables": {table: rows}}``; another format or version, malformed tables, a table
                           the emulator does not have or a document it could not read
                           (:mod:`mock_server.domain.tables`) → 400 naming the problem, and nothing changes.
                           Imported tokens whose application is missing or has another client secret than
                           the one they were minted with are revoked
``GET /_mock/openapi.json``  the OpenAPI 3.1 document of everything served (:mod:`mock_server.tools.openapi`)
``GET /_mock/fidelity``    every behaviour the emulator implements, documented (with LinkedIn's page) or
                           inferred (with the reason) (:mod:`mock_server.tools.fidelity`)
=========================  ================================================================================

The clock, quotas, fault rules and the request journal are test settings, not state: a snapshot leaves them
alone. ``rsc-mock snapshot export|import`` does the same from the command line.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.http import json_body, world
from mock_server.domain.tables import check_tables
from mock_server.restli.errors import RestliError


async def export_snapshot(request: Request) -> JSONResponse:
    """The whole state as one snapshot document."""
    emulator = world(request)
    return JSONResponse(emulator.store.export())


async def import_snapshot(request: Request) -> JSONResponse:
    """Replace the whole state with a snapshot document (all or nothing)."""
    emulator = world(request)
    doc = await json_body(request, required=True, longs=False)  # a job's extra fields keep any integer
    try:
        emulator.store.import_snapshot(doc, check=check_tables)
    except ValueError as error:
        raise RestliError(400, f"Snapshot refused, nothing was changed: {error}") from None
    emulator.outbox.reset()
    emulator.revoke_stale_tokens()
    return JSONResponse({"status": "imported", "tables": emulator.store.counts()})


async def openapi_document(request: Request) -> JSONResponse:
    """The OpenAPI 3.1 document of everything served."""
    from mock_server.tools import openapi  # here, not at the top: `rsc-mock serve` needs it only when asked

    return JSONResponse(openapi.build(request.app))


async def fidelity_ledger(request: Request) -> JSONResponse:
    """Every behaviour the emulator implements with its provenance."""
    from mock_server.tools import fidelity  # here, not at the top: `rsc-mock serve` needs it only when asked

    return JSONResponse(fidelity.build(fidelity.served_by(request.app.state.dispatcher)))
