"""``atsIntegrations`` and its sub-resource ``configurations`` (customer onboarding, RSC module 1).

* BATCH_PARTIAL_UPDATE sets ``integrationName`` on pre-approved integrations;
* BATCH_GET returns the key parts, ``integrationName``, ``preApprovedAt``, ``enabledAt``;
* FINDER ``q=request&requestId=…`` resolves an INTEGRATION_STATUS_CHANGE push notification;
* ``atsIntegrations/{key}/configurations``: BATCH_UPDATE / BATCH_GET / BATCH_DELETE of CALLBACK_URL,
  JOB_POSTING_VIEWERS (ONE_CLICK_EXPORT) and APPLICATION_VIEWERS (IN_ATS_INDICATOR).

LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/recruiter-system-connect/rsc-customer-configuration
"""

from __future__ import annotations

import ipaddress
import unicodedata
from urllib.parse import urlsplit

from mock_server.api.gate import Policy
from mock_server.api.resources.common import (
    V2,
    caller,
    entity_context_error,
    per_entity,
    require_context,
    world_of,
)
from mock_server.domain.customers import context_kind
from mock_server.domain.integrations import (
    CONFIGURATION_KEYS,
    INTEGRATION_KEY,
    VIEWER_VALUES,
    integration_store_key,
    integration_view,
)
from mock_server.domain.quotas import INTEGRATIONS, Quota
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, shown
from mock_server.restli.patch import apply_patch, read_patch
from mock_server.restli.resource import Call, Finder, Resource
from mock_server.schemas import validation

KEY_ENUMS = {"tenantType": ("RECRUITER",), "dataProvider": ("ATS",)}
MAX_CALLBACK_URL_CHARS = 2048
MAX_HOST_CHARS = 253
POLICY = Policy(quota=Quota(INTEGRATIONS))  # each resource its own quota


def check_key(key: dict) -> None:
    """400 naming the part when an integration key is not a valid RSC integration key."""
    for part, allowed in KEY_ENUMS.items():
        if key[part] not in allowed:
            raise RestliError(400, f"ERROR :: /{part} :: \"{key[part]}\" is not an enum symbol (expected"
                                   f" {', '.join(allowed)})")
    schema_errors = validation.errors("atsIntegration", key)
    if schema_errors:
        where, reason = schema_errors[0]
        raise RestliError(400, f"ERROR :: {where} :: {reason}")
    expected = context_kind(key["integrationType"])
    if not key["integrationContext"].startswith(f"urn:li:{expected}:"):
        raise RestliError(400, f"ERROR :: /integrationContext :: {key['integrationType']} takes an {expected}"
                               f" URN (urn:li:{expected}:<id>), not {key['integrationContext']}")


def existing(call: Call, key: dict) -> dict:
    """The caller's pre-approved integration with ``key``; 403 / 400 / 404 otherwise."""
    error = entity_context_error(call, key["integrationContext"])
    if error is not None:
        raise error
    check_key(key)
    doc = world_of(call).integrations.get(key)
    if doc is None:
        raise RestliError(404, f"Integration {keycodec.format_key(key, 1)} has not been pre-approved by the"
                               " customer (the customer's admin approves it in the ATS integration"
                               " configuration widget)", 404)
    return doc


def batch_get(call: Call) -> dict:
    """BATCH_GET: each integration, or 403/400/404 in ``errors``."""
    return {canonical: per_entity(lambda k: integration_view(existing(call, k)))(key) for canonical, key in call.keys}


def batch_partial_update(call: Call) -> dict:
    """BATCH_PARTIAL_UPDATE: ``$set`` of ``integrationName``; 204 per key or its error."""
    world = world_of(call)

    def update(key, body):
        doc = existing(call, key)
        patch = read_patch(body, f"entity {keycodec.format_key(key, call.protocol)}")
        changes = apply_patch({}, patch)
        validation.check("atsIntegration.patch", changes)
        for field in patch.get("$delete", []):
            if field != "integrationName":
                raise RestliError(422, f"ERROR :: /{field} :: cannot be removed")
        updated = {k: v for k, v in doc.items() if k not in patch.get("$delete", [])}
        world.integrations.save({**updated, **changes})
        return 204

    with world.store.transaction():
        return {canonical: per_entity(update)(key, body) for canonical, key, body in call.entities}


def by_request(call: Call) -> list[dict]:
    """FINDER ``q=request&requestId=…``: the integrations of an INTEGRATION_STATUS_CHANGE notification;
    no element for an unknown or expired id."""
    world = world_of(call)
    notification = world.outbox.resolve(call.query.require("requestId"), "INTEGRATION_STATUS_CHANGE",
                                        caller(call).application["key"])
    if notification is None:
        return []
    found = []
    for key in notification.get("integrations", []):
        doc = world.integrations.get(key)
        if doc is not None:
            found.append(integration_view(doc))
    return found


# ---- configurations ------------------------------------------------------------------------------------

def parent_integration(call: Call) -> dict:
    """The integration a configurations call hangs off; request-level 403/400/404."""
    key = call.parent_key
    require_context(call, key["integrationContext"])
    check_key(key)
    doc = world_of(call).integrations.get(key)
    if doc is None:
        raise RestliError(404, f"Integration {keycodec.format_key(key, 1)} has not been pre-approved", 404)
    return doc


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (where plain http is allowed for callbacks)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback  # ::ffff:127.0.0.1 too


