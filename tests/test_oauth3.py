"""3-legged OAuth through the real server: the consent page, the code exchange, refresh tokens (the 365-day
rule), introspection of member tokens and GET /v2/me."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from mock_server.schemas import validation

CHILD = "urn:li:developerApplication:11"
CLIENT = {"client_id": "demo-customer", "client_secret": "demo-customer-secret"}
DAY = 24 * 3600
# the authorization-code-flow page's error table (/oauth/v2/accessToken)
CODE_NOT_FOUND = {"error": "invalid_request",
                  "error_description": "Unable to retrieve access token: authorization code not found"}
CODE_MISMATCH = {"error": "invalid_redirect_uri",
                 "error_description": "Unable to retrieve access token: appid/redirect uri/code verifier does not"
                                      " match authorization code. Or authorization code expired. Or external member"
                                      " binding exists"}
# the programmatic-refresh-tokens page
BAD_REFRESH = {"error": "invalid_request",
               "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked"}


@pytest.fixture
def callback(http, partner, server):
    """The server's own ``/_mock/oauth/callback``, registered as an authorized redirect URL of the demo customer."""
    url = server.url + "/_mock/oauth/callback"
    patch = {"patch": {"$set": {"oauth2AuthorizedCallbackUrls": [url, "https://ats.example/cb"]}}}
    assert http.post(f"/v2/provisionedApplications/{CHILD}", headers=partner, json=patch).status_code == 204
    return url


def authorize_params(callback: str, **changes) -> dict:
    params = {"response_type": "code", "client_id": "demo-customer", "redirect_uri": callback,
              "scope": "r_liteprofile", "state": "csrf-123"}
    params.update(changes)
    return {name: value for name, value in params.items() if value is not None}


def consent(http, callback: str, member: str = "urn:li:person:jane-doe", decision: str = "allow") -> dict:
    """Drive the page like a browser: GET it, submit its form with ``member`` and ``decision``, follow the
    redirect to the callback; returns what the callback received."""
    page = http.get("/oauth/v2/authorization", params=authorize_params(callback))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    assert member in page.text
    reply = http.post(re.search(r'<form method="post" action="([^"]+)"', page.text).group(1),
                      data={**form, "member": member, "decision": decision}, follow_redirects=True)
    assert reply.status_code == 200, reply.text
    assert reply.url.path == "/_mock/oauth/callback"
    return reply.json()


def exchange(http, code: str, callback: str, **changes):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": callback, **CLIENT, **changes}
    return http.post("/oauth/v2/accessToken", data=form)


def test_consent_flow_code_exchange_and_me(http, callback):
    received = consent(http, callback)
    assert received["state"] == "csrf-123" and received["code"]
    reply = exchange(http, received["code"], callback)
    assert reply.status_code == 200, reply.text
    token = reply.json()
    assert validation.errors("oauthToken.3L", token) == []
    assert token["expires_in"] == 60 * DAY and token["refresh_token_expires_in"] == 365 * DAY
    assert token["scope"] == "r_liteprofile"
    me = http.get("/v2/me", headers={"Authorization": "Bearer " + token["access_token"]})
    assert me.status_code == 200
    assert validation.errors("liteProfile", me.json()) == []
    assert me.json()["id"] == "jane-doe" and me.json()["localizedFirstName"] == "Jane"
    assert me.json()["firstName"]["localized"] == {"en_US": "Jane"}
    only_id = http.get("/v2/me?fields=id", headers={"Authorization": "Bearer " + token["access_token"]})
    assert only_id.json() == {"id": "jane-doe"}


