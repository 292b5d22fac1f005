"""Whole numbers written as text by a client: query parameters, path segments, admin filters.

``int()`` is too lenient for input: it takes non-ASCII digits (``"²"`` passes ``str.isdigit`` but ``int``
refuses it; ``"٣"`` it takes), ``"1_000"`` and surrounding whitespace, and raises ``ValueError`` on more than
4,300 digits. :func:`parse_int` takes only ASCII digits, a sign only where one is meaningful, and at most
:data:`MAX_DIGITS` digits, so every value fits the signed 64-bit ``long`` LinkedIn's APIs use.
"""

from __future__ import annotations

import re

from mock_server.restli.errors import shown

MAX_DIGITS = 18
_UNSIGNED = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")
_SHOWN = 24  # characters of a refused value echoed in a message


class NumberError(ValueError):
    """Text that is not a number :func:`parse_int` takes. ``str(error)`` is the reason, written to follow the
    name of the parameter (``'must be an integer, got "²"'``)."""


def parse_int(text: str, *, signed: bool = False, minimum: int | None = None, maximum: int | None = None) -> int:
    """The integer ``text`` writes: ASCII digits (with an optional ``+``/``-`` when ``signed``), at most
    :data:`MAX_DIGITS` of them, within ``[minimum, maximum]`` when given.

    Raises :class:`NumberError` saying what is wrong; the caller names the parameter.
    """
    if not (_SIGNED if signed else _UNSIGNED).fullmatch(text):
        raise NumberError(f"must be an integer, got {shown(text, _SHOWN)}")
    if len(text.lstrip("+-")) > MAX_DIGITS:
        raise NumberError(f"must be an integer of at most {MAX_DIGITS} digits, got {shown(text, _SHOWN)}")
    number = int(text)
    if minimum is not None and number < minimum:
        raise NumberError(f"must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise NumberError(f"must be at most {maximum}, got {number}")
    return number


def numeric(value: object, *, signed: bool = False) -> object:
    """``value`` as an ``int`` when it is text :func:`parse_int` takes, else ``value`` unchanged: admin filters
    arrive as text in a query string but as JSON numbers in a body, and the caller checks the type (naming
    the field) afterwards."""
    if isinstance(value, str):
        try:
            return parse_int(value, signed=signed)
        except NumberError:
            pass
    return value
