"""Recruiter seat holders: ``seatsV2?q=attributes`` and the legacy ``seats?q=seatsByAttributes``.

* ``seatsV2``: ``contracts`` (required, repeatable), ``states`` (optional filter: ACTIVE, INACTIVE, INVITED,
  PARKED); paging is mandatory, a request without ``start`` → 400. Elements: seatV2.json.
* ``seats`` (LinkedIn's Postman collection): ``contracts`` (required), ``active`` (optional boolean),
  ``fields=id``; ``count`` up to 100. Elements: seat.json (inferred).

The seat id is what the other prospect APIs take as ``urn:li:seat:{id}``; the contracts must be the caller's
(CSA_API contexts), else 403.
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions/recruiter-seatholders
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.common import BOTH, V2
from mock_server.api.resources.prospect_params import contracts_param, interactions
from mock_server.api.versions import FIRST_RSC
from mock_server.domain.quotas import PROSPECT_INTERACTIONS
from mock_server.domain.recruiter.interactions import legacy_seat_view, seat_view
from mock_server.restli.errors import RestliError, shown
from mock_server.restli.resource import Call, Finder, Resource

STATES = ("ACTIVE", "INACTIVE", "INVITED", "PARKED")


def by_attributes(call: Call) -> list[dict]:
    """FINDER ``seats?q=seatsByAttributes&contracts=…[&active=true|false]``, by seat id."""
    contracts = contracts_param(call)
    active = call.query.get_bool("active")
    seats = interactions(call).seats_of(contracts)
    return [legacy_seat_view(seat) for seat in seats if active is None or (seat["state"] == "ACTIVE") == active]


def attributes(call: Call) -> list[dict]:
    """FINDER ``seatsV2?q=attributes&contracts=…[&states=…]&start=…``, by seat id."""
    contracts = contracts_param(call)
    states = call.query.get_list("states")
    unknown = [state for state in states if state not in STATES]
    if unknown:
        raise RestliError(400, f"Query parameter 'states': {shown(unknown[0])} is not one of {', '.join(STATES)}")
    world = interactions(call)
    return [seat_view(seat, world.member(seat["member"])) for seat in world.seats_of(contracts, set(states) or None)]


RESOURCES = [
    (Resource(path="seats", finders={"seatsByAttributes": Finder(by_attributes)},
              policy=Policy(quota=PROSPECT_INTERACTIONS)), V2),
    # "seatsV2 … updated" in 202512 (Talent release notes); the path rest/seatsV2 [INFERRED]
    (Resource(path="seatsV2", finders={"attributes": Finder(attributes, require_start=True)},
              policy=Policy(quota=PROSPECT_INTERACTIONS, since=FIRST_RSC)), BOTH),
]
