"""A customer's Recruiter admin enables or disables integrations, and LinkedIn pushes an
INTEGRATION_STATUS_CHANGE notification that ``atsIntegrations?q=request`` resolves.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
(the admin enables the integration in Recruiter); the notification type and its follow-up GET come from
LinkedIn's Postman collection ("GET Notification Type INTEGRATION_STATUS_CHANGE").
"""

from __future__ import annotations

from typing import Any

from mock_server.domain.customers import context_urn_kind
from mock_server.domain.integrations import (
    integration_key_of,
    integration_key_parts,
    integration_view,
)
from mock_server.domain.world import World
from mock_server.restli.errors import RestliError, shown

INTEGRATION_STATUS_CHANGE = "INTEGRATION_STATUS_CHANGE"


def type_field(field: str, index: int) -> str:
    """The JSON pointer of the ``index``-th integration type of a request that gave them in ``field``:
    ``/integrationTypes/<index>``, or ``/integrationType`` for the single-type form."""
    return f"/integrationTypes/{index}" if field == "integrationTypes" else "/integrationType"


def set_integrations_enabled(world: World, context: str, types: list[str], enabled: bool,
                             field: str = "integrationTypes") -> dict[str, Any]:
    """Enable (or disable) the integrations ``types`` of ``context`` (organization or contract URN), as the
    request gave them in ``field`` (``integrationTypes``, or ``integrationType`` for one); a repeated type
    counts once.

    400 naming ``integrationContext`` when it is not an organization or contract URN, 404 naming it when no
    customer owns it; every integration must have been pre-approved: 404 naming its type
    (:func:`type_field`) otherwise. Integrations whose state changes are saved and one notification listing
    them is queued. Returns ``{"integrations": [atsIntegration view], "changed": [view of the changed ones],
    "notification": notification doc or None (nothing changed)}``.
    """
    if context_urn_kind(context) is None:
        raise RestliError(400, f"ERROR :: /integrationContext :: {shown(context)} is not an organization"
                               " or contract"
                               " URN (urn:li:organization:<id>, urn:li:contract:<id>)")
    application = world.customers.owner_of_context(context)
    if application is None:
        raise RestliError(404, f"ERROR :: /integrationContext :: no customer owns {context}")
    found = {}
    for index, integration_type in enumerate(types):
        if integration_type in found:
            continue
        doc = world.integrations.get(integration_key_of(context, integration_type))
        if doc is None:
            raise RestliError(404, f"ERROR :: {type_field(field, index)} :: {integration_type} of {context} has not"
                                   " been pre-approved by the customer (POST"
                                   " /_mock/customers/{uniqueForeignId}/preapprove)")
        found[integration_type] = doc
    now = world.clock.now_ms()
    changed, views = [], []
    with world.store.transaction():
        for doc in found.values():
            if ("enabledAt" in doc) != enabled:
                doc = world.integrations.set_enabled(doc, enabled, now)
                changed.append(doc)
            views.append(integration_view(doc))
        notification = world.outbox.enqueue(
            application, INTEGRATION_STATUS_CHANGE, context,
            {"integrations": [integration_key_parts(doc) for doc in changed]}) if changed else None
    return {"integrations": views, "changed": [integration_view(doc) for doc in changed],
            "notification": notification}
