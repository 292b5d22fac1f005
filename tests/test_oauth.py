"""The OAuth token endpoint, introspection and bearer checks, against the running server."""

from __future__ import annotations

from tests.conftest import token_for


def test_client_credentials_form_gives_1800_second_token(http):
    form = {"grant_type": "client_credentials", "client_id": "demo-partner", "client_secret": "demo-partner-secret"}
    reply = http.post("/oauth/v2/accessToken", data=form)
    assert reply.status_code == 200
    body = reply.json()
    assert body["expires_in"] == 1800
    assert isinstance(body["access_token"], str) and len(body["access_token"]) > 20


def test_urlencoded_body_accepted_with_text_plain_content_type(http):
    reply = http.post("/oauth/v2/accessToken", headers={"Content-Type": "text/plain"},
                      content="grant_type=client_credentials&client_id=demo-customer&client_secret=demo-customer-secret")
    assert reply.status_code == 200, reply.text


def test_token_errors_use_oauth_shape(http):
    cases = [
        ({"client_id": "demo-partner", "client_secret": "demo-partner-secret"}, 400, "invalid_request", "grant_type"),
        ({"grant_type": "password", "client_id": "demo-partner", "client_secret": "x"}, 400, "unsupported_grant_type",
         "password"),
        ({"grant_type": "client_credentials", "client_id": "demo-partner", "client_secret": "wrong"}, 401,
         "invalid_client", ""),
        ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, 400, "invalid_client_id",
         'The passed in client_id is invalid "nobody"'),
        ({"grant_type": "client_credentials", "client_secret": "x"}, 400, "invalid_request", "client_id"),
    ]
    for form, status, error, mentioned in cases:
        reply = http.post("/oauth/v2/accessToken", data=form)
        assert reply.status_code == status, (form, reply.text)
        assert reply.json()["error"] == error
        assert mentioned in reply.json()["error_description"]


def test_credentials_in_url_are_refused(http):
    reply = http.post("/oauth/v2/accessToken?grant_type=client_credentials&client_id=demo-partner"
                      "&client_secret=demo-partner-secret")
    assert reply.status_code == 400
    assert reply.json()["error"] == "invalid_request"


def test_bearer_errors(http):
    path = "/v2/atsIntegrations?q=request&requestId=1"
    cases = [({}, 401, "Empty oauth2_access_token"),
             ({"Authorization": "Basic abc"}, 401, "Unknown authentication schema"),
             ({"Authorization": "Bearer nope"}, 401, "Invalid access token")]
    for headers, status, message in cases:
        reply = http.get(path, headers=headers)
        assert reply.status_code == status
        assert reply.json()["message"] == message
        assert reply.headers["X-LinkedIn-Error-Response"] == "true"
    assert http.get(path, headers={"Authorization": "Bearer nope"}).json()["serviceErrorCode"] == 65600


def test_token_expires_on_the_emulator_clock(http, server):
    token = token_for(http, "demo-customer", "demo-customer-secret")
    headers = {"Authorization": "Bearer " + token}
    assert http.get("/v2/atsIntegrations?q=request&requestId=1", headers=headers).status_code == 200
    server.emulator.clock.advance(1801)
    reply = http.get("/v2/atsIntegrations?q=request&requestId=1", headers=headers)
    assert reply.status_code == 401
    assert reply.json() == {"status": 401, "serviceErrorCode": 65601,
                            "message": "The token used in the request has expired"}


def test_introspection(http, server):
    token = token_for(http, "demo-customer", "demo-customer-secret")
    form = {"client_id": "demo-customer", "client_secret": "demo-customer-secret", "token": token}
    body = http.post("/oauth/v2/introspectToken", data=form).json()
    assert body["active"] is True and body["status"] == "active" and body["auth_type"] == "2L"
    assert body["expires_at"] - body["created_at"] == 1800
    assert "scope" not in body
    assert http.post("/oauth/v2/introspectToken", data={**form, "client_secret": "bad"}).status_code == 401
    assert http.post("/oauth/v2/introspectToken", data={**form, "client_id": "nobody"}).status_code == 400
    assert http.post("/oauth/v2/introspectToken", data={**form, "token": "unknown"}).status_code == 400
    server.emulator.clock.advance(1800)
    expired = http.post("/oauth/v2/introspectToken", data=form).json()
    assert expired["active"] is False and expired["status"] == "expired"


def test_minted_member_token(http):
    reply = http.post("/_mock/tokens", json={"client_id": "demo-customer", "member": "urn:li:person:demo-recruiter"})
    assert reply.status_code == 200
    assert reply.json()["auth_type"] == "3L"
    ghost = {"client_id": "demo-customer", "member": "urn:li:person:ghost"}
    assert http.post("/_mock/tokens", json=ghost).status_code == 404
    assert http.post("/_mock/tokens", json={"client_id": 5}).status_code == 400
    too_long = http.post("/_mock/tokens", json={"client_id": "demo-customer", "expires_in": 10**40})
    assert too_long.status_code == 400 and "/expires_in" in too_long.json()["message"]