def test_introspection_of_member_tokens(http, callback, server):
    token = exchange(http, consent(http, callback)["code"], callback).json()
    form = {**CLIENT, "token": token["access_token"]}
    body = http.post("/oauth/v2/introspectToken", data=form).json()
    assert body["active"] is True and body["auth_type"] == "3L" and body["scope"] == "r_liteprofile"
    assert body["expires_at"] - body["created_at"] == 60 * DAY
    server.emulator.clock.advance(10 * DAY)
    refreshed = http.post("/oauth/v2/accessToken", data={"grant_type": "refresh_token",
                                                         "refresh_token": token["refresh_token"], **CLIENT}).json()
    later = http.post("/oauth/v2/introspectToken", data={**CLIENT, "token": refreshed["access_token"]}).json()
    assert later["authorized_at"] == body["authorized_at"]  # the member's original grant
    assert later["created_at"] >= body["created_at"] + 10 * DAY


def test_code_is_single_use_and_bound_to_client_and_redirect(http, callback, server):
    code = consent(http, callback)["code"]
    # another redirect URI, another client, a used code: 400 invalid_redirect_uri (authorization-code-flow)
    wrong_redirect = exchange(http, code, "https://ats.example/cb")
    assert (wrong_redirect.status_code, wrong_redirect.json()) == (400, CODE_MISMATCH)
    other_client = exchange(http, code, callback, client_id="demo-partner", client_secret="demo-partner-secret")
    assert (other_client.status_code, other_client.json()) == (400, CODE_MISMATCH)
    assert exchange(http, code, callback).status_code == 200
    again = exchange(http, code, callback)
    assert (again.status_code, again.json()) == (400, CODE_MISMATCH)
    # a code LinkedIn never issued: 401 invalid_request
    unknown = exchange(http, "AQTnot-a-code", callback)
    assert (unknown.status_code, unknown.json()) == (401, CODE_NOT_FOUND)
    assert exchange(http, code, callback, client_secret="wrong").status_code == 401
    unknown_client = exchange(http, code, callback, client_id="nobody")
    assert (unknown_client.status_code, unknown_client.json()["error"]) == (400, "invalid_client_id")


def test_code_lives_30_minutes_on_the_emulator_clock(http, callback, server):
    server.emulator.clock.freeze()
    first, second = consent(http, callback)["code"], consent(http, callback)["code"]
    server.emulator.clock.advance(30 * 60 - 1)
    assert exchange(http, first, callback).status_code == 200
    server.emulator.clock.advance(1)
    expired = exchange(http, second, callback)
    assert (expired.status_code, expired.json()) == (400, CODE_MISMATCH)


def test_refresh_keeps_the_original_refresh_expiry(http, callback, server):
    server.emulator.clock.freeze()
    token = exchange(http, consent(http, callback)["code"], callback).json()
    server.emulator.clock.advance(59 * DAY)
    reply = http.post("/oauth/v2/accessToken", data={"grant_type": "refresh_token",
                                                     "refresh_token": token["refresh_token"], **CLIENT})
    assert reply.status_code == 200, reply.text
    refreshed = reply.json()
    assert validation.errors("oauthToken.3L", refreshed) == []
    assert refreshed["access_token"] != token["access_token"]
    assert refreshed["expires_in"] == 60 * DAY
    assert refreshed["refresh_token"] == token["refresh_token"]
    assert refreshed["refresh_token_expires_in"] == 306 * DAY
    me = http.get("/v2/me", headers={"Authorization": "Bearer " + refreshed["access_token"]})
    assert me.json()["id"] == "jane-doe"
    server.emulator.clock.advance(306 * DAY)
    late = http.post("/oauth/v2/accessToken", data={"grant_type": "refresh_token",
                                                    "refresh_token": token["refresh_token"], **CLIENT})
    assert (late.status_code, late.json()) == (400, BAD_REFRESH)


