"""Request bodies as JSON objects: one parser for the Rest.li layer and the admin API.

Strict JSON (RFC 8259), each problem a :class:`RestliError` 400 that says what is wrong and, as a JSON pointer
(RFC 6901), where: ``NaN``/``Infinity`` and numbers too large for a double (``1e400`` would parse as infinity,
which JSON cannot write back); bodies that are not objects; an object giving one key twice (RFC 8259 §4 names
SHOULD be unique, and Python would silently keep the last); a string, key or value, holding a lone surrogate
(``"\\ud800"`` is valid JSON text but no Unicode string: it could be stored, yet never written out again);
containers nested more than :data:`~mock_server.restli.keys.MAX_DEPTH` deep.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any, NoReturn, TypeAlias

from mock_server.restli.errors import RestliError, json_type
from mock_server.restli.keys import MAX_DEPTH

# How every refusal of a body begins (callers parsing other JSON may strip it).
MALFORMED = "Malformed JSON in the request body"
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")
# What a UTF-8 body needs for :func:`_check` to find anything beyond what parsing flags: a surrogate, escaped
# (\ud800) or raw (json.loads decodes with surrogatepass: ED A0-BF xx), or containers nested deeper than MAX_DEPTH.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'[]{}"'))

# Where a value sits in a parsed document, built without copying as it is walked: ``(parent path, key or index)``,
# ``None`` at the root.
_Path: TypeAlias = "tuple[_Path, str | int] | None"


class _Repeated(dict[str, Any]):
    """An object that gave ``key`` more than once (the pointer to it is only known once parsing is done)."""

    key = ""


class _Infinite(float):
    """A number beyond a double's range, kept until the pointer to it is known."""


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


def _number(text: str) -> float:
    value = float(text)
    return _Infinite(value) if math.isinf(value) else value


def _repeated(value: dict[str, Any], pairs: list[tuple[str, Any]]) -> _Repeated:
    repeated, seen = _Repeated(value), set[str]()
    for name, _ in pairs:
        if name in seen:
            repeated.key = name
            break
        seen.add(name)
    return repeated


