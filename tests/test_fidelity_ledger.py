"""The fidelity ledger of 2026-11-29 (research/fidelity-ledger-2026-11-29.md) as tests: one test per ledger row,
named after the row (``test_ledger_<row>``), asserting LinkedIn's documented answer against the real server.

Where the emulator deliberately answers otherwise (README, "Decisions" and "Decisions: integrations, limits and
advisories"), the row's test asserts the decided answer and its docstring says so.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from mock_server import advisories
from tests.conftest import DEMO_CONTRACT, DEMO_ORG, token_for
from tests.recruiting import (
    BATCH_PARTIAL_UPDATE,
    BATCH_UPDATE,
    configure,
    delivered,
    enable,
    export,
    export_jobs,
    integration_path,
    provision_customer,
    set_callback,
    sync_job,
)
from tests.resource_calls import LINKEDIN_VERSION
from tests.test_applications import FEEDBACK, NOTE, application, sub, sync_children
from tests.test_applications import get as get_applications
from tests.test_applications import key as application_key
from tests.test_applications import put as put_applications
from tests.test_candidates import attach, candidate, ids, key, note, notes_url
from tests.test_candidates import get as get_candidates
from tests.test_candidates import put as put_candidates
from tests.test_jobs import accepted, finished, job, post, task_of, tasks

ROWS: list[str] = []
CHILD = "urn:li:developerApplication:11"
CLIENT = {"client_id": "demo-customer", "client_secret": "demo-customer-secret"}
PARTNER = {"client_id": "demo-partner", "client_secret": "demo-partner-secret"}
TWO_LEGGED = {"grant_type": "client_credentials", **CLIENT}
FINDER = "/v2/atsIntegrations?q=request&requestId=1"
DAY_S = 24 * 3600
HOUR_MS = 3600 * 1000
VERSION = {"LinkedIn-Version": LINKEDIN_VERSION}
OCE = integration_path(DEMO_ORG, "ONE_CLICK_EXPORT")


class Probe:
    """What a row's check gets: the real server and clients, and the helpers the rows share."""

    def __init__(self, http, partner, customer, server) -> None:
        self.http, self.partner, self.customer, self.server = http, partner, customer, server
        self.world = server.emulator

    def token(self, form: dict, **kwargs) -> httpx.Response:
        return self.http.post("/oauth/v2/accessToken", data=form, **kwargs)

    def bearer(self, token: str) -> dict:
        return {"Authorization": "Bearer " + token}

    def member(self, member: str = "urn:li:person:demo-recruiter") -> dict:
        minted = self.http.post("/_mock/tokens", json={"client_id": "demo-customer", "member": member})
        return self.bearer(minted.json()["access_token"])

    def callback(self) -> str:
        """The server's own callback page, registered as an OAuth redirect URL of the demo customer."""
        url = self.server.url + "/_mock/oauth/callback"
        patch = {"patch": {"$set": {"oauth2AuthorizedCallbackUrls": [url]}}}
        assert self.http.post(f"/v2/provisionedApplications/{CHILD}", headers=self.partner, json=patch).status_code \
            == 204
        return url

    def authorize(self, **changes) -> dict:
        params = {"response_type": "code", "client_id": "demo-customer", "redirect_uri": self.callback(),
                  "scope": "r_liteprofile", "state": "csrf-123", **changes}
        return {name: value for name, value in params.items() if value is not None}

    def consent(self, decision: str = "allow", **changes) -> dict:
        """Drive the consent page as a browser does; what the redirect URL received."""
        page = self.http.get("/oauth/v2/authorization", params=self.authorize(**changes))
        form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        reply = self.http.post(action, data={**form, "member": "urn:li:person:jane-doe", "decision": decision})
        assert reply.status_code in (302, 303), reply.text
        return {k: v[0] for k, v in parse_qs(urlsplit(reply.headers["location"]).query).items()}

    def exchange(self, **changes) -> httpx.Response:
        code = self.consent()["code"]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.callback(), **CLIENT,
                **changes}
        return self.token({k: v for k, v in form.items() if v is not None})

    def advance(self, seconds: float) -> None:
        self.world.clock.advance(seconds)

    def quotas(self) -> dict:
        return self.http.get("/_mock/quotas").json()["limits"]

    def finder(self, path: str, headers: dict | None = None, **params) -> httpx.Response:
        return self.http.get(path, params=params, headers=self.customer if headers is None else headers)


def ledger(name: str):
    """Register the decorated check as ``test_ledger_<name>``."""
    def register(check):
        def test(http, partner, customer, server):
            check(Probe(http, partner, customer, server))
        test.__name__ = test.__qualname__ = f"test_ledger_{name}"
        test.__doc__ = check.__doc__
        assert test.__name__ not in globals(), name
        globals()[test.__name__] = test
        ROWS.append(name)
        return check
    return register


def error_of(reply) -> dict:
    """The one per-entity error of a batch reply."""
    [error] = reply.json()["errors"].values()
    return error


def element_errors(reply) -> list[dict]:
    return [element["error"] for element in reply.json()["elements"] if "error" in element]


# ---- OAuth 2.0 ------------------------------------------------------------------------------------------


@ledger("oauth_2l_token_request_returns_access_token_and_expires_in")
def _(p):
    reply = p.token(TWO_LEGGED)
    assert reply.status_code == 200 and {"access_token", "expires_in"} <= set(reply.json())


@ledger("oauth_2l_tokens_live_30_minutes")
def _(p):
    token = p.token(TWO_LEGGED).json()
    assert token["expires_in"] == 1800
    p.advance(1801)
    expired = p.http.get(FINDER, headers=p.bearer(token["access_token"]))
    assert expired.status_code == 401 and expired.json()["serviceErrorCode"] == 65601


@ledger("oauth_2l_expires_in_is_read_as_a_number")
def _(p):
    """CCF's sample quotes "1800"; clients read a number, as real replies give."""
    assert p.token(TWO_LEGGED).json()["expires_in"] == 1800


@ledger("oauth_2l_secret_in_the_url_is_advised_against")
def _(p):
    """CCF: never pass the secret in the URL. LinkedIn still answers; the emulator answers too, with an advisory."""
    reply = p.http.post("/oauth/v2/accessToken?" + "&".join(f"{k}={v}" for k, v in TWO_LEGGED.items()))
    assert reply.status_code == 200
    assert reply.headers[advisories.HEADER].startswith("CLIENT_SECRET_IN_URL: ")


@ledger("oauth_2l_missing_parameters_are_400_invalid_request")
def _(p):
    for name in ("grant_type", "client_id", "client_secret"):
        reply = p.token({k: v for k, v in TWO_LEGGED.items() if k != name})
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
        assert reply.json()["error_description"] == f'A required parameter "{name}" is missing'


@ledger("oauth_2l_bad_credentials_are_401_client_authentication_failed")
def _(p):
    reply = p.token({**TWO_LEGGED, "client_secret": "wrong"})
    assert reply.status_code == 401 and reply.json()["error_description"] == "Client authentication failed"


@ledger("oauth_2l_unknown_client_id_is_400_invalid_client_id")
def _(p):
    reply = p.token({**TWO_LEGGED, "client_id": "abcdefghijk"})
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_client_id"
    assert reply.json()["error_description"].startswith("The passed in client_id is invalid")


@ledger("oauth_2l_application_without_the_permission_is_401_access_denied")
def _(p):
    partner = p.world.customers.by_client_id("demo-partner")
    p.world.customers.save({**partner, "clientCredentials": False})  # as a fixture with it declares
    reply = p.token({"grant_type": "client_credentials", **PARTNER})
    assert reply.status_code == 401 and reply.json()["error"] == "access_denied"


@ledger("oauth_2l_client_credentials_in_http_basic")
def _(p):
    reply = p.token({"grant_type": "client_credentials"}, auth=("demo-customer", "demo-customer-secret"))
    assert reply.status_code == 200 and reply.json()["expires_in"] == 1800


@ledger("oauth_2l_text_plain_content_type_is_accepted")
def _(p):
    body = "&".join(f"{k}={v}" for k, v in TWO_LEGGED.items())
    reply = p.http.post("/oauth/v2/accessToken", content=body, headers={"Content-Type": "text/plain"})
    assert reply.status_code == 200


