"""Query tunnelling: a long request sent as ``POST`` with ``X-HTTP-Method-Override`` and its query string in
the body, either as ``application/x-www-form-urlencoded`` or, when the request also has a JSON body, as
``multipart/mixed`` (part 1 the query, part 2 the JSON). Reference: linkedin-api-python-client
(``restli_client`` query tunnelling) and the Rest.li protocol spec.
"""

from __future__ import annotations

import email.message
import email.parser
import email.policy
import re

from mock_server.restli.errors import RestliError

# A boundary as RFC 2046 allows it (bchars, no trailing space), unquoted or quoted, in a Content-Type header.
_BCHARS = r"\-0-9A-Za-z'()+_,./:=?"
_BOUNDARY = re.compile(rf"""(?i);\s*boundary=(?:([{_BCHARS}]{{1,70}})|"([{_BCHARS} ]{{0,69}}[{_BCHARS}])")\s*(?:;|$)""")
# The part headers the plain path reads: a Content-Type that is not multipart or message (their payloads would
# be parsed further), nothing else.
_PLAIN_PART_HEADERS = re.compile(rb"(?i)(?:content-type: *(?!multipart/|message/)[!-~][ -~]*\r\n)?")


def untunnel(content_type: str, body: bytes) -> tuple[str, bytes]:
    """``(query_string, json_body_bytes)`` carried by a tunnelled request's body.

    Raises :class:`RestliError` 400 when the body is neither a form nor a two-part ``multipart/mixed``.
    """
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded" or kind == "":
        # A form body writes spaces as '+' (application/x-www-form-urlencoded); a URL query keeps '+' literal.
        return body.decode("latin-1").strip().replace("+", "%20"), b""
    if kind == "multipart/mixed":
        plain = _plain_parts(content_type, body)
        if plain is not None:
            return plain[0].replace(b"+", b"%20").decode("latin-1").strip(), plain[1]
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


def _plain_parts(content_type: str, body: bytes) -> tuple[bytes, bytes] | None:
    """The two payloads of a ``multipart/mixed`` body in the plain shape clients send (no preamble, CRLF line
    ends, each part at most a non-multipart Content-Type header, no transfer encoding), read by splitting at C
    speed; None for any other body, which the email parser reads. Both give the same bytes for a plain body."""
    found = _BOUNDARY.search(content_type)
    if found is None or content_type.lower().count("boundary") != 1:
        return None
    delimiter = b"--" + (found.group(1) or found.group(2)).encode("ascii")
    if body.count(delimiter) != 3 or not body.startswith(delimiter + b"\r\n"):
        return None
    pieces = body[len(delimiter) + 2:].split(b"\r\n" + delimiter)
    if len(pieces) != 3:  # a delimiter not at the start of a line
        return None
    first, second, end = pieces
    if not second.startswith(b"\r\n") or not end.startswith(b"--"):
        return None
    payloads = []
    for part in (first, second[2:]):
        headers = _PLAIN_PART_HEADERS.match(part)
        if headers is None or not part.startswith(b"\r\n", headers.end()):
            return None
        payloads.append(part[headers.end() + 2:])
    return payloads[0], payloads[1]


def _payload(part: email.message.Message) -> bytes:
    """The decoded bytes of a non-multipart MIME ``part`` (``b""`` when it has none)."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""
