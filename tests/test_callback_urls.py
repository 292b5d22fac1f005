"""CALLBACK_URL rules (push notifications, receive-push-events): https on 443/80 as LinkedIn asks, loopback
receivers accepted for local testing with an advisory, one URL per customer, and never the emulator's own admin
API — tested as a class over every ``/_mock`` route of the admin route table, spelled every way a URL can be."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount

from mock_server.certification.routes import ROUTES as CERTIFICATION_ROUTES
from mock_server.domain.callback_urls import callback_identity, check_callback_url
from mock_server.harness.admin import ROUTES, sandbox_routes
from tests.conftest import DEMO_ORG
from tests.recruiting import configure, provision_customer

HOSTS = ["127.0.0.1", "localhost", "LOCALHOST", "localhost.", "127.1", "127.0.0.2", "[::1]", "[::ffff:127.0.0.1]",
         "0.0.0.0", "api.linkedin.example", "rsc-mock"]
PREFIXES = ["http", "https"]
PORTS = ["", ":8080", ":443", ":80"]
INBOXES = {"/_mock/inbox/x1", "/_mock/sandboxes/x1/inbox/x1"}


def route_paths() -> list[str]:
    """Every admin route's path under ``/_mock`` — a world's routes (the harness's and the certification's) at
    ``/_mock/…`` and again under ``/_mock/sandboxes/{id}/…``, and the sandboxes' own — its parameters filled (the
    inboxes' too: they are the allowed exception, tested apart)."""
    world = [*ROUTES, *CERTIFICATION_ROUTES]
    paths: list[str] = []

    def walk(routes, prefix: str) -> None:
        for route in routes:
            if isinstance(route, Mount):
                walk(route.routes, prefix + route.path)
                continue
            path = re.sub(r"\{[^}]+\}", "x1", prefix + route.path)
            if path not in paths:
                paths.append(path)

    walk([*world, *sandbox_routes(world)], "/_mock")
    return paths


def spellings(path: str) -> list[str]:
    """``path`` spelled the ways a URL can spell it: %-encoded (once, twice, every character), with double and
    back slashes, dot segments, ``;`` parameters, another case, a trailing slash or dot."""
    encoded = "".join(f"%{ord(c):02X}" for c in path)
    return [path, path.replace("_", "%5F"), path.replace("_", "%255F"), path.replace("/", "%2F"), encoded,
            "/" + path, path.replace("/", "//"), path.replace("/", "\\"), path.replace("/_mock", "/x/../_mock"),
            path.replace("/_mock", "/./_mock"), path.replace("/_mock", "/_mock/inbox/..", 1),
            path.replace("/_mock", "/_mock/inbox/%2e%2e", 1), path.replace("/_mock", "/_mock;v=1"), path.upper(),
            path + "/", path + "?x=1", path.replace("/_mock", "/_Mock")]


def admin_paths() -> list[str]:
    return [path for path in route_paths() if path not in INBOXES]


def test_the_route_table_is_all_covered():
    paths = route_paths()
    assert {"/_mock/reset", "/_mock/snapshot", "/_mock/faults/x1", "/_mock/sandboxes", "/_mock/certification/runs",
            "/_mock/sandboxes/x1/reset", "/_mock/sandboxes/x1/certification/grade"} <= set(paths)
    assert len(admin_paths()) == len(paths) - len(INBOXES)


@pytest.mark.parametrize("path", admin_paths())
def test_no_admin_route_is_a_callback_target_under_any_spelling(path):
    accepted = [url for host in HOSTS for scheme in PREFIXES for port in PORTS for spelled in spellings(path)
                if check_callback_url(url := f"{scheme}://{host}{port}{spelled}").problem is None]
    assert accepted == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/_mock/inbox/acme", "http://localhost:5000/_mock/inbox/a-b_c.d~e",
                                 "http://[::1]:9/_mock/inbox/x", "http://localhost.:8080/_mock/inbox/x",
                                 "https://127.0.0.1/_mock/inbox/x?challenge=1",
                                 "http://127.0.0.1:8080/_mock/sandboxes/sb1a2b3c4d/inbox/acme"])
def test_an_inbox_is_a_callback_target(url):
    verdict = check_callback_url(url)
    assert verdict.problem is None and verdict.local


@pytest.mark.parametrize("url, local", [("https://ats.example.com/hooks/acme", False),
                                        ("https://ats.example.com:443/hooks/acme", False),
                                        ("https://ats.example.com:80/hooks", False),
                                        ("http://127.0.0.1:65535/x", True), ("http://localhost:8080/hook", True),
                                        ("https://localhost:8443/hook", True), ("HTTP://LOCALHOST:8080/up", True)])
def test_linkedins_ports_and_local_receivers_are_accepted(url, local):
    assert check_callback_url(url) == (check_callback_url(url).__class__(None, local))


@pytest.mark.parametrize("url, reason", [("https://ats.example.com:8443/li/globex", "port 443 or 80"),
                                         ("https://ats.example.com:1/x", "port 443 or 80"),
                                         ("http://ats.example.com/hook", "https"),
                                         ("http://0.0.0.0:8080/hook", "https"),
                                         ("ftp://localhost/hook", "https")])
def test_what_linkedin_refuses_is_refused(url, reason):
    assert reason in check_callback_url(url).problem


def test_identity_ignores_spelling_of_scheme_host_and_default_port():
    same = ["https://ATS.example.com/hook", "https://ats.example.com:443/hook", "HTTPS://ats.example.com./hook"]
    assert {callback_identity(url) for url in same} == {"https://ats.example.com/hook"}
    assert callback_identity("https://ats.example.com/hook/") != callback_identity("https://ats.example.com/hook")


def test_the_server_refuses_admin_targets_and_advises_on_local_ones(http, customer, server):
    for path in admin_paths():
        reply = configure(http, customer, DEMO_ORG, "CALLBACK_URL", f"{server.url}{path.replace('_', '%5F')}")
        [error] = reply.json()["errors"].values()
        assert error["status"] == 400 and "admin API" in error["message"], path
    inbox = configure(http, customer, DEMO_ORG, "CALLBACK_URL", f"{server.url}/_mock/inbox/acme")
    assert inbox.json()["errors"] == {}
    assert inbox.headers["X-RSC-Mock-Advisory"].startswith("LOCAL_CALLBACK_URL: ")
    assert http.get("/_mock/health").status_code == 200


def test_a_url_another_customer_uses_is_refused_without_naming_it(http, partner, customer):
    assert configure(http, customer, DEMO_ORG, "CALLBACK_URL", "https://ats.example.com/hooks/shared").json()[
        "errors"] == {}
    globex = provision_customer(http, partner, "globex")
    for spelled in ("https://ats.example.com/hooks/shared", "https://ATS.EXAMPLE.COM:443/hooks/shared"):
        reply = configure(http, globex["headers"], globex["org"], "CALLBACK_URL", spelled)
        [error] = reply.json()["errors"].values()
        assert error["status"] == 409 and "another customer" in error["message"]
        assert "acme" not in error["message"].lower() and DEMO_ORG not in error["message"]
    # the same customer may move its URL between its own integrations
    assert configure(http, customer, DEMO_ORG, "CALLBACK_URL", "https://ats.example.com/hooks/shared").json()[
        "errors"] == {}
