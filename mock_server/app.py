"""``create_app(settings)``: the one place that wires the emulator's parts into a Starlette ASGI app.

Routes: ``/oauth/v2/*`` (LinkedIn's www host: tokens, introspection, the consent page), ``/v2/*`` and ``/rest/*``
(the API host, Rest.li), ``/media/upload/*`` (the signed résumé uploads of ``v2/hireMediaUrl``),
``/xdoor/scripts/in.js`` and ``/_widgets/*`` (the platform host's widgets), ``/examples/*``, ``/_mock/ui``
(the dashboard; ``/`` redirects there) and ``/_mock/*`` (the admin API: the harness's routes and the
certification's, :mod:`mock_server.certification.routes`, which sits above the harness). Anything else is a
404 and a wrong verb a 405, both in LinkedIn's error envelope. The harness middleware (request journal, fault
rules) wraps everything.

The Rest.li resources (:func:`mock_server.api.resources.all_resources`) are served by one
:class:`~mock_server.restli.dispatch.Dispatcher` (``app.state.dispatcher``) whose gate is
:func:`mock_server.api.gate.admit`; the world they read and change is the one of the request's sandbox
(``app.state.sandboxes``, :mod:`mock_server.harness.sandboxes`): the emulator (``app.state.emulator``, the default
sandbox) unless the request names another or carries another's credentials. ``app.state.frame_tokens`` signs the
widget frames' tokens (:mod:`mock_server.api.widgets.frames`).

Errors are rendered in one place: a :class:`~mock_server.restli.errors.RestliError` raised by any endpoint (admin,
widgets, or the harness refusing a body on any route) becomes the route's own error shape — LinkedIn's envelope,
OAuth's ``{"error", "error_description"}`` or an HTML page (:mod:`mock_server.api.error_styles`) — through the
app's exception handler :func:`restli_error`. Only the Rest.li dispatcher catches its own, because its replies
also echo ``X-RestLi-Protocol-Version``.

The dashboard's and the certification's routes are :class:`DeferredRoutes`: their modules (jinja2, httpx, the
certification cases — half of what the app would import) are imported on the first request to their paths, so
``rsc-mock serve`` answers its first request sooner.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette._utils import get_route_path
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from mock_server.advisories import advisories_of
from mock_server.api.error_styles import error_reply
from mock_server.api.gate import RequestContext, admit
from mock_server.api.http import world
from mock_server.api.media import ROUTES as MEDIA_ROUTES
from mock_server.api.oauth.access_token import access_token, introspect_token
from mock_server.api.oauth.three_legged import ROUTES as THREE_LEGGED_ROUTES
from mock_server.api.resources import all_resources
from mock_server.api.widgets.frames import FrameTokens
from mock_server.api.widgets.routes import ROUTES as WIDGET_ROUTES
from mock_server.config import Settings, bundled_fixtures_dir
from mock_server.emulator import Emulator
from mock_server.harness import admin
from mock_server.harness.middleware import HarnessedStarlette, NamedWorldGuard
from mock_server.harness.sandboxes import FixtureWorlds, Sandboxes
from mock_server.restli.dispatch import Dispatcher
from mock_server.restli.errors import RestliError
from mock_server.restli.render import error_response

log = logging.getLogger("rsc_mock")
ALL_VERBS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
DEFERRED_ROUTE_KEY = "rsc_mock.deferred_route"


class DeferredRoutes(Mount):
    """The ``ROUTES`` of ``module`` (a dotted name), imported when a request first reaches one of ``prefixes``
    (a path equal to a prefix or under it — ``/`` only itself, so that other paths never import the module;
    within a ``Mount``, relative to it), or when anything reads
    :attr:`routes` (the OpenAPI document, ``url_path_for``). Routing is then exactly what those routes listed in
    place would do: the first full match, else the first partial one (a wrong verb: 405)."""

    def __init__(self, module: str, prefixes: tuple[str, ...]) -> None:
        super().__init__("", routes=[])
        self.module = module
        self.prefixes = prefixes
        self._router: Router | None = None

    @property
    def routes(self) -> list[BaseRoute]:
        """The module's routes (importing it the first time)."""
        if self._router is None:
            self._router = Router(routes=importlib.import_module(self.module).ROUTES)
        return self._router.routes

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette's route matching, over the module's routes, for a path under :attr:`prefixes` only."""
        path = get_route_path(scope)
        if not any(path == prefix or (prefix != "/" and path.startswith(prefix + "/")) for prefix in self.prefixes):
            return Match.NONE, {}
        partial: tuple[Match, Scope] = (Match.NONE, {})
        for route in self.routes:
            match, child = route.matches(scope)
            if match is Match.FULL:
                return match, {**child, DEFERRED_ROUTE_KEY: route}
            if match is Match.PARTIAL and partial[0] is Match.NONE:
                partial = (match, {**child, DEFERRED_ROUTE_KEY: route})
        return partial

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with the route :meth:`matches` chose."""
        await scope.pop(DEFERRED_ROUTE_KEY).handle(scope, receive, send)


