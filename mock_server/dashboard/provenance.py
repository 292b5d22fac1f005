"""Which journaled requests wrote a synced entity: the data browser shows them (journal ids) beside each record.

A request wrote a record when it is a successful (2xx) write of the record's Rest.li resource whose keys — the
``ids`` of a batch call or the key in the path — include the record's key and whose reply does not list that key
among its per-entity ``errors``; a write of one of the record's sub-resources (``atsCandidates/{key}/notes``)
whose parent key is the record's counts too, named by the sub-resource. Jobs are written by
``simpleJobPostings`` BATCH_CREATE: an element with the job's ``externalJobPostingId`` (and its
``integrationContext``, or none: the caller's default) whose per-element status is not an error.

Keys are compared as maps (:func:`mock_server.domain.synced.store_key`), never as text, so a write through
protocol 1.0 and one through 2.0 are both found. Only what the journal still holds can be found (the last
``RSC_MOCK_JOURNAL_SIZE`` requests).
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from mock_server.domain.synced import store_key
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.restli.paths import split_resource_path
from mock_server.restli.query import split_query

WRITE_METHODS = frozenset({"CREATE", "BATCH_CREATE", "UPDATE", "BATCH_UPDATE", "PARTIAL_UPDATE",
                           "BATCH_PARTIAL_UPDATE", "DELETE", "BATCH_DELETE"})
SUCCESS = {"status": "2xx"}
UNENCODED = re.compile(r"[A-Za-z0-9._~-]+")


def reference(entry: dict, wrote: str) -> dict:
    """What the browser shows of a writing request: ``{"id", "seq", "at", "method", "path", "restliMethod",
    "status", "wrote"}`` (``wrote``: ``itself`` or the sub-resource's name)."""
    return {"id": entry["id"], "seq": entry["seq"], "at": entry["at"], "method": entry["method"],
            "path": entry["path"], "restliMethod": entry.get("restliMethod"), "status": entry["status"],
            "wrote": wrote}


def _reply_errors(entry: dict, parts: tuple[str, ...]) -> set[str]:
    """Store keys listed in the ``errors`` map of a batch reply (unreadable reply: none)."""
    try:
        reply = json.loads(entry["response"]["body"])
    except (KeyError, ValueError):
        return set()
    failed = set()
    for text in (reply.get("errors") or {}) if isinstance(reply, dict) else ():
        try:
            failed.add(store_key(keycodec.parse_key(text, parts)))
        except RestliError:
            continue
    return failed


def _keys_written(entry: dict, parts: tuple[str, ...]) -> set[str]:
    """Store keys a write to a top-level resource addressed: its ``ids`` or its path key, less the per-entity
    errors of its reply."""
    route = split_resource_path(entry["path"].strip("/").split("/")[1:])
    try:
        if route.key is not None:
            keys = [keycodec.parse_key(route.key, parts)]
        else:
            keys = keycodec.parse_ids(split_query(entry.get("query") or ""), parts)
    except RestliError:
        return set()
    return {store_key(key) for key in keys if isinstance(key, dict)} - _reply_errors(entry, parts)


def _parent_written(entry: dict, parts: tuple[str, ...]) -> str | None:
    """The store key of the parent a sub-resource write addressed, or None."""
    route = split_resource_path(entry["path"].strip("/").split("/")[1:])
    if route.parent_key is None:
        return None
    try:
        key = keycodec.parse_key(route.parent_key, parts)
    except RestliError:
        return None
    return store_key(key) if isinstance(key, dict) else None


def mentions(url: str, needle: str) -> bool:
    """Whether ``needle`` (a key part's value) is written in ``url``: looked for as it is when it is made of
    characters URLs carry unencoded (letters, digits, ``-_.~``), else in the %-decoded URL."""
    if UNENCODED.fullmatch(needle):
        return needle in url
    return needle in unquote(url)


def record_writers(world, resource: str, parts: tuple[str, ...], doc: dict) -> list[dict]:
    """The journaled writes of record ``doc`` (stored with key parts ``parts``) of Rest.li ``resource``
    (``atsCandidates``) and of its sub-resources, newest first (see :func:`reference`)."""
    target = store_key({part: doc[part] for part in parts if part in doc})
    needle = str(doc.get(parts[0], ""))
    found = []
    for entry in reversed(world.journal.query(SUCCESS)):
        name = entry.get("resource") or ""
        if entry.get("restliMethod") not in WRITE_METHODS or not (name == resource or name.startswith(resource + "/")):
            continue
        if not mentions(entry["path"] + "?" + (entry.get("query") or ""), needle):
            continue  # a cheap test first: the record's id is written somewhere in the URL
        if name == resource and target in _keys_written(entry, parts):
            found.append(reference(entry, "itself"))
        elif name != resource and _parent_written(entry, parts) == target:
            found.append(reference(entry, name.split("/", 1)[1]))
    return found


def _element_failed(reply: dict | None, index: int) -> bool:
    """True when a BATCH_CREATE reply says element ``index`` failed."""
    elements = (reply or {}).get("elements") if isinstance(reply, dict) else None
    if not isinstance(elements, list) or index >= len(elements) or not isinstance(elements[index], dict):
        return False
    return elements[index].get("status", 200) >= 400


def job_writers(world, job: dict) -> list[dict]:
    """The journaled ``simpleJobPostings`` calls that posted job ``job`` (a ``jobs`` document), newest first."""
    external_id, context = job["externalJobPostingId"], job["integrationContext"]
    found = []
    for entry in reversed(world.journal.query({**SUCCESS, "resource": "simpleJobPostings"})):
        body = entry["request"].get("body") or ""
        if json.dumps(external_id) not in body:
            continue
        try:
            elements = json.loads(body).get("elements", [])
        except (ValueError, AttributeError):
            elements = None  # a body cut at the journal's limit: the id is in it, which is all we can say
        try:
            reply = json.loads(entry["response"].get("body") or "null")
        except ValueError:
            reply = None
        if elements is None or any(
                isinstance(element, dict) and element.get("externalJobPostingId") == external_id
                and element.get("integrationContext", context) == context and not _element_failed(reply, index)
                for index, element in enumerate(elements)):
            found.append(reference(entry, "itself"))
    return found
