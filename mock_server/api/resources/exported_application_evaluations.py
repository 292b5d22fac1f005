"""``rest/exportedApplicationEvaluations``: FINDER ``q=request&requestId=…`` resolves an
``EXPORT_APPLICATION_EVALUATION`` push notification into the evaluations LinkedIn Hiring Assistant produced
(:mod:`mock_server.domain.recruiter.evaluations`); elements ``schemas/exportedApplicationEvaluation.json``.

LinkedIn names the resource twice: ``exportedApplicationEvaluations`` in the RSC release notes (2026-03 view,
"finder") and ``exportedApplicationEvaluation`` on its own page, whose sample requests start at LinkedIn-Version
202507 (https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/retrieve-application-evaluation/exported-application-evaluation);
both names are served, from 202507. An unknown or expired (24 h) request id, or another customer's, gives no
element (as ``exportedCandidates``).
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import REST, caller, world_of
from mock_server.domain.quotas import SYNC, Quota
from mock_server.domain.recruiter.evaluations import (
    EXPORT_APPLICATION_EVALUATION,
    evaluations_of_notification,
)
from mock_server.restli.resource import Call, Finder, Resource

NAMES = ("exportedApplicationEvaluations", "exportedApplicationEvaluation")


def by_request(call: Call) -> list[dict]:
    """FINDER ``q=request``: the evaluations of the caller's notification ``requestId`` (400 when missing)."""
    world = world_of(call)
    notification = world.outbox.resolve(call.query.require("requestId"), EXPORT_APPLICATION_EVALUATION,
                                        caller(call).application["key"])
    return evaluations_of_notification(world, notification) if notification else []


POLICY = Policy(quota=Quota(SYNC, "exportedApplicationEvaluations"), since="202507")  # one 100,000/day for both names
RESOURCES = [(Resource(path=name, finders={"request": Finder(by_request)}, policy=POLICY), REST) for name in NAMES]
