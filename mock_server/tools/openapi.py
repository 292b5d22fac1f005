"""An OpenAPI 3.1 document of everything the emulator serves, built from what is registered, never by hand.

* Rest.li resources (``app.state.dispatcher.resources``): per base (``/v2``, ``/rest``) a collection path
  (``/v2/atsCandidates``, ``/v2/atsCandidates/{parentKey}/notes``) and, for GET/UPDATE/PARTIAL_UPDATE/DELETE,
  an entity path (``…/{key}``). Rest.li puts several methods on one verb and path (BATCH_GET, FINDER and GET_ALL
  are all ``GET`` on the collection), so each operation lists its methods in ``x-restli-methods``, takes the
  union of their parameters (``ids``, ``q``, ``start``, ``count``, ``fields``, ``action``,
  ``X-RestLi-Method``) and offers their bodies and replies as ``anyOf``.
* Entity shapes are the JSON Schemas of :mod:`mock_server.schemas` (components, ``$ref`` rewritten), found by
  name from the resource path: ``atsCandidates`` → ``atsCandidate``, ``atsApplications/stages`` →
  ``atsApplicationStage`` or ``atsStage``; ``<name>.create`` for creates, ``<name>.body`` for update bodies,
  ``<name>.patch`` for ``$set``. A resource without a schema gets a plain object.
* Replies: the Rest.li envelopes (batch ``results``/``statuses``/``errors``, ``elements`` + ``paging``, batch
  create ``elements``) and LinkedIn's error envelope as ``default``.
* Every other route of the app (OAuth, ``/_mock`` admin, widget pages) with its endpoint's docstring.
"""

from __future__ import annotations

import copy
import datetime
import re

from starlette.routing import Mount, Route

from mock_server import __version__, schemas
from mock_server.api import versions
from mock_server.restli.dispatch import SINGLE_KEY_METHODS
from mock_server.restli.methods import VERB

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
REST_BASES = ("v2", "rest")
HEADER_METHODS = {"BATCH_CREATE", "BATCH_PARTIAL_UPDATE"}  # cannot be inferred: X-RestLi-Method required
SUCCESS = {"GET": "200", "BATCH_GET": "200", "FINDER": "200", "GET_ALL": "200", "CREATE": "201",
           "BATCH_CREATE": "200", "UPDATE": "204", "PARTIAL_UPDATE": "204", "DELETE": "204",
           "BATCH_UPDATE": "200", "BATCH_PARTIAL_UPDATE": "200", "BATCH_DELETE": "200", "ACTION": "200"}

ENVELOPES = {
    "RestliError": {
        "type": "object", "required": ["status", "message"],
        "description": "LinkedIn's error envelope (header X-RestLi-Error-Response: true)",
        "properties": {"status": {"type": "integer"}, "serviceErrorCode": {"type": "integer"},
                       "message": {"type": "string"}}},
    "OAuthError": {
        "type": "object", "required": ["error", "error_description"],
        "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}}},
    "Paging": {
        "type": "object", "required": ["start", "count"],
        "properties": {"start": {"type": "integer"}, "count": {"type": "integer"}, "total": {"type": "integer"},
                       "links": {"type": "array", "items": {"type": "object", "properties": {
                           "rel": {"type": "string"}, "href": {"type": "string"}, "type": {"type": "string"}}}}}},
    "BatchStatusResponse": {
        "type": "object", "description": "BATCH_UPDATE, BATCH_PARTIAL_UPDATE, BATCH_DELETE",
        "properties": {"results": {"type": "object", "additionalProperties": {
                           "type": "object", "properties": {"status": {"type": "integer"}}}},
                       "errors": {"type": "object",
                                  "additionalProperties": {"$ref": "#/components/schemas/RestliError"}}}},
    "BatchCreateResponse": {
        "type": "object", "required": ["elements"],
        "properties": {"elements": {"type": "array", "items": {"type": "object", "required": ["status"],
                       "properties": {"status": {"type": "integer"}, "id": {"type": "string"},
                                      "error": {"$ref": "#/components/schemas/RestliError"}}}}}},
    "ActionResponse": {"type": "object", "properties": {"value": {}}},
}


def build(app) -> dict:
    """The OpenAPI 3.1 document (a JSON-able dict) of the Starlette ``app`` built by ``create_app``."""
    emulator = app.state.emulator
    components = entity_components()
    paths: dict = {}
    for (base, _), resource in sorted(app.state.dispatcher.resources.items()):
        add_resource(paths, base, resource, components, emulator)
    for route in app.routes:
        add_route(paths, route)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "rsc-mock: LinkedIn Recruiter System Connect emulator", "version": __version__,
                 "description": "Rest.li resources under /v2 and /rest, LinkedIn's OAuth endpoints, and the"
                                " emulator's /_mock admin API. Generated from the registered resources and"
                                " the JSON Schemas."},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": {**components, **copy.deepcopy(ENVELOPES)},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "OAuth 2 access token"}}},
    }


