"""What the overview page shows: every customer (child application) with its integration contexts, its
integrations and their state, its callback URL and the last delivery to it, the counts of what it synced; the
quotas used today; the clock. Read through the emulator's services (customers, integrations, outbox, quotas,
clock) and the store's indexes, never by scanning the synced records.
"""

from __future__ import annotations

from starlette.requests import Request

from mock_server.api.http import world
from mock_server.dashboard.browse import KINDS
from mock_server.domain.integrations import RSC_TYPES
from mock_server.harness.admin.quotas import quota_view

COUNTED = ("jobs", "candidates", "applications")


def served_quotas(request: Request) -> dict:
    """The ``GET /_mock/quotas`` document of the app serving ``request`` (its emulator and its dispatcher's
    resources)."""
    return quota_view(world(request), request.app.state.dispatcher)


def integration_state(doc: dict) -> str:
    """``enabled``, ``pre-approved`` (not enabled yet) or ``not pre-approved`` for an integration document."""
    if "enabledAt" in doc:
        return "enabled"
    return "pre-approved" if "preApprovedAt" in doc else "not pre-approved"


def last_delivery(emulator, application: str) -> dict | None:
    """The newest delivery attempt of any notification of ``application``: the attempt
    (``{"attempt", "startedAt", "url", "status"?, "error"?, "latencyMs"}``) plus ``notification`` (its id)
    and ``type``; None when nothing was attempted."""
    newest = None
    for doc in emulator.outbox.find(application=application):
        for attempt in doc.get("attempts", []):
            if newest is None or attempt["startedAt"] >= newest["startedAt"]:
                newest = {**attempt, "notification": doc["id"], "type": doc["type"]}
    return newest


def customer_view(emulator, application: dict) -> dict:
    """One customer as the overview shows it: ``{"key", "name", "clientId", "uniqueForeignId", "contexts":
    [{"context", "integrations": [{"integrationType", "integrationName"?, "state", "preApprovedAt"?,
    "enabledAt"?}], "callbackUrl"?, "counts": {jobs, candidates, applications}}], "lastDelivery",
    "missingTypes": RSC types not pre-approved yet}``."""
    contexts = [*application.get("organizations", []), *application.get("contracts", [])]
    integrations = emulator.integrations.of_contexts(contexts)
    shown = []
    for context in contexts:
        own = [{**doc, "state": integration_state(doc)} for doc in integrations if doc["integrationContext"] == context]
        counts = {name: len(KINDS[name].spec.of(emulator.store).find_keys(integrationContext=context))
                  for name in COUNTED}
        shown.append({"context": context, "integrations": own, "counts": counts,
                      "callbackUrl": emulator.integrations.configuration_value(context, "ONE_CLICK_EXPORT",
                                                                                "CALLBACK_URL")})
    approved = {doc["integrationType"] for doc in integrations}
    return {"key": application["key"], "name": application.get("name", ""), "clientId": application.get("clientId"),
            "uniqueForeignId": application.get("uniqueForeignId"), "contexts": shown,
            "lastDelivery": last_delivery(emulator, application["key"]),
            "missingTypes": [name for name in RSC_TYPES if name not in approved]}


def overview(request: Request) -> dict:
    """The overview page's data for the app serving ``request``: ``customers`` (:func:`customer_view`, by
    key), ``totals`` (rows of jobs, candidates, applications), ``tables`` (rows per store table), ``quotas``
    (:func:`served_quotas`) and ``clock`` (``GET /_mock/clock``)."""
    emulator = world(request)
    customers = sorted(emulator.customers.children(), key=lambda doc: doc["key"])
    return {"customers": [customer_view(emulator, doc) for doc in customers],
            "totals": {name: len(KINDS[name].spec.of(emulator.store)) for name in COUNTED},
            "tables": dict(sorted(emulator.store.counts().items())),
            "quotas": served_quotas(request), "clock": emulator.clock.state()}
