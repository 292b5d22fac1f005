"""Resource keys in both Rest.li protocols.

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

Cost: text is split by one compiled regex (:data:`_TOKEN`), never scanned character by character in Python; the
common shapes (a flat ``(a:x,b:y)`` key, a ``List(...)`` of them or of simple keys) are recognised whole by one
regex and read without the general parser. :func:`read_key` and :func:`read_ids` give each key's canonical string
with the key, computed once from the text as written (a leaf that needs no escaping is its own encoding), so a
request never encodes a key again. Leaves holding ``%`` or ``'`` (URNs such as ``urn%3Ali%3Aorganization%3A1``,
repeated in every key of a customer) are decoded and re-encoded through bounded caches (:data:`CACHE_SIZE`).
Error messages name the key only when they are raised.
"""

from __future__ import annotations

import dataclasses
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
# A key read from text with its canonical string: ``(canonical, key)``.
ReadKey: TypeAlias = "tuple[str, Key]"

MAX_DEPTH = 32  # the deepest nesting a parser of client text takes (2.0 notation, projections, JSON bodies)
CACHE_SIZE = 4096  # entries of each leaf cache (decoded and encoded leaves, part names, URNs)
LIST_CACHE_SIZE, LIST_CACHE_MAX_CHARS = 64, 4096  # ids=List(...) texts whose keys are kept (a longer one is
# tunnelled: past LinkedIn's 4 KB query limit, and seldom sent twice)
_REDUCED = "%,()':"
_V1_VALUE = "%&="
_STRUCTURAL = "(),:"

# One token of 2.0 notation: a structural character or a maximal run of anything else (a leaf).
_TOKEN = re.compile(r"[(),:]|[^(),:]+")
_LEAF = r"[^(),:]+"
_PAIRS = rf"{_LEAF}:{_LEAF}(?:,{_LEAF}:{_LEAF})*"
# The shapes nearly every request uses, recognised whole: a flat compound key, a List of them, a List of leaves.
_FLAT_KEY = re.compile(rf"\(({_PAIRS})\)")
_FLAT_KEY_LIST = re.compile(rf"List\((\({_PAIRS}\)(?:,\({_PAIRS}\))*)\)")
_LEAF_LIST = re.compile(rf"List\(({_LEAF}(?:,{_LEAF})*)\)")
_NEEDS_REDUCED = re.compile("[" + re.escape(_REDUCED) + "]")
_NEEDS_V1 = re.compile("[" + re.escape(_V1_VALUE) + "]")


class DecodeError(ValueError):
    """Malformed Rest.li 2.0 text; the message says where."""


class CompoundKey(dict[str, str]):
    """A compound key read from a request (:func:`read_key`, :func:`read_ids`): the parts, and ``canonical``,
    the string :func:`canonical` gives for them, computed once from the text it was read from, so neither the
    store nor a reply encodes the key again. Read-only (changing it raises ``TypeError``): the keys of a
    text that repeats are shared between requests (:func:`_flat_key`); a copy such as ``{**key, ...}`` is a
    plain dict, which :func:`canonical` encodes."""

    __slots__ = ("canonical",)

    def __init__(self, parts: dict[str, str], canonical: str) -> None:
        super().__init__(parts)
        self.canonical = canonical

    def __reduce__(self) -> tuple[type[CompoundKey], tuple[dict[str, str], str]]:
        return CompoundKey, (dict(self), self.canonical)

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a CompoundKey is read-only: copy it ({**key}) to change it")

    __setitem__ = __delitem__ = __ior__ = update = setdefault = pop = popitem = clear = _read_only  # type: ignore[assignment]


@functools.cache
def _escaper(chars: str) -> Callable[[str], str]:
    """A compiled substitution that %-escapes each of ``chars``."""
    pattern = re.compile("[" + re.escape(chars) + "]")
    return functools.partial(pattern.sub, lambda m: f"%{ord(m.group()):02X}")


@functools.lru_cache(maxsize=CACHE_SIZE)
def _reduced(text: str) -> str:
    """``text`` as a leaf in reduced encoding: ``''`` when empty, ``%,()':`` %-escaped."""
    if text == "":
        return "''"
    return _escaper(_REDUCED)(text) if _NEEDS_REDUCED.search(text) else text


@functools.lru_cache(maxsize=CACHE_SIZE)
def _v1_value(text: str) -> str:
    """``text`` as a protocol-1.0 compound key value: ``%&=`` %-escaped, URNs raw."""
    return _escaper(_V1_VALUE)(text) if _NEEDS_V1.search(text) else text


@functools.lru_cache(maxsize=CACHE_SIZE)
def _escaped_leaf(raw: str) -> tuple[str, str]:
    """``(decoded, reduced encoding)`` of a raw leaf holding ``%`` or ``'`` (a %-encoded URN, a quote)."""
    text = "" if raw == "''" else unquote(raw)
    return text, _reduced(text)


