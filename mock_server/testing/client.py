"""``RscClient``: an httpx client on a running emulator, with helpers for its admin API (``/_mock``).

::

    client = RscClient("http://127.0.0.1:8080")
    token = client.customer_token()                          # demo customer, via the real token endpoint
    client.get("/v2/atsIntegrations", token=token, params=...)
    client.tunnel("GET", "/v2/atsCandidates", query_over_4kb, token=token)   # LinkedIn's query tunnelling
    client.add_fault({"resource": "atsCandidates"}, status=429, headers={"Retry-After": "1"}, times=1)
    client.advance(1801)                                     # the token has expired now
    client.wait_for_requests(count=2, resource="atsCandidates")

HTTP helpers (``get``/``post``/``put``/``patch``/``delete``/``request``) take httpx's arguments plus
``token=`` (sent as ``Authorization: Bearer <token>``) and return the ``httpx.Response`` unchecked. Admin
helpers raise ``httpx.HTTPStatusError`` when the emulator refuses, except the waits, which raise
``TimeoutError`` with what the emulator saw. Times: ``now()`` etc. are epoch milliseconds, durations seconds.
"""

from __future__ import annotations

import httpx

from mock_server.harness.addressing import SANDBOX_HEADER
from mock_server.testing.tunnel import tunnelled

DEMO_PARTNER = ("demo-partner", "demo-partner-secret")
DEMO_CUSTOMER = ("demo-customer", "demo-customer-secret")


