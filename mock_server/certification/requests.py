"""Reading journaled requests (``/_mock/requests`` entries, :mod:`mock_server.harness.journal`) the way the
emulator read them: the batch keys of a call, the parent key of a sub-resource call, query parameters, the
JSON bodies, and which keys of a batch the reply accepted.

:func:`normalised` first turns an entry into the form graders read: a tunnelled call (``X-HTTP-Method-Override``,
its query in the body) with its query and JSON body where a plain call has them, and a call of a versioned record
resource (``rest/candidates``, ``rest/integrations`` …, the tables of :mod:`mock_server.domain.renames`) under
its v2 resource name, so the other functions give v2 keys (``atsCandidateId``, ``dataProvider``) and v2 field
names whichever family the integration used.

Keys go through the Rest.li key codec (:mod:`mock_server.restli.keys`), so a key written in protocol 1.0 or 2.0,
raw or %-encoded, reads the same. A request the journal holds only in part (a truncated body) or that the
emulator refused reads as having no keys.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote

from mock_server.domain import renames
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.restli.methods import resolve_method
from mock_server.restli.paths import split_resource_path
from mock_server.restli.query import Query, split_query
from mock_server.restli.tunnel import untunnel

CANDIDATE_KEY = ("atsCandidateId", "dataProvider", "integrationContext")
APPLICATION_KEY = ("atsJobApplicationId", "dataProvider", "integrationContext")
ACL_KEY = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "atsEntityId")
ASSIGNEE_KEY = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "assignee")
# versioned record resources (not sub-records) whose calls read as their v2 resource's
VERSIONED = {table.rest: table for table in (renames.CANDIDATES, renames.APPLICATIONS, renames.INTEGRATIONS,
                                             renames.ENTITY_ACLS, renames.ENTITY_ACL_ASSIGNEES)}
V2_OF_VERSIONED = {table.v2 for table in VERSIONED.values()}


def base(entry: dict) -> str | None:
    """``v2`` or ``rest`` (the first path segment), else None."""
    first = entry.get("path", "").strip("/").split("/")[0]
    return first if first in ("v2", "rest") else None


def normalised(entry: dict) -> dict:
    """``entry`` as graders read it (see the module docstring): a copy whose ``query``, ``request.body`` and
    ``restliMethod`` are those the emulator acted on for a tunnelled call, and whose ``resource`` is the v2 name
    of a versioned record resource (the versioned name kept as ``versionedResource``). Other entries are
    returned as they are."""
    request = entry.get("request", {})
    override = request.get("headers", {}).get("x-http-method-override")
    if override and not request.get("bodyTruncated"):
        entry = untunnelled(entry, override)
    if base(entry) == "rest" and entry.get("resource") in VERSIONED:
        entry = {**entry, "resource": VERSIONED[entry["resource"]].v2, "versionedResource": entry["resource"]}
    return entry


def untunnelled(entry: dict, override: str) -> dict:
    """A tunnelled call's entry with the query and JSON body its body carried, and its Rest.li method read
    from them; the entry as it is when its body is not a tunnelled one."""
    request = entry["request"]
    try:
        query, body = untunnel(request.get("headers", {}).get("content-type", ""),
                               (request.get("body") or "").encode("utf-8"))
    except RestliError:
        return entry
    joined = "&".join(part for part in (entry.get("query", ""), query) if part)
    params = Query(split_query(joined))
    route = split_resource_path(entry.get("path", "").strip("/").split("/")[1:])
    method: str | None
    try:
        method = resolve_method(override.upper(), request.get("headers", {}).get("x-restli-method"),
                                route.key is not None, params.has("ids") or params.has_prefix("ids["),
                                params.has("q"), params.has("action"))
    except RestliError:
        method = entry.get("restliMethod")
    return {**entry, "query": joined, "restliMethod": method,
            "request": {**request, "body": body.decode("utf-8", "replace")}}


def versioned_table(entry: dict) -> renames.Renames | None:
    """The rename table of a (normalised) call of a versioned record resource, else None."""
    return VERSIONED.get(entry.get("versionedResource") or "")


def v2_key(entry: dict, key):
    """A key read from ``entry`` as the v2 resource writes it."""
    table = versioned_table(entry)
    return table.key_to_v2(key)[0] if table is not None and isinstance(key, dict) else key


def v2_entity(entry: dict, entity):
    """An entity of ``entry``'s body under its v2 field names (as written when its version has no such
    field)."""
    table = versioned_table(entry)
    version = entry.get("request", {}).get("headers", {}).get("linkedin-version", "")
    if table is None or not isinstance(entity, dict) or not version[:6].isdigit():
        return entity
    try:
        return table.request_to_v2(entity, int(version[:6]))
    except RestliError:
        return entity


def key_parts(entry: dict, parts: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """The key parts ``entry`` writes for the v2 key ``parts``: the versioned key's for a versioned call."""
    table = versioned_table(entry)
    return table.key_parts if table is not None and parts else parts


