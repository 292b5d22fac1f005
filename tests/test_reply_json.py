"""Rest.li reply bodies (restli/render.json_body) for values orjson refuses: a lone surrogate (as a value, as a key,
in an error message), alone or with an integer beyond 64 bits or a key that is no string. UTF-8 cannot carry a
lone surrogate: such a body is written in ASCII with the surrogate as its JSON escape, never a 500."""

from __future__ import annotations

import json

import httpx
import pytest

from mock_server.domain.synced import CANDIDATES
from mock_server.restli.errors import RestliError
from mock_server.restli.render import error_response, json_body
from mock_server.testing.server import RunningServer
from tests.conftest import token_for

SURROGATE_VALUES = [
    {"firstName": "x\ud800y"},
    {"x\udfff": 1},
    ["\ud800", 2**70],
    {"a": "\ud800", 1: "b"},
    {"n": {"deep": ["é", "\udc00", -(2**65)]}},
]


@pytest.mark.parametrize("value", SURROGATE_VALUES)
def test_reply_body_of_a_lone_surrogate_is_ascii_json(value):
    body = json_body(value)
    assert body.isascii()
    assert json.loads(body) == json.loads(json.dumps(value))  # int keys read back as strings, as JSON has them
    assert b" " not in body.replace(b'" "', b"")


def test_error_reply_of_a_message_with_a_lone_surrogate():
    response = error_response(RestliError(400, "bad value \ud800 here"), "2.0.0")
    assert response.status_code == 400
    assert json.loads(response.body)["message"] == "bad value \ud800 here"


def test_non_ascii_without_surrogates_stays_utf8():
    assert json_body({"a": "é", "b": 2**70}) == '{"a":"é","b":1180591620717411303424}'.encode()


ORG = "urn%3Ali%3Aorganization%3A1000"
V2_KEY = f"(atsCandidateId:SURR-1,dataProvider:ATS,integrationContext:{ORG})"
REST_KEY = f"(externalCandidateId:SURR-1,integrationContext:{ORG})"
CANDIDATE = {"firstName": "MARK", "emailAddresses": ["surr@example.com"], "externalProfileUrl": "https://ats.example.com/c/1",
             "addresses": [], "phoneNumbers": [], "atsCreatedAt": 1700000000000, "atsLastModifiedAt": 1700000000000}


def test_stored_lone_surrogate_reads_back_through_every_read():
    """A stored record holding a lone surrogate (written into the store directly: every input path refuses one):
    BATCH_GET under v2 (protocols 1.0 and 2.0, with a projection) and /rest answer 200 with it escaped (was a
    500)."""
    with RunningServer() as server, httpx.Client(base_url=server.url) as http:
        token = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
        v2 = {**token, "X-RestLi-Protocol-Version": "2.0.0"}
        rest = {**v2, "LinkedIn-Version": "202604"}
        put = http.put(f"/v2/atsCandidates?ids=List({V2_KEY})", headers=v2, json={"entities": {V2_KEY: CANDIDATE}})
        assert put.status_code == 200, put.text
        table = CANDIDATES.table.of(server.emulator.store)
        (where,) = [key for key, doc in table.items() if doc.get("firstName") == "MARK"]
        table.put(where, {**table.get(where), "firstName": "x\ud800y"})
        reads = [
            http.get(f"/v2/atsCandidates?ids=List({V2_KEY})", headers=v2),
            http.get(f"/v2/atsCandidates?ids=List({V2_KEY})&fields=firstName", headers=v2),
            http.get("/v2/atsCandidates?ids[0].atsCandidateId=SURR-1&ids[0].dataProvider=ATS"
                     "&ids[0].integrationContext=urn:li:organization:1000", headers=token),
            http.get(f"/rest/candidates?ids=List({REST_KEY})", headers=rest),
            http.get(f"/rest/candidates?ids=List({REST_KEY})&fields=firstName", headers=rest),
        ]
        for reply in reads:
            assert reply.status_code == 200, reply.text
            assert reply.content.isascii()
            (shown,) = reply.json()["results"].values()
            assert shown["firstName"] == "x\ud800y"
