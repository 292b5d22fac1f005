"""``rest/integrations`` and ``rest/integrationConfigurations``: the versioned onboarding resources (renamed in
LinkedIn-Version 202602), on the same integrations and configurations as ``v2/atsIntegrations`` and its
``configurations`` sub-resource (tables of :mod:`mock_server.domain.renames`).

* ``rest/integrations`` (RSC release notes, 2026-03 view): BATCH_GET, BATCH_PARTIAL_UPDATE (``$set``
  ``integrationName``, ``schemas/integration.patch.json``), FINDER ``q=request&requestId=…`` (the finder of v2
  [INFERRED]); key ``(integrationContext, integrationType, tenantType)`` — ``dataProvider`` removed from the
  key. Replies: ``schemas/integration.json``.
* ``rest/integrationConfigurations`` (the name: RSC customer configuration, 2026-03 view): a top-level
  resource keyed ``(integrationContext, integrationType, tenantType, configurationKey)`` [INFERRED: the
  integration key without dataProvider plus the v2 configuration key]; BATCH_UPDATE, BATCH_GET, BATCH_DELETE
  with the v2 rules (CALLBACK_URL https and unique per customer, viewer values).

Both: 5,000 calls/day (customer configuration page, 2026-03 view).
"""

from __future__ import annotations

from mock_server.api.gate import Policy
from mock_server.api.resources.ats_integrations import (
    batch_get,
    batch_partial_update,
    by_request,
    configurations_batch_delete,
    configurations_batch_get,
    configurations_batch_update,
)
from mock_server.api.resources.common import REST
from mock_server.api.resources.versioned import VersionedHandlers
from mock_server.domain import renames
from mock_server.domain.quotas import INTEGRATIONS as INTEGRATION_CALLS
from mock_server.domain.quotas import Quota

INTEGRATIONS = VersionedHandlers(
    renames.INTEGRATIONS, {"BATCH_GET": batch_get, "BATCH_PARTIAL_UPDATE": batch_partial_update},
    label="integration", policy=Policy(quota=Quota(INTEGRATION_CALLS), since="202602"),
    finders={"request": (by_request, {})})
CONFIGURATIONS = VersionedHandlers(
    renames.INTEGRATION_CONFIGURATIONS,
    {"BATCH_UPDATE": configurations_batch_update, "BATCH_GET": configurations_batch_get,
     "BATCH_DELETE": configurations_batch_delete},
    label="integration configuration", policy=Policy(quota=Quota(INTEGRATION_CALLS), since="202602"),
    schema="integrationConfiguration")

RESOURCES = [(INTEGRATIONS.resource(), REST), (CONFIGURATIONS.resource(), REST)]
