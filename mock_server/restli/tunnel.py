"""Query tunnelling: a long request sent as ``POST`` with ``X-HTTP-Method-Override`` and its query string in
the body, either as ``application/x-www-form-urlencoded`` or, when the request also has a JSON body, as
``multipart/mixed`` (part 1 the query, part 2 the JSON). Reference: linkedin-api-python-client
(``restli_client`` query tunnelling) and the Rest.li protocol spec.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy

from mock_server.restli.errors import RestliError


def untunnel(content_type: str, body: bytes) -> tuple[str, bytes]:
    """``(query_string, json_body_bytes)`` carried by a tunnelled request's body.

    Raises :class:`RestliError` 400 when the body is neither a form nor a two-part ``multipart/mixed``.
    """
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded" or kind == "":
        # A form body writes spaces as '+' (application/x-www-form-urlencoded); a URL query keeps '+' literal.
        return body.decode("latin-1").strip().replace("+", "%20"), b""
    if kind == "multipart/mixed":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
        parts = list(message.iter_parts()) if message.is_multipart() else []
        if len(parts) != 2:
            raise RestliError(400, "A tunnelled multipart/mixed body must have two parts:"
                                   " the query, then the JSON body")
        query = _payload(parts[0]).replace(b"+", b"%20")
        json_body = _payload(parts[1])
        return query.decode("latin-1").strip(), json_body
    raise RestliError(400, f"A tunnelled request (X-HTTP-Method-Override) must carry its query as"
                           f" application/x-www-form-urlencoded or multipart/mixed, not {kind}")


def _payload(part: email.message.Message) -> bytes:
    """The decoded bytes of a non-multipart MIME ``part`` (``b""`` when it has none)."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""
