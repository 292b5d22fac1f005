"""The signed upload URLs ``v2/hireMediaUrl`` hands out: ``PUT /media/upload/{id}`` with the file as the body.

At most 10 MB of the declared content type (PDF, DOC or TXT), before the URL expires
(:func:`mock_server.domain.attachments.upload`); 201 ``{"media", "size", "sha256"}`` on success, LinkedIn's
error envelope otherwise (404 unknown URL, 410 expired, 415 wrong type, 413 too large, 400 empty; rendered by
the app's handler of :class:`~mock_server.restli.errors.RestliError`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_server.api.http import world
from mock_server.domain.attachments import MAX_BYTES, upload
from mock_server.restli.errors import RestliError


async def read_capped(request: Request) -> bytes:
    """The request body; 413 as soon as it grows past :data:`MAX_BYTES`."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise RestliError(413, f"The file is larger than {MAX_BYTES} bytes (10 MB), the limit for résumés")
        chunks.append(chunk)
    return b"".join(chunks)


async def upload_file(request: Request) -> Response:
    """Upload the file of a ``hireMediaUrl`` media (the body, with its ``Content-Type``)."""
    emulator = world(request)
    data = await read_capped(request)
    with emulator.store.transaction():
        media = upload(emulator.store, emulator.clock.now_ms(), request.path_params["media_id"],
                       request.headers.get("content-type"), data)
    return JSONResponse({"media": media["urn"], "size": media["size"], "sha256": media["sha256"]}, status_code=201)


ROUTES = [Route("/media/upload/{media_id}", upload_file, methods=["PUT", "POST"])]
