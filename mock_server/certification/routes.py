"""``/_mock/certification``: grade the partner's integration, describe the test company, run guided runs.

======================================================  ==============================================================
``GET  /_mock/certification``                           passive report of what the integration did so far:
                                                        ``?customer=<uniqueForeignId>&module=N&case=ID&since=<ms>
                                                        &format=json|junit|html`` (json: the report document of
                                                        :mod:`.reports`)
``GET  /_mock/certification/cases``                     ``{"cases": [catalogue entry], "notDescribed": [...]}``
``GET  /_mock/certification/customer``                  the test company (``?customer=``): application, contexts,
                                                        seats, admins, integrations, CALLBACK_URLs, prospects
``POST /_mock/certification/grade``                     ``{"case", "customer"?, "since"?, "subject"?}`` →
                                                        ``{"result"}`` (what the guided runner asks)
``POST /_mock/certification/runs``                      ``{"partner"?, "customer"?, "module"?, "case"?, "runner"?:
                                                        "emulator" | "client", "hookTimeout"?: s (0.1-300,
                                                        default 60)}`` → 202 the run's record; 409 while another
                                                        run is running in the same world (:mod:`.runs`)
``PUT  /_mock/certification/runs/{run_id}``             a client run's progress: ``{"status"?: running | finished
                                                        | error | interrupted, "progress"?, "report"?, "error"?}``
``GET  /_mock/certification/runs``                      ``{"runs": [record without report]}``
``GET  /_mock/certification/runs/{run_id}``             one run's record, with its report once finished
======================================================  ==============================================================

A case id that does not exist or a module outside 1-5 → 400 naming the field; an unknown customer → 404.
Every route serves the request's world: at ``/_mock/sandboxes/{id}/certification…`` or with the
``X-RSC-Mock-Sandbox`` header a sandbox's (its grades, its test company, its runs), else the default world's.
"""

from __future__ import annotations

import json
import weakref

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mock_server.api.http import field, json_body, query_params, world
from mock_server.certification import reports
from mock_server.certification.cases import CASES, UNDESCRIBED, SelectionError, select
from mock_server.certification.grading import grade, grade_all
from mock_server.certification.model import HOOK_TIMEOUT_S, MAX_HOOK_TIMEOUT_S
from mock_server.certification.observed import Observed, customer_of
from mock_server.certification.runner import INTERRUPTED
from mock_server.certification.runs import Runs
from mock_server.restli.errors import RestliError
from mock_server.restli.integers import NumberError, parse_int

STATUSES = ("running", "finished", "error", INTERRUPTED)  # what a client run may report
FORMATS = {"json": "application/json", "junit": "application/xml", "html": "text/html; charset=utf-8"}


def selection(module, case_id) -> list:
    """The cases asked for; 400 naming ``module`` or ``case`` when they do not exist."""
    try:
        return select(module, case_id)
    except SelectionError as error:
        raise RestliError(400, f"ERROR :: /{'case' if case_id else 'module'} :: {error}") from None


def number(value, name: str) -> int | None:
    """An integer query/body value; 400 naming ``name`` otherwise."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return parse_int(str(value), signed=True)
    except NumberError as error:
        raise RestliError(400, f"ERROR :: /{name} :: {error}") from None


def undescribed_of(cases) -> list:
    """The cases not described in the public record, of the modules of ``cases``."""
    modules = {case.module for case in cases}
    return [item for item in UNDESCRIBED if item.module in modules]


async def report(request: Request) -> Response:
    """The passive report, as JSON, JUnit XML or HTML."""
    emulator = world(request)
    params = query_params(request)
    unknown = sorted(set(params) - {"customer", "module", "case", "since", "format"})
    if unknown:
        raise RestliError(400, f"ERROR :: /{unknown[0]} :: unknown query parameter (known: customer, module, case,"
                               " since, format)")
    output = params.get("format", "json")
    if output not in FORMATS:
        raise RestliError(400, f"ERROR :: /format :: {output!r} is not one of {', '.join(FORMATS)}")
    cases = selection(number(params.get("module"), "module"), params.get("case"))
    customer = customer_of(emulator, params.get("customer"))
    results = grade_all(emulator, cases, customer, number(params.get("since"), "since") or 0)
    doc = reports.document("passive", cases, results, {"uniqueForeignId": customer.get("uniqueForeignId"),
                                                       "application": customer["key"]},
                           emulator.clock.now_ms(), undescribed_of(cases), str(request.base_url).rstrip("/"))
    if output == "json":
        return JSONResponse(doc)
    text = reports.to_junit(doc) if output == "junit" else reports.to_html(doc)
    return Response(text, media_type=FORMATS[output])


async def catalogue(request: Request) -> JSONResponse:
    """Every case and the cases not described."""
    return JSONResponse({"cases": [case.to_json() for case in CASES],
                         "notDescribed": [item.to_json() for item in UNDESCRIBED]})


async def company(request: Request) -> JSONResponse:
    """The test company of a guided run."""
    emulator = world(request)
    params = query_params(request)
    return JSONResponse(Observed(emulator, customer_of(emulator, params.get("customer"))).company())


async def grade_one(request: Request) -> JSONResponse:
    """Grade one case for the guided runner."""
    emulator = world(request)
    body = await json_body(request, required=True, allowed=("case", "customer", "since", "subject"))
    [case] = selection(None, field(body, "case", str))
    subject = field(body, "subject", dict, required=False)
    customer = customer_of(emulator, field(body, "customer", str, required=False))
    return JSONResponse({"result": grade(emulator, case, customer, number(body.get("since"), "since") or 0,
                                         subject).to_json()})


def runs_of(request) -> Runs:
    """The run registry of the request's world (its sandbox; created on first use, forgotten with the sandbox):
    a run in one sandbox never blocks or shows in another."""
    state = request.app.state
    if not hasattr(state, "certification_runs"):
        state.certification_runs = weakref.WeakKeyDictionary()
    return state.certification_runs.setdefault(world(request), Runs())


def own_url(request) -> str:
    """The emulator's own address as this request reached it (the listening socket), for runs it starts."""
    server = request.scope.get("server")
    if not server or server[1] is None:
        return str(request.base_url).rstrip("/")
    host = f"[{server[0]}]" if ":" in server[0] else server[0]
    return f"http://{host}:{server[1]}"


