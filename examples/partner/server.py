"""The reference ATS's HTTP side (Python's standard ``http.server``, one thread per request):

===========================================  =================================================================
``POST /linkedin/push/{customer}``           the customer's CALLBACK_URL: LinkedIn's pushes (401 for a bad
                                             ``X-LI-Signature``)
``GET  /linkedin/push/{customer}?challengeCode=…``  LinkedIn's callback challenge
``GET  /settings/{customer}``                the RSC settings page (JSON): connection, status, sync, totals
``POST /certification``                      the certification hook (:mod:`.hook`)
===========================================  =================================================================
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import ats
from .connector import Connector, Flaws
from .hook import Hook

DEMO_PARTNER = ("demo-partner", "demo-partner-secret")


def handler_for(connector: Connector, hook: Hook):
    """The request handler class of a server for ``connector``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet: the emulator journals every call anyway
            pass

        def reply(self, status: int, doc: dict) -> None:
            body = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            parts = url.path.strip("/").split("/")
            if parts[:2] == ["linkedin", "push"] and len(parts) == 3:
                code = parse_qs(url.query).get("challengeCode", [""])[0]
                if code and parts[2] in connector.links:
                    self.reply(200, connector.challenge(parts[2], code))
                else:
                    self.reply(400, {"message": "a challenge needs challengeCode, for a connected customer"})
            elif parts[0] == "settings" and len(parts) == 2:
                self.reply(200, connector.status(parts[1]))
            else:
                self.reply(404, {"message": f"no page {url.path}"})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urlsplit(self.path).path.strip("/").split("/")
            if parts[:2] == ["linkedin", "push"] and len(parts) == 3:
                status = connector.receive_push(parts[2], body, self.headers.get("X-LI-Signature"))
                self.reply(status, {"received": status == 200})
            elif parts == ["certification"]:
                try:
                    self.reply(*hook.answer(json.loads(body)))
                except Exception as error:  # noqa: BLE001 — the runner shows the partner's error to the user
                    self.reply(500, {"message": f"{type(error).__name__}: {error}"})
            else:
                self.reply(404, {"message": f"no endpoint {self.path}"})

    return Handler


class PartnerServer:
    """The reference ATS listening on ``host``:``port`` (0: a free port) in a background thread; a context
    manager. ``url`` is its base URL (its origin, its callback receiver's host); ``hook_url`` the
    certification hook."""

    def __init__(self, connector_factory, host: str = "127.0.0.1", port: int = 0) -> None:
        self.httpd = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.connector: Connector = connector_factory(self.url)
        self.httpd.RequestHandlerClass = handler_for(self.connector, Hook(self.connector))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="reference-ats", daemon=True)

    @property
    def hook_url(self) -> str:
        """The certification hook's URL."""
        return self.url + "/certification"

    def start(self) -> PartnerServer:
        """Serve in the background."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the connector."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.connector.close()

    def __enter__(self) -> PartnerServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def start(linkedin_url: str, customer: str = "acme", flaws: Flaws | None = None,
          partner: tuple[str, str] = DEMO_PARTNER, host: str = "127.0.0.1", port: int = 0) -> PartnerServer:
    """The reference ATS, running, with ``customer``'s seeded history (:func:`.ats.seed`), talking to LinkedIn
    (the emulator) at ``linkedin_url`` as the partner application ``partner``."""
    def connector(url: str) -> Connector:
        made = Connector(linkedin_url, url, partner, flaws or Flaws())
        made.tenants[customer] = ats.seed(ats.Tenant(customer, customer.title()), made.now())
        return made
    return PartnerServer(connector, host, port).start()
