"""A field the schema does not have is refused, not stored: every BATCH_UPDATE entity of every synced resource
(v2 and /rest, from the served resources) answers a validation error naming it (``ERROR :: /<field> ::
unrecognized field found but not allowed``, Rest.li's wording in LinkedIn's replies) and nothing is written."""

from __future__ import annotations

import pytest

from tests.resource_calls import ENTITIES, request_for, send, served_calls

UPDATES = [(base, resource, method) for base, resource, method in served_calls()
           if method == "BATCH_UPDATE" and resource.path in ENTITIES]


def test_the_class_is_not_empty():
    assert {"atsCandidates", "candidates", "atsApplications", "atsCandidates/notes",
            "applicationNotes"} <= {resource.path for _, resource, _ in UPDATES}


@pytest.mark.parametrize("extra", [{"favouriteColour": "blue"}, {"notes": [{"text": "x"}]}])
def test_an_unknown_field_is_refused_by_every_sync_resource(http, customer, extra):
    for parent in ("atsCandidates", "atsApplications"):  # the parents of the sub-resources
        resource = next(resource for _, resource, _ in UPDATES if resource.path == parent)
        assert send(http, request_for("v2", resource, "BATCH_UPDATE"), customer).json()["errors"] == {}
    wrong = []
    for base, resource, method in UPDATES:
        request = request_for(base, resource, method)
        [(key, entity)] = request.body["entities"].items()
        request.body = {"entities": {key: {**entity, **extra}}}
        reply = send(http, request, customer)
        errors = list(reply.json().get("errors", {}).values()) if reply.status_code == 200 else [reply.json()]
        name = next(iter(extra))
        if [error.get("status") for error in errors] not in ([422], [400]) or (
                f"/{name} :: unrecognized field" not in errors[0]["message"]):
            wrong.append((base, resource.path, [error.get("message") for error in errors]))
    assert wrong == []


def test_nothing_is_stored_and_the_clean_entity_still_syncs(http, customer):
    candidates = next(resource for base, resource, _ in UPDATES if resource.path == "atsCandidates")
    request = request_for("v2", candidates, "BATCH_UPDATE")
    [(key, entity)] = request.body["entities"].items()
    request.body = {"entities": {key: {**entity, "favouriteColour": "blue"}}}
    assert send(http, request, customer).json()["results"] == {}
    assert send(http, request_for("v2", candidates, "BATCH_GET"), customer).json()["results"] == {}
    assert send(http, request_for("v2", candidates, "BATCH_UPDATE"), customer).json()["errors"] == {}
    [stored] = send(http, request_for("v2", candidates, "BATCH_GET"), customer).json()["results"].values()
    assert "favouriteColour" not in stored
