"""What recruiters and customer admins do inside LinkedIn Recruiter, as an admin API under ``/_mock/recruiter``
(JSON in, JSON out). Seats are ``urn:li:seat:<id>`` or the id, members ``urn:li:person:<id>``. Something unknown
→ 404, a malformed or missing field → 400, an action the seat may not take → 403 or 409, every message naming
the field (``ERROR :: /<field> :: <reason>``) in LinkedIn's error envelope.

==============================================  ===========================================================
``POST   /_mock/recruiter/integrations``        ``{"integrationContext", "integrationType" | "integrationTypes",
                                                "enabled": bool}`` → ``{"integrations", "changed",
                                                "notification"}`` (INTEGRATION_STATUS_CHANGE when any changed)
``POST   /_mock/recruiter/exports``             ``{"seat", "member", "externalJobPostingId",
                                                "integrationContext"?}`` → 201 ``{"export", "notification"}``
                                                (EXPORT_CANDIDATE_PROFILE); 429 over 300 per seat per month
``POST   /_mock/recruiter/inmails``             ``{"seat", "member", "subject"?, "body"}`` → 201 ``{"event"}``
``POST   /_mock/recruiter/replies``             ``{"conversation", "body", "response"?, "shareContactInfo"?,
                                                "phoneNumber"?}`` → 201 ``{"event", "mailStub"}``
``POST   /_mock/recruiter/notes``               ``{"seat", "member", "note", "visibility"?}`` → 201 ``{"note"}``
``DELETE /_mock/recruiter/notes/{id}``          → ``{"note"}`` with ``active: false``
``GET    /_mock/recruiter/seats/{seat}/export-jobs``  the One-Click Export job list of the seat
``GET    /_mock/recruiter/indicator?seat=…&member=…``  the In-ATS indicator the seat sees on the member
``POST   /_mock/recruiter/evaluations``         ``{"integrationContext", "atsJobApplicationId", "evaluation"?}``
                                                → 201 ``{"evaluation", "notification"}``
                                                (EXPORT_APPLICATION_EVALUATION); 409 within 24 h of the last
``POST   /_mock/recruiter/members/{member}/close``  the member closes the LinkedIn account → ``{"member",
                                                "closedAt", "purged"}`` (atsPurgedExportedCandidates)
==============================================  ===========================================================

Domain logic: :mod:`mock_server.domain.recruiter` (integration_status, exports, prospecting, views,
evaluations, purges).
"""

from __future__ import annotations

from typing import Literal, overload

from starlette.requests import Request
from starlette.responses import JSONResponse

from mock_server.api.http import field, json_body, query_params, world
from mock_server.domain.integrations import RSC_TYPES
from mock_server.domain.recruiter.evaluations import evaluate
from mock_server.domain.recruiter.exports import export_member
from mock_server.domain.recruiter.integration_status import (
    set_integrations_enabled,
    type_field,
)
from mock_server.domain.recruiter.prospecting import (
    RESPONSES,
    VISIBILITIES,
    delete_note,
    reply,
    send_inmail,
    write_note,
)
from mock_server.domain.recruiter.purges import close_account
from mock_server.domain.recruiter.views import export_jobs, indicator
from mock_server.restli.errors import RestliError, shown
from mock_server.restli.integers import NumberError, parse_int

SEAT = (str, int)


async def body_of(request, allowed: tuple[str, ...]) -> dict:
    """The JSON object body; 400 naming the first field not in ``allowed``."""
    return await json_body(request, required=True, allowed=allowed)


@overload
def text(body: dict, name: str, required: Literal[True] = True) -> str: ...
@overload
def text(body: dict, name: str, required: bool) -> str | None: ...


def text(body: dict, name: str, required: bool = True) -> str | None:
    """A string field that, when given, is not blank; 400 naming it otherwise."""
    value = field(body, name, str, required=required)
    if value is not None and not value.strip():
        raise RestliError(400, f"ERROR :: /{name} :: must not be empty")
    return value


@overload
def choice(body: dict, name: str, allowed: tuple[str, ...], default: str) -> str: ...
@overload
def choice(body: dict, name: str, allowed: tuple[str, ...], default: None = None) -> str | None: ...


def choice(body: dict, name: str, allowed: tuple[str, ...], default: str | None = None) -> str | None:
    """A string field that must be one of ``allowed``; 400 naming it otherwise."""
    value = field(body, name, str, required=False, default=default)
    if value is not None and value not in allowed:
        raise RestliError(400, f"ERROR :: /{name} :: {shown(value)} is not one of {', '.join(allowed)}")
    return value


