"""One HTTP request as the test harness sees it, before the app runs: who is calling which resource how.

:func:`describe` reads an ASGI scope into a :class:`RequestInfo` (request id, method, path, query, masked
headers, Rest.li resource and method, calling application). :func:`matches` tests such a description (or a
journal entry, which has the same top-level fields) against criteria — the ``match`` of a fault rule, the
filters of the request journal — and :func:`parse_criteria` reads criteria from admin input.

Criteria: ``method`` (case-insensitive), ``path`` (a glob when it holds ``*``, ``?`` or ``[``, else a
prefix), ``resource`` (``atsCandidates``, ``atsCandidates/notes``), ``restliMethod`` (``BATCH_CREATE``…,
case-insensitive), ``application`` (application key or client id), ``status`` (``429`` or a class ``4xx``),
``since`` (epoch ms on the emulator's clock, inclusive).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import uuid
from urllib.parse import parse_qsl

from mock_server.restli.errors import RestliError
from mock_server.restli.integers import numeric
from mock_server.restli.methods import resolve_method
from mock_server.restli.paths import split_resource_path
from mock_server.restli.query import Query, split_query

REST_BASES = ("v2", "rest")
SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
SECRET_FORM_FIELDS = {"client_secret", "refresh_token", "code"}
STRING_CRITERIA = ("method", "path", "resource", "restliMethod", "application")


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


def mask(value: str) -> str:
    """A secret shown by its last four characters only: ``Bearer AQV…xyz1`` → ``Bearer ****xyz1``."""
    scheme, space, secret = value.partition(" ")
    if not space:
        scheme, secret = "", value
    shown = secret[-4:] if len(secret) > 12 else ""
    return f"{scheme}{space}****{shown}"


def masked_headers(raw_headers) -> dict[str, str]:
    """ASGI ``[(name bytes, value bytes)]`` → ``{lower-case name: value}`` with secrets masked (repeated
    headers joined with ``", "``)."""
    headers: dict[str, str] = {}
    for name_bytes, value_bytes in raw_headers:
        name, value = name_bytes.decode("latin-1").lower(), value_bytes.decode("latin-1")
        if name in SECRET_HEADERS:
            value = mask(value)
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def masked_form(body: str) -> str:
    """A urlencoded body with ``client_secret``, ``refresh_token`` and ``code`` masked."""
    pairs = parse_qsl(body, keep_blank_values=True)
    if not pairs or not any(name in SECRET_FORM_FIELDS for name, _ in pairs):
        return body
    return "&".join(f"{name}={mask(value) if name in SECRET_FORM_FIELDS else value}" for name, value in pairs)


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
    info = RequestInfo(id=str(uuid.uuid4()), method=scope.get("method", "GET").upper(), path=path,
                       query=masked_form(query), headers=masked_headers(raw_headers))  # secrets sent in a URL too
    info.resource, info.restli_method = restli_route(info.method, path, query, plain)
    info.application, info.client_id = bearer_application(emulator, plain.get("authorization"))
    return info


def _status_matches(status, wanted) -> bool:
    if status is None:
        return False
    if isinstance(wanted, int):
        return status == wanted
    return str(status)[0] == wanted[0]


def matches(fields: dict, criteria: dict) -> bool:
    """True when the request ``fields`` (see :meth:`RequestInfo.fields`, or a journal entry) meet every
    criterion (see the module docstring). ``criteria`` has been through :func:`parse_criteria`."""
    for name, wanted in criteria.items():
        if name == "method" or name == "restliMethod":
            if (fields.get(name) or "").upper() != wanted.upper():
                return False
        elif name == "path":
            path = fields.get("path") or ""
            glob = any(c in wanted for c in "*?[")
            if not (fnmatch.fnmatchcase(path, wanted) if glob else path.startswith(wanted)):
                return False
        elif name == "application":
            if wanted not in (fields.get("application"), fields.get("clientId")):
                return False
        elif name == "status":
            if not _status_matches(fields.get("status"), wanted):
                return False
        elif name == "since":
            if (fields.get("at") or 0) < wanted:
                return False
        elif fields.get(name) != wanted:
            return False
    return True


def parse_criteria(raw, allowed: tuple[str, ...], where: str) -> dict:
    """Criteria from admin input (a JSON object, or query parameters whose values are strings), checked:
    only ``allowed`` names, strings where strings go, ``status`` an integer or ``Nxx``, ``since`` an integer.
    Raises :class:`RestliError` 400 ``ERROR :: /<where>/<name> :: <reason>``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RestliError(400, f"ERROR :: /{where} :: must be a JSON object")
    criteria = {}
    for name, value in raw.items():
        if name not in allowed:
            raise RestliError(400, f"ERROR :: /{where}/{name} :: unknown criterion (known: {', '.join(allowed)})")
        if value is None:
            continue
        if name in STRING_CRITERIA:
            if not isinstance(value, str) or not value:
                raise RestliError(400, f"ERROR :: /{where}/{name} :: must be a non-empty string")
        elif name == "status":
            value = _status_value(value, where)
        else:
            value = numeric(value, signed=True)
        if name == "since" and (not isinstance(value, int) or isinstance(value, bool)):
            raise RestliError(400, f"ERROR :: /{where}/since :: must be an integer (epoch milliseconds)")
        criteria[name] = value
    return criteria


def _status_value(value, where: str):
    value = numeric(value)
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return value
    if isinstance(value, str) and len(value) == 3 and value[0] in "12345" and value[1:].lower() == "xx":
        return value.lower()
    raise RestliError(400, f"ERROR :: /{where}/status :: must be an HTTP status (e.g. 429) or a class (e.g. 4xx)")
