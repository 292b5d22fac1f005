"""Rest.li errors rendered as HTTP replies: the one place a :class:`~mock_server.restli.errors.RestliError` becomes
LinkedIn's error envelope (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling).

The header that marks an error reply depends on the protocol, as Rest.li's
``HeaderUtil.getErrorResponseHeaderName`` chooses it: ``X-LinkedIn-Error-Response`` under protocol 1.0,
``X-RestLi-Error-Response`` under 2.0. Replies that are not Rest.li calls (the admin API, unknown paths) carry
the 2.0 name.
"""

from __future__ import annotations

import json

from starlette.responses import Response

from mock_server.restli.errors import RestliError

ERROR_HEADER = "X-RestLi-Error-Response"
ERROR_HEADER_V1 = "X-LinkedIn-Error-Response"


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
    return Response(json.dumps(error.body()), status_code=error.status, headers=headers,
                    media_type="application/json")
