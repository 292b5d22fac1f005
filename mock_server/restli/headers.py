"""The request headers a Rest.li call may carry once, and the protocol versions it may ask for.

* ``X-RestLi-Protocol-Version``: Rest.li's server answers a version outside the range it speaks (1.0.0 to
  2.0.0 here, the two protocols LinkedIn documents) with 400 "Rest.li protocol version <v> used by the client
  is not supported!" (``RestLiServer.ensureRequestUsesValidRestliProtocol`` and its tests in
  github.com/linkedin/rest.li); a value that is not a version (``garbage``) is refused the same way. A version
  is ``MAJOR[.MINOR[.PATCH]]``.
* A header that selects one thing — the protocol, the method, the API version, the credentials, the tunnelled
  method — sent more than once is ambiguous: which one LinkedIn's front door would read is not documented, so
  the emulator refuses it with 400 naming the header rather than pick one (emulator decision).

https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/protocol-version
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mock_server.restli.errors import RestliError, shown_header

SINGLE_VALUED = ("X-RestLi-Protocol-Version", "X-RestLi-Method", "LinkedIn-Version", "Authorization",
                 "X-HTTP-Method-Override")
VERSION = re.compile(r"([0-9]{1,4})(?:\.([0-9]{1,4}))?(?:\.([0-9]{1,4}))?")
OLDEST, NEWEST = (1, 0, 0), (2, 0, 0)
BASELINE = "1.0.0"


def check_single_valued(names: Iterable[str]) -> None:
    """400 naming the first header of :data:`SINGLE_VALUED` that occurs more than once in ``names`` (the
    request's header names, in any case, one per occurrence)."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    for header in SINGLE_VALUED:
        if counts.get(header.lower(), 0) > 1:
            raise RestliError(400, f"The header {header} was sent {counts[header.lower()]} times: send it once")


def protocol_of(header: str | None) -> int:
    """The protocol (1 or 2) a request's ``X-RestLi-Protocol-Version`` asks for (none: 1); 400 when it is not a
    version from 1.0.0 to 2.0.0."""
    if header is None:
        return 1
    match = VERSION.fullmatch(header.strip())
    version = tuple(int(part or 0) for part in match.groups()) if match else None
    if version is None or not OLDEST <= version <= NEWEST:
        raise RestliError(400, f"Rest.li protocol version {shown_header(header)} used by the client is not"
                               " supported! (X-RestLi-Protocol-Version: 1.0.0 or 2.0.0)")
    return version[0]


def echoed(header: str | None) -> str:
    """The ``X-RestLi-Protocol-Version`` a reply carries for a request that sent ``header``: its version written
    ``MAJOR.MINOR.PATCH`` (Rest.li's server answers with ``ProtocolVersion.toString()``: ``2`` → ``2.0.0``),
    :data:`BASELINE` when absent or not a version."""
    if header is None or header in ("1.0.0", "2.0.0"):
        return header or BASELINE
    match = VERSION.fullmatch(header.strip())
    return ".".join(str(int(part or 0)) for part in match.groups()) if match else BASELINE
