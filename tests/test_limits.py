"""What every route does with what a client sends, on the real server: one body-size limit for every route, the
413 in the route's own error shape and journaled; a client hanging up mid-body journaled as 499 and never
logged as an error; slow clients cut off (header and body deadlines); the journal's bounds on headers and query
strings; ``/_mock/requests`` read a page at a time."""

from __future__ import annotations

import http.client
import json
import logging
import socket

import httpx
import pytest
from starlette.routing import Mount

from mock_server.app import create_app
from mock_server.cli import build_parser, settings_of
from mock_server.config import Settings, settings_from_env
from mock_server.domain.attachments import MAX_BYTES as UPLOAD_MAX_BYTES
from mock_server.harness.journal import RequestJournal
from mock_server.harness.middleware import HEADER_VALUE_LIMIT, QUERY_LIMIT
from mock_server.restli.limits import HEAD_HARD_LIMIT, MAX_HEADER_BYTES
from mock_server.testing.client import RscClient
from mock_server.testing.server import RunningServer
from tests.conftest import token_for

LIMIT = 4096
PARAMS = {"widget": "HcmWidget", "path": "atsCandidates", "unique_foreign_id": "x", "name": "clock", "rule_id": "x",
          "notification_id": "1", "note_id": "x", "seat": "1", "media_id": "1", "kind": "candidates",
          "request_id": "x", "member": "urn:li:person:x", "run_id": "x", "token": "x", "sandbox": "default"}
# A file of each static mount (they have no routes of their own).
STATIC = {"/_widgets/static": "/frame.js", "/_mock/ui/static": "/dashboard.css"}
DASHBOARD = "/_mock/ui"
# The routes whose errors are not LinkedIn's envelope; every other route answers in the envelope. Every
# dashboard route (under DASHBOARD) answers with an HTML page too: its forms post to pages.
OAUTH = {"/oauth/v2/accessToken", "/oauth/v2/introspectToken"}
HTML = {"/oauth/v2/authorization", "/_widgets/frame/{widget}", "/examples/ats-page.html"}
RESTLI = {"/v2/{path:path}", "/rest/{path:path}"}
# Routes that answer without reading a body: a streamed body is never held, so there is nothing to refuse.
NO_BODY = {("POST", "/_mock/reset"), ("POST", "/_mock/notifications/{notification_id}/redeliver"),
           ("POST", "/_mock/recruiter/members/{member}/close")}
# POSTs LinkedIn's front door refuses without a Content-Length (411) before reading a body (restli/limits.py,
# api/oauth/forms.py): a streamed (chunked) body is refused with 411 rather than 413 there.
LENGTH_REQUIRED = RESTLI | OAUTH | {"/oauth/v2/authorization"}
# The résumé upload's own limit (10 MB), above the server's (a sandbox's upload URL names it).
UPLOAD = "/media/upload/{media_id}"
UPLOADS = {UPLOAD, "/media/upload/{sandbox}/{media_id}"}
# The snapshot import's own limit (settings.max_snapshot_bytes), above the server's: an export is importable.
SNAPSHOT_LIMIT = 4 * LIMIT
SNAPSHOTS = {"/_mock/snapshot", "/_mock/sandboxes/{sandbox}/snapshot"}
# The admin routes again under a sandbox's path (harness/admin SANDBOX_ROUTES): the same bodies as at /_mock.
SANDBOX_ADMIN = "/_mock/sandboxes/{sandbox}"


def every_route() -> list[tuple[str, str, str]]:
    """``(method, route path, a concrete path)`` for every route and verb of the app (HEAD aside), the routes of
    mounted apps (the dashboard's) included."""
    found = []

    def walk(routes, prefix=""):
        for route in routes:
            inner = getattr(getattr(route, "app", None), "app", None)  # a mounted app behind a middleware
            if isinstance(route, Mount) and not route.routes and hasattr(inner, "routes"):
                walk(inner.routes, prefix + route.path)
            elif isinstance(route, Mount) and not route.routes:
                found.append(("GET", prefix + route.path, prefix + route.path + STATIC[prefix + route.path]))
            elif isinstance(route, Mount):
                walk(route.routes, prefix + route.path)
            else:
                template = prefix + route.path
                for method in sorted(route.methods - {"HEAD"}):
                    found.append((method, template, template.replace("{path:path}", "{path}").format(**PARAMS)))

    walk(create_app(Settings()).routes)
    return found


