"""The dashboard in a real browser (Debian's chromium driven by Playwright) against the real server: each section
walked with a screenshot (artifacts/screenshots/dashboard-*.png) and an axe-core check (no serious or critical
violation); an export from the recruiter console arriving in the outbox, at the partner's callback and, through
the partner's follow-up call, in the request journal, all live; a fault rule added on the page answering a
partner's request; forms checked before they are sent and refusals shown beside the field; the pages without
JavaScript; nothing from the world ever run as script.

axe-core comes from npm: ``RSC_AXE_DIR`` (default ``~/.cache/rsc-mock/axe``) is where it is installed, by
``.ci/run`` or, when missing, by the test itself with ``npm install``. Without chromium, Playwright or npm the
tests skip, unless RSC_REQUIRE_BROWSER=1 (CI), then they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mock_server.testing.webhook import WebhookReceiver
from tests import test_widgets_browser
from tests.recruiting import (
    DEMO_SECRET,
    set_callback,
    sync_application,
    sync_candidate,
    sync_job,
)
from tests.test_widgets_browser import SCREENSHOTS

# test_widgets_browser's chromium fixture, bound here so pytest finds it for this module's tests (importing the
# name instead would read as a redefinition, ruff F811, at every parameter that asks for it).
browser = test_widgets_browser.browser

UI = "/_mock/ui"
SEAT = "urn:li:seat:3000"
MEMBER = "urn:li:person:demo-candidate"
AXE_DIR = Path(os.environ.get("RSC_AXE_DIR", Path.home() / ".cache" / "rsc-mock" / "axe"))
AXE_VERSION = "4"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(" "))}));
}"""
SECTIONS = [  # (screenshot name, path, a text the page shows)
    ("overview", "/", "Customers"),
    ("data", "/data?kind=candidates", "Data browser"),
    ("record", None, "Requests that wrote it"),
    ("console", f"/console?seat={SEAT}&member={MEMBER}", "One-Click Export"),
    ("journal", "/journal", "Request journal"),
    ("request", None, "Copy as curl"),
    ("outbox", "/outbox", "Push notifications"),
    ("notification", None, "Signature"),
    ("faults", "/faults", "Add a fault rule"),
    ("certification", "/certification", "Certification"),
]


def expect(locator):
    """Playwright's ``expect`` (imported late: Playwright may be missing, then the tests skip)."""
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect(locator)


def axe_script() -> Path:
    """``axe.min.js`` of axe-core, installed from npm into :data:`AXE_DIR` when missing; skips (fails under
    RSC_REQUIRE_BROWSER=1) when it cannot be had."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists() and shutil.which("npm"):
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund",
                        f"axe-core@{AXE_VERSION}"], capture_output=True, timeout=300)
    if script.exists():
        return script
    problem = f"axe-core is not installed in {AXE_DIR} and npm could not install it"
    if os.environ.get("RSC_REQUIRE_BROWSER") == "1":
        pytest.fail(problem + " and RSC_REQUIRE_BROWSER=1")
    pytest.skip(problem)


@pytest.fixture
def open_page(browser, server):
    """``open_page(path, javascript=True)``: a new page at ``<server>/_mock/ui<path>`` in its own context; the
    test fails if any page opens a dialog (script from the world would) or violates its CSP."""
    contexts, problems = [], []

    def opener(path: str = "/", javascript: bool = True):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("console", lambda message: problems.append(message.text)
                if "Content Security Policy" in message.text else None)
        page.goto(server.url + UI + path)
        return page

    yield opener
    for context in contexts:
        context.close()
    assert problems == []


def shoot(page, name: str) -> None:
    """Screenshot ``page`` to artifacts/screenshots/dashboard-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}.png"), full_page=True)


def serious_violations(page, axe: Path) -> list[dict]:
    """axe-core's serious and critical violations on ``page`` (injected through the DevTools protocol, which
    the page's Content-Security-Policy does not govern)."""
    page.evaluate(axe.read_text())
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