# ---- entity schemas ---------------------------------------------------------------------------------------

def entity_components() -> dict:
    """Every request/entity schema of :mod:`mock_server.schemas` (fixture-file schemas left out), keyed by name,
    with ``$id``/``$schema`` dropped and ``$ref`` pointing into ``#/components/schemas``."""
    return {name: _rewrite(name, copy.deepcopy(schemas.load(name)))
            for name in schemas.names() if not name.startswith("fixture.")}


def _rewrite(name: str, node):
    if isinstance(node, list):
        return [_rewrite(name, item) for item in node]
    if not isinstance(node, dict):
        return node
    node.pop("$id", None)
    node.pop("$schema", None)
    for key, value in list(node.items()):
        if key == "$ref" and isinstance(value, str):
            target, _, pointer = value.partition("#")
            owner = target[:-len(".json")] if target.endswith(".json") else (target or name)
            node[key] = f"#/components/schemas/{owner}{pointer}"
        else:
            node[key] = _rewrite(name, value)
    return node


def _singular(word: str) -> str:
    match = re.fullmatch(r"(.*?)s(V\d+)", word)
    if match:
        return match.group(1) + match.group(2)
    return word[:-1] if word.endswith("s") else word


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def entity_schema_name(resource_path: str, known) -> str | None:
    """The schema name of a resource's entity (see the module docstring), or ``None``."""
    parts = resource_path.split("/")
    child = _singular(parts[-1])
    if len(parts) == 1:
        candidates = [child]
    else:
        parent = _singular(parts[0])
        prefix = re.sub(r"[^a-z].*", "", parent, flags=re.DOTALL)  # "ats" of "atsApplication"
        candidates = [parent + _cap(child), prefix + _cap(child), child]
    for candidate in candidates:
        for name in (candidate, candidate + ".create", candidate + ".body"):
            if name in known:
                return candidate
    return None


def _schema_ref(name: str | None, variant: str | None, known) -> dict:
    """A ``$ref`` to ``<name>.<variant>`` if there is one, else to ``<name>``, else a plain object."""
    if name and variant and f"{name}.{variant}" in known:
        return {"$ref": f"#/components/schemas/{name}.{variant}"}
    if name and name in known:
        return {"$ref": f"#/components/schemas/{name}"}
    return {"type": "object"}


# ---- Rest.li resources ------------------------------------------------------------------------------------

def add_resource(paths: dict, base: str, resource, components: dict, emulator) -> None:
    """Add the operations of one Rest.li ``resource`` served under ``/<base>``."""
    name = entity_schema_name(resource.path, components)
    names = resource.path.split("/")
    collection = f"/{base}/{names[0]}" + (f"/{{parentKey}}/{'/'.join(names[1:])}" if len(names) > 1 else "")
    groups: dict[tuple[str, str], list[str]] = {}
    for method in resource.methods:
        path = collection + "/{key}" if method in SINGLE_KEY_METHODS else collection
        groups.setdefault((path, VERB[method].lower()), []).append(method)
    for (path, verb), methods in groups.items():
        paths.setdefault(path, {})[verb] = _operation(base, resource, path, verb, methods, name, components,
                                                      emulator)


def _key_description(parts) -> str:
    if not parts:
        return "the entity's key"
    listed = ", ".join(parts)
    return (f"compound key ({listed}): protocol 2.0 `({parts[0]}:…,…)`, protocol 1.0 `{parts[0]}=…&…`,"
            " URNs %-encoded")


