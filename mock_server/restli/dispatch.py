"""From an HTTP request to a Rest.li reply: path and keys, method, body, the handler, the envelope.

:class:`Dispatcher` holds the resources; ``await dispatcher.handle(request, base, context_factory)`` answers a
Starlette request under ``/<base>/...``. Every problem is a :class:`RestliError` rendered by
:func:`error_response`; an exception escaping a handler becomes a 500 with the same envelope.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError, json_type, shown
from mock_server.restli.headers import BASELINE, check_single_valued, echoed, protocol_of
from mock_server.restli.jsonbody import parse_object
from mock_server.restli.limits import check_length_header, check_url_length
from mock_server.restli.methods import resolve_method
from mock_server.restli.paging import Page, paging_block, read_page
from mock_server.restli.paths import split_resource_path
from mock_server.restli.projection import Projection, parse_fields, project
from mock_server.restli.query import Query, split_query
from mock_server.restli.render import error_response, json_body
from mock_server.restli.resource import Call, Created, PagedResult, Resource
from mock_server.restli.tunnel import untunnel

log = logging.getLogger("rsc_mock.restli")

BODY_METHODS = {"CREATE", "BATCH_CREATE", "UPDATE", "BATCH_UPDATE", "PARTIAL_UPDATE", "BATCH_PARTIAL_UPDATE",
                "ACTION"}
BATCH_KEY_METHODS = {"BATCH_GET", "BATCH_UPDATE", "BATCH_PARTIAL_UPDATE", "BATCH_DELETE"}
SINGLE_KEY_METHODS = {"GET", "UPDATE", "PARTIAL_UPDATE", "DELETE"}
READ_METHODS = {"GET", "BATCH_GET", "FINDER", "GET_ALL"}


class Dispatcher:
    """The resources served under one or more base paths, keyed by ``(base, path)``.

    ``register(resource, bases=("v2", "rest"))`` adds a resource; a later registration for one base
    replaces that base's entry (``/rest/atsApplications`` has its own key shape).
    ``authorize`` (the application's gate: auth, access rules, quotas) is called, and awaited when it returns
    an awaitable, with each parsed :class:`Call` before its handler runs. The size of request bodies is bounded
    by the server around it (the harness answers 413 on every route).
    """

    def __init__(self, authorize: Callable[[Call], Awaitable[None] | None] | None = None) -> None:
        self.resources: dict[tuple[str, str], Resource] = {}
        self.authorize = authorize

    def register(self, resource: Resource, bases: tuple[str, ...] = ("v2", "rest")) -> None:
        """Serve ``resource`` under each of ``bases``."""
        for base in bases:
            self.resources[(base, resource.path)] = resource

    def lookup(self, base: str, path: str) -> Resource | None:
        """The resource at ``/<base>/<path>`` (``path`` without keys, e.g. ``atsCandidates/notes``)."""
        return self.resources.get((base, path))

    async def handle(self, request: Request, base: str, context: Any) -> Response:
        """Answer ``request`` (whose path starts with ``/<base>/``). ``context`` is attached to the call."""
        protocol_header = request.headers.get("x-restli-protocol-version")
        echo = BASELINE
        try:
            check_single_valued(request.headers.keys())
            protocol = protocol_of(protocol_header)
            echo = echoed(protocol_header)
            call = await self._parse(request, base, protocol, context)
            if self.authorize is not None:
                outcome = self.authorize(call)
                if inspect.isawaitable(outcome):
                    await outcome
            response = await self._run(call)
        except RestliError as error:
            return error_response(error, echo)
        except Exception:  # a defect in a handler: still LinkedIn's envelope, never a bare traceback
            log.exception("unhandled error in %s %s", request.method, request.url.path)
            return error_response(RestliError(500, "Internal Server Error"), echo)
        response.headers["X-RestLi-Protocol-Version"] = echo
        return response

    # ---- parsing -------------------------------------------------------------------------------------

    async def _parse(self, request: Request, base: str, protocol: int, context: Any) -> Call:
        verb = request.method.upper()
        raw_query = request.scope.get("query_string", b"").decode("latin-1")
        raw_path = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1").split("?")[0]
        check_url_length(raw_path, raw_query)
        check_length_header(verb, request.headers)
        body = await request.body() if _has_body(request.headers) else b""
        override = request.headers.get("x-http-method-override")
        if override:
            if verb != "POST":
                raise RestliError(400, "X-HTTP-Method-Override is only accepted on POST")
            tunneled_query, body = untunnel(request.headers.get("content-type", ""), body)
            raw_query = "&".join(q for q in (raw_query, tunneled_query) if q)
            verb = override.strip().upper()
        query = Query(split_query(raw_query))

        segments = raw_path.strip("/").split("/")[1:]
        if not segments or segments[0] == "":
            raise RestliError(404, f"Resource does not exist: no resource named after /{base}/")
        route = split_resource_path(segments)
        path = route.path
        resource = self.lookup(base, path)
        if resource is None:
            raise RestliError(404, f"Resource {path} does not exist")
        parent_key = None
        key_text = route.key
        url_path = f"/{base}/{path}"
        if route.is_sub_resource:  # the parent key sits between the names
            if route.parent_key is None:
                raise RestliError(400, f"Missing the key of the parent resource in /{base}/{path}")
            parent_key = keycodec.parse_key(route.parent_key, resource.parent_key_parts)
            url_path = f"/{base}/{route.names[0]}/{route.parent_key}/{'/'.join(route.names[1:])}"

        has_ids = query.has("ids") or query.has_prefix("ids[")
        method = resolve_method(verb, request.headers.get("x-restli-method"), key_text is not None, has_ids,
                                query.has("q"), query.has("action"))
        if resource.simple and method == "GET_ALL":
            method = "GET"  # a simple resource has one entity and no key
        if method == "CREATE" and "CREATE" not in resource.handlers and "BATCH_CREATE" in resource.handlers:
            if resource.missing_batch_create_header is not None:
                raise resource.missing_batch_create_header()
            raise RestliError(400, f"{path} takes BATCH_CREATE: send the header X-RestLi-Method: BATCH_CREATE")
        if method == "FINDER":
            finder = query.require("q")
            if finder not in resource.finders:
                known = ", ".join(sorted(resource.finders)) or "none"
                raise RestliError(400, f"Unknown finder q={finder} on {path} (finders: {known})")
        elif method not in resource.handlers:
            raise RestliError(405, f"Method {method} is not supported by resource {path}"
                                   f" (supported: {', '.join(resource.methods)})")

        call = Call(resource=resource, method=method, protocol=protocol, base=base, path=f"/{base}/{path}",
                    query=query, headers=request.headers, parent_key=parent_key, context=context,
                    url_path=url_path)
        if method in SINGLE_KEY_METHODS and not resource.simple:
            if key_text is None:
                raise RestliError(400, f"{method} needs the key of the entity in the path: /{base}/{path}/<key>")
            call.key = keycodec.parse_key(key_text, resource.key_parts)
        elif key_text is not None:
            raise RestliError(400, f"{method} takes no key in the path")
        batch = keycodec.BatchKeys()
        if method in BATCH_KEY_METHODS:
            batch = keycodec.read_ids(query.pairs, resource.key_parts)
            if not batch.keys:
                raise RestliError(400, f"{method} needs the keys in the ids query parameter")
            if len(batch.keys) > resource.max_batch:
                raise RestliError(400, f"Too many entities in one call: {len(batch.keys)}"
                                       f" (at most {resource.max_batch})")
            seen: dict[str, keycodec.Key] = {}
            for canonical, key in batch.keys:  # a repeated key counts once, where it first appears
                seen.setdefault(canonical, key)
            call.keys = list(seen.items())
        if method == "FINDER":
            call.finder = query.require("q")
            spec = resource.finders[call.finder]
            call.page = read_page(query, spec.default_count, spec.max_count, spec.require_start)
        elif method == "GET_ALL":
            call.page = read_page(query)
        if method == "ACTION":
            call.action = query.require("action")
        if method in READ_METHODS:  # before the handler runs: a bad projection is the caller's 400
            call.fields = parse_fields(query.get("fields"))
        if method == "ACTION" and not body.strip():
            call.body = {}  # an action without parameters may come without a body
        elif method in BODY_METHODS:
            call.body = self._json(body)
            self._shape_body(call, batch.texts)
        return call

    @staticmethod
    def _json(body: bytes) -> dict[str, Any]:
        if not body.strip():
            raise RestliError(400, "The request body is empty: a JSON object was expected")
        return parse_object(body)

    def _shape_body(self, call: Call, texts: dict[str, keycodec.ReadKey]) -> None:
        """Check the body of a batch call; ``texts``: the keys of the URL by the text they were written in (a body
        key written the same way is not read again)."""
        body = call.body
        if call.method == "BATCH_CREATE":
            elements = body.get("elements")
            if not isinstance(elements, list):
                raise RestliError(400, "BATCH_CREATE body must be {\"elements\": [...]}")
            if len(elements) > call.resource.max_batch:
                raise RestliError(400, f"Too many entities in one call: {len(elements)}"
                                       f" (at most {call.resource.max_batch})")
            for index, element in enumerate(elements):
                if not isinstance(element, dict):
                    raise RestliError(400, f"BATCH_CREATE elements[{index}] must be a JSON object,"
                                           f" not {json_type(element)}")
        if call.method in ("BATCH_UPDATE", "BATCH_PARTIAL_UPDATE"):
            entities = body.get("entities")
            if not isinstance(entities, dict):
                raise RestliError(400, f"{call.method} body must be {{\"entities\": {{<key>: ...}}}}")
            wanted = dict(call.keys)
            given: dict[str, tuple[keycodec.Key, dict[str, Any]]] = {}
            parts = call.resource.key_parts
            for text, value in entities.items():
                canonical, key = texts.get(text) or keycodec.read_key(text, parts)
                if canonical not in wanted:
                    raise RestliError(400, f"Key {shown(text)} in the body's entities is not among the ids of the URL")
                if canonical in given:
                    raise RestliError(400, f"Key {shown(text)} appears twice in the body's entities")
                if not isinstance(value, dict):
                    raise RestliError(400, f"The entity for key {shown(text)} must be a JSON object,"
                                           f" not {json_type(value)}")
                given[canonical] = (key, value)
            missing = [keycodec.format_key(wanted[c], call.protocol) for c in wanted if c not in given]
            if missing:
                raise RestliError(400, f"The body's entities lack the key(s) given in ids: {', '.join(missing)}")
            call.entities = [(c, given[c][0], given[c][1]) for c in wanted]

    # ---- running and replying ------------------------------------------------------------------------

    async def _run(self, call: Call) -> Response:
        if call.method == "FINDER" and call.finder is not None:  # _parse sets the finder of every FINDER
            handler = call.resource.finders[call.finder].handler
        else:
            handler = call.resource.handlers[call.method]
        result = handler(call)
        if inspect.isawaitable(result):
            result = await result
        fields = call.fields
        method = call.method
        if method == "GET":
            return _json(project(result, fields))
        if method == "BATCH_GET":
            return _json(self._batch_get(call, result, fields))
        if method in ("FINDER", "GET_ALL"):
            return _json(self._collection(call, result, fields))
        if method == "CREATE":
            return self._created(call, result)
        if method == "BATCH_CREATE":
            return _json({"elements": [self._created_element(call, item) for item in result]})
        if method in ("BATCH_UPDATE", "BATCH_PARTIAL_UPDATE", "BATCH_DELETE"):
            return _json(self._batch_status(call, result))
        if method == "ACTION":
            return _json({"value": result})
        return Response(status_code=204)

    @staticmethod
    def _labels(call: Call) -> Callable[[str], str]:
        """The reply key of each canonical key of ``call``'s result: a key of the call as the caller's protocol
        writes it (a 2.0 compound key is its canonical string), a key the handler added decoded from its
        canonical (2.0) form and written the same way."""
        known = dict(call.keys)
        protocol = call.protocol

        def label(canonical: str) -> str:
            key = known.get(canonical)
            if key is not None:
                return keycodec.format_key(key, protocol)
            try:
                decoded = keycodec.decode_value(canonical)
            except keycodec.DecodeError:
                return canonical
            if isinstance(decoded, str) or keycodec.is_compound(decoded):
                return keycodec.format_key(decoded, protocol)
            return canonical
        return label

    def _batch_get(self, call: Call, result: dict[str, Any], fields: Projection | None) -> dict[str, Any]:
        """``{"results", "statuses", "errors"}``. As Rest.li's ``BatchGetResponseBuilder`` fills them for a
        resource that returns a plain map: ``statuses`` holds only the errors' statuses (LinkedIn's task-status
        sample shows ``"statuses": {}`` beside its results)."""
        results: dict[str, Any] = {}
        statuses: dict[str, int] = {}
        errors: dict[str, dict[str, Any]] = {}
        result = dict(result)
        for canonical, _ in call.keys:  # Rest.li reports a key the resource did not return as a 404
            if canonical not in result:
                result[canonical] = RestliError(404, "Not Found")
        labels = self._labels(call)
        for canonical, value in result.items():
            label = labels(canonical)
            if isinstance(value, RestliError):
                errors[label] = value.body()
                statuses[label] = value.status
            else:
                results[label] = project(value, fields)
        return {"results": results, "statuses": statuses, "errors": errors}

    def _batch_status(self, call: Call, result: dict[str, int | RestliError]) -> dict[str, Any]:
        results: dict[str, dict[str, int]] = {}
        errors: dict[str, dict[str, Any]] = {}
        labels = self._labels(call)
        for canonical, value in result.items():
            label = labels(canonical)
            if isinstance(value, RestliError):
                errors[label] = value.body()
            else:
                results[label] = {"status": value}
        return {"results": results, "errors": errors}

    def _collection(self, call: Call, result: PagedResult | list[dict[str, Any]],
                    fields: Projection | None) -> dict[str, Any]:
        page: Page = call.page or Page()
        if isinstance(result, PagedResult):
            elements, total = result.elements, result.total
        else:
            total = len(result)
            elements = result[page.start:page.start + page.count]
        return {"elements": project(elements, fields),
                "paging": paging_block(page, len(elements), total, call.url_path or call.path, call.query)}

    def _created(self, call: Call, created: Created) -> Response:
        label = _header_value(keycodec.format_key(created.key, call.protocol))
        location = f"{call.url_path or call.path}/{keycodec.url_key(created.key, call.protocol)}"
        headers = {"X-RestLi-Id": label, "X-LinkedIn-Id": label, "Location": location}
        if created.entity is None:
            return Response(status_code=created.status, headers=headers)
        return _json(created.entity, created.status, headers)

    def _created_element(self, call: Call, item: Created | RestliError) -> dict[str, Any]:
        if isinstance(item, RestliError):
            return {"status": item.status, "error": item.body()}
        return {"status": item.status, "id": keycodec.format_key(item.key, call.protocol)}


def _has_body(headers: Mapping[str, str]) -> bool:
    """Whether a request has a body to read: it names a ``Transfer-Encoding`` or a ``Content-Length`` other than
    0 (without either, an HTTP/1.1 request's body is empty: RFC 9112 section 6.3)."""
    length = headers.get("content-length")
    return "transfer-encoding" in headers or (length is not None and length.strip() != "0")


def _header_value(text: str) -> str:
    """``text`` fit for an HTTP header (latin-1 only): characters outside printable ASCII are %-encoded as
    UTF-8, which the key parsers decode (``%`` itself is already escaped in every key form)."""
    return "".join(c if " " <= c <= "~" else quote(c, safe="") for c in text)


def _json(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json_body(value), status_code=status, headers=headers,
                    media_type="application/json")
