"""InMail history: ``conversationEvents?q=criteria&viewer=urn:li:seat:{id}[&timeRange.start=…&timeRange.end=…]``.

``viewer`` (a seat on one of the caller's contracts, CSA_API enabled) is required. ``timeRange.start`` is an
inclusive and ``timeRange.end`` an exclusive bound in epoch milliseconds, both optional, given as 1.0
``timeRange.start=`` or 2.0 ``timeRange=(start:…,end:…)``; reversed → 400. LinkedIn recommends windows of at
most 12 hours per call: a wider or open window is answered, with an advisory. LinkedIn allows 12 records per
member per minute: the records of each reply count against the viewer seat's holder, and a call once the
minute's 12 are used → 429 (:mod:`mock_server.domain.quotas`). Elements (oldest first): conversationEvent.json
(inferred).
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions/inmail-history
"""

from __future__ import annotations

from mock_server.advisories import INMAIL_WINDOW_OVER_12_HOURS
from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2, caller, world_of
from mock_server.api.resources.prospect_params import (
    advise_window,
    check_order,
    epoch_param,
    interactions,
    seat_param,
)
from mock_server.domain.quotas import INMAIL_HISTORY
from mock_server.restli.errors import RestliError
from mock_server.restli.paging import Page
from mock_server.restli.resource import Call, Finder, Resource


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
    advise_window(call, INMAIL_WINDOW_OVER_12_HOURS, start, end, "timeRange.start", "timeRange.end")
    events = interactions(call).events(viewer, start, end)
    page = call.page or Page()  # the dispatcher reads the page of every FINDER
    returned = len(events[page.start:page.start + page.count])
    seat = interactions(call).seat(viewer) or {}  # seat_param has checked that it exists
    world_of(call).quotas.charge_records(caller(call).application["key"], call.resource.path,
                                         call.resource.policy.quota, returned, member=seat.get("member"))
    return events


RESOURCES = [(Resource(path="conversationEvents", finders={"criteria": Finder(criteria)},
                       policy=Policy(quota=INMAIL_HISTORY, enabled_only=True)), V2)]
