"""One HTTP request as the test harness sees it, before the app runs: who is calling which resource how.

:func:`describe` reads an ASGI scope into a :class:`RequestInfo` (request id, method, path, query, masked
headers, Rest.li resource and method, calling application); its :meth:`~RequestInfo.fields` are what the
``match`` of a fault rule tests, and a journal entry has the same top-level fields
(:data:`mock_server.harness.criteria.REQUEST_CRITERIA`). Its headers are masked on the way in
(:mod:`mock_server.harness.masking`).
"""

from __future__ import annotations

import dataclasses
import uuid

from mock_server.harness.masking import masked_headers
from mock_server.restli.errors import RestliError
from mock_server.restli.methods import resolve_method
from mock_server.restli.paths import split_resource_path
from mock_server.restli.query import Query, split_query

REST_BASES = ("v2", "rest")


@dataclasses.dataclass
class RequestInfo:
    """A request before it is answered. ``resource``/``restli_method`` are ``None`` outside ``/v2`` and
    ``/rest`` (or when the method cannot be told); ``application`` is the caller's application key and
    ``client_id`` its client id, from the bearer token (``None`` when there is none or it is unknown)."""

    id: str
    method: str
    path: str
    query: str
    headers: dict[str, str]
    resource: str | None = None
    restli_method: str | None = None
    application: str | None = None
    client_id: str | None = None

    def fields(self) -> dict:
        """The matchable fields under their journal names."""
        return {"method": self.method, "path": self.path, "resource": self.resource,
                "restliMethod": self.restli_method, "application": self.application, "clientId": self.client_id}


def restli_route(method: str, path: str, query: str, headers: dict[str, str]) -> tuple[str | None, str | None]:
    """``(resource, Rest.li method)`` of a request under ``/v2`` or ``/rest``, read as the dispatcher reads
    it (names and keys alternate in the path; the method from ``X-RestLi-Method`` or verb and URL)."""
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] not in REST_BASES or not segments[1]:
        return None, None
    route = split_resource_path(segments[1:])
    params = Query(split_query(query))
    verb = (headers.get("x-http-method-override") or method).upper()
    try:
        restli_method = resolve_method(verb, headers.get("x-restli-method"), route.key is not None,
                                       params.has("ids") or params.has_prefix("ids["), params.has("q"),
                                       params.has("action"))
    except RestliError:
        restli_method = None
    return route.path, restli_method


def bearer_application(emulator, authorization: str | None) -> tuple[str | None, str | None]:
    """``(application key, client id)`` of the token in an ``Authorization: Bearer`` header, live or not."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None, None
    token = emulator.tokens.find(value.strip())
    return (token.application, token.client_id) if token else (None, None)


def describe(scope: dict, emulator) -> RequestInfo:
    """The :class:`RequestInfo` of an ASGI HTTP ``scope``, with a fresh request id (a UUID4)."""
    raw_headers = scope.get("headers", [])
    plain = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in raw_headers}
    path = scope.get("path", "/")
    query = scope.get("query_string", b"").decode("latin-1")
    info = RequestInfo(id=str(uuid.uuid4()), method=scope.get("method", "GET").upper(), path=path, query=query,
                       headers=masked_headers(raw_headers))
    info.resource, info.restli_method = restli_route(info.method, path, query, plain)
    info.application, info.client_id = bearer_application(emulator, plain.get("authorization"))
    return info