class RscClient:
    """An ``httpx.Client`` on ``base_url`` (``.http``) plus emulator helpers; a context manager.

    ``sandbox``: a sandbox id (:mod:`mock_server.testing.sandboxes`), sent as ``X-RSC-Mock-Sandbox`` on every
    request so admin calls reach that sandbox; ``partner`` and ``customer``: the ``(client_id, client_secret)``
    the token helpers use by default (the demo tenant's unless given)."""

    def __init__(self, base_url: str, timeout: float = 30.0, sandbox: str | None = None,
                 partner: tuple[str, str] = DEMO_PARTNER, customer: tuple[str, str] = DEMO_CUSTOMER) -> None:
        self.base_url = base_url.rstrip("/")
        self.sandbox, self.partner, self.customer = sandbox, partner, customer
        headers = {SANDBOX_HEADER: sandbox} if sandbox else {}
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout, headers=headers)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> "RscClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- plain HTTP ---------------------------------------------------------------------------------

    def request(self, method: str, path: str, token: str | None = None, **kwargs) -> httpx.Response:
        """``method path`` relative to the base URL; ``token`` becomes the bearer ``Authorization`` header."""
        if token is not None:
            kwargs["headers"] = {**(kwargs.get("headers") or {}), "Authorization": f"Bearer {token}"}
        return self.http.request(method, path, **kwargs)

    def get(self, path: str, **kwargs) -> httpx.Response:
        """``GET``; see :meth:`request`."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        """``POST``; see :meth:`request`."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> httpx.Response:
        """``PUT``; see :meth:`request`."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs) -> httpx.Response:
        """``PATCH``; see :meth:`request`."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> httpx.Response:
        """``DELETE``; see :meth:`request`."""
        return self.request("DELETE", path, **kwargs)

    def tunnel(self, method: str, path: str, query: str, json: dict | None = None, token: str | None = None,
               headers: dict | None = None) -> httpx.Response:
        """``method path?query`` (with the JSON body ``json``) sent with query tunnelling — how a request whose
        query is over LinkedIn's 4 KB limit must travel (see :mod:`mock_server.testing.tunnel`)."""
        extra, content = tunnelled(method, query, json)
        return self.request("POST", path, token=token, headers={**(headers or {}), **extra}, content=content)

    def _admin(self, method: str, path: str, **kwargs):
        reply = self.http.request(method, "/_mock" + path, **kwargs)
        reply.raise_for_status()
        return reply.json() if reply.content else None

    # ---- tokens -------------------------------------------------------------------------------------

    def token(self, client_id: str, secret: str) -> str:
        """A 2-legged access token through the real ``POST /oauth/v2/accessToken`` (1800 s on the clock)."""
        reply = self.http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials",
                                                              "client_id": client_id, "client_secret": secret})
        reply.raise_for_status()
        return reply.json()["access_token"]

    def partner_token(self, client_id: str | None = None, secret: str | None = None) -> str:
        """A token of the partner (parent) application (``self.partner`` unless given): it may call
        ``provisionedApplications`` only."""
        return self.token(*((client_id, secret) if client_id else self.partner))

    def customer_token(self, client_id: str | None = None, secret: str | None = None) -> str:
        """A token of a customer (child) application, by default ``self.customer`` (the demo customer Acme)."""
        return self.token(*((client_id, secret) if client_id else self.customer))

    def member_token(self, member: str, client_id: str | None = None, scope: str | None = None,
                     expires_in: int | None = None) -> str:
        """A 3-legged token of ``member`` (``urn:li:person:<id>`` of the fixtures) for ``client_id`` (default
        ``self.customer``'s), minted by ``POST /_mock/tokens`` without the browser dance."""
        body = {"client_id": client_id or self.customer[0], "member": member, "scope": scope,
                "expires_in": expires_in}
        return self._admin("POST", "/tokens", json={k: v for k, v in body.items() if v is not None})["access_token"]

    # ---- state --------------------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the fixtures: store, clock, quotas, journal and fault rules (``POST /_mock/reset``)."""
        self._admin("POST", "/reset")

    def snapshot(self) -> dict:
        """The whole state as one JSON document (``GET /_mock/snapshot``)."""
        return self._admin("GET", "/snapshot")

    def restore(self, snapshot: dict) -> None:
        """Replace the whole state with ``snapshot`` (``PUT /_mock/snapshot``)."""
        self._admin("PUT", "/snapshot", json=snapshot)

    # ---- clock --------------------------------------------------------------------------------------

    def clock(self) -> dict:
        """``{"now": epoch ms, "offsetMs", "frozen"}``."""
        return self._admin("GET", "/clock")

    def now(self) -> int:
        """The emulator's time, epoch milliseconds."""
        return self.clock()["now"]

    def advance(self, seconds: float) -> int:
        """Move the emulator's clock by ``seconds``; returns the new time (epoch ms)."""
        return self._admin("POST", "/clock", json={"advance": seconds})["now"]

    def set_time(self, epoch_ms: int) -> int:
        """Jump the clock to ``epoch_ms``; returns it."""
        return self._admin("POST", "/clock", json={"set": epoch_ms})["now"]

    def freeze(self) -> int:
        """Stop the clock where it stands; returns that instant (epoch ms)."""
        return self._admin("POST", "/clock", json={"freeze": True})["now"]

    def unfreeze(self) -> int:
        """Let a frozen clock run again from where it stands."""
        return self._admin("POST", "/clock", json={"freeze": False})["now"]

    def real_time(self) -> int:
        """Back to real time: no offset, not frozen."""
        return self._admin("DELETE", "/clock")["now"]

    # ---- faults -------------------------------------------------------------------------------------

    def add_fault(self, match: dict | None = None, *, times: int | None = None, probability: float | None = None,
                  seed: int | None = None, **action) -> dict:
        """Add a fault rule (``POST /_mock/faults``); returns it with its ``id``.

        ``match``: any of ``method``, ``path`` (glob or prefix), ``resource``, ``restliMethod``,
        ``application`` (key or client id). ``action``: the fields of the rule's action, passed through as given
        (``None`` left out), so every fault type the emulator knows works (see
        :mod:`mock_server.harness.fault_actions`): ``status`` (+ ``body``, ``headers``; LinkedIn's error
        envelope by default), ``delay`` seconds (alone: then answered normally), ``drop=True`` (connection
        closed without a reply) or ``quota={"after": N, "retryAfter": s}`` (429 after N calls).
        """
        rule = {"match": match or {}, "action": {k: v for k, v in action.items() if v is not None},
                "times": times, "probability": probability, "seed": seed}
        return self._admin("POST", "/faults", json={k: v for k, v in rule.items() if v is not None})

    def faults(self) -> list[dict]:
        """Every fault rule, with ``hits`` and ``remaining``."""
        return self._admin("GET", "/faults")["faults"]

    def delete_fault(self, rule_id: str) -> None:
        """Remove one fault rule."""
        self._admin("DELETE", f"/faults/{rule_id}")

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._admin("DELETE", "/faults")

    # ---- journal and waits --------------------------------------------------------------------------

    def requests(self, **filters) -> list[dict]:
        """Journaled requests (oldest first) matching ``filters``: ``method``, ``path`` (glob or prefix),
        ``resource``, ``restliMethod``, ``status``, ``application``, ``since`` (epoch ms), ``limit``."""
        params = {k: v for k, v in filters.items() if v is not None}
        return self._admin("GET", "/requests", params=params)["requests"]

    def clear_requests(self) -> None:
        """Empty the journal."""
        self._admin("DELETE", "/requests")

    def wait_for_requests(self, count: int = 1, timeout: float = 10.0, **filters) -> list[dict]:
        """Block until ``count`` journaled requests match ``filters`` (see :meth:`requests`); returns them.
        Raises ``TimeoutError`` with what was seen after ``timeout`` seconds."""
        return self._wait("/requests/wait", {"filter": filters, "count": count, "timeout": timeout})["requests"]

    def wait_for_notification(self, filter: dict | None = None, timeout: float = 10.0) -> dict:
        """Block until a push notification matching ``filter`` has been delivered (by default; the filter's
        ``status`` says otherwise) and return it — ``POST /_mock/notifications/wait`` with ``{"filter",
        "timeout"}``. Filter fields: ``id``, ``type`` (``EXPORT_CANDIDATE_PROFILE``,
        ``INTEGRATION_STATUS_CHANGE``), ``application``, ``integrationContext``, ``status``, ``attempts``.
        Raises ``TimeoutError`` with what the emulator saw."""
        return self._wait("/notifications/wait", {"filter": filter or {}, "timeout": timeout})["notification"]

    def _wait(self, path: str, body: dict) -> dict:
        reply = self.http.post("/_mock" + path, json=body, timeout=body["timeout"] + 30)
        if reply.status_code == 408:
            raise TimeoutError(f"{path}: {reply.json().get('message')}: {reply.text}")
        reply.raise_for_status()
        return reply.json()
