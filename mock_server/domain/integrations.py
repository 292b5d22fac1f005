"""Customer integrations (``atsIntegrations``) and their configurations: pre-approval by the customer's
Recruiter admin, naming by the partner, enablement in Recruiter, and the configuration keys.

Integration documents live in the ``integrations`` table under their canonical key and hold the four key
parts plus ``integrationName``, ``preApprovedAt`` and ``enabledAt`` (epoch ms; the last two inferred, see
the spec §4.3.2). Configurations live in ``configurations`` under ``<integration key>/<configurationKey>``.

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
and https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/integration-types
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mock_server.domain.callback_urls import callback_identity
from mock_server.domain.customers import CONTRACT_TYPES, ORGANIZATION_TYPES, RSC_BUNDLES
from mock_server.restli.keys import canonical
from mock_server.store import Store
from mock_server.store.spec import TableSpec

INTEGRATION_KEY = ("integrationContext", "integrationType", "tenantType", "dataProvider")
INTEGRATIONS = TableSpec("integrations", ("integrationContext",))
CONFIGURATIONS = TableSpec("configurations", ("integration", "configurationKey"))
TABLES = (INTEGRATIONS, CONFIGURATIONS)
ENABLED_CACHE_SIZE = 1024  # sets of contexts whose enabled contexts are kept (one per calling application)
RSC_TYPES = ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN", "CSA_API")

# Which configuration keys each integration type takes, and the values allowed (None: any https URL).
CONFIGURATION_KEYS = {
    "CALLBACK_URL": "ONE_CLICK_EXPORT",
    "JOB_POSTING_VIEWERS": "ONE_CLICK_EXPORT",
    "APPLICATION_VIEWERS": "IN_ATS_INDICATOR",
}
VIEWER_VALUES = ("ALL_PRODUCT_USERS",)


def integration_key_of(context: str, integration_type: str) -> dict[str, Any]:
    """The key of an RSC integration: ``{"integrationContext": context, "integrationType": integration_type,
    "tenantType": "RECRUITER", "dataProvider": "ATS"}`` (parts in :data:`INTEGRATION_KEY` order)."""
    return {"integrationContext": context, "integrationType": integration_type, "tenantType": "RECRUITER",
            "dataProvider": "ATS"}


def integration_key_parts(doc: dict[str, Any]) -> dict[str, Any]:
    """The four key parts of an integration document (or key)."""
    return {part: doc[part] for part in INTEGRATION_KEY}


def integration_store_key(doc: dict[str, Any]) -> str:
    """The canonical store key of an integration document (or key)."""
    return canonical(integration_key_parts(doc))


class Integrations:
    """Reads and writes integrations and configurations in ``store``."""

    def __init__(self, store: Store) -> None:
        self.table = INTEGRATIONS.of(store)
        self.configurations = CONFIGURATIONS.of(store)
        # enabled_contexts per set of contexts, computed at table revision _enabled_revision: every write to the
        # integrations table (a rollback, reset and import too) moves the revision and so empties it.
        self._enabled: dict[frozenset[str], frozenset[str]] = {}
        self._enabled_revision = -1

    def get(self, key: dict[str, Any]) -> dict[str, Any] | None:
        """The integration with key parts ``key`` (dict), or None."""
        return self.table.get(integration_store_key(key))

    def of_contexts(self, contexts: Iterable[str]) -> list[dict[str, Any]]:
        """Every integration whose context is in ``contexts``."""
        found: list[dict[str, Any]] = []
        for context in sorted(contexts):
            found += [doc for _, doc in self.table.find(integrationContext=context)]
        return found

    def enabled_contexts(self, contexts: Iterable[str]) -> frozenset[str]:
        """The ``contexts`` with at least one RSC integration the customer has enabled in Recruiter (an
        ``enabledAt``): the contexts whose data may be sent and read (rsc-customer-configuration, step 5).

        Every authenticated call asks this, so the answer is kept until the integrations table's
        :attr:`~mock_server.store.Table.revision` moves (any write, rollback, reset or import): read before the
        table is, so an answer is never kept under a revision newer than the content it was computed from. The
        answer is the kept frozenset itself: no caller can change it."""
        revision = self.table.revision
        if revision != self._enabled_revision or len(self._enabled) >= ENABLED_CACHE_SIZE:
            self._enabled, self._enabled_revision = {}, revision
        wanted = frozenset(contexts)
        enabled = self._enabled.get(wanted)
        if enabled is None:
            enabled = frozenset(doc["integrationContext"] for doc in self.of_contexts(wanted)
                                if "enabledAt" in doc and doc["integrationType"] in RSC_TYPES)
            self._enabled[wanted] = enabled
        return enabled

    def save(self, doc: dict[str, Any]) -> None:
        """Store an integration document under its key."""
        self.table.put(integration_store_key(doc), doc)

    def preapprove(self, application: dict[str, Any], types: Iterable[str], now_ms: int) -> list[dict[str, Any]]:
        """Pre-approve integration ``types`` for a customer, as its admin does in the configuration widget.

        Organization types get each of the customer's organizations as context, CSA_API each contract.
        Existing integrations keep their name and enablement. Returns the integrations pre-approved, each
        ``{"integrationContext", "integrationType", "tenantType", "dataProvider", ...}``.
        """
        approved = []
        for integration_type in types:
            contexts = application.get("contracts" if integration_type in CONTRACT_TYPES else "organizations", [])
            for context in contexts:
                key = integration_key_of(context, integration_type)
                doc = self.get(key) or {**key, "preApprovedAt": now_ms}
                doc.setdefault("preApprovedAt", now_ms)
                self.save(doc)
                approved.append(doc)
        return approved

    def set_enabled(self, doc: dict[str, Any], enabled: bool, now_ms: int) -> dict[str, Any]:
        """Enable (stamp ``enabledAt``) or disable (remove it) an integration; returns the new document."""
        doc = dict(doc)
        if enabled:
            doc["enabledAt"] = now_ms
        else:
            doc.pop("enabledAt", None)
        self.save(doc)
        return doc

    def configuration_key(self, integration: dict[str, Any], name: str) -> str:
        """Store key of configuration ``name`` of ``integration``."""
        return f"{integration_store_key(integration)}/{name}"

    def configuration_value(self, context: str, integration_type: str, name: str) -> str | None:
        """The string value of a configuration, or None when not set."""
        doc = self.configurations.get(self.configuration_key(integration_key_of(context, integration_type), name))
        value: str | None = doc["configurationValue"]["string"] if doc else None
        return value

    def callback_owner(self, url: str) -> str | None:
        """The integration key already using ``url`` as its CALLBACK_URL, if any — the same URL however its
        scheme, host and port are spelled (:func:`callback_identity`)."""
        identity = callback_identity(url)
        for _, doc in self.configurations.find(configurationKey="CALLBACK_URL"):
            if callback_identity(doc["configurationValue"]["string"]) == identity:
                owner: str = doc["integration"]
                return owner
        return None


def types_of_bundles(bundles: Iterable[str]) -> list[str]:
    """Integration types named by the widget's ``data-supported-bundled-integration-types`` values that RSC
    knows (unknown bundles are ignored, as other products' bundles are not RSC's)."""
    types: list[str] = []
    for bundle in bundles:
        for integration_type in RSC_BUNDLES.get(bundle.strip(), ()):
            if integration_type not in types:
                types.append(integration_type)
    return types


def integration_view(doc: dict[str, Any]) -> dict[str, Any]:
    """An integration as ``atsIntegrations`` returns it."""
    return {name: doc[name] for name in (*INTEGRATION_KEY, "integrationName", "preApprovedAt", "enabledAt")
            if name in doc}


__all__ = ["Integrations", "types_of_bundles", "integration_view", "integration_key_of", "integration_key_parts",
           "integration_store_key", "INTEGRATION_KEY", "CONFIGURATION_KEYS", "VIEWER_VALUES", "RSC_TYPES",
           "ORGANIZATION_TYPES", "CONTRACT_TYPES"]
