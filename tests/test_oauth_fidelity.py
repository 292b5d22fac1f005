"""LinkedIn's documented OAuth answers, for every grant type they apply to, through the real server: token length
(authorization-code-flow: "~500 characters … plan for at least 1000"), client authentication in the form or as
HTTP Basic (LinkedIn's Postman guide), an unknown client id (client-credentials-flow: 400 ``invalid_client_id``),
introspection of another application's token (token-introspection: 200 ``active: false``) and 411 for a POST
without ``Content-Length`` (error-handling)."""

from __future__ import annotations

import base64
import socket
from urllib.parse import quote_plus, urlsplit

import pytest

from tests import test_oauth3
from tests.test_oauth3 import CLIENT, consent, exchange

# test_oauth3's fixture, bound here so pytest finds it for this module's tests (importing the name instead would
# read as a redefinition, ruff F811, at every parameter that asks for it).
callback = test_oauth3.callback

PARTNER = {"client_id": "demo-partner", "client_secret": "demo-partner-secret"}


def basic(client_id: str, secret: str) -> dict:
    """``Authorization: Basic`` of RFC 6749 §2.3.1 (each part form-urlencoded first)."""
    pair = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def grant_forms(http, callback) -> dict[str, dict]:
    """A valid token request of every grant type, client credentials left out."""
    code = consent(http, callback)["code"]
    refresh = exchange(http, consent(http, callback)["code"], callback).json()["refresh_token"]
    return {"client_credentials": {"grant_type": "client_credentials"},
            "authorization_code": {"grant_type": "authorization_code", "code": code, "redirect_uri": callback},
            "refresh_token": {"grant_type": "refresh_token", "refresh_token": refresh}}


def token_reply(http, form: dict, **kwargs):
    return http.post("/oauth/v2/accessToken", data=form, **kwargs)


def test_every_grant_gives_tokens_of_linkedins_length(http, callback):
    for grant, form in grant_forms(http, callback).items():
        reply = token_reply(http, {**form, **CLIENT})
        assert reply.status_code == 200, (grant, reply.text)
        body = reply.json()
        tokens = [body["access_token"]] + ([body["refresh_token"]] if "refresh_token" in body else [])
        for value in tokens:
            assert len(value) == 500, (grant, len(value))
            assert set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_every_grant_accepts_http_basic_client_authentication(http, callback):
    for grant, form in grant_forms(http, callback).items():
        reply = token_reply(http, form, headers=basic(CLIENT["client_id"], CLIENT["client_secret"]))
        assert reply.status_code == 200, (grant, reply.text)
        assert http.get("/v2/atsIntegrations?q=request&requestId=1" if grant == "client_credentials" else "/v2/me",
                        headers={"Authorization": "Bearer " + reply.json()["access_token"]}).status_code == 200


def test_basic_client_authentication_errors(http):
    form = {"grant_type": "client_credentials"}
    wrong = token_reply(http, form, headers=basic("demo-customer", "wrong"))
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    both = token_reply(http, {**form, "client_id": "demo-customer"}, headers=basic("demo-customer", "x"))
    assert (both.status_code, both.json()["error"]) == (400, "invalid_request")
    assert "client_id" in both.json()["error_description"]
    for header in ("Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode()):
        broken = token_reply(http, form, headers={"Authorization": header})
        assert (broken.status_code, broken.json()["error"]) == (400, "invalid_request"), header
    # a secret holding form-special characters travels %-encoded inside the Basic pair
    partner = token_reply(http, form, headers=basic(PARTNER["client_id"], PARTNER["client_secret"]))
    assert partner.status_code == 200, partner.text


def test_every_grant_answers_an_unknown_client_id_as_linkedin_does(http, callback):
    for grant, form in grant_forms(http, callback).items():
        for sent in ({"data": {**form, "client_id": "abcdefghijk", "client_secret": "nope"}},
                     {"data": form, "headers": basic("abcdefghijk", "nope")}):
            reply = http.post("/oauth/v2/accessToken", **sent)
            assert reply.status_code == 400, (grant, reply.text)
            assert reply.json() == {"error": "invalid_client_id",
                                    "error_description": 'The passed in client_id is invalid "abcdefghijk"'}
    introspected = http.post("/oauth/v2/introspectToken", data={"client_id": "abcdefghijk", "client_secret": "x",
                                                                "token": "AQVx"})
    assert (introspected.status_code, introspected.json()["error"]) == (400, "invalid_client_id")


def test_introspecting_another_applications_valid_token_is_inactive(http, callback):
    two_legged = token_reply(http, {"grant_type": "client_credentials", **CLIENT}).json()["access_token"]
    three_legged = exchange(http, consent(http, callback)["code"], callback).json()
    for value in (two_legged, three_legged["access_token"], three_legged["refresh_token"]):
        reply = http.post("/oauth/v2/introspectToken", data={**PARTNER, "token": value})
        assert (reply.status_code, reply.json()) == (200, {"active": False})
        own = http.post("/oauth/v2/introspectToken", data={**CLIENT, "token": value}).json()
        assert own["active"] is True and own["client_id"] == CLIENT["client_id"]


def raw_post(url: str, path: str, headers: str = "") -> tuple[int, bytes]:
    """A POST with neither Content-Length nor Transfer-Encoding, over a plain socket: ``(status, body)``."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{headers}Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


OAUTH_POSTS = ["/oauth/v2/accessToken", "/oauth/v2/introspectToken", "/oauth/v2/authorization"]
RESTLI_POSTS = [("/v2/provisionedApplications", ""),
                ("/v2/provisionedApplications/urn:li:developerApplication:11", ""),
                ("/v2/simpleJobPostings", "X-RestLi-Method: batch_create\r\n"),
                ("/v2/developerApplicationsSecurity?action=rollDeveloperApplicationSecret", ""),
                ("/v2/atsIntegrations?q=request&requestId=1", "X-HTTP-Method-Override: GET\r\n"),
                ("/rest/atsCandidates", "LinkedIn-Version: 202601\r\nX-HTTP-Method-Override: GET\r\n")]


@pytest.mark.parametrize("path", OAUTH_POSTS)
def test_oauth_post_without_content_length_is_411(server, path):
    status, body = raw_post(server.url, path)
    assert status == 411, body
    assert b"Content-Length" in body


@pytest.mark.parametrize("path, headers", RESTLI_POSTS)
def test_restli_post_without_content_length_is_411(server, http, path, headers):
    status, body = raw_post(server.url, path, headers + "Authorization: Bearer x\r\n")
    assert status == 411, body
    assert b"Content-Length" in body

    def chunks():  # a chunked upload carries no Content-Length either
        yield b'{"elements": []}'

    chunked = http.post(path.split("?")[0], content=chunks())
    assert chunked.status_code == 411 and chunked.headers["X-LinkedIn-Error-Response"] == "true"
