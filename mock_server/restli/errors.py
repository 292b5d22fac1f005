"""Rest.li errors as values: raised where they are found (the domain raises them too, so this module imports
nothing from the HTTP layer), rendered into the envelope in one place (:mod:`mock_server.restli.render`).

Body: ``{"status": int, "serviceErrorCode": int, "message": str}`` with header ``X-RestLi-Error-Response: true``
under protocol 2.0, ``X-LinkedIn-Error-Response: true`` under 1.0
(LinkedIn, https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling).
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

SHOWN_CHARS = 40  # at most this much of a client's value is echoed in a message


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``value`` as a short JSON excerpt for an error message: JSON spelling (``"text"``, ``null``, ``true``,
    control characters as ``\\n``/``\\u0000``, other characters as themselves), cut to ``limit`` characters
    of its text plus ``…`` so a huge value never makes a huge reply. Never Python's ``repr``."""
    if isinstance(value, str):
        if len(value) <= limit:
            return json.dumps(value, ensure_ascii=False)
        return json.dumps(value[:limit], ensure_ascii=False)[:-1] + '…"'
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = json.dumps(str(value), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


_JSON_NAMES: dict[object, str] = {bool: "boolean", int: "integer", float: "number", str: "string", dict: "object",
                                  list: "array", tuple: "array", type(None): "null"}


def shown_header(value: str) -> str:
    """A request header's ``value`` as :func:`shown` writes it, its bytes read as UTF-8 (the HTTP server hands
    headers over decoded as Latin-1, which garbles every non-ASCII character)."""
    try:
        return shown(value.encode("latin-1").decode("utf-8", errors="replace"))
    except UnicodeEncodeError:
        return shown(value)


def json_type_names(kind: object) -> str:
    """The JSON names (``integer``, ``number``, ``boolean``, ``string``, ``object``, ``array``, ``null``) of
    Python type ``kind``: a type, a tuple of types, a union (``int | None``) or a generic (``list[str]``),
    joined by `` or ``, for a message saying what a field must be."""
    if isinstance(kind, tuple):
        kinds: tuple[object, ...] = kind
    elif typing.get_origin(kind) in (typing.Union, types.UnionType):
        kinds = typing.get_args(kind)
    else:
        kinds = (typing.get_origin(kind) or kind,)
    return " or ".join(_JSON_NAMES.get(one, getattr(one, "__name__", str(one))) for one in kinds)


def json_type(value: object) -> str:
    """The JSON type name of a parsed JSON ``value``: ``null``, ``boolean``, ``integer``, ``number``, ``string``,
    ``array`` or ``object`` (the names JSON Schema uses), for messages that say what a client sent."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"


class RestliError(Exception):
    """An error reply: HTTP ``status``, LinkedIn ``service_error_code`` (defaults to ``status``), ``message``.

    ``headers`` are added to the reply (e.g. ``Retry-After`` on 429).
    """

    def __init__(self, status: int, message: str, service_error_code: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.service_error_code = status if service_error_code is None else service_error_code
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        """The JSON error object, as used both as a whole reply and inside batch ``errors`` maps."""
        return {"status": self.status, "serviceErrorCode": self.service_error_code, "message": self.message}

    def __repr__(self) -> str:
        return f"RestliError({self.status}, {self.message!r})"


def field_error(field: str, reason: str, status: int = 422) -> RestliError:
    """A validation error in LinkedIn's style: ``ERROR :: /<field> :: <reason>``."""
    return RestliError(status, f"ERROR :: /{field.lstrip('/')} :: {reason}")
