"""The dashboard's routes (:data:`ROUTES`, mounted by :mod:`mock_server.app`): ``/`` and ``/_mock/ui`` redirect
to ``/_mock/ui/``; under ``/_mock/ui``:

==============================================  ================================================================
``GET  /``                                      overview: customers, integrations, callbacks, counts, quotas, clock
``GET  /data?kind=&q=&context=&offset=``        data browser (jobs, candidates, applications, acls, assignees)
``GET  /data/{kind}/record?key=<store key>``    one record, what hangs off it, the requests that wrote it
``GET  /console?seat=&member=``                 recruiter console for a seat; In-ATS indicator of a member
``GET  /journal?<filters>``                     request journal; ``/journal/stream`` live (server-sent events)
``GET  /journal/{request id}``                  one request: headers, bodies, fault rule, curl
``GET  /outbox?type=&status=&application=``     push notifications; ``/outbox/stream`` live
``GET  /outbox/{id}?signature=``                one notification: attempts, signature, a signature check
``GET  /faults``                                fault rules and daily quotas
``GET  /certification``                         the report of ``GET /_mock/certification`` when served
``POST /actions/{name}``                        a form → its ``/_mock`` call (:mod:`mock_server.dashboard.actions`)
``GET  /static/...``                            vendored htmx, its SSE extension, the stylesheet, the copy button
==============================================  ================================================================

Every response of the mount carries the security headers of :mod:`mock_server.dashboard.render`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import ImmutableMultiDict
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.staticfiles import StaticFiles

from mock_server.api.http import world
from mock_server.dashboard import browse, console, journal_view, outbox_view
from mock_server.dashboard.actions import ACTIONS, Outcome
from mock_server.dashboard.admin_calls import admin_call
from mock_server.dashboard.certification import certification
from mock_server.dashboard.live import journal_stream, outbox_stream
from mock_server.dashboard.overview import overview, served_quotas
from mock_server.dashboard.render import PREFIX, STATIC, SecurityHeaders, page
from mock_server.domain.recruiter.notifications import STATUSES, TYPES
from mock_server.restli.errors import RestliError, shown
from mock_server.restli.integers import NumberError, parse_int
from mock_server.restli.render import error_response


def base(request: Request, section: str, outcome: Outcome | None = None) -> dict:
    """What every page's template gets: the section, the last action's outcome, the server's base URL."""
    return {"section": section, "outcome": outcome, "base_url": str(request.base_url).rstrip("/")}


def params(request: Request, outcome: Outcome | None) -> dict:
    """The page's parameters: the query, or after an action the submitted form."""
    return dict(outcome.values) if outcome else dict(request.query_params)


def outcome_status(outcome: Outcome | None) -> int:
    """The status of a page shown after an action: the admin call's refusal status, else 200."""
    return outcome.reply.status if outcome and not outcome.reply.ok else 200


async def to_dashboard(request: Request) -> Response:
    """``/`` and ``/_mock/ui`` → ``/_mock/ui/``."""
    return RedirectResponse(PREFIX + "/", status_code=307)


async def overview_page(request: Request, outcome: Outcome | None = None) -> Response:
    """The overview."""
    context = {**base(request, "overview", outcome), **overview(request)}
    return page(request, "overview.html", context, outcome_status(outcome))


async def data_page(request: Request) -> Response:
    """A page of one kind of record."""
    query = request.query_params
    kind = browse.KINDS.get(query.get("kind", "candidates"), browse.KINDS["candidates"])
    search, context = query.get("q", "").strip(), query.get("context", "").strip()
    error = ""
    try:
        offset = parse_int(query.get("offset") or "0")
    except NumberError as problem:
        offset, error = 0, f"offset: {problem}"
    emulator = world(request)
    listing = browse.listing(emulator, kind, search, context, offset)
    contexts = sorted({org for customer in emulator.customers.children()
                       for org in customer.get("organizations", [])})
    return page(request, "data.html", {**base(request, "data"), "kind": kind, "kinds": browse.KINDS, "q": search,
                                       "context": context, "contexts": contexts, "listing": listing, "error": error})


async def record_page(request: Request) -> Response:
    """One record in detail (404 page when there is none)."""
    kind = browse.KINDS.get(request.path_params["kind"])
    if kind is None:
        return page(request, "record.html", {**base(request, "data"), "kind": browse.KINDS["candidates"],
                                             "record": None, "key": request.path_params["kind"]}, 404)
    key = request.query_params.get("key", "")
    record = browse.detail(world(request), kind, key)
    return page(request, "record.html", {**base(request, "data"), "kind": kind, "record": record, "key": key},
                200 if record else 404)


async def console_page(request: Request, outcome: Outcome | None = None) -> Response:
    """The recruiter console."""
    given = params(request, outcome)
    view = console.console(world(request), given.get("seat", "").strip(), given.get("member", "").strip()
                           if not outcome else "")
    return page(request, "console.html", {**base(request, "console", outcome), **view}, outcome_status(outcome))


async def journal_page(request: Request) -> Response:
    """The request journal with its filters."""
    emulator = world(request)
    filters: dict[str, Any] = {}
    criteria: dict[str, Any] = {}
    error, error_field = "", ""
    try:
        filters, criteria = journal_view.read_filters(request.query_params)
    except RestliError as problem:
        error = problem.message
        error_field = error.split(" :: ")[1].rsplit("/", 1)[-1] if " :: " in error else ""
        filters = {name: request.query_params.get(name, "") for name in journal_view.FILTERS}
    entries = journal_view.newest(emulator, criteria) if not error else []
    last_seq = emulator.journal.after(0)[-1]["seq"] if len(emulator.journal) else 0
    return page(request, "journal.html", {**base(request, "journal"), "filters": filters, "entries": entries,
                                          "last_seq": last_seq, "error": error, "error_field": error_field},
                400 if error else 200)


