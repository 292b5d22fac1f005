"""Every /rest error names fields by their versioned names: for each rename table of
:mod:`mock_server.domain.renames`, requests that fail in every way the resource can (an empty or wrong-typed
entity, a missing entity, a missing parent, a finder without its parameters, a bad key part) answer messages that
never carry a v2-only name (``atsCandidateId``, ``atsEntityType``…) or a key part the version dropped
(``dataProvider`` where the versioned key has none)."""

from __future__ import annotations

import re

import pytest

from mock_server.domain import renames
from tests.resource_calls import request_for, send, served_calls

TABLES = [value for value in vars(renames).values() if isinstance(value, renames.Renames)]
BY_PATH = {table.rest: table for table in TABLES}
CALLS = [(base, resource, method) for base, resource, method in served_calls()
         if base == "rest" and resource.path in BY_PATH]


def v2_only_names(table: renames.Renames) -> set[str]:
    """The names a message about ``table``'s resource must not use."""
    names = {rename.v2 for rename in (*table.key, *table.fields) if rename.v2 and rename.v2 != rename.rest}
    names |= {name for name, _ in table.dropped}
    return names - {rename.rest for rename in (*table.key, *table.fields)}


def messages(reply) -> list[str]:
    """Every error message of a reply, whole or per entity."""
    body = reply.json()
    found = [body["message"]] if "message" in body else []
    return found + [error["message"] for error in body.get("errors", {}).values()]


def variants(base, resource, method):
    """Failing requests for one call: the wrong entities, unknown keys, missing finder parameters."""
    if method.startswith("FINDER"):
        request = request_for(base, resource, method)
        path, _, query = request.url.partition("?")
        yield type(request)(request.verb, f"{path}?{query.split('&')[0]}", request.headers)
        return
    overrides = {part: f"NOPE-{part}" for part in (resource.key_parts or ()) if part.endswith("Id")}
    if "integrationType" in (resource.key_parts or ()):  # an integration never pre-approved (404)
        yield request_for(base, resource, method, integrationType="PROFILE_PLUGIN_NOPE")
        overrides["integrationType"] = "CSA_API"  # a contract type under an organization (400)
    yield request_for(base, resource, method, **overrides)
    if method == "BATCH_UPDATE":
        for entity in ({}, {"note": 5, "stage": 5, "externalCreatedAt": "x", "firstName": 5}):
            request = request_for(base, resource, method, **overrides)
            [key] = request.body["entities"]
            request.body = {"entities": {key: entity}}
            yield request
    yield request_for(base, resource, method, **{**overrides, "dataProvider": "XYZ", "entityType": "NOPE"})


@pytest.mark.parametrize("call", CALLS, ids=lambda call: f"{call[1].path}-{call[2]}")
def test_rest_errors_use_the_versioned_names(http, customer, call):
    table = BY_PATH[call[1].path]
    forbidden = v2_only_names(table)
    seen = []
    for request in variants(*call):
        reply = send(http, request, customer)
        assert reply.status_code < 500, reply.text
        for message in messages(reply):
            seen.append(message)
            used = [name for name in forbidden if re.search(rf"(?<![A-Za-z0-9_]){name}(?![A-Za-z0-9_])", message)]
            assert used == [], (request.url, message)
    assert seen, f"no request of {call[1].path} {call[2]} failed: the test would prove nothing"


def test_the_renamed_fields_are_covered():
    assert {"dataProvider", "atsCandidateId", "atsCreatedAt", "atsEntityType", "atsJobApplicationId"} <= set().union(
        *(v2_only_names(table) for table in TABLES))
