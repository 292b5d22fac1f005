"""The key codec as it was before it was rewritten for speed (issue 13), frozen here as the oracle of
``tests/test_restli_keys_codec.py``: the rewrite must decode, encode, accept and refuse exactly as this did,
message for message. Not imported by the emulator.

Resource keys in both Rest.li protocols.

A key is either a simple key (``str``) or a compound (association) key (``dict[str, str]``).

* Protocol 1.0: compound ``a=x&b=y`` (values may hold raw URNs; ``%``, ``&`` and ``=`` inside a value are
  %-escaped), batch ids ``ids[0].a=x&ids[0].b=y`` (brackets raw or as ``%5B``/``%5D``) or the legacy
  ``ids=a%3Dx%26b%3Dy``.
* Protocol 2.0: compound ``(a:x,b:y)`` in "reduced encoding" (``%,()':`` inside a value are %-escaped), batch
  ids ``ids=List((a:x,b:y),(…))``; in a path the whole key may arrive fully %-encoded. Inside ``List(…)`` a
  URN's colons must be %-encoded (``List(urn%3Ali%3Ax%3A1)``): Rest.li's ``URIElementParser`` reads a raw
  ``:`` as the object separator and refuses ``List(urn:li:x:1)``, and so does :func:`decode_value` (400).
* A simple key (a URN, ``CALLBACK_URL``) is raw or %-encoded in a URL, and written raw in replies in both
  protocols (Rest.li ``URIParamUtils.encodeKeyForBody`` / ``encodeKeyForHeader``).

Keys are compared as maps, never as strings: :func:`canonical` gives the one string a key is stored under
(2.0 form, parts sorted by name), and :func:`format_key` the form a reply uses for the caller's protocol
(parts sorted by name, as Rest.li itself emits them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias, TypeGuard
from urllib.parse import quote, unquote

from mock_server.restli.errors import RestliError, shown
from mock_server.restli.integers import NumberError, parse_int

Key: TypeAlias = "str | dict[str, str]"
# A value of Rest.li 2.0 object notation, as :func:`decode_value` gives it and :func:`encode_value` takes it.
Decoded: TypeAlias = "str | list[Decoded] | dict[str, Decoded]"
Encodable: TypeAlias = "str | Sequence[Encodable] | Mapping[str, Encodable]"

MAX_DEPTH = 32  # the deepest nesting a parser of client text takes (2.0 notation, projections, JSON bodies)
_REDUCED = "%,()':"
_V1_VALUE = "%&="


class DecodeError(ValueError):
    """Malformed Rest.li 2.0 text; the message says where."""


@functools.cache
def _escaper(chars: str) -> Callable[[str], str]:
    """A compiled substitution that %-escapes each of ``chars``."""
    pattern = re.compile("[" + re.escape(chars) + "]")
    return functools.partial(pattern.sub, lambda m: f"%{ord(m.group()):02X}")


def _escape(text: str, chars: str) -> str:
    return _escaper(chars)(text)


def encode_value(value: Encodable, url: bool = False) -> str:
    """Encode a string, list or dict in Rest.li 2.0 object notation.

    ``url=False`` gives the reduced encoding used in bodies and reply keys; ``url=True`` also %-encodes every
    character that is not safe in a URL (for links a client will follow).
    """
    if isinstance(value, dict):
        return "(" + ",".join(f"{encode_value(k, url)}:{encode_value(v, url)}" for k, v in sorted(value.items())) + ")"
    if isinstance(value, list):
        return "List(" + ",".join(encode_value(v, url) for v in value) + ")"
    text = str(value)
    if text == "":
        return "''"
    if url:
        return quote(text, safe="")
    return _escape(text, _REDUCED)


def decode_value(text: str) -> Decoded:
    """Parse Rest.li 2.0 object notation: ``(k:v,…)`` → dict, ``List(…)`` → list, ``''`` → "", else a string.

    Leaves are %-decoded. Raises :class:`DecodeError` on unbalanced or stray structural characters, or on
    lists and objects nested more than :data:`MAX_DEPTH` deep.
    """
    value, end = _parse(text, 0, 0)
    if end != len(text):
        raise DecodeError(f"unexpected {shown(text[end])} at position {end} in {shown(text)}")
    return value


def is_compound(value: Decoded) -> TypeGuard[dict[str, str]]:
    """Whether a decoded value has the shape of a compound key: an object whose values are all strings."""
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _parse(text: str, i: int, depth: int) -> tuple[Decoded, int]:
    if text.startswith(("List(", "("), i) and depth == MAX_DEPTH:
        raise DecodeError(f"nested too deeply (more than {MAX_DEPTH} levels)")
    if text.startswith("List(", i):
        i += 5
        items: list[Decoded] = []
        if text.startswith(")", i):
            return items, i + 1
        while True:
            item, i = _parse(text, i, depth + 1)
            items.append(item)
            if i >= len(text):
                raise DecodeError(f"unterminated List( in {shown(text)}")
            if text[i] == ",":
                i += 1
                continue
            if text[i] == ")":
                return items, i + 1
            raise DecodeError(f"unexpected {shown(text[i])} at position {i} in {shown(text)}")
    if text.startswith("(", i):
        i += 1
        obj: dict[str, Decoded] = {}
        if text.startswith(")", i):
            return obj, i + 1
        while True:
            name, i = _leaf(text, i)
            if i >= len(text) or text[i] != ":":
                raise DecodeError(f"expected ':' after field {shown(name)} in {shown(text)}")
            if name in obj:
                raise DecodeError(f"field {shown(name)} given twice in {shown(text)}")
            value, i = _parse(text, i + 1, depth + 1)
            obj[name] = value
            if i >= len(text):
                raise DecodeError(f"unterminated ( in {shown(text)}")
            if text[i] == ",":
                i += 1
                continue
            if text[i] == ")":
                return obj, i + 1
            raise DecodeError(f"unexpected {shown(text[i])} at position {i} in {shown(text)}")
    return _leaf(text, i)


def _leaf(text: str, i: int) -> tuple[str, int]:
    start = i
    while i < len(text) and text[i] not in ",():":
        i += 1
    raw = text[start:i]
    if raw == "''":
        return "", i
    if raw == "":
        raise DecodeError(f"empty value at position {start} in {shown(text)}")
    return unquote(raw), i


def parse_key(text: str, parts: tuple[str, ...] | None) -> Key:
    """Parse one key as written in a path segment, an ``ids`` entry or a body ``entities`` map.

    ``parts`` names the parts of a compound key (``None`` for a simple key). Accepts either protocol's form
    whatever the protocol header says (LinkedIn's own Postman collection mixes them). Raises
    :class:`RestliError` 400 naming the key when it is malformed or its parts differ from ``parts``.
    """
    if parts is None:
        # Raw structure is a compound key sent to a simple-key resource. A %-encoded "(" is not: it is how
        # a URL carries a simple key that starts with "(" (see url_key).
        if text.startswith(("(", "List(")):
            raise RestliError(400, f"Malformed key {shown(text)}: expected a simple key")
        value = unquote(text)
        if value == "":
            raise RestliError(400, "Malformed key: the key is empty")
        return value
    key: dict[str, str]
    if text.startswith("%28") or (not text.startswith("(") and "=" not in text and "%3D" in text.upper()):
        text = unquote(text)
    if text.startswith("("):
        try:
            decoded = decode_value(text)
        except DecodeError as error:
            raise RestliError(400, f"Malformed key {shown(text)}: {error}") from None
        if not is_compound(decoded):
            raise RestliError(400, f"Malformed key {shown(text)}: expected (part:value,...)")
        key = decoded
    else:
        key = {}
        for piece in text.split("&"):
            name, sep, raw = piece.partition("=")
            if not sep or not name:
                raise RestliError(400, f"Malformed key {shown(text)}: expected part=value pairs joined by &")
            name = unquote(name)
            if name in key:
                raise RestliError(400, f"Malformed key {shown(text)}: part {shown(name)} given twice")
            key[name] = unquote(raw)
    check_parts(key, parts, text)
    return key


def check_parts(key: dict[str, str], parts: tuple[str, ...], written: str) -> None:
    """Raise 400 unless ``key`` has exactly ``parts``, each non-empty."""
    missing = [p for p in parts if p not in key]
    extra = sorted(set(key) - set(parts))
    if missing or extra:
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unknown " + ", ".join(extra))
        raise RestliError(400, f"Malformed key {shown(written)}: {'; '.join(detail)} (expected {', '.join(parts)})")
    empty = [p for p in parts if key[p] == ""]
    if empty:
        raise RestliError(400, f"Malformed key {shown(written)}: empty {', '.join(empty)}")


def canonical(key: Key) -> str:
    """The one string a key is stored and compared under: 2.0 reduced encoding, parts sorted by name."""
    return encode_value(key)


def format_key(key: Key, protocol: int) -> str:
    """The key as a reply writes it (``X-RestLi-Id``, BATCH_CREATE ``id``, the keys of ``results`` /
    ``statuses`` / ``errors``).

    A simple key is written raw in both protocols, as Rest.li's ``URIParamUtils.encodeKeyForBody`` /
    ``encodeKeyForHeader`` do (they stringify simple keys): ``urn:li:developerApplication:100``. A compound
    key is 1.0 ``a=x&b=y`` with raw URNs or 2.0 ``(a:x,b:y)`` in reduced encoding; parts sorted by name.
    """
    if not isinstance(key, dict):
        return key
    if protocol == 2:
        return encode_value(key)
    return "&".join(f"{name}={_escape(key[name], _V1_VALUE)}" for name in sorted(key))


def url_key(key: Key, protocol: int) -> str:
    """The key as a path segment of a URL the emulator emits (``Location``): a simple key fully %-encoded
    (Rest.li ``encodeKeyForUri``), a compound key in the caller's protocol."""
    if not isinstance(key, dict):
        return quote(key, safe="")
    if protocol == 2:
        return encode_value(key, url=True)
    return "&".join(f"{name}={quote(key[name], safe=':')}" for name in sorted(key))


def parse_ids(pairs: list[tuple[str, str]], parts: tuple[str, ...] | None) -> list[Key]:
    """The batch keys of a query, in request order, from raw ``(name, value)`` pairs (names and values not
    yet %-decoded).

    Understands ``ids[N].part=value`` (1.0), ``ids=<legacy 1.0 key>`` repeated, ``ids=<simple>`` repeated and
    ``ids=List(…)`` (2.0). Raises :class:`RestliError` 400 naming the offending parameter.
    """
    indexed: dict[int, dict[str, str]] = {}
    keys: list[Key] = []
    for raw_name, raw_value in pairs:
        name = unquote(raw_name)
        if name == "ids":
            if raw_value.startswith("List("):
                try:
                    items = decode_value(raw_value)
                except DecodeError as error:
                    hint = (" (inside List(...) a URN's colons are written %3A, e.g. List(urn%3Ali%3Aexample%3A1))"
                            if parts is None and ":" in raw_value else "")
                    raise RestliError(400, f"Malformed ids parameter: {error}{hint}") from None
                if not isinstance(items, list):  # decode_value("List(...)") is a list or a DecodeError
                    raise RestliError(400, f"Malformed ids parameter: {shown(raw_value)} is not a List(...)")
                keys.extend(_list_item_key(item, parts) for item in items)
            else:
                raw = raw_value if parts is None or raw_value.startswith(("(", "%28")) else unquote(raw_value)
                keys.append(parse_key(raw, parts))
            continue
        if not name.startswith("ids["):
            continue
        close = name.find("]")
        index = _index(name[4:close]) if close >= 0 else None
        rest = name[close + 1:]
        if index is None or not rest.startswith(".") or len(rest) < 2:
            raise RestliError(400, f"Malformed batch key parameter {shown(name)}: expected ids[N].part")
        if parts is None:
            raise RestliError(400, f"Malformed batch key parameter {shown(name)}: this resource has a simple key")
        part = rest[1:]
        entry = indexed.setdefault(index, {})
        if part in entry:
            raise RestliError(400, f"Malformed batch key parameter {shown(name)}: given twice")
        entry[part] = unquote(raw_value)
    if parts is not None:  # without parts, an ids[N].part parameter was refused above
        for index in sorted(indexed):
            check_parts(indexed[index], parts, f"ids[{index}]")
            keys.append(indexed[index])
    return keys


def _index(text: str) -> int | None:
    try:
        return parse_int(text)
    except NumberError:
        return None


def _list_item_key(item: Decoded, parts: tuple[str, ...] | None) -> Key:
    if parts is None:
        if not isinstance(item, str) or item == "":
            raise RestliError(400, f"Malformed ids parameter: {shown(item)} is not a simple key")
        return item
    if not is_compound(item):
        raise RestliError(400, f"Malformed ids parameter: {shown(item)} is not a compound key")
    check_parts(item, parts, encode_value(item))
    return item
