"""Rest.li partial-update patches: ``{"patch": {"$set": {...}, "$delete": [...], "<field>": {<nested patch>}}}``.

Reference: Rest.li protocol spec, "Partial Update". ``$set`` replaces a field (arrays are replaced whole).
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.restli.errors import RestliError, shown


def read_patch(body: object, where: str = "body") -> dict[str, Any]:
    """The ``patch`` object of a PARTIAL_UPDATE body; 400 naming ``where`` when it is not of that shape."""
    if not isinstance(body, dict) or not isinstance(body.get("patch"), dict):
        raise RestliError(400, f"Malformed {where}: expected {{\"patch\": {{\"$set\": {{...}}}}}}")
    extra = sorted(set(body) - {"patch"})
    if extra:
        raise RestliError(400, f"Malformed {where}: unknown field(s) {', '.join(extra)} beside 'patch'")
    patch: dict[str, Any] = body["patch"]
    return patch


def apply_patch(document: dict[str, Any], patch: dict[str, Any], path: str = "") -> dict[str, Any]:
    """A new document with ``patch`` applied; ``document`` is not changed.

    Raises :class:`RestliError` 400 naming the field for a ``$set`` that is not an object, a ``$delete``
    that is not a list of names, or a nested patch on a field that is not an object.
    """
    result = copy.deepcopy(document)
    _check_conflicts(patch, path)
    for name, value in patch.items():
        if name == "$set":
            if not isinstance(value, dict):
                raise RestliError(400, f"Malformed patch: {path}$set must be an object")
            result.update(copy.deepcopy(value))
        elif name == "$delete":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise RestliError(400, f"Malformed patch: {path}$delete must be a list of field names")
            for field in value:
                result.pop(field, None)
        elif isinstance(value, dict):
            inner = result.get(name, {})
            if not isinstance(inner, dict):
                raise RestliError(400, f"Malformed patch: {path}{name} is not an object and cannot be patched")
            result[name] = apply_patch(inner, value, f"{path}{name}.")
        else:
            raise RestliError(400, f"Malformed patch: unknown operation {path}{shown(name)}; use $set, $delete or a"
                                   " nested patch object")
    return result


def _check_conflicts(patch: dict[str, Any], path: str) -> None:
    """400 when one field is given two operations ($set and $delete, or either and a nested patch): the
    outcome would depend on the order of the JSON object's members."""
    seen: dict[str, str] = {}
    ops = []
    if isinstance(patch.get("$set"), dict):
        ops += [(field, "$set") for field in patch["$set"]]
    if isinstance(patch.get("$delete"), list):
        ops += [(field, "$delete") for field in patch["$delete"] if isinstance(field, str)]
    ops += [(name, "a nested patch") for name, value in patch.items()
            if not name.startswith("$") and isinstance(value, dict)]
    for field, op in ops:
        if field in seen and seen[field] != op:
            raise RestliError(400, f"Malformed patch: {path}{field} is given both {seen[field]} and {op}")
        seen.setdefault(field, op)


def patched_fields(patch: dict[str, Any]) -> set[str]:
    """Top-level field names a patch touches (for per-resource rules on what may be patched)."""
    fields = set(patch.get("$set", {}) if isinstance(patch.get("$set"), dict) else ())
    fields |= set(patch.get("$delete", []) if isinstance(patch.get("$delete"), list) else ())
    fields |= {name for name in patch if not name.startswith("$")}
    return fields
