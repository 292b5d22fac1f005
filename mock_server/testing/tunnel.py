"""Query tunnelling, the way LinkedIn's clients send a request whose query string is too long for a URL (over
4 KB: LinkedIn answers such a URL with 414). The request becomes a ``POST`` with ``X-HTTP-Method-Override`` and
the query in the body: ``application/x-www-form-urlencoded`` when the request has no body of its own,
``multipart/mixed`` (part 1 the query, part 2 the JSON body) when it has one.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/query-tunneling ; the same shapes
as linkedin-api-client's ``query_tunneling`` module.
"""

from __future__ import annotations

import json
import secrets

BOUNDARY_PREFIX = "rscmock"


def tunnelled(method: str, query: str, body: dict | None = None) -> tuple[dict[str, str], bytes]:
    """``(headers, content)`` of ``method ?query`` (``query`` already encoded, without ``?``) with the JSON
    ``body`` (or none), to be sent as ``POST`` to the same path. Add ``X-RestLi-Method`` and the
    ``Authorization`` header as for the plain request."""
    headers = {"X-HTTP-Method-Override": method.upper()}
    if body is None:
        return {**headers, "Content-Type": "application/x-www-form-urlencoded"}, query.encode("utf-8")
    boundary = BOUNDARY_PREFIX + secrets.token_hex(8)
    content = (f"--{boundary}\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
               f"{query}\r\n"
               f"--{boundary}\r\n"
               "Content-Type: application/json\r\n\r\n"
               f"{json.dumps(body, ensure_ascii=False)}\r\n"
               f"--{boundary}--\r\n").encode()
    return {**headers, "Content-Type": f"multipart/mixed; boundary={boundary}"}, content