async def start_run(request: Request) -> JSONResponse:
    """Start a guided run in the background."""
    emulator = world(request)
    body = await json_body(request, allowed=("partner", "customer", "module", "case", "runner", "hookTimeout"))
    runner = field(body, "runner", str, required=False, default="emulator")
    if runner not in ("emulator", "client"):
        raise RestliError(400, f"ERROR :: /runner :: {runner!r} is not one of emulator, client")
    partner = field(body, "partner", str, required=False)
    if partner is not None and not partner.startswith(("http://", "https://")):
        raise RestliError(400, f"ERROR :: /partner :: {partner!r} is not an http(s) URL of the partner's certification"
                               " hook")
    hook_timeout = field(body, "hookTimeout", (int, float), required=False, default=HOOK_TIMEOUT_S)
    if not 0.1 <= hook_timeout <= MAX_HOOK_TIMEOUT_S:
        raise RestliError(400, f"ERROR :: /hookTimeout :: {json.dumps(hook_timeout)} is not a number of seconds from"
                               f" 0.1 to {MAX_HOOK_TIMEOUT_S:g}")
    cases = selection(number(body.get("module"), "module"), field(body, "case", str, required=False))
    customer = customer_of(emulator, field(body, "customer", str, required=False))
    runs = runs_of(request)
    if runner == "client":
        record = runs.view(runs.claim("client", cases, customer.get("uniqueForeignId"), partner)["id"])
    else:
        record = runs.start(own_url(request), cases, customer.get("uniqueForeignId"), partner,
                            emulator.tag or None, float(hook_timeout))
    return JSONResponse(record, status_code=202)


async def update_run(request: Request) -> JSONResponse:
    """A client run reports its progress or its end."""
    body = await json_body(request, required=True, allowed=("status", "progress", "report", "error"))
    status = field(body, "status", str, required=False)
    if status is not None and status not in STATUSES:
        raise RestliError(400, f"ERROR :: /status :: {status!r} is not one of {', '.join(STATUSES)}")
    field(body, "progress", list, required=False)
    field(body, "report", dict, required=False)
    field(body, "error", str, required=False)
    return JSONResponse(runs_of(request).update(request.path_params["run_id"], body))


async def list_runs(request: Request) -> JSONResponse:
    """Every run of this emulator."""
    return JSONResponse({"runs": runs_of(request).all()})


async def one_run(request: Request) -> JSONResponse:
    """One run, with its report once finished."""
    return JSONResponse(runs_of(request).view(request.path_params["run_id"]))


ROUTES = [  # under /_mock, beside mock_server.harness.admin.ROUTES (mounted by mock_server.app)
    Route("/certification", report, methods=["GET"]),
    Route("/certification/cases", catalogue, methods=["GET"]),
    Route("/certification/customer", company, methods=["GET"]),
    Route("/certification/grade", grade_one, methods=["POST"]),
    Route("/certification/runs", start_run, methods=["POST"]),
    Route("/certification/runs", list_runs, methods=["GET"]),
    Route("/certification/runs/{run_id}", one_run, methods=["GET"]),
    Route("/certification/runs/{run_id}", update_run, methods=["PUT"]),
]
