"""Who may call what (emulator decisions table, "Who may call what"; LinkedIn's Postman README). Each resource
declares its audience (:class:`mock_server.api.gate.Policy`):

* :data:`PARENT`: a parent (partner) token only (``provisionedApplications``, ``developerApplicationsSecurity``:
  its own and its children's secrets);
* :data:`CUSTOMER` (every other resource): a child (customer) token, and only for the integration contexts
  (organization and contract URNs) its customer owns;
* :data:`MEMBER`: a 3-legged token of a member (``me``);
* anything else → 403 ``Not enough permissions to access: <resource>.<METHOD>`` (serviceErrorCode 100).
"""

from __future__ import annotations

import dataclasses

from mock_server.domain.tokens import Token
from mock_server.restli.errors import RestliError

PARENT, CUSTOMER, MEMBER = "parent", "customer", "member"


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


def check_audience(caller: Caller, audience: str, resource: str, method: str) -> None:
    """403 (naming the top-level resource of path ``resource``) unless ``caller`` is of ``audience``."""
    allowed = caller.member is not None if audience == MEMBER else caller.is_parent == (audience == PARENT)
    if not allowed:
        raise denied(resource.split("/")[0], method)


def check_context(caller: Caller, context: str, resource: str, method: str) -> None:
    """403 unless ``context`` (an organization or contract URN) belongs to the caller's customer."""
    if context not in caller.contexts:
        raise denied(resource.split("/")[0], method)


def context_error(caller: Caller, context, resource: str, method: str) -> RestliError | None:
    """Like :func:`check_context` but returns the error (for per-entity batch results) instead of raising."""
    if not isinstance(context, str) or context not in caller.contexts:
        return denied(resource.split("/")[0], method)
    return None
