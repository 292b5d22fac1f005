"""Query parameters shared by the Recruiter prospect-interaction finders (``seats``, ``seatsV2``,
``conversationEvents``, ``mailStubs``, ``prospectNotes``): contract and seat URNs checked against the caller's
CSA_API contracts, and epoch-millisecond bounds.

Errors (the emulator's choice where LinkedIn's wording is not documented): a malformed or unknown URN or
number → 400 naming the parameter; a contract, or a seat on a contract, that is not the caller's → 403
``Not enough permissions to access: <resource>.FINDER``.
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/recruiter-prospect-interactions
"""

from __future__ import annotations

import re

from mock_server.api.resources.common import require_context, world_of
from mock_server.domain.recruiter.interactions import (
    Interactions,
    seat_number,
    seat_urn,
)
from mock_server.restli.errors import RestliError, shown
from mock_server.restli.integers import NumberError, parse_int
from mock_server.restli.resource import Call

CONTRACT_URN = re.compile(r"urn:li:contract:[0-9]+")
MAX_EPOCH_MS = 9_999_999_999_999_999  # 16 digits (year 318857): anything longer is a typo, not an instant


def interactions(call: Call) -> Interactions:
    """The emulator's interaction tables."""
    return world_of(call).interactions


def contract_urn(call: Call, value: str, name: str) -> str:
    """``value`` when it is a contract URN the caller owns; 400 naming ``name`` when malformed, else 403."""
    if not CONTRACT_URN.fullmatch(value):
        raise RestliError(400, f"Query parameter '{name}' must be a contract URN (urn:li:contract:<id>),"
                               f" got {shown(value)}")
    require_context(call, value)
    return value


def contract_param(call: Call) -> str:
    """The required ``contract`` parameter (one of the caller's contracts)."""
    return contract_urn(call, call.query.require("contract"), "contract")


def contracts_param(call: Call) -> list[str]:
    """The required, repeatable ``contracts`` parameter (1.0 repeated or 2.0 ``List(...)``)."""
    values = call.query.get_list("contracts")
    if not values or "" in values:
        raise RestliError(400, "Missing required query parameter 'contracts'")
    return [contract_urn(call, value, "contracts") for value in values]


def seat_param(call: Call, value: str, name: str, contract: str | None = None) -> str:
    """The canonical URN of seat ``value`` given as parameter ``name``: 400 when malformed, unknown or not
    on ``contract``; 403 when the seat's contract is not the caller's."""
    if seat_number(value) is None:
        raise RestliError(400, f"Query parameter '{name}' must be a seat URN (urn:li:seat:<id>), got {shown(value)}")
    seat = interactions(call).seat(value)
    if seat is None:
        raise RestliError(400, f"Query parameter '{name}': seat {value} does not exist")
    require_context(call, seat["contract"])
    if contract is not None and seat["contract"] != contract:
        raise RestliError(400, f"Query parameter '{name}': seat {value} is not a seat on {contract}")
    return seat_urn(seat["id"])


def owners_param(call: Call, contract: str) -> list[str]:
    """The optional, repeatable ``owners`` parameter: seats on ``contract``."""
    return [seat_param(call, value, "owners", contract) for value in call.query.get_list("owners")]


def epoch_param(value: str | None, name: str) -> int | None:
    """An optional epoch-milliseconds bound; 400 naming ``name`` when it is not a non-negative integer."""
    if value is None or value == "":
        return None
    try:
        return parse_int(value, maximum=MAX_EPOCH_MS)
    except NumberError as error:
        raise RestliError(400, f"Query parameter '{name}' (epoch milliseconds) {error}") from None


def contract_window(call: Call, lower_name: str, upper_name: str) -> tuple[str, list[str], int | None, int | None]:
    """``(contract, owners, lower, upper)`` of a finder taking ``contract``, ``owners`` and a pair of
    epoch-ms bounds named ``lower_name``/``upper_name`` (each optional; reversed → 400)."""
    contract = contract_param(call)
    owners = owners_param(call, contract)
    lower = epoch_param(call.query.get(lower_name), lower_name)
    upper = epoch_param(call.query.get(upper_name), upper_name)
    check_order(lower, upper, lower_name, upper_name)
    return contract, owners, lower, upper


def check_order(lower: int | None, upper: int | None, lower_name: str, upper_name: str) -> None:
    """400 when both bounds are given and ``lower`` is after ``upper`` (a reversed range)."""
    if lower is not None and upper is not None and lower > upper:
        raise RestliError(400, f"Query parameter '{lower_name}' ({lower}) is after '{upper_name}' ({upper})")