async def integrations(request: Request) -> JSONResponse:
    """A customer's Recruiter admin enables or disables integrations."""
    emulator = world(request)
    body = await body_of(request, ("integrationContext", "integrationType", "integrationTypes", "enabled"))
    context = text(body, "integrationContext")
    if ("integrationType" in body) == ("integrationTypes" in body):
        raise RestliError(400, "ERROR :: /integrationType :: give either integrationType or integrationTypes")
    given = "integrationType" if "integrationType" in body else "integrationTypes"
    types = [field(body, given, str)] if given == "integrationType" else field(body, given, list)
    if not types:
        raise RestliError(400, "ERROR :: /integrationTypes :: must not be empty")
    for index, integration_type in enumerate(types):
        if integration_type not in RSC_TYPES:
            raise RestliError(400, f"ERROR :: {type_field(given, index)} :: {shown(integration_type)} is not"
                                   f" one of {', '.join(RSC_TYPES)}")
    enabled = field(body, "enabled", bool)
    return JSONResponse(set_integrations_enabled(emulator, context, types, enabled, given))


async def exports(request: Request) -> JSONResponse:
    """One-Click Export of a member to a job."""
    emulator = world(request)
    body = await body_of(request, ("seat", "member", "externalJobPostingId", "integrationContext"))
    result = export_member(emulator, field(body, "seat", SEAT), field(body, "member", str),
                           text(body, "externalJobPostingId"), text(body, "integrationContext", required=False))
    return JSONResponse(result, status_code=201)


async def inmails(request: Request) -> JSONResponse:
    """A recruiter sends an InMail."""
    emulator = world(request)
    body = await body_of(request, ("seat", "member", "subject", "body"))
    event = send_inmail(emulator, field(body, "seat", SEAT), field(body, "member", str),
                        text(body, "subject", required=False), text(body, "body"))
    return JSONResponse({"event": event}, status_code=201)


async def replies(request: Request) -> JSONResponse:
    """A member replies to an InMail, sharing contact details or not."""
    emulator = world(request)
    body = await body_of(request, ("conversation", "body", "response", "shareContactInfo", "phoneNumber"))
    result = reply(emulator, text(body, "conversation"), text(body, "body"), choice(body, "response", RESPONSES),
                   field(body, "shareContactInfo", bool, required=False, default=False),
                   text(body, "phoneNumber", required=False))
    return JSONResponse(result, status_code=201)


async def notes(request: Request) -> JSONResponse:
    """A recruiter writes a prospect note."""
    emulator = world(request)
    body = await body_of(request, ("seat", "member", "note", "visibility"))
    note = write_note(emulator, field(body, "seat", SEAT), field(body, "member", str), text(body, "note"),
                      choice(body, "visibility", VISIBILITIES, default="PUBLIC"))
    return JSONResponse({"note": note}, status_code=201)


async def remove_note(request: Request) -> JSONResponse:
    """A recruiter deletes a prospect note (it stays, inactive)."""
    emulator = world(request)
    note_id = request.path_params["note_id"]
    try:
        number = parse_int(note_id)
    except NumberError as error:
        raise RestliError(400, f"ERROR :: /id :: a prospect note id {error}") from None
    return JSONResponse({"note": delete_note(emulator, number)})


async def seat_export_jobs(request: Request) -> JSONResponse:
    """The One-Click Export drop-down of a seat."""
    emulator = world(request)
    return JSONResponse(export_jobs(emulator, request.path_params["seat"]))


async def in_ats_indicator(request: Request) -> JSONResponse:
    """The In-ATS indicator a seat sees on a member's profile."""
    emulator = world(request)
    query = query_params(request)
    for name in ("seat", "member"):
        if not query.get(name):
            raise RestliError(400, f"ERROR :: /{name} :: query parameter is required")
    return JSONResponse(indicator(emulator, query["seat"], query["member"]))


async def evaluations(request: Request) -> JSONResponse:
    """LinkedIn Hiring Assistant evaluates a synced application and pushes the evaluation."""
    body = await body_of(request, ("integrationContext", "atsJobApplicationId", "evaluation"))
    result = evaluate(world(request), text(body, "integrationContext"), text(body, "atsJobApplicationId"),
                      field(body, "evaluation", dict, required=False, nullable=False))
    return JSONResponse(result, status_code=201)


async def close_member(request: Request) -> JSONResponse:
    """A member closes the LinkedIn account: their exports join atsPurgedExportedCandidates."""
    return JSONResponse(close_account(world(request), request.path_params["member"]))
