"""Bounds on what a request body may say, as a class: every integer of every schema and of every admin body is
a signed 64-bit ``long`` (Rest.li's integer type) and the message names the field."""

from __future__ import annotations

import json
import re

import pytest

from mock_server import schemas
from mock_server.schemas import validation
from tests.test_candidates import candidate, key, put
from tests.test_versioned import CANDIDATE, LATEST, batch, statuses
from tests.test_versioned import key as key2
from tests.test_versioned_apis import MEDIA

TOO_BIG = [10**40, 2**63, -(2**63) - 1]


def integer_subschemas(node, where=""):
    """``(path, subschema)`` of every subschema typed integer in ``node``."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from integer_subschemas(item, f"{where}/{index}")
    elif isinstance(node, dict):
        types = node.get("type")
        if types == "integer" or (isinstance(types, list) and "integer" in types):
            yield where, node
        for name, child in node.items():
            if name not in ("enum", "const", "examples", "default"):
                yield from integer_subschemas(child, f"{where}/{name}")


@pytest.mark.parametrize("name", schemas.names())
def test_every_integer_of_every_schema_is_a_long(name):
    found = list(integer_subschemas(schemas.load(name)))
    for where, subschema in found:
        assert schemas.LONG_MIN <= subschema["minimum"] and subschema["maximum"] <= schemas.LONG_MAX, (name, where)
        sub = validation.validator(name).evolve(schema={**subschema, "$defs": schemas.load(name).get("$defs", {})})
        for value in TOO_BIG:
            assert list(sub.iter_errors(value)), (name, where, value)


def test_rest_candidates_refuse_numbers_beyond_a_long(http, customer):
    parent = key2(externalCandidateId="C1", integrationContext="urn:li:organization:1000")
    for value in (10**40, 2**63):
        for field in ("externalCreatedAt", "externalLastModifiedAt"):
            reply = batch(http, "PUT", "/rest/candidates", {parent: {**CANDIDATE, field: value}}, customer)
            assert statuses(reply) == {parent: 422}
            message = reply.json()["errors"][parent]["message"]
            assert f"ERROR :: /{field} ::" in message and "4000-01-01" in message, message
    assert http.get(f"/rest/candidates?ids=List({parent})", headers={**customer, **LATEST}).json()["results"] == {}


def test_v2_candidates_refuse_numbers_beyond_a_long(http, customer):
    reply = put(http, customer, {key(): candidate(atsCreatedAt=10**40)})
    assert reply.status_code == 200
    [error] = reply.json()["errors"].values()
    assert error["status"] == 422 and "ERROR :: /atsCreatedAt ::" in error["message"]


@pytest.mark.parametrize("ttl, words", [
    ({"duration": 10**30, "unit": "DAY"}, "ERROR :: /blobTtl/duration :: 1000000000000000000000000000000 cannot be"
                                          " coerced to Long"),
    ({"duration": 2**62, "unit": "DAY"}, "ERROR :: /blobTtl/duration :: 4611686018427387904 DAY would expire after"
                                         " 4000-01-01"),
    ({"duration": 10**15, "unit": "MILLISECOND"}, "would expire after 4000-01-01"),
])
def test_hire_media_url_refuses_an_expiry_beyond_the_clock(http, customer, ttl, words):
    reply = http.post("/v2/hireMediaUrl", json={**MEDIA, "blobTtl": ttl},
                      headers={**customer, "Content-Type": "application/json"})
    assert reply.status_code == 422, reply.text
    assert words in reply.json()["message"]


@pytest.mark.parametrize("path, body, where", [
    ("/_mock/clock", {"advance": 10**40}, "/advance"),
    ("/_mock/clock", {"set": 2**63}, "/set"),
    ("/_mock/tokens", {"client_id": "demo-customer", "expires_in": 2**63}, "/expires_in"),
    ("/_mock/faults", {"match": {"path": "/x"}, "action": {"status": 500, "body": {"n": [1, -(2**63) - 1]}}},
     "/action/body/n/1"),
    ("/_mock/quotas", {"rest/candidates": 10**40}, "/rest~1candidates"),  # PUT
])
def test_admin_bodies_refuse_numbers_beyond_a_long(http, path, body, where):
    reply = http.request("PUT" if path == "/_mock/quotas" else "POST", path, json=body)
    assert reply.status_code == 400, reply.text
    assert reply.json()["message"] == f"ERROR :: {where} :: cannot be coerced to Long (a signed 64-bit integer)"


# ---- messages: the field, the limit, a short JSON excerpt of the value -----------------------------------

def test_a_huge_value_gets_a_short_message_naming_the_field_and_the_limit(http, customer):
    reply = http.post("/v2/hireMediaUrl", json={**MEDIA, "fileName": "x" * 1_000_000},  # the body limit is 1 MB
                      headers={**customer, "Content-Type": "application/json"})
    assert reply.status_code == 422
    message = reply.json()["message"]
    assert message == f'ERROR :: /fileName :: must be at most 255 characters long, got 1000000: "{"x" * 40}…"'


def test_control_characters_are_shown_as_json_escapes(http, customer):
    reply = http.post("/v2/hireMediaUrl", json={**MEDIA, "contentType": "text/plain\n\x00" + "y" * 100},
                      headers={**customer, "Content-Type": "application/json"})
    assert reply.status_code == 422
    assert reply.json()["message"] == ('ERROR :: /contentType :: "text/plain\\n\\u0000' + "y" * 28
                                       + '…" is not an enum symbol')


@pytest.mark.parametrize("document, pointer, reason", [
    ({"fileName": "", **{k: v for k, v in MEDIA.items() if k != "fileName"}}, "/fileName", "must not be empty"),
    ({**MEDIA, "hiringContext": 5}, "/hiringContext", "5 cannot be coerced to String"),
    ({**MEDIA, "blobTtl": {"duration": 0, "unit": "DAY"}}, "/blobTtl/duration", "must be greater than 0, got 0"),
    ({**MEDIA, "blobTtl": {"duration": 1, "unit": None}}, "/blobTtl/unit", "null is not an enum symbol"),
    ({**MEDIA, "extra": True, "more": 1}, "/extra",
     "unrecognized field found but not allowed (also unrecognized: /more)"),
])
def test_every_schema_keyword_is_worded_without_python(document, pointer, reason):
    assert (pointer, reason) in validation.errors("hireMediaUrl.create", document)


# ---- no Python spellings in any message --------------------------------------------------------------------

PYTHON_ONLY = re.compile(r"\bNone\b|\bTrue\b|\bFalse\b|NoneType|\\x[0-9a-fA-F]{2}|\\u00[0-9a-fA-F]{2}|\bdict\b"
                         r"|\blist\b|\bstr\b|\bint\b|\bfloat\b|\bbool\b|'[^']*'|codec")
ORG = "urn%3Ali%3Aorganization%3A1000"
V2_OCE = ("ids[0].integrationContext=urn:li:organization:1000&ids[0].integrationType=ONE_CLICK_EXPORT"
          "&ids[0].tenantType=RECRUITER&ids[0].dataProvider=ATS")
OCE_KEY = ("integrationContext=urn:li:organization:1000&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER"
           "&dataProvider=ATS")
JSON_BODY = {"Content-Type": "application/json"}
REST = {**JSON_BODY, **LATEST}
# (method, path, extra headers, raw body, status, words the message must contain)
PYTHONLESS = [
    ("GET", f"/rest/candidates?ids=List((externalCandidateId:List(a),integrationContext:{ORG}))", LATEST, b"", 400,
     "is not a compound key"),
    ("GET", f"/rest/candidates?ids=List((externalCandidateId:a,integrationContext:{ORG}))",
     {**LATEST, "LinkedIn-Version": "２０２６０４".encode()}, b"", 400, 'LinkedIn-Version header "２０２６０４"'),
    ("POST", "/v2/hireMediaUrl", JSON_BODY, b"null", 400, "must be a JSON object, not null"),
    ("POST", "/v2/hireMediaUrl", JSON_BODY, b"[1]", 400, "must be a JSON object, not array"),
    ("POST", "/v2/hireMediaUrl", JSON_BODY, b'{"fileName": "\xff"}', 400, "not UTF-8 text (byte 0xff at offset 14"),
    ("POST", "/v2/hireMediaUrl", JSON_BODY, json.dumps({**MEDIA, "fileName": None}).encode(), 422,
     "/fileName :: null cannot be coerced to String"),
    ("POST", "/v2/hireMediaUrl", JSON_BODY, json.dumps({**MEDIA, "fileName": True}).encode(), 422,
     "/fileName :: true cannot be coerced to String"),
    ("POST", f"/v2/atsIntegrations?{V2_OCE}", {**JSON_BODY, "X-RestLi-Method": "BATCH_PARTIAL_UPDATE"},
     json.dumps({"entities": {OCE_KEY: {"patch": {"$set": {"enabledAt": 1}}}}}).encode(), 200, "/enabledAt"),
    ("POST", f"/v2/atsIntegrations?{V2_OCE}", {**JSON_BODY, "X-RestLi-Method": "BATCH_PARTIAL_UPDATE"},
     json.dumps({"entities": {OCE_KEY: None}}).encode(), 400, "must be a JSON object, not null"),
    ("POST", "/v2/simpleJobPostings", {**JSON_BODY, "X-RestLi-Method": "BATCH_CREATE"}, b'{"elements": [[]]}', 400,
     "must be a JSON object, not array"),
    ("POST", "/_mock/clock", {}, b'{"advance": "x"}', 400, '/advance :: "x" is not of type integer or number'),
    ("POST", "/_mock/clock", {}, b'{"freeze": 1}', 400, "/freeze :: 1 is not of type boolean"),
    ("POST", "/_mock/clock", {}, b'{"set": null, "advance": 1, "x": false}', 400, "/x"),
    ("POST", "/_mock/tokens", {}, b'{"client_id": "demo-customer", "member": 5}', 400,
     "/member :: 5 is not of type string"),
    ("POST", "/_mock/tokens", {}, b"null", 400, "must be a JSON object, not null"),
    ("PUT", "/_mock/snapshot", {}, b'{"format": "rsc-mock-snapshot", "version": 1, "tables": {"x": []}}', 400,
     "not array"),
    ("PUT", "/_mock/snapshot", {}, b'{"format": "rsc-mock-snapshot", "version": 1, "tables": []}', 400, "not array"),
]


@pytest.mark.parametrize("case", PYTHONLESS, ids=[f"{i:02d}-{c[5]}" for i, c in enumerate(PYTHONLESS)])
def test_no_message_has_python_spellings(http, customer, case):
    method, path, headers, body, status, words = case
    auth = {} if path.startswith("/_mock") else customer
    reply = http.request(method, path, headers={**auth, **headers}, content=body)
    assert reply.status_code == status, reply.text
    envelope = reply.json()
    message = envelope["message"] if status != 200 else next(iter(envelope["errors"].values()))["message"]
    assert words in message, message
    assert not PYTHON_ONLY.search(message), message
