"""``v2/hireMediaUrl``: CREATE a signed, single-use URL to upload a résumé (the upload step before
``rest/attachments``; :mod:`mock_server.domain.attachments`).

``POST /v2/hireMediaUrl`` with ``schemas/hireMediaUrl.create.json`` → 201, ``X-RestLi-Id`` the media URN and
the body ``{"uploadUrl", "media", "expiresAt"}`` (``schemas/hireMediaUrl.json``, inferred). The file is then
PUT to ``uploadUrl`` (:mod:`mock_server.api.media`): at most 10 MB, of the declared ``contentType``. Errors:
422 naming the field for a bad body, 403 for another customer's contract.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/crm-connect/sync-crm-candidate-resumes (the same
endpoint for CRM Connect's résumés) and withone.ai's copy of RSC's "Create Upload Resume URL".
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2, caller, require_context, world_of
from mock_server.domain.attachments import new_media
from mock_server.restli.resource import Call, Created, Resource
from mock_server.schemas import validation

UPLOAD_PATH = "/media/upload/"
SIGNATURE = "signature"  # the query parameter of the upload URL that carries the media's signature


def create(call: Call) -> Created:
    """CREATE: a media of the caller's customer and the URL to upload its file to; 403 ``ACCESS_DENIED`` (the
    envelope of every refusal) when ``hiringContext`` is not one of the customer's contracts."""
    validation.check("hireMediaUrl.create", call.body)
    require_context(call, call.body["hiringContext"])  # another customer's contract: LinkedIn's 403, as everywhere
    world = world_of(call)
    with world.store.transaction():
        media = new_media(world.store, world.counters, world.clock.now_ms(), caller(call).application, call.body)
    sandbox = f"{world.tag}/" if world.tag else ""  # the URL carries no credentials: it names its world
    url = (f"http://{call.headers.get('host', '127.0.0.1')}{UPLOAD_PATH}{sandbox}{media['id']}"
           f"?{SIGNATURE}={media['signature']}")
    return Created(key=media["urn"], entity={"uploadUrl": url, "media": media["urn"],
                                             "expiresAt": media["expiresAt"]})


RESOURCES = [(Resource(path="hireMediaUrl", handlers={"CREATE": create}, policy=Policy()), V2)]  # no quota stated
