"""HTTP endpoints of the widget stand-ins (``ROUTES``).

==============================================  =========================================================
``GET  /xdoor/scripts/in.js``                   the in.js stand-in (``static/in.js``)
``POST /_widgets/frames``                       urlencoded ``api_key``, ``widget``, from in.js (CORS): a frame
                                                token for the page's real ``Origin`` → ``{"token", "widget",
                                                "origin"}`` (:mod:`.frames`)
``GET  /_widgets/frame/{widget}``               a widget's iframe page (``ATSIntegrationWidget``, ``HcmWidget``)
                                                ``?token&origin&data-…``; with a valid token it may only be
                                                framed by the token's origin (CSP ``frame-ancestors``)
``GET  /_widgets/static/{file}``                the frames' script and style sheet
``GET  /_widgets/configuration``                ``?bundles`` → customer, admins, integrations asked
``POST /_widgets/configuration/signin``         ``{identifier}`` → the admin
``POST /_widgets/configuration/approve``        ``{member, bundles}`` → ``{"integrations"}``
``GET  /_widgets/profile``                      ``?atsCandidateId&integrationContext`` → state
``GET  /_widgets/profile/members``              ``?integrationContext&q`` → ``{"members": [...]}``
``POST /_widgets/profile/link``                 ``{atsCandidateId, integrationContext, member}``
``POST /_widgets/profile/unlink``               ``{atsCandidateId, integrationContext}``
``GET  /examples/ats-page.html``                the example ATS page, pointed at this server's origin
==============================================  =========================================================

Every ``/_widgets`` data endpoint serves only the frames in.js created: the customer comes from the frame token
in ``X-Widget-Token`` (:func:`.frames.frame_application`), never from parameters. Errors use LinkedIn's envelope
``{"status", "serviceErrorCode", "message"}``. ``bundles`` is the comma-separated
``data-supported-bundled-integration-types`` (or a list in a POST body).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from mock_server.api.http import field, json_body, query_params, world
from mock_server.api.widgets import configuration, profile
from mock_server.api.widgets.access import widget_application
from mock_server.api.widgets.candidates import candidate_key
from mock_server.api.widgets.frames import FrameGrant, FrameTokens, frame_application
from mock_server.restli.errors import RestliError, shown

STATIC = Path(__file__).resolve().parent / "static"
CONFIGURATION, PROFILE = "ATSIntegrationWidget", "HcmWidget"
WIDGETS = (CONFIGURATION, PROFILE)
EXAMPLE_PAGE = "ats-page.html"
EXAMPLE_ORIGIN = "http://localhost:8080"
NO_CACHE = {"Cache-Control": "no-cache"}


def examples_dir() -> Path:
    """``examples/`` of a source checkout, else the copy installed as ``mock_server/bundled_examples``."""
    source_tree = Path(__file__).resolve().parents[3] / "examples"
    return source_tree if source_tree.is_dir() else Path(__file__).resolve().parents[2] / "bundled_examples"


def frame_tokens(request: Request) -> FrameTokens:
    """The app's :class:`~.frames.FrameTokens` (``app.state.frame_tokens``, set by
    :func:`mock_server.app.create_app`)."""
    return request.app.state.frame_tokens


async def widget_params(request: Request, widget: str) -> tuple[dict, dict]:
    """``(application, parameters)`` of a data call from a frame of ``widget``: the query of a GET or the JSON body
    of a POST (400 when malformed, read first as the Rest.li dispatcher reads a call before its gate), then the
    application of its frame token (:func:`~.frames.frame_application`: 401/403)."""
    params = query_params(request) if request.method == "GET" else await json_body(request, required=True)
    return frame_application(request, frame_tokens(request), world(request).customers, widget), params


def text_param(params: dict, name: str, attribute: str) -> str:
    """A required non-empty string parameter; 400 naming the widget attribute it comes from."""
    value = params.get(name)
    if not isinstance(value, str) or not value.strip():
        raise RestliError(400, f"{attribute} is required on the widget tag")
    return value.strip()


def key_of(params: dict) -> dict:
    """The ``atsCandidates`` key named by a profile widget call."""
    return candidate_key(text_param(params, "atsCandidateId", "data-ats-candidate-id"),
                         text_param(params, "integrationContext", "data-integration-context"))


async def in_js(request: Request) -> Response:
    """The in.js stand-in."""
    return FileResponse(STATIC / "in.js", media_type="text/javascript", headers=NO_CACHE)


async def issue_frame(request: Request) -> Response:
    """A frame token for the page whose real ``Origin`` asks (see :mod:`.frames`); errors in the envelope, both
    readable by that page (``Access-Control-Allow-Origin``)."""
    origin = request.headers.get("origin")
    cors = {"Access-Control-Allow-Origin": origin or "null", "Vary": "Origin", **NO_CACHE}
    try:
        form: dict[str, str] = {}
        for name, value in parse_qsl((await request.body()).decode("utf-8", "replace")):
            if name in form:  # which api_key would be meant? (the sandbox addressing reads the first)
                raise RestliError(400, f"Form field '{name}' is given more than once")
            form[name] = value
        widget = form.get("widget", "")
        if widget not in WIDGETS:
            raise RestliError(400, f"widget must be one of {', '.join(WIDGETS)} (got {widget!r})")
        if not origin:
            raise RestliError(403, "The Origin header is missing: frame tokens are issued to the page that loads"
                                   " in.js, as the browser names it")
        application = widget_application(world(request).customers, form.get("api_key"), origin)
    except RestliError as error:
        error.headers.update(cors)
        raise
    token = frame_tokens(request).issue(FrameGrant(application["key"], origin, widget, world(request).tag))
    return JSONResponse({"token": token, "widget": widget, "origin": origin}, headers=cors)


async def frame_page(request: Request) -> Response:
    """A widget's iframe page (one page for both; its script reads the widget name and the query). With a valid
    frame token it may only be framed by the page origin the token was issued to."""
    widget = request.path_params["widget"]
    if widget not in WIDGETS:
        raise RestliError(404, f"No widget {shown(widget)} (known: {', '.join(WIDGETS)})")
    grant = frame_tokens(request).read(request.query_params.get("token", ""))
    headers = dict(NO_CACHE)
    if grant is not None and grant.widget == widget:
        headers["Content-Security-Policy"] = f"frame-ancestors {grant.origin}"
    return FileResponse(STATIC / "frame.html", media_type="text/html", headers=headers)


async def configuration_state(request: Request) -> Response:
    """What the configuration widget shows before sign-in."""
    emulator = world(request)
    application, params = await widget_params(request, CONFIGURATION)
    asked = configuration.requested(application, configuration.bundles_of(params.get("bundles", "")))
    return JSONResponse({"customer": application["name"], "admins": configuration.admins(emulator, application),
                         "integrations": asked})


async def configuration_sign_in(request: Request) -> Response:
    """Sign in as an admin of the customer."""
    emulator = world(request)
    application, params = await widget_params(request, CONFIGURATION)
    return JSONResponse(configuration.sign_in(emulator, application, params.get("identifier")))


async def configuration_approve(request: Request) -> Response:
    """Pre-approve the integrations asked for; the reply is what ``data-onintegrate`` receives."""
    emulator = world(request)
    application, params = await widget_params(request, CONFIGURATION)
    member = field(params, "member", str)
    bundles = configuration.bundles_of(field(params, "bundles", (str, list)))
    return JSONResponse({"integrations": configuration.approve(emulator, application, member, bundles)})


async def profile_state(request: Request) -> Response:
    """What the profile widget shows."""
    emulator = world(request)
    application, params = await widget_params(request, PROFILE)
    return JSONResponse(profile.state(emulator, application, key_of(params)))


async def profile_members(request: Request) -> Response:
    """Search members to link."""
    emulator = world(request)
    application, params = await widget_params(request, PROFILE)
    context = text_param(params, "integrationContext", "data-integration-context")
    return JSONResponse({"members": profile.search(emulator, application, context, params.get("q", ""))})


async def profile_link(request: Request) -> Response:
    """Link a member to the candidate; the reply names the person URN ``data-onlink`` receives."""
    emulator = world(request)
    application, params = await widget_params(request, PROFILE)
    person = params.get("member")
    return JSONResponse({"member": person, "state": profile.link(emulator, application, key_of(params), person)})


async def profile_unlink(request: Request) -> Response:
    """Unlink the candidate's linked member; the reply names the person URN ``data-onunlink`` receives."""
    emulator = world(request)
    application, params = await widget_params(request, PROFILE)
    person, state = profile.unlink(emulator, application, key_of(params))
    return JSONResponse({"member": person, "state": state})


