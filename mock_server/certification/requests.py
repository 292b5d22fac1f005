"""Reading journaled requests (``/_mock/requests`` entries, :mod:`mock_server.harness.journal`) the way the
emulator read them: the batch keys of a call, the parent key of a sub-resource call, query parameters, the
JSON bodies, and which keys of a batch the reply accepted.

Keys go through the Rest.li key codec (:mod:`mock_server.restli.keys`), so a key written in protocol 1.0 or 2.0,
raw or %-encoded, reads the same. A request the journal holds only in part (a truncated body) or that the
emulator refused reads as having no keys.
"""

from __future__ import annotations

import json
from urllib.parse import unquote

from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.restli.paths import split_resource_path
from mock_server.restli.query import split_query

CANDIDATE_KEY = ("atsCandidateId", "dataProvider", "integrationContext")
APPLICATION_KEY = ("atsJobApplicationId", "dataProvider", "integrationContext")
REST_APPLICATION_KEY = ("atsJobApplicationId", "integrationContext")
ACL_KEY = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "atsEntityId")
ASSIGNEE_KEY = ("atsEntityAclId", "dataProvider", "integrationContext", "atsEntityType", "assignee")


def base(entry: dict) -> str | None:
    """``v2`` or ``rest`` (the first path segment), else None."""
    first = entry.get("path", "").strip("/").split("/")[0]
    return first if first in ("v2", "rest") else None


def key_parts(entry: dict, parts: tuple[str, ...]) -> tuple[str, ...]:
    """``parts``, without ``dataProvider`` for an application key under ``/rest`` (its key has none there)."""
    return REST_APPLICATION_KEY if parts == APPLICATION_KEY and base(entry) == "rest" else parts


def with_provider(key: dict) -> dict:
    """``key`` with ``dataProvider: ATS`` (the ``/rest`` application key has none)."""
    return {**key, "dataProvider": key.get("dataProvider", "ATS")}


def batch_keys(entry: dict, parts: tuple[str, ...] | None) -> list:
    """The ``ids`` of a batch call, in request order (compound keys as dicts with ``dataProvider``, simple
    keys as strings); ``[]`` when they cannot be read."""
    wanted = key_parts(entry, parts) if parts else None
    try:
        found = keycodec.parse_ids(split_query(entry.get("query", "")), wanted)
    except RestliError:
        return []
    return [with_provider(key) if isinstance(key, dict) else key for key in found]


def parent_key(entry: dict, parts: tuple[str, ...]) -> dict | None:
    """The parent key in the path of a sub-resource call (``atsCandidates/<key>/notes``), or None."""
    segments = entry.get("path", "").strip("/").split("/")[1:]
    route = split_resource_path(segments)
    if not route.parent_key:
        return None
    try:
        return with_provider(keycodec.parse_key(route.parent_key, key_parts(entry, parts)))
    except RestliError:
        return None


def query_value(entry: dict, name: str) -> str | None:
    """The first value of query parameter ``name`` (%-decoded), or None."""
    for raw_name, raw_value in split_query(entry.get("query", "")):
        if unquote(raw_name) == name:
            return unquote(raw_value)
    return None


def _json(part: dict) -> object:
    if part.get("bodyTruncated"):
        return None
    try:
        return json.loads(part.get("body") or "null")
    except ValueError:
        return None


def request_json(entry: dict) -> object:
    """The request body as JSON, or None (empty, truncated or not JSON)."""
    return _json(entry.get("request", {}))


def reply_json(entry: dict) -> object:
    """The reply body as JSON, or None."""
    return _json(entry.get("response", {}))


def entities(entry: dict, parts: tuple[str, ...] | None) -> list[tuple]:
    """``[(key, entity)]`` of a BATCH_UPDATE body (``{"entities": {<key>: entity}}``), keys read as
    :func:`batch_keys` reads them; entries whose key cannot be read are left out."""
    body = request_json(entry)
    found = []
    if isinstance(body, dict) and isinstance(body.get("entities"), dict):
        wanted = key_parts(entry, parts) if parts else None
        for text, entity in body["entities"].items():
            try:
                key = keycodec.parse_key(text, wanted)
            except RestliError:
                continue
            found.append((with_provider(key) if isinstance(key, dict) else key, entity))
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
            key = keycodec.parse_key(text, key_parts(entry, parts) if parts else None)
        except RestliError:
            continue
        refused.add(keycodec.canonical(with_provider(key) if isinstance(key, dict) else key))
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
