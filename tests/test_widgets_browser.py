"""The widget stand-ins in a real browser: Debian's chromium driven by Playwright, the emulator on one origin
(http://127.0.0.1:<port>) and the ATS pages on another (http://localhost:<port> is in the customers'
validJsSdkDomains, http://127.0.0.1:<same port> is not). Screenshots go to artifacts/screenshots/.

Without chromium or Playwright the tests skip, unless RSC_REQUIRE_BROWSER=1 (CI), then they fail.

The fixture world is the demo tenant plus a customer with no integration yet ("widget-test", whose admin
holds a seat on its contract), so pre-approval shows in the store.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from mock_server.config import Settings, bundled_fixtures_dir
from mock_server.schemas import validation
from mock_server.testing.server import RunningServer, free_port
from tests.conftest import DEMO_ORG, token_for
from tests.test_candidates import attach, candidate, get, key, put

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"

TEST_CUSTOMER = {"clientId": "widget-test-customer", "clientSecret": "widget-test-secret",
                 "org": "urn:li:organization:9901", "contract": "urn:li:contract:9902"}
TEST_ADMIN = {"id": "widget-test-admin", "email": "gloria.admin@widget-test.example"}
EXTENSIONS = ("ATSIntegrationWidget@https://platform.linkedin.com/rsc/extensions/onboarding-widget,"
              "HcmWidget@https://platform.linkedin.com/rsc/extensions/profile-widget")
UNMATCHED = ["nobody.on.linkedin@ats.example"]


def sync_playwright_or_skip():
    """Playwright's ``sync_playwright`` when it and chromium are installed; else skip (fail under
    RSC_REQUIRE_BROWSER=1)."""
    problem = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem = "playwright is not installed (pip install -e '.[test]')"
    if problem is None and not os.access(CHROMIUM, os.X_OK):
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    if problem is None:
        return sync_playwright
    if os.environ.get("RSC_REQUIRE_BROWSER") == "1":
        pytest.fail(problem + " and RSC_REQUIRE_BROWSER=1")
    pytest.skip(problem)


def widget_world(directory: Path, emulator: str, host_port: int) -> Path:
    """The demo fixtures plus the "widget-test" customer, with the host pages' origin allowed for both."""
    shutil.copytree(bundled_fixtures_dir(), directory)

    def edit(kind, change):
        path = directory / f"{kind}.json"
        path.write_text(json.dumps(change(json.loads(path.read_text()))))

    allowed = f"http://localhost:{host_port}"
    emulator_host = emulator.replace("127.0.0.1", "localhost")

    def applications(docs):
        acme = next(doc for doc in docs if doc["kind"] == "child")
        acme["validJsSdkDomains"] = [emulator, emulator_host, allowed]
        return docs + [{**acme, "key": "urn:li:developerApplication:9900", "clientId": TEST_CUSTOMER["clientId"],
                        "clientSecret": TEST_CUSTOMER["clientSecret"], "name": "Demo ATS - Widget Test",
                        "uniqueForeignId": "widget-test", "validJsSdkDomains": [allowed],
                        "organizations": [TEST_CUSTOMER["org"]], "contracts": [TEST_CUSTOMER["contract"]]}]

    edit("applications", applications)
    edit("contracts", lambda docs: docs + [{**docs[0], "contract": TEST_CUSTOMER["contract"],
                                            "organization": TEST_CUSTOMER["org"], "name": "Widget Test Recruiter"}])
    edit("members", lambda docs: docs + [{**next(doc for doc in docs if doc.get("admin")), "id": TEST_ADMIN["id"],
                                          "firstName": "Gloria", "lastName": "Admin",
                                          "emailAddresses": [TEST_ADMIN["email"]],
                                          "profileUrl": "https://www.linkedin.com/in/widget-test-admin"}])
    edit("seats", lambda docs: docs + [{**docs[0], "id": 9903, "contract": TEST_CUSTOMER["contract"],
                                        "member": "urn:li:person:" + TEST_ADMIN["id"], "state": "ACTIVE"}])
    return directory


