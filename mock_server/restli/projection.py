"""Projections: ``fields=id,firstName`` keeps only the named fields of each returned entity.

LinkedIn takes the 1.0 comma form even under protocol 2.0 (``fields=List(...)`` is not accepted there, see
``linkedin-api-python-client``); nested fields are named with ``a:(b,c)`` and kept as sub-projections.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from mock_server.restli.errors import RestliError, shown
from mock_server.restli.keys import MAX_DEPTH

# A parsed ``fields`` parameter: each kept field name maps to its sub-projection, or None to keep it whole.
Projection: TypeAlias = "dict[str, Projection | None]"


def parse_fields(text: str | None) -> Projection | None:
    """``"id,name:(first,last)"`` → ``{"id": None, "name": {"first": None, "last": None}}``; ``None`` when no
    projection was asked for. 400 on unbalanced parentheses, empty names or sub-projections nested more than
    :data:`~mock_server.restli.keys.MAX_DEPTH` deep."""
    if text is None or text == "":
        return None
    tree, end = _fields(text, 0, 0)
    if end != len(text):
        raise RestliError(400, f"Malformed fields parameter {shown(text)}: unexpected {shown(text[end])}")
    return tree


def _fields(text: str, i: int, depth: int) -> tuple[Projection, int]:
    if depth > MAX_DEPTH:
        raise RestliError(400, f"Malformed fields parameter: nested too deeply (more than {MAX_DEPTH} levels)")
    tree: Projection = {}
    while i < len(text):
        start = i
        while i < len(text) and text[i] not in ",():":
            i += 1
        name = text[start:i].strip()
        if not name:
            raise RestliError(400, f"Malformed fields parameter {shown(text)}: empty field name")
        sub: Projection | None = None
        if text.startswith(":(", i):
            sub, i = _fields(text, i + 2, depth + 1)
            if i >= len(text) or text[i] != ")":
                raise RestliError(400, f"Malformed fields parameter {shown(text)}: missing ')'")
            i += 1
        tree[name] = sub
        if i < len(text) and text[i] == ",":
            i += 1
            if i == len(text) or text[i] in ",)":
                raise RestliError(400, f"Malformed fields parameter {shown(text)}: empty field name")
            continue
        break
    return tree, i


def project(entity: Any, tree: Projection | None) -> Any:
    """Keep only the fields of ``tree`` in ``entity`` (recursing into dicts and lists of dicts)."""
    if tree is None:
        return entity
    if isinstance(entity, list):
        return [project(item, tree) for item in entity]
    if not isinstance(entity, dict):
        return entity
    return {name: project(entity[name], sub) for name, sub in tree.items() if name in entity}