def _leaf_forms(raw: str) -> tuple[str, str]:
    """``(decoded, reduced encoding)`` of a raw, non-empty leaf; a plain leaf is both."""
    if "%" in raw or "'" in raw:
        return _escaped_leaf(raw)
    return raw, raw


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
    if url:
        return quote(text, safe="") if text else "''"
    return _reduced(text)


def decode_value(text: str) -> Decoded:
    """Parse Rest.li 2.0 object notation: ``(k:v,…)`` → dict, ``List(…)`` → list, ``''`` → "", else a string.

    Leaves are %-decoded. Raises :class:`DecodeError` on unbalanced or stray structural characters, or on
    lists and objects nested more than :data:`MAX_DEPTH` deep.
    """
    tokens = _TOKEN.findall(text)
    value, end = _Notation(text, tokens).value(0, 0)
    if end != len(tokens):
        raise DecodeError(f"unexpected {shown(tokens[end][0])} at position {_offset(tokens, end)} in {shown(text)}")
    return value


def is_compound(value: Decoded) -> TypeGuard[dict[str, str]]:
    """Whether a decoded value has the shape of a compound key: an object whose values are all strings."""
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _offset(tokens: list[str], index: int) -> int:
    """The character offset of token ``index`` (the text's length past the last): only for messages."""
    return sum(map(len, tokens[:index]))


class _Notation:
    """A recursive-descent parser over the tokens of one text (:data:`_TOKEN`); positions are token indexes."""

    __slots__ = ("text", "tokens", "count")

    def __init__(self, text: str, tokens: list[str]) -> None:
        self.text, self.tokens, self.count = text, tokens, len(tokens)

    def fail(self, message: str) -> DecodeError:
        return DecodeError(f"{message} in {shown(self.text)}")

    def unexpected(self, index: int) -> DecodeError:
        return self.fail(f"unexpected {shown(self.tokens[index][0])} at position {_offset(self.tokens, index)}")

    def value(self, i: int, depth: int) -> tuple[Decoded, int]:
        tokens, count = self.tokens, self.count
        token = tokens[i] if i < count else ""
        is_list = token == "List" and i + 1 < count and tokens[i + 1] == "("
        if (is_list or token == "(") and depth == MAX_DEPTH:
            raise DecodeError(f"nested too deeply (more than {MAX_DEPTH} levels)")
        if is_list:
            i += 2
            items: list[Decoded] = []
            if i < count and tokens[i] == ")":
                return items, i + 1
            while True:
                item, i = self.value(i, depth + 1)
                items.append(item)
                closed, i = self.after_item(i, "List(")
                if closed:
                    return items, i
        if token == "(":
            i += 1
            obj: dict[str, Decoded] = {}
            if i < count and tokens[i] == ")":
                return obj, i + 1
            while True:
                name, i = self.leaf(i)
                if i >= count or tokens[i] != ":":
                    raise self.fail(f"expected ':' after field {shown(name)}")
                if name in obj:
                    raise self.fail(f"field {shown(name)} given twice")
                obj[name], i = self.value(i + 1, depth + 1)
                closed, i = self.after_item(i, "(")
                if closed:
                    return obj, i
        return self.leaf(i)

    def after_item(self, i: int, opened: str) -> tuple[bool, int]:
        """After an item of a list or object ``opened`` (``List(`` or ``(``) at token ``i``: whether it is
        closed, and the index past its ``,`` or ``)``."""
        if i >= self.count:
            raise self.fail(f"unterminated {opened}")
        if self.tokens[i] in (",", ")"):
            return self.tokens[i] == ")", i + 1
        raise self.unexpected(i)

    def leaf(self, i: int) -> tuple[str, int]:
        raw = self.tokens[i] if i < self.count else ""
        if raw == "" or raw in _STRUCTURAL:
            raise self.fail(f"empty value at position {_offset(self.tokens, i)}")
        return _leaf_forms(raw)[0], i + 1


@functools.lru_cache(maxsize=CACHE_SIZE)
def _flat_key(pairs: str) -> CompoundKey | None:
    """The key inside a flat compound key (``a:x,b:y``, each piece a leaf), or None when a part is given twice
    (the general parser then says so). Cached: a partner reads and writes the same keys again and again, and
    the key is read-only."""
    key: dict[str, str] = {}
    encoded: list[tuple[str, str]] = []  # (name, "name:value" in reduced encoding)
    for pair in pairs.split(","):
        raw_name, _, raw_value = pair.partition(":")
        name, name_text = _leaf_forms(raw_name)
        if name in key:
            return None
        key[name], value_text = _leaf_forms(raw_value)
        encoded.append((name, f"{name_text}:{value_text}"))
    encoded.sort()  # by name: the names differ
    return CompoundKey(key, "(" + ",".join([text for _, text in encoded]) + ")")


