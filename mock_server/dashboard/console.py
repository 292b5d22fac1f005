"""What the recruiter console shows for a chosen seat: who holds it and for which customer, the One-Click Export
drop-down exactly as the seat sees it (:func:`mock_server.domain.recruiter.views.export_jobs`), the seat's InMail
conversations (to reply to), its prospect notes, the customer's integrations (for the customer admin's
switches) and, for a member, the In-ATS indicator the seat sees
(:func:`mock_server.domain.recruiter.views.indicator`).

Refusals of the domain (an unknown seat, a seat no customer owns, an unknown member) are shown as messages,
in LinkedIn's wording, beside the field that caused them.
"""

from __future__ import annotations

from mock_server.dashboard.overview import integration_state
from mock_server.domain.recruiter.actors import find_seat
from mock_server.domain.recruiter.interactions import seat_urn, seat_view, thread_urn
from mock_server.domain.recruiter.views import export_jobs, indicator
from mock_server.restli.errors import RestliError

MEMBER_CHOICES = 500


def seats(world) -> list[dict]:
    """Every seat as ``seatsV2`` shows it (holder's names included) plus ``urn``, by id."""
    interactions = world.interactions
    found = [{**seat_view(doc, interactions.member(doc["member"])), "urn": seat_urn(doc["id"])}
             for _, doc in interactions.seats.items()]
    return sorted(found, key=lambda seat: seat["id"])


def members(world) -> list[dict]:
    """The first :data:`MEMBER_CHOICES` fixture members (``{"urn", "name"}``), for the member fields' choices."""
    return [{"urn": urn, "name": f"{doc.get('firstName', '')} {doc.get('lastName', '')}".strip()}
            for urn, doc in world.interactions.members.items()[:MEMBER_CHOICES]]


def conversations(world, seat: str) -> list[dict]:
    """The InMail conversations of seat URN ``seat``: ``{"urn", "member", "events", "last"}``, newest first."""
    found = [{"urn": thread_urn(doc["id"]), "member": doc["member"], "events": len(doc["events"]),
              "last": doc["events"][-1] if doc["events"] else None}
             for _, doc in world.interactions.conversations.find(seat=seat)]
    return sorted(found, key=lambda c: c["last"]["createdAt"] if c["last"] else 0, reverse=True)


def notes(world, seat: dict) -> list[dict]:
    """The prospect notes written from ``seat`` (seat document), deleted ones included, newest first."""
    owner = seat_urn(seat["id"])
    found = [doc for doc in world.interactions.notes(seat["contract"]) if doc["owner"] == owner]
    return found[::-1]


def customer_integrations(world, application: dict) -> list[dict]:
    """The integrations of a customer's contexts with their ``state`` (what its admin switches)."""
    contexts = [*application.get("organizations", []), *application.get("contracts", [])]
    return [{**doc, "state": integration_state(doc)} for doc in world.integrations.of_contexts(contexts)]


def console(world, seat_value: str = "", member: str = "") -> dict:
    """The console page's data for seat ``seat_value`` (``urn:li:seat:<id>`` or the id; empty: none chosen)
    and, when given, the indicator of ``member``: ``{"seats", "members", "seat", "errors": {field: message},
    and with a seat "holder", "application", "exportJobs", "conversations", "notes", "integrations",
    "indicator"}``."""
    view: dict = {"seats": seats(world), "members": members(world), "seat": None, "errors": {}, "member": member}
    if not seat_value:
        return view
    try:
        seat = find_seat(world, seat_value)
    except RestliError as error:
        view["errors"]["seat"] = error.message
        return view
    view.update(seat={**seat, "urn": seat_urn(seat["id"])}, conversations=conversations(world, seat_urn(seat["id"])),
                notes=notes(world, seat))
    try:
        jobs = export_jobs(world, seat_value)
    except RestliError as error:
        view["errors"]["seat"] = error.message
        return view
    application = world.customers.by_key(jobs["application"])
    view.update(exportJobs=jobs["jobs"], application=application,
                integrations=customer_integrations(world, application))
    if member:
        try:
            view["indicator"] = indicator(world, seat_value, member)
        except RestliError as error:
            view["errors"]["member"] = error.message
    return view
