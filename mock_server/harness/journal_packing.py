"""The compact form of the request journal's older entries (:mod:`mock_server.harness.journal`).

A journal entry as recorded is a dict of ~20 fields, two header dicts and two bodies: ~5 KB of Python objects
besides its bodies. Past the journal's newest entries it is kept as a *record* instead: a small dict of the
fields the journal's filters and bounds read (:data:`RECORD_FIELDS`, their strings shared between records) and
one :class:`PackedEntry` under :data:`PACKED`: the whole entry as zlib-compressed JSON (orjson; the bodies and
the query string left out), and its two bodies and query string, each kept as text when short, else as a
:class:`PackedBody` — shared by every record whose text is equal to one of the last :data:`SHARED_RECENT`
packed (a journal of one repeated call holds its body and query once). ~0.5 KB a record, against ~13 KB for an
entry with an 8 KB reply.

:func:`unpacked` gives the entry back exactly as recorded: the same keys in the same order, the same values
(JSON text round-trips every value an entry holds: strings, ints, finite floats, booleans, None, lists, dicts
with string keys). An entry orjson refuses (a lone surrogate, an int beyond 64 bits, a key that is no string)
keeps its fields and packs only its bodies.

orjson: a well-kept JSON library in Rust, several times faster than :mod:`json` for both directions, which keeps
packing (~15 µs an entry) and reading a whole journal back (the certification grading reads all of it) cheap.
"""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any

import orjson

RECORD_FIELDS = ("seq", "at", "method", "path", "resource", "restliMethod", "status", "application", "clientId")
PACKED = "packed"  # the key of a record's PackedEntry (no entry has it: entries are the middleware's dicts)
PACK_MIN_CHARS = 256  # shorter bodies stay text: packing would save little
SHARED_RECENT = 64  # packed bodies remembered to share with an equal body
SHARED_STRINGS = 4096  # field values remembered to share (paths, resources, applications), forgotten when full
BODY_SIDES = ("request", "response")


@dataclasses.dataclass(frozen=True, slots=True)
class PackedBody:
    """A journaled body kept compressed: ``data`` (zlib of its UTF-8) and ``chars`` (its length in characters,
    which the journal's bounds count)."""

    data: bytes
    chars: int

    def text(self) -> str:
        """The body as recorded."""
        return zlib.decompress(self.data).decode("utf-8")


@dataclasses.dataclass(frozen=True, slots=True)
class PackedEntry:
    """An entry in compact form: ``data`` (zlib of the entry's JSON, its bodies and query string as ``null``, or
    ``None`` when the entry could not be written as JSON: then ``fields`` holds it, its bodies and query packed),
    ``bodies`` (the request's and the response's, ``None`` for a side without a body), ``query`` (``None`` when the
    entry has no query string) and ``size``, the entry's size as the journal counts it."""

    data: bytes | None
    bodies: tuple[str | PackedBody | None, str | PackedBody | None]
    size: int
    fields: dict[str, Any] | None = None
    query: str | PackedBody | None = None


class EntryPacker:
    """Turns entries into records (see the module docstring), sharing equal bodies and field values."""

    def __init__(self) -> None:
        self._bodies: dict[str, PackedBody] = {}
        self._strings: dict[str, str] = {}

    def record(self, entry: dict[str, Any], size: int) -> dict[str, Any]:
        """The record of ``entry`` (``size``: its size as the journal counts it). ``entry`` is not changed: a
        reader may hold it."""
        bodies = tuple(self._text(side.get("body") if isinstance(side := entry.get(name), dict) else None)
                       for name in BODY_SIDES)
        query = self._text(entry.get("query"))
        sides = [side for side, body in zip(BODY_SIDES, bodies, strict=True) if body is not None]
        without_texts = {**entry, **{side: {**entry[side], "body": None} for side in sides}}
        if query is not None:
            without_texts["query"] = None
        try:
            packed = PackedEntry(zlib.compress(orjson.dumps(without_texts), 1), (bodies[0], bodies[1]), size,
                                 query=query)
        except (TypeError, orjson.JSONEncodeError):  # not exactly JSON: keep the fields, pack only the texts
            packed = PackedEntry(None, (bodies[0], bodies[1]), size, without_texts, query)
        record = {name: self._shared(entry[name]) for name in RECORD_FIELDS if name in entry}
        record[PACKED] = packed
        return record

    def _text(self, text: Any) -> str | PackedBody | None:
        """A body or query string of an entry, packed unless short; ``None`` when it is no text."""
        if not isinstance(text, str):
            return None
        if len(text) < PACK_MIN_CHARS:
            return text
        packed = self._bodies.get(text)
        if packed is None:
            try:
                packed = PackedBody(zlib.compress(text.encode("utf-8"), 1), len(text))
            except UnicodeEncodeError:  # a lone surrogate: kept as it is
                return text
            if len(self._bodies) >= SHARED_RECENT:
                del self._bodies[next(iter(self._bodies))]
            self._bodies[text] = packed
        return packed

    def _shared(self, value: Any) -> Any:
        """``value``, or an equal string seen before (so records of the same call share their strings)."""
        if not isinstance(value, str):
            return value
        if len(self._strings) >= SHARED_STRINGS:
            self._strings.clear()
        return self._strings.setdefault(value, value)


def is_record(stored: dict[str, Any]) -> bool:
    """True when ``stored`` (an item of the journal) is a record rather than an entry as recorded."""
    return PACKED in stored


def packed_size(record: dict[str, Any]) -> int:
    """The size of a record's entry as the journal counts it."""
    size: int = record[PACKED].size
    return size


def unpacked(stored: dict[str, Any]) -> dict[str, Any]:
    """The entry of ``stored`` exactly as recorded: ``stored`` itself when it is not a record."""
    packed = stored.get(PACKED)
    if packed is None:
        return stored
    if packed.data is None:
        sides = [side for side, body in zip(BODY_SIDES, packed.bodies, strict=True) if body is not None]
        entry = {**packed.fields, **{side: dict(packed.fields[side]) for side in sides}}
    else:
        entry = orjson.loads(zlib.decompress(packed.data))
    for side, body in zip(BODY_SIDES, packed.bodies, strict=True):
        if body is not None:
            entry[side]["body"] = _as_text(body)
    if packed.query is not None:
        entry["query"] = _as_text(packed.query)
    return entry


def _as_text(text: str | PackedBody) -> str:
    """A packed text as recorded."""
    return text.text() if isinstance(text, PackedBody) else text
