"""Query parameters of a Rest.li request, kept raw so keys can be parsed in either protocol.

:class:`Query` wraps the raw ``name=value`` pairs of a query string (or of a tunnelled form body) and reads
scalar, list (``a=x&a=y`` or 2.0 ``a=List(x,y)``) and object (1.0 ``p.a=1&p.b=2`` or 2.0 ``p=(a:1,b:2)``)
parameters.
"""

from __future__ import annotations

from typing import overload
from urllib.parse import unquote

from mock_server.restli.errors import RestliError, shown
from mock_server.restli.integers import NumberError, parse_int
from mock_server.restli.keys import DecodeError, decode_value


def split_query(raw: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` → ``[("a", "1"), ("b", "2")]``, nothing decoded; empty pieces are skipped."""
    pairs = []
    for piece in raw.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((name, value))
    return pairs


class Query:
    """Raw query pairs with typed accessors. Names are %-decoded for lookups; values on read."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._names = [unquote(name) for name, _ in pairs]

    def raw_values(self, name: str) -> list[str]:
        """Every raw (still encoded) value given for ``name``."""
        return [value for (_, value), decoded in zip(self.pairs, self._names, strict=True) if decoded == name]

    def has(self, name: str) -> bool:
        """True when ``name`` appears at least once."""
        return name in self._names

    def has_prefix(self, prefix: str) -> bool:
        """True when some parameter name starts with ``prefix``."""
        return any(name.startswith(prefix) for name in self._names)

    @overload
    def get(self, name: str, default: str) -> str: ...
    @overload
    def get(self, name: str, default: None = None) -> str | None: ...

    def get(self, name: str, default: str | None = None) -> str | None:
        """The decoded value of ``name``; 400 when it is given more than once."""
        values = self.raw_values(name)
        if not values:
            return default
        if len(values) > 1:
            raise RestliError(400, f"Query parameter '{name}' is given more than once")
        return unquote(values[0])

    def require(self, name: str) -> str:
        """Like :meth:`get` but 400 ``Missing required query parameter 'name'`` when absent or empty."""
        value = self.get(name)
        if value is None or value == "":
            raise RestliError(400, f"Missing required query parameter '{name}'")
        return value

    @overload
    def get_int(self, name: str, default: int, minimum: int | None = None) -> int: ...
    @overload
    def get_int(self, name: str, default: None = None, minimum: int | None = None) -> int | None: ...

    def get_int(self, name: str, default: int | None = None, minimum: int | None = None) -> int | None:
        """An integer parameter (e.g. epoch ms); 400 naming it when not a whole number (see
        :func:`mock_server.restli.integers.parse_int`) or below ``minimum``."""
        value = self.get(name)
        if value is None or value == "":
            return default
        try:
            return parse_int(value, signed=True, minimum=minimum)
        except NumberError as error:
            raise RestliError(400, f"Query parameter '{name}' {error}") from None

    def get_bool(self, name: str, default: bool | None = None) -> bool | None:
        """``true``/``false`` (any case); 400 otherwise."""
        value = self.get(name)
        if value is None or value == "":
            return default
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise RestliError(400, f"Query parameter '{name}' must be true or false, got {shown(value)}")

    def get_list(self, name: str) -> list[str]:
        """All values of a list parameter: repeated (1.0), comma-free ``List(a,b)`` (2.0), or both."""
        values: list[str] = []
        for raw in self.raw_values(name):
            if raw.startswith("List("):
                try:
                    items = decode_value(raw)
                except DecodeError as error:
                    raise RestliError(400, f"Malformed query parameter '{name}': {error}") from None
                strings = [item for item in items if isinstance(item, str)] if isinstance(items, list) else []
                if not isinstance(items, list) or len(strings) != len(items):
                    raise RestliError(400, f"Malformed query parameter '{name}': expected a list of strings")
                values.extend(strings)
            else:
                values.append(unquote(raw))
        return values

    def get_object(self, name: str) -> dict[str, str]:
        """An object parameter: 1.0 ``name.field=v`` pairs or 2.0 ``name=(field:v)``; ``{}`` when absent.

        Every field's value is a string: 400 naming the parameter and field when a 2.0 value is itself an
        object or a list (``timeRange=(start:(a:b))``), or when a field is given more than once (in either form,
        as :meth:`get` does for a scalar)."""
        result: dict[str, str] = {}

        def put(field: str, value: str) -> None:
            if field in result:
                raise RestliError(400, f"Query parameter '{name}.{field}' is given more than once")
            result[field] = value

        for raw in self.raw_values(name):
            try:
                value = decode_value(raw)
            except DecodeError as error:
                raise RestliError(400, f"Malformed query parameter '{name}': {error}") from None
            if not isinstance(value, dict):
                raise RestliError(400, f"Malformed query parameter '{name}': expected (field:value,...)")
            for field, item in value.items():
                if not isinstance(item, str):
                    kind = "an object" if isinstance(item, dict) else "a list"
                    raise RestliError(400, f"Malformed query parameter '{name}': field '{field}' must be a value,"
                                           f" not {kind}")
                put(field, item)
        prefix = name + "."
        for (_, raw), decoded in zip(self.pairs, self._names, strict=True):
            if decoded.startswith(prefix):
                put(decoded[len(prefix):], unquote(raw))
        return result