ROUTES = every_route()
IDS = [f"{method} {template}" for method, template, _ in ROUTES]


def limit_of(template: str) -> int:
    """The body limit of ``template``'s route on the ``small`` server."""
    return UPLOAD_MAX_BYTES if template in UPLOADS else SNAPSHOT_LIMIT if template in SNAPSHOTS else LIMIT


def style_of(template: str) -> str:
    if template in OAUTH:
        return "oauth"
    if template in HTML or template.startswith(DASHBOARD):
        return "html"
    return "restli" if template in RESTLI else "envelope"


def assert_refused(reply: http.client.HTTPResponse, body: bytes, template: str, status: int, words: str) -> None:
    """``reply`` is ``status`` in the shape of ``template``'s route, saying ``words``."""
    assert reply.status == status, (template, body)
    style = style_of(template)
    if style == "oauth":
        document = json.loads(body)
        assert set(document) == {"error", "error_description"} and document["error"] == "invalid_request"
        assert words in document["error_description"]
    elif style == "html":
        assert reply.getheader("content-type").startswith("text/html") and words in body.decode()
        assert reply.getheader("content-security-policy") == "default-src 'none'"
    else:
        document = json.loads(body)
        assert set(document) == {"status", "serviceErrorCode", "message"} and document["status"] == status
        assert words in document["message"] and reply.getheader("x-restli-error-response") == "true"
        expected_echo = "2.0.0" if style == "restli" else None
        assert reply.getheader("x-restli-protocol-version") == expected_echo, template


def send(server: RunningServer, method: str, path: str, headers: dict, body=None) -> tuple:
    """One request with http.client (so a body can be declared but not sent, or streamed chunked)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.settings.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for chunk in body or ():
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        if body is not None:
            connection.send(b"0\r\n\r\n")
        reply = connection.getresponse()
        return reply, reply.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def small():
    """A server with a 4 KiB body limit (16 KiB for snapshot imports) that journals /_mock requests too."""
    with RunningServer(Settings(max_body_bytes=LIMIT, max_snapshot_bytes=SNAPSHOT_LIMIT, journal_admin=True)) as server:
        yield server


@pytest.fixture
def journal(small):
    with RscClient(small.url) as client:
        client.clear_requests()
        yield client


@pytest.fixture(scope="module")
def frames(small):
    """The frame-token header of each widget's data calls, by the path segment after ``/_widgets/``."""
    with httpx.Client(base_url=small.url, timeout=10) as http:
        def token(widget):
            return http.post("/_widgets/frames", data={"api_key": "demo-customer", "widget": widget},
                             headers={"Origin": "http://localhost:8080"}).json()["token"]
        return {"configuration": {"X-Widget-Token": token("ATSIntegrationWidget")},
                "profile": {"X-Widget-Token": token("HcmWidget")}}


def test_every_route_is_listed_here():
    templates = {template for _, template, _ in ROUTES}
    assert OAUTH | HTML | RESTLI | UPLOADS <= templates and {template for _, template in NO_BODY} <= templates
    assert {DASHBOARD, DASHBOARD + "/", DASHBOARD + "/actions/{name}", DASHBOARD + "/static"} <= templates


@pytest.mark.parametrize("method, template, path", ROUTES, ids=IDS)
def test_a_declared_body_over_the_limit_is_413_on_every_route(small, journal, method, template, path):
    limit = limit_of(template)
    headers = {"Host": "127.0.0.1", "Content-Length": str(limit + 1), "X-RestLi-Protocol-Version": "2.0.0"}
    reply, body = send(small, method, path, headers)  # the body is never sent: the server must not wait for it
    assert_refused(reply, body, template, 413, f"of {limit + 1} bytes is over the limit of {limit} bytes")
    [entry] = [e for e in journal.requests() if e["id"] == reply.getheader("x-request-id")]
    assert (entry["path"], entry["status"]) == (path, 413)


@pytest.mark.parametrize("method, template, path", [r for r in ROUTES if r[0] in ("POST", "PUT", "PATCH")],
                         ids=[i for r, i in zip(ROUTES, IDS, strict=True) if r[0] in ("POST", "PUT", "PATCH")])
