"""Which Rest.li method a request is: the ``X-RestLi-Method`` header (compared case-insensitively) or, where
absent, inferred from the HTTP verb and the URL (Rest.li protocol spec, "Rest.li Methods").

BATCH_CREATE and BATCH_PARTIAL_UPDATE cannot be inferred and need the header.
"""

from __future__ import annotations

from mock_server.restli.errors import RestliError, shown_header

METHODS = ("GET", "BATCH_GET", "GET_ALL", "FINDER", "CREATE", "BATCH_CREATE", "UPDATE", "BATCH_UPDATE",
           "PARTIAL_UPDATE", "BATCH_PARTIAL_UPDATE", "DELETE", "BATCH_DELETE", "ACTION")

# The HTTP verb each method must arrive with.
VERB = {"GET": "GET", "BATCH_GET": "GET", "GET_ALL": "GET", "FINDER": "GET", "CREATE": "POST",
        "BATCH_CREATE": "POST", "UPDATE": "PUT", "BATCH_UPDATE": "PUT", "PARTIAL_UPDATE": "POST",
        "BATCH_PARTIAL_UPDATE": "POST", "DELETE": "DELETE", "BATCH_DELETE": "DELETE", "ACTION": "POST"}


def resolve_method(verb: str, header: str | None, has_key: bool, has_ids: bool, has_q: bool,
                   has_action: bool) -> str:
    """The Rest.li method of a request.

    ``verb`` is the HTTP verb after any ``X-HTTP-Method-Override``; ``header`` the raw ``X-RestLi-Method``
    value or ``None``. Raises :class:`RestliError` 400 for an unknown header value, a header that does not
    fit the verb, or a batch create/partial update without the header; 405 for a verb Rest.li does not use.
    """
    verb = verb.upper()
    if header is not None and header.strip():
        method = header.strip().upper()
        if method not in METHODS:
            raise RestliError(400, f"Invalid X-RestLi-Method header {shown_header(header)}: expected one of"
                                   f" {', '.join(METHODS)}")
        if VERB[method] != verb:
            raise RestliError(400, f"X-RestLi-Method {method} does not match the HTTP method {verb}"
                                   f" (expected {VERB[method]})")
        return method
    if verb == "GET":
        if has_key:
            return "GET"
        if has_ids:
            return "BATCH_GET"
        if has_q:
            return "FINDER"
        return "GET_ALL"
    if verb == "POST":
        if has_action:
            return "ACTION"
        if has_key:
            return "PARTIAL_UPDATE"
        if has_ids:
            raise RestliError(400, "A POST with ids is a BATCH_PARTIAL_UPDATE and needs the header"
                                   " X-RestLi-Method: BATCH_PARTIAL_UPDATE")
        return "CREATE"
    if verb == "PUT":
        return "UPDATE" if has_key else "BATCH_UPDATE"
    if verb == "DELETE":
        return "DELETE" if has_key else "BATCH_DELETE"
    raise RestliError(405, f"HTTP method {verb} is not supported by Rest.li resources")