def populated(http, customer, hook_url: str) -> None:
    """A world with something in every section: jobs, candidates (one matched), an application with stages,
    a notification delivered to ``hook_url``, a fault rule."""
    set_callback(http, customer, hook_url)
    sync_job(http, customer, "JOB-100", title="Staff engineer, emulators")
    sync_job(http, customer, "JOB-101", title="Recruiting coordinator")
    sync_candidate(http, customer, "CAND-100", firstName="John", lastName="Doe",
                   emailAddresses=["johndoe999986@outlook.com"])
    sync_candidate(http, customer, "CAND-101", firstName="Ada", lastName="Lovelace", emailAddresses=["ada@example.com"])
    sync_application(http, customer, "APP-100", "CAND-100", "JOB-100", stages=["SCREEN", "ONSITE"])
    assert http.post("/_mock/recruiter/exports", json={"seat": SEAT, "member": MEMBER,
                                                        "externalJobPostingId": "JOB-100"}).status_code == 201
    fault = {"match": {"path": "/v2/never*"}, "action": {"status": 503}}
    assert http.post("/_mock/faults", json=fault).status_code == 201


def test_every_section_with_a_screenshot_and_no_serious_accessibility_violation(open_page, http, customer):
    axe = axe_script()
    with WebhookReceiver() as hook:
        populated(http, customer, hook.url)
        hook.wait(count=1, timeout=10)
        found = {}
        page = None
        for name, path, text in SECTIONS:
            if path is None:  # a detail page: follow the first link of the list before it
                links = {"record": "#results tbody a", "request": "#journal-rows a", "notification": "#outbox-rows a"}
                link = links[name]
                page.locator(link).first.click()
            else:
                page = open_page(path)
            page.wait_for_load_state("networkidle")
            page.get_by_text(text).first.wait_for()
            assert page.locator("main").count() == 1 and page.locator("h1").count() == 1  # one page, swapped whole
            shoot(page, name)
            found[name] = serious_violations(page, axe)
    assert {name: violations for name, violations in found.items() if violations} == {}


def test_an_export_from_the_console_reaches_the_outbox_the_partner_and_the_journal_live(open_page, http, customer,
                                                                                        server):
    with WebhookReceiver() as hook:
        set_callback(http, customer, hook.url)
        sync_job(http, customer, "JOB-200", title="Emulator whisperer")
        outbox = open_page("/outbox")
        journal = open_page("/journal?path=/v2/exportedCandidates")
        for live in (outbox, journal):
            live.wait_for_load_state("networkidle")
        console = open_page("/console")
        console.select_option("#seat-picker", SEAT)
        console.get_by_role("button", name="Use this seat").click()
        console.fill("#export-member", MEMBER)
        options = console.locator("#export-externalJobPostingId option").all_inner_texts()
        assert options == ["choose a job", "Emulator whisperer — JOB-200"]  # the drop-down as the seat sees it
        console.select_option("#export-externalJobPostingId", "JOB-200")
        console.get_by_role("button", name="Export to the ATS").click()
        console.get_by_text("Done: HTTP 201").wait_for()
        shoot(console, "console-exported")

        row = outbox.locator("#outbox-rows tr", has_text="EXPORT_CANDIDATE_PROFILE")
        row.locator(".badge", has_text="delivered").wait_for(timeout=15000)  # pushed into the open page
        assert outbox.url.endswith(f"{UI}/outbox")  # no reload: the row came over the event stream
        [push] = hook.wait(count=1, timeout=10)
        assert push.signature_valid(DEMO_SECRET) and push.json()["type"] == "EXPORT_CANDIDATE_PROFILE"
        notification_id = push.json()["id"]
        assert notification_id in row.inner_text()
        shoot(outbox, "outbox-live")

        follow_up = http.get("/v2/exportedCandidates", params={"q": "request", "requestId": notification_id},
                             headers=customer)
        assert follow_up.status_code == 200 and follow_up.json()["elements"][0]["candidate"]["person"] == MEMBER
        journal.locator("#journal-rows tr", has_text="/v2/exportedCandidates").wait_for(timeout=15000)
        shoot(journal, "journal-live")