def read_key(text: str, parts: tuple[str, ...] | None) -> ReadKey:
    """``(canonical, key)`` of one key as written in a path segment, an ``ids`` entry or a body ``entities``
    map: what :func:`parse_key` gives, with its :func:`canonical` string, read in one pass."""
    if parts is None:
        # Raw structure is a compound key sent to a simple-key resource. A %-encoded "(" is not: it is how
        # a URL carries a simple key that starts with "(" (see url_key).
        if text.startswith(("(", "List(")):
            raise RestliError(400, f"Malformed key {shown(text)}: expected a simple key")
        value = unquote(text) if "%" in text else text
        if value == "":
            raise RestliError(400, "Malformed key: the key is empty")
        return _reduced(value), value
    if text.startswith("%28") or (not text.startswith("(") and "=" not in text and "%3D" in text.upper()):
        text = unquote(text)
    found: CompoundKey | None = None
    if text.startswith("("):
        flat = _FLAT_KEY.fullmatch(text)
        found = _flat_key(flat.group(1)) if flat else None
        if found is None:
            try:
                decoded = decode_value(text)
            except DecodeError as error:
                raise RestliError(400, f"Malformed key {shown(text)}: {error}") from None
            if not is_compound(decoded):
                raise RestliError(400, f"Malformed key {shown(text)}: expected (part:value,...)")
            found = carried(decoded)
    else:
        key: dict[str, str] = {}
        for piece in text.split("&"):
            name, sep, raw = piece.partition("=")
            if not sep or not name:
                raise RestliError(400, f"Malformed key {shown(text)}: expected part=value pairs joined by &")
            name = unquote(name)
            if name in key:
                raise RestliError(400, f"Malformed key {shown(text)}: part {shown(name)} given twice")
            key[name] = unquote(raw)
        found = carried(key)
    check_parts(found, parts, text)
    return found.canonical, found


def carried(key: dict[str, str]) -> CompoundKey:
    """``key`` as a :class:`CompoundKey` carrying its canonical string."""
    return CompoundKey(key, canonical(key))


def parse_key(text: str, parts: tuple[str, ...] | None) -> Key:
    """Parse one key as written in a path segment, an ``ids`` entry or a body ``entities`` map.

    ``parts`` names the parts of a compound key (``None`` for a simple key). Accepts either protocol's form
    whatever the protocol header says (LinkedIn's own Postman collection mixes them). Raises
    :class:`RestliError` 400 naming the key when it is malformed or its parts differ from ``parts``.
    """
    return read_key(text, parts)[1]


def check_parts(key: dict[str, str], parts: tuple[str, ...], written: str | Callable[[], str]) -> None:
    """Raise 400 unless ``key`` has exactly ``parts``, each non-empty. ``written`` names the key in the message
    (a callable is called only then)."""
    if len(key) == len(parts) and all(key.get(p) for p in parts):
        return
    name = written if isinstance(written, str) else written()
    missing = [p for p in parts if p not in key]
    extra = sorted(set(key) - set(parts))
    if missing or extra:
        detail = []
        if missing:
            detail.append("missing " + ", ".join(missing))
        if extra:
            detail.append("unknown " + ", ".join(extra))
        raise RestliError(400, f"Malformed key {shown(name)}: {'; '.join(detail)} (expected {', '.join(parts)})")
    empty = [p for p in parts if key[p] == ""]
    raise RestliError(400, f"Malformed key {shown(name)}: empty {', '.join(empty)}")


def canonical(key: Key) -> str:
    """The one string a key is stored and compared under: 2.0 reduced encoding, parts sorted by name (a
    :class:`CompoundKey` carries it)."""
    if isinstance(key, CompoundKey):
        return key.canonical
    if isinstance(key, dict) and all(type(value) is str for value in key.values()):
        return "(" + ",".join(f"{_reduced(name)}:{_reduced(key[name])}" for name in sorted(key)) + ")"
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
        return canonical(key)
    return "&".join(f"{name}={_v1_value(key[name])}" for name in sorted(key))


def url_key(key: Key, protocol: int) -> str:
    """The key as a path segment of a URL the emulator emits (``Location``): a simple key fully %-encoded
    (Rest.li ``encodeKeyForUri``), a compound key in the caller's protocol."""
    if not isinstance(key, dict):
        return quote(key, safe="")
    if protocol == 2:
        return encode_value(key, url=True)
    return "&".join(f"{name}={quote(key[name], safe=':')}" for name in sorted(key))


