"""JSON Schemas: one per entity and one per fixture file, the single source of truth for shapes.

Each schema records where it comes from with ``x-provenance`` (``documented`` — read on a LinkedIn page or in
LinkedIn's own collection; ``inferred`` — the emulator's decision where the docs are silent) and ``x-source``.
Properties may carry their own ``x-provenance`` when it differs from the schema's.
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


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The schema ``mock_server/schemas/<name>.json``. Raises ``FileNotFoundError`` for an unknown name."""
    schema: dict[str, Any] = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    return schema


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
