"""JSON Schemas: one per entity and one per fixture file, the single source of truth for shapes.

Each schema records where it comes from with ``x-provenance`` (``documented`` — read on a LinkedIn page or in
LinkedIn's own collection; ``inferred`` — the emulator's decision where the docs are silent) and ``x-source``.
Properties may carry their own ``x-provenance`` when it differs from the schema's.

Every ``"type": "integer"`` is Rest.li's ``long`` (https://linkedin.github.io/rest.li/pdl_schema, primitive
types): :func:`load` bounds it to a signed 64-bit integer (:data:`LONG_MIN`..:data:`LONG_MAX`, keeping a
tighter ``minimum``/``maximum`` the file gives), so no schema can accept a number LinkedIn could not store.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from referencing import Registry
    from referencing.jsonschema import Schema

HERE = Path(__file__).resolve().parent
LONG_MIN = -(2**63)
LONG_MAX = 2**63 - 1


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The schema ``mock_server/schemas/<name>.json``. Raises ``FileNotFoundError`` for an unknown name."""
    schema: dict[str, Any] = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    _bound_longs(schema)
    return schema


def _bound_longs(node: Any) -> None:
    """Give every subschema of ``node`` typed ``integer`` the range of a signed 64-bit ``long`` (in place)."""
    if isinstance(node, list):
        for item in node:
            _bound_longs(item)
        return
    if not isinstance(node, dict):
        return
    types = node.get("type")
    if types == "integer" or (isinstance(types, list) and "integer" in types):
        node["minimum"] = max(node.get("minimum", LONG_MIN), LONG_MIN)
        node["maximum"] = min(node.get("maximum", LONG_MAX), LONG_MAX)
    for name, child in node.items():
        if name not in ("enum", "const", "examples", "default"):
            _bound_longs(child)


@functools.cache
def registry() -> Registry[Schema]:
    """A ``referencing.Registry`` holding every schema under ``<name>.json``, so ``$ref`` between files works."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (f"{name}.json", Resource.from_contents(load(name), default_specification=DRAFT202012)) for name in names())


def names() -> list[str]:
    """Every schema name, sorted."""
    return sorted(path.stem for path in HERE.glob("*.json"))
