"""The signed, single-use upload URLs ``v2/hireMediaUrl`` hands out: ``PUT /media/upload/{id}?signature=…`` with
the file as the body (``/media/upload/{sandbox}/{id}?signature=…`` for a sandbox's media: the harness places the
call in that sandbox's world).

At most 10 MB of the declared content type (PDF, DOC or TXT), before the URL expires
(:func:`mock_server.domain.attachments.upload`; a bigger body is refused while it arrives by
:mod:`mock_server.harness.receiving`, whose limit for this route is the résumé one); 201 ``{"media", "size",
"sha256"}`` on success, LinkedIn's error envelope otherwise (404 unknown URL, 403 missing or wrong signature,
409 already used, 410 expired, 415 wrong type, 413 too large, 400 empty; rendered by the app's handler of
:class:`~mock_server.restli.errors.RestliError`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_server.api.http import world
from mock_server.api.resources.hire_media_url import SIGNATURE, UPLOAD_PATH
from mock_server.domain.attachments import upload


async def upload_file(request: Request) -> Response:
    """Upload the file of a ``hireMediaUrl`` media (the body, with its ``Content-Type``)."""
    emulator = world(request)
    data = await request.body()
    with emulator.store.transaction():
        media = upload(emulator.store, emulator.clock.now_ms(), request.path_params["media_id"],
                       request.query_params.get(SIGNATURE), request.headers.get("content-type"), data)
    return JSONResponse({"media": media["urn"], "size": media["size"], "sha256": media["sha256"]}, status_code=201)


ROUTES = [Route(UPLOAD_PATH + "{media_id}", upload_file, methods=["PUT", "POST"]),
          Route(UPLOAD_PATH + "{sandbox}/{media_id}", upload_file, methods=["PUT", "POST"])]
