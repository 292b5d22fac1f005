"""Request bodies as JSON objects: one parser for the Rest.li layer and the admin API.

Strict JSON (RFC 8259): ``NaN``/``Infinity`` are refused, as are bodies that are not objects or are nested
too deeply; each problem is a :class:`RestliError` 400 that says what is wrong.
"""

from __future__ import annotations

import json

from mock_server.restli.errors import RestliError


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def parse_object(raw: bytes) -> dict:
    """The JSON object in ``raw``. Raises :class:`RestliError` 400 for malformed JSON, non-standard
    constants (NaN, Infinity), nesting too deep, or a value that is not an object."""
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, UnicodeDecodeError) as error:
        raise RestliError(400, f"Malformed JSON in the request body: {error}") from None
    except RecursionError:
        raise RestliError(400, "Malformed JSON in the request body: nested too deeply") from None
    if not isinstance(value, dict):
        raise RestliError(400, f"The request body must be a JSON object, not {type(value).__name__}")
    return value
