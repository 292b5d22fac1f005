"""Rest.li errors rendered as HTTP replies: the one place a :class:`~mock_server.restli.errors.RestliError` becomes
LinkedIn's error envelope (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling).
"""

from __future__ import annotations

import json

from starlette.responses import Response

from mock_server.restli.errors import RestliError

ERROR_HEADER = "X-RestLi-Error-Response"


def error_response(error: RestliError, protocol_header: str | None = None) -> Response:
    """Render ``error`` as a JSON reply carrying ``X-RestLi-Error-Response: true``."""
    headers = {ERROR_HEADER: "true", **error.headers}
    if protocol_header:
        headers["X-RestLi-Protocol-Version"] = protocol_header
    return Response(json.dumps(error.body()), status_code=error.status, headers=headers,
                    media_type="application/json")