@ledger("oauth_token_endpoint_takes_no_get")
def _(p):
    assert p.http.get("/oauth/v2/accessToken", params=TWO_LEGGED).status_code == 405


@ledger("oauth_unsupported_grant_type_is_400")
def _(p):
    """Not documented; the inferred row: 400 unsupported_grant_type."""
    reply = p.token({**TWO_LEGGED, "grant_type": "password"})
    assert reply.status_code == 400 and reply.json()["error"] == "unsupported_grant_type"


@ledger("oauth_3l_authorization_redirects_back_with_code_and_state")
def _(p):
    received = p.consent()
    assert received["code"] and received["state"] == "csrf-123"


@ledger("oauth_3l_refusal_redirects_with_user_cancelled_authorize")
def _(p):
    received = p.consent(decision="cancel")
    assert received["error"] == "user_cancelled_authorize" and received["error_description"]
    assert received["state"] == "csrf-123"


@ledger("oauth_3l_authorization_page_errors_are_401")
def _(p):
    reply = p.http.get("/oauth/v2/authorization", params=p.authorize(redirect_uri="https://evil.example/cb"))
    assert reply.status_code == 401


@ledger("oauth_3l_code_lives_30_minutes")
def _(p):
    code, callback = p.consent()["code"], p.callback()
    p.advance(1801)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": callback, **CLIENT}
    assert p.token(form).status_code == 400


@ledger("oauth_3l_exchange_returns_tokens_and_their_lifetimes")
def _(p):
    token = p.exchange().json()
    assert {"access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope"} <= set(token)
    assert token["expires_in"] == 60 * DAY_S and token["refresh_token_expires_in"] == 365 * DAY_S


@ledger("oauth_3l_scope_is_comma_separated")
def _(p):
    code = p.consent(scope="r_liteprofile r_emailaddress")["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": p.callback(), **CLIENT}
    assert p.token(form).json()["scope"] == "r_liteprofile,r_emailaddress"


@ledger("oauth_3l_missing_redirect_uri_or_code_is_400_invalid_request")
def _(p):
    for missing in ("redirect_uri", "code"):
        reply = p.exchange(**{missing: None})
        assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"
        assert f'"{missing}" is missing' in reply.json()["error_description"]


@ledger("oauth_3l_unknown_code_is_401_invalid_request")
def _(p):
    reply = p.token({"grant_type": "authorization_code", "code": "nope", "redirect_uri": p.callback(), **CLIENT})
    assert reply.status_code == 401 and reply.json()["error"] == "invalid_request"


@ledger("oauth_3l_wrong_redirect_or_expired_code_is_400_invalid_redirect_uri")
def _(p):
    reply = p.exchange(redirect_uri="https://ats.example/other")
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_redirect_uri"


@ledger("oauth_refresh_keeps_the_365_day_expiry")
def _(p):
    token = p.exchange().json()
    p.advance(DAY_S)
    refreshed = p.token({"grant_type": "refresh_token", "refresh_token": token["refresh_token"], **CLIENT}).json()
    assert refreshed["expires_in"] == 60 * DAY_S and refreshed["refresh_token"] == token["refresh_token"]
    assert 364 * DAY_S - 1 <= refreshed["refresh_token_expires_in"] <= 364 * DAY_S


@ledger("oauth_refresh_bad_token_is_400_invalid_request")
def _(p):
    reply = p.token({"grant_type": "refresh_token", "refresh_token": "nope", **CLIENT})
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"


@ledger("oauth_refresh_missing_token_is_400_invalid_request")
def _(p):
    reply = p.token({"grant_type": "refresh_token", **CLIENT})
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request"


@ledger("oauth_access_tokens_are_about_500_characters")
def _(p):
    assert 400 <= len(p.token(TWO_LEGGED).json()["access_token"]) <= 1000


def introspect(p, token: str, **form) -> httpx.Response:
    return p.http.post("/oauth/v2/introspectToken", data={**CLIENT, "token": token, **form})


@ledger("oauth_introspection_fields_in_epoch_seconds")
def _(p):
    body = introspect(p, p.token(TWO_LEGGED).json()["access_token"]).json()
    assert {"active", "client_id", "authorized_at", "created_at", "status", "expires_at", "auth_type"} <= set(body)
    assert body["auth_type"] == "2L" and "scope" not in body and body["expires_at"] - body["created_at"] == 1800
    member = introspect(p, p.exchange().json()["access_token"]).json()
    assert member["auth_type"] == "3L" and member["scope"] == "r_liteprofile"


@ledger("oauth_introspection_of_an_expired_token_is_inactive")
def _(p):
    token = p.token(TWO_LEGGED).json()["access_token"]
    p.advance(1801)
    body = introspect(p, token).json()
    assert body["active"] is False and body["status"] == "expired"


@ledger("oauth_introspection_400_bad_client_or_token_401_bad_secret")
def _(p):
    token = p.token(TWO_LEGGED).json()["access_token"]
    assert introspect(p, token, client_id="nobody").status_code == 400
    assert introspect(p, "nope").status_code == 400
    assert introspect(p, token, client_secret="wrong").status_code == 401


@ledger("oauth_introspection_of_another_applications_token_is_inactive")
def _(p):
    token = p.token(TWO_LEGGED).json()["access_token"]
    reply = introspect(p, token, **PARTNER)
    assert reply.status_code == 200 and reply.json()["active"] is False


# ---- API-wide -----------------------------------------------------------------------------------------------


@ledger("api_error_body_has_message_service_error_code_and_status")
def _(p):
    assert {"message", "serviceErrorCode", "status"} <= set(p.http.get(FINDER).json())


@ledger("api_missing_bearer_is_401_empty_oauth2_access_token")
def _(p):
    for headers in ({}, {"Authorization": "Bearer"}):
        reply = p.http.get(FINDER, headers=headers)
        assert reply.status_code == 401
        assert reply.json() == {"status": 401, "serviceErrorCode": 401, "message": "Empty oauth2_access_token"}


@ledger("api_non_bearer_scheme_is_401_unknown_authentication_schema")
def _(p):
    reply = p.http.get(FINDER, headers={"Authorization": "Basic abc"})
    assert reply.status_code == 401 and reply.json()["message"] == "Unknown authentication schema"


@ledger("api_invalid_and_expired_tokens_are_401")
def _(p):
    assert p.http.get(FINDER, headers=p.bearer("nope")).json()["serviceErrorCode"] == 65600
    p.advance(1801)
    assert p.http.get(FINDER, headers=p.customer).json()["serviceErrorCode"] == 65601


@ledger("api_revoked_token_is_401")
def _(p):
    assert p.http.delete("/_mock/tokens/" + p.customer["Authorization"].split()[1]).status_code == 200
    reply = p.http.get(FINDER, headers=p.customer)
    assert reply.status_code == 401 and reply.json()["serviceErrorCode"] == 65602


@ledger("api_downstream_token_verification_failure_is_500")
def _(p):
    """Decision: the emulator never fails by itself; a fault rule gives a test this 500."""
    rule = {"match": {"path": "/v2/atsIntegrations"}, "action": {"status": 500}, "times": 1}
    assert p.http.post("/_mock/faults", json=rule).status_code == 201
    reply = p.http.get(FINDER, headers=p.customer)
    assert reply.status_code == 500 and reply.json()["status"] == 500


@ledger("api_403_when_the_token_lacks_permission")
def _(p):
    reply = p.http.get(FINDER, headers=p.partner)
    assert reply.status_code == 403 and reply.json() == {
        "status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED",
        "message": "Not enough permissions to access: atsIntegrations.FINDER-request.NO_VERSION"}


@ledger("api_unknown_resource_404_unsupported_method_405")
def _(p):
    assert p.http.get("/v2/people", headers=p.customer).status_code == 404
    assert p.http.delete(f"/v2/atsIntegrations?{ids(key())}", headers=p.customer).status_code in (400, 405)
    assert p.http.put("/v2/simpleJobPostings", headers=p.customer, json={}).status_code == 405


@ledger("api_post_without_content_length_is_411")
def _(p):
    chunks = (part for part in [b"grant_type=client_credentials&client_id=demo-customer&client_secret=x"])
    assert p.http.post("/oauth/v2/accessToken", content=chunks).status_code == 411


