"""The ATS Integration Configuration widget (``IN/ATSIntegrationWidget``): a customer's Recruiter admin signs
in and pre-approves the integrations of the bundles the page asks for
(``data-supported-bundled-integration-types``); the page's ``data-onintegrate`` function then receives the
approved integrations.

Who is an admin: a fixture member with ``"admin": true`` holding an ACTIVE seat on one of the customer's
contracts [INFERRED: LinkedIn requires a Recruiter admin of the contract]. Sign-in takes the member's email
address or person URN; there are no passwords in the emulator.

The callback's argument (``schemas/widget.onintegrate.json``, inferred): a list of
``{"integrationContext", "integrationType", "tenantType": "RECRUITER", "dataProvider": "ATS"}`` — the
organization URN for the ``RECRUITER_SYSTEM_CONNECT_COMPANY`` types, the contract URN for ``CSA_API``.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
(spec oauth-restli-onboarding.md §4.0 step 2 and §4.2).
"""

from __future__ import annotations

from mock_server.domain.customers import context_kind
from mock_server.domain.integrations import (
    integration_key_of,
    integration_key_parts,
    types_of_bundles,
)
from mock_server.domain.matching import MemberDirectory
from mock_server.restli.errors import RestliError, shown

PERSON_PREFIX = "urn:li:person:"


def bundles_of(value) -> list[str]:
    """The bundle names of ``data-supported-bundled-integration-types`` (comma-separated str or list)."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def requested(application: dict, bundles: list[str]) -> list[dict]:
    """The integrations (callback shape) the widget asks the admin to approve for ``application``: one per
    RSC type of ``bundles`` and context of the customer. Raises 400 when no bundle is an RSC bundle."""
    types = types_of_bundles(bundles)
    if not types:
        raise RestliError(400, "data-supported-bundled-integration-types names no Recruiter System Connect bundle"
                               f" (got {', '.join(bundles) or 'nothing'}; expected RECRUITER_SYSTEM_CONNECT_COMPANY"
                               " and/or RECRUITER_SYSTEM_CONNECT_CONTRACT)")
    return [integration_key_of(context, integration_type)
            for integration_type in types for context in application.get(context_kind(integration_type) + "s", [])]


def admins(world, application: dict) -> list[dict]:
    """The fixture members who may approve integrations for ``application``: ``"admin": true`` and an ACTIVE
    seat on one of its contracts. Each ``{"member": person URN, "name", "emailAddress"}``."""
    found: dict[str, dict] = {}
    for seat in world.interactions.seats_of(application.get("contracts", []), {"ACTIVE"}):
        member = world.interactions.member(seat["member"])
        if member and member.get("admin") and seat["member"] not in found:
            found[seat["member"]] = {"member": seat["member"], "name": f"{member['firstName']} {member['lastName']}",
                                     "emailAddress": (member.get("emailAddresses") or [""])[0]}
    return list(found.values())


def sign_in(world, application: dict, identifier) -> dict:
    """The admin who signs in with ``identifier`` (an email address or ``urn:li:person:<id>``).

    Raises :class:`RestliError` 400 when ``identifier`` is empty, 401 when no member has it, 403 when the
    member is not an admin of ``application``'s customer.
    """
    if not isinstance(identifier, str) or not identifier.strip():
        raise RestliError(400, "Enter the email address (or urn:li:person:<id>) of a LinkedIn member")
    identifier = identifier.strip()
    if identifier.startswith(PERSON_PREFIX):
        people = [identifier] if world.interactions.member(identifier) else []
    else:
        people = MemberDirectory(world.store).matches([identifier], None)
    if not people:
        raise RestliError(401, f"No LinkedIn member signs in with {shown(identifier)}")
    allowed = {admin["member"]: admin for admin in admins(world, application)}
    for person in people:
        if person in allowed:
            return allowed[person]
    contracts = ", ".join(application.get("contracts", []))
    raise RestliError(403, f"{identifier} is not a Recruiter admin of {application['name']}: admins are members"
                           f" with admin rights holding an active seat on {contracts}")


def approve(world, application: dict, member: str, bundles: list[str]) -> list[dict]:
    """``member`` (re-checked as an admin) pre-approves the integrations of ``bundles`` for ``application``
    in one store transaction (the effect of ``POST /_mock/customers/{uniqueForeignId}/preapprove``).
    Returns the approved integrations in the callback shape; raises like :func:`sign_in` and
    :func:`requested`."""
    sign_in(world, application, member)
    wanted = requested(application, bundles)
    types = list(dict.fromkeys(item["integrationType"] for item in wanted))
    with world.store.transaction():
        approved = world.integrations.preapprove(application, types, world.clock.now_ms())
    return [integration_key_parts(doc) for doc in approved]
