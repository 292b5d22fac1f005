"""JSON document helpers: canonical encoding, fast copies and index keys.

Every document the store holds is *canonical*: exactly what ``json.loads``
returns for the document's JSON text (plain ``dict``/``list``/``str``/``int``/
``float``/``bool``/``None``, string keys), and it is held as that compact
text.  Because the same text goes to the write-ahead log, the state rebuilt
after a restart is identical to the state that was in memory.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable
from typing import Any, cast

import orjson

_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)


def encode(value: Any) -> str:
    """Return the compact, ASCII-only JSON text of ``value``.

    Raises ``TypeError`` for values JSON cannot represent and ``ValueError``
    for NaN/infinite floats or circular references.
    """
    return _ENCODER.encode(value)


def canonical(doc: Any) -> tuple[str, dict[str, Any]]:
    """Return ``(json_text, canonical_copy)`` of a document.

    Raises ``TypeError`` if ``doc`` is not a ``dict`` or holds a value JSON
    cannot represent, ``ValueError`` for NaN/infinite floats or cycles.
    Tuples become lists and non-string scalar keys become strings, exactly as
    a JSON round trip does.
    """
    if not isinstance(doc, dict):
        raise TypeError(f"a document must be a dict, not {type(doc).__name__}")
    text = _ENCODER.encode(doc)
    return text, json.loads(text)


_SCALARS = frozenset({str, int, bool, float, type(None)})
_STR = frozenset({str})


def _read_back(value: Any) -> Any:
    """``value`` as its JSON text reads back, built without JSON when it is made of plain values (exact types: a
    string, integer, boolean, null or finite float is that already, a list or an object with string keys is
    copied); anything else (a tuple, a subclass, a non-string key) goes through JSON. ``value`` must encode."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [_read_back(item) for item in value]
    if kind is dict and all(type(name) is str for name in value):
        return {name: _read_back(item) for name, item in value.items()}
    return json.loads(encode(value))


def canonical_fields(doc: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """``{field: value}`` of the ``fields`` ``doc`` has, each value as the document's JSON text reads back (what
    :func:`canonical` gives, without parsing the whole text; see :func:`_read_back`). ``doc`` must encode
    (:func:`encode` did not raise)."""
    if not set(map(type, doc)) <= _STR:  # a JSON round trip renames a non-string key
        return {name: value for name, value in canonical(doc)[1].items() if name in fields}
    return {name: _read_back(doc[name]) for name in fields if name in doc}


def json_object(data: bytes) -> dict[str, Any] | None:
    """The JSON object ``data`` holds, or ``None`` if it is not JSON or not an object (for reading files
    that may be damaged)."""
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGIT_RUN = b"0" * 19  # the shortest run of digits that may spell an integer beyond 64 bits


def decode(text: str) -> Any:
    """The value of JSON ``text`` the store wrote (:func:`encode`): a fresh copy of a stored document, exactly
    what ``json.loads(text)`` gives.

    orjson parses it (about 3x faster than :mod:`json`) unless the text holds a run of 19 or more digits
    (orjson reads an integer beyond 64 bits as a float; json keeps it exact) or anything else orjson refuses
    (a lone surrogate escaped as ``\\ud800``): those are read by :mod:`json`."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return json.loads(text)
    if _LONG_DIGIT_RUN in data.translate(_DIGITS_AS_ZERO):
        return json.loads(text)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(text)


def index_key(value: Any) -> Hashable:
    """Map a JSON value to a hashable key; two keys are equal iff the values are ``==``.

    Scalars are their own key.  Lists and objects become tagged tuples /
    frozensets; the tags cannot collide with a scalar.  Raises ``TypeError``
    for other unhashable values.
    """
    if isinstance(value, list):
        return ("\0list", tuple(index_key(item) for item in value))
    if isinstance(value, dict):
        return ("\0dict", frozenset((key, index_key(item)) for key, item in value.items()))
    return cast(Hashable, value)


def list_items(key: Hashable) -> tuple[Hashable, ...] | None:
    """The items of the index key of a list of scalars (see :func:`index_key`), None for any other key."""
    if isinstance(key, tuple) and key[0] == "\0list" and not any(isinstance(item, tuple) for item in key[1]):
        return cast(tuple[Hashable, ...], key[1])
    return None