def test_a_fault_rule_added_on_the_page_answers_a_partner_request(open_page, http, customer):
    faults = open_page("/faults")
    faults.fill("#fault-add-match-path", "/v2/atsCandidates")
    faults.fill("#fault-add-action-status", "503")
    faults.fill("#fault-add-times", "1")
    faults.get_by_role("button", name="Add rule").click()
    faults.get_by_text("Fault rule added.").wait_for()
    [rule] = http.get("/_mock/faults").json()["faults"]
    assert faults.locator(f"#rule-{rule['id']}").is_visible()
    journal = open_page("/journal")
    journal.wait_for_load_state("networkidle")

    answered = http.get("/v2/atsCandidates", params={"ids": "x"}, headers=customer)
    assert answered.status_code == 503 and answered.json()["status"] == 503
    row = journal.locator("#journal-rows tr", has_text="/v2/atsCandidates")
    row.get_by_role("link", name=rule["id"]).wait_for(timeout=15000)
    row.locator("a", has_text="GET /v2/atsCandidates").click()
    journal.get_by_text(f"Answered by fault rule {rule['id']}").wait_for()
    assert journal.locator("h1").count() == 1
    assert "curl -X GET" in journal.locator("#entry-curl").inner_text()
    shoot(journal, "request-faulted")
    assert http.get("/v2/atsCandidates", params={"ids": "x"}, headers=customer).status_code != 503  # times: 1


def test_forms_are_checked_before_sending_and_refusals_show_beside_the_field(open_page, http, customer):
    sync_job(http, customer, "JOB-300", title="Checker")
    console = open_page(f"/console?seat={SEAT}")
    console.fill("#export-member", "bob")
    console.select_option("#export-externalJobPostingId", "JOB-300")
    console.get_by_role("button", name="Export to the ATS").click()
    assert console.eval_on_selector("#export-member", "input => input.validity.patternMismatch")
    assert console.locator(".outcome").count() == 0  # the browser did not send it
    assert http.get("/_mock/notifications").json()["count"] == 0

    console.fill("#export-member", "urn:li:person:nobody")
    console.get_by_role("button", name="Export to the ATS").click()
    error = console.locator("#export-member-error")
    error.wait_for()
    assert error.inner_text() == "ERROR :: /member :: no LinkedIn member urn:li:person:nobody"
    assert console.get_attribute("#export-member", "aria-invalid") == "true"
    assert console.input_value("#export-member") == "urn:li:person:nobody"  # the form keeps what was typed
    shoot(console, "console-refused")


def test_search_as_you_type_replaces_only_the_results(open_page, http, customer):
    for index, (first, last) in enumerate([("Grace", "Hopper"), ("Alan", "Turing"), ("Ada", "Lovelace")]):
        sync_candidate(http, customer, f"CAND-40{index}", firstName=first, lastName=last,
                       emailAddresses=[f"{first.lower()}@example.com"])
    data = open_page("/data?kind=candidates")
    data.wait_for_load_state("networkidle")
    data.evaluate("window.marker = 'same page'")
    data.fill("#search-q", "turi")
    data.locator("#results tbody tr", has_text="CAND-401").wait_for()
    expect(data.locator("#results tbody tr")).to_have_count(1)
    assert data.evaluate("window.marker") == "same page"  # swapped in place, not a new page
    assert "q=turi" in data.url


def test_the_pages_work_without_javascript(open_page, http, customer):
    sync_job(http, customer, "JOB-500", title="No-script role")
    console = open_page(f"/console?seat={SEAT}", javascript=False)
    console.fill("#export-member", MEMBER)
    console.select_option("#export-externalJobPostingId", "JOB-500")
    console.get_by_role("button", name="Export to the ATS").click()
    console.get_by_text("Done: HTTP 201").wait_for()
    assert http.get("/_mock/notifications").json()["count"] == 1
    journal = open_page("/journal?status=4xx", javascript=False)
    assert journal.get_by_role("button", name="Filter").is_visible()


def test_nothing_from_the_world_runs_as_script(open_page, http, customer):
    markup = "<img src=x onerror=alert(1)>"
    sync_candidate(http, customer, "CAND-XSS", firstName=markup, emailAddresses=["xss@example.com"])
    assert http.post("/_mock/recruiter/notes", json={"seat": SEAT, "member": MEMBER,
                                                      "note": "<script>alert(2)</script>"}).status_code == 201
    http.get("/v2/atsCandidates", params={"q": "<script>alert(3)</script>"}, headers=customer)
    shown_as_text = {"/data?kind=candidates&q=cand-xss": markup, f"/console?seat={SEAT}": "<script>alert(2)</script>",
                     "/journal": "GET /v2/atsCandidates"}
    for path, text in shown_as_text.items():
        page = open_page(path)
        page.wait_for_load_state("networkidle")
        page.get_by_text(text).first.wait_for()  # there as text; open_page fails the test on any dialog
        assert page.locator("img[src=x]").count() == 0
