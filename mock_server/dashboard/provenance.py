"""Which journaled requests wrote a synced entity: the data browser shows them (journal ids) beside each record.

A request wrote a record when it is a successful (2xx) write whose keys — the ``ids`` of a batch call or the key
in the path — include the record's key and whose reply does not list that key among its per-entity ``errors``:

* under ``/v2``, a write of the record's Rest.li resource (``atsCandidates``), or of one of its sub-resources
  (``atsCandidates/{key}/notes``) whose parent key is the record's, named by the sub-resource;
* under ``/rest``, a write of the versioned resource over the same records (``candidates``), or of a versioned
  resource over one of its sub-resources (``candidateNotes``), named by that resource: its keys are taken to
  the v2 key through the resource's rename table (:mod:`mock_server.domain.renames`).

Jobs are written by ``simpleJobPostings`` BATCH_CREATE: an element with the job's ``externalJobPostingId`` (and
its ``integrationContext``, or none: the caller's default) whose per-element status is not an error.

Keys are compared as maps (:func:`mock_server.domain.synced.store_key`), never as text, so a write through
protocol 1.0 and one through 2.0, through ``/v2`` and through ``/rest``, are all found. Only what the journal
still holds can be found (the last ``RSC_MOCK_JOURNAL_SIZE`` requests).
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from mock_server.domain import renames
from mock_server.domain.renames import Renames
from mock_server.domain.synced import store_key
from mock_server.restli import keys as keycodec
from mock_server.restli.errors import RestliError
from mock_server.restli.paths import split_resource_path
from mock_server.restli.query import split_query

WRITE_METHODS = frozenset({"CREATE", "BATCH_CREATE", "UPDATE", "BATCH_UPDATE", "PARTIAL_UPDATE",
                           "BATCH_PARTIAL_UPDATE", "DELETE", "BATCH_DELETE"})
SUCCESS = {"status": "2xx"}
UNENCODED = re.compile(r"[A-Za-z0-9._~-]+")
VERSIONED = {table.rest: table for table in vars(renames).values() if isinstance(table, Renames)}
"""Every versioned resource's rename table, by its ``/rest`` name."""


def reference(entry: dict, wrote: str) -> dict:
    """What the browser shows of a writing request: ``{"id", "seq", "at", "method", "path", "restliMethod",
    "status", "wrote"}`` (``wrote``: ``itself`` or the sub-resource's name)."""
    return {"id": entry["id"], "seq": entry["seq"], "at": entry["at"], "method": entry["method"],
            "path": entry["path"], "restliMethod": entry.get("restliMethod"), "status": entry["status"],
            "wrote": wrote}


class KeyReader:
    """How the keys of one resource's requests become v2 store keys: ``parts`` of the key as written, and for a
    versioned resource its rename table (``table``), whose key is taken to the v2 key (for a versioned
    sub-resource: the parent's)."""

    def __init__(self, parts: tuple[str, ...], table: Renames | None = None) -> None:
        self.parts, self.table = parts, table

    def store_key(self, text: str) -> str | None:
        """The v2 store key a key as written stands for (for a versioned sub-resource: its parent's), None when
        it does not read as a key of the resource."""
        try:
            key = keycodec.parse_key(text, self.parts)
        except RestliError:
            return None
        if not isinstance(key, dict):
            return None
        return store_key(self.table.key_to_v2(key)[0] if self.table else key)

    def written(self, entry: dict) -> set[str]:
        """Store keys a write addressed: its ``ids`` or its path key, less the per-entity errors of its reply."""
        route = split_resource_path(entry["path"].strip("/").split("/")[1:])
        if route.key is not None:
            found = {self.store_key(route.key)}
        else:
            try:
                keys = keycodec.parse_ids(split_query(entry.get("query") or ""), self.parts)
            except RestliError:
                return set()
            found = {store_key(self.table.key_to_v2(key)[0] if self.table else key)
                     for key in keys if isinstance(key, dict)}
        return {key for key in found - self.failed(entry) if key is not None}

    def failed(self, entry: dict) -> set[str | None]:
        """Store keys listed in the ``errors`` map of a batch reply (unreadable reply: none)."""
        try:
            reply = json.loads(entry["response"]["body"])
        except (KeyError, ValueError):
            return set()
        return {self.store_key(text) for text in (reply.get("errors") or {}) if isinstance(reply, dict)}


def _parent_written(entry: dict, parts: tuple[str, ...]) -> str | None:
    """The store key of the parent a ``/v2`` sub-resource write addressed, or None."""
    route = split_resource_path(entry["path"].strip("/").split("/")[1:])
    return None if route.parent_key is None else KeyReader(parts).store_key(route.parent_key)


def mentions(url: str, needle: str) -> bool:
    """Whether ``needle`` (a key part's value) is written in ``url``: looked for as it is when it is made of
    characters URLs carry unencoded (letters, digits, ``-_.~``), else in the %-decoded URL."""
    if UNENCODED.fullmatch(needle):
        return needle in url
    return needle in unquote(url)


def wrote(entry: dict, resource: str, parts: tuple[str, ...], target: str) -> str | None:
    """What journaled write ``entry`` wrote of the record stored under ``target`` (key parts ``parts``) of v2
    resource ``resource``: ``itself``, the name of a sub-resource, or None (not that record)."""
    name = entry.get("resource") or ""
    if entry["path"].startswith("/rest/") and name in VERSIONED:
        table = VERSIONED[name]
        if table.v2 == resource:
            label = "itself"
        elif table.child and table.v2.startswith(resource + "/"):
            label = name
        else:
            return None
        return label if target in KeyReader(table.key_parts, table).written(entry) else None
    if name == resource:
        return "itself" if target in KeyReader(parts).written(entry) else None
    if name.startswith(resource + "/") and _parent_written(entry, parts) == target:
        return name.split("/", 1)[1]
    return None


def record_writers(world, resource: str, parts: tuple[str, ...], doc: dict) -> list[dict]:
    """The journaled writes of record ``doc`` (stored with key parts ``parts``) of v2 Rest.li ``resource``
    (``atsCandidates``), of its sub-resources and of the versioned resources over them, newest first (see
    :func:`reference`)."""
    target = store_key({part: doc[part] for part in parts if part in doc})
    needle = str(doc.get(parts[0], ""))
    found = []
    for entry in reversed(world.journal.query(SUCCESS)):
        if entry.get("restliMethod") not in WRITE_METHODS:
            continue
        if not mentions(entry["path"] + "?" + (entry.get("query") or ""), needle):
            continue  # a cheap test first: the record's id is written somewhere in the URL
        what = wrote(entry, resource, parts, target)
        if what is not None:
            found.append(reference(entry, what))
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
