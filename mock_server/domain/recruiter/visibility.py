"""Who sees what inside Recruiter: synced jobs in the One-Click Export drop-down and synced applications in the
In-ATS indicator, by the viewer configurations and the ACLs.

A recruiter (``urn:li:person:<id>``) sees job J of organization O when O's ONE_CLICK_EXPORT integration has
``JOB_POSTING_VIEWERS = ALL_PRODUCT_USERS``, or J is not ``accessRestricted``, or the recruiter is an assignee
of an ACL group bound to J. Applications follow the same rule through their job (``atsJobPostingId``) with
``APPLICATION_VIEWERS`` on IN_ATS_INDICATOR; an application is restricted when it or its job is
``accessRestricted``.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/job-postings/api/job-posting-api-schema
(``accessRestricted``), …/middleware-platform/acl-overview, certification module 4 (RSC-401 to RSC-404). The
evaluation order is [INFERRED] (spec sync-and-retrieve.md §4).
"""

from __future__ import annotations

from typing import Any

from mock_server.domain.acls import acl_groups_of, acls_of_job
from mock_server.domain.world import World

ALL_PRODUCT_USERS = "ALL_PRODUCT_USERS"


def open_to_all(world: World, organization: str, integration_type: str, configuration_key: str) -> bool:
    """True when ``configuration_key`` of the integration is ``ALL_PRODUCT_USERS``."""
    value = world.integrations.configuration_value(organization, integration_type, configuration_key)
    return value == ALL_PRODUCT_USERS


def in_acl_group(world: World, organization: str, external_job_posting_id: str, person: str) -> bool:
    """True when ``person`` is an assignee of an ACL group bound to the job."""
    return bool(acls_of_job(world.store, organization, external_job_posting_id)
                & acl_groups_of(world.store, organization, person))


def job_visible(world: World, job: dict[str, Any], person: str) -> bool:
    """Whether ``person`` sees ``job`` (a ``jobs`` document) in the One-Click Export drop-down (state aside)."""
    organization = job["integrationContext"]
    return (open_to_all(world, organization, "ONE_CLICK_EXPORT", "JOB_POSTING_VIEWERS")
            or not job.get("accessRestricted", False)
            or in_acl_group(world, organization, job["externalJobPostingId"], person))


def application_visible(world: World, application: dict[str, Any], job: dict[str, Any] | None, person: str) -> bool:
    """Whether ``person`` sees ``application`` (an ``applications`` document; ``job`` its job or None when
    that job was never synced) in the In-ATS indicator."""
    organization = application["integrationContext"]
    restricted = application.get("accessRestricted", False) or bool(job and job.get("accessRestricted", False))
    return (open_to_all(world, organization, "IN_ATS_INDICATOR", "APPLICATION_VIEWERS")
            or not restricted
            or in_acl_group(world, organization, application.get("atsJobPostingId", ""), person))