@ledger("api_429_on_the_daily_throttle_until_midnight_utc")
def _(p):
    """The per-application part; per-member (3-legged) daily limits are a decision: RSC calls are 2-legged."""
    p.http.put("/_mock/quotas", json={"atsIntegrations": 1}).raise_for_status()
    assert p.http.get(FINDER, headers=p.customer).status_code == 200
    throttled = p.http.get(FINDER, headers=p.customer)
    now_s = p.world.clock.now_ms() / 1000
    assert throttled.status_code == 429
    assert abs(int(throttled.headers["Retry-After"]) - (DAY_S - now_s % DAY_S)) <= 2


@ledger("api_429_message_wording")
def _(p):
    """Decision: the wording field reports show (APPLICATION DAY), not the error-handling page's shorter one."""
    p.http.put("/_mock/quotas", json={"atsIntegrations": 0}).raise_for_status()
    assert p.http.get(FINDER, headers=p.customer).json()["message"] == (
        "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.")


@ledger("api_query_over_4_kb_is_414")
def _(p):
    long_ids = "&".join(f"ids=urn:li:simpleJobPostingTask:{n:036d}" for n in range(120))
    assert p.http.get(f"/v2/simpleJobPostingTasks?{long_ids}", headers=p.customer).status_code == 414


@ledger("api_query_tunnelling_for_get_and_put")
def _(p):
    query = ids(key("TUN-1"))
    tunnelled = p.http.post("/v2/atsCandidates", content=query, headers={
        **p.customer, "X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"})
    assert tunnelled.status_code == 200 and tunnelled.json()["errors"]
    body = json.dumps({"entities": {key("TUN-1"): candidate()}})
    multipart = (f"--B\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n{query}\r\n--B\r\n"
                 f"Content-Type: application/json\r\n\r\n{body}\r\n--B--\r\n")
    put = p.http.post("/v2/atsCandidates", content=multipart, headers={
        **p.customer, **BATCH_UPDATE, "X-HTTP-Method-Override": "PUT", "Content-Type": "multipart/mixed; boundary=B"})
    assert put.status_code == 200 and put.json()["errors"] == {}


@ledger("api_protocol_version_is_echoed")
def _(p):
    assert p.http.get(FINDER, headers=p.customer).headers["X-RestLi-Protocol-Version"] == "1.0.0"
    two = p.http.get(FINDER, headers={**p.customer, "X-RestLi-Protocol-Version": "2.0.0"})
    assert two.headers["X-RestLi-Protocol-Version"] == "2.0.0"


@ledger("api_protocol_2_and_1_keys")
def _(p):
    key2 = (f"(dataProvider:ATS,integrationContext:{quote(DEMO_ORG, safe='')},integrationType:ONE_CLICK_EXPORT,"
            "tenantType:RECRUITER)")
    two = p.http.get(f"/v2/atsIntegrations?ids=List({key2})",
                     headers={**p.customer, "X-RestLi-Protocol-Version": "2.0.0"})
    assert list(two.json()["results"]) == [key2.replace(quote(DEMO_ORG, safe=""), "urn%3Ali%3Aorganization%3A1000")]
    one = p.http.get("/v2/atsIntegrations?ids[0].integrationContext=" + DEMO_ORG + "&ids[0].integrationType="
                     "ONE_CLICK_EXPORT&ids[0].tenantType=RECRUITER&ids[0].dataProvider=ATS", headers=p.customer)
    assert list(one.json()["results"]) == [
        f"dataProvider=ATS&integrationContext={DEMO_ORG}&integrationType=ONE_CLICK_EXPORT&tenantType=RECRUITER"]


@ledger("api_method_header_needed_only_for_batch_create_and_batch_partial_update")
def _(p):
    put_applications(p.http, p.customer, {application_key(): application()})
    sync_children(p.http, p.customer)  # LinkedIn's interview-feedback request is a PUT without the header: 204
    entities = {key(): {"patch": {"$set": {"manualMatchedMember": "urn:li:person:demo-candidate"}}}}
    no_header = p.http.post(f"/v2/atsCandidates?{ids(key())}", headers=p.customer, json={"entities": entities})
    assert no_header.status_code == 400


@ledger("api_partial_update_of_provisioning_without_method_header")
def _(p):
    patch = {"patch": {"$set": {"validJsSdkDomains": ["https://ats.example"]}}}
    assert p.http.post(f"/v2/provisionedApplications/{CHILD}", headers=p.partner, json=patch).status_code == 204


@ledger("api_lower_case_method_header")
def _(p):
    reply = put_candidates(p.http, p.customer, {key(): candidate()}, extra={"x-restli-method": "batch_update"})
    assert reply.status_code == 200 and reply.json()["errors"] == {}


@ledger("api_protocol_1_errors_carry_x_linkedin_error_response")
def _(p):
    reply = p.http.get(FINDER)
    assert reply.headers.get("X-LinkedIn-Error-Response") == "true"
    assert "X-RestLi-Error-Response" not in reply.headers


@ledger("api_create_is_201_with_id_headers_and_location")
def _(p):
    reply = p.http.post("/v2/provisionedApplications", headers={**p.partner, "Content-Type": "application/json"},
                        json={"uniqueForeignId": "globex", "name": "Demo ATS - Globex", "description": "Globex"})
    assert reply.status_code == 201
    assert reply.headers["X-RestLi-Id"] == reply.headers["X-LinkedIn-Id"] == reply.json()["key"]
    assert reply.headers["Location"].startswith("/v2/provisionedApplications/")


@ledger("api_batch_get_results_and_errors_keyed_by_protocol")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    body = get_candidates(p.http, p.customer, key(), key("MISSING")).json()
    assert set(body["results"]) == {key()} and body["errors"][key("MISSING")]["status"] == 404


@ledger("api_batch_update_and_delete_envelope")
def _(p):
    assert put_candidates(p.http, p.customer, {key(): candidate()}).json() == {
        "results": {key(): {"status": 204}}, "errors": {}}
    deleted = p.http.delete(f"/v2/atsCandidates?{ids(key())}", headers=p.customer)
    assert deleted.status_code == 200 and deleted.json() == {"results": {key(): {"status": 204}}, "errors": {}}


@ledger("api_batch_create_elements_in_request_order")
def _(p):
    reply = post(p.http, p.customer, job("ORDER-1"), job("ORDER-2", title=None), job("ORDER-3"))
    assert [element["status"] for element in reply.json()["elements"]] == [202, 422, 202]


@ledger("api_finder_envelope_elements_and_paging")
def _(p):
    body = p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT).json()
    assert set(body) == {"elements", "paging"} and {"start", "count", "links"} <= set(body["paging"])


@ledger("api_paging_defaults_start_0_count_10")
def _(p):
    body = p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT).json()
    assert len(body["elements"]) == 10 and body["paging"]["start"] == 0 and body["paging"]["count"] == 10


@ledger("api_paging_count_is_the_requested_page_size")
def _(p):
    body = p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT, start=10, count=10).json()
    assert len(body["elements"]) == 4 and body["paging"]["count"] == 10


@ledger("api_projections_comma_form")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    projected = get_candidates(p.http, p.customer, key(), extra=None)
    assert "matchedMembers" in projected.json()["results"][key()]
    only = p.http.get(f"/v2/atsCandidates?{ids(key())}&fields=matchedMembers,manualMatchedMember", headers=p.customer)
    assert set(only.json()["results"][key()]) <= {"matchedMembers", "manualMatchedMember"}
    assert p.http.get("/v2/me?fields=id", headers=p.member()).json() == {"id": "demo-recruiter"}
    assert p.http.get("/v2/me?fields=List(id)", headers=p.member()).status_code == 400


# ---- Versioned API (/rest) --------------------------------------------------------------------------------


@ledger("rest_needs_linkedin_version")
def _(p):
    reply = p.http.get("/rest/exportedCandidates?q=request&requestId=1", headers=p.customer)
    assert reply.status_code == 400 and reply.json()["code"] == "VERSION_MISSING"


@ledger("rest_supported_talent_versions_start_in_2025")
def _(p):
    path = "/rest/exportedCandidates?q=request&requestId=1"
    assert p.http.get(path, headers={**p.customer, "LinkedIn-Version": "202401"}).status_code == 426
    assert p.http.get(path, headers={**p.customer, "LinkedIn-Version": "202604"}).status_code == 200