def test_refresh_token_errors(http, callback):
    token = exchange(http, consent(http, callback)["code"], callback).json()
    for value in ("AQWunknown", token["access_token"]):
        form = {"grant_type": "refresh_token", "refresh_token": value, **CLIENT}
        reply = http.post("/oauth/v2/accessToken", data=form)
        assert (reply.status_code, reply.json()) == (400, BAD_REFRESH)
    # another client's refresh token is as bad as none
    other = {"grant_type": "refresh_token", "refresh_token": token["refresh_token"], "client_id": "demo-partner",
             "client_secret": "demo-partner-secret"}
    reply = http.post("/oauth/v2/accessToken", data=other)
    assert (reply.status_code, reply.json()) == (400, BAD_REFRESH)
    missing = http.post("/oauth/v2/accessToken", data={"grant_type": "refresh_token", **CLIENT})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    as_bearer = http.get("/v2/me", headers={"Authorization": "Bearer " + token["refresh_token"]})
    assert as_bearer.status_code == 401


def test_cancel_redirects_with_the_error_and_state(http, callback):
    received = consent(http, callback, decision="cancel")
    assert received["error"] == "user_cancelled_authorize" and received["state"] == "csrf-123"
    assert received["error_description"] and "code" not in received


def test_untrusted_requests_get_an_error_page_and_no_redirect(http, callback):
    # the authorization-code-flow error table: 401 for a client id or redirect URI that does not match, and
    # for an invalid scope; no redirect
    for params, words in ((authorize_params(callback, client_id="nobody"), "Client_id doesn't match"),
                          (authorize_params("https://evil.example/cb"), "Redirect_uri doesn't match"),
                          (authorize_params(callback + "/"), "Redirect_uri doesn't match"),
                          (authorize_params(callback, redirect_uri=None), "Redirect_uri doesn't match"),
                          (authorize_params(callback, scope="r_liteprofile r_fullprofile"), "Invalid scope"),
                          (authorize_params(callback, scope="nonsense"), "Invalid scope")):
        for reply in (http.get("/oauth/v2/authorization", params=params),
                      http.post("/oauth/v2/authorization", data={**params, "member": "urn:li:person:jane-doe",
                                                                 "decision": "allow"})):
            assert reply.status_code == 401 and "location" not in reply.headers, (params, reply.text)
            assert reply.headers["content-type"].startswith("text/html")
            assert words in html.unescape(reply.text)


@pytest.mark.parametrize("name, other", [("client_id", "nobody"), ("client_id", "demo-customer"),
                                         ("redirect_uri", "https://evil.example/cb"), ("scope", "r_emailaddress"),
                                         ("response_type", "token"), ("state", "other"), ("q", "jane")])
def test_a_parameter_given_twice_is_refused_on_the_page_as_on_its_form(http, callback, name, other):
    """RFC 6749 §3.1: parameters "MUST NOT be included more than once". The page's GET took the last of two
    (``client_id=demo-customer-sb…&client_id=demo-customer`` answered "client_id is invalid" for the valid
    one, in the world the first named); its form's POST already refused them."""
    pairs = [*authorize_params(callback, q="ann").items(), (name, other)]
    for reply in (http.get("/oauth/v2/authorization", params=pairs),
                  http.post("/oauth/v2/authorization", headers={"Content-Type": "application/x-www-form-urlencoded"},
                            content=urlencode([*pairs, ("member", "urn:li:person:jane-doe"), ("decision", "allow")]))):
        assert reply.status_code == 400 and "location" not in reply.headers, reply.text
        assert reply.headers["content-type"].startswith("text/html")
        assert f'The parameter "{name}" is given more than once' in html.unescape(reply.text)


