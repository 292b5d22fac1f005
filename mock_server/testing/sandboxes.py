"""The sandboxes API from the client side (``/_mock/sandboxes``, :mod:`mock_server.harness.admin.sandboxes`):
what the pytest plugin and ``rsc-mock sandbox`` use.

::

    sandbox = create_sandbox("http://127.0.0.1:8080", label="job 42")
    sandbox.id, sandbox.customer            # "sb1a2b3c4d", ("demo-customer-sb1a2b3c4d", "demo-customer-secret-…")
    RscClient(url, sandbox=sandbox.id)     # its token helpers find the sandbox's applications
    delete_sandbox("http://127.0.0.1:8080", sandbox.id)

Every function raises :class:`SandboxError` with the emulator's message when it refuses (an unknown id, the
server's limit of sandboxes reached) or cannot be reached. :class:`KeepAlive` keeps a sandbox from expiring while
its holder is alive but not calling it (a session's other tests).
"""

from __future__ import annotations

import dataclasses
import threading

import httpx

from mock_server.tools.admin_url import admin_url

DEFAULT = "default"
MIN_KEEPALIVE_S = 0.25
"""The shortest interval, in seconds, at which :class:`KeepAlive` asks (a sandbox's TTL is at least 1 s)."""


class SandboxError(RuntimeError):
    """The emulator refused a sandbox call or could not be reached; ``status`` is its HTTP status (None when
    it could not be reached)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclasses.dataclass
class SandboxInfo:
    """A sandbox as the emulator describes it: ``doc`` is the JSON of ``GET /_mock/sandboxes/{id}``."""

    doc: dict

    @property
    def id(self) -> str:
        """The sandbox id (``default`` for the server's own world)."""
        return self.doc["id"]

    @property
    def headers(self) -> dict[str, str]:
        """The header that names the sandbox on admin calls (``{"X-RSC-Mock-Sandbox": id}``)."""
        return dict(self.doc["header"])

    @property
    def partner(self) -> tuple[str, str]:
        """``(client_id, client_secret)`` of the world's first partner (parent) application."""
        return credentials(self.doc, "partners")

    @property
    def customer(self) -> tuple[str, str]:
        """``(client_id, client_secret)`` of the world's first customer (child) application."""
        return credentials(self.doc, "customers")


def credentials(doc: dict, role: str) -> tuple[str, str]:
    """``(client_id, client_secret)`` of the first application of ``role`` (``partners`` or ``customers``) in a
    sandbox document; :class:`SandboxError` when its world has none."""
    if not doc.get(role):
        raise SandboxError(f"sandbox {doc['id']!r} (fixtures {doc['fixtures']!r}) has no {role}")
    found = doc[role][0]["credentials"]
    return found["client_id"], found["client_secret"]


def call(method: str, url: str, timeout: float = 30.0, **kwargs) -> httpx.Response:
    """``method url`` answered with a success, else :class:`SandboxError` with the emulator's message."""
    try:
        reply = httpx.request(method, url, timeout=timeout, **kwargs)
    except httpx.HTTPError as error:
        raise SandboxError(f"{method} {url}: the emulator could not be reached ({error})") from None
    if reply.is_success:
        return reply
    try:
        said = reply.json().get("message") or reply.text
    except ValueError:
        said = reply.text
    raise SandboxError(f"{method} {url} answered {reply.status_code}: {said}", reply.status_code)


def create_sandbox(base_url: str, fixtures: str | None = None, label: str | None = None,
                   ttl: int | None = None) -> SandboxInfo:
    """A new sandbox on the emulator at ``base_url``: on the bundled fixture world ``fixtures`` (default: the
    server's own), labelled ``label``, deleted after ``ttl`` idle seconds (default: the server's TTL)."""
    body = {key: value for key, value in (("fixtures", fixtures), ("label", label), ("ttl", ttl)) if value is not None}
    return SandboxInfo(call("POST", base_url.rstrip("/") + "/_mock/sandboxes", json=body).json())


def describe_sandbox(base_url: str, sandbox_id: str = DEFAULT) -> SandboxInfo:
    """Sandbox ``sandbox_id`` of the emulator at ``base_url`` (``default``: the server's own world)."""
    return SandboxInfo(call("GET", admin_url(base_url, "", sandbox_id)).json())


def list_sandboxes(base_url: str) -> dict:
    """``GET /_mock/sandboxes``: ``{"count", "limit", "ttl", "fixtures", "sandboxes": [doc, ...]}``."""
    return call("GET", base_url.rstrip("/") + "/_mock/sandboxes").json()


def delete_sandbox(base_url: str, sandbox_id: str) -> None:
    """Delete sandbox ``sandbox_id`` of the emulator at ``base_url``."""
    call("DELETE", admin_url(base_url, "", sandbox_id))


class KeepAlive:
    """Keeps sandbox ``sandbox`` of the emulator at ``base_url`` from being deleted after its idle TTL while the
    process holding it lives (a session whose tests do not call the emulator for longer than the TTL): a daemon
    thread asks ``GET /_mock/sandboxes/{id}/health`` — a request of the sandbox, which its journal leaves out —
    every third of the sandbox's ``idleTtl`` (:data:`MIN_KEEPALIVE_S` at the least) until :meth:`stop`. A process
    that dies stops asking, so its forgotten sandbox still expires. Failed asks are ignored: a sandbox deleted
    meanwhile is reported by the holder's next call."""

    def __init__(self, base_url: str, sandbox: SandboxInfo) -> None:
        self.url = admin_url(base_url, "/health", sandbox.id)
        self.interval_s = max(MIN_KEEPALIVE_S, (sandbox.doc.get("idleTtl") or 0) / 3)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rsc-mock-keepalive-{sandbox.id}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval_s):
            try:
                httpx.get(self.url, timeout=self.interval_s)
            except httpx.HTTPError:
                pass

    def stop(self) -> None:
        """Stop asking (returns once the thread has ended)."""
        self._stopped.set()
        self._thread.join()