class HostPages:
    """A second HTTP server (another origin than the emulator) serving the ATS pages in ``pages``."""

    def __init__(self, port: int) -> None:
        pages = self.pages = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write((body or "not found").encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path: str, body: str, host: str = "localhost") -> str:
        """Register an ATS page holding ``body`` (in.js snippets and widget tags); its callbacks record
        ``[event, argument]`` in ``window.calls``. Returns its URL on ``host``."""
        self.pages[path] = f"""<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>
  window.calls = [];
  function onIntegrate(integrations) {{ calls.push(["integrate", integrations]); }}
  function onLink(member) {{ calls.push(["link", member]); }}
  function onUnlink(member) {{ calls.push(["unlink", member]); }}
</script></head><body><h1>ATS page</h1>{body}</body></html>"""
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def snippet(emulator: str, api_key: str, extensions: str = EXTENSIONS) -> str:
    """LinkedIn's documented in.js snippet with the script URL on the emulator."""
    return f"""<script type="text/javascript" src="{emulator}/xdoor/scripts/in.js">
  api_key: {api_key}
  extensions: {extensions}
</script>"""


def profile_widget(candidate_id: str, confirm: bool = False, width: int = 420) -> str:
    """LinkedIn's documented profile widget tag."""
    return (f'<script type="IN/HcmWidget" data-widget-type="ATS" data-ats-candidate-id="{candidate_id}"'
            f' data-integration-context="{DEMO_ORG}" data-show-unlink-url="true"'
            f' data-confirm-unlink="{str(confirm).lower()}" data-onlink="onLink" data-onunlink="onUnlink"'
            f' data-width="{width}"></script>')


