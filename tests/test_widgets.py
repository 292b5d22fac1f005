"""The widget stand-ins' server side over HTTP (no browser): in.js and the frame pages, the api_key and origin
checks every /_widgets endpoint repeats, pre-approval by an admin, link / unlink through atsCandidates, and
the example page. The browser flows are in test_widgets_browser.py."""

from __future__ import annotations

from mock_server.schemas import validation
from tests.conftest import DEMO_CONTRACT, DEMO_ORG
from tests.test_candidates import attach, candidate, get, key, put

PAGE = {"api_key": "demo-customer", "origin": "http://localhost:8080"}
BUNDLES = "RECRUITER_SYSTEM_CONNECT_COMPANY,RECRUITER_SYSTEM_CONNECT_CONTRACT"
ADMIN = "urn:li:person:demo-recruiter"


def error_of(reply, status: int) -> str:
    assert reply.status_code == status, reply.text
    assert reply.headers["X-RestLi-Error-Response"] == "true"
    return reply.json()["message"]


def test_in_js_and_frames_are_served(http):
    script = http.get("/xdoor/scripts/in.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "IN/" in script.text and "postMessage" in script.text
    for widget in ("ATSIntegrationWidget", "HcmWidget"):
        page = http.get(f"/_widgets/frame/{widget}", params=PAGE)
        assert page.status_code == 200 and "/_widgets/static/frame.js" in page.text
    assert http.get("/_widgets/static/frame.js").status_code == 200
    assert 'No widget "Other"' in error_of(http.get("/_widgets/frame/Other"), 404)


def test_api_key_and_origin_are_checked_on_every_endpoint(http):
    calls = [("GET", "/_widgets/configuration", {"bundles": BUNDLES}),
             ("POST", "/_widgets/configuration/signin", {"identifier": ADMIN}),
             ("POST", "/_widgets/configuration/approve", {"member": ADMIN, "bundles": BUNDLES}),
             ("GET", "/_widgets/profile", {"atsCandidateId": "X", "integrationContext": DEMO_ORG}),
             ("GET", "/_widgets/profile/members", {"q": "doe", "integrationContext": DEMO_ORG}),
             ("POST", "/_widgets/profile/link", {"atsCandidateId": "X", "integrationContext": DEMO_ORG,
                                                 "member": "urn:li:person:jane-doe"}),
             ("POST", "/_widgets/profile/unlink", {"atsCandidateId": "X", "integrationContext": DEMO_ORG})]
    wrong = [({"api_key": "demo-customer", "origin": "https://evil.example"}, 403, "\"https://evil.example\" is not"
              " in validJsSdkDomains of urn:li:developerApplication:11"),
             ({"api_key": "demo-customer", "origin": "http://localhost:8080/"}, 403, "is not in validJsSdkDomains"),
             ({"api_key": "nope", "origin": "http://localhost:8080"}, 401, "\"nope\" is not the client id"),
             ({"api_key": "demo-partner", "origin": "http://localhost:8080"}, 403, "partner (parent) application"),
             ({"origin": "http://localhost:8080"}, 401, "api_key is missing")]
    for method, path, params in calls:
        for page, status, message in wrong:
            if method == "GET":
                reply = http.get(path, params={**params, **page})
            else:
                reply = http.post(path, json={**params, **page})
            assert message in error_of(reply, status), (path, page)
    # nothing was linked by the refused calls
    assert http.get("/_widgets/profile", params={**PAGE, "atsCandidateId": "X",
                                                 "integrationContext": DEMO_ORG}).json()["candidate"] is None


def test_configuration_state_sign_in_and_approve(http):
    state = http.get("/_widgets/configuration", params={**PAGE, "bundles": BUNDLES + ",APPLY_WITH_LINKEDIN"}).json()
    assert state["customer"] == "Demo ATS - Acme"
    assert ADMIN in [admin["member"] for admin in state["admins"]]
    assert {(i["integrationType"], i["integrationContext"]) for i in state["integrations"]} == {
        ("ONE_CLICK_EXPORT", DEMO_ORG), ("IN_ATS_INDICATOR", DEMO_ORG), ("PROFILE_PLUGIN", DEMO_ORG),
        ("CSA_API", DEMO_CONTRACT)}
    only_contract = http.get("/_widgets/configuration", params={**PAGE, "bundles": "RECRUITER_SYSTEM_CONNECT_CONTRACT"})
    assert [i["integrationContext"] for i in only_contract.json()["integrations"]] == [DEMO_CONTRACT]
    assert "names no Recruiter System Connect bundle" in error_of(
        http.get("/_widgets/configuration", params={**PAGE, "bundles": "APPLY_WITH_LINKEDIN"}), 400)

    signed_in = http.post("/_widgets/configuration/signin", json={**PAGE, "identifier": "RILEY.recruiter@acme.example"})
    assert signed_in.status_code == 200 and signed_in.json()["member"] == ADMIN
    assert "is not a Recruiter admin" in error_of(
        http.post("/_widgets/configuration/signin", json={**PAGE, "identifier": "johndoe@example.com"}), 403)
    assert "No LinkedIn member" in error_of(
        http.post("/_widgets/configuration/signin", json={**PAGE, "identifier": "who@nowhere.example"}), 401)
    assert error_of(http.post("/_widgets/configuration/signin", json={**PAGE, "identifier": " "}), 400)
    refused = http.post("/_widgets/configuration/approve", json={**PAGE, "member": "urn:li:person:demo-candidate",
                                                                 "bundles": BUNDLES})
    assert "is not a Recruiter admin" in error_of(refused, 403)

    approved = http.post("/_widgets/configuration/approve",
                         json={**PAGE, "member": ADMIN, "bundles": BUNDLES.split(",")})
    assert approved.status_code == 200
    integrations = approved.json()["integrations"]
    assert validation.errors("widget.onintegrate", integrations) == []
    assert sorted(integrations, key=str) == sorted(state["integrations"], key=str)


def test_profile_state_link_and_unlink_change_the_candidate(http, customer):
    candidate_key = key("WIDGET-API-1")
    params = {**PAGE, "atsCandidateId": "WIDGET-API-1", "integrationContext": DEMO_ORG}
    assert http.get("/_widgets/profile", params=params).json() == {"candidate": None, "match": None}
    assert "has not been synced" in error_of(http.post("/_widgets/profile/unlink", json=params), 404)
    assert error_of(http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:jane-doe"}), 404)

    assert put(http, customer, {candidate_key: candidate()}).json()["errors"] == {}
    automatic = http.get("/_widgets/profile", params=params).json()
    assert automatic["match"]["how"] == "automatic" and automatic["match"]["member"] == "urn:li:person:demo-candidate"
    assert automatic["match"]["profile"]["name"] == "John Doe"
    assert "no linked profile" in error_of(http.post("/_widgets/profile/unlink", json=params), 409)

    linked = http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:jane-doe"})
    assert linked.status_code == 200 and linked.json()["member"] == "urn:li:person:jane-doe"
    assert linked.json()["state"]["match"]["how"] == "manual"
    assert get(http, customer, candidate_key).json()["results"][candidate_key]["manualMatchedMember"] == \
        "urn:li:person:jane-doe"
    assert error_of(http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:ghost"}), 422)
    assert error_of(http.post("/_widgets/profile/link", json={**params, "member": "jane-doe"}), 400)

    unlinked = http.post("/_widgets/profile/unlink", json=params)
    assert unlinked.json()["member"] == "urn:li:person:jane-doe"
    assert "manualMatchedMember" not in get(http, customer, candidate_key).json()["results"][candidate_key]
    assert unlinked.json()["state"]["match"]["how"] == "automatic"


def test_profile_context_must_be_the_customers(http):
    foreign = {**PAGE, "atsCandidateId": "X", "integrationContext": "urn:li:organization:424242"}
    refused = http.get("/_widgets/profile", params=foreign)
    assert "is not an integration context of Demo ATS - Acme" in error_of(refused, 403)
    assert error_of(http.post("/_widgets/profile/link", json={**foreign, "member": "urn:li:person:jane-doe"}), 403)
    assert "data-ats-candidate-id is required" in error_of(
        http.get("/_widgets/profile", params={**PAGE, "integrationContext": DEMO_ORG}), 400)


def test_unlink_keeps_the_person_of_a_candidate_without_email(http, customer):
    candidate_key = key("WIDGET-API-2")
    entity = candidate(emailAddresses=None, manualMatchedMember="urn:li:person:jane-doe")
    assert put(http, customer, {candidate_key: entity}).json()["errors"] == {}
    params = {**PAGE, "atsCandidateId": "WIDGET-API-2", "integrationContext": DEMO_ORG}
    assert "emailAddresses" in error_of(http.post("/_widgets/profile/unlink", json=params), 422)
    relinked = attach(http, customer,
                      {candidate_key: {"$set": {"manualMatchedMember": "urn:li:person:demo-candidate"}}})
    assert relinked.json()["results"][candidate_key]["status"] == 204
    assert http.get("/_widgets/profile", params=params).json()["match"]["member"] == "urn:li:person:demo-candidate"


def test_member_search(http):
    search = {**PAGE, "integrationContext": DEMO_ORG}
    found = http.get("/_widgets/profile/members", params={**search, "q": "john DOE"}).json()["members"]
    assert [member["member"] for member in found] == ["urn:li:person:demo-candidate"]
    assert http.get("/_widgets/profile/members", params={**search, "q": "  "}).json()["members"] == []
    assert "data-integration-context is required" in error_of(
        http.get("/_widgets/profile/members", params={**PAGE, "q": "doe"}), 400)


def test_example_page_points_at_the_server_it_is_served_from(http, server):
    page = http.get("/examples/ats-page.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'src="{server.url}/xdoor/scripts/in.js"' in page.text and "localhost:8080" not in page.text
    assert 'type="IN/ATSIntegrationWidget"' in page.text and 'type="IN/HcmWidget"' in page.text


def test_a_disabled_profile_plugin_shows_searches_and_links_nothing(http, customer):
    candidate_key = key("WIDGET-OFF-1")
    assert put(http, customer, {candidate_key: candidate()}).json()["errors"] == {}
    params = {**PAGE, "atsCandidateId": "WIDGET-OFF-1", "integrationContext": DEMO_ORG}
    assert http.get("/_widgets/profile", params=params).json()["match"]["member"] == "urn:li:person:demo-candidate"
    switched = http.post("/_mock/recruiter/integrations", json={"integrationContext": DEMO_ORG,
                                                                "integrationType": "PROFILE_PLUGIN", "enabled": False})
    assert switched.status_code == 200, switched.text
    disabled = f"The PROFILE_PLUGIN integration of {DEMO_ORG} is not enabled in LinkedIn Recruiter"
    calls = [http.get("/_widgets/profile", params=params),
             http.get("/_widgets/profile/members", params={**params, "q": "jane"}),
             http.post("/_widgets/profile/link", json={**params, "member": "urn:li:person:jane-doe"}),
             http.post("/_widgets/profile/unlink", json=params)]
    for reply in calls:
        assert disabled in error_of(reply, 403), reply.request.url
    assert "manualMatchedMember" not in get(http, customer, candidate_key).json()["results"][candidate_key]
    http.post("/_mock/recruiter/integrations", json={"integrationContext": DEMO_ORG,
                                                     "integrationType": "PROFILE_PLUGIN", "enabled": True})
    assert http.get("/_widgets/profile/members", params={**params, "q": "jane"}).json()["members"]
