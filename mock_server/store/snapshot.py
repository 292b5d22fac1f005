"""The snapshot format: the whole store state as one JSON-able dict.

Shape::

    {"format": "rsc-mock-snapshot", "version": 1,
     "tables": {table_name: {key: document, ...}, ...}}

Tables and keys are listed in insertion order.  Checkpoints embed the same
document, so there is one format to read and validate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from mock_server.restli.errors import json_type, shown

from .jsondoc import canonical, encode

SNAPSHOT_FORMAT = "rsc-mock-snapshot"
SNAPSHOT_VERSION = 1

Tables = dict[str, dict[str, dict[str, Any]]]
"""``{table_name: {key: document}}``."""


def snapshot_document(tables: Tables) -> dict[str, Any]:
    """Wrap ``tables`` in the snapshot envelope (no copy is made)."""
    return {"format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "tables": tables}


def encode_snapshot(tables: Tables) -> bytes:
    """The snapshot of ``tables`` as compact ASCII JSON bytes (tables without rows are left out)."""
    return b"".join(snapshot_chunks((name, ((key, encode(doc)) for key, doc in rows.items()))
                                    for name, rows in tables.items()))


def snapshot_chunks(tables: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> Iterator[bytes]:
    """The bytes of :func:`encode_snapshot` for ``(table name, (key, document JSON text) pairs)`` (the texts
    as :func:`~.jsondoc.encode` writes them, e.g. as the store holds them), in pieces of about 1 MiB; tables
    without rows are left out.

    The pieces are joined a document at a time, so a thread running this
    gives others the interpreter between documents.
    """
    parts = ['{"format":', encode(SNAPSHOT_FORMAT), ',"version":', encode(SNAPSHOT_VERSION), ',"tables":{']
    size = 0
    table_separator = ""
    for name, rows in tables:
        separator = table_separator + encode(name) + ":{"
        for key, text in rows:
            parts += (separator, encode(key), ":", text)
            separator = ","
            size += len(text)
            if size >= _CHUNK_BYTES:
                yield "".join(parts).encode()
                parts.clear()
                size = 0
        if separator == ",":
            parts.append("}")
            table_separator = ","
    parts.append("}}")
    yield "".join(parts).encode()


_CHUNK_BYTES = 1 << 20


def parse_snapshot(doc: Any, *, copy: bool = True) -> Tables:
    """Validate a snapshot document completely and return its tables.

    With ``copy`` (the default) every document is replaced by its canonical
    copy, so the result shares nothing with ``doc``; ``copy=False`` is for
    documents just produced by ``json.loads``.  Raises ``ValueError`` naming
    the first problem: not a snapshot, another version, or malformed tables.
    """
    if not isinstance(doc, dict) or doc.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"not a store snapshot: expected an object with format {shown(SNAPSHOT_FORMAT)}")
    version = doc.get("version")
    if type(version) is not int or version != SNAPSHOT_VERSION:  # true, 1.0: not the integer 1
        raise ValueError(
            f"unsupported snapshot version {shown(version)}: this store reads version {SNAPSHOT_VERSION} only"
        )
    return parse_tables(doc.get("tables"), copy=copy)


def parse_tables(tables: Any, *, copy: bool = True, what: str = "snapshot tables") -> Tables:
    """Validate ``{table_name: {key: document}}``; see :func:`parse_snapshot`.

    Raises ``ValueError`` (mentioning ``what``) on the first malformed part.
    """
    if not isinstance(tables, dict):
        raise ValueError(f"{what} must be an object of tables, not {json_type(tables)}")
    parsed: Tables = {}
    for name, rows in tables.items():
        if not isinstance(name, str) or not isinstance(rows, dict):
            raise ValueError(f"{what}: table {shown(name)} must be an object mapping each key to a document, not"
                             f" {json_type(rows)}")
        parsed[name] = {key: _document(what, name, key, doc, copy) for key, doc in rows.items()}
    return parsed


def _document(what: str, table: str, key: Any, doc: Any, copy: bool) -> dict[str, Any]:
    if type(key) is not str:
        raise ValueError(f"{what}: table {shown(table)} has a key that is not a string: {shown(key)}")
    if not copy and isinstance(doc, dict):
        return doc
    try:
        return canonical(doc)[1]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what}: table {shown(table)}, key {shown(key)}: {exc}") from exc