def _shallow(raw: bytes) -> bool:
    """True when the containers of the valid UTF-8 JSON ``raw`` surely nest at most :data:`MAX_DEPTH` deep
    (False: maybe deeper). All at C speed: escaped backslashes and quotes dropped, then everything but quotes
    and brackets, then the strings (between quotes); each pass then removes the innermost ``[]`` pairs and then
    the ``{}`` pairs, at most two levels, so brackets gone within ``MAX_DEPTH // 2`` passes nest no deeper. The
    multi-byte searches run only where they can find something (a backslash; a string holding a bracket)."""
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = raw.translate(None, _NOT_STRUCTURE)
    # Strings without brackets are adjacent quotes; when removing those leaves no quote, every string was one.
    brackets = structure.replace(b'""', b"")
    if b'"' in brackets:
        brackets = b"".join(structure.split(b'"')[::2])
    for _ in range(MAX_DEPTH // 2):
        if not brackets:
            return True
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    return not brackets


def _may_hold_surrogate(raw: bytes) -> bool:
    """Whether the UTF-8 JSON ``raw`` may hold a surrogate (:data:`_SURROGATE_ESCAPE`); the pattern runs only
    when ``raw`` holds a backslash or the byte 0xED (a ``memchr`` each, where the pattern costs ~9 ns a byte)."""
    return (b"\\" in raw or b"\xed" in raw) and _SURROGATE_ESCAPE.search(raw) is not None


def parse_value(raw: bytes) -> Any:
    """The JSON value in ``raw`` (any type). Raises :class:`RestliError` 400 for malformed JSON, non-standard
    constants (NaN, Infinity), a number too large for a double, a key given twice in one object, a lone
    surrogate in a string, or nesting too deep.

    The Python walk that finds where such a problem is (:func:`_check`) runs only when one may be there: parsing
    met a repeated key or a huge number, or the UTF-8 text holds an escaped surrogate or nests too deep (bodies
    in another encoding are always walked)."""
    flagged = False

    def number(text: str) -> float:
        nonlocal flagged
        value = _number(text)
        flagged = flagged or isinstance(value, _Infinite)
        return value

    def obj(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal flagged
        value = dict(pairs)
        if len(value) == len(pairs):
            return value
        flagged = True
        return _repeated(value, pairs)

    try:
        value = json.loads(raw, parse_constant=_refuse_constant, parse_float=number, object_pairs_hook=obj)
    except UnicodeDecodeError as error:
        raise RestliError(400, f"{MALFORMED}: it is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset"
                               f" {error.start} cannot be decoded)") from None
    except ValueError as error:
        raise RestliError(400, f"{MALFORMED}: {error}") from None
    except RecursionError:  # the C scanner's own limit, far above MAX_DEPTH
        raise RestliError(400, f"{MALFORMED}: nested too deeply (more than {MAX_DEPTH} levels)") from None
    if isinstance(value, (dict, list)) and (flagged or json.detect_encoding(raw) != "utf-8"
                                            or _may_hold_surrogate(raw) or not _shallow(raw)):
        _check(value)
    return value


def parse_object(raw: bytes) -> dict[str, Any]:
    """Like :func:`parse_value`, and 400 too when the value is not a JSON object (a request body)."""
    value = parse_value(raw)
    if not isinstance(value, dict):
        raise RestliError(400, f"The request body must be a JSON object, not {json_type(value)}")
    return value


def _check(document: dict[str, Any] | list[Any]) -> None:
    """Walk ``document`` (without recursion, so any depth is safe) for what :func:`parse_object` refuses after
    parsing; raises :class:`RestliError` 400 at the first problem found."""
    # (container, its path as nested (parent, name) pairs, depth)
    stack: list[tuple[dict[str, Any] | list[Any], _Path, int]] = [(document, None, 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RestliError(400, f"{MALFORMED}: {_pointer(path)} is nested too deeply (more than {MAX_DEPTH}"
                                   f" levels)")
        if isinstance(node, _Repeated):
            raise RestliError(400, f"{MALFORMED}: {_pointer((path, node.key))} is given more than once")
        pairs: Iterable[tuple[str | int, Any]] = node.items() if isinstance(node, dict) else enumerate(node)
        for name, child in pairs:
            if isinstance(name, str) and (found := _SURROGATE.search(name)):
                _refuse_surrogate((path, name), found)
            if isinstance(child, str):
                if found := _SURROGATE.search(child):
                    _refuse_surrogate((path, name), found)
            elif isinstance(child, (dict, list)):
                stack.append((child, (path, name), depth + 1))
            elif isinstance(child, _Infinite):
                raise RestliError(400, f"{MALFORMED}: {_pointer((path, name))} is a number too large for a double")


def beyond_long(document: Any) -> str | None:
    """The JSON pointer of the first integer in ``document`` outside a signed 64-bit ``long`` (Rest.li's
    integer type, -2**63..2**63-1), or ``None``. Bodies checked against a schema get this from the schema
    (:mod:`mock_server.schemas`); the admin API's bodies, which have none, call this."""
    stack: list[tuple[Any, _Path]] = [(document, None)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, int) and not isinstance(node, bool) and not LONG_MIN <= node <= LONG_MAX:
            return _pointer(path)
        if isinstance(node, dict):
            stack.extend((child, (path, name)) for name, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, (path, index)) for index, child in enumerate(node))
    return None


def _refuse_surrogate(path: _Path, found: re.Match[str]) -> NoReturn:
    code = ord(found.group())
    raise RestliError(400, f"{MALFORMED}: {_pointer(path)} holds a lone surrogate (U+{code:04X})")


def _pointer(path: _Path) -> str:
    """The JSON pointer of ``path``, with surrogates shown as ``\\udXXX`` so the message stays sendable."""
    names: list[str] = []
    while path is not None:
        path, name = path
        names.append(str(name).replace("~", "~0").replace("/", "~1"))
    return ("/" + "/".join(reversed(names))).encode("utf-8", "backslashreplace").decode("utf-8")
