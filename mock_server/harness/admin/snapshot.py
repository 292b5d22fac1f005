"""The whole state as one JSON document, and the OpenAPI document of the API.

=========================  ================================================================================
``GET /_mock/snapshot``    ``{"format": "rsc-mock-snapshot", "version": 1, "tables": {table: {key: doc}}}``:
                           every table of the store (applications, integrations, tokens, synced entities,
                           the notification outbox, …)
``PUT /_mock/snapshot``    replace the whole state with such a document → ``{"status": "imported",
                           "tables": {table: rows}}``; another format or version, malformed tables, a table
                           the emulator does not have or a document it could not read
                           (:mod:`mock_server.domain.tables`) → 400 naming the problem, and nothing changes
``GET /_mock/openapi.json``  the OpenAPI 3.1 document of everything served (:mod:`mock_server.tools.openapi`)
=========================  ================================================================================

The clock, quotas, fault rules and the request journal are test settings, not state: a snapshot leaves them
alone. ``rsc-mock snapshot export|import`` does the same from the command line.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

from mock_server.api.http import json_body
from mock_server.harness.admin.basics import admin_endpoint
from mock_server.restli.errors import RestliError
from mock_server.tools import openapi


@admin_endpoint
async def export_snapshot(request, world) -> JSONResponse:
    """The whole state as one snapshot document."""
    return JSONResponse(world.store.export())


@admin_endpoint
async def import_snapshot(request, world) -> JSONResponse:
    """Replace the whole state with a snapshot document (all or nothing)."""
    # imported here: domain.tables imports harness.admin.basics, so a module-level import is a cycle whenever
    # domain.tables is imported first (as `rsc-mock snapshot` does)
    from mock_server.domain.tables import check_tables

    doc = await json_body(request, required=True)
    try:
        world.store.import_snapshot(doc, check=check_tables)
    except ValueError as error:
        raise RestliError(400, f"Snapshot refused, nothing was changed: {error}") from None
    world.outbox.reset()
    return JSONResponse({"status": "imported", "tables": world.store.counts()})


@admin_endpoint
async def openapi_document(request, world) -> JSONResponse:
    """The OpenAPI 3.1 document of everything served."""
    return JSONResponse(openapi.build(request.app))