@ledger("rest_patch_versions_are_accepted")
def _(p):
    reply = p.http.get("/rest/exportedCandidates?q=request&requestId=1",
                       headers={**p.customer, "LinkedIn-Version": "202508.02"})
    assert reply.status_code == 200


@ledger("rest_version_errors_carry_code")
def _(p):
    reply = p.http.get("/rest/exportedCandidates?q=request&requestId=1",
                       headers={**p.customer, "LinkedIn-Version": "202301"})
    assert reply.status_code == 426 and reply.json()["code"] == "NONEXISTENT_VERSION"
    assert reply.json()["message"] == "Requested version 20230101 is not active"


@ledger("rest_exported_candidates_is_served")
def _(p):
    reply = p.http.get("/rest/exportedCandidates?q=request&requestId=1", headers={**p.customer, **VERSION})
    assert reply.status_code == 200 and reply.json()["elements"] == []


@ledger("rest_applications_key_has_no_data_provider")
def _(p):
    rest_key = f"atsJobApplicationId=R1&integrationContext={DEMO_ORG}"
    url = f"/rest/atsApplications?ids[0].atsJobApplicationId=R1&ids[0].integrationContext={DEMO_ORG}"
    reply = p.http.put(url, headers={**p.customer, **BATCH_UPDATE, **VERSION},
                       json={"entities": {rest_key: application()}})
    assert reply.status_code == 200 and reply.json()["errors"] == {}
    with_provider = p.http.put(f"/rest/atsApplications?{ids(application_key())}",
                               headers={**p.customer, **BATCH_UPDATE, **VERSION},
                               json={"entities": {application_key(): application()}})
    assert with_provider.status_code == 400


@ledger("rest_integrations_and_integration_configurations")
def _(p):
    for path in ("/rest/integrations?q=request&requestId=1", "/rest/integrationConfigurations?q=x"):
        assert p.http.get(path, headers={**p.customer, **VERSION}).status_code != 404, path


@ledger("rest_application_interview_feedbacks")
def _(p):
    reply = p.http.get("/rest/applicationInterviewFeedbacks?q=x", headers={**p.customer, **VERSION})
    assert reply.status_code != 404


@ledger("rest_ats_purged_exported_candidates")
def _(p):
    reply = p.http.get("/rest/atsPurgedExportedCandidates?q=x", headers={**p.customer, **VERSION})
    assert reply.status_code != 404


# ---- provisionedApplications ----------------------------------------------------------------------------------

GLOBEX = {"uniqueForeignId": "globex", "name": "Demo ATS - Globex", "description": "Globex"}


def provision(p, body=None, headers=None):
    return p.http.post("/v2/provisionedApplications", headers={**p.partner, "Content-Type": "application/json",
                                                               **(headers or {})}, json=body or GLOBEX)


@ledger("provisioning_create_with_the_partner_token")
def _(p):
    assert provision(p).status_code == 201


@ledger("provisioning_create_reply_has_the_key")
def _(p):
    assert provision(p).json()["key"].startswith("urn:li:developerApplication:")


@ledger("provisioning_create_needs_content_type_json")
def _(p):
    reply = p.http.post("/v2/provisionedApplications", headers=p.partner, content=json.dumps(GLOBEX))
    assert reply.status_code == 415


@ledger("provisioning_duplicate_unique_foreign_id_is_a_conflict")
def _(p):
    assert provision(p).status_code == 201 and provision(p).status_code == 409


@ledger("provisioning_name_at_most_50_characters_without_linkedin")
def _(p):
    for name in ("x" * 51, "Demo ATS - LinkedIn"):
        reply = provision(p, {**GLOBEX, "name": name})
        assert reply.status_code == 400 and "/name" in reply.json()["message"]


@ledger("provisioning_unique_foreign_id_and_name_required")
def _(p):
    for field in ("uniqueForeignId", "name"):
        reply = provision(p, {k: v for k, v in GLOBEX.items() if k != field})
        assert reply.status_code == 400 and f"/{field}" in reply.json()["message"]


@ledger("provisioning_partial_update_with_raw_or_encoded_urn")
def _(p):
    patch = {"patch": {"$set": {"validJsSdkDomains": ["https://ats.example"]}}}
    for urn in (CHILD, quote(CHILD, safe="")):
        assert p.http.post(f"/v2/provisionedApplications/{urn}", headers=p.partner, json=patch).status_code == 204
    unknown = p.http.post("/v2/provisionedApplications/urn:li:developerApplication:999", headers=p.partner, json=patch)
    assert unknown.status_code == 404


@ledger("provisioning_finder_returns_the_child_with_credentials")
def _(p):
    found = p.finder("/v2/provisionedApplications", headers=p.partner, q="credentialsByUniqueForeignId",
                     uniqueForeignId="acme").json()["elements"]
    assert found[0]["key"] == CHILD and {"client_id", "client_secret"} <= set(found[0]["credentials"])


@ledger("provisioning_only_the_partner_calls_it")
def _(p):
    reply = p.finder("/v2/provisionedApplications", q="credentialsByUniqueForeignId", uniqueForeignId="acme")
    assert reply.status_code == 403


@ledger("provisioning_secret_rotation")
def _(p):
    reply = p.http.post("/v2/developerApplicationsSecurity?action=rollDeveloperApplicationSecret",
                        headers={**p.partner, "X-RestLi-Method": "action", "X-RestLi-Protocol-Version": "2.0.0"},
                        json={"childDeveloperApplication": CHILD})
    assert reply.status_code == 200 and reply.json()["value"]["client_secret"]


# ---- atsIntegrations and configurations -----------------------------------------------------------------------

RSC_TYPES = (("ONE_CLICK_EXPORT", DEMO_ORG), ("IN_ATS_INDICATOR", DEMO_ORG), ("PROFILE_PLUGIN", DEMO_ORG),
             ("CSA_API", DEMO_CONTRACT))


def integration_key(integration_type: str, context: str) -> str:
    """A key as replies write it: parts sorted by name."""
    return f"dataProvider=ATS&integrationContext={context}&integrationType={integration_type}&tenantType=RECRUITER"


@ledger("integrations_batch_partial_update_names_the_four_integrations")
def _(p):
    keys = [integration_key(t, c) for t, c in RSC_TYPES]
    reply = p.http.post(f"/v2/atsIntegrations?{ids(*keys)}", headers={**p.customer, **BATCH_PARTIAL_UPDATE},
                        json={"entities": {k: {"patch": {"$set": {"integrationName": "Acme RSC"}}} for k in keys}})
    assert reply.status_code == 200 and set(reply.json()["results"]) == set(keys) and reply.json()["errors"] == {}


@ledger("integrations_batch_get_verifies_the_four_integrations")
def _(p):
    keys = [integration_key(t, c) for t, c in RSC_TYPES]
    results = p.http.get(f"/v2/atsIntegrations?{ids(*keys)}", headers=p.customer).json()["results"]
    assert len(results) == 4 and all("enabledAt" in view for view in results.values())


@ledger("integrations_types_are_an_enum")
def _(p):
    reply = p.http.get(f"/v2/atsIntegrations?{ids(integration_key('NOPE', DEMO_ORG))}", headers=p.customer)
    error = error_of(reply)
    assert error["status"] == 400 and error["message"].startswith("ERROR :: /integrationType ::")


@ledger("integrations_data_only_after_the_customer_enables_the_integration")
def _(p):
    """CUSTCFG step 5. The 403 itself is the emulator's inference (README decisions)."""
    created = provision(p, {**GLOBEX, "uniqueForeignId": "globex-x"}).json()
    approved = p.http.post("/_mock/customers/globex-x/preapprove", json={}).json()["integrations"]
    org = next(i["integrationContext"] for i in approved if i["integrationType"] == "ONE_CLICK_EXPORT")
    contract = next(i["integrationContext"] for i in approved if i["integrationType"] == "CSA_API")
    credentials = created["credentials"]
    globex = p.bearer(token_for(p.http, credentials.get("client_id", credentials.get("clientId")),
                                credentials.get("client_secret", credentials.get("clientSecret"))))
    sync = put_candidates(p.http, globex, {key("G1", org): candidate()})
    assert error_of(sync)["status"] == 403
    assert p.finder("/v2/prospectNotes", headers=globex, q="criteria", contract=contract).status_code == 403
    assert enable(p.http, org, ["ONE_CLICK_EXPORT"]).status_code == 200
    assert enable(p.http, contract, ["CSA_API"]).status_code == 200
    assert put_candidates(p.http, globex, {key("G1", org): candidate()}).json()["errors"] == {}
    assert p.finder("/v2/prospectNotes", headers=globex, q="criteria", contract=contract).status_code == 200


