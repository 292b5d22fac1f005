"""What LinkedIn's front door refuses before a Rest.li resource sees the request.

* 414 for a query string over 4 KB, a URL over 8 KB or a path segment over 4 KB — the reason query
  tunnelling exists (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/query-tunneling;
  the task-status page repeats the 4 KB cap). A tunnelled request carries its query in the body, where the
  limit does not apply. The URL is measured as production would see it: ``https://api.linkedin.com`` plus the
  path and query as sent (bytes).
* 431 for request headers over 64 KiB in all (name, value and the 4 bytes of ``: `` and CRLF of each), on
  every route: LinkedIn does not document its limit (inferred; as AWS's load balancers, 64 KB). A head that
  grows past :data:`HEAD_HARD_LIMIT` (256 KiB) before it is complete is cut off by the server itself
  (:mod:`mock_server.serving`: a plain 431 and the connection closed), so no client makes it buffer more;
* 411 for a ``POST`` without ``Content-Length``
  (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling).

The messages are the emulator's (LinkedIn's texts are not documented).
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from mock_server.restli.errors import RestliError

MAX_QUERY_BYTES = 4096
MAX_URL_BYTES = 8192
MAX_SEGMENT_BYTES = 4096
MAX_HEADER_BYTES = 64 * 1024
HEAD_HARD_LIMIT = 4 * MAX_HEADER_BYTES
PRODUCTION_ORIGIN = "https://api.linkedin.com"
TUNNEL_HINT = ("send it with query tunnelling: POST with X-HTTP-Method-Override and the query string in an"
               " application/x-www-form-urlencoded body")


def check_url_length(raw_path: str, raw_query: str) -> None:
    """414 when ``raw_query`` (the query string as sent, without ``?``) is over 4 KB, a segment of
    ``raw_path`` over 4 KB, or the whole URL over 8 KB."""
    if len(raw_query) > MAX_QUERY_BYTES:
        raise RestliError(414, f"Request-URI Too Long: the query string is {len(raw_query)} bytes, over LinkedIn's"
                               f" limit of {MAX_QUERY_BYTES}; {TUNNEL_HINT}")
    longest = max((len(segment) for segment in raw_path.split("/")), default=0)
    if longest > MAX_SEGMENT_BYTES:
        raise RestliError(414, f"Request-URI Too Long: a path segment is {longest} bytes, over LinkedIn's limit of"
                               f" {MAX_SEGMENT_BYTES}")
    url = len(PRODUCTION_ORIGIN) + len(raw_path) + (1 + len(raw_query) if raw_query else 0)
    if url > MAX_URL_BYTES:
        raise RestliError(414, f"Request-URI Too Long: the URL is {url} bytes (as https://api.linkedin.com…), over"
                               f" LinkedIn's limit of {MAX_URL_BYTES}; {TUNNEL_HINT}")


def header_bytes(raw_headers: Iterable[tuple[bytes, bytes]]) -> int:
    """The size of ASGI ``raw_headers`` (``[(name, value)]``) as sent: each ``name: value`` and its CRLF."""
    return sum(len(name) + len(value) + 4 for name, value in raw_headers)


def check_header_size(raw_headers: Iterable[tuple[bytes, bytes]]) -> None:
    """431 when the request's headers (:func:`header_bytes`) are over :data:`MAX_HEADER_BYTES`."""
    size = header_bytes(raw_headers)
    if size > MAX_HEADER_BYTES:
        raise RestliError(431, f"Request Header Fields Too Large: the request's headers are {size} bytes, over the"
                               f" limit of {MAX_HEADER_BYTES} bytes (64 KB)")


def check_length_header(method: str, headers: Container[str]) -> None:
    """411 for a ``POST`` whose ``headers`` have no ``Content-Length`` (a chunked upload, or none at all)."""
    if method.upper() == "POST" and "content-length" not in headers:
        raise RestliError(411, "Length Required: a POST request must carry a Content-Length header")