CONFIGURATION_WIDGET = ('<script type="IN/ATSIntegrationWidget" data-supported-bundled-integration-types='
                        '"RECRUITER_SYSTEM_CONNECT_COMPANY,RECRUITER_SYSTEM_CONNECT_CONTRACT,APPLY_WITH_LINKEDIN"'
                        ' data-onintegrate="onIntegrate" data-width="500"></script>')


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """``(emulator server, host pages)`` for this module."""
    emulator_port, host_port = free_port(), free_port()
    fixtures = widget_world(tmp_path_factory.mktemp("widgets") / "world", f"http://127.0.0.1:{emulator_port}",
                            host_port)
    host = HostPages(host_port)
    with RunningServer(Settings(port=emulator_port, fixtures=fixtures)) as server:
        yield server, host
    host.close()


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for the module."""
    sync_playwright = sync_playwright_or_skip()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def site(world, browser):
    """A fresh emulator state, browser page (console lines in ``page.console``), API client and host pages."""
    server, host = world
    httpx.post(server.url + "/_mock/reset").raise_for_status()
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)  # a bound on each wait, never a pause: a busy machine only takes longer
    page.console = []
    page.on("console", lambda message: page.console.append((message.type, message.text)))
    with httpx.Client(base_url=server.url, timeout=10) as http:
        yield {"page": page, "http": http, "host": host, "emulator": server.url,
               "acme": {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}}
    context.close()


def frame(page, widget: str):
    """The iframe of ``widget`` on ``page``."""
    return page.frame_locator(f'iframe[data-rsc-mock-widget="{widget}"]')


def shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def calls(page, count: int) -> list:
    """``window.calls`` once it holds ``count`` entries."""
    page.wait_for_function(f"window.calls.length >= {count}")
    return page.evaluate("window.calls")


def in_js_errors(page, count: int) -> list[str]:
    """The console errors in.js logged, as soon as there are ``count`` of them (each new console message wakes
    the wait; after the page's default timeout, what there is)."""
    def logged() -> list[str]:
        return [text for kind, text in page.console if kind == "error" and "[rsc-mock in.js]" in text]

    while len(logged()) < count:
        try:
            page.wait_for_event("console", lambda message: "[rsc-mock in.js]" in message.text)
        except Exception:  # Playwright's TimeoutError: report what was logged
            break
    return logged()


def manual_match(http, headers, candidate_key: str):
    """``manualMatchedMember`` of a candidate as atsCandidates BATCH_GET returns it (None when unset)."""
    reply = get(http, headers, candidate_key)
    assert reply.status_code == 200, reply.text
    return reply.json()["results"][candidate_key].get("manualMatchedMember")


def sync(http, headers, candidate_id: str) -> str:
    """Sync a candidate no member matches automatically; returns its 1.0 key."""
    candidate_key = key(candidate_id)
    reply = put(http, headers, {candidate_key: candidate(emailAddresses=UNMATCHED, firstName="Jane", lastName="Doe")})
    assert reply.status_code == 200 and reply.json()["errors"] == {}, reply.text
    return candidate_key


def test_example_page_loads_and_syncs_its_candidate_keeping_the_sign_in_and_the_callback_log(site):
    page = site["page"]
    page.goto(site["emulator"] + "/examples/ats-page.html")
    configuration, profile = frame(page, "ATSIntegrationWidget"), frame(page, "HcmWidget")
    configuration.locator("#rsc-signin").wait_for()
    profile.locator("#rsc-not-synced").wait_for()
    shot(page, "example-page")
    configuration.locator("#rsc-identifier").fill("riley.recruiter@acme.example")
    configuration.locator("#rsc-signin-button").click()
    configuration.locator("#rsc-approve").click()
    configuration.locator("#rsc-approved").wait_for()
    [approved] = calls(page, 1)
    log = page.inner_text("#callbacks")
    assert approved["name"] == "integrationRequest" and "integrationRequest(" in log
    page.evaluate("window.notReloaded = true")
    page.click("#sync-demo-candidate")  # real OAuth + atsCandidates BATCH_UPDATE from the page
    profile.locator("#rsc-no-match").wait_for()
    profile.locator('#rsc-results button[data-member="urn:li:person:demo-candidate"]').wait_for()
    assert page.evaluate("window.notReloaded === true && window.calls.length === 1")
    assert page.inner_text("#callbacks") == log and "Synced" in page.inner_text("#sync-status")
    assert configuration.locator("#rsc-approved").is_visible()
    shot(page, "example-page-synced")
    assert not [text for kind, text in page.console if kind == "error"]


def test_configuration_widget_signs_in_an_admin_and_preapproves(site):
    page, http = site["page"], site["http"]
    customer = {"Authorization": "Bearer " + token_for(http, TEST_CUSTOMER["clientId"], TEST_CUSTOMER["clientSecret"])}
    keys = [(TEST_CUSTOMER["org"], kind) for kind in ("ONE_CLICK_EXPORT", "IN_ATS_INDICATOR", "PROFILE_PLUGIN")]
    keys.append((TEST_CUSTOMER["contract"], "CSA_API"))
    query = "&".join(f"ids[{i}].integrationContext={c}&ids[{i}].integrationType={t}&ids[{i}].tenantType=RECRUITER"
                     f"&ids[{i}].dataProvider=ATS" for i, (c, t) in enumerate(keys))
    before = http.get(f"/v2/atsIntegrations?{query}", headers=customer).json()
    assert before["results"] == {} and len(before["errors"]) == 4

    page.goto(site["host"].page("/configure.html", snippet(site["emulator"], TEST_CUSTOMER["clientId"])
                                  + CONFIGURATION_WIDGET))
    widget = frame(page, "ATSIntegrationWidget")
    widget.locator("#rsc-identifier").fill("urn:li:person:demo-recruiter")  # an admin, but of Acme only
    widget.locator("#rsc-signin-button").click()
    assert "is not a Recruiter admin" in widget.locator("#rsc-inline-error").inner_text()
    shot(page, "configuration-refused")
    widget.locator("#rsc-identifier").fill(TEST_ADMIN["email"])
    widget.locator("#rsc-signin-button").click()
    assert "Gloria Admin" in widget.locator("#rsc-signed-in").inner_text()
    widget.locator("#rsc-approve").click()

    [(event, integrations)] = calls(page, 1)
    assert event == "integrate" and validation.errors("widget.onintegrate", integrations) == []
    assert {(i["integrationContext"], i["integrationType"]) for i in integrations} == set(keys)
    assert all(i["tenantType"] == "RECRUITER" and i["dataProvider"] == "ATS" for i in integrations)
    assert "onIntegrate() was called" in widget.locator("#rsc-callback-status.ok").inner_text()
    shot(page, "configuration-approved")
    after = http.get(f"/v2/atsIntegrations?{query}", headers=customer).json()
    assert after["errors"] == {} and all("preApprovedAt" in value for value in after["results"].values())
    assert all("enabledAt" not in value for value in after["results"].values())


def test_profile_widget_links_and_unlinks(site):
    page, http, acme = site["page"], site["http"], site["acme"]
    candidate_key = sync(http, acme, "WIDGET-LINK-1")
    for action, body in (("inmails", {"subject": "Staff engineer at Acme", "body": "Hi Jane, open to a chat?"}),
                         ("notes", {"note": "Strong systems background.", "visibility": "PUBLIC"})):
        reply = http.post(f"/_mock/recruiter/{action}", json={"seat": 3000, "member": "urn:li:person:jane-doe", **body})
        assert reply.status_code == 201, reply.text
    page.goto(site["host"].page("/profile.html", snippet(site["emulator"], "demo-customer")
                                  + profile_widget("WIDGET-LINK-1")))
    assert page.locator('iframe[data-rsc-mock-widget="HcmWidget"]').evaluate("f => f.style.width") == "420px"
    widget = frame(page, "HcmWidget")
    widget.locator("#rsc-no-match").wait_for()
    jane = widget.locator('#rsc-results button[data-member="urn:li:person:jane-doe"]')
    jane.click()

    assert calls(page, 1) == [["link", "urn:li:person:jane-doe"]]
    assert widget.locator("#rsc-profile").get_attribute("data-member") == "urn:li:person:jane-doe"
    assert "Jane Doe" in widget.locator("#rsc-profile h1").inner_text()
    assert manual_match(http, acme, candidate_key) == "urn:li:person:jane-doe"
    widget.locator("#rsc-tab-1").click()
    activity = widget.locator("#rsc-activity").inner_text()
    assert "Staff engineer at Acme" in activity and "Strong systems background." in activity
    shot(page, "profile-linked")

    widget.locator("#rsc-unlink").click()  # data-confirm-unlink="false": no question
    assert calls(page, 2)[1] == ["unlink", "urn:li:person:jane-doe"]
    widget.locator("#rsc-no-match").wait_for()
    assert manual_match(http, acme, candidate_key) is None
    shot(page, "profile-unlinked")


def test_confirm_unlink_asks_before_unlinking(site):
    page, http, acme = site["page"], site["http"], site["acme"]
    candidate_key = sync(http, acme, "WIDGET-CONFIRM-1")
    reply = attach(http, acme, {candidate_key: {"$set": {"manualMatchedMember": "urn:li:person:demo-candidate"}}})
    assert reply.json()["results"][candidate_key]["status"] == 204
    page.goto(site["host"].page("/confirm.html", snippet(site["emulator"], "demo-customer")
                                + profile_widget("WIDGET-CONFIRM-1", confirm=True)))
    widget = frame(page, "HcmWidget")
    widget.locator("#rsc-unlink").click()
    assert "Unlink John Doe" in widget.locator("#rsc-confirm").inner_text()
    shot(page, "profile-confirm-unlink")
    widget.locator("#rsc-cancel-unlink").click()
    widget.locator("#rsc-unlink").wait_for()
    assert page.evaluate("window.calls") == []
    assert manual_match(http, acme, candidate_key) == "urn:li:person:demo-candidate"

    widget.locator("#rsc-unlink").click()
    widget.locator("#rsc-confirm-unlink").click()
    assert calls(page, 1) == [["unlink", "urn:li:person:demo-candidate"]]
    assert manual_match(http, acme, candidate_key) is None


def test_page_on_a_domain_not_whitelisted_sees_the_error(site):
    page, host = site["page"], site["host"]
    widgets = snippet(site["emulator"], "demo-customer") + CONFIGURATION_WIDGET + profile_widget("ANY")
    url = host.page("/elsewhere.html", widgets, host="127.0.0.1")
    page.goto(url)
    origin = f"http://127.0.0.1:{host.port}"
    for name in ("ATSIntegrationWidget", "HcmWidget"):
        error = frame(page, name).locator("#rsc-error").inner_text()
        assert f'origin "{origin}" is not in validJsSdkDomains' in error
    logged = in_js_errors(page, 2)
    assert len(logged) == 2 and all('api_key "demo-customer"' in text and origin in text for text in logged)
    shot(page, "not-whitelisted")

    page.goto(host.page("/unknown-key.html", snippet(site["emulator"], "no-such-key") + profile_widget("ANY")))
    assert '"no-such-key" is not the client id' in frame(page, "HcmWidget").locator("#rsc-error").inner_text()


def test_documented_snippets_one_in_js_per_widget(site):
    page, host, emulator = site["page"], site["host"], site["emulator"]
    configuration, profile = EXTENSIONS.split(",")
    page.goto(host.page("/two-snippets.html", snippet(emulator, "demo-customer", configuration) + CONFIGURATION_WIDGET
                        + snippet(emulator, "demo-customer", profile) + profile_widget("NOT-SYNCED")))
    frame(page, "ATSIntegrationWidget").locator("#rsc-signin").wait_for()
    frame(page, "HcmWidget").locator("#rsc-not-synced").wait_for()
    assert page.locator("iframe.IN-widget").count() == 2

    page.goto(host.page("/no-extension.html", snippet(emulator, "demo-customer", configuration)
                        + profile_widget("NOT-SYNCED")))
    [logged] = in_js_errors(page, 1)
    assert 'IN/HcmWidget"> is not rendered' in logged and "extensions: HcmWidget@<url>" in logged
    assert page.locator("iframe.IN-widget").count() == 0


def test_frame_tokens_follow_the_origin_the_browser_sends(site):
    """A page asks for a frame token as in.js does: the browser names the page's origin, which the page's own
    script cannot change."""
    page, host, emulator = site["page"], site["host"], site["emulator"]
    ask = ("async () => { const reply = await fetch(%r, {method: 'POST', body: new URLSearchParams("
           "{api_key: 'demo-customer', widget: 'HcmWidget'})}); return [reply.status, await reply.json()]; }"
           % (emulator + "/_widgets/frames"))
    for host_name, status in (("localhost", 200), ("127.0.0.1", 403)):
        page.goto(host.page(f"/ask-{host_name}.html", "", host=host_name))
        reply_status, body = page.evaluate(ask)
        assert reply_status == status, body
        if status == 200:
            assert body["origin"] == f"http://localhost:{host.port}" and body["token"]
        else:
            assert f'origin "http://127.0.0.1:{host.port}" is not in validJsSdkDomains' in body["message"]


def test_a_frame_shows_only_inside_a_page_of_the_origin_its_token_names(site):
    """A token issued to one page, replayed in a frame of a page on another origin: the browser refuses to show
    the frame (CSP frame-ancestors), so its script never runs and never asks for the candidate."""
    page, host, emulator, http = site["page"], site["host"], site["emulator"], site["http"]
    allowed = f"http://localhost:{host.port}"
    token = http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": "HcmWidget"},
                      headers={"Origin": allowed}).json()["token"]
    foreign = f"http://127.0.0.1:{host.port}"
    src = (f"{emulator}/_widgets/frame/HcmWidget?token={token}&origin={foreign}"
           f"&data-ats-candidate-id=ANY&data-integration-context={DEMO_ORG}")
    with page.expect_console_message(lambda message: "frame-ancestors" in message.text):
        page.goto(host.page("/replayed.html", f'<iframe id="replayed" src="{src}"></iframe>', host="127.0.0.1"))
    assert page.frame_locator("#replayed").locator("#widget").count() == 0
    assert http.get("/_mock/requests", params={"path": "/_widgets/profile"}).json()["count"] == 0
    shot(page, "replayed-frame-refused")
