"""One-Click Export: a recruiter exports a LinkedIn member to a synced job, LinkedIn pushes an
EXPORT_CANDIDATE_PROFILE notification, and ``exportedCandidates?q=request`` returns the export.

Table ``exports``, key = export id (numeric string), indexed by ``seat``::

    {"id", "seat": "urn:li:seat:<n>", "exporter": the seat holder's person URN, "contract",
     "application": the customer's child application URN, "integrationContext": the job's organization,
     "externalJobPostingId", "jobPosting": "urn:li:jobPosting:<n>",
     "candidate": {"person", "firstName", "lastName", "emailAddress"?, "phoneNumbers"?, "profileUrl"?,
                   "headline"?, "location"?},
     "exportedAt": epoch ms, "month": "YYYY-MM" (UTC, of exportedAt)}

Table ``exportCounts``, key ``"<seat URN> <YYYY-MM>"`` → ``{"seat", "month", "count"}``: the monthly cap's counter.

Rules: the seat must be ACTIVE on a contract of the customer that owns the job; the customer's
ONE_CLICK_EXPORT integration must be enabled; the job must be LISTED and visible to the seat's holder
(:mod:`mock_server.domain.recruiter.visibility`); at most 300 exports per seat per calendar month (UTC) on the
emulator's clock.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/exported-candidates
(the flow, the integrationContext check, 300 exports per seat per month); the record's shape beyond
``candidate``, ``integrationContext`` and the string ``emailAddress`` is [INFERRED] (spec sync-and-retrieve.md
§6.1, schema ``exportedCandidate.json``).
"""

from __future__ import annotations

import datetime
from typing import Any

from mock_server.domain.customers import CONTRACTS, context_urn_kind
from mock_server.domain.integrations import integration_key_of
from mock_server.domain.jobs import Jobs
from mock_server.domain.recruiter.actors import (
    active_seat,
    customer_of_seat,
    find_member,
    person_urn,
)
from mock_server.domain.recruiter.interactions import seat_urn
from mock_server.domain.recruiter.visibility import job_visible
from mock_server.domain.world import World
from mock_server.restli.errors import RestliError, shown
from mock_server.store.spec import TableSpec

EXPORTS = TableSpec("exports", ("seat",))
EXPORT_COUNTS = TableSpec("exportCounts")
TABLES = (EXPORTS, EXPORT_COUNTS)
EXPORT_CANDIDATE_PROFILE = "EXPORT_CANDIDATE_PROFILE"
MONTHLY_EXPORTS_PER_SEAT = 300
FIRST_EXPORT_ID = 7100000000000000001
VIEW_FIELDS = ("integrationContext", "candidate", "externalJobPostingId", "jobPosting", "exporter", "exportedAt")


def counter_key(seat: dict[str, Any], month: str) -> str:
    """The ``exportCounts`` key of a seat's month."""
    return f"{seat_urn(seat['id'])} {month}"


def month_of(epoch_ms: int) -> str:
    """``YYYY-MM`` of an instant, in UTC."""
    return datetime.datetime.fromtimestamp(epoch_ms / 1000, datetime.timezone.utc).strftime("%Y-%m")


def next_month_ms(epoch_ms: int) -> int:
    """Epoch ms of the first instant of the UTC month after ``epoch_ms``."""
    day = datetime.datetime.fromtimestamp(epoch_ms / 1000, datetime.timezone.utc)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return int(datetime.datetime(year, month, 1, tzinfo=datetime.timezone.utc).timestamp() * 1000)


def candidate_profile(member: dict[str, Any]) -> dict[str, Any]:
    """The stub profile of an exported ``member`` (fixture document): ``emailAddress`` is a string (RSC release
    notes, March 2024); the other optional fields are copied when the member has them."""
    profile = {"person": person_urn(member), "firstName": member["firstName"], "lastName": member["lastName"]}
    if member.get("emailAddresses"):
        profile["emailAddress"] = member["emailAddresses"][0]
    if member.get("phoneNumbers"):
        profile["phoneNumbers"] = [{"number": number} for number in member["phoneNumbers"]]
    for name in ("profileUrl", "headline", "location"):
        if member.get(name):
            profile[name] = member[name]
    return profile


def exported_view(record: dict[str, Any]) -> dict[str, Any]:
    """An ``exportedCandidates`` element of an export record."""
    return {name: record[name] for name in VIEW_FIELDS}