def shown_body(part: dict) -> str:
    """A journaled body as the page shows it: JSON indented, anything else as it is."""
    text = part.get("body") or ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


async def journal_entry_page(request: Request) -> Response:
    """One journaled request."""
    emulator = world(request)
    request_id = request.path_params["request_id"]
    entry = journal_view.entry_by_id(emulator, request_id)
    context = {**base(request, "journal"), "request_id": request_id, "entry": entry}
    if entry is not None:
        context.update(rule=journal_view.fault_rule(emulator, entry.get("fault")),
                       curl=journal_view.entry_curl(entry, context["base_url"]),
                       bodies={part: shown_body(entry[part]) for part in ("request", "response")})
    return page(request, "journal_entry.html", context, 200 if entry else 404)


async def outbox_page(request: Request, outcome: Outcome | None = None) -> Response:
    """The outbox with its filters."""
    filters: dict[str, Any] = {}
    criteria: dict[str, Any] = {}
    error = ""
    try:
        filters, criteria = outbox_view.read_filters(params(request, outcome))
    except RestliError as problem:
        error = problem.message
    notifications = outbox_view.notifications(world(request), criteria) if not error else []
    return page(request, "outbox.html", {**base(request, "outbox", outcome), "filters": filters, "error": error,
                                         "notifications": notifications,
                                         "types": [(name, name) for name in TYPES],
                                         "statuses": [(name, name) for name in STATUSES]},
                400 if error else outcome_status(outcome))


async def notification_page(request: Request, outcome: Outcome | None = None) -> Response:
    """One notification: attempts, signature and a signature check."""
    emulator = world(request)
    notification_id = request.path_params.get("notification_id") or (outcome.values.get("id", "") if outcome else "")
    context = {**base(request, "outbox", outcome), "notification_id": notification_id, "doc": None}
    try:
        doc = emulator.outbox.get(notification_id)
    except RestliError as problem:
        context["missing"] = problem.message
        return page(request, "notification.html", context, 404)
    context.update(doc=doc, signed=outbox_view.signed(emulator, doc, request.query_params.get("signature", "")))
    return page(request, "notification.html", context, outcome_status(outcome))


async def faults_page(request: Request, outcome: Outcome | None = None) -> Response:
    """Fault rules and daily quotas."""
    emulator = world(request)
    rules = [rule.view() for rule in emulator.faults.all()]
    return page(request, "faults.html", {**base(request, "faults", outcome), "rules": rules,
                                         "quotas": served_quotas(request)}, outcome_status(outcome))


async def certification_page(request: Request) -> Response:
    """The certification report, or a note when this build has none."""
    return page(request, "certification.html", {**base(request, "certification"),
                                                "report": await certification(request)})


async def form_of(request: Request) -> ImmutableMultiDict:
    """The request's ``application/x-www-form-urlencoded`` fields (what every dashboard form posts; blank
    values kept; undecodable bytes replaced)."""
    text = (await request.body()).decode("utf-8", errors="replace")
    return ImmutableMultiDict(parse_qsl(text, keep_blank_values=True))


SECTION_PAGES = {"overview": overview_page, "console": console_page, "outbox": outbox_page,
                 "notification": notification_page, "faults": faults_page}


async def action(request: Request) -> Response:
    """Run one form's ``/_mock`` call and show its section with the outcome (404 for an unknown action)."""
    name = request.path_params["name"]
    found = ACTIONS.get(name)
    if found is None:
        return error_response(RestliError(404, f"No dashboard action {shown(name)} (known: {', '.join(ACTIONS)})"))
    form = await form_of(request)
    method, path, body = found.call(form, request)
    reply = await admin_call(request, method, path, body)
    outcome = Outcome(name, reply, dict(form.items()))
    response = await SECTION_PAGES[found.section](request, outcome)
    response.headers["HX-Push-Url"] = "false"  # htmx keeps the page's address, not the action's
    return response


PAGES = [
    Route("/", overview_page, methods=["GET"]),
    Route("/data", data_page, methods=["GET"]),
    Route("/data/{kind}/record", record_page, methods=["GET"]),
    Route("/console", console_page, methods=["GET"]),
    Route("/journal", journal_page, methods=["GET"]),
    Route("/journal/stream", journal_stream, methods=["GET"]),
    Route("/journal/{request_id}", journal_entry_page, methods=["GET"]),
    Route("/outbox", outbox_page, methods=["GET"]),
    Route("/outbox/stream", outbox_stream, methods=["GET"]),
    Route("/outbox/{notification_id}", notification_page, methods=["GET"]),
    Route("/faults", faults_page, methods=["GET"]),
    Route("/certification", certification_page, methods=["GET"]),
    Route("/actions/{name}", action, methods=["POST"]),
    Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
]

ROUTES = [
    Route("/", to_dashboard, methods=["GET"]),
    Route(PREFIX, to_dashboard, methods=["GET"]),
    # an app rather than routes: the OpenAPI document lists the pages as one HTML path, not as API operations
    Mount(PREFIX, app=SecurityHeaders(Router(routes=PAGES))),
]
