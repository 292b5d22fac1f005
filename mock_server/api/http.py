"""Small helpers for the endpoints outside Rest.li (the admin API, the widgets): the emulator serving a request,
JSON in and out. They raise :class:`~mock_server.restli.errors.RestliError`; the app's exception handler renders
it in LinkedIn's envelope (:func:`mock_server.app.restli_error`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from mock_server.restli.errors import RestliError, json_type_names, shown
from mock_server.restli.jsonbody import beyond_long, parse_object

if TYPE_CHECKING:  # only for the annotation: api never imports the emulator that wires it
    from mock_server.emulator import Emulator


WORLD_KEY = "rsc_mock.world"


def world(request: Request) -> Emulator:
    """The :class:`~mock_server.emulator.Emulator` serving ``request``: the world of its sandbox, which the
    harness middleware put in the scope under :data:`WORLD_KEY` (:mod:`mock_server.harness.sandboxes`). When the
    request named no sandbox there is (or two), the scope holds that refusal instead, a
    :class:`~mock_server.restli.errors.RestliError` (404 or 400), raised here."""
    found = request.scope[WORLD_KEY]
    if isinstance(found, RestliError):
        raise found
    return found


async def json_body(request: Request, required: bool = False, allowed: tuple[str, ...] | None = None,
                    longs: bool = True) -> dict:
    """The request's JSON object body (``{}`` when empty and not ``required``); 400 naming the problem, and
    (with ``allowed``) naming the first field not in ``allowed``, or (unless ``longs`` is False: a snapshot,
    whose stored documents may keep any integer) the first integer beyond a signed 64-bit ``long``."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise RestliError(400, "A JSON object body is required")
        return {}
    body = parse_object(raw)
    if longs and (where := beyond_long(body)) is not None:
        raise RestliError(400, f"ERROR :: {where} :: cannot be coerced to Long (a signed 64-bit integer)")
    unknown = [name for name in body if allowed is not None and name not in allowed]
    if unknown:
        raise RestliError(400, f"ERROR :: /{unknown[0]} :: unknown field (expected {', '.join(allowed or ())})")
    return body


def field(body: dict, name: str, kind: type | tuple, required: bool = True, default=None, nullable: bool = True):
    """``body[name]`` checked against ``kind`` (a type or a tuple of types; ``true``/``false`` are no ``int``
    unless ``bool`` is given); 400 naming the field, with the value in JSON spelling, when missing, ``null``
    (``must not be null``; an optional field's ``null`` is ``default`` unless ``nullable`` is False, where
    ``null`` would be ambiguous: ``{"evaluation": null}`` is not "no evaluation given") or of the wrong type."""
    if name not in body or body[name] is None:
        if required or (name in body and not nullable):
            reason = "must not be null" if name in body else "field is required but not found and has no default value"
            raise RestliError(400, f"ERROR :: /{name} :: {reason}")
        return default
    value = body[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in kinds):  # JSON true is no number
        raise RestliError(400, f"ERROR :: /{name} :: {shown(value)} is not of type {json_type_names(kind)}")
    return value


def query_params(request: Request) -> dict[str, str]:
    """The request's query parameters as a dict; 400 naming a parameter given more than once (the admin API
    never takes lists in its query, so a repeat is a mistake rather than a choice between values)."""
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in params:
            raise RestliError(400, f"Query parameter '{name}' is given more than once")
        params[name] = value
    return params
