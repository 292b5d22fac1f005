"""``developerApplicationsSecurity``: rotate and delete application secrets (LinkedIn's application-secret
management, linked from the provisioning page's li-lts-2026-03 view).

``POST /v2/developerApplicationsSecurity?action=rollDeveloperApplicationSecret`` (``X-RestLi-Method: action``)
with ``{}`` rotates the caller's own (parent) application, with ``{"childDeveloperApplication": "urn:li:…"}``
one of its children; 200 ``{"value": {"client_secret": "<new>"}}``. The new secret is added beside the old
one and both stay valid; an application holds at most two, so a third rotation → 400 until one is deleted.

``…?action=deleteDeveloperApplicationSecret`` with ``{"client_secret": "<old>"}`` (and
``childDeveloperApplication`` for a child) removes a secret: from then on the token endpoint refuses it and
every token minted with it is revoked (401 65602). 200 ``{"value": {}}``.

Documented: the roll action, its headers, bodies and reply, two secrets at most, both active after a rotation,
the parent's token for a child's secrets. Inferred (the page is cut off after the roll action): the delete
action's name and body, the 400s, and that deleting a secret revokes the tokens minted with it.
"""

from __future__ import annotations

from mock_server.api.access import PARENT
from mock_server.api.gate import Policy
from mock_server.api.resources.common import V2, caller, world_of
from mock_server.domain.customers import APPLICATION_URN_FORM, is_application_urn
from mock_server.restli.errors import RestliError, field_error, shown
from mock_server.restli.resource import Call, Resource

ROLL = "rollDeveloperApplicationSecret"
DELETE = "deleteDeveloperApplicationSecret"


def target_application(call: Call) -> dict:
    """The application a call manages: the caller's own, or the child named by ``childDeveloperApplication``
    (400 unless it is a developer application URN, 404 unless it is one of the caller's children)."""
    own = caller(call).application
    child = call.body.get("childDeveloperApplication")
    if child is None:
        return own
    if not is_application_urn(child):
        raise field_error("childDeveloperApplication", f"{shown(child)} is not a developer application URN"
                                                       f" ({APPLICATION_URN_FORM})", 400)
    doc = world_of(call).customers.by_key(child)
    if doc is None or doc.get("parent") != own["key"]:
        raise RestliError(404, f"No child application {child} of this application", 404)
    return doc


def string_problem(body: dict, name: str) -> str | None:
    """Why ``body[name]`` is not a non-empty string (missing, ``null``, another type, empty), or None."""
    if name not in body:
        return "field is required but not found and has no default value"
    value = body[name]
    if value is None:
        return "must not be null"
    if not isinstance(value, str):
        return f"{shown(value)} cannot be coerced to String"
    return None if value else "must not be empty"


def action(call: Call) -> dict:
    """ACTION ``rollDeveloperApplicationSecret`` / ``deleteDeveloperApplicationSecret``."""
    world = world_of(call)
    if call.action == ROLL:
        unknown = sorted(set(call.body) - {"childDeveloperApplication"})
        if unknown:
            raise field_error(unknown[0], "unknown field (expected childDeveloperApplication)", 400)
        return {"client_secret": world.customers.roll_secret(target_application(call))}
    if call.action == DELETE:
        unknown = sorted(set(call.body) - {"childDeveloperApplication", "client_secret"})
        if unknown:
            raise field_error(unknown[0], "unknown field (expected client_secret, childDeveloperApplication)", 400)
        problem = string_problem(call.body, "client_secret")
        if problem is not None:
            raise field_error("client_secret", problem, 400)
        secret = call.body["client_secret"]
        doc = target_application(call)
        with world.store.transaction():
            world.customers.delete_secret(doc, secret)
            world.tokens.revoke_stale(world.customers.secrets_for, doc["key"])
        return {}
    raise RestliError(400, f"Unknown action {shown(call.action)} on developerApplicationsSecurity (actions: {ROLL},"
                           f" {DELETE})", 400)


RESOURCES = [(Resource(path="developerApplicationsSecurity", handlers={"ACTION": action}, actions=(ROLL, DELETE),
                       policy=Policy(audience=PARENT)), V2)]
