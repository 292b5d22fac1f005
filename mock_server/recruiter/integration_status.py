"""A customer's Recruiter admin enables or disables integrations, and LinkedIn pushes an
INTEGRATION_STATUS_CHANGE notification that ``atsIntegrations?q=request`` resolves.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
(the admin enables the integration in Recruiter); the notification type and its follow-up GET come from
LinkedIn's Postman collection ("GET Notification Type INTEGRATION_STATUS_CHANGE").
"""

from __future__ import annotations

from mock_server.fixtures import INTEGRATION_KEY
from mock_server.integrations import integration_view
from mock_server.restli.errors import RestliError

INTEGRATION_STATUS_CHANGE = "INTEGRATION_STATUS_CHANGE"


def set_integrations_enabled(world, context: str, types: list[str], enabled: bool) -> dict:
    """Enable (or disable) the integrations ``types`` of ``context`` (organization or contract URN).

    Every integration must have been pre-approved: 404 naming ``integrationType`` otherwise; 404 naming
    ``integrationContext`` when no customer owns the context. Integrations whose state changes are saved
    and one notification listing them is queued. Returns ``{"integrations": [atsIntegration view],
    "changed": [view of the changed ones], "notification": notification doc or None (nothing changed)}``.
    """
    application = world.customers.owner_of_context(context)
    if application is None:
        raise RestliError(404, f"ERROR :: /integrationContext :: no customer owns {context}")
    found = []
    for integration_type in types:
        doc = world.integrations.get({"integrationContext": context, "integrationType": integration_type,
                                      "tenantType": "RECRUITER", "dataProvider": "ATS"})
        if doc is None:
            raise RestliError(404, f"ERROR :: /integrationType :: {integration_type} of {context} has not been"
                                   " pre-approved by the customer (POST /_mock/customers/{uniqueForeignId}/preapprove)")
        found.append(doc)
    now = world.clock.now_ms()
    changed, views = [], []
    with world.store.transaction():
        for doc in found:
            if ("enabledAt" in doc) != enabled:
                doc = world.integrations.set_enabled(doc, enabled, now)
                changed.append(doc)
            views.append(integration_view(doc))
        notification = world.outbox.enqueue(
            application, INTEGRATION_STATUS_CHANGE, context,
            {"integrations": [{part: doc[part] for part in INTEGRATION_KEY} for doc in changed]}) if changed else None
    return {"integrations": views, "changed": [integration_view(doc) for doc in changed],
            "notification": notification}
