"""The gate every Rest.li call passes before its handler runs: a named chain of checks, each taking the parsed
:class:`~mock_server.restli.resource.Call` and raising LinkedIn's error to stop it (in the style of LocalStack's
handler chain)::

    GATE = (check_version, authenticate, check_audience, charge_quota)

* :func:`check_version`: ``LinkedIn-Version`` on ``/rest`` — missing or not ``YYYYMM[.RR]`` → 400, a month in
  the future or older than ``settings.oldest_version`` → 426 (spec README, "/rest/*");
* :func:`authenticate`: the bearer token → the :class:`~mock_server.api.access.Caller`, 401 otherwise
  (:meth:`mock_server.domain.tokens.TokenRegistry.authenticate`);
* :func:`check_audience`: who may call the resource (:mod:`mock_server.api.access`) → 403;
* :func:`charge_quota`: the resource's daily quota (:mod:`mock_server.domain.quotas`) → 429.

A resource declares what the gate checks as its :class:`Policy` (``Resource(..., policy=Policy(...))``):
its audience and its daily quota. ``app.py`` installs :func:`admit` as the dispatcher's gate; handlers get a
:class:`RequestContext` as ``call.context``.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from typing import Any, Iterable

from mock_server.api import access
from mock_server.api.access import CUSTOMER, Caller
from mock_server.domain.quotas import Quota
from mock_server.restli.errors import RestliError
from mock_server.restli.resource import Call, Resource

VERSION_PATTERN = re.compile(r"([0-9]{4})([0-9]{2})(?:\.([0-9]{2}))?")
AUDIENCES = (access.PARENT, access.CUSTOMER, access.MEMBER)


@dataclasses.dataclass(frozen=True)
class Policy:
    """What the gate checks for one resource: who may call it (``audience``: ``parent``, ``customer`` or
    ``member``, :mod:`mock_server.api.access`) and its daily ``quota`` (None: LinkedIn sets none)."""

    audience: str = CUSTOMER
    quota: Quota | None = None

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"audience {self.audience!r} is not one of {', '.join(AUDIENCES)}")


def declared_quotas(resources: Iterable[Resource]) -> dict[str, Quota]:
    """``{resource path: declared quota}`` of the ``resources`` whose policy has one."""
    return {resource.path: resource.policy.quota for resource in resources if resource.policy.quota}


@dataclasses.dataclass
class RequestContext:
    """What a resource handler gets as ``call.context``: the ``world`` (the :class:`~mock_server.emulator.Emulator`
    serving the call) and, once :func:`authenticate` has run, the ``caller``."""

    world: Any
    caller: Caller | None = None


def check_version(call: Call) -> None:
    """The ``LinkedIn-Version`` rules of ``/rest`` (see the module docstring); nothing under ``/v2``."""
    if call.base != "rest":
        return
    header = call.headers.get("linkedin-version")
    if header is None or not header.strip():
        raise RestliError(400, "A version must be present. Please specify a version by adding the"
                               " LinkedIn-Version header.", 400)
    match = VERSION_PATTERN.fullmatch(header.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RestliError(400, f"Invalid LinkedIn-Version header {header!r}: expected YYYYMM or YYYYMM.RR")
    month = int(match.group(1) + match.group(2))
    world = call.context.world
    now = datetime.datetime.fromtimestamp(world.clock.now_s(), datetime.timezone.utc)
    if month > now.year * 100 + now.month or month < world.settings.oldest_version:
        raise RestliError(426, f"Requested version {header.strip()} is not active", 426)


def authenticate(call: Call) -> None:
    """Attach the caller behind the ``Authorization`` header; 401 as LinkedIn answers when it is not valid
    (also for a token whose application no longer exists)."""
    world = call.context.world
    token = world.tokens.authenticate(call.headers.get("authorization"))
    application = world.customers.by_key(token.application)
    if application is None:
        raise RestliError(401, "Invalid access token", 65600)
    call.context.caller = Caller(token, application, frozenset(world.customers.contexts(application)))


def check_audience(call: Call) -> None:
    """403 unless the caller is of the audience the resource declares."""
    access.check_audience(call.context.caller, call.resource.policy.audience, call.resource.path, call.method)


def charge_quota(call: Call) -> None:
    """Count the call against the caller's daily quota of the resource; 429 when it is used up."""
    call.context.world.quotas.charge(call.context.caller.application["key"], call.resource.path,
                                     call.resource.policy.quota)


GATE = (check_version, authenticate, check_audience, charge_quota)


def admit(call: Call) -> None:
    """Run ``call`` through every check of :data:`GATE`, in order; the first that refuses raises its error."""
    for check in GATE:
        check(call)
