"""The widget stand-ins' server side over HTTP (no browser): in.js and the frame pages, frame tokens (issued to
the page's real Origin, required by every /_widgets data endpoint, never replaced by parameters), pre-approval
by an admin, link / unlink through atsCandidates, and the example page. The browser flows are in
test_widgets_browser.py."""

from __future__ import annotations

import pytest
from starlette.routing import Route

from mock_server.api.widgets.frames import FrameGrant, FrameTokens
from mock_server.api.widgets.routes import ROUTES
from mock_server.schemas import validation
from tests.conftest import DEMO_CONTRACT, DEMO_ORG
from tests.recruiting import provision_customer
from tests.test_candidates import attach, candidate, get, key, put

PAGE_ORIGIN = "http://localhost:8080"
BUNDLES = "RECRUITER_SYSTEM_CONNECT_COMPANY,RECRUITER_SYSTEM_CONNECT_CONTRACT"
ADMIN = "urn:li:person:demo-recruiter"
CONFIGURATION, PROFILE = "ATSIntegrationWidget", "HcmWidget"
# Every widget data endpoint: (method, path, the widget whose frame calls it, valid parameters).
DATA_CALLS = [("GET", "/_widgets/configuration", CONFIGURATION, {"bundles": BUNDLES}),
              ("POST", "/_widgets/configuration/signin", CONFIGURATION, {"identifier": ADMIN}),
              ("POST", "/_widgets/configuration/approve", CONFIGURATION, {"member": ADMIN, "bundles": BUNDLES}),
              ("GET", "/_widgets/profile", PROFILE, {"atsCandidateId": "X", "integrationContext": DEMO_ORG}),
              ("GET", "/_widgets/profile/members", PROFILE, {"q": "doe", "integrationContext": DEMO_ORG}),
              ("POST", "/_widgets/profile/link", PROFILE, {"atsCandidateId": "X", "integrationContext": DEMO_ORG,
                                                           "member": "urn:li:person:jane-doe"}),
              ("POST", "/_widgets/profile/unlink", PROFILE, {"atsCandidateId": "X", "integrationContext": DEMO_ORG})]


def error_of(reply, status: int) -> str:
    assert reply.status_code == status, reply.text
    assert reply.headers["X-RestLi-Error-Response"] == "true"
    return reply.json()["message"]


def issue(http, widget: str, api_key: str = "demo-customer", origin: str | None = PAGE_ORIGIN):
    """``POST /_widgets/frames`` as in.js sends it, the browser adding ``Origin``."""
    headers = {"Origin": origin} if origin is not None else {}
    return http.post("/_widgets/frames", data={"api_key": api_key, "widget": widget}, headers=headers)


def frame(http, widget: str, **kwargs) -> dict:
    """The headers of a frame of ``widget``'s data calls: its frame token."""
    reply = issue(http, widget, **kwargs)
    assert reply.status_code == 200, reply.text
    return {"X-Widget-Token": reply.json()["token"]}


def call(http, method: str, path: str, params: dict, headers: dict):
    """A widget data call: the query of a GET, the JSON body of a POST."""
    if method == "GET":
        return http.get(path, params=params, headers=headers)
    return http.post(path, json=params, headers=headers)


@pytest.fixture
def configuration(http):
    return frame(http, CONFIGURATION)


@pytest.fixture
def profile(http):
    return frame(http, PROFILE)


