"""The request journal, its filters and waits, request ids and the per-request log line, on the real server."""

from __future__ import annotations

import asyncio
import json
import threading

import httpx

from mock_server.harness.journal import RequestJournal
from mock_server.logs import JsonFormatter
from mock_server.testing.server import free_port, serve_process
from tests.access_log import access_lines

FINDER = "/v2/atsIntegrations?q=request&requestId=nothing"


def test_request_and_reply_are_journaled_with_masked_secrets(http, customer):
    reply = http.get(FINDER, headers={**customer, "X-Trace": "t1"})
    assert reply.status_code == 200
    [entry] = http.get("/_mock/requests", params={"path": "/v2/"}).json()["requests"]
    assert entry["id"] == reply.headers["X-Request-Id"] == reply.headers["X-LI-UUID"]
    assert (entry["method"], entry["path"]) == ("GET", "/v2/atsIntegrations")
    assert entry["query"] == "q=request&requestId=nothing"
    assert (entry["resource"], entry["restliMethod"], entry["status"]) == ("atsIntegrations", "FINDER", 200)
    assert entry["application"] == "urn:li:developerApplication:11" and entry["clientId"] == "demo-customer"
    assert entry["latencyMs"] >= 0 and entry["fault"] is None and entry["dropped"] is False
    assert entry["request"]["headers"]["x-trace"] == "t1"
    token = customer["Authorization"].split()[1]
    assert entry["request"]["headers"]["authorization"] == "Bearer ****" + token[-4:]
    assert json.loads(entry["response"]["body"]) == reply.json()
    assert entry["response"]["headers"]["x-request-id"] == entry["id"]
    # the token request that made the customer header: its secret is masked, its caller resolved from the form
    [token_call] = http.get("/_mock/requests", params={"path": "/oauth/v2/accessToken"}).json()["requests"]
    assert "demo-customer-secret" not in json.dumps(token_call)
    assert "client_secret=****" in token_call["request"]["body"] and token_call["clientId"] == "demo-customer"


def test_filters_limit_and_clear(http, customer, partner):
    http.get(FINDER, headers=customer)
    http.get("/v2/atsIntegrations/nope", headers=customer)
    http.post("/v2/provisionedApplications", headers=partner, json={"name": "x"})
    http.get("/v2/unknownThing", headers=customer)

    def paths(**params):
        found = http.get("/_mock/requests", params=params)
        assert found.status_code == 200, found.text
        return [(e["method"], e["path"]) for e in found.json()["requests"]]

    assert paths(resource="provisionedApplications") == [("POST", "/v2/provisionedApplications")]
    assert paths(restliMethod="create") == [("POST", "/v2/provisionedApplications")]
    assert paths(path="/v2/ats*/*") == [("GET", "/v2/atsIntegrations/nope")]
    assert paths(status="4xx", application="demo-customer") == [("GET", "/v2/atsIntegrations/nope"),
                                                                ("GET", "/v2/unknownThing")]
    assert paths(status=400) == [("POST", "/v2/provisionedApplications")]
    assert len(paths(method="get", path="/v2/")) == 3 and len(paths(path="/v2/", limit=1)) == 1
    everything = http.get("/_mock/requests").json()["requests"]
    latest = everything[-1]["at"]
    assert all(e["at"] >= latest for e in http.get("/_mock/requests", params={"since": latest}).json()["requests"])
    assert paths(since=latest + 10**9) == []
    for bad in ({"status": "9xx"}, {"since": "yesterday"}, {"colour": "red"}, {"limit": "0"}, {"limit": "²"},
                {"limit": "9" * 5000}, {"since": "²"}, {"since": "9" * 5000}, {"since": "5\n"}, {"status": "²²²"},
                {"status": "4" * 5000}):
        refused = http.get("/_mock/requests", params=bad)
        assert refused.status_code == 400 and refused.headers["X-RestLi-Error-Response"] == "true", bad
        assert f"/{next(iter(bad))} ::" in refused.json()["message"], bad
    assert http.delete("/_mock/requests").status_code == 204
    assert http.get("/_mock/requests").json() == {"count": 0, "next": None, "requests": []}


def test_admin_requests_are_not_journaled(http):
    http.get("/_mock/health")
    http.get("/_mock/clock")
    assert http.get("/_mock/requests").json()["count"] == 0


def test_large_bodies_are_truncated_at_64_kib(http, customer):
    body = json.dumps({"entities": {"x": "y" * 100_000}})
    http.put("/v2/atsCandidates?ids=List(x)", headers={**customer, "Content-Type": "application/json"}, content=body)
    [entry] = http.get("/_mock/requests", params={"resource": "atsCandidates"}).json()["requests"]
    assert entry["request"]["bodyBytes"] == len(body) and entry["request"]["bodyTruncated"] is True
    assert len(entry["request"]["body"]) == 64 * 1024


def test_wait_returns_matches_already_there_and_new_ones(http, customer):
    http.get(FINDER, headers=customer)
    now = http.post("/_mock/requests/wait", json={"filter": {"resource": "atsIntegrations"}, "timeout": 5})
    assert now.status_code == 200 and now.json()["count"] == 1

    result = {}

    def wait_for_two():
        result["reply"] = http.post("/_mock/requests/wait", json={
            "filter": {"resource": "atsIntegrations", "restliMethod": "FINDER"}, "count": 2, "timeout": 30})

    waiter = threading.Thread(target=wait_for_two)
    waiter.start()
    http.get(FINDER, headers=customer)
    waiter.join()
    reply = result["reply"]
    assert reply.status_code == 200 and reply.json()["count"] == 2
    assert [e["restliMethod"] for e in reply.json()["requests"]] == ["FINDER", "FINDER"]


