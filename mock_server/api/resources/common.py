"""Helpers shared by resource modules: reach the world (the emulator serving the call) and the caller from a
call — handlers use :func:`world_of` and :func:`caller`, never ``call.context`` itself — check an entity's
integration context, record an advisory, and validate bodies."""

from __future__ import annotations

from mock_server import advisories
from mock_server.advisories import Advisory
from mock_server.api.access import Caller, context_error
from mock_server.domain.customers import context_urn_kind
from mock_server.restli.errors import RestliError, json_type, shown
from mock_server.restli.resource import Call

BOTH = ("v2", "rest")
V2 = ("v2",)
REST = ("rest",)


def world_of(call: Call):
    """The world serving ``call``: the :class:`~mock_server.emulator.Emulator` (its state and services)."""
    return call.context.world


def caller(call: Call) -> Caller:
    """The authenticated caller of ``call``."""
    return call.context.caller


def entity_context_error(call: Call, context) -> RestliError | None:
    """403 (as a value) when ``context`` is not one of the caller's integration contexts, or not enabled for a
    resource that needs it (:func:`mock_server.api.access.context_error`)."""
    return context_error(call, context)


def advise(call: Call, advisory: Advisory) -> None:
    """Record ``advisory`` on the request of ``call`` (:mod:`mock_server.advisories`)."""
    advisories.add(call.context.advisories, advisory)


def require_context(call: Call, context) -> None:
    """Raise the 403 of :func:`entity_context_error` for a request-level context."""
    error = entity_context_error(call, context)
    if error is not None:
        raise error


def require_organization(call: Call, context) -> None:
    """:func:`require_context` for a finder's ``integrationContext`` over records that belong to an organization
    (ACLs, purged exports), then 400 when it is a contract — a query that can never match, as their keys refuse
    it (:func:`mock_server.domain.synced.key_error`)."""
    require_context(call, context)
    if context_urn_kind(context) == "contract":
        raise RestliError(400, f"Query parameter 'integrationContext' must be an organization URN"
                               f" (urn:li:organization:<id>), got {shown(context)}")


def require_object(value, what: str) -> dict:
    """``value`` when it is a JSON object, else 400 naming ``what``."""
    if not isinstance(value, dict):
        raise RestliError(400, f"{what} must be a JSON object, not {json_type(value)}")
    return value


def per_entity(function):
    """Run ``function(*args)`` and turn a raised :class:`RestliError` into a returned one (batch results)."""
    def run(*args):
        try:
            return function(*args)
        except RestliError as error:
            return error
    return run