def test_request_errors_go_back_to_a_trusted_redirect_uri(http, callback):
    cases = [({"response_type": "token"}, "unsupported_response_type"),
             ({"scope": None}, "invalid_request")]
    for changes, error in cases:
        reply = http.get("/oauth/v2/authorization", params=authorize_params(callback, **changes))
        assert reply.status_code == 302, reply.text
        location = urlsplit(reply.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == callback
        query = parse_qs(location.query)
        assert query["error"] == [error] and query["state"] == ["csrf-123"]


def test_allow_without_a_member_shows_the_page_again(http, callback):
    reply = http.post("/oauth/v2/authorization", data={**authorize_params(callback), "decision": "allow"})
    assert reply.status_code == 400 and "Choose a member" in reply.text and "location" not in reply.headers


def test_me_needs_a_member_token_with_a_profile_scope(http, customer):
    denied = http.get("/v2/me", headers=customer)
    assert denied.status_code == 403
    assert denied.json() == {"status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
                             "message": "Not enough permissions to access: me.GET.NO_VERSION"}
    minted = http.post("/_mock/tokens", json={"client_id": "demo-customer", "member": "urn:li:person:demo-candidate",
                                              "scope": "r_emailaddress"}).json()
    assert http.get("/v2/me", headers={"Authorization": "Bearer " + minted["access_token"]}).status_code == 403


def test_a_missing_or_unknown_redirect_uri_says_which(http, callback):
    missing = http.get("/oauth/v2/authorization", params=authorize_params(callback, redirect_uri=None))
    assert missing.status_code == 401 and "the redirect_uri parameter is missing" in missing.text
    assert "&#x27;&#x27;" not in missing.text and "''" not in missing.text
    empty = http.get("/oauth/v2/authorization", params=authorize_params(callback, redirect_uri=""))
    assert "the redirect_uri parameter is missing" in empty.text
    unknown = http.get("/oauth/v2/authorization", params=authorize_params("https://evil.example/cb"))
    assert "Redirect_uri doesn&#x27;t match: &quot;https://evil.example/cb&quot; is not one of" in unknown.text


@pytest.fixture(scope="module")
def large_world():
    """The sample world (500 members), served on its own."""
    from mock_server.config import Settings
    from mock_server.testing.server import RunningServer
    from tests.test_world import SAMPLE

    with RunningServer(Settings(fixtures=SAMPLE)) as server:
        yield server


def radio_members(page: str) -> list[str]:
    return re.findall(r'<input type="radio" name="member" value="([^"]+)">', page)


def test_the_consent_page_of_a_large_world_is_searched_and_paged_on_the_server(large_world):
    import httpx

    callback = "http://localhost:8080/_mock/oauth/callback"
    params = authorize_params(callback, client_id="world-customer-1")
    with httpx.Client(base_url=large_world.url) as http:
        first = http.get("/oauth/v2/authorization", params=params)
        assert first.status_code == 200 and 'type="search" name="q"' in first.text
        members = radio_members(first.text)
        assert len(members) == 50 and "Members 1–50 of 500" in first.text and "previous-page" not in first.text
        assert len(first.content) < 40_000  # the whole world's list was 378 KB for 2,000 members
        following = http.get(html.unescape(re.search(r'href="([^"]+)" id="next-page"', first.text).group(1)))
        assert "Members 51–100 of 500" in following.text and 'id="previous-page"' in following.text
        assert not set(radio_members(following.text)) & set(members)
        last = http.get("/oauth/v2/authorization", params={**params, "start": "450"})
        assert "Members 451–500 of 500" in last.text and "next-page" not in last.text

        wanted = large_world.emulator.interactions.member(members[7])
        query = f"{wanted['firstName']} {wanted['lastName'].upper()}"
        found = http.get("/oauth/v2/authorization", params={**params, "q": query})
        assert members[7] in radio_members(found.text) and len(radio_members(found.text)) < 5
        assert f'value="{html.escape(query)}"' in found.text  # the box keeps what was typed
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', found.text))
        allowed = http.post("/oauth/v2/authorization", data={**{k: html.unescape(v) for k, v in form.items()},
                                                             "member": members[7], "decision": "allow"})
        assert allowed.status_code == 302 and "code=" in allowed.headers["location"]
        nothing = http.get("/oauth/v2/authorization", params={**params, "q": "no-such-member-anywhere"})
        assert radio_members(nothing.text) == [] and "No member matches the search." in nothing.text
