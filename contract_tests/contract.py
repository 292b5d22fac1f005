"""What a contract case checks: the reply's status and that its JSON body matches a JSON Schema.

Schemas are named by file: the reply schemas of ``contract_tests/schemas/`` (envelopes ``envelope.*.json``
and reply entities ``*.reply.json``) and every schema of ``mock_server/schemas/`` (reused where the emulator's
entity shape is the reply). :func:`batch_get` and :func:`collection` wrap an entity schema in its envelope.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import httpx
import jsonschema
from referencing import Resource
from referencing.jsonschema import DRAFT202012

from mock_server import schemas as mock_schemas

HERE = Path(__file__).resolve().parent / "schemas"

ERROR = {"$ref": "envelope.error.json"}
BATCH_STATUS = {"$ref": "envelope.batchStatus.json"}
BATCH_CREATE = {"$ref": "envelope.batchCreate.json"}


def batch_get(entity: str) -> dict:
    """A BATCH_GET reply whose ``results`` are ``entity`` documents."""
    return {"$ref": "envelope.batchGet.json",
            "properties": {"results": {"additionalProperties": {"$ref": entity}}}}


def collection(entity: str) -> dict:
    """A FINDER reply whose ``elements`` are ``entity`` documents."""
    return {"$ref": "envelope.collection.json", "properties": {"elements": {"items": {"$ref": entity}}}}


@functools.cache
def registry():
    """The emulator's schemas plus the contract reply schemas, each under its file name."""
    own = [(path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8")),
                                              default_specification=DRAFT202012))
           for path in sorted(HERE.glob("*.json"))]
    return mock_schemas.registry().with_resources(own)


def schema_errors(document, schema: dict) -> list[str]:
    """Every violation of ``schema`` by ``document``, as ``/json/pointer: message`` lines."""
    validator = jsonschema.Draft202012Validator(schema, registry=registry())
    found = sorted(validator.iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))
    return ["/" + "/".join(map(str, error.absolute_path)) + ": " + error.message for error in found]


def describe(reply: httpx.Response) -> str:
    """``METHOD url → status: body`` (body cut at 600 characters) for assertion messages."""
    return f"{reply.request.method} {reply.request.url} → {reply.status_code}: {reply.text[:600]}"


def expect(reply: httpx.Response, status: int, schema: dict | None = None):
    """Assert the reply's ``status`` and, with ``schema``, that its body is JSON matching it; returns the body
    (``None`` for an empty one)."""
    assert reply.status_code == status, f"expected {status}: {describe(reply)}"
    if schema is None:
        return reply.json() if reply.content else None
    try:
        body = reply.json()
    except ValueError:
        raise AssertionError(f"not JSON: {describe(reply)}") from None
    problems = schema_errors(body, schema)
    assert not problems, "reply does not match its schema:\n  " + "\n  ".join(problems) + "\n" + describe(reply)
    return body


def expect_all(reply: httpx.Response, status: int = 204) -> dict:
    """A batch status reply (200) where every key has ``status`` and ``errors`` is empty; returns the body."""
    body = expect(reply, 200, BATCH_STATUS)
    assert body["errors"] == {}, f"unexpected per-key errors: {describe(reply)}"
    assert body["results"] and all(r["status"] == status for r in body["results"].values()), describe(reply)
    return body


def only_error(body: dict) -> dict:
    """The single entry of a batch reply's ``errors``."""
    assert len(body["errors"]) == 1, f"expected one error entry, got {body['errors']}"
    return next(iter(body["errors"].values()))


def bearer(target, client_id: str, secret: str) -> dict[str, str]:
    """``Authorization`` headers with a 2-legged token from ``target``'s token endpoint
    (``POST <oauth_url>/oauth/v2/accessToken``, client credentials)."""
    reply = httpx.post(target.oauth_url + "/oauth/v2/accessToken", timeout=60,
                       data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert reply.status_code == 200, f"token endpoint refused {client_id}: {reply.status_code} {reply.text[:300]}"
    return {"Authorization": "Bearer " + reply.json()["access_token"]}


def key_text(key: dict) -> str:
    """A compound key in protocol 1.0 form, parts in the given order, URNs raw (as the Postman collection
    writes them in paths and in ``entities``)."""
    return "&".join(f"{part}={value}" for part, value in key.items())


def ids_query(*keys: dict) -> str:
    """``ids[0].part=value&…`` for each compound key (protocol 1.0, the Postman collection's form)."""
    return "&".join(f"ids[{index}].{part}={value}" for index, key in enumerate(keys) for part, value in key.items())