def test_in_js_and_frames_are_served(http):
    script = http.get("/xdoor/scripts/in.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "IN/" in script.text and "postMessage" in script.text and "/_widgets/frames" in script.text
    for widget in (CONFIGURATION, PROFILE):
        token = frame(http, widget)["X-Widget-Token"]
        page = http.get(f"/_widgets/frame/{widget}", params={"token": token, "origin": PAGE_ORIGIN})
        assert page.status_code == 200 and "/_widgets/static/frame.js" in page.text
        assert page.headers["content-security-policy"] == f"frame-ancestors {PAGE_ORIGIN}"
        for unbound in ({}, {"token": token + "x"}, {"token": frame(http, CONFIGURATION if widget == PROFILE
                                                                     else PROFILE)["X-Widget-Token"]}):
            page = http.get(f"/_widgets/frame/{widget}", params=unbound)  # shows its error; may be framed anywhere
            assert page.status_code == 200 and "content-security-policy" not in page.headers
    assert http.get("/_widgets/static/frame.js").status_code == 200
    unknown = http.get("/_widgets/frame/Other")  # a page: its errors are pages too
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("text/html")
    assert "No widget &quot;Other&quot;" in unknown.text


def test_the_data_calls_listed_here_are_every_widget_data_endpoint():
    served = {(method, route.path) for route in ROUTES if isinstance(route, Route)
              for method in route.methods - {"HEAD"} if route.path.startswith("/_widgets/")}
    pages = {("GET", "/_widgets/frame/{widget}"), ("POST", "/_widgets/frames")}
    assert served - pages == {(method, path) for method, path, _, _ in DATA_CALLS}


def test_frame_tokens_go_only_to_pages_of_the_customers_domains(http):
    for widget in (CONFIGURATION, PROFILE):
        granted = issue(http, widget)
        assert granted.status_code == 200 and granted.json()["origin"] == PAGE_ORIGIN
        assert granted.json()["widget"] == widget
        assert granted.headers["access-control-allow-origin"] == PAGE_ORIGIN
    assert frame(http, PROFILE) != frame(http, PROFILE)  # one token per frame
    wrong = [({"origin": "https://evil.example"}, 403, '"https://evil.example" is not in validJsSdkDomains of'
              " urn:li:developerApplication:11"),
             ({"origin": PAGE_ORIGIN + "/"}, 403, "is not in validJsSdkDomains"),
             ({"origin": "null"}, 403, '"null" is not in validJsSdkDomains'),
             ({"origin": None}, 403, "The Origin header is missing"),
             ({"api_key": "nope"}, 401, '"nope" is not the client id'),
             ({"api_key": "demo-partner"}, 403, "partner (parent) application"),
             ({"api_key": ""}, 401, "api_key is missing")]
    for kwargs, status, message in wrong:
        refused = issue(http, PROFILE, **kwargs)
        assert message in error_of(refused, status), kwargs
        assert refused.headers["access-control-allow-origin"] == (kwargs.get("origin", PAGE_ORIGIN) or "null")
        assert "token" not in refused.json()
    assert "widget must be one of" in error_of(issue(http, "Other"), 400)


@pytest.mark.parametrize("form", ["api_key=demo-customer&widget=HcmWidget&api_key=demo-customer-sb00000000",
                                  "api_key=demo-customer&api_key=demo-customer&widget=HcmWidget",
                                  "api_key=demo-customer&widget=HcmWidget&widget=ATSIntegrationWidget"])
def test_a_frame_request_with_a_field_given_twice_is_refused(http, form):
    """in.js sends each field once; of two ``api_key`` fields the sandbox addressing read the first and the route
    the last, so the refusal named the other one."""
    refused = http.post("/_widgets/frames", content=form, headers={
        "Origin": PAGE_ORIGIN, "Content-Type": "application/x-www-form-urlencoded"})
    assert "is given more than once" in error_of(refused, 400)
    assert refused.headers["access-control-allow-origin"] == PAGE_ORIGIN and "token" not in refused.json()


@pytest.mark.parametrize("method, path, widget, params", DATA_CALLS, ids=[c[1] + ":" + c[0] for c in DATA_CALLS])
def test_every_widget_data_endpoint_serves_only_its_own_frames(http, method, path, widget, params):
    """No token, a forged or altered one, another server's, another widget's, or a call from another page
    than the frame itself: refused, whatever api_key and origin the call names."""
    token = frame(http, widget)["X-Widget-Token"]
    payload, _, signature = token.partition(".")
    other_widget = frame(http, PROFILE if widget == CONFIGURATION else CONFIGURATION)["X-Widget-Token"]
    elsewhere = FrameTokens().issue(FrameGrant("urn:li:developerApplication:11", PAGE_ORIGIN, widget))
    named = {**params, "api_key": "demo-customer", "origin": PAGE_ORIGIN}  # what any page can read: worthless
    refusals = [({}, 401, "has no frame token"),
                ({"X-Widget-Token": "forged"}, 401, "is not valid"),
                ({"X-Widget-Token": payload + "." + signature[::-1]}, 401, "is not valid"),
                ({"X-Widget-Token": payload[:-2] + "." + signature}, 401, "is not valid"),
                ({"X-Widget-Token": elsewhere}, 401, "is not valid"),
                ({"X-Widget-Token": other_widget}, 403, "this call belongs to " + widget),
                ({"X-Widget-Token": token, "Origin": "https://evil.example"}, 403, "only to the widget's own frame"),
                ({"X-Widget-Token": token, "Origin": PAGE_ORIGIN}, 403, "came from " + PAGE_ORIGIN),
                ({"X-Widget-Token": token, "Sec-Fetch-Site": "cross-site"}, 403, "a cross-site page"),
                ({"X-Widget-Token": token, "Sec-Fetch-Site": "same-site"}, 403, "a same-site page")]
    for headers, status, message in refusals:
        assert message in error_of(call(http, method, path, named, headers), status), headers
    own = {"X-Widget-Token": token, "Origin": http.base_url.scheme + "://" + http.base_url.netloc.decode(),
           "Sec-Fetch-Site": "same-origin"}
    assert call(http, method, path, params, own).status_code in (200, 404, 409)  # reaches the widget's own rules
    # nothing was linked by the refused calls
    assert call(http, "GET", "/_widgets/profile", {"atsCandidateId": "X", "integrationContext": DEMO_ORG},
                frame(http, PROFILE)).json()["candidate"] is None


def test_a_frame_sees_only_its_own_customer_whatever_the_call_names(http, partner, customer):
    """The reported leak: another customer's api_key and public domain in the parameters."""
    globex = provision_customer(http, partner, "globex-widgets")
    assert http.post(f"/v2/provisionedApplications/{globex['key']}", headers={**partner, "X-RestLi-Method":
                     "PARTIAL_UPDATE"}, json={"patch": {"$set": {"validJsSdkDomains": ["https://globex.example"]}}}
                     ).status_code == 204
    assert put(http, customer, {key("ACME-1"): candidate()}).json()["errors"] == {}
    acme_page = {"api_key": "demo-customer", "origin": PAGE_ORIGIN}
    globex_profile = frame(http, PROFILE, api_key=globex["clientId"], origin="https://globex.example")
    globex_configuration = frame(http, CONFIGURATION, api_key=globex["clientId"], origin="https://globex.example")
    acme_candidate = {**acme_page, "atsCandidateId": "ACME-1", "integrationContext": DEMO_ORG}
    assert "is not an integration context of Demo ATS - globex-widgets" in error_of(
        http.get("/_widgets/profile", params=acme_candidate, headers=globex_profile), 403)
    assert "is not an integration context" in error_of(http.post(
        "/_widgets/profile/link", json={**acme_candidate, "member": "urn:li:person:jane-doe"},
        headers=globex_profile), 403)
    assert "manualMatchedMember" not in get(http, customer, key("ACME-1")).json()["results"][key("ACME-1")]
    shown = http.get("/_widgets/configuration", params={**acme_page, "bundles": BUNDLES}, headers=globex_configuration)
    assert shown.json()["customer"] == "Demo ATS - globex-widgets"
    assert not any("acme" in admin["emailAddress"] for admin in shown.json()["admins"])
    # no page of Acme's domains can get a token naming Globex, nor a Globex page one naming Acme
    assert error_of(issue(http, PROFILE, api_key=globex["clientId"], origin=PAGE_ORIGIN), 403)
    assert error_of(issue(http, PROFILE, api_key="demo-customer", origin="https://globex.example"), 403)


def test_a_frame_stops_working_when_its_page_domain_is_removed(http, partner, profile):
    members = {"q": "doe", "integrationContext": DEMO_ORG}
    assert http.get("/_widgets/profile/members", params=members, headers=profile).status_code == 200
    removed = http.post("/v2/provisionedApplications/urn:li:developerApplication:11",
                        headers={**partner, "X-RestLi-Method": "PARTIAL_UPDATE"},
                        json={"patch": {"$set": {"validJsSdkDomains": ["http://localhost:5000"]}}})
    assert removed.status_code == 204, removed.text
    assert "is not in validJsSdkDomains" in error_of(http.get("/_widgets/profile/members", params=members,
                                                              headers=profile), 403)


def test_configuration_state_sign_in_and_approve(http, configuration):
    state = http.get("/_widgets/configuration", params={"bundles": BUNDLES + ",APPLY_WITH_LINKEDIN"},
                     headers=configuration).json()
    assert state["customer"] == "Demo ATS - Acme"
    assert ADMIN in [admin["member"] for admin in state["admins"]]
    assert {(i["integrationType"], i["integrationContext"]) for i in state["integrations"]} == {
        ("ONE_CLICK_EXPORT", DEMO_ORG), ("IN_ATS_INDICATOR", DEMO_ORG), ("PROFILE_PLUGIN", DEMO_ORG),
        ("CSA_API", DEMO_CONTRACT)}
    only_contract = http.get("/_widgets/configuration", params={"bundles": "RECRUITER_SYSTEM_CONNECT_CONTRACT"},
                             headers=configuration)
    assert [i["integrationContext"] for i in only_contract.json()["integrations"]] == [DEMO_CONTRACT]
    assert "names no Recruiter System Connect bundle" in error_of(
        http.get("/_widgets/configuration", params={"bundles": "APPLY_WITH_LINKEDIN"}, headers=configuration), 400)

    def sign_in(identifier):
        return http.post("/_widgets/configuration/signin", json={"identifier": identifier}, headers=configuration)

    signed_in = sign_in("RILEY.recruiter@acme.example")
    assert signed_in.status_code == 200 and signed_in.json()["member"] == ADMIN
    assert "is not a Recruiter admin" in error_of(sign_in("johndoe@example.com"), 403)
    assert "No LinkedIn member" in error_of(sign_in("who@nowhere.example"), 401)
    assert error_of(sign_in(" "), 400)
    refused = http.post("/_widgets/configuration/approve", json={"member": "urn:li:person:demo-candidate",
                                                                 "bundles": BUNDLES}, headers=configuration)
    assert "is not a Recruiter admin" in error_of(refused, 403)

    approved = http.post("/_widgets/configuration/approve", json={"member": ADMIN, "bundles": BUNDLES.split(",")},
                         headers=configuration)
    assert approved.status_code == 200
    integrations = approved.json()["integrations"]
    assert validation.errors("widget.onintegrate", integrations) == []
    assert sorted(integrations, key=str) == sorted(state["integrations"], key=str)


def test_profile_state_link_and_unlink_change_the_candidate(http, customer, profile):
    candidate_key = key("WIDGET-API-1")
    params = {"atsCandidateId": "WIDGET-API-1", "integrationContext": DEMO_ORG}
    assert http.get("/_widgets/profile", params=params, headers=profile).json() == {"candidate": None, "match": None}
    assert "has not been synced" in error_of(http.post("/_widgets/profile/unlink", json=params, headers=profile), 404)
    assert error_of(http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:jane-doe"},
                              headers=profile), 404)

    assert put(http, customer, {candidate_key: candidate()}).json()["errors"] == {}
    automatic = http.get("/_widgets/profile", params=params, headers=profile).json()
    assert automatic["match"]["how"] == "automatic" and automatic["match"]["member"] == "urn:li:person:demo-candidate"
    assert automatic["match"]["profile"]["name"] == "John Doe"
    assert "no linked profile" in error_of(http.post("/_widgets/profile/unlink", json=params, headers=profile), 409)

    linked = http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:jane-doe"}, headers=profile)
    assert linked.status_code == 200 and linked.json()["member"] == "urn:li:person:jane-doe"
    assert linked.json()["state"]["match"]["how"] == "manual"
    assert get(http, customer, candidate_key).json()["results"][candidate_key]["manualMatchedMember"] == \
        "urn:li:person:jane-doe"
    assert error_of(http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:ghost"},
                              headers=profile), 422)
    assert error_of(http.post("/_widgets/profile/link", json={**params, "member": "jane-doe"}, headers=profile), 400)

    unlinked = http.post("/_widgets/profile/unlink", json=params, headers=profile)
    assert unlinked.json()["member"] == "urn:li:person:jane-doe"
    assert "manualMatchedMember" not in get(http, customer, candidate_key).json()["results"][candidate_key]
    assert unlinked.json()["state"]["match"]["how"] == "automatic"