@ledger("integrations_finder_request_resolves_a_status_change")
def _(p):
    changed = enable(p.http, DEMO_ORG, ["PROFILE_PLUGIN"], False).json()
    found = p.finder("/v2/atsIntegrations", q="request", requestId=changed["notification"]["id"]).json()["elements"]
    assert [view["integrationType"] for view in found] == ["PROFILE_PLUGIN"] and "enabledAt" not in found[0]
    assert p.finder("/v2/atsIntegrations", q="request", requestId="999").json()["elements"] == []


@ledger("configurations_keys_belong_to_their_integration_types")
def _(p):
    assert error_of(configure(p.http, p.customer, DEMO_ORG, "JOB_POSTING_VIEWERS", "SOME"))["status"] == 400
    assert error_of(configure(p.http, p.customer, DEMO_ORG, "APPLICATION_VIEWERS", "ALL_PRODUCT_USERS"))["status"] \
        == 400
    assert error_of(configure(p.http, p.customer, DEMO_ORG, "NOPE", "x"))["status"] == 400
    ok = configure(p.http, p.customer, DEMO_ORG, "APPLICATION_VIEWERS", "ALL_PRODUCT_USERS", "IN_ATS_INDICATOR")
    assert ok.json()["errors"] == {}


@ledger("configurations_value_union_batch_update_get_delete")
def _(p):
    assert configure(p.http, p.customer, DEMO_ORG, "JOB_POSTING_VIEWERS", "ALL_PRODUCT_USERS").json()["errors"] == {}
    got = p.http.get(f"{OCE}/configurations?ids=JOB_POSTING_VIEWERS", headers=p.customer).json()
    assert got["results"]["JOB_POSTING_VIEWERS"] == {"configurationValue": {"string": "ALL_PRODUCT_USERS"}}
    deleted = p.http.delete(f"{OCE}/configurations?ids=JOB_POSTING_VIEWERS", headers=p.customer).json()
    assert deleted == {"results": {"JOB_POSTING_VIEWERS": {"status": 204}}, "errors": {}}


@ledger("callback_url_is_https_on_port_443_or_80")
def _(p):
    refused = error_of(configure(p.http, p.customer, DEMO_ORG, "CALLBACK_URL", "https://ats.example.com:8443/li/acme"))
    assert refused["status"] == 400 and "port 443 or 80" in refused["message"]
    assert error_of(configure(p.http, p.customer, DEMO_ORG, "CALLBACK_URL", "http://ats.example.com/li"))[
        "status"] == 400
    assert configure(p.http, p.customer, DEMO_ORG, "CALLBACK_URL", "https://ats.example.com/li/acme").json()[
        "errors"] == {}


@ledger("callback_url_is_one_per_customer")
def _(p):
    url = "https://ats.example.com/li/shared"
    assert configure(p.http, p.customer, DEMO_ORG, "CALLBACK_URL", url).json()["errors"] == {}
    globex = provision_customer(p.http, p.partner, "globex")
    assert error_of(configure(p.http, globex["headers"], globex["org"], "CALLBACK_URL", url))["status"] == 409


@ledger("integrations_quota_is_5000_a_day")
def _(p):
    assert p.quotas()["atsIntegrations"]["callsPerDay"] == 5_000


# ---- Push notifications -------------------------------------------------------------------------------------


@ledger("push_posts_an_event_id_and_the_partner_fetches_the_details")
def _(p):
    set_callback(p.http, p.customer, p.server.url + "/_mock/inbox/acme")
    changed = enable(p.http, DEMO_ORG, ["PROFILE_PLUGIN"], False).json()
    notification = delivered(p.http, id=changed["notification"]["id"])
    [received] = [r for r in p.http.get("/_mock/inbox/acme").json()["requests"] if r["method"] == "POST"]
    body = json.loads(received["body"])
    assert set(body) == {"id", "type", "expiresAt"} and body["id"] == notification["id"]
    expected = hmac.new(b"demo-customer-secret", b"hmacsha256=" + received["body"].encode(), hashlib.sha256)
    assert received["headers"]["x-li-signature"] == expected.hexdigest()
    assert p.finder("/v2/atsIntegrations", q="request", requestId=body["id"]).json()["elements"]


@ledger("push_goes_only_to_the_customer_of_the_application")
def _(p):
    globex = provision_customer(p.http, p.partner, "globex")
    set_callback(p.http, globex["headers"], p.server.url + "/_mock/inbox/globex", globex["org"])
    set_callback(p.http, p.customer, p.server.url + "/_mock/inbox/acme")
    event = enable(p.http, DEMO_ORG, ["PROFILE_PLUGIN"], False).json()["notification"]["id"]
    delivered(p.http, id=event)
    assert [json.loads(r["body"])["id"] for r in p.http.get("/_mock/inbox/acme").json()["requests"]] == [event]
    assert event not in [json.loads(r["body"])["id"] for r in p.http.get("/_mock/inbox/globex").json()["requests"]
                         if r["method"] == "POST"]


# ---- Jobs -------------------------------------------------------------------------------------------------------


@ledger("jobs_batch_create_answers_202_with_task_urns")
def _(p):
    [task] = accepted(post(p.http, p.customer, job("J-202")))
    assert task.startswith("urn:li:simpleJobPostingTask:")


@ledger("jobs_missing_method_header_is_403_unpermitted_fields")
def _(p):
    reply = p.http.post("/v2/simpleJobPostings", headers=p.customer, json={"elements": [job()]})
    assert reply.status_code == 403 and reply.json()["message"].startswith("Unpermitted fields present in REQUEST_BODY")
    assert reply.json()["message"].endswith("[/elements]")


@ledger("jobs_missing_field_is_an_element_422")
def _(p):
    [error] = element_errors(post(p.http, p.customer, job(title=None)))
    assert error["status"] == 422 and error["message"].startswith("ERROR :: /title :: field is required")


@ledger("jobs_wrong_type_is_422_cannot_be_coerced_to_long")
def _(p):
    [error] = element_errors(post(p.http, p.customer, job(listedAt="yesterday")))
    assert error["status"] == 422 and "cannot be coerced to Long" in error["message"]


@ledger("jobs_bad_enum_is_422_not_an_enum_symbol")
def _(p):
    for field in ("jobPostingOperationType", "state", "employmentStatus"):
        [error] = element_errors(post(p.http, p.customer, job(**{field: "NOPE"})))
        assert error["status"] == 422 and "is not an enum symbol" in error["message"], field


@ledger("jobs_more_than_one_workplace_type_is_an_element_400")
def _(p):
    [error] = element_errors(post(p.http, p.customer, job(workplaceTypes=["remote", "hybrid"])))
    assert error["status"] == 400 and "remote, hybrid" in error["message"]


@ledger("jobs_invalid_company_apply_url_is_400_naming_the_task")
def _(p):
    """Decision (h-fidelity1's README row): a per-element 400 with the create-jobs message and the task URN."""
    [error] = element_errors(post(p.http, p.customer, job("J-URL", companyApplyUrl="not a url")))
    assert error["status"] == 400 and "taskUrn urn:li:simpleJobPostingTask:" in error["message"]


@ledger("jobs_without_company_information_are_400")
def _(p):
    reply = post(p.http, p.customer, job(integrationContext=None))
    assert reply.status_code == 400
    assert reply.json()["message"] == "Either context or company or companyPageUrl or companyName must be provided"


@ledger("jobs_closing_a_closed_job_is_409")
def _(p):
    accepted(post(p.http, p.customer, job("J-CLOSE", state="CLOSED")))
    again = post(p.http, p.customer, job("J-CLOSE", state="CLOSED")).json()["elements"][0]
    assert again["status"] == 409


@ledger("jobs_more_than_seven_locations_is_422")
def _(p):
    [error] = element_errors(post(p.http, p.customer, job(alternateLocations=["Paris, France"] * 8)))
    assert error["status"] == 422


