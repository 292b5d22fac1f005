"""A small client of LinkedIn's RSC APIs, as an ATS writes one: 2-legged tokens kept until they expire,
Rest.li batch calls with LinkedIn's key encoding on ``/v2`` or on the versioned ``/rest`` family (with
``LinkedIn-Version``), query tunnelling for a query over LinkedIn's 4 KB limit (a batch of 100 compound keys),
a retry after ``Retry-After`` on 429 and a new token on an expired one.

Keys are written as LinkedIn's own Postman collection writes them (protocol 1.0: ``ids[0].atsCandidateId=…``
in the URL, ``atsCandidateId=…&dataProvider=ATS&integrationContext=…`` in the body). A finder pages until a
page holds fewer elements than asked for or ``start + count`` reaches ``paging.total`` (LinkedIn's ``count``
echoes the page size asked for, not what the page holds).
"""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import httpx

from mock_server.testing.tunnel import tunnelled

LINKEDIN_VERSION = "202604"   # the /rest calls' LinkedIn-Version
EXPIRED = 65601               # serviceErrorCode of an expired token
BATCH = 100                   # LinkedIn's limit per batch call
MAX_QUERY = 4096              # LinkedIn's limit on a URL's query string (longer: 414, so tunnel it)
PAGE = 50                     # finder page size


class LinkedInError(Exception):
    """LinkedIn refused a call: ``status`` and LinkedIn's ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


def key_string(key: dict) -> str:
    """A compound key as the body's ``entities`` map writes it: ``a=x&b=y``."""
    return "&".join(f"{name}={value}" for name, value in key.items())


def key_path(key: dict) -> str:
    """A compound key as a path segment (``atsCandidates/<key>/notes``)."""
    return "&".join(f"{name}={quote(value, safe=':')}" for name, value in key.items())


def ids_query(keys: list) -> str:
    """``ids[0].a=x&ids[0].b=y&…`` for compound keys, ``ids=x&ids=y`` for simple ones."""
    parts = []
    for index, key in enumerate(keys):
        if isinstance(key, dict):
            parts += [f"ids[{index}].{name}={quote(value, safe=':')}" for name, value in key.items()]
        else:
            parts.append(f"ids={quote(key, safe=':')}")
    return "&".join(parts)


class LinkedIn:
    """Calls to ``base_url`` (where both LinkedIn hosts are; the emulator in tests) with the credentials
    ``client_id`` / ``client_secret`` (a partner's or a customer's application)."""

    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.http = httpx.Client(base_url=base_url.rstrip("/"), timeout=30.0, trust_env=False)
        self.client_id, self.client_secret = client_id, client_secret
        self.token: str | None = None
        self.lock = threading.Lock()

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def access_token(self) -> str:
        """A 2-legged token (client credentials), fetched once and kept until LinkedIn says it expired."""
        with self.lock:
            if self.token is None:
                reply = self.http.post("/oauth/v2/accessToken", data={
                    "grant_type": "client_credentials", "client_id": self.client_id,
                    "client_secret": self.client_secret})
                if reply.status_code != 200:
                    raise LinkedInError(reply.status_code, reply.text)
                self.token = reply.json()["access_token"]
            return self.token

    def request(self, method: str, path: str, method_header: str | None = None, body=None, versioned: bool = False):
        """One call; the JSON answer (None for an empty one). A new token after 65601, a wait after 429
        (``Retry-After``), :class:`LinkedInError` for anything else that is not 2xx."""
        for _ in range(5):
            headers = {"Authorization": f"Bearer {self.access_token()}"}
            if method_header:
                headers["X-RestLi-Method"] = method_header
            if versioned:
                headers["LinkedIn-Version"] = LINKEDIN_VERSION
            target, _, query = path.partition("?")
            if len(query) > MAX_QUERY:
                extra, content = tunnelled(method, query, body)
                reply = self.http.request("POST", target, headers={**headers, **extra}, content=content)
            else:
                reply = self.http.request(method, path, headers=headers, json=body)
            if reply.status_code == 401 and error_code(reply) == EXPIRED:
                with self.lock:
                    self.token = None
                continue
            if reply.status_code == 429:
                time.sleep(min(float(reply.headers.get("Retry-After", "1")), 5.0))
                continue
            if not 200 <= reply.status_code < 300:
                raise LinkedInError(reply.status_code, message(reply))
            return reply.json() if reply.content else None
        raise LinkedInError(reply.status_code, message(reply))

    # ---- Rest.li shapes ------------------------------------------------------------------------------------

    def batch_update(self, resource: str, items: list[tuple], versioned: bool = False) -> dict:
        """BATCH_UPDATE ``[(key dict or simple key, entity)]`` in batches of 100 (under ``/rest`` with
        LinkedIn-Version when ``versioned``); ``{key string: error}`` of the entities LinkedIn refused."""
        refused = {}
        for start in range(0, len(items), BATCH):
            chunk = items[start:start + BATCH]
            keys = [key for key, _ in chunk]
            body = {"entities": {key_string(key) if isinstance(key, dict) else key: entity for key, entity in chunk}}
            reply = self.request("PUT", f"{base_of(versioned)}/{resource}?{ids_query(keys)}", "BATCH_UPDATE", body,
                                 versioned)
            refused.update((reply or {}).get("errors") or {})
        return refused

    def batch_get(self, resource: str, keys: list, versioned: bool = False) -> dict:
        """BATCH_GET: ``{key string: entity}`` of the keys LinkedIn has."""
        found = {}
        for start in range(0, len(keys), BATCH):
            reply = self.request("GET", f"{base_of(versioned)}/{resource}?{ids_query(keys[start:start + BATCH])}",
                                 versioned=versioned)
            found.update((reply or {}).get("results") or {})
        return found

    def batch_delete(self, resource: str, keys: list, versioned: bool = False) -> None:
        """BATCH_DELETE (a key LinkedIn no longer has is not an error)."""
        for start in range(0, len(keys), BATCH):
            self.request("DELETE", f"{base_of(versioned)}/{resource}?{ids_query(keys[start:start + BATCH])}",
                         "BATCH_DELETE", versioned=versioned)

    def finder(self, resource: str, query: str, versioned: bool = False) -> list[dict]:
        """A FINDER's ``elements`` (all pages), under ``/rest`` with LinkedIn-Version when ``versioned``."""
        found, start = [], 0
        while True:
            reply = self.request("GET", f"{base_of(versioned)}/{resource}?{query}&start={start}&count={PAGE}",
                                 versioned=versioned) or {}
            elements = reply.get("elements", [])
            found += elements
            total = (reply.get("paging") or {}).get("total")
            start += PAGE
            if len(elements) < PAGE or (total is not None and start >= total):
                return found


def base_of(versioned: bool) -> str:
    """``/rest`` (the versioned family) or ``/v2``."""
    return "/rest" if versioned else "/v2"


def error_code(reply: httpx.Response) -> int | None:
    """``serviceErrorCode`` of an error reply."""
    try:
        return reply.json().get("serviceErrorCode")
    except ValueError:
        return None


def message(reply: httpx.Response) -> str:
    """LinkedIn's error ``message``, else the reply's text."""
    try:
        return str(reply.json().get("message", reply.text))
    except ValueError:
        return reply.text[:300]