def test_profile_context_must_be_the_customers(http, profile):
    foreign = {"atsCandidateId": "X", "integrationContext": "urn:li:organization:424242"}
    refused = http.get("/_widgets/profile", params=foreign, headers=profile)
    assert "is not an integration context of Demo ATS - Acme" in error_of(refused, 403)
    assert error_of(http.post("/_widgets/profile/link", json={**foreign, "member": "urn:li:person:jane-doe"},
                              headers=profile), 403)
    assert "data-ats-candidate-id is required" in error_of(
        http.get("/_widgets/profile", params={"integrationContext": DEMO_ORG}, headers=profile), 400)


def test_unlink_keeps_the_person_of_a_candidate_without_email(http, customer, profile):
    candidate_key = key("WIDGET-API-2")
    entity = candidate(emailAddresses=None, manualMatchedMember="urn:li:person:jane-doe")
    assert put(http, customer, {candidate_key: entity}).json()["errors"] == {}
    params = {"atsCandidateId": "WIDGET-API-2", "integrationContext": DEMO_ORG}
    assert "emailAddresses" in error_of(http.post("/_widgets/profile/unlink", json=params, headers=profile), 422)
    relinked = attach(http, customer,
                      {candidate_key: {"$set": {"manualMatchedMember": "urn:li:person:demo-candidate"}}})
    assert relinked.json()["results"][candidate_key]["status"] == 204
    assert http.get("/_widgets/profile", params=params,
                    headers=profile).json()["match"]["member"] == "urn:li:person:demo-candidate"


