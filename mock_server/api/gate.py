"""The gate every Rest.li call passes before its handler runs: a named chain of checks, each taking the parsed
:class:`~mock_server.restli.resource.Call` and raising LinkedIn's error to stop it (in the style of LocalStack's
handler chain)::

    GATE = (check_version, authenticate, check_audience, charge_quota)

* :func:`check_version`: ``LinkedIn-Version`` on ``/rest`` — missing → 400 ``VERSION_MISSING``, not
  ``YYYYMM[.RR]`` → 400, a version that is not active (the version table of :mod:`mock_server.api.versions`,
  the emulator's clock, settings ``oldest_version`` / ``latest_version``) → 426 ``NONEXISTENT_VERSION``
  "Requested version 20231201 is not active" (the ``code`` values and the ``YYYYMMDD`` form from field reports
  of LinkedIn's replies), a resource the version does not have (its policy's ``since``) → 404 as for an
  unknown resource;
* :func:`authenticate`: the bearer token → the :class:`~mock_server.api.access.Caller` (with the contexts its
  customer owns and has enabled), 401 otherwise (:meth:`mock_server.domain.tokens.TokenRegistry.authenticate`);
* :func:`check_audience`: who may call the resource (:mod:`mock_server.api.access`) → 403;
* :func:`charge_quota`: the resource's daily quota and, where LinkedIn sets one per application, its
  records-per-minute limit (:mod:`mock_server.domain.quotas`) → 429.

A resource declares what the gate checks as its :class:`Policy` (``Resource(..., policy=Policy(...))``):
its audience, its quotas, under ``/rest`` the first version that has it, and whether its data needs an
enabled integration (``enabled_only``, checked with each integration context by
:func:`mock_server.api.access.context_error`). ``app.py`` installs :func:`admit` as the dispatcher's gate;
handlers get a :class:`RequestContext` as ``call.context``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from mock_server.api import access, versions
from mock_server.api.access import CUSTOMER, Caller
from mock_server.domain.quotas import Quota
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call, Resource

AUDIENCES = (access.PARENT, access.CUSTOMER, access.MEMBER)


@dataclasses.dataclass(frozen=True)
class Policy:
    """What the gate checks for one resource: who may call it (``audience``: ``parent``, ``customer`` or
    ``member``, :mod:`mock_server.api.access`), its ``quota`` (calls per day, records per minute; None: LinkedIn
    sets none), for a resource served under ``/rest`` ``since``: the first LinkedIn-Version (``YYYYMM``) that
    has it (None: every version), and whether its data belongs to a customer integration that must be enabled
    (``enabled_only``: every integration context the call names must have an integration enabled in
    Recruiter)."""

    audience: str = CUSTOMER
    quota: Quota | None = None
    since: str | None = None
    enabled_only: bool = False

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"audience {self.audience!r} is not one of {', '.join(AUDIENCES)}")


def declared_quotas(resources: Iterable[Resource]) -> dict[str, Quota]:
    """``{resource path: declared quota}`` of the ``resources`` whose policy has one."""
    return {resource.path: resource.policy.quota for resource in resources if resource.policy.quota}


@dataclasses.dataclass
class RequestContext:
    """What a resource handler gets as ``call.context``: the ``world`` (the :class:`~mock_server.emulator.Emulator`
    serving the call), once :func:`authenticate` has run the ``caller``, on ``/rest`` the requested
    :class:`~mock_server.api.versions.Version`, and the request's ``advisories`` (a list of
    :class:`mock_server.advisories.Advisory` the harness writes to the journal, the log and the reply)."""

    world: Any
    caller: Caller | None = None
    version: versions.Version | None = None
    advisories: list = dataclasses.field(default_factory=list)


def check_version(call: Call) -> None:
    """The ``LinkedIn-Version`` rules of ``/rest`` (see the module docstring); nothing under ``/v2``."""
    if call.base != "rest":
        return
    world = call.context.world
    now = datetime.datetime.fromtimestamp(world.clock.now_s(), datetime.timezone.utc)
    call.context.version = versions.resolve(call.headers.get("linkedin-version"), now.year * 100 + now.month,
                                            world.settings.oldest_version, world.settings.latest_version)
    versions.require_resource(call.resource.path, call.context.version, call.resource.policy.since)


def authenticate(call: Call) -> None:
    """Attach the caller behind the ``Authorization`` header; 401 as LinkedIn answers when it is not valid
    (also for a token whose application no longer exists)."""
    world = call.context.world
    token = world.tokens.authenticate(call.headers.get("authorization"))
    application = world.customers.by_key(token.application)
    if application is None:
        raise RestliError(401, "Invalid access token", 65600)
    contexts = world.customers.contexts(application)
    call.context.caller = Caller(token, application, frozenset(contexts),
                                 world.integrations.enabled_contexts(contexts))


def check_audience(call: Call) -> None:
    """403 unless the caller is of the audience the resource declares
    (:func:`mock_server.api.access.check_audience`)."""
    access.check_audience(call)


def records_of(call: Call) -> int:
    """How many records a call carries, as LinkedIn's records-per-minute limits count them: the entities or
    keys of a batch call, the elements of a BATCH_CREATE, else 1."""
    if call.entities or call.keys:
        return len(call.entities or call.keys)
    if call.method == "BATCH_CREATE" and isinstance(call.body, dict):
        return len(call.body.get("elements") or [])
    return 1


def charge_quota(call: Call) -> None:
    """Count the call against the caller's quotas of the resource (429 when one is used up): its records
    against a per-application records-per-minute limit first, then the call against the daily quota. A
    per-member limit is charged by the handler, which knows the member and the records it returns."""
    quotas, quota = call.context.world.quotas, call.resource.policy.quota
    application = call.context.caller.application["key"]
    if quota is None or not quota.per_member:
        quotas.charge_records(application, call.resource.path, quota, records_of(call))
    quotas.charge(application, call.resource.path, quota)


GATE = (check_version, authenticate, check_audience, charge_quota)


def admit(call: Call) -> None:
    """Run ``call`` through every check of :data:`GATE`, in order; the first that refuses raises its error."""
    for check in GATE:
        check(call)