def build_dispatcher() -> Dispatcher:
    """Every LinkedIn resource registered under its bases, behind the gate."""
    dispatcher = Dispatcher(authorize=admit)
    for resource, bases in all_resources():
        dispatcher.register(resource, bases)
    return dispatcher


def restli_endpoint(dispatcher: Dispatcher, base: str):
    """An endpoint serving the resources of ``dispatcher`` under ``/<base>/``."""
    async def endpoint(request: Request) -> Response:
        return await dispatcher.handle(request, base, RequestContext(world(request),
                                                                     advisories=advisories_of(request.scope)))
    endpoint.__name__ = f"restli_{base}"
    return endpoint


async def restli_error(request: Request, exc: RestliError) -> Response:
    """A :class:`RestliError` raised by an endpoint outside the Rest.li dispatcher, in the route's error shape."""
    return error_reply(request.url.path, request.headers, exc)


async def http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's 404/405 (unknown path, wrong verb) in LinkedIn's envelope."""
    if exc.status_code == 404:
        message = f"Resource {request.url.path} does not exist"
    elif exc.status_code == 405:
        message = f"HTTP method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(exc.detail)
    return error_response(RestliError(exc.status_code, message))


async def server_error(request: Request, exc: Exception) -> Response:
    """A defect anywhere: logged, and answered in the envelope rather than as a bare traceback."""
    log.exception("unhandled error in %s %s", request.method, request.url.path)
    return error_response(RestliError(500, "Internal Server Error"))


def build_sandboxes(emulator: Emulator) -> Sandboxes:
    """The sandboxes of a server whose own world is ``emulator`` (the default sandbox): each made from a fixture
    world loaded once, in memory whatever ``settings.data_dir`` says, up to ``settings.max_sandboxes`` of them,
    deleted after ``settings.sandbox_ttl`` idle seconds."""
    settings = emulator.settings
    in_memory = dataclasses.replace(settings, data_dir=None)
    worlds = FixtureWorlds(settings.fixtures, emulator.fixture_data, bundled_fixtures_dir().parent)
    return Sandboxes(emulator, worlds, lambda data, tag: Emulator(in_memory, data, tag), settings.max_sandboxes,
                     settings.sandbox_ttl)


def create_app(settings: Settings | None = None, emulator: Emulator | None = None, *,
               freeze_heap: bool = False) -> Starlette:
    """The ASGI app for ``settings`` (or an already built ``emulator``). Raises ``FixtureError`` when the
    fixtures are invalid. With ``freeze_heap`` (``rsc-mock serve``: the process serves this one app), once the
    emulator has started — its fixtures and data directory loaded — the heap is frozen (``gc.freeze()``, O(1);
    no collection first, which would cost start-up a full pass), so the collector never rescans what start-up
    built. Not after resets: a frozen object that later becomes cyclic garbage (a deleted sandbox's world) is
    never collected."""
    emulator = emulator or Emulator(settings or Settings())
    dispatcher = build_dispatcher()
    sandboxes = build_sandboxes(emulator)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await emulator.start()
        if freeze_heap:
            gc.freeze()
        sweeper = asyncio.create_task(sandboxes.run_sweeper(), name="rsc-mock-sandbox-sweeper")
        try:
            yield
        finally:
            sweeper.cancel()
            await asyncio.gather(sweeper, return_exceptions=True)
            await sandboxes.close()
            await emulator.stop()

    world_admin = [*admin.ROUTES, DeferredRoutes("mock_server.certification.routes", ("/certification",))]
    # each also at /_mock/sandboxes/{id}/…
    # The Rest.li bases first: they serve nearly every request, and no other route matches a path under /v2/ or
    # /rest/ (the dashboard's DeferredRoutes would otherwise be tried, and imported, for each of them).
    routes = [
        Route("/v2/{path:path}", restli_endpoint(dispatcher, "v2"), methods=ALL_VERBS),
        Route("/rest/{path:path}", restli_endpoint(dispatcher, "rest"), methods=ALL_VERBS),
        Route("/oauth/v2/accessToken", access_token, methods=["POST"]),
        Route("/oauth/v2/introspectToken", introspect_token, methods=["POST"]),
        *THREE_LEGGED_ROUTES,
        *WIDGET_ROUTES,
        *MEDIA_ROUTES,
        DeferredRoutes("mock_server.dashboard.routes", ("/", "/_mock/ui")),
        Mount("/_mock", routes=[*world_admin, *admin.sandbox_routes(world_admin)],
              middleware=[Middleware(NamedWorldGuard)]),
    ]
    handlers: dict[Any, Callable[..., Awaitable[Response]]] = {
        RestliError: restli_error, HTTPException: http_error, Exception: server_error}
    app = HarnessedStarlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.emulator = emulator
    app.state.sandboxes = sandboxes
    app.state.dispatcher = dispatcher
    app.state.frame_tokens = FrameTokens()
    return app
