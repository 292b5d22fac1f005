"""InMail history: ``conversationEvents?q=criteria&viewer=urn:li:seat:{id}[&timeRange.start=…&timeRange.end=…]``.

``viewer`` (a seat on one of the caller's contracts) is required. ``timeRange.start`` is an inclusive and
``timeRange.end`` an exclusive bound in epoch milliseconds, both optional, given as 1.0 ``timeRange.start=``
or 2.0 ``timeRange=(start:…,end:…)``. LinkedIn asks for windows of at most 12 hours: with both bounds given,
a window over 12 hours or reversed → 400. Elements (oldest first): conversationEvent.json (inferred).
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions/inmail-history
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2
from mock_server.api.resources.prospect_params import (
    check_order,
    epoch_param,
    interactions,
    seat_param,
)
from mock_server.domain.quotas import SYNC, Quota
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call, Finder, Resource

MAX_WINDOW_MS = 12 * 3600 * 1000


def criteria(call: Call) -> list[dict]:
    """FINDER ``q=criteria``: the viewer seat's InMail events in the time range."""
    viewer = seat_param(call, call.query.require("viewer"), "viewer")
    bounds = call.query.get_object("timeRange")
    unknown = sorted(set(bounds) - {"start", "end"})
    if unknown:
        raise RestliError(400, f"Query parameter 'timeRange.{unknown[0]}' is not known: timeRange takes start and end")
    start = epoch_param(bounds.get("start"), "timeRange.start")
    end = epoch_param(bounds.get("end"), "timeRange.end")
    check_order(start, end, "timeRange.start", "timeRange.end")
    if start is not None and end is not None and end - start > MAX_WINDOW_MS:
        raise RestliError(400, f"timeRange covers {end - start} ms: a call may cover at most 12 hours"
                               f" ({MAX_WINDOW_MS} ms)")
    return interactions(call).events(viewer, start, end)


RESOURCES = [(Resource(path="conversationEvents", finders={"criteria": Finder(criteria)},
                       policy=Policy(quota=Quota(SYNC))), V2)]
