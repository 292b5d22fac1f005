"""Start-up imports only what ``rsc-mock serve`` needs: the dashboard, the certification, jinja2, httpx, h11 and
jsonschema are imported on first use (mock_server.app's DeferredRoutes, lazy imports), and the deferred routes
route exactly as the routes listed in place did (page, redirect, 405, 404, the OpenAPI document)."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys

import httpx
import pytest
from uvicorn.protocols.http.h11_impl import H11Protocol

from mock_server.config import Settings
from mock_server.serving import H11HeadTimeout, head_timeout_protocol
from mock_server.testing.server import RunningServer

DEFERRED = ("mock_server.dashboard.routes", "mock_server.certification.routes", "mock_server.certification.cases",
            "mock_server.certification.reports", "mock_server.tools.openapi", "mock_server.tools.fidelity", "h11",
            "jinja2", "httpx", "jsonschema", "rich")


def test_serving_imports_none_of_the_deferred_modules():
    code = ("import sys, asyncio\n"
            "from mock_server import cli, serving\n"
            "from mock_server.app import create_app\n"
            "from mock_server.config import Settings\n"
            "app = create_app(Settings())\n"
            "emulator = app.state.emulator\n"
            "async def cycle():\n"
            "    await emulator.start()\n"
            "    await emulator.stop()\n"
            "asyncio.run(cycle())\n"
            f"print(' '.join(name for name in {DEFERRED!r} if name in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == ""


# the first request to each deferred part, made concurrently once serve has answered its first health check
FIRST_REQUESTS = {"/_mock/ui/": 200, "/_mock/ui/journal": 200, "/_mock/certification/cases": 200,
                  "/_mock/openapi.json": 200, "/_mock/fidelity": 200, "/": 307}
SERVE_PROBE = """
import json, os, socket, sys, threading, time, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor
from mock_server import cli

with socket.socket() as free:
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

def status(path):
    try:
        with urllib.request.build_opener(NoRedirect).open(f"http://127.0.0.1:{port}{path}", timeout=30) as reply:
            reply.read()
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code

def probe():
    while True:
        try:
            health = status("/_mock/health")
            break
        except OSError:
            time.sleep(0.02)
    loaded = [name for name in DEFERRED if name in sys.modules]
    with ThreadPoolExecutor(len(FIRST_REQUESTS)) as pool:
        first = dict(zip(FIRST_REQUESTS, pool.map(status, FIRST_REQUESTS)))
    print(json.dumps({"health": health, "loaded": loaded, "first": first}), flush=True)
    os._exit(0)

threading.Thread(target=probe, daemon=True).start()
cli.main(["serve", "--port", str(port), "--log-level", "warning"])
"""


def test_serve_answers_its_first_request_without_the_deferred_modules_then_serves_each_of_them():
    """``rsc-mock serve`` itself (the command line, uvicorn, the app) up to its first 200 from /_mock/health: no
    deferred module imported (a deferred route whose prefix matched every path once imported the dashboard on
    the first request to any route); then the first requests to every deferred part, all at once, are served.
    The probe is urllib, so that it imports none of the deferred modules itself."""
    code = f"DEFERRED = {DEFERRED!r}\nFIRST_REQUESTS = {list(FIRST_REQUESTS)!r}\n" + SERVE_PROBE
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout.splitlines()[-1]) == {"health": 200, "loaded": [], "first": FIRST_REQUESTS}, (
        done.stdout + done.stderr)


@pytest.fixture(scope="module")
def client():
    with RunningServer(Settings()) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield http  # httpx follows no redirect unless asked


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 307), ("GET", "/_mock/ui", 307), ("GET", "/_mock/ui/", 200), ("POST", "/", 405),
    ("GET", "/_mock/certification/cases", 200), ("DELETE", "/_mock/certification/cases", 405),
    ("GET", "/_mock/certificationx", 404), ("GET", "/_mock/uix", 404), ("GET", "/_mock/health", 200),
])
def test_deferred_routes_route_as_before(client, method, path, status):
    reply = client.request(method, path)
    assert reply.status_code == status, reply.text


def test_the_openapi_document_lists_the_deferred_routes(client):
    paths = client.get("/_mock/openapi.json").json()["paths"]
    assert "/_mock/certification/runs/{run_id}" in paths
    assert "/_mock/ui/{path}" in paths


def test_without_httptools_the_server_runs_on_h11_with_the_head_deadline(monkeypatch):
    """h11 is imported only when httptools is not installed (mock_server.serving.head_timeout_protocol): with
    httptools hidden, the server answers on uvicorn's h11 protocol and still closes a late head with a 408."""
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "httptools" else find_spec(name, *args))
    protocol = head_timeout_protocol(0.5)
    assert issubclass(protocol, H11HeadTimeout) and issubclass(protocol, H11Protocol)
    server = RunningServer(Settings(header_timeout=0.5))  # builds its uvicorn configuration here
    monkeypatch.undo()
    with server:
        with socket.create_connection(("127.0.0.1", server.settings.port), timeout=10) as sock:
            sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            sock.sendall(b"GET /_mock/health HTTP/1.1\r\nHo")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
    assert received.startswith(b"HTTP/1.1 408 ") and received.endswith(b"did not arrive within 0.5 s")
