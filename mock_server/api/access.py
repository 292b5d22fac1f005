"""Who may call what (emulator decisions table, "Who may call what"; LinkedIn's Postman README). Each resource
declares its audience (:class:`mock_server.api.gate.Policy`):

* :data:`PARENT`: a parent (partner) 2-legged token only (``provisionedApplications``,
  ``developerApplicationsSecurity``: its own and its children's secrets);
* :data:`CUSTOMER` (every other resource): a child (customer) 2-legged token — RSC data calls use
  client-credentials tokens (retrieve-exported-candidates: "client credentials token for all calls";
  provisioning-api) — and only for the integration contexts (organization and contract URNs) its customer owns;
  a resource whose policy is ``enabled_only`` further needs the context to have an integration the customer
  has enabled in LinkedIn Recruiter (rsc-customer-configuration, step 5: customer data may be sent only once the
  customer has enabled the integration) — except BATCH_DELETE, which removes data rather than sending it;
* :data:`MEMBER`: a 3-legged token of a member (``me``);
* anything else → 403 as LinkedIn words it: ``{"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
  "message": "Not enough permissions to access: <resource>.<METHOD>.<version>"}`` where ``<METHOD>`` is
  ``FINDER-<name>`` for a finder and ``<version>`` is ``NO_VERSION`` on ``/v2`` or the requested version written
  ``YYYYMMDD`` on ``/rest`` (:func:`mock_server.api.versions.version_label`; field reports of LinkedIn's
  replies: ``me.GET.NO_VERSION``, ``organizationAcls.FINDER-roleAssignee.NO_VERSION``,
  ``partnerApiPostsExternal.CREATE.20250101``). A refusal for a context that is not enabled adds the reason in
  parentheses (the emulator's words: LinkedIn's are not documented).
"""

from __future__ import annotations

import dataclasses

from mock_server.api.versions import NO_VERSION, version_label
from mock_server.domain.customers import context_urn_kind
from mock_server.domain.tokens import Token
from mock_server.restli.errors import RestliError, field_error, shown
from mock_server.restli.resource import Call

PARENT, CUSTOMER, MEMBER = "parent", "customer", "member"
ACCESS_DENIED = "ACCESS_DENIED"
NOT_ENABLED = "integration not enabled"  # the reason of a refusal for a context without an enabled integration
ENABLEMENT_EXEMPT = frozenset({"BATCH_DELETE"})


@dataclasses.dataclass
class Caller:
    """The authenticated caller of a request: its ``token``, ``application`` document and, for a child,
    the set of integration ``contexts`` it owns and the subset of them that are ``enabled`` (at least one RSC
    integration of the context enabled in Recruiter)."""

    token: Token
    application: dict
    contexts: frozenset[str]
    enabled: frozenset[str] = frozenset()

    @property
    def is_parent(self) -> bool:
        """True for a partner (parent) application."""
        return self.application["kind"] == "parent"

    @property
    def member(self) -> str | None:
        """The member (``urn:li:person:…``) of a 3-legged token."""
        return self.token.member


def denied(resource: str, method: str, version: str = NO_VERSION, reason: str | None = None) -> RestliError:
    """The 403 LinkedIn answers when an application may not call ``resource`` with ``method`` (written as in
    the module docstring) at ``version``; ``reason`` is appended in parentheses."""
    message = f"Not enough permissions to access: {resource}.{method}.{version}"
    return RestliError(403, message + (f" ({reason})" if reason else ""), 100, code=ACCESS_DENIED)


def denied_call(call: Call, reason: str | None = None) -> RestliError:
    """:func:`denied` for ``call``: its top-level resource, its method (``FINDER-<name>`` for a finder) and
    the version it asked for."""
    method = f"FINDER-{call.finder}" if call.method == "FINDER" and call.finder else call.method
    return denied(call.resource.path.split("/")[0], method,
                  version_label(call.base, call.headers.get("linkedin-version")), reason)


def check_audience(call: Call) -> None:
    """403 unless the caller of ``call`` (``call.context.caller``) is of the audience its resource declares:
    parent and customer resources take 2-legged tokens of that kind of application, member resources a
    3-legged token."""
    caller: Caller = call.context.caller
    audience = call.resource.policy.audience
    if audience == MEMBER:
        allowed = caller.member is not None
    else:
        allowed = caller.member is None and caller.is_parent == (audience == PARENT)
    if not allowed:
        raise denied_call(call)


def malformed_context(context: object, field: str = "integrationContext") -> RestliError | None:
    """The 400 (as a value) naming ``field`` when ``context`` is not an integration context URN
    (``urn:li:organization:<n>`` or ``urn:li:contract:<n>``): Rest.li refuses a value its schema's Urn type
    cannot take as a bad request before any permission is checked; None for a well-formed URN."""
    if context_urn_kind(context) is not None:
        return None
    return field_error(field, f"{shown(context)} is not an integration context URN (urn:li:organization:<id>"
                              " or urn:li:contract:<id>)", 400)


def context_error(call: Call, context, field: str = "integrationContext") -> RestliError | None:
    """The error (as a value) when ``call`` may not touch integration ``context``: 400 naming ``field`` when it
    is not an integration context URN (:func:`malformed_context`); 403 when it is not one of the caller's
    integration contexts or, for a resource whose policy is ``enabled_only`` (and a method that sends or reads
    data), when the customer has not enabled an integration of it; None when the call may touch it."""
    caller: Caller = call.context.caller
    malformed = malformed_context(context, field)
    if malformed is not None:
        return malformed
    if context not in caller.contexts:
        return denied_call(call)
    if (call.resource.policy.enabled_only and call.method not in ENABLEMENT_EXEMPT
            and context not in caller.enabled):
        return denied_call(call, f"{NOT_ENABLED}: the customer has not enabled an integration of {context} in"
                                 " LinkedIn Recruiter")
    return None
