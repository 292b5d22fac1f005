"""What a customer's CALLBACK_URL may be (the ONE_CLICK_EXPORT configuration LinkedIn pushes notifications to).

LinkedIn (https://learn.microsoft.com/en-us/linkedin/talent/receive-push-events): an https URL on port 443 or 80,
one URL per customer. The emulator follows that, with two decisions of its own:

* **local receivers**: a loopback host (``localhost``, ``*.localhost``, ``127.0.0.0/8``, ``::1``, an IPv4-mapped
  loopback address; a trailing dot allowed) is accepted with any scheme and port, so tests and local
  development can receive pushes — with an advisory, because LinkedIn would refuse it (and could not reach it);
* **never the emulator's admin API**: a URL whose path, however spelled (%-encoded, repeatedly; with ``\\``, double
  slashes, ``.``/``..`` segments, ``;`` parameters, any case), falls under ``/_mock`` is refused unless it is
  exactly an inbox ``/_mock/inbox/<name>`` or a sandbox's ``/_mock/sandboxes/<id>/inbox/<name>`` (``<id>`` of
  lower-case letters and digits, ``<name>`` of letters, digits, ``-``, ``_``, ``.``, ``~``) — on any
  host, since any host name may resolve to the emulator. A push must never reset, reconfigure or read the
  emulator.

The other limits are the emulator's [INFERRED]: at most 2048 characters, no whitespace or control character,
a host of at most 253 characters made of letters, digits, ``-``, ``_`` and ``.`` or an IP address (RFC 3986,
RFC 1035). Two URLs are "the same" for the one-customer rule when
their scheme, host (case, trailing dot) and port (default or explicit) agree (:func:`callback_identity`).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import posixpath
import re
import unicodedata
from urllib.parse import unquote, urlsplit, urlunsplit

from mock_server.restli.errors import shown

MAX_CALLBACK_URL_CHARS = 2048
MAX_HOST_CHARS = 253
DEFAULT_PORTS = {"https": 443, "http": 80}
LINKEDIN_PORTS = (443, 80)
ADMIN_SEGMENT = "_mock"
INBOX_PATH = re.compile(r"/_mock(?:/sandboxes/[a-z0-9]+)?/inbox/[A-Za-z0-9._~-]+")


@dataclasses.dataclass(frozen=True)
class CallbackCheck:
    """The verdict on a CALLBACK_URL: ``problem`` (a phrase to follow "CALLBACK_URL", None when accepted) and
    whether it is a ``local`` (loopback) receiver LinkedIn would not accept."""

    problem: str | None
    local: bool = False


def is_loopback(host: str) -> bool:
    """True for ``localhost``, ``*.localhost`` and loopback addresses (``::ffff:127.0.0.1`` too), with or without
    a trailing dot."""
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def valid_host(host: str) -> bool:
    """True for an IP address or a name of letters (any script), digits, ``-``, ``_`` and ``.`` — nothing that
    would make the host and path ambiguous (``%``, ``\\``, ``/``, ``@``)."""
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    return all(c.isalnum() or c in "-_." for c in host)


def path_segments(path: str) -> list[str]:
    """The segments ``path`` reaches once every spelling is undone: %-decoding repeated until stable, ``\\`` as
    ``/``, empty segments and ``;`` parameters dropped, ``.``/``..`` resolved, lower case."""
    previous = None
    while previous != path:
        previous, path = path, unquote(path)
    path = path.replace("\\", "/")
    segments = [segment.split(";")[0].strip() for segment in path.split("/")]
    normalized = posixpath.normpath("/" + "/".join(segment for segment in segments if segment))
    return [segment.lower() for segment in normalized.split("/") if segment]


def is_admin_target(path: str) -> bool:
    """True when ``path`` (a URL path as written) reaches the emulator's ``/_mock`` admin API, other than an
    inbox written plainly as ``/_mock/inbox/<name>`` or a sandbox's ``/_mock/sandboxes/<id>/inbox/<name>``."""
    if INBOX_PATH.fullmatch(path) and path.rsplit("/", 1)[1] not in (".", ".."):
        return False
    segments = path_segments(path)
    return bool(segments) and segments[0] == ADMIN_SEGMENT


def check_callback_url(url: str) -> CallbackCheck:
    """Whether ``url`` may be a CALLBACK_URL (see the module docstring for the rules)."""
    if len(url) > MAX_CALLBACK_URL_CHARS:
        return CallbackCheck(f"is {len(url)} characters long (at most {MAX_CALLBACK_URL_CHARS})")
    odd = next((c for c in url if c.isspace() or unicodedata.category(c) == "Cc"), None)
    if odd is not None:
        return CallbackCheck(f"must not contain whitespace or control characters (found {shown(odd)})")
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return CallbackCheck(f"is not a valid URL ({error})")
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    local = bool(host) and is_loopback(host)
    if scheme not in DEFAULT_PORTS or (scheme == "http" and host and not local):
        return CallbackCheck("must be an https URL (plain http is accepted only for loopback hosts)")
    if not host:
        return CallbackCheck("has no host")
    if len(host) > MAX_HOST_CHARS:
        return CallbackCheck(f"has a host of {len(host)} characters (at most {MAX_HOST_CHARS})")
    if not valid_host(host):
        return CallbackCheck(f"has an invalid host {shown(host)} (letters, digits, '-', '_' and '.', or an IP"
                             " address)")
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return CallbackCheck("has an invalid port (expected a number from 1 to 65535)")
    written = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port is not None else "")
    if parts.netloc.lower() != written.lower():
        return CallbackCheck(f"has an authority {shown(parts.netloc)} that is not just a host and a port")
    if is_admin_target(parts.path):
        return CallbackCheck("points at the emulator's admin API (/_mock): only an inbox /_mock/inbox/<name> (or"
                             " a sandbox's /_mock/sandboxes/<id>/inbox/<name>) can receive callbacks")
    if not local and (port or DEFAULT_PORTS[scheme]) not in LINKEDIN_PORTS:
        return CallbackCheck(f"must use port 443 or 80, not {port}")
    return CallbackCheck(None, local)


def callback_identity(url: str) -> str:
    """``url`` with its scheme and host in lower case, a trailing dot of the host and a default port (443 for
    https, 80 for http) dropped: two spellings of one callback URL have the same identity. A URL that does not
    parse is its own identity."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme, host = parts.scheme.lower(), (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        host += f":{port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))
