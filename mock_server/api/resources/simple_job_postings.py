"""``simpleJobPostings``: BATCH_CREATE of jobs, both styles partners use (RSC module 2 "Sync Jobs").

* LinkedIn's RSC collection style: ``state: LISTED | CLOSED`` and no ``jobPostingOperationType`` — CREATE
  for a new ``externalJobPostingId``, UPDATE for a known one, ``CLOSED`` closes;
* the Job Posting API style: ``jobPostingOperationType`` CREATE / UPDATE / RENEW / CLOSE.

Each element is answered in request order: 202 with ``id: urn:li:simpleJobPostingTask:<uuid>`` (the outcome
comes later from ``simpleJobPostingTasks``), or its error — 422 ``ERROR :: /<field> :: <reason>`` (schema
``schemas/simpleJobPosting.json``), 400 for more than one workplace type or an invalid companyApplyUrl, 403
for another customer's integrationContext (or ``company``), 409 for a CLOSE of an unknown or closed job and
for ``state: CLOSED`` sent again for a closed job. The job's organization is ``integrationContext`` or, when
only that is sent, ``company`` (an organization URN, as LinkedIn's Java SDK names it). Request-level: 403
without ``X-RestLi-Method: batch_create``, 400 when an element names no company at all, 400 above 100
elements.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/create-jobs (error table),
…/job-postings/api/job-posting-api-schema, …/recruiter-system-connect/required-fields; the `state` style and
its inference are the spec's [INFERRED] mock rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from mock_server.api.gate import Policy
from mock_server.api.resources.common import (
    BOTH,
    caller,
    entity_context_error,
    per_entity,
    world_of,
)
from mock_server.domain.jobs import Jobs, new_task_urn
from mock_server.restli.errors import RestliError, field_error
from mock_server.restli.resource import Call, Created, Resource
from mock_server.schemas import validation

# What names the job's company: the RSC integrationContext, or `company` (an organization URN, as LinkedIn's
# Java SDK JobPosting sends it), or a page URL or name.
COMPANY_FIELDS = ("integrationContext", "company", "companyName", "companyPageUrl")
CONTEXT_FIELDS = ("integrationContext", "company")
MAX_ALTERNATE_LOCATIONS = 7
# listedAt may run this far ahead of the emulator's clock (partners' clocks drift) [INFERRED].
FUTURE_SKEW_MS = 5 * 60 * 1000


def missing_header() -> RestliError:
    """LinkedIn's answer to a POST without ``X-RestLi-Method: batch_create``."""
    return RestliError(403, "Unpermitted fields present in REQUEST_BODY: Data Processing Exception while"
                            " processing fields [/elements]", 403)


def check_location(element: dict) -> None:
    """422 unless the job has a ``location`` or both ``countryCode`` and ``postalCode``."""
    if "location" in element:
        return
    given = [name for name in ("countryCode", "postalCode") if name in element]
    if len(given) == 1:
        other = "postalCode" if given == ["countryCode"] else "countryCode"
        raise field_error(other, f"field is required but not found and has no default value ({given[0]} is"
                                 " given without it; or send location)")
    if not given:
        raise field_error("location", "field is required but not found and has no default value (or send"
                                      " countryCode and postalCode)")


def check_url(element: dict, task: str) -> None:
    """400 in LinkedIn's words unless ``companyApplyUrl`` is an http(s) URL with a host."""
    try:
        parts = urlsplit(element["companyApplyUrl"])
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 literal
        valid = False
    if not valid:
        raise RestliError(400, f"Invalid company apply url for job with externalPartnerId"
                               f" {element['externalJobPostingId']}, taskUrn {task}")


def check_element(call: Call, element: dict, task: str) -> None:
    """Every synchronous rule of one element; raises its per-element error."""
    validation.check("simpleJobPosting", element)
    for name in CONTEXT_FIELDS:
        if name in element:
            error = entity_context_error(call, element[name])
            if error is not None:
                raise error
    if element.get("jobPostingOperationType") == "CLOSE":
        return
    if "jobPostingOperationType" not in element and "state" not in element:
        raise field_error("state", "field is required but not found and has no default value (send state"
                                   " LISTED or CLOSED, or a jobPostingOperationType)")
    workplace = element.get("workplaceTypes", [])
    if len(workplace) > 1:
        raise RestliError(400, "The workplaceTypes field cannot have more than one value provided. Provided"
                               f" values [{', '.join(workplace)}]")
    check_location(element)
    alternates = element.get("alternateLocations", [])
    if len(alternates) > MAX_ALTERNATE_LOCATIONS:
        raise RestliError(422, f"The job contains more than seven locations ({len(alternates)} alternateLocations"
                               " and the location); at most seven alternate locations are allowed")
    if element.get("listingType") == "PREMIUM":
        raise field_error("listingType", "only BASIC jobs can be posted through Recruiter System Connect")
    if element["listedAt"] > world_of(call).clock.now_ms() + FUTURE_SKEW_MS:
        raise field_error("listedAt", f"{element['listedAt']} is in the future; listedAt must not be later than"
                                      " now (epoch milliseconds, UTC)")
    check_url(element, task)


def partner_urn(call: Call) -> str:
    """The caller's partner as LinkedIn's job messages name it: ``urn:li:jobPostingPartner:<n>``."""
    application = caller(call).application
    return "urn:li:jobPostingPartner:" + (application.get("parent") or application["key"]).rsplit(":", 1)[-1]


def default_context(call: Call) -> str:
    """The organization a job without ``integrationContext`` or ``company`` belongs to: the caller's first;
    403 if none."""
    organizations = sorted(caller(call).application.get("organizations", []))
    if not organizations:
        raise RestliError(403, "Not enough permissions to access: simpleJobPostings.BATCH_CREATE (the application"
                               " has no organization: send an integrationContext)", 100)
    return organizations[0]


def batch_create(call: Call) -> list:
    """BATCH_CREATE: one 202 :class:`Created` (the task URN) or error per element, in request order."""
    elements = call.body["elements"]
    for element in elements:
        if not any(element.get(name) for name in COMPANY_FIELDS):
            raise RestliError(400, "Either context or company or companyPageUrl or companyName must be provided")
    world = world_of(call)
    jobs = Jobs(world.store, world.counters)
    application = caller(call).application
    partner = partner_urn(call)

    def post(element: dict) -> Created:
        task = new_task_urn()
        check_element(call, element, task)
        context = element.get("integrationContext") or element.get("company") or default_context(call)
        jobs.post(element, context, partner, application["key"], task, world.clock.now_ms())
        return Created(task, 202)

    with world.store.transaction():
        return [per_entity(post)(element) for element in elements]


RESOURCES = [(Resource(path="simpleJobPostings", handlers={"BATCH_CREATE": batch_create},
                       missing_batch_create_header=missing_header,
                       # customers; LinkedIn states no daily quota for it. Versioned since the first Talent
                       # version (Job Posting release notes, March 2025: 202501 versions only this API).
                       policy=Policy(since="202501")), BOTH)]
