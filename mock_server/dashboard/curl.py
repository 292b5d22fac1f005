"""``curl`` command lines for the "copy as curl" of the journal and of the dashboard's own admin calls."""

from __future__ import annotations

import shlex

SKIPPED_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding", "user-agent"})
TOKEN_HEADER = '"Authorization: Bearer $RSC_TOKEN"'


def curl_command(method: str, url: str, headers: dict[str, str], body: str | None) -> str:
    """A shell-safe ``curl`` command for ``method url`` with ``headers`` (those curl sets itself left out) and
    ``body``. The journal masks bearer tokens, so a masked ``Authorization`` header becomes
    ``"Authorization: Bearer $RSC_TOKEN"`` for the reader to set."""
    words = ["curl", "-X", shlex.quote(method), shlex.quote(url)]
    for name, value in headers.items():
        if name.lower() in SKIPPED_HEADERS:
            continue
        masked = name.lower() == "authorization" and "****" in value
        words += ["-H", TOKEN_HEADER if masked else shlex.quote(f"{name}: {value}")]
    if body:
        words += ["--data-raw", shlex.quote(body)]
    return " ".join(words)
