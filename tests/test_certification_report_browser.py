"""The HTML certification report in a real browser: a guided run of module 4 against the reference ATS with
its ACL-removal flaw, written as one HTML file, opened from disk in Debian's chromium (Playwright). The page
needs nothing but itself; its screenshot goes to artifacts/screenshots/certification-report.png."""

from __future__ import annotations

from examples.partner.connector import Flaws
from examples.partner.server import start
from mock_server.certification import client, reports
from mock_server.certification.cases import select
from tests.test_widgets_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, sync_playwright_or_skip


def test_html_report_opens_in_chromium_with_the_evidence_of_each_case(server, tmp_path):
    sync_playwright = sync_playwright_or_skip()
    partner = start(server.url, flaws=Flaws.named(["ignore-acl-removals"]))
    try:
        report = client.guided(server.url, select(4), partner=partner.hook_url, quiet_s=0.2)
    finally:
        partner.stop()
    page_file = tmp_path / "certification.html"
    page_file.write_text(reports.to_html(report.document), encoding="utf-8")
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            assert page.title() == "RSC certification report"
            assert page.locator(".counts").inner_text().startswith("3 ✔ pass1 ✘ fail")
            failed = page.locator("details", has_text="RSC-403")
            assert failed.get_attribute("open") is not None
            assert "urn:li:person:demo-sourcer" in failed.inner_text()
            assert "Documented criteria" in failed.inner_text() and "rsc-cert-module4" in failed.inner_text()
            passed = page.locator("details", has_text="RSC-401 One-Click Export secure job posting")
            assert passed.get_attribute("open") is None
            passed.locator("summary").click()
            assert "sees job" in passed.inner_text()
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "certification-report.png"), full_page=True)
        finally:
            browser.close()
    assert requests == [page_file.as_uri()]  # self-contained: no style sheet, script or image fetched
