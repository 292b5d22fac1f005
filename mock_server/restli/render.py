"""Rest.li errors rendered as HTTP replies: the one place a :class:`~mock_server.restli.errors.RestliError` becomes
LinkedIn's error envelope (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling).

The header that marks an error reply depends on the protocol, as Rest.li's
``HeaderUtil.getErrorResponseHeaderName`` chooses it: ``X-LinkedIn-Error-Response`` under protocol 1.0,
``X-RestLi-Error-Response`` under 2.0. Replies that are not Rest.li calls (the admin API, unknown paths) carry
the 2.0 name.

Every Rest.li reply body, data or error, is compact JSON in UTF-8 (:func:`json_body`), as Rest.li's
``JacksonDataCodec`` writes it: no whitespace between tokens, non-ASCII characters as themselves.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from starlette.responses import Response

from mock_server.restli.errors import RestliError

ERROR_HEADER = "X-RestLi-Error-Response"
ERROR_HEADER_V1 = "X-LinkedIn-Error-Response"


def json_body(value: Any) -> bytes:
    """``value`` as a reply body: compact JSON in UTF-8 (``{"a":1,"b":[true,null]}``). orjson writes it (several
    times faster than :mod:`json`); a value orjson refuses (an integer beyond 64 bits, a key that is no string, a
    lone surrogate) is written by :mod:`json` with the same separators, and all in ASCII when it holds a lone
    surrogate (``"\\ud800"``: UTF-8 cannot carry one, a JSON escape can). Raises ``TypeError`` for a value JSON
    cannot hold."""
    try:
        return orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def error_header(protocol_header: str | None) -> str:
    """The error-marking header for a request whose ``X-RestLi-Protocol-Version`` is ``protocol_header``
    (``None``: not a Rest.li call → the 2.0 name)."""
    if protocol_header is not None and not protocol_header.startswith("2"):
        return ERROR_HEADER_V1
    return ERROR_HEADER


def error_response(error: RestliError, protocol_header: str | None = None) -> Response:
    """Render ``error`` as a JSON reply marked ``<error header>: true``; ``protocol_header`` is the protocol
    version the reply echoes (``1.0.0`` or ``2.0.0``), ``None`` outside Rest.li calls."""
    headers = {error_header(protocol_header): "true", **error.headers}
    if protocol_header:
        headers["X-RestLi-Protocol-Version"] = protocol_header
    return Response(json_body(error.body()), status_code=error.status, headers=headers,
                    media_type="application/json")