@ledger("jobs_integer_external_job_posting_id")
def _(p):
    """Decision: LinkedIn's table says 500; the emulator never answers 5xx and gives the element a 422."""
    [error] = element_errors(post(p.http, p.customer, job(externalJobPostingId=12345)))
    assert error["status"] == 422 and "/externalJobPostingId" in error["message"]


@ledger("jobs_at_most_100_elements_a_call")
def _(p):
    assert post(p.http, p.customer, *[job(f"J{n}") for n in range(101)]).status_code == 400


@ledger("jobs_schema_limits")
def _(p):
    future = int(time.time() * 1000) + DAY_S * 1000
    for fields in ({"listedAt": future}, {"title": "t" * 201}, {"externalJobPostingId": "x" * 201},
                   {"categories": ["a", "b", "c", "d"]}):
        [error] = element_errors(post(p.http, p.customer, job(**fields)))
        assert error["status"] == 422, fields


@ledger("jobs_availability_is_required_for_rsc")
def _(p):
    [error] = element_errors(post(p.http, p.customer, job(availability=None)))
    assert error["status"] == 422 and "/availability" in error["message"]


@ledger("jobs_rsc_required_state_and_location")
def _(p):
    for fields, where in (({"state": None}, "/state"), ({"location": None}, "/location"),
                          ({"location": None, "countryCode": "us"}, "/postalCode")):
        [error] = element_errors(post(p.http, p.customer, job(**fields)))
        assert error["status"] == 422 and where in error["message"], fields
    accepted(post(p.http, p.customer, job("J-POSTAL", location=None, countryCode="us", postalCode="94105")))


@ledger("job_tasks_are_keyed_by_task_urn_in_progress_then_succeeded")
def _(p):
    first, second = accepted(post(p.http, p.customer, job("T-1"), job("T-2")))
    body = tasks(p.http, p.customer, first, second).json()
    assert set(body["results"]) == {first, second}
    assert {r["status"] for r in body["results"].values()} == {"IN_PROGRESS"}
    done = task_of(p.http, p.customer, first)
    assert done["status"] == "SUCCEEDED" and done["externalJobPostingId"] == "T-1" and done["jobPosting"]


@ledger("job_tasks_statuses_are_empty_for_found_tasks")
def _(p):
    [task] = accepted(post(p.http, p.customer, job("T-S")))
    assert tasks(p.http, p.customer, task).json()["statuses"] == {}


@ledger("job_tasks_processed_status")
def _(p):
    """Decision: PROCESSED is in the task shape, but the page's note on when LinkedIn returns it is unreadable; the
    emulator's tasks end SUCCEEDED or FAILED, as the RSC flow documents."""
    from mock_server import schemas
    assert "PROCESSED" in schemas.load("simpleJobPostingTask")["properties"]["status"]["enum"]
    [task] = accepted(post(p.http, p.customer, job("T-P")))
    assert finished(p.http, p.customer, task)["status"] == "SUCCEEDED"


@ledger("job_tasks_fail_for_description_length")
def _(p):
    short, long_ = accepted(post(p.http, p.customer, job("T-SHORT", description="too short"),
                                 job("T-LONG", description="x" * 25_001)))
    for task in (short, long_):
        result = finished(p.http, p.customer, task)
        assert result["status"] == "FAILED" and "description" in result["errorMessage"].lower()


@ledger("job_tasks_failed_messages_have_the_client_side_prefix")
def _(p):
    [task] = accepted(post(p.http, p.customer, job("T-RENEW", jobPostingOperationType="RENEW", state=None)))
    assert finished(p.http, p.customer, task)["errorMessage"].startswith(
        "Job processing failed due to a client-side error")


@ledger("job_tasks_ids_must_be_task_urns")
def _(p):
    reply = tasks(p.http, p.customer, "not-a-task")
    assert reply.status_code == 400 and reply.json()["message"] == "Batch key parameter value is invalid"


@ledger("job_tasks_quota_is_300000_a_day")
def _(p):
    assert p.quotas()["simpleJobPostingTasks"]["callsPerDay"] == 300_000


# ---- atsCandidates --------------------------------------------------------------------------------------------


@ledger("candidates_batch_update_by_candidate_key")
def _(p):
    assert put_candidates(p.http, p.customer, {key(): candidate()}).json() == {
        "results": {key(): {"status": 204}}, "errors": {}}


@ledger("candidates_100_a_call_100000_a_day_10000_records_a_minute")
def _(p):
    keys = [key(f"C{n}") for n in range(101)]
    tunnelled = p.http.post("/v2/atsCandidates", content=ids(*keys), headers={
        **p.customer, "X-HTTP-Method-Override": "GET", "Content-Type": "application/x-www-form-urlencoded"})
    assert tunnelled.status_code == 400 and "at most 100" in tunnelled.json()["message"]
    limits = p.quotas()["atsCandidates"]
    assert limits["callsPerDay"] == 100_000 and limits["recordsPerMinute"] == 10_000


@ledger("candidates_addresses_phone_numbers_and_times")
def _(p):
    for fields, where in (({"addresses": None}, "/addresses"), ({"phoneNumbers": None}, "/phoneNumbers"),
                          ({"atsCreatedAt": 0}, "/atsCreatedAt"),
                          ({"atsCreatedAt": 2, "atsLastModifiedAt": 1}, "/atsLastModifiedAt")):
        error = error_of(put_candidates(p.http, p.customer, {key(): candidate(**fields)}))
        assert error["status"] == 422 and where in error["message"], fields
    assert put_candidates(p.http, p.customer, {key(): candidate(addresses=[], phoneNumbers=[])}).json()["errors"] == {}


@ledger("candidates_email_required_unless_a_person_is_attached")
def _(p):
    assert error_of(put_candidates(p.http, p.customer, {key(): candidate(emailAddresses=None)}))["status"] == 422
    assert error_of(put_candidates(p.http, p.customer, {key(): candidate(emailAddresses=["nope"])}))["status"] == 422
    attached = candidate(emailAddresses=None, manualMatchedMember="urn:li:person:demo-candidate")
    assert put_candidates(p.http, p.customer, {key(): attached}).json()["errors"] == {}


@ledger("candidates_first_name_and_external_profile_url_required")
def _(p):
    for field in ("firstName", "externalProfileUrl"):
        error = error_of(put_candidates(p.http, p.customer, {key(): candidate(**{field: None})}))
        assert error["status"] == 422 and f"/{field}" in error["message"]


@ledger("candidates_do_not_contact_and_linkedin_profile_url_optional")
def _(p):
    entity = candidate(doNotContact=True, linkedInProfileUrl="https://www.linkedin.com/in/someone")
    assert put_candidates(p.http, p.customer, {key(): entity}).json()["errors"] == {}


@ledger("candidates_batch_get_with_the_match_projection")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    reply = p.http.get(f"/v2/atsCandidates?{ids(key())}&fields=matchedMembers,manualMatchedMember", headers=p.customer)
    assert reply.json()["results"][key()]["matchedMembers"] == ["urn:li:person:demo-candidate"]


@ledger("candidates_attach_person_urn")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    patch = {"$set": {"manualMatchedMember": "urn:li:person:jane-doe"}}
    assert attach(p.http, p.customer, {key(): patch}).json()["errors"] == {}
    assert get_candidates(p.http, p.customer, key()).json()["results"][key()]["manualMatchedMember"] == \
        "urn:li:person:jane-doe"


@ledger("candidates_of_the_customers_own_organization_only")
def _(p):
    foreign = key("F1", "urn:li:organization:424242")
    assert error_of(put_candidates(p.http, p.customer, {foreign: candidate()}))["status"] == 403


@ledger("candidate_notes_fields_optional_author_needs_names")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    url = notes_url() + "?ids=N1"
    ok = p.http.put(url, headers={**p.customer, **BATCH_UPDATE}, json={"entities": {"N1": {}}})
    assert ok.json()["errors"] == {}
    bad = p.http.put(url, headers={**p.customer, **BATCH_UPDATE},
                     json={"entities": {"N1": note(author={"firstName": "Rita"})}})
    assert error_of(bad)["status"] == 422


# ---- atsApplications ------------------------------------------------------------------------------------------


