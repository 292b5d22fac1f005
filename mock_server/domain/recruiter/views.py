"""Read-only views of what a recruiter sees inside Recruiter: the One-Click Export job list of a seat and the
In-ATS indicator of a member, both filtered by the viewer configurations and ACLs
(:mod:`mock_server.domain.recruiter.visibility`).

The indicator shows, per organization of the seat's customer whose IN_ATS_INDICATOR integration is enabled,
the synced candidates matched to the member — the member among the automatic matches
(:mod:`mock_server.domain.matching`) or set as ``manualMatchedMember`` — with the candidate's notes and the
applications the seat's holder may see, each with its notes, stages (oldest first), interview feedback, attached
résumés and LiHA evaluations.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect (In-ATS indicator:
jobs, applications, notes, feedback, stages), certification modules 2 and 4.
"""

from __future__ import annotations

from typing import Any

from mock_server.domain.integrations import integration_key_of
from mock_server.domain.jobs import Jobs
from mock_server.domain.matching import MemberDirectory
from mock_server.domain.recruiter.actors import (
    customer_of_seat,
    find_member,
    find_seat,
    person_urn,
)
from mock_server.domain.recruiter.evaluations import evaluations_of_application
from mock_server.domain.recruiter.interactions import seat_urn
from mock_server.domain.recruiter.visibility import application_visible, job_visible
from mock_server.domain.synced import (
    APPLICATIONS,
    ATTACHMENT,
    CANDIDATE_NOTES,
    CANDIDATES,
    CHILDREN,
    INTERNAL,
    ChildKind,
    SyncedChildren,
    store_key,
    strip,
)
from mock_server.domain.world import World

JOB_FIELDS = ("integrationContext", "externalJobPostingId", "jobPosting", "title", "location", "availability",
              "accessRestricted", "listedAt")


def seat_header(world: World, seat_value: object) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """``(seat, customer application, view header {"seat", "holder", "application"})`` for ``seat_value``."""
    seat = find_seat(world, seat_value)
    application = customer_of_seat(world, seat)
    viewer = {"seat": seat_urn(seat["id"]), "holder": seat["member"], "application": application["key"]}
    return seat, application, viewer


def export_jobs(world: World, seat_value: object) -> dict[str, Any]:
    """The One-Click Export drop-down of a seat: the customer's LISTED jobs its holder may see, in sync order.
    ``{"seat", "holder", "application", "count", "jobs": [{integrationContext, externalJobPostingId,
    jobPosting, title, location?, availability, accessRestricted, listedAt}]}``."""
    seat, application, view = seat_header(world, seat_value)
    jobs = Jobs(world.store, world.counters)
    shown = [{name: job[name] for name in JOB_FIELDS if name in job}
             for organization in application.get("organizations", []) for job in jobs.of_context(organization)
             if job["state"] == "LISTED" and job_visible(world, job, seat["member"])]
    return {**view, "count": len(shown), "jobs": shown}


def enabled(world: World, organization: str, integration_type: str) -> bool:
    """True when the integration of ``organization`` exists and is enabled."""
    doc = world.integrations.get(integration_key_of(organization, integration_type))
    return bool(doc and "enabledAt" in doc)


def children_of(world: World, kind: ChildKind, parent: str) -> list[dict[str, Any]]:
    """The ``kind`` sub-records under ``parent`` (a store key) as synced, with their ``id``, oldest first."""
    return SyncedChildren(world.store, world.clock, kind).of_parent(parent)


def application_view(world: World, application: dict[str, Any]) -> dict[str, Any]:
    """An application as the indicator shows it: the synced fields plus ``notes``, ``stages`` (oldest
    first; the last is the current stage), ``interviewFeedback``, ``attachments`` (the résumés of
    ``rest/attachments``: ``{"id", "attachmentType", "media", "fileName", "contentType", "size"}``) and
    ``evaluations`` (LinkedIn Hiring Assistant's, oldest first)."""
    parent = store_key({part: application[part] for part in APPLICATIONS.key_parts})
    view = strip(application, INTERNAL)
    for name, kind in CHILDREN.items():
        view[name] = children_of(world, kind, parent)
    view["attachments"] = children_of(world, ATTACHMENT, parent)
    view["evaluations"] = evaluations_of_application(world.store, parent)
    return view


def matched(directory: MemberDirectory, candidate: dict[str, Any], person: str) -> bool:
    """True when ``candidate`` is matched to ``person``, manually or automatically."""
    return candidate.get("manualMatchedMember") == person or person in directory.matches(
        candidate.get("emailAddresses"), candidate.get("linkedInProfileUrl"))


def indicator(world: World, seat_value: object, member_value: object) -> dict[str, Any]:
    """The In-ATS indicator seat ``seat_value`` sees on member ``member_value``'s profile: ``{"seat",
    "holder", "application", "member", "disabledIn": [organizations whose IN_ATS_INDICATOR is off],
    "candidates": [candidate fields + "matchedMembers", "notes", "applications": [application_view]]}``."""
    seat, application, view = seat_header(world, seat_value)
    person = person_urn(find_member(world, member_value))
    directory = MemberDirectory(world.store)
    jobs = Jobs(world.store, world.counters)
    candidates_table = CANDIDATES.table.of(world.store)
    applications_table = APPLICATIONS.table.of(world.store)
    shown, disabled = [], []
    for organization in application.get("organizations", []):
        if not enabled(world, organization, "IN_ATS_INDICATOR"):
            disabled.append(organization)
            continue
        for _, candidate in candidates_table.find(integrationContext=organization):
            if not matched(directory, candidate, person):
                continue
            applications = [application_view(world, doc) for _, doc in applications_table.find(
                                integrationContext=organization, atsCandidateId=candidate["atsCandidateId"])
                            if application_visible(world, doc, jobs.get(organization, doc.get("atsJobPostingId", "")),
                                                   seat["member"])]
            shown.append({**strip(candidate, INTERNAL),
                          "matchedMembers": directory.matches(candidate.get("emailAddresses"),
                                                              candidate.get("linkedInProfileUrl")),
                          "notes": children_of(world, CANDIDATE_NOTES, store_key(
                              {part: candidate[part] for part in CANDIDATES.key_parts})),
                          "applications": applications})
    return {**view, "member": person, "disabledIn": disabled, "candidates": shown}
