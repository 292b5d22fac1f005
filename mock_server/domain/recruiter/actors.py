"""Who acts inside Recruiter: resolve the seat, the member and the customer a recruiter action names, with the
admin API's errors (404 naming the field for something unknown, 400 for a malformed reference, 403 for a seat
that may not act).

Seats are stored by :class:`mock_server.domain.recruiter.interactions.Interactions` (``seats`` table); the customer of
a seat is the child application owning the seat's contract.
"""

from __future__ import annotations

import re
from typing import Any

from mock_server.domain.matching import account_closed
from mock_server.domain.recruiter.interactions import (
    PERSON_PREFIX,
    SEAT_PREFIX,
    seat_number,
    seat_urn,
)
from mock_server.domain.world import World
from mock_server.restli.errors import RestliError, shown

PERSON_URN = re.compile(r"urn:li:person:[A-Za-z0-9_-]+")


def seat_reference(value: object, name: str = "seat") -> str:
    """``urn:li:seat:<id>`` for ``value`` given as that URN, a number or a numeric string; 400 naming
    ``name`` otherwise."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    number = seat_number(text if text.startswith(SEAT_PREFIX) else SEAT_PREFIX + text)
    if number is None:
        raise RestliError(400, f"ERROR :: /{name} :: {shown(value)} is not a seat (expected"
                               " urn:li:seat:<id> or the id)")
    return seat_urn(number)


def find_seat(world: World, value: object, name: str = "seat") -> dict[str, Any]:
    """The seat document named by ``value`` (see :func:`seat_reference`); 404 naming ``name`` when unknown."""
    urn = seat_reference(value, name)
    seat = world.interactions.seat(urn)
    if seat is None:
        raise RestliError(404, f"ERROR :: /{name} :: no seat {urn}")
    return seat


def active_seat(world: World, value: object, name: str = "seat") -> dict[str, Any]:
    """:func:`find_seat`, and 403 naming ``name`` unless the seat is ``ACTIVE``."""
    seat = find_seat(world, value, name)
    if seat["state"] != "ACTIVE":
        raise RestliError(403, f"ERROR :: /{name} :: seat {seat_urn(seat['id'])} is {seat['state']}; only an"
                               " ACTIVE seat can act in Recruiter")
    return seat


def person_reference(value: object, name: str = "member") -> str:
    """``value`` when it is a member URN (``urn:li:person:<id>``); 400 naming ``name`` for any other shape."""
    if not isinstance(value, str) or not PERSON_URN.fullmatch(value):
        raise RestliError(400, f"ERROR :: /{name} :: {shown(value)} is not a member (expected urn:li:person:<id>)")
    return value


def find_member(world: World, value: object, name: str = "member") -> dict[str, Any]:
    """The fixture member ``urn:li:person:<id>`` who may still act or be acted on; 400 naming ``name`` for
    another shape, 404 when unknown, 409 when the member closed the LinkedIn account
    (:func:`mock_server.domain.matching.account_closed`)."""
    member = world.interactions.members.get(person_reference(value, name))
    if member is None:
        raise RestliError(404, f"ERROR :: /{name} :: no LinkedIn member {value}")
    if account_closed(member):
        raise RestliError(409, f"ERROR :: /{name} :: {value} closed the LinkedIn account at"
                               f" {member['closedAt']} (epoch ms)")
    return member


def person_urn(member: dict[str, Any]) -> str:
    """``urn:li:person:<id>`` of a member document."""
    urn: str = PERSON_PREFIX + member["id"]
    return urn


def customer_of_seat(world: World, seat: dict[str, Any], name: str = "seat") -> dict[str, Any]:
    """The child application owning the seat's contract; 403 naming ``name`` when no customer owns it."""
    application = world.customers.owner_of_context(seat["contract"])
    if application is None:
        raise RestliError(403, f"ERROR :: /{name} :: the contract {seat['contract']} of seat"
                               f" {seat_urn(seat['id'])} is not connected to any ATS customer application")
    return application
