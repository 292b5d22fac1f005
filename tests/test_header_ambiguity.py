"""Headers that select one thing, sent twice, and protocol versions Rest.li does not speak: a 400 naming the
header on every Rest.li route (/v2 and /rest, every method), never a silent pick of one value."""

from __future__ import annotations

import base64

import pytest

from tests.resource_calls import request_for, served_calls

CALLS = {(base, resource.path, method): (base, resource, method) for base, resource, method in served_calls()}
SAMPLE = [CALLS[key] for key in (("v2", "atsIntegrations", "FINDER request"), ("rest", "integrations", "BATCH_GET"),
                                 ("v2", "atsCandidates", "BATCH_UPDATE"), ("v2", "simpleJobPostings", "BATCH_CREATE"),
                                 ("v2", "provisionedApplications", "CREATE"))]


def sent(http, auth: dict, call, extra: list[tuple[str, str]]):
    """The request :func:`request_for` builds for ``call``, with ``extra`` headers appended (repeats kept)."""
    request = request_for(*call)
    headers = [*request.headers.items(), *auth.items(), *extra]
    return http.request(request.verb, request.url, headers=headers, json=request.body)


def duplicate(name: str, request_headers: dict, auth: dict) -> list[tuple[str, str]]:
    """A second ``name`` header (the first comes with the request or its credentials)."""
    first = {**request_headers, **auth}.get(name)
    return [(name, first)] if first else [(name, "2.0.0"), (name, "2.0.0")]


@pytest.mark.parametrize("name", ["LinkedIn-Version", "X-RestLi-Method", "Authorization",
                                  "X-RestLi-Protocol-Version"])
@pytest.mark.parametrize("call", SAMPLE, ids=lambda call: f"{call[0]}/{call[1].path}/{call[2]}")
def test_a_repeated_header_is_400_naming_it(http, customer, partner, name, call):
    auth = partner if call[1].path == "provisionedApplications" else customer
    request = request_for(*call)
    extra = duplicate(name, request.headers, auth)
    if name == "LinkedIn-Version" and call[0] == "v2":
        extra = [(name, "202604"), (name, "202604")]
    if name == "X-RestLi-Method" and name not in request.headers:
        extra = [(name, call[2].split()[0]), (name, call[2].split()[0])]
    reply = sent(http, auth, call, extra)
    assert reply.status_code == 400, reply.text
    assert reply.json()["message"].startswith(f"The header {name} was sent")


@pytest.mark.parametrize("version", ["3.0.0", "0.9.0", "garbage", "2.0.0.0", "", "2.1.0"])
def test_an_unknown_protocol_version_is_400(http, customer, version):
    reply = sent(http, customer, SAMPLE[1], [("X-RestLi-Protocol-Version", version)])
    assert reply.status_code == 400
    assert "used by the client is not supported" in reply.json()["message"]


@pytest.mark.parametrize("version, protocol, echo", [("1.0.0", "1", "1.0.0"), ("2.0.0", "2", "2.0.0"),
                                                     ("1.0", "1", "1.0.0"), ("2", "2", "2.0.0"),
                                                     ("1.5.0", "1", "1.5.0"), ("02.0.0", "2", "2.0.0")])
def test_known_protocol_versions_are_served(http, customer, version, protocol, echo):
    reply = sent(http, customer, SAMPLE[1], [("X-RestLi-Protocol-Version", version)])
    assert reply.status_code == 200
    [key] = reply.json()["results"]
    assert key.startswith("(") == (protocol == "2")
    # the reply names the version as Rest.li's ProtocolVersion.toString() writes it, whatever the spelling
    assert reply.headers["X-RestLi-Protocol-Version"] == echo


@pytest.mark.parametrize("version, status, echo", [("2", 414, "2.0.0"), ("1.0", 414, "1.0.0"),
                                                   ("3.0.0", 400, "1.0.0"), ("garbage", 400, "1.0.0")])
def test_an_error_reply_echoes_a_written_out_version(http, customer, version, status, echo):
    """An error reply — a refused URL, a refused version — echoes the version written out, never the raw
    header."""
    reply = http.get("/v2/atsCandidates/" + "a" * 5000 + "/notes?ids=x",
                     headers={**customer, "X-RestLi-Protocol-Version": version})
    assert reply.status_code == status
    assert reply.headers["X-RestLi-Protocol-Version"] == echo


def test_two_basic_credentials_on_the_token_endpoint_are_refused(http):
    basic = "Basic " + base64.b64encode(b"demo-customer:demo-customer-secret").decode()
    reply = http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials"},
                      headers=[("Authorization", basic), ("Authorization", basic)])
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
    assert "more than once" in reply.json()["error_description"]