@ledger("applications_batch_update_by_application_key")
def _(p):
    assert put_applications(p.http, p.customer, {application_key(): application()}).json()["errors"] == {}


@ledger("applications_update_replaces_the_whole_record")
def _(p):
    put_applications(p.http, p.customer, {application_key(): application(source="Referral")})
    put_applications(p.http, p.customer, {application_key(): application(source=None)})
    assert "source" not in get_applications(p.http, p.customer, application_key()).json()["results"][
        application_key()]


@ledger("applications_validations_of_november_2021")
def _(p):
    for fields in ({"atsCreatedAt": 0}, {"candidateEmail": "nope"}, {"atsJobPostingName": ""},
                   {"atsJobPostingId": ""}, {"firstName": None}):
        assert error_of(put_applications(p.http, p.customer, {application_key(): application(**fields)}))[
            "status"] == 422, fields


@ledger("application_notes_have_the_candidate_notes_schema")
def _(p):
    put_applications(p.http, p.customer, {application_key(): application()})
    reply = p.http.put(sub("notes", "ids=AN1"), headers={**p.customer, **BATCH_UPDATE},
                       json={"entities": {"AN1": {"atsCreatedAt": 1, **NOTE}}})
    assert reply.json()["errors"] == {}


@ledger("application_interview_feedback_types_and_no_method_header")
def _(p):
    put_applications(p.http, p.customer, {application_key(): application()})
    url = sub("interviewFeedback", "ids=F1")
    ok = p.http.put(url, headers=p.customer, json={"entities": {"F1": {**FEEDBACK, "interviewType": "PHONE_SCREEN"}}})
    assert ok.status_code == 200 and ok.json()["errors"] == {}
    bad = p.http.put(url, headers=p.customer, json={"entities": {"F1": {"interviewType": "VIDEO"}}})
    assert error_of(bad)["status"] == 422


@ledger("application_stages_rules")
def _(p):
    put_applications(p.http, p.customer, {application_key(): application()})
    url = sub("stages", "ids=S1")
    for entity in ({"stage": "Not Available", "atsCreatedAt": 1}, {"stage": "", "atsCreatedAt": 1},
                   {"stage": "New"}, {"stage": "New", "atsCreatedAt": 0}):
        assert error_of(p.http.put(url, headers={**p.customer, **BATCH_UPDATE}, json={"entities": {"S1": entity}}))[
            "status"] == 422, entity
    ok = p.http.put(url, headers={**p.customer, **BATCH_UPDATE}, json={"entities": {"S1": {"stage": "New",
                                                                                           "atsCreatedAt": 1}}})
    assert ok.json() == {"results": {"S1": {"status": 204}}, "errors": {}}


@ledger("applications_quotas_are_100000_a_day_each")
def _(p):
    limits = p.quotas()
    assert {limits[name]["callsPerDay"] for name in ("atsApplications", "atsApplications/notes",
                                                     "atsApplications/interviewFeedback",
                                                     "atsApplications/stages")} == {100_000}


# ---- ACLs -------------------------------------------------------------------------------------------------------

ACL_KEY = (f"atsEntityAclId=G1&atsEntityId=J1&atsEntityType=JOB_POSTING&dataProvider=ATS"
           f"&integrationContext={DEMO_ORG}")  # parts sorted by name, as replies write them


def assignee_key(group: str, person: str = "urn:li:person:demo-recruiter") -> str:
    return (f"assignee={person}&atsEntityAclId={group}&atsEntityType=JOB_POSTING&dataProvider=ATS"
            f"&integrationContext={DEMO_ORG}")


def put_acl(p, resource: str, entity_key: str, headers=None, body=None):
    return p.http.put(f"/v2/{resource}?{ids(entity_key)}", headers={**p.customer, **BATCH_UPDATE, **(headers or {})},
                      json={"entities": {entity_key: {} if body is None else body}})


@ledger("acls_batch_update_with_an_empty_body")
def _(p):
    assert put_acl(p, "atsEntityAcls", ACL_KEY).json() == {"results": {ACL_KEY: {"status": 204}}, "errors": {}}
    assert error_of(put_acl(p, "atsEntityAcls", ACL_KEY, body={"x": 1}))["status"] == 422


@ledger("acls_only_job_posting_is_securable")
def _(p):
    other = ACL_KEY.replace("JOB_POSTING", "CANDIDATE")
    assert error_of(put_acl(p, "atsEntityAcls", other))["status"] == 422


@ledger("acls_finder_and_batch_delete")
def _(p):
    put_acl(p, "atsEntityAcls", ACL_KEY)
    found = p.finder("/v2/atsEntityAcls", q="criteria", integrationContext=DEMO_ORG, start=0, count=10).json()
    assert [e["atsEntityAclId"] for e in found["elements"]] == ["G1"]
    delete = f"/v2/atsEntityAcls?{ids(ACL_KEY)}"
    assert p.http.delete(delete, headers=p.customer).json()["results"][ACL_KEY]["status"] == 204
    assert error_of(p.http.delete(delete, headers=p.customer))["status"] == 404


@ledger("acl_assignees_take_the_2_0_header_with_1_0_keys")
def _(p):
    reply = put_acl(p, "atsEntityAclAssignees", assignee_key("G1"), headers={"X-RestLi-Protocol-Version": "2.0.0"})
    assert reply.status_code == 200 and reply.json()["errors"] == {}


@ledger("acl_assignees_at_most_10_acls_per_user")
def _(p):
    """LinkedIn: "Do not assign more than 10 ACLs per user." The emulator enforces it (422 for the 11th)."""
    for group in range(10):
        assert put_acl(p, "atsEntityAclAssignees", assignee_key(f"G{group}")).json()["errors"] == {}
    assert error_of(put_acl(p, "atsEntityAclAssignees", assignee_key("G10")))["status"] == 422


@ledger("acl_assignees_finder_and_batch_delete")
def _(p):
    put_acl(p, "atsEntityAclAssignees", assignee_key("G1"))
    found = p.finder("/v2/atsEntityAclAssignees", q="criteria", integrationContext=DEMO_ORG,
                     assignee="urn:li:person:demo-recruiter").json()["elements"]
    assert [e["atsEntityAclId"] for e in found] == ["G1"]
    deleted = p.http.delete(f"/v2/atsEntityAclAssignees?{ids(assignee_key('G1'))}", headers=p.customer)
    assert deleted.json()["errors"] == {}


@ledger("acl_visibility_defaults_per_integration_via_configurations")
def _(p):
    sync_job(p.http, p.customer, "SECRET", accessRestricted=True)
    assert "SECRET" not in export_jobs(p.http, 3000)
    assert configure(p.http, p.customer, DEMO_ORG, "JOB_POSTING_VIEWERS", "ALL_PRODUCT_USERS").json()["errors"] == {}
    assert "SECRET" in export_jobs(p.http, 3000)


# ---- Deletion ---------------------------------------------------------------------------------------------------


@ledger("deletes_for_every_synced_kind")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    p.http.put(notes_url() + "?ids=N1", headers={**p.customer, **BATCH_UPDATE}, json={"entities": {"N1": note()}})
    put_applications(p.http, p.customer, {application_key(): application()})
    sync_children(p.http, p.customer)
    for url in (notes_url() + "?ids=N1", sub("notes", "ids=APPL_NOTE_0001"),
                sub("interviewFeedback", "ids=APPL_INTERVIEW_0001"), sub("stages", "ids=STAGE001"),
                f"/v2/atsApplications?{ids(application_key())}", f"/v2/atsCandidates?{ids(key())}"):
        reply = p.http.delete(url, headers=p.customer)
        assert reply.status_code == 200 and reply.json()["errors"] == {}, url
    assert error_of(p.http.delete(f"/v2/atsCandidates?{ids(key())}", headers=p.customer))["status"] == 404


