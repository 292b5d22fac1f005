"""``rest/atsPurgedExportedCandidates``: the exported candidates whose LinkedIn account was closed, which the
partner must delete unless it has a legal basis to keep them; partners poll it at least once every 30 days
(RSC release notes, July 2023; retrieve-exported-candidates, 2026-04 view: 100,000 calls/day).

FINDER ``q=criteria&integrationContext=<organization URN>`` [INFERRED: finder name and parameter], paged with
``start``/``count``; 403 for another customer's context. Elements ``schemas/atsPurgedExportedCandidate.json``:
the closures of the last 30 days, oldest first (:mod:`mock_server.domain.recruiter.purges`).
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import REST, require_organization, world_of
from mock_server.api.versions import FIRST_RSC
from mock_server.domain.quotas import SYNC, Quota
from mock_server.domain.recruiter.purges import purged_in
from mock_server.restli.resource import Call, Finder, Resource


def criteria(call: Call) -> list[dict]:
    """FINDER ``q=criteria``: the purge list of ``integrationContext`` (400 when missing, malformed or a contract,
    403 when not the caller's)."""
    context = call.query.require("integrationContext")
    require_organization(call, context)
    return purged_in(world_of(call), context)


RESOURCES = [(Resource(path="atsPurgedExportedCandidates", finders={"criteria": Finder(criteria)},
                       policy=Policy(quota=Quota(SYNC), since=FIRST_RSC)), REST)]  # 100,000/day (2026-04 view)