def export_job(world: World, seat: dict[str, Any], application: dict[str, Any], external_id: str,
               context: str | None) -> dict[str, Any]:
    """The job an export names: ``external_id`` in ``context`` (default: the organization of the seat's
    contract, else the customer's first). 400 for a ``context`` that is not an organization URN, 404 for one
    no customer owns, 403 for another customer's context or a job the holder may not see, 404 for an unknown
    job, 409 for a CLOSED one."""
    organizations = application.get("organizations", [])
    if context is None:
        contract = CONTRACTS.of(world.store).get(seat["contract"]) or {}
        context = contract.get("organization") if contract.get("organization") in organizations else (
            organizations[0] if organizations else None)
    elif context_urn_kind(context) != "organization":
        raise RestliError(400, f"ERROR :: /integrationContext :: {shown(context)} is not an organization URN"
                               " (urn:li:organization:<id>)")
    elif world.customers.owner_of_context(context) is None:
        raise RestliError(404, f"ERROR :: /integrationContext :: no customer owns {context}")
    if context is None or context not in organizations:
        raise RestliError(403, f"ERROR :: /integrationContext :: {context} is not an organization of the seat's"
                               f" customer {application['key']}")
    job = Jobs(world.store, world.counters).get(context, external_id)
    if job is None:
        raise RestliError(404, f"ERROR :: /externalJobPostingId :: no job {shown(external_id)} synced"
                               f" for {context}")
    if job["state"] != "LISTED":
        raise RestliError(409, f"ERROR :: /externalJobPostingId :: job {shown(external_id)} is"
                               f" {job['state']}; only LISTED jobs can be exported to")
    if not job_visible(world, job, seat["member"]):
        raise RestliError(403, f"ERROR :: /externalJobPostingId :: job {shown(external_id)} is access-restricted"
                               " and"
                               f" {seat['member']} is in none of its ACL groups")
    return job


def check_quota(world: World, seat: dict[str, Any], now: int) -> None:
    """429 with ``Retry-After`` (seconds to the next UTC month) once the seat has exported 300 times this
    month."""
    counted = EXPORT_COUNTS.of(world.store).get(counter_key(seat, month_of(now)))
    if counted is not None and counted["count"] >= MONTHLY_EXPORTS_PER_SEAT:
        retry = max(1, (next_month_ms(now) - now + 999) // 1000)
        raise RestliError(429, f"Seat {seat_urn(seat['id'])} has used its {MONTHLY_EXPORTS_PER_SEAT} One-Click"
                               f" Exports for {month_of(now)}", 429, headers={"Retry-After": str(retry)})


def export_member(world: World, seat_value: object, member_value: object, external_id: str,
                  context: str | None = None) -> dict[str, Any]:
    """A recruiter on seat ``seat_value`` exports member ``member_value`` (``urn:li:person:<id>``) to job
    ``external_id``. Returns ``{"export": record, "notification": notification doc}``; raises the errors of
    :mod:`mock_server.domain.recruiter.actors` (409 for a member who closed the account), :func:`export_job`,
    :func:`check_quota`, and 403 when the customer's ONE_CLICK_EXPORT integration is not enabled."""
    seat = active_seat(world, seat_value)
    member = find_member(world, member_value)
    application = customer_of_seat(world, seat)
    job = export_job(world, seat, application, external_id, context)
    organization = job["integrationContext"]
    integration = world.integrations.get(integration_key_of(organization, "ONE_CLICK_EXPORT"))
    if integration is None or "enabledAt" not in integration:
        raise RestliError(403, f"ERROR :: /integrationContext :: the ONE_CLICK_EXPORT integration of {organization}"
                               " is not enabled (POST /_mock/recruiter/integrations)")
    now = world.clock.now_ms()
    check_quota(world, seat, now)
    record = {"id": str(world.counters.next_number("export", FIRST_EXPORT_ID)), "seat": seat_urn(seat["id"]),
              "exporter": seat["member"], "contract": seat["contract"], "application": application["key"],
              "integrationContext": organization, "externalJobPostingId": external_id,
              "jobPosting": job["jobPosting"], "candidate": candidate_profile(member), "exportedAt": now,
              "month": month_of(now)}
    counter = counter_key(seat, record["month"])
    counts = EXPORT_COUNTS.of(world.store)
    with world.store.transaction():
        EXPORTS.of(world.store).put(record["id"], record)
        counts.put(counter, {"seat": record["seat"], "month": record["month"],
                             "count": (counts.get(counter) or {"count": 0})["count"] + 1})
        notification = world.outbox.enqueue(application, EXPORT_CANDIDATE_PROFILE, organization,
                                            {"exports": [record["id"]]})
    return {"export": record, "notification": notification}


def exports_of_notification(world: World, notification: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``exportedCandidates`` elements a notification refers to; records since removed, and those of a
    member who closed the account since (listed in ``rest/atsPurgedExportedCandidates`` instead), are skipped."""
    table = EXPORTS.of(world.store)
    return [exported_view(record) for record in map(table.get, notification.get("exports", []))
            if record and not world.interactions.closed(record["candidate"]["person"])]
