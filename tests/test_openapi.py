"""The OpenAPI 3.1 document: valid, complete (every resource, method, schema and route), same from the CLI."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from mock_server import schemas
from mock_server.cli import main
from mock_server.restli.methods import VERB
from mock_server.tools.openapi import entity_schema_name


def test_document_is_valid_openapi_3_1(http):
    doc = http.get("/_mock/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)


def test_every_resource_and_method_is_described(http, server):
    doc = http.get("/_mock/openapi.json").json()
    for (base, path), resource in server.app.state.dispatcher.resources.items():
        names = path.split("/")
        collection = f"/{base}/{names[0]}" + (f"/{{parentKey}}/{names[1]}" if len(names) > 1 else "")
        for method in resource.methods:
            listed = [op for p, item in doc["paths"].items() if p in (collection, collection + "/{key}")
                      for verb, op in item.items() if verb == VERB[method].lower()
                      and method in op.get("x-restli-methods", [])]
            assert len(listed) == 1, (base, path, method)
            operation = listed[0]
            assert operation["responses"]["default"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/RestliError"}
            header_names = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
            assert ("LinkedIn-Version" in header_names) == (base == "rest")


def test_entity_schemas_are_components_and_used(http):
    doc = http.get("/_mock/openapi.json").json()
    components = doc["components"]["schemas"]
    for name in schemas.names():
        assert (name in components) != name.startswith("fixture."), name
    assert "$id" not in json.dumps(components) and "$schema" not in json.dumps(components)
    text = json.dumps(doc["paths"])
    assert "#/components/schemas/atsIntegration.patch" in text
    assert "#/components/schemas/provisionedApplication.create" in text


def test_schema_names_follow_the_resource_path():
    known = set(schemas.names()) | {"atsCandidateThing", "seatV2"}
    assert entity_schema_name("atsIntegrations", known) == "atsIntegration"
    assert entity_schema_name("atsIntegrations/configurations", known) == "atsIntegrationConfiguration"
    assert entity_schema_name("provisionedApplications", known) == "provisionedApplication"
    assert entity_schema_name("seatsV2", known) == "seatV2"
    assert entity_schema_name("atsCandidates/things", known) == "atsCandidateThing"
    assert entity_schema_name("nothingLikeThis", known) is None


def test_other_routes_are_described_with_their_docstrings(http):
    doc = http.get("/_mock/openapi.json").json()
    assert "post" in doc["paths"]["/oauth/v2/accessToken"]
    faults = doc["paths"]["/_mock/faults"]
    assert set(faults) >= {"get", "post", "delete"} and faults["post"]["summary"] == "Add a fault rule."
    assert doc["paths"]["/_mock/faults/{rule_id}"]["delete"]["parameters"][0]["name"] == "rule_id"
    assert not any(p in doc["paths"] for p in ("/v2/{path}", "/rest/{path}"))


def test_cli_writes_the_same_document(http, tmp_path):
    target = tmp_path / "openapi.json"
    assert main(["openapi", "-o", str(target)]) == 0
    written = json.loads(target.read_text())
    validate(written)
    assert written["paths"].keys() == http.get("/_mock/openapi.json").json()["paths"].keys()