def _parameters(base: str, resource, path: str, methods: list[str], emulator) -> list[dict]:
    params = []
    if "{parentKey}" in path:
        params.append({"name": "parentKey", "in": "path", "required": True, "schema": {"type": "string"},
                       "description": "parent " + _key_description(resource.parent_key_parts)})
    if "{key}" in path:
        params.append({"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
                       "description": _key_description(resource.key_parts)})
    only = len(methods) == 1
    if any(m.startswith("BATCH_") and m != "BATCH_CREATE" for m in methods):
        params.append({"name": "ids", "in": "query", "required": only, "schema": {"type": "string"},
                       "description": "the keys: `List(k1,k2)` (2.0) or `ids=k1&ids=k2` / `ids[0].part=…` (1.0)"})
    if "FINDER" in methods:
        params.append({"name": "q", "in": "query", "required": only,
                       "schema": {"type": "string", "enum": sorted(resource.finders)},
                       "description": "the finder; its own parameters come along in the query"})
    if "FINDER" in methods or "GET_ALL" in methods:
        params += [{"name": "start", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                   {"name": "count", "in": "query", "schema": {"type": "integer", "minimum": 0}}]
    if any(m in ("GET", "BATCH_GET", "FINDER", "GET_ALL") for m in methods):
        params.append({"name": "fields", "in": "query", "schema": {"type": "string"},
                       "description": "projection, e.g. `id,name`"})
    if "ACTION" in methods:
        params.append({"name": "action", "in": "query", "required": only, "schema": {"type": "string"}})
    params.append({"name": "X-RestLi-Method", "in": "header",
                   "required": all(m in HEADER_METHODS for m in methods),
                   "schema": {"type": "string", "enum": methods}})
    params.append({"name": "X-RestLi-Protocol-Version", "in": "header",
                   "schema": {"type": "string", "enum": ["1.0.0", "2.0.0"]}})
    if base == "rest":
        now = datetime.datetime.fromtimestamp(emulator.clock.now_s(), datetime.timezone.utc)
        since = resource.policy.since or versions.OLDEST.name
        served = [v.name for v in versions.active(now.year * 100 + now.month, emulator.settings.oldest_version,
                                                  emulator.settings.latest_version) if v.at_least(since)]
        params.append({"name": "LinkedIn-Version", "in": "header", "required": True,
                       "schema": {"type": "string", "enum": served},
                       "description": f"the Talent API versions that have {resource.path} (from {since};"
                                      " mock_server/api/versions.py)"})
    return params


def _request_body(method: str, name: str | None, known) -> dict | None:
    entity, create, patch = (_schema_ref(name, v, known) for v in ("body", "create", "patch"))
    patch_doc = {"type": "object", "properties": {"patch": {"type": "object", "properties": {
        "$set": patch, "$delete": {"type": "array", "items": {"type": "string"}}}}}}
    return {
        "CREATE": create,
        "BATCH_CREATE": {"type": "object", "required": ["elements"],
                         "properties": {"elements": {"type": "array", "items": create}}},
        "UPDATE": entity,
        "BATCH_UPDATE": {"type": "object", "required": ["entities"],
                         "properties": {"entities": {"type": "object", "additionalProperties": entity}}},
        "PARTIAL_UPDATE": patch_doc,
        "BATCH_PARTIAL_UPDATE": {"type": "object", "required": ["entities"],
                                 "properties": {"entities": {"type": "object", "additionalProperties": patch_doc}}},
        "ACTION": {"type": "object"},
    }.get(method)


def _reply(method: str, name: str | None, known) -> dict | None:
    entity = _schema_ref(name, None, known)
    error = {"$ref": "#/components/schemas/RestliError"}
    return {
        "GET": entity,
        "BATCH_GET": {"type": "object", "properties": {
            "results": {"type": "object", "additionalProperties": entity},
            "statuses": {"type": "object", "additionalProperties": {"type": "integer"}},
            "errors": {"type": "object", "additionalProperties": error}}},
        "FINDER": {"type": "object", "required": ["elements"], "properties": {
            "elements": {"type": "array", "items": entity}, "paging": {"$ref": "#/components/schemas/Paging"}}},
        "BATCH_CREATE": {"$ref": "#/components/schemas/BatchCreateResponse"},
        "BATCH_UPDATE": {"$ref": "#/components/schemas/BatchStatusResponse"},
        "ACTION": {"$ref": "#/components/schemas/ActionResponse"},
    }.get({"GET_ALL": "FINDER", "BATCH_PARTIAL_UPDATE": "BATCH_UPDATE", "BATCH_DELETE": "BATCH_UPDATE"}
          .get(method, method))


def _any_of(shapes: list[dict]) -> dict:
    unique = [s for i, s in enumerate(shapes) if s not in shapes[:i]]
    return unique[0] if len(unique) == 1 else {"anyOf": unique}


def _operation(base, resource, path, verb, methods, name, known, emulator) -> dict:
    responses: dict = {}
    for method in methods:
        status = SUCCESS[method]
        shape = _reply(method, name, known)
        entry = responses.setdefault(status, {"description": " / ".join(
            m for m in methods if SUCCESS[m] == status), "shapes": []})
        if shape is not None:
            entry["shapes"].append(shape)
        if method == "CREATE":
            entry["headers"] = {"X-RestLi-Id": {"schema": {"type": "string"}, "description": "the new key"}}
    for entry in responses.values():
        shapes = entry.pop("shapes")
        if shapes:
            entry["content"] = {JSON: {"schema": _any_of(shapes)}}
    responses["default"] = {"description": "LinkedIn's error envelope",
                            "content": {JSON: {"schema": {"$ref": "#/components/schemas/RestliError"}}}}
    operation = {
        "operationId": _operation_id(verb, path),
        "summary": f"{resource.path}: {', '.join(methods)}",
        "tags": [resource.path.split("/")[0]],
        "x-restli-methods": methods,
        "parameters": _parameters(base, resource, path, methods, emulator),
        "responses": responses,
        "security": [{"bearer": []}],
    }
    bodies = [b for b in (_request_body(m, name, known) for m in methods) if b is not None]
    if bodies:
        operation["requestBody"] = {"required": True, "content": {JSON: {"schema": _any_of(bodies)}}}
    return operation


def _operation_id(verb: str, path: str) -> str:
    return verb + "_" + re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")


# ---- other routes -----------------------------------------------------------------------------------------

def add_route(paths: dict, route, prefix: str = "") -> None:
    """Add a non-Rest.li route of the app (Rest.li catch-alls under /v2 and /rest are skipped); a ``Mount`` of
    routes (the ``/_mock`` table) adds each of its routes under its prefix, a ``Mount`` of an app (static
    files) one path for everything under it."""
    if isinstance(route, Mount) and route.routes:
        for inner in route.routes:
            add_route(paths, inner, prefix + route.path)
        return
    if isinstance(route, Mount):
        path = prefix + route.path.rstrip("/") + "/{path}"
        methods, doc = ["GET"], f"files under {route.path}"
    elif isinstance(route, Route):
        path, methods = prefix + route.path, sorted(route.methods or ["GET"])
        doc = (route.endpoint.__doc__ or route.name or "").strip()
    else:
        return
    if path.split("/")[1] in REST_BASES:  # served per resource by add_resource
        return
    path = re.sub(r"\{(\w+):\w+\}", r"{\1}", path)
    names = re.findall(r"\{(\w+)\}", path)
    for method in methods:
        if method == "HEAD":
            continue
        verb = method.lower()
        operation = {
            "operationId": _operation_id(verb, path),
            "summary": doc.splitlines()[0] if doc else path,
            "description": doc,
            "tags": ["admin" if path.startswith("/_mock") else path.split("/")[1] or "root"],
            "parameters": [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}} for n in names],
            "responses": {"200": {"description": "OK (JSON, or an HTML page for the browser-facing routes)"},
                          "default": {"description": "an error: LinkedIn's envelope (RestliError), OAuth's"
                                                     " (OAuthError) or an HTML error page"}},
            "security": [],
        }
        if verb in ("post", "put", "patch"):
            operation["requestBody"] = {"required": False, "content": {
                JSON: {"schema": {"type": "object"}},
                "application/x-www-form-urlencoded": {"schema": {"type": "object",
                                                                 "additionalProperties": {"type": "string"}}}}}
        paths.setdefault(path, {})[verb] = operation