@dataclasses.dataclass
class BatchKeys:
    """The batch keys of a query (:func:`read_ids`): ``keys``, ``[(canonical, key)]`` in request order
    (repeats kept), and ``texts``, ``{text of a List(...) item: (canonical, key)}``, so a body ``entities`` key
    written as in the URL is not read again (:func:`read_key` of that text gives the same)."""

    keys: list[ReadKey] = dataclasses.field(default_factory=list)
    texts: dict[str, ReadKey] = dataclasses.field(default_factory=dict)


def read_ids(pairs: list[tuple[str, str]], parts: tuple[str, ...] | None) -> BatchKeys:
    """The batch keys of a query with their canonical strings, from raw ``(name, value)`` pairs (names and
    values not yet %-decoded): what :func:`parse_ids` reads."""
    indexed: dict[int, dict[str, str]] = {}
    batch = BatchKeys()
    for raw_name, raw_value in pairs:
        name = unquote(raw_name) if "%" in raw_name else raw_name
        if name == "ids":
            if raw_value.startswith("List("):
                _read_list(raw_value, parts, batch)
            else:
                raw = raw_value if parts is None or raw_value.startswith(("(", "%28")) else unquote(raw_value)
                batch.keys.append(read_key(raw, parts))
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
            key = carried(indexed[index])
            batch.keys.append((key.canonical, key))
    return batch


def parse_ids(pairs: list[tuple[str, str]], parts: tuple[str, ...] | None) -> list[Key]:
    """The batch keys of a query, in request order, from raw ``(name, value)`` pairs (names and values not
    yet %-decoded).

    Understands ``ids[N].part=value`` (1.0), ``ids=<legacy 1.0 key>`` repeated, ``ids=<simple>`` repeated and
    ``ids=List(…)`` (2.0). Raises :class:`RestliError` 400 naming the offending parameter.
    """
    return [key for _, key in read_ids(pairs, parts).keys]


@functools.lru_cache(maxsize=LIST_CACHE_SIZE)
def _flat_list(text: str, parts: tuple[str, ...]) -> tuple[tuple[ReadKey, ...], dict[str, ReadKey]] | None:
    """The keys of a ``List(...)`` of flat compound keys with exactly ``parts`` (in order, and by the text each
    was written in), or None for any other list (the general parser then reads it or names the problem). Cached:
    a partner sends the same lists again and again, and what is kept is read-only (tuples, read-only keys; the
    dict is only copied from)."""
    flat = _FLAT_KEY_LIST.fullmatch(text)
    if flat is None:
        return None
    read: dict[str, ReadKey] = {}
    keys: list[ReadKey] = []
    for pairs in flat.group(1)[1:-1].split("),("):  # the items, each "(pairs)", joined by ","
        found = _flat_key(pairs)
        if found is None or not _has_parts(found, parts):
            return None
        read[f"({pairs})"] = (found.canonical, found)
        keys.append(read[f"({pairs})"])
    return tuple(keys), read


def _read_list(text: str, parts: tuple[str, ...] | None, batch: BatchKeys) -> None:
    """Add the keys of one ``ids=List(...)`` value to ``batch``: the common shapes whole, else the general parser."""
    read_flat = _flat_list if len(text) <= LIST_CACHE_MAX_CHARS else _flat_list.__wrapped__
    if parts is not None and (flat := read_flat(text, parts)) is not None:
        batch.keys.extend(flat[0])
        batch.texts.update(flat[1])
        return
    if parts is None and (leaves := _LEAF_LIST.fullmatch(text)):
        raws = leaves.group(1).split(",")
        if "''" not in raws:
            for raw in raws:
                value = _leaf_forms(raw)[0]
                batch.texts[raw] = (_reduced(value), value)
                batch.keys.append(batch.texts[raw])
            return
    try:
        items = decode_value(text)
    except DecodeError as error:
        hint = (" (inside List(...) a URN's colons are written %3A, e.g. List(urn%3Ali%3Aexample%3A1))"
                if parts is None and ":" in text else "")
        raise RestliError(400, f"Malformed ids parameter: {error}{hint}") from None
    if not isinstance(items, list):  # decode_value("List(...)") is a list or a DecodeError
        raise RestliError(400, f"Malformed ids parameter: {shown(text)} is not a List(...)")
    for item in items:
        key = _list_item_key(item, parts)
        batch.keys.append((canonical(key), key))  # _list_item_key gives a CompoundKey or a simple key


def _has_parts(key: dict[str, str], parts: tuple[str, ...]) -> bool:
    """Whether ``key`` has exactly ``parts``, none empty (what :func:`check_parts` lets through)."""
    if len(key) != len(parts):
        return False
    for part in parts:
        if not key.get(part):
            return False
    return True


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
    check_parts(item, parts, lambda: encode_value(item))
    return carried(item)
