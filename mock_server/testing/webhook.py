"""A real HTTP listener that records what is sent to it: the receiving end of push notifications in tests.

::

    with WebhookReceiver() as hook:             # http.server in a daemon thread, on a free loopback port
        configure_callback(hook.url)            # e.g. the customer's CALLBACK_URL
        [notification] = hook.wait(count=1, timeout=10)
        assert notification.json()["type"] == "EXPORT_CANDIDATE_PROFILE"

Every request is answered with ``status`` (default 200, settable to exercise the emulator's delivery
retries). ``on_request``, when set, is called with each :class:`ReceivedRequest` once it is recorded and before
it is answered (in the receiver's thread): a test can act at the exact moment the receiver has a request, e.g.
move the emulator's clock while the delivery attempt is still waiting for its reply. With ``client_secret``
set, a ``GET ?challengeCode=…`` (LinkedIn's callback validation) is answered with ``{"challengeCode",
"challengeResponse": hex HMAC-SHA256(key=client_secret, message=challengeCode)}``.
:meth:`WebhookReceiver.wait` blocks on a condition variable that each arriving request notifies.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx


@dataclasses.dataclass
class ReceivedRequest:
    """One request the receiver got: ``method``, ``path`` (without the query), ``query`` (raw string),
    ``headers`` (``httpx.Headers``: names are case-insensitive, ``headers.get("X-LI-Signature")`` and
    ``headers["x-li-signature"]`` are the same), raw ``body`` bytes, ``received_at`` (epoch seconds, wall
    clock)."""

    method: str
    path: str
    query: str
    headers: httpx.Headers
    body: bytes
    received_at: float

    def json(self):
        """The body parsed as JSON (``ValueError`` when it is not)."""
        return json.loads(self.body)

    def signature_valid(self, client_secret: str) -> bool:
        """True when ``X-LI-Signature`` is the hex HMAC-SHA256 of ``"hmacsha256=" + body`` keyed with
        ``client_secret`` (LinkedIn's push-notification signature; spec README, "Push notification")."""
        expected = hmac.new(client_secret.encode(), b"hmacsha256=" + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.headers.get("X-LI-Signature", ""))


class WebhookReceiver:
    """An HTTP server on ``host`` and a free port, in a daemon thread; a context manager.

    ``url`` is its base URL (any path under it is accepted); ``requests`` the list of
    :class:`ReceivedRequest` so far, oldest first; ``status`` the status every reply gets; ``on_request`` a
    callable run with each request before it is answered (see the module docstring).
    """

    def __init__(self, host: str = "127.0.0.1", status: int = 200, client_secret: str | None = None,
                 on_request: Callable[[ReceivedRequest], None] | None = None) -> None:
        self.status = status
        self.client_secret = client_secret
        self.on_request = on_request
        self.requests: list[ReceivedRequest] = []
        self._condition = threading.Condition()
        self._server = ThreadingHTTPServer((host, 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="rsc-webhook", daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: where to send the notifications."""
        host, port = self._server.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}"

    def start(self) -> WebhookReceiver:
        """Start listening."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def clear(self) -> None:
        """Forget the requests received so far."""
        with self._condition:
            self.requests.clear()

    def wait(self, count: int = 1, timeout: float = 10.0,
             predicate: Callable[[ReceivedRequest], bool] | None = None) -> list[ReceivedRequest]:
        """Block until ``count`` received requests satisfy ``predicate`` (all do when it is ``None``), at most
        ``timeout`` seconds; returns them, oldest first. Raises ``TimeoutError`` naming what did arrive."""
        deadline = time.monotonic() + timeout

        def matching() -> list[ReceivedRequest]:
            return [r for r in self.requests if predicate is None or predicate(r)]

        with self._condition:
            while len(found := matching()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(f"{r.method} {r.path}" for r in self.requests) or "nothing"
                    raise TimeoutError(f"webhook {self.url}: {len(found)} of {count} matching request(s) after"
                                       f" {timeout} s; received: {seen}")
                self._condition.wait(remaining)
            return found[:count]

    def _record(self, request: ReceivedRequest) -> None:
        with self._condition:
            self.requests.append(request)
            self._condition.notify_all()

    def _challenge_reply(self, query: str) -> bytes | None:
        code = parse_qs(query).get("challengeCode", [None])[0]
        if code is None or self.client_secret is None:
            return None
        response = hmac.new(self.client_secret.encode(), code.encode(), hashlib.sha256).hexdigest()
        return json.dumps({"challengeCode": code, "challengeResponse": response}).encode()

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                reply = receiver._challenge_reply(parts.query) if self.command == "GET" else None
                received = ReceivedRequest(self.command, parts.path, parts.query,
                                           httpx.Headers(list(self.headers.items())), body, time.time())
                receiver._record(received)
                if receiver.on_request is not None:
                    receiver.on_request(received)
                payload = reply if reply is not None else b'{"received": true}'
                self.send_response(200 if reply is not None else receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, format, *args) -> None:  # keep test output clean
                pass

        return Handler