def test_member_search(http, profile):
    search = {"integrationContext": DEMO_ORG}
    found = http.get("/_widgets/profile/members", params={**search, "q": "john DOE"}, headers=profile).json()["members"]
    assert [member["member"] for member in found] == ["urn:li:person:demo-candidate"]
    assert http.get("/_widgets/profile/members", params={**search, "q": "  "}, headers=profile).json()["members"] == []
    assert "data-integration-context is required" in error_of(
        http.get("/_widgets/profile/members", params={"q": "doe"}, headers=profile), 400)


def test_example_page_points_at_the_server_it_is_served_from(http, server):
    page = http.get("/examples/ats-page.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'src="{server.url}/xdoor/scripts/in.js"' in page.text and "localhost:8080" not in page.text
    assert 'type="IN/ATSIntegrationWidget"' in page.text and 'type="IN/HcmWidget"' in page.text


def test_a_disabled_profile_plugin_shows_searches_and_links_nothing(http, customer, profile):
    candidate_key = key("WIDGET-OFF-1")
    assert put(http, customer, {candidate_key: candidate()}).json()["errors"] == {}
    params = {"atsCandidateId": "WIDGET-OFF-1", "integrationContext": DEMO_ORG}
    shown = http.get("/_widgets/profile", params=params, headers=profile)
    assert shown.json()["match"]["member"] == "urn:li:person:demo-candidate"
    switched = http.post("/_mock/recruiter/integrations", json={"integrationContext": DEMO_ORG,
                                                                "integrationType": "PROFILE_PLUGIN", "enabled": False})
    assert switched.status_code == 200, switched.text
    disabled = f"The PROFILE_PLUGIN integration of {DEMO_ORG} is not enabled in LinkedIn Recruiter"
    calls = [http.get("/_widgets/profile", params=params, headers=profile),
             http.get("/_widgets/profile/members", params={**params, "q": "jane"}, headers=profile),
             http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:jane-doe"}, headers=profile),
             http.post("/_widgets/profile/unlink", json=params, headers=profile)]
    for reply in calls:
        assert disabled in error_of(reply, 403), reply.request.url
    assert "manualMatchedMember" not in get(http, customer, candidate_key).json()["results"][candidate_key]
    http.post("/_mock/recruiter/integrations", json={"integrationContext": DEMO_ORG,
                                                     "integrationType": "PROFILE_PLUGIN", "enabled": True})
    assert http.get("/_widgets/profile/members", params={**params, "q": "jane"}, headers=profile).json()["members"]