def test_wait_times_out_with_408_and_what_it_saw(http, customer):
    http.get(FINDER, headers=customer)
    reply = http.post("/_mock/requests/wait", json={"filter": {"resource": "atsIntegrations"}, "count": 2,
                                                     "timeout": 0.2})
    assert reply.status_code == 408
    body = reply.json()
    assert body["status"] == 408 and "1 of 2" in body["message"] and body["count"] == 1
    assert body["requests"][0]["resource"] == "atsIntegrations"
    for bad in ({"count": 0}, {"timeout": -1}, {"timeout": 301}, {"filter": {"nope": 1}}, {"filter": []}):
        assert http.post("/_mock/requests/wait", json=bad).status_code == 400, bad
    unknown = http.post("/_mock/requests/wait", json={"timeout": 0, "fliter": {"resource": "x"}})
    assert unknown.status_code == 400 and unknown.json()["message"].startswith("ERROR :: /fliter ::")


def test_reset_empties_the_journal(http, customer):
    http.get(FINDER, headers=customer)
    http.post("/_mock/reset")
    assert http.get("/_mock/requests").json()["count"] == 0


def test_journal_is_bounded_and_keeps_numbering():
    journal = RequestJournal(capacity=3)
    for n in range(5):
        journal.record({"path": f"/v2/r{n}", "request": {"body": ""}, "response": {"body": ""}})
    assert [e["path"] for e in journal.query()] == ["/v2/r2", "/v2/r3", "/v2/r4"]
    assert [e["seq"] for e in journal.query()] == [3, 4, 5]
    small = RequestJournal(capacity=100, max_bytes=10)
    for n in range(3):
        small.record({"path": f"/{n}", "request": {"body": "x" * 6}, "response": {"body": ""}})
    assert [e["path"] for e in small.query()] == ["/2"]


def test_waiter_wakes_on_record_from_another_thread():
    journal = RequestJournal()

    async def scenario():
        waiting = asyncio.ensure_future(journal.wait({"path": "/v2/x"}, 1, 30))
        await asyncio.sleep(0)  # let the waiter register
        threading.Thread(target=journal.record, args=({"path": "/v2/x", "request": {}, "response": {}},)).start()
        return await waiting

    done, found = asyncio.run(scenario())
    assert done and found[0]["path"] == "/v2/x"


def test_one_log_line_per_request_with_request_id(http, customer):
    with access_lines() as lines:
        reply = http.get(FINDER, headers=customer)
        [record] = lines.of(reply.headers["X-Request-Id"])
    assert record.getMessage().startswith("GET /v2/atsIntegrations 200 ")
    assert "app=urn:li:developerApplication:11" in record.getMessage()
    line = json.loads(JsonFormatter().format(record))
    assert line["requestId"] == reply.headers["X-Request-Id"] and line["status"] == 200
    assert line["method"] == "GET" and line["path"] == "/v2/atsIntegrations" and line["ms"] >= 0


def test_serve_logs_json_lines_with_the_request_id(tmp_path):
    port = free_port()
    with (tmp_path / "stderr").open("w+") as stderr:
        process = serve_process("--log-json", port=port, stderr=stderr)
        try:
            reply = httpx.get(f"http://127.0.0.1:{port}/_mock/health")
        finally:
            process.terminate()
            process.wait(timeout=10)
        stderr.seek(0)
        lines = [json.loads(line) for line in stderr if line.strip()]
    [access] = [line for line in lines if line.get("requestId") == reply.headers["X-Request-Id"]]
    assert access["logger"] == "rsc_mock.access" and access["path"] == "/_mock/health" and access["status"] == 200
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)  # uvicorn's lines too


def _entry(n: int, body: str) -> dict:
    return {"id": f"r{n}", "at": n, "method": "GET", "path": "/v2/x", "query": "", "status": 200,
            "latencyMs": n / 7, "fault": None, "request": {"headers": {"a": "b"}, "body": "", "bodyBytes": 0},
            "response": {"headers": {"c": "d"}, "body": body, "bodyBytes": len(body)}}


def test_older_entries_are_kept_packed_and_read_back_as_recorded():
    """Past the newest PLAIN_WINDOW entries, entries are kept as compact records (equal bodies shared) and every
    read — query, page, after, wait — gives each entry exactly as recorded, key order included; the byte bounds
    count the recorded text."""
    from mock_server.harness import journal as journal_module
    from mock_server.harness import journal_packing

    journal = RequestJournal(capacity=5000)
    bodies = {n: json.dumps({"n": n % 7, "pad": "é" * (300 + n % 7)}) for n in range(600)}
    recorded = [_entry(n, bodies[n]) for n in range(600)]
    for entry in recorded:
        journal.record(json.loads(json.dumps(entry)))
    stored = list(journal._entries)
    records = [item for item in stored if journal_packing.is_record(item)]
    assert len(records) == 600 - journal_module.PLAIN_WINDOW
    assert len({id(item[journal_packing.PACKED].bodies[1]) for item in records}) == 7  # equal bodies shared
    expected = [{**entry, "seq": n + 1} for n, entry in enumerate(recorded)]
    for read in (journal.query(), journal.after(0), asyncio.run(journal.wait({"method": "GET"}, 600, 1))[1]):
        assert read == expected
        assert [list(entry) for entry in read] == [list(entry) for entry in expected]
        assert [list(entry["response"]) for entry in read] == [list(entry["response"]) for entry in expected]
    assert journal.query(limit=3) == expected[-3:]
    page = journal.page(after=10, limit=20)
    assert page.entries == expected[10:30] and page.next == 30
    assert journal._bytes == sum(journal_module.entry_size(entry) for entry in recorded)