def batch_keys(entry: dict, parts: tuple[str, ...] | None) -> list:
    """The ``ids`` of a batch call, in request order (compound keys as dicts with ``dataProvider``, simple
    keys as strings); ``[]`` when they cannot be read."""
    try:
        found = keycodec.parse_ids(split_query(entry.get("query", "")), key_parts(entry, parts))
    except RestliError:
        return []
    return [v2_key(entry, key) for key in found]


def parent_key(entry: dict, parts: tuple[str, ...]) -> dict | None:
    """The parent key in the path of a sub-resource call (``atsCandidates/<key>/notes``), or None."""
    segments = entry.get("path", "").strip("/").split("/")[1:]
    route = split_resource_path(segments)
    if not route.parent_key:
        return None
    try:
        return v2_key(entry, keycodec.parse_key(route.parent_key, key_parts(entry, parts)))
    except RestliError:
        return None


def query_value(entry: dict, name: str) -> str | None:
    """The first value of query parameter ``name`` (%-decoded), or None."""
    for raw_name, raw_value in split_query(entry.get("query", "")):
        if unquote(raw_name) == name:
            return unquote(raw_value)
    return None


def form_value(entry: dict, name: str) -> str | None:
    """The first value of field ``name`` of an urlencoded request body, or None (absent, truncated)."""
    request = entry.get("request", {})
    if request.get("bodyTruncated"):
        return None
    return next((value for field, value in parse_qsl(request.get("body") or "") if field == name), None)


def _json(part: dict) -> Any:
    if part.get("bodyTruncated"):
        return None
    try:
        return json.loads(part.get("body") or "null")
    except ValueError:
        return None


def request_json(entry: dict) -> Any:
    """The request body as JSON, or None (empty, truncated or not JSON)."""
    return _json(entry.get("request", {}))


def reply_json(entry: dict) -> Any:
    """The reply body as JSON, or None."""
    return _json(entry.get("response", {}))


def entities(entry: dict, parts: tuple[str, ...] | None) -> list[tuple]:
    """``[(key, entity)]`` of a BATCH_UPDATE body (``{"entities": {<key>: entity}}``), keys read as
    :func:`batch_keys` reads them; entries whose key cannot be read are left out."""
    body = request_json(entry)
    found = []
    if isinstance(body, dict) and isinstance(body.get("entities"), dict):
        for text, entity in body["entities"].items():
            try:
                key = keycodec.parse_key(text, key_parts(entry, parts))
            except RestliError:
                continue
            found.append((v2_key(entry, key), v2_entity(entry, entity)))
    return found


def accepted(entry: dict, parts: tuple[str, ...] | None) -> list:
    """The keys of a batch call that the reply accepted (a 2xx under ``results`` and no entry under
    ``errors``), in request order; ``[]`` for a call refused as a whole."""
    if not 200 <= (entry.get("status") or 0) < 300:
        return []
    reply = reply_json(entry)
    errors = reply.get("errors", {}) if isinstance(reply, dict) else {}
    refused = set()
    for text in errors:
        try:
            key = keycodec.parse_key(text, key_parts(entry, parts))
        except RestliError:
            continue
        refused.add(keycodec.canonical(v2_key(entry, key)))
    return [key for key in batch_keys(entry, parts) if keycodec.canonical(key) not in refused]


def entity_errors(entry: dict) -> list[tuple[str, dict]]:
    """Per-entity errors of a batch reply: ``[(where, error)]`` from ``errors`` (BATCH_UPDATE …) or the
    ``elements`` of a BATCH_CREATE whose status is 4xx, ``where`` being the key or ``elements/<i>``."""
    reply = reply_json(entry)
    if not isinstance(reply, dict):
        return []
    found = [(key, error) for key, error in (reply.get("errors") or {}).items() if isinstance(error, dict)]
    for index, element in enumerate(reply.get("elements") or []):
        if isinstance(element, dict) and 400 <= (element.get("status") or 0) < 500:
            found.append((f"elements/{index}", element.get("error") or element))
    return found


def canonical(key) -> str:
    """The one string a key compares under."""
    return keycodec.canonical(key)
