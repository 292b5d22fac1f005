"""``provisionedApplications``: a partner provisions one child application per customer.

CREATE (201, ``X-RestLi-Id``, the application with ``key`` and ``credentials`` — ``client_id``,
``client_secret`` — in the body), PARTIAL_UPDATE (``$set``/``$delete`` of the optional fields; the URN raw or
%-encoded in the path) and FINDER ``credentialsByUniqueForeignId``. A duplicate ``uniqueForeignId`` → 409; a
CREATE without ``Content-Type: application/json`` → 415 (LinkedIn: "A header with 'Content-Type' set to
application/json is required for creating a Child Application"; the status is the emulator's). Parent (partner)
tokens only.
LinkedIn: https://learn.microsoft.com/en-us/linkedin/talent/middleware-platform/provisioning-api
"""

from __future__ import annotations

from mock_server.api.access import PARENT
from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2, caller, world_of
from mock_server.domain.customers import APPLICATION_URN_FORM, is_application_urn, public_view
from mock_server.restli.errors import RestliError, shown
from mock_server.restli.patch import apply_patch, patched_fields, read_patch
from mock_server.restli.resource import Call, Created, Finder, Resource
from mock_server.schemas import validation

EDITABLE = ("name", "description", "oauth2AuthorizedCallbackUrls", "validJsSdkDomains")
OPTIONAL = ("oauth2AuthorizedCallbackUrls", "validJsSdkDomains")


def require_json_content_type(call: Call) -> None:
    """415 unless the request says ``Content-Type: application/json`` (parameters such as ``charset`` allowed)."""
    given = call.headers.get("content-type")
    if (given or "").split(";")[0].strip().lower() != "application/json":
        raise RestliError(415, "A header with 'Content-Type' set to application/json is required for creating a"
                               f" child application (got {given or 'none'})", 415)


def create(call: Call) -> Created:
    """Provision a child application (a new customer with its own organization and contract)."""
    require_json_content_type(call)
    validation.check("provisionedApplication.create", call.body, status=400)
    world = world_of(call)
    parent = caller(call).application
    if world.customers.by_unique_foreign_id(parent["key"], call.body["uniqueForeignId"]) is not None:
        raise RestliError(409, f"An application with uniqueForeignId {shown(call.body['uniqueForeignId'])} already"
                               " exists for this partner", 409)
    doc = world.customers.provision(parent, call.body, world.clock.now_ms())
    return Created(doc["key"], 201, public_view(doc))


def partial_update(call: Call) -> None:
    """Patch a child application of the caller; 400 when the key is not a developer application URN, 404 when
    it is not one of the caller's children."""
    if not is_application_urn(call.key):
        raise RestliError(400, f"Malformed key {shown(call.key)}: expected a developer application URN"
                               f" ({APPLICATION_URN_FORM})", 400)
    world = world_of(call)
    doc = world.customers.by_key(call.key)
    if doc is None or doc.get("parent") != caller(call).application["key"]:
        raise RestliError(404, f"No provisioned application {call.key} for this partner", 404)
    patch = read_patch(call.body)
    current = {name: doc[name] for name in EDITABLE if name in doc}
    updated = apply_patch(current, patch)
    deleted = set(patch.get("$delete", []))
    unknown = sorted((patched_fields(patch) - set(EDITABLE)) | (deleted - set(OPTIONAL)))
    if unknown:
        raise RestliError(400, f"ERROR :: /{unknown[0]} :: cannot be changed by a partial update"
                               f" (editable: {', '.join(EDITABLE)}; removable: {', '.join(OPTIONAL)})")
    validation.check("provisionedApplication.patch", updated, status=400)
    world.customers.save({**doc, **{name: updated.get(name, []) for name in OPTIONAL}, "name": updated["name"],
                          "description": updated.get("description", "")})


def by_unique_foreign_id(call: Call) -> list[dict]:
    """FINDER ``q=credentialsByUniqueForeignId&uniqueForeignId=…``: the matching child, or no element."""
    unique_foreign_id = call.query.require("uniqueForeignId")
    doc = world_of(call).customers.by_unique_foreign_id(caller(call).application["key"], unique_foreign_id)
    return [public_view(doc)] if doc else []


RESOURCES = [(Resource(
    path="provisionedApplications",
    handlers={"CREATE": create, "PARTIAL_UPDATE": partial_update},
    finders={"credentialsByUniqueForeignId": Finder(by_unique_foreign_id)},
    policy=Policy(audience=PARENT),
), V2)]