async def example_page(request: Request) -> Response:
    """``examples/ats-page.html`` with ``http://localhost:8080`` replaced by the origin it was requested on."""
    path = examples_dir() / EXAMPLE_PAGE
    if not path.is_file():
        raise RestliError(404, f"The example page is not installed ({path})")
    origin = f"{request.url.scheme}://{request.url.netloc}"
    return HTMLResponse(path.read_text(encoding="utf-8").replace(EXAMPLE_ORIGIN, origin), headers=NO_CACHE)


ROUTES = [
    Route("/xdoor/scripts/in.js", in_js, methods=["GET"]),
    Route("/_widgets/frames", issue_frame, methods=["POST"]),
    Route("/_widgets/frame/{widget}", frame_page, methods=["GET"]),
    Mount("/_widgets/static", app=StaticFiles(directory=STATIC), name="widget-static"),
    Route("/_widgets/configuration", configuration_state, methods=["GET"]),
    Route("/_widgets/configuration/signin", configuration_sign_in, methods=["POST"]),
    Route("/_widgets/configuration/approve", configuration_approve, methods=["POST"]),
    Route("/_widgets/profile", profile_state, methods=["GET"]),
    Route("/_widgets/profile/members", profile_members, methods=["GET"]),
    Route("/_widgets/profile/link", profile_link, methods=["POST"]),
    Route("/_widgets/profile/unlink", profile_unlink, methods=["POST"]),
    Route("/examples/" + EXAMPLE_PAGE, example_page, methods=["GET"]),
]
