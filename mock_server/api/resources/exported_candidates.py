"""``exportedCandidates``: FINDER ``q=request&requestId=…`` resolves an EXPORT_CANDIDATE_PROFILE push notification
into the exported candidate (RSC module 3, "Retrieve Exported Candidate from PUSH Notification").

An unknown or expired request id, or one pushed to another customer, gives 200 with no elements (emulator
decisions table, "Unknown request ids"). Element shape: ``schemas/exportedCandidate.json`` (inferred beyond
``integrationContext`` and ``candidate``).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/exported-candidates
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import BOTH, caller, world_of
from mock_server.api.versions import FIRST_RSC
from mock_server.domain.quotas import SYNC, Quota
from mock_server.domain.recruiter.exports import (
    EXPORT_CANDIDATE_PROFILE,
    exports_of_notification,
)
from mock_server.restli.resource import Call, Finder, Resource


def by_request(call: Call) -> list[dict]:
    """FINDER ``q=request``: the exports of the caller's notification ``requestId`` (400 when missing)."""
    world = world_of(call)
    notification = world.outbox.resolve(call.query.require("requestId"), EXPORT_CANDIDATE_PROFILE,
                                        caller(call).application["key"])
    return exports_of_notification(world, notification) if notification else []


RESOURCES = [
    (Resource(path="exportedCandidates", finders={"request": Finder(by_request)},
              policy=Policy(quota=Quota(SYNC), since=FIRST_RSC)), BOTH),  # rest/…: retrieve-exported-candidates 2026-04
]
