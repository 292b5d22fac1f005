"""Who may call what (emulator decisions table, "Who may call what"; LinkedIn's Postman README):

* a parent (partner) token may call only ``provisionedApplications`` and ``developerApplicationsSecurity``
  (its own and its children's secrets);
* a child (customer) token may call every other resource, and only for the integration contexts
  (organization and contract URNs) its customer owns;
* anything else → 403 ``Not enough permissions to access: <resource>.<METHOD>`` (serviceErrorCode 100).
"""

from __future__ import annotations

import dataclasses

from mock_server.domain.tokens import Token
from mock_server.restli.errors import RestliError

PARENT_ONLY = {"provisionedApplications", "developerApplicationsSecurity"}
MEMBER_RESOURCES = {"me"}


@dataclasses.dataclass
class Caller:
    """The authenticated caller of a request: its ``token``, ``application`` document and, for a child,
    the set of integration ``contexts`` it owns."""

    token: Token
    application: dict
    contexts: frozenset[str]

    @property
    def is_parent(self) -> bool:
        """True for a partner (parent) application."""
        return self.application["kind"] == "parent"

    @property
    def member(self) -> str | None:
        """The member (``urn:li:person:…``) of a 3-legged token."""
        return self.token.member


def denied(resource: str, method: str) -> RestliError:
    """The 403 LinkedIn answers when an application may not call ``resource`` with ``method``."""
    return RestliError(403, f"Not enough permissions to access: {resource}.{method}", 100)


def check_resource(caller: Caller, resource: str, method: str) -> None:
    """403 unless this kind of application may call the top-level ``resource``."""
    top = resource.split("/")[0]
    if top in MEMBER_RESOURCES:
        if caller.member is None:
            raise denied(top, method)
        return
    if caller.is_parent != (top in PARENT_ONLY):
        raise denied(top, method)


def check_context(caller: Caller, context: str, resource: str, method: str) -> None:
    """403 unless ``context`` (an organization or contract URN) belongs to the caller's customer."""
    if context not in caller.contexts:
        raise denied(resource.split("/")[0], method)


def context_error(caller: Caller, context, resource: str, method: str) -> RestliError | None:
    """Like :func:`check_context` but returns the error (for per-entity batch results) instead of raising."""
    if not isinstance(context, str) or context not in caller.contexts:
        return denied(resource.split("/")[0], method)
    return None
