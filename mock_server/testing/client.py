"""``RscClient``: an httpx client on a running emulator, with helpers for its admin API (``/_mock``).

::

    client = RscClient("http://127.0.0.1:8080")
    token = client.customer_token()                          # the world's customer, via the real token endpoint
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
from mock_server.tools.admin_url import checked_sandbox_id


class RscClient:
    """An ``httpx.Client`` on ``base_url`` (``.http``) plus emulator helpers; a context manager.

    ``sandbox``: a sandbox id (:mod:`mock_server.testing.sandboxes`), sent as ``X-RSC-Mock-Sandbox`` on every
    request so admin calls (and the token helpers' lookups of ``GET /_mock/applications``) reach that sandbox."""

    def __init__(self, base_url: str, timeout: float = 30.0, sandbox: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.sandbox = sandbox
        headers = {} if sandbox is None else {SANDBOX_HEADER: checked_sandbox_id(sandbox)}
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout, headers=headers)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def __enter__(self) -> RscClient:
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
        reply = checked(self.http.request(method, "/_mock" + path, **kwargs))
        return reply.json() if reply.content else None

    # ---- tokens -------------------------------------------------------------------------------------

    def applications(self) -> list[dict]:
        """The applications of the emulator's world with their credentials (``GET /_mock/applications``):
        ``[{"key", "kind": "parent" | "child", "clientId", "clientSecret", "name", "uniqueForeignId"?,
        "fixture": bool}]``."""
        return self._admin("GET", "/applications")["applications"]

    def credentials(self, kind: str, client_id: str | None = None) -> tuple[str, str]:
        """``(client id, secret)`` of the world's ``kind`` (``"parent"`` or ``"child"``) application: the one
        with ``client_id``, else the only one of the loaded fixtures. ``LookupError`` naming the candidates when
        there is none or more than one."""
        role = "partner (parent)" if kind == "parent" else "customer (child)"
        found = [app for app in self.applications() if app["kind"] == kind
                 and (app["clientId"] == client_id if client_id else app["fixture"])]
        if len(found) == 1:
            return found[0]["clientId"], found[0]["clientSecret"]
        known = ", ".join(app["clientId"] for app in self.applications() if app["kind"] == kind) or "none"
        if client_id:
            raise LookupError(f"the emulator has no {role} application with client id {client_id!r}"
                              f" ({role} applications: {known})")
        raise LookupError(f"the emulator's fixture world has {len(found) or 'no'} {role} applications"
                          f" ({known}): pass client_id= to say which")

    def token(self, client_id: str, secret: str) -> str:
        """A 2-legged access token through the real ``POST /oauth/v2/accessToken`` (1800 s on the clock)."""
        reply = self.http.post("/oauth/v2/accessToken", data={"grant_type": "client_credentials",
                                                              "client_id": client_id, "client_secret": secret})
        return checked(reply).json()["access_token"]

    def partner_token(self, client_id: str | None = None, secret: str | None = None) -> str:
        """A token of the partner (parent) application: it may call ``provisionedApplications`` only. Without
        arguments, the one partner application of the emulator's world (``demo-partner`` on the demo tenant);
        with ``client_id`` alone, its secret is looked up (:meth:`credentials`)."""
        return self.token(*((client_id, secret) if client_id and secret else self.credentials("parent", client_id)))

    def customer_token(self, client_id: str | None = None, secret: str | None = None) -> str:
        """A token of a customer (child) application. Without arguments, the one customer application of the
        emulator's fixture world (``demo-customer``, Acme, on the demo tenant; a world with several customers
        says which there are); with ``client_id`` alone, its secret is looked up (:meth:`credentials`)."""
        return self.token(*((client_id, secret) if client_id and secret else self.credentials("child", client_id)))

    def member_token(self, member: str, client_id: str | None = None, scope: str | None = None,
                     expires_in: int | None = None) -> str:
        """A 3-legged token of ``member`` (``urn:li:person:<id>`` of the fixtures) for customer application
        ``client_id`` (default: the world's one customer, as :meth:`customer_token`), minted by
        ``POST /_mock/tokens`` without the browser dance."""
        client_id = client_id or self.credentials("child")[0]
        body = {"client_id": client_id, "member": member, "scope": scope, "expires_in": expires_in}
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
        """Every journaled request (oldest first) matching ``filters``: ``method``, ``path`` (glob or prefix),
        ``resource``, ``restliMethod``, ``status``, ``application``, ``since`` (epoch ms); the journal's pages
        (``GET /_mock/requests``) are read one after the other."""
        params = {k: v for k, v in filters.items() if v is not None}
        found: list[dict] = []
        while True:
            page = self._admin("GET", "/requests", params=params)
            found += page["requests"]
            if page["next"] is None:
                return found
            params["after"] = page["next"]

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
        return checked(reply).json()


def checked(reply: httpx.Response) -> httpx.Response:
    """``reply`` when it is a success, else ``httpx.HTTPStatusError`` carrying the emulator's message (its error
    envelope's ``message``, or OAuth's ``error_description``)."""
    if reply.is_success:
        return reply
    try:
        body = reply.json()
        said = body.get("message") or body.get("error_description") or reply.text
    except ValueError:
        said = reply.text
    raise httpx.HTTPStatusError(f"{reply.request.method} {reply.request.url.path} answered {reply.status_code}:"
                                f" {said}", request=reply.request, response=reply)