def test_a_streamed_body_over_the_limit_is_413_on_every_route_that_reads_one(small, journal, frames, method, template,
                                                                            path):
    headers = {"Host": "127.0.0.1", "Transfer-Encoding": "chunked", "X-RestLi-Protocol-Version": "2.0.0",
               "Content-Type": "application/json"}
    headers.update(frames.get(path.split("/")[2] if path.startswith("/_widgets/") else "", {}))
    if path == "/_widgets/frames":
        headers["Origin"] = "http://localhost:8080"
    limit = limit_of(template)
    reply, body = send(small, method, path, headers, [b" " * 65536] * (limit // 65536 + 1))
    if (method, template.replace(SANDBOX_ADMIN, "/_mock")) in NO_BODY:
        assert reply.status < 500, body
        return
    if method == "POST" and template in LENGTH_REQUIRED:
        assert reply.status == 411 and b"Content-Length" in body, (template, body)
        assert [entry["status"] for entry in journal.requests(path=path)] == [411]
        return
    assert_refused(reply, body, template, 413, f"over the limit of {limit} bytes")
    assert [entry["status"] for entry in journal.requests(path=path)] == [413]


def test_bodies_up_to_the_limit_are_served(small):
    with httpx.Client(base_url=small.url, timeout=10) as http:
        token = token_for(http, "demo-customer", "demo-customer-secret")
        padded = json.dumps({"client_id": "demo-customer", "pad": "x" * (LIMIT - 60)})
        assert len(padded) <= LIMIT
        reply = http.post("/_mock/tokens", content=padded)
        assert reply.status_code == 400 and "/pad :: unknown field" in reply.json()["message"]  # read and judged
        assert http.get("/v2/atsIntegrations?q=request&requestId=1",
                        headers={"Authorization": "Bearer " + token}).status_code == 200


def test_the_limit_is_one_mebibyte_by_default_and_configurable():
    assert Settings().max_body_bytes == 1024 * 1024
    assert settings_from_env({"RSC_MOCK_MAX_BODY_BYTES": "2048"}).max_body_bytes == 2048
    args = build_parser().parse_args(["serve", "--max-body-bytes", "10", "--header-timeout", "2.5",
                                      "--body-timeout", "7"])
    settings = settings_of(args)
    assert (settings.max_body_bytes, settings.header_timeout, settings.body_timeout) == (10, 2.5, 7.0)


# ---- a client that hangs up mid-body ----------------------------------------------------------------------

class Records(logging.Handler):
    """Every record of the loggers it is attached to."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logged():
    """Records of the root logger and uvicorn's (which does not propagate), the access log on."""
    handler = Records()
    loggers = [logging.getLogger(), logging.getLogger("uvicorn"), logging.getLogger("uvicorn.error")]
    access = logging.getLogger("rsc_mock.access")
    level = access.level
    access.setLevel(logging.INFO)
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)
    access.setLevel(level)


def hang_up(server: RunningServer, method: str, path: str, headers: dict) -> None:
    """Send ``path``'s head declaring 1000 bytes of body, 10 of them, then close the connection."""
    with socket.create_connection(("127.0.0.1", server.settings.port), timeout=10) as sock:
        head = "".join(f"{name}: {value}\r\n" for name, value in {"Host": "127.0.0.1", "Content-Length": "1000",
                                                                     **headers}.items())
        sock.sendall(f"{method} {path} HTTP/1.1\r\n{head}\r\n".encode() + b'{"a": "b",')


def test_a_client_hanging_up_mid_body_is_journaled_as_499_on_every_kind_of_route(small, journal, logged):
    with httpx.Client(base_url=small.url, timeout=10) as http:
        bearer = {"Authorization": "Bearer " + token_for(http, "demo-customer", "demo-customer-secret")}
        widget = {"X-Widget-Token": http.post("/_widgets/frames", data={"api_key": "demo-customer",
                                                                       "widget": "HcmWidget"},
                                              headers={"Origin": "http://localhost:8080"}).json()["token"]}
    journal.clear_requests()
    logged.clear()
    calls = [("POST", "/v2/atsCandidates", {**bearer, "X-RestLi-Method": "BATCH_UPDATE"}),
             ("POST", "/rest/atsCandidates", {**bearer, "LinkedIn-Version": "202405"}),
             ("POST", "/oauth/v2/accessToken", {"Content-Type": "application/x-www-form-urlencoded"}),
             ("POST", "/oauth/v2/authorization", {"Content-Type": "application/x-www-form-urlencoded"}),
             ("POST", "/_mock/tokens", {"Content-Type": "application/json"}),
             ("POST", "/_mock/inbox/hook", {"Content-Type": "application/json"}),
             ("POST", "/_widgets/frames", {"Origin": "http://localhost:8080"}),
             ("POST", "/_widgets/profile/link", widget)]
    for method, path, headers in calls:
        hang_up(small, method, path, headers)
    entries = journal.wait_for_requests(count=len(calls), timeout=30, status="4xx")
    assert sorted((e["path"], e["status"]) for e in entries) == sorted((path, 499) for _, path, _ in calls)
    assert all(e["request"]["bodyBytes"] == 10 for e in entries)
    problems = [record for record in logged if record.levelno >= logging.WARNING]
    assert problems == [], [record.getMessage() for record in problems]
    lines = [record.getMessage() for record in logged if record.name == "rsc_mock.access"]
    assert sum(" 499 " in line for line in lines) == len(calls)


# ---- slow clients ----------------------------------------------------------------------------------------

# ---- request heads ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, template, path", ROUTES, ids=IDS)
def test_headers_over_64_kib_are_431_on_every_route(small, journal, method, template, path):
    """httptools reads a head of any size (an 8 MB header was served): over 64 KiB of headers is a 431 in the
    route's own shape, journaled."""
    headers = {"Host": "127.0.0.1", "Content-Length": "0", "X-RestLi-Protocol-Version": "2.0.0",
               "X-Big": "b" * MAX_HEADER_BYTES}
    reply, body = send(small, method, path, headers)
    assert_refused(reply, body, template, 431, f"over the limit of {MAX_HEADER_BYTES} bytes")
    [entry] = [e for e in journal.requests() if e["id"] == reply.getheader("x-request-id")]
    assert (entry["path"], entry["status"]) == (path, 431)


def test_headers_up_to_64_kib_are_served(small):
    headers = {"Host": "127.0.0.1", "Content-Length": "0"}
    size = sum(len(name) + len(value) + 4 for name, value in headers.items()) + len("X-Big") + 4
    reply, body = send(small, "GET", "/_mock/health", {**headers, "X-Big": "b" * (MAX_HEADER_BYTES - size)})
    assert reply.status == 200, body


@pytest.mark.parametrize("chunk", [1024, 65536])
def test_a_head_still_incomplete_past_256_kib_is_cut_off_with_431(small, chunk):
    """The server stops parsing a head that grows past 256 KiB (in any size of pieces), answers a plain 431
    (never the route's, whose handler it never reaches), drops what still comes and closes the connection; it
    serves the next client."""
    with socket.create_connection(("127.0.0.1", small.settings.port), timeout=10) as sock:
        sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-Big: ")
        for _ in range(2 * HEAD_HARD_LIMIT // chunk):
            sock.sendall(b"b" * chunk)
        received = read_until_closed(sock)
    assert received.startswith(b"HTTP/1.1 431 ") and received.endswith(b"bytes and still incomplete"), received
    assert httpx.get(small.url + "/_mock/health").status_code == 200


def test_the_rest_of_a_refused_body_is_not_taken_for_a_head(small):
    """After a 413 answered before the body was read, the body still coming (here 1 MiB, over the head limit)
    is the request's, not the next head: the kept-alive connection serves its next request."""
    with httpx.Client(base_url=small.url, timeout=10) as http:
        for _ in range(2):
            refused = http.post("/v2/atsCandidates", content=b"x" * (4 * HEAD_HARD_LIMIT),
                                headers={"Content-Type": "application/json"})
            assert refused.status_code == 413
            assert http.get("/_mock/health").status_code == 200


@pytest.fixture(scope="module")
def slow():
    """A server with half-second header and body deadlines."""
    with RunningServer(Settings(header_timeout=0.5, body_timeout=0.5, journal_admin=True)) as server:
        yield server


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (10 s at most, then the test fails)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


@pytest.mark.parametrize("sent", [b"", b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n", b"POST /v2/atsCand"])
def test_a_request_head_that_does_not_arrive_in_time_closes_the_connection(slow, sent):
    with socket.create_connection(("127.0.0.1", slow.settings.port), timeout=10) as sock:
        sock.sendall(sent)
        received = read_until_closed(sock)
    if sent:
        assert received.startswith(b"HTTP/1.1 408 ") and received.endswith(b"did not arrive within 0.5 s")
    else:
        assert received == b""  # a connection that sent nothing is simply closed


def test_a_kept_alive_connection_gets_the_head_deadline_again_after_each_reply(slow):
    with socket.create_connection(("127.0.0.1", slow.settings.port), timeout=10) as sock:
        sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n")
        first = http.client.HTTPResponse(sock)
        first.begin()
        assert first.status == 200 and json.loads(first.read())["status"] == "ok"
        sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHo")
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408 ")


@pytest.mark.parametrize("path, shape", [("/v2/atsCandidates", "message"), ("/oauth/v2/accessToken", "error"),
                                         ("/_mock/tokens", "message")])
def test_a_body_that_does_not_arrive_in_time_is_408_in_the_routes_shape(slow, path, shape):
    with RscClient(slow.url) as journal:
        journal.clear_requests()
        with socket.create_connection(("127.0.0.1", slow.settings.port), timeout=10) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".encode() + b"{")
            received = read_until_closed(sock)
        [entry] = journal.wait_for_requests(path=path)
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ") and b"connection: close" in head.lower()
    assert "did not arrive within 0.5 s" in json.loads(body)[shape if shape == "message" else "error_description"]
    assert entry["status"] == 408


# ---- the journal's own bounds ----------------------------------------------------------------------------

def test_journal_entries_bound_headers_and_query_strings(small, journal):
    with httpx.Client(base_url=small.url, timeout=10) as http:
        http.get("/v2/atsIntegrations", params={"q": "request", "requestId": "r" * 20_000},
                 headers={"X-Big": "b" * 32_000, "X-Small": "s"})
    [entry] = journal.requests(path="/v2/atsIntegrations")
    assert len(entry["query"]) == QUERY_LIMIT and entry["queryTruncated"] is True
    headers = entry["request"]["headers"]
    assert headers["x-big"] == "b" * HEADER_VALUE_LIMIT and headers["x-small"] == "s"
    assert entry["request"]["headersTruncated"] is True and entry["response"]["headersTruncated"] is False


def test_many_headers_are_cut_at_8_kib():
    from mock_server.harness.middleware import HEADERS_LIMIT, bounded_headers

    kept, cut = bounded_headers({f"x-h{n}": "v" * 1000 for n in range(40)})
    assert cut and sum(len(k) + len(v) for k, v in kept.items()) <= HEADERS_LIMIT and len(kept) == 8


def test_the_journal_counts_headers_and_queries_in_its_memory_bound():
    journal = RequestJournal(capacity=100, max_bytes=50_000)
    for n in range(20):
        journal.record({"path": f"/{n}", "query": "q" * 8000, "request": {"headers": {"x": "h" * 1000}, "body": ""},
                        "response": {"headers": {}, "body": ""}})
    assert len(journal) == 5


def test_requests_are_read_a_page_at_a_time(small, journal):
    with httpx.Client(base_url=small.url, timeout=10) as http:
        for n in range(250):
            http.get(f"/v2/page{n}")
    first = journal.http.get("/_mock/requests", params={"path": "/v2/page"}).json()
    assert first["count"] == 100 and first["next"] == first["requests"][-1]["seq"]
    second = journal.http.get("/_mock/requests", params={"path": "/v2/page", "after": first["next"],
                                                          "limit": 200}).json()
    assert second["count"] == 150 and second["next"] is None
    assert [e["path"] for e in first["requests"] + second["requests"]] == [f"/v2/page{n}" for n in range(250)]
    assert len(journal.requests(path="/v2/page")) == 250  # the client reads every page
    for bad in ({"limit": "1001"}, {"limit": "0"}, {"after": "-1"}, {"after": "x"}):
        assert journal.http.get("/_mock/requests", params=bad).status_code == 400, bad
    assert journal.http.post("/_mock/requests/wait", json={"count": 1001}).status_code == 400


def test_a_page_holds_about_4_mib_of_text_whatever_the_limit(small, journal):
    with httpx.Client(base_url=small.url, timeout=10) as http:
        for _ in range(80):  # each journaled with a 64 KiB reply body (the document is larger)
            assert http.get("/_mock/openapi.json").status_code == 200
    page = journal.http.get("/_mock/requests", params={"path": "/_mock/openapi.json", "limit": 1000}).json()
    assert 0 < page["count"] < 80 and page["next"] is not None
    assert all(e["response"]["bodyTruncated"] for e in page["requests"])
    assert len(json.dumps(page)) < 5 * 1024 * 1024
    waited = journal.http.post("/_mock/requests/wait", json={"filter": {"path": "/_mock/openapi.json"}, "count": 80})
    assert waited.json()["count"] == 80 and len(waited.json()["requests"]) == page["count"]
    assert waited.json()["next"] == page["next"]