@ledger("deletes_cascade_to_notes_stages_and_feedback")
def _(p):
    put_candidates(p.http, p.customer, {key(): candidate()})
    p.http.put(notes_url() + "?ids=N1", headers={**p.customer, **BATCH_UPDATE}, json={"entities": {"N1": note()}})
    put_applications(p.http, p.customer, {application_key(): application()})
    sync_children(p.http, p.customer)
    p.http.delete(f"/v2/atsCandidates?{ids(key())}", headers=p.customer)
    p.http.delete(f"/v2/atsApplications?{ids(application_key())}", headers=p.customer)
    assert error_of(p.http.get(notes_url() + "?ids=N1", headers=p.customer))["status"] == 404
    for url in (sub("notes", "ids=APPL_NOTE_0001"), sub("stages", "ids=STAGE001"),
                sub("interviewFeedback", "ids=APPL_INTERVIEW_0001")):
        assert error_of(p.http.get(url, headers=p.customer))["status"] == 404, url


# ---- Retrieve APIs ---------------------------------------------------------------------------------------------


def exported(p) -> str:
    sync_job(p.http, p.customer, "EXP-1")
    reply = export(p.http, 3000, "urn:li:person:demo-candidate", "EXP-1")
    assert reply.status_code == 201, reply.text
    return reply.json()["notification"]["id"]


@ledger("exported_candidates_resolve_the_push")
def _(p):
    [element] = p.finder("/v2/exportedCandidates", q="request", requestId=exported(p)).json()["elements"]
    assert element["integrationContext"] == DEMO_ORG and element["candidate"]["person"]


@ledger("exported_candidates_stub_email_is_a_string")
def _(p):
    [element] = p.finder("/v2/exportedCandidates", q="request", requestId=exported(p)).json()["elements"]
    assert isinstance(element["candidate"]["emailAddress"], str)


@ledger("exported_candidates_300_exports_per_seat_a_month")
def _(p):
    sync_job(p.http, p.customer, "EXP-CAP")
    for number in range(300):
        assert export(p.http, 3000, "urn:li:person:demo-candidate", "EXP-CAP").status_code == 201, number
    refused = export(p.http, 3000, "urn:li:person:demo-candidate", "EXP-CAP")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


@ledger("exported_candidates_take_client_credentials_tokens")
def _(p):
    reply = p.finder("/v2/exportedCandidates", headers=p.member(), q="request", requestId=exported(p))
    assert reply.status_code == 403 and reply.json()["code"] == "ACCESS_DENIED"


@ledger("seats_v2_contracts_required_states_filter")
def _(p):
    assert p.finder("/v2/seatsV2", q="attributes", start=0).status_code == 400
    assert p.finder("/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, states="GONE", start=0).status_code == 400
    active = p.finder("/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, states="ACTIVE", start=0)
    assert [seat["state"] for seat in active.json()["elements"]] == ["ACTIVE"] * 3


@ledger("seats_v2_needs_start_and_pages_10_by_default")
def _(p):
    assert p.finder("/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT).status_code == 400
    assert p.finder("/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, start=0).json()["paging"]["start"] == 0


@ledger("seats_v2_ids_are_seat_ids_with_the_sample_fields")
def _(p):
    seats = p.finder("/v2/seatsV2", q="attributes", contracts=DEMO_CONTRACT, start=0).json()["elements"]
    assert seats[0]["id"] == 3000
    assert {"firstName", "lastName", "contract", "member", "state"} <= set(seats[0])


@ledger("seats_legacy_finder_of_the_collection")
def _(p):
    reply = p.finder("/v2/seats", q="seatsByAttributes", fields="id", active="true", count=100, start=0,
                     contracts=DEMO_CONTRACT)
    assert reply.json()["elements"] == [{"id": 3000}, {"id": 3001}, {"id": 3002}]


@ledger("prospect_interactions_share_100000_a_day")
def _(p):
    limits = p.quotas()
    assert {limits[name]["group"] for name in ("seats", "seatsV2", "conversationEvents", "mailStubs",
                                                "prospectNotes")} == {"prospectInteractions"}


@ledger("conversation_events_viewer_required_start_inclusive")
def _(p):
    assert p.finder("/v2/conversationEvents", q="criteria").status_code == 400
    events = p.finder("/v2/conversationEvents", q="criteria", viewer="urn:li:seat:3000", count=100).json()["elements"]
    first = events[0]["created"]
    inclusive = p.finder("/v2/conversationEvents", q="criteria", viewer="urn:li:seat:3000",
                         **{"timeRange.start": first, "timeRange.end": first + 1}).json()["elements"]
    assert events[0]["id"] in [event["id"] for event in inclusive]


@ledger("conversation_events_12_hours_a_call_is_a_recommendation")
def _(p):
    reply = p.finder("/v2/conversationEvents", q="criteria", viewer="urn:li:seat:3000",
                     **{"timeRange.start": 0, "timeRange.end": 12 * HOUR_MS + 1})
    assert reply.status_code == 200
    assert reply.headers[advisories.HEADER].startswith("TIME_WINDOW_OVER_12_HOURS: ")


@ledger("conversation_events_12_records_per_member_a_minute")
def _(p):
    for number in range(12):
        p.http.post("/_mock/recruiter/inmails", json={"seat": 3000, "member": "urn:li:person:jane-doe",
                                                      "body": f"Hello {number}"}).raise_for_status()
    p.world.clock.freeze()
    p.world.clock.set_ms((p.world.clock.now_ms() // 60_000 + 1) * 60_000)
    page = {"q": "criteria", "viewer": "urn:li:seat:3000", "count": 12}
    assert len(p.finder("/v2/conversationEvents", **page).json()["elements"]) == 12
    assert p.finder("/v2/conversationEvents", **page).status_code == 429


@ledger("mail_stubs_contract_required_owners_and_date_bounds")
def _(p):
    assert p.finder("/v2/mailStubs", q="contract").status_code == 400
    stubs = p.finder("/v2/mailStubs", q="contract", contract=DEMO_CONTRACT, count=100).json()["elements"]
    stub = stubs[0]
    window = {"q": "contract", "contract": DEMO_CONTRACT, "owners": stub["owner"], "count": 100}
    inside = p.finder("/v2/mailStubs", createdDateStart=stub["created"], createdDateEnd=stub["created"] + 1, **window)
    outside = p.finder("/v2/mailStubs", createdDateStart=stub["created"] - 1, createdDateEnd=stub["created"], **window)
    assert stub["id"] in [s["id"] for s in inside.json()["elements"]]
    assert stub["id"] not in [s["id"] for s in outside.json()["elements"]]


@ledger("mail_stubs_paging_past_20000_results_fails")
def _(p):
    reply = p.finder("/v2/mailStubs", q="contract", contract=DEMO_CONTRACT, start=19_950, count=100)
    assert reply.status_code == 400


@ledger("prospect_notes_criteria_and_date_bounds")
def _(p):
    assert p.finder("/v2/prospectNotes", q="criteria").status_code == 400
    notes = p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT, count=100).json()["elements"]
    last = notes[0]["lastModified"]
    window = {"q": "criteria", "contract": DEMO_CONTRACT, "count": 100}
    included = p.finder("/v2/prospectNotes", beforeDate=last, cutoffDate=last - 1, **window).json()["elements"]
    excluded = p.finder("/v2/prospectNotes", cutoffDate=last, **window).json()["elements"]
    assert notes[0]["id"] in [n["id"] for n in included] and notes[0]["id"] not in [n["id"] for n in excluded]


@ledger("prospect_notes_sample_fields")
def _(p):
    notes = p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT).json()["elements"]
    assert {"active", "contract", "created", "id", "lastModified"} <= set(notes[0])
    assert isinstance(notes[0]["active"], bool) and isinstance(notes[0]["id"], int)


@ledger("prospect_notes_count_up_to_100")
def _(p):
    assert p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT, count=100).status_code == 200
    assert p.finder("/v2/prospectNotes", q="criteria", contract=DEMO_CONTRACT, count=101).status_code == 400


@ledger("me_with_a_member_token_and_fields_id")
def _(p):
    assert p.http.get("/v2/me?fields=id", headers=p.member()).json() == {"id": "demo-recruiter"}
    assert p.http.get("/v2/me", headers=p.customer).status_code == 403


# ---- Widgets ------------------------------------------------------------------------------------------------------


@ledger("widgets_in_js_is_served")
def _(p):
    reply = p.http.get("/xdoor/scripts/in.js")
    assert reply.status_code == 200 and "javascript" in reply.headers["content-type"]


def test_one_test_per_ledger_row():
    """154 rows in the ledger's tables (155 checks: two rows carry two verdicts)."""
    assert len(ROWS) == len(set(ROWS)) == 154