def callback_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a CALLBACK_URL (a phrase to follow "CALLBACK_URL"), or None when it can: at most
    2048 characters with no whitespace or control character, parseable, https (plain http only for loopback
    hosts), a host of at most 253 characters, a port (when given) from 1 to 65535. LinkedIn asks for an https
    URL (rsc-customer-configuration); the other limits are the emulator's [INFERRED] (RFC 3986, RFC 1035)."""
    if len(url) > MAX_CALLBACK_URL_CHARS:
        return f"is {len(url)} characters long (at most {MAX_CALLBACK_URL_CHARS})"
    odd = next((c for c in url if c.isspace() or unicodedata.category(c) == "Cc"), None)
    if odd is not None:
        return f"must not contain whitespace or control characters (found {shown(odd)})"
    try:
        parts = urlsplit(url)
    except ValueError as error:
        return f"is not a valid URL ({error})"
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or (host and parts.scheme == "http" and not is_loopback(host)):
        return "must be an https URL (plain http is accepted only for loopback hosts)"
    if not host:
        return "has no host"
    if len(host) > MAX_HOST_CHARS:
        return f"has a host of {len(host)} characters (at most {MAX_HOST_CHARS})"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return "has an invalid port (expected a number from 1 to 65535)"
    return None


def check_configuration(call: Call, integration: dict, name: str, body) -> str:
    """The value of a configuration entity after every rule; raises its error (400/409/422)."""
    owner_type = CONFIGURATION_KEYS.get(name)
    if owner_type is None:
        raise RestliError(400, f"Unknown configuration key {name}: use one of {', '.join(CONFIGURATION_KEYS)}")
    if owner_type != integration["integrationType"]:
        raise RestliError(400, f"Configuration key {name} belongs to the {owner_type} integration, not"
                               f" {integration['integrationType']}")
    validation.check("atsIntegrationConfiguration", body, status=400)
    value = body["configurationValue"]["string"]
    if name == "CALLBACK_URL":
        problem = callback_url_problem(value)
        if problem is not None:
            raise RestliError(400, f"ERROR :: /configurationValue/string :: CALLBACK_URL {problem}")
        owner = world_of(call).integrations.callback_owner(value)
        if owner is not None and owner != integration_store_key(integration):
            other = world_of(call).integrations.table.get(owner) or {}
            if other.get("integrationContext") not in caller(call).contexts:
                raise RestliError(409, "ERROR :: /configurationValue/string :: this CALLBACK_URL is already"
                                       " registered by another customer; each customer needs its own URL", 409)
    elif value not in VIEWER_VALUES:
        raise RestliError(400, f"ERROR :: /configurationValue/string :: {name} accepts only"
                               f" {', '.join(VIEWER_VALUES)}, not {shown(value)}")
    return value


async def configurations_batch_update(call: Call) -> dict:
    """BATCH_UPDATE (upsert) of configuration keys; 204 per key or its error."""
    world = world_of(call)
    integration = parent_integration(call)
    results: dict[str, str | int | RestliError] = {}  # the value to write, then its 204, or the key's error
    for canonical, name, body in call.entities:
        try:
            value = check_configuration(call, integration, name, body)
            if name == "CALLBACK_URL" and world.settings.callback_validation:
                await world.validate_callback(caller(call).application, value)
            results[canonical] = value
        except RestliError as error:
            results[canonical] = error
    with world.store.transaction():
        for canonical, name, _ in call.entities:
            if isinstance(results[canonical], str):
                world.integrations.configurations.put(world.integrations.configuration_key(integration, name), {
                    "integration": integration_store_key(integration),
                    "integrationContext": integration["integrationContext"],
                    "integrationType": integration["integrationType"],
                    "configurationKey": name,
                    "configurationValue": {"string": results[canonical]},
                })
                results[canonical] = 204
    return results


def configurations_batch_get(call: Call) -> dict:
    """BATCH_GET: ``{"configurationValue": {"string": …}}`` per key, 404 when not set."""
    world = world_of(call)
    integration = parent_integration(call)
    found = {}
    for canonical, name in call.keys:
        doc = world.integrations.configurations.get(world.integrations.configuration_key(integration, name))
        found[canonical] = ({"configurationValue": doc["configurationValue"]} if doc else
                            RestliError(404, f"Configuration {name} is not set for this integration", 404))
    return found


def configurations_batch_delete(call: Call) -> dict:
    """BATCH_DELETE: 204 per removed key, 404 when it was not set."""
    world = world_of(call)
    integration = parent_integration(call)
    results = {}
    with world.store.transaction():
        for canonical, name in call.keys:
            removed = world.integrations.configurations.delete(world.integrations.configuration_key(integration, name))
            results[canonical] = 204 if removed else RestliError(404, f"Configuration {name} is not set", 404)
    return results


RESOURCES = [
    (Resource(path="atsIntegrations", key_parts=INTEGRATION_KEY,
              handlers={"BATCH_GET": batch_get, "BATCH_PARTIAL_UPDATE": batch_partial_update},
              finders={"request": Finder(by_request)}, policy=POLICY), V2),
    (Resource(path="atsIntegrations/configurations", parent_key_parts=INTEGRATION_KEY,
              handlers={"BATCH_UPDATE": configurations_batch_update, "BATCH_GET": configurations_batch_get,
                        "BATCH_DELETE": configurations_batch_delete}, policy=POLICY), V2),
]
